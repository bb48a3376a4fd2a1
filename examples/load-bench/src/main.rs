//! `load-bench serve --kind generated|handwritten` runs one server on loopback and prints the
//! address it listens on; `load-bench drive --target ADDR --endpoint NAME` loads it and prints one
//! `key=value` line; `load-bench in-process --endpoint NAME` times the routers without sockets.
//! `cargo xtask bench --load` runs all of it and compares the two.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use load_bench::driver::{self, Load};
use load_bench::endpoints::{self, Endpoint};
use orchestrator_backend::{api, Store};

#[derive(Parser)]
#[command(name = "load-bench", about = "Loads the generated and the hand-written Orchestrator servers on loopback")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    /// The generated router (request validation on) over the example backend.
    Generated,
    /// The hand-written axum router over the same store.
    Handwritten,
    /// The hand-written router, also checking request bodies against their schemas.
    Validating,
}

#[derive(Subcommand)]
enum Command {
    /// Serves until killed or until `--max-seconds` have passed.
    Serve {
        #[arg(long, value_enum)]
        kind: Kind,
        /// Must be a loopback address.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
        #[arg(long, default_value_t = 900)]
        max_seconds: u64,
    },
    /// Loads one endpoint of a server started by `serve`.
    Drive {
        #[arg(long)]
        target: SocketAddr,
        #[arg(long)]
        endpoint: Endpoint,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        #[arg(long, default_value_t = 2.0)]
        warmup_seconds: f64,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        #[arg(long, default_value_t = 5_000_000)]
        max_requests: u64,
    },
    /// Calls the three routers in this process, without sockets, and prints the cost per request
    /// of each: the part of the difference that is the servers' own code.
    InProcess {
        #[arg(long)]
        endpoint: Endpoint,
        #[arg(long, default_value_t = 15)]
        rounds: usize,
        #[arg(long, default_value_t = 20_000)]
        per_round: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve { kind, listen, max_seconds } => serve(kind, listen, Duration::from_secs(max_seconds)).await,
            Command::Drive { target, endpoint, concurrency, warmup_seconds, seconds, max_requests } => {
                let load = Load { target, concurrency, warmup: seconds_of(warmup_seconds)?, duration: seconds_of(seconds)?, max_requests };
                drive(&load, endpoint).await
            }
            Command::InProcess { endpoint, rounds, per_round } => in_process(endpoint, rounds.max(1), per_round.max(1)).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn seconds_of(seconds: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(seconds).map_err(|error| format!("bad duration {seconds}: {error}"))
}

async fn serve(kind: Kind, listen: SocketAddr, max: Duration) -> Result<(), String> {
    // Load is only ever sent to this machine.
    if !listen.ip().is_loopback() {
        return Err(format!("{listen} is not a loopback address"));
    }
    let store = Store::seeded();
    let router = match kind {
        Kind::Generated => api::router(Arc::new(api::Backend::new(store))),
        Kind::Handwritten => load_bench::handwritten::router(store),
        Kind::Validating => load_bench::handwritten::router_validating(store)?,
    };
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|error| format!("cannot listen on {listen}: {error}"))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    println!("listening={address}");
    tokio::select! {
        served = axum::serve(listener, router) => served.map_err(|error| format!("the server stopped: {error}")),
        _ = tokio::time::sleep(max) => Ok(()),
    }
}

async fn in_process(endpoint: Endpoint, rounds: usize, per_round: usize) -> Result<(), String> {
    let request = endpoint.request(&endpoints::seeded_instance_id()?);
    let generated = api::router(Arc::new(api::Backend::new(Store::seeded())));
    let handwritten = load_bench::handwritten::router(Store::seeded());
    let validating = load_bench::handwritten::router_validating(Store::seeded())?;
    let [ours, theirs, validating] = load_bench::in_process::compare([&generated, &handwritten, &validating], &request, rounds, per_round).await?;
    println!(
        "endpoint={endpoint} generated_ns={ours:.0} handwritten_ns={theirs:.0} validating_ns={validating:.0} ratio={:.3} ratio_validating={:.3}",
        theirs / ours,
        validating / ours
    );
    Ok(())
}

async fn drive(load: &Load, endpoint: Endpoint) -> Result<(), String> {
    if !load.target.ip().is_loopback() {
        return Err(format!("{} is not a loopback address", load.target));
    }
    let request = endpoint.request(&endpoints::seeded_instance_id()?);
    let outcome = driver::drive(load, &request).await?;
    // The route has one space, between method and path; the line's fields are space-separated.
    println!("endpoint={endpoint} route={} {}", endpoint.describe().replacen(' ', ":", 1), outcome.render());
    Ok(())
}
