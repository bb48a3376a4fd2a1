//! Streaming bodies: which media types stream and with what item type (the model), and the
//! streams fixture's generated server and client talking over loopback (the end-to-end tests
//! in `fixtures/streaming/e2e`, run inside the generated crate).

use std::path::{Path, PathBuf};

use oas_codegen::ir::{Content, Model, Stream, Ty};
use oas_codegen::load::load_file;
use oas_codegen::{CrateConfig, Dependencies, RuntimeSource};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(path)
}

fn lowered(path: &str) -> Model {
    let document = load_file(&fixture(path)).unwrap_or_else(|error| panic!("{path}: {error}"));
    let (model, diagnostics) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
    assert!(diagnostics.iter().all(|diagnostic| diagnostic.severity != oas_codegen::diagnostics::Severity::Warning), "{diagnostics:?}");
    model
}

/// The first response content of `operation` with a body, or its request body's.
fn content<'m>(model: &'m Model, operation: &str, request: bool) -> &'m Content {
    let operation = model.operations.iter().find(|found| found.id == operation).unwrap_or_else(|| panic!("no {operation}"));
    if request {
        return &operation.body.as_ref().unwrap().contents[0];
    }
    operation.responses.iter().flat_map(|response| &response.contents).next().unwrap()
}

fn named(model: &Model, ty: &Ty) -> String {
    match ty {
        Ty::Named(id) => model.space.get(*id).name.clone(),
        other => format!("{other:?}"),
    }
}

/// What a content streams as, with type names spelled out.
fn stream_of(model: &Model, content: &Content) -> Option<String> {
    Some(match content.stream.as_ref()? {
        Stream::Events { data, .. } => format!("events of {}", data.as_ref().map_or("text".into(), |data| named(model, data))),
        Stream::Lines { item, framing } => format!("{framing:?} of {}", named(model, item)),
        Stream::Bytes => "bytes".into(),
    })
}

#[test]
fn streaming_media_types_and_their_items_are_in_the_model() {
    let model = lowered("streaming/streams.yaml");
    let streams: Vec<(&str, Option<String>, Option<&str>)> = [
        ("watchTicks", false),
        ("followLog", false),
        ("exportJsonl", false),
        ("exportNdjson", false),
        ("exportJsonSeq", false),
        ("downloadBlob", false),
        ("uploadBlob", true),
        ("getThumbnail", false),
    ]
    .into_iter()
    .map(|(id, request)| {
        let content = content(&model, id, request);
        (id, stream_of(&model, content), content.item_schema_pointer.as_deref())
    })
    .collect();
    assert_eq!(
        streams,
        [
            ("watchTicks", Some("events of Tick".into()), Some("/paths/~1ticks/get/responses/200/content/text~1event-stream/schema")),
            ("followLog", Some("events of text".into()), Some("/paths/~1log/get/responses/200/content/text~1event-stream/schema")),
            ("exportJsonl", Some("Lines of Tick".into()), Some("/paths/~1ticks.jsonl/get/responses/200/content/application~1jsonl/schema")),
            // An array schema is the whole body: each line is one of its items.
            (
                "exportNdjson",
                Some("Lines of Tick".into()),
                Some("/paths/~1ticks.ndjson/get/responses/200/content/application~1x-ndjson/schema/items")
            ),
            ("exportJsonSeq", Some("JsonSeq of Tick".into()), Some("/paths/~1ticks.json-seq/get/responses/200/content/application~1json-seq/schema")),
            ("downloadBlob", Some("bytes".into()), None),
            ("uploadBlob", Some("bytes".into()), None),
            // A small `maxLength` keeps a binary body whole.
            ("getThumbnail", None, None),
        ]
    );
}

/// OpenAPI 3.2's `itemSchema` of an event stream describes the whole event; its `data` is the
/// item. A `Last-Event-ID` header parameter is added unless the document declares it.
#[test]
fn an_item_schema_describes_each_event_and_lines_item() {
    let model = lowered("openapi-3.2/item-schema.yaml");
    let events = content(&model, "watchEvents", false);
    assert_eq!(stream_of(&model, events).as_deref(), Some("events of text"));
    assert_eq!(
        events.item_schema_pointer.as_deref(),
        Some("/paths/~1events/get/responses/200/content/text~1event-stream/itemSchema/properties/data")
    );
    let lines = content(&model, "exportLines", false);
    assert_eq!(stream_of(&model, lines).as_deref(), Some("Lines of Record"));
    assert_eq!(lines.item_schema_pointer.as_deref(), Some("/components/mediaTypes/Records/itemSchema"));
    let watch = model.operations.iter().find(|operation| operation.id == "watchEvents").unwrap();
    let headers: Vec<(&str, &str, bool)> =
        watch.parameters.iter().map(|parameter| (parameter.name.as_str(), parameter.rust_name.as_str(), parameter.required)).collect();
    assert_eq!(headers, [("Last-Event-ID", "last_event_id", false)]);
    assert!(model.operations.iter().filter(|operation| operation.id != "watchEvents").all(|operation| operation.parameters.is_empty()));
}

#[test]
fn a_declared_last_event_id_is_not_added_again() {
    let dir = std::env::temp_dir().join(format!("oas-last-event-id-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("events.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /e:\n    get:\n      parameters:\n        - {name: last-event-id, in: header, schema: {type: integer}}\n      responses:\n        '200':\n          description: events\n          content:\n            text/event-stream:\n              schema: {type: object}\n",
    )
    .unwrap();
    let document = load_file(&spec).unwrap();
    let (model, _) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
    let names: Vec<&str> = model.operations[0].parameters.iter().map(|parameter| parameter.name.as_str()).collect();
    assert_eq!(names, ["last-event-id"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The generated crate passes clippy with `-D warnings`, and its server and client stream over
/// loopback: server-sent events and each JSON-lines media type in lock step with the test,
/// reconnection, the item limit, checked items, a client that goes away, binary up- and
/// downloads.
#[test]
fn the_generated_server_and_client_stream_end_to_end() {
    let document = load_file(&fixture("streaming/streams.yaml")).unwrap();
    let config = CrateConfig {
        // Not `streams`: the OpenAPI 3.2 tests build a crate of that name into the same target folder.
        name: "streaming-fixture".into(),
        header: "Generated for the streaming tests.".into(),
        dependencies: Dependencies::Standalone {
            runtime: RuntimeSource::Path(xtask::workspace_root().join("runtime").to_string_lossy().into_owned()),
        },
    };
    let mut generated = oas_tests::generate_crate(&document, &config, true).unwrap();
    let tests = std::fs::read_to_string(fixture("streaming/e2e/end_to_end.rs")).unwrap();
    generated.files.insert("tests/end_to_end.rs".into(), tests);
    let manifest = generated.files.get("Cargo.toml").unwrap().clone();
    let manifest = format!(
        "{manifest}\n[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"time\", \"sync\"] }}\nfutures-util = \"0.3\"\n"
    );
    generated.files.insert("Cargo.toml".into(), manifest);
    let files = generated.files.into_iter().map(|(path, text)| (format!("streaming-fixture/{path}"), text)).collect();
    let workspace = oas_tests::Workspace::write("streaming-crate-test", files, &["streaming-fixture"]);
    workspace.cargo(&["clippy", "--workspace", "--all-features", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    let stdout = workspace.cargo(&["test", "-p", "streaming-fixture", "--all-features", "--test", "end_to_end"]);
    assert!(stdout.contains("test result: ok. 11 passed"), "{stdout}");
}
