//! Request (and optionally response) validation with the `jsonschema` crate.
//!
//! Each schema the server checks is bundled into a standalone JSON Schema document: the schema
//! itself plus every schema it reaches through `$ref`, under `$defs`, with references rewritten to
//! point there. A validator then never needs the whole OpenAPI document (GitHub's is 13 MB) or the
//! network. OpenAPI 3.0's keywords (`nullable`, boolean exclusive bounds) are turned into JSON
//! Schema 2020-12's, in 3.1 documents too: many are written with 3.0's habits, their generated
//! types read those keywords as 3.0 does, and a keyword the 2020-12 meta-schema refuses would
//! otherwise leave the whole schema unchecked. So are two other slips of real documents: a
//! `required` list naming a property twice, and 2019-09's `$recursiveRef` (read as a reference
//! to the component schema it is in); annotations, which never decide validity, are left out.
//!
//! Validators are compiled when first used, not at start-up: in a document like Stripe's, where
//! nearly every schema reaches nearly every other, compiling all 2,508 took 31 s and each
//! bundle holds most of the document.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::params::{Location, Violation};

/// The most steps a backtracking pattern may take; past it the value counts as not matching.
const BACKTRACK_LIMIT: usize = 100_000;

/// Validators by the JSON pointer of their schema in the document, each compiled on first use.
pub struct Validators {
    document: Value,
    slots: HashMap<String, OnceLock<Option<jsonschema::Validator>>>,
}

impl Validators {
    /// Validators for every pointer, none compiled yet.
    pub fn new(document: Value, pointers: &[&str]) -> Validators {
        let slots = pointers.iter().map(|pointer| (pointer.to_string(), OnceLock::new())).collect();
        Validators { document, slots }
    }

    /// Validators for every pointer, all compiled now.
    pub fn compile(document: &Value, pointers: &[&str]) -> Validators {
        let validators = Validators::new(document.clone(), pointers);
        validators.compile_all();
        validators
    }

    /// Compiles every validator not compiled yet.
    pub fn compile_all(&self) {
        for pointer in self.slots.keys() {
            self.get(pointer);
        }
    }

    /// The validator for `pointer`, compiled if this is its first use; `None` when there is no
    /// such pointer or its schema cannot be compiled. Such a schema is left unchecked with a
    /// warning in the log, once, so one odd schema never stops a server from answering.
    fn get(&self, pointer: &str) -> Option<&jsonschema::Validator> {
        self.slots.get(pointer)?.get_or_init(|| self.build(pointer)).as_ref()
    }

    fn build(&self, pointer: &str) -> Option<jsonschema::Validator> {
        let Some(bundle) = bundle(&self.document, pointer) else {
            tracing::warn!(pointer, "schema not found in the document; values at this place are not validated");
            return None;
        };
        let options = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_pattern_options(jsonschema::PatternOptions::fancy_regex().backtrack_limit(BACKTRACK_LIMIT));
        match options.build(&bundle) {
            Ok(validator) => Some(validator),
            Err(error) => {
                tracing::warn!(pointer, %error, "schema cannot be compiled; values at this place are not validated");
                None
            }
        }
    }

    /// Every violation of the schema at `pointer` by `instance`, with pointers prefixed by
    /// `prefix` (the parameter name, or empty for a body).
    pub fn check(&self, pointer: &str, instance: &Value, location: Location, prefix: &str) -> Vec<Violation> {
        let Some(validator) = self.get(pointer) else { return Vec::new() };
        // `is_valid` stops at the first failure and builds no errors, so the common case of a
        // valid value costs far less than walking `iter_errors` to its end.
        if validator.is_valid(instance) {
            return Vec::new();
        }
        // A schema that narrows another through `allOf` repeats the other's constraints, so one
        // wrong value can fail the same way along several paths; the client is told once.
        let mut seen = std::collections::HashSet::new();
        validator
            .iter_errors(instance)
            .map(|error| Violation { location, pointer: format!("{prefix}{}", error.instance_path()), message: error.to_string() })
            .filter(|violation| seen.insert((violation.pointer.clone(), violation.message.clone())))
            .take(100)
            .collect()
    }

    /// Whether `instance` passes the schema at `pointer` (true when there is none), without
    /// building any error.
    pub fn is_valid(&self, pointer: &str, instance: &Value) -> bool {
        self.get(pointer).is_none_or(|validator| validator.is_valid(instance))
    }

