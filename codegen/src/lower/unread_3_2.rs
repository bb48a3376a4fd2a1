//! Fields OpenAPI 3.2 adds that nothing generated depends on. Each is read past with an info
//! note at its place, so that a user who wrote one learns it had no effect, without a warning
//! that `--deny-warnings` would turn into a failure.
//!
//! The fields 3.2 adds that generation does use are read where they apply: `query` and
//! `additionalOperations` (operations), `itemSchema` and `itemEncoding.contentType` (media
//! types), `$self` (the loader's base URI), tag `summary` and `parent` (docs), security scheme
//! `deprecated` (the client), an Example's `dataValue` and `components/mediaTypes` (through
//! references).

use serde_json::Value;

use crate::diagnostics::{join, Diagnostic};

/// The operation fields of a Path Item, 3.2's `query` included.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

/// Notes every unused 3.2 field of `root`.
pub(super) fn notes(root: &Value) -> Vec<Diagnostic> {
    let mut notes = Notes(Vec::new());
    notes.servers(root, "");
    for (index, tag) in array(root, "tags") {
        notes.field(tag, &format!("/tags/{index}"), "kind", "the tag's `kind` is not used");
    }
    for section in ["paths", "webhooks"] {
        for (path, item) in object(root, section) {
            notes.path_item(item, &join(&format!("/{section}"), path));
        }
    }
    let components = root.get("components");
    let component = |section: &'static str| components.into_iter().flat_map(move |components| object(components, section));
    for (name, item) in component("pathItems") {
        notes.path_item(item, &join("/components/pathItems", name));
    }
    for (name, response) in component("responses") {
        notes.response(response, &join("/components/responses", name));
    }
    for (name, body) in component("requestBodies") {
        notes.content(body, &join("/components/requestBodies", name));
    }
    for (name, media) in component("mediaTypes") {
        notes.media(media, &join("/components/mediaTypes", name));
    }
    for (name, example) in component("examples") {
        notes.example(example, &join("/components/examples", name));
    }
    for (name, scheme) in component("securitySchemes") {
        let pointer = join("/components/securitySchemes", name);
        notes.field(scheme, &pointer, "oauth2MetadataUrl", "`oauth2MetadataUrl` is not used: the client takes a token, however it was obtained");
        if let Some(flows) = scheme.get("flows") {
            notes.field(
                flows,
                &join(&pointer, "flows"),
                "deviceAuthorization",
                "the device authorization flow is not used: the client takes a token, however it was obtained",
            );
        }
    }
    notes.0
}

struct Notes(Vec<Diagnostic>);

impl Notes {
    fn field(&mut self, value: &Value, pointer: &str, key: &str, message: &str) {
        if value.get(key).is_some() {
            self.0.push(Diagnostic::info(join(pointer, key), message));
        }
    }

    fn servers(&mut self, value: &Value, pointer: &str) {
        for (index, server) in array(value, "servers") {
            self.field(server, &format!("{pointer}/servers/{index}"), "name", "the server's `name` is not used");
        }
    }

    fn path_item(&mut self, item: &Value, pointer: &str) {
        self.servers(item, pointer);
        let additional =
            object(item, "additionalOperations").map(|(method, operation)| (operation, join(&join(pointer, "additionalOperations"), method)));
        let fixed = METHODS.iter().filter_map(|method| item.get(*method).map(|operation| (operation, join(pointer, method))));
        let operations: Vec<(&Value, String)> = fixed.chain(additional).collect();
        for (operation, pointer) in operations {
            self.servers(operation, &pointer);
            if let Some(body) = operation.get("requestBody") {
                self.content(body, &join(&pointer, "requestBody"));
            }
            for (status, response) in object(operation, "responses") {
                self.response(response, &join(&join(&pointer, "responses"), status));
            }
        }
    }

    fn response(&mut self, response: &Value, pointer: &str) {
        self.field(response, pointer, "summary", "the response's `summary` is not used; its `description` documents it");
        self.content(response, pointer);
    }

    fn content(&mut self, holder: &Value, pointer: &str) {
        let content = join(pointer, "content");
        for (media_type, media) in object(holder, "content") {
            self.media(media, &join(&content, media_type));
        }
    }

    fn media(&mut self, media: &Value, pointer: &str) {
        self.field(media, pointer, "prefixEncoding", "`prefixEncoding` is not used: multipart parts are not generated as a sequence");
        if let Some(encoding) = media.get("itemEncoding").and_then(Value::as_object) {
            let item_pointer = join(pointer, "itemEncoding");
            for key in encoding.keys().filter(|key| *key != "contentType" && !key.starts_with("x-")) {
                self.0.push(Diagnostic::info(
                    join(&item_pointer, key),
                    format!("`itemEncoding` is read for its `contentType` only; `{key}` is not used"),
                ));
            }
        }
        let examples = join(pointer, "examples");
        for (name, example) in object(media, "examples") {
            self.example(example, &join(&examples, name));
        }
    }

    fn example(&mut self, example: &Value, pointer: &str) {
        self.field(example, pointer, "serializedValue", "`serializedValue` is not used; examples are shown from `value` or `dataValue`");
    }
}

fn object<'v>(value: &'v Value, key: &str) -> impl Iterator<Item = (&'v String, &'v Value)> {
    value.get(key).and_then(Value::as_object).into_iter().flatten()
}

fn array<'v>(value: &'v Value, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    value.get(key).and_then(Value::as_array).into_iter().flatten().enumerate()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn notes_each_unused_field_at_its_place() {
        let root = json!({
            "servers": [{"url": "/", "name": "main"}],
            "tags": [{"name": "a", "kind": "nav"}],
            "paths": {"/a": {"query": {
                "responses": {"200": {"summary": "ok", "description": "ok", "content": {"application/jsonl": {
                    "itemEncoding": {"contentType": "application/json", "headers": {}},
                    "examples": {"one": {"dataValue": 1, "serializedValue": "1"}}
                }}}}
            }}},
            "components": {"securitySchemes": {"o": {"type": "oauth2", "oauth2MetadataUrl": "https://x", "flows": {"deviceAuthorization": {}}}},
                           "mediaTypes": {"m": {"prefixEncoding": []}}}
        });
        let pointers: Vec<String> = notes(&root).into_iter().map(|note| note.pointer).collect();
        assert_eq!(
            pointers,
            [
                "/servers/0/name",
                "/tags/0/kind",
                "/paths/~1a/query/responses/200/summary",
                "/paths/~1a/query/responses/200/content/application~1jsonl/itemEncoding/headers",
                "/paths/~1a/query/responses/200/content/application~1jsonl/examples/one/serializedValue",
                "/components/mediaTypes/m/prefixEncoding",
                "/components/securitySchemes/o/oauth2MetadataUrl",
                "/components/securitySchemes/o/flows/deviceAuthorization",
            ]
        );
    }

    #[test]
    fn nothing_to_note_in_a_document_without_such_fields() {
        let root = json!({"servers": [{"url": "/"}], "tags": [{"name": "a", "parent": "b"}], "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}});
        assert!(notes(&root).is_empty());
    }

    #[test]
    fn any_json_type_anywhere_is_read_past() {
        for odd in [json!(null), json!(1), json!("x"), json!([1]), json!({"a": 1})] {
            let root = json!({"servers": odd, "tags": odd, "paths": {"/a": odd, "/b": {"get": odd, "query": {"responses": odd}}}, "components": odd});
            notes(&root);
        }
    }
}
