//! Checking values against the document's schemas, with validators compiled once per schema.
//!
//! The schemas are bundled and converted exactly as the runtime's request validation does
//! (`oas_runtime::server::validation::bundle`: references gathered under `$defs`, OpenAPI 3.0
//! keywords turned into JSON Schema 2020-12), so an example lint accepts is one the generated
//! server and the mock accept too.

use std::cell::RefCell;
use std::collections::HashMap;

use oas_codegen::load::Document;
use serde_json::Value;

/// The most steps a backtracking pattern may take, as in the runtime.
const BACKTRACK_LIMIT: usize = 100_000;

/// The most violations reported for one value; a huge example that misses its schema everywhere
/// would otherwise bury everything else.
const MAX_VIOLATIONS: usize = 5;

/// One way a value breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Pointer into the value.
    pub pointer: String,
    /// What the validator says is wrong.
    pub message: String,
}

/// Validators by schema pointer, compiled on first use.
pub struct Checker<'a> {
    root: &'a Value,
    compiled: RefCell<HashMap<String, Option<jsonschema::Validator>>>,
}

impl<'a> Checker<'a> {
    /// A checker for the schemas of `document`.
    pub fn new(document: &'a Document) -> Checker<'a> {
        Checker::for_root(&document.root)
    }

    /// A checker for the schemas of a document given as its JSON (3.0's keywords are read in
    /// any version, as generated servers read them).
    pub fn for_root(root: &'a Value) -> Checker<'a> {
        Checker { root, compiled: RefCell::new(HashMap::new()) }
    }

    /// The violations of the schema at `pointer` by `value`; `None` when there is no usable
    /// schema there (missing, or one `jsonschema` cannot compile).
    pub fn violations(&self, pointer: &str, value: &Value) -> Option<Vec<Violation>> {
        let mut compiled = self.compiled.borrow_mut();
        let validator = compiled.entry(pointer.to_string()).or_insert_with(|| self.compile(pointer)).as_ref()?;
        Some(
            validator
                .iter_errors(value)
                .take(MAX_VIOLATIONS)
                .map(|error| Violation { pointer: error.instance_path().to_string(), message: shorten(&error.to_string(), Some(error.instance())) })
                .collect(),
        )
    }

    /// Whether `value` is valid at `pointer`; a schema that cannot be compiled accepts everything,
    /// as in the runtime.
    pub fn accepts(&self, pointer: &str, value: &Value) -> bool {
        self.violations(pointer, value).is_none_or(|violations| violations.is_empty())
    }

    fn compile(&self, pointer: &str) -> Option<jsonschema::Validator> {
        let bundle = oas_runtime::server::validation::bundle(self.root, pointer)?;
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_pattern_options(jsonschema::PatternOptions::fancy_regex().backtrack_limit(BACKTRACK_LIMIT))
            .build(&bundle)
            .ok()
    }
}

/// `violations` as one line: `at /a/b: message; ...`.
pub fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(
            |violation| {
                if violation.pointer.is_empty() {
                    violation.message.clone()
                } else {
                    format!("at {}: {}", violation.pointer, violation.message)
                }
            },
        )
        .collect::<Vec<_>>()
        .join("; ")
}

/// A message quotes the offending value only when it is this short; otherwise it names its kind.
const QUOTE_LIMIT: usize = 60;

/// Replaces a long quoted value in a validator's message with a description of it, so that a
/// large example or document section does not fill the message.
pub fn shorten(message: &str, instance: Option<&Value>) -> String {
    let Some(instance) = instance else { return message.to_string() };
    let text = instance.to_string();
    if text.chars().count() <= QUOTE_LIMIT {
        return message.to_string();
    }
    message.replace(&text, &oas_codegen::load::describe(instance))
}

/// A value as a message shows it: as JSON when short, by its kind when long.
pub fn quote(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= QUOTE_LIMIT {
        text
    } else {
        oas_codegen::load::describe(value)
    }
}
