//! Load benchmark of the generated Orchestrator server against a hand-written axum server over
//! the same in-memory store, driven on loopback with a fixed number of keep-alive connections.
//!
//! - [`endpoints`]: the requests sent, identical for both servers.
//! - [`handwritten`]: the axum server written by hand for those endpoints.
//! - [`driver`]: the bounded load generator.
//! - [`in_process`]: both routers called without sockets, for their own cost per request.

pub mod driver;
pub mod endpoints;
pub mod handwritten;
pub mod in_process;
