//! Responses. A response's `schema` goes under `content`, once for each media type the
//! operation produces (else the document, else `application/json`); its `examples`, a map from
//! media type to example, become each media type's `example` (a media type only an example names
//! gets an entry of its own); its headers get a `schema` built from their flat fields.
//!
//! The document's `responses` become `components/responses`, with the document's media types.
//! An operation that produces other types and references one that has a schema gets a copy with
//! its own types instead of the reference, since the component's content would be wrong for it.

use serde_json::{json, Map, Value};

use super::super::describe;
use super::names::Section;
use super::refs::Target;
use super::simple_types::{is_schema_field, Place};
use super::{effective, is_extension, join, same_types, Converter};

impl<'a> Converter<'a> {
    /// A Responses Object found at `from`, written at `at`, for an operation producing
    /// `produces`.
    pub(super) fn responses(&mut self, value: &'a Value, from: &str, at: &str, produces: &[String]) -> Value {
        let Value::Object(responses) = value else {
            self.warn(from, format!("`responses` must be an object, found {}; it converts with none", describe(value)));
            return json!({});
        };
        let mut out = Map::new();
        for (code, response) in responses {
            let here = join(from, code);
            let there = join(at, code);
            if is_extension(code) {
                out.insert(code.clone(), response.clone());
                continue;
            }
            if !is_status(code) {
                self.warn(&here, format!("`{code}` is not an HTTP status code or `default`; the response is left out"));
                continue;
            }
            match response {
                Value::Object(object) if object.contains_key("$ref") => {
                    if let Some(converted) = self.response_reference(&object["$ref"], &here, &there, produces) {
                        out.insert(code.clone(), converted);
                    }
                }
                Value::Object(object) => {
                    self.origin(&there, &here);
                    let converted = self.response(object, &here, &there, produces);
                    out.insert(code.clone(), converted);
                }
                other => self.warn(&here, format!("a response must be an object, found {}; left out", describe(other))),
            }
        }
        Value::Object(out)
    }

    fn response_reference(&mut self, reference: &Value, from: &str, at: &str, produces: &[String]) -> Option<Value> {
        let reference_from = join(from, "$ref");
        let Value::String(reference) = reference else {
            self.warn(&reference_from, format!("`$ref` must be a string, found {}; the response is left out", describe(reference)));
            return None;
        };
        let rewritten = self.rewrite_ref(reference, &reference_from);
        if let Target::LocalResponse(name) = &rewritten.target {
            let root = self.root;
            match root.get("responses").and_then(|responses| responses.get(name)) {
                None => self.warn(&reference_from, format!("`{reference}` names no entry of the document's `responses`; kept as a reference")),
                Some(Value::Object(shared)) if shared.contains_key("schema") && !same_types(produces, &effective(None, &self.produces)) => {
                    let shared_from = join("/responses", name);
                    self.origin(at, &shared_from);
                    return Some(self.quietly(|converter| converter.response(shared, &shared_from, at, produces)));
                }
                Some(_) => {}
            }
        }
        self.origin(at, from);
        Some(json!({"$ref": rewritten.reference}))
    }

