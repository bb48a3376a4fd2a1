//! The mock over loopback: every operation called with a valid request answers a documented
//! status whose body the document's schema accepts; invalid requests get 400 problem+json;
//! schemas without valid values get 501; and every corpus document can be mocked.

use std::path::{Path, PathBuf};

use oas_codegen::diagnostics::join;
use oas_codegen::load::{Document, Version};
use oas_contract::checker::Checker;
use oas_contract::mock::{Mock, Prefer, StreamPace};
use oas_contract::synth::{Failure, Synthesizer};
use serde_json::{json, Value};

#[path = "support/corpus.rs"]
mod corpus;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(path: &str) -> Document {
    oas_codegen::load::load_file(&repository().join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Starts the mock on a free loopback port and returns its base URL.
async fn serve(document: Document) -> String {
    let mock = Mock::new(document);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port is free");
    let address = listener.local_addr().expect("the listener has an address");
    tokio::spawn(async move {
        let _ = mock.serve(listener).await;
    });
    format!("http://{address}")
}

/// A validator for the schema at `pointer`, compiled independently of the mock (same bundling
/// and 3.0 conversion as the runtime, with the `jsonschema` crate).
fn validator(root: &Value, pointer: &str) -> jsonschema::Validator {
    let bundle = oas_runtime::server::validation::bundle(root, pointer).unwrap_or_else(|| panic!("no schema at {pointer}"));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_pattern_options(jsonschema::PatternOptions::fancy_regex())
        .build(&bundle)
        .unwrap_or_else(|error| panic!("the schema at {pointer} compiles: {error}"))
}

/// One call the test makes.
struct Call {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    /// Where the operation's responses are written.
    responses: String,
}

/// A parameter value as text in the simple and form styles: scalars as they are, arrays joined
/// with commas, objects as key,value pairs.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(","),
        Value::Object(object) => object.iter().flat_map(|(key, value)| [key.clone(), text_of(value)]).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) { (byte as char).to_string() } else { format!("%{byte:02X}") })
        .collect()
}

/// A valid request for every operation of the document whose parameters and JSON body can be
/// built, and the number of operations left out because their body is not JSON.
fn valid_calls(document: &Document, base: &str) -> (Vec<Call>, usize) {
    let root = &document.root;
    let openapi_3_0 = document.version == Version::V3_0;
    let checker = Checker::new(document);
    let synthesizer = Synthesizer::new(root, openapi_3_0, Some(&checker));
    let mut calls = Vec::new();
    let mut skipped = 0;
    for (path, item) in root["paths"].as_object().expect("the document has paths") {
        let item_pointer = join("/paths", path);
        let (item, item_pointer) = oas_codegen::refs::follow(root, item, &item_pointer).expect("path items resolve");
        for method in METHODS {
            let Some(operation) = item.get(*method) else { continue };
            let operation_pointer = join(&item_pointer, method);
            let mut url_path = path.clone();
            let mut query = Vec::new();
            let mut headers = Vec::new();
            let lists =
                [(item.get("parameters"), join(&item_pointer, "parameters")), (operation.get("parameters"), join(&operation_pointer, "parameters"))];
            for (list, list_pointer) in lists {
                for (index, parameter) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                    let (parameter, pointer) =
                        oas_codegen::refs::follow(root, parameter, &join(&list_pointer, &index.to_string())).expect("parameters resolve");
                    let name = parameter["name"].as_str().expect("parameters have names");
                    let location = parameter["in"].as_str().unwrap_or_default();
                    if parameter.get("required") != Some(&Value::Bool(true)) && location != "path" {
                        continue;
                    }
                    let value = synthesizer.instance(&join(&pointer, "schema")).unwrap_or_else(|failure| panic!("{name}: {failure}"));
                    let text = text_of(&value);
                    match location {
                        "path" => url_path = url_path.replace(&format!("{{{name}}}"), &encode(&text)),
                        "query" => query.push(format!("{}={}", encode(name), encode(&text))),
                        "header" => headers.push((name.to_string(), text)),
                        _ => headers.push(("cookie".to_string(), format!("{name}={}", encode(&text)))),
                    }
                }
            }
            let mut body = None;
            if let Some(request_body) = operation.get("requestBody") {
                let (request_body, body_pointer) =
                    oas_codegen::refs::follow(root, request_body, &join(&operation_pointer, "requestBody")).expect("request bodies resolve");
                let json_media = request_body["content"].as_object().and_then(|content| content.keys().find(|media| media.contains("json")).cloned());
                match json_media {
                    Some(media) => {
                        let schema = join(&join(&join(&body_pointer, "content"), &media), "schema");
                        match synthesizer.instance(&schema) {
                            Ok(value) => {
                                headers.push(("content-type".to_string(), media.clone()));
                                body = Some(value);
                            }
                            // No valid request exists, or none could be built (a `oneOf`
                            // listing one schema twice): this operation cannot be called validly.
                            Err(_) => {
                                skipped += 1;
                                continue;
                            }
                        }
                    }
                    None if request_body.get("required") == Some(&Value::Bool(true)) => {
                        skipped += 1;
                        continue;
                    }
                    None => {}
                }
            }
            let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
            calls.push(Call {
                method: method.to_uppercase(),
                url: format!("{base}{url_path}{query}"),
                headers,
                body,
                responses: join(&operation_pointer, "responses"),
            });
        }
    }
    (calls, skipped)
}

