//! Both servers on loopback, read through the generated client as the benchmark does, with
//! small counts.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use stream_bench::service::StreamService;
use stream_bench::{client, handwritten, service};

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address").to_string();
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

#[tokio::test]
async fn both_servers_send_the_same_ticks() {
    for router in [service::router(Arc::new(StreamService::default())), handwritten::router()] {
        let client = client::connect(&serve(router).await);
        let moved = client::read_ticks(&client, 1_000).await.expect("every tick in order");
        assert_eq!(moved.items, 1_000);
    }
}

#[tokio::test]
async fn blobs_go_down_and_up_and_are_counted() {
    let service = Arc::new(StreamService::default());
    let client = client::connect(&serve(service::router(service.clone())).await);
    let total = 3 * stream_bench::blobs::CHUNK as u64 + 5;
    assert_eq!(client::download(&client, total).await.expect("downloads").items, total);
    assert_eq!(client::upload(&client, total).await.expect("uploads").items, total);
    assert_eq!(service.counters.downloaded.load(Ordering::Relaxed), total);
    assert_eq!(service.counters.uploaded.load(Ordering::Relaxed), total);
}
