//! Building a value that a schema accepts, or proving that none exists.
//!
//! A schema is read as the list of its parts (itself, the members of its `allOf`s, the targets of
//! its `$ref`s), whose constraints all hold at once. `oneOf` and `anyOf` are tried branch by branch
//! in document order. Only what is required is built: required properties, `minItems` items, so
//! recursive schemas end wherever the document lets them end.
//!
//! Two kinds of failure are kept apart, because lint reports the first and not the second:
//! [`Failure::Impossible`] when the constraints contradict each other (`type: string` with
//! `enum: [1]`, `minimum` above `maximum`, a required property that `additionalProperties: false`
//! forbids, an `allOf` of two types), and [`Failure::Unsupported`] when a value may well exist but
//! this builder cannot find one (a pattern too complex to read, say). Every value built is checked
//! with the same validator the server uses before it is handed out.
//!
//! Two tools use it, which is why it stands apart from both: the mock builds the bodies it
//! answers with (with a [`Checker`], so that examples are preferred and values validated), and
//! lint asks of every schema whether any value exists (without one). This file holds the entry
//! points and the walk over a schema's parts; what each part allows before building is in
//! `allowed`, `oneOf`/`anyOf` in `choice`, and each JSON type's values in `numbers`, `strings`
//! (with `pattern` for regular expressions), `arrays` and `objects`.

mod allowed;
mod arrays;
mod choice;
mod numbers;
mod objects;
mod pattern;
mod strings;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use oas_codegen::diagnostics::join;
use serde_json::{Map, Value};

use allowed::inferred_types;

use crate::checker::{describe, Checker};

/// How often one `$ref` target may be open at once while building; deeper means every value
/// would be infinite along this path.
const RECURSION_LIMIT: usize = 2;

/// The most nested values built for one instance.
const DEPTH_LIMIT: usize = 64;

/// The most schema evaluations spent on one instance, so that a document with many nested
/// `oneOf`s cannot make building exponential.
const STEP_LIMIT: usize = 20_000;

/// Why no value was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No value can satisfy the schema at `pointer`.
    Impossible {
        /// Where the contradiction is written.
        pointer: String,
        /// What contradicts what.
        reason: String,
    },
    /// A value may exist, but none was found.
    Unsupported {
        /// The schema where building stopped.
        pointer: String,
        /// What stood in the way.
        reason: String,
    },
}

impl Failure {
    /// The pointer of the schema the failure is about.
    pub fn pointer(&self) -> &str {
        match self {
            Failure::Impossible { pointer, .. } | Failure::Unsupported { pointer, .. } => pointer,
        }
    }

    /// Why, in a sentence.
    pub fn reason(&self) -> &str {
        match self {
            Failure::Impossible { reason, .. } | Failure::Unsupported { reason, .. } => reason,
        }
    }

    fn impossible(pointer: &str, reason: impl Into<String>) -> Failure {
        Failure::Impossible { pointer: pointer.to_string(), reason: reason.into() }
    }

    fn unsupported(pointer: &str, reason: impl Into<String>) -> Failure {
        Failure::Unsupported { pointer: pointer.to_string(), reason: reason.into() }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Impossible { pointer, reason } => write!(f, "no value can match the schema at {pointer}: {reason}"),
            Failure::Unsupported { pointer, reason } => write!(f, "no value could be built for the schema at {pointer}: {reason}"),
        }
    }
}

/// One schema whose constraints hold together with the others of its list.
#[derive(Clone)]
struct Part<'a> {
    schema: &'a Value,
    pointer: String,
    /// Whether this part's `oneOf` / `anyOf` has already been decided.
    chose_one_of: bool,
    chose_any_of: bool,
}

impl<'a> Part<'a> {
    fn get(&self, keyword: &str) -> Option<&'a Value> {
        self.schema.as_object().and_then(|object| object.get(keyword))
    }

    fn number(&self, keyword: &str) -> Option<f64> {
        self.get(keyword).and_then(Value::as_f64)
    }

    fn count(&self, keyword: &str) -> Option<usize> {
        self.get(keyword).and_then(Value::as_u64).map(|n| n.min(usize::MAX as u64) as usize)
    }
}

