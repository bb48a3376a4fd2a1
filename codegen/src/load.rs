//! Reading a document: YAML or JSON text in, a JSON value and its OpenAPI version out.
//!
//! Only problems that make the text unusable as OpenAPI stop here; everything local is left for
//! later stages to report as warnings.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value};

use crate::diagnostics::{Diagnostic, Position};

/// The OpenAPI versions this crate reads. Later minor versions of 3 are read as 3.1 with a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// OpenAPI 3.0.x: schemas are its own JSON Schema dialect (`nullable`, a `$ref` that
    /// replaces the keywords beside it).
    V3_0,
    /// OpenAPI 3.1.x: schemas are JSON Schema 2020-12, where a `$ref` applies together with the
    /// keywords beside it.
    V3_1,
}

/// A document as read from its source, before any interpretation.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where the text came from, for messages; `None` for text given in memory.
    pub path: Option<PathBuf>,
    /// The text as read, kept to find the line and column of each diagnostic's pointer.
    pub text: String,
    /// The document as JSON (YAML converted, merge keys applied), which lowering reads and the
    /// generated code embeds.
    pub root: Value,
    /// The version `openapi` names.
    pub version: Version,
    /// Warnings found while reading (an unusual version string, a non-finite number).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a document could not be read as OpenAPI at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file read, `None` for text given in memory.
    pub path: Option<PathBuf>,
    /// Where in the document the problem is (`/openapi`); `""` for the whole text.
    pub pointer: String,
    /// What is wrong, as one sentence without the place.
    pub message: String,
    /// The line and column, where the parser reported one or the pointer could be found.
    pub position: Option<Position>,
}

/// `FILE:LINE:COL: error [POINTER]: MESSAGE`, as every diagnostic is written.
impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let diagnostic = Diagnostic { position: self.position, ..Diagnostic::error(self.pointer.as_str(), self.message.as_str()) };
        f.write_str(&diagnostic.render(self.path.as_deref()))
    }
}

impl std::error::Error for LoadError {}

/// Reads a document from a file.
pub fn load_file(path: &Path) -> Result<Document, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|error| LoadError {
        path: Some(path.to_path_buf()),
        pointer: String::new(),
        message: format!("cannot read the file: {error}"),
        position: None,
    })?;
    let mut document = load_str(&text).map_err(|mut error| {
        error.path = Some(path.to_path_buf());
        error
    })?;
    document.path = Some(path.to_path_buf());
    Ok(document)
}

/// Reads a document from text, YAML or JSON (JSON is tried first when the text looks like it).
pub fn load_str(text: &str) -> Result<Document, LoadError> {
    let fail = |pointer: &str, message: String, position: Option<Position>| LoadError {
        path: None,
        pointer: pointer.to_string(),
        message,
        position: position.or_else(|| crate::source_map::locate(text, &[pointer]).into_iter().next().flatten()),
    };
    let mut diagnostics = Vec::new();
    let root = parse_text(text, &mut diagnostics).map_err(|(message, position)| fail("", message, position))?;
    let Value::Object(object) = &root else {
        return Err(fail("", format!("the document is {}, not an object", describe(&root)), Some(Position { line: 1, column: 1 })));
    };
    if object.contains_key("swagger") {
        return Err(fail(
            "/swagger",
            "this is a Swagger 2.0 document; only OpenAPI 3.0 and 3.1 are supported (convert it first, for example with swagger2openapi)".into(),
            None,
        ));
    }
    let version = match object.get("openapi") {
        None => return Err(fail("", "the document has no `openapi` field, so it is not an OpenAPI document".into(), None)),
        Some(value) => {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                other => {
                    return Err(fail("/openapi", format!("`openapi` must be a version string such as \"3.1.0\", found {}", describe(other)), None))
                }
            };
            parse_version(&text, &mut diagnostics).map_err(|message| fail("/openapi", message, None))?
        }
    };
    Ok(Document { path: None, text: text.to_string(), root, version, diagnostics })
}

