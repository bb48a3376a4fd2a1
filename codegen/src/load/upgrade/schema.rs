//! One Schema Object, 3.0 to 3.1.

use serde_json::{Map, Value};

use super::{join, nullable, references, replace_key};
use crate::diagnostics::Diagnostic;
use crate::load::describe;

/// Rewrites the schema at `pointer`, whose subschemas are already rewritten.
pub(super) fn upgrade(schema: &mut Value, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    let Value::Object(object) = schema else { return };
    // Taken first: beside a `$ref` it is not dropped with the other keywords, as the generator
    // has always honoured it there.
    let nullable = object.remove("nullable");
    if object.get("$ref").is_some_and(Value::is_string) {
        references::schema_siblings(object, pointer, warnings);
    }
    example(object, pointer, warnings);
    bound(object, pointer, "minimum", "exclusiveMinimum", warnings);
    bound(object, pointer, "maximum", "exclusiveMaximum", warnings);
    match nullable {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => nullable::admit_null(schema, pointer, warnings),
        Some(other) => warnings
            .push(Diagnostic::warning(join(pointer, "nullable"), format!("`nullable` must be a boolean, found {}; dropped", describe(&other)))),
    }
}

/// 3.1 deprecates the singular `example` of a schema for JSON Schema's `examples`, a list.
fn example(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    let Some(example) = object.get("example").cloned() else { return };
    let examples = match object.remove("examples") {
        None => vec![example],
        Some(Value::Array(mut examples)) => {
            if !examples.contains(&example) {
                examples.insert(0, example);
            }
            examples
        }
        Some(other) => {
            warnings.push(Diagnostic::warning(
                join(pointer, "examples"),
                format!("`examples` of a schema must be a list in 3.1, found {}; replaced by `example`", describe(&other)),
            ));
            vec![example]
        }
    };
    replace_key(object, "example", "examples", Value::Array(examples));
}

/// In 3.0 `exclusiveMinimum` is a flag on `minimum`; in 3.1 it is the bound itself.
fn bound(object: &mut Map<String, Value>, pointer: &str, inclusive: &str, exclusive: &str, warnings: &mut Vec<Diagnostic>) {
    let at = |key: &str| join(pointer, key);
    match object.get(exclusive) {
        None | Some(Value::Number(_)) => {}
        Some(Value::Bool(false)) => {
            object.remove(exclusive);
        }
        Some(Value::Bool(true)) => match object.get(inclusive).cloned() {
            Some(Value::Number(limit)) => {
                object.remove(exclusive);
                replace_key(object, inclusive, exclusive, Value::Number(limit));
            }
            Some(other) => {
                object.remove(exclusive);
                warnings.push(Diagnostic::warning(
                    at(inclusive),
                    format!("`{inclusive}` must be a number, found {}; `{exclusive}: true` beside it is dropped", describe(&other)),
                ));
            }
            None => {
                object.remove(exclusive);
                warnings.push(Diagnostic::warning(at(exclusive), format!("`{exclusive}: true` without `{inclusive}` bounds nothing; dropped")));
            }
        },
        Some(other) => {
            let found = describe(other);
            object.remove(exclusive);
            warnings.push(Diagnostic::warning(at(exclusive), format!("`{exclusive}` must be a boolean in 3.0, found {found}; dropped")));
        }
    }
}
