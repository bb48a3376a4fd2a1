//! The module the build script generated: its types, its operation list, its server, and its
//! client talking to that server.

use orchestrator_build_example::{api, app, example_search, STATES};
use serde_json::{json, Value};

#[test]
fn every_operation_of_the_document_is_listed() {
    assert_eq!(api::OPERATIONS.len(), 13);
    let ids: Vec<&str> = api::OPERATIONS.iter().map(|operation| operation.id).collect();
    assert_eq!(ids[0], "getWorkflowsOverview");
    assert!(ids.contains(&"abortWorkflow"), "{ids:?}");
    let statuses = api::OPERATIONS.iter().find(|operation| operation.id == "getWorkflowStatuses").unwrap();
    assert_eq!((statuses.method, statuses.path), ("GET", "/v2/workflows/instances/statuses"));
}

#[test]
fn the_embedded_document_is_the_spec() {
    let document = api::openapi_document();
    assert_eq!(document["info"]["title"], "Orchestrator API");
    assert!(api::OPENAPI_JSON.is_ascii());
}

#[test]
fn the_example_nested_filter_round_trips_through_the_generated_types() {
    let search = example_search().unwrap();
    let Some(api::Filter::LogicalFilter(and)) = &search.filters else { panic!("not a logical filter: {search:?}") };
    assert_eq!(and.operator, api::LogicalFilterOperator::And);
    let [api::Filter::FieldFilter(state), api::Filter::NestedFilter(nodes)] = and.filters.as_slice() else {
        panic!("not a field filter and a nested filter: {:?}", and.filters)
    };
    assert_eq!(state.operator, api::FieldFilterOperator::In);
    assert_eq!(nodes.field, "nodes");
    let api::NestedFilterNested::FieldFilter(name) = &nodes.nested else { panic!("not a field filter inside: {:?}", nodes.nested) };
    assert_eq!((name.field.as_str(), &name.operator), ("name", &api::FieldFilterOperator::Like));

    // The filter is written back as it was read. (The paging part is not compared: `pageSize`
    // is a `number` in the document, so `20` comes back as `20.0`.)
    let written = serde_json::to_value(&search.filters).unwrap();
    let example = api::openapi_document().pointer(&format!("{}/filters", orchestrator_build_example::GET_INSTANCES_EXAMPLE)).cloned().unwrap();
    assert_eq!(written, example);
}

#[test]
fn a_filter_nested_twice_needs_the_box_and_keeps_its_shape() {
    let text = json!({"field": "nodes", "nested": {"field": "errors", "nested": {"field": "message", "operator": "IS_NULL", "value": ""}}});
    let filter: api::Filter = serde_json::from_value(text.clone()).unwrap();
    let api::Filter::NestedFilter(outer) = &filter else { panic!("not nested: {filter:?}") };
    assert!(matches!(&outer.nested, api::NestedFilterNested::NestedFilter(inner) if inner.field == "errors"));
    assert_eq!(serde_json::to_value(&filter).unwrap(), text);
}

/// The app on a free loopback port; its base URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port is free");
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app()).await });
    format!("http://{address}")
}

async fn get(path: &str) -> (u16, Value) {
    let base = serve().await;
    let response = reqwest::get(format!("{base}{path}")).await.expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn the_generated_router_serves_the_implemented_operation() {
    let (status, body) = get("/v2/workflows/instances/statuses").await;
    assert_eq!(status, 200, "{body}");
    let expected: Vec<Value> = STATES.iter().map(|(key, value)| json!({"key": key, "value": value})).collect();
    assert_eq!(body, Value::Array(expected));
}

#[tokio::test]
async fn the_other_operations_answer_not_implemented() {
    let (status, body) = get("/v2/workflows/user-onboarding/overview").await;
    assert_eq!(status, 501, "{body}");
}

#[tokio::test]
async fn the_generated_client_reads_the_generated_server() {
    let client = api::client::Client::new(serve().await, reqwest::Client::new());
    let api::GetWorkflowStatusesResponse::Ok(states) = client.get_workflow_statuses().await.unwrap() else { panic!("not a 200") };
    let values: Vec<&str> = states.iter().filter_map(|state| state.value.as_deref()).collect();
    assert_eq!(values, ["ACTIVE", "ERROR", "COMPLETED", "ABORTED", "SUSPENDED", "PENDING"]);

    // 501 is no status the document lists, so the client reports it as an error value.
    let error = client.get_workflow_overview_by_id("user-onboarding".into()).await.unwrap_err();
    assert!(matches!(error, api::client::ClientError::UndocumentedStatus { status: 501, .. }), "{error}");
}
