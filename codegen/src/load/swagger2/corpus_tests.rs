//! The converter over the corpus's Swagger 2.0 documents (`tests/corpus/swagger2/`), and over
//! every way of breaking one of them a node at a time.
//!
//! There is no JSON Schema validator among this crate's dependencies, so the 3.0 output is
//! checked structurally instead: no 2.0 construct is left, and the parts 3.0 requires are there.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{convert, Converted};
use crate::diagnostics::escape_token;

fn corpus_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/swagger2")
}

fn documents(folder: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder).expect("the corpus folder").map(|entry| entry.expect("an entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            documents(&path, found);
        } else if matches!(path.extension().and_then(|extension| extension.to_str()), Some("json" | "yaml" | "yml")) {
            found.push(path);
        }
    }
}

fn parse(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("a readable corpus file");
    crate::load::parse::parse_text(&text, &mut Vec::new(), &mut Default::default())
        .unwrap_or_else(|(message, _)| panic!("{}: {message}", path.display()))
}

/// Every `$ref` string in structural positions: below extensions and example data a `$ref` is
/// data, except where the key is a property name.
fn references<'v>(value: &'v Value, pointer: &str, names: bool, found: &mut Vec<(String, &'v str)>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let here = format!("{pointer}/{}", escape_token(key));
                if !names && (key.starts_with("x-") || matches!(key.as_str(), "example" | "examples" | "default" | "enum")) {
                    continue;
                }
                if !names && key == "$ref" {
                    if let Value::String(reference) = child {
                        found.push((here, reference));
                    }
                    continue;
                }
                references(child, &here, !names && key == "properties", found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                references(item, &format!("{pointer}/{index}"), false, found);
            }
        }
        _ => {}
    }
}

/// What the 3.0 document must look like, whatever the 2.0 one held. Returns the problems.
fn check(input: &Value, converted: &Converted) -> Vec<String> {
    let mut problems = Vec::new();
    let root = &converted.root;
    if root.get("openapi") != Some(&json!("3.0.3")) {
        problems.push("`openapi` is not 3.0.3".to_string());
    }
    for key in ["info", "paths"] {
        if !root.get(key).is_some_and(Value::is_object) {
            problems.push(format!("no `{key}` object"));
        }
    }
    for key in root.as_object().map(|object| object.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
        if !["openapi", "info", "externalDocs", "servers", "security", "tags", "paths", "components"].contains(&key.as_str())
            && !key.starts_with("x-")
        {
            problems.push(format!("a top-level `{key}`"));
        }
    }
    let mut found = Vec::new();
    references(root, "", false, &mut found);
    for (pointer, reference) in found {
        if ["#/definitions/", "#/parameters/", "#/responses/", "#/securityDefinitions/"].iter().any(|old| reference.contains(old)) {
            problems.push(format!("{pointer}: a 2.0 reference `{reference}` is left"));
        }
    }
    for (at, from) in &converted.origins {
        if input.pointer(from).is_none() {
            problems.push(format!("the origin of {at} is {from}, which the 2.0 document does not have"));
        }
        if root.pointer(at).is_none() {
            problems.push(format!("the origin entry {at} is not in the 3.0 document"));
        }
    }
    let methods = ["get", "put", "post", "delete", "options", "head", "patch"];
    for (path, item) in root.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let Some(item) = item.as_object() else { continue };
        let mut parameter_lists = vec![(format!("{path} parameters"), item.get("parameters"))];
        for (method, operation) in item.iter().filter(|(method, _)| methods.contains(&method.as_str())) {
            let place = format!("{path} {method}");
            for key in ["consumes", "produces", "schemes"] {
                if operation.get(key).is_some() {
                    problems.push(format!("{place}: `{key}` is left"));
                }
            }
            if !operation.get("responses").is_some_and(Value::is_object) {
                problems.push(format!("{place}: no `responses`"));
            }
            for (code, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
                if !code.starts_with("x-") && response.get("$ref").is_none() && !response.get("description").is_some_and(Value::is_string) {
                    problems.push(format!("{place} {code}: a response without a description"));
                }
                if response.get("schema").is_some() || response.get("examples").is_some() {
                    problems.push(format!("{place} {code}: a 2.0 response field is left"));
                }
            }
            if let Some(body) = operation.get("requestBody") {
                let empty = body.get("content").and_then(Value::as_object).is_none_or(|content| content.is_empty());
                if body.get("$ref").is_none() && empty {
                    problems.push(format!("{place}: a request body without content"));
                }
            }
            parameter_lists.push((place, operation.get("parameters")));
        }
        for (place, list) in parameter_lists {
            for parameter in list.and_then(Value::as_array).into_iter().flatten() {
                if parameter.get("$ref").is_some() {
                    continue;
                }
                let location = parameter.get("in").and_then(Value::as_str).unwrap_or_default();
                if !["query", "path", "header", "cookie"].contains(&location) {
                    problems.push(format!("{place}: a parameter in `{location}`"));
                }
                if parameter.get("schema").is_none() {
                    problems.push(format!("{place}: a parameter without a schema"));
                }
                if location == "path" && parameter.get("required") != Some(&json!(true)) {
                    problems.push(format!("{place}: a path parameter that is not required"));
                }
                for key in ["type", "collectionFormat", "items", "format"] {
                    if parameter.get(key).is_some() {
                        problems.push(format!("{place}: a parameter's `{key}` is left"));
                    }
                }
            }
        }
    }
    no_2_0_schema_keywords(root, "", &mut problems);
    problems
}

