//! Rows of `cargo xtask bench` that time one API given two ways (GitHub's whole file against its
//! split, Kubernetes' Swagger 2.0 description against its conversion to 3.0): both are generated
//! in the same loop, alternating, so the ratio between them is what the machine's drift does not
//! blur. Each run is a process of its own (`bench-one`), as in the main table.

use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value};

use crate::bench::{median_field, stage_header, stage_row};

/// One of the two forms: its label in the table, and the document's path.
pub struct Form<'a> {
    pub label: &'a str,
    pub spec: &'a str,
}

/// Runs `binary` (the release xtask) with `args` in `workspace`; its stdout.
pub fn run_child(workspace: &Path, binary: &Path, args: &[&str]) -> Result<String, String> {
    let output =
        Command::new(binary).args(args).current_dir(workspace).output().map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    if !output.status.success() {
        return Err(format!("{}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// What the child that writes the second form printed: `name=value` fields on its first line,
/// then notes for the table.
pub struct Prepared {
    first: String,
    pub notes: String,
}

impl Prepared {
    /// Runs the hidden xtask command `command` that writes the second form.
    pub fn run(workspace: &Path, binary: &Path, command: &str) -> Result<Prepared, String> {
        let out = run_child(workspace, binary, &[command])?;
        let (first, notes) = out.split_once('\n').unwrap_or((&out, ""));
        Ok(Prepared { first: first.to_string(), notes: notes.to_string() })
    }

    /// The value of field `name` of the first line (`?` when missing).
    pub fn field(&self, name: &str) -> String {
        let prefix = format!("{name}=");
        self.first.split_whitespace().find_map(|pair| pair.strip_prefix(prefix.as_str())).unwrap_or("?").to_string()
    }
}

/// Times `base` and `other` alternately, `runs` runs each, and prints a row per form, the ratio
/// `other / base` (named `ratio_name`) and the `notes`.
pub fn compare(workspace: &Path, binary: &Path, runs: usize, (base, other): (&Form, &Form), ratio_name: &str, notes: &str) -> Result<String, String> {
    let mut base_lines = Vec::new();
    let mut other_lines = Vec::new();
    for index in 0..runs.max(1) {
        // The base first on even runs, the other first on odd ones, so neither always follows.
        for is_other in [index % 2 == 1, index % 2 == 0] {
            let spec = if is_other { other.spec } else { base.spec };
            let line = run_child(workspace, binary, &["bench-one", spec, "--runs", "1"])?;
            if is_other { &mut other_lines } else { &mut base_lines }.push(line);
        }
    }
    let width = base.label.len().max(other.label.len()).max(8);
    let mut table = stage_header(width, false);
    for (label, lines) in [(base.label, &base_lines), (other.label, &other_lines)] {
        table.push_str(&stage_row(label, width, lines, false));
    }
    let ratio = |name: &str| -> String {
        let value = |lines: &[String]| median_field(lines, name).parse::<f64>().ok();
        match (value(&other_lines), value(&base_lines)) {
            (Some(other), Some(base)) if base > 0.0 => format!("{:.2}", other / base),
            _ => "?".into(),
        }
    };
    table.push_str(&format!(
        "{ratio_name}: {} (processor time {}; median of the runs' pairs {})\n",
        ratio("total_ms"),
        ratio("cpu_ms"),
        paired_ratio(&base_lines, &other_lines, "total_ms").map_or("?".into(), |ratio| format!("{ratio:.2}"))
    ));
    table.push_str(&format!("median of {} runs each, alternating, each run a process of its own\n", runs.max(1)));
    table.push_str(notes);
    Ok(table)
}

/// The median over the pairs of runs (the base's and the other's, run one after the other) of
/// other / base: each pair shares the machine's stretch, which a slow minute shifts for both.
fn paired_ratio(base: &[String], other: &[String], name: &str) -> Option<f64> {
    let value = |line: &String| median_field(std::slice::from_ref(line), name).parse::<f64>().ok();
    let mut ratios: Vec<f64> = base
        .iter()
        .zip(other)
        .filter_map(|(base, other)| Some((value(base)?, value(other)?)))
        .filter(|(base, _)| *base > 0.0)
        .map(|(base, other)| other / base)
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios.get(ratios.len() / 2).copied()
}

/// What loading and generating a document gives, to tell that two forms are the same API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub operations: usize,
    pub schemas: usize,
    pub types: usize,
    pub warnings: usize,
    /// Warnings about a reference (one that could not be followed, a loop).
    pub reference_warnings: Vec<String>,
}

impl Counts {
    pub fn of(spec: &Path) -> Result<Counts, String> {
        let document = oas_codegen::load::load_file(spec).map_err(|error| error.to_string())?;
        let options = oas_codegen::Options::default();
        let (model, diagnostics) = oas_codegen::lower_document(&document, &options);
        let generated = oas_codegen::emit_lowered(&document, &model, diagnostics, &options).map_err(|error| error.to_string())?;
        let schemas = document.root.pointer("/components/schemas").and_then(Value::as_object).map_or(0, Map::len);
        Ok(Counts {
            operations: model.operations.len(),
            schemas,
            types: model.space.types.len(),
            warnings: generated.warnings().count(),
            reference_warnings: generated
                .warnings()
                .filter(|warning| crate::multifile::is_about_a_reference(warning))
                .map(|warning| warning.render(Some(spec)))
                .collect(),
        })
    }

    /// A line saying what both forms have, or an error when their operations or schemas differ
    /// (the timing would compare two different things); the forms are `(label, counts)`.
    pub fn same_api((a_label, a): (&str, &Counts), (b_label, b): (&str, &Counts)) -> Result<String, String> {
        if (a.operations, a.schemas) != (b.operations, b.schemas) {
            return Err(format!(
                "the two forms are not the same API: {} operations and {} schemas {a_label}, {} and {} {b_label}",
                a.operations, a.schemas, b.operations, b.schemas
            ));
        }
        Ok(format!(
            "both: {} operations, {} schemas; types {} {a_label}, {} {b_label}; warnings {} {a_label}, {} {b_label}\n",
            a.operations, a.schemas, a.types, b.types, a.warnings, b.warnings
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_compared_run_by_run() {
        let lines = |totals: &[&str]| -> Vec<String> { totals.iter().map(|total| format!("total_ms={total} cpu_ms=1")).collect() };
        let ratio = paired_ratio(&lines(&["100", "200", "400"]), &lines(&["110", "260", "420"]), "total_ms");
        assert_eq!(ratio, Some(1.1));
        assert_eq!(paired_ratio(&lines(&["100"]), &[], "total_ms"), None);
    }
}
