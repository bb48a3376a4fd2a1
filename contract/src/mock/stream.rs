//! Answers that stream: a few items, one after another with a pause between them, so that a
//! client sees a body arrive piece by piece as it would from a real server.
//!
//! Which bodies stream, and what each item is checked against, is the model's decision
//! ([`oas_codegen::ir::Content::stream`] and `item_schema_pointer`), made once while lowering for
//! generated servers, clients and this mock alike. Items are the media type's examples when some
//! of them match the item schema (an `examples` entry is one item, an array is its elements), else
//! a value built from that schema; either way every item sent matches it.

use std::time::Duration;

use futures_util::stream::Stream;
use oas_codegen::ir::{Framing, Stream as StreamKind};
use oas_runtime::server::{Input, Response};
use oas_runtime::stream::{Framing as WireFraming, StreamError};
use oas_runtime::{ByteStream, Event, EventStream, LineStream};
use serde_json::{Map, Value};

use super::answer::Refusal;
use crate::checker::Checker;
use crate::synth::Synthesizer;

/// How many items a streamed answer has, and how long the mock waits between two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamPace {
    /// Items (events, lines or chunks) per answer.
    pub items: usize,
    /// The pause before every item but the first.
    pub delay: Duration,
}

impl StreamPace {
    /// Items per answer unless set otherwise.
    pub const DEFAULT_ITEMS: usize = 3;
    /// The pause between items unless set otherwise, in milliseconds.
    pub const DEFAULT_DELAY_MS: u64 = 100;
}

impl Default for StreamPace {
    fn default() -> Self {
        StreamPace { items: Self::DEFAULT_ITEMS, delay: Duration::from_millis(Self::DEFAULT_DELAY_MS) }
    }
}

/// The items of a streamed answer, in the order they are sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Streamed {
    /// Server-sent events, one per value of `data`, with the ids 1, 2, 3 and so on; the data is
    /// written as JSON, or as it is when `text`.
    Events {
        /// Each event's data.
        data: Vec<Value>,
        /// The data is text rather than JSON.
        text: bool,
    },
    /// JSON values one per line, or one per RFC 7464 record.
    Lines {
        /// The values.
        items: Vec<Value>,
        /// How they are separated.
        framing: Framing,
    },
    /// A binary body in chunks.
    Bytes(Vec<Vec<u8>>),
}

/// What one streamed answer is built from.
pub(super) struct ItemSource<'a> {
    pub root: &'a Value,
    pub openapi_3_0: bool,
    pub checker: &'a Checker<'a>,
    /// The schema each item must match; `None` when the media type declares none.
    pub item_schema: Option<&'a str>,
    /// The examples to take items from: one value per example.
    pub examples: Vec<&'a Value>,
    /// How many items to send.
    pub count: usize,
}

impl ItemSource<'_> {
    /// The items of a stream of `kind`, or why none can be sent.
    pub(super) fn build(&self, kind: &StreamKind) -> Result<Streamed, Refusal> {
        Ok(match kind {
            StreamKind::Events { data, .. } => Streamed::Events { data: self.values(data.is_none())?, text: data.is_none() },
            StreamKind::Lines { framing, .. } => Streamed::Lines { items: self.values(false)?, framing: *framing },
            StreamKind::Bytes => Streamed::Bytes(self.chunks()),
        })
    }

    /// `count` values, each valid against the item schema: the examples' items in turn, else one
    /// built from the schema, repeated.
    fn values(&self, text: bool) -> Result<Vec<Value>, Refusal> {
        let valid = |value: &Value| self.item_schema.is_none_or(|schema| self.checker.accepts(schema, value));
        let mut found: Vec<Value> = Vec::new();
        for example in &self.examples {
            match example {
                example if valid(example) => found.push((*example).clone()),
                // A whole body written as an array of its items.
                Value::Array(elements) => found.extend(elements.iter().filter(|element| valid(element)).cloned()),
                _ => {}
            }
        }
        if found.is_empty() {
            found.push(self.built(text)?);
        }
        Ok(found.into_iter().cycle().take(self.count).collect())
    }

    /// A value of the item schema, or without one a placeholder: text that a client does not
    /// drop (an event whose data is empty is never dispatched), or an empty object.
    fn built(&self, text: bool) -> Result<Value, Refusal> {
        let Some(schema) = self.item_schema else {
            return Ok(if text { Value::String("event".into()) } else { Value::Object(Map::new()) });
        };
        Synthesizer::new(self.root, self.openapi_3_0, Some(self.checker)).instance(schema).map_err(|failure| Refusal {
            status: 501,
            detail: format!("no item of the stream can be sent: {failure}"),
            failure: Some(failure),
        })
    }

    /// The first example that is text, cut into `count` chunks; else `count` short lines.
    fn chunks(&self) -> Vec<Vec<u8>> {
        match self.examples.iter().find_map(|example| example.as_str()).filter(|text| !text.is_empty()) {
            Some(text) => text.as_bytes().chunks(text.len().div_ceil(self.count.max(1))).map(<[u8]>::to_vec).collect(),
            None => (1..=self.count).map(|number| format!("chunk {number} of {}\n", self.count).into_bytes()).collect(),
        }
    }
}

/// The response that sends `streamed`, one item every `delay`.
pub(super) fn render(input: &Input, status: u16, media_type: &'static str, streamed: Streamed, delay: Duration) -> Response {
    match streamed {
        Streamed::Events { data, text } => {
            let events = data.into_iter().enumerate().map(|(index, data)| Event::new(data).with_id((index + 1).to_string()));
            input.events(status, media_type, EventStream::new(paced(events.collect(), delay)), !text)
        }
        Streamed::Lines { items, framing } => {
            let framing = match framing {
                Framing::Lines => WireFraming::Lines,
                Framing::JsonSeq => WireFraming::JsonSeq,
            };
            input.lines(status, media_type, LineStream::new(paced(items, delay)), framing)
        }
        Streamed::Bytes(chunks) => {
            let chunks = chunks.into_iter().map(oas_runtime::stream::Chunk::from).collect();
            input.byte_stream(status, media_type, ByteStream::new(paced(chunks, delay)))
        }
    }
}

/// `items` as a stream: the first at once, each other one `delay` after the one before.
fn paced<T: Send + 'static>(items: Vec<T>, delay: Duration) -> impl Stream<Item = Result<T, StreamError>> + Send + 'static {
    futures_util::stream::unfold((items.into_iter(), true), move |(mut items, first)| async move {
        let item = items.next()?;
        if !first {
            tokio::time::sleep(delay).await;
        }
        Some((Ok(item), (items, false)))
    })
}
