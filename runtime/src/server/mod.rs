//! What generated axum servers call: routing by path template, parameter parsing, request
//! validation against the document's schemas, body reading, and problem responses.
//!
//! A generated server is a table of its operations (route, parameters, body media types and the
//! schemas each is checked against) and a `dispatch` function that runs one operation's handler;
//! [`router`] turns them into an [`axum::Router`]. Everything that can go wrong before a handler
//! runs answers with a problem document (400, 404, 405, 413, 415) and nothing a client sends can
//! make it panic; a handler that panics answers 500.

mod multipart;
mod operation;
pub mod params;
pub mod problem;
pub mod routing;
mod security;
pub mod validation;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

pub use axum;
pub use http;

use axum::body::Body as AxumBody;
use axum::response::{IntoResponse, Response as AxumResponse};
use http::{header, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use tracing::Instrument;

pub use operation::{Operation, ResponseSchema, ResponseStatus};
use params::{Location, ParamSpec, RawRequest, Violation};
pub use problem::problem;
pub use routing::Route;
use routing::{Match, Router};
use validation::Validators;

pub use crate::security::{AuthError, Credential, Credentials, Scheme};

/// The request line, headers and extensions a handler may look at.
pub type RequestParts = http::request::Parts;

/// An HTTP response.
pub type Response = AxumResponse;

/// A boxed future, as the dispatch table stores them.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// What a generated `dispatch` function looks like: run operation `index` for `input`. The
/// future is boxed: inlined into the service's own future it made every request's future larger,
/// and moving that cost more than the allocation.
pub type Dispatch<S> = fn(Arc<S>, usize, Input) -> BoxFuture<Result<Response, Rejection>>;

/// A request refused before its handler ran: the response that says why. Boxed, because a
/// `Result` whose error is a whole response would be large on every path that succeeds.
#[derive(Debug)]
pub struct Rejection(Box<Response>);

impl From<Response> for Rejection {
    fn from(response: Response) -> Self {
        Rejection(Box::new(response))
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// Settings of a generated server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Larger request bodies are refused with 413.
    pub body_limit: usize,
    /// Check each response body against the document; a handler that returns something the
    /// document does not allow answers 500 instead (and the violation is logged). Meant for tests.
    pub validate_responses: bool,
    /// Compile every schema validator when the router is built. Off, each is compiled by the
    /// first request that needs it: the server starts at once, and a document whose schemas all
    /// reach each other (Stripe's) does not spend half a minute and much memory on validators for
    /// operations nobody calls.
    pub precompile_validators: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig { body_limit: 2 * 1024 * 1024, validate_responses: false, precompile_validators: false }
    }
}

/// The parts of a document a server needs, generated as statics.
pub struct ServerSpec {
    /// The document as JSON.
    pub document: &'static str,
    pub openapi_3_0: bool,
    /// Every operation, in the order of the indexes `dispatch` is called with.
    pub operations: &'static [Operation],
}

/// The largest buffer a JSON answer starts with: below the size at which the system allocator
/// maps fresh pages for each allocation.
const RESPONSE_BUFFER_LIMIT: usize = 64 * 1024;

struct Shared {
    router: Router,
    operations: &'static [Operation],
    validators: Validators,
    config: ServerConfig,
    /// Per operation, the length of the last JSON body it answered with: the next body's buffer
    /// starts that large instead of growing from 128 bytes by doubling, which cost a tenth of a
    /// small list's time in reallocation and copying.
    response_sizes: Box<[AtomicUsize]>,
}

/// An axum router that serves every route of `spec` with `dispatch`. Validators are compiled
/// here, once.
pub fn router<S: Send + Sync + 'static>(service: Arc<S>, config: ServerConfig, spec: &'static ServerSpec, dispatch: Dispatch<S>) -> axum::Router {
    let document: Value = serde_json::from_str(spec.document).unwrap_or(Value::Null);
    let mut schemas: Vec<&str> = spec.operations.iter().flat_map(Operation::schemas).collect();
    schemas.sort_unstable();
    schemas.dedup();
    let validators = Validators::new(document, spec.openapi_3_0, &schemas);
    if config.precompile_validators {
        validators.compile_all();
    }
    let response_sizes = spec.operations.iter().map(|_| AtomicUsize::new(0)).collect();
    let routes = spec.operations.iter().map(Operation::route).collect();
    let shared = Arc::new(Shared { router: Router::new(routes), operations: spec.operations, validators, config, response_sizes });
    axum::Router::new().fallback_service(Serve { shared, service, dispatch })
}

