//! The server's side of streaming: a handler's [`EventStream`], [`LineStream`] or
//! [`ByteStream`] written item by item as it produces them, and uploads handed to the handler as
//! a [`ByteStream`] within their own limit.
//!
//! An item the handler's stream fails with, or (when response validation is on) one that does not
//! match the document, ends the body abruptly: the status went out with the first byte, so
//! breaking the connection off is how a client learns that the stream did not end as it should.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body as AxumBody;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::IntoResponse;
use futures_util::{StreamExt, TryStreamExt};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;
use serde_json::Value;

use super::params::Location;
use super::service::Shared;
use super::{problem, Input, Response};
use crate::stream::{ByteStream, Chunk, Event, EventStream, Framing, LineStream, StreamError};

/// Why a streamed body was broken off, as the body's error.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Checks each item against the document's schema for it, when response validation is on.
#[derive(Clone)]
struct ItemCheck {
    shared: Arc<Shared>,
    schema: Option<&'static str>,
    operation_id: &'static str,
}

impl ItemCheck {
    /// The item as JSON when it must be checked, `Err` when it does not match.
    fn check<T: Serialize>(&self, item: &T) -> Result<(), BoxError> {
        let Some(schema) = self.schema else { return Ok(()) };
        let value = serde_json::to_value(item)?;
        let violations = self.shared.validators.check(schema, &value, Location::Body, "");
        if violations.is_empty() {
            return Ok(());
        }
        tracing::error!(operation_id = self.operation_id, ?violations, "an item of the handler's stream does not match the document");
        Err("an item of the stream does not match the document".into())
    }
}

impl Input {
    fn item_check(&self, status: u16, media_type: &str) -> ItemCheck {
        let schema = self.shared.config.validate_responses.then(|| self.operation().response_schema(status, media_type)).flatten();
        ItemCheck { shared: self.shared.clone(), schema, operation_id: self.route().operation_id }
    }

    /// The request's `Last-Event-ID`, which a reconnecting client sends with the id of the last
    /// event it received.
    pub fn last_event_id(&self) -> Option<String> {
        self.parts.headers.get("last-event-id").and_then(|value| value.to_str().ok()).map(str::to_string)
    }

