//! Finding every Schema Object of a document, where it is written.
//!
//! Schemas sit under `components/schemas` and in every `schema` field (parameters, headers, media
//! types), and each holds subschemas under the applicator keywords. Example and default values
//! are data, never schemas, so they are not entered.

use oas_codegen::diagnostics::join;
use serde_json::Value;

/// Keywords whose value maps names to subschemas.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
/// Keywords whose value is one subschema.
const SCHEMA_SINGLE: &[&str] = &[
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
];
/// Keywords whose value is a list of subschemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keys under which a document holds data rather than structure.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const", "value"];

/// The pointer of every Schema Object of the document, subschemas included, in document order.
pub fn schema_sites(root: &Value) -> Vec<String> {
    let mut sites = Vec::new();
    walk_document(root, "", &mut sites);
    sites
}

fn walk_document(node: &Value, pointer: &str, sites: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                if DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                let child = join(pointer, key);
                if key == "schema" {
                    walk_schema(value, &child, sites);
                } else if pointer == "/components" && key == "schemas" {
                    if let Value::Object(schemas) = value {
                        for (name, schema) in schemas {
                            walk_schema(schema, &join(&child, name), sites);
                        }
                    }
                } else {
                    walk_document(value, &child, sites);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk_document(item, &join(pointer, &index.to_string()), sites);
            }
        }
        _ => {}
    }
}

/// Pushes `schema` and all of its subschemas.
pub fn walk_schema(schema: &Value, pointer: &str, sites: &mut Vec<String>) {
    let Some(object) = schema.as_object() else {
        if schema.is_boolean() {
            sites.push(pointer.to_string());
        }
        return;
    };
    sites.push(pointer.to_string());
    // In document order, so findings come out in the order a reader meets them.
    for (keyword, value) in object {
        let keyword = keyword.as_str();
        let here = join(pointer, keyword);
        if SCHEMA_MAPS.contains(&keyword) {
            if let Value::Object(map) = value {
                for (name, sub) in map {
                    walk_schema(sub, &join(&here, name), sites);
                }
            }
        } else if SCHEMA_SINGLE.contains(&keyword) {
            match value {
                // Draft 4 tuple `items`.
                Value::Array(list) => {
                    for (index, sub) in list.iter().enumerate() {
                        walk_schema(sub, &join(&here, &index.to_string()), sites);
                    }
                }
                _ => walk_schema(value, &here, sites),
            }
        } else if SCHEMA_LISTS.contains(&keyword) {
            if let Value::Array(list) = value {
                for (index, sub) in list.iter().enumerate() {
                    walk_schema(sub, &join(&here, &index.to_string()), sites);
                }
            }
        }
    }
}