/// The service behind the router: a plain [`tower_service::Service`] rather than an axum
/// handler, since it takes the request whole and the handler machinery around a closure cost a
/// noticeable share of a small request's time.
struct Serve<S> {
    shared: Arc<Shared>,
    service: Arc<S>,
    dispatch: Dispatch<S>,
}

impl<S> Clone for Serve<S> {
    fn clone(&self) -> Self {
        Serve { shared: self.shared.clone(), service: self.service.clone(), dispatch: self.dispatch }
    }
}

impl<S: Send + Sync + 'static> tower_service::Service<axum::extract::Request> for Serve<S> {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = BoxFuture<Result<Response, std::convert::Infallible>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: axum::extract::Request) -> Self::Future {
        let (shared, service, dispatch) = (self.shared.clone(), self.service.clone(), self.dispatch);
        Box::pin(async move { Ok(handle(shared, service, dispatch, request).await) })
    }
}

async fn handle<S: Send + Sync + 'static>(shared: Arc<Shared>, service: Arc<S>, dispatch: Dispatch<S>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    match shared.router.find(parts.method.as_str(), parts.uri.path()) {
        Match::NotFound => problem(StatusCode::NOT_FOUND, format!("no operation is served at `{}`", parts.uri.path()), &[]),
        Match::MethodNotAllowed(allowed) => {
            let allow = allowed.join(", ");
            let mut response =
                problem(StatusCode::METHOD_NOT_ALLOWED, format!("`{}` does not accept {}; it accepts {allow}", parts.uri.path(), parts.method), &[]);
            if let Ok(value) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        Match::Found(index, captures) => {
            let route = shared.operations[index].route();
            let span = tracing::info_span!(
                "operation",
                operation_id = route.operation_id,
                method = route.method,
                status = tracing::field::Empty,
                latency_us = tracing::field::Empty
            );
            // The clock is read only when a subscriber records the span.
            let started = (!span.is_disabled()).then(Instant::now);
            let input = Input { parts, body: Some(body), path: captures, shared, operation: index };
            let handled = CatchPanic(dispatch(service, index, input).instrument(span.clone()));
            let response = match handled.await {
                Ok(Ok(response)) => response,
                Ok(Err(rejection)) => rejection.into_response(),
                Err(panic) => {
                    let message = panic.downcast_ref::<&str>().copied().or_else(|| panic.downcast_ref::<String>().map(String::as_str)).unwrap_or("");
                    tracing::error!(parent: &span, message, "the handler panicked");
                    problem(StatusCode::INTERNAL_SERVER_ERROR, "the handler failed", &[])
                }
            };
            span.record("status", response.status().as_u16());
            if let Some(started) = started {
                span.record("latency_us", started.elapsed().as_micros() as u64);
            }
            tracing::info!(parent: &span, "handled");
            response
        }
    }
}

/// A handler's future, polled in the connection's own task, that turns a panic into an error so
/// that it answers 500 rather than dropping the connection. A task per request did the same but
/// cost a second scheduling, often on the other worker thread, on every request.
struct CatchPanic<F>(F);

impl<F: Future + Unpin> Future for CatchPanic<F> {
    type Output = Result<F::Output, Box<dyn std::any::Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, context: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        // The future is dropped after a panic and never polled again, so no broken state of it
        // is ever seen.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Pin::new(&mut self.0).poll(context))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(output)) => std::task::Poll::Ready(Ok(output)),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    }
}

/// One request on its way to a handler.
pub struct Input {
    parts: RequestParts,
    body: Option<AxumBody>,
    path: Vec<(&'static str, String)>,
    shared: Arc<Shared>,
    operation: usize,
}

/// How a request or response body of one media type travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Json,
    Text,
    Form,
    Multipart,
    Binary,
}

/// One media type a request body may have.
#[derive(Debug, Clone, Copy)]
pub struct BodyMedia {
    pub media_type: &'static str,
    pub kind: MediaKind,
    /// The pointer of the schema to validate with.
    pub schema: Option<&'static str>,
    /// For form bodies: how each property is read.
    pub form: &'static [ParamSpec],
}

