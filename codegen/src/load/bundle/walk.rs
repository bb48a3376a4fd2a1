//! A walk over an OpenAPI document that knows what each object is, so that every `$ref` found
//! is known to stand for a schema, a parameter, a Path Item and so on: that decides where its
//! target lands in the bundled document and what it is named.
//!
//! Values that are data (`example`, `default`, `enum`, `const`, an Example's `value`) are never
//! entered: a `$ref` key inside them is part of the data.

use std::fmt::Write as _;

use serde_json::Value;

use crate::lower::keywords::Keywords;

/// What an object in an OpenAPI document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Document,
    Components,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Header,
    MediaType,
    Encoding,
    Schema,
    Example,
    Link,
    Callback,
    SecurityScheme,
}

impl Kind {
    /// The `components` section a target of this kind becomes part of; `None` for kinds that
    /// land where they are referenced.
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Header => "headers",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }

    /// What the named children of a `components` section are.
    pub fn of_section(section: &str) -> Option<Kind> {
        Some(match section {
            "schemas" => Kind::Schema,
            "parameters" => Kind::Parameter,
            "requestBodies" => Kind::RequestBody,
            "responses" => Kind::Response,
            "headers" => Kind::Header,
            "examples" => Kind::Example,
            "links" => Kind::Link,
            "callbacks" => Kind::Callback,
            "securitySchemes" => Kind::SecurityScheme,
            "pathItems" => Kind::PathItem,
            _ => return None,
        })
    }
}

/// What is expected at a place: one object of a kind, or a list or map of them (a reference may
/// stand for a whole `parameters` list, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    One(Kind),
    List(Kind),
    Map(Kind),
}

impl Shape {
    /// The `components` section a target of this shape becomes part of; `None` for targets that
    /// land where they are referenced.
    pub fn section(self) -> Option<&'static str> {
        match self {
            Shape::One(kind) => kind.section(),
            Shape::List(_) | Shape::Map(_) => None,
        }
    }
}

/// What a walk reports.
pub trait Visitor {
    /// A reference object (`{"$ref": "..."}`, maybe with siblings) where `shape` is expected;
    /// `pointer` is where it is, relative to where the walk started. Returns whether the visitor
    /// took care of what the reference stands for (the walk does not enter it then).
    fn reference(&mut self, value: &mut Value, shape: Shape, pointer: &str) -> bool;

    /// A schema with `$id` (OpenAPI 3.1): its children resolve against the new base until
    /// [`Visitor::leave_resource`].
    fn enter_resource(&mut self, id: &str, pointer: &str);

    /// Leaves the schema last entered with [`Visitor::enter_resource`].
    fn leave_resource(&mut self);

    /// A value of a discriminator's `mapping`, which names a schema by a reference or by a
    /// component name.
    fn mapping(&mut self, value: &mut String, pointer: &str);

    /// A reference object where OpenAPI expects none: under an `x-` extension, or where a plain
    /// value belongs (`description: {$ref: ./intro.md}`). Such references are followed only
    /// where the visitor chooses to.
    fn loose_reference(&mut self, value: &mut Value, pointer: &str);

    /// An object of kind `kind` that is not a reference object, after everything inside it was
    /// walked: a visitor that rewrites objects finds their children already rewritten and still
    /// at the pointers they had.
    fn visited(&mut self, _value: &mut Value, _kind: Kind, _pointer: &str) {}
}

/// Walks `value`, of shape `shape`, reporting every reference in it.
pub fn walk(value: &mut Value, shape: Shape, visitor: &mut dyn Visitor) {
    let mut pointer = String::new();
    match shape {
        Shape::One(kind) => visit(value, kind, &mut pointer, visitor),
        Shape::List(kind) => each_item_of(value, kind, &mut pointer, visitor),
        Shape::Map(kind) => each_value(value, kind, &mut pointer, visitor),
    }
}

fn visit(value: &mut Value, kind: Kind, pointer: &mut String, visitor: &mut dyn Visitor) {
    if value.keyword("$ref").is_some_and(Value::is_string) && kind != Kind::Schema {
        // Beside a `$ref`, only a schema's keywords mean anything (3.1 applies them too).
        visitor.reference(value, Shape::One(kind), pointer);
        return;
    }
    // A schema's `$id` is the base of its own `$ref` too.
    let resource = match (kind, value.keyword("$id")) {
        (Kind::Schema, Some(Value::String(id))) => {
            visitor.enter_resource(id, pointer);
            true
        }
        _ => false,
    };
    if value.keyword("$ref").is_some_and(Value::is_string) {
        visitor.reference(value, Shape::One(kind), pointer);
    }
    visit_fields(value, kind, pointer, visitor);
    visitor.visited(value, kind, pointer);
    if resource {
        visitor.leave_resource();
    }
}

