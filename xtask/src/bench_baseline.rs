//! `cargo xtask bench --baseline REV`: GitHub's generation by this tree against the same
//! generation by the code at a git revision, in one run.
//!
//! The revision's `xtask` is built from `git archive` into `target/bench-baseline/` (its own
//! target folder, so this tree's build is untouched), then the two binaries' `bench-one` runs
//! alternate, each run a process of its own, so a slow stretch of the machine falls on both. The
//! targets: this tree takes at most half the revision's median time and peak memory, and at most
//! 0.5 s in the median.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::bench::{measure_in_children, stage_header, stage_row, Report};

/// The document both generate.
pub const DOCUMENT: &str = "tests/corpus/large/github.json";
/// This tree against the revision: time and peak memory at most this share.
pub const RATIO_TARGET: f64 = 0.5;
/// The median total, in milliseconds.
pub const TOTAL_TARGET_MS: f64 = 500.0;

/// The revision's full commit id.
fn resolve(root: &Path, revision: &str) -> Result<String, String> {
    let output = Command::new("git")
        .args(["rev-parse", "--verify", &format!("{revision}^{{commit}}")])
        .current_dir(root)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if !output.status.success() {
        return Err(format!("{revision} is not a commit: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Builds the revision's release `xtask`; its path. A tree already extracted for the same commit
/// is reused, so a second run only checks the build is fresh.
pub fn build(root: &Path, revision: &str) -> Result<PathBuf, String> {
    let commit = resolve(root, revision)?;
    let dir = root.join("target/bench-baseline");
    let source = dir.join(format!("src-{}", &commit[..12]));
    if !source.join("Cargo.toml").exists() {
        let _ = std::fs::remove_dir_all(&source);
        std::fs::create_dir_all(&source).map_err(|error| format!("cannot create {}: {error}", source.display()))?;
        let mut archive = Command::new("git")
            .args(["archive", "--format=tar", &commit])
            .current_dir(root)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot run git archive: {error}"))?;
        let tar = archive.stdout.take().ok_or("git archive gave no output")?;
        let extracted = Command::new("tar").arg("-x").current_dir(&source).stdin(tar).status().map_err(|error| format!("cannot run tar: {error}"))?;
        let archived = archive.wait().map_err(|error| error.to_string())?;
        if !extracted.success() || !archived.success() {
            let _ = std::fs::remove_dir_all(&source);
            return Err(format!("cannot extract {commit} into {}", source.display()));
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building the release xtask of {} (once per commit)", &commit[..12]);
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .current_dir(&source)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err(format!("the release build of xtask at {commit} failed"));
    }
    Ok(dir.join("target/release/xtask"))
}

/// `runs` alternating runs of each binary on [`DOCUMENT`], the table and the verdicts.
pub fn bench_baseline(root: &Path, current: &Path, baseline: &Path, revision: &str, runs: usize) -> Result<Report, String> {
    let spec = root.join(DOCUMENT);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        before.extend(measure_in_children(root, baseline, &spec, 1)?);
        after.extend(measure_in_children(root, current, &spec, 1)?);
    }
    let label = format!("github.json at {revision}");
    let mut table = stage_header(38, true);
    table.push_str(&stage_row(&label, 38, &before, true));
    table.push_str(&stage_row("github.json, this tree", 38, &after, true));
    let (verdicts, failures) = judge(&before, &after);
    table.push_str(&verdicts);
    let _ = writeln!(table, "median of {} alternating runs of each, each in a process of its own, release builds", runs.max(1));
    Ok(Report { table, failures })
}

/// The ratio lines and the targets missed.
pub fn judge(before: &[String], after: &[String]) -> (String, Vec<String>) {
    let value = |lines: &[String], name: &str| crate::bench::median_field(lines, name).parse::<f64>().ok();
    let ratio = |name: &str| Some(value(after, name)? / value(before, name).filter(|base| *base > 0.0)?);
    let mut text = String::new();
    let mut failures = Vec::new();
    let judged = [
        ("time / baseline", ratio("total_ms"), RATIO_TARGET, "×"),
        ("peak memory / baseline", ratio("peak_mb"), RATIO_TARGET, "×"),
        ("time", value(after, "total_ms"), TOTAL_TARGET_MS, " ms"),
    ];
    for (what, measured, limit, unit) in judged {
        let Some(measured) = measured else {
            let _ = writeln!(text, "{what}: not measured");
            continue;
        };
        let pass = measured <= limit;
        let _ = writeln!(text, "{what}: {measured:.2}{unit} (target ≤ {limit}{unit}) {}", if pass { "PASS" } else { "FAIL" });
        if !pass {
            failures.push(format!("{what}: {measured:.2}{unit}, target ≤ {limit}{unit}"));
        }
    }
    if let Some(processor) = ratio("cpu_ms") {
        let _ = writeln!(text, "processor time / baseline: {processor:.2}× (shown, not judged)");
    }
    (text, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(total: f64, cpu: f64, peak: f64) -> Vec<String> {
        vec![format!("total_ms={total} cpu_ms={cpu} peak_mb={peak} files=78")]
    }

    #[test]
    fn halving_time_and_memory_under_half_a_second_passes() {
        let (text, failures) = judge(&lines(900.0, 1800.0, 280.0), &lines(400.0, 700.0, 130.0));
        assert!(failures.is_empty(), "{text}");
        assert!(text.contains("time / baseline: 0.44× (target ≤ 0.5×) PASS"), "{text}");
        assert!(text.contains("processor time / baseline: 0.39×"), "{text}");
        assert!(text.contains("peak memory / baseline: 0.46× (target ≤ 0.5×) PASS"), "{text}");
        assert!(text.contains("time: 400.00 ms (target ≤ 500 ms) PASS"), "{text}");
    }

    #[test]
    fn each_missed_target_is_a_failure() {
        let (text, failures) = judge(&lines(900.0, 1800.0, 280.0), &lines(600.0, 1200.0, 270.0));
        assert_eq!(failures.len(), 3, "{text}");
        assert!(failures[0].starts_with("time / baseline: 0.67×"), "{failures:?}");
        assert!(failures[1].starts_with("peak memory / baseline: 0.96×"), "{failures:?}");
        assert!(failures[2].starts_with("time: 600.00 ms"), "{failures:?}");
    }

    #[test]
    fn an_unknown_revision_is_an_error() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository");
        let error = build(root, "no-such-revision-anywhere").unwrap_err();
        assert!(error.contains("is not a commit"), "{error}");
    }
}
