//! Repository chores: `cargo xtask openapi [--check]` regenerates `generated/` from
//! `spec/openapi.yaml` or proves it fresh; `cargo xtask docs-browser-test` checks the generated
//! HTML reference in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use oas_codegen::output;
use xtask::{generated_files, keep, workspace_root, FIX_COMMAND};

// Shared with `oas`: the same allocator and settings for the same work.
#[path = "../../cli/src/allocator.rs"]
mod allocator;

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
    /// Times the full generation of the large corpus documents and our spec (release build).
    Bench {
        /// Runs per document; the median is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The whole side-by-side run: also openapi-generator (rust, rust-axum) and openapi-typescript
        /// on the same documents, `cargo check` of both GitHub crates, and the load test.
        #[arg(long)]
        peers: bool,
        /// Runs per tool and document with `--peers`; the median is reported.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
        peer_runs: u64,
        /// Time `cargo check` of the crate generated for github.json (and, with `--peers`, of openapi-generator's).
        #[arg(long)]
        check: bool,
        /// Timed rounds of `cargo check` with `--check`, after one warm-up; each configuration's
        /// median is judged.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
        check_runs: u64,
        /// Load the generated example server and two hand-written axum ones (serde only; validating) on loopback, and time all three in-process;
        /// then stream server-sent events from the generated server and from axum's by hand, and a GiB down and up in bounded memory.
        #[arg(long)]
        load: bool,
        /// Seconds of load per endpoint and server with `--load`.
        #[arg(long, default_value_t = 10.0)]
        load_seconds: f64,
        /// Rounds the seconds are split into with `--load`, rotating which server goes first.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
        load_rounds: u64,
        /// Keep-alive connections with `--load`.
        #[arg(long, default_value_t = 32)]
        load_connections: usize,
        /// Only the split-document row: GitHub's description split into one file per path and
        /// per schema, timed against the whole file (`--runs` runs of each, alternating).
        #[arg(long, conflicts_with_all = ["peers", "check", "load", "swagger2_only", "streams_only"])]
        split_only: bool,
        /// Only the Swagger 2.0 row: Kubernetes' 2.0 description, converted on load, timed
        /// against its conversion written out as 3.0 (`--runs` runs of each, alternating).
        #[arg(long, conflicts_with_all = ["peers", "check", "load"])]
        swagger2_only: bool,
        /// Only the streaming rows of `--load`: server-sent events against axum's by hand, and a
        /// GiB down and up through the generated server and client.
        #[arg(long, conflicts_with_all = ["peers", "check", "split_only", "swagger2_only"])]
        streams_only: bool,
        /// Only the fully dereferenced row: GitHub Enterprise Cloud's 78 MB description with every
        /// schema inline (`npm install --prefix target/bench-peers @octokit/openapi@23.0.2`).
        #[arg(long, conflicts_with_all = ["peers", "check", "load", "split_only", "swagger2_only", "streams_only"])]
        deref_only: bool,
        /// Fail (exit 1) when a row misses its target: the fully dereferenced document generated
        /// in at most 1.5 s and 500 MB; with `--check`, the whole GitHub crate checked in at most
        /// 0.5× openapi-generator's processor time and its `repos` tag (subset, feature) in at most
        /// 0.15× the whole crate's; for streaming rows, events at least 0.9× the hand-written
        /// server's, each process under 64 MB while a GiB passes.
        #[arg(long)]
        targets: bool,
        /// Time GitHub's generation by the code at this git revision against this tree's,
        /// alternating (its xtask is built once into target/bench-baseline/), alone or beside the
        /// parts other flags choose; with `--targets`, this tree must take at most half its time
        /// and memory, and at most 0.5 s.
        #[arg(long, value_name = "REV")]
        baseline: Option<String>,
    },
    /// The `#[handlers]` expansion's measurement, run by `bench` in a child process.
    #[command(hide = true)]
    BenchMacro {
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Writes the split GitHub document and checks it against the whole one, run by `bench` in
    /// a child process.
    #[command(hide = true)]
    BenchSplitPrepare,
    /// Writes Kubernetes' 2.0 description converted to 3.0 and checks it against the 2.0 one,
    /// run by `bench` in a child process.
    #[command(hide = true)]
    BenchSwagger2Prepare,
    /// One document's measurement, run by `bench` in a child process.
    #[command(hide = true)]
    BenchOne {
        spec: std::path::PathBuf,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Keep the last run's generated crate in this folder (replaced), to compare builds' output.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Runs the generator on every document of `tests/corpus` and compiles the results.
    Corpus {
        /// Folders of the corpus to take: orchestrator, features, multifile (the roots tests/multifile.toml marks ok), swagger2, real, large (default: all).
        #[arg(long, value_delimiter = ',')]
        sets: Vec<String>,
        /// Only documents whose path contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Generate only; do not compile.
        #[arg(long)]
        no_compile: bool,
        /// Also round-trip values valid against each component schema (its example, and the
        /// smallest and a rich value the mock's synthesizer builds) through its generated type.
        #[arg(long)]
        round_trip: bool,
        /// Writes a SHA-256 of every generated file (the crate, the build-script include file and
        /// the rendered diagnostics of each document, and `generated/`) to FILE, one per line, so
        /// two versions of the generator can be compared for identical output.
        #[arg(long, value_name = "FILE")]
        hashes: Option<PathBuf>,
        /// Rewrite the fidelity baseline (tests/fidelity.txt) with this run's counts instead of
        /// failing when they differ from it.
        #[arg(long)]
        update_fidelity: bool,
        /// Instead of generating crates, converts every OpenAPI 3.0 and Swagger 2.0 document to
        /// OpenAPI 3.1 as `oas convert --to 3.1` does, and fails when that adds a lint error or
        /// changes the generated `types` module.
        #[arg(long, conflicts_with_all = ["round_trip", "hashes", "sync"])]
        upgrade: bool,
        /// Instead of running the generator, refreshes `tests/corpus` from the folder new
        /// documents arrive in (`--from`), and lists what was added, changed and removed.
        #[arg(long)]
        sync: bool,
        /// The folder `--sync` copies from.
        #[arg(long, default_value = "../shared/corpus")]
        from: PathBuf,
    },
    /// Opens the generated HTML reference in headless Chromium and checks its anchors and links.
    DocsBrowserTest {
        /// The page to check (default: generated/docs/index.html).
        html: Option<PathBuf>,
        /// The document the page was generated from; every operation and model of it needs an anchor.
        #[arg(long)]
        spec: Option<PathBuf>,
        /// The Chromium binary.
        #[arg(long, default_value = xtask::docs_browser::DEFAULT_BROWSER)]
        browser: PathBuf,
        /// Where to write a 1280×2000 screenshot of the page (default: target/docs-screenshot.png).
        #[arg(long)]
        screenshot: Option<PathBuf>,
    },
    /// Holds the example backend to the spec with schemathesis (installs the pinned version if missing).
    Schemathesis {
        /// Examples per operation and phase.
        #[arg(long, default_value_t = 15)]
        max_examples: u32,
        /// Time budget for the whole run, in seconds.
        #[arg(long, default_value_t = 100)]
        max_time: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    allocator::keep_freed_memory();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Openapi { check, deny_warnings } => {
            allocator::no_huge_pages();
            openapi(check, deny_warnings)
        }
        Command::Bench { runs, split_only: true, .. } => {
            xtask::bench::bench_row_only(&workspace_root(), runs, xtask::bench_split::bench_split).map(|table| print!("{table}"))
        }
        Command::Bench { runs, swagger2_only: true, .. } => {
            xtask::bench::bench_row_only(&workspace_root(), runs, xtask::bench_swagger2::bench_swagger2).map(|table| print!("{table}"))
        }
        Command::Bench { streams_only: true, targets, .. } => bench_streams(&workspace_root(), targets),
        Command::Bench { runs, deref_only: true, targets, .. } => {
            xtask::bench::bench_deref_only(&workspace_root(), runs).and_then(|report| print_generation(report, targets))
        }
        Command::Bench {
            runs, peers, peer_runs, check, check_runs, load, load_seconds, load_rounds, load_connections, targets, baseline, ..
        } => {
            let load_options = xtask::bench_load::LoadOptions {
                seconds: load_seconds,
                rounds: load_rounds as usize,
                concurrency: load_connections,
                ..Default::default()
            };
            bench(
                xtask::bench_peers::Selection::from_flags(peers, check, load, baseline.is_some()),
                Runs { generation: runs, peers: peer_runs as usize, check: check_runs as usize },
                &load_options,
                targets,
                baseline.as_deref(),
            )
        }
        Command::BenchMacro { runs } => xtask::bench::measure_macro(&workspace_root(), runs).map(|line| print!("{line}")),
        Command::BenchSplitPrepare => xtask::bench_split::prepare(&workspace_root()).map(|out| print!("{out}")),
        Command::BenchSwagger2Prepare => xtask::bench_swagger2::prepare(&workspace_root()).map(|out| print!("{out}")),
        Command::BenchOne { spec, runs, keep } => {
            allocator::no_huge_pages();
            xtask::bench::measure(&spec, runs, keep.as_deref(), allocator::release).map(|line| println!("{line}"))
        }
        Command::Corpus { sync: true, from, .. } => {
            let root = workspace_root();
            xtask::corpus_sync::sync(&root.join(from), &xtask::corpus::corpus_dir(&root)).map(|report| print!("{}", report.render()))
        }
        Command::Corpus { sets, filter, upgrade: true, .. } => {
            let root = workspace_root();
            xtask::upgrade_check::run_and_render(&root, &corpus_options(&root, sets, filter, false, false, None)).map(|report| print!("{report}"))
        }
        Command::Corpus { sets, filter, no_compile, round_trip, hashes, update_fidelity, .. } => {
            corpus(sets, filter, !no_compile, round_trip, hashes, update_fidelity)
        }
        Command::DocsBrowserTest { html, spec, browser, screenshot } => docs_browser_test(html, spec, browser, screenshot),
        Command::Schemathesis { max_examples, max_time, seed } => {
            xtask::schemathesis::run(&workspace_root(), &xtask::schemathesis::Options { max_examples, max_time, seed })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Each selected part prints its table as soon as it is done, so a long run shows progress; a
/// missed target fails the command at the end, after the other parts have run.
/// How many times each part of `bench` measures.
struct Runs {
    generation: usize,
    peers: usize,
    check: usize,
}

fn bench(
    selection: xtask::bench_peers::Selection,
    runs: Runs,
    load: &xtask::bench_load::LoadOptions,
    targets: bool,
    baseline: Option<&str>,
) -> Result<(), String> {
    let root = workspace_root();
    let mut missed = Vec::new();
    let mut judge = |what: &str, failures: Vec<String>| {
        if targets && !failures.is_empty() {
            missed.push(format!("{what} targets missed:\n  {}", failures.join("\n  ")));
        }
    };
    if selection.generation {
        let report = xtask::bench::bench(&root, runs.generation)?;
        print!("{}", report.table);
        judge("generation", report.failures);
    }
    if let Some(revision) = baseline {
        let current = xtask::bench::build_release(&root)?;
        let before = xtask::bench_baseline::build(&root, revision)?;
        let report = xtask::bench_baseline::bench_baseline(&root, &current, &before, revision, runs.generation)?;
        print!("\n{}", report.table);
        judge("against the baseline, generation", report.failures);
    }
    if selection.peers {
        print!("\n{}", xtask::bench_peers::bench_peers(&root, &xtask::bench_peers::release_binary(&root, "xtask"), runs.peers)?);
    }
    if selection.check {
        let report = xtask::bench_check::bench_check(&root, runs.check)?;
        print!("\n{}", report.table);
        judge("compile-time", report.failures);
    }
    if selection.load {
        print!("\n{}", xtask::bench_load::bench_load(&root, load)?);
        println!();
        bench_streams(&root, targets)?;
    }
    match missed.is_empty() {
        true => Ok(()),
        false => Err(missed.join("\n")),
    }
}

/// The generation tables; with `targets`, an error naming each missed target.
fn print_generation(report: xtask::bench::Report, targets: bool) -> Result<(), String> {
    print!("{}", report.table);
    if targets && !report.failures.is_empty() {
        return Err(format!("generation targets missed:\n  {}", report.failures.join("\n  ")));
    }
    Ok(())
}

/// The streaming rows; with `targets`, an error naming each missed target.
fn bench_streams(root: &Path, targets: bool) -> Result<(), String> {
    let options = xtask::bench_streams::StreamOptions::default();
    let report = xtask::bench_streams::bench_streams(root, &options)?;
    print!("{}", report.render(&options));
    let failures = report.failures();
    if targets && !failures.is_empty() {
        return Err(format!("streaming targets missed:\n  {}", failures.join("\n  ")));
    }
    Ok(())
}

fn openapi(check: bool, deny_warnings: bool) -> Result<(), String> {
    let root = workspace_root();
    let files = generated_files(&root, deny_warnings)?;
    let dir = xtask::openapi_settings(&root)?.out;
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

fn corpus_options(
    root: &Path,
    sets: Vec<String>,
    filter: Option<String>,
    compile: bool,
    round_trip: bool,
    hashes: Option<PathBuf>,
) -> xtask::corpus::CorpusOptions {
    let sets = if sets.is_empty() { xtask::corpus::SETS.iter().map(|set| set.to_string()).collect() } else { sets };
    xtask::corpus::CorpusOptions { sets, filter, compile, round_trip, hashes, out_dir: root.join("target/corpus-crates") }
}

fn corpus(
    sets: Vec<String>,
    filter: Option<String>,
    compile: bool,
    round_trip: bool,
    hashes: Option<PathBuf>,
    update_fidelity: bool,
) -> Result<(), String> {
    let root = workspace_root();
    let options = corpus_options(&root, sets, filter, compile, round_trip, hashes);
    let results = xtask::corpus::run(&root, &options)?;
    print!("{}", xtask::corpus::render(&results, compile));
    let failed =
        results.iter().any(|result| result.generation.is_err() || matches!(result.compile, Some(Err(_))) || !result.round_trip_failures.is_empty());
    if failed {
        return Err("some documents failed".into());
    }
    check_fidelity(&root, &results, update_fidelity)
}

/// Compares the run's fidelity counts with the baseline, or writes them into it.
fn check_fidelity(root: &Path, results: &[xtask::corpus::SpecResult], update: bool) -> Result<(), String> {
    use xtask::fidelity;
    let path = fidelity::baseline_path(root);
    let baseline = fidelity::read(&path)?;
    let run: fidelity::Counts = results.iter().map(|result| (result.spec.clone(), result.fidelity.clone())).collect();
    let differences = fidelity::compare(&baseline, &run);
    if update {
        std::fs::write(&path, fidelity::render(&fidelity::updated(baseline, &run)))
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        println!("{}: {} counts changed", path.display(), differences.len());
        return Ok(());
    }
    if differences.is_empty() {
        println!("fidelity: every count is as in {}", path.display());
        return Ok(());
    }
    Err(format!(
        "fidelity: {} counts differ from {} (a rise is a regression; after a fall, record it with `cargo xtask corpus --update-fidelity`):\n  {}",
        differences.len(),
        path.display(),
        differences.join("\n  ")
    ))
}

fn docs_browser_test(html: Option<PathBuf>, spec: Option<PathBuf>, browser: PathBuf, screenshot: Option<PathBuf>) -> Result<(), String> {
    let root = workspace_root();
    let options = xtask::docs_browser::Options {
        html: html.unwrap_or_else(|| root.join("generated/docs/index.html")),
        spec: spec.unwrap_or_else(|| root.join("spec/openapi.yaml")),
        browser,
        screenshot: screenshot.unwrap_or_else(|| root.join("target/docs-screenshot.png")),
    };
    let report = xtask::docs_browser::run(&options)?;
    if let Some(screenshot) = &report.screenshot {
        eprintln!("screenshot: {}", screenshot.display());
    }
    if !report.failures.is_empty() {
        let mut message = format!("{}: {} problem(s) in the DOM Chromium built:\n", options.html.display(), report.failures.len());
        for failure in &report.failures {
            message.push_str(&format!("  - {failure}\n"));
        }
        return Err(message.trim_end().to_string());
    }
    eprintln!(
        "{}: ok ({} ids, {} internal links, every operation and model of {} has its anchor, no scripts or remote resources)",
        options.html.display(),
        report.ids,
        report.internal_links,
        options.spec.display()
    );
    Ok(())
}
