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

/// A folder of generated crates under the repository's `target/`, built as a workspace of its
/// own (so cargo does not take the repository's) into the corpus tests' target folder, where the
/// runtime and its dependencies are built already.
pub struct Workspace {
    dir: std::path::PathBuf,
    target: std::path::PathBuf,
}

impl Workspace {
    /// Writes `files` (each crate under a folder named like it) as `target/<name>`, with a
    /// workspace manifest listing `members` and the repository's lock file, which keeps
    /// dependency versions those of the shared target folder.
    pub fn write(name: &str, mut files: FileSet, members: &[&str]) -> Workspace {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate is inside the repository").to_path_buf();
        let listed: Vec<String> = members.iter().map(|member| format!("\"{member}\"")).collect();
        files.insert("Cargo.toml".into(), format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", listed.join(", ")));
        let dir = root.join("target").join(name);
        oas_codegen::output::write_tree(&dir, &files, &|path| path.starts_with("target/") || path == "Cargo.lock").expect("the workspace is written");
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("the lock file is copied");
        Workspace { dir, target: root.join("target/corpus") }
    }

    /// Runs cargo with `args` in the workspace, asserting success; returns its stdout.
    pub fn cargo(&self, args: &[&str]) -> String {
        let run = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .output()
            .expect("cargo runs");
        let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
        assert!(run.status.success(), "cargo {args:?}:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
        stdout
    }
}
