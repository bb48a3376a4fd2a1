//! Path items and operations. Query, path and header parameters stay where they are (3.0 also
//! has path-level parameters, with the same override rule); body and form parameters, at either
//! level, become the operation's one `requestBody`. An operation's `consumes` and `produces`
//! choose the media types of its body and responses, and its `schemes`, when they differ from
//! the document's, become servers of its own; none of the three is copied.

use serde_json::{Map, Value};

use super::super::describe;
use super::parameters::Split;
use super::{effective, is_extension, join, Converter};

/// The operations of a 2.0 path item.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

impl<'a> Converter<'a> {
    /// `paths`, each path item converted.
    pub(super) fn paths(&mut self) -> Value {
        let root = self.root;
        let mut out = Map::new();
        match root.get("paths") {
            None => self.warn("", "the document has no `paths`; it converts with none"),
            Some(Value::Object(paths)) => {
                self.origin("/paths", "/paths");
                for (path, item) in paths {
                    let here = join("/paths", path);
                    if is_extension(path) {
                        out.insert(path.clone(), item.clone());
                    } else if !path.starts_with('/') {
                        self.warn(&here, format!("a path must start with `/`; `{path}` is left out"));
                    } else if let Value::Object(item) = item {
                        let item = self.path_item(item, &here);
                        out.insert(path.clone(), item);
                    } else {
                        self.warn(&here, format!("a path item must be an object, found {}; left out", describe(item)));
                    }
                }
            }
            Some(other) => self.warn("/paths", format!("`paths` must be an object, found {}; it converts with none", describe(other))),
        }
        // One warning for them all: a document that does this tends to do it in every operation.
        if let Some(first) = self.schemes_without_host.first().cloned() {
            let others = match self.schemes_without_host.len() - 1 {
                0 => String::new(),
                1 => " (here and in 1 other operation)".to_string(),
                more => format!(" (here and in {more} other operations)"),
            };
            self.warn(
                &first,
                format!("an operation's own `schemes` have no 3.0 form without a `host` (a URL with a scheme needs a host); ignored{others}"),
            );
        }
        Value::Object(out)
    }

    /// One path item, at the same pointer in both documents.
    fn path_item(&mut self, item: &'a Map<String, Value>, from: &str) -> Value {
        let parameters_from = join(from, "parameters");
        let shared = match item.get("parameters") {
            Some(list) => self.parameter_entries(list, &parameters_from),
            None => Split::default(),
        };
        for extra in shared.bodies.iter().skip(1) {
            self.warn(&extra.reference_from, "a path item may have only one body parameter; this one is left out");
        }
        let mut out = Map::new();
        for (key, value) in item {
            let here = join(from, key);
            match key.as_str() {
                "$ref" => match value {
                    Value::String(reference) => {
                        let rewritten = self.rewrite_ref(reference, &here).reference;
                        out.insert(key.clone(), Value::String(rewritten));
                    }
                    other => self.warn(&here, format!("`$ref` must be a string, found {}; left out", describe(other))),
                },
                "parameters" => {
                    let parameters = self.write_parameters(&shared.parameters, &here);
                    if !parameters.is_empty() {
                        out.insert(key.clone(), Value::Array(parameters));
                    }
                }
                method if METHODS.contains(&method) => match value {
                    Value::Object(operation) => {
                        let operation = self.operation(operation, &here, &shared);
                        out.insert(key.clone(), operation);
                    }
                    other => self.warn(&here, format!("an operation must be an object, found {}; left out", describe(other))),
                },
                _ if is_extension(key) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.warn(&here, format!("`{key}` is not a 2.0 path item field; left out")),
            }
        }
        Value::Object(out)
    }

