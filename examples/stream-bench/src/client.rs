//! The driver's side, all through the generated client: reading events, downloading and
//! uploading blobs, each timed and counted without holding what passes.

use std::time::{Duration, Instant};

use oas_runtime::ByteStream;

use crate::api;
use crate::api::client::Client;
use crate::blobs;

/// The generated client for the server at `target` (`host:port`).
pub fn connect(target: &str) -> Client {
    Client::new(format!("http://{target}"), reqwest::Client::new())
}

/// What one transfer or event read moved, and how long it took from the request to the last
/// item.
#[derive(Debug, Clone, Copy)]
pub struct Moved {
    pub items: u64,
    pub elapsed: Duration,
}

impl Moved {
    pub fn per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.items as f64 / seconds
        } else {
            0.0
        }
    }
}

/// Reads `count` ticks from `watchTicks`, checking that each is the next one: a server that
/// skipped or garbled events must not look fast.
pub async fn read_ticks(client: &Client, count: u64) -> Result<Moved, String> {
    let started = Instant::now();
    let count_parameter = i32::try_from(count).map_err(|_| format!("{count} ticks do not fit the `count` parameter"))?;
    let response = client.watch_ticks(Some(count_parameter), None).await.map_err(|error| format!("watchTicks: {error}"))?;
    let api::WatchTicksResponse::Ok(mut events) = response else { return Err(format!("watchTicks answered {response:?}")) };
    let mut items = 0u64;
    while let Some(event) = events.next().await {
        let event = event.map_err(|error| format!("event {items}: {error}"))?;
        if event.data.n != items as i64 {
            return Err(format!("event {items} carries tick {}", event.data.n));
        }
        items += 1;
    }
    if items != count {
        return Err(format!("{items} events of {count}"));
    }
    Ok(Moved { items, elapsed: started.elapsed() })
}

/// Downloads the blob of `total` bytes, counting each chunk and dropping it.
pub async fn download(client: &Client, total: u64) -> Result<Moved, String> {
    let started = Instant::now();
    let response = client.download_blob(total.to_string()).await.map_err(|error| format!("downloadBlob: {error}"))?;
    let api::DownloadBlobResponse::Ok(mut chunks) = response else { return Err(format!("downloadBlob answered {response:?}")) };
    let mut bytes = 0u64;
    while let Some(chunk) = chunks.next().await {
        bytes += chunk.map_err(|error| format!("after {bytes} bytes: {error}"))?.len() as u64;
    }
    if bytes != total {
        return Err(format!("downloaded {bytes} bytes of {total}"));
    }
    Ok(Moved { items: bytes, elapsed: started.elapsed() })
}

/// Uploads `total` bytes produced as the request body is sent; the server's count must match.
pub async fn upload(client: &Client, total: u64) -> Result<Moved, String> {
    let started = Instant::now();
    let body = ByteStream::from_items(blobs::chunks(total));
    let response = client.upload_blob("upload".into(), body).await.map_err(|error| format!("uploadBlob: {error}"))?;
    let api::UploadBlobResponse::Ok(stored) = response;
    if stored.size != total as i64 {
        return Err(format!("the server received {} bytes of {total}", stored.size));
    }
    Ok(Moved { items: total, elapsed: started.elapsed() })
}
