//! The generated server's handlers: `watchTicks` sends the ticks, `downloadBlob` sends as many
//! bytes as its name says, `uploadBlob` counts what it receives. Both blob handlers only count,
//! so the server's memory is what the runtime holds while the bytes pass through.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use futures_util::StreamExt;
use oas_runtime::server::ServerConfig;
use oas_runtime::{ByteStream, Event, EventStream};

use crate::api;
use crate::blobs;
use crate::ticks;

/// Bytes that went through the blob handlers, for the server's report.
#[derive(Debug, Default)]
pub struct Counters {
    pub downloaded: AtomicU64,
    pub uploaded: AtomicU64,
}

#[derive(Debug, Default)]
pub struct StreamService {
    pub counters: Arc<Counters>,
}

/// The settings the benchmark serves with: the defaults, with the upload limit raised above
/// the gigabyte an upload carries.
pub fn config() -> ServerConfig {
    ServerConfig { upload_limit: 4 * blobs::GIB, keep_alive: Some(ticks::KEEP_ALIVE), ..ServerConfig::default() }
}

/// The generated router over `service`.
pub fn router(service: Arc<StreamService>) -> axum::Router {
    api::server::router_with(service, config())
}

#[oas_macros::handlers(
    spec = "../../tests/fixtures/streaming/streams.yaml",
    api = crate::api,
    unimplemented(followLog, exportJsonl, exportNdjson, exportJsonSeq, getThumbnail)
)]
impl StreamService {
    async fn watch_ticks(&self, request: api::WatchTicksRequest) -> api::WatchTicksResponse {
        let Some(count) = request.count.and_then(|count| u64::try_from(count).ok()) else {
            return api::WatchTicksResponse::BadRequest(api::Problem { detail: "`count` is required".into() });
        };
        api::WatchTicksResponse::Ok(EventStream::from_items(ticks::ticks(count).map(Event::new)))
    }

    /// The blob's name is its length in bytes.
    async fn download_blob(&self, request: api::DownloadBlobRequest) -> api::DownloadBlobResponse {
        let Ok(total) = request.name.parse::<u64>() else { return api::DownloadBlobResponse::NotFound };
        let counters = self.counters.clone();
        let chunks = blobs::chunks(total).inspect(move |chunk| {
            counters.downloaded.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        });
        api::DownloadBlobResponse::Ok(ByteStream::from_items(chunks))
    }

    async fn upload_blob(&self, request: api::UploadBlobRequest) -> api::UploadBlobResponse {
        let mut body = request.body;
        let mut size = 0u64;
        while let Some(chunk) = body.next().await {
            // A broken upload or one past the limit ends here; the router answers 413 for the
            // latter, and the client sees the size short for the former.
            let Ok(chunk) = chunk else { break };
            size += chunk.len() as u64;
        }
        self.counters.uploaded.fetch_add(size, Ordering::Relaxed);
        api::UploadBlobResponse::Ok(api::Stored { size: size as i64 })
    }
}
