//! The example backend over real TCP and HTTP: every Orchestrator operation with good input and
//! with each kind of bad input, answered the way `spec/openapi.yaml` says. Responses are
//! validated against the document by the server itself (response validation is on), so a
//! handler that strays from the contract fails these tests with a 500.

use std::net::SocketAddr;
use std::sync::Arc;

use oas_runtime::server::ServerConfig;
use orchestrator_backend::api::{router_with, Backend};
use orchestrator_backend::Store;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ERROR_RUN: &str = "5b1e7c42-0d9a-4f7e-8c35-2a6f90d1b7e4";
const ACTIVE_RUN: &str = "0f4c2a9e-71b3-4d8e-9a66-3c5d8e21f0ab";
const COMPLETED_RUN: &str = "3f2b8c1e-9a47-4d2b-b6f0-1c8e5a7d9e21";

struct Server {
    address: SocketAddr,
    client: reqwest::Client,
}

/// A fresh backend with the seed data on a free loopback port.
async fn start(config: ServerConfig) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port is free");
    let address = listener.local_addr().expect("the listener has an address");
    let app = router_with(Arc::new(Backend::new(Store::seeded())), config);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server { address, client: reqwest::Client::new() }
}

async fn server() -> Server {
    start(ServerConfig { validate_responses: true, ..ServerConfig::default() }).await
}

struct Reply {
    status: StatusCode,
    content_type: String,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text))
    }

    /// The pointers of a 400's violations.
    fn pointers(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|error| format!("{} {}", error["location"].as_str().unwrap_or("?"), error["pointer"].as_str().unwrap_or("?")))
            .collect()
    }
}

