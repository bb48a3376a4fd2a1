//! The top level: `openapi`, `info`, `servers` from `host`, `basePath` and `schemes`, tags,
//! external docs, the global `security`, extensions, and the assembly of `components`.
//!
//! Servers. 2.0 says a missing `schemes` means the scheme the description was fetched with, and
//! a missing `host` the host that served it. 3.0 lets a server URL be a relative reference
//! (RFC 3986 section 4.2), resolved against where the description is served, and a
//! network-path reference `//host/base` is such a reference: it keeps the host and takes the
//! scheme from the description's location. So no `schemes` gives `//host/base` rather than a
//! guessed scheme, and no `host` gives the relative `basePath`. Schemes without a host have no
//! URL form (a scheme needs an authority) and are dropped with a warning.

use serde_json::{json, Map, Value};

use super::super::describe;
use super::names::Section;
use super::{is_extension, join, Converter};

/// The schemes a 2.0 document may name.
const SCHEMES: [&str; 4] = ["http", "https", "ws", "wss"];

/// The top-level fields 2.0 defines.
const FIELDS: [&str; 15] = [
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
    "externalDocs",
];

/// Where the API is served: the 2.0 `host` and `basePath`, checked, and the document's schemes.
#[derive(Debug, Default, Clone)]
pub(super) struct Location {
    host: Option<String>,
    /// `basePath` without its trailing `/`, so paths append to it.
    base_path: Option<String>,
    /// The document's schemes, each with its index in `schemes`; `None` without `schemes`.
    schemes: Option<Vec<(usize, String)>>,
}

impl<'a> Converter<'a> {
    /// The whole 3.0 document.
    pub(super) fn document(&mut self) -> Value {
        let root = self.root;
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        match root.get("swagger") {
            Some(Value::String(version)) if version.trim() == "2.0" => self.origin("/openapi", "/swagger"),
            Some(Value::Number(number)) if number.as_f64() == Some(2.0) => self.origin("/openapi", "/swagger"),
            Some(other) => {
                self.origin("/openapi", "/swagger");
                self.warn("/swagger", format!("expected `swagger: \"2.0\"`, found {}; converted as 2.0", describe(other)));
            }
            None => self.warn("", "the document has no `swagger` field; converted as Swagger 2.0"),
        }
        match root.get("info") {
            Some(Value::Object(info)) => {
                self.origin("/info", "/info");
                out.insert("info".into(), Value::Object(info.clone()));
            }
            other => {
                let found = other.map_or("nothing".to_string(), describe);
                let pointer = if other.is_some() { "/info" } else { "" };
                self.warn(pointer, format!("`info` must be an object, found {found}; an empty title and version stand in for it"));
                out.insert("info".into(), json!({"title": "", "version": ""}));
            }
        }
        if let Some(value) = self.copied_object(root.get("externalDocs"), "/externalDocs") {
            out.insert("externalDocs".into(), value);
        }
        let servers = self.servers(None, "/servers", "");
        if !servers.is_empty() {
            out.insert("servers".into(), Value::Array(servers));
        }
        if let Some(security) = root.get("security") {
            if let Some(security) = self.requirements(security, "/security") {
                self.origin("/security", "/security");
                out.insert("security".into(), security);
            }
        }
        if let Some(tags) = root.get("tags") {
            match tags {
                Value::Array(items) => {
                    self.origin("/tags", "/tags");
                    let mut kept = Vec::new();
                    for (index, tag) in items.iter().enumerate() {
                        match tag {
                            Value::Object(_) => {
                                self.origin(&format!("/tags/{}", kept.len()), &format!("/tags/{index}"));
                                kept.push(tag.clone());
                            }
                            other => self.warn(&format!("/tags/{index}"), format!("a tag must be an object, found {}; skipped", describe(other))),
                        }
                    }
                    out.insert("tags".into(), Value::Array(kept));
                }
                other => self.warn("/tags", format!("`tags` must be a list, found {}; skipped", describe(other))),
            }
        }
        let paths = self.paths();
        out.insert("paths".into(), paths);
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        for (key, value) in root {
            if is_extension(key) {
                self.origin(&join("", key), &join("", key));
                out.insert(key.clone(), value.clone());
            } else if !FIELDS.contains(&key.as_str()) {
                self.warn(&join("", key), format!("`{key}` is not a Swagger 2.0 field; left out"));
            }
        }
        Value::Object(out)
    }

