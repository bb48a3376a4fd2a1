//! A walk over an OpenAPI document that knows what each object is, so that every `$ref` found
//! is known to stand for a schema, a parameter, a Path Item and so on: that decides where its
//! target lands in the bundled document and what it is named.
//!
//! Values that are data (`example`, `default`, `enum`, `const`, an Example's `value`) are never
//! entered: a `$ref` key inside them is part of the data.

use std::fmt;

use serde_json::Value;

use crate::keywords::Keywords;

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

/// Where the walk is: the keys and indexes from where it started, written out as a JSON pointer
/// (relative to that start) only when a visitor asks. Nearly every member a walk passes holds no
/// reference, and building the pointer of each was half of a large document's walk.
#[derive(Clone, Copy)]
pub struct At<'a> {
    up: Option<&'a At<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    Start,
    Key(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    /// Where a walk starts: the empty pointer.
    pub const START: At<'static> = At { up: None, step: Step::Start };

    /// The member `key` of the object here.
    pub fn key<'b>(&'b self, key: &'b str) -> At<'b> {
        At { up: Some(self), step: Step::Key(key) }
    }

    /// The item `index` of the list here.
    pub fn index(&self, index: usize) -> At<'_> {
        At { up: Some(self), step: Step::Index(index) }
    }

    /// The JSON pointer, each key escaped.
    pub fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(here) = at {
            steps.push(here.step);
            at = here.up;
        }
        let mut pointer = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Start => {}
                Step::Key(key) => crate::diagnostics::push_token(&mut pointer, key),
                Step::Index(index) => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
            }
        }
        pointer
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pointer())
    }
}

