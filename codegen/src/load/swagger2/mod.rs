//! Swagger 2.0 to OpenAPI 3.0.3, as a pure function of the parsed document.
//!
//! The conversion follows the two specification texts: every 2.0 construct with a 3.0 form gets
//! that form, and whatever has none is left out with a warning at its 2.0 pointer. Nothing here
//! reads files or fails: a value of the wrong type anywhere is skipped with a warning, so any
//! JSON value converts to some 3.0 document.
//!
//! Besides the document, the conversion records where each part of it came from (the origin
//! map), so findings about the 3.0 document can be shown at the 2.0 text a person edits.
//!
//! The parts, in the order a document is built:
//! * [`names`]: the 3.0 name of every component (2.0 allows names 3.0 does not);
//! * [`refs`]: `$ref` values pointing into 2.0 sections, rewritten to the 3.0 components;
//! * [`document`]: the top level (`info`, `servers` from `host`/`basePath`/`schemes`, tags,
//!   global `security`) and the assembly of `components`;
//! * [`paths`]: path items and operations, which gather body and form parameters into one
//!   request body and consume the media type and scheme lists;
//! * [`parameters`]: query, path and header parameters, request bodies from `in: body` and
//!   `in: formData`, and the components made from the top-level `parameters`;
//! * [`simple_types`]: the schema and serialization style of a parameter, header or items object
//!   (the 2.0 fields `type`, `format`, `items`, `collectionFormat` and the validation keywords);
//! * [`responses`]: responses, their content, examples and headers;
//! * [`schemas`]: Schema Objects (`x-nullable`, `discriminator`, `type: file`, references);
//! * [`security`]: security definitions and requirements.

mod document;
mod names;
mod parameters;
mod paths;
mod refs;
mod responses;
mod schemas;
mod security;
mod simple_types;

#[cfg(test)]
mod corpus_tests;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;

/// The 3.0 form of a Swagger 2.0 document.
pub(crate) struct Converted {
    /// The document as OpenAPI 3.0.3.
    pub root: serde_json::Value,
    /// For each subtree of `root` that came from somewhere in the 2.0 document: (pointer in `root`, pointer in the 2.0 document). Enough entries that every converted node maps to the 2.0 node it came from by longest-prefix lookup (e.g. ("/paths/~1pets/get/requestBody", "/paths/~1pets/get/parameters/0"), ("/components/schemas/Pet", "/definitions/Pet")).
    pub origins: Vec<(String, String)>,
    /// Warnings for whatever could not be converted, each at its 2.0 pointer (crate::diagnostics::Diagnostic::warning(pointer, message)).
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
}

/// Converts a parsed Swagger 2.0 document (`swagger: "2.0"`) to OpenAPI 3.0.3.
///
/// A pointer below an origin entry's 3.0 pointer maps to the same remainder below its 2.0
/// pointer; where the 3.0 structure differs from the 2.0 one (a body parameter's `schema` under
/// `content`, a parameter's type fields under `schema`, a list whose entries moved), there is an
/// entry of its own. A remainder that does not exist in the 2.0 document (a `format: binary`
/// the conversion added) is meant to be shown at its nearest existing ancestor.
pub(crate) fn convert(document: &serde_json::Value) -> Converted {
    let empty = Map::new();
    let root = match document {
        Value::Object(object) => object,
        other => {
            let mut converter = Converter::new(&empty);
            converter.warn("", format!("a Swagger document must be an object, found {}; converted as an empty one", super::describe(other)));
            return converter.finish_document();
        }
    };
    Converter::new(root).finish_document()
}