    /// A `text/event-stream` response writing each event as the handler's stream produces it,
    /// with a comment every [`super::ServerConfig::keep_alive`] while it produces none. `data` is
    /// written as JSON, or as text when `json` is false.
    pub fn events<T: Serialize + Send + 'static>(&self, status: u16, media_type: &str, stream: EventStream<T>, json: bool) -> Response {
        let Ok(status) = StatusCode::from_u16(status) else { return self.invalid_status(status) };
        let check = self.item_check(status.as_u16(), media_type);
        let events = stream.map(move |item| sse_event(item?, json, &check));
        let sse = Sse::new(events);
        let mut response = match self.shared.config.keep_alive {
            Some(interval) => sse.keep_alive(KeepAlive::new().interval(interval)).into_response(),
            None => sse.into_response(),
        };
        *response.status_mut() = status;
        response
    }

    /// A JSON-lines response (`application/jsonl`, `application/x-ndjson`, or RFC 7464 records
    /// for `application/json-seq`) writing each value as the handler's stream produces it.
    pub fn lines<T: Serialize + Send + 'static>(&self, status: u16, media_type: &'static str, stream: LineStream<T>, framing: Framing) -> Response {
        let check = self.item_check(status, media_type);
        let chunks = stream.map(move |item| -> Result<Chunk, BoxError> {
            let item = item?;
            check.check(&item)?;
            let mut bytes = Vec::with_capacity(128);
            if framing == Framing::JsonSeq {
                bytes.push(0x1e);
            }
            serde_json::to_writer(&mut bytes, &item)?;
            bytes.push(b'\n');
            Ok(Chunk::from(bytes))
        });
        self.streamed(status, media_type, AxumBody::from_stream(chunks))
    }

    /// A binary response writing each chunk as the handler's stream produces it.
    pub fn byte_stream(&self, status: u16, media_type: &'static str, stream: ByteStream) -> Response {
        let media_type = if media_type.contains('*') { "application/octet-stream" } else { media_type };
        self.streamed(status, media_type, AxumBody::from_stream(stream))
    }

    fn streamed(&self, status: u16, media_type: &'static str, body: AxumBody) -> Response {
        let Ok(status) = StatusCode::from_u16(status) else { return self.invalid_status(status) };
        let mut response = (status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
        response
    }

    fn invalid_status(&self, status: u16) -> Response {
        tracing::error!(operation_id = self.route().operation_id, status, "the handler answered with an invalid status");
        problem(StatusCode::INTERNAL_SERVER_ERROR, format!("the handler answered with the invalid status {status}"), &[])
    }

    /// The handler's response, or 413 when it read an upload past the upload limit (the handler
    /// saw the stream end with [`StreamError::TooLarge`]).
    pub fn finish(&self, response: Response) -> Response {
        match &self.upload {
            Some(upload) if upload.exceeded.load(Ordering::Relaxed) => {
                problem(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body is larger than {} bytes", upload.limit), &[])
            }
            _ => response,
        }
    }

    /// The request body as a stream, counted against the upload limit: 413 at once when its
    /// declared length is over it, and the stream ends with [`StreamError::TooLarge`] when the
    /// bytes are.
    pub(super) fn upload(&mut self, body: AxumBody) -> Result<ByteStream, super::Rejection> {
        let limit = self.shared.config.upload_limit;
        let declared =
            self.parts.headers.get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()).and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit) {
            return Err(problem(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body is larger than {limit} bytes"), &[]).into());
        }
        let upload = Arc::new(Upload { limit, exceeded: AtomicBool::new(false), read: AtomicU64::new(0) });
        self.upload = Some(upload.clone());
        let chunks = body.into_data_stream().map_err(|error| StreamError::Transport(error.into())).map(move |chunk| {
            let chunk = chunk?;
            let read = upload.read.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
            if read > upload.limit {
                upload.exceeded.store(true, Ordering::Relaxed);
                return Err(StreamError::TooLarge { limit: upload.limit });
            }
            Ok(chunk)
        });
        // Nothing after the limit's error is read.
        Ok(ByteStream::new(crate::stream::until_fatal(chunks)))
    }
}

/// The state of an upload handed to a handler as a stream.
pub(super) struct Upload {
    limit: u64,
    read: AtomicU64,
    exceeded: AtomicBool,
}

/// One event as axum writes it; an `Err` for what cannot travel (a name or id with a line
/// break), which breaks the stream off rather than letting axum panic.
fn sse_event<T: Serialize>(event: Event<T>, json: bool, check: &ItemCheck) -> Result<SseEvent, BoxError> {
    check.check(&event.data)?;
    let data = if json {
        serde_json::to_string(&event.data)?
    } else {
        match serde_json::to_value(&event.data)? {
            // Line breaks separate `data:` lines, which a reader joins with `\n`.
            Value::String(text) => text.replace("\r\n", "\n").replace('\r', "\n"),
            other => other.to_string(),
        }
    };
    let mut sse = SseEvent::default().data(data);
    if let Some(name) = event.event {
        if name.contains(['\r', '\n']) {
            return Err("an event name cannot contain a line break".into());
        }
        sse = sse.event(name);
    }
    if let Some(id) = event.id {
        if id.contains(['\r', '\n', '\0']) {
            return Err("an event id cannot contain a line break or a null character".into());
        }
        sse = sse.id(id);
    }
    if let Some(retry) = event.retry {
        sse = sse.retry(retry);
    }
    Ok(sse)
}

#[cfg(test)]
mod tests {
    use axum::body::Body as AxumBody;

    use super::*;
    use crate::server::service::call;
    use crate::server::{router, BodyMedia, BoxFuture, MediaKind, Operation, Rejection, ServerConfig, ServerSpec};

    static SPEC: ServerSpec = ServerSpec {
        document: r#"{"openapi": "3.1.0", "paths": {}}"#,
        openapi_3_0: false,
        operations: &[Operation {
            operation_id: "upload",
            method: "PUT",
            path: "/blob",
            parameters: &[],
            body: &[BodyMedia { media_type: "application/octet-stream", kind: MediaKind::Binary, schema: None, form: &[], streams: true }],
            responses: &[],
        }],
    };

    /// The status of an upload of `chunks` chunks of 1 KiB, sent without a length, against a
    /// 4 KiB upload limit; the handler reads the stream to its end and answers 204.
    async fn upload_status(chunks: usize) -> u16 {
        fn dispatch(_: Arc<()>, _: usize, mut input: Input) -> BoxFuture<Result<Response, Rejection>> {
            Box::pin(async move {
                let mut body = input.required_body().await?.byte_stream()?;
                while let Some(chunk) = body.next().await {
                    if chunk.is_err() {
                        break;
                    }
                }
                let response = input.empty(204);
                Ok(input.finish(response))
            })
        }
        let config = ServerConfig { upload_limit: 4096, body_limit: 16, ..ServerConfig::default() };
        let body = futures_util::stream::iter((0..chunks).map(|_| Ok::<_, std::io::Error>(Chunk::from(vec![7u8; 1024]))));
        let request = http::Request::put("/blob").header(header::CONTENT_TYPE, "application/octet-stream").body(AxumBody::from_stream(body)).unwrap();
        call(router(Arc::new(()), config, &SPEC, dispatch), request).await.status().as_u16()
    }

    #[tokio::test]
    async fn an_upload_is_held_to_its_own_limit_not_the_body_limit() {
        // Far over the 16-byte body limit, within the upload limit.
        assert_eq!(upload_status(4).await, 204);
        // Past the upload limit the stream ends with an error and the answer is 413, whatever
        // the handler answered.
        assert_eq!(upload_status(5).await, 413);
    }
}
