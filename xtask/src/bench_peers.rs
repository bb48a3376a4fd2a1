//! `cargo xtask bench --peers`: other generators on the same documents as ours, each run as a
//! child process, timed on the wall clock with the child's peak resident memory.
//!
//! Peers: openapi-generator's `rust` and `rust-axum` generators (the jar that the PyPI package
//! `openapi-generator-cli` ships, run with `java -jar`) and `openapi-typescript` (types only,
//! from npm). A peer that is not installed is skipped with a note; a peer that fails on one
//! document gets a "failed" cell. Neither fails the benchmark.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench::DOCUMENTS;

/// A peer run longer than this is stopped and counted as failed.
const RUN_LIMIT: Duration = Duration::from_secs(600);

/// Which parts of `cargo xtask bench` run, from its flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Our generator's per-stage table (the benchmark without flags).
    pub generation: bool,
    pub peers: bool,
    pub check: bool,
    pub load: bool,
}

impl Selection {
    /// `--peers` is the whole side-by-side run: the generation table, the peers, `cargo check`
    /// of both crates and the load test. `--check`, `--load` and `--baseline` alone measure only
    /// themselves; no flag is the plain generation benchmark.
    pub fn from_flags(peers: bool, check: bool, load: bool, baseline: bool) -> Selection {
        Selection { generation: peers || !(check || load || baseline), peers, check: peers || check, load: peers || load }
    }
}

/// One child process's cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub wall: Duration,
    /// User and system time of the child and of the descendants it waited for.
    pub processor: Duration,
    /// Peak resident set of the child (and of the descendants it waited for), in KiB.
    pub max_rss_kib: u64,
}

/// How a measured child ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    Success(Usage),
    /// Exit code (or `None` when a signal ended it) with the usage up to then.
    Failure(Option<i32>, Usage),
    TimedOut,
}

/// Runs `command` to its end, its output sent to `log`, and measures it with `wait4`, which gives
/// the peak memory of that one child rather than of every child this process has had.
pub fn run_measured(command: &mut Command, log: &Path, limit: Duration) -> Result<Ended, String> {
    let file = std::fs::File::create(log).map_err(|error| format!("cannot create {}: {error}", log.display()))?;
    let copy = file.try_clone().map_err(|error| error.to_string())?;
    let program = command.get_program().to_string_lossy().into_owned();
    let started = Instant::now();
    let child = command.stdin(Stdio::null()).stdout(file).stderr(copy).spawn().map_err(|error| format!("cannot run {program}: {error}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|error| error.to_string())?;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: a zeroed rusage is a valid value of this plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our own unreaped child and both pointers are to live locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            let usage = Usage {
                wall: started.elapsed(),
                processor: time_of(usage.ru_utime) + time_of(usage.ru_stime),
                max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
            };
            let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            return Ok(if code == Some(0) { Ended::Success(usage) } else { Ended::Failure(code, usage) });
        }
        if reaped < 0 {
            return Err(format!("waiting for {program}: {}", std::io::Error::last_os_error()));
        }
        if started.elapsed() > limit {
            // SAFETY: the child has not been reaped, so `pid` still names it.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            // SAFETY: as above; this reaps the killed child.
            unsafe { libc::waitpid(pid, &mut status, 0) };
            return Ok(Ended::TimedOut);
        }
        // Polling keeps the wall time accurate to about a millisecond without a second thread.
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn time_of(value: libc::timeval) -> Duration {
    Duration::from_secs(u64::try_from(value.tv_sec).unwrap_or(0)) + Duration::from_micros(u64::try_from(value.tv_usec).unwrap_or(0))
}

/// A generator measured against ours.
#[derive(Debug, Clone)]
pub struct Peer {
    pub name: &'static str,
    pub program: PathBuf,
    /// Arguments before the document; `{spec}` and `{out}` are replaced.
    pub args: Vec<String>,
}

impl Peer {
    fn command(&self, spec: &Path, out: &Path) -> Command {
        let mut command = Command::new(&self.program);
        for arg in &self.args {
            command.arg(arg.replace("{spec}", &spec.to_string_lossy()).replace("{out}", &out.to_string_lossy()));
        }
        command
    }
}

/// The openapi-generator jar: `OPENAPI_GENERATOR_JAR`, else the one inside the PyPI package
/// `openapi-generator-cli` (`pip install openapi-generator-cli`). The npm package of the same
/// name only downloads the jar on first use, which needs Maven Central, so it is not looked at.
pub fn find_openapi_generator_jar() -> Result<PathBuf, String> {
    if let Some(jar) = std::env::var_os("OPENAPI_GENERATOR_JAR") {
        let jar = PathBuf::from(jar);
        return if jar.is_file() { Ok(jar) } else { Err(format!("OPENAPI_GENERATOR_JAR={} is not a file", jar.display())) };
    }
    let script = "import os, openapi_generator_cli as m; print(os.path.join(os.path.dirname(m.__file__), 'openapi-generator.jar'))";
    let output = Command::new("python3")
        .args(["-c", script])
        .output()
        .map_err(|error| format!("cannot run python3 to find openapi-generator-cli: {error}"))?;
    if !output.status.success() {
        return Err("the PyPI package openapi-generator-cli is not installed (pip install openapi-generator-cli)".into());
    }
    let jar = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if jar.is_file() {
        Ok(jar)
    } else {
        Err(format!("openapi-generator-cli has no jar at {}", jar.display()))
    }
}

/// `java`, if it runs.
fn find_java() -> Result<PathBuf, String> {
    let java = std::env::var_os("JAVA").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("java"));
    match Command::new(&java).arg("-version").stdout(Stdio::null()).stderr(Stdio::null()).status() {
        Ok(status) if status.success() => Ok(java),
        Ok(status) => Err(format!("{} -version failed ({status})", java.display())),
        Err(error) => Err(format!("cannot run {}: {error}", java.display())),
    }
}

