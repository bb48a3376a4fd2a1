//! `oas diff OLD NEW`: the changes between two versions of a document, classified by who they
//! break.
//!
//! Exit status: 0 when no change matches `--fail-on`, 1 when one does, 2 when a document cannot
//! be read (with its file, line:column and pointer) or the command line is wrong. Following
//! `diff(1)`, "trouble" is 2, so scripts can tell "breaking changes" from "could not compare".

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use oas_contract::diff::{self, FailOn, Severity};
use serde_json::{json, Map, Value};

pub const LONG_ABOUT: &str =
    "Compares two versions of a document (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2; YAML or JSON) and classifies every change as \
    breaking clients, breaking servers, breaking both, compatible, or informational, each with its JSON pointer and line:column \
    (in NEW, or in OLD for what was removed).\n\n\
    Breaking clients: a client written for OLD can fail against a server of NEW (an operation removed, a request field made \
    required, a response enum gaining a value). Breaking servers: a server written for OLD does not fulfil NEW (an operation \
    added, a request accepting more, a response field made required).\n\n\
    Text output has one line per change, SEVERITY POINTER (LINE:COL): MESSAGE, grouped by severity; positions in OLD read \
    (old LINE:COL). --format json prints {\"old\", \"new\", \"summary\": {SEVERITY: COUNT}, \"changes\": [{\"severity\", \"rule\", \
    \"document\", \"pointer\", \"file\", \"line\", \"column\", \"operation\", \"message\"}]}.\n\n\
    Exit status: 1 when a change matches --fail-on (by default, anything that breaks clients), 2 when a document cannot be read.";

#[derive(Args)]
pub struct DiffArgs {
    /// The earlier version of the document, YAML or JSON.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The later version of the document, YAML or JSON.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with status 1 when some change is of this kind: `client` (breaks clients), `server`
    /// (breaks servers), `breaking` (either), `any` (any change, informational ones included) or `none`.
    #[arg(long, value_enum, value_name = "KIND", default_value_t = FailOnArg::Client)]
    fail_on: FailOnArg,
    #[command(flatten)]
    refs: crate::ref_access::RefAccess,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    Breaking,
    Client,
    Server,
    Any,
    None,
}

impl From<FailOnArg> for FailOn {
    fn from(value: FailOnArg) -> FailOn {
        match value {
            FailOnArg::Breaking => FailOn::Breaking,
            FailOnArg::Client => FailOn::Client,
            FailOnArg::Server => FailOn::Server,
            FailOnArg::Any => FailOn::Any,
            FailOnArg::None => FailOn::None,
        }
    }
}

pub fn run(args: &DiffArgs) -> ExitCode {
    // The two documents are read side by side: for large ones reading is most of the time.
    let (old, new) = std::thread::scope(|scope| {
        let new = scope.spawn(|| args.refs.load(&args.new));
        let old = args.refs.load(&args.old);
        (old, new.join().unwrap_or_else(|_| Err(format!("{}: error: reading the document failed", args.new.display()))))
    });
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            // Both problems at once, so a run with two broken files is fixed in one go.
            for error in [old.err(), new.err()].into_iter().flatten() {
                say(&error);
            }
            return ExitCode::from(2);
        }
    };
    let report = diff::diff(&old, &new);
    let output = match args.format {
        Format::Text => report.to_text(),
        Format::Json => {
            let mut object = Map::new();
            object.insert("old".into(), json!(args.old.display().to_string()));
            object.insert("new".into(), json!(args.new.display().to_string()));
            if let Value::Object(rest) = report.to_json() {
                object.extend(rest);
            }
            format!("{:#}\n", Value::Object(object))
        }
    };
    // A closed pipe (`| head`) is not worth a panic; the exit status still says what was found.
    let _ = std::io::stdout().lock().write_all(output.as_bytes());
    let fail_on = FailOn::from(args.fail_on);
    if !report.fails(fail_on) {
        return ExitCode::SUCCESS;
    }
    let matching = report.changes.iter().filter(|change| fail_on.matches(change.severity)).count();
    let what = match fail_on {
        FailOn::Client => "break clients".to_string(),
        FailOn::Server => "break servers".to_string(),
        FailOn::Breaking => "break clients or servers".to_string(),
        _ => format!("are changes ({} of them informational)", report.count(Severity::Info)),
    };
    let noun = if matching == 1 { "change" } else { "changes" };
    say(&format!("error: {matching} {noun} {what} (--fail-on {})", fail_on_name(args.fail_on)));
    ExitCode::FAILURE
}

fn fail_on_name(value: FailOnArg) -> &'static str {
    match value {
        FailOnArg::Breaking => "breaking",
        FailOnArg::Client => "client",
        FailOnArg::Server => "server",
        FailOnArg::Any => "any",
        FailOnArg::None => "none",
    }
}

fn say(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}