/// Builds values for the schemas of one document.
pub struct Synthesizer<'a> {
    root: &'a Value,
    openapi_3_0: bool,
    /// With a checker: prefer the document's examples where they fit, settle `oneOf`s so that
    /// exactly one alternative matches, and validate what is built (the mock). Without one: only
    /// ask whether a value exists (lint, over every schema of a document).
    checker: Option<&'a Checker<'a>>,
    use_examples: Cell<bool>,
    /// The `$ref` targets open on the way to the value being built.
    open: RefCell<Vec<String>>,
    steps: Cell<usize>,
    /// Build more than required (an item in every array, every optional property), to tell
    /// apart `oneOf` alternatives that the smallest values all match (`[]`, `{}`).
    rich: Cell<bool>,
    /// Compiled patterns (`None` for those the engine refuses); a pattern in a shared component
    /// is met again from every schema that uses it.
    regexes: RefCell<HashMap<String, Option<Rc<fancy_regex::Regex>>>>,
}

impl<'a> Synthesizer<'a> {
    /// A builder for the schemas of the document `root`, with 3.0's rules when `openapi_3_0`.
    /// With a `checker` (the mock) it prefers the document's examples, settles `oneOf`s so that
    /// exactly one alternative matches and validates what it builds; without one (lint) it only
    /// asks whether a value exists.
    pub fn new(root: &'a Value, openapi_3_0: bool, checker: Option<&'a Checker<'a>>) -> Synthesizer<'a> {
        Synthesizer {
            root,
            openapi_3_0,
            checker,
            use_examples: Cell::new(checker.is_some()),
            open: RefCell::new(Vec::new()),
            steps: Cell::new(0),
            rich: Cell::new(false),
            regexes: RefCell::default(),
        }
    }

    /// A value valid against the schema at `pointer`.
    pub fn instance(&self, pointer: &str) -> Result<Value, Failure> {
        let schema = self.root.pointer(pointer).ok_or_else(|| Failure::unsupported(pointer, "there is no schema here"))?;
        let wanted_examples = self.use_examples.get();
        let attempt = |examples: bool| -> Result<Value, Failure> {
            self.use_examples.set(examples);
            self.steps.set(0);
            self.open.borrow_mut().clear();
            let value = self.value_of(schema, pointer, 0)?;
            let Some(checker) = self.checker else { return Ok(value) };
            match checker.violations(pointer, &value) {
                Some(violations) if !violations.is_empty() => {
                    Err(Failure::unsupported(pointer, format!("the value built, {value}, does not validate: {}", describe(&violations))))
                }
                _ => Ok(value),
            }
        };
        let result = match attempt(wanted_examples) {
            Err(Failure::Unsupported { .. }) if wanted_examples => attempt(false),
            other => other,
        };
        self.use_examples.set(wanted_examples);
        result
    }

    /// A value valid against the schema at `pointer` that also has every optional property and
    /// an item in every array where the schema allows them, so that a test holding a type to its
    /// schema reaches the optional fields too; properties that cannot be built are left out.
    pub fn rich_instance(&self, pointer: &str) -> Result<Value, Failure> {
        let was_rich = self.rich.replace(true);
        let result = self.instance(pointer);
        self.rich.set(was_rich);
        result
    }

    fn value_of(&self, schema: &'a Value, pointer: &str, depth: usize) -> Result<Value, Failure> {
        let mut parts = Vec::new();
        let opened = self.gather(schema, pointer, &mut parts)?;
        let result = self.build(parts, pointer, depth);
        self.close(opened);
        result
    }

    /// Adds `schema` and what it brings in through `allOf` and `$ref` to `parts`; returns how
    /// many `$ref` targets it opened (closed again by the caller once the value is built).
    fn gather(&self, schema: &'a Value, pointer: &str, parts: &mut Vec<Part<'a>>) -> Result<usize, Failure> {
        let mut opened = 0;
        let Some(object) = schema.as_object() else {
            parts.push(Part { schema, pointer: pointer.to_string(), chose_one_of: false, chose_any_of: false });
            return Ok(0);
        };
        let mut siblings_apply = true;
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            // OpenAPI 3.0 ignores everything beside a `$ref`; 3.1 applies both.
            siblings_apply = !self.openapi_3_0;
            // An unresolvable or external reference accepts anything, as in the validators.
            if let Some((target, target_pointer)) = self.resolve(reference) {
                let already = self.open.borrow().iter().filter(|open| **open == target_pointer).count();
                if already >= RECURSION_LIMIT {
                    return Err(Failure::impossible(
                        &target_pointer,
                        "every value would be infinite: the schema requires a value of itself, through required properties or items, on every path",
                    ));
                }
                self.open.borrow_mut().push(target_pointer.clone());
                opened += 1;
                match self.gather(target, &target_pointer, parts) {
                    Ok(more) => opened += more,
                    Err(failure) => {
                        self.close(opened);
                        return Err(failure);
                    }
                }
            }
        }
        if siblings_apply {
            parts.push(Part { schema, pointer: pointer.to_string(), chose_one_of: false, chose_any_of: false });
            if let Some(Value::Array(members)) = object.get("allOf") {
                for (index, member) in members.iter().enumerate() {
                    match self.gather(member, &join(&join(pointer, "allOf"), &index.to_string()), parts) {
                        Ok(more) => opened += more,
                        Err(failure) => {
                            self.close(opened);
                            return Err(failure);
                        }
                    }
                }
            }
        }
        Ok(opened)
    }