/// What a walk reports.
pub trait Visitor {
    /// A reference object (`{"$ref": "..."}`, maybe with siblings) where `shape` is expected, at
    /// `at`. Returns whether the visitor took care of what the reference stands for (the walk
    /// does not enter it then).
    fn reference(&mut self, value: &mut Value, shape: Shape, at: &At<'_>) -> bool;

    /// A schema with `$id` (OpenAPI 3.1): its children resolve against the new base until
    /// [`Visitor::leave_resource`].
    fn enter_resource(&mut self, id: &str, at: &At<'_>);

    /// Leaves the schema last entered with [`Visitor::enter_resource`].
    fn leave_resource(&mut self);

    /// A value of a discriminator's `mapping`, which names a schema by a reference or by a
    /// component name.
    fn mapping(&mut self, value: &mut String, at: &At<'_>);

    /// A reference object where OpenAPI expects none: under an `x-` extension, or where a plain
    /// value belongs (`description: {$ref: ./intro.md}`). Such references are followed only
    /// where the visitor chooses to.
    fn loose_reference(&mut self, value: &mut Value, at: &At<'_>);

    /// An object of kind `kind` that is not a reference object, after everything inside it was
    /// walked: a visitor that rewrites objects finds their children already rewritten and still
    /// at the pointers they had.
    fn visited(&mut self, _value: &mut Value, _kind: Kind, _at: &At<'_>) {}
}

/// Walks `value`, of shape `shape`, reporting every reference in it.
pub fn walk(value: &mut Value, shape: Shape, visitor: &mut dyn Visitor) {
    let at = At::START;
    match shape {
        Shape::One(kind) => visit(value, kind, &at, visitor),
        Shape::List(kind) => each_item_of(value, kind, &at, visitor),
        Shape::Map(kind) => each_value(value, kind, &at, visitor),
    }
}

fn visit(value: &mut Value, kind: Kind, at: &At<'_>, visitor: &mut dyn Visitor) {
    if value.keyword("$ref").is_some_and(Value::is_string) && kind != Kind::Schema {
        // Beside a `$ref`, only a schema's keywords mean anything (3.1 applies them too).
        visitor.reference(value, Shape::One(kind), at);
        return;
    }
    // A schema's `$id` is the base of its own `$ref` too.
    let resource = match (kind, value.keyword("$id")) {
        (Kind::Schema, Some(Value::String(id))) => {
            visitor.enter_resource(id, at);
            true
        }
        _ => false,
    };
    if value.keyword("$ref").is_some_and(Value::is_string) {
        visitor.reference(value, Shape::One(kind), at);
    }
    visit_fields(value, kind, at, visitor);
    visitor.visited(value, kind, at);
    if resource {
        visitor.leave_resource();
    }
}

fn visit_fields(value: &mut Value, kind: Kind, at: &At<'_>, visitor: &mut dyn Visitor) {
    let Value::Object(object) = value else {
        if let (Kind::Schema, Value::Array(items)) = (kind, value) {
            // `items` as an array (a tuple in drafts before 2020-12).
            each_item(items, Kind::Schema, at, visitor);
        }
        return;
    };
    for (key, child) in object.iter_mut() {
        let at = at.key(key);
        if key.starts_with("x-") {
            extension(child, &at, visitor);
        } else {
            visit_field(kind, key, child, &at, visitor);
        }
    }
}

/// A field of an object of kind `kind`.
fn visit_field(kind: Kind, key: &str, child: &mut Value, at: &At<'_>, visitor: &mut dyn Visitor) {
    use Kind::*;
    match (kind, key) {
        (Document, "paths") => visit(child, Paths, at, visitor),
        (Document, "webhooks") => each_value(child, PathItem, at, visitor),
        (Document, "components") => visit(child, Components, at, visitor),
        // Swagger 2.0 keeps its reusable parts at the top.
        (Document, "definitions") => each_value(child, Schema, at, visitor),
        (Document, "parameters") => each_value(child, Parameter, at, visitor),
        (Document, "responses") => each_value(child, Response, at, visitor),
        (Components, section) => {
            if let Some(kind) = Kind::of_section(section) {
                each_value(child, kind, at, visitor);
            }
        }
        (Paths, _) => visit(child, PathItem, at, visitor),
        (PathItem, "parameters") | (Operation, "parameters") => each_item_of(child, Parameter, at, visitor),
        (PathItem, "additionalOperations") => each_value(child, Operation, at, visitor),
        (PathItem, method) if is_method(method) => visit(child, Operation, at, visitor),
        (Operation, "requestBody") => visit(child, RequestBody, at, visitor),
        (Operation, "responses") => visit(child, Responses, at, visitor),
        (Operation, "callbacks") => each_value(child, Callback, at, visitor),
        (Responses, _) => visit(child, Response, at, visitor),
        (Response, "headers") | (Encoding, "headers") => each_value(child, Header, at, visitor),
        (Response, "content") | (Parameter, "content") | (Header, "content") | (RequestBody, "content") => each_value(child, MediaType, at, visitor),
        (Response, "links") => each_value(child, Link, at, visitor),
        // A Swagger 2.0 response holds its schema itself.
        (Parameter | Header | MediaType | Response, "schema") | (MediaType, "itemSchema") => visit(child, Schema, at, visitor),
        (Parameter | Header | MediaType, "examples") => each_value(child, Example, at, visitor),
        (MediaType, "encoding") => each_value(child, Encoding, at, visitor),
        (MediaType, "itemEncoding") => visit(child, Encoding, at, visitor),
        (Callback, _) => visit(child, PathItem, at, visitor),
        (Schema, keyword) => schema_keyword(keyword, child, at, visitor),
        (_, field) => loose(field, child, at, visitor),
    }
}

/// A field this walk does not type (`info`, `description`, `servers`, …): a reference in it can
/// only stand for a plain value. Data (`example`, `default`, …) is never entered.
fn loose(field: &str, child: &mut Value, at: &At<'_>, visitor: &mut dyn Visitor) {
    if !matches!(field, "example" | "examples" | "default" | "enum" | "const" | "value") && (child.is_object() || child.is_array()) {
        extension(child, at, visitor);
    }
}

fn schema_keyword(keyword: &str, child: &mut Value, at: &At<'_>, visitor: &mut dyn Visitor) {
    match keyword {
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => each_value(child, Kind::Schema, at, visitor),
        "allOf" | "anyOf" | "oneOf" | "prefixItems" => each_item_of(child, Kind::Schema, at, visitor),
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
        | "contentSchema" => visit(child, Kind::Schema, at, visitor),
        "description" | "title" | "$comment" | "externalDocs" | "xml" => loose(keyword, child, at, visitor),
        "discriminator" => {
            let Some(Value::Object(mapping)) = child.get_mut("mapping") else { return };
            let at = at.key("mapping");
            for (key, value) in mapping.iter_mut() {
                if let Value::String(value) = value {
                    visitor.mapping(value, &at.key(key));
                }
            }
        }
        _ => {}
    }
}

/// Inside an extension (or an untyped field) nothing is typed: every reference object is offered
/// to the visitor.
fn extension(value: &mut Value, at: &At<'_>, visitor: &mut dyn Visitor) {
    if value.keyword("$ref").is_some_and(Value::is_string) {
        visitor.loose_reference(value, at);
        return;
    }
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                extension(child, &at.key(key), visitor);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                extension(child, &at.index(index), visitor);
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
fn each_value(value: &mut Value, kind: Kind, at: &At<'_>, visitor: &mut dyn Visitor) {
    if value.keyword("$ref").is_some_and(Value::is_string) && kind != Kind::Schema && visitor.reference(value, Shape::Map(kind), at) {
        return;
    }
    // A list where a map belongs is wrong, but what it holds is still looked at: a reference in
    // it must not go unchecked.
    if let Value::Array(items) = value {
        each_item(items, kind, at, visitor);
        return;
    }
    let Value::Object(object) = value else { return };
    for (key, child) in object.iter_mut() {
        if key.starts_with("x-") && kind != Kind::Schema {
            continue;
        }
        visit(child, kind, &at.key(key), visitor);
    }
}

fn each_item_of(value: &mut Value, kind: Kind, at: &At<'_>, visitor: &mut dyn Visitor) {
    if value.keyword("$ref").is_some_and(Value::is_string) && visitor.reference(value, Shape::List(kind), at) {
        return;
    }
    match value {
        Value::Array(items) => each_item(items, kind, at, visitor),
        // A map where a list belongs: as above, what it holds is still looked at.
        Value::Object(_) if kind != Kind::Schema => each_value(value, kind, at, visitor),
        _ => {}
    }
}

fn each_item(items: &mut [Value], kind: Kind, at: &At<'_>, visitor: &mut dyn Visitor) {
    for (index, child) in items.iter_mut().enumerate() {
        visit(child, kind, &at.index(index), visitor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Default)]
    struct Seen(Vec<(Kind, String, String)>);

    impl Visitor for Seen {
        fn reference(&mut self, value: &mut Value, shape: Shape, at: &At<'_>) -> bool {
            let kind = match shape {
                Shape::One(kind) => kind,
                Shape::List(_) | Shape::Map(_) => Kind::Document,
            };
            self.0.push((kind, at.pointer(), value["$ref"].as_str().unwrap().to_string()));
            true
        }
        fn enter_resource(&mut self, _: &str, _: &At<'_>) {}
        fn leave_resource(&mut self) {}
        fn mapping(&mut self, value: &mut String, at: &At<'_>) {
            self.0.push((Kind::Schema, at.pointer(), value.clone()));
        }
        fn loose_reference(&mut self, value: &mut Value, at: &At<'_>) {
            self.0.push((Kind::Document, at.pointer(), value["$ref"].as_str().unwrap().to_string()));
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
