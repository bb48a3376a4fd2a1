//! OpenAPI 3.2 read natively, one fixture per feature: the `query` method and
//! `additionalOperations` (lowered like any other operation, and served and called end to end),
//! `$self` as the base URI of references, `itemSchema`/`itemEncoding`, tag nesting, the new
//! security scheme fields, and the fields read past with an info note. Every fixture's crate
//! compiles without a clippy warning.

use std::path::{Path, PathBuf};

use oas_codegen::diagnostics::Severity;
use oas_codegen::ir::{Method, Model, Ty, TypeKind};
use oas_codegen::load::{load_file, Version, Written};
use oas_codegen::{output, CrateConfig, Dependencies, RuntimeSource};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/openapi-3.2/query.yaml");

/// Every fixture, by the crate name it is generated as.
const FIXTURES: &[(&str, &str)] = &[
    ("search", "query.yaml"),
    ("self-base", "self/openapi.yaml"),
    ("streams", "item-schema.yaml"),
    ("tags", "tags.yaml"),
    ("security", "security.yaml"),
    ("new-fields", "new-fields.yaml"),
];

fn fixture(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/openapi-3.2").join(file)
}

/// The fixture lowered, and its diagnostics rendered as lines.
fn lowered(file: &str) -> (Model, Vec<oas_codegen::diagnostics::Diagnostic>) {
    let document = load_file(&fixture(file)).unwrap_or_else(|error| panic!("{file}: {error}"));
    assert_eq!(document.written, Written::OpenApi3_2);
    oas_codegen::lower_document(&document, &oas_codegen::Options::default())
}

fn config(name: &str) -> CrateConfig {
    CrateConfig {
        name: name.to_string(),
        header: "Generated for the OpenAPI 3.2 tests.".into(),
        dependencies: Dependencies::Standalone {
            runtime: RuntimeSource::Path(xtask::workspace_root().join("runtime").to_string_lossy().into_owned()),
        },
    }
}

fn type_named<'m>(model: &'m Model, ty: &Ty) -> &'m str {
    match ty {
        Ty::Named(id) => &model.space.get(*id).name,
        other => panic!("expected a named type, got {other:?}"),
    }
}

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

/// Every fixture generates into one workspace, which passes clippy with `-D warnings`; then the
/// `query` fixture's server and client talk over loopback.
#[test]
fn every_fixture_compiles_and_query_and_extra_methods_are_served_and_called() {
    let mut files = output::FileSet::new();
    for (name, file) in FIXTURES {
        let document = load_file(&fixture(file)).unwrap();
        let mut generated = oas_tests::generate_crate(&document, &config(name), false).unwrap();
        if *name == "search" {
            generated.files.insert("tests/end_to_end.rs".into(), END_TO_END.into());
            let manifest = generated.files.get("Cargo.toml").unwrap().clone();
            let manifest =
                format!("{manifest}\n[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }}\n");
            generated.files.insert("Cargo.toml".into(), manifest);
        }
        files.extend(generated.files.into_iter().map(|(path, text)| (format!("{name}/{path}"), text)));
    }
    let members: Vec<&str> = FIXTURES.iter().map(|(name, _)| *name).collect();
    let workspace = oas_tests::Workspace::write("openapi-3-2-crate-test", files, &members);
    workspace.cargo(&["clippy", "--workspace", "--all-features", "--quiet", "--", "-D", "warnings"]);
    let stdout = workspace.cargo(&["test", "-p", "search", "--all-features", "--test", "end_to_end"]);
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
}

