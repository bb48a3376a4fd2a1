//! The same endpoints written directly against axum, as a team without a generator would: typed
//! bodies through serde into the generated types, errors as problem documents.
//!
//! Validation is what such code realistically does: serde's typed parsing (required members,
//! types, enum values) plus the checks the store itself makes on filters. It does not run JSON
//! Schema over the body, which the generated server does, so the difference between the two is
//! the cost of the generated server's routing, parameter and schema checks.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use orchestrator_api::{ErrorResponse, ProblemDetails, SearchRequest};
use orchestrator_backend::{Store, StoreError};
use serde::Serialize;

const JSON: &str = "application/json";
const PROBLEM_JSON: &str = "application/problem+json";

/// The hand-written router over `store`.
pub fn router(store: Arc<Store>) -> Router {
    Router::new()
        .route("/v2/workflows/instances/statuses", get(statuses))
        .route("/v2/workflows/instances/{instance_id}", get(instance))
        .route("/v2/workflows/overview", post(overview))
        .with_state(store)
}

async fn statuses(State(store): State<Arc<Store>>) -> Response {
    json(StatusCode::OK, JSON, &store.get_workflow_statuses())
}

async fn instance(State(store): State<Arc<Store>>, Path(instance_id): Path<String>) -> Response {
    match store.get_instance_by_id(&instance_id) {
        Ok(run) => json(StatusCode::OK, JSON, &run),
        Err(error) => problem(StatusCode::NOT_FOUND, error.to_string()),
    }
}

async fn overview(State(store): State<Arc<Store>>, headers: HeaderMap, body: Bytes) -> Response {
    // The body is optional in the document: an empty one means "everything, first page".
    let search = if body.is_empty() {
        SearchRequest::default()
    } else {
        let is_json = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| value.starts_with(JSON));
        if !is_json {
            return problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("the body must be {JSON}"));
        }
        match serde_json::from_slice::<SearchRequest>(&body) {
            Ok(search) => search,
            Err(error) => return problem(StatusCode::BAD_REQUEST, format!("the body is not a search request: {error}")),
        }
    };
    match store.get_workflows_overview(&search) {
        Ok(list) => json(StatusCode::OK, JSON, &list),
        Err(StoreError::InvalidFilter(message)) => problem(StatusCode::BAD_REQUEST, message),
        Err(other) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            JSON,
            &ErrorResponse { message: "internal server error".into(), additional_info: Some(other.to_string()) },
        ),
    }
}

fn problem(status: StatusCode, detail: String) -> Response {
    let body = ProblemDetails {
        r#type: Some("about:blank".into()),
        title: Some(status.canonical_reason().unwrap_or("Error").into()),
        status: Some(status.as_u16().into()),
        detail: Some(detail),
        ..ProblemDetails::default()
    };
    json(status, PROBLEM_JSON, &body)
}

fn json<T: Serialize>(status: StatusCode, media_type: &'static str, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
            response
        }
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, format!("cannot write the response: {error}")).into_response(),
    }
}
