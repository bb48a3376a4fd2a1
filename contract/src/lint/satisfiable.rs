//! Schemas no value can satisfy: the analysis of [`crate::synth`], which the mock also runs
//! before it answers, so every 501 the mock gives for a contradiction is a finding here, at the
//! same pointer.

use std::collections::HashSet;

use oas_codegen::diagnostics::Diagnostic;
use serde_json::Value;

use crate::schema_walk::schema_sites;
use crate::synth::{Failure, Synthesizer};

pub fn check(root: &Value, openapi_3_0: bool) -> Vec<Diagnostic> {
    let synthesizer = Synthesizer::new(root, openapi_3_0, None);
    let mut reported = HashSet::new();
    let mut findings = Vec::new();
    for site in schema_sites(root) {
        // `false` is how a schema forbids something (`additionalProperties: false`); it is a
        // contradiction only where a value is required, which its holder reports.
        if root.pointer(&site) == Some(&Value::Bool(false)) {
            continue;
        }
        // A contradiction deeper down is found again from every schema that requires it; it is
        // reported once, where it is written.
        if let Err(Failure::Impossible { pointer, reason }) = synthesizer.instance(&site) {
            if reported.insert(pointer.clone()) {
                findings.push(Diagnostic::error(pointer, format!("no value can match this schema: {reason}")));
            }
        }
    }
    findings
}
