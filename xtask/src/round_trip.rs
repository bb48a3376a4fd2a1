//! `cargo xtask corpus --round-trip`: a test file per corpus crate that runs values valid against
//! a schema through the type generated for it, and the run of those tests.
//!
//! The values are the document's own examples (component schemas' and JSON bodies') and, for
//! every component schema, two the mock's synthesizer builds: the smallest one and one with every
//! optional property, since most documents give few examples and those rarely reach every field.
//! Only values the server's validators accept are used: an invalid one says nothing about the
//! generator.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use oas_codegen::ir::{Ty, TypeKind};
use oas_codegen::load;
use oas_contract::checker::Checker;
use oas_contract::synth::Synthesizer;
use oas_runtime::server::validation::Validators;
use serde_json::Value;

/// The check and its canonical form of JSON, shared with the Orchestrator's round-trip tests.
const CHECK: &str = include_str!("../../tests/tests/support/json_round_trip.rs");

/// What a crate's round-trip test holds.
pub struct RoundTripTest {
    /// `tests/round_trip.rs` and the check it includes, by path in the crate.
    pub files: Vec<(String, String)>,
    /// How many values it round-trips.
    pub count: usize,
    /// Component schemas left without a synthesized value, by reason, with how many.
    pub skipped: BTreeMap<&'static str, usize>,
}

/// One value to round-trip through one Rust type.
struct Case {
    rust_type: String,
    /// The schema the value must be valid against.
    pointer: String,
    /// Where the value comes from, for the test's name: `example`, `smallest`, `rich`.
    source: &'static str,
    value: Value,
}

/// The round-trip test of one document's crate (whose library is `crate_name`).
pub fn test_for(document: &load::Document, crate_name: &str) -> RoundTripTest {
    let (model, _) = oas_codegen::lower_document(document, &oas_codegen::Options::default());
    let mut skipped = BTreeMap::new();
    let mut cases = component_cases(document, &model, &mut skipped);
    cases.extend(body_examples(document, &model));
    let pointers: Vec<&str> = cases.iter().map(|case| case.pointer.as_str()).collect();
    let validators = Validators::compile(&document.root, &pointers);
    let accepts = |pointer: &str, value: &Value| {
        validators.contains(pointer) && validators.check(pointer, value, oas_runtime::style::Location::Body, "").is_empty()
    };
    let mut synthesized_invalid = 0;
    cases.retain(|case| {
        let keep = accepts(&case.pointer, &case.value);
        synthesized_invalid += usize::from(!keep && case.source != "example");
        keep
    });
    // A generated type holds a schema's values but null: nullability is carried where the type
    // is used (`Option<T>` fields), so a schema that accepts null is held by `Option<T>`.
    for case in &mut cases {
        if accepts(&case.pointer, &Value::Null) && !case.rust_type.starts_with("Option") {
            case.rust_type = format!("Option<{}>", case.rust_type);
        }
    }
    if synthesized_invalid > 0 {
        skipped.insert("synthesized value rejected by the schema's validator", synthesized_invalid);
    }
    let library = crate_name.replace('-', "_");
    let tests: Vec<String> = cases.iter().enumerate().map(|(index, case)| test_fn(&library, index, case)).collect();
    let text = format!(
        "// Written by `cargo xtask corpus --round-trip`.\n#![allow(non_snake_case, unused_imports, deprecated)]\n\n\
         #[path = \"support/json_round_trip.rs\"]\nmod json_round_trip;\n\n\
         use json_round_trip::{{check, check_example}};\nuse {library}::types::*;\n\n{}",
        tests.join("\n")
    );
    let files = vec![("tests/round_trip.rs".to_string(), text), ("tests/support/json_round_trip.rs".to_string(), CHECK.to_string())];
    RoundTripTest { files, count: cases.len(), skipped }
}

/// Every component schema's example, and its smallest and richest synthesized values (the
/// latter only when it differs). Schemas whose type is `serde_json::Value` are counted in
/// `skipped`: any JSON round-trips through it, so they test nothing.
fn component_cases(document: &load::Document, model: &oas_codegen::ir::Model, skipped: &mut BTreeMap<&'static str, usize>) -> Vec<Case> {
    let checker = Checker::new(document);
    let synthesizer = Synthesizer::new(&document.root, document.version == load::Version::V3_0, Some(&checker));
    let mut cases = Vec::new();
    for def in &model.space.types {
        let Some(name) = def.pointer.strip_prefix("/components/schemas/") else { continue };
        if name.contains('/') {
            continue;
        }
        if matches!(def.kind, TypeKind::Alias(Ty::Json)) {
            *skipped.entry("free-form schema: its type is serde_json::Value").or_default() += 1;
            continue;
        }
        let Some(schema) = document.root.pointer(&def.pointer) else { continue };
        let case = |source, value| Case { rust_type: def.name.clone(), pointer: def.pointer.clone(), source, value };
        if let Some(example) = schema.get("example").or_else(|| schema.get("examples").and_then(|examples| examples.get(0))) {
            cases.push(case("example", example.clone()));
        }
        let smallest = synthesizer.instance(&def.pointer);
        let rich = synthesizer.rich_instance(&def.pointer);
        match (smallest, rich) {
            (Ok(smallest), Ok(rich)) if smallest == rich => cases.push(case("smallest", smallest)),
            (smallest, rich) => {
                let built: Vec<Case> = [("smallest", smallest), ("rich", rich)]
                    .into_iter()
                    .filter_map(|(source, value)| value.ok().map(|value| case(source, value)))
                    .collect();
                if built.is_empty() {
                    *skipped.entry("the synthesizer built no value").or_default() += 1;
                }
                cases.extend(built);
            }
        }
    }
    cases
}

