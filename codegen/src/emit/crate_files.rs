//! The files of a generated crate: manifest, library root, types and the embedded document.

use quote::quote;
use serde_json::Value;

use super::format_file;
use super::types::emit_types;
use crate::lower::Model;
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

pub fn crate_files(model: &Model, root: &Value, openapi_3_0: bool, config: &CrateConfig) -> Result<FileSet, String> {
    let header = comment_header(&config.header);
    let mut files = FileSet::new();
    files.insert("Cargo.toml".into(), manifest(config, root));
    let has_webhooks = model.operations.iter().any(|operation| operation.webhook);
    files.insert("src/lib.rs".into(), format!("{header}{}", library_root(root, !model.space.types.is_empty(), has_webhooks)?));
    // The files are independent, and formatting is most of the work: each is emitted and
    // formatted on a thread of its own (token streams are not `Send`, so both happen there).
    let (types, operations, server, webhooks, client, docs) = std::thread::scope(|scope| {
        let types = spawn(scope, || types_file(model));
        let operations = spawn(scope, || operations_file(model));
        let server = spawn(scope, || format_file(super::server::emit_server(&super::server::ServerInput { model, openapi_3_0, webhooks: false })));
        let webhooks = spawn(scope, || {
            let any = model.operations.iter().any(|operation| operation.webhook);
            any.then(|| format_file(super::server::emit_server(&super::server::ServerInput { model, openapi_3_0, webhooks: true }))).transpose()
        });
        let client = spawn(scope, || format_file(super::client::emit_client(model)));
        let docs = spawn(scope, || Ok(super::docs::docs_files(model, root)));
        (join(types), join(operations), join(server), join(webhooks), join(client), join(docs))
    });
    files.insert("src/types.rs".into(), format!("{header}{}", types?));
    files.insert("src/operations.rs".into(), format!("{header}{}", operations?));
    files.insert("src/server.rs".into(), format!("{header}{}", server?));
    files.insert("src/client.rs".into(), format!("{header}{}", client?));
    if let Some(webhooks) = webhooks? {
        files.insert("src/webhooks.rs".into(), format!("{header}{webhooks}"));
    }
    files.insert("src/openapi_document.rs".into(), format!("{header}{}", document_file(root)));
    files.extend(docs?);
    Ok(files)
}

type Job<'scope, T> = Result<std::thread::ScopedJoinHandle<'scope, Result<T, String>>, String>;

/// Runs `job` on a thread of the scope. Deeply nested schemas make deeply nested syntax trees,
/// so the thread gets the stack a main thread would have.
fn spawn<'scope, 'env, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    job: impl FnOnce() -> Result<T, String> + Send + 'scope,
) -> Job<'scope, T> {
    std::thread::Builder::new()
        .stack_size(16 * 1024 * 1024)
        .spawn_scoped(scope, job)
        .map_err(|error| format!("cannot start a generator thread: {error}"))
}

fn join<T>(job: Job<'_, T>) -> Result<T, String> {
    job?.join().unwrap_or_else(|_| Err("internal error: a generator thread panicked".into()))
}

fn comment_header(text: &str) -> String {
    text.lines().map(|line| format!("// {line}\n")).collect::<String>() + "\n"
}

fn toml_comment_header(text: &str) -> String {
    text.lines().map(|line| format!("# {line}\n")).collect::<String>() + "\n"
}

fn manifest(config: &CrateConfig, root: &Value) -> String {
    let description =
        root.pointer("/info/title").and_then(Value::as_str).map(|title| format!("Types for {title}, generated from its OpenAPI document."));
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

fn library_root(root: &Value, has_types: bool, has_webhooks: bool) -> Result<String, String> {
    let title = root.pointer("/info/title").and_then(Value::as_str).unwrap_or("the API");
    let version = root.pointer("/info/version").and_then(Value::as_str).unwrap_or_default();
    let mut text = format!("Types for {title}");
    if !version.is_empty() {
        text.push_str(&format!(" (version {version})"));
    }
    text.push_str(", generated from its OpenAPI document.");
    if let Some(description) = root.pointer("/info/description").and_then(Value::as_str) {
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
    let types = emit_types(&model.space);
    let allows = super::allowed_lints();
    let tokens = quote! {
        //! Rust types for the schemas of the document: one per component schema and one per inline
        //! schema that needs a name.
        #allows
        #![allow(deprecated)]

        #types
    };
    format_file(tokens)
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

pub(crate) fn operations_file(model: &Model) -> Result<String, String> {
    let allows = super::allowed_lints();
    let items = model.operations.iter().map(|operation| super::operations::emit_operation_types(&model.space, operation));
    let infos = model.operations.iter().map(|operation| {
        let id = &operation.id;
        let method = operation.method.to_uppercase();
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
    let tokens = quote! {
        //! Per-operation types shared by server and client: a request struct with the parameters
        //! and body, and a response enum with one variant per documented status.
        #allows
        #![allow(deprecated)]

        #uses_types

        /// Every operation of the document, in document order.
        pub const OPERATIONS: &[::oas_runtime::OperationInfo] = &[ #( #infos ),* ];

        #( #items )*
    };
    format_file(tokens)
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
