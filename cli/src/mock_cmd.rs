//! `oas mock`: serves a document's operations from its examples and schemas (see
//! `oas_contract::mock`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use oas_contract::mock::StreamPace;

use crate::say;

pub const LONG_ABOUT: &str = "Serves every operation of an OpenAPI document (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2) over HTTP until interrupted.\n\n\
    Requests are routed and validated as the generated server does it (400, 404, 405, 413 and 415 as application/problem+json). \
    Each operation answers its success response (the lowest 2XX, else `default`) in its first JSON media type, with the \
    document's example when it matches the schema and a value built from the schema otherwise; every body is validated before \
    it is sent. Where no valid value can exist, the answer is 501 with a problem document saying why.\n\n\
    Request headers choose other documented answers: `Prefer: code=404` picks the response for that status, \
    `Prefer: example=NAME` a named example of the media type; both may be combined (`Prefer: code=404, example=missing`).\n\n\
    A body that streams (server-sent events, JSON lines or JSON text sequences, a large binary body) is sent as a few items \
    with a pause between them: the media type's examples or values built from the item schema, events numbered from 1 by \
    their id, chunks of bytes for a binary stream (see --stream-items and --stream-delay).\n\n\
    The bound address is printed on stdout once the server listens.";

#[derive(Args)]
pub struct MockArgs {
    /// The document (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2), YAML or JSON.
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// The address to listen on; port 0 picks a free one.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// How many items (events, lines or chunks) a streamed body has.
    #[arg(long, value_name = "N", default_value_t = StreamPace::DEFAULT_ITEMS)]
    stream_items: usize,
    /// How long to wait between two items of a streamed body, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = StreamPace::DEFAULT_DELAY_MS)]
    stream_delay: u64,
    #[command(flatten)]
    refs: crate::ref_access::RefAccess,
}

pub fn run(args: &MockArgs) -> ExitCode {
    let document = match args.refs.load(&args.spec) {
        Ok(document) => document,
        Err(error) => {
            say(&error);
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            say(&format!("error: cannot start the server's runtime: {error}"));
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let pace = StreamPace { items: args.stream_items, delay: Duration::from_millis(args.stream_delay) };
        let mock = oas_contract::mock::Mock::new(document).with_stream_pace(pace);
        for line in mock.notes() {
            say(&format!("{}: {line}", args.spec.display()));
        }
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(listener) => listener,
            Err(error) => {
                say(&format!("error: cannot listen on {}: {error}", args.listen));
                return ExitCode::FAILURE;
            }
        };
        let address = listener.local_addr().map(|address| address.to_string()).unwrap_or_else(|_| args.listen.to_string());
        println!("listening on http://{address}");
        match mock.serve(listener).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                say(&format!("error: the server stopped: {error}"));
                ExitCode::FAILURE
            }
        }
    })
}
