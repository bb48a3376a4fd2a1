//! Binary bodies of any length made of one 64 KiB chunk handed out again and again: a
//! `Bytes` clone shares the buffer, so a gigabyte costs one chunk of memory and the measurement
//! sees only what the server and client hold.

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};

pub const CHUNK: usize = 64 * 1024;

/// One GiB, what the benchmark moves each way.
pub const GIB: u64 = 1024 * 1024 * 1024;

/// `total` bytes in chunks of [`CHUNK`] (the last one shorter), produced as they are polled.
pub fn chunks(total: u64) -> impl Stream<Item = Bytes> + Send + 'static {
    let chunk = Bytes::from(pattern(CHUNK));
    let count = total.div_ceil(CHUNK as u64);
    stream::iter(0..count).map(move |index| {
        let left = total - index * CHUNK as u64;
        chunk.slice(..(left as usize).min(CHUNK))
    })
}

/// Bytes that are not all zero, so that nothing on the way can make them cheaper to move.
fn pattern(length: usize) -> Vec<u8> {
    (0..length).map(|index| (index % 251) as u8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_add_up_to_the_total() {
        for total in [0, 1, CHUNK as u64, CHUNK as u64 * 3 + 17] {
            let lengths: Vec<usize> = chunks(total).map(|chunk| chunk.len()).collect().await;
            assert_eq!(lengths.iter().sum::<usize>() as u64, total);
            assert!(lengths.iter().all(|length| *length > 0 && *length <= CHUNK));
        }
    }
}
