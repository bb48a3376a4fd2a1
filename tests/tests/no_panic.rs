//! No document makes the generator panic: every corpus file, and deliberately broken variants of
//! the feature documents (truncated text, values of the wrong type, dangling references, removed
//! keys). Each either generates (with warnings) or is refused with a load error.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use oas_codegen::{CrateConfig, Dependencies, RuntimeSource};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

fn documents(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            documents(&path, found);
        } else if matches!(path.extension().and_then(|extension| extension.to_str()), Some("yaml" | "json")) {
            found.push(path);
        }
    }
}

/// Generates from `text`; a panic fails the test with `label`.
fn survives(label: &str, text: &str) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let Ok(document) = oas_codegen::load::load_str(text) else { return };
        let config = CrateConfig {
            name: "broken".into(),
            header: "test".into(),
            dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path("../runtime".into()) },
        };
        let _ = oas_tests::generate_crate(&document, &config, false);
    }));
    assert!(outcome.is_ok(), "the generator panicked on {label}");
}

#[test]
fn every_corpus_document_generates_without_panicking() {
    let mut found = Vec::new();
    documents(Path::new(CORPUS), &mut found);
    assert!(found.len() >= 150, "the corpus should hold 160 documents, found {}", found.len());
    for path in found {
        let text = std::fs::read_to_string(&path).unwrap();
        survives(&path.display().to_string(), &text);
    }
}

/// Replaces the value at every `stride`-th node (in a fixed walk order) with `replacement`.
fn replace_nodes(value: &mut Value, counter: &mut usize, stride: usize, replacement: &Value) {
    *counter += 1;
    if *counter % stride == 0 {
        *value = replacement.clone();
        return;
    }
    match value {
        Value::Object(object) => object.values_mut().for_each(|child| replace_nodes(child, counter, stride, replacement)),
        Value::Array(items) => items.iter_mut().for_each(|child| replace_nodes(child, counter, stride, replacement)),
        _ => {}
    }
}

/// Removes every `stride`-th key (keeping the `openapi` version, without which nothing loads).
fn remove_keys(value: &mut Value, counter: &mut usize, stride: usize) {
    match value {
        Value::Object(object) => {
            let keys: Vec<String> = object.keys().cloned().collect();
            for key in keys {
                *counter += 1;
                if *counter % stride == 0 && key != "openapi" {
                    object.remove(&key);
                } else if let Some(child) = object.get_mut(&key) {
                    remove_keys(child, counter, stride);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|child| remove_keys(child, counter, stride)),
        _ => {}
    }
}

#[test]
fn broken_variants_of_the_feature_documents_do_not_panic() {
    let mut found = Vec::new();
    documents(&Path::new(CORPUS).join("features"), &mut found);
    let replacements = [
        Value::Null,
        Value::Bool(true),
        serde_json::json!(-1),
        serde_json::json!("text"),
        serde_json::json!([]),
        serde_json::json!({"$ref": "#/nowhere"}),
        serde_json::json!({"$ref": "#"}),
        serde_json::json!({"allOf": [{"$ref": "#/components"}], "oneOf": [true, false]}),
    ];
    for path in &found {
        let text = std::fs::read_to_string(path).unwrap();
        // The few large feature documents add time, not kinds of breakage.
        if text.len() > 60_000 {
            continue;
        }
        for cut in [text.len() / 3, text.len() / 2, text.len() * 9 / 10] {
            let cut = (0..=cut).rev().find(|index| text.is_char_boundary(*index)).unwrap_or(0);
            survives(&format!("{} cut at byte {cut}", path.display()), &text[..cut]);
        }
        let Ok(document) = oas_codegen::load::load_str(&text) else { continue };
        for (index, replacement) in replacements.iter().enumerate() {
            for stride in [3, 29] {
                let mut broken = document.root.clone();
                let mut counter = 0;
                replace_nodes(&mut broken, &mut counter, stride, replacement);
                if let Some(object) = broken.as_object_mut() {
                    object.insert("openapi".into(), document.root["openapi"].clone());
                }
                survives(&format!("{} with every {stride}th node replaced by variant {index}", path.display()), &broken.to_string());
            }
        }
        for stride in [2, 11] {
            let mut broken = document.root.clone();
            let mut counter = 0;
            remove_keys(&mut broken, &mut counter, stride);
            survives(&format!("{} with every {stride}th key removed", path.display()), &broken.to_string());
        }
    }
}
