//! The fidelity baseline: for every corpus document, how many of its schemas the generator
//! types loosely, by reason (see `oas_codegen::ir::fidelity`). `cargo xtask corpus` compares
//! each run with `tests/fidelity.txt` and fails when a count differs, so a count that rises is
//! caught and one that falls is recorded with the change that lowered it
//! (`--update-fidelity`).

use std::collections::BTreeMap;
use std::path::Path;

/// Counts by document, then by reason label.
pub type Counts = BTreeMap<String, BTreeMap<String, usize>>;

const HEADER: &str = "# Schemas each corpus document's generated types say less about than the document, by reason.\n\
# Checked by `cargo xtask corpus`; rewrite with `cargo xtask corpus --update-fidelity` in the change that moves a count.\n\
# DOCUMENT  REASON  COUNT\n";

pub fn baseline_path(root: &Path) -> std::path::PathBuf {
    root.join("tests/fidelity.txt")
}

/// Reads a baseline file; a missing file is an empty baseline.
pub fn read(path: &Path) -> Result<Counts, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Counts::new()),
        Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
    };
    let mut counts = Counts::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [document, reason, count] = fields.as_slice() else {
            return Err(format!("{}:{}: expected `DOCUMENT REASON COUNT`", path.display(), number + 1));
        };
        let count = count.parse().map_err(|_| format!("{}:{}: `{count}` is not a count", path.display(), number + 1))?;
        counts.entry(document.to_string()).or_default().insert(reason.to_string(), count);
    }
    Ok(counts)
}

/// The baseline as text: one line per document and reason, sorted; documents with no loss have
/// no line.
pub fn render(counts: &Counts) -> String {
    let mut text = String::from(HEADER);
    for (document, reasons) in counts {
        for (reason, count) in reasons.iter().filter(|(_, count)| **count > 0) {
            text.push_str(&format!("{document}  {reason}  {count}\n"));
        }
    }
    text
}

/// Every difference between `run` (the documents of one run) and the baseline's entries for the
/// same documents, as lines: `DOCUMENT REASON: BASELINE -> NOW`.
pub fn compare(baseline: &Counts, run: &Counts) -> Vec<String> {
    let empty = BTreeMap::new();
    let mut differences = Vec::new();
    for (document, now) in run {
        let before = baseline.get(document).unwrap_or(&empty);
        let reasons: std::collections::BTreeSet<&String> = before.keys().chain(now.keys()).collect();
        for reason in reasons {
            let (was, is) = (before.get(reason).copied().unwrap_or(0), now.get(reason).copied().unwrap_or(0));
            if was != is {
                let direction = if is > was { "rose" } else { "fell" };
                differences.push(format!("{document}  {reason}: {was} -> {is} ({direction})"));
            }
        }
    }
    differences
}

/// The baseline with the documents of `run` replaced by their counts.
pub fn updated(mut baseline: Counts, run: &Counts) -> Counts {
    for (document, counts) in run {
        baseline.insert(document.clone(), counts.clone());
    }
    baseline
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(entries: &[(&str, &str, usize)]) -> Counts {
        let mut counts = Counts::new();
        for (document, reason, count) in entries {
            counts.entry(document.to_string()).or_default().insert(reason.to_string(), *count);
        }
        counts
    }

    #[test]
    fn a_rise_a_fall_and_a_new_reason_are_differences() {
        let baseline = counts(&[("a.yaml", "value/allof-member", 2), ("b.yaml", "union/overlapping", 1)]);
        let run = counts(&[("a.yaml", "value/allof-member", 3), ("a.yaml", "keyword/not", 1), ("b.yaml", "union/overlapping", 0)]);
        assert_eq!(
            compare(&baseline, &run),
            ["a.yaml  keyword/not: 0 -> 1 (rose)", "a.yaml  value/allof-member: 2 -> 3 (rose)", "b.yaml  union/overlapping: 1 -> 0 (fell)"]
        );
        assert!(compare(&baseline, &counts(&[("a.yaml", "value/allof-member", 2)])).is_empty(), "documents not in the run are not compared");
    }

    #[test]
    fn the_file_reads_back_what_it_was_written_from() {
        let baseline = counts(&[("real/x.json", "value/allof-member", 154), ("y.yaml", "discriminator/unused", 1)]);
        let path = std::env::temp_dir().join(format!("oas-fidelity-{}.txt", std::process::id()));
        std::fs::write(&path, render(&baseline)).unwrap();
        assert_eq!(read(&path).unwrap(), baseline);
        std::fs::write(&path, "a.yaml  value/x\n").unwrap();
        assert!(read(&path).unwrap_err().contains(":1: expected"));
        std::fs::remove_file(&path).unwrap();
    }
}
