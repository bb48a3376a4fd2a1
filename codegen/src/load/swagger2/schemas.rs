//! Schema Objects, recursively: `x-nullable` becomes `nullable`, a `discriminator` (a property
//! name in 2.0) becomes a Discriminator Object, `type: file` becomes a binary string, and every
//! `$ref` is rewritten. Everything else is kept as it is: the 2.0 Schema Object is a subset of
//! the 3.0 one apart from these.
//!
//! Only the keywords that hold schemas are walked (`properties`, `additionalProperties`,
//! `items`, `allOf`, and the 3.0 `anyOf`, `oneOf` and `not` when a 2.0 document uses them), so a
//! `$ref` inside an `example` or an extension is data and stays as it is.

use serde_json::{json, Map, Value};

use super::super::describe;
use super::names::Section;
use super::{join, Converter};

/// Nesting deeper than this is cut off, so a document built by code cannot exhaust the stack.
const MAX_DEPTH: usize = 200;

impl Converter<'_> {
    /// `components/schemas` from `definitions`.
    pub(super) fn component_schemas(&mut self) -> Map<String, Value> {
        let mut schemas = Map::new();
        for (_, name, from, value) in self.section_entries(Section::Definitions) {
            let at = join("/components/schemas", &name);
            self.origin(&at, &from);
            let schema = self.schema(value, &from);
            schemas.insert(name, schema);
        }
        if self.names.any_renamed(Section::Definitions) {
            self.map_renamed_subtypes(&mut schemas);
        }
        schemas
    }

    /// The 3.0 form of the schema `value`, found at `from`.
    pub(super) fn schema(&mut self, value: &Value, from: &str) -> Value {
        self.schema_at(value, from, 0)
    }

    fn schema_at(&mut self, value: &Value, from: &str, depth: usize) -> Value {
        let Value::Object(object) = value else {
            self.warn(from, format!("a schema must be an object, found {}; it allows any value instead", describe(value)));
            return json!({});
        };
        if depth > MAX_DEPTH {
            self.warn(from, format!("schemas are nested more than {MAX_DEPTH} levels deep; this one allows any value instead"));
            return json!({});
        }
        let mut out = Map::new();
        let mut file = false;
        for (key, value) in object {
            let here = join(from, key);
            let converted = match key.as_str() {
                "$ref" => match value {
                    Value::String(reference) => Some(Value::String(self.rewrite_ref(reference, &here).reference)),
                    other => self.left_out(&here, "`$ref` must be a string", other),
                },
                "x-nullable" => match value {
                    Value::Bool(nullable) => {
                        out.insert("nullable".into(), json!(nullable));
                        None
                    }
                    other => self.left_out(&here, "`x-nullable` must be a boolean", other),
                },
                "discriminator" => match value {
                    Value::String(property) => Some(json!({"propertyName": property})),
                    // Already the 3.0 form.
                    Value::Object(discriminator) if discriminator.get("propertyName").is_some_and(Value::is_string) => Some(value.clone()),
                    other => self.left_out(&here, "`discriminator` must be a property name", other),
                },
                "type" => self.schema_type(value, &here, &mut out, &mut file),
                "properties" => match value {
                    Value::Object(properties) => {
                        let mut converted = Map::new();
                        for (name, property) in properties {
                            let schema = self.schema_at(property, &join(&here, name), depth + 1);
                            converted.insert(name.clone(), schema);
                        }
                        Some(Value::Object(converted))
                    }
                    other => self.left_out(&here, "`properties` must be an object", other),
                },
                "additionalProperties" => match value {
                    Value::Bool(_) => Some(value.clone()),
                    Value::Object(_) => Some(self.schema_at(value, &here, depth + 1)),
                    other => self.left_out(&here, "`additionalProperties` must be a schema or a boolean", other),
                },
                "items" | "not" => match value {
                    Value::Object(_) => Some(self.schema_at(value, &here, depth + 1)),
                    Value::Array(items) if key == "items" => {
                        self.warn(&here, "a list of item schemas (a tuple) has no 3.0 form; the items allow any value");
                        // The members are still converted, for their warnings.
                        for (index, item) in items.iter().enumerate() {
                            self.schema_at(item, &join(&here, &index.to_string()), depth + 1);
                        }
                        Some(json!({}))
                    }
                    other => self.left_out(&here, &format!("`{key}` must be a schema"), other),
                },
                "allOf" | "anyOf" | "oneOf" => match value {
                    Value::Array(members) => Some(Value::Array(
                        members
                            .iter()
                            .enumerate()
                            .map(|(index, member)| self.schema_at(member, &join(&here, &index.to_string()), depth + 1))
                            .collect(),
                    )),
                    other => self.left_out(&here, &format!("`{key}` must be a list of schemas"), other),
                },
                "required" => match value {
                    Value::Array(names) if names.iter().all(Value::is_string) => Some(value.clone()),
                    other => self.left_out(&here, "`required` must be a list of property names", other),
                },
                _ => Some(value.clone()),
            };
            if let Some(converted) = converted {
                out.insert(key.clone(), converted);
            }
        }
        if file {
            out.insert("format".into(), json!("binary"));
        }
        // 3.0 requires `items` beside `type: array`; its absence meant any items.
        if out.get("type").and_then(Value::as_str) == Some("array") && !out.contains_key("items") {
            out.insert("items".into(), json!({}));
        }
        Value::Object(out)
    }

    /// The 3.0 `type`: `file` is a binary string; a JSON Schema list of types is one type and
    /// `null` (`nullable`), or has no 3.0 form.
    fn schema_type(&mut self, value: &Value, from: &str, out: &mut Map<String, Value>, file: &mut bool) -> Option<Value> {
        const TYPES: [&str; 7] = ["string", "number", "integer", "boolean", "array", "object", "file"];
        match value {
            Value::String(kind) if kind == "file" => {
                *file = true;
                Some(json!("string"))
            }
            Value::String(kind) if TYPES.contains(&kind.as_str()) => Some(value.clone()),
            Value::Array(kinds) => {
                let named: Vec<&str> = kinds.iter().filter_map(Value::as_str).filter(|kind| *kind != "null").collect();
                let null = kinds.iter().any(|kind| kind == "null");
                match named.as_slice() {
                    [kind] if TYPES.contains(kind) && named.len() + usize::from(null) == kinds.len() => {
                        if null {
                            out.insert("nullable".into(), json!(true));
                        }
                        let single = Value::String(kind.to_string());
                        self.schema_type(&single, from, out, file)
                    }
                    _ => self.left_out(from, "a list of types has no 3.0 form unless it is one type and `null`", value),
                }
            }
            other => self.left_out(from, "`type` must be one of string, number, integer, boolean, array, object or file", other),
        }
    }

    fn left_out(&mut self, from: &str, rule: &str, found: &Value) -> Option<Value> {
        self.warn(from, format!("{rule}, found {}; left out", describe(found)));
        None
    }

    /// A 2.0 discriminator's values are definition names. Where a subtype was renamed, 3.0's
    /// implicit mapping (by component name) would no longer match them, so the discriminator
    /// gets an explicit `mapping` for each renamed subtype (one whose `allOf` references it).
    fn map_renamed_subtypes(&mut self, schemas: &mut Map<String, Value>) {
        let Some(Value::Object(definitions)) = self.root.get("definitions") else { return };
        for (base, definition) in definitions {
            if !definition.get("discriminator").is_some_and(Value::is_string) {
                continue;
            }
            let mut mapping = Map::new();
            for (name, candidate) in definitions {
                let renamed = self.names.get(Section::Definitions, name);
                let extends = candidate.get("allOf").and_then(Value::as_array).is_some_and(|members| {
                    members.iter().any(|member| {
                        member.get("$ref").and_then(Value::as_str).and_then(super::refs::local_definition).is_some_and(|target| target == *base)
                    })
                });
                if extends && renamed != *name {
                    mapping.insert(name.clone(), json!(format!("#/components/schemas/{renamed}")));
                }
            }
            let base = self.names.get(Section::Definitions, base);
            if let (false, Some(Value::Object(discriminator))) =
                (mapping.is_empty(), schemas.get_mut(&base).and_then(|schema| schema.get_mut("discriminator")))
            {
                discriminator.insert("mapping".into(), Value::Object(mapping));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::test_support::*;

    fn with_definitions(definitions: Value) -> super::super::Converted {
        convert(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, "definitions": definitions}))
    }

    #[test]
    fn definitions_become_component_schemas() {
        let converted = with_definitions(
            json!({"Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "readOnly": true}}, "example": {"id": 1}, "x-tag": 1}}),
        );
        assert_eq!(
            at(&converted, "/components/schemas/Pet"),
            &json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "readOnly": true}}, "example": {"id": 1}, "x-tag": 1})
        );
        assert!(has_origin(&converted, "/components/schemas/Pet", "/definitions/Pet"));
        assert!(converted.diagnostics.is_empty());
    }

    #[test]
    fn x_nullable_becomes_nullable_at_every_depth() {
        let converted = with_definitions(json!({"A": {
            "type": "object", "x-nullable": true,
            "properties": {"b": {"type": "string", "x-nullable": false}, "c": {"$ref": "#/definitions/C", "x-nullable": true}},
            "additionalProperties": {"type": "array", "items": {"type": "integer", "x-nullable": true}}
        }}));
        assert_eq!(
            at(&converted, "/components/schemas/A"),
            &json!({
                "type": "object", "nullable": true,
                "properties": {"b": {"type": "string", "nullable": false}, "c": {"$ref": "#/components/schemas/C", "nullable": true}},
                "additionalProperties": {"type": "array", "items": {"type": "integer", "nullable": true}}
            })
        );
    }

    #[test]
    fn discriminator_names_become_objects() {
        let converted = with_definitions(json!({
            "Pet": {"type": "object", "discriminator": "petType", "required": ["petType"], "properties": {"petType": {"type": "string"}}},
            "Cat": {"allOf": [{"$ref": "#/definitions/Pet"}, {"type": "object", "properties": {"lives": {"type": "integer"}}}]}
        }));
        assert_eq!(at(&converted, "/components/schemas/Pet/discriminator"), &json!({"propertyName": "petType"}));
        assert_eq!(at(&converted, "/components/schemas/Cat/allOf/0"), &json!({"$ref": "#/components/schemas/Pet"}));
        let converted = with_definitions(json!({"Pet": {"discriminator": 3}}));
        assert!(warned(&converted, "/definitions/Pet/discriminator", "must be a property name"));
        assert!(at(&converted, "/components/schemas/Pet/discriminator").is_null());
    }

    #[test]
    fn renamed_subtypes_get_a_discriminator_mapping() {
        let converted = with_definitions(json!({
            "Pet": {"type": "object", "discriminator": "petType", "properties": {"petType": {"type": "string"}}},
            "Big Cat": {"allOf": [{"$ref": "#/definitions/Pet"}]},
            "Dog": {"allOf": [{"$ref": "#/definitions/Pet"}]}
        }));
        assert_eq!(
            at(&converted, "/components/schemas/Pet/discriminator"),
            &json!({"propertyName": "petType", "mapping": {"Big Cat": "#/components/schemas/Big_Cat"}})
        );
    }

    #[test]
    fn file_types_become_binary_strings() {
        let converted = with_definitions(json!({"Upload": {"type": "object", "properties": {"data": {"type": "file", "description": "d"}}}}));
        assert_eq!(at(&converted, "/components/schemas/Upload/properties/data"), &json!({"type": "string", "description": "d", "format": "binary"}));
    }

    #[test]
    fn type_lists_are_one_type_and_nullable_or_warned() {
        let converted = with_definitions(
            json!({"A": {"type": ["string", "null"]}, "B": {"type": ["integer"]}, "C": {"type": ["string", "integer"]}, "D": {"type": "date"}}),
        );
        assert_eq!(at(&converted, "/components/schemas/A"), &json!({"nullable": true, "type": "string"}));
        assert_eq!(at(&converted, "/components/schemas/B"), &json!({"type": "integer"}));
        assert_eq!(at(&converted, "/components/schemas/C"), &json!({}));
        assert!(warned(&converted, "/definitions/C/type", "one type and `null`"));
        assert!(warned(&converted, "/definitions/D/type", "`type` must be one of"));
    }

    #[test]
    fn arrays_get_items_and_tuples_are_warned() {
        let converted = with_definitions(json!({"A": {"type": "array"}, "B": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}}));
        assert_eq!(at(&converted, "/components/schemas/A"), &json!({"type": "array", "items": {}}));
        assert_eq!(at(&converted, "/components/schemas/B"), &json!({"type": "array", "items": {}}));
        assert!(warned(&converted, "/definitions/B/items", "tuple"));
        assert_eq!(converted.diagnostics.len(), 1);
    }

    #[test]
    fn composition_keywords_are_walked_and_data_is_not() {
        let converted = with_definitions(json!({"A": {
            "allOf": [{"$ref": "#/definitions/B"}], "anyOf": [{"$ref": "#/definitions/B"}], "oneOf": [{"$ref": "#/definitions/B"}],
            "not": {"$ref": "#/definitions/B"},
            "example": {"$ref": "#/definitions/B"}, "default": {"$ref": "#/definitions/B"}, "x-ext": {"$ref": "#/definitions/B"}
        }}));
        let schema = at(&converted, "/components/schemas/A");
        for keyword in ["allOf/0", "anyOf/0", "oneOf/0", "not"] {
            assert_eq!(schema.pointer(&format!("/{keyword}/$ref")).unwrap(), "#/components/schemas/B");
        }
        for keyword in ["example", "default", "x-ext"] {
            assert_eq!(schema.pointer(&format!("/{keyword}/$ref")).unwrap(), "#/definitions/B");
        }
    }

    #[test]
    fn malformed_schema_parts_are_warned_and_left_out() {
        let converted = with_definitions(json!({
            "A": {"properties": [], "items": 1, "allOf": {}, "required": true, "additionalProperties": "no", "$ref": 5, "x-nullable": "y", "not": []},
            "B": "string",
            "C": {"properties": {"p": 3}}
        }));
        assert_eq!(at(&converted, "/components/schemas/A"), &json!({}));
        assert_eq!(at(&converted, "/components/schemas/B"), &json!({}));
        assert_eq!(at(&converted, "/components/schemas/C"), &json!({"properties": {"p": {}}}));
        for pointer in ["properties", "items", "allOf", "required", "additionalProperties", "$ref", "x-nullable", "not"] {
            assert!(warned(&converted, &format!("/definitions/A/{pointer}"), "left out"), "{pointer}");
        }
        assert!(warned(&converted, "/definitions/B", "must be an object"));
        assert!(warned(&converted, "/definitions/C/properties/p", "must be an object"));
    }

    #[test]
    fn deep_schemas_are_cut_off() {
        let mut schema = json!({"type": "string"});
        for _ in 0..300 {
            schema = json!({"items": schema});
        }
        let converted = with_definitions(json!({"Deep": schema}));
        assert!(converted.diagnostics.iter().any(|diagnostic| diagnostic.message.contains("nested more than")));
    }
}
