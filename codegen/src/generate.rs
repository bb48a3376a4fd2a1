//! The whole pipeline, from a loaded document to the files of a crate.

use std::fmt;

use crate::diagnostics::{Diagnostic, Severity};
use crate::emit::crate_files::{crate_files, CrateConfig};
use crate::load::Document;
use crate::lower::{lower, TypeOptions};
use crate::output::FileSet;

/// The files of a generated crate and everything noticed on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: FileSet,
    /// Every warning, with its pointer and (where it can be found) its line and column.
    pub diagnostics: Vec<Diagnostic>,
}

impl Generated {
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|diagnostic| diagnostic.severity == Severity::Warning)
    }
}

#[derive(Debug, Clone)]
pub enum GenerateError {
    /// `deny_warnings` was set and there were warnings; they are all listed.
    Warnings(Vec<Diagnostic>),
    /// A bug in this crate: it produced code that does not parse.
    Internal(String),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Warnings(warnings) => write!(f, "{} warning(s) and warnings are denied", warnings.len()),
            GenerateError::Internal(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GenerateError {}

/// Generates a crate for a loaded document.
pub fn generate_crate(document: &Document, config: &CrateConfig, options: &TypeOptions, deny_warnings: bool) -> Result<Generated, GenerateError> {
    let model = lower(document, options);
    let mut diagnostics = document.diagnostics.clone();
    diagnostics.extend(model.diagnostics.iter().cloned());
    locate(document, &mut diagnostics);
    if deny_warnings && !diagnostics.is_empty() {
        return Err(GenerateError::Warnings(diagnostics));
    }
    let files = crate_files(&model, &document.root, config).map_err(GenerateError::Internal)?;
    Ok(Generated { files, diagnostics })
}

/// Fills in the line and column of every diagnostic, in one pass over the source text.
pub fn locate(document: &Document, diagnostics: &mut [Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let pointers: Vec<&str> = diagnostics.iter().map(|diagnostic| diagnostic.pointer.as_str()).collect();
    let positions = crate::source_map::locate(&document.text, &pointers);
    for (diagnostic, position) in diagnostics.iter_mut().zip(positions) {
        diagnostic.position = position;
    }
    // Report in the order of the document, whatever order the stages found things in.
    diagnostics.sort_by_key(|diagnostic| diagnostic.position);
}
