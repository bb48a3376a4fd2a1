//! Documents written to break the generator's output rather than its input:
//! `tests/fixtures/hostile/adversarial.json` puts text that would end a comment, a raw string or
//! an attribute, code fences that would become doctests, and HTML into every description, summary
//! and title; its enum values and property names hold quotes, backslashes, control characters,
//! keywords and names that differ only by case or punctuation; its schema names and
//! operationIds look like paths (`../../x`, `a/b`), device names (`CON`) and keywords.
//! The crate generated from it must compile under clippy with warnings denied, run no doctest,
//! keep every hostile value as data, write only inside its folder and escape its HTML.

use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use oas_codegen::{output, CrateConfig, Dependencies, RuntimeSource};
use serde_json::{json, Value};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hostile/adversarial.json");

fn fixture() -> Value {
    serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap()
}

fn generate(text: &str, name: &str) -> oas_tests::GeneratedCrate {
    let document = oas_codegen::load::load_str(text).expect("the document loads");
    let runtime = xtask::workspace_root().join("runtime");
    let config = CrateConfig {
        name: name.into(),
        header: "Generated from a hostile document by the adversarial tests.".into(),
        dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path(runtime.to_string_lossy().into_owned()) },
    };
    oas_tests::generate_crate(&document, &config, false).expect("the hostile document generates")
}

/// An integration test for the generated crate: every enum value and every property name of the
/// fixture goes through the generated types and comes back unchanged.
fn round_trip_test(document: &Value) -> String {
    let schemas = &document["components"]["schemas"];
    let values = serde_json::to_string(&schemas["QuotedEnum"]["enum"]).unwrap();
    let object: serde_json::Map<String, Value> =
        schemas["Hostile"]["properties"].as_object().unwrap().keys().map(|key| (key.clone(), Value::String(format!("value of {key}")))).collect();
    let object = serde_json::to_string(&object).unwrap();
    format!(
        "// Written by the adversarial tests.\n\
         use adversarial::types::{{Hostile, QuotedEnum}};\n\n\
         #[test]\n\
         fn every_enum_value_is_a_variant_and_round_trips() {{\n    \
             let values: Vec<String> = serde_json::from_str({values:?}).unwrap();\n    \
             for value in values {{\n        \
                 let parsed: QuotedEnum = serde_json::from_value(serde_json::Value::String(value.clone())).unwrap();\n        \
                 assert!(!matches!(parsed, QuotedEnum::Other(_)), \"{{value:?}} fell through to Other\");\n        \
                 assert_eq!(parsed.as_str(), value);\n        \
                 assert_eq!(serde_json::to_value(&parsed).unwrap(), serde_json::Value::String(value));\n    \
             }}\n\
         }}\n\n\
         #[test]\n\
         fn every_property_name_round_trips() {{\n    \
             let object: serde_json::Value = serde_json::from_str({object:?}).unwrap();\n    \
             let parsed: Hostile = serde_json::from_value(object.clone()).unwrap();\n    \
             assert_eq!(serde_json::to_value(&parsed).unwrap(), object);\n\
         }}\n"
    )
}

fn cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    let root = xtask::workspace_root();
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        // The corpus tests' target folder: the runtime and its dependencies are built there already.
        .env("CARGO_TARGET_DIR", root.join("target/corpus"))
        .output()
        .expect("cargo runs")
}

