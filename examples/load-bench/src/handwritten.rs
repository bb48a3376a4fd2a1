//! The same endpoints written directly against axum, as a team without a generator would: typed
//! bodies through serde into the generated types, errors as problem documents.
//!
//! Validation in [`router`] is what such code realistically does: serde's typed parsing (required
//! members, types, enum values) plus the checks the store itself makes on filters. It does not
//! run JSON Schema over the body, which the generated server does, so the difference between the
//! two is the cost of the generated server's routing, parameter and schema checks.
//!
//! [`router_validating`] is the same code doing the same work as the generated server: it also
//! checks the search body against its schema in the document with the `jsonschema` crate. The
//! difference from it is the generated server's own cost, validation aside. The two GET
//! endpoints take nothing a schema constrains beyond being text, so only the search differs.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use oas_runtime::server::params::Location;
use oas_runtime::server::validation::Validators;
use orchestrator_api::{ErrorResponse, ProblemDetails, SearchRequest};
use orchestrator_backend::{Store, StoreError};
use serde::Serialize;
use serde_json::Value;

const JSON: &str = "application/json";
const PROBLEM_JSON: &str = "application/problem+json";

/// Where the search body's schema is in the document.
const SEARCH_SCHEMA: &str = "/paths/~1v2~1workflows~1overview/post/requestBody/content/application~1json/schema";

/// What the handlers share.
struct App {
    store: Store,
    /// The search body's schema, when bodies are checked against it.
    schemas: Option<Validators>,
}

/// The hand-written router over `store`.
pub fn router(store: Store) -> Router {
    routes(App { store, schemas: None })
}

/// The hand-written router over `store`, checking the search body against its schema. The
/// validator comes from the runtime's `Validators`, so that the bundled schema and the
/// `jsonschema` options are exactly the generated server's.
pub fn router_validating(store: Store) -> Result<Router, String> {
    let document: Value = serde_json::from_str(orchestrator_api::OPENAPI_JSON).map_err(|error| format!("the document: {error}"))?;
    let schemas = Validators::new(document, &[SEARCH_SCHEMA]);
    schemas.compile_all();
    Ok(routes(App { store, schemas: Some(schemas) }))
}

fn routes(app: App) -> Router {
    Router::new()
        .route("/v2/workflows/instances/statuses", get(statuses))
        .route("/v2/workflows/instances/{instance_id}", get(instance))
        .route("/v2/workflows/overview", post(overview))
        .with_state(Arc::new(app))
}

async fn statuses(State(app): State<Arc<App>>) -> Response {
    json(StatusCode::OK, JSON, &app.store.get_workflow_statuses())
}

async fn instance(State(app): State<Arc<App>>, Path(instance_id): Path<String>) -> Response {
    match app.store.get_instance_by_id(&instance_id) {
        Ok(run) => json(StatusCode::OK, JSON, &run),
        Err(error) => problem(StatusCode::NOT_FOUND, error.to_string()),
    }
}

async fn overview(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    // The body is optional in the document: an empty one means "everything, first page".
    let search = if body.is_empty() {
        SearchRequest::default()
    } else {
        let is_json = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| value.starts_with(JSON));
        if !is_json {
            return problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("the body must be {JSON}"));
        }
        let read = match &app.schemas {
            None => serde_json::from_slice::<SearchRequest>(&body).map_err(|error| error.to_string()),
            Some(schemas) => checked(schemas, &body),
        };
        match read {
            Ok(search) => search,
            Err(error) => return problem(StatusCode::BAD_REQUEST, format!("the body is not a search request: {error}")),
        }
    };
    match app.store.get_workflows_overview(&search) {
        Ok(list) => json(StatusCode::OK, JSON, &list),
        Err(StoreError::InvalidFilter(message)) => problem(StatusCode::BAD_REQUEST, message),
        Err(other) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            JSON,
            &ErrorResponse { message: "internal server error".into(), additional_info: Some(other.to_string()) },
        ),
    }
}

/// The body parsed, checked against the search schema, then typed.
fn checked(schemas: &Validators, body: &[u8]) -> Result<SearchRequest, String> {
    let value: Value = serde_json::from_slice(body).map_err(|error| error.to_string())?;
    let violations = schemas.check(SEARCH_SCHEMA, &value, Location::Body, "");
    if let Some(first) = violations.first() {
        return Err(format!("{} at `{}`", first.message, first.pointer));
    }
    serde_json::from_value(value).map_err(|error| error.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    /// A page size the schema allows and a member it does not: `PaginationInfoDTO` has
    /// `additionalProperties: false`, while serde ignores members a struct does not declare.
    const STRAY_MEMBER: &str = r#"{"paginationInfo":{"pageSize":5,"stray":true}}"#;

    async fn search(router: Router, body: &'static str) -> (StatusCode, String) {
        let request = http::Request::post("/v2/workflows/overview").header(header::CONTENT_TYPE, JSON).body(Body::from(body)).expect("a request");
        let response = router.oneshot(request).await.expect("an answer");
        let status = response.status();
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn only_the_validating_router_checks_the_body_against_its_schema() {
        let (status, _) = search(router(Store::seeded()), STRAY_MEMBER).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = search(router_validating(Store::seeded()).expect("a router"), STRAY_MEMBER).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("stray"), "{body}");
    }

    #[tokio::test]
    async fn both_routers_answer_a_valid_search_alike() {
        let body = r#"{"paginationInfo":{"pageSize":2,"offset":0,"orderBy":"name","orderDirection":"ASC"}}"#;
        let plain = search(router(Store::seeded()), body).await;
        let validating = search(router_validating(Store::seeded()).expect("a router"), body).await;
        assert_eq!(plain.0, StatusCode::OK);
        assert_eq!(plain, validating);
    }
}
