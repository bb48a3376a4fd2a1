//! Reading a document: YAML or JSON text in, a JSON value and its OpenAPI version out. A
//! document split over several files is bundled into one here (see [`bundle`]), so everything
//! after loading reads one tree.
//!
//! Only problems that make the text unusable as OpenAPI, and references that leave the places
//! the user allowed, stop here; everything local is left for later stages to report as warnings.

mod bundle;
mod parse;
mod sources;
mod swagger2;
pub mod upgrade;

pub use sources::{Place, SourceFile, Sources};

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Position};
use crate::number_texts::{NumberTexts, Recorder};

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

/// The version a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Written {
    /// Swagger 2.0, converted to OpenAPI 3.0 on load.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi3_0,
    /// OpenAPI 3.1.x.
    OpenApi3_1,
    /// OpenAPI 3.2.x: schemas as in 3.1, plus the `query` method, `additionalOperations` and
    /// the other 3.2 fields the generator reads.
    OpenApi3_2,
}

impl Written {
    /// The version `root` is in once loaded: 3.0 for a converted Swagger 2.0 document, and the
    /// 3.1 schema dialect for 3.2, which keeps it.
    pub fn version(self) -> Version {
        match self {
            Written::Swagger2 | Written::OpenApi3_0 => Version::V3_0,
            Written::OpenApi3_1 | Written::OpenApi3_2 => Version::V3_1,
        }
    }

    /// The version as people write it (`OpenAPI 3.2`).
    pub fn name(self) -> &'static str {
        match self {
            Written::Swagger2 => "Swagger 2.0",
            Written::OpenApi3_0 => "OpenAPI 3.0",
            Written::OpenApi3_1 => "OpenAPI 3.1",
            Written::OpenApi3_2 => "OpenAPI 3.2",
        }
    }
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
    /// The version `root` is in: the one `openapi` names, or 3.0 for a Swagger 2.0 document,
    /// which is converted on load.
    pub version: Version,
    /// The version the document was written in.
    pub written: Written,
    /// A Swagger 2.0 document as written (bundled, not converted), for the checks that concern
    /// its own text; `None` for OpenAPI 3 documents.
    pub original: Option<Value>,
    /// Warnings found while reading (an unusual version string, a non-finite number, a
    /// reference to a file that is missing).
    pub diagnostics: Vec<Diagnostic>,
    /// The other files the document was read from, and which part of `root` came from each.
    pub sources: Sources,
    /// The text of each number of `root` its double does not reproduce (an integer beyond 64
    /// bits, a decimal with more digits than a double holds), for writing the document back.
    pub numbers: NumberTexts,
}

impl Document {
    /// Every file the document was read from: the root first, then each referenced file once.
    /// Empty for text given in memory.
    pub fn files(&self) -> Vec<PathBuf> {
        self.path.iter().cloned().chain(self.sources.files().iter().filter_map(|file| file.path.clone())).collect()
    }

    /// Where each pointer into `root` is in the files the document was read from.
    pub fn place(&self, pointers: &[&str]) -> Vec<Place> {
        self.sources.place(&self.text, pointers)
    }
}

/// What loading may read besides the root document. The defaults read only files inside the
/// root document's folder; widening that is for the user to ask for, on the command line or in a
/// build script, never for a file found beside a document.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The hosts remote references (`https://...`) may be fetched from; none by default.
    pub remote: crate::fetch::RemoteAccess,
    /// Folders besides the root document's that references may read from.
    pub allow_refs_outside: Vec<PathBuf>,
    /// Limits against documents built to exhaust the machine.
    pub limits: Limits,
}

/// Limits on what one document may make the loader read and build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read, in bytes (128 MiB): room for the fully dereferenced descriptions
    /// API vendors publish (GitHub Enterprise Cloud's is 78 MB).
    pub max_file_bytes: u64,
    /// The most files one document may read (100,000).
    pub max_files: usize,
    /// The largest the bundled document may grow, in bytes of JSON, about (256 MiB): references
    /// that include the same files over and over would otherwise exhaust memory.
    pub max_bundled_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: 128 << 20, max_files: 100_000, max_bundled_bytes: 256 << 20 }
    }
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

