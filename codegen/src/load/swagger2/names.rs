//! Component names. 2.0 takes any string as the name of a definition, a shared parameter or
//! response and a security scheme; 3.0 allows only `^[a-zA-Z0-9\.\-_]+$` as a component key. A
//! name outside that set gets its other characters replaced by `_` (and a numeric suffix when
//! that collides), with a warning; every reference and security requirement follows the rename.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;

/// The 2.0 sections whose entries become components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    /// `definitions`, to `components/schemas`.
    Definitions,
    /// `parameters`, to `components/parameters` or `components/requestBodies`.
    Parameters,
    /// `responses`, to `components/responses`.
    Responses,
    /// `securityDefinitions`, to `components/securitySchemes`.
    SecurityDefinitions,
}

impl Section {
    pub(super) fn key(self) -> &'static str {
        match self {
            Section::Definitions => "definitions",
            Section::Parameters => "parameters",
            Section::Responses => "responses",
            Section::SecurityDefinitions => "securityDefinitions",
        }
    }

    const ALL: [Section; 4] = [Section::Definitions, Section::Parameters, Section::Responses, Section::SecurityDefinitions];
}

/// The 3.0 name of every entry of the document's component sections.
#[derive(Debug, Default)]
pub(super) struct Names {
    renamed: HashMap<(usize, String), String>,
}

impl Names {
    /// Chooses the names for `root`'s sections, warning at each entry that is renamed.
    pub(super) fn new(root: &Map<String, Value>, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let mut names = Names::default();
        for (index, section) in Section::ALL.into_iter().enumerate() {
            let Some(Value::Object(entries)) = root.get(section.key()) else { continue };
            // Valid names keep theirs; a replacement never takes one of them.
            let mut taken: HashSet<String> = entries.keys().filter(|name| is_valid(name)).cloned().collect();
            for name in entries.keys().filter(|name| !is_valid(name)) {
                let base = sanitize(name);
                let mut chosen = base.clone();
                let mut counter = 2;
                while taken.contains(&chosen) {
                    chosen = format!("{base}_{counter}");
                    counter += 1;
                }
                taken.insert(chosen.clone());
                let pointer = format!("/{}/{}", section.key(), crate::diagnostics::escape_token(name));
                diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("`{name}` is not a valid 3.0 component name (letters, digits, `.`, `-` and `_` only); renamed to `{chosen}`"),
                ));
                names.renamed.insert((index, name.clone()), chosen);
            }
        }
        names
    }

    /// The 3.0 name of the entry `name` of `section` in this document, or for an entry of
    /// another document the name its own conversion gives it (barring collisions, which only
    /// that document can see).
    pub(super) fn get(&self, section: Section, name: &str) -> String {
        let index = Section::ALL.iter().position(|known| *known == section).unwrap_or_default();
        match self.renamed.get(&(index, name.to_string())) {
            Some(renamed) => renamed.clone(),
            None => sanitize(name),
        }
    }

    /// Whether any entry of `section` was renamed.
    pub(super) fn any_renamed(&self, section: Section) -> bool {
        let index = Section::ALL.iter().position(|known| *known == section).unwrap_or_default();
        self.renamed.keys().any(|(renamed, _)| *renamed == index)
    }
}

/// Whether `name` is a valid 3.0 component key.
pub(super) fn is_valid(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// `name` with every character a component key may not hold replaced by `_`.
pub(super) fn sanitize(name: &str) -> String {
    if is_valid(name) {
        return name.to_string();
    }
    let replaced: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    if replaced.is_empty() {
        "_".to_string()
    } else {
        replaced
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::test_support::*;

    #[test]
    fn invalid_component_names_are_renamed_and_references_follow() {
        let converted = convert(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet%20Food"}}}}}},
            "definitions": {
                "Pet Food": {"type": "object"},
                "Pet_Food": {"type": "string"},
                "Bag": {"properties": {"food": {"$ref": "#/definitions/Pet Food"}}}
            }
        }));
        let schemas = at(&converted, "/components/schemas").as_object().unwrap();
        assert_eq!(schemas.keys().collect::<Vec<_>>(), ["Pet_Food_2", "Pet_Food", "Bag"]);
        assert_eq!(at(&converted, "/components/schemas/Bag/properties/food/$ref"), "#/components/schemas/Pet_Food_2");
        assert_eq!(at(&converted, "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"), "#/components/schemas/Pet_Food_2");
        assert!(warned(&converted, "/definitions/Pet Food", "renamed to `Pet_Food_2`"));
        assert!(has_origin(&converted, "/components/schemas/Pet_Food_2", "/definitions/Pet Food"));
    }

    #[test]
    fn security_requirements_follow_renamed_schemes() {
        let converted = convert(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"security": [{"my key": []}], "responses": {"200": {"description": "ok"}}}}},
            "securityDefinitions": {"my key": {"type": "apiKey", "name": "k", "in": "header"}},
            "security": [{"my key": []}]
        }));
        assert_eq!(at(&converted, "/components/securitySchemes/my_key/type"), "apiKey");
        assert_eq!(at(&converted, "/security"), &json!([{"my_key": []}]));
        assert_eq!(at(&converted, "/paths/~1a/get/security"), &json!([{"my_key": []}]));
    }
}