#[test]
fn the_hostile_crate_compiles_runs_no_doctest_and_keeps_its_values() {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let mut generated = generate(&text, "adversarial");
    generated.files.insert("tests/round_trip.rs".into(), round_trip_test(&fixture()));
    let root = xtask::workspace_root();
    let dir = root.join("target/hostile-crate-test");
    output::write_tree(&dir, &generated.files, &|path| path.starts_with("target/") || path == "Cargo.lock").unwrap();
    // The repository's lock file keeps dependency versions those of the shared target folder.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    // A workspace of its own, so cargo does not look for one in the repository around it.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    if !manifest.contains("[workspace]") {
        std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n")).unwrap();
    }

    let clippy = cargo(&dir, &["clippy", "--all-features", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    assert!(clippy.status.success(), "clippy refused the hostile crate:\n{}", String::from_utf8_lossy(&clippy.stderr));

    let tests = cargo(&dir, &["test", "--all-features", "--test", "round_trip"]);
    let stdout = String::from_utf8_lossy(&tests.stdout);
    assert!(tests.status.success(), "hostile values did not survive as data:\n{stdout}\n{}", String::from_utf8_lossy(&tests.stderr));
    assert!(stdout.contains("test result: ok. 2 passed"), "both round trips should run:\n{stdout}");

    let doctests = cargo(&dir, &["test", "--all-features", "--doc"]);
    let stdout = String::from_utf8_lossy(&doctests.stdout);
    assert!(doctests.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&doctests.stderr));
    assert!(stdout.contains("running 0 tests"), "a description became a doctest:\n{stdout}");
}