/// `openapi-typescript`: `OPENAPI_TYPESCRIPT`, else `target/bench-peers/node_modules/.bin`
/// (`npm install --prefix target/bench-peers openapi-typescript`), else the `PATH`.
pub fn find_openapi_typescript(root: &Path) -> Result<PathBuf, String> {
    if let Some(program) = std::env::var_os("OPENAPI_TYPESCRIPT") {
        let program = PathBuf::from(program);
        return if program.is_file() { Ok(program) } else { Err(format!("OPENAPI_TYPESCRIPT={} is not a file", program.display())) };
    }
    let local = peers_dir(root).join("node_modules/.bin/openapi-typescript");
    if local.is_file() {
        return Ok(local);
    }
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join("openapi-typescript")).find(|candidate| candidate.is_file()))
        .unwrap_or_default();
    on_path.ok_or_else(|| "openapi-typescript is not installed (npm install --prefix target/bench-peers openapi-typescript)".to_string())
}

/// The path of a release binary of this workspace.
pub fn release_binary(root: &Path, name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    target.join("release").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Where peers write their output and logs.
pub fn peers_dir(root: &Path) -> PathBuf {
    root.join("target/bench-peers")
}

/// The arguments that run openapi-generator's `generator` through `java -jar`.
pub fn openapi_generator_args(jar: &Path, generator: &str) -> Vec<String> {
    // Validation is skipped because the large documents carry spec violations it refuses, and
    // our generator reports those as warnings rather than stopping.
    ["-jar", &jar.to_string_lossy(), "generate", "-g", generator, "-i", "{spec}", "-o", "{out}", "--skip-validate-spec"]
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The peers that can run here, and a note for each that cannot.
pub fn available_peers(root: &Path) -> (Vec<Peer>, Vec<String>) {
    let mut peers = Vec::new();
    let mut notes = Vec::new();
    match find_java().and_then(|java| find_openapi_generator_jar().map(|jar| (java, jar))) {
        Ok((java, jar)) => {
            for (name, generator) in [("openapi-generator rust", "rust"), ("openapi-generator rust-axum", "rust-axum")] {
                peers.push(Peer { name, program: java.clone(), args: openapi_generator_args(&jar, generator) });
            }
        }
        Err(why) => notes.push(format!("skipped openapi-generator: {why}")),
    }
    match find_openapi_typescript(root) {
        Ok(program) => {
            peers.push(Peer { name: "openapi-typescript (types)", program, args: vec!["{spec}".into(), "-o".into(), "{out}/schema.d.ts".into()] })
        }
        Err(why) => notes.push(format!("skipped openapi-typescript: {why}")),
    }
    (peers, notes)
}

/// One tool on one document over all runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Measured { median: Duration, max_rss_kib: u64 },
    Failed(String),
}

/// The median wall time and the highest peak memory of successful runs; the first failure
/// otherwise, since a tool that failed once did not produce what the others did.
pub fn summarize(runs: &[Ended], log: &Path) -> Cell {
    let mut walls = Vec::new();
    let mut peak = 0;
    for run in runs {
        match run {
            Ended::Success(usage) => {
                walls.push(usage.wall);
                peak = peak.max(usage.max_rss_kib);
            }
            Ended::Failure(code, _) => {
                let code = code.map_or_else(|| "a signal".to_string(), |code| format!("exit {code}"));
                return Cell::Failed(format!("failed ({code}, see {})", log.display()));
            }
            Ended::TimedOut => return Cell::Failed(format!("stopped after {} s", RUN_LIMIT.as_secs())),
        }
    }
    if walls.is_empty() {
        return Cell::Failed("no runs".into());
    }
    walls.sort();
    Cell::Measured { median: walls[walls.len() / 2], max_rss_kib: peak }
}

/// `peer / ours`, when both were measured.
pub fn ratio(peer: &Cell, ours: &Cell) -> Option<(f64, f64)> {
    match (peer, ours) {
        (Cell::Measured { median: peer_wall, max_rss_kib: peer_rss }, Cell::Measured { median: our_wall, max_rss_kib: our_rss })
            if !our_wall.is_zero() && *our_rss > 0 =>
        {
            Some((peer_wall.as_secs_f64() / our_wall.as_secs_f64(), *peer_rss as f64 / *our_rss as f64))
        }
        _ => None,
    }
}

/// Rows of (document, tool, cell); ours is the first tool of each document.
pub fn render(rows: &[(String, String, Cell)], runs: usize, notes: &[String]) -> String {
    let mut table = format!("{:<20} {:<30} {:>10} {:>9} {:>11} {:>10}\n", "document", "generator", "median s", "peak MB", "time ×ours", "mem ×ours");
    let mut ours: Option<&Cell> = None;
    let mut last_document = "";
    for (document, tool, cell) in rows {
        let first = document != last_document;
        if first {
            ours = Some(cell);
            last_document = document;
        }
        let shown_document = if first { document.as_str() } else { "" };
        match cell {
            Cell::Measured { median, max_rss_kib } => {
                let (time, memory) = match ours.filter(|_| !first).and_then(|ours| ratio(cell, ours)) {
                    Some((time, memory)) => (format!("{time:.1}×"), format!("{memory:.1}×")),
                    None if first => ("1.0×".to_string(), "1.0×".to_string()),
                    None => ("-".to_string(), "-".to_string()),
                };
                let _ = writeln!(
                    table,
                    "{shown_document:<20} {tool:<30} {:>10.2} {:>9.0} {time:>11} {memory:>10}",
                    median.as_secs_f64(),
                    *max_rss_kib as f64 / 1024.0
                );
            }
            Cell::Failed(why) => {
                let _ = writeln!(table, "{shown_document:<20} {tool:<30} {why}");
            }
        }
    }
    let _ = writeln!(
        table,
        "\nmedian wall time of {runs} runs per tool and document, each a fresh process (startup included); peak MB is the child's max RSS"
    );
    for note in notes {
        let _ = writeln!(table, "{note}");
    }
    table
}

/// Measures ours (the release `xtask bench-one --runs 1`, a whole generation in a fresh process)
/// and every available peer on every document, `runs` times each.
pub fn bench_peers(root: &Path, our_binary: &Path, runs: usize) -> Result<String, String> {
    let (peers, notes) = available_peers(root);
    let dir = peers_dir(root);
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).map_err(|error| format!("cannot create {}: {error}", logs.display()))?;
    // A private copy: a build elsewhere in the tree may replace the release binary mid-run, and
    // every document must be measured with the same generator.
    let copy = dir.join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(our_binary, &copy).map_err(|error| format!("cannot copy {} to {}: {error}", our_binary.display(), copy.display()))?;
    let ours = Peer { name: "oas (ours)", program: copy, args: vec!["bench-one".into(), "{spec}".into(), "--runs".into(), "1".into()] };
    let mut rows = Vec::new();
    for document in DOCUMENTS {
        let spec = root.join(document);
        let short = document.rsplit('/').next().unwrap_or(document);
        for tool in std::iter::once(&ours).chain(&peers) {
            let slug: String = tool.name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            let log = logs.join(format!("{short}.{slug}.log"));
            let out = dir.join("out").join(&slug).join(short);
            let mut ended = Vec::with_capacity(runs);
            for _ in 0..runs.max(1) {
                // A fresh folder every run, so every tool writes every file.
                let _ = std::fs::remove_dir_all(&out);
                std::fs::create_dir_all(&out).map_err(|error| format!("cannot create {}: {error}", out.display()))?;
                let run = run_measured(tool.command(&spec, &out).current_dir(root), &log, RUN_LIMIT)?;
                let failed = !matches!(run, Ended::Success(_));
                ended.push(run);
                if failed {
                    break;
                }
            }
            eprintln!("{short}: {} done", tool.name);
            rows.push((short.to_string(), tool.name.to_string(), summarize(&ended, &log)));
        }
    }
    Ok(render(&rows, runs, &notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(millis: u64, mib: u64) -> Cell {
        Cell::Measured { median: Duration::from_millis(millis), max_rss_kib: mib * 1024 }
    }

    #[test]
    fn flags_select_the_parts() {
        assert_eq!(Selection::from_flags(false, false, false, false), Selection { generation: true, peers: false, check: false, load: false });
        assert_eq!(Selection::from_flags(true, false, false, false), Selection { generation: true, peers: true, check: true, load: true });
        assert_eq!(Selection::from_flags(false, true, false, false), Selection { generation: false, peers: false, check: true, load: false });
        assert_eq!(Selection::from_flags(true, true, true, true), Selection { generation: true, peers: true, check: true, load: true });
        assert!(!Selection::from_flags(false, false, true, false).generation);
        assert!(!Selection::from_flags(false, false, false, true).generation);
        assert!(Selection::from_flags(true, false, false, true).generation);
    }

    #[test]
    fn summaries_take_the_median_time_and_the_highest_memory() {
        let usage = |millis, kib| Ended::Success(Usage { wall: Duration::from_millis(millis), processor: Duration::ZERO, max_rss_kib: kib });
        let log = Path::new("x.log");
        assert_eq!(
            summarize(&[usage(300, 10), usage(100, 30), usage(200, 20)], log),
            Cell::Measured { median: Duration::from_millis(200), max_rss_kib: 30 }
        );
        let failed =
            summarize(&[usage(100, 1), Ended::Failure(Some(2), Usage { wall: Duration::ZERO, processor: Duration::ZERO, max_rss_kib: 0 })], log);
        assert_eq!(failed, Cell::Failed("failed (exit 2, see x.log)".into()));
        assert!(matches!(summarize(&[Ended::TimedOut], log), Cell::Failed(why) if why.starts_with("stopped after")));
        assert!(matches!(summarize(&[], log), Cell::Failed(_)));
    }

    #[test]
    fn ratios_are_peer_over_ours() {
        assert_eq!(ratio(&measured(3000, 800), &measured(1000, 200)), Some((3.0, 4.0)));
        assert_eq!(ratio(&Cell::Failed("x".into()), &measured(1000, 200)), None);
        assert_eq!(ratio(&measured(1000, 1), &Cell::Measured { median: Duration::ZERO, max_rss_kib: 1 }), None);
    }

    #[test]
    fn the_table_shows_ratios_against_the_first_tool_of_each_document() {
        let rows = vec![
            ("a.json".to_string(), "ours".to_string(), measured(500, 100)),
            ("a.json".to_string(), "peer".to_string(), measured(1500, 250)),
            ("a.json".to_string(), "broken".to_string(), Cell::Failed("failed (exit 1)".into())),
            ("b.yaml".to_string(), "ours".to_string(), measured(100, 10)),
            ("b.yaml".to_string(), "peer".to_string(), measured(50, 40)),
        ];
        let table = render(&rows, 3, &["skipped x: not installed".into()]);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[1].starts_with("a.json") && lines[1].contains("1.0×"), "{table}");
        assert!(lines[2].starts_with(" ") && lines[2].contains("3.0×") && lines[2].contains("2.5×"), "{table}");
        assert!(lines[3].contains("failed (exit 1)"), "{table}");
        assert!(lines[5].contains("0.5×") && lines[5].contains("4.0×"), "{table}");
        assert!(table.contains("median wall time of 3 runs") && table.ends_with("skipped x: not installed\n"), "{table}");
    }

    #[test]
    fn a_measured_child_reports_its_own_memory_and_exit_code() {
        let dir = std::env::temp_dir().join(format!("xtask-peers-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let log = dir.join("log");
        // A shell holding a 64 MiB string first, then a small one: the second must not report the
        // first one's peak, as `RUSAGE_CHILDREN` would.
        let mut big = Command::new("sh");
        big.args(["-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}"]);
        match run_measured(&mut big, &log, RUN_LIMIT) {
            Ok(Ended::Success(usage)) => assert!(usage.max_rss_kib > 60 * 1024, "{usage:?}"),
            other => panic!("{other:?}"),
        }
        let mut command = Command::new("sh");
        command.args(["-c", "exit 3"]);
        assert!(matches!(run_measured(&mut command, &log, RUN_LIMIT), Ok(Ended::Failure(Some(3), _))));
        let mut command = Command::new("sh");
        command.args(["-c", "echo hello"]);
        match run_measured(&mut command, &log, RUN_LIMIT) {
            Ok(Ended::Success(usage)) => assert!(usage.max_rss_kib > 0 && usage.max_rss_kib < 20 * 1024, "{usage:?}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read_to_string(&log).expect("log"), "hello\n");
        let mut command = Command::new("sleep");
        command.arg("5");
        assert_eq!(run_measured(&mut command, &log, Duration::from_millis(50)), Ok(Ended::TimedOut));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
