//! The client's side of streaming: a response body read item by item into an [`EventStream`],
//! a [`LineStream`] or a [`ByteStream`], within a size limit per item, with opt-in reconnection
//! for server-sent events.

use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use bytes::BytesMut;
use futures_util::{Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use sse_stream::SseByteStream;
use tokio_util::codec::{Decoder, FramedRead};
use tokio_util::io::StreamReader;

use super::{ByteStream, Event, EventStream, Framing, LineStream, StreamError, DEFAULT_ITEM_LIMIT};

/// How a client reads streaming responses.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// The largest event or line read, in bytes; a larger one ends the stream with
    /// [`StreamError::TooLarge`]. 1 MiB by default.
    pub item_limit: usize,
    /// Whether and how an event stream that breaks off is resumed. Off by default.
    pub reconnect: Option<Reconnect>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions { item_limit: DEFAULT_ITEM_LIMIT, reconnect: None }
    }
}

/// Resuming a server-sent event stream after the connection ends, as browsers do: the request is
/// sent again with `Last-Event-ID` set to the last id received, after the delay the server asked
/// for with `retry:` (or [`Reconnect::delay`] until it does). A `204 No Content` answer ends the
/// stream; a status other than 2xx, or [`Reconnect::max_attempts`] attempts in a row without an
/// event, end it with a [`StreamError::Transport`]. Requests whose body is a stream cannot be sent
/// again and are not resumed.
#[derive(Debug, Clone)]
pub struct Reconnect {
    /// The wait before reconnecting until the server sets one with `retry:`.
    pub delay: Duration,
    /// Attempts in a row that bring no event before the stream ends.
    pub max_attempts: u32,
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect { delay: Duration::from_secs(3), max_attempts: 5 }
    }
}

/// Pieces of a body are handed to a parser at most this large, so that the bytes read since the
/// last complete item overstate that item by no more than this.
const PIECE: usize = 8 * 1024;

/// A body's chunks cut into pieces of at most [`PIECE`] bytes, counting the bytes handed out in
/// `since_item` (which the reader resets after each complete item) and failing once that passes
/// the limit: an item that never ends cannot fill memory.
struct Pieces<S> {
    chunks: S,
    pending: Bytes,
    since_item: Arc<AtomicUsize>,
    limit: usize,
}

/// The error a body's chunks end with.
#[derive(Debug)]
enum BodyFailure {
    TooLarge,
    Transport(reqwest::Error),
}

