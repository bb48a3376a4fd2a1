//! Examples of media types, parameters and schemas, resolved through `$ref` once so that the
//! docs (and anything else that shows an example) read them from the model.

use serde_json::Value;

use crate::diagnostics::join;
use crate::ir::{Examples, NamedExample};
use crate::refs;

/// A media type's `example`, or else its `examples` map.
pub(super) fn media_examples(root: &Value, media: &Value, pointer: &str) -> Examples {
    if let Some(example) = media.get("example") {
        return Examples::Single(example.clone());
    }
    let Some(examples) = media.get("examples").and_then(Value::as_object).filter(|examples| !examples.is_empty()) else {
        return Examples::None;
    };
    let examples_pointer = join(pointer, "examples");
    let named = examples
        .iter()
        .filter_map(|(name, example)| {
            let (example, _) = refs::follow(root, example, &join(&examples_pointer, name)).ok()?;
            Some(NamedExample {
                name: name.clone(),
                summary: text(example, "summary"),
                description: text(example, "description"),
                value: example_value(example).cloned(),
                external_value: example.get("externalValue").and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect();
    Examples::Named(named)
}

/// The example a schema carries: `example` (3.0) or the first of `examples` (3.1), looking
/// through a `$ref` to the schema it names.
pub(super) fn schema_example<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    let schema = refs::lookup(root, pointer)?;
    let (schema, _) = refs::follow(root, schema, pointer).ok()?;
    schema.get("example").or_else(|| schema.get("examples").and_then(Value::as_array).and_then(|examples| examples.first()))
}

/// A parameter's example: its `example`, the value of the first of its `examples`, or its
/// schema's example.
pub(super) fn parameter_example(root: &Value, parameter: &Value, pointer: &str, schema_pointer: Option<&str>) -> Option<Value> {
    let example = parameter
        .get("example")
        .or_else(|| {
            let (name, example) = parameter.get("examples")?.as_object()?.iter().next()?;
            let example_pointer = join(&join(pointer, "examples"), name);
            example_value(refs::follow(root, example, &example_pointer).ok()?.0)
        })
        .or_else(|| schema_pointer.and_then(|schema_pointer| schema_example(root, schema_pointer)))?;
    Some(example.clone())
}

/// An Example Object's value: `value`, or OpenAPI 3.2's `dataValue` (the same data, named apart
/// from its serialized form).
fn example_value(example: &Value) -> Option<&Value> {
    example.get("value").or_else(|| example.get("dataValue"))
}

/// A text field, trimmed, or `None` when it is missing or blank.
fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::trim).filter(|text| !text.is_empty()).map(str::to_string)
}
