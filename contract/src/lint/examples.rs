//! Examples and defaults that their own schemas reject, and defaults outside their `enum`.
//!
//! A default that does not fit is an error (both specifications say it MUST conform); an example
//! that does not fit is a warning (they say it SHOULD). Values are checked with the validators
//! the generated server and the mock use, so 3.0 schemas get 3.0 semantics.

use oas_codegen::diagnostics::{join, Diagnostic};
use serde_json::Value;

use super::spec_rules::DATA_KEYWORDS;
use crate::checker::{describe, quote, Checker};
use crate::schema_walk::schema_sites;

pub fn check(root: &Value, checker: &Checker<'_>) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for site in schema_sites(root) {
        let Some(schema) = root.pointer(&site).and_then(Value::as_object) else { continue };
        if let Some(default) = schema.get("default") {
            let pointer = join(&site, "default");
            match schema.get("enum").and_then(Value::as_array) {
                Some(values) if !(values.contains(default) || default.is_null() && schema.get("nullable") == Some(&Value::Bool(true))) => {
                    let listed = values.iter().map(Value::to_string).collect::<Vec<_>>().join(", ");
                    findings.push(Diagnostic::error(pointer, format!("the default {default} is not one of the enum values ({listed})")));
                }
                _ => {
                    if let Some(violations) = checker.violations(&site, default).filter(|violations| !violations.is_empty()) {
                        findings.push(Diagnostic::error(
                            pointer,
                            format!("the default {} does not match its schema: {}", quote(default), describe(&violations)),
                        ));
                    }
                }
            }
        }
        if let Some(example) = schema.get("example") {
            example_finding(checker, &site, example, join(&site, "example"), &mut findings);
        }
        if let Some(Value::Array(examples)) = schema.get("examples") {
            for (index, example) in examples.iter().enumerate() {
                example_finding(checker, &site, example, join(&join(&site, "examples"), &index.to_string()), &mut findings);
            }
        }
    }
    holders(root, root, "", checker, &mut findings);
    findings
}

/// Media types, parameters and headers: `example` and `examples` beside a `schema`.
fn holders(root: &Value, node: &Value, pointer: &str, checker: &Checker<'_>, findings: &mut Vec<Diagnostic>) {
    match node {
        Value::Object(object) => {
            if object.contains_key("schema") {
                let schema = join(pointer, "schema");
                if let Some(example) = object.get("example") {
                    example_finding(checker, &schema, example, join(pointer, "example"), findings);
                }
                if let Some(Value::Object(examples)) = object.get("examples") {
                    for (name, entry) in examples {
                        let entry_pointer = join(&join(pointer, "examples"), name);
                        let Ok((entry, _)) = oas_codegen::refs::follow(root, entry, &entry_pointer) else { continue };
                        if let Some(value) = entry.get("value") {
                            example_finding(checker, &schema, value, join(&entry_pointer, "value"), findings);
                        }
                    }
                }
            }
            for (key, child) in object {
                let skip = DATA_KEYWORDS.contains(&key.as_str())
                    || key.starts_with("x-")
                    || key == "schema"
                    || (key == "examples" && object.contains_key("schema"))
                    || (pointer == "/components" && key == "schemas");
                if !skip {
                    holders(root, child, &join(pointer, key), checker, findings);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                holders(root, item, &join(pointer, &index.to_string()), checker, findings);
            }
        }
        _ => {}
    }
}

fn example_finding(checker: &Checker<'_>, schema: &str, example: &Value, pointer: String, findings: &mut Vec<Diagnostic>) {
    if let Some(violations) = checker.violations(schema, example).filter(|violations| !violations.is_empty()) {
        findings.push(Diagnostic::warning(pointer, format!("the example does not match its schema: {}", describe(&violations))));
    }
}
