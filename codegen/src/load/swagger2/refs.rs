//! `$ref` values. A reference whose fragment points into one of the 2.0 sections that 3.0 keeps
//! under `components` is rewritten to the matching section, in this document or in another
//! (`pet.yaml#/definitions/Pet` becomes `pet.yaml#/components/schemas/Pet`, on the grounds that
//! the other file is converted too). Any other reference (a whole file, a path item) is kept as
//! it is.

use serde_json::Value;

use super::names::Section;
use super::Converter;
use crate::diagnostics::{escape_token, unescape_token};

/// What a rewritten reference points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// An entry of `parameters` in this document, by its 2.0 name, which may be a body or form
    /// parameter (the reference is then rewritten to `components/parameters` anyway; callers
    /// that can place a body or form parameter look the entry up).
    LocalParameter(String),
    /// An entry of `responses` in this document, by its 2.0 name.
    LocalResponse(String),
    /// Anything else.
    Other,
}

/// A reference in its 3.0 form.
#[derive(Debug, Clone)]
pub(super) struct Rewritten {
    pub reference: String,
    pub target: Target,
}

impl Converter<'_> {
    /// The 3.0 form of the reference `reference`, found at `from`.
    pub(super) fn rewrite_ref(&mut self, reference: &str, from: &str) -> Rewritten {
        let unchanged = Rewritten { reference: reference.to_string(), target: Target::Other };
        let Some((document, fragment)) = reference.split_once('#') else { return unchanged };
        let Some(pointer) = fragment.strip_prefix('/') else { return unchanged };
        let mut tokens = pointer.split('/');
        let section = match tokens.next() {
            Some("definitions") => Section::Definitions,
            Some("parameters") => Section::Parameters,
            Some("responses") => Section::Responses,
            Some("securityDefinitions") => Section::SecurityDefinitions,
            _ => return unchanged,
        };
        let Some(raw_name) = tokens.next() else {
            let section = components_section(section, None);
            return Rewritten { reference: format!("{document}#/components/{section}"), target: Target::Other };
        };
        let rest: Vec<&str> = tokens.collect();
        let name = unescape_token(&percent_decode(raw_name)).into_owned();
        let local = document.is_empty();
        let new_name = self.names.get(section, &name);
        // A body parameter is a request body in 3.0.
        let in_body = local && section == Section::Parameters && self.parameter_location(&name).as_deref() == Some("body");
        let components = components_section(section, Some(in_body));
        let token = if new_name == name { raw_name.to_string() } else { escape_token(&new_name) };
        let mut rewritten = format!("{document}#/components/{components}/{token}");
        for part in &rest {
            rewritten.push('/');
            rewritten.push_str(part);
        }
        if !rest.is_empty() && matches!(section, Section::Parameters | Section::Responses) {
            self.warn(
                from,
                format!(
                    "`{reference}` points inside a 2.0 {}, whose 3.0 form has another shape; rewritten to `{rewritten}`, which may not resolve",
                    if section == Section::Parameters { "parameter" } else { "response" }
                ),
            );
        }
        let target = match section {
            Section::Parameters if local && rest.is_empty() => Target::LocalParameter(name),
            Section::Responses if local && rest.is_empty() => Target::LocalResponse(name),
            _ => Target::Other,
        };
        Rewritten { reference: rewritten, target }
    }

    /// The `in` of the top-level parameter `name`, when it has one.
    pub(super) fn parameter_location(&self, name: &str) -> Option<String> {
        match self.root.get("parameters")?.get(name)?.get("in")? {
            Value::String(location) => Some(location.clone()),
            _ => None,
        }
    }
}

/// The name of the definition `reference` points at, when it points at a whole definition of
/// this document.
pub(super) fn local_definition(reference: &str) -> Option<String> {
    let name = reference.strip_prefix("#/definitions/")?;
    (!name.contains('/')).then(|| unescape_token(&percent_decode(name)).into_owned())
}

fn components_section(section: Section, in_body: Option<bool>) -> &'static str {
    match section {
        Section::Definitions => "schemas",
        Section::Parameters if in_body == Some(true) => "requestBodies",
        Section::Parameters => "parameters",
        Section::Responses => "responses",
        Section::SecurityDefinitions => "securitySchemes",
    }
}

