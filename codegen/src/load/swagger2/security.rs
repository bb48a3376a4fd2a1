//! Security. `securityDefinitions` become `components/securitySchemes`: `basic` is the HTTP
//! scheme `basic`, `apiKey` keeps its `name` and `in`, and an `oauth2` scheme's one `flow`
//! becomes the matching entry of `flows` (`implicit` and `password` keep their names,
//! `application` is `clientCredentials`, `accessCode` is `authorizationCode`) with the URLs that
//! flow uses and the scopes. Security requirements keep their shape, with the scheme names
//! renamed where a definition was.

use serde_json::{json, Map, Value};

use super::super::describe;
use super::names::Section;
use super::{is_extension, join, Converter};

impl<'a> Converter<'a> {
    /// `components/securitySchemes` from `securityDefinitions`.
    pub(super) fn security_schemes(&mut self) -> Map<String, Value> {
        let mut schemes = Map::new();
        for (_, name, from, value) in self.section_entries(Section::SecurityDefinitions) {
            let at = join("/components/securitySchemes", &name);
            match value {
                Value::Object(object) => {
                    if let Some(scheme) = self.security_scheme(object, &from, &at) {
                        self.origin(&at, &from);
                        schemes.insert(name, scheme);
                    }
                }
                other => self.warn(&from, format!("a security scheme must be an object, found {}; left out", describe(other))),
            }
        }
        schemes
    }