impl Server {
    async fn send(&self, method: Method, path: &str, body: Option<(&str, String)>) -> Reply {
        let mut request = self.client.request(method, format!("http://{}{path}", self.address));
        if let Some((content_type, body)) = body {
            request = request.header("content-type", content_type).body(body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = headers.get("content-type").and_then(|value| value.to_str().ok()).unwrap_or_default().to_string();
        let text = response.text().await.expect("the body is readable");
        Reply { status, content_type, headers, text }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(("application/json", body.to_string()))).await
    }
}

/// Asserts status and content type, and prints the body when they are wrong.
fn expect(reply: &Reply, status: u16, content_type: &str) {
    assert_eq!(reply.status.as_u16(), status, "body: {}", reply.text);
    assert!(reply.content_type.starts_with(content_type), "content type `{}` for {}", reply.content_type, reply.text);
}

fn expect_problem(reply: &Reply, status: u16) {
    expect(reply, status, "application/problem+json");
    assert_eq!(reply.json()["status"], status, "{}", reply.text);
}

#[tokio::test]
async fn workflows_overview_with_search_and_paging() {
    let server = server().await;
    let all = server.send(Method::POST, "/v2/workflows/overview", None).await;
    expect(&all, 200, "application/json");
    assert_eq!(all.json()["overviews"].as_array().map(Vec::len), Some(4), "{}", all.text);

    let page = server
        .post("/v2/workflows/overview", json!({"paginationInfo": {"pageSize": 2, "offset": 1, "orderBy": "name", "orderDirection": "DESC"}}))
        .await;
    expect(&page, 200, "application/json");
    let names: Vec<String> =
        page.json()["overviews"].as_array().unwrap().iter().map(|overview| overview["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names.len(), 2, "{}", page.text);
    assert!(names[0] > names[1], "DESC order: {names:?}");
}

#[tokio::test]
async fn bad_input_is_a_problem_with_pointers() {
    let server = server().await;
    let wrong_type = server.post("/v2/workflows/overview", json!({"paginationInfo": {"pageSize": "ten", "offset": true}})).await;
    expect_problem(&wrong_type, 400);
    assert_eq!(wrong_type.pointers(), vec!["body /paginationInfo/pageSize", "body /paginationInfo/offset"]);

    let not_json = server.send(Method::POST, "/v2/workflows/overview", Some(("application/json", "{\"paginationInfo\":".into()))).await;
    expect_problem(&not_json, 400);
    assert!(not_json.json()["errors"][0]["message"].as_str().unwrap().contains("not valid JSON"), "{}", not_json.text);

    let bad_filter = server.post("/v2/workflows/instances", json!({"filters": {"field": "state", "operator": "EQ"}})).await;
    expect_problem(&bad_filter, 400);

    let wrong_media = server.send(Method::POST, "/v2/workflows/overview", Some(("text/plain", "{}".into()))).await;
    expect_problem(&wrong_media, 415);

    let entity = server.post("/v2/workflows/overview/entity", json!({"targetEntity": 7})).await;
    expect_problem(&entity, 400);
    assert_eq!(entity.pointers(), vec!["body /targetEntity"]);

    // `executeWorkflow` requires its body.
    let no_body = server.send(Method::POST, "/v2/workflows/greeting/execute", None).await;
    expect_problem(&no_body, 400);
    assert_eq!(no_body.pointers(), vec!["body "], "{}", no_body.text);
    assert!(no_body.text.contains("a request body is required"), "{}", no_body.text);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let server = start(ServerConfig { body_limit: 1024, validate_responses: true, ..ServerConfig::default() }).await;
    let at_limit = format!("{{\"paginationInfo\":{{\"orderBy\":\"{}\"}}}}", "n".repeat(1024 - 33));
    assert_eq!(at_limit.len(), 1024);
    let accepted = server.send(Method::POST, "/v2/workflows/overview", Some(("application/json", at_limit.clone()))).await;
    assert_ne!(accepted.status.as_u16(), 413, "a body exactly at the limit is read: {}", accepted.text);
    let over = server.send(Method::POST, "/v2/workflows/overview", Some(("application/json", format!("{at_limit} ")))).await;
    expect_problem(&over, 413);
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let server = server().await;
    expect_problem(&server.get("/v2/nothing/here").await, 404);
    let wrong_method = server.send(Method::DELETE, "/v2/workflows/overview", None).await;
    expect_problem(&wrong_method, 405);
    assert_eq!(wrong_method.headers.get("allow").and_then(|value| value.to_str().ok()), Some("POST"));
    // `/v2/workflows/instances/instances` also matches `/v2/workflows/{workflowId}/instances`;
    // POST is only accepted there, so it must reach getWorkflowInstances (an unknown workflow).
    let crossing = server.post("/v2/workflows/instances/instances", json!({})).await;
    expect_problem(&crossing, 404);
    assert!(crossing.json()["detail"].as_str().unwrap().contains("instances"), "{}", crossing.text);
    // GET goes to the literal template: getInstanceById for run `instances`.
    expect_problem(&server.get("/v2/workflows/instances/instances").await, 404);
}

#[tokio::test]
async fn workflow_by_id_operations() {
    let server = server().await;
    let overview = server.get("/v2/workflows/user-onboarding/overview").await;
    expect(&overview, 200, "application/json");
    assert_eq!(overview.json()["workflowId"], "user-onboarding");
    expect_problem(&server.get("/v2/workflows/unknown/overview").await, 404);

    let source = server.get("/v2/workflows/user-onboarding/source").await;
    expect(&source, 200, "text/plain");
    assert!(source.text.starts_with("id: user-onboarding"), "{}", source.text);
    expect_problem(&server.get("/v2/workflows/unknown/source").await, 404);

    let schema = server.get("/v2/workflows/user-onboarding/inputSchema").await;
    expect(&schema, 200, "application/json");
    assert!(schema.json()["inputSchema"].is_object(), "{}", schema.text);
    let prefilled = server.get(&format!("/v2/workflows/user-onboarding/inputSchema?instanceId={ERROR_RUN}")).await;
    expect(&prefilled, 200, "application/json");
    assert!(prefilled.json()["data"].is_object(), "{}", prefilled.text);
    expect_problem(&server.get("/v2/workflows/unknown/inputSchema").await, 404);

    let up = server.get("/v2/workflows/user-onboarding/pingWorkflowService").await;
    expect(&up, 200, "application/json");
    assert_eq!(up.json(), json!(true));
    assert_eq!(server.get("/v2/workflows/rotate-credentials/pingWorkflowService").await.json(), json!(false));
    expect_problem(&server.get("/v2/workflows/unknown/pingWorkflowService").await, 404);
}

#[tokio::test]
async fn instances_searches_and_lookups() {
    let server = server().await;
    let filter = json!({
        "filters": {"operator": "AND", "filters": [
            {"field": "processId", "operator": "EQ", "value": "provision-database"},
            {"operator": "NOT", "filters": [{"field": "state", "operator": "IN", "value": ["ABORTED", "PENDING"]}]},
            {"field": "nodes", "nested": {"field": "name", "operator": "LIKE", "value": "%"}}
        ]}
    });
    let found = server.post("/v2/workflows/instances", filter).await;
    expect(&found, 200, "application/json");
    let ids: Vec<String> = found.json()["items"].as_array().unwrap().iter().map(|item| item["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, vec![ACTIVE_RUN.to_string()], "{}", found.text);

    let of_workflow = server.post("/v2/workflows/user-onboarding/instances", json!({})).await;
    expect(&of_workflow, 200, "application/json");
    assert_eq!(of_workflow.json()["items"].as_array().map(Vec::len), Some(2), "{}", of_workflow.text);
    expect_problem(&server.post("/v2/workflows/unknown/instances", json!({})).await, 404);

    let run = server.get(&format!("/v2/workflows/instances/{COMPLETED_RUN}")).await;
    expect(&run, 200, "application/json");
    assert_eq!(run.json()["state"], "COMPLETED");
    expect_problem(&server.get("/v2/workflows/instances/unknown").await, 404);

    let statuses = server.get("/v2/workflows/instances/statuses").await;
    expect(&statuses, 200, "application/json");
    assert!(statuses.json().as_array().is_some_and(|list| list.iter().any(|status| status["value"] == "ACTIVE")), "{}", statuses.text);
}

#[tokio::test]
async fn run_lifecycle_execute_abort_retrigger() {
    let server = server().await;
    let started = server.post("/v2/workflows/provision-database/execute", json!({"inputData": {"size": "small"}})).await;
    expect(&started, 200, "application/json");
    let id = started.json()["id"].as_str().expect("a run id").to_string();
    assert_eq!(server.get(&format!("/v2/workflows/instances/{id}")).await.json()["state"], "ACTIVE");

    expect_problem(&server.send(Method::POST, "/v2/workflows/provision-database/execute", None).await, 400);
    expect_problem(&server.post("/v2/workflows/unknown/execute", json!({})).await, 404);
    expect_problem(&server.post("/v2/workflows/rotate-credentials/execute", json!({})).await, 409);

    let aborted = server.send(Method::DELETE, &format!("/v2/workflows/instances/{id}/abort"), None).await;
    expect(&aborted, 200, "text/plain");
    assert_eq!(aborted.text, "success");
    assert_eq!(server.get(&format!("/v2/workflows/instances/{id}")).await.json()["state"], "ABORTED");
    expect_problem(&server.send(Method::DELETE, &format!("/v2/workflows/instances/{id}/abort"), None).await, 409);
    expect_problem(&server.send(Method::DELETE, "/v2/workflows/instances/unknown/abort", None).await, 404);

    let retriggered = server.post(&format!("/v2/workflows/user-onboarding/{ERROR_RUN}/retrigger"), json!({})).await;
    expect(&retriggered, 200, "application/json");
    assert_eq!(retriggered.json(), json!({}));
    assert_eq!(server.get(&format!("/v2/workflows/instances/{ERROR_RUN}")).await.json()["state"], "ACTIVE");
    expect_problem(&server.post(&format!("/v2/workflows/user-onboarding/{ERROR_RUN}/retrigger"), json!({})).await, 409);
    expect_problem(&server.post("/v2/workflows/user-onboarding/unknown/retrigger", json!({})).await, 404);
}

#[tokio::test]
async fn entity_overview() {
    let server = server().await;
    let reply = server
        .post(
            "/v2/workflows/overview/entity",
            json!({"targetEntity": "component:default/payments-service", "annotationWorkflowIds": ["user-onboarding"]}),
        )
        .await;
    expect(&reply, 200, "application/json");
    let ids: Vec<String> =
        reply.json()["overviews"].as_array().unwrap().iter().map(|overview| overview["workflowId"].as_str().unwrap().to_string()).collect();
    assert!(ids.iter().any(|id| id == "user-onboarding") && ids.iter().any(|id| id == "provision-database"), "{ids:?}");
}
