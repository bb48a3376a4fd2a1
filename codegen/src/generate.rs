//! The one pipeline every front end calls: a loaded document and [`Options`] in, a [`Generated`]
//! API and its diagnostics out, rendered afterwards as a crate or as one include file.
//!
//! ```text
//! load::load_file ─► generate(document, options)
//!                      ├─ lower_document: lower, then finish the diagnostics (merge, dedupe,
//!                      │                  locate, sort) and apply deny_warnings
//!                      └─ emit: every module formatted once, with derives and runtime path
//!                  ─► Generated::render_crate(config) │ Generated::render_include()
//! ```

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::emit::api::{document_file, emit, run_beside, Api, EmitOptions};
use crate::emit::customize::{Customization, DEFAULT_RUNTIME_PATH};
use crate::emit::docs::DocsIndex;
use crate::emit::layout::{crate_files, render_crate, render_include, CrateConfig};
use crate::ir::Model;
use crate::load::Document;
use crate::lower::{lower, lower_split, Split, TypeOptions};
use crate::number_texts::NumberTexts;
use crate::output::FileSet;

/// Every choice generation offers. The defaults are the CLI's: server and client (each behind
/// its cargo feature in the crate layout), reference docs, open enums, no extra derives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The axum server (`server`, and `webhooks` when the document has webhooks).
    pub server: bool,
    /// The reqwest client (`client`).
    pub client: bool,
    /// The Markdown and HTML reference pages under `docs/` (the crate layout only).
    pub docs: bool,
    /// String enums keep unknown values in an `Other(String)` variant, so a client keeps working
    /// when a server adds a value; closed enums fail on them and also derive `Copy`, `Eq` and
    /// `Hash`.
    pub open_enums: bool,
    /// Derive paths added to every schema type (`Eq`, `Hash`, `schemars::JsonSchema`). They apply
    /// to all of them, so they must fit all of them: `Eq` fails on a type that holds an `f64`. A
    /// derive a type already has (compared by the last path segment) is not repeated.
    pub extra_derives: Vec<String>,
    /// The path generated code reaches the runtime by: `::oas_runtime` unless it is re-exported
    /// (`my_platform::oas_runtime`).
    pub runtime_path: String,
    /// Any warning fails generation, with all of them listed.
    pub deny_warnings: bool,
    /// Only these operations, the types they reach, and the parts of the document they use
    /// (types are named on the whole document first, so each is the same as in a full crate).
    pub subset: crate::subset::Subset,
    /// Schemas and formats mapped onto types the user already has.
    pub types: crate::overrides::TypeOverrides,
    /// A cargo feature per tag in the crate layout: each tag's operations, and the types only
    /// they reach, compile only with its feature (`untagged` for operations without a tag,
    /// `full` for all).
    pub features_per_tag: bool,
    /// Lines added to the `[dependencies]` of the generated crate's manifest (`jiff = "0.2"`),
    /// for the crates provided types live in; each must be one TOML `key = value`.
    pub dependencies: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            server: true,
            client: true,
            docs: true,
            open_enums: true,
            extra_derives: Vec::new(),
            runtime_path: DEFAULT_RUNTIME_PATH.to_string(),
            deny_warnings: false,
            subset: crate::subset::Subset::default(),
            types: crate::overrides::TypeOverrides::default(),
            features_per_tag: false,
            dependencies: Vec::new(),
        }
    }
}

impl Options {
    /// The options that change the model itself (type shapes and names).
    pub fn type_options(&self) -> TypeOptions {
        TypeOptions { open_enums: self.open_enums }
    }
}

/// The generated API, not yet laid out in files, and everything noticed on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every module, formatted, ready for [`Generated::render_crate`] or
    /// [`Generated::render_include`].
    pub api: Api,
    /// Every finding, with its pointer and (where it can be found) its line and column, in
    /// document order.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the generated types say less than the schemas.
    pub fidelity: crate::ir::Fidelity,
}

