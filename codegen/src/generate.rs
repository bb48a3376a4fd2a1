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

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::emit::api::{emit, Api, EmitOptions};
use crate::emit::customize::{Customization, DEFAULT_RUNTIME_PATH};
use crate::emit::layout::{crate_files, render_crate, render_include, CrateConfig};
use crate::ir::Model;
use crate::load::Document;
use crate::lower::{lower, TypeOptions};
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
    let mut model = lower(document, &options.type_options());
    let mut found = document.diagnostics.clone();
    found.append(&mut model.diagnostics);
    (model, diagnostics::finish(document, found))
}

/// Generates the API of a loaded document: [`lower_document`], then [`emit_lowered`].
pub fn generate(document: &Document, options: &Options) -> Result<Generated, GenerateError> {
    // Options are checked before the work, so a bad one fails fast on a large document.
    Customization::new(&options.extra_derives, &options.runtime_path).map_err(GenerateError::Options)?;
    let (model, diagnostics) = lower_document(document, options);
    emit_lowered(document, &model, diagnostics, options)
}

/// The emitting half of [`generate`], for callers that time or inspect the halves apart: applies
/// `deny_warnings` to the finished diagnostics, then emits every module. `model` must come from
/// [`lower_document`] with the same document and options.
pub fn emit_lowered(document: &Document, model: &Model, diagnostics: Vec<Diagnostic>, options: &Options) -> Result<Generated, GenerateError> {
    let customization = Customization::new(&options.extra_derives, &options.runtime_path).map_err(GenerateError::Options)?;
    let dependencies = dependencies(&options.dependencies)?;
    // Provided types and subsets change a copy of the model; most runs need neither.
    let mut diagnostics = diagnostics;
    let narrowed = if options.subset.is_everything() && options.types.is_empty() {
        None
    } else {
        let mut model = model.clone();
        let warnings = crate::overrides::apply(&mut model, &document.root, &options.types).map_err(GenerateError::Options)?;
        if !warnings.is_empty() {
            diagnostics.extend(warnings);
            diagnostics = crate::diagnostics::finish(document, diagnostics);
        }
        let root = match options.subset.is_everything() {
            true => None,
            false => Some(crate::subset::apply(&mut model, &document.root, &options.subset).map_err(GenerateError::Options)?),
        };
        Some((model, root))
    };
    if options.deny_warnings && diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Warning) {
        return Err(GenerateError::Warnings(diagnostics.into_iter().filter(|diagnostic| diagnostic.severity == Severity::Warning).collect()));
    }
    let (model, root) = match &narrowed {
        Some((model, root)) => (model, root.as_ref().unwrap_or(&document.root)),
        None => (model, &document.root),
    };
    let features = options.features_per_tag.then(|| crate::features::FeatureMap::of(model));
    let emit_options = EmitOptions {
        server: options.server,
        client: options.client,
        docs: options.docs,
        customization: &customization,
        features: features.as_ref(),
    };
    let mut api = emit(model, root, &document.numbers, &emit_options).map_err(GenerateError::Internal)?;
    api.dependencies = dependencies;
    api.features = features.map(|features| features.names).unwrap_or_default();
    Ok(Generated { api, diagnostics, fidelity: model.fidelity.clone() })
}