    /// One Response Object found at `from`, written at `at`.
    fn response(&mut self, object: &Map<String, Value>, from: &str, at: &str, produces: &[String]) -> Value {
        let mut out = Map::new();
        match object.get("description") {
            Some(Value::String(description)) => {
                out.insert("description".into(), json!(description));
            }
            other => {
                let (pointer, found) = match other {
                    Some(value) => (join(from, "description"), describe(value)),
                    None => (from.to_string(), "nothing".to_string()),
                };
                self.warn(&pointer, format!("a response needs a `description` string, found {found}; an empty one stands in for it"));
                out.insert("description".into(), json!(""));
            }
        }
        let mut content = Map::new();
        let schema_from = join(from, "schema");
        let schema = object.get("schema").map(|schema| self.schema(schema, &schema_from));
        if let Some(schema) = &schema {
            for media_type in produces {
                self.origin(&join(&join(&join(at, "content"), media_type), "schema"), &schema_from);
                content.insert(media_type.clone(), json!({"schema": schema}));
            }
        }
        let mut extensions = Map::new();
        for (key, value) in object {
            let here = join(from, key);
            match key.as_str() {
                "description" | "schema" => {}
                "headers" => match value {
                    Value::Object(headers) => {
                        let mut converted = Map::new();
                        for (name, header) in headers {
                            let header_from = join(&here, name);
                            let header_at = join(&join(at, "headers"), name);
                            match header {
                                Value::Object(header) => {
                                    let header = self.header(header, &header_from, &header_at);
                                    converted.insert(name.clone(), header);
                                }
                                other => self.warn(&header_from, format!("a header must be an object, found {}; left out", describe(other))),
                            }
                        }
                        out.insert("headers".into(), Value::Object(converted));
                    }
                    other => self.warn(&here, format!("`headers` must be an object, found {}; left out", describe(other))),
                },
                "examples" => match value {
                    Value::Object(examples) => {
                        for (media_type, example) in examples {
                            let media_at = join(&join(at, "content"), media_type);
                            if !content.contains_key(media_type) {
                                // A type only the example names: the response's schema applies to it too.
                                let mut media = Map::new();
                                if let Some(schema) = &schema {
                                    self.origin(&join(&media_at, "schema"), &schema_from);
                                    media.insert("schema".into(), schema.clone());
                                }
                                content.insert(media_type.clone(), Value::Object(media));
                            }
                            if let Some(Value::Object(media)) = content.get_mut(media_type) {
                                media.insert("example".into(), example.clone());
                            }
                            self.origin(&join(&media_at, "example"), &join(&here, media_type));
                        }
                    }
                    other => self.warn(&here, format!("`examples` must be an object, found {}; left out", describe(other))),
                },
                _ if is_extension(key) => {
                    extensions.insert(key.clone(), value.clone());
                }
                _ => self.warn(&here, format!("`{key}` is not a 2.0 response field; left out")),
            }
        }
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        out.extend(extensions);
        Value::Object(out)
    }

