//! 2.0 describes a non-body parameter, a response header and an array's items with the same
//! flat fields (`type`, `format`, `items`, `default`, the validation keywords) where 3.0 has a
//! `schema`, and the array separator (`collectionFormat`) where 3.0 has `style` and `explode`.
//!
//! Separators: `csv` is `form` with `explode: false` in a query (and in a form body), `simple`
//! in a path or header; `ssv` and `pipes` are `spaceDelimited` and `pipeDelimited` (query and
//! form body only); `multi` is `form` with `explode: true`. `tsv` has no 3.0 style at all, and
//! `ssv`, `pipes` and `multi` none in a path or header: each is described as comma-separated,
//! with a warning. `style` and `explode` are written for every array, since the 3.0 default for
//! a query (`explode: true`) is not the 2.0 default (`csv`).

use serde_json::{json, Map, Value};

use super::super::describe;
use super::{is_extension, join, Converter};

/// The fields that make up the schema.
const SCHEMA_FIELDS: [&str; 16] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// The types a simple value may have (`object` is not a 2.0 one, but 3.0 has a form for it).
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Nesting deeper than this (an items object inside an items object ...) is cut off.
const MAX_DEPTH: usize = 64;

/// Where a value is serialized, which decides the 3.0 style of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Query,
    Path,
    Header,
    /// Not a 2.0 location, taken as 3.0 meant it.
    Cookie,
    /// A field of an `application/x-www-form-urlencoded` body.
    UrlencodedForm,
    /// A field of a `multipart/form-data` body, which sends each item of an array as a part.
    MultipartForm,
}

/// Whether `key` is one of the fields that make up the schema, or the separator.
pub(super) fn is_schema_field(key: &str) -> bool {
    SCHEMA_FIELDS.contains(&key) || key == "collectionFormat" || key == "x-nullable"
}

