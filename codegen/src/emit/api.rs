//! Emission: the model to one layout-neutral value, [`Api`], that every layout is rendered from.
//!
//! Every module is emitted and formatted here, once, with the user's derives and runtime path
//! already applied (see `customize`); the crate layout and the build-script include file
//! ([`super::layout`]) only wrap the formatted modules. All formatting jobs (modules in parts,
//! documentation pages, the embedded document) share one queue so both cores stay busy to the end.
//! A caller that owns the document serializes it before ([`document_file`]) and lets the parsed
//! tree go, so that emission runs in the memory the tree held.

mod assembly;
mod embedded;

// Generation overlaps serializing the document with lowering through it.
pub(crate) use super::parallel::{run_beside, worker};
pub(crate) use embedded::document_file;

use quote::quote;

use self::assembly::{Assembly, File};
use super::client::client_parts;
use super::customize::Customization;
use super::data_text::{atom, string, Data};
use super::docs::{self, DocsContext, DocsIndex};
use super::parallel::{for_each_in_order, Job};
use super::parts::{chunks, format_jobs, Build, Part};
use super::server::{server_parts, ServerInput};
use super::types::{emit_type_defs, emit_type_list};
use super::SeparatedPart;
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
    /// The formatted Rust source, without the declarations of its submodules (the layouts write
    /// those, each its own way).
    pub text: String,
    /// Its items that compile only under some features (with a feature per tag), whose names it
    /// re-exports.
    pub submodules: Vec<Submodule>,
}

/// Items of a module that compile only under some features. The crate layout gives them a file of
/// their own behind `#[cfg(...)] mod ...;`, which rustc does not open when the features are off:
/// items merely marked `#[cfg]` are still parsed and expanded, which for a large API cost a single
/// feature much of what leaving the others out saved.
#[derive(Debug, Clone)]
pub struct Submodule {
    /// Its name, `group_N`: from its index, never from a tag's text.
    pub name: String,
    /// The features any of which compiles it.
    pub features: Vec<String>,
    /// Its formatted source: inner docs, `use super::*;`, then its items.
    pub text: String,
}

/// The parts of a module, and of each of its submodules with the features that compile it.
struct Source<'a> {
    name: ModuleName,
    parts: Vec<Part<'a>>,
    groups: Vec<(Vec<String>, Vec<Part<'a>>)>,
}

impl<'a> Source<'a> {
    fn whole(name: ModuleName, parts: Vec<Part<'a>>) -> Source<'a> {
        Source { name, parts, groups: Vec::new() }
    }
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
    docs_index: Option<DocsIndex>,
) -> Result<Api, String> {
    let mut sources: Vec<Source<'_>> = vec![types_source(model, options.features), operations_source(model, options.features)];
    let features = options.features;
    if options.server {
        sources.push(Source::whole(ModuleName::Server, server_parts(&ServerInput { model, webhooks: false, features })));
    }
    if options.client {
        sources.push(Source::whole(ModuleName::Client, client_parts(model, features)));
    }
    if options.server && model.operations.iter().any(|operation| operation.webhook) {
        sources.push(Source::whole(ModuleName::Webhooks, server_parts(&ServerInput { model, webhooks: true, features })));
    }
    let customization = options.customization;
    if !customization.is_default() {
        for source in &mut sources {
            let schema_types = source.name == ModuleName::Types;
            let apply = |parts: &mut Vec<Part<'a>>| {
                *parts = std::mem::take(parts).into_iter().map(|part| customize(part, customization, schema_types)).collect();
            };
            apply(&mut source.parts);
            for (_, parts) in &mut source.groups {
                apply(parts);
            }
        }
    }
    let docs_context = match (options.docs, docs_index) {
        (true, Some(index)) => Some(DocsContext::with_index(model, numbers, index)),
        (true, None) => Some(DocsContext::new(model, numbers)),
        (false, _) => None,
    };
    let pages = docs_context.as_ref().map(docs::pages).unwrap_or_default();

    // Serializing a large document is one of the longer jobs, so it goes first (when it is not
    // serialized yet).
    let mut jobs: Vec<Job<'_, Result<SeparatedPart, String>>> = vec![Box::new(move || Ok(SeparatedPart::other(document())))];
    let mut files = vec![(File::Document, 1)];
    let mut modules = Vec::with_capacity(sources.len());
    for (index, source) in sources.iter_mut().enumerate() {
        let parts_jobs = format_jobs(std::mem::take(&mut source.parts));
        files.push((File::Module(index), parts_jobs.len()));
        jobs.extend(parts_jobs);
        let mut submodules = Vec::with_capacity(source.groups.len());
        for (group, (features, parts)) in source.groups.iter_mut().enumerate() {
            let group_jobs = format_jobs(std::mem::take(parts));
            files.push((File::Submodule(index, group), group_jobs.len()));
            jobs.extend(group_jobs);
            submodules.push(Submodule { name: format!("group_{}", group + 1), features: std::mem::take(features), text: String::new() });
        }
        modules.push(Module { name: source.name, text: String::new(), submodules });
    }
    for (path, pieces) in pages {
        files.push((File::Page(path), pieces.len()));
        jobs.extend(
            pieces.into_iter().map(|render| -> Job<'_, Result<SeparatedPart, String>> { Box::new(move || Ok(SeparatedPart::other(render()))) }),
        );
    }

    let mut assembly = Assembly::new(files, modules)?;
    for_each_in_order(jobs, |part| assembly.push(part?))?;
    let (modules, document, docs) = assembly.finish()?;
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

fn types_source<'a>(model: &'a Model, features: Option<&'a crate::features::FeatureMap>) -> Source<'a> {
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
    let Some(features) = features else {
        let definitions = chunks(space.types.len()).map(|range| Part::Items(Box::new(move || emit_type_defs(space, range.clone()))));
        return Source::whole(ModuleName::Types, std::iter::once(header).chain(definitions).collect());
    };
    let groups = features.type_groups(|id| !space.provided.schemas.contains_key(&id)).into_iter().map(|(features, ids)| {
        let header = submodule_header("schema types", features.clone());
        let definitions: Vec<Part<'a>> = chunks(ids.len())
            .map(|range| {
                let ids = ids[range].to_vec();
                Part::Items(Box::new(move || emit_type_list(space, &ids)))
            })
            .collect();
        (features, std::iter::once(header).chain(definitions).collect())
    });
    Source { name: ModuleName::Types, parts: vec![header], groups: groups.collect() }
}

/// The first part of a submodule: what it holds, and the names of the module around it (its
/// sibling submodules' items among them, through the module's re-exports).
fn submodule_header<'a>(what: &'static str, features: Vec<String>) -> Part<'a> {
    Part::Items(Box::new(move || {
        let listed: Vec<String> = features.iter().map(|feature| format!("`{feature}`")).collect();
        let doc = match listed.as_slice() {
            [] => format!("The {what} that every feature compiles."),
            [one] => format!("The {what} compiled with the feature {one}."),
            _ => format!("The {what} compiled with any of the features {}.", listed.join(", ")),
        };
        let lines = crate::doc_text::doc_lines(&doc);
        quote! {
            #( #![doc = #lines] )*
            #[allow(unused_imports)]
            use super::*;
        }
    }))
}

