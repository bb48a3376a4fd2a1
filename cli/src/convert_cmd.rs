//! `oas convert`: a document written for an older version, upgraded: Swagger 2.0 to OpenAPI 3.0
//! (the conversion every other command performs on load), 3.0 to 3.1 and 3.1 to 3.2, one step
//! after another.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use oas_codegen::load::{upgrade, Written};

use crate::bundle_cmd::{write_document, Output};
use crate::ref_access::RefAccess;

pub const LONG_ABOUT: &str = "Writes a document upgraded to a later version of the specification: Swagger 2.0 as OpenAPI 3.0 (the \
    conversion every other command performs on load; the rules are in docs/swagger2.md), OpenAPI 3.0 as 3.1 (its schemas as JSON \
    Schema 2020-12: `nullable`, the boolean `exclusiveMinimum` and `exclusiveMaximum`, a schema's `example`, and the keywords beside \
    a `$ref` that 3.0 ignores), and OpenAPI 3.1 as 3.2 (the version string). Upgrades over several versions take each step in turn; \
    the rules are in docs/upgrade.md. A document already in the version asked for is written unchanged (bundled, when it is split \
    over several files). A downgrade is refused.\n\n\
    Whatever could not be carried over with its meaning is said on stderr, each with its file, line and column.\n\n\
    Exit status: 0 on success, 1 when the document cannot be read or converted as asked, 2 for usage errors.";

#[derive(Args)]
pub struct ConvertArgs {
    /// The document, YAML or JSON.
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// The version to write.
    #[arg(long, value_enum)]
    to: Target,
    #[command(flatten)]
    output: Output,
    #[command(flatten)]
    refs: RefAccess,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Target {
    #[value(name = "3.0")]
    V3_0,
    #[value(name = "3.1")]
    V3_1,
    #[value(name = "3.2")]
    V3_2,
}

impl Target {
    fn written(self) -> Written {
        match self {
            Target::V3_0 => Written::OpenApi3_0,
            Target::V3_1 => Written::OpenApi3_1,
            Target::V3_2 => Written::OpenApi3_2,
        }
    }
}

pub fn run(args: &ConvertArgs) -> Result<(), String> {
    let mut document = args.refs.load(&args.spec)?;
    let to = args.to.written();
    let Some(upgraded) = upgrade::upgrade(&document.root, document.written, to) else {
        let spec = args.spec.display();
        return Err(format!("error: {spec} is {}; converting it to an earlier version ({}) is not supported", document.written.name(), to.name()));
    };
    // The warnings are at pointers of the loaded document, which is where the file's lines are known.
    document.diagnostics.extend(upgraded.warnings);
    write_document(&document, &upgraded.root, &args.spec, &args.output)
}