/// 400 for a request without the body the operation requires.
fn body_missing() -> Rejection {
    let violation = Violation { location: Location::Body, pointer: String::new(), message: "a request body is required".into() };
    problem::invalid(&[violation]).into()
}

/// 415 for a body in a media type the handler has no conversion for. The router only hands over
/// bodies in the media types listed for the operation, so generated handlers keep this only to
/// stay total.
pub fn unsupported_media_type() -> Rejection {
    problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported media type", &[]).into()
}

/// A request body, read and validated, not yet typed.
pub struct Body {
    /// Which of the operation's media types it came as.
    pub index: usize,
    content: Content,
}

enum Content {
    Json(Value),
    Text(String),
    Bytes(Vec<u8>),
}

impl Body {
    /// The body as the schema's type.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Rejection> {
        let value = match self.content {
            Content::Json(value) => value,
            Content::Text(text) => Value::String(text),
            Content::Bytes(bytes) => Value::Array(bytes.into_iter().map(Value::from).collect()),
        };
        Ok(serde_json::from_value(value)
            .map_err(|error| problem::invalid(&[Violation { location: Location::Body, pointer: String::new(), message: error.to_string() }]))?)
    }

    pub fn text(self) -> Result<String, Rejection> {
        match self.content {
            Content::Text(text) => Ok(text),
            Content::Json(value) => Ok(value.to_string()),
            Content::Bytes(bytes) => Ok(String::from_utf8(bytes).map_err(|_| {
                problem::invalid(&[Violation { location: Location::Body, pointer: String::new(), message: "the body is not UTF-8 text".into() }])
            })?),
        }
    }

    pub fn bytes(self) -> Result<crate::Bytes, Rejection> {
        Ok(crate::Bytes(match self.content {
            Content::Bytes(bytes) => bytes,
            Content::Text(text) => text.into_bytes(),
            Content::Json(value) => value.to_string().into_bytes(),
        }))
    }
}

/// Parsed, validated parameters, taken one by one into the request struct.
pub struct Parameters {
    values: Map<String, Value>,
}

impl Parameters {
    /// The parameter `name` as `T` (an `Option` for optional parameters: absent is `None`).
    pub fn take<T: DeserializeOwned>(&mut self, name: &str, location: Location) -> Result<T, Rejection> {
        let value = self.values.remove(name).unwrap_or(Value::Null);
        Ok(serde_json::from_value(value)
            .map_err(|error| problem::invalid(&[Violation { location, pointer: format!("/{name}"), message: error.to_string() }]))?)
    }
}

impl Input {
    /// A copy of the request line, headers and extensions.
    pub fn parts(&self) -> RequestParts {
        self.parts.clone()
    }

    /// The request line, headers and extensions (with the credentials found), moved out for the
    /// handler: nothing after the handler reads them, and a copy would clone every header.
    pub fn take_parts(&mut self) -> RequestParts {
        std::mem::replace(&mut self.parts, http::Request::new(()).into_parts().0)
    }

    fn route(&self) -> Route {
        self.operation().route()
    }

