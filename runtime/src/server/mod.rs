//! What generated axum servers call: routing by path template, parameter parsing, request
//! validation against the document's schemas, body reading, and problem responses.
//!
//! A generated server is a table of its operations (route, parameters, body media types and the
//! schemas each is checked against) and a `dispatch` function that runs one operation's handler;
//! [`router`] turns them into an [`axum::Router`]. Everything that can go wrong before a handler
//! runs answers with a problem document (400, 404, 405, 413, 415) and nothing a client sends can
//! make it panic; a handler that panics answers 500.
//!
//! The work is split by where a request is: `service` takes it from the connection (routing,
//! the tower `Service`, and catching a handler's panic), `input` reads what it carries
//! (parameters, credentials and the body, each checked against the document) for the handler,
//! and `output` writes what the handler answers (bodies by media type, checked against the
//! document when response validation is on). Everything public is re-exported here, so generated
//! code reaches all of it through `oas_runtime::server`.

mod input;
mod multipart;
mod operation;
mod output;
pub mod params;
pub mod problem;
pub mod routing;
mod security;
mod service;
mod streaming;
pub mod validation;

use std::future::Future;
use std::pin::Pin;

pub use axum;
pub use http;

use axum::response::{IntoResponse, Response as AxumResponse};

pub use input::{unsupported_media_type, Body, BodyMedia, Input, MediaKind, Parameters};
pub use operation::{Operation, ResponseSchema, ResponseStatus};
pub use output::with_header;
pub use problem::problem;
pub use routing::Route;
pub use service::{router, Dispatch, ServerConfig, ServerSpec};

pub use crate::security::{AuthError, Credential, Credentials, Scheme};
pub use crate::stream::{ByteStream, Event, EventStream, Framing, LineStream, StreamError};

/// The request line, headers and extensions a handler may look at.
pub type RequestParts = http::request::Parts;

/// An HTTP response.
pub type Response = AxumResponse;

/// A boxed future, as the dispatch table stores them.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

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