/// The `OPERATIONS` constant of `operations.rs`: written as text (it is nothing but literals,
/// and for a large document one of the longest items to format), as tokens outside
/// `written_items::collect`.
fn operation_infos(model: &Model) -> proc_macro2::TokenStream {
    const HEAD: &str = "pub const OPERATIONS: &[::oas_runtime::OperationInfo] = ";
    let write = || {
        let infos = model.operations.iter().map(|operation| {
            Data::Struct(
                "::oas_runtime::OperationInfo".into(),
                vec![
                    ("id", string(&operation.id)),
                    ("method", string(operation.method.http())),
                    ("path", string(&operation.path)),
                    ("webhook", atom(operation.webhook.to_string())),
                ],
            )
        });
        let mut text = format!("/// Every operation of the document, in document order.\n{HEAD}");
        Data::Slice(infos.collect()).write(&mut text, 0, HEAD.len(), 1);
        text.push_str(";\n");
        Some(vec![text])
    };
    super::written_items::hand_over(write).unwrap_or_else(|| {
        let infos = model.operations.iter().map(|operation| {
            let id = &operation.id;
            let method = operation.method.http();
            let path = &operation.path;
            let webhook = operation.webhook;
            quote!(::oas_runtime::OperationInfo { id: #id, method: #method, path: #path, webhook: #webhook })
        });
        quote! {
            /// Every operation of the document, in document order.
            pub const OPERATIONS: &[::oas_runtime::OperationInfo] = &[ #( #infos ),* ];
        }
    })
}

fn operations_source<'a>(model: &'a Model, features: Option<&'a crate::features::FeatureMap>) -> Source<'a> {
    let header = Part::Items(Box::new(|| {
        let allows = super::allowed_lints();
        let infos = operation_infos(model);
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

            #infos

            #security
        }
    }));
    let operation_types = |operations: Vec<&'a crate::ir::Operation>| -> Vec<Part<'a>> {
        chunks(operations.len())
            .map(|range| -> Part<'a> {
                let chunk = operations[range].to_vec();
                Part::Items(Box::new(move || {
                    let items = chunk.iter().map(|operation| super::operations::emit_operation_types(&model.space, operation));
                    quote!( #( #items )* )
                }))
            })
            .collect()
    };
    let Some(features) = features else {
        return Source::whole(ModuleName::Operations, std::iter::once(header).chain(operation_types(model.operations.iter().collect())).collect());
    };
    let groups = features.operation_groups(&model.operations).into_iter().map(|(feature, operations)| {
        let features: Vec<String> = (!feature.is_empty()).then_some(feature).into_iter().collect();
        let header = submodule_header("request and response types of the operations", features.clone());
        (features, std::iter::once(header).chain(operation_types(operations)).collect())
    });
    Source { name: ModuleName::Operations, parts: vec![header], groups: groups.collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with an operation per path length, so that every way an entry can fit or break
    /// comes up, and ids and paths that need escaping.
    fn document(operations: usize, webhook: bool) -> String {
        let mut yaml = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n");
        for length in 0..operations {
            let path = format!("/{}", "p".repeat(length));
            let id = match length % 3 {
                0 => "i".repeat(length * 2 + 1),
                1 => format!("quote\\\"and\\\\slash{length}"),
                _ => format!("caf\\u00e9{length}"),
            };
            yaml.push_str(&format!("  '{path}':\n    get:\n      operationId: \"{id}\"\n      responses: {{'204': {{description: ok}}}}\n"));
        }
        if webhook {
            yaml.push_str("webhooks:\n  ping:\n    post:\n      operationId: ping\n      responses: {'200': {description: ok}}\n");
        }
        yaml
    }

    #[test]
    fn the_operation_list_written_as_text_reads_as_the_formatted_one() {
        for (operations, webhook) in [(0, false), (0, true), (1, true), (70, true)] {
            let loaded = crate::load::load_str(&document(operations, webhook)).unwrap();
            let (model, _) = crate::generate::lower_document(&loaded, &crate::generate::Options::default());
            assert_eq!(model.operations.len(), operations + usize::from(webhook));
            let (built, text, written) = super::super::written_items::both_paths(|| operation_infos(&model));
            assert_eq!(written, 1);
            assert_eq!(built, text);
        }
    }
}
