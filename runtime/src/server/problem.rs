//! RFC 9457 problem responses (`application/problem+json`), the answer to every request the
//! server refuses before or instead of a handler.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde_json::{json, Value};

use super::params::Violation;

/// The media type of every problem response.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem response with the standard members and, when given, one entry per violation.
pub fn problem(status: StatusCode, detail: impl Into<String>, violations: &[Violation]) -> Response {
    let mut body = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail.into(),
    });
    if !violations.is_empty() {
        body["errors"] = Value::Array(
            violations
                .iter()
                .map(|violation| json!({ "pointer": violation.pointer, "message": violation.message, "location": violation.location.as_str() }))
                .collect(),
        );
    }
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

/// 400 listing every violation.
pub fn invalid(violations: &[Violation]) -> Response {
    let count = violations.len();
    let detail = if count == 1 { "the request has 1 invalid value".to_string() } else { format!("the request has {count} invalid values") };
    problem(StatusCode::BAD_REQUEST, detail, violations)
}
