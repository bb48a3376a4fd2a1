//! `oas lint`: every finding of `oas validate` and more (see `oas_contract::lint`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::{count, print_diagnostics, say, Progress};

pub const LONG_ABOUT: &str = "Checks an OpenAPI document (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2) beyond `validate` and reports every finding as \
    FILE:LINE:COL: SEVERITY [JSON-POINTER]: MESSAGE, in document order.\n\n\
    Errors: everything `validate` reports as an error; violations of the official OpenAPI JSON Schema (3.0, or 3.1 and its \
    Schema Object dialect); defaults that do not match their schema or lie outside their `enum`; schemas no value can satisfy.\n\n\
    Warnings: examples that do not match their schema; components nothing uses; schemas, properties or operationIds whose Rust \
    names collide; everything `oas generate` would work around.\n\n\
    Exit status: 0 without errors, 1 with errors (or with warnings under --deny-warnings) or when the file cannot be read as OpenAPI, 2 for usage errors.";

#[derive(Args)]
pub struct LintArgs {
    /// The document (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2), YAML or JSON.
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// Exit 1 when there are warnings, too.
    #[arg(long)]
    deny_warnings: bool,
    #[command(flatten)]
    refs: crate::ref_access::RefAccess,
}

pub fn run(args: &LintArgs) -> ExitCode {
    let spec = args.spec.display().to_string();
    let mut progress = Progress::new(&args.spec);
    progress.stage("reading");
    let document = match args.refs.load(&args.spec) {
        Ok(document) => document,
        Err(error) => {
            say(&error);
            return ExitCode::FAILURE;
        }
    };
    progress.stage("checking");
    let findings = oas_contract::lint::lint(&document);
    progress.done();
    print_diagnostics(&args.spec, &findings);
    let (errors, warnings) = oas_contract::lint::counts(&findings);
    let summary = format!("{}, {}", count(errors, "error"), count(warnings, "warning"));
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        let why = if errors > 0 { "" } else { " and --deny-warnings is set" };
        say(&format!("error: {spec}: {summary}{why}"));
        ExitCode::FAILURE
    } else {
        say(&format!("{spec}: {summary}"));
        ExitCode::SUCCESS
    }
}
