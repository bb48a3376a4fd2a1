//! The files of a generated crate: manifest, library root, types and the embedded document.

use quote::quote;
use serde_json::Value;

use super::client::client_parts;
use super::docs::{finish_page, DocsContext};
use super::format_file;
use super::parallel::{run_in_order, Job};
use super::parts::{assemble, chunks, format_jobs, Part};
use super::server::{server_parts, ServerInput};
use super::types::emit_type_defs;
use crate::ir::Model;
use crate::output::FileSet;

/// How the generated crate names its dependencies.
#[derive(Debug, Clone)]
pub enum Dependencies {
    /// A member of a workspace that declares them (`serde.workspace = true`).
    Workspace,
    /// A standalone crate; the runtime crate comes from this path or version requirement.
    Standalone { runtime: RuntimeSource },
}

#[derive(Debug, Clone)]
pub enum RuntimeSource {
    Path(String),
    Version(String),
}

/// What a generated crate is called and how it is labelled.
#[derive(Debug, Clone)]
pub struct CrateConfig {
    pub name: String,
    /// The first line of every generated file, as plain text (written as a comment).
    pub header: String,
    pub dependencies: Dependencies,
}

/// The files of the crate for `model`. `root` is the document itself, which the crate embeds;
/// nothing else is read from it.
pub fn crate_files(model: &Model, root: &Value, config: &CrateConfig) -> Result<FileSet, String> {
    let header = comment_header(&config.header);
    let mut files = FileSet::new();
    files.insert("Cargo.toml".into(), manifest(config, model));
    let has_webhooks = model.operations.iter().any(|operation| operation.webhook);
    files.insert("src/lib.rs".into(), format!("{header}{}", library_root(model, has_webhooks)?));

    let mut sources = vec![
        ("src/types.rs", types_parts(model)),
        ("src/operations.rs", operations_parts(model)),
        ("src/server.rs", server_parts(&ServerInput { model, webhooks: false })),
        ("src/client.rs", client_parts(model)),
    ];
    if has_webhooks {
        sources.push(("src/webhooks.rs", server_parts(&ServerInput { model, webhooks: true })));
    }
    let docs = DocsContext::new(model);
    let pages = docs.pages();

    // One queue for everything, so both cores stay busy to the end. Serializing a large document
    // is one of the longer jobs, so it goes first.
    let mut jobs: Vec<Job<'_, Result<String, String>>> = vec![Box::new(|| Ok(document_file(root)))];
    let mut part_counts = Vec::with_capacity(sources.len());
    for (_, parts) in &mut sources {
        let parts_jobs = format_jobs(std::mem::take(parts));
        part_counts.push(parts_jobs.len());
        jobs.extend(parts_jobs);
    }
    let mut page_paths = Vec::with_capacity(pages.len());
    for (path, pieces) in pages {
        page_paths.push((path, pieces.len()));
        jobs.extend(pieces.into_iter().map(|render| -> Job<'_, Result<String, String>> { Box::new(move || Ok(render())) }));
    }
    let mut results = run_in_order(jobs)?.into_iter();

    let document = results.next().ok_or(MISSING_RESULT)??;
    files.insert("src/openapi_document.rs".into(), format!("{header}{document}"));
    for ((path, _), count) in sources.iter().zip(part_counts) {
        files.insert((*path).into(), assemble(&header, results.by_ref().take(count))?);
    }
    for (path, count) in page_paths {
        let pieces = results.by_ref().take(count).collect::<Result<Vec<String>, String>>()?;
        // Sized up front: GitHub's HTML page is 14 MB, and growing it by doubling held about
        // twice that at the peak.
        let mut text = String::with_capacity(pieces.iter().map(String::len).sum::<usize>() + 1);
        for piece in pieces {
            text.push_str(&piece);
        }
        files.insert(path, finish_page(text));
    }
    Ok(files)
}

const MISSING_RESULT: &str = "internal error: a generator job left no result";

/// A file of the crate layout formatted on every core, for callers that want it on its own.
fn format_parts(parts: Vec<Part<'_>>) -> Result<String, String> {
    assemble("", run_in_order(format_jobs(parts))?)
}

fn comment_header(text: &str) -> String {
    text.lines().map(|line| format!("// {line}\n")).collect::<String>() + "\n"
}

fn toml_comment_header(text: &str) -> String {
    text.lines().map(|line| format!("# {line}\n")).collect::<String>() + "\n"
}

fn manifest(config: &CrateConfig, model: &Model) -> String {
    let description = model.info.title.as_ref().map(|title| format!("Types for {title}, generated from its OpenAPI document."));
    let description = toml_string(description.as_deref().unwrap_or("Types generated from an OpenAPI document."));
    let mut text = toml_comment_header(&config.header);
    text.push_str("[package]\n");
    text.push_str(&format!("name = {}\n", toml_string(&config.name)));
    text.push_str(&format!("description = {description}\n"));
    match &config.dependencies {
        Dependencies::Workspace => {
            for key in ["edition", "license", "rust-version", "version"] {
                text.push_str(&format!("{key}.workspace = true\n"));
            }
            text.push_str("publish = false\n\n[dependencies]\n");
            for dependency in ["oas-runtime", "serde", "serde_json"] {
                text.push_str(&format!("{dependency}.workspace = true\n"));
            }
            text.push_str(FEATURES);
        }
        Dependencies::Standalone { runtime } => {
            text.push_str("version = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n");
            match runtime {
                RuntimeSource::Path(path) => text.push_str(&format!("oas-runtime = {{ path = {} }}\n", toml_string(path))),
                RuntimeSource::Version(version) => text.push_str(&format!("oas-runtime = {}\n", toml_string(version))),
            }
            text.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
            text.push_str("serde_json = \"1\"\n");
            text.push_str(FEATURES);
        }
    }
    text
}

/// Server and client are opt-in, so a client does not compile axum and a server not reqwest.
const FEATURES: &str =
    "\n[features]\ndefault = []\n# The axum server: `server::router`, one trait per operation.\nserver = [\"oas-runtime/server\"]\n# The reqwest client: `client::Client`, one method per operation.\nclient = [\"oas-runtime/client\"]\n";

/// A TOML basic string with everything that could end it escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn library_root(model: &Model, has_webhooks: bool) -> Result<String, String> {
    let has_types = !model.space.types.is_empty();
    let title = model.info.title.as_deref().unwrap_or("the API");
    let mut text = format!("Types for {title}");
    if let Some(version) = &model.info.version {
        text.push_str(&format!(" (version {version})"));
    }
    text.push_str(", generated from its OpenAPI document.");
    if let Some(description) = &model.info.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    let crate_docs: Vec<String> = crate::doc_text::doc_lines(&text);
    let reexport_types = has_types.then(|| {
        quote!(
            pub use types::*;
        )
    });
    // The receiver of webhooks is a server too, behind the same feature.
    let webhooks = has_webhooks.then(|| {
        quote! {
            #[cfg(feature = "server")]
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    let tokens = quote! {
        #( #![doc = #crate_docs] )*

        mod openapi_document;
        #[rustfmt::skip]
        pub mod operations;
        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod client;
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod server;
        #[rustfmt::skip]
        pub mod types;
        #webhooks

        pub use openapi_document::{openapi_document, OPENAPI_JSON};
        pub use operations::*;
        #reexport_types
    };
    format_file(tokens)
}

pub(crate) fn types_file(model: &Model) -> Result<String, String> {
    format_parts(types_parts(model))
}

fn types_parts(model: &Model) -> Vec<Part<'_>> {
    let header = Part::Items(Box::new(|| {
        let allows = super::allowed_lints();
        quote! {
            //! Rust types for the schemas of the document: one per component schema and one per inline
            //! schema that needs a name.
            #allows
            #![allow(deprecated)]
        }
    }));
    let space = &model.space;
    let definitions = chunks(space.types.len()).map(|range| Part::Items(Box::new(move || emit_type_defs(space, range.clone()))));
    std::iter::once(header).chain(definitions).collect()
}

/// Escapes every non-ASCII character of JSON text (`\\uXXXX`, the same value), so that no
/// invisible or direction-changing character ends up in a Rust string literal.
fn ascii_json(json: &str) -> String {
    if json.is_ascii() {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    let mut units = [0u16; 2];
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

pub(crate) fn server_file(model: &Model) -> Result<String, String> {
    format_parts(server_parts(&ServerInput { model, webhooks: false }))
}

pub(crate) fn operations_file(model: &Model) -> Result<String, String> {
    format_parts(operations_parts(model))
}

fn operations_parts(model: &Model) -> Vec<Part<'_>> {
    let header = Part::Items(Box::new(|| {
        let allows = super::allowed_lints();
        let infos = model.operations.iter().map(|operation| {
            let id = &operation.id;
            let method = operation.method.http();
            let path = &operation.path;
            let webhook = operation.webhook;
            quote!(::oas_runtime::OperationInfo { id: #id, method: #method, path: #path, webhook: #webhook })
        });
        let uses_types = (!model.space.types.is_empty()).then(|| {
            quote!(
                #[allow(unused_imports)]
                use super::types::*;
            )
        });
        let security = super::security::requirement_consts(model);
        quote! {
            //! Per-operation types shared by server and client: a request struct with the parameters
            //! and body, and a response enum with one variant per documented status.
            #allows
            #![allow(deprecated)]

            #uses_types

            /// Every operation of the document, in document order.
            pub const OPERATIONS: &[::oas_runtime::OperationInfo] = &[ #( #infos ),* ];

            #security
        }
    }));
    let items = chunks(model.operations.len()).map(|range| {
        Part::Items(Box::new(move || {
            let items = model.operations[range.clone()].iter().map(|operation| super::operations::emit_operation_types(&model.space, operation));
            quote!( #( #items )* )
        }))
    });
    std::iter::once(header).chain(items).collect()
}

/// The document as compact JSON in a raw string, written directly: formatting a multi-megabyte
/// literal would only cost time.
pub(crate) fn document_file(root: &Value) -> String {
    let json = ascii_json(&serde_json::to_string(root).expect("a JSON value always serializes"));
    let mut hashes = 1;
    while json.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!(
        "//! The OpenAPI document this crate was generated from.\n\n\
         /// The document as compact JSON.\n\
         pub const OPENAPI_JSON: &str = r{fence}\"{json}\"{fence};\n\n\
         /// The document, parsed.\n\
         pub fn openapi_document() -> serde_json::Value {{\n    \
         serde_json::from_str(OPENAPI_JSON).expect(\"the embedded document is valid JSON\")\n\
         }}\n"
    )
}
