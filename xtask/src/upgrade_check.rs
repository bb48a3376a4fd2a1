//! `cargo xtask corpus --upgrade`: `oas convert --to 3.1` of every OpenAPI 3.0 and Swagger 2.0
//! document of the corpus must add no lint error the original lacks, and must generate the same
//! `types` module.
//!
//! Lint errors are compared by rule and place. Both documents are linted as one file from memory,
//! so their pointers are in the same document (a split or Swagger 2.0 original would have its
//! findings placed in the files it was read from). A conversion moves some keywords (`example`
//! becomes `examples`, a schema moves under `anyOf`), and the 3.0 and 3.1 official schemas word
//! the same violation differently and report it at different depths; so an error of the
//! converted document is new only when the original has no error of the same rule at the same
//! pointer, above it or below it. A finding's rule is its message with what names places and
//! values (anything quoted, numbers) taken out, and the JSON Schema validator's messages reduced
//! to the kind of violation they report.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use oas_codegen::diagnostics::Severity;
use oas_codegen::emit::api::ModuleName;
use oas_codegen::load::{self, upgrade, Document, Written};

use crate::corpus::{corpus_dir, documents, CorpusOptions};

/// What converting one document did.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Path relative to the corpus folder.
    pub spec: String,
    /// The version the document was written in.
    pub written: Written,
    /// The conversion's own warnings.
    pub warnings: usize,
    /// The converted document's errors the original lacks: (rule, pointer).
    pub new_errors: Vec<(String, String)>,
    /// The first line where the converted document's `types` module differs, with both lines.
    pub types_differ: Option<String>,
    /// Why the document could not be checked at all.
    pub failure: Option<String>,
}

impl Checked {
    pub fn passed(&self) -> bool {
        self.new_errors.is_empty() && self.types_differ.is_none() && self.failure.is_none()
    }
}

/// Checks every 3.0 and Swagger 2.0 document of the chosen sets, on every core; the results are
/// in document order.
pub fn run(root: &Path, options: &CorpusOptions) -> Vec<Checked> {
    let corpus = corpus_dir(root);
    let paths = documents(root, options);
    let next = Mutex::new(0usize);
    let results = Mutex::new(BTreeMap::new());
    let workers = std::thread::available_parallelism().map_or(1, usize::from).min(paths.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = {
                    let mut next = next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    *next += 1;
                    *next - 1
                };
                let Some(path) = paths.get(index) else { break };
                let relative = path.strip_prefix(&corpus).unwrap_or(path).to_string_lossy().replace('\\', "/");
                if let Some(checked) = check(path, relative) {
                    results.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(index, checked);
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()).into_values().collect()
}

/// `None` for documents not written in 3.0 or Swagger 2.0, which this check is not about.
fn check(path: &Path, spec: String) -> Option<Checked> {
    let original = match load::load_file(path) {
        Ok(document) => document,
        Err(error) => {
            let failure = Some(format!("cannot be read: {error}"));
            return Some(Checked { spec, written: Written::OpenApi3_0, warnings: 0, new_errors: Vec::new(), types_differ: None, failure });
        }
    };
    if !matches!(original.written, Written::Swagger2 | Written::OpenApi3_0) {
        return None;
    }
    let mut checked = Checked { spec, written: original.written, warnings: 0, new_errors: Vec::new(), types_differ: None, failure: None };
    let upgraded = upgrade::upgrade(&original.root, original.written, Written::OpenApi3_1)?;
    checked.warnings = upgraded.warnings.len();
    let from_memory = |root: &serde_json::Value, what: &str| {
        load::load_str(&root.to_string()).map_err(|error| format!("the {what} document cannot be read from memory: {error}"))
    };
    let (before, converted) = match (from_memory(&original.root, "original"), from_memory(&upgraded.root, "converted")) {
        (Ok(before), Ok(after)) => (before, after),
        (Err(error), _) | (_, Err(error)) => {
            checked.failure = Some(error);
            return Some(checked);
        }
    };
    let before = errors(&before);
    checked.new_errors = errors(&converted)
        .into_iter()
        .filter(|(rule, pointer)| !before.iter().any(|(old_rule, old_pointer)| old_rule == rule && related(old_pointer, pointer)))
        .collect();
    match (types_module(&original), types_module(&converted)) {
        (Ok(before), Ok(after)) => checked.types_differ = first_difference(&before, &after),
        (Err(error), _) | (_, Err(error)) => checked.failure = Some(error),
    }
    Some(checked)
}

/// The error-level lint findings: (rule, pointer).
fn errors(document: &Document) -> Vec<(String, String)> {
    let findings = oas_contract::lint::lint(document);
    findings.into_iter().filter(|finding| finding.severity == Severity::Error).map(|finding| (rule_of(&finding.message), finding.pointer)).collect()
}

/// Whether one pointer is the other or lies inside it.
fn related(a: &str, b: &str) -> bool {
    let inside = |outer: &str, inner: &str| inner.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    inside(a, b) || inside(b, a)
}

/// The kind of violation a JSON Schema validator's message reports, which the 3.0 and 3.1
/// official schemas word differently (`enum: [true]` against `const: true`, `additionalProperties`
/// against `unevaluatedProperties`).
fn schema_violation(message: &str) -> Option<&'static str> {
    Some(if message.contains(" is not one of ") || message.ends_with(" was expected") {
        "a value the schema does not list"
    } else if message.ends_with(" is a required property") {
        "a required property is missing"
    } else if message.contains("properties are not allowed") || message.starts_with("False schema does not allow") {
        "a property the schema does not allow"
    } else if message.contains(" is not of type") {
        "a value of the wrong type"
    } else if message.contains("is not valid under any of the given schemas") || message.contains("is valid under more than one of") {
        "no single alternative matches"
    } else {
        return None;
    })
}

