//! The generated client against the example backend over loopback: every Orchestrator operation,
//! each type going through both sides (serialized by one, parsed by the other), and the client's
//! error cases against small misbehaving servers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use oas_runtime::server::ServerConfig;
use orchestrator_api::client::{Client, ClientError};
use orchestrator_api::*;
use orchestrator_backend::api::{router_with, Backend};
use orchestrator_backend::Store;

const ERROR_RUN: &str = "5b1e7c42-0d9a-4f7e-8c35-2a6f90d1b7e4";
const COMPLETED_RUN: &str = "3f2b8c1e-9a47-4d2b-b6f0-1c8e5a7d9e21";

async fn serve(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port is free");
    let address = listener.local_addr().expect("the listener has an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

/// A client of a fresh backend that checks its own responses against the document.
async fn client() -> Client {
    let app = router_with(Arc::new(Backend::new(Store::seeded())), ServerConfig { validate_responses: true, ..ServerConfig::default() });
    let address = serve(app).await;
    Client::new(format!("http://{address}"), reqwest::Client::new())
}

/// Serialized by the server, parsed by the client, serialized again by the test: the same JSON.
fn same_json<T: serde::Serialize>(value: &T, expected: serde_json::Value) {
    assert_eq!(serde_json::to_value(value).unwrap(), expected);
}

#[tokio::test]
async fn every_operation_through_the_client() {
    let api = client().await;

    let GetWorkflowsOverviewResponse::Ok(all) = api.get_workflows_overview(None).await.unwrap() else { panic!("expected 200") };
    assert_eq!(all.overviews.as_ref().map(Vec::len), Some(4));

    let search = ProcessInstanceSearchRequest {
        filters: Some(ProcessInstanceFilter::ProcessInstanceLogicalFilter(ProcessInstanceLogicalFilter {
            operator: LogicalFilterOperator::Or,
            filters: vec![
                ProcessInstanceFilter::ProcessInstanceFieldFilter(ProcessInstanceFieldFilter {
                    field: ProcessInstanceField::State,
                    operator: FieldFilterOperator::Eq,
                    value: FieldFilterValue::String("ERROR".into()),
                }),
                ProcessInstanceFilter::ProcessInstanceNestedFilter(ProcessInstanceNestedFilter::ProcessInstanceNodesFilter(
                    ProcessInstanceNodesFilter {
                        field: ProcessInstanceNodesFilterField::Nodes,
                        nested: NodeInstanceFieldFilter {
                            field: NodeInstanceField::Name,
                            operator: FieldFilterOperator::Like,
                            value: FieldFilterValue::String("Provision%".into()),
                        },
                    },
                )),
            ],
        })),
        pagination_info: Some(ProcessInstancePaginationInfo {
            order_by: Some(ProcessInstanceField::Start),
            order_direction: Some(PaginationInfoDtoOrderDirection::Desc),
            ..Default::default()
        }),
    };
    let GetInstancesResponse::Ok(found) = api.get_instances(Some(search.clone())).await.unwrap() else { panic!("expected 200") };
    let items = found.items.unwrap_or_default();
    assert!(items.iter().any(|run| run.id == ERROR_RUN), "{items:?}");
    let starts: Vec<_> = items.iter().map(|run| run.start).collect();
    assert!(starts.windows(2).all(|pair| pair[0] >= pair[1]), "sorted by start, descending: {starts:?}");

    let GetWorkflowsOverviewForEntityResponse::Ok(for_entity) = api
        .get_workflows_overview_for_entity(Some(GetWorkflowsOverviewForEntityRequestBody {
            target_entity: Some("component:default/payments-service".into()),
            annotation_workflow_ids: Some(vec!["user-onboarding".into()]),
        }))
        .await
        .unwrap()
    else {
        panic!("expected 200")
    };
    assert!(for_entity.overviews.unwrap_or_default().len() >= 2);

    let GetWorkflowOverviewByIdResponse::Ok(overview) = api.get_workflow_overview_by_id("user-onboarding".into()).await.unwrap() else { panic!() };
    assert_eq!(overview.workflow_id, "user-onboarding");
    assert!(
        matches!(api.get_workflow_overview_by_id("missing".into()).await.unwrap(), GetWorkflowOverviewByIdResponse::NotFound(problem) if problem.status == Some(404))
    );

    let GetWorkflowSourceByIdResponse::Ok(source) = api.get_workflow_source_by_id("user-onboarding".into()).await.unwrap() else { panic!() };
    assert!(source.starts_with("id: user-onboarding"));

    let GetWorkflowInputSchemaByIdResponse::Ok(schema) =
        api.get_workflow_input_schema_by_id("user-onboarding".into(), Some(ERROR_RUN.into())).await.unwrap()
    else {
        panic!()
    };
    assert!(schema.input_schema.is_some() && schema.data.is_some());

    assert_eq!(api.ping_workflow_service_by_id("user-onboarding".into()).await.unwrap(), PingWorkflowServiceByIdResponse::Ok(true));
    assert_eq!(api.ping_workflow_service_by_id("rotate-credentials".into()).await.unwrap(), PingWorkflowServiceByIdResponse::Ok(false));

    let GetWorkflowInstancesResponse::Ok(runs) = api.get_workflow_instances("user-onboarding".into(), None).await.unwrap() else { panic!() };
    assert_eq!(runs.items.map(|items| items.len()), Some(2));

    let GetInstanceByIdResponse::Ok(run) = api.get_instance_by_id(COMPLETED_RUN.into()).await.unwrap() else { panic!() };
    assert_eq!(run.state, Some(ProcessInstanceStatusDto::Completed));
    // The run as the client parsed it serializes to what the server sent.
    let raw: serde_json::Value =
        reqwest::get(format!("{}/v2/workflows/instances/{COMPLETED_RUN}", api.base_url())).await.unwrap().json().await.unwrap();
    same_json(&run, raw);

    let GetWorkflowStatusesResponse::Ok(statuses) = api.get_workflow_statuses().await.unwrap() else { panic!() };
    assert!(statuses.iter().any(|status| status.value.as_deref() == Some("ACTIVE")));

    let execute = ExecuteWorkflowRequestDto {
        input_data: Some([("size".to_string(), serde_json::json!("small"))].into_iter().collect()),
        ..Default::default()
    };
    let ExecuteWorkflowResponse::Ok(started) = api.execute_workflow("provision-database".into(), execute.clone()).await.unwrap() else { panic!() };
    assert!(matches!(api.execute_workflow("rotate-credentials".into(), execute).await.unwrap(), ExecuteWorkflowResponse::Conflict(_)));

    assert_eq!(api.abort_workflow(started.id.clone()).await.unwrap(), AbortWorkflowResponse::Ok("success".into()));
    assert!(matches!(api.abort_workflow(started.id).await.unwrap(), AbortWorkflowResponse::Conflict(_)));

    let retriggered = api.retrigger_instance("user-onboarding".into(), ERROR_RUN.into(), RetriggerInstanceRequestDto::default()).await.unwrap();
    assert_eq!(retriggered, RetriggerInstanceResponse::Ok(Default::default()));
    assert!(matches!(
        api.retrigger_instance("user-onboarding".into(), ERROR_RUN.into(), RetriggerInstanceRequestDto::default()).await.unwrap(),
        RetriggerInstanceResponse::Conflict(_)
    ));
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_headers_and_body() {
    let app =
        axum::Router::new().fallback(|| async { (axum::http::StatusCode::IM_A_TEAPOT, [("x-reason", "short and stout")], "no workflows here") });
    let api = Client::new(format!("http://{}", serve(app).await), reqwest::Client::new());
    match api.get_workflow_statuses().await {
        Err(ClientError::UndocumentedStatus { status, headers, body }) => {
            assert_eq!(status, 418);
            assert_eq!(headers.get("x-reason").unwrap(), "short and stout");
            assert_eq!(body, b"no workflows here");
        }
        other => panic!("expected an undocumented status, got {other:?}"),
    }
}

#[tokio::test]
async fn server_errors_with_and_without_a_body() {
    let with_body = axum::Router::new().fallback(|| async {
        (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            [("content-type", "application/json")],
            r#"{"message":"internal server error","additionalInfo":"database down"}"#,
        )
    });
    let api = Client::new(format!("http://{}", serve(with_body).await), reqwest::Client::new());
    match api.get_workflow_statuses().await.unwrap() {
        GetWorkflowStatusesResponse::InternalServerError(error) => assert_eq!(error.additional_info.as_deref(), Some("database down")),
        other => panic!("expected a 500 value, got {other:?}"),
    }

    let empty = axum::Router::new().fallback(|| async { axum::http::StatusCode::INTERNAL_SERVER_ERROR });
    let api = Client::new(format!("http://{}", serve(empty).await), reqwest::Client::new());
    match api.get_workflow_statuses().await {
        Err(ClientError::Decode { status: 500, body, .. }) => assert!(body.is_empty()),
        other => panic!("a documented 500 without its body cannot decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_of_the_wrong_type_is_a_decode_error() {
    let app = axum::Router::new().fallback(|| async { ([("content-type", "text/html")], "<html>login page</html>") });
    let api = Client::new(format!("http://{}", serve(app).await), reqwest::Client::new());
    match api.get_workflow_statuses().await {
        Err(ClientError::Decode { status: 200, content_type, body, .. }) => {
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert_eq!(body, b"<html>login page</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn timeouts_are_transport_errors() {
    let app = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "too late"
    });
    let http = reqwest::Client::builder().timeout(Duration::from_millis(200)).build().unwrap();
    let api = Client::new(format!("http://{}", serve(app).await), http);
    match api.get_workflow_statuses().await {
        Err(ClientError::Transport(error)) => assert!(error.is_timeout(), "{error}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}
