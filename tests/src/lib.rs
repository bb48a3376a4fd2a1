//! What the integration tests share: the generated crate of a document, as `oas generate`
//! makes it, in one call.

use oas_codegen::diagnostics::Diagnostic;
use oas_codegen::load::Document;
use oas_codegen::output::FileSet;
use oas_codegen::{CrateConfig, GenerateError, Options};

/// A generated crate's files and the diagnostics of generating it.
pub struct GeneratedCrate {
    pub files: FileSet,
    pub diagnostics: Vec<Diagnostic>,
}

/// Generates `document` with the CLI's defaults and renders it as the crate `config` describes.
pub fn generate_crate(document: &Document, config: &CrateConfig, deny_warnings: bool) -> Result<GeneratedCrate, GenerateError> {
    let generated = oas_codegen::generate(document, &Options { deny_warnings, ..Options::default() })?;
    Ok(GeneratedCrate { files: generated.render_crate(config)?, diagnostics: generated.diagnostics })
}