    /// One operation, at the same pointer in both documents, with the body and form parameters
    /// its path item shares.
    fn operation(&mut self, operation: &'a Map<String, Value>, from: &str, shared: &Split<'a>) -> Value {
        // The body's types are chosen with the parameters; an empty list is kept to tell.
        let consumes = self.media_types(operation.get("consumes"), &join(from, "consumes"));
        let consumes = consumes.unwrap_or_else(|| self.consumes.clone());
        let produces = self.media_types(operation.get("produces"), &join(from, "produces"));
        let produces = effective(produces, &self.produces);
        let own = match operation.get("parameters") {
            Some(list) => self.parameter_entries(list, &join(from, "parameters")),
            None => Split::default(),
        };
        let mut out = Map::new();
        for (key, value) in operation {
            let here = join(from, key);
            match key.as_str() {
                "parameters" => {
                    let parameters = self.write_parameters(&own.parameters, &here);
                    if !parameters.is_empty() {
                        out.insert(key.clone(), Value::Array(parameters));
                    }
                }
                "responses" => {
                    let responses = self.responses(value, &here, &here, &produces);
                    out.insert(key.clone(), responses);
                }
                // Read above and below: they shape the body, the responses and the servers.
                "consumes" | "produces" | "schemes" => {}
                "security" => {
                    if let Some(security) = self.requirements(value, &here) {
                        out.insert(key.clone(), security);
                    }
                }
                "tags" => match value {
                    Value::Array(tags) if tags.iter().all(Value::is_string) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`tags` must be a list of strings, found {}; left out", describe(other))),
                },
                "summary" | "description" | "operationId" => match value {
                    Value::String(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`{key}` must be a string, found {}; left out", describe(other))),
                },
                "deprecated" => match value {
                    Value::Bool(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`deprecated` must be a boolean, found {}; left out", describe(other))),
                },
                "externalDocs" => {
                    if let Some(docs) = self.copied_object(Some(value), &here) {
                        out.insert(key.clone(), docs);
                    }
                }
                _ if is_extension(key) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.warn(&here, format!("`{key}` is not a 2.0 operation field; left out")),
            }
        }
        if !operation.contains_key("responses") {
            self.warn(from, "an operation must have `responses`; it converts with none");
            out.insert("responses".into(), Value::Object(Map::new()));
        }
        if let Some(body) = self.operation_request_body(shared, &own, from, &consumes) {
            // Where 3.0 documents put it: before the responses.
            let mut ordered = Map::new();
            let mut body = Some(body);
            for (key, value) in out {
                if key == "responses" {
                    if let Some(body) = body.take() {
                        ordered.insert("requestBody".into(), body);
                    }
                }
                ordered.insert(key, value);
            }
            out = ordered;
        }
        let schemes_from = join(from, "schemes");
        if let Some(schemes) = self.schemes(operation.get("schemes"), &schemes_from) {
            if self.schemes_differ(&schemes) {
                if self.has_host() {
                    let servers = self.servers(Some(&schemes), &join(from, "servers"), &schemes_from);
                    out.insert("servers".into(), Value::Array(servers));
                } else {
                    self.schemes_without_host.push(schemes_from);
                }
            }
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::test_support::*;

    fn document(paths: serde_json::Value) -> serde_json::Value {
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "api.test", "schemes": ["https"], "paths": paths})
    }

    #[test]
    fn operation_fields_are_copied_and_media_types_consumed() {
        let converted = convert(document(json!({"/pets": {
            "x-group": "pets",
            "get": {
                "tags": ["pets"], "summary": "List", "description": "All pets", "operationId": "listPets", "deprecated": true,
                "externalDocs": {"url": "https://docs.test"}, "consumes": ["application/xml"], "produces": ["application/xml"],
                "security": [], "x-rate": 5,
                "responses": {"200": {"description": "ok"}}
            }
        }})));
        assert_eq!(
            at(&converted, "/paths/~1pets"),
            &json!({"x-group": "pets", "get": {
                "tags": ["pets"], "summary": "List", "description": "All pets", "operationId": "listPets", "deprecated": true,
                "externalDocs": {"url": "https://docs.test"}, "security": [], "x-rate": 5,
                "responses": {"200": {"description": "ok"}}
            }})
        );
        assert!(converted.diagnostics.is_empty(), "{:?}", warnings(&converted));
    }

    #[test]
    fn operation_schemes_become_servers_when_they_differ() {
        let converted = convert(document(json!({"/a": {
            "get": {"schemes": ["http", "https"], "responses": {"200": {"description": "ok"}}},
            "put": {"schemes": ["https"], "responses": {"200": {"description": "ok"}}}
        }})));
        assert_eq!(at(&converted, "/paths/~1a/get/servers"), &json!([{"url": "http://api.test"}, {"url": "https://api.test"}]));
        assert!(has_origin(&converted, "/paths/~1a/get/servers/1", "/paths/~1a/get/schemes/1"));
        assert!(at(&converted, "/paths/~1a/put/servers").is_null());
        assert!(at(&converted, "/paths/~1a/get/schemes").is_null());
    }

    #[test]
    fn operation_schemes_without_host_are_warned() {
        let converted = convert(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {
            "get": {"schemes": ["http"], "responses": {"200": {"description": "ok"}}}
        }}}));
        assert!(at(&converted, "/paths/~1a/get/servers").is_null());
        assert!(warned(&converted, "/paths/~1a/get/schemes", "without a `host`"));
        let operation = json!({"schemes": ["http"], "responses": {"200": {"description": "ok"}}});
        let converted = convert(
            json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": operation, "put": operation}, "/b": {"get": operation}}}),
        );
        assert_eq!(warnings(&converted), [("/paths/~1a/get/schemes".to_string(), "an operation's own `schemes` have no 3.0 form without a `host` (a URL with a scheme needs a host); ignored (here and in 2 other operations)".to_string())]);
    }

    #[test]
    fn path_item_references_and_extensions_are_kept() {
        let converted =
            convert(document(json!({"/a": {"$ref": "#/paths/~1b"}, "/b": {"get": {"responses": {"default": {"description": "d"}}}}, "x-note": 1})));
        assert_eq!(at(&converted, "/paths/~1a"), &json!({"$ref": "#/paths/~1b"}));
        assert_eq!(at(&converted, "/paths/x-note"), 1);
    }

    #[test]
    fn malformed_paths_and_operations_are_warned_and_skipped() {
        let converted = convert(document(json!({
            "pets": {},
            "/a": [],
            "/b": {"get": "x", "trace": {}, "$ref": 3, "parameters": {"in": "query"}},
            "/c": {"post": {"tags": "t", "summary": 1, "deprecated": "yes", "externalDocs": [], "requestBody": {}, "responses": {"200": {"description": "ok"}}}},
            "/d": {"get": {}}
        })));
        let paths = at(&converted, "/paths").as_object().unwrap();
        assert_eq!(paths.keys().collect::<Vec<_>>(), ["/b", "/c", "/d"]);
        assert_eq!(at(&converted, "/paths/~1b"), &json!({}));
        assert_eq!(at(&converted, "/paths/~1c/post"), &json!({"responses": {"200": {"description": "ok"}}}));
        assert_eq!(at(&converted, "/paths/~1d/get"), &json!({"responses": {}}));
        for (pointer, text) in [
            ("/paths/pets", "must start with `/`"),
            ("/paths/~1a", "must be an object"),
            ("/paths/~1b/get", "must be an object"),
            ("/paths/~1b/trace", "not a 2.0 path item field"),
            ("/paths/~1b/$ref", "must be a string"),
            ("/paths/~1b/parameters", "must be a list"),
            ("/paths/~1c/post/tags", "list of strings"),
            ("/paths/~1c/post/summary", "must be a string"),
            ("/paths/~1c/post/deprecated", "must be a boolean"),
            ("/paths/~1c/post/externalDocs", "must be an object"),
            ("/paths/~1c/post/requestBody", "not a 2.0 operation field"),
            ("/paths/~1d/get", "must have `responses`"),
        ] {
            assert!(warned(&converted, pointer, text), "{pointer}: {text}: {:?}", warnings(&converted));
        }
    }
}
