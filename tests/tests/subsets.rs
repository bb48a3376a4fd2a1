//! Generating part of an API (`--tags`, `--operations`, `--exclude-tags`, `--exclude-operations`):
//! only the chosen operations and the types they reach, each type written exactly as the whole
//! document's crate writes it, with the embedded document and the docs narrowed to match.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use oas_codegen::load::load_file;
use oas_codegen::subset::Subset;
use oas_codegen::{CrateConfig, Dependencies, GenerateError, Options, RuntimeSource};
use serde_json::Value;

fn corpus(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(path)
}

fn config(name: &str) -> CrateConfig {
    CrateConfig {
        name: name.into(),
        header: "Generated for the subset tests.".into(),
        dependencies: Dependencies::Standalone {
            runtime: RuntimeSource::Path(xtask::workspace_root().join("runtime").to_string_lossy().into_owned()),
        },
    }
}

fn generate(path: &str, subset: Subset) -> Result<oas_codegen::output::FileSet, GenerateError> {
    let document = load_file(&corpus(path)).unwrap();
    let generated = oas_codegen::generate(&document, &Options { subset, ..Options::default() })?;
    generated.render_crate(&config("subset"))
}

/// The top-level items of a formatted module: each starts at the first column after a blank line.
fn items(module: &str) -> BTreeSet<String> {
    let mut items = BTreeSet::new();
    let mut current = String::new();
    for line in module.lines() {
        let starts_item = !line.is_empty() && !line.starts_with([' ', '}', ')', ']']) && current.ends_with("\n\n");
        if starts_item {
            items.insert(std::mem::take(&mut current).trim_end().to_string());
        }
        current.push_str(line);
        current.push('\n');
    }
    items.insert(current.trim_end().to_string());
    items
}

/// The operationIds the generated client has a method for.
fn client_methods(files: &oas_codegen::output::FileSet) -> Vec<String> {
    let client = &files["src/client.rs"];
    client.lines().filter_map(|line| line.trim().strip_prefix("/// `")?.split('`').next().map(str::to_string)).collect()
}

fn embedded_document(files: &oas_codegen::output::FileSet) -> Value {
    let module = &files["src/openapi_document.rs"];
    let raw = &module[module.find("OPENAPI_JSON: &str = r").expect("the document as a raw string") + "OPENAPI_JSON: &str = r".len()..];
    let hashes = raw.chars().take_while(|c| *c == '#').count();
    let text = &raw[hashes + 1..];
    let end = text.find(&format!("\"{}", "#".repeat(hashes))).unwrap();
    serde_json::from_str(&text[..end]).unwrap_or_else(|error| panic!("the embedded document is JSON: {error}"))
}

#[test]
fn a_tag_subset_keeps_its_operations_and_writes_each_shared_type_as_the_whole_crate_does() {
    let full = generate("features/3.1/train-travel.yaml", Subset::default()).unwrap();
    let subset = generate("features/3.1/train-travel.yaml", Subset { tags: vec!["Stations".into(), "Trips".into()], ..Subset::default() }).unwrap();
    assert_eq!(client_methods(&subset), ["get-stations", "get-trips"]);
    let full_types = items(&full["src/types.rs"]);
    let subset_types = items(&subset["src/types.rs"]);
    assert!(subset_types.len() < full_types.len(), "nothing was left out");
    let differing: Vec<&String> = subset_types.iter().filter(|item| !full_types.contains(*item)).collect();
    assert!(differing.is_empty(), "written differently in the subset: {differing:#?}");
    // Bookings' and payments' types are gone; a type both sides use stays.
    assert!(!subset["src/types.rs"].contains("pub struct Booking "), "{}", subset["src/types.rs"]);
    assert!(subset["src/types.rs"].contains("pub struct Station "));

    let document = embedded_document(&subset);
    let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/stations", "/trips"]);
    let tags: Vec<&str> = document["tags"].as_array().unwrap().iter().map(|tag| tag["name"].as_str().unwrap()).collect();
    assert_eq!(tags, ["Stations", "Trips"]);
    assert!(document.get("webhooks").is_none_or(|webhooks| webhooks.as_object().is_some_and(|webhooks| webhooks.is_empty())));
    let schemas = document["components"]["schemas"].as_object().unwrap();
    assert!(schemas.contains_key("Station") && !schemas.contains_key("Booking"), "{:?}", schemas.keys().collect::<Vec<_>>());
    // The docs shrink with it.
    assert!(!subset["docs/README.md"].contains("create-booking"));
    assert!(full["docs/README.md"].contains("create-booking"));
}

