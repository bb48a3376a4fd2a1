//! The servers' own cost per request, without sockets: each router is called in-process with the
//! same request, in rounds that rotate which goes first so that drift of the machine hits all
//! alike.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::endpoints::Request;

/// Nanoseconds per request for each router, the median over the rounds.
pub async fn compare<const N: usize>(routers: [&Router; N], request: &Request, rounds: usize, per_round: usize) -> Result<[f64; N], String> {
    let mut samples: [Vec<f64>; N] = std::array::from_fn(|_| Vec::with_capacity(rounds));
    for round in 0..rounds {
        // Which goes first rotates too.
        for step in 0..N {
            let which = (round + step) % N;
            let elapsed = run(routers[which], request, per_round).await?;
            samples[which].push(elapsed.as_nanos() as f64 / per_round as f64);
        }
    }
    Ok(samples.map(|mut values| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    }))
}

async fn run(router: &Router, request: &Request, count: usize) -> Result<Duration, String> {
    // As `axum::serve` does once per connection: handlers become services up front, not per call.
    let router = router.clone().with_state(());
    let started = Instant::now();
    for _ in 0..count {
        let mut builder = http::Request::builder().method(request.method.clone()).uri(&request.path);
        if request.body.is_some() {
            builder = builder.header(http::header::CONTENT_TYPE, "application/json");
        }
        let body = request.body.clone().map(Body::from).unwrap_or_else(Body::empty);
        let built = builder.body(body).map_err(|error| error.to_string())?;
        let response = router.clone().oneshot(built).await.map_err(|error| error.to_string())?;
        if !response.status().is_success() {
            return Err(format!("{} {} answered {}", request.method, request.path, response.status()));
        }
        response.into_body().collect().await.map_err(|error| error.to_string())?;
    }
    Ok(started.elapsed())
}
