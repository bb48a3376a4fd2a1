//! `oas bundle`: the one self-contained document the generator works from, for tools that read
//! only single files and for publishing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use oas_codegen::load::Document;
use serde_json::Value;

use crate::ref_access::RefAccess;

pub const LONG_ABOUT: &str = "Reads a document split over several files (relative `$ref`s to other YAML or JSON files) and writes \
    it as one document: every schema, parameter, response and so on that another file holds becomes a component named after its \
    file (`schemas/Pet.yaml` becomes `#/components/schemas/Pet`), and Path Items and operations land where they are referenced. \
    It is exactly the document `oas generate` works from, so generating from the bundle gives the same crate.\n\n\
    Warnings about references that cannot be followed go to stderr with the file and line of each.\n\n\
    Exit status: 0 on success, 1 when the document cannot be read or the output cannot be written, 2 for usage errors.";

#[derive(Args)]
pub struct BundleArgs {
    /// The root document, YAML or JSON.
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    #[command(flatten)]
    output: Output,
    #[command(flatten)]
    refs: RefAccess,
}

/// Where and how a command that writes a document writes it.
#[derive(Args)]
pub struct Output {
    /// Write here instead of to stdout (replaced all at once).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The output's format [default: that of the output file's extension, else that of SPEC].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

pub fn run(args: &BundleArgs) -> Result<(), String> {
    let document = args.refs.load(&args.spec)?;
    // A Swagger 2.0 document is bundled as written; converting it is `oas convert`.
    let root = document.original.as_ref().unwrap_or(&document.root);
    write_document(&document, root, &args.spec, &args.output)
}

/// Prints the loader's warnings, then writes `root` as the user asked: to `output` (replaced all
/// at once) or stdout, as YAML or JSON (by default that of `output`'s extension, else `spec`'s).
pub fn write_document(document: &Document, root: &Value, spec: &Path, Output { output, format }: &Output) -> Result<(), String> {
    let output = output.as_deref();
    let diagnostics = oas_codegen::diagnostics::finish(document, document.diagnostics.clone());
    for diagnostic in &diagnostics {
        crate::say(&diagnostic.render(Some(spec)));
    }
    let format = format.unwrap_or_else(|| match output.unwrap_or(spec).extension().and_then(|extension| extension.to_str()) {
        Some("json") => Format::Json,
        _ => Format::Yaml,
    });
    // Numbers a double does not reproduce are written as the document wrote them (in YAML only
    // integers: its writer has no way to write a decimal's text).
    let numbers = &document.numbers;
    let text = match format {
        Format::Json => Ok(numbers.to_json_pretty(root) + "\n"),
        Format::Yaml => serde_yaml_ng::to_string(&numbers.integers_as_written(root)).map_err(|error| error.to_string()),
    }
    .map_err(|error| format!("error: cannot write the document as {}: {error}", if format == Format::Json { "JSON" } else { "YAML" }))?;
    match output {
        Some(path) => {
            oas_codegen::output::write_file_if_changed(path, &text).map_err(|error| format!("error: {error}"))?;
            let files = document.files().len();
            crate::say(&format!("wrote {} from {} file{}", path.display(), files, if files == 1 { "" } else { "s" }));
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(|error| format!("error: cannot write to stdout: {error}"))?;
        }
    }
    Ok(())
}
