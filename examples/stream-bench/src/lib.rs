//! Streaming benchmark over the streams fixture (`tests/fixtures/streaming/streams.yaml`), whose
//! server and client `build.rs` generates into [`api`].
//!
//! - [`ticks`]: the events served, the same for both servers.
//! - [`service`]: the generated server's handlers: ticks, and blobs produced and counted lazily.
//! - [`handwritten`]: the same ticks through axum's own `Sse`, as code without a generator would.
//! - [`blobs`]: binary bodies made of one reused chunk, so that gigabytes cost no memory.
//! - [`client`]: what the driver does with the generated client: read events, download, upload.
//! - [`memory`]: the process's peak resident memory.

pub mod blobs;
pub mod client;
pub mod handwritten;
pub mod memory;
pub mod service;
pub mod ticks;

/// Everything generated from the fixture: `types`, `operations`, `server`, `client` and the
/// re-exports (`api::Tick`, `api::WatchTicksResponse`, …).
pub mod api {
    include!(concat!(env!("OUT_DIR"), "/streams_api.rs"));
}