/// Reads a document from a file, with the files it references inside its folder.
pub fn load_file(path: &Path) -> Result<Document, LoadError> {
    load_file_with(path, &LoadOptions::default())
}

/// Reads a document from a file, with the files its references lead to, as far as `options`
/// allow.
pub fn load_file_with(path: &Path, options: &LoadOptions) -> Result<Document, LoadError> {
    let too_large = std::fs::metadata(path).is_ok_and(|metadata| metadata.len() > options.limits.max_file_bytes);
    if too_large {
        let limit = options.limits.max_file_bytes;
        return Err(LoadError {
            path: Some(path.to_path_buf()),
            pointer: String::new(),
            message: format!("the file is larger than {limit} bytes, the limit"),
            position: None,
        });
    }
    let text = std::fs::read_to_string(path).map_err(|error| LoadError {
        path: Some(path.to_path_buf()),
        pointer: String::new(),
        message: format!("cannot read the file: {error}"),
        position: None,
    })?;
    let (root, written, diagnostics, numbers) = read_text(&text).map_err(|mut error| {
        error.path = Some(path.to_path_buf());
        error
    })?;
    let swagger2 = written == Written::Swagger2;
    let version = written.version();
    let bundled = bundle::bundle(path, root, &text, version, swagger2, options, numbers)?;
    let mut document = Document {
        path: Some(path.to_path_buf()),
        text,
        root: bundled.root,
        version,
        written,
        original: None,
        diagnostics,
        sources: bundled.sources,
        numbers: bundled.numbers,
    };
    document.diagnostics.extend(bundled.diagnostics);
    if swagger2 {
        convert_swagger2(&mut document);
    }
    Ok(document)
}

/// Converts a Swagger 2.0 document's root to OpenAPI 3.0, keeping the 2.0 form and recording
/// where each converted part came from, so findings point at the 2.0 text.
fn convert_swagger2(document: &mut Document) {
    let converted = swagger2::convert(&document.root);
    let root = document.path.as_ref().map(|path| path.display().to_string());
    for diagnostic in converted.diagnostics {
        // The converter's findings are at pointers of the 2.0 document, not of the converted one.
        let (file, pointer) = document.sources.bundle_origin_of(&diagnostic.pointer);
        let file = file.or_else(|| root.clone());
        document.diagnostics.push(Diagnostic { file, pointer, ..diagnostic });
    }
    document.sources.set_conversion(converted.origins);
    document.original = Some(std::mem::replace(&mut document.root, converted.root));
}

/// Reads a document from text, YAML or JSON (JSON is tried first when the text looks like it).
/// References to other files are not followed (there is no folder to follow them in).
pub fn load_str(text: &str) -> Result<Document, LoadError> {
    let (root, written, diagnostics, numbers) = read_text(text)?;
    let version = written.version();
    let numbers = numbers.finish([&root]);
    let mut document =
        Document { path: None, text: text.to_string(), root, version, written, original: None, diagnostics, sources: Sources::default(), numbers };
    if written == Written::Swagger2 {
        convert_swagger2(&mut document);
    }
    Ok(document)
}