    fn resolve(&self, reference: &str) -> Option<(&'a Value, String)> {
        let target = oas_codegen::refs::local_pointer(reference).ok()?;
        self.root.pointer(&target).map(|value| (value, target))
    }

    fn regex(&self, pattern: &str) -> Option<Rc<fancy_regex::Regex>> {
        self.regexes.borrow_mut().entry(pattern.to_string()).or_insert_with(|| fancy_regex::Regex::new(pattern).ok().map(Rc::new)).clone()
    }

    fn step(&self, pointer: &str, depth: usize) -> Result<(), Failure> {
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > STEP_LIMIT || depth > DEPTH_LIMIT {
            return Err(Failure::unsupported(pointer, "the schema is too deeply nested or has too many alternatives to build a value for"));
        }
        Ok(())
    }

    fn build(&self, parts: Vec<Part<'a>>, pointer: &str, depth: usize) -> Result<Value, Failure> {
        self.step(pointer, depth)?;
        if let Some(part) = parts.iter().find(|part| part.schema == &Value::Bool(false)) {
            return Err(Failure::impossible(&part.pointer, "the schema is `false`, which no value satisfies"));
        }
        if let Some(index) = parts.iter().position(|part| !part.chose_one_of && part.get("oneOf").is_some_and(Value::is_array)) {
            return self.choose(parts, index, "oneOf", depth);
        }
        if let Some(index) = parts.iter().position(|part| !part.chose_any_of && part.get("anyOf").is_some_and(Value::is_array)) {
            return self.choose(parts, index, "anyOf", depth);
        }
        if self.use_examples.get() {
            if let Some(example) = self.fitting_example(&parts) {
                return Ok(example);
            }
        }
        let types = self.types(&parts, pointer)?;
        if let Some(candidates) = self.enumerated(&parts)? {
            let mut first_reason = None;
            for candidate in &candidates {
                match self.fits(candidate, &parts, types.as_deref()) {
                    Ok(()) => return Ok(candidate.clone()),
                    Err(reason) => {
                        first_reason.get_or_insert(reason);
                    }
                }
            }
            let owner = parts.iter().find(|part| part.get("enum").is_some() || part.get("const").is_some()).map(|part| part.pointer.clone());
            let listed = candidates.iter().map(Value::to_string).collect::<Vec<_>>().join(", ");
            return Err(Failure::impossible(
                owner.as_deref().unwrap_or(pointer),
                format!("none of the allowed values ({listed}) meets the other constraints: {}", first_reason.unwrap_or_default()),
            ));
        }
        let candidates = match &types {
            Some(types) => types.clone(),
            None => inferred_types(&parts),
        };
        let mut first_failure = None;
        for kind in &candidates {
            match self.build_type(kind, &parts, pointer, depth) {
                Ok(value) => return Ok(value),
                Err(failure) => {
                    first_failure.get_or_insert(failure);
                }
            }
        }
        match first_failure {
            Some(failure) => Err(failure),
            // No type was declared or suggested: anything goes.
            None => Ok(Value::Object(Map::new())),
        }
    }