    /// Whether `pointer` has a usable validator (compiling it if need be).
    pub fn contains(&self, pointer: &str) -> bool {
        self.get(pointer).is_some()
    }

    /// How many validators have been compiled (or found not to compile) so far.
    pub fn compiled(&self) -> usize {
        self.slots.values().filter(|slot| slot.get().is_some()).count()
    }

    /// How many pointers have validators, compiled or not yet.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no pointer has a validator.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

/// The schema at `pointer` as a standalone JSON Schema document.
pub fn bundle(document: &Value, pointer: &str) -> Option<Value> {
    let root = document.pointer(pointer)?;
    let mut definitions: BTreeMap<String, Value> = BTreeMap::new();
    let mut pending: Vec<String> = Vec::new();
    let root = rewrite(root, component_of(pointer), &mut pending);
    while let Some(target) = pending.pop() {
        let key = definition_key(&target);
        if definitions.contains_key(&key) {
            continue;
        }
        // A dangling reference becomes a schema that accepts anything, as the generator did.
        let schema = match document.pointer(&target) {
            Some(schema) => rewrite(schema, component_of(&target), &mut pending),
            None => Value::Bool(true),
        };
        definitions.insert(key, schema);
    }
    if definitions.is_empty() {
        return Some(root);
    }
    let definitions: Map<String, Value> = definitions.into_iter().collect();
    Some(match root {
        Value::Object(mut object) => {
            let own = object.remove("$defs");
            let mut all = definitions;
            if let Some(Value::Object(own)) = own {
                all.extend(own);
            }
            object.insert("$defs".into(), Value::Object(all));
            Value::Object(object)
        }
        // `true`/`false` cannot hold `$defs`; wrap it.
        other => serde_json::json!({ "allOf": [other], "$defs": definitions }),
    })
}

/// The pointer of the component schema `pointer` is in, if it is in one.
fn component_of(pointer: &str) -> Option<&str> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    Some(&pointer[..pointer.len() - rest.len() + rest.find('/').unwrap_or(rest.len())])
}

fn definition_key(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace("~1", ".").replace('~', "_").replace('/', "__")
}

