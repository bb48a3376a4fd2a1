//! From the connection to a handler and back: [`router`] builds the tower `Service` that finds
//! each request's operation (404 and 405 otherwise), runs its handler through the generated
//! `dispatch` inside a tracing span, and answers 500 when the handler panics.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Instant;

use axum::response::IntoResponse;
use http::{header, HeaderValue, StatusCode};
use serde_json::Value;
use tracing::Instrument;

use super::routing::{Match, Router};
use super::validation::Validators;
use super::{problem, BoxFuture, Input, Operation, Rejection, Response};

/// What a generated `dispatch` function looks like: run operation `index` for `input`. The
/// future is boxed: inlined into the service's own future it made every request's future larger,
/// and moving that cost more than the allocation.
pub type Dispatch<S> = fn(Arc<S>, usize, Input) -> BoxFuture<Result<Response, Rejection>>;

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
    /// Streamed request bodies (binary uploads the handler reads as a stream) longer than this
    /// are cut off and answered with 413; they are not held by the server, so the limit is far
    /// above `body_limit`.
    pub upload_limit: u64,
    /// While a handler's event stream produces nothing for this long, a comment is sent so that
    /// proxies keep the connection; `None` sends none.
    pub keep_alive: Option<std::time::Duration>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 2 * 1024 * 1024,
            validate_responses: false,
            precompile_validators: false,
            upload_limit: 1024 * 1024 * 1024,
            keep_alive: Some(std::time::Duration::from_secs(15)),
        }
    }
}

/// The parts of a document a server needs, generated as statics.
pub struct ServerSpec {
    /// The document as JSON.
    pub document: &'static str,
    /// Whether the document is OpenAPI 3.0. Validation reads 3.0's keywords in any version (see
    /// [`super::validation`]), so this is information about the document only.
    pub openapi_3_0: bool,
    /// Every operation, in the order of the indexes `dispatch` is called with.
    pub operations: &'static [Operation],
}

/// What every request to one router shares: the routes, the operation table, the compiled
/// validators and the settings.
pub(super) struct Shared {
    router: Router,
    pub(super) operations: &'static [Operation],
    pub(super) validators: Validators,
    pub(super) config: ServerConfig,
    /// Per operation, the length of the last JSON body it answered with: the next body's buffer
    /// starts that large instead of growing from 128 bytes by doubling, which cost a tenth of a
    /// small list's time in reallocation and copying.
    pub(super) response_sizes: Box<[AtomicUsize]>,
}

/// An axum router that serves every route of `spec` with `dispatch`. Validators are compiled
/// here, once.
pub fn router<S: Send + Sync + 'static>(service: Arc<S>, config: ServerConfig, spec: &'static ServerSpec, dispatch: Dispatch<S>) -> axum::Router {
    let document: Value = serde_json::from_str(spec.document).unwrap_or(Value::Null);
    let mut schemas: Vec<&str> = spec.operations.iter().flat_map(Operation::schemas).collect();
    schemas.sort_unstable();
    schemas.dedup();
    let validators = Validators::new(document, &schemas);
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
            let input = Input { parts, body: Some(body), path: captures, shared, operation: index, upload: None };
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

/// Sends one request through `router`, as a connection would.
#[cfg(test)]
pub(super) async fn call(mut router: axum::Router, request: axum::extract::Request) -> Response {
    std::future::poll_fn(|context| tower_service::Service::<axum::extract::Request>::poll_ready(&mut router, context)).await.expect("ready");
    tower_service::Service::call(&mut router, request).await.expect("infallible")
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
}
