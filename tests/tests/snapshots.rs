//! Snapshots of the Rust types generated for the project's own spec and for a selection of the
//! feature corpus, together with the warnings each one produces.
//!
//! The corpus files are chosen so that each one stresses a different part of the lowering
//! (discriminators, recursion, enums, every primitive type in 3.0 and 3.1, additionalProperties,
//! read/write-only and deprecated fields, nesting, parameter styles, several media types,
//! webhooks, a large realistic document). A change to any of them shows up in review as a diff of
//! the generated code rather than only as a passing or failing compile.

use std::path::Path;

use oas_codegen::{CrateConfig, Dependencies, RuntimeSource};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/features");
const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");

/// Generates the crate for `path` and snapshots its `src/types.rs` and its diagnostics under
/// `name`. The diagnostics get their own snapshot so a new warning is reviewed even when the
/// types did not change.
fn check(path: &str, name: &str) {
    let document = oas_codegen::load::load_file(Path::new(path)).unwrap_or_else(|error| panic!("{error}"));
    let config = CrateConfig {
        name: "snapshot".into(),
        header: "Snapshot test output.".into(),
        dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path("../runtime".into()) },
    };
    let generated = oas_tests::generate_crate(&document, &config, false).unwrap_or_else(|error| panic!("generation failed for {path}: {error}"));
    let types = generated.files.get("src/types.rs").unwrap_or_else(|| panic!("no src/types.rs generated for {path}"));

    // Rendered with Display, because that is the text a user reads on the terminal.
    let diagnostics = if generated.diagnostics.is_empty() {
        "(no diagnostics)\n".to_string()
    } else {
        generated.diagnostics.iter().map(|diagnostic| format!("{diagnostic}\n")).collect()
    };

    insta::assert_snapshot!(format!("{name}_types"), types);
    insta::assert_snapshot!(format!("{name}_diagnostics"), diagnostics);
}

/// One test per corpus file, named after its stem and OpenAPI version, so a failure names the
/// document and each snapshot can be accepted on its own.
macro_rules! corpus_snapshots {
    ($($test:ident => $version:literal / $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check(&format!("{CORPUS}/{}/{}", $version, $file), stringify!($test));
            }
        )*
    };
}

#[test]
fn orchestrator_spec() {
    check(SPEC, "orchestrator_spec");
}

corpus_snapshots! {
    discriminators_3_0 => "3.0" / "discriminators.yaml",
    polymorphism_3_0 => "3.0" / "polymorphism.yaml",
    circular_3_0 => "3.0" / "circular.yaml",
    schema_circular_3_0 => "3.0" / "schema-circular.yaml",
    schema_enums_3_0 => "3.0" / "schema-enums.yaml",
    schema_types_3_0 => "3.0" / "schema-types.yaml",
    schema_types_3_1 => "3.1" / "schema-types.yaml",
    schema_additional_properties_3_0 => "3.0" / "schema-additional-properties.yaml",
    schema_deprecated_3_0 => "3.0" / "schema-deprecated.yaml",
    schema_visibility_3_0 => "3.0" / "schema-visibility.yaml",
    complex_nesting_3_0 => "3.0" / "complex-nesting.yaml",
    parameters_style_3_0 => "3.0" / "parameters-style.yaml",
    response_multiple_mediatypes_3_0 => "3.0" / "response-multiple-mediatypes.yaml",
    webhooks_3_1 => "3.1" / "webhooks.yaml",
    train_travel_3_1 => "3.1" / "train-travel.yaml",
    petstore_3_0 => "3.0" / "petstore.yaml",
}

/// Snapshots of the generated operation types and server module, for the Orchestrator spec and
/// for documents with several media types, parameter styles and response headers.
fn check_server(path: &str, name: &str) {
    let document = oas_codegen::load::load_file(Path::new(path)).unwrap_or_else(|error| panic!("{error}"));
    let config = CrateConfig {
        name: "snapshot".into(),
        header: "Snapshot test output.".into(),
        dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path("../runtime".into()) },
    };
    let generated = oas_tests::generate_crate(&document, &config, false).unwrap_or_else(|error| panic!("generation failed for {path}: {error}"));
    for file in ["operations", "server", "client"] {
        let text = generated.files.get(&format!("src/{file}.rs")).unwrap_or_else(|| panic!("no src/{file}.rs generated for {path}"));
        insta::assert_snapshot!(format!("{name}_{file}"), text);
    }
}

#[test]
fn orchestrator_spec_server() {
    check_server(SPEC, "orchestrator_spec");
}

#[test]
fn parameters_style_server() {
    check_server(&format!("{CORPUS}/3.1/parameters-style.yaml"), "parameters_style_3_1");
}

#[test]
fn multiple_media_types_server() {
    check_server(&format!("{CORPUS}/3.0/response-multiple-mediatypes.yaml"), "response_multiple_mediatypes_3_0");
}

/// The file a build script includes, for a document with webhooks: the same modules as the crate
/// layout, the receiver of the webhooks among them, each inline.
#[test]
fn build_script_include_file_with_webhooks() {
    let out = std::env::temp_dir().join(format!("oas-include-snapshot-{}", std::process::id()));
    let summary = oas_codegen::builder::Builder::new(format!("{CORPUS}/3.1/webhooks.yaml"))
        .server(true)
        .client(true)
        .out_dir(&out)
        .generate()
        .unwrap_or_else(|error| panic!("{error}"));
    let text = std::fs::read_to_string(&summary.path).expect("the include file is written");
    std::fs::remove_dir_all(&out).expect("the scratch folder is removed");
    assert!(text.contains("\npub mod webhooks {\n"), "{text}");
    syn::parse_file(&text).expect("the include file parses");
    insta::assert_snapshot!("webhooks_3_1_include_file", text);
}
