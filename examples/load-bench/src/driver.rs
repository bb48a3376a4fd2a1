//! The load generator: `concurrency` keep-alive HTTP/1.1 connections, each sending the same
//! request back to back, for a bounded time and a bounded number of requests.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::endpoints::Request;

/// A request slower than this counts as failed and its connection is dropped, so a stuck server
/// cannot hold the run past its bound.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// How hard and how long to drive one endpoint.
#[derive(Debug, Clone)]
pub struct Load {
    pub target: SocketAddr,
    pub concurrency: usize,
    pub warmup: Duration,
    pub duration: Duration,
    /// Stop after this many requests even if `duration` has not passed.
    pub max_requests: u64,
}

/// What one measured phase saw.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub requests: u64,
    pub errors: u64,
    pub elapsed: Duration,
    /// Length of the first successful response body, to compare the two servers' answers.
    pub body_bytes: usize,
    /// Latencies in microseconds, sorted.
    pub latencies_us: Vec<u32>,
}

impl Outcome {
    pub fn requests_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.requests as f64 / seconds
        } else {
            0.0
        }
    }

    /// The latency at `fraction` (0.5 for the median), in microseconds.
    pub fn percentile_us(&self, fraction: f64) -> Option<u32> {
        if self.latencies_us.is_empty() {
            return None;
        }
        let index = ((self.latencies_us.len() - 1) as f64 * fraction.clamp(0.0, 1.0)).round() as usize;
        Some(self.latencies_us[index])
    }

    /// One `key=value` line, what the benchmark command parses.
    pub fn render(&self) -> String {
        format!(
            "requests={} errors={} seconds={:.3} rps={:.0} p50_us={} p99_us={} body_bytes={}",
            self.requests,
            self.errors,
            self.elapsed.as_secs_f64(),
            self.requests_per_second(),
            self.percentile_us(0.5).unwrap_or(0),
            self.percentile_us(0.99).unwrap_or(0),
            self.body_bytes
        )
    }
}

/// Warm-up, then the measured phase.
pub async fn drive(load: &Load, request: &Request) -> Result<Outcome, String> {
    phase(load, request, load.warmup, load.max_requests).await?;
    phase(load, request, load.duration, load.max_requests).await
}

async fn phase(load: &Load, request: &Request, duration: Duration, max_requests: u64) -> Result<Outcome, String> {
    let issued = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(load.concurrency);
    for _ in 0..load.concurrency.max(1) {
        let request = request.clone();
        let issued = Arc::clone(&issued);
        let target = load.target;
        tasks.push(tokio::spawn(async move { connection(target, request, deadline, issued, max_requests).await }));
    }
    let mut outcome = Outcome::default();
    for task in tasks {
        let one = task.await.map_err(|error| format!("a connection task failed: {error}"))??;
        outcome.requests += one.requests;
        outcome.errors += one.errors;
        if outcome.body_bytes == 0 {
            outcome.body_bytes = one.body_bytes;
        }
        outcome.latencies_us.extend(one.latencies_us);
    }
    outcome.elapsed = started.elapsed();
    outcome.latencies_us.sort_unstable();
    Ok(outcome)
}

/// One connection's loop; reconnects after a failed request so one error does not end it.
async fn connection(target: SocketAddr, request: Request, deadline: Instant, issued: Arc<AtomicU64>, max_requests: u64) -> Result<Outcome, String> {
    let mut outcome = Outcome::default();
    let host = target.to_string();
    'connect: while Instant::now() < deadline {
        let stream = TcpStream::connect(target).await.map_err(|error| format!("cannot connect to {target}: {error}"))?;
        stream.set_nodelay(true).map_err(|error| error.to_string())?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|error| format!("handshake with {target}: {error}"))?;
        tokio::spawn(conn);
        while Instant::now() < deadline {
            if issued.fetch_add(1, Ordering::Relaxed) >= max_requests {
                return Ok(outcome);
            }
            let mut builder = http::Request::builder().method(request.method.clone()).uri(&request.path).header(http::header::HOST, &host);
            if request.body.is_some() {
                builder = builder.header(http::header::CONTENT_TYPE, "application/json");
            }
            let http_request = builder.body(Full::new(request.body.clone().unwrap_or_default())).map_err(|error| error.to_string())?;
            let started = Instant::now();
            let answer = tokio::time::timeout(REQUEST_TIMEOUT, exchange(&mut sender, http_request)).await;
            let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
            outcome.requests += 1;
            outcome.latencies_us.push(micros);
            match answer {
                Ok(Ok((status, length))) if status.is_success() => {
                    if outcome.body_bytes == 0 {
                        outcome.body_bytes = length;
                    }
                }
                Ok(Ok(_)) => outcome.errors += 1,
                Ok(Err(_)) | Err(_) => {
                    outcome.errors += 1;
                    continue 'connect;
                }
            }
        }
    }
    Ok(outcome)
}

async fn exchange(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    request: http::Request<Full<Bytes>>,
) -> Result<(http::StatusCode, usize), hyper::Error> {
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_percentiles() {
        let outcome = Outcome { requests: 500, elapsed: Duration::from_secs(2), latencies_us: (1..=100).collect(), ..Outcome::default() };
        assert_eq!(outcome.requests_per_second(), 250.0);
        assert_eq!(outcome.percentile_us(0.5), Some(51));
        assert_eq!(outcome.percentile_us(0.99), Some(99));
        assert_eq!(Outcome::default().percentile_us(0.5), None);
        assert_eq!(Outcome::default().requests_per_second(), 0.0);
        assert!(outcome.render().starts_with("requests=500 errors=0 seconds=2.000 rps=250 p50_us=51 p99_us=99"));
    }
}