impl Converter<'_> {
    /// The schema described by the flat fields of `object` (a parameter, a header, or with
    /// `nested` an items object, whose extensions then belong to the schema).
    pub(super) fn simple_schema(&mut self, object: &Map<String, Value>, from: &str, nested: bool) -> Value {
        self.simple_schema_at(object, from, nested, 0)
    }

    fn simple_schema_at(&mut self, object: &Map<String, Value>, from: &str, nested: bool, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            self.warn(from, format!("items are nested more than {MAX_DEPTH} levels deep; the rest allow any value"));
            return json!({});
        }
        let mut out = Map::new();
        let mut file = false;
        let mut array = false;
        for (key, value) in object {
            let here = join(from, key);
            match key.as_str() {
                "type" => match value {
                    Value::String(kind) if kind == "file" => {
                        file = true;
                        out.insert("type".into(), json!("string"));
                    }
                    Value::String(kind) if TYPES.contains(&kind.as_str()) => {
                        array = kind == "array";
                        out.insert("type".into(), value.clone());
                    }
                    other => self.warn(&here, format!("`type` must be one of {}, or `file`; found {}; left out", TYPES.join(", "), describe(other))),
                },
                "items" => match value {
                    // Not an items object, but 3.0 has a form for it.
                    Value::Object(items) if items.contains_key("$ref") => {
                        let schema = self.schema(value, &here);
                        out.insert("items".into(), schema);
                    }
                    Value::Object(items) => {
                        if items.get("type").and_then(Value::as_str) == Some("array") {
                            self.warn(&here, "an array of arrays has no 3.0 serialization: 3.0 styles describe only the outer array's separator");
                        }
                        let schema = self.simple_schema_at(items, &here, true, depth + 1);
                        out.insert("items".into(), schema);
                    }
                    other => self.warn(&here, format!("`items` must be an object, found {}; left out", describe(other))),
                },
                "x-nullable" => match value {
                    Value::Bool(nullable) => {
                        out.insert("nullable".into(), json!(nullable));
                    }
                    other => self.warn(&here, format!("`x-nullable` must be a boolean, found {}; left out", describe(other))),
                },
                // The caller's style; nested separators were reported with the outer `items`.
                "collectionFormat" => {}
                _ if SCHEMA_FIELDS.contains(&key.as_str()) => {
                    out.insert(key.clone(), value.clone());
                }
                _ if nested && is_extension(key) => {
                    out.insert(key.clone(), value.clone());
                }
                _ if nested => self.warn(&here, format!("`{key}` is not a 2.0 items field; left out")),
                // The caller's field, or the caller reports it.
                _ => {}
            }
        }
        match object.get("type") {
            None => self.warn(from, "no `type`; the schema allows any value"),
            Some(_) if file => {
                out.insert("format".into(), json!("binary"));
            }
            Some(_) if array && !out.contains_key("items") => {
                if !object.contains_key("items") {
                    self.warn(from, "an array needs `items`; its items allow any value");
                }
                out.insert("items".into(), json!({}));
            }
            Some(_) => {}
        }
        Value::Object(out)
    }

    /// The 3.0 `style` and `explode` for the array described by `object`, serialized at
    /// `place`; `None` for a value that is not an array, and for a multipart field.
    pub(super) fn style(&mut self, object: &Map<String, Value>, from: &str, place: Place) -> Option<(&'static str, bool)> {
        if object.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let here = join(from, "collectionFormat");
        let given = object.get("collectionFormat");
        let format = match given {
            None => "csv",
            Some(Value::String(format)) => format.as_str(),
            Some(other) => {
                self.warn(&here, format!("`collectionFormat` must be a string, found {}; read as `csv`", describe(other)));
                "csv"
            }
        };
        let known = ["csv", "ssv", "tsv", "pipes", "multi"].contains(&format);
        if !known {
            self.warn(&here, format!("`{format}` is not a 2.0 collection format; read as `csv`"));
        }
        match place {
            Place::Query | Place::Cookie | Place::UrlencodedForm => match format {
                "multi" => Some(("form", true)),
                "ssv" if place != Place::Cookie => Some(("spaceDelimited", false)),
                "pipes" if place != Place::Cookie => Some(("pipeDelimited", false)),
                "ssv" | "pipes" => {
                    self.warn(
                        &here,
                        format!("`{format}` has no 3.0 style in a cookie; described as comma-separated (`style: form`, `explode: false`)"),
                    );
                    Some(("form", false))
                }
                "tsv" => {
                    self.warn(
                        &here,
                        "tab-separated values (`tsv`) have no 3.0 style; described as comma-separated (`style: form`, `explode: false`)",
                    );
                    Some(("form", false))
                }
                _ => Some(("form", false)),
            },
            Place::Path | Place::Header => {
                if known && format != "csv" {
                    let location = if place == Place::Path { "path" } else { "header" };
                    self.warn(&here, format!("`{format}` has no 3.0 style in a {location}; described as comma-separated (`style: simple`)"));
                }
                Some(("simple", false))
            }
            Place::MultipartForm => {
                if given.is_some() && known && format != "multi" {
                    self.warn(
                        &here,
                        format!("multipart/form-data sends each item of an array as a part of its own; `collectionFormat: {format}` has no 3.0 form there"),
                    );
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use super::super::Converter;
    use super::*;

    fn schema_of(object: Value) -> (Value, Vec<(String, String)>) {
        let root = Map::new();
        let mut converter = Converter::new(&root);
        let schema = converter.simple_schema(object.as_object().unwrap(), "/p", false);
        (schema, converter.diagnostics.into_iter().map(|d| (d.pointer, d.message)).collect())
    }

    fn style_of(object: Value, place: Place) -> (Option<(&'static str, bool)>, usize) {
        let root = Map::new();
        let mut converter = Converter::new(&root);
        let style = converter.style(object.as_object().unwrap(), "/p", place);
        (style, converter.diagnostics.len())
    }

    #[test]
    fn schema_fields_are_gathered() {
        let (schema, warnings) = schema_of(json!({
            "name": "n", "in": "query", "description": "d", "x-other": 1,
            "type": "integer", "format": "int32", "default": 5, "minimum": 1, "exclusiveMinimum": true, "maximum": 10,
            "exclusiveMaximum": false, "multipleOf": 1, "enum": [1, 5, 10]
        }));
        assert_eq!(
            schema,
            json!({"type": "integer", "format": "int32", "default": 5, "minimum": 1, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": false, "multipleOf": 1, "enum": [1, 5, 10]})
        );
        assert!(warnings.is_empty());
        let (schema, _) = schema_of(json!({"type": "string", "maxLength": 9, "minLength": 1, "pattern": "^a"}));
        assert_eq!(schema, json!({"type": "string", "maxLength": 9, "minLength": 1, "pattern": "^a"}));
    }

    #[test]
    fn arrays_convert_their_items_recursively() {
        let (schema, warnings) = schema_of(json!({
            "type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": true, "collectionFormat": "csv",
            "items": {"type": "array", "collectionFormat": "pipes", "x-inner": true, "items": {"type": "string", "enum": ["a"]}}
        }));
        assert_eq!(
            schema,
            json!({"type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": true, "items": {"type": "array", "x-inner": true, "items": {"type": "string", "enum": ["a"]}}})
        );
        assert_eq!(
            warnings,
            [(
                "/p/items".to_string(),
                "an array of arrays has no 3.0 serialization: 3.0 styles describe only the outer array's separator".to_string()
            )]
        );
        let (schema, warnings) = schema_of(json!({"type": "array", "items": {"$ref": "#/definitions/Id"}}));
        assert_eq!(schema, json!({"type": "array", "items": {"$ref": "#/components/schemas/Id"}}));
        assert!(warnings.is_empty());
    }

    #[test]
    fn files_nullables_and_missing_parts() {
        assert_eq!(schema_of(json!({"type": "file", "format": "x"})).0, json!({"type": "string", "format": "binary"}));
        assert_eq!(schema_of(json!({"type": "string", "x-nullable": true})).0, json!({"type": "string", "nullable": true}));
        let (schema, warnings) = schema_of(json!({"type": "array"}));
        assert_eq!(schema, json!({"type": "array", "items": {}}));
        assert_eq!(warnings[0].1, "an array needs `items`; its items allow any value");
        let (schema, warnings) = schema_of(json!({"format": "int32"}));
        assert_eq!(schema, json!({"format": "int32"}));
        assert_eq!(warnings[0].1, "no `type`; the schema allows any value");
        let (schema, warnings) = schema_of(json!({"type": ["string"], "items": 3, "x-nullable": "yes"}));
        assert_eq!(schema, json!({}));
        assert_eq!(warnings.len(), 3);
        let (_, warnings) = schema_of(json!({"type": "array", "items": {"type": "string", "name": "x"}}));
        assert_eq!(warnings, [("/p/items/name".to_string(), "`name` is not a 2.0 items field; left out".to_string())]);
    }

    #[test]
    fn deep_items_are_cut_off() {
        let mut items = json!({"type": "string"});
        for _ in 0..100 {
            items = json!({"type": "array", "items": items});
        }
        let (_, warnings) = schema_of(items);
        assert!(warnings.iter().any(|(_, message)| message.contains("nested more than")));
    }

    #[test]
    fn collection_formats_map_to_styles() {
        let array = |format: &str| json!({"type": "array", "items": {"type": "string"}, "collectionFormat": format});
        assert_eq!(style_of(json!({"type": "array", "items": {}}), Place::Query), (Some(("form", false)), 0));
        assert_eq!(style_of(array("csv"), Place::Query), (Some(("form", false)), 0));
        assert_eq!(style_of(array("ssv"), Place::Query), (Some(("spaceDelimited", false)), 0));
        assert_eq!(style_of(array("pipes"), Place::Query), (Some(("pipeDelimited", false)), 0));
        assert_eq!(style_of(array("multi"), Place::Query), (Some(("form", true)), 0));
        assert_eq!(style_of(array("tsv"), Place::Query), (Some(("form", false)), 1));
        assert_eq!(style_of(array("csv"), Place::Path), (Some(("simple", false)), 0));
        assert_eq!(style_of(array("csv"), Place::Header), (Some(("simple", false)), 0));
        for format in ["ssv", "pipes", "tsv", "multi"] {
            assert_eq!(style_of(array(format), Place::Path), (Some(("simple", false)), 1));
            assert_eq!(style_of(array(format), Place::Header), (Some(("simple", false)), 1));
        }
        assert_eq!(style_of(array("csv"), Place::Cookie), (Some(("form", false)), 0));
        assert_eq!(style_of(array("ssv"), Place::Cookie), (Some(("form", false)), 1));
        assert_eq!(style_of(array("multi"), Place::UrlencodedForm), (Some(("form", true)), 0));
        assert_eq!(style_of(array("multi"), Place::MultipartForm), (None, 0));
        assert_eq!(style_of(array("csv"), Place::MultipartForm), (None, 1));
        assert_eq!(style_of(json!({"type": "array"}), Place::MultipartForm), (None, 0));
        assert_eq!(style_of(array("commas"), Place::Query), (Some(("form", false)), 1));
        assert_eq!(style_of(json!({"type": "array", "collectionFormat": 1}), Place::Query), (Some(("form", false)), 1));
        assert_eq!(style_of(json!({"type": "string", "collectionFormat": "multi"}), Place::Query), (None, 0));
    }
}