    /// An object copied as it is, or `None` with a warning when `value` is not an object.
    pub(super) fn copied_object(&mut self, value: Option<&Value>, from: &str) -> Option<Value> {
        match value? {
            Value::Object(_) => Some(value?.clone()),
            other => {
                self.warn(from, format!("must be an object, found {}; left out", describe(other)));
                None
            }
        }
    }

    /// `host`, `basePath` and `schemes`, checked once for the document and every operation.
    pub(super) fn location(&mut self) -> Location {
        let root = self.root;
        let host = match root.get("host") {
            None => None,
            Some(Value::String(host)) if host.trim().is_empty() => None,
            Some(Value::String(host)) => {
                let mut host = host.trim();
                if let Some((scheme, rest)) = host.split_once("://") {
                    self.warn("/host", format!("`host` must not include a scheme; `{scheme}://` is ignored"));
                    host = rest;
                }
                let host = host.trim_end_matches('/');
                if host.contains('/') {
                    self.warn("/host", "`host` must not include a path; it is kept in the server URL as it is");
                }
                Some(host.to_string())
            }
            Some(other) => {
                self.warn("/host", format!("`host` must be a string, found {}; ignored", describe(other)));
                None
            }
        };
        let base_path = match root.get("basePath") {
            None => None,
            Some(Value::String(base)) => {
                let base = base.trim();
                let base = if base.starts_with('/') {
                    base.to_string()
                } else {
                    self.warn("/basePath", "`basePath` must start with `/`; one is added");
                    format!("/{base}")
                };
                Some(base.trim_end_matches('/').to_string())
            }
            Some(other) => {
                self.warn("/basePath", format!("`basePath` must be a string, found {}; ignored", describe(other)));
                None
            }
        };
        let schemes = self.schemes(root.get("schemes"), "/schemes");
        if host.is_none() && schemes.as_ref().is_some_and(|schemes| !schemes.is_empty()) {
            self.warn(
                "/schemes",
                "`schemes` without `host` has no 3.0 form (a URL with a scheme needs a host); the servers are relative to the document",
            );
        }
        Location { host, base_path, schemes }
    }

