//! What a handler answers, written out: bodies by media type (JSON straight to bytes, in a buffer
//! sized after the operation's last answer), checked against the document's schema for their
//! status when response validation is on, and response headers from typed values. A response
//! that cannot be sent as the handler wrote it answers 500 and is logged.

use std::sync::atomic::Ordering;

use axum::response::IntoResponse;
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;
use serde_json::Value;

use super::params::Location;
use super::{problem, Input, Response};

/// The largest buffer a JSON answer starts with: below the size at which the system allocator
/// maps fresh pages for each allocation.
const RESPONSE_BUFFER_LIMIT: usize = 64 * 1024;

impl Input {
    /// 501 for an operation the application left unimplemented on purpose.
    pub fn not_implemented(&self) -> Response {
        problem(StatusCode::NOT_IMPLEMENTED, format!("operation `{}` is not implemented", self.route().operation_id), &[])
    }

    /// A JSON response, checked against the document's schema for it when response validation
    /// is on.
    pub fn json<T: Serialize>(&self, status: u16, media_type: &'static str, body: &T) -> Response {
        let schema = || self.operation().response_schema(status, media_type);
        let bytes = match self.shared.config.validate_responses.then(schema).flatten() {
            Some(schema) => {
                let value = match serde_json::to_value(body) {
                    Ok(value) => value,
                    Err(error) => return self.handler_error(format!("the response body could not be serialized: {error}")),
                };
                let violations = self.shared.validators.check(schema, &value, Location::Body, "");
                if !violations.is_empty() {
                    tracing::error!(
                        operation_id = self.route().operation_id,
                        status,
                        ?violations,
                        "the handler's response does not match the document"
                    );
                    return problem(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("the response with status {status} does not match the document"),
                        &violations,
                    );
                }
                self.write_json(&value)
            }
            // Straight to bytes: a `Value` in between costs a map insertion per member and a
            // text round trip through `fmt`, which showed up as most of a GET's time under load.
            _ => self.write_json(body),
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(error) => return self.handler_error(format!("the response body could not be serialized: {error}")),
        };
        let media_type = if media_type.contains('*') { "application/json" } else { media_type };
        self.reply(status, media_type, bytes)
    }

    /// `body` as JSON text, in a buffer sized after this operation's last answer.
    fn write_json<T: Serialize + ?Sized>(&self, body: &T) -> serde_json::Result<Vec<u8>> {
        let last = &self.shared.response_sizes[self.operation];
        // A little room for a slightly longer answer; bounded so that one huge answer does not
        // make every later one allocate as much.
        let capacity = last.load(Ordering::Relaxed).saturating_add(64).clamp(128, RESPONSE_BUFFER_LIMIT);
        let mut bytes = Vec::with_capacity(capacity);
        serde_json::to_writer(&mut bytes, body)?;
        last.store(bytes.len() + bytes.len() / 8, Ordering::Relaxed);
        Ok(bytes)
    }

    /// A text response in `media_type` (`text/plain; charset=utf-8` for a wildcard).
    pub fn text(&self, status: u16, media_type: &'static str, body: String) -> Response {
        let media_type = if media_type.contains('*') { "text/plain; charset=utf-8" } else { media_type };
        self.reply(status, media_type, body.into_bytes())
    }

    /// A binary response in `media_type` (`application/octet-stream` for a wildcard).
    pub fn bytes(&self, status: u16, media_type: &'static str, body: crate::Bytes) -> Response {
        let media_type = if media_type.contains('*') { "application/octet-stream" } else { media_type };
        self.reply(status, media_type, body.0)
    }

    /// A response without a body.
    pub fn empty(&self, status: u16) -> Response {
        match StatusCode::from_u16(status) {
            Ok(status) => status.into_response(),
            Err(_) => self.handler_error(format!("the handler answered with the invalid status {status}")),
        }
    }

    fn reply(&self, status: u16, media_type: &'static str, body: Vec<u8>) -> Response {
        let Ok(status) = StatusCode::from_u16(status) else {
            return self.handler_error(format!("the handler answered with the invalid status {status}"));
        };
        let mut response = (status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
        response
    }

    fn handler_error(&self, detail: String) -> Response {
        tracing::error!(operation_id = self.route().operation_id, detail, "the handler's response cannot be sent");
        problem(StatusCode::INTERNAL_SERVER_ERROR, detail, &[])
    }
}

/// Adds a response header from a typed value: scalars as text, lists joined with commas (the
/// `simple` style), anything else as JSON. A value that is not a valid header is left out.
pub fn with_header<T: Serialize>(mut response: Response, name: &'static str, value: &T) -> Response {
    let text = match serde_json::to_value(value) {
        Ok(Value::Null) | Err(_) => return response,
        Ok(Value::String(text)) => text,
        Ok(Value::Array(items)) => {
            items.iter().map(|item| item.as_str().map(str::to_string).unwrap_or_else(|| item.to_string())).collect::<Vec<_>>().join(",")
        }
        Ok(other) => other.to_string(),
    };
    if let (Ok(name), Ok(value)) = (http::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
        response.headers_mut().append(name, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body as AxumBody;

    use super::*;
    use crate::server::service::call;
    use crate::server::{router, BoxFuture, Operation, Rejection, ResponseSchema, ServerConfig, ServerSpec};

    const DOCUMENT: &str = r#"{"openapi": "3.1.0", "paths": {"/pets": {"get": {"responses": {
        "200": {"content": {"application/json": {"schema": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}},
        "default": {"content": {"application/json": {"schema": {"type": "object", "required": ["message"]}}}}
    }}}}}"#;

    static SPEC: ServerSpec = ServerSpec {
        document: DOCUMENT,
        openapi_3_0: false,
        operations: &[Operation {
            operation_id: "listPets",
            method: "GET",
            path: "/pets",
            parameters: &[],
            body: &[],
            responses: &[
                ResponseSchema::code(200, "application/json", "/paths/~1pets/get/responses/200/content/application~1json/schema"),
                ResponseSchema::default_response("application/json", "/paths/~1pets/get/responses/default/content/application~1json/schema"),
            ],
        }],
    };

    /// The status a server answers when its handler answers `status` with `body`.
    async fn served_status(status: u16, body: Value, validate_responses: bool) -> u16 {
        fn dispatch(answer: Arc<(u16, Value)>, _: usize, input: Input) -> BoxFuture<Result<Response, Rejection>> {
            Box::pin(async move { Ok(input.json(answer.0, "application/json", &answer.1)) })
        }
        let config = ServerConfig { validate_responses, ..ServerConfig::default() };
        let service = router(Arc::new((status, body)), config, &SPEC, dispatch);
        let request = http::Request::get("/pets").body(AxumBody::empty()).expect("a valid request");
        call(service, request).await.status().as_u16()
    }

    #[tokio::test]
    async fn responses_are_checked_against_the_schema_of_their_status_or_the_default() {
        use serde_json::json;
        assert_eq!(served_status(200, json!({"id": 1}), true).await, 200);
        assert_eq!(served_status(200, json!({"id": "one"}), true).await, 500);
        assert_eq!(served_status(200, json!({"id": "one"}), false).await, 200);
        // 404 is not listed, so `default` describes it.
        assert_eq!(served_status(404, json!({"message": "no such pet"}), true).await, 404);
        assert_eq!(served_status(404, json!({"id": 1}), true).await, 500);
    }
}
