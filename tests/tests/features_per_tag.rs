//! `--features-per-tag`: a cargo feature per tag, each compiling its operations and the types
//! only they use. Every feature alone, none, and `full` must compile without a warning, with the
//! server and the client.

use std::path::Path;

use oas_codegen::load::load_file;
use oas_codegen::{CrateConfig, Dependencies, Options, RuntimeSource};

fn config(name: &str) -> CrateConfig {
    CrateConfig {
        name: name.into(),
        header: "Generated for the feature-per-tag tests.".into(),
        dependencies: Dependencies::Standalone {
            runtime: RuntimeSource::Path(xtask::workspace_root().join("runtime").to_string_lossy().into_owned()),
        },
    }
}

fn generate(document: &oas_codegen::load::Document, name: &str) -> oas_codegen::output::FileSet {
    let options = Options { features_per_tag: true, ..Options::default() };
    oas_codegen::generate(document, &options).unwrap().render_crate(&config(name)).unwrap()
}

fn corpus(path: &str) -> oas_codegen::load::Document {
    load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(path)).unwrap()
}

/// The features a manifest declares after `full`.
fn declared_features(manifest: &str) -> Vec<String> {
    let features = &manifest[manifest.find("\nfull = [").expect("a full feature")..];
    features.lines().skip(2).filter_map(|line| line.strip_suffix(" = []").map(str::to_string)).collect()
}

#[test]
fn every_feature_alone_none_and_full_compile_without_warnings() {
    let crates = [("trains", corpus("features/3.1/train-travel.yaml")), ("schema-types", corpus("features/3.0/schema-types.yaml"))];
    let mut files = oas_codegen::output::FileSet::new();
    let mut features = Vec::new();
    for (name, document) in &crates {
        let generated = generate(document, name);
        features.push(declared_features(&generated["Cargo.toml"]));
        files.extend(generated.into_iter().map(|(path, text)| (format!("{name}/{path}"), text)));
    }
    // Some of its schemas no operation uses: they get a feature of their own.
    assert_eq!(features[0], ["stations", "trips", "bookings", "payments", "other-schemas"]);
    assert!(features[1].len() >= 8, "{:?}", features[1]);
    let workspace = oas_tests::Workspace::write("features-per-tag-test", files, &["trains", "schema-types"]);
    for ((name, _), features) in crates.iter().zip(&features) {
        let mut runs: Vec<String> = vec![String::new(), "full".into()];
        runs.extend(features.iter().cloned());
        for feature in runs {
            let enabled = format!("server client {feature}");
            workspace.cargo(&["clippy", "-p", name, "--features", &enabled, "--quiet", "--", "-D", "warnings"]);
        }
    }
}

/// A feature that is off costs nothing to parse: its items are in files rustc does not open.
#[test]
fn the_files_of_a_feature_that_is_off_are_never_read() {
    let mut files = generate(&corpus("features/3.1/train-travel.yaml"), "trains");
    let mut spoiled = 0;
    for module in ["types", "operations"] {
        let parent = files[&format!("src/{module}.rs")].clone();
        for (at, _) in parent.match_indices("#[cfg(feature = \"payments\")]\nmod ") {
            let group = parent[at..].lines().nth(1).unwrap().trim_start_matches("mod ").trim_end_matches(';').to_string();
            let path = format!("src/{module}/{group}.rs");
            assert!(files.contains_key(&path), "{path}");
            files.insert(path, "this is not Rust, and only a compiler that reads it notices".into());
            spoiled += 1;
        }
    }
    assert_eq!(spoiled, 2, "one types file and one operations file of `payments`");
    let files = files.into_iter().map(|(path, text)| (format!("trains/{path}"), text)).collect();
    let workspace = oas_tests::Workspace::write("features-per-tag-unread-test", files, &["trains"]);
    workspace.cargo(&["check", "-p", "trains", "--features", "client stations", "--quiet"]);
}

/// A build script's include file holds the feature groups inline; it compiles with one feature
/// and with all of them, as the crate does.
#[test]
fn the_include_file_compiles_with_one_feature_and_with_all() {
    let options = Options { features_per_tag: true, ..Options::default() };
    let generated = oas_codegen::generate(&corpus("features/3.1/train-travel.yaml"), &options).unwrap();
    let include = generated.render_include();
    assert!(include.contains("    mod group_1 {\n"), "the include file has no feature groups");
    let mut files = generated.render_crate(&config("trains-included")).unwrap();
    files.retain(|path, _| path == "Cargo.toml");
    files.insert("src/lib.rs".into(), "include!(\"generated.rs\");\n".into());
    files.insert("src/generated.rs".into(), include);
    let files = files.into_iter().map(|(path, text)| (format!("trains-included/{path}"), text)).collect();
    let workspace = oas_tests::Workspace::write("features-per-tag-include-test", files, &["trains-included"]);
    for features in ["server client stations", "server client full"] {
        workspace.cargo(&["clippy", "-p", "trains-included", "--features", features, "--quiet", "--", "-D", "warnings"]);
    }
}

const SERVED: &str = r#"
use std::sync::Arc;

use oas_runtime::server::RequestParts;
use trains::*;

/// Refuses every request naming the operation whose handler asked: which handler a request
/// reached is then in the answer.
struct Service;

impl server::Authenticate for Service {
    async fn authenticate(&self, operation_id: &'static str, _: &oas_runtime::security::Credentials) -> Result<(), oas_runtime::security::AuthError> {
        Err(oas_runtime::security::AuthError::Forbidden(format!("reached {operation_id}")))
    }
}

