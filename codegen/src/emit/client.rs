//! The client module: a typed async client (reqwest) with one method per operation, returning
//! the same response enums the server uses.

use std::sync::Arc;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::operations::{carries_status, content_ty, content_variant, response_variants};
use super::parts::{chunks, Part};
use super::types::{docs, ty_tokens};
use crate::ir::Model;
use crate::ir::Ty;
use crate::ir::{Content, Framing, Location, MediaKind, Operation, Response, SchemeKind, Status, Stream, Style};
use crate::naming::{ident, Namer};

/// Operations with at most this many inputs (parameters and body) take them as arguments; the
/// others take their request struct.
pub(super) const POSITIONAL_LIMIT: usize = 3;

/// The module in parts: everything up to `impl Client`, the methods, the closing brace.
pub(crate) fn client_parts<'a>(model: &'a Model, features: Option<&'a crate::features::FeatureMap>) -> Vec<Part<'a>> {
    let operations: Arc<[&Operation]> = model.operations.iter().filter(|operation| !operation.webhook).collect();
    let mut parts = vec![Part::OpenImpl(Box::new(move || client_module(model, TokenStream::new(), features.is_some())))];
    for range in chunks(operations.len()) {
        let operations = Arc::clone(&operations);
        parts.push(Part::Members(Box::new(move || {
            let methods = operations[range.clone()].iter().map(|operation| {
                let cfg = features.map(|features| features.operation_cfg(operation));
                let method = emit_method(model, operation);
                quote!(#cfg #method)
            });
            quote!( #( #methods )* )
        })));
    }
    parts.push(Part::Text("}\n".into()));
    parts
}

/// The module with `methods` as the last members of `impl Client`.
fn client_module(model: &Model, methods: TokenStream, gated: bool) -> TokenStream {
    // Without operations, or with every feature of a feature-per-tag crate off, nothing reads
    // the client's fields.
    let no_operations = gated || !model.operations.iter().any(|operation| !operation.webhook);
    let schemes = &model.security_schemes;
    let api_key_setters = schemes.iter().filter(|scheme| matches!(scheme.kind, SchemeKind::ApiKey { .. })).map(|scheme| {
        let name = &scheme.name;
        let setter = format_ident!("with_{}", crate::naming::field_name(&scheme.name, "api_key"));
        let doc = format!(" Sets the API key of the security scheme `{}`.", name.replace('`', "'"));
        let deprecated = scheme.deprecated.then(|| quote!(#[deprecated = "the document marks this security scheme as deprecated"]));
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #setter(mut self, key: impl Into<String>) -> Self {
                self.credentials.set_api_key(#name, key);
                self
            }
        }
    });
    let allows = super::allowed_lints();
    // A document with only webhooks has nothing to call; the client's fields go unused.
    let unused = no_operations.then(|| quote!(#[allow(dead_code)]));
    let uses_bearer = schemes.iter().any(|scheme| scheme.kind == SchemeKind::Bearer);
    let uses_basic = schemes.iter().any(|scheme| scheme.kind == SchemeKind::Basic);
    // One setter serves every scheme of a kind, so it is deprecated only when all of them are.
    let deprecated = |kind: SchemeKind| {
        let all = schemes.iter().filter(|scheme| scheme.kind == kind).all(|scheme| scheme.deprecated);
        all.then(|| quote!(#[deprecated = "the document marks every security scheme this sets as deprecated"]))
    };
    let bearer_deprecated = deprecated(SchemeKind::Bearer);
    let basic_deprecated = deprecated(SchemeKind::Basic);
    let bearer = uses_bearer.then(|| {
        quote! {
            /// Sends `Authorization: Bearer <token>` to the operations that accept a bearer token.
            #bearer_deprecated
            pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
                self.credentials.set_bearer(token);
                self
            }
        }
    });
    let basic = uses_basic.then(|| {
        quote! {
            /// Sends HTTP basic credentials to the operations that accept them.
            #basic_deprecated
            pub fn with_basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
                self.credentials.set_basic(user, password);
                self
            }
        }
    });
    let streaming = model.operations.iter().any(|operation| !operation.webhook && streams_response(operation));
    let (streams_field, streams_init, streams_setter) = if streaming {
        (
            quote!(streams: rt::StreamOptions,),
            quote!(, streams: rt::StreamOptions::default()),
            quote! {
                /// How streamed responses are read: the largest event or line (1 MiB unless set)
                /// and whether event streams reconnect (not unless set).
                pub fn with_stream_options(mut self, options: rt::StreamOptions) -> Self {
                    self.streams = options;
                    self
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    quote! {
        //! The client side: [`Client`], one async method per operation, answering with the
        //! operation's response enum for every documented status.
        // Deprecated operations and parameters can still be called.
        #![allow(deprecated)]
        #allows

        use ::oas_runtime::client as rt;
        #[allow(unused_imports)]
        use ::oas_runtime::client::{Location, Style};
        #[allow(unused_imports)]
        use super::types::*;
        #[allow(unused_imports)]
        use super::operations::*;

        pub use ::oas_runtime::client::ClientError;

        /// A client for the API at one base URL.
        #[derive(Debug, Clone)]
        #unused
        pub struct Client {
            base_url: String,
            http: rt::reqwest::Client,
            credentials: rt::Credentials,
            #streams_field
        }

        impl Client {
            /// A client for the API at `base_url` (the server URL, without a trailing slash),
            /// sending through `http`, which carries the caller's timeouts, proxies and TLS settings.
            pub fn new(base_url: impl Into<String>, http: rt::reqwest::Client) -> Self {
                Client { base_url: base_url.into(), http, credentials: rt::Credentials::default() #streams_init }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            #bearer
            #basic
            #( #api_key_setters )*
            #streams_setter

            #methods
        }
    }
}

/// A parameter location as a value of the runtime's `Location` (imported by client and server).
pub fn location_path(location: Location) -> &'static str {
    match location {
        Location::Path => "Location::Path",
        Location::Query => "Location::Query",
        Location::Header => "Location::Header",
        Location::Cookie => "Location::Cookie",
    }
}

/// A parameter style as a value of the runtime's `Style` (imported by client and server).
pub fn style_path(style: Style) -> &'static str {
    match style {
        Style::Simple => "Style::Simple",
        Style::Label => "Style::Label",
        Style::Matrix => "Style::Matrix",
        Style::Form => "Style::Form",
        Style::SpaceDelimited => "Style::SpaceDelimited",
        Style::PipeDelimited => "Style::PipeDelimited",
        Style::DeepObject => "Style::DeepObject",
    }
}

/// `Type::Variant` as tokens.
pub fn variant_tokens(path: &str) -> TokenStream {
    let (ty, variant) = path.split_once("::").unwrap_or(("", path));
    let (ty, variant) = (format_ident!("{ty}"), format_ident!("{variant}"));
    quote!(#ty::#variant)
}

pub(super) fn emit_method(model: &Model, operation: &Operation) -> TokenStream {
    if let Some(written) = super::written_items::hand_over(|| super::client_text::method_text(model, operation).map(|text| vec![text])) {
        return written;
    }
    let space = &model.space;
    let method = ident(&operation.rust_name);
    let request_type = ident(&operation.request_type);
    let response_type = ident(&operation.response_type);
    let body = operation.body.as_ref().filter(|body| !body.contents.is_empty());
    let inputs = operation.parameters.len() + usize::from(body.is_some());

    // The arguments: the request struct, or each input in order when there are few.
    let (arguments, build_request) = if inputs <= POSITIONAL_LIMIT {
        let mut arguments = Vec::new();
        let mut fields = Vec::new();
        for parameter in &operation.parameters {
            let field = ident(&parameter.rust_name);
            let ty = ty_tokens(space, &parameter.ty);
            let ty = if parameter.required { ty } else { quote!(Option<#ty>) };
            arguments.push(quote!(#field: #ty));
            fields.push(quote!(#field));
        }
        if let Some(body) = body {
            let ty =
                super::operations::body_ty_tokens(space, &body.contents, body.content_type.as_ref()).unwrap_or_else(|| quote!(::serde_json::Value));
            let ty = if body.required { ty } else { quote!(Option<#ty>) };
            arguments.push(quote!(body: #ty));
            fields.push(quote!(body));
        }
        // With no inputs there is nothing to carry; the request struct would go unused.
        let build = (!fields.is_empty()).then(|| quote!(let request = super::#request_type { #( #fields ),* };));
        (quote!( #( #arguments ),* ), quote!(#build))
    } else {
        (quote!(request: super::#request_type), quote!())
    };

    let method_name = operation.method.http();
    let path = &operation.path;
    let parameter_calls = operation.parameters.iter().map(|parameter| {
        let field = ident(&parameter.rust_name);
        let name = &parameter.name;
        let explode = parameter.explode;
        let style = variant_tokens(style_path(parameter.style));
        match parameter.location {
            Location::Path => quote!(call.path(#name, #style, #explode, &request.#field)?;),
            Location::Query => quote!(call.query(#name, #style, #explode, &request.#field)?;),
            Location::Header => quote!(call.header(#name, #explode, &request.#field)?;),
            Location::Cookie => quote!(call.cookie(#name, &request.#field)?;),
        }
    });
    let body_call = body.map(|body| {
        // A streamed body is moved into the call; every other body is written from a reference.
        let moves = super::operations::any_stream(&body.contents);
        let write = |content: &Content, value: TokenStream| -> TokenStream {
            let media_type = &content.media_type;
            if content.stream.is_some() {
                return quote!(call.stream_body(#media_type, #value););
            }
            let value = if moves { quote!(&#value) } else { value };
            match (content.kind, content_ty(content)) {
                // `value` is always a reference here (to the request's body or a variant of it).
                (MediaKind::Text, _) => quote!(call.text_body(#media_type, #value);),
                (MediaKind::Form, _) => quote!(call.form_body(#value)?;),
                (MediaKind::Multipart, _) => quote!(call.multipart_body(#value)?;),
                (_, Ty::Bytes) => quote!(call.bytes_body(#media_type, #value);),
                _ => quote!(call.json_body(#media_type, #value)?;),
            }
        };
        let written = match &body.content_type {
            None => write(&body.contents[0], quote!(body)),
            Some(content_type) => {
                let content_type = ident(content_type);
                let mut names = Namer::new();
                let arms = body.contents.iter().map(|content| {
                    let variant = format_ident!("{}", content_variant(content, &mut names));
                    let written = write(content, quote!(value));
                    quote!(super::#content_type::#variant(value) => { #written })
                });
                quote!(match body { #( #arms )* })
            }
        };
        let taken = if moves { quote!(request.body) } else { quote!(&request.body) };
        if body.required {
            quote! {
                let body = #taken;
                #written
            }
        } else {
            quote! {
                if let Some(body) = #taken {
                    #written
                }
            }
        }
    });
    let security = super::security::requirement_of(model, operation);
    let mutable = (inputs > 0).then(|| quote!(mut));

    let streaming = streams_response(operation);
    let variants = response_variants(operation);
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    let mut fallback = None;
    for (response, variant) in operation.responses.iter().zip(&variants) {
        let arm_value = response_value(operation, response, variant, streaming).arm();
        match &response.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(*code);
                exact.push(quote!(#code => #arm_value));
            }
            Status::Range(digit) => {
                let digit = Literal::u16_unsuffixed(u16::from(*digit));
                ranges.push(quote!(status if status / 100 == #digit => #arm_value));
            }
            Status::Default => fallback = Some(quote!(status => #arm_value)),
        }
    }
    let dispatch = if exact.is_empty() && ranges.is_empty() && fallback.is_some() {
        // Only `default` is documented: every status is it.
        let value = operation
            .responses
            .iter()
            .zip(&variants)
            .find(|(response, _)| response.status == Status::Default)
            .map(|(response, variant)| response_value(operation, response, variant, streaming).statements());
        quote! {
            let status = received.status();
            #value
        }
    } else {
        let fallback = fallback.unwrap_or_else(|| {
            if streaming {
                quote!(_ => {
                    received.read().await?;
                    Err(received.undocumented())
                })
            } else {
                quote!(_ => Err(received.undocumented()),)
            }
        });
        quote! {
            match received.status() {
                #( #exact )*
                #( #ranges )*
                #fallback
            }
        }
    };

    let send = if streaming {
        quote!(let mut received = call.open(&self.http, &self.base_url, &self.credentials, #security, &self.streams).await?;)
    } else {
        quote!(let received = call.send(&self.http, &self.base_url, &self.credentials, #security).await?;)
    };
    let mut text = format!("`{}` ({} {}).", operation.id, method_name, operation.path);
    for part in [&operation.summary, &operation.description].into_iter().flatten() {
        text.push_str("\n\n");
        text.push_str(part);
    }
    let method_docs = docs(Some(&text));
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #method_docs
        #deprecated
        pub async fn #method(&self, #arguments) -> Result<super::#response_type, ClientError> {
            #build_request
            let #mutable call = rt::Call::new(#method_name, #path);
            #( #parameter_calls )*
            #body_call
            #send
            #dispatch
        }
    }
}

/// How one response variant is read from `received`: the statements that come first (empty, or
/// a body chosen by media type) and the variant built after them.
struct ResponseValue {
    bindings: TokenStream,
    value: TokenStream,
}

impl ResponseValue {
    /// A match arm, with its trailing comma when it is a bare expression.
    fn arm(self) -> TokenStream {
        let ResponseValue { bindings, value } = self;
        if bindings.is_empty() {
            quote!(Ok(#value),)
        } else {
            quote!({ #bindings Ok(#value) })
        }
    }

    /// The bindings and the result as the last statements of a block.
    fn statements(self) -> TokenStream {
        let ResponseValue { bindings, value } = self;
        quote!(#bindings Ok(#value))
    }
}

/// Whether some response of `operation` streams: its client leaves bodies unread until the
/// response is matched.
fn streams_response(operation: &Operation) -> bool {
    operation.responses.iter().any(|response| super::operations::any_stream(&response.contents))
}

/// The reads of one response variant from `received`. In an operation that may answer with a
/// stream (`streaming`), a body read whole is read first.
fn response_value(operation: &Operation, response: &Response, variant: &str, streaming: bool) -> ResponseValue {
    let response_type = ident(&operation.response_type);
    let variant = format_ident!("{}", variant);
    let read = |content: &Content| -> TokenStream {
        let whole = match (&content.stream, content.kind, content_ty(content)) {
            (Some(Stream::Events { data, .. }), _, _) => {
                let json = data.is_some();
                return quote!(received.events(#json)?);
            }
            (Some(Stream::Lines { framing, .. }), _, _) => {
                let framing = match framing {
                    Framing::Lines => quote!(rt::Framing::Lines),
                    Framing::JsonSeq => quote!(rt::Framing::JsonSeq),
                };
                return quote!(received.lines(#framing)?);
            }
            (Some(Stream::Bytes), _, _) => return quote!(received.byte_stream()?),
            (None, MediaKind::Text, _) => quote!(received.text()?),
            (None, _, Ty::Bytes) => quote!(received.bytes()),
            (None, _, _) => quote!(received.json()?),
        };
        if streaming {
            quote!({
                received.read().await?;
                #whole
            })
        } else {
            whole
        }
    };
    // A body chosen by media type is a whole `match`; bound first, it does not nest inside the
    // variant. A single read stays in place.
    let (bindings, body) = match (&response.content_type, response.contents.as_slice()) {
        (_, []) => (TokenStream::new(), None),
        (None, [single, ..]) => (TokenStream::new(), Some(read(single))),
        (Some(content_type), contents) => {
            let content_type = ident(content_type);
            let declared = contents.iter().map(|content| content.media_type.as_str());
            let mut names = Namer::new();
            let arms = contents.iter().enumerate().map(|(index, content)| {
                let index = Literal::usize_unsuffixed(index);
                let content_variant = format_ident!("{}", content_variant(content, &mut names));
                let value = read(content);
                quote!(Some(#index) => super::#content_type::#content_variant(#value),)
            });
            let bindings = quote! {
                let media = received.media_index(&[ #( #declared ),* ]);
                let body = match media {
                    #( #arms )*
                    _ => return Err(received.unexpected_media()),
                };
            };
            (bindings, Some(quote!(body)))
        }
    };
    let headers = response.headers_type.as_ref().map(|headers_type| {
        let headers_type = ident(headers_type);
        let fields = response.headers.iter().map(|header| {
            let field = ident(&header.rust_name);
            let name = &header.name;
            quote!(#field: received.header(#name)?,)
        });
        quote!(super::#headers_type { #( #fields )* })
    });
    let value = match (carries_status(response), body, headers) {
        (false, None, None) => quote!(super::#response_type::#variant),
        (false, Some(body), None) => quote!(super::#response_type::#variant(#body)),
        (with_status, body, headers) => {
            let status = with_status.then(|| quote!(status,));
            // A bound body is already named `body`.
            let body = body.map(|body| if bindings.is_empty() { quote!(body: #body,) } else { quote!(body,) });
            let headers = headers.map(|headers| quote!(headers: #headers,));
            quote!(super::#response_type::#variant { #status #body #headers })
        }
    };
    ResponseValue { bindings, value }
}