impl Generated {
    /// The warnings among the diagnostics, in document order.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|diagnostic| diagnostic.severity == Severity::Warning)
    }

    /// The files of a crate (see [`CrateConfig`]).
    pub fn render_crate(&self, config: &CrateConfig) -> Result<FileSet, GenerateError> {
        render_crate(&self.api, config).map_err(GenerateError::Internal)
    }

    /// The files of a crate, as [`Generated::render_crate`] writes them, with the formatted text
    /// moved into them rather than copied (take the diagnostics out first if they are needed).
    pub fn into_crate(self, config: &CrateConfig) -> Result<FileSet, GenerateError> {
        crate_files(self.api, config).map_err(GenerateError::Internal)
    }

    /// One file of items for a build script to `include!`.
    pub fn render_include(&self) -> String {
        render_include(&self.api)
    }
}

/// The manifest lines of the crates provided types live in, each checked to be one TOML
/// `key = value` so that nothing else reaches the manifest.
fn dependencies(lines: &[String]) -> Result<Vec<String>, GenerateError> {
    lines
        .iter()
        .map(|line| {
            let line = line.trim();
            let one_entry =
                !line.starts_with('[') && !line.contains(['\n', '\r']) && toml::from_str::<toml::Table>(line).is_ok_and(|table| table.len() == 1);
            match one_entry {
                true => Ok(line.to_string()),
                false => Err(GenerateError::Options(format!("--dependency `{line}`: not one TOML `name = requirement` line"))),
            }
        })
        .collect()
}

/// Why generation produced nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenerateError {
    /// An option given by the user is not usable (an extra derive or runtime path that is not a
    /// Rust path); the message names it.
    Options(String),
    /// `deny_warnings` was set and there were warnings; they are all listed.
    Warnings(Vec<Diagnostic>),
    /// A bug in this crate: it produced code that does not parse.
    Internal(String),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Options(message) => f.write_str(message),
            GenerateError::Warnings(warnings) => {
                let noun = if warnings.len() == 1 { "warning" } else { "warnings" };
                write!(f, "{} {noun} and warnings are denied", warnings.len())
            }
            GenerateError::Internal(message) => write!(f, "the generator failed (a bug in oas-codegen): {message}"),
        }
    }
}

impl std::error::Error for GenerateError {}

/// The lowering half of [`generate`]: the model, and every finding of loading and lowering,
/// finished (repeats dropped, positions looked up, sorted). For tools that read the model
/// without emitting code (`#[handlers]`, the contract tools).
pub fn lower_document(document: &Document, options: &Options) -> (Model, Vec<Diagnostic>) {
    finish_lowering(document, lower(document, &options.type_options()))
}

/// [`lower_document`], sharing the operations out between cores as `split` says.
fn lower_document_split(document: &Document, options: &Options, split: Split<'_>) -> (Model, Vec<Diagnostic>) {
    finish_lowering(document, lower_split(document, &options.type_options(), split))
}

/// The model and every finding of loading and lowering, finished.
fn finish_lowering(document: &Document, mut model: Model) -> (Model, Vec<Diagnostic>) {
    let mut found = document.diagnostics.clone();
    found.append(&mut model.diagnostics);
    (model, diagnostics::finish(document, found))
}

/// Generates the API of a loaded document: [`lower_document`], then [`emit_lowered`]. A caller
/// that has no further use for the document saves memory with [`generate_owned`].
pub fn generate(document: &Document, options: &Options) -> Result<Generated, GenerateError> {
    // Options are checked before the work, so a bad one fails fast on a large document.
    Customization::new(&options.extra_derives, &options.runtime_path).map_err(GenerateError::Options)?;
    let (model, diagnostics) = lower_document(document, options);
    emit_lowered(document, &model, diagnostics, options)
}