    /// The largest lower and smallest upper bound of a pair of count keywords.
    fn lengths(&self, parts: &[Part<'a>], min: &str, max: &str) -> (usize, Option<usize>) {
        let low = parts.iter().filter_map(|part| part.count(min)).max().unwrap_or(0);
        let high = parts.iter().filter_map(|part| part.count(max)).min();
        (low, high)
    }

    fn build_type(&self, kind: &str, parts: &[Part<'a>], pointer: &str, depth: usize) -> Result<Value, Failure> {
        match kind {
            "null" => Ok(Value::Null),
            "boolean" => Ok(Value::Bool(true)),
            "integer" | "number" => self.number(kind == "integer", parts, pointer),
            "string" => self.string(parts, pointer),
            "array" => self.array(parts, pointer, depth),
            "object" => self.object(parts, pointer, depth),
            // Structural validation reports the unknown type; here it is only not built.
            other => Err(Failure::unsupported(pointer, format!("`{other}` is not a JSON Schema type"))),
        }
    }

    /// Closes the last `opened` `$ref` targets.
    fn close(&self, opened: usize) {
        let mut open = self.open.borrow_mut();
        let keep = open.len().saturating_sub(opened);
        open.truncate(keep);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn build(openapi_3_0: bool, schema: Value) -> Result<Value, Failure> {
        let root = json!({"components": {"schemas": {"S": schema}}});
        let checker = Checker::for_root(&root);
        Synthesizer::new(&root, openapi_3_0, Some(&checker)).instance("/components/schemas/S")
    }

    #[test]
    fn values_meet_bounds_formats_and_lengths() {
        for (openapi_3_0, schema, expected) in [
            (false, json!({"type": "integer", "minimum": 7, "multipleOf": 5}), json!(10)),
            (false, json!({"type": "number", "exclusiveMinimum": 1, "exclusiveMaximum": 2}), json!(1.5)),
            (true, json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}), json!(2)),
            (false, json!({"type": "integer", "maximum": -3}), json!(-3)),
            (false, json!({"type": "string", "format": "uuid"}), json!("00000000-0000-4000-8000-000000000000")),
            (false, json!({"type": "string", "minLength": 3, "maxLength": 3}), json!("str")),
            (false, json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string"}}), json!(["string", "string1"])),
            (false, json!({"type": ["null", "boolean"]}), json!(null)),
            (true, json!({"type": "string", "nullable": true, "enum": ["a"], "example": "a"}), json!("a")),
            (false, json!({"allOf": [{"required": ["a"]}, {"properties": {"a": {"const": 3}}}]}), json!({"a": 3})),
        ] {
            assert_eq!(build(openapi_3_0, schema.clone()), Ok(expected), "{schema}");
        }
    }

    #[test]
    fn rich_values_have_the_optional_properties_and_items() {
        let root = json!({"components": {"schemas": {
            "S": {"type": "object", "required": ["a"], "properties": {
                "a": {"type": "string"},
                "b": {"type": "array", "items": {"$ref": "#/components/schemas/T"}},
                "c": {"type": "integer", "maximum": 0}
            }},
            "T": {"type": "object", "properties": {"d": {"type": "boolean"}}}
        }}});
        let checker = Checker::for_root(&root);
        let synthesizer = Synthesizer::new(&root, false, Some(&checker));
        assert_eq!(synthesizer.rich_instance("/components/schemas/S"), Ok(json!({"a": "string", "b": [{"d": true}], "c": 0})));
        // Asking for a rich value leaves the next plain one as small as before.
        assert_eq!(synthesizer.instance("/components/schemas/S"), Ok(json!({"a": "string"})));
    }

    #[test]
    fn recursion_ends_where_the_document_allows() {
        let node = json!({"type": "object", "required": ["next"], "properties": {"next": {"anyOf": [{"$ref": "#/components/schemas/S"}, {"type": "null"}]}}});
        let value = build(false, node).expect("null ends the chain");
        assert_eq!(value, json!({"next": {"next": {"next": null}}}));
        let endless = json!({"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/S"}}});
        assert!(matches!(build(false, endless), Err(Failure::Impossible { pointer, .. }) if pointer == "/components/schemas/S"));
    }

    #[test]
    fn one_of_alternatives_that_overlap_are_told_apart() {
        let schema = json!({"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"b": {"type": "string"}}}
        ]});
        let value = build(false, schema).expect("an object only the first alternative accepts");
        assert!(value.get("b").is_some_and(|b| !b.is_string()), "{value}");
    }

    #[test]
    fn contradictions_are_told_apart_from_limits() {
        assert!(matches!(build(false, json!({"type": "integer", "multipleOf": 10, "minimum": 1, "maximum": 9})), Err(Failure::Impossible { .. })));
        assert!(matches!(build(false, json!({"type": "string", "pattern": "^(?=a)a$"})), Err(Failure::Unsupported { .. })));
    }
}