fn parse_version(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Version, String> {
    let mut parts = text.trim().split('.');
    let major = parts.next().unwrap_or_default();
    let minor = parts.next().unwrap_or_default();
    match (major, minor) {
        ("3", "0") => Ok(Version::V3_0),
        ("3", "1") => Ok(Version::V3_1),
        ("3", minor) if minor.chars().all(|c| c.is_ascii_digit()) && !minor.is_empty() => {
            diagnostics.push(Diagnostic::warning("/openapi", format!("OpenAPI {text} is newer than 3.1; reading it as 3.1")));
            Ok(Version::V3_1)
        }
        ("2", _) => Err(format!("OpenAPI {text} (Swagger 2) is not supported; only 3.0 and 3.1 are")),
        _ => Err(format!("unknown OpenAPI version `{text}`; only 3.0.x and 3.1.x are supported")),
    }
}

fn parse_text(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Value, (String, Option<Position>)> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) {
            Ok(value) => return Ok(value),
            // Flow-style YAML also starts with a brace; only report the JSON error when YAML fails too.
            Err(json_error) => {
                return parse_yaml(text, diagnostics).map_err(|_| {
                    let position = Position { line: json_error.line(), column: json_error.column() };
                    // The position travels separately; the library's message repeats it at the end.
                    let message = json_error.to_string();
                    let message = message.rfind(" at line ").map_or(message.as_str(), |cut| &message[..cut]);
                    (format!("invalid JSON: {}", explain_depth(message)), Some(position))
                });
            }
        }
    }
    parse_yaml(text, diagnostics)
}

fn parse_yaml(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Value, (String, Option<Position>)> {
    let mut yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|error| {
        let position = error.location().map(|location| Position { line: location.line(), column: location.column() });
        // The position travels separately; the library's message repeats it at the end.
        let message = error.to_string();
        let message = match (position, message.rfind(" at line ")) {
            (Some(_), Some(cut)) => message[..cut].to_string(),
            _ => message,
        };
        if message.contains("repetition limit exceeded") {
            // The library stops at a fixed multiple of the document's size and reports no place.
            let message = "YAML aliases expand to far more nodes than the document holds (an alias bomb?); the first alias is here".to_string();
            return (message, first_alias(text).or(position));
        }
        (format!("invalid YAML: {}", explain_depth(&message)), position)
    })?;
    // Merge keys (`<<: *base`) are common in hand-written specs; the YAML library leaves them to us.
    yaml.apply_merge().map_err(|error| (format!("invalid YAML merge key: {error}"), None))?;
    Ok(yaml_to_json(yaml, "", diagnostics))
}

/// Both parsers stop at 128 levels of nesting, which keeps them off the end of the stack, and
/// name that only as a recursion limit.
fn explain_depth(message: &str) -> String {
    if message.contains("recursion limit exceeded") {
        return "values are nested more than 128 levels deep (recursion limit exceeded)".into();
    }
    message.to_string()
}