/// [`generate`], letting go of the document as soon as it is read: [`prepare`], then
/// [`Prepared::emit`]. The same API and diagnostics, with the document's text and tree (for a
/// large document most of the memory a generation holds) gone before emission starts.
pub fn generate_owned(document: Document, options: &Options) -> Result<Generated, GenerateError> {
    prepare(document, options)?.emit()
}

/// [`generate_owned`], handing the document to `release` instead of dropping it, for a program
/// whose allocator can give the document's memory back to the system as it is let go (see
/// [`prepare_with`]).
pub fn generate_owned_with(document: Document, options: &Options, release: impl FnOnce(Document)) -> Result<Generated, GenerateError> {
    prepare_with(document, options, release)?.emit()
}

/// The emitting half of [`generate`], for callers that time or inspect the halves apart: applies
/// `deny_warnings` to the finished diagnostics, then emits every module. `model` must come from
/// [`lower_document`] with the same document and options.
pub fn emit_lowered(document: &Document, model: &Model, diagnostics: Vec<Diagnostic>, options: &Options) -> Result<Generated, GenerateError> {
    let checked = Checked::of(options)?;
    let mut diagnostics = diagnostics;
    // Provided types and subsets change a copy of the model; most runs need neither.
    let narrowed = match narrows(options) {
        false => None,
        true => {
            let mut model = model.clone();
            let root = narrow(document, &mut model, &mut diagnostics, options)?;
            Some((model, root))
        }
    };
    deny_warnings(&diagnostics, options)?;
    let (model, root) = match &narrowed {
        Some((model, root)) => (model, root.as_ref().unwrap_or(&document.root)),
        None => (model, &document.root),
    };
    // Serializing a large document is one of the longer jobs, so it runs beside emission's.
    emit_model(model, || document_file(root, &document.numbers), &document.numbers, diagnostics, options, checked, None)
}

/// A document lowered, with the document it embeds already serialized: everything emission
/// needs, and nothing of the document's text or tree.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The model, with the user's type overrides and subset applied.
    model: Model,
    diagnostics: Vec<Diagnostic>,
    /// The embedded document's module (`OPENAPI_JSON`).
    embedded: String,
    numbers: NumberTexts,
    options: Options,
    checked: Checked,
    /// The documentation's index, when there is documentation.
    docs_index: Option<DocsIndex>,
}

/// The lowering half of [`generate_owned`], for callers that time the halves apart: lowers the
/// document and serializes the copy the generated crate embeds (beside lowering, on another
/// core, unless a subset or type overrides change what is embedded), applies the overrides, the
/// subset and `deny_warnings`, and lets go of the document.
pub fn prepare(document: Document, options: &Options) -> Result<Prepared, GenerateError> {
    prepare_with(document, options, drop)
}

/// [`prepare`], handing the document to `release` once lowering and serializing are done with
/// it, before emission starts. The document's tree is many small blocks and the emitted files are
/// a few large ones, so an allocator that keeps freed memory for reuse cannot give the tree's
/// pages to the files; a program that lets `release` return them to the system peaks that much
/// lower. The command-line tool does.
pub fn prepare_with(mut document: Document, options: &Options, release: impl FnOnce(Document)) -> Result<Prepared, GenerateError> {
    let checked = Checked::of(options)?;
    // The form a Swagger 2.0 document was written in is for the checking tools; generation reads
    // the converted one.
    document.original = None;
    let narrows = narrows(options);
    let serialized = AtomicBool::new(false);
    let (model, diagnostics, embedded) = match narrows {
        false => {
            let lower = || lower_document_split(&document, options, Split::Auto { beside: Some(&serialized) });
            let serialize = || {
                let embedded = document_file(&document.root, &document.numbers);
                serialized.store(true, Ordering::Release);
                embedded
            };
            let ((model, diagnostics), embedded) = run_beside(lower, serialize).map_err(GenerateError::Internal)?;
            deny_warnings(&diagnostics, options)?;
            (model, diagnostics, embedded)
        }
        true => {
            let (mut model, mut diagnostics) = lower_document(&document, options);
            let root = narrow(&document, &mut model, &mut diagnostics, options)?;
            deny_warnings(&diagnostics, options)?;
            let embedded = document_file(root.as_ref().unwrap_or(&document.root), &document.numbers);
            (model, diagnostics, embedded)
        }
    };
    let numbers = std::mem::take(&mut document.numbers);
    // Letting go of a large document takes a while on one core; the documentation's index
    // needs only the model, so it is worked out meanwhile.
    let docs_index = match options.docs {
        true => Some(run_beside(|| release(document), || DocsIndex::of(&model)).map_err(GenerateError::Internal)?.1),
        false => {
            release(document);
            None
        }
    };
    Ok(Prepared { model, diagnostics, embedded, numbers, options: options.clone(), checked, docs_index })
}

