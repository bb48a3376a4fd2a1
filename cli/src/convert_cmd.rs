//! `oas convert`: a document written for an older version, upgraded. Today that is Swagger 2.0
//! to OpenAPI 3.0, the conversion every other command performs on load.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use oas_codegen::load::Written;

use crate::bundle_cmd::{write_document, Output};
use crate::ref_access::RefAccess;

pub const LONG_ABOUT: &str = "Writes a document upgraded to a later version of the specification: a Swagger 2.0 document as \
    OpenAPI 3.0 (the conversion every other command performs on load; the rules are in docs/swagger2.md). A document already \
    in the version asked for is written unchanged (bundled, when it is split over several files). A downgrade is refused, \
    and so, for now, are upgrades between versions of OpenAPI 3.\n\n\
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
    let document = args.refs.load(&args.spec)?;
    let spec = args.spec.display();
    let written = document.written.name();
    match (document.written, args.to) {
        (Written::Swagger2 | Written::OpenApi3_0, Target::V3_0) | (Written::OpenApi3_1, Target::V3_1) | (Written::OpenApi3_2, Target::V3_2) => {
            write_document(&document, &document.root, &args.spec, &args.output)
        }
        (from, to) if from > to.written() => {
            Err(format!("error: {spec} is {written}; converting it to an earlier version ({}) is not supported", to.written().name()))
        }
        (_, to) => {
            Err(format!("error: {spec} is {written}; converting to {} is not supported yet (--to 3.0 converts Swagger 2.0)", to.written().name()))
        }
    }
}
