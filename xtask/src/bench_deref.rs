//! The fully dereferenced row of `cargo xtask bench`: GitHub Enterprise Cloud's description with
//! every schema written out inline wherever it is used (78 MB, no `$ref` left), as the npm package
//! `@octokit/openapi` publishes it. A dereferenced document repeats the same schema thousands of
//! times, so it shows what the generator's time and memory grow with besides the API's size.
//!
//! The package is not in the repository (it is 400 MB unpacked); the row is skipped with the
//! command that installs it when it is missing. Its targets: [`TIME_TARGET_MS`] and
//! [`PEAK_TARGET_MB`].

use std::path::{Path, PathBuf};

use crate::bench::median_field;

/// The package and version the document comes from.
pub const PACKAGE: &str = "@octokit/openapi@23.0.2";

/// Where the package is installed, relative to the repository root (beside the other peers).
pub const INSTALL_PREFIX: &str = "target/bench-peers";

/// The document inside the installed package.
pub const DOCUMENT: &str = "node_modules/@octokit/openapi/generated/ghec.deref.json";

/// The median time of a whole generation, at most (ms).
pub const TIME_TARGET_MS: f64 = 1500.0;

/// The peak resident memory of a generation, at most (MB).
pub const PEAK_TARGET_MB: f64 = 500.0;

/// The command that installs the package, run from the repository root.
pub fn install_command() -> String {
    format!("npm install --prefix {INSTALL_PREFIX} {PACKAGE}")
}

/// The document's path when the package is installed, else why the row is skipped.
pub fn find(root: &Path) -> Result<PathBuf, String> {
    let path = root.join(INSTALL_PREFIX).join(DOCUMENT);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("skipped ghec.deref.json: {} is missing; install it with `{}`", path.display(), install_command()))
    }
}

/// The row's verdict from its runs' lines: the medians against the targets, and the misses.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub total_ms: Option<f64>,
    pub peak_mb: Option<f64>,
    /// One line per missed target (a median that could not be read misses too).
    pub failures: Vec<String>,
}

impl Verdict {
    pub fn of(lines: &[String]) -> Verdict {
        let value = |name: &str| median_field(lines, name).parse::<f64>().ok();
        let (total_ms, peak_mb) = (value("total_ms"), value("peak_mb"));
        let mut failures = Vec::new();
        if !total_ms.is_some_and(|total| total <= TIME_TARGET_MS) {
            failures.push(format!("ghec.deref.json: generation took {} ms, the target is at most {TIME_TARGET_MS:.0} ms", shown(total_ms)));
        }
        if !peak_mb.is_some_and(|peak| peak <= PEAK_TARGET_MB) {
            failures.push(format!("ghec.deref.json: peak memory {} MB, the target is at most {PEAK_TARGET_MB:.0} MB", shown(peak_mb)));
        }
        Verdict { total_ms, peak_mb, failures }
    }

    /// One line: the medians, the targets, PASS or FAIL.
    pub fn render(&self) -> String {
        format!(
            "ghec.deref.json: {} ms (target ≤ {TIME_TARGET_MS:.0} ms), peak {} MB (target ≤ {PEAK_TARGET_MB:.0} MB): {}\n",
            shown(self.total_ms),
            shown(self.peak_mb),
            if self.failures.is_empty() { "PASS" } else { "FAIL" }
        )
    }
}

fn shown(value: Option<f64>) -> String {
    value.map_or("?".into(), |value| format!("{value:.0}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(runs: &[(f64, f64)]) -> Vec<String> {
        runs.iter().map(|(total, peak)| format!("total_ms={total} peak_mb={peak}")).collect()
    }

    #[test]
    fn the_medians_are_held_to_the_targets() {
        let passing = Verdict::of(&lines(&[(1400.0, 480.0), (2900.0, 700.0), (1200.0, 470.0)]));
        assert_eq!((passing.total_ms, passing.peak_mb), (Some(1400.0), Some(480.0)));
        assert!(passing.failures.is_empty());
        assert!(passing.render().ends_with("PASS\n"));

        let slow = Verdict::of(&lines(&[(1600.0, 480.0)]));
        assert_eq!(slow.failures.len(), 1);
        assert!(slow.failures[0].contains("1600 ms"), "{:?}", slow.failures);
        assert!(slow.render().ends_with("FAIL\n"));

        let both = Verdict::of(&lines(&[(2900.0, 711.0)]));
        assert_eq!(both.failures.len(), 2);
        assert!(both.failures[1].contains("711 MB"), "{:?}", both.failures);
    }

    #[test]
    fn runs_without_figures_fail() {
        let verdict = Verdict::of(&["files=3".to_string()]);
        assert_eq!(verdict.failures.len(), 2);
        assert!(verdict.render().contains("? ms"));
    }

    #[test]
    fn a_missing_package_names_the_command_that_installs_it() {
        let why = find(Path::new("/nonexistent-root")).unwrap_err();
        assert!(why.contains("npm install --prefix target/bench-peers @octokit/openapi@23.0.2"), "{why}");
    }
}
