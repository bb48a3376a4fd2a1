//! A server that answers every operation of a document from its examples and schemas.
//!
//! Requests go through the runtime's own server pieces, exactly as in a generated server:
//! routing (literal segments first, 404, 405 with `Allow`), parameters in every style, bodies
//! (413, 415), validation against the document and `application/problem+json` refusals. Only the
//! handler differs: it answers the operation's success response (or the one a `Prefer` header
//! asks for, see [`Prefer`]) with the document's example when that example matches the schema,
//! and with a value built from the schema otherwise ([`crate::synth`]). Every body is validated
//! before it is sent; when no valid body exists or can be built, the answer is 501 with the
//! reason. A body that streams (server-sent events, JSON lines, a binary stream) is sent as a few
//! items with a pause between them ([`StreamPace`], see `stream`).
//!
//! Paths are served as the document writes them, without the `servers` prefix, as generated
//! routers do. Credentials are not checked, and webhooks are not served (they are calls the API
//! makes, not ones it receives).

mod answer;
mod params;
mod stream;

use std::sync::{Arc, Mutex};

use http::StatusCode;
use oas_codegen::load::{Document, Version};
use oas_runtime::server::{BoxFuture, Input, Rejection, Response, ServerConfig, ServerSpec};
use serde_json::Value;

use answer::{Answering, MediaInfo, ResponseInfo};
pub use answer::{Prefer, Refusal, Reply};
pub use stream::{StreamPace, Streamed};

use crate::checker::Checker;

/// One served operation.
pub struct Operation {
    /// The operationId (derived from method and path where the document has none).
    pub id: String,
    /// Upper case.
    pub method: String,
    /// The path template, as the document writes it.
    pub path: String,
    /// Whether it reads a body, and whether the body is required.
    body: Option<bool>,
    responses: Vec<ResponseInfo>,
}

struct State {
    root: &'static Value,
    openapi_3_0: bool,
    operations: Vec<Operation>,
    /// Validators and built values are shared by all requests; building is quick next to
    /// compiling a validator, so one lock over both is enough.
    checker: Mutex<Checker<'static>>,
}

/// A document, ready to be served.
pub struct Mock {
    state: Arc<State>,
    spec: &'static ServerSpec,
    webhooks: usize,
    pace: StreamPace,
}

/// What a router serves with: the document's operations, and how streams are paced.
struct Served {
    state: Arc<State>,
    pace: StreamPace,
}

impl Mock {
    /// Prepares every operation of `document`. The document and the tables built from it stay
    /// in memory for the rest of the process (see `params`).
    pub fn new(document: Document) -> Mock {
        let openapi_3_0 = document.version == Version::V3_0;
        let (model, _) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
        let root: &'static Value = Box::leak(Box::new(document.root));
        let mut operations = Vec::new();
        // What the runtime reads requests with, in the same order.
        let served: Vec<_> = oas_codegen::ir::table::operation_table(&model, false).iter().map(params::operation).collect();
        let webhooks = model.operations.iter().filter(|operation| operation.webhook).count();
        for operation in model.operations.iter().filter(|operation| !operation.webhook) {
            let body = operation.body.as_ref().filter(|body| !body.contents.is_empty());
            let responses = operation
                .responses
                .iter()
                .map(|response| ResponseInfo {
                    status: response.status.clone(),
                    contents: response
                        .contents
                        .iter()
                        .map(|content| MediaInfo {
                            media_type: params::leak(&content.media_type),
                            schema: content.ty.as_ref().map(|_| content.schema_pointer()),
                            examples: content.examples.clone(),
                            stream: content.stream.clone(),
                            item_schema: content.item_schema_pointer.clone(),
                        })
                        .collect(),
                })
                .collect();
            operations.push(Operation {
                id: operation.id.clone(),
                method: operation.method.http().to_string(),
                path: operation.path.clone(),
                body: body.map(|body| body.required),
                responses,
            });
        }
        let spec = Box::leak(Box::new(ServerSpec {
            document: params::leak(&root.to_string()),
            openapi_3_0,
            operations: Box::leak(served.into_boxed_slice()),
        }));
        let checker = Mutex::new(Checker::for_root(root));
        Mock { state: Arc::new(State { root, openapi_3_0, operations, checker }), spec, webhooks, pace: StreamPace::default() }
    }

