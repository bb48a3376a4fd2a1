//! `stream-bench serve --kind generated|handwritten` serves on loopback, prints the address, and
//! when its standard input closes prints what it served and its peak memory; `stream-bench sse`
//! reads events from one server with the generated client; `stream-bench blob` downloads or
//! uploads a blob. Each prints one `key=value` line; `cargo xtask bench --load` runs all of it.

use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use stream_bench::service::StreamService;
use stream_bench::{client, handwritten, memory, service};

#[derive(Parser)]
#[command(name = "stream-bench", about = "Streams events and blobs between the generated server and client on loopback")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    /// The generated router over `StreamService`.
    Generated,
    /// axum's `Sse` written by hand, for `/ticks` only.
    Handwritten,
}

#[derive(Clone, Copy, ValueEnum)]
enum Direction {
    Download,
    Upload,
}

#[derive(Subcommand)]
enum Command {
    /// Serves until standard input closes (then reports) or `--max-seconds` have passed.
    Serve {
        #[arg(long, value_enum)]
        kind: Kind,
        /// Must be a loopback address.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
        #[arg(long, default_value_t = 900)]
        max_seconds: u64,
    },
    /// Reads `--events` ticks from `GET /ticks` after a warm-up read, and prints the rate.
    Sse {
        #[arg(long)]
        target: SocketAddr,
        #[arg(long, default_value_t = 200_000)]
        events: u64,
        #[arg(long, default_value_t = 20_000)]
        warmup_events: u64,
    },
    /// Downloads or uploads a blob of `--bytes` through the generated server.
    Blob {
        #[arg(long)]
        target: SocketAddr,
        #[arg(long, value_enum)]
        direction: Direction,
        #[arg(long, default_value_t = stream_bench::blobs::GIB)]
        bytes: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The driver runs on one thread: on two, hyper's connection task and the reader of the body
    // sat on different threads and woke each other for every chunk, a futex call or two per
    // event that cost the driver far more than either server spends on the event, hiding the
    // servers' difference. The servers keep a worker per core.
    let runtime = match cli.command {
        Command::Serve { .. } => tokio::runtime::Builder::new_multi_thread().enable_all().build(),
        Command::Sse { .. } | Command::Blob { .. } => tokio::runtime::Builder::new_current_thread().enable_all().build(),
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve { kind, listen, max_seconds } => serve(kind, listen, Duration::from_secs(max_seconds)).await,
            Command::Sse { target, events, warmup_events } => sse(target, events, warmup_events).await,
            Command::Blob { target, direction, bytes } => blob(target, direction, bytes).await,
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

fn loopback(address: SocketAddr) -> Result<SocketAddr, String> {
    // Load is only ever sent to this machine.
    if address.ip().is_loopback() {
        Ok(address)
    } else {
        Err(format!("{address} is not a loopback address"))
    }
}

async fn serve(kind: Kind, listen: SocketAddr, max: Duration) -> Result<(), String> {
    let service = Arc::new(StreamService::default());
    let router = match kind {
        Kind::Generated => service::router(service.clone()),
        Kind::Handwritten => handwritten::router(),
    };
    let listener = tokio::net::TcpListener::bind(loopback(listen)?).await.map_err(|error| format!("cannot listen on {listen}: {error}"))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    println!("listening={address}");
    // A thread rather than a blocking task: the runtime would wait for a read that never ends
    // when the time runs out first.
    let (closed, stdin_closed) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        let _ = closed.send(());
    });
    tokio::select! {
        served = axum::serve(listener, router) => served.map_err(|error| format!("the server stopped: {error}"))?,
        _ = stdin_closed => {}
        _ = tokio::time::sleep(max) => {}
    }
    let counters = &service.counters;
    println!(
        "downloaded_bytes={} uploaded_bytes={} {}",
        counters.downloaded.load(Ordering::Relaxed),
        counters.uploaded.load(Ordering::Relaxed),
        memory::peak_field()
    );
    Ok(())
}

async fn sse(target: SocketAddr, events: u64, warmup_events: u64) -> Result<(), String> {
    let client = client::connect(&loopback(target)?.to_string());
    if warmup_events > 0 {
        client::read_ticks(&client, warmup_events).await?;
    }
    let moved = client::read_ticks(&client, events).await?;
    println!(
        "events={} seconds={:.3} events_per_second={:.0} {}",
        moved.items,
        moved.elapsed.as_secs_f64(),
        moved.per_second(),
        memory::peak_field()
    );
    Ok(())
}

async fn blob(target: SocketAddr, direction: Direction, bytes: u64) -> Result<(), String> {
    let client = client::connect(&loopback(target)?.to_string());
    let moved = match direction {
        Direction::Download => client::download(&client, bytes).await?,
        Direction::Upload => client::upload(&client, bytes).await?,
    };
    println!(
        "bytes={} seconds={:.3} mib_per_second={:.0} {}",
        moved.items,
        moved.elapsed.as_secs_f64(),
        moved.per_second() / (1024.0 * 1024.0),
        memory::peak_field()
    );
    Ok(())
}
