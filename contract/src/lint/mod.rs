//! Findings about one document: what `oas validate` checks (the specification's rules), and
//! what `oas lint` adds on top.
//!
//! | check | severity |
//! | --- | --- |
//! | the official OpenAPI JSON Schema (3.0, or 3.1 plus its Schema Object dialect) | error |
//! | `$ref`s and discriminator mappings that do not resolve, operationIds used twice, path templates and path parameters that disagree ([`spec_rules`]) | error |
//! | defaults that do not match their schema or lie outside their `enum` | error |
//! | schemas no value can satisfy ([`crate::synth`], the analysis the mock builds values with) | error |
//! | examples that do not match their schema | warning |
//! | components nothing uses | warning |
//! | names that collide as Rust identifiers | warning |
//! | everything generation works around | warning |
//! | schemas whose generated type says less than the schema (the fidelity count), lint only | note |

mod examples;
mod names;
mod satisfiable;
pub mod spec_rules;
mod structure;
mod unused;

use std::collections::HashSet;

use oas_codegen::diagnostics::{self, Diagnostic, Severity};
use oas_codegen::load::{Document, Version};

use crate::checker::Checker;

/// What `oas validate` reports: the specification's rules as errors, plus what generation would
/// warn about, with positions, in document order.
pub fn validation_findings(document: &Document) -> Vec<Diagnostic> {
    finish(document, spec_rules::check(document), false)
}

/// Everything [`validation_findings`] reports, and the lint checks, with positions, in
/// document order.
pub fn lint(document: &Document) -> Vec<Diagnostic> {
    let root = &document.root;
    let mut findings = structure::check(document);
    findings.extend(spec_rules::check(document));
    let checker = Checker::new(document);
    findings.extend(examples::check(root, &checker));
    findings.extend(satisfiable::check(root, document.version == Version::V3_0));
    findings.extend(unused::check(root));
    findings.extend(names::check(root));
    finish(document, findings, true)
}

/// Adds generation's warnings where nothing was found yet (and, with `losses`, a note at each
/// schema the generated types say less about), then finishes the list as every tool does
/// (repeats dropped, positions looked up, sorted with unplaced findings last).
fn finish(document: &Document, mut findings: Vec<Diagnostic>, losses: bool) -> Vec<Diagnostic> {
    let (model, generation) = oas_codegen::lower_document(document, &oas_codegen::Options::default());
    // Generation reports some of the same problems (a dangling `$ref`, a repeated operationId)
    // as warnings at the same place; the finding there says it already. Its warnings come
    // placed (in the file they are about), so the findings are placed before they are compared.
    findings = diagnostics::finish(document, findings);
    let found: HashSet<(Option<String>, String)> = findings.iter().map(|finding| (finding.file.clone(), finding.pointer.clone())).collect();
    let generation: Vec<Diagnostic> =
        generation.into_iter().filter(|warning| !found.contains(&(warning.file.clone(), warning.pointer.clone()))).collect();
    if losses {
        let notes = loss_notes(document, &model.fidelity, &findings, &generation);
        findings.extend(notes);
    }
    findings.extend(generation);
    diagnostics::order(&mut findings);
    findings
}

/// A note at each schema whose generated type says less than the schema. A fallback that comes
/// with a warning from generation, or an error, at the schema or inside it (a wrong `type`) is
/// not noted again: that finding says more.
fn loss_notes(document: &Document, fidelity: &oas_codegen::ir::Fidelity, findings: &[Diagnostic], generation: &[Diagnostic]) -> Vec<Diagnostic> {
    let explaining: Vec<&Diagnostic> = findings.iter().filter(|finding| finding.severity == Severity::Error).chain(generation).collect();
    let said = |note: &Diagnostic| {
        explaining.iter().any(|finding| {
            finding.file == note.file
                && finding.pointer.strip_prefix(note.pointer.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    let mut notes = Vec::new();
    let mut fallbacks = Vec::new();
    for (pointer, loss) in &fidelity.losses {
        let note = Diagnostic::info(pointer.clone(), format!("typed loosely ({}): {}", loss.label(), loss.explanation()));
        match loss {
            oas_codegen::ir::Loss::Fallback(_) => fallbacks.push(note),
            _ => notes.push(note),
        }
    }
    let mut notes = diagnostics::finish(document, notes);
    notes.extend(diagnostics::finish(document, fallbacks).into_iter().filter(|note| !said(note)));
    notes
}

/// How many findings are errors and how many warnings (notes are neither).
pub fn counts(findings: &[Diagnostic]) -> (usize, usize) {
    let count = |severity: Severity| findings.iter().filter(|finding| finding.severity == severity).count();
    (count(Severity::Error), count(Severity::Warning))
}