impl Prepared {
    /// Every finding of loading and lowering, finished as [`Generated::diagnostics`] will hold
    /// them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The emitting half of [`generate_owned`]: every module, formatted, with the options given
    /// to [`prepare`]. The model is let go of when this returns.
    pub fn emit(self) -> Result<Generated, GenerateError> {
        let Prepared { model, diagnostics, embedded, numbers, options, checked, docs_index } = self;
        emit_model(&model, move || embedded, &numbers, diagnostics, &options, checked, docs_index)
    }
}

/// The options that are checked once, before any work.
#[derive(Debug, Clone)]
struct Checked {
    customization: Customization,
    dependencies: Vec<String>,
}

impl Checked {
    fn of(options: &Options) -> Result<Checked, GenerateError> {
        let customization = Customization::new(&options.extra_derives, &options.runtime_path).map_err(GenerateError::Options)?;
        Ok(Checked { customization, dependencies: dependencies(&options.dependencies)? })
    }
}

/// Whether provided types or a subset change the model, and so the document embedded.
fn narrows(options: &Options) -> bool {
    !(options.subset.is_everything() && options.types.is_empty())
}

/// Applies the user's provided types and subset to `model`, adding the warnings the provided
/// types raise; the part of the document the subset keeps, when there is a subset.
fn narrow(document: &Document, model: &mut Model, diagnostics: &mut Vec<Diagnostic>, options: &Options) -> Result<Option<Value>, GenerateError> {
    let warnings = crate::overrides::apply(model, &document.root, &options.types).map_err(GenerateError::Options)?;
    if !warnings.is_empty() {
        diagnostics.extend(warnings);
        *diagnostics = crate::diagnostics::finish(document, std::mem::take(diagnostics));
    }
    match options.subset.is_everything() {
        true => Ok(None),
        false => crate::subset::apply(model, &document.root, &options.subset).map(Some).map_err(GenerateError::Options),
    }
}

/// Fails with the warnings when they are denied.
fn deny_warnings(diagnostics: &[Diagnostic], options: &Options) -> Result<(), GenerateError> {
    match options.deny_warnings && diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Warning) {
        true => Err(GenerateError::Warnings(diagnostics.iter().filter(|diagnostic| diagnostic.severity == Severity::Warning).cloned().collect())),
        false => Ok(()),
    }
}

