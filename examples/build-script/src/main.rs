//! Prints what the build script generated; with `serve ADDRESS`, serves it.
//!
//! ```text
//! cargo run -p orchestrator-build-example
//! cargo run -p orchestrator-build-example -- serve 127.0.0.1:8080
//! curl http://127.0.0.1:8080/v2/workflows/instances/statuses
//! ```

use orchestrator_build_example::{api, app, example_search};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => describe(),
        ["serve", address] => serve(address).await,
        _ => {
            eprintln!("usage: orchestrator-build-example [serve ADDRESS]");
            std::process::exit(2);
        }
    }
}

fn describe() {
    let document = api::openapi_document();
    let title = document.pointer("/info/title").and_then(|title| title.as_str()).unwrap_or("?");
    println!("{title}: {} operations generated in the build script", api::OPERATIONS.len());
    for operation in api::OPERATIONS {
        println!("  {:<6} {:<50} {}", operation.method, operation.path, operation.id);
    }
    match example_search() {
        Ok(search) => {
            println!("\nthe example filter of getInstances, as the generated types read it:\n{search:#?}");
            let json = serde_json::to_string(&search).expect("generated types serialize");
            println!("\nand written back:\n{json}");
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}

async fn serve(address: &str) {
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {address}: {error}");
            std::process::exit(1);
        }
    };
    println!("serving getWorkflowStatuses on http://{address}/v2/workflows/instances/statuses (the other operations answer 501)");
    if let Err(error) = axum::serve(listener, app()).await {
        eprintln!("error: the server stopped: {error}");
        std::process::exit(1);
    }
}
