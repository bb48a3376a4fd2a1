//! The events both servers send: `Tick { n, note }` for `n` from 0, as JSON in each event's
//! `data`.

use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};

use crate::api::Tick;

/// A short text beside the number, so that each event's data has a string member to write and
/// parse, as real events do.
pub const NOTE: &str = "tick";

/// The keep-alive interval of both servers: the generated server's default, which the
/// hand-written one is given too so that both do the same timer work.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn tick(n: u64) -> Tick {
    Tick { n: n as i64, note: Some(NOTE.to_string()) }
}

/// `count` ticks, each made when the server asks for it: always ready, so each server sends them
/// as fast as the client takes them.
pub fn ticks(count: u64) -> impl Stream<Item = Tick> + Send + 'static {
    stream::iter(0..count).map(tick)
}