    /// The same mock, sending `pace.items` items per streamed body with `pace.delay` between
    /// them (routers made from it afterwards do; those made before keep their pace).
    pub fn with_stream_pace(mut self, pace: StreamPace) -> Mock {
        self.pace = pace;
        self
    }

    /// The served operations, in document order; [`Mock::reply`] takes an index into this list.
    pub fn operations(&self) -> &[Operation] {
        &self.state.operations
    }

    /// What the mock answers operation `index` when the request (already found valid) prefers
    /// `prefer`.
    pub fn reply(&self, index: usize, prefer: &Prefer) -> Result<Reply, Refusal> {
        self.state.reply(index, prefer, self.pace.items)
    }

    /// Lines worth telling whoever starts the mock.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![format!("serving {} operations", self.state.operations.len())];
        if self.webhooks > 0 {
            notes.push(format!("{} webhook operations are not served (the API calls them, it does not receive them)", self.webhooks));
        }
        notes
    }

    /// The axum router that serves the document.
    pub fn router(&self) -> axum::Router {
        let config = ServerConfig { validate_responses: false, ..ServerConfig::default() };
        let served = Arc::new(Served { state: self.state.clone(), pace: self.pace });
        oas_runtime::server::router(served, config, self.spec, dispatch)
    }

    /// Serves on `listener` until the process ends.
    pub async fn serve(&self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        axum::serve(listener, self.router()).await
    }
}

impl State {
    fn reply(&self, index: usize, prefer: &Prefer, stream_items: usize) -> Result<Reply, Refusal> {
        let operation =
            self.operations.get(index).ok_or_else(|| Refusal { status: 501, detail: format!("there is no operation {index}"), failure: None })?;
        // A poisoned lock only means another request panicked while building; the cache of
        // validators it guards is still sound.
        let checker = self.checker.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let answering =
            Answering { root: self.root, openapi_3_0: self.openapi_3_0, checker: &checker, responses: &operation.responses, stream_items };
        answer::reply(&answering, prefer)
    }
}

fn dispatch(served: Arc<Served>, index: usize, mut input: Input) -> BoxFuture<Result<Response, Rejection>> {
    Box::pin(async move {
        let (state, pace) = (&served.state, served.pace);
        let operation = &state.operations[index];
        input.parameters()?;
        if let Some(required) = operation.body {
            input.body(required).await?;
        }
        let prefer = Prefer::from_headers(&input.parts().headers);
        // Building may compile validators, which takes a while on large schemas.
        let reply = {
            let state = state.clone();
            tokio::task::spawn_blocking(move || state.reply(index, &prefer, pace.items)).await
        };
        Ok(match reply {
            Ok(Ok(reply)) => render(&input, reply, pace),
            Ok(Err(refusal)) => {
                let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::NOT_IMPLEMENTED);
                oas_runtime::server::problem(status, refusal.detail, &[])
            }
            Err(_) => oas_runtime::server::problem(StatusCode::INTERNAL_SERVER_ERROR, "building the response failed", &[]),
        })
    })
}

fn render(input: &Input, reply: Reply, pace: StreamPace) -> Response {
    if let (Some(media_type), Some(streamed)) = (reply.media_type, reply.stream) {
        return stream::render(input, reply.status, media_type, streamed, pace.delay);
    }
    let (Some(media_type), Some(body)) = (reply.media_type, reply.body) else { return input.empty(reply.status) };
    match oas_codegen::ir::MediaKind::of(media_type) {
        oas_codegen::ir::MediaKind::Json => input.json(reply.status, media_type, &body),
        _ if media_type.contains('*') => input.json(reply.status, media_type, &body),
        oas_codegen::ir::MediaKind::Text => input.text(reply.status, media_type, text_of(body)),
        _ => input.bytes(reply.status, media_type, oas_runtime::Bytes(text_of(body).into_bytes())),
    }
}

/// A body for a text or binary media type: strings as they are, anything else as JSON text.
fn text_of(body: Value) -> String {
    match body {
        Value::String(text) => text,
        other => other.to_string(),
    }
}
