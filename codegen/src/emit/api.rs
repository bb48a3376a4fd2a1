//! Emission: the model to one layout-neutral value, [`Api`], that every layout is rendered from.
//!
//! Every module is emitted and formatted here, once, with the user's derives and runtime path
//! already applied (see `customize`); the crate layout and the build-script include file
//! ([`super::layout`]) only wrap the formatted modules. All formatting jobs (modules in parts,
//! documentation pages, the embedded document) share one queue so both cores stay busy to the end.
//! A caller that owns the document serializes it before ([`document_file`]) and lets the parsed
//! tree go, so that emission runs in the memory the tree held.

mod embedded;

// Generation overlaps serializing the document with lowering through it.
pub(crate) use super::parallel::run_beside;
pub(crate) use embedded::document_file;

use quote::quote;

use super::client::client_parts;
use super::customize::Customization;
use super::docs::{self, finish_page, DocsContext};
use super::parallel::{run_in_order, Job};
use super::parts::{assemble, chunks, format_jobs, Build, Part};
use super::server::{server_parts, ServerInput};
use super::types::emit_type_defs;
use crate::ir::{Info, Model};
use crate::number_texts::NumberTexts;
use crate::output::FileSet;

/// What to emit, and how.
pub(crate) struct EmitOptions<'c> {
    pub server: bool,
    pub client: bool,
    /// The Markdown and HTML reference pages (the crate layout has them; an include file not).
    pub docs: bool,
    pub customization: &'c Customization,
    /// A cargo feature per tag: which items compile under which feature.
    pub features: Option<&'c crate::features::FeatureMap>,
}

/// A module of the generated API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ModuleName {
    /// `types`: one type per schema.
    Types,
    /// `operations`: each operation's request struct and response enum.
    Operations,
    /// `server`: the axum router and one handler trait per operation.
    Server,
    /// `client`: the reqwest client, one method per operation.
    Client,
    /// `webhooks`: the router a consumer of the API serves its webhooks and callbacks with.
    Webhooks,
}

impl ModuleName {
    /// The module's name, and its file's stem in the crate layout.
    pub fn as_str(self) -> &'static str {
        match self {
            ModuleName::Types => "types",
            ModuleName::Operations => "operations",
            ModuleName::Server => "server",
            ModuleName::Client => "client",
            ModuleName::Webhooks => "webhooks",
        }
    }

    /// The cargo feature a crate compiles the module under, if any: the server (and the receiver of
    /// webhooks, a server too) needs axum, the client reqwest.
    pub fn feature(self) -> Option<&'static str> {
        match self {
            ModuleName::Server | ModuleName::Webhooks => Some("server"),
            ModuleName::Client => Some("client"),
            ModuleName::Types | ModuleName::Operations => None,
        }
    }
}

/// One formatted module: its inner docs and attributes, then its items, as a file would hold them.
#[derive(Debug, Clone)]
pub struct Module {
    /// Which module it is.
    pub name: ModuleName,
    /// The formatted Rust source.
    pub text: String,
}

/// The generated API, independent of how it is laid out in files.
#[derive(Debug, Clone)]
pub struct Api {
    /// The document's `info`, which the crate's manifest and root docs describe it with.
    pub info: Info,
    /// The modules in [`ModuleName`] order; the types and operations modules are always there.
    pub modules: Vec<Module>,
    /// Whether the types module declares anything (a glob re-export of an empty module only draws a
    /// lint).
    pub has_types: bool,
    /// The embedded document: `OPENAPI_JSON` and `openapi_document()`, after the module's inner doc.
    pub document: String,
    /// The reference pages by path (`docs/README.md`, `docs/index.html`, ...), when asked for.
    pub docs: FileSet,
    /// Extra `[dependencies]` lines of the crate's manifest, each one checked TOML entry.
    pub dependencies: Vec<String>,
    /// The cargo features per tag, when asked for.
    pub features: Vec<String>,
}

impl Api {
    /// The module named `name`, if it was generated.
    pub fn module(&self, name: ModuleName) -> Option<&Module> {
        self.modules.iter().find(|module| module.name == name)
    }
}

const MISSING_RESULT: &str = "internal error: a generator job left no result";

