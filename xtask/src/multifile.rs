//! The manifest of the split documents in `tests/corpus/multifile` (`tests/multifile.toml`):
//! which files are root documents, and what reading each must do. Most files there are
//! fragments that only a root reaches, or a resolver's expected output.

use std::path::{Path, PathBuf};

use oas_codegen::diagnostics::Diagnostic;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Manifest {
    pub root: Vec<Root>,
}

#[derive(Debug, Deserialize)]
pub struct Root {
    /// Relative to `tests/corpus/multifile`.
    pub path: String,
    pub status: Status,
    /// For `broken` roots: every reference that cannot be followed.
    #[serde(default)]
    pub failures: Vec<Failure>,
    /// For roots with remote references: the `HOST[:PORT]` they name, where `${dynamicPort}`
    /// stands for a test server's port.
    pub host: Option<String>,
    /// `"FILE -> /URL/PATH"`: what a server at `host` must answer.
    #[serde(default)]
    pub serve: Vec<String>,
    /// `id` or `anchor`: the 3.1 features resolving it takes.
    #[serde(default)]
    pub needs: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every reference resolves inside the root's folder.
    Ok,
    /// Some references cannot be followed; each must be a warning at its place.
    Broken,
    /// Some references are URLs.
    Remote,
    /// Some references leave the root's folder.
    Outside,
}

#[derive(Debug, Deserialize)]
pub struct Failure {
    /// Relative to `tests/corpus/multifile`.
    pub file: String,
    /// The line of the `$ref`.
    pub line: usize,
    #[serde(rename = "ref")]
    pub reference: String,
}

pub fn folder(workspace: &Path) -> PathBuf {
    crate::corpus::corpus_dir(workspace).join("multifile")
}

pub fn read(workspace: &Path) -> Result<Manifest, String> {
    let path = workspace.join("tests/multifile.toml");
    let text = std::fs::read_to_string(&path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    toml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))
}

/// The roots whose every reference resolves locally: the ones `cargo xtask corpus` generates.
pub fn ok_roots(workspace: &Path) -> Result<Vec<PathBuf>, String> {
    let folder = folder(workspace);
    Ok(read(workspace)?.root.into_iter().filter(|root| root.status == Status::Ok).map(|root| folder.join(root.path)).collect())
}

/// Whether a finding is about a reference that could not be followed.
pub fn is_about_a_reference(diagnostic: &Diagnostic) -> bool {
    diagnostic.pointer.ends_with("/$ref") || diagnostic.message.contains("$ref") || diagnostic.message.contains("reference")
}