/// No `x-nullable`, `type: file` or string `discriminator` is left in a structural position.
fn no_2_0_schema_keywords(value: &Value, pointer: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let here = format!("{pointer}/{}", escape_token(key));
                match (key.as_str(), child) {
                    ("x-nullable", _) => problems.push(format!("{here}: `x-nullable` is left")),
                    ("type", Value::String(kind)) if kind == "file" => problems.push(format!("{here}: `type: file` is left")),
                    ("discriminator", Value::String(_)) => problems.push(format!("{here}: a 2.0 discriminator is left")),
                    _ if key.starts_with("x-") || matches!(key.as_str(), "example" | "examples" | "default" | "enum") => {}
                    _ => no_2_0_schema_keywords(child, &here, problems),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                no_2_0_schema_keywords(item, &format!("{pointer}/{index}"), problems);
            }
        }
        _ => {}
    }
}

#[test]
fn every_corpus_document_converts_to_a_3_0_document() {
    let mut paths = Vec::new();
    documents(&corpus_folder(), &mut paths);
    assert!(paths.len() >= 60, "the corpus has {} Swagger 2.0 documents", paths.len());
    let mut failures = Vec::new();
    let mut warnings = 0;
    for path in &paths {
        let input = parse(path);
        let converted = convert(&input);
        warnings += converted.diagnostics.len();
        for problem in check(&input, &converted) {
            failures.push(format!("{}: {problem}", path.display()));
        }
        for diagnostic in &converted.diagnostics {
            if diagnostic.pointer.is_empty() {
                continue;
            }
            // Every warning is at a place of the 2.0 document (or a child that is missing there).
            let mut pointer = diagnostic.pointer.as_str();
            while input.pointer(pointer).is_none() {
                match pointer.rfind('/') {
                    Some(cut) if cut > 0 => pointer = &pointer[..cut],
                    _ => {
                        failures.push(format!("{}: a warning at {}, outside the document", path.display(), diagnostic.pointer));
                        break;
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    // Not an exact count (the corpus may grow); some documents are broken on purpose.
    assert!(warnings > 0);
}

#[test]
fn kubernetes_converts_with_its_shared_parameters_and_bodies() {
    let input = parse(&corpus_folder().join("kubernetes-swagger.json"));
    let converted = convert(&input);
    let root = &converted.root;
    let definitions = input["definitions"].as_object().unwrap().len();
    assert_eq!(root["components"]["schemas"].as_object().unwrap().len(), definitions);
    assert!(root["components"]["parameters"].as_object().unwrap().contains_key("pretty-tJGM1-ng"));
    assert!(root["components"]["requestBodies"].as_object().unwrap().contains_key("body-2Y1dVQaQ"));
    let paths = root["paths"].as_object().unwrap();
    assert_eq!(paths.len(), input["paths"].as_object().unwrap().len());
    // Kubernetes' operations consume `*/*` where the document names nothing, so shared bodies are copied.
    let (path, item) = paths.iter().find(|(_, item)| item.get("post").is_some_and(|post| post.get("requestBody").is_some())).unwrap();
    let body = &item["post"]["requestBody"];
    assert!(body.get("content").is_some(), "{path}: {body}");
    // Its operations name `schemes` where the document has no host: one warning says so.
    let messages: Vec<&str> = converted.diagnostics.iter().map(|diagnostic| diagnostic.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("an operation's own `schemes` have no 3.0 form without a `host`"));
}

/// A small document with every construct the converter handles.
fn every_construct() -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "All", "version": "1"},
        "host": "api.test", "basePath": "/v1", "schemes": ["https"],
        "consumes": ["application/json"], "produces": ["application/json"],
        "tags": [{"name": "t"}], "externalDocs": {"url": "https://docs.test"},
        "security": [{"key": [], "oauth": ["read"]}],
        "paths": {
            "/items/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"}, {"$ref": "#/parameters/limit"}],
                "get": {
                    "schemes": ["http"], "produces": ["application/xml"],
                    "parameters": [
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes", "x-example": ["a"]},
                        {"name": "X-Id", "in": "header", "type": "string", "x-nullable": true}
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}, "examples": {"application/xml": "<item/>"},
                                "headers": {"X-Rate": {"type": "array", "items": {"type": "integer"}, "collectionFormat": "csv"}}},
                        "404": {"$ref": "#/responses/NotFound"}
                    }
                },
                "put": {"parameters": [{"$ref": "#/parameters/item"}], "responses": {"default": {"$ref": "#/responses/NotFound"}}},
                "post": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [{"name": "file", "in": "formData", "type": "file", "required": true}, {"$ref": "#/parameters/note"}],
                    "responses": {"201": {"description": "made", "schema": {"type": "file"}}}
                }
            }
        },
        "definitions": {
            "Item": {"type": "object", "discriminator": "kind", "required": ["kind"], "x-nullable": true,
                     "properties": {"kind": {"type": "string"}, "parts": {"type": "array", "items": {"$ref": "#/definitions/Part"}}}},
            "Part": {"allOf": [{"$ref": "#/definitions/Item"}, {"properties": {"size": {"type": ["integer", "null"]}}}]}
        },
        "parameters": {
            "limit": {"name": "limit", "in": "query", "type": "integer"},
            "item": {"name": "item", "in": "body", "schema": {"$ref": "#/definitions/Item"}},
            "note": {"name": "note", "in": "formData", "type": "string"}
        },
        "responses": {"NotFound": {"description": "missing", "schema": {"type": "string"}}},
        "securityDefinitions": {
            "key": {"type": "apiKey", "name": "k", "in": "header"},
            "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.test/a", "tokenUrl": "https://a.test/t", "scopes": {"read": "r"}},
            "basic": {"type": "basic"}
        },
        "x-top": {"$ref": "#/definitions/Item"}
    })
}