    /// A response header found at `from`, written at `at`.
    fn header(&mut self, object: &Map<String, Value>, from: &str, at: &str) -> Value {
        if let Some(reference) = object.get("$ref") {
            // Not a 2.0 construct, but 3.0 has it.
            return match reference {
                Value::String(reference) => json!({"$ref": self.rewrite_ref(reference, &join(from, "$ref")).reference}),
                other => {
                    self.warn(&join(from, "$ref"), format!("`$ref` must be a string, found {}; left out", describe(other)));
                    json!({})
                }
            };
        }
        let mut out = Map::new();
        let mut extensions = Map::new();
        let mut example = None;
        for (key, value) in object {
            let here = join(from, key);
            match key.as_str() {
                "description" => match value {
                    Value::String(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`description` must be a string, found {}; left out", describe(other))),
                },
                "x-example" => example = Some(value.clone()),
                _ if is_schema_field(key) => {}
                _ if is_extension(key) => {
                    extensions.insert(key.clone(), value.clone());
                }
                _ => self.warn(&here, format!("`{key}` is not a 2.0 header field; left out")),
            }
        }
        if let Some((style, explode)) = self.style(object, from, Place::Header) {
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        self.origin(&join(at, "schema"), from);
        let schema = self.simple_schema(object, from, false);
        out.insert("schema".into(), schema);
        if let Some(example) = example {
            out.insert("example".into(), example);
        }
        out.extend(extensions);
        Value::Object(out)
    }

    /// `components/responses` from the document's `responses`.
    pub(super) fn component_responses(&mut self) -> Map<String, Value> {
        let produces = effective(None, &self.produces);
        let mut responses = Map::new();
        for (_, name, from, value) in self.section_entries(Section::Responses) {
            match value {
                Value::Object(object) if object.contains_key("$ref") => {
                    let at = join("/components/responses", &name);
                    if let Some(converted) = self.response_reference(&object["$ref"], &from, &at, &produces) {
                        responses.insert(name, converted);
                    }
                }
                Value::Object(object) => {
                    let at = join("/components/responses", &name);
                    self.origin(&at, &from);
                    let converted = self.response(object, &from, &at, &produces);
                    responses.insert(name, converted);
                }
                other => self.warn(&from, format!("a response must be an object, found {}; left out", describe(other))),
            }
        }
        responses
    }
}

/// `default`, a three-digit status code, or a 3.0 range such as `4XX`.
fn is_status(code: &str) -> bool {
    let bytes = code.as_bytes();
    code == "default"
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && ((bytes[1].is_ascii_digit() && bytes[2].is_ascii_digit()) || (bytes[1] == b'X' && bytes[2] == b'X')))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::test_support::*;
    use super::super::Converted;
    use super::is_status;

    fn get(operation: Value, fields: Value) -> Converted {
        let mut document = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/pets": {"get": operation}}});
        for (key, value) in fields.as_object().unwrap() {
            document[key] = value.clone();
        }
        convert(document)
    }

    const OP: &str = "/paths/~1pets/get";

    #[test]
    fn schemas_go_under_each_produced_type() {
        let converted = get(
            json!({"produces": ["application/json", "application/xml"], "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}, "x-r": 1}}}),
            json!({}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/responses/200")),
            &json!({
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}, "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                "x-r": 1
            })
        );
        assert!(at(&converted, &format!("{OP}/produces")).is_null());
        assert!(has_origin(&converted, &format!("{OP}/responses/200/content/application~1xml/schema"), &format!("{OP}/responses/200/schema")));
        assert!(converted.diagnostics.is_empty());
    }

    #[test]
    fn produced_types_come_from_the_document_or_default_to_json() {
        let operation = json!({"responses": {"200": {"description": "ok", "schema": {"type": "string"}}}});
        let converted = get(operation.clone(), json!({"produces": ["text/plain"]}));
        assert_eq!(at(&converted, &format!("{OP}/responses/200/content")), &json!({"text/plain": {"schema": {"type": "string"}}}));
        let converted = get(operation, json!({}));
        assert_eq!(at(&converted, &format!("{OP}/responses/200/content")), &json!({"application/json": {"schema": {"type": "string"}}}));
    }

    #[test]
    fn a_response_without_schema_has_no_content() {
        let converted = get(
            json!({"responses": {"204": {"description": "gone"}, "default": {"description": "error"}, "5XX": {"description": "down"}}}),
            json!({}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/responses")),
            &json!({"204": {"description": "gone"}, "default": {"description": "error"}, "5XX": {"description": "down"}})
        );
    }

    #[test]
    fn examples_become_each_types_example() {
        let converted = get(
            json!({"produces": ["application/json"], "responses": {"200": {
                "description": "ok", "schema": {"type": "object"},
                "examples": {"application/json": {"id": 1}, "text/csv": "id\n1"}
            }}}),
            json!({}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/responses/200/content")),
            &json!({
                "application/json": {"schema": {"type": "object"}, "example": {"id": 1}},
                "text/csv": {"schema": {"type": "object"}, "example": "id\n1"}
            })
        );
        assert!(has_origin(&converted, &format!("{OP}/responses/200/content/text~1csv/example"), &format!("{OP}/responses/200/examples/text~1csv")));
        let converted = get(json!({"responses": {"200": {"description": "ok", "examples": {"application/json": [1]}}}}), json!({}));
        assert_eq!(at(&converted, &format!("{OP}/responses/200/content")), &json!({"application/json": {"example": [1]}}));
    }

    #[test]
    fn headers_get_a_schema() {
        let converted = get(
            json!({"responses": {"200": {"description": "ok", "headers": {
                "X-Rate-Limit": {"type": "integer", "format": "int32", "description": "Calls per hour", "x-example": 100, "x-h": true},
                "X-Tags": {"type": "array", "items": {"type": "string"}, "collectionFormat": "csv"},
                "X-Bad": {"type": "string", "required": true},
                "X-Not": 3
            }}}}),
            json!({}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/responses/200/headers")),
            &json!({
                "X-Rate-Limit": {"description": "Calls per hour", "schema": {"type": "integer", "format": "int32"}, "example": 100, "x-h": true},
                "X-Tags": {"style": "simple", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}},
                "X-Bad": {"schema": {"type": "string"}}
            })
        );
        assert!(has_origin(&converted, &format!("{OP}/responses/200/headers/X-Tags/schema"), &format!("{OP}/responses/200/headers/X-Tags")));
        assert!(warned(&converted, &format!("{OP}/responses/200/headers/X-Bad/required"), "not a 2.0 header field"));
        assert!(warned(&converted, &format!("{OP}/responses/200/headers/X-Not"), "must be an object"));
    }

    #[test]
    fn file_responses_are_binary_strings() {
        let converted = get(
            json!({"produces": ["application/octet-stream"], "responses": {"200": {"description": "ok", "schema": {"type": "file"}}}}),
            json!({}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/responses/200/content")),
            &json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
    }

    #[test]
    fn shared_responses_become_components() {
        let converted = get(
            json!({"responses": {"404": {"$ref": "#/responses/NotFound"}, "500": {"$ref": "#/responses/Missing"}}}),
            json!({"responses": {"NotFound": {"description": "Not found", "schema": {"$ref": "#/definitions/Error"}}}}),
        );
        assert_eq!(
            at(&converted, "/components/responses/NotFound"),
            &json!({"description": "Not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        );
        assert_eq!(at(&converted, &format!("{OP}/responses/404")), &json!({"$ref": "#/components/responses/NotFound"}));
        assert_eq!(at(&converted, &format!("{OP}/responses/500")), &json!({"$ref": "#/components/responses/Missing"}));
        assert!(has_origin(&converted, "/components/responses/NotFound", "/responses/NotFound"));
        assert!(warned(&converted, &format!("{OP}/responses/500/$ref"), "names no entry"));
    }

    #[test]
    fn a_shared_response_is_copied_into_operations_producing_other_types() {
        let converted = get(
            json!({"produces": ["application/xml"], "responses": {"404": {"$ref": "#/responses/NotFound"}, "410": {"$ref": "#/responses/Gone"}}}),
            json!({"responses": {"NotFound": {"description": "Not found", "schema": {"type": "string"}}, "Gone": {"description": "Gone"}}}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/responses/404")),
            &json!({"description": "Not found", "content": {"application/xml": {"schema": {"type": "string"}}}})
        );
        assert!(has_origin(&converted, &format!("{OP}/responses/404"), "/responses/NotFound"));
        // Without a schema the media types do not matter.
        assert_eq!(at(&converted, &format!("{OP}/responses/410")), &json!({"$ref": "#/components/responses/Gone"}));
    }

    #[test]
    fn malformed_responses_are_warned() {
        let converted = get(
            json!({"responses": {
                "200": {"schema": {"type": "string"}, "examples": [], "headers": 1, "content": {}},
                "201": {"description": 5},
                "299 ": {"description": "x"},
                "600": {"description": "x"},
                "400": "bad",
                "401": {"$ref": 4},
                "x-note": {"any": "thing"}
            }}),
            json!({}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/responses")),
            &json!({
                "200": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
                "201": {"description": ""},
                "x-note": {"any": "thing"}
            })
        );
        for (pointer, text) in [
            ("/200", "needs a `description`"),
            ("/200/examples", "must be an object"),
            ("/200/headers", "must be an object"),
            ("/200/content", "not a 2.0 response field"),
            ("/201/description", "needs a `description`"),
            ("/299 ", "not an HTTP status code"),
            ("/600", "not an HTTP status code"),
            ("/400", "must be an object"),
            ("/401/$ref", "must be a string"),
        ] {
            let pointer = format!("{OP}/responses{pointer}");
            assert!(warned(&converted, &pointer, text), "{pointer}: {text}: {:?}", warnings(&converted));
        }
        let converted = get(json!({"responses": []}), json!({"responses": {"A": 1}}));
        assert_eq!(at(&converted, &format!("{OP}/responses")), &json!({}));
        assert!(warned(&converted, &format!("{OP}/responses"), "must be an object"));
        assert!(warned(&converted, "/responses/A", "must be an object"));
    }

    #[test]
    fn status_codes() {
        for code in ["200", "404", "default", "1XX", "599"] {
            assert!(is_status(code), "{code}");
        }
        for code in ["", "20", "2000", "600", "0XX", "2xx", "OK"] {
            assert!(!is_status(code), "{code}");
        }
    }
}
