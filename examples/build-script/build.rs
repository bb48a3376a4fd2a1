//! Generates the Orchestrator API into `$OUT_DIR/orchestrator_api.rs`, which `src/lib.rs`
//! includes. Cargo reruns this only when the document changes (the builder prints
//! `cargo:rerun-if-changed` for it) or this file does.

fn main() {
    oas_codegen::builder::Builder::new("../../spec/openapi.yaml")
        // The axum server: one trait per operation and `server::router`.
        .server(true)
        // The reqwest client: `client::Client`, one method per operation. The tests call the
        // server with it.
        .client(true)
        // The spec is warning-free; keep it so, rather than let a warning scroll by unread.
        .deny_warnings(true)
        // No `extra_derive`: a derive applies to every schema type, and `Eq` or `Hash` would not
        // compile on `FieldFilter`, whose value may be an `f64`.
        .file_name("orchestrator_api.rs")
        .generate()
        .expect("generating the Orchestrator API from spec/openapi.yaml");
}