async fn send(call: &Call, extra: &[(&str, &str)]) -> (u16, String, Vec<u8>) {
    let client = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(call.method.as_bytes()).expect("methods are valid");
    let mut request = client.request(method, &call.url);
    for (name, value) in &call.headers {
        request = request.header(name, value);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    if let Some(body) = &call.body {
        request = request.body(body.to_string());
    }
    let response = request.send().await.unwrap_or_else(|error| panic!("{} {}: {error}", call.method, call.url));
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|value| value.to_str().ok()).unwrap_or_default().to_string();
    let bytes = response.bytes().await.expect("the body arrives").to_vec();
    (status, content_type, bytes)
}

/// Checks a response against the operation's documentation: a documented status, and a body
/// the documented schema of its media type accepts.
fn check_response(document: &Document, call: &Call, status: u16, content_type: &str, body: &[u8]) {
    let root = &document.root;
    let what = format!("{} {} answered {status} {}", call.method, call.url, String::from_utf8_lossy(body));
    let responses = root.pointer(&call.responses).and_then(Value::as_object).unwrap_or_else(|| panic!("{what}: no responses"));
    let key = [status.to_string(), format!("{}XX", status / 100), "default".to_string()].into_iter().find(|key| responses.contains_key(key));
    let key = key.unwrap_or_else(|| panic!("{what}: the status is not documented"));
    let (response, response_pointer) = oas_codegen::refs::follow(root, &responses[&key], &join(&call.responses, &key)).expect("responses resolve");
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        assert!(body.is_empty(), "{what}: a response without content has a body");
        return;
    };
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let media = content.keys().find(|media| media.as_str() == essence).or_else(|| content.keys().find(|media| media.contains('*')));
    let media = media.unwrap_or_else(|| panic!("{what}: `{content_type}` is not documented"));
    if !essence.contains("json") || !content[media].as_object().is_some_and(|object| object.contains_key("schema")) {
        return;
    }
    let value: Value = serde_json::from_slice(body).unwrap_or_else(|error| panic!("{what}: not JSON: {error}"));
    let schema = join(&join(&join(&response_pointer, "content"), media), "schema");
    let validator = validator(root, &schema);
    let errors: Vec<String> = validator.iter_errors(&value).map(|error| format!("{}: {error}", error.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: the body does not match {schema}: {errors:#?}");
}

/// Calls every operation validly and checks each answer; returns how many were called.
async fn every_operation_answers_validly(path: &str) -> usize {
    let base = serve(load(path)).await;
    let document = load(path);
    let (calls, skipped) = valid_calls(&document, &base);
    for call in &calls {
        let (status, content_type, body) = send(call, &[]).await;
        // The success response when there is one; operations that document only errors answer
        // their first documented status.
        let responses = document.root.pointer(&call.responses).and_then(Value::as_object).expect("operations have responses");
        let succeeds = responses.keys().any(|key| key.starts_with('2') || key == "default");
        let expected = if succeeds { (200..300).contains(&status) } else { responses.keys().next() == Some(&status.to_string()) };
        assert!(expected, "{} {}: {status} {}", call.method, call.url, String::from_utf8_lossy(&body));
        check_response(&document, call, status, &content_type, &body);
    }
    assert!(calls.len() > skipped, "{path}: only {} of {} operations could be called", calls.len(), calls.len() + skipped);
    calls.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_the_orchestrator_spec_answers_as_documented() {
    assert_eq!(every_operation_answers_validly("spec/openapi.yaml").await, 13);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_corpus_documents_answers_as_documented() {
    for (path, at_least) in [
        ("tests/corpus/features/3.0/petstore.yaml", 15),
        ("tests/corpus/features/3.1/train-travel.yaml", 7),
        ("tests/corpus/features/3.0/schema-types.yaml", 5),
        ("tests/corpus/features/3.0/discriminators.yaml", 3),
        ("tests/corpus/orchestrator/01-2024-11-25-54daa8cd.yaml", 8),
        ("tests/corpus/real/ideal-postcodes.co.uk.json", 5),
    ] {
        let called = every_operation_answers_validly(path).await;
        assert!(called >= at_least, "{path}: {called} operations called");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_requests_get_400_problem_documents() {
    let base = serve(load("spec/openapi.yaml")).await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{base}/v2/workflows/overview"))
        .header("content-type", "application/json")
        .body(r#"{"paginationInfo": 5}"#)
        .send()
        .await
        .expect("the mock answers");
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let problem: Value = response.json().await.expect("a JSON problem");
    assert_eq!(problem["errors"][0]["pointer"], "/paginationInfo", "{problem}");

    let response = client.post(format!("{base}/v2/workflows/overview")).header("content-type", "application/json").body("{").send().await.unwrap();
    assert_eq!(response.status(), 400);

    let base = serve(load("tests/corpus/features/3.0/petstore.yaml")).await;
    let response = client.get(format!("{base}/pet/not-a-number")).send().await.expect("the mock answers");
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let response = client.get(format!("{base}/nowhere")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = client.patch(format!("{base}/pet/1")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(response.headers()["allow"].to_str().unwrap().contains("GET"));
}

const CONTRADICTION: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /broken:\n    get:\n      operationId: broken\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: string, enum: [1]}\n  /named:\n    get:\n      operationId: named\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [n], properties: {n: {type: integer}}}\n              examples:\n                first: {value: {n: 1}}\n                second: {value: {n: 2}}\n                wrong: {value: {n: x}}\n        '404':\n          description: missing\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_without_valid_values_answers_501_and_lint_says_why() {
    let document = oas_codegen::load::load_str(CONTRADICTION).unwrap();
    let base = serve(document.clone()).await;
    let response = reqwest::get(format!("{base}/broken")).await.expect("the mock answers");
    assert_eq!(response.status(), 501);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let problem: Value = response.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap();
    let pointer = "/paths/~1broken/get/responses/200/content/application~1json/schema";
    assert!(detail.contains(pointer) && detail.contains("1 is not a string"), "{detail}");
    let findings = oas_contract::lint::lint(&document);
    assert!(findings.iter().any(|finding| finding.pointer == pointer && finding.message.contains("1 is not a string")), "{findings:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefer_chooses_the_status_and_the_example() {
    let base = serve(oas_codegen::load::load_str(CONTRADICTION).unwrap()).await;
    let client = reqwest::Client::new();
    let get = |prefer: &'static str| client.get(format!("{base}/named")).header("prefer", prefer).send();
    let first: Value = client.get(format!("{base}/named")).send().await.unwrap().json().await.unwrap();
    assert_eq!(first, json!({"n": 1}), "the first valid example by default");
    let second = get("example=second").await.unwrap();
    assert_eq!(second.status(), 200);
    assert_eq!(second.json::<Value>().await.unwrap(), json!({"n": 2}));
    let missing = get("code=404").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.bytes().await.unwrap().is_empty());
    let unknown = get("example=third").await.unwrap();
    assert_eq!(unknown.status(), 400);
    let detail = unknown.json::<Value>().await.unwrap()["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("`first`, `second`, `wrong`"), "{detail}");
    let wrong = get("example=wrong").await.unwrap();
    assert_eq!(wrong.status(), 501, "an example that breaks the schema is not sent");
    let undocumented = get("code=418").await.unwrap();
    assert_eq!(undocumented.status(), 400);
}

#[test]
fn prefer_headers_are_read_like_rfc_7240_says() {
    let mut headers = http::HeaderMap::new();
    headers.append("prefer", "return=minimal, code=404".parse().unwrap());
    headers.append("prefer", "example=\"not found\"; respond-async".parse().unwrap());
    assert_eq!(Prefer::from_headers(&headers), Prefer { code: Some(404), example: Some("not found".into()) });
    assert_eq!(Prefer::from_headers(&http::HeaderMap::new()), Prefer::default());
}

/// Every corpus document gets a router, and every operation a valid body or a 501 reason.
/// Contradictions must be lint findings at the same pointer; bodies that could not be built
/// although one may exist are listed in the snapshot, so each is a reviewed decision.
#[test]
fn every_corpus_document_can_be_mocked() {
    insta::assert_snapshot!(corpus::summaries(mock_summary).join("\n"));
}

fn mock_summary(file: &Path, name: &str) -> String {
    let Ok(document) = oas_codegen::load::load_file(file) else { return format!("{name}: unreadable") };
    let mock = Mock::new(document.clone());
    let _router = mock.router();
    let mut bodies = 0;
    let mut impossible = Vec::new();
    let mut unbuilt = Vec::new();
    for (index, operation) in mock.operations().iter().enumerate() {
        match mock.reply(index, &Prefer::default()) {
            Ok(_) => bodies += 1,
            Err(refusal) => match refusal.failure {
                Some(Failure::Impossible { pointer, .. }) => impossible.push(pointer),
                _ => unbuilt.push(format!("\n    {} {}: {}", operation.method, operation.path, refusal.detail)),
            },
        }
    }
    if !impossible.is_empty() {
        let findings = oas_contract::lint::lint(&document);
        for pointer in &impossible {
            assert!(
                findings.iter().any(|finding| &finding.pointer == pointer && finding.message.starts_with("no value can match")),
                "{name}: the mock refuses because of {pointer}, which lint does not report"
            );
        }
    }
    format!("{name}: {} operations, {bodies} answered, {} contradictions{}", mock.operations().len(), impossible.len(), unbuilt.concat())
}

const STREAMS: &str = "tests/fixtures/streaming/streams.yaml";

/// The body of a GET as it arrives: the content type, and each chunk with the time it came.
async fn timed_chunks(url: &str) -> (String, Vec<(std::time::Instant, Vec<u8>)>) {
    let mut response = reqwest::get(url).await.unwrap_or_else(|error| panic!("{url}: {error}"));
    assert_eq!(response.status(), 200, "{url}");
    let content_type = response.headers().get("content-type").and_then(|value| value.to_str().ok()).unwrap_or_default().to_string();
    let mut chunks = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap_or_else(|error| panic!("{url}: {error}")) {
        chunks.push((std::time::Instant::now(), chunk.to_vec()));
    }
    (content_type, chunks)
}

/// The events of a `text/event-stream` body, each as its fields (`data`, `id`, ...) and the time
/// its last byte arrived; comments (keep-alives) are left out.
fn events_of(chunks: &[(std::time::Instant, Vec<u8>)]) -> Vec<(Vec<(String, String)>, std::time::Instant)> {
    let mut events = Vec::new();
    let mut text = String::new();
    for (arrived, chunk) in chunks {
        text.push_str(std::str::from_utf8(chunk).expect("events are UTF-8"));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let fields: Vec<(String, String)> = block
                .lines()
                .filter(|line| !line.is_empty() && !line.starts_with(':'))
                .map(|line| {
                    let (name, value) = line.split_once(':').unwrap_or((line, ""));
                    (name.to_string(), value.strip_prefix(' ').unwrap_or(value).to_string())
                })
                .collect();
            if !fields.is_empty() {
                events.push((fields, *arrived));
            }
        }
    }
    events
}

fn field<'e>(fields: &'e [(String, String)], name: &str) -> &'e str {
    fields.iter().find(|(field, _)| field == name).map(|(_, value)| value.as_str()).unwrap_or_else(|| panic!("no `{name}` in {fields:?}"))
}

/// Checks each value against the schema at `pointer` of `document`.
fn assert_valid(document: &Document, pointer: &str, values: &[Value]) {
    let validator = validator(&document.root, pointer);
    for value in values {
        let errors: Vec<String> = validator.iter_errors(value).map(|error| error.to_string()).collect();
        assert!(errors.is_empty(), "{value} does not match {pointer}: {errors:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_sent_events_arrive_one_by_one_with_ids_and_valid_data() {
    let document = load(STREAMS);
    let base = serve(document.clone()).await;
    let (content_type, chunks) = timed_chunks(&format!("{base}/ticks")).await;
    assert!(content_type.starts_with("text/event-stream"), "{content_type}");
    let events = events_of(&chunks);
    assert_eq!(events.len(), 3, "{events:?}");
    let ids: Vec<&str> = events.iter().map(|(fields, _)| field(fields, "id")).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    let data: Vec<Value> = events.iter().map(|(fields, _)| serde_json::from_str(field(fields, "data")).expect("the data is JSON")).collect();
    assert_valid(&document, "/paths/~1ticks/get/responses/200/content/text~1event-stream/schema", &data);
    // Items go out 100 ms apart: the third comes well after the first however late the first
    // was delivered on a busy machine, unless the body was held back and sent at once.
    let spread = events[2].1.duration_since(events[0].1);
    assert!(spread >= std::time::Duration::from_millis(100), "the third event came {spread:?} after the first");

    // Text data is sent as it is.
    let (_, chunks) = timed_chunks(&format!("{base}/log")).await;
    let events = events_of(&chunks);
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events.iter().all(|(fields, _)| !field(fields, "data").starts_with('"')), "{events:?}");

    // OpenAPI 3.2: each event's data is encoded JSON of the `contentSchema`.
    let document = load("tests/fixtures/streaming/named-events.yaml");
    let base = serve(document.clone()).await;
    let (_, chunks) = timed_chunks(&format!("{base}/changes")).await;
    let data: Vec<Value> = events_of(&chunks).iter().map(|(fields, _)| serde_json::from_str(field(fields, "data")).unwrap()).collect();
    assert_eq!(data.len(), 3);
    assert_valid(&document, "/components/schemas/ChangeEvent/properties/data/contentSchema", &data);
}

/// The values of a JSON-lines body, checking that each record starts with `prefix`.
fn records(chunks: &[(std::time::Instant, Vec<u8>)], prefix: &[u8]) -> Vec<Value> {
    let body: Vec<u8> = chunks.iter().flat_map(|(_, chunk)| chunk.clone()).collect();
    let text = String::from_utf8(body).expect("JSON lines are UTF-8");
    text.lines()
        .map(|line| {
            let record = line.strip_prefix(std::str::from_utf8(prefix).unwrap()).unwrap_or_else(|| panic!("`{line}` does not start with {prefix:?}"));
            serde_json::from_str(record).unwrap_or_else(|error| panic!("`{line}`: {error}"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_lines_and_sequences_send_one_valid_value_per_record() {
    let document = load(STREAMS);
    let base = serve(document.clone()).await;
    let tick = "/components/schemas/Tick";
    for (path, media_type, prefix) in [
        ("/ticks.jsonl", "application/jsonl", &b""[..]),
        ("/ticks.ndjson", "application/x-ndjson", b""),
        ("/ticks.json-seq", "application/json-seq", b"\x1e"),
    ] {
        let (content_type, chunks) = timed_chunks(&format!("{base}{path}")).await;
        assert_eq!(content_type, media_type);
        let values = records(&chunks, prefix);
        assert_eq!(values.len(), 3, "{path}: {values:?}");
        assert_valid(&document, tick, &values);
    }
    let (content_type, chunks) = timed_chunks(&format!("{base}/blobs/any")).await;
    assert_eq!(content_type, "application/octet-stream");
    let body: Vec<u8> = chunks.into_iter().flat_map(|(_, chunk)| chunk).collect();
    assert_eq!(String::from_utf8(body).unwrap(), "chunk 1 of 3\nchunk 2 of 3\nchunk 3 of 3\n");
}

const STREAM_EXAMPLES: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /named:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/jsonl:\n              schema: {type: object, required: [n], properties: {n: {type: integer}}}\n              examples:\n                one: {value: {n: 1}}\n                wrong: {value: {n: x}}\n                two: {value: {n: 2}}\n  /array:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            text/event-stream:\n              schema: {type: integer}\n              example: [7, 8, x]\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_items_are_the_examples_that_match_and_the_pace_is_settable() {
    let document = oas_codegen::load::load_str(STREAM_EXAMPLES).unwrap();
    let pace = StreamPace { items: 5, delay: std::time::Duration::ZERO };
    let mock = Mock::new(document).with_stream_pace(pace);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = mock.serve(listener).await;
    });
    // One item per example that matches, in turn.
    let (_, chunks) = timed_chunks(&format!("{base}/named")).await;
    let ns: Vec<Value> = records(&chunks, b"").into_iter().map(|value| value["n"].clone()).collect();
    assert_eq!(ns, [json!(1), json!(2), json!(1), json!(2), json!(1)]);
    // An `example` that is an array: its elements that match.
    let (_, chunks) = timed_chunks(&format!("{base}/array")).await;
    let data: Vec<String> = events_of(&chunks).iter().map(|(fields, _)| field(fields, "data").to_string()).collect();
    assert_eq!(data, ["7", "8", "7", "8", "7"]);
    // `Prefer: example=` picks one example for every item.
    let response = reqwest::Client::new().get(format!("{base}/named")).header("prefer", "example=two").send().await.unwrap();
    let text = response.text().await.unwrap();
    assert_eq!(text.lines().collect::<Vec<_>>(), [r#"{"n":2}"#; 5], "{text}");
}