#[test]
fn operations_and_exclusions_combine() {
    let subset = Subset { operations: vec!["create-booking".into(), "new-booking".into()], ..Subset::default() };
    let files = generate("features/3.1/train-travel.yaml", subset).unwrap();
    assert_eq!(client_methods(&files), ["create-booking"]);
    // The webhook is kept too, on its own side.
    assert!(files["src/webhooks.rs"].contains("new_booking"));
    let subset =
        Subset { exclude_tags: vec!["Payments".into(), "Bookings".into()], exclude_operations: vec!["get-trips".into()], ..Subset::default() };
    let files = generate("features/3.1/train-travel.yaml", subset).unwrap();
    assert_eq!(client_methods(&files), ["get-stations"]);
    assert!(!files.contains_key("src/webhooks.rs"));
}

#[test]
fn unknown_names_and_empty_subsets_are_errors_with_a_suggestion() {
    let error = |subset: Subset| match generate("features/3.1/train-travel.yaml", subset) {
        Err(GenerateError::Options(message)) => message,
        other => panic!("{:?}", other.map(|files| files.len())),
    };
    assert_eq!(
        error(Subset { tags: vec!["Station".into()], ..Subset::default() }),
        "--tags: the document has no tag `Station`; did you mean `Stations`?"
    );
    assert_eq!(
        error(Subset { exclude_operations: vec!["get-statins".into()], ..Subset::default() }),
        "--exclude-operations: the document has no operationId `get-statins`; did you mean `get-stations`?"
    );
    assert_eq!(
        error(Subset { operations: vec!["nothing-like-it".into()], ..Subset::default() }),
        "--operations: the document has no operationId `nothing-like-it`"
    );
    let everything_excluded =
        Subset { exclude_tags: vec!["Stations".into(), "Trips".into(), "Bookings".into(), "Payments".into()], ..Subset::default() };
    assert_eq!(error(everything_excluded), "the subset chooses no operation");
}

/// A subset crate of a larger document compiles without a clippy warning: nothing it keeps
/// names a type it left out, and nothing is left unused.
#[test]
fn subset_crates_compile_without_warnings() {
    let mut files = oas_codegen::output::FileSet::new();
    let subsets = [
        ("train-stations", "features/3.1/train-travel.yaml", Subset { tags: vec!["Stations".into()], ..Subset::default() }),
        (
            "schema-arrays",
            "features/3.1/schema-types.yaml",
            Subset { tags: vec!["Arrays".into(), "Circular references".into()], ..Subset::default() },
        ),
        ("schema-no-objects", "features/3.0/schema-types.yaml", Subset { exclude_tags: vec!["Objects".into()], ..Subset::default() }),
    ];
    for (name, path, subset) in &subsets {
        let document = load_file(&corpus(path)).unwrap();
        let generated = oas_codegen::generate(&document, &Options { subset: subset.clone(), ..Options::default() }).unwrap();
        let crate_files = generated.render_crate(&config(name)).unwrap();
        files.extend(crate_files.into_iter().map(|(file, text)| (format!("{name}/{file}"), text)));
    }
    let members: Vec<&str> = subsets.iter().map(|(name, _, _)| *name).collect();
    let workspace = oas_tests::Workspace::write("subset-crate-test", files, &members);
    workspace.cargo(&["clippy", "--workspace", "--all-features", "--quiet", "--", "-D", "warnings"]);
}
