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
}


fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Openapi { check, deny_warnings } => openapi(check, deny_warnings),
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
