//! Components that nothing uses.
//!
//! A component is used when something outside `components` reaches it: through `$ref` (followed
//! transitively, so a schema only an unused schema refers to is unused too), through a
//! discriminator mapping, or, for security schemes, by name in a security requirement.

use std::collections::{HashSet, VecDeque};

use oas_codegen::diagnostics::{escape_token, join, Diagnostic};
use serde_json::Value;

use super::spec_rules::DATA_KEYWORDS;

/// One warning per unused component, at the component.
pub fn check(root: &Value) -> Vec<Diagnostic> {
    let Some(components) = root.get("components").and_then(Value::as_object) else { return Vec::new() };
    let mut used: HashSet<String> = HashSet::new();
    let mut pending: VecDeque<String> = VecDeque::new();
    // Everything outside `components` is a root of use.
    if let Some(object) = root.as_object() {
        for (key, value) in object {
            if key != "components" {
                references(value, &mut pending);
            }
        }
    }
    security_requirements(root, &mut used);
    // Security requirements inside components (in path items or callbacks) count once their
    // holder is used; scanning them all is simpler and only errs towards calling things used.
    security_requirements(&Value::Object(components.clone()), &mut used);
    while let Some(target) = pending.pop_front() {
        let Some(component) = component_of(&target) else { continue };
        if !used.insert(component.clone()) {
            continue;
        }
        if let Some(value) = root.pointer(&component) {
            references(value, &mut pending);
        }
    }
    let mut findings = Vec::new();
    for (section, entries) in components {
        let Some(entries) = entries.as_object() else { continue };
        if section.starts_with("x-") {
            continue;
        }
        let noun = noun(section);
        for name in entries.keys() {
            let pointer = join(&join("/components", section), name);
            if !used.contains(&pointer) {
                findings.push(Diagnostic::warning(&pointer, format!("the {noun} `{name}` is never used")));
            }
        }
    }
    findings
}

/// `/components/schemas/A/properties/b` → `/components/schemas/A`.
fn component_of(pointer: &str) -> Option<String> {
    let mut tokens = pointer.strip_prefix("/components/")?.splitn(3, '/');
    let section = tokens.next()?;
    let name = tokens.next()?;
    Some(format!("/components/{section}/{name}"))
}

/// Pushes the target pointer of every local reference and discriminator mapping in `value`.
fn references(value: &Value, pending: &mut VecDeque<String>) {
    match value {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                if let Ok(target) = oas_codegen::refs::local_pointer(reference) {
                    pending.push_back(target);
                }
            }
            if let Some(mapping) = object.get("discriminator").and_then(|discriminator| discriminator.get("mapping")).and_then(Value::as_object) {
                for target in mapping.values().filter_map(Value::as_str) {
                    match oas_codegen::refs::local_pointer(target) {
                        Ok(pointer) if target.starts_with('#') => pending.push_back(pointer),
                        _ if !target.contains(['/', '.', ':', '#']) => pending.push_back(format!("/components/schemas/{}", escape_token(target))),
                        _ => {}
                    }
                }
            }
            for (key, child) in object {
                if !DATA_KEYWORDS.contains(&key.as_str()) && !key.starts_with("x-") {
                    references(child, pending);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, pending)),
        _ => {}
    }
}

/// Marks every security scheme named in a `security` list as used.
fn security_requirements(value: &Value, used: &mut HashSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                if key == "security" {
                    for requirement in child.as_array().into_iter().flatten().filter_map(Value::as_object) {
                        for name in requirement.keys() {
                            used.insert(format!("/components/securitySchemes/{}", escape_token(name)));
                        }
                    }
                } else if !DATA_KEYWORDS.contains(&key.as_str()) {
                    security_requirements(child, used);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| security_requirements(item, used)),
        _ => {}
    }
}

fn noun(section: &str) -> &str {
    match section {
        "schemas" => "schema",
        "responses" => "response",
        "parameters" => "parameter",
        "examples" => "example",
        "requestBodies" => "request body",
        "headers" => "header",
        "securitySchemes" => "security scheme",
        "links" => "link",
        "callbacks" => "callback",
        "pathItems" => "path item",
        other => other,
    }
}