    /// A `schemes` list: each known scheme with its index; `None` when absent or not a list.
    pub(super) fn schemes(&mut self, value: Option<&Value>, from: &str) -> Option<Vec<(usize, String)>> {
        match value? {
            Value::Array(items) => {
                let mut schemes = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    let here = join(from, &index.to_string());
                    match item {
                        Value::String(scheme) if SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) => {
                            schemes.push((index, scheme.to_ascii_lowercase()));
                        }
                        Value::String(scheme) => self.warn(&here, format!("`{scheme}` is not a 2.0 scheme (http, https, ws, wss); skipped")),
                        other => self.warn(&here, format!("a scheme must be a string, found {}; skipped", describe(other))),
                    }
                }
                Some(schemes)
            }
            other => {
                self.warn(from, format!("`schemes` must be a list, found {}; ignored", describe(other)));
                None
            }
        }
    }

    /// The servers for `schemes` (the document's when `None`, else an operation's, found at
    /// `schemes_from`), written at `at`.
    pub(super) fn servers(&mut self, schemes: Option<&[(usize, String)]>, at: &str, schemes_from: &str) -> Vec<Value> {
        let location = self.location.clone();
        let base = location.base_path.clone().unwrap_or_default();
        let (schemes, schemes_from) = match schemes {
            Some(schemes) => (Some(schemes), schemes_from.to_string()),
            None => (location.schemes.as_deref(), "/schemes".to_string()),
        };
        let mut servers = Vec::new();
        match (&location.host, schemes) {
            (Some(host), Some(schemes)) if !schemes.is_empty() => {
                for (index, scheme) in schemes {
                    self.origin(&join(at, &servers.len().to_string()), &join(&schemes_from, &index.to_string()));
                    servers.push(json!({"url": format!("{scheme}://{host}{base}")}));
                }
            }
            (Some(host), _) => {
                self.origin(&join(at, "0"), "/host");
                servers.push(json!({"url": format!("//{host}{base}")}));
            }
            (None, _) if location.base_path.is_some() => {
                self.origin(&join(at, "0"), "/basePath");
                servers.push(json!({"url": if base.is_empty() { "/".to_string() } else { base }}));
            }
            (None, _) => {}
        }
        servers
    }

    /// Whether an operation's schemes differ from the document's, so that it needs servers of
    /// its own.
    pub(super) fn schemes_differ(&self, schemes: &[(usize, String)]) -> bool {
        let mut own: Vec<&str> = schemes.iter().map(|(_, scheme)| scheme.as_str()).collect();
        let mut document: Vec<&str> = self.location.schemes.iter().flatten().map(|(_, scheme)| scheme.as_str()).collect();
        own.sort_unstable();
        own.dedup();
        document.sort_unstable();
        document.dedup();
        own != document
    }

    /// Whether the document names a host, which per-operation schemes need.
    pub(super) fn has_host(&self) -> bool {
        self.location.host.is_some()
    }

    /// `components`: schemas, responses, parameters, request bodies and security schemes.
    fn components(&mut self) -> Map<String, Value> {
        let mut components = Map::new();
        let schemas = self.component_schemas();
        if !schemas.is_empty() {
            components.insert("schemas".into(), Value::Object(schemas));
        }
        let responses = self.component_responses();
        if !responses.is_empty() {
            components.insert("responses".into(), Value::Object(responses));
        }
        let (parameters, request_bodies) = self.component_parameters();
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !request_bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(request_bodies));
        }
        let schemes = self.security_schemes();
        if !schemes.is_empty() {
            components.insert("securitySchemes".into(), Value::Object(schemes));
        }
        components
    }

    /// The entries of a top-level section that is a map of named components: each one's 2.0
    /// name, 3.0 name, pointer and value. A section that is not an object is reported and yields
    /// nothing.
    pub(super) fn section_entries(&mut self, section: Section) -> Vec<(String, String, String, &'a Value)> {
        let key = section.key();
        let root = self.root;
        match root.get(key) {
            None => Vec::new(),
            Some(Value::Object(entries)) => {
                entries.iter().map(|(name, value)| (name.clone(), self.names.get(section, name), join(&join("", key), name), value)).collect()
            }
            Some(other) => {
                self.warn(&join("", key), format!("`{key}` must be an object, found {}; left out", describe(other)));
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::test_support::*;

    fn with(fields: serde_json::Value) -> serde_json::Value {
        let mut document = json!({"swagger": "2.0", "info": {"title": "Pets", "version": "1.0", "x-logo": "l.png"}, "paths": {}});
        for (key, value) in fields.as_object().unwrap() {
            document[key] = value.clone();
        }
        document
    }

    #[test]
    fn version_and_info() {
        let converted = convert(with(json!({})));
        assert_eq!(converted.root, json!({"openapi": "3.0.3", "info": {"title": "Pets", "version": "1.0", "x-logo": "l.png"}, "paths": {}}));
        assert!(converted.diagnostics.is_empty(), "{:?}", warnings(&converted));
        assert!(has_origin(&converted, "/openapi", "/swagger"));
        assert!(has_origin(&converted, "/info", "/info"));
    }

    #[test]
    fn numeric_versions_are_accepted_and_others_warned() {
        for version in [json!(2), json!(2.0)] {
            assert!(convert(with(json!({"swagger": version}))).diagnostics.is_empty());
        }
        let converted = convert(with(json!({"swagger": "1.2"})));
        assert!(warned(&converted, "/swagger", "expected `swagger: \"2.0\"`"));
        assert_eq!(at(&converted, "/openapi"), "3.0.3");
    }

    #[test]
    fn servers_for_each_scheme() {
        let converted = convert(with(json!({"host": "api.test:8080", "basePath": "/v2", "schemes": ["https", "http", "wss"]})));
        assert_eq!(
            at(&converted, "/servers"),
            &json!([{"url": "https://api.test:8080/v2"}, {"url": "http://api.test:8080/v2"}, {"url": "wss://api.test:8080/v2"}])
        );
        assert!(has_origin(&converted, "/servers/1", "/schemes/1"));
        assert!(at(&converted, "/host").is_null() && at(&converted, "/basePath").is_null() && at(&converted, "/schemes").is_null());
    }

    #[test]
    fn servers_without_schemes_are_network_path_references() {
        let converted = convert(with(json!({"host": "api.test", "basePath": "/"})));
        assert_eq!(at(&converted, "/servers"), &json!([{"url": "//api.test"}]));
        assert!(has_origin(&converted, "/servers/0", "/host"));
        let converted = convert(with(json!({"host": "api.test"})));
        assert_eq!(at(&converted, "/servers"), &json!([{"url": "//api.test"}]));
    }

    #[test]
    fn servers_without_host_are_the_relative_base_path() {
        let converted = convert(with(json!({"basePath": "/v1/"})));
        assert_eq!(at(&converted, "/servers"), &json!([{"url": "/v1"}]));
        assert!(has_origin(&converted, "/servers/0", "/basePath"));
        let converted = convert(with(json!({"basePath": "/"})));
        assert_eq!(at(&converted, "/servers"), &json!([{"url": "/"}]));
        assert!(at(&convert(with(json!({}))), "/servers").is_null());
    }

    #[test]
    fn schemes_without_host_are_warned() {
        let converted = convert(with(json!({"basePath": "/v1", "schemes": ["https"]})));
        assert_eq!(at(&converted, "/servers"), &json!([{"url": "/v1"}]));
        assert!(warned(&converted, "/schemes", "without `host`"));
    }

    #[test]
    fn malformed_location_fields_are_warned() {
        let converted = convert(with(json!({"host": "https://api.test/", "basePath": "v1", "schemes": ["https", "ftp", 3]})));
        assert_eq!(at(&converted, "/servers"), &json!([{"url": "https://api.test/v1"}]));
        assert!(warned(&converted, "/host", "must not include a scheme"));
        assert!(warned(&converted, "/basePath", "must start with `/`"));
        assert!(warned(&converted, "/schemes/1", "not a 2.0 scheme"));
        assert!(warned(&converted, "/schemes/2", "must be a string"));
        let converted = convert(with(json!({"host": 5, "basePath": [], "schemes": "https"})));
        assert!(at(&converted, "/servers").is_null());
        assert_eq!(converted.diagnostics.len(), 3);
    }

    #[test]
    fn tags_external_docs_security_and_extensions_are_kept() {
        let converted = convert(with(json!({
            "tags": [{"name": "pets", "description": "Pets", "x-order": 1}, "bad"],
            "externalDocs": {"url": "https://docs.test"},
            "security": [{"key": []}],
            "securityDefinitions": {"key": {"type": "apiKey", "name": "k", "in": "header"}},
            "x-audience": "public",
        })));
        assert_eq!(at(&converted, "/tags"), &json!([{"name": "pets", "description": "Pets", "x-order": 1}]));
        assert!(warned(&converted, "/tags/1", "must be an object"));
        assert_eq!(at(&converted, "/externalDocs"), &json!({"url": "https://docs.test"}));
        assert_eq!(at(&converted, "/security"), &json!([{"key": []}]));
        assert_eq!(at(&converted, "/x-audience"), "public");
        assert!(has_origin(&converted, "/x-audience", "/x-audience"));
    }

    #[test]
    fn document_media_types_are_consumed() {
        let converted = convert(with(json!({"consumes": ["application/xml"], "produces": ["application/xml"]})));
        assert!(at(&converted, "/consumes").is_null() && at(&converted, "/produces").is_null());
        assert!(converted.diagnostics.is_empty());
        let converted = convert(with(json!({"consumes": "application/xml", "produces": [1]})));
        assert!(warned(&converted, "/consumes", "must be a list of media types"));
        assert!(warned(&converted, "/produces/0", "must be a string"));
    }

    #[test]
    fn unknown_top_level_fields_are_warned() {
        let converted = convert(with(json!({"components": {}, "servers": []})));
        assert!(at(&converted, "/components").is_null());
        assert!(warned(&converted, "/components", "not a Swagger 2.0 field"));
        assert!(warned(&converted, "/servers", "not a Swagger 2.0 field"));
    }

    #[test]
    fn missing_or_malformed_parts_never_stop_the_conversion() {
        for document in [json!(null), json!([]), json!("swagger"), json!({}), json!({"swagger": "2.0", "info": 1, "paths": [], "definitions": 2})] {
            let converted = convert(document);
            assert_eq!(at(&converted, "/openapi"), "3.0.3");
            assert_eq!(at(&converted, "/info"), &json!({"title": "", "version": ""}));
            assert_eq!(at(&converted, "/paths"), &json!({}));
            assert!(!converted.diagnostics.is_empty());
        }
    }
}
