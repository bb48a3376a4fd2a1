//! Repository chores: `cargo xtask openapi [--check]` regenerates `generated/` from
//! `spec/openapi.yaml` or proves it fresh.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use oas_codegen::output;
use xtask::{generated_files, keep, workspace_root, FIX_COMMAND};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Repository chores")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerates `generated/` from `spec/openapi.yaml`.
    Openapi {
        /// Write nothing; fail when `generated/` is stale, listing what differs.
        #[arg(long)]
        check: bool,
        /// Fail when the document has warnings.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Runs the generator on every document of `../shared/corpus` and compiles the results.
    Corpus {
        /// Folders of the corpus to take: orchestrator, features, real, large (default: all).
        #[arg(long, value_delimiter = ',')]
        sets: Vec<String>,
        /// Only documents whose path contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Generate only; do not compile.
        #[arg(long)]
        no_compile: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Openapi { check, deny_warnings } => openapi(check, deny_warnings),
        Command::Corpus { sets, filter, no_compile } => corpus(sets, filter, !no_compile),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn openapi(check: bool, deny_warnings: bool) -> Result<(), String> {
    let root = workspace_root();
    let files = generated_files(&root, deny_warnings)?;
    let dir = root.join("generated");
    if check {
        let stale = output::check_tree(&dir, &files, &keep).map_err(|error| error.to_string())?;
        if stale.is_empty() {
            eprintln!("generated/ is up to date with spec/openapi.yaml");
            return Ok(());
        }
        return Err(output::render_staleness(&stale, FIX_COMMAND));
    }
    let wrote = output::write_tree(&dir, &files, &keep).map_err(|error| error.to_string())?;
    eprintln!("{}", if wrote { "generated/ updated from spec/openapi.yaml" } else { "generated/ was already up to date" });
    Ok(())
}

fn corpus(sets: Vec<String>, filter: Option<String>, compile: bool) -> Result<(), String> {
    let root = workspace_root();
    let sets = if sets.is_empty() { xtask::corpus::SETS.iter().map(|set| set.to_string()).collect() } else { sets };
    let options = xtask::corpus::CorpusOptions { sets, filter, compile, out_dir: root.join("target/corpus-crates") };
    let results = xtask::corpus::run(&root, &options)?;
    print!("{}", xtask::corpus::render(&results, compile));
    let failed = results.iter().any(|result| result.generation.is_err() || matches!(result.compile, Some(Err(_))));
    if failed {
        return Err("some documents failed".into());
    }
    Ok(())
}
