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
use futures_util::{Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use sse_stream::SseByteStream;
use tokio_util::codec::{AnyDelimiterCodec, AnyDelimiterCodecError, FramedRead};
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
/// for with `retry:` (or [`Reconnect::delay`] until it does). A `204 No Content` answer, a status
/// other than 2xx, or [`Reconnect::max_attempts`] attempts in a row without an event end the
/// stream. Requests whose body is a stream cannot be sent again and are not resumed.
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
        loop {
            if self.failed_attempts >= reconnect.max_attempts {
                return Err(None);
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
                Err(_) => continue,
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

/// The JSON values of `response`, one per line or record.
pub(crate) fn lines<T: DeserializeOwned + Send + 'static>(response: reqwest::Response, framing: Framing, options: &StreamOptions) -> LineStream<T> {
    let reader = StreamReader::new(response.bytes_stream().map_err(std::io::Error::other));
    let delimiter = match framing {
        Framing::Lines => b"\n".to_vec(),
        Framing::JsonSeq => vec![0x1e],
    };
    let limit = options.item_limit;
    let records = FramedRead::new(reader, AnyDelimiterCodec::new_with_max_length(delimiter, Vec::new(), limit));
    let items = records
        .map(move |record| match record {
            Ok(record) => {
                let text = record.trim_ascii();
                if text.is_empty() {
                    return None;
                }
                Some(serde_json::from_slice::<T>(text).map_err(|error| StreamError::decode(error, &String::from_utf8_lossy(text))))
            }
            Err(AnyDelimiterCodecError::MaxChunkLengthExceeded) => Some(Err(StreamError::TooLarge { limit: limit as u64 })),
            Err(AnyDelimiterCodecError::Io(error)) => Some(Err(StreamError::Transport(Box::new(error)))),
        })
        .filter_map(std::future::ready);
    // A fatal error is the last item.
    let items = items.scan(false, |ended, item| {
        if *ended {
            return std::future::ready(None);
        }
        *ended = matches!(&item, Err(error) if error.is_fatal());
        std::future::ready(Some(item))
    });
    LineStream::new(items)
}

/// The body of `response` in chunks as they arrive.
pub(crate) fn bytes(response: reqwest::Response) -> ByteStream {
    ByteStream::new(response.bytes_stream().map_err(|error| StreamError::Transport(Box::new(error))))
}