/// Where the first alias (`*name`) of a YAML text is.
fn first_alias(text: &str) -> Option<Position> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_token() {
            Ok((Event::Alias(_), mark)) => return Some(Position { line: mark.line(), column: mark.col() + 1 }),
            Ok((Event::StreamEnd, _)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Converts a YAML value to JSON. Keys become their textual form (`200:` is the key "200"), tags
/// are dropped, and numbers JSON cannot hold become strings with a warning.
fn yaml_to_json(yaml: serde_yaml_ng::Value, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Value {
    use serde_yaml_ng::Value as Yaml;
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(value) => Value::Bool(value),
        Yaml::Number(number) => {
            if let Some(value) = number.as_u64() {
                Value::Number(value.into())
            } else if let Some(value) = number.as_i64() {
                Value::Number(value.into())
            } else {
                let value = number.as_f64().unwrap_or(f64::NAN);
                match Number::from_f64(value) {
                    Some(number) => Value::Number(number),
                    None => {
                        diagnostics.push(Diagnostic::warning(pointer, format!("the number `{number}` has no JSON form; kept as a string")));
                        Value::String(number.to_string())
                    }
                }
            }
        }
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => {
            Value::Array(items.into_iter().enumerate().map(|(index, item)| yaml_to_json(item, &format!("{pointer}/{index}"), diagnostics)).collect())
        }
        Yaml::Mapping(mapping) => {
            let mut object = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = yaml_key(&key);
                let child = crate::diagnostics::join(pointer, &key);
                let value = yaml_to_json(value, &child, diagnostics);
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, pointer, diagnostics),
    }
}

fn yaml_key(key: &serde_yaml_ng::Value) -> String {
    use serde_yaml_ng::Value as Yaml;
    match key {
        Yaml::Null => "null".into(),
        Yaml::Bool(value) => value.to_string(),
        Yaml::Number(number) => number.to_string(),
        Yaml::String(text) => text.clone(),
        Yaml::Tagged(tagged) => yaml_key(&tagged.value),
        // A collection as a key has no faithful text form; its YAML rendering is unambiguous enough.
        other => serde_yaml_ng::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

/// Names the kind of a value for messages ("an array", "the string \"x\"").
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(value) => format!("the boolean {value}"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) if text.chars().count() <= 40 => format!("the string {text:?}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> LoadError {
        load_str(text).expect_err("the document should be rejected")
    }

    #[test]
    fn reads_yaml_and_json_alike() {
        let yaml = load_str("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        let json = load_str(r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#).unwrap();
        assert_eq!(yaml.root, json.root);
        assert_eq!(yaml.version, Version::V3_1);
    }

    #[test]
    fn reads_3_0() {
        assert_eq!(load_str("openapi: 3.0.3\npaths: {}").unwrap().version, Version::V3_0);
    }

    #[test]
    fn integer_keys_become_strings() {
        let document = load_str("openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n").unwrap();
        assert!(document.root.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn merge_keys_are_applied() {
        let document = load_str("openapi: 3.1.0\nx-base: &base {a: 1}\nx-derived:\n  <<: *base\n  b: 2\n").unwrap();
        assert_eq!(document.root["x-derived"]["a"], 1);
    }

    #[test]
    fn rejects_text_that_is_neither_yaml_nor_json() {
        let error = error_of("openapi: [unclosed");
        assert!(error.message.starts_with("invalid YAML"), "{error}");
        assert!(error.position.is_some());
    }

    #[test]
    fn rejects_broken_json_with_its_position() {
        let error = error_of("{\"openapi\": \"3.1.0\",\n  \"paths\": {]}");
        assert!(error.message.starts_with("invalid JSON"), "{error}");
        assert_eq!(error.position.map(|p| p.line), Some(2));
    }

    #[test]
    fn rejects_a_document_that_is_not_an_object() {
        assert!(error_of("- a\n- b\n").message.contains("an array, not an object"));
        assert!(error_of("just text").message.contains("not an object"));
    }

    #[test]
    fn rejects_swagger_2() {
        let error = error_of("info: {title: t, version: '1'}\nswagger: '2.0'\npaths: {}\n");
        assert_eq!(error.pointer, "/swagger");
        assert_eq!(error.position, Some(Position { line: 2, column: 1 }));
        assert!(error.message.contains("Swagger 2.0"));
    }

    #[test]
    fn rejects_unknown_major_versions() {
        assert!(error_of("openapi: 4.0.0\npaths: {}").message.contains("unknown OpenAPI version `4.0.0`"));
        assert!(error_of("openapi: 2.0\npaths: {}").message.contains("not supported"));
        assert!(error_of("info: {title: t}\npaths: {}").message.contains("no `openapi` field"));
        assert!(error_of("openapi: [3]\n").message.contains("must be a version string"));
    }

    #[test]
    fn later_3_minor_versions_warn() {
        let document = load_str("openapi: 3.2.0\npaths: {}").unwrap();
        assert_eq!(document.version, Version::V3_1);
        assert_eq!(document.diagnostics.len(), 1);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_fail_cleanly() {
        let mut bomb = String::from("openapi: 3.1.0\na: &a [x, x, x, x, x, x, x, x, x]\n");
        for level in 0..12 {
            let previous = if level == 0 { "a".to_string() } else { format!("b{}", level - 1) };
            bomb.push_str(&format!("b{level}: &b{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
        }
        let error = load_str(&bomb).unwrap_err();
        assert!(error.message.contains("alias bomb"), "{error}");
        assert_eq!(error.position, Some(Position { line: 3, column: 10 }), "at the first alias");
        let deep = format!("{{\"openapi\": \"3.1.0\", \"x\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        let error = load_str(&deep).unwrap_err();
        assert_eq!(error.message, "invalid JSON: values are nested more than 128 levels deep (recursion limit exceeded)");
        assert_eq!(error.position, Some(Position { line: 1, column: 153 }), "the 129th bracket");
        let deep_yaml = format!("openapi: 3.1.0\nx: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(load_str(&deep_yaml).is_err());
    }
}