/// A copy of `schema` with local references pointing into `$defs`, 3.0 keywords turned into
/// 2020-12 ones, and patterns no engine can compile removed. Every reference target found is
/// pushed to `pending`. `component` is the component schema `schema` is in, which a
/// `$recursiveRef` means.
fn rewrite(schema: &Value, component: Option<&str>, pending: &mut Vec<String>) -> Value {
    match schema {
        Value::Object(object) => {
            let mut out = Map::with_capacity(object.len());
            for (key, value) in object {
                match key.as_str() {
                    "$ref" => {
                        // External references cannot be followed offline; they accept anything.
                        if let Some(target) = value.as_str().and_then(local_pointer) {
                            out.insert("$ref".into(), Value::String(format!("#/$defs/{}", definition_key(&target))));
                            pending.push(target);
                        }
                    }
                    "$recursiveRef" => {
                        if let Some(component) = component {
                            out.insert("$ref".into(), Value::String(format!("#/$defs/{}", definition_key(component))));
                            pending.push(component.to_string());
                        }
                    }
                    "$recursiveAnchor" => {}
                    "required" => {
                        let mut seen = std::collections::HashSet::new();
                        let names = value.as_array().map(|names| names.iter().filter(|name| seen.insert(name.as_str())).cloned().collect());
                        out.insert(key.clone(), names.map(Value::Array).unwrap_or_else(|| value.clone()));
                    }
                    "pattern" => {
                        if let Some(pattern) = value.as_str() {
                            if fancy_regex::Regex::new(pattern).is_ok() {
                                out.insert(key.clone(), value.clone());
                            }
                        }
                    }
                    // Keywords whose values are schemas or maps/lists of schemas are rewritten;
                    // everything else (enum values, examples, defaults) is data and kept as is.
                    "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                        let map = value
                            .as_object()
                            .map(|map| map.iter().map(|(name, schema)| (name.clone(), rewrite(schema, component, pending))).collect::<Map<_, _>>());
                        out.insert(key.clone(), map.map(Value::Object).unwrap_or_else(|| value.clone()));
                    }
                    "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                        let list = value.as_array().map(|list| list.iter().map(|schema| rewrite(schema, component, pending)).collect::<Vec<_>>());
                        out.insert(key.clone(), list.map(Value::Array).unwrap_or_else(|| value.clone()));
                    }
                    "items" if value.is_array() => {
                        // Draft 4 tuple form, found in some 3.0 documents.
                        let list = value.as_array().map(|list| list.iter().map(|schema| rewrite(schema, component, pending)).collect::<Vec<_>>());
                        out.insert("prefixItems".into(), Value::Array(list.unwrap_or_default()));
                    }
                    "items"
                    | "additionalProperties"
                    | "not"
                    | "contains"
                    | "propertyNames"
                    | "if"
                    | "then"
                    | "else"
                    | "unevaluatedItems"
                    | "unevaluatedProperties"
                    | "additionalItems" => {
                        out.insert(key.clone(), rewrite(value, component, pending));
                    }
                    // Annotations never decide validity; a malformed one (a `description` given as
                    // a reference object) would only make the meta-schema refuse the whole schema.
                    "example" | "examples" | "discriminator" | "xml" | "externalDocs" | "description" | "title" | "$comment" | "deprecated"
                    | "readOnly" | "writeOnly" => {}
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            convert_3_0(&mut out);
            // File contents arrive as bytes, not as JSON text; their type is the media type's
            // business, not the schema's.
            if out.get("format").and_then(Value::as_str) == Some("binary") {
                for keyword in ["type", "minLength", "maxLength", "pattern"] {
                    out.remove(keyword);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// OpenAPI 3.0's keywords to JSON Schema 2020-12's. Neither a boolean exclusive bound nor
/// `nullable` means anything else in 2020-12, so this is safe in a 3.1 document too.
fn convert_3_0(schema: &mut Map<String, Value>) {
    for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match schema.get(flag) {
            Some(Value::Bool(true)) => {
                if let Some(value) = schema.remove(bound) {
                    schema.insert(flag.into(), value);
                } else {
                    schema.remove(flag);
                }
            }
            Some(Value::Bool(false)) => {
                schema.remove(flag);
            }
            _ => {}
        }
    }
    if schema.remove("nullable") != Some(Value::Bool(true)) {
        return;
    }
    match schema.get_mut("type") {
        Some(Value::String(kind)) => {
            let kind = kind.clone();
            schema.insert("type".into(), Value::Array(vec![Value::String(kind), Value::String("null".into())]));
        }
        Some(Value::Array(kinds)) if !kinds.iter().any(|kind| kind == "null") => {
            kinds.push(Value::String("null".into()));
        }
        _ => {}
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    // `nullable` beside a reference or a composition: null, or whatever the rest says.
    for keyword in ["$ref", "allOf", "oneOf", "anyOf"] {
        if let Some(value) = schema.remove(keyword) {
            let inner = Value::Object(Map::from_iter([(keyword.to_string(), value)]));
            let mut alternatives = vec![serde_json::json!({"type": "null"}), inner];
            if let Some(Value::Array(existing)) = schema.remove("anyOf") {
                alternatives.push(serde_json::json!({ "anyOf": existing }));
            }
            schema.insert("anyOf".into(), Value::Array(alternatives));
        }
    }
}

fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let mut bytes = Vec::with_capacity(fragment.len());
    let raw = fragment.as_bytes();
    let mut index = 0;
    while index < raw.len() {
        if raw[index] == b'%' {
            let hex = fragment.get(index + 1..index + 3)?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            bytes.push(raw[index]);
            index += 1;
        }
    }
    let pointer = String::from_utf8(bytes).ok()?;
    (pointer.is_empty() || pointer.starts_with('/')).then_some(pointer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "components": {"schemas": {
                "Node": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "pattern": "^[a-z]+$"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
                }},
                "Legacy": {"type": "integer", "minimum": 1, "exclusiveMinimum": true, "nullable": true},
                "Lookaround": {"type": "string", "pattern": "^(?!admin).+$"},
                "Broken": {"type": "string", "pattern": "(unclosed"},
                "Narrowed": {"allOf": [{"$ref": "#/components/schemas/Node"}], "properties": {"name": {"type": "string", "maxLength": 3}}}
            }}
        })
    }

    fn violations(pointer: &str, instance: Value) -> Vec<String> {
        let document = document();
        let validators = Validators::compile(&document, &[pointer]);
        validators.check(pointer, &instance, Location::Query, "").into_iter().map(|violation| violation.pointer).collect()
    }

    #[test]
    fn validators_are_compiled_on_first_use() {
        let pointers = ["/components/schemas/Node", "/components/schemas/Legacy", "/components/schemas/Broken", "/nowhere"];
        let validators = Validators::new(document(), &pointers);
        assert_eq!((validators.len(), validators.compiled()), (4, 0));
        assert!(!validators.is_valid("/components/schemas/Legacy", &json!(1)));
        assert_eq!(validators.compiled(), 1);
        assert!(validators.is_valid("/components/schemas/Legacy", &json!(2)), "compiled once, used again");
        assert!(validators.is_valid("/nowhere", &json!(1)), "a missing schema accepts everything");
        assert!(!validators.contains("/nowhere") && !validators.contains("/not/listed"));
        assert_eq!(validators.compiled(), 2);
        validators.compile_all();
        assert_eq!(validators.compiled(), 4);
    }

    #[test]
    fn recursive_references_are_bundled() {
        assert!(violations("/components/schemas/Node", json!({"name": "a", "children": [{"name": "b"}]})).is_empty());
        assert_eq!(
            violations("/components/schemas/Node", json!({"name": "a", "children": [{"name": "B1"}, {}]})),
            vec!["/children/0/name", "/children/1"]
        );
    }

    #[test]
    fn a_violation_repeated_by_a_narrowing_schema_is_listed_once() {
        // `name` is not a string for both `Node` and the narrowing properties; the pattern is
        // only `Node`'s and the length only the narrowing one's, so those stay apart.
        assert_eq!(violations("/components/schemas/Narrowed", json!({"name": 7})), vec!["/name"]);
        assert_eq!(violations("/components/schemas/Narrowed", json!({"name": "abcd1"})), vec!["/name", "/name"]);
    }

    #[test]
    fn openapi_3_0_keywords_are_converted() {
        assert!(violations("/components/schemas/Legacy", Value::Null).is_empty(), "nullable allows null");
        assert_eq!(violations("/components/schemas/Legacy", json!(1)).len(), 1, "the boolean exclusive bound excludes 1");
        assert!(violations("/components/schemas/Legacy", json!(2)).is_empty());
    }

    /// Slips of real 3.1 documents that the 2020-12 meta-schema refuses, which would leave the
    /// whole schema unchecked: each is read as meant, and the rest of the schema still applies.
    #[test]
    fn slips_of_real_documents_are_read_as_meant() {
        let document = json!({"components": {"schemas": {
            "Twice": {"type": "object", "required": ["name", "name"], "properties": {"name": {"type": "string", "maxLength": 3, "description": {"$ref": "#/elsewhere"}}}},
            "Bound": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 50},
            "Filter": {"$recursiveAnchor": true, "type": "object", "required": ["all"], "properties": {
                "all": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"$recursiveRef": "#"}]}}
            }}
        }}});
        let check = |pointer: &str, instance: Value| {
            let validators = Validators::compile(&document, &[pointer]);
            assert!(validators.get(pointer).is_some(), "{pointer} compiles");
            validators.is_valid(pointer, &instance)
        };
        assert!(!check("/components/schemas/Twice", json!({"name": "long"})));
        assert!(!check("/components/schemas/Twice", json!({})));
        assert!(check("/components/schemas/Twice", json!({"name": "abc"})));
        assert!(!check("/components/schemas/Bound", json!(0)) && !check("/components/schemas/Bound", json!(51)));
        assert!(check("/components/schemas/Bound", json!(0.5)));
        assert!(check("/components/schemas/Filter", json!({"all": ["a", {"all": ["b"]}]})));
        assert!(!check("/components/schemas/Filter", json!({"all": ["a", {"all": [1]}]})), "the nested filter is a Filter");
        assert!(!check("/components/schemas/Filter", json!({"all": [42]})));
    }

    #[test]
    fn nullable_is_read_in_3_1_documents_too() {
        let document = json!({"components": {"schemas": {"Model": {"type": "string", "nullable": true, "maxLength": 2}}}});
        let validators = Validators::compile(&document, &["/components/schemas/Model"]);
        assert!(validators.is_valid("/components/schemas/Model", &Value::Null));
        assert!(!validators.is_valid("/components/schemas/Model", &json!("abc")));
    }

    #[test]
    fn lookaround_patterns_are_enforced_and_broken_ones_dropped() {
        assert_eq!(violations("/components/schemas/Lookaround", json!("admin1")).len(), 1);
        assert!(violations("/components/schemas/Lookaround", json!("user")).is_empty());
        assert!(violations("/components/schemas/Broken", json!("anything")).is_empty());
    }
}