    /// One security scheme found at `from`, written at `at`; `None` when it lacks what 3.0
    /// requires.
    fn security_scheme(&mut self, object: &Map<String, Value>, from: &str, at: &str) -> Option<Value> {
        let kind = match object.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            other => {
                let found = other.map_or("nothing".to_string(), describe);
                self.warn(from, format!("a security scheme needs a `type` string, found {found}; left out"));
                return None;
            }
        };
        let mut out = Map::new();
        let used: &[&str] = match kind {
            "basic" => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
                &[]
            }
            "apiKey" => {
                let name = self.required_string(object, "name", from)?;
                let location = self.required_string(object, "in", from)?;
                if !["query", "header", "cookie"].contains(&location.as_str()) {
                    self.warn(&join(from, "in"), format!("`{location}` is not a place for an API key (query or header); the scheme is left out"));
                    return None;
                }
                out.insert("type".into(), json!("apiKey"));
                out.insert("name".into(), json!(name));
                out.insert("in".into(), json!(location));
                &["name", "in"]
            }
            "oauth2" => {
                let flow = self.required_string(object, "flow", from)?;
                let (flow_name, urls): (&str, &[&str]) = match flow.as_str() {
                    "implicit" => ("implicit", &["authorizationUrl"]),
                    "password" => ("password", &["tokenUrl"]),
                    "application" => ("clientCredentials", &["tokenUrl"]),
                    "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    other => {
                        self.warn(
                            &join(from, "flow"),
                            format!("`{other}` is not a 2.0 OAuth2 flow (implicit, password, application, accessCode); the scheme is left out"),
                        );
                        return None;
                    }
                };
                let mut converted = Map::new();
                for url in urls {
                    let value = self.required_string(object, url, from)?;
                    converted.insert(url.to_string(), json!(value));
                }
                for url in ["authorizationUrl", "tokenUrl"].iter().filter(|url| !urls.contains(url) && object.contains_key(**url)) {
                    self.warn(&join(from, url), format!("the `{flow}` flow has no `{url}`; left out"));
                }
                let scopes = match object.get("scopes") {
                    Some(Value::Object(scopes)) => {
                        // A 2.0 Scopes Object may hold extensions; a 3.0 `scopes` map holds only
                        // scopes, so they go on the flow object, which allows extensions.
                        let mut names = Map::new();
                        for (key, value) in scopes {
                            if is_extension(key) {
                                converted.insert(key.clone(), value.clone());
                                self.origin(&join(&join(&join(at, "flows"), flow_name), key), &join(&join(from, "scopes"), key));
                            } else {
                                names.insert(key.clone(), value.clone());
                            }
                        }
                        Value::Object(names)
                    }
                    other => {
                        let (pointer, found) = match other {
                            Some(value) => (join(from, "scopes"), describe(value)),
                            None => (from.to_string(), "nothing".to_string()),
                        };
                        self.warn(&pointer, format!("an OAuth2 scheme needs `scopes`, an object, found {found}; converted with no scopes"));
                        json!({})
                    }
                };
                converted.insert("scopes".into(), scopes);
                self.origin(&join(&join(at, "flows"), flow_name), from);
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), json!({flow_name: converted}));
                &["flow", "authorizationUrl", "tokenUrl", "scopes"]
            }
            other => {
                self.warn(
                    &join(from, "type"),
                    format!("`{other}` is not a 2.0 security scheme type (basic, apiKey, oauth2); the scheme is left out"),
                );
                return None;
            }
        };
        for (key, value) in object {
            let here = join(from, key);
            match key.as_str() {
                "type" => {}
                _ if used.contains(&key.as_str()) => {}
                "description" => match value {
                    Value::String(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    other => self.warn(&here, format!("`description` must be a string, found {}; left out", describe(other))),
                },
                _ if is_extension(key) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => self.warn(&here, format!("`{key}` is not a field of a `{kind}` security scheme; left out")),
            }
        }
        Some(Value::Object(out))
    }

    /// The string `object[key]`, or `None` with a warning that the scheme is left out.
    fn required_string(&mut self, object: &Map<String, Value>, key: &str, from: &str) -> Option<String> {
        match object.get(key) {
            Some(Value::String(value)) => Some(value.clone()),
            Some(other) => {
                self.warn(&join(from, key), format!("`{key}` must be a string, found {}; the scheme is left out", describe(other)));
                None
            }
            None => {
                self.warn(from, format!("the scheme needs `{key}`; left out"));
                None
            }
        }
    }

    /// A list of security requirements found at `from`; `None` when it is not a list.
    pub(super) fn requirements(&mut self, value: &Value, from: &str) -> Option<Value> {
        let Value::Array(requirements) = value else {
            self.warn(from, format!("`security` must be a list, found {}; left out", describe(value)));
            return None;
        };
        let mut out = Vec::new();
        for (index, requirement) in requirements.iter().enumerate() {
            let here = join(from, &index.to_string());
            let Value::Object(requirement) = requirement else {
                self.warn(&here, format!("a security requirement must be an object, found {}; left out", describe(requirement)));
                continue;
            };
            let mut converted = Map::new();
            for (scheme, scopes) in requirement {
                // Leaving a scheme out would make `{bad: "read"}` the empty requirement, which
                // means no authentication at all; it stays required, with no scopes named.
                let scopes = match scopes {
                    Value::Array(names) if names.iter().all(Value::is_string) => scopes.clone(),
                    other => {
                        let found = describe(other);
                        self.warn(
                            &join(&here, scheme),
                            format!("a requirement's scopes must be a list of strings, found {found}; the scheme is required with no scopes"),
                        );
                        Value::Array(Vec::new())
                    }
                };
                converted.insert(self.names.get(Section::SecurityDefinitions, scheme), scopes);
            }
            out.push(Value::Object(converted));
        }
        Some(Value::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::test_support::*;

    fn with_schemes(definitions: Value) -> super::super::Converted {
        convert(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, "securityDefinitions": definitions}))
    }

    #[test]
    fn basic_becomes_http_basic() {
        let converted = with_schemes(json!({"basic": {"type": "basic", "description": "d", "x-realm": "r"}}));
        assert_eq!(
            at(&converted, "/components/securitySchemes/basic"),
            &json!({"type": "http", "scheme": "basic", "description": "d", "x-realm": "r"})
        );
        assert!(has_origin(&converted, "/components/securitySchemes/basic", "/securityDefinitions/basic"));
        assert!(converted.diagnostics.is_empty());
    }

    #[test]
    fn api_keys_are_kept() {
        let converted =
            with_schemes(json!({"key": {"type": "apiKey", "name": "X-Key", "in": "header"}, "q": {"type": "apiKey", "name": "k", "in": "query"}}));
        assert_eq!(at(&converted, "/components/securitySchemes/key"), &json!({"type": "apiKey", "name": "X-Key", "in": "header"}));
        assert_eq!(at(&converted, "/components/securitySchemes/q"), &json!({"type": "apiKey", "name": "k", "in": "query"}));
    }

    #[test]
    fn oauth2_flows_are_renamed() {
        let scopes = json!({"read": "Read", "write": "Write"});
        let converted = with_schemes(json!({
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a.test/auth", "scopes": scopes},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a.test/token", "scopes": scopes},
            "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a.test/token", "scopes": scopes},
            "accessCode": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.test/auth", "tokenUrl": "https://a.test/token", "scopes": scopes, "description": "code"}
        }));
        let schemes = at(&converted, "/components/securitySchemes");
        assert_eq!(
            schemes["implicit"],
            json!({"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a.test/auth", "scopes": scopes}}})
        );
        assert_eq!(schemes["password"], json!({"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a.test/token", "scopes": scopes}}}));
        assert_eq!(
            schemes["application"],
            json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.test/token", "scopes": scopes}}})
        );
        assert_eq!(
            schemes["accessCode"],
            json!({"type": "oauth2", "description": "code", "flows": {"authorizationCode": {"authorizationUrl": "https://a.test/auth", "tokenUrl": "https://a.test/token", "scopes": scopes}}})
        );
        assert!(has_origin(&converted, "/components/securitySchemes/application/flows/clientCredentials", "/securityDefinitions/application"));
        assert!(converted.diagnostics.is_empty(), "{:?}", warnings(&converted));
    }

    #[test]
    fn scope_extensions_go_on_the_flow() {
        let converted = with_schemes(json!({
            "oauth": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a.test/auth", "scopes": {"read": "Read", "x-note": "n"}}
        }));
        assert_eq!(
            at(&converted, "/components/securitySchemes/oauth/flows/implicit"),
            &json!({"authorizationUrl": "https://a.test/auth", "x-note": "n", "scopes": {"read": "Read"}})
        );
        assert!(has_origin(&converted, "/components/securitySchemes/oauth/flows/implicit/x-note", "/securityDefinitions/oauth/scopes/x-note"));
        assert!(converted.diagnostics.is_empty(), "{:?}", warnings(&converted));
    }

    #[test]
    fn incomplete_or_unknown_schemes_are_warned_and_left_out() {
        let converted = with_schemes(json!({
            "noUrl": {"type": "oauth2", "flow": "implicit", "scopes": {}},
            "badFlow": {"type": "oauth2", "flow": "device", "scopes": {}},
            "noScopes": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a.test/t", "authorizationUrl": "https://a.test/a"},
            "noName": {"type": "apiKey", "in": "header"},
            "badIn": {"type": "apiKey", "name": "k", "in": "body"},
            "mutual": {"type": "mutualTLS"},
            "extra": {"type": "basic", "name": "n"},
            "notObject": [],
            "noType": {}
        }));
        let schemes = at(&converted, "/components/securitySchemes").as_object().unwrap();
        assert_eq!(schemes.keys().collect::<Vec<_>>(), ["noScopes", "extra"]);
        assert_eq!(schemes["noScopes"], json!({"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a.test/t", "scopes": {}}}}));
        assert_eq!(schemes["extra"], json!({"type": "http", "scheme": "basic"}));
        for (pointer, text) in [
            ("/securityDefinitions/noUrl", "needs `authorizationUrl`"),
            ("/securityDefinitions/badFlow/flow", "not a 2.0 OAuth2 flow"),
            ("/securityDefinitions/noScopes", "needs `scopes`"),
            ("/securityDefinitions/noScopes/authorizationUrl", "has no `authorizationUrl`"),
            ("/securityDefinitions/noName", "needs `name`"),
            ("/securityDefinitions/badIn/in", "not a place for an API key"),
            ("/securityDefinitions/mutual/type", "not a 2.0 security scheme type"),
            ("/securityDefinitions/extra/name", "not a field of a `basic` security scheme"),
            ("/securityDefinitions/notObject", "must be an object"),
            ("/securityDefinitions/noType", "needs a `type`"),
        ] {
            assert!(warned(&converted, pointer, text), "{pointer}: {text}: {:?}", warnings(&converted));
        }
    }

    #[test]
    fn requirements_are_kept_and_checked() {
        let converted = convert(json!({
            "swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "security": [{"oauth": ["read"], "key": []}, {}, "x", {"bad": "read"}]
        }));
        // The scheme with unreadable scopes stays required: `{}` would mean no authentication.
        assert_eq!(at(&converted, "/security"), &json!([{"oauth": ["read"], "key": []}, {}, {"bad": []}]));
        assert!(warned(&converted, "/security/2", "must be an object"));
        assert!(warned(&converted, "/security/3/bad", "list of strings"));
        let converted = convert(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, "security": {}}));
        assert!(at(&converted, "/security").is_null());
        assert!(warned(&converted, "/security", "must be a list"));
    }
}
