//! Examples of media types, parameters and schemas, resolved through `$ref` once so that the
//! docs (and anything else that shows an example) read them from the model.
//!
//! Each example value in the document is copied into the model once and shared by every place
//! that shows it: large descriptions keep their examples under `components/examples` and refer to
//! them from many operations (GitHub's media types refer to 2.7 MB of examples, half of it more
//! than once).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::diagnostics::join;
use crate::ir::{Examples, NamedExample};
use crate::refs;

/// The example values copied so far, by where they are in the document (which does not move
/// while it is lowered). Lowerings that run at once on several cores share one (a clone), so
/// no value is copied twice.
#[derive(Default, Clone)]
pub(super) struct SharedExamples(Arc<Mutex<HashMap<usize, Arc<Value>, foldhash::fast::RandomState>>>);

impl SharedExamples {
    /// The model's copy of `value`, a value inside the document being lowered.
    pub(super) fn share(&mut self, value: &Value) -> Arc<Value> {
        let address = std::ptr::from_ref(value) as usize;
        // A panic while the lock is held leaves whole entries only, so a poisoned map is sound.
        let mut shared = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        shared.entry(address).or_insert_with(|| Arc::new(value.clone())).clone()
    }
}

/// A media type's `example`, or else its `examples` map.
pub(super) fn media_examples(root: &Value, media: &Value, pointer: &str, shared: &mut SharedExamples) -> Examples {
    if let Some(example) = media.get("example") {
        return Examples::Single(shared.share(example));
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
                value: example_value(example).map(|value| shared.share(value)),
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
pub(super) fn parameter_example(
    root: &Value,
    parameter: &Value,
    pointer: &str,
    schema_pointer: Option<&str>,
    shared: &mut SharedExamples,
) -> Option<Arc<Value>> {
    let example = parameter
        .get("example")
        .or_else(|| {
            let (name, example) = parameter.get("examples")?.as_object()?.iter().next()?;
            let example_pointer = join(&join(pointer, "examples"), name);
            example_value(refs::follow(root, example, &example_pointer).ok()?.0)
        })
        .or_else(|| schema_pointer.and_then(|schema_pointer| schema_example(root, schema_pointer)))?;
    Some(shared.share(example))
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::ir::Examples;

    #[test]
    fn an_example_referred_to_from_several_places_is_held_once() {
        let document = crate::load::load_str(
            r##"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, schema: {type: string}, examples: {one: {$ref: '#/components/examples/Word'}}}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: string}, examples: {word: {$ref: '#/components/examples/Word'}}}
            text/plain: {schema: {type: string}, examples: {again: {$ref: '#/components/examples/Word'}}}
  /b:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: string}, example: hello}
components:
  examples:
    Word: {summary: A word, value: hello}
"##,
        )
        .unwrap();
        let (model, _) = crate::generate::lower_document(&document, &crate::generate::Options::default());
        let find = |id: &str| model.operations.iter().find(|operation| operation.path == id).unwrap();
        let named: Vec<Arc<serde_json::Value>> = find("/a").responses[0]
            .contents
            .iter()
            .map(|content| match &content.examples {
                Examples::Named(named) => named[0].value.clone().unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(*named[0], serde_json::json!("hello"));
        assert!(Arc::ptr_eq(&named[0], &named[1]), "both media types share the component's value");
        let parameter = find("/a").parameters[0].example.clone().unwrap();
        assert!(Arc::ptr_eq(&named[0], &parameter), "and so does the parameter");
        let Examples::Single(inline) = &find("/b").responses[0].contents[0].examples else { panic!("an inline example") };
        assert_eq!(**inline, serde_json::json!("hello"));
        assert!(!Arc::ptr_eq(&named[0], inline), "an equal value elsewhere is its own");
    }
}
