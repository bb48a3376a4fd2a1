//! The generated server under load and faults, over loopback and bounded in count and time:
//! hundreds of concurrent requests, clients that trickle their headers and bodies, clients that
//! disconnect halfway through a body, and bodies exactly at and one byte over the limit. Nothing
//! answers 500, every connection's task ends when its client is gone (the runtime's count of
//! live tasks returns to where it started), and the store holds exactly the runs whose
//! requests succeeded.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use oas_runtime::server::ServerConfig;
use orchestrator_backend::api::{router_with, Backend};
use orchestrator_backend::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMIT: usize = 64 * 1024;
const WORKFLOW: &str = "user-onboarding";

struct Server {
    address: SocketAddr,
    backend: Arc<Backend>,
    /// Live tasks with the server idle: the accept loop and whatever the test harness runs.
    idle_tasks: usize,
}

async fn start() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let backend = Arc::new(Backend::new(Store::seeded()));
    let app = router_with(backend.clone(), ServerConfig { body_limit: LIMIT, validate_responses: true, ..ServerConfig::default() });
    tokio::spawn(async move { axum::serve(listener, app).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    Server { address, backend, idle_tasks: alive_tasks() }
}

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current().metrics().num_alive_tasks()
}

impl Server {
    /// Waits until every connection task has ended; fails when one outlives its client. The
    /// wait is long because hundreds of connections wind down on a machine that may be busy with
    /// other tests; a task that never ends fails all the same.
    async fn assert_no_task_left(&self) {
        for _ in 0..300 {
            if alive_tasks() <= self.idle_tasks {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{} tasks still alive, {} when idle", alive_tasks(), self.idle_tasks);
    }
}

/// Sends `request` in pieces of `piece` bytes, `pause` apart, and reads the status code of the answer.
async fn trickle(address: SocketAddr, request: &[u8], piece: usize, pause: Duration) -> u16 {
    let mut stream = TcpStream::connect(address).await.unwrap();
    for chunk in request.chunks(piece) {
        // A server that refuses early (413 on the declared length) closes before the rest arrives.
        if stream.write_all(chunk).await.is_err() || stream.flush().await.is_err() {
            break;
        }
        tokio::time::sleep(pause).await;
    }
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    // Read what arrives until the server closes (or resets, after refusing a body it did not read).
    while let Ok(Ok(read)) = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer)).await {
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace().nth(1).and_then(|status| status.parse().ok()).unwrap_or_else(|| panic!("no status line in {text:?}"))
}

fn post(path: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_leave_the_store_consistent() {
    let server = start().await;
    let before = server.backend.store().instance_count();
    let client = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..400 {
        let client = client.clone();
        let base = format!("http://{}", server.address);
        tasks.spawn(async move {
            let request = match index % 4 {
                0 | 1 => client.post(format!("{base}/v2/workflows/{WORKFLOW}/execute")).json(&serde_json::json!({"inputData": {"name": index}})),
                2 => client.post(format!("{base}/v2/workflows/instances")).json(&serde_json::json!({"paginationInfo": {"pageSize": 5}})),
                _ => client.get(format!("{base}/v2/workflows/{WORKFLOW}/overview")),
            };
            let response = request.send().await.expect("the server answers");
            (index % 4 < 2, response.status().as_u16())
        });
    }
    let mut executed = 0;
    while let Some(result) = tasks.join_next().await {
        let (execute, status) = result.unwrap();
        assert!(status < 500, "a request answered {status}");
        if execute && status == 200 {
            executed += 1;
        }
    }
    assert!(executed > 0, "no run was started; is {WORKFLOW} in the seed data?");
    assert_eq!(server.backend.store().instance_count(), before + executed, "runs in the store and successful starts differ");
    drop(client);
    server.assert_no_task_left().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_answered_and_abandoned_ones_cost_nothing() {
    let server = start().await;
    let before = server.backend.store().instance_count();
    // Headers and body a few bytes at a time.
    let request = post(&format!("/v2/workflows/{WORKFLOW}/execute"), r#"{"inputData": {"slow": true}}"#);
    let (first, second) =
        tokio::join!(trickle(server.address, &request, 7, Duration::from_millis(5)), trickle(server.address, &request, 1, Duration::from_millis(1)),);
    assert_eq!((first, second), (200, 200));
    assert_eq!(server.backend.store().instance_count(), before + 2);

    // Clients that go away after half the headers, or halfway through a declared body.
    let mut streams = Vec::new();
    for index in 0..40 {
        let mut stream = TcpStream::connect(server.address).await.unwrap();
        let cut = if index % 2 == 0 { request.len() / 4 } else { request.len() - 10 };
        stream.write_all(&request[..cut]).await.unwrap();
        streams.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(alive_tasks() > server.idle_tasks, "the half-sent requests hold connection tasks");
    drop(streams);
    server.assert_no_task_left().await;
    assert_eq!(server.backend.store().instance_count(), before + 2, "a cut-off request started a run");

    // The server still serves.
    assert_eq!(trickle(server.address, &request, request.len(), Duration::ZERO).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_at_the_limit_pass_and_one_byte_more_is_413() {
    let server = start().await;
    let path = "/v2/workflows/instances";
    // `{}` and spaces: valid JSON of any length.
    let at_limit = format!("{{}}{}", " ".repeat(LIMIT - 2));
    assert_eq!(trickle(server.address, &post(path, &at_limit), 16 * 1024, Duration::ZERO).await, 200);
    let over = format!("{{}}{}", " ".repeat(LIMIT - 1));
    assert_eq!(trickle(server.address, &post(path, &over), 16 * 1024, Duration::ZERO).await, 413);

    // Without a declared length the limit holds as the body streams in.
    let chunked = |body: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        )
        .into_bytes()
    };
    assert_eq!(trickle(server.address, &chunked(&at_limit), 16 * 1024, Duration::ZERO).await, 200);
    assert_eq!(trickle(server.address, &chunked(&over), 16 * 1024, Duration::ZERO).await, 413);

    // A client that declares an oversized body and then sends nothing more is answered at once.
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    let head = format!("POST {path} HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{{", LIMIT + 1);
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer)).await.expect("answered before the body").unwrap();
    assert!(String::from_utf8_lossy(&answer[..read]).starts_with("HTTP/1.1 413"), "{}", String::from_utf8_lossy(&answer[..read]));
    drop(stream);
    server.assert_no_task_left().await;
}