impl fmt::Display for BodyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyFailure::TooLarge => f.write_str("an item is larger than the limit"),
            BodyFailure::Transport(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for BodyFailure {}

impl<S: Stream<Item = reqwest::Result<Bytes>> + Unpin> Stream for Pieces<S> {
    type Item = Result<Bytes, BodyFailure>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        while self.pending.is_empty() {
            match self.chunks.poll_next_unpin(context) {
                Poll::Ready(Some(Ok(chunk))) => self.pending = chunk,
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(BodyFailure::Transport(error)))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
        let length = self.pending.len().min(PIECE);
        let piece = self.pending.split_to(length);
        let read = self.since_item.fetch_add(length, Ordering::Relaxed) + length;
        if read > self.limit.saturating_add(PIECE) {
            return Poll::Ready(Some(Err(BodyFailure::TooLarge)));
        }
        Poll::Ready(Some(Ok(piece)))
    }
}

type BodyChunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// What an event stream reads from, and how it goes on when the connection ends.
struct EventSource {
    events: Option<SseByteStream<Pieces<BodyChunks>>>,
    since_item: Arc<AtomicUsize>,
    limit: usize,
    /// Decode `data` as JSON (otherwise it is the item's text).
    json: bool,
    last_id: Option<String>,
    reconnect: Option<(Reconnect, reqwest::RequestBuilder)>,
    failed_attempts: u32,
    done: bool,
}

impl EventSource {
    fn open(&mut self, response: reqwest::Response) {
        self.since_item.store(0, Ordering::Relaxed);
        let chunks: BodyChunks = Box::pin(response.bytes_stream());
        let pieces = Pieces { chunks, pending: Bytes::new(), since_item: self.since_item.clone(), limit: self.limit };
        self.events = Some(SseByteStream::new(pieces));
    }

    /// The next item, or `None` at the end.
    async fn next<T: DeserializeOwned>(&mut self) -> Option<Result<Event<T>, StreamError>> {
        loop {
            if self.done {
                return None;
            }
            let next = match &mut self.events {
                Some(events) => events.next().await,
                None => None,
            };
            match next {
                Some(Ok(block)) => {
                    self.since_item.store(0, Ordering::Relaxed);
                    if let Some(id) = block.id {
                        self.last_id = (!id.is_empty()).then_some(id);
                    }
                    if let (Some(retry), Some((reconnect, _))) = (block.retry, &mut self.reconnect) {
                        reconnect.delay = Duration::from_millis(retry);
                    }
                    let Some(data) = block.data else { continue };
                    self.failed_attempts = 0;
                    let size = data.len() + block.event.as_ref().map_or(0, String::len) + self.last_id.as_ref().map_or(0, String::len);
                    if size > self.limit {
                        self.done = true;
                        return Some(Err(StreamError::TooLarge { limit: self.limit as u64 }));
                    }
                    let decoded =
                        if self.json { serde_json::from_str(&data) } else { serde_json::from_value(serde_json::Value::String(data.clone())) };
                    let event = block.event.filter(|name| !name.is_empty() && name != "message");
                    return Some(match decoded {
                        Ok(data) => Ok(Event { data, event, id: self.last_id.clone(), retry: block.retry.map(Duration::from_millis) }),
                        Err(error) => Err(StreamError::decode(error, &data)),
                    });
                }
                Some(Err(error)) => {
                    let too_large = match &error {
                        sse_stream::Error::Body(source) => {
                            source.downcast_ref::<BodyFailure>().is_some_and(|failure| matches!(failure, BodyFailure::TooLarge))
                        }
                        _ => false,
                    };
                    self.events = None;
                    if too_large {
                        self.done = true;
                        return Some(Err(StreamError::TooLarge { limit: self.limit as u64 }));
                    }
                    if self.reconnect.is_none() {
                        self.done = true;
                        return Some(Err(StreamError::Transport(Box::new(error))));
                    }
                    if let Err(error) = self.resume().await {
                        self.done = true;
                        return error.map(Err);
                    }
                }
                None => {
                    self.events = None;
                    if self.reconnect.is_none() {
                        self.done = true;
                        return None;
                    }
                    if let Err(error) = self.resume().await {
                        self.done = true;
                        return error.map(Err);
                    }
                }
            }
        }
    }

    /// Sends the request again with `Last-Event-ID`, after the delay; `Err(None)` ends the stream
    /// quietly, `Err(Some(..))` with an error.
    async fn resume(&mut self) -> Result<(), Option<StreamError>> {
        let Some((reconnect, request)) = &self.reconnect else { return Err(None) };
        let mut refused = None;
        loop {
            // Giving up is a failure to the reader, unlike a 204, by which the server says it is done.
            if self.failed_attempts >= reconnect.max_attempts {
                let attempts = reconnect.max_attempts;
                let message = match refused {
                    Some(error) => format!("gave up reconnecting after {attempts} attempts without an event; the last failed: {error}"),
                    None => format!("gave up reconnecting after {attempts} attempts without an event"),
                };
                return Err(Some(StreamError::Transport(message.into())));
            }
            self.failed_attempts += 1;
            tokio::time::sleep(reconnect.delay).await;
            let Some(request) = request.try_clone() else { return Err(None) };
            let (client, request) = request.build_split();
            let mut request = request.map_err(|error| Some(StreamError::Transport(Box::new(error))))?;
            match self.last_id.as_deref().map(http::HeaderValue::from_str) {
                Some(Ok(id)) => {
                    request.headers_mut().insert("last-event-id", id);
                }
                _ => {
                    request.headers_mut().remove("last-event-id");
                }
            }
            match client.execute(request).await {
                Ok(response) if response.status() == reqwest::StatusCode::NO_CONTENT => return Err(None),
                Ok(response) if response.status().is_success() => {
                    self.open(response);
                    return Ok(());
                }
                Ok(response) => {
                    let status = response.status();
                    return Err(Some(StreamError::Transport(format!("reconnecting was answered with status {status}").into())));
                }
                // A connection refused is another attempt.
                Err(error) => refused = Some(error),
            }
        }
    }
}

/// The events of `response`. `replay` is the request again, for reconnecting.
pub(crate) fn events<T: DeserializeOwned + Send + 'static>(
    response: reqwest::Response,
    json: bool,
    options: &StreamOptions,
    replay: Option<reqwest::RequestBuilder>,
) -> EventStream<T> {
    let mut source = EventSource {
        events: None,
        since_item: Arc::new(AtomicUsize::new(0)),
        limit: options.item_limit,
        json,
        last_id: None,
        reconnect: options.reconnect.clone().zip(replay),
        failed_attempts: 0,
        done: false,
    };
    source.open(response);
    EventStream::new(futures_util::stream::unfold(source, |mut source| async move {
        let item = source.next::<T>().await?;
        Some((item, source))
    }))
}

/// Splits a JSON-lines body into its values: at each line feed, or (for RFC 7464 sequences) at
/// each record separator and at a line feed that ends a complete JSON text, so that a record is
/// handed over as soon as it is whole rather than when the next one begins.
struct RecordCodec {
    framing: Framing,
    limit: usize,
    /// How far the buffer has been searched for a delimiter already.
    searched: usize,
}

/// Why a JSON-lines body could not be split.
enum RecordError {
    TooLarge,
    Io(std::io::Error),
}

impl From<std::io::Error> for RecordError {
    fn from(error: std::io::Error) -> Self {
        RecordError::Io(error)
    }
}

impl Decoder for RecordCodec {
    type Item = BytesMut;
    type Error = RecordError;