/// Every component of a generated path is a plain name: nothing absolute, no `..`, no separator
/// of another platform hidden in a name.
fn is_contained(path: &str) -> bool {
    !path.is_empty() && !path.contains('\\') && Path::new(path).components().all(|component| matches!(component, Component::Normal(_)))
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[test]
fn every_written_path_stays_inside_the_output_folder() {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let generated = generate(&text, "adversarial");
    for path in generated.files.keys() {
        assert!(is_contained(path), "the generator produced the path {path:?}");
    }
    // Names a case-insensitive file system would fold together must stay apart too.
    let mut folded: Vec<String> = generated.files.keys().map(|path| path.to_lowercase()).collect();
    folded.sort();
    let before = folded.len();
    folded.dedup();
    assert_eq!(before, folded.len(), "two generated paths differ only by case");

    let sandbox = std::env::temp_dir().join(format!("oas-hostile-paths-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&sandbox);
    std::fs::create_dir_all(&sandbox).unwrap();
    let out = sandbox.join("out");
    output::write_tree(&out, &generated.files, &|_| false).unwrap();
    let beside: Vec<_> = std::fs::read_dir(&sandbox).unwrap().flatten().map(|entry| entry.file_name()).collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("out")], "something was written beside the output folder");
    let mut written = Vec::new();
    files_under(&out, &mut written);
    assert_eq!(written.len(), generated.files.len());
    let out = out.canonicalize().unwrap();
    for path in written {
        assert!(path.canonicalize().unwrap().starts_with(&out), "{} is outside the output folder", path.display());
    }
    std::fs::remove_dir_all(&sandbox).unwrap();
}

/// Removes Markdown code (fenced blocks and inline spans), where text is shown as written.
fn outside_code(markdown: &str) -> String {
    let mut prose = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced || line.starts_with("    ") {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find('`') {
            prose.push_str(&rest[..start]);
            let run = rest[start..].chars().take_while(|c| *c == '`').count();
            let after = &rest[start + run..];
            let fence = "`".repeat(run);
            // A span ends at the next run of exactly as many backticks.
            let end = after
                .match_indices(&fence)
                .map(|(index, _)| index)
                .find(|&index| !after[index + run..].starts_with('`') && !after[..index].ends_with('`'));
            match end {
                Some(end) => rest = &after[end + run..],
                None => {
                    prose.push_str(&fence);
                    rest = after;
                }
            }
        }
        prose.push_str(rest);
        prose.push('\n');
    }
    prose
}

#[test]
fn the_docs_escape_hostile_text() {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let generated = generate(&text, "adversarial");
    let html = &generated.files["docs/index.html"];
    for raw in ["<script", "<img", "<b>"] {
        assert!(!html.to_lowercase().contains(raw), "the HTML page holds a raw {raw}");
    }
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile title is shown, escaped");
    let mut pages = 0;
    for (path, contents) in generated.files.iter().filter(|(path, _)| path.ends_with(".md")) {
        pages += 1;
        let prose = outside_code(contents).to_lowercase();
        for raw in ["<script", "<img", "<b>"] {
            assert!(!prose.contains(raw), "{path} holds a raw {raw} outside code");
        }
    }
    assert!(pages > 40, "a page per operation and model, found {pages}");
    assert_eq!(outside_code("a `<b>` b ``x ` <img> `` c\n```\n<script>\n```\n"), "a  b  c\n");
}

/// The peak resident memory of this process, in KiB, since the last reset.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn current_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A document with `count` operations over a hundred schemas, each with a path parameter, a
/// query parameter, a JSON body and two responses.
fn many_operations(count: usize) -> Value {
    let mut schemas = serde_json::Map::new();
    for index in 0..100 {
        schemas.insert(
            format!("Model{index}"),
            json!({"type": "object", "required": ["id"], "description": format!("Model number {index}."),
                   "properties": {"id": {"type": "string"}, "size": {"type": "integer", "format": "int64"},
                                  "tags": {"type": "array", "items": {"type": "string"}},
                                  "kind": {"type": "string", "enum": ["small", "large"]}}}),
        );
    }
    let mut paths = serde_json::Map::new();
    for index in 0..count {
        let model = format!("#/components/schemas/Model{}", index % 100);
        paths.insert(
            format!("/resource{index}/{{id}}"),
            json!({"post": {
                "operationId": format!("operation{index}"),
                "summary": format!("Operation {index}."),
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                ],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": model}}}},
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": model}}}},
                    "404": {"description": "not found"}
                }
            }}),
        );
    }
    json!({"openapi": "3.1.0", "info": {"title": "Many", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
}

/// Operations generated end to end: all 10,000 in an optimized build
/// (`cargo test --release -p oas-tests --test adversarial_specs`); an unoptimized one formats
/// about ten times slower, so the normal test run generates a tenth and reads and lowers all.
const FULLY_GENERATED: usize = if cfg!(debug_assertions) { 1_000 } else { 10_000 };

#[test]
fn ten_thousand_operations_generate_in_bounded_time_and_memory() {
    // Other tests of this file run on other threads and the peak is the process's, so this
    // measures the growth over what was resident when it started, with room for their share.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = current_rss_kib();
    let started = Instant::now();
    let text = many_operations(10_000).to_string();
    // Kept for the one step the tests leave to a command: `cargo check` of the whole crate (README).
    std::fs::write(xtask::workspace_root().join("target/many-operations.json"), &text).unwrap();
    let document = oas_codegen::load::load_str(&text).unwrap();
    let (model, diagnostics) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
    let lowered = started.elapsed();
    assert_eq!(model.operations.len(), 10_000);
    assert!(diagnostics.is_empty(), "{:?}", diagnostics.first());
    drop((model, document));

    let started = Instant::now();
    let generated = generate(&many_operations(FULLY_GENERATED).to_string(), "many");
    let elapsed = started.elapsed();
    let growth_mib = peak_rss_kib().saturating_sub(before) / 1024;
    let requests = generated.files["src/operations.rs"].matches("pub struct Operation").count();
    assert_eq!(requests, FULLY_GENERATED, "every operation has a request struct");
    assert_eq!(generated.diagnostics.len(), 0);
    eprintln!(
        "10,000 operations read and lowered in {lowered:.1?}; {FULLY_GENERATED} generated in {elapsed:.1?}; peak memory grew by {growth_mib} MiB"
    );
    assert!(lowered < Duration::from_secs(20), "reading and lowering 10,000 operations took {lowered:?}");
    assert!(elapsed < Duration::from_secs(40), "generating {FULLY_GENERATED} operations took {elapsed:?}");
    assert!(growth_mib < 1_500, "10,000 operations took {growth_mib} MiB");
}