/// Undoes URI percent-encoding (a fragment may spell a space in a name as `%20`); a `%` that
/// does not start an escape is kept.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|byte| (*byte as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map};

    use super::super::test_support::*;
    use super::super::Converter;
    use super::*;

    fn rewrite(root: &serde_json::Value, reference: &str) -> (String, Target, usize) {
        let empty = Map::new();
        let mut converter = Converter::new(root.as_object().unwrap_or(&empty));
        let before = converter.diagnostics.len();
        let rewritten = converter.rewrite_ref(reference, "/here");
        (rewritten.reference, rewritten.target, converter.diagnostics.len() - before)
    }

    #[test]
    fn references_into_2_0_sections_move_to_components() {
        let root =
            json!({"parameters": {"limit": {"in": "query", "name": "limit", "type": "integer"}, "pet": {"in": "body", "name": "pet", "schema": {}}}});
        assert_eq!(rewrite(&root, "#/definitions/Pet").0, "#/components/schemas/Pet");
        assert_eq!(rewrite(&root, "#/definitions/Pet/properties/id").0, "#/components/schemas/Pet/properties/id");
        assert_eq!(rewrite(&root, "#/parameters/limit"), ("#/components/parameters/limit".into(), Target::LocalParameter("limit".into()), 0));
        assert_eq!(rewrite(&root, "#/parameters/pet"), ("#/components/requestBodies/pet".into(), Target::LocalParameter("pet".into()), 0));
        assert_eq!(rewrite(&root, "#/responses/NotFound"), ("#/components/responses/NotFound".into(), Target::LocalResponse("NotFound".into()), 0));
        assert_eq!(rewrite(&root, "#/securityDefinitions/key").0, "#/components/securitySchemes/key");
        assert_eq!(rewrite(&root, "#/definitions").0, "#/components/schemas");
    }

    #[test]
    fn references_into_other_files_are_rewritten_the_same_way() {
        let root = json!({});
        assert_eq!(rewrite(&root, "other.yaml#/definitions/Pet"), ("other.yaml#/components/schemas/Pet".into(), Target::Other, 0));
        assert_eq!(rewrite(&root, "https://x.test/a.json#/responses/Err").0, "https://x.test/a.json#/components/responses/Err");
        // Another file's parameters are taken for non-body ones: only that file knows.
        assert_eq!(rewrite(&root, "common.yaml#/parameters/pet").0, "common.yaml#/components/parameters/pet");
        assert_eq!(rewrite(&root, "other.yaml#/definitions/Pet%20Food").0, "other.yaml#/components/schemas/Pet_Food");
    }

    #[test]
    fn other_references_are_kept() {
        let root = json!({});
        for reference in ["Pet.yaml", "#/paths/~1pets", "#", "#definitions/Pet", "other.yaml#/x-things/a"] {
            assert_eq!(rewrite(&root, reference), (reference.to_string(), Target::Other, 0));
        }
    }

    #[test]
    fn references_inside_a_parameter_or_response_are_rewritten_with_a_warning() {
        let root = json!({});
        let (reference, target, warnings) = rewrite(&root, "#/responses/Err/schema");
        assert_eq!((reference.as_str(), target, warnings), ("#/components/responses/Err/schema", Target::Other, 1));
        assert_eq!(rewrite(&root, "#/definitions/Pet/items").2, 0);
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("Pet%20Food%2"), "Pet Food%2");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn escaped_names_are_decoded_to_find_the_component() {
        // `%20` (URI) and `~1` (JSON Pointer) stand for characters 3.0 names do not allow, so
        // the components are renamed, and the references must find them by the decoded name.
        let converted = convert(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "definitions": {
                "Pet Food": {"type": "string"},
                "a/b": {"type": "integer"},
                "Bag": {"properties": {"food": {"$ref": "#/definitions/Pet%20Food"}, "ab": {"$ref": "#/definitions/a~1b"}}}
            }
        }));
        assert_eq!(at(&converted, "/components/schemas/Bag/properties/food/$ref"), "#/components/schemas/Pet_Food");
        assert_eq!(at(&converted, "/components/schemas/Bag/properties/ab/$ref"), "#/components/schemas/a_b");
        assert_eq!(at(&converted, "/components/schemas/a_b"), &json!({"type": "integer"}));
    }

    #[test]
    fn references_are_rewritten_in_every_place_they_may_appear() {
        let converted = convert(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"$ref": "paths.yaml#/a"},
                "/b": {"get": {
                    "parameters": [{"$ref": "#/parameters/limit"}, {"in": "body", "name": "b", "schema": {"$ref": "other.yaml#/definitions/B"}}],
                    "responses": {"200": {"$ref": "#/responses/Ok"}, "404": {"description": "x", "schema": {"items": {"$ref": "#/definitions/E"}, "type": "array"}}}
                }}
            },
            "parameters": {"limit": {"in": "query", "name": "limit", "type": "integer"}},
            "responses": {"Ok": {"description": "ok", "schema": {"$ref": "#/definitions/A"}}},
            "definitions": {"A": {"allOf": [{"$ref": "#/definitions/E"}]}, "E": {}}
        }));
        assert_eq!(at(&converted, "/paths/~1a/$ref"), "paths.yaml#/a");
        assert_eq!(at(&converted, "/paths/~1b/get/parameters/0/$ref"), "#/components/parameters/limit");
        assert_eq!(at(&converted, "/paths/~1b/get/requestBody/content/application~1json/schema/$ref"), "other.yaml#/components/schemas/B");
        assert_eq!(at(&converted, "/paths/~1b/get/responses/200/$ref"), "#/components/responses/Ok");
        assert_eq!(at(&converted, "/paths/~1b/get/responses/404/content/application~1json/schema/items/$ref"), "#/components/schemas/E");
        assert_eq!(at(&converted, "/components/responses/Ok/content/application~1json/schema/$ref"), "#/components/schemas/A");
        assert_eq!(at(&converted, "/components/schemas/A/allOf/0/$ref"), "#/components/schemas/E");
    }
}
