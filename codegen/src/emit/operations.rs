//! Per-operation types shared by server and client: a request struct (parameters and body) and
//! a response enum (one variant per documented status).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::{docs, ty_tokens};
pub(crate) use crate::ir::content_ty;
use crate::ir::TypeSpace;
use crate::ir::{Content, Header, Operation, Response, Status, Stream};
use crate::naming::{camel, ident, Namer};

/// The variant name of a media type in a content enum.
pub fn content_variant(content: &Content, names: &mut Namer) -> String {
    let essence = content.media_type.split(';').next().unwrap_or_default().trim();
    let label = match essence {
        "*/*" => "Any".to_string(),
        "application/json" => "Json".to_string(),
        "text/plain" => "Text".to_string(),
        "application/x-www-form-urlencoded" => "Form".to_string(),
        "application/octet-stream" => "Binary".to_string(),
        other => camel(other, "Media"),
    };
    names.unique(label)
}

/// The Rust type of a body of one media type: a runtime stream type for a body that streams,
/// else the type of the whole body.
pub fn content_tokens(space: &TypeSpace, content: &Content) -> TokenStream {
    match &content.stream {
        None => ty_tokens(space, &content_ty(content)),
        Some(Stream::Events { data, .. }) => {
            let data = data.as_ref().map_or_else(|| quote!(String), |data| ty_tokens(space, data));
            quote!(::oas_runtime::EventStream<#data>)
        }
        Some(Stream::Lines { item, .. }) => {
            let item = ty_tokens(space, item);
            quote!(::oas_runtime::LineStream<#item>)
        }
        Some(Stream::Bytes) => quote!(::oas_runtime::ByteStream),
    }
}

/// Whether any of `contents` streams: the types holding them derive only `Debug`, since a
/// stream can be neither copied nor compared.
pub fn any_stream(contents: &[Content]) -> bool {
    contents.iter().any(|content| content.stream.is_some())
}

/// The derives of a type that holds bodies (and `Default` when asked).
fn holder_derives(streams: bool, default: bool) -> TokenStream {
    match (streams, default) {
        (true, true) => quote!(#[derive(Debug, Default)]),
        (true, false) => quote!(#[derive(Debug)]),
        (false, true) => quote!(#[derive(Debug, Clone, PartialEq, Default,)]),
        (false, false) => quote!(#[derive(Debug, Clone, PartialEq)]),
    }
}

/// The type of a body: the single media type's type, or the content enum.
pub fn body_ty_tokens(space: &TypeSpace, contents: &[Content], content_type: Option<&String>) -> Option<TokenStream> {
    match (contents, content_type) {
        ([], _) => None,
        ([single], _) => Some(content_tokens(space, single)),
        (_, Some(name)) => {
            let name = ident(name);
            Some(quote!(#name))
        }
        (_, None) => None,
    }
}

fn content_enum(space: &TypeSpace, name: &str, contents: &[Content], what: &str) -> TokenStream {
    let name = ident(name);
    let mut names = Namer::new();
    let variants = contents.iter().map(|content| {
        let variant = format_ident!("{}", content_variant(content, &mut names));
        let ty = content_tokens(space, content);
        let doc = format!(" As `{}`.", content.media_type.replace('`', "'"));
        quote! {
            #[doc = #doc]
            #variant(#ty),
        }
    });
    let doc = format!(" The {what}, in one of the media types the document lists.");
    let derives = holder_derives(any_stream(contents), false);
    quote! {
        #[doc = #doc]
        #derives
        pub enum #name {
            #( #variants )*
        }
    }
}

/// The name of a response's variant, made unique within its enum.
pub fn response_variants(operation: &Operation) -> Vec<String> {
    let mut names = Namer::new();
    operation.responses.iter().map(|response| names.unique(response.status.variant_name())).collect()
}

/// Whether a response variant carries its status code (ranges and `default` do).
pub fn carries_status(response: &Response) -> bool {
    !matches!(response.status, Status::Code(_))
}

fn headers_struct(space: &TypeSpace, name: &str, headers: &[Header]) -> TokenStream {
    let name = ident(name);
    let fields = headers.iter().map(|header| {
        let field = ident(&header.rust_name);
        let ty = ty_tokens(space, &header.ty);
        let ty = if header.required { ty } else { quote!(Option<#ty>) };
        let mut text = header.description.clone().unwrap_or_default();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("Header `{}`.", header.name.replace('`', "'")));
        let docs = docs(Some(&text));
        quote! {
            #docs
            pub #field: #ty,
        }
    });
    let all_optional = headers.iter().all(|header| !header.required);
    let default = all_optional.then(|| quote!(Default,));
    quote! {
        /// Headers of a response.
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #( #fields )*
        }
    }
}

/// The request struct, the response enum, and their helper types for one operation.
pub fn emit_operation_types(space: &TypeSpace, operation: &Operation) -> TokenStream {
    let request_name = ident(&operation.request_type);
    let mut params = Vec::new();
    for parameter in &operation.parameters {
        let field = ident(&parameter.rust_name);
        let ty = ty_tokens(space, &parameter.ty);
        let ty = if parameter.required { ty } else { quote!(Option<#ty>) };
        let mut text = parameter.description.clone().unwrap_or_default();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("The {} parameter `{}`.", parameter.location.as_str(), parameter.name.replace('`', "'")));
        let docs = docs(Some(&text));
        let deprecated = parameter.deprecated.then(|| quote!(#[deprecated]));
        params.push(quote! {
            #docs
            #deprecated
            pub #field: #ty,
        });
    }
    let mut extra = Vec::new();
    let mut all_optional = operation.parameters.iter().all(|parameter| !parameter.required);
    if let Some(body) = &operation.body {
        if let Some(content_type) = &body.content_type {
            extra.push(content_enum(space, content_type, &body.contents, "request body"));
        }
        if let Some(ty) = body_ty_tokens(space, &body.contents, body.content_type.as_ref()) {
            let ty = if body.required { ty } else { quote!(Option<#ty>) };
            all_optional &= !body.required;
            let docs = docs(Some(body.description.as_deref().unwrap_or("The request body.")));
            params.push(quote! {
                #docs
                pub body: #ty,
            });
        }
    }
    let body_streams = operation.body.as_ref().is_some_and(|body| any_stream(&body.contents));
    let request_derives = holder_derives(body_streams, all_optional);
    let request_doc =
        format!(" The input of `{}` ({} {}).", operation.id.replace('`', "'"), operation.method.http(), operation.path.replace('`', "'"));
    let request = quote! {
        #[doc = #request_doc]
        #request_derives
        pub struct #request_name {
            #( #params )*
        }
    };

    let response_name = ident(&operation.response_type);
    let variant_names = response_variants(operation);
    let mut variants = Vec::new();
    for (response, variant_name) in operation.responses.iter().zip(&variant_names) {
        let variant = format_ident!("{}", variant_name);
        if let Some(content_type) = &response.content_type {
            extra.push(content_enum(space, content_type, &response.contents, "response body"));
        }
        if let Some(headers_type) = &response.headers_type {
            extra.push(headers_struct(space, headers_type, &response.headers));
        }
        let body = body_ty_tokens(space, &response.contents, response.content_type.as_ref());
        let headers = response.headers_type.as_ref().map(|name| ident(name));
        let status_text = match &response.status {
            Status::Code(code) => format!("Status {code}"),
            Status::Range(digit) => format!("A status from {digit}00 to {digit}99"),
            Status::Default => "Any status the document does not list".to_string(),
        };
        let mut text = format!("{status_text}.");
        if let Some(description) = &response.description {
            text.push_str("\n\n");
            text.push_str(description);
        }
        let docs = docs(Some(&text));
        let shape = match (carries_status(response), body, headers) {
            (false, None, None) => quote!(),
            (false, Some(body), None) => quote!((#body)),
            (status, body, headers) => {
                let status = status.then(|| quote!(status: u16,));
                let body = body.map(|body| quote!(body: #body,));
                let headers = headers.map(|headers| quote!(headers: #headers,));
                quote!({ #status #body #headers })
            }
        };
        variants.push(quote! {
            #docs
            #variant #shape,
        });
    }
    let response_doc = format!(" The documented outcomes of `{}`.", operation.id.replace('`', "'"));
    let response_derives = holder_derives(operation.responses.iter().any(|response| any_stream(&response.contents)), false);
    quote! {
        #request

        #[doc = #response_doc]
        #response_derives
        pub enum #response_name {
            #( #variants )*
        }

        #( #extra )*
    }
}
