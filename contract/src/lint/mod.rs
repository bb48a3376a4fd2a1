//! Findings about one document: what `oas validate` checks (the specification's rules), and
//! what `oas lint` adds on top.
//!
//! | check | severity |
//! | --- | --- |
//! | the official OpenAPI JSON Schema (3.0, or 3.1 plus its Schema Object dialect) | error |
//! | `$ref`s and discriminator mappings that do not resolve, operationIds used twice, path templates and path parameters that disagree ([`spec_rules`]) | error |
//! | defaults that do not match their schema or lie outside their `enum` | error |
//! | schemas no value can satisfy ([`crate::synth`], the analysis the mock builds values with) | error |
//! | examples that do not match their schema | warning |
//! | components nothing uses | warning |
//! | names that collide as Rust identifiers | warning |
//! | everything generation works around | warning |

mod examples;
mod names;
mod satisfiable;
pub mod spec_rules;
mod structure;
mod unused;

use std::collections::HashSet;

use oas_codegen::diagnostics::{Diagnostic, Severity};
use oas_codegen::load::{Document, Version};
use oas_codegen::TypeOptions;

use crate::checker::Checker;

/// What `oas validate` reports: the specification's rules as errors, plus what generation would
/// warn about, with positions, in document order.
pub fn validation_findings(document: &Document) -> Vec<Diagnostic> {
    finish(document, spec_rules::check(document))
}

/// Everything [`validation_findings`] reports, and the lint checks, with positions, in
/// document order.
pub fn lint(document: &Document) -> Vec<Diagnostic> {
    let root = &document.root;
    let mut findings = structure::check(document);
    findings.extend(spec_rules::check(document));
    let checker = Checker::new(document);
    findings.extend(examples::check(root, &checker));
    findings.extend(satisfiable::check(root, document.version == Version::V3_0));
    findings.extend(unused::check(root));
    findings.extend(names::check(root));
    finish(document, findings)
}

/// Adds generation's warnings where nothing was found yet, drops repeats, looks up positions and
/// sorts: by place, errors first among findings at one place, unplaced ones last.
fn finish(document: &Document, mut findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let model = oas_codegen::lower::lower(document, &TypeOptions::default());
    // Generation reports some of the same problems (a dangling `$ref`, a repeated operationId)
    // as warnings at the same pointer; the finding there says it already.
    let found: HashSet<String> = findings.iter().map(|finding| finding.pointer.clone()).collect();
    findings.extend(document.diagnostics.iter().chain(&model.diagnostics).filter(|warning| !found.contains(&warning.pointer)).cloned());
    let mut seen = HashSet::new();
    findings.retain(|finding| seen.insert((finding.pointer.clone(), finding.message.clone())));
    let pointers: Vec<&str> = findings.iter().map(|finding| finding.pointer.as_str()).collect();
    let positions = oas_codegen::source_map::locate(&document.text, &pointers);
    for (finding, position) in findings.iter_mut().zip(positions) {
        finding.position = position;
    }
    findings.sort_by(|a, b| {
        (a.position.is_none(), a.position, std::cmp::Reverse(a.severity)).cmp(&(b.position.is_none(), b.position, std::cmp::Reverse(b.severity)))
    });
    findings
}

/// How many findings have each severity: (errors, warnings).
pub fn counts(findings: &[Diagnostic]) -> (usize, usize) {
    let errors = findings.iter().filter(|finding| finding.severity == Severity::Error).count();
    (errors, findings.len() - errors)
}