    fn decode(&mut self, buffer: &mut BytesMut) -> Result<Option<BytesMut>, RecordError> {
        while let Some(offset) = buffer[self.searched..].iter().position(|byte| *byte == b'\n' || *byte == 0x1e) {
            let at = self.searched + offset;
            self.searched = at + 1;
            let ends_record = match (self.framing, buffer[at]) {
                (Framing::Lines, byte) => byte == b'\n',
                // A separator in first place opens the record; any later one ends it.
                (Framing::JsonSeq, 0x1e) => at > 0,
                (Framing::JsonSeq, _) => {
                    serde_json::from_slice::<serde::de::IgnoredAny>(buffer[..at].trim_ascii_start().strip_prefix(&[0x1e]).unwrap_or(&buffer[..at]))
                        .is_ok()
                }
            };
            if ends_record {
                let end = if buffer[at] == 0x1e { at } else { at + 1 };
                self.searched = 0;
                return Ok(Some(buffer.split_to(end)));
            }
        }
        if buffer.len() > self.limit {
            return Err(RecordError::TooLarge);
        }
        Ok(None)
    }

    fn decode_eof(&mut self, buffer: &mut BytesMut) -> Result<Option<BytesMut>, RecordError> {
        match self.decode(buffer)? {
            Some(record) => Ok(Some(record)),
            None if buffer.is_empty() => Ok(None),
            None => {
                self.searched = 0;
                Ok(Some(buffer.split()))
            }
        }
    }
}

/// The JSON values of `response`, one per line or record.
pub(crate) fn lines<T: DeserializeOwned + Send + 'static>(response: reqwest::Response, framing: Framing, options: &StreamOptions) -> LineStream<T> {
    let reader = StreamReader::new(response.bytes_stream().map_err(std::io::Error::other));
    let limit = options.item_limit;
    let records = FramedRead::new(reader, RecordCodec { framing, limit, searched: 0 });
    let items = records
        .map(move |record| match record {
            Ok(record) => {
                let text = record.trim_ascii();
                let text = text.strip_prefix(&[0x1e]).unwrap_or(text).trim_ascii();
                if text.is_empty() {
                    return None;
                }
                Some(serde_json::from_slice::<T>(text).map_err(|error| StreamError::decode(error, &String::from_utf8_lossy(text))))
            }
            Err(RecordError::TooLarge) => Some(Err(StreamError::TooLarge { limit: limit as u64 })),
            Err(RecordError::Io(error)) => Some(Err(StreamError::Transport(Box::new(error)))),
        })
        .filter_map(std::future::ready);
    LineStream::new(super::until_fatal(items))
}

/// The body of `response` in chunks as they arrive.
pub(crate) fn bytes(response: reqwest::Response) -> ByteStream {
    ByteStream::new(response.bytes_stream().map_err(|error| StreamError::Transport(Box::new(error))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records `framing` splits `body` into, fed in pieces of `piece` bytes.
    fn records(framing: Framing, body: &[u8], piece: usize, limit: usize) -> Result<Vec<String>, &'static str> {
        let mut codec = RecordCodec { framing, limit, searched: 0 };
        let mut buffer = BytesMut::new();
        let mut found = Vec::new();
        for chunk in body.chunks(piece) {
            buffer.extend_from_slice(chunk);
            loop {
                match codec.decode(&mut buffer) {
                    Ok(Some(record)) => found.push(String::from_utf8_lossy(&record).into_owned()),
                    Ok(None) => break,
                    Err(_) => return Err("too large"),
                }
            }
        }
        while let Ok(Some(record)) = codec.decode_eof(&mut buffer) {
            found.push(String::from_utf8_lossy(&record).into_owned());
        }
        Ok(found)
    }

    #[test]
    fn lines_end_at_each_line_feed_and_the_last_at_the_end() {
        for piece in [1, 3, 100] {
            assert_eq!(
                records(Framing::Lines, b"{\"a\": 1}\r\n2\n\n3", piece, 100),
                Ok(vec!["{\"a\": 1}\r\n".into(), "2\n".into(), "\n".into(), "3".into()])
            );
        }
    }

    /// A record is handed over at the line feed that completes it, not when the next begins; a
    /// JSON text over several lines waits for the line that closes it.
    #[test]
    fn sequence_records_end_when_their_text_is_complete() {
        for piece in [1, 4, 100] {
            let body = b"\x1e{\"a\":\n 1}\n\x1e2\n\x1e\"x\"";
            assert_eq!(records(Framing::JsonSeq, body, piece, 100), Ok(vec!["\x1e{\"a\":\n 1}\n".into(), "\x1e2\n".into(), "\x1e\"x\"".into()]));
        }
    }

    #[test]
    fn a_record_without_an_end_stops_at_the_limit() {
        assert_eq!(records(Framing::Lines, &[b'1'; 2000], 64, 1024), Err("too large"));
        assert_eq!(records(Framing::JsonSeq, &[b'1'; 2000], 64, 1024), Err("too large"));
        assert!(records(Framing::Lines, &[b'1'; 1000], 64, 1024).is_ok());
    }
}