/// The examples of JSON request and response bodies whose type is generated.
fn body_examples(document: &load::Document, model: &oas_codegen::ir::Model) -> Vec<Case> {
    let mut cases = Vec::new();
    for operation in &model.operations {
        let bodies = operation.body.iter().flat_map(|body| body.contents.iter());
        let responses = operation.responses.iter().flat_map(|response| response.contents.iter());
        for content in bodies.chain(responses) {
            let Some(ty) = &content.ty else { continue };
            if *ty == Ty::Json || !content.media_type.contains("json") {
                continue;
            }
            let Some(media) = document.root.pointer(&content.pointer) else { continue };
            let mut examples: Vec<&Value> = media.get("example").into_iter().collect();
            if let Some(named) = media.get("examples").and_then(Value::as_object) {
                examples.extend(named.values().filter_map(|example| example.get("value")));
            }
            let rust_type = oas_codegen::emit::types::ty_tokens(&model.space, ty).to_string();
            for example in examples {
                let pointer = format!("{}/schema", content.pointer);
                cases.push(Case { rust_type: rust_type.clone(), pointer, source: "example", value: example.clone() });
            }
        }
    }
    cases
}

/// One `#[test]`; its name starts with the crate's, so a failure in the shared run names its
/// document, and ends with the type's name, so it names the type.
fn test_fn(library: &str, index: usize, case: &Case) -> String {
    let json = case.value.to_string();
    let mut hashes = 1;
    while json.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    let type_name: String = case.rust_type.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!(
        "#[test]\nfn {library}__{index}_{}_{type_name}() {{\n    {}::<{}>(serde_json::from_str(r{fence}\"{json}\"{fence}).unwrap());\n}}\n",
        case.source,
        // A document's own example may carry members its open schema does not declare.
        if case.source == "example" { "check_example" } else { "check" },
        case.rust_type
    )
}

/// Runs the round-trip tests of `packages` in the corpus workspace; returns each failed test's
/// name with the first line of its panic message.
pub fn run(root: &Path, workspace: &Path, packages: &[String]) -> Result<Vec<(String, String)>, String> {
    if packages.is_empty() {
        return Ok(Vec::new());
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Without `--all-features`: the tests need only the types, and leaving the server and the
    // client out spares building them and their dependencies, most of the run's time.
    let mut args: Vec<String> = ["test", "--no-fail-fast", "--quiet", "--test", "round_trip"].iter().map(|arg| arg.to_string()).collect();
    for package in packages {
        args.push("-p".into());
        args.push(package.clone());
    }
    let result = Command::new(cargo)
        .args(&args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", root.join("target/corpus"))
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let stdout = String::from_utf8_lossy(&result.stdout);
    let failed = failures(&stdout);
    if !result.status.success() && failed.is_empty() {
        return Err(format!("cargo test failed without failing tests:\n{}", String::from_utf8_lossy(&result.stderr)));
    }
    Ok(failed)
}

/// The failed tests of libtest's output, each with the first line of what it printed after
/// `panicked at …:`. Their names are taken from the `---- NAME stdout ----` headings, which
/// libtest prints for every failure, quiet or not (quiet output has no `test NAME ... FAILED`).
fn failures(stdout: &str) -> Vec<(String, String)> {
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        if let Some(name) = line.strip_prefix("---- ").and_then(|rest| rest.strip_suffix(" stdout ----")) {
            failed.push((name.to_string(), String::new()));
        } else if let (Some((_, message)), true) = (failed.last_mut(), line.contains("panicked at")) {
            if message.is_empty() {
                *message = lines.next().unwrap_or_default().to_string();
            }
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_carry_their_panic_message() {
        let stdout = "running 3 tests\nF.F\nfailures:\n\n---- a__0_rich_Pod stdout ----\n\n\
                      thread 'a__0_rich_Pod' panicked at tests/support/json_round_trip.rs:18:5:\n\
                      a::types::Pod rejected a valid payload: invalid type\n\n---- a__2_example_Pod stdout ----\n\
                      thread 'a__2_example_Pod' panicked at tests/support/json_round_trip.rs:20:5:\n\
                      assertion `left == right` failed: a::types::Pod does not write back what it read\n  left: 1\n\n\
                      failures:\n    a__0_rich_Pod\n    a__2_example_Pod\n\ntest result: FAILED. 1 passed; 2 failed\n";
        let failed = failures(stdout);
        assert_eq!(failed[0], ("a__0_rich_Pod".to_string(), "a::types::Pod rejected a valid payload: invalid type".to_string()));
        assert_eq!(failed[1].0, "a__2_example_Pod");
        assert!(failed[1].1.ends_with("does not write back what it read"), "{failed:?}");
        assert_eq!(failed.len(), 2);
    }
}
