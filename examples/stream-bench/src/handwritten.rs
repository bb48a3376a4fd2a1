//! `GET /ticks?count=N` written directly against axum, as code without a generator would serve
//! the same events: axum's `Sse` over the ticks, each serialized with serde_json, with the same
//! keep-alive as the generated server.

use std::convert::Infallible;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use serde::Deserialize;

use crate::ticks;

#[derive(Deserialize)]
struct Count {
    count: u64,
}

pub fn router() -> Router {
    Router::new().route("/ticks", get(watch_ticks))
}

async fn watch_ticks(Query(Count { count }): Query<Count>) -> Response {
    let events = ticks::ticks(count).map(|tick| match serde_json::to_string(&tick) {
        Ok(data) => Ok::<_, Infallible>(Event::default().data(data)),
        // A `Tick` always serializes; an empty event keeps the count right if it ever did not.
        Err(_) => Ok(Event::default().comment("unserializable")),
    });
    let sse = Sse::new(events).keep_alive(KeepAlive::new().interval(ticks::KEEP_ALIVE));
    (StatusCode::OK, sse).into_response()
}