/// The state of one conversion: the 2.0 document, the choices made over all of it, and what has
/// been found so far.
struct Converter<'a> {
    /// The 2.0 document's top level.
    root: &'a Map<String, Value>,
    /// The 3.0 name of every component.
    names: names::Names,
    /// The document-wide `consumes`, or `application/json` when there is none.
    consumes: Vec<String>,
    /// The document-wide `produces`, or `application/json` when there is none.
    produces: Vec<String>,
    /// Where the API is served, for operations that name their own `schemes`.
    location: document::Location,
    /// Form parameters of the top-level `parameters` that some operation references; the rest
    /// have no 3.0 place and are reported.
    form_parameters_used: HashSet<String>,
    /// Operations whose own `schemes` have no 3.0 form, as the document has no `host`.
    schemes_without_host: Vec<String>,
    origins: Vec<(String, String)>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Converter<'a> {
    fn new(root: &'a Map<String, Value>) -> Self {
        let mut diagnostics = Vec::new();
        let names = names::Names::new(root, &mut diagnostics);
        let mut converter = Converter {
            root,
            names,
            consumes: Vec::new(),
            produces: Vec::new(),
            location: document::Location::default(),
            form_parameters_used: HashSet::new(),
            schemes_without_host: Vec::new(),
            origins: Vec::new(),
            diagnostics,
        };
        converter.consumes = converter.media_types(root.get("consumes"), "/consumes").unwrap_or_default();
        converter.produces = converter.media_types(root.get("produces"), "/produces").unwrap_or_default();
        converter.location = converter.location();
        converter
    }

    fn finish_document(mut self) -> Converted {
        let root = self.document();
        // A part converted once per use (a form field several operations share) warns once.
        let mut seen = HashSet::new();
        self.diagnostics.retain(|diagnostic| seen.insert((diagnostic.pointer.clone(), diagnostic.message.clone())));
        Converted { root, origins: self.origins, diagnostics: self.diagnostics }
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(pointer, message));
    }

    /// Records that the subtree at `at` in the 3.0 document came from `from` in the 2.0 one.
    fn origin(&mut self, at: &str, from: &str) {
        self.origins.push((at.to_string(), from.to_string()));
    }

    /// Runs `convert` for a second copy of something already converted elsewhere (a shared
    /// response or body inlined into an operation): its warnings were given the first time.
    fn quietly<T>(&mut self, convert: impl FnOnce(&mut Self) -> T) -> T {
        let before = self.diagnostics.len();
        let result = convert(self);
        self.diagnostics.truncate(before);
        result
    }

    /// A `consumes` or `produces` list: `None` when absent or not a list, otherwise its strings.
    fn media_types(&mut self, value: Option<&Value>, from: &str) -> Option<Vec<String>> {
        match value? {
            Value::Array(items) => {
                let mut types = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    match item {
                        Value::String(text) if !text.trim().is_empty() => types.push(text.trim().to_string()),
                        other => self.warn(
                            &join(from, &index.to_string()),
                            format!("a media type must be a string, found {}; skipped", super::describe(other)),
                        ),
                    }
                }
                Some(types)
            }
            other => {
                self.warn(from, format!("must be a list of media types, found {}; ignored", super::describe(other)));
                None
            }
        }
    }
}

/// The media types a body or response uses: the operation's list, else the document's, else
/// `application/json` (also when the list is empty, which 2.0 allows in order to clear the
/// document's list).
fn effective(own: Option<Vec<String>>, document: &[String]) -> Vec<String> {
    let chosen = match own {
        Some(types) => types,
        None => document.to_vec(),
    };
    if chosen.is_empty() {
        vec!["application/json".to_string()]
    } else {
        chosen
    }
}

/// Whether two media type lists name the same types, in any order.
fn same_types(a: &[String], b: &[String]) -> bool {
    let mut a: Vec<&str> = a.iter().map(String::as_str).collect();
    let mut b: Vec<&str> = b.iter().map(String::as_str).collect();
    a.sort_unstable();
    a.dedup();
    b.sort_unstable();
    b.dedup();
    a == b
}

/// Specification extensions (`x-...`), which are kept wherever they are allowed.
fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

fn join(pointer: &str, token: &str) -> String {
    crate::diagnostics::join(pointer, token)
}

#[cfg(test)]
mod test_support {
    use serde_json::Value;

    use super::Converted;

    /// Converts `document`, for tests that look at one part of the result.
    pub fn convert(document: Value) -> Converted {
        super::convert(&document)
    }

    /// The warnings' pointers and messages, for asserting on both.
    pub fn warnings(converted: &Converted) -> Vec<(String, String)> {
        converted.diagnostics.iter().map(|diagnostic| (diagnostic.pointer.clone(), diagnostic.message.clone())).collect()
    }

    /// Whether some warning is at `pointer` and its message contains `text`.
    pub fn warned(converted: &Converted, pointer: &str, text: &str) -> bool {
        converted.diagnostics.iter().any(|diagnostic| diagnostic.pointer == pointer && diagnostic.message.contains(text))
    }

    /// Whether the origins hold exactly this entry.
    pub fn has_origin(converted: &Converted, at: &str, from: &str) -> bool {
        converted.origins.iter().any(|(a, f)| a == at && f == from)
    }

    /// The 3.0 value at `pointer`, `Value::Null` when there is none.
    pub fn at<'v>(converted: &'v Converted, pointer: &str) -> &'v Value {
        converted.root.pointer(pointer).unwrap_or(&Value::Null)
    }
}
