//! Arbitrary requests against the example backend: whatever arrives, the router answers with a
//! status below 500 (a 500 would mean a panic or a handler bug) and keeps serving. Bounded in
//! count, loopback only, seeded so a failure replays.

use std::sync::Arc;

use oas_runtime::server::ServerConfig;
use orchestrator_backend::api::{router_with, Backend};
use orchestrator_backend::Store;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PATHS: &[&str] = &[
    "/v2/workflows/overview",
    "/v2/workflows/overview/entity",
    "/v2/workflows/{id}/overview",
    "/v2/workflows/{id}/source",
    "/v2/workflows/{id}/inputSchema",
    "/v2/workflows/{id}/pingWorkflowService",
    "/v2/workflows/instances",
    "/v2/workflows/{id}/instances",
    "/v2/workflows/instances/{id}",
    "/v2/workflows/instances/statuses",
    "/v2/workflows/{id}/execute",
    "/v2/workflows/{id}/{id}/retrigger",
    "/v2/workflows/instances/{id}/abort",
    "/v2/{id}",
    "/",
];

const IDS: &[&str] = &[
    "user-onboarding",
    "provision-database",
    "5b1e7c42-0d9a-4f7e-8c35-2a6f90d1b7e4",
    "%00",
    "%ff%fe",
    "..",
    "%2e%2e",
    "a%2Fb",
    "é",
    "x;y=1",
    "%",
    "instances",
];

const QUERIES: &[&str] = &["", "?instanceId=1", "?instanceId=", "?instanceId=%zz", "?instanceId=1&instanceId=2", "?a[b]=c", "?%ff=%fe", "?&&&=&"];

const BODIES: &[&str] = &[
    "",
    "{}",
    "null",
    "[]",
    "{\"filters\": {\"operator\": \"NOT\", \"filters\": []}}",
    "{\"filters\": {\"field\": \"nodes\", \"nested\": {\"field\": \"x\", \"operator\": \"LIKE\", \"value\": \"%%%\"}}}",
    "{\"paginationInfo\": {\"pageSize\": -1, \"offset\": 1e308}}",
    "{\"paginationInfo\": {\"pageSize\": 1.5}}",
    "{\"filters\": {\"field\": \"start\", \"operator\": \"BETWEEN\", \"value\": [1]}}",
    "{\"inputData\": {\"a\": [[[[[[[[[[]]]]]]]]]]}}",
    "{\"targetEntity\": \"\\u0000\", \"annotationWorkflowIds\": [\"\", \"\"]}",
    "{\"",
    "\u{feff}{}",
];

const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "*/*",
    "application/problem+json",
];

const METHODS: &[&str] = &["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD"];

#[tokio::test]
async fn no_request_makes_the_router_fail() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = router_with(Arc::new(Backend::new(Store::seeded())), ServerConfig { validate_responses: true, ..ServerConfig::default() });
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for round in 0..1500 {
        let template = rng.pick(PATHS);
        let mut path = template.to_string();
        while path.contains("{id}") {
            let id = rng.pick(IDS);
            path = path.replacen("{id}", id, 1);
        }
        let url = format!("http://{address}{path}{}", rng.pick(QUERIES));
        let method = reqwest::Method::from_bytes(rng.pick(METHODS).as_bytes()).unwrap();
        let mut request = client.request(method.clone(), &url);
        let body = rng.pick(BODIES);
        if !body.is_empty() || rng.next() % 2 == 0 {
            request = request.header("content-type", rng.pick(CONTENT_TYPES)).body(body.to_string());
        }
        let response = match request.send().await {
            Ok(response) => response,
            // reqwest refuses some URLs itself (an invalid escape); nothing reached the server.
            Err(error) if error.is_builder() => continue,
            Err(error) => panic!("round {round}: {method} {url}: the server did not answer: {error}"),
        };
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.as_u16() < 500, "round {round}: {method} {url} with {body:?} answered {status}: {text}");
    }
}