fn visit_fields(value: &mut Value, kind: Kind, pointer: &mut String, visitor: &mut dyn Visitor) {
    let Value::Object(object) = value else {
        if let (Kind::Schema, Value::Array(items)) = (kind, value) {
            // `items` as an array (a tuple in drafts before 2020-12).
            each_item(items, Kind::Schema, pointer, visitor);
        }
        return;
    };
    for (key, child) in object.iter_mut() {
        let mark = pointer.len();
        crate::diagnostics::push_token(pointer, key);
        if key.starts_with("x-") {
            extension(child, pointer, visitor);
        } else {
            visit_field(kind, key, child, pointer, visitor);
        }
        pointer.truncate(mark);
    }
}

/// A field of an object of kind `kind`.
fn visit_field(kind: Kind, key: &str, child: &mut Value, pointer: &mut String, visitor: &mut dyn Visitor) {
    use Kind::*;
    match (kind, key) {
        (Document, "paths") => visit(child, Paths, pointer, visitor),
        (Document, "webhooks") => each_value(child, PathItem, pointer, visitor),
        (Document, "components") => visit(child, Components, pointer, visitor),
        // Swagger 2.0 keeps its reusable parts at the top.
        (Document, "definitions") => each_value(child, Schema, pointer, visitor),
        (Document, "parameters") => each_value(child, Parameter, pointer, visitor),
        (Document, "responses") => each_value(child, Response, pointer, visitor),
        (Components, section) => {
            if let Some(kind) = Kind::of_section(section) {
                each_value(child, kind, pointer, visitor);
            }
        }
        (Paths, _) => visit(child, PathItem, pointer, visitor),
        (PathItem, "parameters") | (Operation, "parameters") => each_item_of(child, Parameter, pointer, visitor),
        (PathItem, "additionalOperations") => each_value(child, Operation, pointer, visitor),
        (PathItem, method) if is_method(method) => visit(child, Operation, pointer, visitor),
        (Operation, "requestBody") => visit(child, RequestBody, pointer, visitor),
        (Operation, "responses") => visit(child, Responses, pointer, visitor),
        (Operation, "callbacks") => each_value(child, Callback, pointer, visitor),
        (Responses, _) => visit(child, Response, pointer, visitor),
        (Response, "headers") | (Encoding, "headers") => each_value(child, Header, pointer, visitor),
        (Response, "content") | (Parameter, "content") | (Header, "content") | (RequestBody, "content") => {
            each_value(child, MediaType, pointer, visitor)
        }
        (Response, "links") => each_value(child, Link, pointer, visitor),
        // A Swagger 2.0 response holds its schema itself.
        (Parameter | Header | MediaType | Response, "schema") | (MediaType, "itemSchema") => visit(child, Schema, pointer, visitor),
        (Parameter | Header | MediaType, "examples") => each_value(child, Example, pointer, visitor),
        (MediaType, "encoding") => each_value(child, Encoding, pointer, visitor),
        (MediaType, "itemEncoding") => visit(child, Encoding, pointer, visitor),
        (Callback, _) => visit(child, PathItem, pointer, visitor),
        (Schema, keyword) => schema_keyword(keyword, child, pointer, visitor),
        (_, field) => loose(field, child, pointer, visitor),
    }
}

/// A field this walk does not type (`info`, `description`, `servers`, …): a reference in it can
/// only stand for a plain value. Data (`example`, `default`, …) is never entered.
fn loose(field: &str, child: &mut Value, pointer: &mut String, visitor: &mut dyn Visitor) {
    if !matches!(field, "example" | "examples" | "default" | "enum" | "const" | "value") && (child.is_object() || child.is_array()) {
        extension(child, pointer, visitor);
    }
}

fn schema_keyword(keyword: &str, child: &mut Value, pointer: &mut String, visitor: &mut dyn Visitor) {
    match keyword {
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => each_value(child, Kind::Schema, pointer, visitor),
        "allOf" | "anyOf" | "oneOf" | "prefixItems" => each_item_of(child, Kind::Schema, pointer, visitor),
        "items"
        | "additionalItems"
        | "additionalProperties"
        | "not"
        | "if"
        | "then"
        | "else"
        | "contains"
        | "propertyNames"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "contentSchema" => visit(child, Kind::Schema, pointer, visitor),
        "description" | "title" | "$comment" | "externalDocs" | "xml" => loose(keyword, child, pointer, visitor),
        "discriminator" => {
            let Some(Value::Object(mapping)) = child.get_mut("mapping") else { return };
            let mark = pointer.len();
            for (key, value) in mapping.iter_mut() {
                if let Value::String(value) = value {
                    pointer.push_str("/mapping");
                    crate::diagnostics::push_token(pointer, key);
                    visitor.mapping(value, pointer);
                    pointer.truncate(mark);
                }
            }
        }
        _ => {}
    }
}

/// Inside an extension (or an untyped field) nothing is typed: every reference object is offered
/// to the visitor.
fn extension(value: &mut Value, pointer: &mut String, visitor: &mut dyn Visitor) {
    if value.keyword("$ref").is_some_and(Value::is_string) {
        visitor.loose_reference(value, pointer);
        return;
    }
    let mark = pointer.len();
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                crate::diagnostics::push_token(pointer, key);
                extension(child, pointer, visitor);
                pointer.truncate(mark);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                pointer.push('/');
                let _ = write!(pointer, "{index}");
                extension(child, pointer, visitor);
                pointer.truncate(mark);
            }
        }
        _ => {}
    }
}