impl server::GetStations for Service {
    async fn get_stations(&self, _: GetStationsRequest, _: RequestParts) -> GetStationsResponse {
        unreachable!("refused before")
    }
}

impl server::CreateBookingPayment for Service {
    async fn create_booking_payment(&self, _: CreateBookingPaymentRequest, _: RequestParts) -> CreateBookingPaymentResponse {
        unreachable!("refused before")
    }
}

#[tokio::test]
async fn each_request_reaches_the_handler_of_its_operation_and_features_off_are_not_served() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { oas_runtime::server::axum::serve(listener, server::router(Arc::new(Service))).await.unwrap() });
    let http = oas_runtime::client::reqwest::Client::new();
    let answer = |method: &str, path: &str| {
        let request = http.request(method.parse().unwrap(), format!("http://{address}{path}")).bearer_auth("token");
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, body) = answer("GET", "/stations").await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("reached get-stations"), "{body}");
    let (status, body) = answer("POST", "/bookings/1725ff48-ab45-4bb5-9d02-88745177dedb/payment").await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("reached create-booking-payment"), "{body}");
    // `trips` and `bookings` are off: their operations are not served.
    assert_eq!(answer("GET", "/trips").await.0, 404);
    assert_eq!(answer("GET", "/bookings").await.0, 404);
}
"#;

/// With only some features on, each request reaches its own operation's handler: the tables of
/// the features that are on are put together at start-up, and dispatch finds each index's
/// feature by their lengths.
#[test]
fn a_server_with_some_features_serves_exactly_their_operations() {
    let mut files = generate(&corpus("features/3.1/train-travel.yaml"), "trains");
    files.insert("tests/served.rs".into(), SERVED.into());
    let manifest = files["Cargo.toml"].clone();
    let manifest = format!("{manifest}\n[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }}\n");
    files.insert("Cargo.toml".into(), manifest);
    let files = files.into_iter().map(|(path, text)| (format!("trains/{path}"), text)).collect();
    let workspace = oas_tests::Workspace::write("features-per-tag-served-test", files, &["trains"]);
    let stdout = workspace.cargo(&["test", "-p", "trains", "--features", "server client stations payments", "--test", "served"]);
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
}

#[test]
fn each_feature_holds_only_its_operations_and_the_types_only_they_use() {
    let files = generate(&corpus("features/3.1/train-travel.yaml"), "trains");
    let client = &files["src/client.rs"];
    let gate_of = |method: &str| {
        let at = client.find(&format!("pub async fn {method}(")).unwrap();
        client[..at].rsplit("#[cfg(").next().unwrap().split(')').next().unwrap().to_string()
    };
    assert_eq!(gate_of("get_stations"), "feature = \"stations\"");
    assert_eq!(gate_of("create_booking"), "feature = \"bookings\"");
    // Types compile in submodules, each in a file of its own behind its features' `#[cfg]`.
    let types = &files["src/types.rs"];
    let gate_of_type = |name: &str| {
        let (path, _) = files
            .iter()
            .find(|(path, text)| path.starts_with("src/types/") && text.contains(&format!("pub struct {name} ")))
            .unwrap_or_else(|| panic!("no {name}"));
        assert!(!types.contains(&format!("pub struct {name} ")), "{name} is in types.rs too");
        let group = path.trim_start_matches("src/types/").trim_end_matches(".rs");
        let before = &types[..types.find(&format!("mod {group};")).expect("a declaration")];
        let item = &before[before.rfind("\n\n").unwrap_or(0)..];
        let item: String = item.split_whitespace().collect();
        item[item.find("#[cfg(").expect("a cfg")..item.rfind(")]").unwrap() + 2].to_string()
    };
    assert_eq!(gate_of_type("Station"), "#[cfg(feature=\"stations\")]");
    // Every tag's operations answer with a problem.
    assert_eq!(gate_of_type("Problem"), "#[cfg(any(feature=\"bookings\",feature=\"payments\",feature=\"stations\",feature=\"trips\"))]");
}

/// Tag names become cargo feature names: kebab-case, made unique, never the crate's own features.
#[test]
fn feature_names_are_unique_and_past_the_limit_grouped_by_first_letter() {
    let document = |tags: &[String]| {
        let dir = std::env::temp_dir().join(format!("oas-features-{}-{}", std::process::id(), tags.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut text = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n");
        for (index, tag) in tags.iter().enumerate() {
            text.push_str(&format!(
                "  /p{index}:\n    get:\n      operationId: op{index}\n      tags: ['{tag}']\n      responses: {{'204': {{description: none}}}}\n"
            ));
        }
        text.push_str("  /none:\n    get:\n      operationId: untaggedOp\n      responses: {'204': {description: none}}\n");
        let path = dir.join("tags.yaml");
        std::fs::write(&path, text).unwrap();
        let loaded = load_file(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        loaded
    };
    let names = |tags: Vec<String>| declared_features(&generate(&document(&tags), "tags")["Cargo.toml"]);
    assert_eq!(
        names(vec!["Pet Store".into(), "pet-store".into(), "server".into(), "full".into()]),
        ["pet-store", "pet-store-2", "server-2", "full-2", "untagged"]
    );
    let many: Vec<String> = (0..320).map(|index| format!("{}tag{index}", ["alpha", "beta", "gamma"][index % 3])).collect();
    assert_eq!(names(many), ["tags-a", "tags-b", "tags-g", "untagged"]);
}
