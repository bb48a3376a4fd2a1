//! Names that collide once they are Rust identifiers.
//!
//! Generation keeps going by numbering the later name (`FooBar2`), which compiles but leaves the
//! API with a name nobody chose; lint says so where the later name is written. The conversions
//! are the generator's own (`oas_codegen::naming`), applied as lowering applies them: component
//! schemas to type names, the properties of one object to field names, operationIds to method
//! names.

use std::collections::HashMap;

use oas_codegen::diagnostics::{join, Diagnostic};
use oas_codegen::naming;
use serde_json::Value;

use crate::schema_walk::schema_sites;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The field name generated structs use for undeclared properties, which a property must not take.
const ADDITIONAL_FIELD: &str = "additional_properties";

pub fn check(root: &Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    if let Some(schemas) = root.pointer("/components/schemas").and_then(Value::as_object) {
        let mut taken: HashMap<String, &str> = HashMap::new();
        for name in schemas.keys() {
            let rust = naming::type_name(name, "Unnamed");
            match taken.get(&rust) {
                Some(first) => findings.push(Diagnostic::warning(
                    join("/components/schemas", name),
                    format!(
                        "the schemas `{first}` and `{name}` both become the Rust type `{rust}`; the generated code gives this one a numbered name"
                    ),
                )),
                None => {
                    taken.insert(rust, name);
                }
            }
        }
    }
    for site in schema_sites(root) {
        let Some(properties) = root.pointer(&join(&site, "properties")).and_then(Value::as_object) else { continue };
        let mut taken: HashMap<String, &str> = HashMap::new();
        for name in properties.keys() {
            let rust = naming::field_name(name, "field");
            let pointer = join(&join(&site, "properties"), name);
            if rust == ADDITIONAL_FIELD {
                findings.push(Diagnostic::warning(
                    pointer,
                    format!("the property `{name}` becomes the Rust field `{rust}`, which holds undeclared properties in generated structs; it gets a numbered name"),
                ));
                continue;
            }
            match taken.get(&rust) {
                Some(first) => findings.push(Diagnostic::warning(
                    pointer,
                    format!("the properties `{first}` and `{name}` both become the Rust field `{rust}`; the generated code gives this one a numbered name"),
                )),
                None => {
                    taken.insert(rust, name);
                }
            }
        }
    }
    let mut taken: HashMap<String, String> = HashMap::new();
    for section in ["paths", "webhooks"] {
        let Some(items) = root.get(section).and_then(Value::as_object) else { continue };
        for (key, item) in items {
            let item_pointer = join(&format!("/{section}"), key);
            let Ok((item, resolved)) = oas_codegen::refs::follow(root, item, &item_pointer) else { continue };
            for method in METHODS {
                let Some(id) = item.get(*method).and_then(|operation| operation.get("operationId")).and_then(Value::as_str) else { continue };
                let rust = naming::field_name(id, "operation");
                match taken.get(&rust) {
                    // The same operationId twice is a specification error, reported elsewhere.
                    Some(first) if first != id => findings.push(Diagnostic::warning(
                        join(&join(&resolved, method), "operationId"),
                        format!("the operationIds `{first}` and `{id}` both become the Rust method `{rust}`; the generated code gives this one a numbered name"),
                    )),
                    Some(_) => {}
                    None => {
                        taken.insert(rust, id.to_string());
                    }
                }
            }
        }
    }
    findings
}