fn is_method(key: &str) -> bool {
    matches!(key, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" | "query")
}

/// Every value of a map whose values are all of one kind (`properties`, `responses`, a
/// components section).
fn each_value(value: &mut Value, kind: Kind, pointer: &mut String, visitor: &mut dyn Visitor) {
    if value.keyword("$ref").is_some_and(Value::is_string) && kind != Kind::Schema && visitor.reference(value, Shape::Map(kind), pointer) {
        return;
    }
    // A list where a map belongs is wrong, but what it holds is still looked at: a reference in
    // it must not go unchecked.
    if let Value::Array(items) = value {
        each_item(items, kind, pointer, visitor);
        return;
    }
    let Value::Object(object) = value else { return };
    for (key, child) in object.iter_mut() {
        if key.starts_with("x-") && kind != Kind::Schema {
            continue;
        }
        let mark = pointer.len();
        crate::diagnostics::push_token(pointer, key);
        visit(child, kind, pointer, visitor);
        pointer.truncate(mark);
    }
}

fn each_item_of(value: &mut Value, kind: Kind, pointer: &mut String, visitor: &mut dyn Visitor) {
    if value.keyword("$ref").is_some_and(Value::is_string) && visitor.reference(value, Shape::List(kind), pointer) {
        return;
    }
    match value {
        Value::Array(items) => each_item(items, kind, pointer, visitor),
        // A map where a list belongs: as above, what it holds is still looked at.
        Value::Object(_) if kind != Kind::Schema => each_value(value, kind, pointer, visitor),
        _ => {}
    }
}

fn each_item(items: &mut [Value], kind: Kind, pointer: &mut String, visitor: &mut dyn Visitor) {
    for (index, child) in items.iter_mut().enumerate() {
        let mark = pointer.len();
        pointer.push('/');
        let _ = write!(pointer, "{index}");
        visit(child, kind, pointer, visitor);
        pointer.truncate(mark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Default)]
    struct Seen(Vec<(Kind, String, String)>);

    impl Visitor for Seen {
        fn reference(&mut self, value: &mut Value, shape: Shape, pointer: &str) -> bool {
            let kind = match shape {
                Shape::One(kind) => kind,
                Shape::List(_) | Shape::Map(_) => Kind::Document,
            };
            self.0.push((kind, pointer.to_string(), value["$ref"].as_str().unwrap().to_string()));
            true
        }
        fn enter_resource(&mut self, _: &str, _: &str) {}
        fn leave_resource(&mut self) {}
        fn mapping(&mut self, value: &mut String, pointer: &str) {
            self.0.push((Kind::Schema, pointer.to_string(), value.clone()));
        }
        fn loose_reference(&mut self, value: &mut Value, pointer: &str) {
            self.0.push((Kind::Document, pointer.to_string(), value["$ref"].as_str().unwrap().to_string()));
        }
    }

    #[test]
    fn every_reference_is_found_with_its_kind() {
        let mut document = json!({
            "paths": {
                "/a": {"$ref": "paths/a.yaml"},
                "/b": {
                    "parameters": [{"$ref": "p.yaml"}],
                    "put": {"parameters": {"$ref": "list.yaml"}},
                    "get": {
                        "responses": {"200": {"$ref": "r.yaml"}, "400": {"content": {"application/json": {
                            "schema": {"properties": {"x": {"$ref": "s.yaml"}}, "example": {"$ref": "data"}},
                            "examples": {"e": {"value": {"$ref": "data"}}}
                        }}}},
                        "x-code": [{"source": {"$ref": "get.cs"}}]
                    }
                }
            },
            "components": {"schemas": {"S": {"items": [{"$ref": "t.yaml"}], "enum": [{"$ref": "data"}], "discriminator": {"mapping": {"a": "./A.yaml"}}}}}
        });
        let mut seen = Seen::default();
        walk(&mut document, Shape::One(Kind::Document), &mut seen);
        let found: Vec<(Kind, &str, &str)> = seen.0.iter().map(|(kind, pointer, reference)| (*kind, pointer.as_str(), reference.as_str())).collect();
        assert_eq!(
            found,
            [
                (Kind::PathItem, "/paths/~1a", "paths/a.yaml"),
                (Kind::Parameter, "/paths/~1b/parameters/0", "p.yaml"),
                (Kind::Document, "/paths/~1b/put/parameters", "list.yaml"),
                (Kind::Response, "/paths/~1b/get/responses/200", "r.yaml"),
                (Kind::Schema, "/paths/~1b/get/responses/400/content/application~1json/schema/properties/x", "s.yaml"),
                (Kind::Document, "/paths/~1b/get/x-code/0/source", "get.cs"),
                (Kind::Schema, "/components/schemas/S/items/0", "t.yaml"),
                (Kind::Schema, "/components/schemas/S/discriminator/mapping/a", "./A.yaml"),
            ]
        );
    }
}