#[test]
fn every_construct_converts_without_warnings() {
    let input = every_construct();
    let converted = convert(&input);
    assert_eq!(check(&input, &converted), Vec::<String>::new());
    let messages: Vec<&str> = converted.diagnostics.iter().map(|diagnostic| diagnostic.message.as_str()).collect();
    assert_eq!(messages, Vec::<&str>::new());
}

/// Every node of a document replaced by each kind of value in turn: the converter must finish
/// each time, with a 3.0 document whose origins hold.
#[test]
fn no_single_broken_node_stops_the_conversion() {
    for (name, input) in [
        ("every construct", every_construct()),
        ("parameter-conversion.json", parse(&corpus_folder().join("swagger-parser/parameter-conversion.json"))),
        ("issue-1032.yaml", parse(&corpus_folder().join("swagger-parser/issue-1032.yaml"))),
    ] {
        let mut pointers = Vec::new();
        every_pointer(&input, String::new(), &mut pointers);
        for pointer in pointers {
            for replacement in [json!(null), json!(7), json!("text"), json!([]), json!({}), json!([{}]), json!({"$ref": "#/definitions/X"})] {
                let mut broken = input.clone();
                if let Some(node) = broken.pointer_mut(&pointer) {
                    *node = replacement;
                }
                let converted = convert(&broken);
                let problems: Vec<String> = check(&broken, &converted).into_iter().filter(|problem| !problem.contains("a 2.0 reference")).collect();
                assert!(problems.is_empty(), "{name} with {pointer} replaced: {problems:?}");
            }
        }
    }
}

fn every_pointer(value: &Value, pointer: String, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                every_pointer(child, format!("{pointer}/{}", escape_token(key)), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                every_pointer(item, format!("{pointer}/{index}"), found);
            }
        }
        _ => {}
    }
    found.push(pointer);
}