    fn operation(&self) -> &'static Operation {
        &self.shared.operations[self.operation]
    }

    /// The credentials of the first security requirement the request satisfies; `None` when the
    /// operation allows anonymous access and none was satisfied. 401 when it needs credentials and
    /// carries none of them.
    pub fn credentials(&self, requirements: &[&[Scheme]]) -> Result<Option<Credentials>, Rejection> {
        for requirement in requirements {
            if requirement.is_empty() {
                continue;
            }
            let found: Option<Vec<Credential>> = requirement.iter().map(|scheme| security::find(&self.parts, scheme)).collect();
            if let Some(found) = found {
                return Ok(Some(Credentials(found)));
            }
        }
        if requirements.is_empty() || requirements.iter().any(|requirement| requirement.is_empty()) {
            return Ok(None);
        }
        let mut response = problem(StatusCode::UNAUTHORIZED, "the request carries none of the credentials this operation requires", &[]);
        for challenge in security::challenges(requirements) {
            response.headers_mut().append(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        Err(response.into())
    }

    /// Runs the application's check of the credentials, and makes them available to the handler
    /// in the request's extensions.
    pub fn authenticated(&mut self, credentials: Credentials, verdict: Result<(), AuthError>) -> Result<(), Rejection> {
        match verdict {
            Ok(()) => {
                self.parts.extensions.insert(credentials);
                Ok(())
            }
            Err(AuthError::Unauthorized(detail)) => Err(problem(StatusCode::UNAUTHORIZED, detail, &[]).into()),
            Err(AuthError::Forbidden(detail)) => Err(problem(StatusCode::FORBIDDEN, detail, &[]).into()),
        }
    }

    /// 501 for an operation the application left unimplemented on purpose.
    pub fn not_implemented(&self) -> Response {
        problem(StatusCode::NOT_IMPLEMENTED, format!("operation `{}` is not implemented", self.route().operation_id), &[])
    }

    /// Reads every parameter of the operation and checks each against its schema.
    pub fn parameters(&self) -> Result<Parameters, Rejection> {
        let specs = self.operation().parameters;
        let path: Vec<(&str, &str)> = self.path.iter().map(|(name, value)| (*name, value.as_str())).collect();
        let raw = RawRequest { path: &path, query: self.parts.uri.query(), headers: &self.parts.headers };
        let values = params::parse(specs, &raw).map_err(|violations| problem::invalid(&violations))?;
        let mut violations = Vec::new();
        for spec in specs {
            if let (Some(schema), Some(value)) = (spec.schema, values.get(spec.name)) {
                // The error pointer is only written for a value that fails.
                if !self.shared.validators.is_valid(schema, value) {
                    violations.extend(self.shared.validators.check(schema, value, spec.location, &format!("/{}", escape(spec.name))));
                }
            }
        }
        if !violations.is_empty() {
            return Err(problem::invalid(&violations).into());
        }
        Ok(Parameters { values })
    }

    /// Reads the body in one of the operation's media types (chosen by `Content-Type`), within
    /// the size limit, and checks it against that media type's schema.
    pub async fn body(&mut self, required: bool) -> Result<Option<Body>, Rejection> {
        let media = self.operation().body;
        let limit = self.shared.config.body_limit;
        let too_large = || problem(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body is larger than {limit} bytes"), &[]);
        let declared_length =
            self.parts.headers.get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()).and_then(|value| value.parse::<u64>().ok());
        if declared_length.is_some_and(|length| length > limit as u64) {
            return Err(too_large().into());
        }
        let body = self.body.take().unwrap_or_else(AxumBody::empty);
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => bytes,
            Err(error) => {
                let over_limit = std::error::Error::source(&error).is_some_and(|source| source.is::<http_body_util::LengthLimitError>())
                    || error.to_string().contains("length limit");
                let response = if over_limit {
                    too_large()
                } else {
                    problem(StatusCode::BAD_REQUEST, format!("the request body could not be read: {error}"), &[])
                };
                return Err(response.into());
            }
        };
        let content_type = self.parts.headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(essence);
        if bytes.is_empty() && content_type.is_none() {
            if required {
                return Err(body_missing());
            }
            return Ok(None);
        }
        let accepted = || media.iter().map(|media| media.media_type).collect::<Vec<_>>().join(", ");
        let Some(content_type) = content_type else {
            return Err(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("the request has a body but no Content-Type; accepted: {}", accepted()),
                &[],
            )
            .into());
        };
        let Some(index) = choose_media(media, content_type) else {
            return Err(
                problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("`{content_type}` is not accepted here; accepted: {}", accepted()), &[]).into()
            );
        };
        let chosen = media[index];
        let body_violation = |message: String| problem::invalid(&[Violation { location: Location::Body, pointer: String::new(), message }]);
        let content = match chosen.kind {
            MediaKind::Json => {
                Content::Json(serde_json::from_slice(&bytes).map_err(|error| body_violation(format!("the body is not valid JSON: {error}")))?)
            }
            MediaKind::Text => Content::Text(String::from_utf8(bytes.to_vec()).map_err(|_| body_violation("the body is not UTF-8 text".into()))?),
            MediaKind::Form => {
                let text = std::str::from_utf8(&bytes).map_err(|_| body_violation("the form is not UTF-8 text".into()))?;
                let headers = http::HeaderMap::new();
                let raw = RawRequest { path: &[], query: Some(text), headers: &headers };
                let values = params::parse(chosen.form, &raw).map_err(|violations| {
                    let violations: Vec<Violation> =
                        violations.into_iter().map(|violation| Violation { location: Location::Body, ..violation }).collect();
                    problem::invalid(&violations)
                })?;
                Content::Json(Value::Object(values))
            }
            MediaKind::Multipart => {
                let full_type = self.parts.headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
                let boundary = multipart::boundary(full_type).unwrap_or_default();
                let parts = multipart::parse(&bytes, &boundary).map_err(body_violation)?;
                let (text, files) = multipart::split_fields(parts);
                let headers = http::HeaderMap::new();
                let raw = RawRequest { path: &[], query: Some(&text), headers: &headers };
                // Files and JSON parts are not form text; the form rules must not miss them.
                let specs: Vec<ParamSpec> = chosen.form.iter().filter(|spec| !files.contains_key(spec.name)).copied().collect();
                let mut values = params::parse(&specs, &raw).map_err(|violations| {
                    let violations: Vec<Violation> =
                        violations.into_iter().map(|violation| Violation { location: Location::Body, ..violation }).collect();
                    problem::invalid(&violations)
                })?;
                values.extend(files);
                Content::Json(Value::Object(values))
            }
            MediaKind::Binary => Content::Bytes(bytes.to_vec()),
        };
        if let Some(schema) = chosen.schema {
            // Only text needs a `Value` made for it; a JSON body is checked where it lies.
            let text;
            let value = match &content {
                Content::Json(value) => Some(value),
                Content::Text(body) => {
                    text = Value::String(body.clone());
                    Some(&text)
                }
                Content::Bytes(_) => None,
            };
            if let Some(value) = value {
                let violations = self.shared.validators.check(schema, value, Location::Body, "");
                if !violations.is_empty() {
                    return Err(problem::invalid(&violations).into());
                }
            }
        }
        Ok(Some(Body { index, content }))
    }

    /// [`Input::body`] for an operation whose body is required.
    pub async fn required_body(&mut self) -> Result<Body, Rejection> {
        self.body(true).await?.ok_or_else(body_missing)
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

    pub fn text(&self, status: u16, media_type: &'static str, body: String) -> Response {
        let media_type = if media_type.contains('*') { "text/plain; charset=utf-8" } else { media_type };
        self.reply(status, media_type, body.into_bytes())
    }

    pub fn bytes(&self, status: u16, media_type: &'static str, body: crate::Bytes) -> Response {
        let media_type = if media_type.contains('*') { "application/octet-stream" } else { media_type };
        self.reply(status, media_type, body.0)
    }

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

/// A media type without its parameters; compare with `eq_ignore_ascii_case`.
fn essence(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or_default().trim()
}

/// The index of the declared media type a request's `Content-Type` fits: an exact match first,
/// then `type/*`, then `*/*`.
fn choose_media(media: &[BodyMedia], content_type: &str) -> Option<usize> {
    let declared = || media.iter().map(|media| essence(media.media_type));
    if let Some(index) = declared().position(|declared| declared.eq_ignore_ascii_case(content_type)) {
        return Some(index);
    }
    let kind = content_type.split('/').next().unwrap_or_default();
    if let Some(index) = declared().position(|declared| declared.strip_suffix("/*").is_some_and(|declared| declared.eq_ignore_ascii_case(kind))) {
        return Some(index);
    }
    declared().position(|declared| declared == "*/*")
}

/// Escapes a name for use as a JSON pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_handler_is_caught_and_a_finished_one_passes_through() {
        let finished: BoxFuture<u32> = Box::pin(async { 7 });
        assert_eq!(CatchPanic(finished).await.ok(), Some(7));
        // Pending once first, so the panic happens on a later poll, as it would after an await.
        let panicking: BoxFuture<u32> = Box::pin(async {
            tokio::task::yield_now().await;
            panic!("boom")
        });
        let panic = CatchPanic(panicking).await.expect_err("the panic is caught");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"boom"));
    }

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
        let mut service = router(Arc::new((status, body)), config, &SPEC, dispatch);
        let request = http::Request::get("/pets").body(AxumBody::empty()).expect("a valid request");
        std::future::poll_fn(|context| tower_service::Service::<axum::extract::Request>::poll_ready(&mut service, context)).await.expect("ready");
        tower_service::Service::call(&mut service, request).await.expect("infallible").status().as_u16()
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
