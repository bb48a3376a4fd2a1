//! Parameters. A query, path or header parameter keeps its place and gets a `schema` (and for an
//! array a `style`) from its flat fields. Body and form parameters are not parameters in 3.0:
//! an operation's body parameter (its own, else its path item's) becomes its `requestBody`, with
//! the body's schema under each media type the operation consumes; its form parameters (its
//! path item's, overridden by name by its own) become one object schema whose properties are the
//! fields, under `application/x-www-form-urlencoded` or `multipart/form-data`.
//!
//! The document's `parameters` become `components/parameters`, except body parameters, which
//! become `components/requestBodies` (an operation referencing one gets
//! `requestBody: {$ref: ...}`), and form parameters, which have no component form and are
//! merged into each operation that references them. A shared body's media types are the
//! document's `consumes`; an operation that consumes other types gets a copy of the body with its
//! own types instead of the reference, since the component's content would be wrong for it.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::super::describe;
use super::names::Section;
use super::refs::Target;
use super::simple_types::{is_schema_field, Place};
use super::{effective, is_extension, join, same_types, Converter};
use crate::diagnostics::escape_token;

const URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// A parameter that stays a parameter.
#[derive(Debug, Clone)]
pub(super) struct ParameterEntry<'a> {
    source: ParameterSource<'a>,
    /// The list entry it came from.
    from: String,
}

#[derive(Debug, Clone)]
enum ParameterSource<'a> {
    Inline(&'a Map<String, Value>),
    /// A `$ref`, rewritten.
    Reference(String),
}

/// A body parameter, from a list or reached through a reference to the document's `parameters`.
#[derive(Debug, Clone)]
pub(super) struct BodyEntry<'a> {
    param: &'a Map<String, Value>,
    /// Where the parameter is defined.
    from: String,
    /// The 2.0 name of the entry of the document's `parameters` it is, when it was referenced.
    component: Option<String>,
    /// The list entry that holds it or the reference to it.
    pub reference_from: String,
}

/// A form parameter, which becomes a property of the form's schema.
#[derive(Debug, Clone)]
pub(super) struct FormEntry<'a> {
    param: &'a Map<String, Value>,
    from: String,
    name: String,
    reference_from: String,
}

/// A parameter list, sorted by what each entry becomes.
#[derive(Debug, Clone, Default)]
pub(super) struct Split<'a> {
    pub parameters: Vec<ParameterEntry<'a>>,
    pub bodies: Vec<BodyEntry<'a>>,
    pub forms: Vec<FormEntry<'a>>,
}