#[test]
fn self_is_the_base_uri_of_references() {
    let document = load_file(&fixture("self/openapi.yaml")).unwrap();
    let read: Vec<String> = document.files().iter().map(|file| file.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(read, ["openapi.yaml", "foo.yaml"]);
    let (model, diagnostics) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let body = model.operations[0].body.as_ref().expect("the request body is found through `$self`");
    let foo = type_named(&model, body.contents[0].ty.as_ref().unwrap());
    assert_eq!(foo, "Foo");
    // `bar` is resolved against the `$id` of `Foo`, which names `Bar` by its own `$id`.
    let Some(definition) = model.space.types.iter().find(|definition| definition.name == "Foo") else { panic!("no Foo") };
    let TypeKind::Struct(foo) = &definition.kind else { panic!("Foo is {:?}", definition.kind) };
    assert_eq!(type_named(&model, &foo.fields[0].ty), "Bar");
}

/// A `$self` stands for the document's folder and nothing above it: a reference that climbs
/// out of it, even spelled to look as if it stays beside `$self`, is refused as any other would
/// be, and so is one to the network.
#[test]
fn self_does_not_open_a_way_out_of_the_folder() {
    let dir = std::env::temp_dir().join(format!("oas-self-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join("secret.yaml"), "type: string\n").unwrap();
    let spec = dir.join("api/openapi.yaml");
    for (reference, flag) in [
        ("../secret", "--allow-remote-refs"),
        ("..%2fsecret.yaml", "--allow-refs-outside"),
        ("https://example.com/secret.yaml", "--allow-remote-refs"),
    ] {
        let text = format!(
            "openapi: 3.2.0\n$self: https://example.com/api/openapi\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S: {{$ref: '{reference}'}}\n"
        );
        std::fs::write(&spec, text).unwrap();
        let error = load_file(&spec).err().unwrap_or_else(|| panic!("`{reference}` is followed"));
        assert!(error.to_string().contains(flag), "{reference}: {error}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn item_schemas_and_media_type_components_are_in_the_model() {
    let (model, diagnostics) = lowered("item-schema.yaml");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let content = |id: &str| {
        let operation = model.operations.iter().find(|operation| operation.id == id).unwrap();
        let body = operation.body.iter().flat_map(|body| &body.contents);
        body.chain(operation.responses.iter().flat_map(|response| &response.contents)).next().unwrap().clone()
    };
    let events = content("watchEvents");
    assert_eq!((events.ty.as_ref(), type_named(&model, events.item_ty.as_ref().unwrap())), (None, "WatchEventsOkBodyItem"));
    let lines = content("exportLines");
    assert_eq!(type_named(&model, lines.item_ty.as_ref().unwrap()), "Record");
    assert_eq!(lines.pointer, "/components/mediaTypes/Records");
    let oas_codegen::ir::Examples::Named(examples) = &lines.examples else { panic!("{:?}", lines.examples) };
    assert_eq!(examples[0].value.as_deref(), Some(&serde_json::json!({"id": 1, "name": "one"})), "`dataValue` is the example's value");
    let parts = content("uploadParts");
    assert_eq!((parts.item_ty, parts.item_content_type.as_deref()), (Some(Ty::String), Some("application/octet-stream")));
}

#[test]
fn tags_nest_under_their_parent_in_the_docs() {
    let (model, diagnostics) = lowered("tags.yaml");
    let parents: Vec<(&str, Option<&str>)> = model.tags.iter().map(|tag| (tag.name.as_str(), tag.parent.as_deref())).collect();
    assert_eq!(parents, [("store", None), ("pets", Some("store")), ("cats", Some("pets")), ("loop", None), ("orphan", None)]);
    assert_eq!(model.tag_path("cats"), ["store", "pets", "cats"]);
    let warned: Vec<&str> =
        diagnostics.iter().filter(|diagnostic| diagnostic.severity == Severity::Warning).map(|diagnostic| diagnostic.pointer.as_str()).collect();
    assert_eq!(warned, ["/tags/3/parent", "/tags/4/parent"]);
    let document = load_file(&fixture("tags.yaml")).unwrap();
    let generated = oas_codegen::generate(&document, &oas_codegen::Options::default()).unwrap();
    let files = generated.render_crate(&config("tags")).unwrap();
    let index = &files["docs/README.md"];
    let headings: Vec<&str> = index.lines().filter(|line| line.starts_with("### ")).collect();
    // The operations are listed cats, pets, store; the groups follow the nesting instead.
    assert_eq!(headings, ["### store", "### store › pets", "### store › pets › cats"]);
    assert!(index.contains("Everything for sale."), "{index}");
}

#[test]
fn a_deprecated_security_scheme_deprecates_its_setter() {
    let (model, diagnostics) = lowered("security.yaml");
    let deprecated: Vec<(&str, bool)> = model.security_schemes.iter().map(|scheme| (scheme.name.as_str(), scheme.deprecated)).collect();
    assert_eq!(deprecated, [("oldKey", true), ("oauth", false)]);
    let notes: Vec<&str> =
        diagnostics.iter().filter(|diagnostic| diagnostic.severity == Severity::Info).map(|diagnostic| diagnostic.pointer.as_str()).collect();
    assert_eq!(notes, ["/components/securitySchemes/oauth/oauth2MetadataUrl", "/components/securitySchemes/oauth/flows/deviceAuthorization"]);
    let document = load_file(&fixture("security.yaml")).unwrap();
    let generated = oas_codegen::generate(&document, &oas_codegen::Options::default()).unwrap();
    let client = &generated.render_crate(&config("security")).unwrap()["src/client.rs"];
    let setter = client.find("pub fn with_old_key(").expect("an API key setter");
    assert!(client[..setter].rsplit("///").next().unwrap().contains("#[deprecated"), "{client}");
    let bearer = client.find("pub fn with_bearer_token").expect("a bearer setter");
    assert!(!client[..bearer].rsplit("///").next().unwrap().contains("#[deprecated"), "{client}");
}

/// Fields nothing generated uses are notes, which `--deny-warnings` lets through.
#[test]
fn unused_new_fields_are_info_notes_that_never_fail_a_run() {
    let (_, diagnostics) = lowered("new-fields.yaml");
    let notes: Vec<(Severity, &str)> = diagnostics.iter().map(|diagnostic| (diagnostic.severity, diagnostic.pointer.as_str())).collect();
    assert_eq!(
        notes,
        [
            (Severity::Info, "/servers/0/name"),
            (Severity::Info, "/paths/~1shapes/post/requestBody/content/multipart~1mixed/prefixEncoding"),
            (Severity::Info, "/paths/~1shapes/post/requestBody/content/application~1json/examples/circle/serializedValue"),
            (Severity::Info, "/paths/~1shapes/post/responses/204/summary"),
            (Severity::Info, "/components/schemas/Shape/discriminator/defaultMapping"),
        ]
    );
    let document = load_file(&fixture("new-fields.yaml")).unwrap();
    let options = oas_codegen::Options { deny_warnings: true, ..oas_codegen::Options::default() };
    let generated = oas_codegen::generate(&document, &options).expect("notes are not warnings");
    assert!(generated.warnings().next().is_none());
}
