//! The server module: one trait per operation, a `Handlers` trait that needs them all, and an
//! axum router that parses, validates and dispatches requests through `oas_runtime::server`.

use std::sync::Arc;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::operations::{carries_status, content_variant, response_variants};
use super::parts::{chunks, Part};
use super::server_dispatch::{dispatch_text, handler_name};
use super::types::docs;
use crate::ir::Model;
use crate::ir::Ty;
use crate::ir::{Content, Framing, MediaKind, Operation, Response, Status, Stream};
use crate::naming::{ident, ident_text, Namer};

/// Which server to generate from the model.
pub struct ServerInput<'m> {
    pub model: &'m Model,
    /// Generate the receiver of the document's webhooks instead of the server of its paths.
    pub webhooks: bool,
    /// A cargo feature per tag: which operations compile under which feature.
    pub features: Option<&'m crate::features::FeatureMap>,
}

/// The module in parts, in file order: the header, the traits, `Handlers`, the operation table,
/// the router, the handlers.
pub(crate) fn server_parts<'a>(input: &ServerInput<'a>) -> Vec<Part<'a>> {
    let model = input.model;
    let webhooks = input.webhooks;
    let features = input.features;
    let cfg = move |operation: &Operation| features.map(|features| features.operation_cfg(operation)).unwrap_or_default();
    let operations: Arc<[&'a Operation]> = model.operations.iter().filter(|operation| operation.webhook == webhooks).collect();
    let mut parts = vec![Part::Items(Box::new(move || module_header(webhooks)))];
    for range in chunks(operations.len()) {
        let operations = Arc::clone(&operations);
        parts.push(Part::Items(Box::new(move || {
            let traits = operations[range.clone()].iter().map(|operation| crate::features::gate(emit_trait(operation), &cfg(operation)));
            quote!( #( #traits )* )
        })));
    }
    let openapi_3_0 = input.model.version == crate::ir::Version::V3_0;
    let handlers_operations = Arc::clone(&operations);
    parts.push(Part::Items(Box::new(move || emit_handlers_trait(model, &handlers_operations, features))));
    match features {
        // One table per feature, each compiled only with its feature, put together at start-up.
        Some(features) if !operations.is_empty() => {
            let groups: Arc<[FeatureGroup<'a>]> = feature_tables(&operations, features).into();
            for group in 0..groups.len() {
                let groups = Arc::clone(&groups);
                parts.push(Part::Written(Box::new(move || {
                    let group = &groups[group];
                    super::server_table::write_feature_table(model, &group.operations, &group.table, &group.feature)
                })));
            }
            parts.push(Part::Items(Box::new(move || emit_feature_router(&groups, openapi_3_0))));
        }
        _ => {
            // At least one piece: a server without operations still has its (empty) table.
            let pieces: Vec<_> = if operations.is_empty() { std::iter::once(0..0).collect() } else { chunks(operations.len()).collect() };
            let last = pieces.len() - 1;
            for (index, range) in pieces.into_iter().enumerate() {
                let operations = Arc::clone(&operations);
                parts.push(Part::Written(Box::new(move || super::server_table::write_entries(model, &operations[range], index == 0, index == last))));
            }
            let router_operations = Arc::clone(&operations);
            parts.push(Part::Items(Box::new(move || emit_router(&router_operations, openapi_3_0))));
        }
    }
    for range in chunks(operations.len()) {
        let operations = Arc::clone(&operations);
        parts.push(Part::Items(Box::new(move || {
            let handlers = operations[range.clone()].iter().map(|operation| {
                let cfg = cfg(operation);
                let handler = emit_handler(model, operation);
                quote!(#cfg #handler)
            });
            quote!( #( #handlers )* )
        })));
    }
    parts
}

fn module_header(webhooks: bool) -> TokenStream {
    let allows = super::allowed_lints();
    let module_docs = if webhooks {
        quote! {
            //! The receiving side of the document's webhooks: one trait per webhook, `Handlers` for
            //! all of them, and an axum router serving each at `/<webhook name>` that validates the
            //! request against the document before a handler sees it.
        }
    } else {
        quote! {
            //! The server side: one trait per operation, `Handlers` for all of them, and an axum
            //! router that validates each request against the document before a handler sees it.
        }
    };
    quote! {
        #module_docs
        // Deprecated operations and parameters are still served.
        #![allow(deprecated)]
        #allows

        use std::sync::Arc;

        use ::oas_runtime::server as rt;
        /// The request line and headers handed to handlers beside the typed request.
        pub use ::oas_runtime::server::RequestParts;
        #[allow(unused_imports)]
        use ::oas_runtime::server::params::{Location, ParamSpec, Scalar, Shape, Style};
    }
}

/// `Authenticate` where credentials are checked, and `Handlers`.
fn emit_handlers_trait(model: &Model, operations: &[&Operation], features: Option<&crate::features::FeatureMap>) -> TokenStream {
    let (mut trait_names, groups) = match features {
        Some(features) => feature_groups(operations, features),
        None => (operations.iter().map(|operation| ident(&operation.type_name)).collect(), TokenStream::new()),
    };
    let secured = operations.iter().any(|operation| requires_credentials(model, operation));
    let authenticate = secured.then(|| {
        trait_names.push(format_ident!("Authenticate"));
        quote! {
            /// The one place where credentials are checked. The router finds the credentials of
            /// the first security requirement a request satisfies (401 when it satisfies none),
            /// asks this before the handler runs, and hands them to the handler in the request
            /// parts' extensions as `oas_runtime::security::Credentials`.
            pub trait Authenticate: Send + Sync + 'static {
                /// `Err(Unauthorized)` answers 401, `Err(Forbidden)` 403, both as problem+json.
                fn authenticate(&self, operation_id: &'static str, credentials: &rt::Credentials) -> impl ::std::future::Future<Output = Result<(), rt::AuthError>> + Send;
            }
        }
    });
    // Operation traits are `Send + Sync + 'static`; with a feature per tag they may all be off.
    let handlers_bound = match (trait_names.is_empty(), features.is_some()) {
        (true, _) => quote!(Send + Sync + 'static),
        (false, true) => quote!(#(#trait_names)+* + Send + Sync + 'static),
        (false, false) => quote!(#(#trait_names)+*),
    };
    quote! {
        #authenticate
        #groups

        /// Every operation's trait: what a service must implement to be served.
        // A where clause, because prettyplease writes supertraits on one line however many.
        pub trait Handlers where Self: #handlers_bound {}

        impl<T: #handlers_bound> Handlers for T {}
    }
}

/// With a feature per tag, one trait per feature that needs the traits of its operations when
/// the feature is on and nothing when it is off; `Handlers` needs them all. Returns the group
/// traits' names and their definitions.
fn feature_groups(operations: &[&Operation], features: &crate::features::FeatureMap) -> (Vec<proc_macro2::Ident>, TokenStream) {
    let mut names = Namer::new();
    for operation in operations {
        names.unique(operation.type_name.clone());
    }
    let mut group_names = Vec::new();
    let mut definitions = Vec::new();
    for feature in &features.names {
        let members: Vec<_> = operations
            .iter()
            .filter(|operation| features.operations_feature(operation) == Some(feature))
            .map(|operation| ident(&operation.type_name))
            .collect();
        if members.is_empty() {
            continue;
        }
        let name = ident(&names.unique(format!("{}Handlers", crate::naming::camel(feature, "Tag"))));
        let doc = format!(" The operations of the cargo feature `{feature}`: each one's trait when the feature is on.");
        definitions.push(quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub trait #name: #( #members )+* {}
            #[cfg(feature = #feature)]
            impl<T: #( #members )+*> #name for T {}
            #[doc = #doc]
            #[cfg(not(feature = #feature))]
            pub trait #name {}
            #[cfg(not(feature = #feature))]
            impl<T> #name for T {}
        });
        group_names.push(name);
    }
    (group_names, quote!( #( #definitions )* ))
}

/// The operations of one cargo feature, and the names of their table and dispatch function.
struct FeatureGroup<'a> {
    feature: String,
    operations: Vec<&'a Operation>,
    table: String,
    dispatch: String,
}

/// The operations of each feature, in document order within it.
fn feature_tables<'a>(operations: &[&'a Operation], features: &crate::features::FeatureMap) -> Vec<FeatureGroup<'a>> {
    let mut names = Namer::new();
    features
        .names
        .iter()
        .filter_map(|feature| {
            let members: Vec<&Operation> =
                operations.iter().copied().filter(|operation| features.operations_feature(operation) == Some(feature)).collect();
            if members.is_empty() {
                return None;
            }
            let snake = names.unique(crate::naming::field_name(feature, "tag"));
            Some(FeatureGroup {
                feature: feature.clone(),
                operations: members,
                table: format!("OPERATIONS_{}", snake.trim_start_matches("r#").to_uppercase()),
                dispatch: format!("dispatch_{}", snake.trim_start_matches("r#")),
            })
        })
        .collect()
}

/// With a feature per tag: the operations of the features that are on, put together once; the
/// router; and a dispatch that finds an index's feature by the tables' lengths and calls that
/// feature's own dispatch.
fn emit_feature_router(groups: &[FeatureGroup<'_>], openapi_3_0: bool) -> TokenStream {
    let tables: Vec<_> = groups.iter().map(|group| format_ident!("{}", group.table)).collect();
    let functions: Vec<_> = groups.iter().map(|group| format_ident!("{}", group.dispatch)).collect();
    let features: Vec<&String> = groups.iter().map(|group| &group.feature).collect();
    let group_dispatches = groups.iter().zip(&functions).map(|(group, function)| {
        let feature = &group.feature;
        let arms = group.operations.iter().enumerate().map(|(index, operation)| {
            let index = Literal::usize_unsuffixed(index);
            let handler = format_ident!("{}", handler_name(operation));
            quote!(#index => Box::pin(#handler(service, input)),)
        });
        quote! {
            #[cfg(feature = #feature)]
            fn #function<S: Handlers>(service: Arc<S>, index: usize, input: rt::Input) -> rt::BoxFuture<Result<rt::Response, rt::Rejection>> {
                match index {
                    #( #arms )*
                    _ => Box::pin(::std::future::ready(Ok(input.not_implemented()))),
                }
            }
        }
    });
    quote! {
        /// The operations of the features that are on, in the order `dispatch` counts them.
        static OPERATIONS: ::std::sync::LazyLock<Vec<rt::Operation>> = ::std::sync::LazyLock::new(|| {
            #[allow(unused_mut)]
            let mut operations = Vec::new();
            #(
                #[cfg(feature = #features)]
                operations.extend_from_slice(#tables);
            )*
            operations
        });

        static SPEC: ::std::sync::LazyLock<rt::ServerSpec> = ::std::sync::LazyLock::new(|| rt::ServerSpec {
            document: super::OPENAPI_JSON,
            openapi_3_0: #openapi_3_0,
            operations: OPERATIONS.as_slice(),
        });

        /// An axum router serving `service` with the default settings (2 MiB body limit, no
        /// response validation).
        pub fn router<S: Handlers>(service: Arc<S>) -> rt::axum::Router {
            router_with(service, rt::ServerConfig::default())
        }

        /// An axum router serving `service` with `config`.
        pub fn router_with<S: Handlers>(service: Arc<S>, config: rt::ServerConfig) -> rt::axum::Router {
            rt::router(service, config, &SPEC, dispatch::<S>)
        }

        // With every feature off, nothing is counted and `service` is not used.
        #[allow(unused_variables, unused_mut, unused_assignments)]
        fn dispatch<S: Handlers>(service: Arc<S>, index: usize, input: rt::Input) -> rt::BoxFuture<Result<rt::Response, rt::Rejection>> {
            let mut start = 0;
            #(
                #[cfg(feature = #features)]
                {
                    if index < start + #tables.len() {
                        return #functions(service, index - start, input);
                    }
                    start += #tables.len();
                }
            )*
            Box::pin(::std::future::ready(Ok(input.not_implemented())))
        }

        #( #group_dispatches )*
    }
}

/// The server's statics, `router` and the dispatch function.
pub(super) fn emit_router(operations: &[&Operation], openapi_3_0: bool) -> TokenStream {
    let arms = operations.iter().enumerate().map(|(index, operation)| {
        let index = Literal::usize_unsuffixed(index);
        let function = format_ident!("{}", handler_name(operation));
        quote!(#index => Box::pin(#function(service, input)),)
    });
    let dispatch = if operations.is_empty() {
        // A document with only webhooks serves nothing; every request is answered by the router.
        quote! {
            fn dispatch<S: Handlers>(_service: Arc<S>, _index: usize, input: rt::Input) -> rt::BoxFuture<Result<rt::Response, rt::Rejection>> {
                Box::pin(::std::future::ready(Ok(input.not_implemented())))
            }
        }
    } else {
        // Each operation's future boxed on its own: one `async` block awaiting every handler
        // would be a state machine with a suspension point per operation, which took GitHub's
        // crate about eight seconds to check.
        super::written_items::hand_over(|| Some(vec![dispatch_text(operations)])).unwrap_or_else(|| {
            quote! {
                fn dispatch<S: Handlers>(service: Arc<S>, index: usize, input: rt::Input) -> rt::BoxFuture<Result<rt::Response, rt::Rejection>> {
                    match index {
                        #( #arms )*
                        _ => Box::pin(::std::future::ready(Ok(input.not_implemented()))),
                    }
                }
            }
        })
    };
    quote! {
        static SPEC: rt::ServerSpec = rt::ServerSpec {
            document: super::OPENAPI_JSON,
            openapi_3_0: #openapi_3_0,
            operations: OPERATIONS,
        };

        /// An axum router serving `service` with the default settings (2 MiB body limit, no
        /// response validation).
        pub fn router<S: Handlers>(service: Arc<S>) -> rt::axum::Router {
            router_with(service, rt::ServerConfig::default())
        }

        /// An axum router serving `service` with `config`.
        pub fn router_with<S: Handlers>(service: Arc<S>, config: rt::ServerConfig) -> rt::axum::Router {
            rt::router(service, config, &SPEC, dispatch::<S>)
        }

        #dispatch
    }
}

/// `{` and `}` are format placeholders in `on_unimplemented` messages.
fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

fn emit_trait(operation: &Operation) -> TokenStream {
    let name = ident(&operation.type_name);
    let method = ident(&operation.rust_name);
    let request = ident(&operation.request_type);
    let response = ident(&operation.response_type);
    let what = format!("`{}` ({} {})", operation.id, operation.method.http(), operation.path);
    let message = escape_braces(&format!("operation {what} has no handler"));
    let label = escape_braces(&format!("no handler for {what}"));
    // `#[handlers]` serves the document's paths; webhook receivers implement their traits by hand.
    let note = if operation.webhook {
        escape_braces(&format!(
            "implement `webhooks::{}` for the receiver: `fn {}(&self, request: {}, parts)`",
            operation.type_name, operation.rust_name, operation.request_type
        ))
    } else {
        escape_braces(&format!(
            "add `async fn {}(&self, request: {}) -> {}` to the `#[handlers]` impl block, or list `{}` in its `unimplemented(...)`",
            operation.rust_name, operation.request_type, operation.response_type, operation.id
        ))
    };
    let mut text = format!("Handles {what}.");
    for part in [&operation.summary, &operation.description].into_iter().flatten() {
        text.push_str("\n\n");
        text.push_str(part);
    }
    let attribute = [("message", &message), ("label", &label), ("note", &note)];
    if let Some(placeholder) = super::written_items::hand_over(|| trait_text(operation, &attribute, &text).map(|text| vec![text])) {
        return placeholder;
    }
    let method_docs = docs(Some(&text));
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
        pub trait #name: Send + Sync + 'static {
            /// `false` makes the router answer 501 without calling the handler.
            const IMPLEMENTED: bool = true;

            #method_docs
            #deprecated
            fn #method(&self, request: super::#request, parts: rt::RequestParts) -> impl ::std::future::Future<Output = super::#response> + Send;
        }
    }
}

/// A handler trait as `prettyplease` prints it, when its layout is the usual one: the attribute's
/// arguments one per line (they never fit one), the method's parameters one per line (they never
/// fit either), its `Future`'s `Output` on a line of its own when the return type's line is too
/// long. The method's docs are a slot.
fn trait_text(operation: &Operation, attribute: &[(&str, &String); 3], docs: &str) -> Option<String> {
    use super::written_items::{fits, string_literal};
    let arguments: Vec<String> = attribute.iter().map(|(key, value)| format!("{key} = {}", string_literal(value))).collect();
    let header = format!("pub trait {}: Send + Sync + 'static {{", ident_text(&operation.type_name));
    let one_line = format!("#[diagnostic::on_unimplemented({})]", arguments.join(", "));
    let lines = crate::doc_text::doc_lines(docs);
    if fits(one_line.len()) || !fits(header.len()) || !super::doc_slots::fit_on_lines(&lines) {
        return None;
    }
    let response = ident(&operation.response_type);
    let mut out = String::with_capacity(1024);
    out.push_str("#[diagnostic::on_unimplemented(\n");
    out.push_str(&arguments.iter().map(|argument| format!("    {argument}")).collect::<Vec<_>>().join(",\n"));
    out.push_str("\n)]\n");
    out.push_str(&header);
    out.push_str("\n    /// `false` makes the router answer 501 without calling the handler.\n    const IMPLEMENTED: bool = true;\n");
    super::doc_slots::push_member_head(&mut out, lines, operation.deprecated)?;
    out.push_str(&format!(
        "    fn {}(\n        &self,\n        request: super::{},\n        parts: rt::RequestParts,\n",
        ident(&operation.rust_name),
        ident(&operation.request_type)
    ));
    let returned = format!("    ) -> impl ::std::future::Future<Output = super::{response}> + Send;\n");
    // The newline is not part of the line.
    match fits(returned.len() - 1) {
        true => out.push_str(&returned),
        false => out.push_str(&format!("    ) -> impl ::std::future::Future<\n        Output = super::{response},\n    > + Send;\n")),
    }
    out.push_str("}\n");
    Some(out)
}

/// The conversion of a read body to the Rust type of its media type.
fn body_conversion(content: &Content, body: TokenStream) -> TokenStream {
    if content.stream.is_some() {
        return quote!(#body.byte_stream()?);
    }
    match super::operations::content_ty(content) {
        Ty::String if content.kind == MediaKind::Text => quote!(#body.text()?),
        Ty::Bytes => quote!(#body.bytes()?),
        _ => quote!(#body.json()?),
    }
}

pub(super) fn emit_handler(model: &Model, operation: &Operation) -> TokenStream {
    if let Some(written) = super::written_items::hand_over(|| super::handler_text::handler_text(model, operation).map(|text| vec![text])) {
        return written;
    }
    let function = format_ident!("{}", handler_name(operation));
    let trait_name = ident(&operation.type_name);
    let method = ident(&operation.rust_name);
    let request = ident(&operation.request_type);

    let takes = operation.parameters.iter().map(|parameter| {
        let field = ident(&parameter.rust_name);
        let name = &parameter.name;
        let location = super::client::variant_tokens(super::client::location_path(parameter.location));
        quote!(#field: parameters.take(#name, #location)?,)
    });
    let parameters = (!operation.parameters.is_empty()).then(|| {
        quote! {
            let mut parameters = input.parameters()?;
        }
    });

    let (body_read, body_field) = match &operation.body {
        Some(body) if !body.contents.is_empty() => {
            let required = body.required;
            // A required body in one media type converts as it is read.
            let receiver = if required && body.content_type.is_none() { quote!(input.required_body().await?) } else { quote!(body) };
            let convert = match &body.content_type {
                None => body_conversion(&body.contents[0], receiver),
                Some(content_type) => {
                    let content_type = ident(content_type);
                    let mut names = Namer::new();
                    let arms = body.contents.iter().enumerate().map(|(index, content)| {
                        let index = Literal::usize_unsuffixed(index);
                        let variant = format_ident!("{}", content_variant(content, &mut names));
                        let conversion = body_conversion(content, quote!(body));
                        quote!(#index => super::#content_type::#variant(#conversion),)
                    });
                    quote! {
                        match body.index {
                            #( #arms )*
                            _ => return Err(rt::unsupported_media_type()),
                        }
                    }
                }
            };
            let read = match (required, &body.content_type) {
                (true, None) => quote!(let body = #convert;),
                (true, Some(_)) => quote! {
                    let body = input.required_body().await?;
                    let body = #convert;
                },
                (false, _) => quote! {
                    let body = match input.body(false).await? {
                        Some(body) => Some(#convert),
                        None => None,
                    };
                },
            };
            (Some(read), Some(quote!(body,)))
        }
        _ => (None, None),
    };

    let variant_names = response_variants(operation);
    let arms = operation.responses.iter().zip(&variant_names).map(|(response, variant)| response_arm(operation, response, variant));

    let (bound, security) = if requires_credentials(model, operation) {
        let requirement = super::security::requirement_of(model, operation);
        let id = &operation.id;
        (
            quote!(#trait_name + Authenticate),
            quote! {
                if let Some(credentials) = input.credentials(#requirement)? {
                    let verdict = service.authenticate(#id, &credentials).await;
                    input.authenticated(credentials, verdict)?;
                }
            },
        )
    } else {
        (quote!(#trait_name), quote!())
    };
    // An upload read past its limit answers 413 whatever the handler made of it.
    let finish = if operation.body.as_ref().is_some_and(|body| super::operations::any_stream(&body.contents)) {
        quote!(Ok(input.finish(http_response)))
    } else {
        quote!(Ok(http_response))
    };
    // prettyplease writes an empty struct literal over two lines; a request without parameters
    // or body derives `Default`.
    let build_request = if operation.parameters.is_empty() && operation.body.is_none() {
        quote!(let request = super::#request::default();)
    } else {
        quote!(let request = super::#request { #( #takes )* #body_field };)
    };
    quote! {
        async fn #function<S: #bound>(service: Arc<S>, mut input: rt::Input) -> Result<rt::Response, rt::Rejection> {
            if !S::IMPLEMENTED {
                return Ok(input.not_implemented());
            }
            #security
            #parameters
            #body_read
            #build_request
            let response = service.#method(request, input.take_parts()).await;
            let http_response = match response {
                #( #arms )*
            };
            #finish
        }
    }
}

/// Writing one response variant: status, body in its media type, headers.
fn response_arm(operation: &Operation, response: &Response, variant: &str) -> TokenStream {
    let response_type = ident(&operation.response_type);
    let variant = format_ident!("{}", variant);
    let status = match &response.status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(*code);
            quote!(#code)
        }
        _ => quote!(status),
    };
    let write_body = |content: &Content, value: TokenStream| -> TokenStream {
        let media_type = &content.media_type;
        match &content.stream {
            Some(Stream::Events { data, .. }) => {
                let json = data.is_some();
                return quote!(input.events(#status, #media_type, #value, #json));
            }
            Some(Stream::Lines { framing, .. }) => {
                let framing = match framing {
                    Framing::Lines => quote!(rt::Framing::Lines),
                    Framing::JsonSeq => quote!(rt::Framing::JsonSeq),
                };
                return quote!(input.lines(#status, #media_type, #value, #framing));
            }
            Some(Stream::Bytes) => return quote!(input.byte_stream(#status, #media_type, #value)),
            None => {}
        }
        match (content.kind, super::operations::content_ty(content)) {
            (MediaKind::Text, _) => quote!(input.text(#status, #media_type, #value)),
            (_, Ty::Bytes) => quote!(input.bytes(#status, #media_type, #value)),
            // The runtime finds the schema to check it against in the operation table.
            _ => quote!(input.json(#status, #media_type, &#value)),
        }
    };
    let has_body = !response.contents.is_empty();
    let written = match (&response.content_type, response.contents.as_slice()) {
        (_, []) => quote!(input.empty(#status)),
        (None, [single, ..]) => write_body(single, quote!(body)),
        (Some(content_type), contents) => {
            let content_type = ident(content_type);
            let mut names = Namer::new();
            let arms = contents.iter().map(|content| {
                let content_variant = format_ident!("{}", content_variant(content, &mut names));
                let written = write_body(content, quote!(value));
                quote!(super::#content_type::#content_variant(value) => #written,)
            });
            quote!(match body { #( #arms )* })
        }
    };
    let has_headers = response.headers_type.is_some();
    let pattern = match (carries_status(response), has_body, has_headers) {
        (false, false, false) => quote!(),
        (false, true, false) => quote!((body)),
        (with_status, with_body, with_headers) => {
            let status = with_status.then(|| quote!(status,));
            let body = with_body.then(|| quote!(body,));
            let headers = with_headers.then(|| quote!(headers,));
            quote!({ #status #body #headers })
        }
    };
    // Each declared header wraps the response written so far.
    let written = response.headers.iter().fold(written, |written, header| {
        let field = ident(&header.rust_name);
        let name = &header.name;
        quote!(rt::with_header(#written, #name, &headers.#field))
    });
    quote!(super::#response_type::#variant #pattern => #written,)
}

/// Whether the operation needs credentials code can check: some requirement names a scheme the
/// router can find in a request.
pub(super) fn requires_credentials(model: &Model, operation: &Operation) -> bool {
    operation
        .security
        .iter()
        .flatten()
        .any(|name| model.security_schemes.iter().any(|scheme| &scheme.name == name && scheme.kind != crate::ir::SchemeKind::Other))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::written_items;

    /// A document with operations whose names, paths and docs give lines of every length.
    fn document() -> String {
        let mut paths = String::new();
        for length in 1..=70 {
            let id = format!("op{}", "x".repeat(length));
            let path = format!("/p{length}{}/{{id}}", "q".repeat(length % 23));
            let docs = match length % 4 {
                0 => String::new(),
                1 => "      summary: A summary.\n".to_string(),
                2 => "      summary: Sum\n      description: \"Two\\n\\nparagraphs and `{braces}`\"\n".to_string(),
                _ => "      description: \"/ starts with a slash\"\n".to_string(),
            };
            let deprecated = if length % 5 == 0 { "      deprecated: true\n" } else { "" };
            paths.push_str(&format!(
                "  {path}:\n    get:\n      operationId: {id}\n{docs}{deprecated}      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok}}\n"
            ));
        }
        format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}")
    }

    #[test]
    fn handler_traits_written_as_text_read_as_formatted_ones() {
        let (written, total) = written_items::operations_both_paths(&document(), 0, |_, operation| emit_trait(operation));
        // Only the docs that start with a slash are left to the tokens.
        assert!(written > total / 2 && written < total, "{written} of {total}");
    }
}
