//! Bodies that travel item by item: server-sent events, JSON lines and binary streams.
//!
//! A response enum holds one of these in the variant of a streaming media type, so the same
//! enum serves both sides: a handler builds the stream and the generated server writes each item
//! as it is produced; the generated client builds it from the response body and yields each item
//! as it arrives. Every item is a `Result`: on the client a bad item (one that does not decode as
//! its type) is an `Err` and the stream goes on, while a transport failure or an item over the
//! size limit is a last `Err`.

#[cfg(feature = "client")]
pub(crate) mod decode;

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub use bytes::Bytes as Chunk;
pub use futures_core::Stream;
use futures_util::StreamExt;

/// Why an item of a stream is missing.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// An item arrived but does not decode as its type. The stream goes on.
    Decode {
        /// Why it does not decode.
        message: String,
        /// The item as it came (at most its first 1,000 characters).
        text: String,
    },
    /// An item, or a body, is larger than its limit. The stream ends.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The connection failed. The stream ends.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// Whoever produces the stream (a handler, or the source of an upload) failed. The stream
    /// ends.
    Source(Box<dyn std::error::Error + Send + Sync>),
}

impl StreamError {
    /// A failure of whoever produces the stream, for handlers and upload sources to end a stream
    /// with.
    pub fn source(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        StreamError::Source(error.into())
    }

    /// Whether the stream ends after this error (everything but a bad item).
    pub fn is_fatal(&self) -> bool {
        !matches!(self, StreamError::Decode { .. })
    }

    #[cfg(feature = "client")]
    pub(crate) fn decode(message: impl fmt::Display, text: &str) -> Self {
        StreamError::Decode { message: message.to_string(), text: text.chars().take(1000).collect() }
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Decode { message, .. } => write!(f, "an item of the stream does not decode: {message}"),
            StreamError::TooLarge { limit } => write!(f, "an item of the stream is larger than the limit of {limit} bytes"),
            StreamError::Transport(error) => write!(f, "the stream broke off: {error}"),
            StreamError::Source(error) => write!(f, "the stream's source failed: {error}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Transport(error) | StreamError::Source(error) => Some(error.as_ref()),
            _ => None,
        }
    }
}

/// One server-sent event: its `data` as the document's type, with the fields that travel beside
/// it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event's `data`.
    pub data: T,
    /// The event's name (`event:`); `None` for the default, `message`.
    pub event: Option<String>,
    /// The event's id (`id:`), which a reconnecting client sends back as `Last-Event-ID`. On the
    /// client, as the specification says, the last id received stays in force until another
    /// comes.
    pub id: Option<String>,
    /// How long a client should wait before reconnecting (`retry:`).
    pub retry: Option<Duration>,
}

impl<T> Event<T> {
    /// An event with `data` and nothing else.
    pub fn new(data: T) -> Self {
        Event { data, event: None, id: None, retry: None }
    }

    /// The same event with the name `event`.
    pub fn with_event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// The same event with the id `id`.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The same event with a reconnection delay.
    pub fn with_retry(mut self, retry: Duration) -> Self {
        self.retry = Some(retry);
        self
    }
}

type Boxed<T> = Pin<Box<dyn Stream<Item = Result<T, StreamError>> + Send + 'static>>;

/// Declares a boxed stream type with the same constructors and readers as the others.
macro_rules! stream_type {
    ($(#[$doc:meta])* $name:ident < $($param:ident)? > => $item:ty) => {
        $(#[$doc])*
        pub struct $name $(<$param>)? {
            inner: Boxed<$item>,
        }

        impl $(<$param: Send + 'static>)? $name $(<$param>)? {
            /// A stream of the items `stream` produces; an `Err` ends it on the server.
            pub fn new(stream: impl Stream<Item = Result<$item, StreamError>> + Send + 'static) -> Self {
                $name { inner: Box::pin(stream) }
            }

            /// A stream of the items `stream` produces, none of which fails.
            pub fn from_items(stream: impl Stream<Item = $item> + Send + 'static) -> Self {
                Self::new(stream.map(Ok))
            }

            /// The next item, `None` at the end of the stream.
            pub async fn next(&mut self) -> Option<Result<$item, StreamError>> {
                self.inner.next().await
            }

            /// The boxed stream inside.
            pub fn into_inner(self) -> Pin<Box<dyn Stream<Item = Result<$item, StreamError>> + Send + 'static>> {
                self.inner
            }
        }

        impl $(<$param: Send + 'static>)? FromIterator<$item> for $name $(<$param>)? {
            /// A stream of the items, which are gathered first.
            fn from_iter<I: IntoIterator<Item = $item>>(items: I) -> Self {
                Self::from_items(futures_util::stream::iter(items.into_iter().collect::<Vec<_>>()))
            }
        }

        impl $(<$param>)? Stream for $name $(<$param>)? {
            type Item = Result<$item, StreamError>;

            fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                self.inner.as_mut().poll_next(context)
            }
        }

        impl $(<$param>)? fmt::Debug for $name $(<$param>)? {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(..)"))
            }
        }

        impl $(<$param: Send + 'static>)? Default for $name $(<$param>)? {
            /// A stream without items.
            fn default() -> Self {
                Self::new(futures_util::stream::empty())
            }
        }
    };
}

stream_type! {
    /// Server-sent events (`text/event-stream`) whose `data` is a `T`.
    EventStream<T> => Event<T>
}

stream_type! {
    /// JSON values one after another (`application/jsonl`, `application/x-ndjson`,
    /// `application/json-seq`), each a `T`.
    LineStream<T> => T
}

stream_type! {
    /// A binary body in chunks as they come, for downloads and uploads too large to hold whole.
    ByteStream<> => Chunk
}

#[cfg(feature = "streams")]
impl ByteStream {
    /// The bytes of a file (or anything else readable), read in chunks as the stream is polled.
    pub fn from_reader(reader: impl tokio::io::AsyncRead + Send + 'static) -> Self {
        ByteStream::new(tokio_util::io::ReaderStream::new(reader).map(|chunk| chunk.map_err(|error| StreamError::Source(error.into()))))
    }

    /// The file at `path`, read in chunks as the stream is polled.
    pub async fn from_file(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        Ok(ByteStream::from_reader(tokio::fs::File::open(path).await?))
    }

    /// Every chunk, gathered into one buffer; the first error ends it.
    pub async fn collect(mut self) -> Result<Vec<u8>, StreamError> {
        let mut bytes = Vec::new();
        while let Some(chunk) = self.next().await {
            bytes.extend_from_slice(&chunk?);
        }
        Ok(bytes)
    }
}

/// `items` up to and including the first error that ends a stream ([`StreamError::is_fatal`]):
/// nothing after it is read.
#[cfg(any(feature = "client", feature = "server"))]
pub(crate) fn until_fatal<T>(items: impl Stream<Item = Result<T, StreamError>>) -> impl Stream<Item = Result<T, StreamError>> {
    items.scan(false, |ended, item| {
        if *ended {
            return std::future::ready(None);
        }
        *ended = item.as_ref().is_err_and(StreamError::is_fatal);
        std::future::ready(Some(item))
    })
}

/// How the items of a JSON-lines body are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One value per line (`application/jsonl`, `application/x-ndjson`).
    Lines,
    /// RFC 7464 records: each value after an ASCII record separator (`application/json-seq`).
    JsonSeq,
}

/// The default limit of one event or line a client reads: 1 MiB.
pub const DEFAULT_ITEM_LIMIT: usize = 1024 * 1024;
