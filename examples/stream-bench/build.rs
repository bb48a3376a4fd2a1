//! Generates the streams fixture's server and client into `$OUT_DIR/streams_api.rs`, which
//! `src/lib.rs` includes, so that the benchmark always measures what the generator emits today.

fn main() {
    oas_codegen::builder::Builder::new("../../tests/fixtures/streaming/streams.yaml")
        .server(true)
        .client(true)
        .deny_warnings(true)
        .file_name("streams_api.rs")
        .generate()
        .expect("generating the streams fixture");
}
