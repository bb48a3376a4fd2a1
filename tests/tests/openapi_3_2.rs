//! OpenAPI 3.2 read natively: the `query` method and `additionalOperations` are lowered like any
//! other operation, and a generated server and client speak them end to end.

use std::path::Path;
use std::process::Command;

use oas_codegen::ir::Method;
use oas_codegen::load::{load_file, Version, Written};
use oas_codegen::{output, CrateConfig, Dependencies, RuntimeSource};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/openapi-3.2/query.yaml");

#[test]
fn query_and_additional_operations_are_operations() {
    let document = load_file(Path::new(FIXTURE)).unwrap();
    assert_eq!((document.written, document.version), (Written::OpenApi3_2, Version::V3_1));
    let (model, diagnostics) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
    let methods: Vec<(&str, &Method)> = model.operations.iter().map(|operation| (operation.id.as_str(), &operation.method)).collect();
    assert_eq!(methods, [("searchItems", &Method::Query), ("purgeItems", &Method::Other("PURGE".into()))]);
    let rendered: Vec<String> = diagnostics.iter().map(|diagnostic| diagnostic.to_string()).collect();
    assert!(
        rendered.iter().any(|line| line.contains("[/paths/~1items/additionalOperations/BAD METHOD]") && line.contains("RFC 9110 token")),
        "{rendered:?}"
    );
    assert!(rendered.iter().any(|line| line.contains("[/paths/~1items/additionalOperations/get]") && line.contains("fixed field")), "{rendered:?}");
}

const END_TO_END: &str = r#"
use std::sync::Arc;

use search::*;

struct Service;

impl server::SearchItems for Service {
    async fn search_items(&self, request: SearchItemsRequest, _: oas_runtime::server::RequestParts) -> SearchItemsResponse {
        SearchItemsResponse::Ok(vec![format!("found {}", request.body.text)])
    }
}

impl server::PurgeItems for Service {
    async fn purge_items(&self, _: PurgeItemsRequest, _: oas_runtime::server::RequestParts) -> PurgeItemsResponse {
        PurgeItemsResponse::NoContent
    }
}

#[tokio::test]
async fn query_and_purge_are_served_and_called() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { oas_runtime::server::axum::serve(listener, server::router(Arc::new(Service))).await.unwrap() });
    let client = client::Client::new(format!("http://{address}"), oas_runtime::client::reqwest::Client::new());
    let found = client.search_items(SearchItemsRequestBody { text: "pens".into() }).await.unwrap();
    assert_eq!(found, SearchItemsResponse::Ok(vec!["found pens".to_string()]));
    assert_eq!(client.purge_items().await.unwrap(), PurgeItemsResponse::NoContent);
    // The method is on the wire as written: a plain GET finds no operation there.
    let plain = oas_runtime::client::reqwest::Client::new().get(format!("http://{address}/items")).send().await.unwrap();
    assert_eq!(plain.status().as_u16(), 405);
}
"#;

#[test]
fn a_generated_server_and_client_speak_query_and_extra_methods() {
    let root = xtask::workspace_root();
    let document = load_file(Path::new(FIXTURE)).unwrap();
    let config = CrateConfig {
        name: "search".into(),
        header: "Generated for the OpenAPI 3.2 tests.".into(),
        dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path(root.join("runtime").to_string_lossy().into_owned()) },
    };
    let mut generated = oas_tests::generate_crate(&document, &config, false).unwrap();
    generated.files.insert("tests/end_to_end.rs".into(), END_TO_END.into());
    let manifest = generated.files.get("Cargo.toml").unwrap().clone();
    // A workspace of its own, so cargo does not look for one in the repository around it.
    let manifest = format!(
        "{manifest}\n[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }}\n\n[workspace]\n"
    );
    generated.files.insert("Cargo.toml".into(), manifest);
    let dir = root.join("target/openapi-3-2-crate-test");
    output::write_tree(&dir, &generated.files, &|path| path.starts_with("target/") || path == "Cargo.lock").unwrap();
    // The repository's lock file keeps dependency versions those of the shared target folder.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let run = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--all-features", "--test", "end_to_end"])
        .current_dir(&dir)
        // The corpus tests' target folder: the runtime and its dependencies are built there already.
        .env("CARGO_TARGET_DIR", root.join("target/corpus"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
}