/// Emits and formats everything `options` asks for; `document` gives the embedded document's
/// module ([`document_file`]), and `numbers` the text of the document's numbers that doubles do
/// not reproduce (the reference pages' examples write them).
pub(crate) fn emit<'a>(
    model: &'a Model,
    document: impl FnOnce() -> String + Send + 'a,
    numbers: &'a NumberTexts,
    options: &EmitOptions<'a>,
) -> Result<Api, String> {
    let mut sources: Vec<(ModuleName, Vec<Part<'_>>)> =
        vec![(ModuleName::Types, types_parts(model, options.features)), (ModuleName::Operations, operations_parts(model, options.features))];
    let features = options.features;
    if options.server {
        sources.push((ModuleName::Server, server_parts(&ServerInput { model, webhooks: false, features })));
    }
    if options.client {
        sources.push((ModuleName::Client, client_parts(model, features)));
    }
    if options.server && model.operations.iter().any(|operation| operation.webhook) {
        sources.push((ModuleName::Webhooks, server_parts(&ServerInput { model, webhooks: true, features })));
    }
    let customization = options.customization;
    if !customization.is_default() {
        for (name, parts) in &mut sources {
            let schema_types = *name == ModuleName::Types;
            *parts = std::mem::take(parts).into_iter().map(|part| customize(part, customization, schema_types)).collect();
        }
    }
    let docs_context = options.docs.then(|| DocsContext::new(model, numbers));
    let pages = docs_context.as_ref().map(docs::pages).unwrap_or_default();

    // Serializing a large document is one of the longer jobs, so it goes first (when it is not
    // serialized yet).
    let mut jobs: Vec<Job<'_, Result<String, String>>> = vec![Box::new(move || Ok(document()))];
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
    let mut modules = Vec::with_capacity(sources.len());
    for ((name, _), count) in sources.iter().zip(part_counts) {
        modules.push(Module { name: *name, text: assemble("", results.by_ref().take(count))? });
    }
    let mut docs = FileSet::new();
    for (path, count) in page_paths {
        let pieces = results.by_ref().take(count).collect::<Result<Vec<String>, String>>()?;
        // Sized up front: a large document's HTML page is megabytes, and growing it by doubling
        // held about twice that at the peak.
        let mut text = String::with_capacity(pieces.iter().map(String::len).sum::<usize>() + 1);
        for piece in pieces {
            text.push_str(&piece);
        }
        docs.insert(path, finish_page(text));
    }
    Ok(Api {
        info: model.info.clone(),
        modules,
        has_types: !model.space.types.is_empty(),
        document,
        docs,
        dependencies: Vec::new(),
        features: Vec::new(),
    })
}

/// The part with the user's derives and runtime path applied to the tokens it builds.
fn customize<'a>(part: Part<'a>, customization: &'a Customization, schema_types: bool) -> Part<'a> {
    let wrap = |build: Build<'a>| -> Build<'a> { Box::new(move || customization.apply(build(), schema_types)) };
    match part {
        Part::Items(build) => Part::Items(wrap(build)),
        Part::OpenImpl(build) => Part::OpenImpl(wrap(build)),
        Part::Members(build) => Part::Members(wrap(build)),
        // Written text names the runtime only through the `rt` alias the module's header declares.
        text @ (Part::Text(_) | Part::Written(_)) => text,
    }
}

fn types_parts<'a>(model: &'a Model, features: Option<&'a crate::features::FeatureMap>) -> Vec<Part<'a>> {
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
    let definitions = chunks(space.types.len()).map(|range| Part::Items(Box::new(move || emit_type_defs(space, range.clone(), features))));
    std::iter::once(header).chain(definitions).collect()
}

fn operations_parts<'a>(model: &'a Model, features: Option<&'a crate::features::FeatureMap>) -> Vec<Part<'a>> {
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
            let items = model.operations[range.clone()].iter().map(|operation| {
                let items = super::operations::emit_operation_types(&model.space, operation);
                match features {
                    Some(features) => crate::features::gate(items, &features.operation_cfg(operation)),
                    None => items,
                }
            });
            quote!( #( #items )* )
        }))
    });
    std::iter::once(header).chain(items).collect()
}
