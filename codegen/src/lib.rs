//! oas-codegen: OpenAPI 3.0 and 3.1 documents in, Rust out.
//!
//! Give it an OpenAPI document (YAML or JSON) and it writes serde types for every schema, a
//! request struct and a response enum for every operation, optionally an axum server (one trait
//! per operation and a router that validates requests against the document) and a reqwest
//! client, plus a copy of the document itself. The code it writes calls the small
//! `oas-runtime` crate, so `syn` and `quote` stay out of your dependency tree.
//!
//! One pipeline does the work, whoever calls it: [`load`] reads the text, [`generate`] lowers
//! the document into a model ([`ir`]), finishes the [`diagnostics`] and emits every module once
//! (formatted with `syn` and `prettyplease`, so no `rustfmt` binary is needed), and the
//! [`Generated`] value is rendered in one of two layouts:
//!
//! * **From a build script** with [`builder::Builder`], in the style of `prost-build`: the
//!   API is one file in `OUT_DIR` that you `include!` ([`Generated::render_include`]). Nothing
//!   generated is checked in. This page is mostly about this way.
//! * **As a checked-in crate** with [`Generated::render_crate`], the files of a whole crate
//!   (`Cargo.toml`, `src/lib.rs`, one file per module, reference docs) for a task such as
//!   `cargo xtask openapi` to write with [`output::write_tree`] and to check for freshness with
//!   [`output::check_tree`].
//!
//! # The build-script workflow, step by step
//!
//! **1. Dependencies.** The generator is a build dependency; what the generated code calls at run
//! time is a normal one.
//!
//! ```toml
//! [dependencies]
//! oas-runtime = { version = "0.1", features = ["server"] }  # "server" only for the server, "client" for the client
//! serde = { version = "1", features = ["derive"] }
//! serde_json = "1"
//!
//! [build-dependencies]
//! oas-codegen = "0.1"
//! ```
//!
//! **2. `build.rs`.** Name the document, relative to the crate's `Cargo.toml`, and say which parts
//! you want:
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     oas_codegen::builder::Builder::new("openapi.yaml")
//!         .server(true)
//!         .file_name("my_api.rs")
//!         .generate()
//!         .expect("generating the API from openapi.yaml");
//! }
//! # // The build script's `fn main` is the point of the example, not a needless wrapper.
//! # fn _not_only_main() {}
//! ```
//!
//! [`generate`](builder::Builder::generate) reads the document, prints
//! `cargo:rerun-if-changed=<document>` (so cargo reruns the script when, and only when, the
//! document or the script changes — add your own line for anything else the script reads),
//! prints one `cargo:warning=` line per warning, and writes `$OUT_DIR/my_api.rs`.
//!
//! **3. Include the file in a module.** `include!` takes items only, so the file has no inner
//! attributes at its top; each part is an inline module that carries its own lint settings.
//!
//! ```text
//! // src/lib.rs
//! pub mod api {
//!     include!(concat!(env!("OUT_DIR"), "/my_api.rs"));
//! }
//! ```
//!
//! In a binary crate put `#[allow(dead_code)]` on the module: the compiler would otherwise warn
//! about every generated item the program does not use.
//!
//! **4. Use it.** The module holds
//!
//! | item | what it is |
//! | --- | --- |
//! | `api::types` | one type per component schema (and per inline schema that needs a name): structs, string enums, `oneOf`/`anyOf` enums |
//! | `api::operations` | per operation a request struct (`GetPetRequest`: parameters and body) and a response enum (`GetPetResponse`: one variant per documented status); `OPERATIONS`, every operation's id, method and path |
//! | `api::server` | with `.server(true)`: one trait per operation, `Handlers` (all of them), `router` and `router_with` |
//! | `api::client` | with `.client(true)`: `Client`, one async method per operation |
//! | `api::OPENAPI_JSON`, `api::openapi_document()` | the document as compact JSON, and parsed |
//!
//! and re-exports `types::*` and `operations::*`, so you write `api::Pet` and
//! `api::GetPetResponse`. The modules name each other with `super::` paths, so the file works
//! inside any module, or at the crate root.
//!
//! The crate `examples/build-script` in this repository does all of this for the Orchestrator
//! API: it generates the server and the client, serves one operation, and tests the result with
//! the generated client over loopback.
//!
//! # Options
//!
//! | method | default | effect |
//! | --- | --- | --- |
//! | [`server(bool)`](builder::Builder::server) | `false` | the axum server module; needs `oas-runtime`'s `server` feature |
//! | [`client(bool)`](builder::Builder::client) | `false` | the reqwest client module; needs `oas-runtime`'s `client` feature |
//! | [`extra_derive(path)`](builder::Builder::extra_derive) | none | a derive added to every schema type, such as `"Hash"` or `"schemars::JsonSchema"`; it must fit all of them (`Eq` and `Hash` do not compile on types holding an `f64` or a `serde_json::Value`); derives a type already has are not repeated |
//! | [`runtime_path(path)`](builder::Builder::runtime_path) | `"::oas_runtime"` | how generated code names the runtime, for crates that reach it through a re-export |
//! | [`open_enums(bool)`](builder::Builder::open_enums) | `true` | string enums keep unknown values in `Other(String)`; closed ones also derive `Copy`, `Eq` and `Hash` |
//! | [`deny_warnings(bool)`](builder::Builder::deny_warnings) | `false` | fail, writing nothing, when the document has warnings |
//! | [`out_dir(dir)`](builder::Builder::out_dir) | `$OUT_DIR` | where the file goes |
//! | [`file_name(name)`](builder::Builder::file_name) | the document's stem in snake case + `.rs` | the file's name; a plain name, no folders |
//!
//! # Errors and warnings
//!
//! The generator gives up only when the text cannot be read as OpenAPI at all: a missing file,
//! text that is neither YAML nor JSON, a document that is not an object, Swagger 2.0, or a major
//! version other than 3. That is [`BuildError::Load`](builder::BuildError::Load), with the file,
//! line and column.
//!
//! Everything else is a warning with its JSON pointer and line and column, and generation does
//! the sound thing and goes on: a repeated operationId gets a numeric suffix, a missing one is
//! derived from method and path, an unresolvable `$ref` or a schema that cannot be represented
//! becomes `serde_json::Value`, an unusable operation, parameter or response is skipped. One bad
//! operation never costs you the whole API. Warnings come back in
//! [`Summary::warnings`](builder::Summary::warnings) and, in a build script, as `cargo:warning=`
//! lines; with `deny_warnings(true)` they are
//! [`BuildError::Generate`](builder::BuildError::Generate) with
//! [`GenerateError::Warnings`] instead.
//!
//! Errors are values, never panics. Their messages are lowercase sentences that say where the
//! problem is, and `Debug` prints the same message, so `.expect("...")` in a build script reads
//! well. Whatever fails, the previous output file is left as it was: the file is written to a
//! temporary name and renamed over the old one, and only when its text changed, so an unchanged
//! document rebuilds nothing.
//!
//! ```
//! use oas_codegen::builder::{BuildError, Builder};
//! use oas_codegen::GenerateError;
//!
//! let dir = std::env::temp_dir().join(format!("oas-codegen-tutorial-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let spec = dir.join("pets.yaml");
//! std::fs::write(&spec, "\
//! openapi: 3.1.0
//! info: {title: Pets, version: '1'}
//! paths:
//!   /pets:
//!     get:
//!       responses:
//!         '200': {description: the pets}
//! ")?;
//!
//! // The operation has no operationId: a warning, and `getPets` is derived.
//! let summary = Builder::new(&spec).out_dir(&dir).generate()?;
//! assert_eq!(summary.path, dir.join("pets.rs"));
//! assert!(summary.written);
//! assert_eq!(summary.warnings.len(), 1);
//! assert!(summary.warnings[0].to_string().starts_with("5:5: warning [/paths/~1pets/get]"));
//! assert!(std::fs::read_to_string(&summary.path)?.contains("pub struct GetPetsRequest"));
//!
//! // The same input again: nothing is written, so nothing that includes the file rebuilds.
//! assert!(!Builder::new(&spec).out_dir(&dir).generate()?.written);
//!
//! // Denied warnings are an error, listing them all.
//! let error = Builder::new(&spec).out_dir(&dir).deny_warnings(true).generate().unwrap_err();
//! assert!(matches!(error, BuildError::Generate(GenerateError::Warnings(ref warnings)) if warnings.len() == 1));
//!
//! // A document that cannot be read at all is the only thing that stops generation.
//! let error = Builder::new(dir.join("missing.yaml")).out_dir(&dir).generate().unwrap_err();
//! assert!(matches!(error, BuildError::Load(_)));
//! assert!(error.to_string().contains("missing.yaml: error: cannot read the file"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Serving
//!
//! With `.server(true)` and `oas-runtime`'s `server` feature, `api::server` has one trait per
//! operation (`api::server::GetPet`, with one method `get_pet`), `Handlers` for all of them, and
//! `router`, which turns any `Arc<S: Handlers>` into an `axum::Router`. The router matches paths
//! itself, answers 404, 405, 413 and 415, parses every parameter in its style, validates the
//! request against the document (400 with a problem-details body listing each violation with its
//! pointer), and only then calls the handler with the typed request; the handler's response enum
//! is written with its status and content type. `router_with` takes a
//! `oas_runtime::server::ServerConfig` (body limit, and response validation for tests).
//!
//! The traits are easiest to implement with `oas-macros`: write one `async fn` per operation in
//! one `impl` block and `#[oas_macros::handlers]` checks at compile time that every operation of
//! the same document has a handler (naming the missing ones, with their method and path), lets
//! you list operations that are not done yet (the router answers them 501), and writes the trait
//! impls.
//!
//! ```text
//! use std::sync::Arc;
//!
//! pub mod api {
//!     include!(concat!(env!("OUT_DIR"), "/my_api.rs"));
//! }
//!
//! struct Backend;
//!
//! #[oas_macros::handlers(spec = "openapi.yaml", api = crate::api, unimplemented(deletePet))]
//! impl Backend {
//!     async fn get_pet(&self, request: api::GetPetRequest) -> api::GetPetResponse {
//!         api::GetPetResponse::Ok(api::Pet { name: request.id, tag: None })
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() {
//!     let app: axum::Router = api::server::router(Arc::new(Backend));
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
//!     axum::serve(listener, app).await.unwrap();
//! }
//! ```
//!
//! # Calling
//!
//! With `.client(true)` and `oas-runtime`'s `client` feature, `api::client::Client::new(base_url,
//! reqwest_client)` has one async method per operation. It returns the same response enum the
//! server uses, so a documented error status is a value (`Ok(api::GetPetResponse::NotFound(..))`)
//! and only requests that cannot be built, transport failures, statuses the document does not
//! list and bodies that do not decode are `Err(api::client::ClientError)`.

#![warn(missing_docs)]

pub mod builder;
pub mod config;
pub mod diagnostics;
pub(crate) mod doc_text;
pub mod emit;
pub mod features;
pub mod fetch;
pub mod handlers;
pub mod ir;
pub(crate) mod keywords;
pub mod load;
pub(crate) mod lower;
pub mod naming;
pub mod number_texts;
pub mod output;
pub mod overrides;
pub mod refs;
pub mod source_map;
pub mod subset;

mod generate;

pub use emit::customize::DEFAULT_RUNTIME_PATH;
pub use emit::layout::{CrateConfig, Dependencies, RuntimeSource};
pub use generate::{
    emit_lowered, generate, generate_owned, generate_owned_with, lower_document, prepare, prepare_with, GenerateError, Generated, Options, Prepared,
};