/// A message with what it quotes (`…`, "…", '…') and its numbers replaced by `_`.
pub fn rule_of(message: &str) -> String {
    if let Some(violation) = schema_violation(message) {
        return violation.to_string();
    }
    let mut rule = String::with_capacity(message.len());
    let mut closing = None;
    for c in message.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None if matches!(c, '`' | '"') => {
                closing = Some(c);
                rule.push('_');
            }
            None if c.is_ascii_digit() => {
                if !rule.ends_with('_') {
                    rule.push('_');
                }
            }
            None => rule.push(c),
        }
    }
    rule
}

/// The text of the `types` module generated for `document`.
fn types_module(document: &Document) -> Result<String, String> {
    let options = oas_codegen::Options { server: false, client: false, docs: false, ..oas_codegen::Options::default() };
    let generated = oas_codegen::generate(document, &options).map_err(|error| format!("generation failed: {error}"))?;
    Ok(generated.api.module(ModuleName::Types).map(|module| module.text.clone()).unwrap_or_default())
}

fn first_difference(before: &str, after: &str) -> Option<String> {
    if before == after {
        return None;
    }
    let mut before_lines = before.lines();
    let mut after_lines = after.lines();
    for line in 1.. {
        match (before_lines.next(), after_lines.next()) {
            (Some(old), Some(new)) if old == new => continue,
            (old, new) => return Some(format!("line {line}: 3.0 `{}`, 3.1 `{}`", old.unwrap_or("<end>").trim(), new.unwrap_or("<end>").trim())),
        }
    }
    None
}

/// One line per document that failed, then the totals.
pub fn render(results: &[Checked], elapsed: Duration) -> String {
    let mut text = String::new();
    for result in results.iter().filter(|result| !result.passed()) {
        text.push_str(&format!("{}:\n", result.spec));
        if let Some(failure) = &result.failure {
            text.push_str(&format!("  {failure}\n"));
        }
        for (rule, pointer) in &result.new_errors {
            text.push_str(&format!("  new lint error at {pointer}: {rule}\n"));
        }
        if let Some(difference) = &result.types_differ {
            text.push_str(&format!("  types differ, {difference}\n"));
        }
    }
    let passed = results.iter().filter(|result| result.passed()).count();
    let swagger2 = results.iter().filter(|result| result.written == Written::Swagger2).count();
    let warnings: usize = results.iter().map(|result| result.warnings).sum();
    text.push_str(&format!(
        "converted {} documents to OpenAPI 3.1 ({} of them Swagger 2.0) with {warnings} conversion warnings: {passed} add no lint error and keep their types, {} do not ({:.1} s)\n",
        results.len(),
        swagger2,
        results.len() - passed,
        elapsed.as_secs_f64()
    ));
    text
}

/// Runs the check and renders it, failing when a document did not pass.
pub fn run_and_render(root: &Path, options: &CorpusOptions) -> Result<String, String> {
    let started = Instant::now();
    let results = run(root, options);
    let text = render(&results, started.elapsed());
    match results.iter().all(Checked::passed) {
        true => Ok(text),
        false => Err(format!("{text}some documents changed meaning when converted")),
    }
}

#[cfg(test)]
mod tests {
    use super::rule_of;

    #[test]
    fn a_rule_is_the_message_without_places_and_values() {
        assert_eq!(rule_of("`#/components/schemas/A` does not resolve"), "_ does not resolve");
        assert_eq!(rule_of("operationId \"list\" is used 2 times"), "operationId _ is used _ times");
        assert_eq!(rule_of("false is not one of true"), rule_of("true was expected"));
    }
}