/// Emits every module of `model`; `embedded` gives the embedded document's module.
fn emit_model<'a>(
    model: &'a Model,
    embedded: impl FnOnce() -> String + Send + 'a,
    numbers: &'a NumberTexts,
    diagnostics: Vec<Diagnostic>,
    options: &Options,
    checked: Checked,
    docs_index: Option<DocsIndex>,
) -> Result<Generated, GenerateError> {
    let features = options.features_per_tag.then(|| crate::features::FeatureMap::of(model));
    let emit_options = EmitOptions {
        server: options.server,
        client: options.client,
        docs: options.docs,
        customization: &checked.customization,
        features: features.as_ref(),
    };
    let mut api = emit(model, embedded, numbers, &emit_options, docs_index).map_err(GenerateError::Internal)?;
    api.dependencies = checked.dependencies;
    api.features = features.map(|features| features.names).unwrap_or_default();
    Ok(Generated { api, diagnostics, fidelity: model.fidelity.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::layout::Dependencies;
    use crate::load::load_str;
    use crate::subset::Subset;

    /// A warning (the missing schema), a number a double does not hold, text that is not ASCII,
    /// and two tags to take a subset by.
    const DOCUMENT: &str = r#"
openapi: 3.1.0
info: {title: Tiere für alle, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200':
          description: die Tiere
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: integer, maximum: 123456789012345678901234567890, example: 7}
"#;

    fn config() -> CrateConfig {
        CrateConfig { name: "tiere".into(), header: "A test.".into(), dependencies: Dependencies::Workspace }
    }

    fn owners_only() -> Options {
        Options { subset: Subset { tags: vec!["owners".into()], ..Subset::default() }, ..Options::default() }
    }

    #[test]
    fn handing_the_document_over_generates_the_same_crate() {
        for options in [Options::default(), owners_only()] {
            let borrowed = generate(&load_str(DOCUMENT).unwrap(), &options).unwrap();
            let owned = generate_owned(load_str(DOCUMENT).unwrap(), &options).unwrap();
            assert_eq!(owned.diagnostics, borrowed.diagnostics);
            assert_eq!(owned.render_crate(&config()).unwrap(), borrowed.render_crate(&config()).unwrap());
        }
        let all = generate_owned(load_str(DOCUMENT).unwrap(), &Options::default()).unwrap();
        assert_eq!(all.warnings().count(), 1, "{:?}", all.diagnostics);
        assert!(all.diagnostics[0].position.is_some(), "the warning is placed in the text before it is let go");
        let embedded = &all.render_crate(&config()).unwrap()["src/openapi_document.rs"];
        assert!(embedded.contains(r#""maximum":123456789012345678901234567890"#) && embedded.contains(r"f\u00fcr"), "{embedded}");
        let owners = generate_owned(load_str(DOCUMENT).unwrap(), &owners_only()).unwrap();
        let embedded = &owners.render_crate(&config()).unwrap()["src/openapi_document.rs"];
        assert!(embedded.contains("/owners") && !embedded.contains("/pets"), "the subset's document is embedded: {embedded}");
    }

    #[test]
    fn the_document_is_handed_to_release_once_and_the_crate_is_the_same() {
        for options in [Options::default(), owners_only()] {
            let dropped = generate_owned(load_str(DOCUMENT).unwrap(), &options).unwrap();
            let mut released = Vec::new();
            let handed = generate_owned_with(load_str(DOCUMENT).unwrap(), &options, |document| released.push(document.root)).unwrap();
            assert_eq!(released, [load_str(DOCUMENT).unwrap().root], "the whole document, once");
            assert_eq!(handed.diagnostics, dropped.diagnostics);
            assert_eq!(handed.render_crate(&config()).unwrap(), dropped.render_crate(&config()).unwrap());
        }
    }

    #[test]
    fn denied_warnings_fail_whether_the_document_is_handed_over_or_not() {
        for options in [Options { deny_warnings: true, ..Options::default() }, Options { deny_warnings: true, ..owners_only() }] {
            let borrowed = generate(&load_str(DOCUMENT).unwrap(), &options).map(|_| ()).unwrap_err();
            let owned = prepare(load_str(DOCUMENT).unwrap(), &options).map(|_| ()).unwrap_err();
            assert_eq!(owned, borrowed);
        }
        let bad = Options { runtime_path: "not a path".into(), ..Options::default() };
        assert!(matches!(generate_owned(load_str(DOCUMENT).unwrap(), &bad), Err(GenerateError::Options(_))));
    }
}