impl<'a> Converter<'a> {
    /// Sorts the parameter list `list` (at `from`), following references to the document's
    /// `parameters` far enough to tell body and form parameters from the others.
    pub(super) fn parameter_entries(&mut self, list: &'a Value, from: &str) -> Split<'a> {
        let mut split = Split::default();
        let Value::Array(items) = list else {
            self.warn(from, format!("`parameters` must be a list, found {}; left out", describe(list)));
            return split;
        };
        for (index, item) in items.iter().enumerate() {
            let here = join(from, &index.to_string());
            let Value::Object(object) = item else {
                self.warn(&here, format!("a parameter must be an object, found {}; left out", describe(item)));
                continue;
            };
            if let Some(reference) = object.get("$ref") {
                self.referenced_parameter(reference, &here, &mut split);
                continue;
            }
            match object.get("in") {
                Some(Value::String(location)) => match location.as_str() {
                    "body" => split.bodies.push(BodyEntry { param: object, from: here.clone(), component: None, reference_from: here }),
                    "formData" => {
                        if let Some(field) = self.form_entry(object, &here, &here) {
                            split.forms.push(field);
                        }
                    }
                    "query" | "path" | "header" | "cookie" => {
                        split.parameters.push(ParameterEntry { source: ParameterSource::Inline(object), from: here })
                    }
                    other => self.warn(
                        &join(&here, "in"),
                        format!("`{other}` is not a 2.0 parameter location (query, header, path, formData, body); the parameter is left out"),
                    ),
                },
                Some(other) => self.warn(&join(&here, "in"), format!("`in` must be a string, found {}; the parameter is left out", describe(other))),
                None => self.warn(&here, "a parameter needs `in`; left out"),
            }
        }
        split
    }

    fn referenced_parameter(&mut self, reference: &Value, here: &str, split: &mut Split<'a>) {
        let reference_from = join(here, "$ref");
        let Value::String(reference) = reference else {
            self.warn(&reference_from, format!("`$ref` must be a string, found {}; the parameter is left out", describe(reference)));
            return;
        };
        let rewritten = self.rewrite_ref(reference, &reference_from);
        if let Target::LocalParameter(name) = &rewritten.target {
            let root = self.root;
            match root.get("parameters").and_then(|parameters| parameters.get(name)) {
                None => self.warn(&reference_from, format!("`{reference}` names no entry of the document's `parameters`; kept as a reference")),
                Some(Value::Object(shared)) => {
                    let shared_from = join("/parameters", name);
                    match shared.get("in").and_then(Value::as_str) {
                        Some("body") => {
                            let body =
                                BodyEntry { param: shared, from: shared_from, component: Some(name.clone()), reference_from: here.to_string() };
                            split.bodies.push(body);
                            return;
                        }
                        Some("formData") => {
                            self.form_parameters_used.insert(name.clone());
                            if let Some(field) = self.form_entry(shared, &shared_from, here) {
                                split.forms.push(field);
                            }
                            return;
                        }
                        _ => {}
                    }
                }
                // Reported with the components.
                Some(_) => {}
            }
        }
        split.parameters.push(ParameterEntry { source: ParameterSource::Reference(rewritten.reference), from: here.to_string() });
    }

    fn form_entry(&mut self, param: &'a Map<String, Value>, from: &str, reference_from: &str) -> Option<FormEntry<'a>> {
        match param.get("name") {
            Some(Value::String(name)) => {
                Some(FormEntry { param, from: from.to_string(), name: name.clone(), reference_from: reference_from.to_string() })
            }
            other => {
                let found = other.map_or("nothing".to_string(), describe);
                self.warn(from, format!("a form parameter needs a `name` string, found {found}; left out"));
                None
            }
        }
    }

    /// The 3.0 parameter list for `entries`, written at `at`.
    pub(super) fn write_parameters(&mut self, entries: &[ParameterEntry<'a>], at: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for entry in entries {
            let here = join(at, &out.len().to_string());
            match &entry.source {
                ParameterSource::Reference(reference) => {
                    self.origin(&here, &entry.from);
                    out.push(json!({"$ref": reference}));
                }
                ParameterSource::Inline(object) => {
                    if let Some(parameter) = self.parameter(object, &entry.from) {
                        self.origin(&here, &entry.from);
                        self.origin(&join(&here, "schema"), &entry.from);
                        out.push(parameter);
                    }
                }
            }
        }
        out
    }

    /// A query, path, header (or cookie) parameter; `None` when it has no name.
    fn parameter(&mut self, object: &Map<String, Value>, from: &str) -> Option<Value> {
        let location = object.get("in").and_then(Value::as_str).unwrap_or_default();
        let name = match object.get("name") {
            Some(Value::String(name)) => name,
            other => {
                let found = other.map_or("nothing".to_string(), describe);
                self.warn(from, format!("a parameter needs a `name` string, found {found}; left out"));
                return None;
            }
        };
        let place = match location {
            "query" => Place::Query,
            "path" => Place::Path,
            "header" => Place::Header,
            _ => Place::Cookie,
        };
        let mut out = Map::new();
        out.insert("name".into(), json!(name));
        out.insert("in".into(), json!(location));
        let mut extensions = Map::new();
        let mut example = None;
        for (key, value) in object {
            let here = join(from, key);
            match key.as_str() {
                "name" | "in" => {}
                "description" => match value {
                    Value::String(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`description` must be a string, found {}; left out", describe(other))),
                },
                "required" => match value {
                    Value::Bool(false) if place == Place::Path => self.warn(&here, "a path parameter is always required; `required` is set to true"),
                    Value::Bool(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`required` must be a boolean, found {}; left out", describe(other))),
                },
                "allowEmptyValue" => match value {
                    Value::Bool(_) if place == Place::Query => {
                        out.insert(key.clone(), value.clone());
                    }
                    Value::Bool(_) => self.warn(&here, format!("`allowEmptyValue` is only for query parameters, not {location} ones; left out")),
                    other => self.warn(&here, format!("`allowEmptyValue` must be a boolean, found {}; left out", describe(other))),
                },
                "x-example" => example = Some(value.clone()),
                _ if is_schema_field(key) => {}
                _ if is_extension(key) => {
                    extensions.insert(key.clone(), value.clone());
                }
                _ => self.warn(&here, format!("`{key}` is not a 2.0 parameter field; left out")),
            }
        }
        if place == Place::Path {
            if !object.contains_key("required") {
                self.warn(from, "a path parameter is always required; `required: true` is added");
            }
            out.insert("required".into(), json!(true));
        }
        if object.get("type").and_then(Value::as_str) == Some("file") {
            self.warn(&join(from, "type"), "`type: file` is only for form parameters; described as a binary string");
        }
        if let Some((style, explode)) = self.style(object, from, place) {
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        let schema = self.simple_schema(object, from, false);
        out.insert("schema".into(), schema);
        if let Some(example) = example {
            out.insert("example".into(), example);
        }
        out.extend(extensions);
        Some(Value::Object(out))
    }

    /// The request body of an operation at `from`, from its own body or form parameters and
    /// those of its path item. `consumes` is the list that applies to it, empty when neither
    /// the operation nor the document has one.
    pub(super) fn operation_request_body(&mut self, shared: &Split<'a>, own: &Split<'a>, from: &str, consumes: &[String]) -> Option<Value> {
        let at = join(from, "requestBody");
        for extra in own.bodies.iter().skip(1) {
            self.warn(&extra.reference_from, "an operation may have only one body parameter; this one is left out");
        }
        let body = own.bodies.first().or(shared.bodies.first());
        let own_names: HashSet<&str> = own.forms.iter().map(|field| field.name.as_str()).collect();
        let mut forms: Vec<&FormEntry<'a>> = Vec::new();
        for field in shared.forms.iter().filter(|field| !own_names.contains(field.name.as_str())).chain(&own.forms) {
            if forms.iter().any(|kept| kept.name == field.name) {
                self.warn(&field.reference_from, format!("the form field `{}` is already defined; this one is left out", field.name));
            } else {
                forms.push(field);
            }
        }
        let media_types = effective(Some(consumes.to_vec()), &[]);
        if let Some(body) = body {
            for field in &forms {
                self.warn(&field.reference_from, "body and form parameters cannot be used together; this form parameter is left out");
            }
            let document_types = effective(None, &self.consumes);
            if let Some(name) = &body.component {
                if same_types(&media_types, &document_types) {
                    self.origin(&at, &body.reference_from);
                    let name = escape_token(&self.names.get(Section::Parameters, name));
                    return Some(json!({"$ref": format!("#/components/requestBodies/{name}")}));
                }
            }
            self.origin(&at, &body.from);
            return Some(if body.component.is_some() {
                self.quietly(|converter| converter.body_request(body, &at, &media_types))
            } else {
                self.body_request(body, &at, &media_types)
            });
        }
        if forms.is_empty() {
            return None;
        }
        Some(self.form_request(&forms, &at, consumes, from))
    }

    /// The request body a body parameter describes, written at `at`.
    fn body_request(&mut self, body: &BodyEntry<'a>, at: &str, media_types: &[String]) -> Value {
        let from = &body.from;
        let mut out = Map::new();
        if let Some(description) = body.param.get("description") {
            match description {
                Value::String(_) => {
                    out.insert("description".into(), description.clone());
                }
                other => self.warn(&join(from, "description"), format!("`description` must be a string, found {}; left out", describe(other))),
            }
        }
        let schema = match body.param.get("schema") {
            Some(schema) => {
                let schema_from = join(from, "schema");
                for media_type in media_types {
                    self.origin(&join(&join(&join(at, "content"), media_type), "schema"), &schema_from);
                }
                self.schema(schema, &schema_from)
            }
            None => {
                self.warn(from, "a body parameter needs a `schema`; the body allows any value");
                json!({})
            }
        };
        let content: Map<String, Value> = media_types.iter().map(|media_type| (media_type.clone(), json!({"schema": schema}))).collect();
        out.insert("content".into(), Value::Object(content));
        for (key, value) in body.param {
            let here = join(from, key);
            match key.as_str() {
                "name" | "in" | "description" | "schema" => {}
                "required" => match value {
                    Value::Bool(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`required` must be a boolean, found {}; left out", describe(other))),
                },
                _ if is_extension(key) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.warn(&here, format!("`{key}` is not a 2.0 body parameter field; left out")),
            }
        }
        Value::Object(out)
    }

    /// The request body the form fields `fields` describe, written at `at`. `consumes` is the
    /// list that applies to the operation at `operation` (empty when there is none).
    fn form_request(&mut self, fields: &[&FormEntry<'a>], at: &str, consumes: &[String], operation: &str) -> Value {
        let essence = |media_type: &String| media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let mut listed: Vec<String> = Vec::new();
        for media_type in consumes.iter().map(essence) {
            if (media_type == URLENCODED || media_type == MULTIPART) && !listed.contains(&media_type) {
                listed.push(media_type);
            }
        }
        let has_file = fields.iter().any(|field| field.param.get("type").and_then(Value::as_str) == Some("file"));
        let media_types: Vec<&str> = if has_file {
            if !listed.iter().any(|media_type| media_type == MULTIPART) {
                self.warn(
                    operation,
                    "file fields are sent as multipart/form-data, which the operation does not list in `consumes`; described as multipart/form-data",
                );
            }
            vec![MULTIPART]
        } else if !listed.is_empty() {
            listed.iter().map(String::as_str).collect()
        } else {
            if !consumes.is_empty() {
                self.warn(operation, "form parameters need `consumes` to name application/x-www-form-urlencoded or multipart/form-data; described as application/x-www-form-urlencoded");
            }
            vec![URLENCODED]
        };

        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in fields {
            let property = self.form_property(field);
            if field.param.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(field.name));
            }
            properties.insert(field.name.clone(), property);
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required.clone()));
        }
        let schema = Value::Object(schema);

        let mut content = Map::new();
        for media_type in media_types {
            let media_at = join(&join(at, "content"), media_type);
            let place = if media_type == MULTIPART { Place::MultipartForm } else { Place::UrlencodedForm };
            let mut encoding = Map::new();
            for field in fields {
                self.origin(&join(&join(&join(&media_at, "schema"), "properties"), &field.name), &field.from);
                if let Some((style, explode)) = self.style(field.param, &field.from, place) {
                    self.origin(&join(&join(&media_at, "encoding"), &field.name), &field.from);
                    encoding.insert(field.name.clone(), json!({"style": style, "explode": explode}));
                }
            }
            let mut media = Map::new();
            media.insert("schema".into(), schema.clone());
            if !encoding.is_empty() {
                media.insert("encoding".into(), Value::Object(encoding));
            }
            content.insert(media_type.to_string(), Value::Object(media));
        }
        if let Some(first) = fields.first() {
            self.origin(at, &first.from);
        }
        let mut out = Map::new();
        out.insert("content".into(), Value::Object(content));
        if !required.is_empty() {
            out.insert("required".into(), json!(true));
        }
        Value::Object(out)
    }

    /// The schema of one form field.
    fn form_property(&mut self, field: &FormEntry<'a>) -> Value {
        let mut schema = self.simple_schema(field.param, &field.from, false);
        let Value::Object(out) = &mut schema else { return schema };
        for (key, value) in field.param {
            let here = join(&field.from, key);
            match key.as_str() {
                "name" | "in" => {}
                "description" => match value {
                    Value::String(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`description` must be a string, found {}; left out", describe(other))),
                },
                "required" => {
                    if !value.is_boolean() {
                        self.warn(&here, format!("`required` must be a boolean, found {}; read as false", describe(value)));
                    }
                }
                "allowEmptyValue" => self.warn(&here, "`allowEmptyValue` has no 3.0 form for a form field; left out"),
                "x-example" => {
                    out.insert("example".into(), value.clone());
                }
                _ if is_schema_field(key) => {}
                _ if is_extension(key) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.warn(&here, format!("`{key}` is not a 2.0 parameter field; left out")),
            }
        }
        schema
    }

    /// `components/parameters` and `components/requestBodies` from the document's
    /// `parameters`. Runs after the paths, which record the form parameters they use.
    pub(super) fn component_parameters(&mut self) -> (Map<String, Value>, Map<String, Value>) {
        let mut parameters = Map::new();
        let mut request_bodies = Map::new();
        let media_types = effective(None, &self.consumes);
        for (original, name, from, value) in self.section_entries(Section::Parameters) {
            let Value::Object(object) = value else {
                self.warn(&from, format!("a parameter must be an object, found {}; left out", describe(value)));
                continue;
            };
            if let Some(reference) = object.get("$ref") {
                let here = join(&from, "$ref");
                match reference {
                    Value::String(reference) => {
                        let at = join("/components/parameters", &name);
                        self.origin(&at, &from);
                        let rewritten = self.rewrite_ref(reference, &here).reference;
                        parameters.insert(name, json!({"$ref": rewritten}));
                    }
                    other => self.warn(&here, format!("`$ref` must be a string, found {}; left out", describe(other))),
                }
                continue;
            }
            match object.get("in") {
                Some(Value::String(location)) => match location.as_str() {
                    "body" => {
                        let at = join("/components/requestBodies", &name);
                        self.origin(&at, &from);
                        let body = BodyEntry { param: object, from: from.clone(), component: None, reference_from: from.clone() };
                        let request_body = self.body_request(&body, &at, &media_types);
                        request_bodies.insert(name, request_body);
                    }
                    "formData" => {
                        if !self.form_parameters_used.contains(&original) {
                            self.warn(
                                &from,
                                "a form parameter has no 3.0 component form: it is merged into the request body of each operation that references it, and none does; left out",
                            );
                        }
                    }
                    "query" | "path" | "header" | "cookie" => {
                        if let Some(parameter) = self.parameter(object, &from) {
                            let at = join("/components/parameters", &name);
                            self.origin(&at, &from);
                            self.origin(&join(&at, "schema"), &from);
                            parameters.insert(name, parameter);
                        }
                    }
                    other => self.warn(
                        &join(&from, "in"),
                        format!("`{other}` is not a 2.0 parameter location (query, header, path, formData, body); the parameter is left out"),
                    ),
                },
                Some(other) => self.warn(&join(&from, "in"), format!("`in` must be a string, found {}; the parameter is left out", describe(other))),
                None => self.warn(&from, "a parameter needs `in`; left out"),
            }
        }
        (parameters, request_bodies)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::test_support::*;
    use super::super::Converted;

    /// A document with `operation` as `POST /pets` and `fields` at the top level.
    fn post(operation: Value, fields: Value) -> Converted {
        let mut document = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/pets": {"post": operation}}});
        for (key, value) in fields.as_object().unwrap() {
            document[key] = value.clone();
        }
        convert(document)
    }

    fn with_parameters(parameters: Value) -> Converted {
        post(json!({"parameters": parameters, "responses": {"200": {"description": "ok"}}}), json!({}))
    }

    const OP: &str = "/paths/~1pets/post";

    #[test]
    fn query_parameters_get_a_schema() {
        let converted = with_parameters(json!([{
            "name": "limit", "in": "query", "description": "How many", "required": false, "type": "integer", "format": "int32",
            "minimum": 1, "maximum": 100, "default": 20, "x-example": 10, "x-internal": true
        }]));
        assert_eq!(
            at(&converted, &format!("{OP}/parameters/0")),
            &json!({
                "name": "limit", "in": "query", "description": "How many", "required": false,
                "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": 20},
                "example": 10, "x-internal": true
            })
        );
        assert!(converted.diagnostics.is_empty(), "{:?}", warnings(&converted));
        assert!(has_origin(&converted, &format!("{OP}/parameters/0/schema"), &format!("{OP}/parameters/0")));
    }

    #[test]
    fn array_parameters_get_a_style_for_their_collection_format() {
        let array = |name: &str, location: &str, format: Option<&str>| {
            let mut parameter = json!({"name": name, "in": location, "type": "array", "items": {"type": "string"}});
            if let Some(format) = format {
                parameter["collectionFormat"] = json!(format);
            }
            if location == "path" {
                parameter["required"] = json!(true);
            }
            parameter
        };
        let converted = with_parameters(json!([
            array("implicit", "query", None),
            array("csv", "query", Some("csv")),
            array("ssv", "query", Some("ssv")),
            array("pipes", "query", Some("pipes")),
            array("multi", "query", Some("multi")),
            array("tsv", "query", Some("tsv")),
            array("id", "path", Some("csv")),
            array("X-Tags", "header", None),
            array("X-Pipes", "header", Some("pipes")),
        ]));
        let styles: Vec<(Value, Value)> = (0..9)
            .map(|index| {
                let parameter = at(&converted, &format!("{OP}/parameters/{index}"));
                (parameter["style"].clone(), parameter["explode"].clone())
            })
            .collect();
        assert_eq!(
            styles,
            [
                (json!("form"), json!(false)),
                (json!("form"), json!(false)),
                (json!("spaceDelimited"), json!(false)),
                (json!("pipeDelimited"), json!(false)),
                (json!("form"), json!(true)),
                (json!("form"), json!(false)),
                (json!("simple"), json!(false)),
                (json!("simple"), json!(false)),
                (json!("simple"), json!(false)),
            ]
        );
        assert_eq!(at(&converted, &format!("{OP}/parameters/0/schema")), &json!({"type": "array", "items": {"type": "string"}}));
        assert!(warned(&converted, &format!("{OP}/parameters/5/collectionFormat"), "`tsv`"));
        assert!(warned(&converted, &format!("{OP}/parameters/8/collectionFormat"), "no 3.0 style in a header"));
        assert_eq!(converted.diagnostics.len(), 2);
    }

    #[test]
    fn path_parameters_are_required() {
        let converted = with_parameters(json!([
            {"name": "a", "in": "path", "type": "string", "required": true},
            {"name": "b", "in": "path", "type": "string"},
            {"name": "c", "in": "path", "type": "string", "required": false}
        ]));
        for index in 0..3 {
            assert_eq!(at(&converted, &format!("{OP}/parameters/{index}/required")), true);
        }
        assert!(warned(&converted, &format!("{OP}/parameters/1"), "`required: true` is added"));
        assert!(warned(&converted, &format!("{OP}/parameters/2/required"), "always required"));
    }

    #[test]
    fn header_and_cookie_parameters() {
        let converted = with_parameters(json!([
            {"name": "X-Id", "in": "header", "type": "string", "format": "uuid", "required": true},
            {"name": "session", "in": "cookie", "type": "string"}
        ]));
        assert_eq!(
            at(&converted, &format!("{OP}/parameters")),
            &json!([
                {"name": "X-Id", "in": "header", "required": true, "schema": {"type": "string", "format": "uuid"}},
                {"name": "session", "in": "cookie", "schema": {"type": "string"}}
            ])
        );
    }

    #[test]
    fn allow_empty_value_is_kept_on_query_parameters_only() {
        let converted = with_parameters(json!([
            {"name": "q", "in": "query", "type": "string", "allowEmptyValue": true},
            {"name": "h", "in": "header", "type": "string", "allowEmptyValue": true}
        ]));
        assert_eq!(at(&converted, &format!("{OP}/parameters/0/allowEmptyValue")), true);
        assert!(at(&converted, &format!("{OP}/parameters/1/allowEmptyValue")).is_null());
        assert!(warned(&converted, &format!("{OP}/parameters/1/allowEmptyValue"), "only for query parameters"));
    }

    #[test]
    fn x_nullable_on_a_parameter_goes_to_its_schema() {
        let converted = with_parameters(json!([{"name": "q", "in": "query", "type": "string", "x-nullable": true}]));
        assert_eq!(
            at(&converted, &format!("{OP}/parameters/0")),
            &json!({"name": "q", "in": "query", "schema": {"type": "string", "nullable": true}})
        );
    }

    #[test]
    fn malformed_parameters_are_warned_and_left_out() {
        let converted = with_parameters(json!([
            "limit",
            {"name": "a", "in": "somewhere", "type": "string"},
            {"name": "b", "type": "string"},
            {"in": "query", "type": "string"},
            {"name": "c", "in": "query", "type": "file"},
            {"name": "d", "in": "query", "type": "string", "example": "x", "required": "yes", "description": 1},
            {"$ref": 7},
            {"$ref": "#/parameters/missing"},
            {"name": "e", "in": 3}
        ]));
        let parameters = at(&converted, &format!("{OP}/parameters"));
        assert_eq!(
            parameters,
            &json!([
                {"name": "c", "in": "query", "schema": {"type": "string", "format": "binary"}},
                {"name": "d", "in": "query", "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/missing"}
            ])
        );
        assert!(has_origin(&converted, &format!("{OP}/parameters/1"), &format!("{OP}/parameters/5")));
        assert!(has_origin(&converted, &format!("{OP}/parameters/2"), &format!("{OP}/parameters/7")));
        for (pointer, text) in [
            ("/0", "must be an object"),
            ("/1/in", "not a 2.0 parameter location"),
            ("/2", "needs `in`"),
            ("/3", "needs a `name`"),
            ("/4/type", "only for form parameters"),
            ("/5/example", "not a 2.0 parameter field"),
            ("/5/required", "must be a boolean"),
            ("/5/description", "must be a string"),
            ("/6/$ref", "must be a string"),
            ("/7/$ref", "names no entry"),
            ("/8/in", "must be a string"),
        ] {
            let pointer = format!("{OP}/parameters{pointer}");
            assert!(warned(&converted, &pointer, text), "{pointer}: {text}: {:?}", warnings(&converted));
        }
    }

    #[test]
    fn a_body_parameter_becomes_the_request_body_for_each_consumed_type() {
        let converted = post(
            json!({
                "consumes": ["application/json", "application/xml"],
                "parameters": [{"name": "pet", "in": "body", "description": "The pet", "required": true, "x-body": 1, "schema": {"$ref": "#/definitions/Pet"}}],
                "responses": {"200": {"description": "ok"}}
            }),
            json!({}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/requestBody")),
            &json!({
                "description": "The pet",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                    "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}
                },
                "required": true,
                "x-body": 1
            })
        );
        assert!(at(&converted, &format!("{OP}/parameters")).is_null());
        assert!(at(&converted, &format!("{OP}/consumes")).is_null());
        assert!(has_origin(&converted, &format!("{OP}/requestBody"), &format!("{OP}/parameters/0")));
        assert!(has_origin(&converted, &format!("{OP}/requestBody/content/application~1xml/schema"), &format!("{OP}/parameters/0/schema")));
        assert!(converted.diagnostics.is_empty(), "{:?}", warnings(&converted));
    }

    #[test]
    fn body_media_types_come_from_the_document_or_default_to_json() {
        let body = json!({"parameters": [{"name": "b", "in": "body", "schema": {"type": "string"}}], "responses": {"200": {"description": "ok"}}});
        let converted = post(body.clone(), json!({"consumes": ["text/plain"]}));
        assert_eq!(at(&converted, &format!("{OP}/requestBody/content")), &json!({"text/plain": {"schema": {"type": "string"}}}));
        let converted = post(body.clone(), json!({}));
        assert_eq!(at(&converted, &format!("{OP}/requestBody/content")), &json!({"application/json": {"schema": {"type": "string"}}}));
        let mut cleared = body;
        cleared["consumes"] = json!([]);
        let converted = post(cleared, json!({"consumes": ["text/plain"]}));
        assert_eq!(at(&converted, &format!("{OP}/requestBody/content")), &json!({"application/json": {"schema": {"type": "string"}}}));
    }

    #[test]
    fn body_problems_are_warned() {
        let converted = with_parameters(json!([
            {"name": "a", "in": "body", "type": "string", "required": 1},
            {"name": "b", "in": "body", "schema": {}}
        ]));
        assert_eq!(at(&converted, &format!("{OP}/requestBody")), &json!({"content": {"application/json": {"schema": {}}}}));
        assert!(warned(&converted, &format!("{OP}/parameters/0"), "needs a `schema`"));
        assert!(warned(&converted, &format!("{OP}/parameters/0/type"), "not a 2.0 body parameter field"));
        assert!(warned(&converted, &format!("{OP}/parameters/0/required"), "must be a boolean"));
        assert!(warned(&converted, &format!("{OP}/parameters/1"), "only one body parameter"));
    }

    #[test]
    fn form_parameters_become_an_urlencoded_object() {
        let converted = post(
            json!({
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [
                    {"name": "name", "in": "formData", "type": "string", "required": true, "description": "Name", "x-example": "Rex"},
                    {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                    {"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}, "x-form": 1}
                ],
                "responses": {"200": {"description": "ok"}}
            }),
            json!({}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/requestBody")),
            &json!({
                "content": {"application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "description": "Name", "example": "Rex"},
                            "tags": {"type": "array", "items": {"type": "string"}},
                            "ids": {"type": "array", "items": {"type": "integer"}, "x-form": 1}
                        },
                        "required": ["name"]
                    },
                    "encoding": {"tags": {"style": "form", "explode": true}, "ids": {"style": "form", "explode": false}}
                }},
                "required": true
            })
        );
        assert!(has_origin(
            &converted,
            &format!("{OP}/requestBody/content/application~1x-www-form-urlencoded/schema/properties/tags"),
            &format!("{OP}/parameters/1")
        ));
        assert!(converted.diagnostics.is_empty(), "{:?}", warnings(&converted));
    }

    #[test]
    fn form_media_types_follow_consumes_and_files() {
        let field = json!({"name": "a", "in": "formData", "type": "string"});
        let file = json!({"name": "f", "in": "formData", "type": "file"});
        let types = |operation: Value, document: Value| {
            let converted = post(operation, document);
            let content = at(&converted, &format!("{OP}/requestBody/content")).as_object().cloned().unwrap_or_default();
            (content.keys().cloned().collect::<Vec<_>>(), converted)
        };
        let responses = json!({"200": {"description": "ok"}});
        let (found, _) = types(json!({"parameters": [field], "responses": responses}), json!({}));
        assert_eq!(found, ["application/x-www-form-urlencoded"]);
        let (found, _) = types(json!({"consumes": ["multipart/form-data"], "parameters": [field], "responses": responses}), json!({}));
        assert_eq!(found, ["multipart/form-data"]);
        let (found, _) = types(
            json!({"parameters": [field], "responses": responses}),
            json!({"consumes": ["multipart/form-data", "application/x-www-form-urlencoded"]}),
        );
        assert_eq!(found, ["multipart/form-data", "application/x-www-form-urlencoded"]);
        let (found, converted) = types(json!({"consumes": ["multipart/form-data"], "parameters": [field, file], "responses": responses}), json!({}));
        assert_eq!(found, ["multipart/form-data"]);
        assert_eq!(
            at(&converted, &format!("{OP}/requestBody/content/multipart~1form-data/schema/properties/f")),
            &json!({"type": "string", "format": "binary"})
        );
        assert!(converted.diagnostics.is_empty());
        let (found, converted) =
            types(json!({"parameters": [file], "responses": responses}), json!({"consumes": ["application/x-www-form-urlencoded"]}));
        assert_eq!(found, ["multipart/form-data"]);
        assert!(warned(&converted, OP, "file fields are sent as multipart/form-data"));
        let (found, converted) = types(json!({"consumes": ["application/json"], "parameters": [field], "responses": responses}), json!({}));
        assert_eq!(found, ["application/x-www-form-urlencoded"]);
        assert!(warned(&converted, OP, "form parameters need `consumes`"));
    }

    #[test]
    fn multipart_fields_have_no_separator() {
        let converted = post(
            json!({
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "a", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                    {"name": "b", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "csv", "allowEmptyValue": true}
                ],
                "responses": {"200": {"description": "ok"}}
            }),
            json!({}),
        );
        assert!(at(&converted, &format!("{OP}/requestBody/content/multipart~1form-data/encoding")).is_null());
        assert!(warned(&converted, &format!("{OP}/parameters/1/collectionFormat"), "multipart/form-data sends each item"));
        assert!(warned(&converted, &format!("{OP}/parameters/1/allowEmptyValue"), "no 3.0 form for a form field"));
        assert_eq!(converted.diagnostics.len(), 2);
    }

    #[test]
    fn body_and_form_parameters_together_keep_the_body() {
        let converted = with_parameters(json!([
            {"name": "f", "in": "formData", "type": "string"},
            {"name": "b", "in": "body", "schema": {"type": "object"}}
        ]));
        assert_eq!(at(&converted, &format!("{OP}/requestBody/content")), &json!({"application/json": {"schema": {"type": "object"}}}));
        assert!(warned(&converted, &format!("{OP}/parameters/0"), "cannot be used together"));
    }

    #[test]
    fn path_level_parameters_stay_and_their_bodies_and_fields_reach_each_operation() {
        let converted = convert(json!({
            "swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {"/pets/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "type": "integer"},
                    {"name": "pet", "in": "body", "schema": {"type": "object"}},
                    {"name": "note", "in": "formData", "type": "string"}
                ],
                "put": {"responses": {"200": {"description": "ok"}}},
                "post": {
                    "parameters": [{"name": "note", "in": "formData", "type": "integer"}, {"name": "other", "in": "formData", "type": "string"}],
                    "responses": {"200": {"description": "ok"}}
                },
                "patch": {"parameters": [{"name": "pet", "in": "body", "schema": {"type": "string"}}], "responses": {"200": {"description": "ok"}}}
            }}
        }));
        let item = "/paths/~1pets~1{id}";
        assert_eq!(
            at(&converted, &format!("{item}/parameters")),
            &json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}])
        );
        assert_eq!(at(&converted, &format!("{item}/put/requestBody/content/application~1json/schema")), &json!({"type": "object"}));
        assert!(has_origin(&converted, &format!("{item}/put/requestBody"), &format!("{item}/parameters/1")));
        // The operation's body wins over the path item's.
        assert_eq!(at(&converted, &format!("{item}/patch/requestBody/content/application~1json/schema")), &json!({"type": "string"}));
        // The path item's body wins over the operation's own form fields, which are warned.
        assert_eq!(at(&converted, &format!("{item}/post/requestBody/content/application~1json/schema")), &json!({"type": "object"}));
        assert!(warned(&converted, &format!("{item}/post/parameters/0"), "cannot be used together"));
    }

    #[test]
    fn form_fields_are_overridden_by_name() {
        let converted = convert(json!({
            "swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "parameters": [{"name": "note", "in": "formData", "type": "string"}, {"name": "keep", "in": "formData", "type": "boolean"}],
                "post": {
                    "parameters": [{"name": "note", "in": "formData", "type": "integer"}, {"name": "note", "in": "formData", "type": "number"}],
                    "responses": {"200": {"description": "ok"}}
                }
            }}
        }));
        assert_eq!(
            at(&converted, "/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties"),
            &json!({"keep": {"type": "boolean"}, "note": {"type": "integer"}})
        );
        assert!(warned(&converted, "/paths/~1a/post/parameters/1", "already defined"));
    }

    #[test]
    fn shared_parameters_become_components() {
        let converted = post(
            json!({
                "parameters": [{"$ref": "#/parameters/limit"}, {"$ref": "#/parameters/pet"}],
                "responses": {"200": {"description": "ok"}}
            }),
            json!({
                "consumes": ["application/json"],
                "parameters": {
                    "limit": {"name": "limit", "in": "query", "type": "integer"},
                    "pet": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
                    "unused": {"name": "unused", "in": "formData", "type": "string"},
                    "other": {"$ref": "common.yaml#/parameters/other"}
                }
            }),
        );
        assert_eq!(
            at(&converted, "/components/parameters"),
            &json!({
                "limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                "other": {"$ref": "common.yaml#/components/parameters/other"}
            })
        );
        assert_eq!(
            at(&converted, "/components/requestBodies"),
            &json!({"pet": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": true}})
        );
        assert_eq!(at(&converted, &format!("{OP}/parameters")), &json!([{"$ref": "#/components/parameters/limit"}]));
        assert_eq!(at(&converted, &format!("{OP}/requestBody")), &json!({"$ref": "#/components/requestBodies/pet"}));
        assert!(has_origin(&converted, &format!("{OP}/requestBody"), &format!("{OP}/parameters/1")));
        assert!(has_origin(&converted, "/components/requestBodies/pet", "/parameters/pet"));
        assert!(has_origin(&converted, "/components/requestBodies/pet/content/application~1json/schema", "/parameters/pet/schema"));
        assert!(warned(&converted, "/parameters/unused", "none does"));
        assert_eq!(converted.diagnostics.len(), 1, "{:?}", warnings(&converted));
    }

    #[test]
    fn shared_form_parameters_are_merged_into_the_operation() {
        let converted = post(
            json!({"parameters": [{"$ref": "#/parameters/note"}], "responses": {"200": {"description": "ok"}}}),
            json!({"parameters": {"note": {"name": "note", "in": "formData", "type": "string", "required": true}}}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/requestBody")),
            &json!({"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"note": {"type": "string"}}, "required": ["note"]}}}, "required": true})
        );
        assert!(has_origin(
            &converted,
            &format!("{OP}/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note"),
            "/parameters/note"
        ));
        assert!(at(&converted, "/components").is_null());
    }

    #[test]
    fn a_shared_body_is_copied_into_operations_consuming_other_types() {
        let converted = post(
            json!({"consumes": ["application/xml"], "parameters": [{"$ref": "#/parameters/pet"}], "responses": {"200": {"description": "ok"}}}),
            json!({"parameters": {"pet": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}, "bogus": 1}}}),
        );
        assert_eq!(
            at(&converted, &format!("{OP}/requestBody")),
            &json!({"content": {"application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        assert!(has_origin(&converted, &format!("{OP}/requestBody"), "/parameters/pet"));
        assert_eq!(
            at(&converted, "/components/requestBodies/pet"),
            &json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        // The copy's problems were reported with the component.
        assert_eq!(warnings(&converted), [("/parameters/pet/bogus".to_string(), "`bogus` is not a 2.0 body parameter field; left out".to_string())]);
    }
}
