//! Schemas and formats mapped onto existing Rust types: `--type`, `--format`, and `x-rust-type`
//! when it is turned on. The replaced types are not generated, every use names the given path,
//! the crates they live in reach the manifest, and the server still validates against the schema.

use std::path::Path;

use oas_codegen::load::load_file;
use oas_codegen::overrides::TypeOverrides;
use oas_codegen::{CrateConfig, Dependencies, GenerateError, Options, RuntimeSource};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/overrides/pets.yaml");

fn config() -> CrateConfig {
    CrateConfig {
        name: "provided-pets".into(),
        header: "Generated for the type override tests.".into(),
        dependencies: Dependencies::Standalone {
            runtime: RuntimeSource::Path(xtask::workspace_root().join("runtime").to_string_lossy().into_owned()),
        },
    }
}

fn overrides() -> TypeOverrides {
    TypeOverrides {
        schemas: vec![("Pet".into(), "my_types::Pet".into())],
        formats: vec![("date-time".into(), "my_types::Instant".into())],
        x_rust_type: true,
    }
}

fn generate(types: TypeOverrides, dependencies: Vec<String>) -> Result<oas_codegen::Generated, GenerateError> {
    let document = load_file(Path::new(FIXTURE)).unwrap();
    oas_codegen::generate(&document, &Options { types, dependencies, ..Options::default() })
}

#[test]
fn provided_types_replace_generated_ones_everywhere() {
    let generated = generate(overrides(), vec!["my-types = { path = \"../my-types\" }".into()]).unwrap();
    let files = generated.render_crate(&config()).unwrap();
    let types = &files["src/types.rs"];
    assert!(!types.contains("pub struct Pet ") && !types.contains("pub struct Owner "), "{types}");
    assert!(types.contains("pub pet: my_types::Pet,") && types.contains("pub stored: my_types::Instant,"), "{types}");
    assert!(files["src/operations.rs"].contains("pub body: my_types::Pet,"));
    assert!(files["Cargo.toml"].contains("\nmy-types = { path = \"../my-types\" }\n"), "{}", files["Cargo.toml"]);
    // `Vec<String>` is not a plain path: `Tag` is generated, with a warning at its place.
    assert!(types.contains("pub type Tag = String;"), "{types}");
    let warnings: Vec<String> = generated.warnings().map(|warning| warning.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("[/components/schemas/Tag/x-rust-type]") && warnings[0].contains("not a plain Rust path"), "{warnings:?}");
}

#[test]
fn x_rust_type_is_read_only_when_turned_on() {
    let files = generate(TypeOverrides::default(), Vec::new()).unwrap().render_crate(&config()).unwrap();
    assert!(files["src/types.rs"].contains("pub struct Owner {"));
    assert!(files["src/types.rs"].contains("pub born: ::oas_runtime::DateTime,"));
}

#[test]
fn unknown_schemas_formats_and_bad_paths_are_errors() {
    let error = |types: TypeOverrides, dependencies: Vec<String>| match generate(types, dependencies) {
        Err(GenerateError::Options(message)) => message,
        other => panic!("{:?}", other.map(|generated| generated.diagnostics)),
    };
    let schema = |name: &str, path: &str| TypeOverrides { schemas: vec![(name.into(), path.into())], ..TypeOverrides::default() };
    assert_eq!(
        error(schema("Pets", "my::Pet"), Vec::new()),
        "--type Pets=my::Pet: the document has no schema `Pets` with a type of its own; did you mean `Pet`?"
    );
    assert_eq!(error(schema("Pet", "my::Pet<T>"), Vec::new()), "--type Pet=my::Pet<T>: `my::Pet<T>` is not a plain Rust path");
    let format = TypeOverrides { formats: vec![("email".into(), "my::Email".into())], ..TypeOverrides::default() };
    assert_eq!(error(format, Vec::new()), "--format: `email` has no type of its own to replace; these do: date-time, date, uuid");
    for line in ["[dependencies]", "a = 1\nb = 2", "not toml"] {
        assert!(error(TypeOverrides::default(), vec![line.into()]).contains("not one TOML `name = requirement` line"), "{line:?}");
    }
}

const PROVIDED: &str = r#"
use serde::{Deserialize, Serialize};

/// Lenient on purpose: the server must refuse what the schema refuses, not what this accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pet {
    pub name: Option<String>,
    pub born: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    pub id: String,
}

/// An instant kept as its RFC 3339 text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instant(pub String);
"#;

const END_TO_END: &str = r#"
use std::sync::Arc;

use provided_pets::*;

struct Service;

impl server::AddPet for Service {
    async fn add_pet(&self, request: AddPetRequest, _: oas_runtime::server::RequestParts) -> AddPetResponse {
        AddPetResponse::Created(Stored { pet: request.body, stored: my_types::Instant("2026-01-01T00:00:00Z".into()), tag: None })
    }
}

#[tokio::test]
async fn the_server_validates_against_the_schema_and_the_client_reads_provided_types() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { oas_runtime::server::axum::serve(listener, server::router(Arc::new(Service))).await.unwrap() });
    let client = client::Client::new(format!("http://{address}"), oas_runtime::client::reqwest::Client::new());
    let pet = my_types::Pet { name: Some("Rex".into()), born: Some(my_types::Instant("2020-02-02T00:00:00Z".into())), owner: None };
    let AddPetResponse::Created(stored) = client.add_pet(pet.clone()).await.unwrap();
    assert_eq!((stored.pet, stored.stored.0.as_str()), (pet, "2026-01-01T00:00:00Z"));
    // `my_types::Pet` would take a pet without a name; the schema does not.
    let nameless = my_types::Pet { name: None, born: Some(my_types::Instant("2020-02-02T00:00:00Z".into())), owner: None };
    match client.add_pet(nameless).await {
        Err(oas_runtime::client::ClientError::UndocumentedStatus { status, .. }) => assert_eq!(status, 400),
        other => panic!("{other:?}"),
    }
}
"#;

#[test]
fn a_crate_with_provided_types_compiles_and_serves() {
    let generated = generate(overrides(), vec!["my-types = { path = \"../my-types\" }".into()]).unwrap();
    let mut files = generated.render_crate(&config()).unwrap();
    files.insert("tests/end_to_end.rs".into(), END_TO_END.into());
    let manifest = files["Cargo.toml"].clone();
    files.insert(
        "Cargo.toml".into(),
        format!("{manifest}\n[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }}\n"),
    );
    let mut workspace: oas_codegen::output::FileSet = files.into_iter().map(|(path, text)| (format!("provided-pets/{path}"), text)).collect();
    workspace.insert(
        "my-types/Cargo.toml".into(),
        "[package]\nname = \"my-types\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n".into(),
    );
    workspace.insert("my-types/src/lib.rs".into(), PROVIDED.into());
    let workspace = oas_tests::Workspace::write("overrides-crate-test", workspace, &["provided-pets", "my-types"]);
    workspace.cargo(&["clippy", "--workspace", "--all-features", "--quiet", "--", "-D", "warnings"]);
    let stdout = workspace.cargo(&["test", "-p", "provided-pets", "--all-features", "--test", "end_to_end"]);
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
}