/// Parses the text and tells which version it is written in.
fn read_text(text: &str) -> Result<(Value, Written, Vec<Diagnostic>, Recorder), LoadError> {
    let fail = |pointer: &str, message: String, position: Option<Position>| LoadError {
        path: None,
        pointer: pointer.to_string(),
        message,
        position: position.or_else(|| crate::source_map::locate(text, &[pointer]).into_iter().next().flatten()),
    };
    let mut diagnostics = Vec::new();
    let mut numbers = Recorder::default();
    let root = parse::parse_text(text, &mut diagnostics, &mut numbers).map_err(|(message, position)| fail("", message, position))?;
    let Value::Object(object) = &root else {
        return Err(fail("", format!("the document is {}, not an object", describe(&root)), Some(Position { line: 1, column: 1 })));
    };
    let version_text = |field: &str| -> Result<String, LoadError> {
        match &object[field] {
            Value::String(text) => Ok(text.clone()),
            Value::Number(number) => Ok(number.to_string()),
            other => {
                Err(fail(&format!("/{field}"), format!("`{field}` must be a version string such as \"3.1.0\", found {}", describe(other)), None))
            }
        }
    };
    let written = match (object.contains_key("swagger"), object.contains_key("openapi")) {
        (true, true) => {
            return Err(fail(
                "/openapi",
                "the document has both `swagger` and `openapi`, so it is not clear which version it is; keep one".into(),
                None,
            ));
        }
        (true, false) => {
            let version = version_text("swagger")?;
            if !matches!(version.trim(), "2" | "2.0") {
                return Err(fail("/swagger", format!("unknown Swagger version `{version}`; only 2.0 is read"), None));
            }
            Written::Swagger2
        }
        (false, true) => parse_version(&version_text("openapi")?, &mut diagnostics).map_err(|message| fail("/openapi", message, None))?,
        (false, false) => {
            return Err(fail("", "the document has no `openapi` field, so it is not an OpenAPI document".into(), None));
        }
    };
    Ok((root, written, diagnostics, numbers))
}

fn parse_version(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Written, String> {
    let mut parts = text.trim().split('.');
    let major = parts.next().unwrap_or_default();
    let minor = parts.next().unwrap_or_default();
    match (major, minor) {
        ("3", "0") => Ok(Written::OpenApi3_0),
        ("3", "1") => Ok(Written::OpenApi3_1),
        ("3", "2") => Ok(Written::OpenApi3_2),
        ("3", minor) if minor.chars().all(|c| c.is_ascii_digit()) && !minor.is_empty() => {
            diagnostics.push(Diagnostic::warning("/openapi", format!("OpenAPI {text} is newer than 3.2; reading it as 3.2")));
            Ok(Written::OpenApi3_2)
        }
        ("2", _) => Err(format!("OpenAPI {text} does not exist; a Swagger 2.0 document says `swagger: \"2.0\"`")),
        _ => Err(format!("unknown OpenAPI version `{text}`; only 3.0.x, 3.1.x and 3.2.x (and Swagger 2.0) are read")),
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
    fn reads_swagger_2_as_3_0() {
        for version in ["'2.0'", "2.0", "2"] {
            let document = load_str(&format!("info: {{title: t, version: '1'}}\nswagger: {version}\npaths: {{}}\n")).unwrap();
            assert_eq!((document.written, document.version), (Written::Swagger2, Version::V3_0));
            assert_eq!(document.root["openapi"], "3.0.3");
            assert_eq!(document.original.as_ref().unwrap()["swagger"].as_str().is_some(), version == "'2.0'");
        }
        let error = error_of("swagger: '2.0'\nopenapi: 3.0.0\npaths: {}\n");
        assert!(error.message.contains("both `swagger` and `openapi`"), "{error}");
        assert_eq!(error.position, Some(Position { line: 2, column: 1 }));
        assert!(error_of("swagger: '1.2'\n").message.contains("unknown Swagger version `1.2`"));
    }

    #[test]
    fn rejects_unknown_major_versions() {
        assert!(error_of("openapi: 4.0.0\npaths: {}").message.contains("unknown OpenAPI version `4.0.0`"));
        assert!(error_of("openapi: 2.0\npaths: {}").message.contains("a Swagger 2.0 document says `swagger: \"2.0\"`"));
        assert!(error_of("info: {title: t}\npaths: {}").message.contains("no `openapi` field"));
        assert!(error_of("openapi: [3]\n").message.contains("must be a version string"));
    }

    #[test]
    fn later_3_minor_versions_warn() {
        let document = load_str("openapi: 3.2.0\npaths: {}").unwrap();
        assert_eq!((document.written, document.version), (Written::OpenApi3_2, Version::V3_1));
        assert!(document.diagnostics.is_empty());
        let document = load_str("openapi: 3.3.0\npaths: {}").unwrap();
        assert_eq!(document.written, Written::OpenApi3_2);
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
