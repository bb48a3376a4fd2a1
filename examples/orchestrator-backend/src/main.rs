//! `orchestrator-backend --listen 127.0.0.1:8080`: the in-memory Orchestrator backend over HTTP.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use orchestrator_backend::{api, Store};

#[derive(Parser)]
#[command(name = "orchestrator-backend", about = "Serves the Orchestrator API from an in-memory store with demo data")]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into())).init();
    let backend = Arc::new(api::Backend::new(Store::seeded()));
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {}: {error}", cli.listen);
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(address = %cli.listen, "serving the Orchestrator API under /v2");
    if let Err(error) = axum::serve(listener, api::router(backend)).await {
        eprintln!("error: the server stopped: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
