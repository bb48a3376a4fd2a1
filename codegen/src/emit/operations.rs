//! Per-operation types shared by server and client: a request struct (parameters and body) and
//! a response enum (one variant per documented status).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::{docs, ty_tokens};
use crate::doc_text::doc_lines;
pub(crate) use crate::ir::content_ty;
use crate::ir::TypeSpace;
use crate::ir::{Content, Header, Operation, Parameter, Response, Status, Stream, Ty};
use crate::naming::{camel, ident, ident_text, Namer};

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
    if let Some(written) = super::written_items::hand_over(|| content_enum_text(space, name, contents, what).map(|text| vec![text])) {
        return written;
    }
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
    if let Some(written) = super::written_items::hand_over(|| headers_struct_text(space, name, headers).map(|text| vec![text])) {
        return written;
    }
    let name = ident(name);
    let fields = headers.iter().map(|header| {
        let field = ident(&header.rust_name);
        let ty = ty_tokens(space, &header.ty);
        let ty = if header.required { ty } else { quote!(Option<#ty>) };
        let docs = docs(Some(&header_doc(header)));
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

/// A parameter's doc text: its description, then where it comes from.
fn parameter_docs(parameter: &Parameter) -> String {
    let mut text = parameter.description.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("The {} parameter `{}`.", parameter.location.as_str(), parameter.name.replace('`', "'")));
    text
}

/// The request struct's doc line.
fn request_doc(operation: &Operation) -> String {
    format!(" The input of `{}` ({} {}).", operation.id.replace('`', "'"), operation.method.http(), operation.path.replace('`', "'"))
}

/// The request struct as `prettyplease` prints it, for a request whose body (if any) has one media
/// type that does not stream: its doc line, derives, and one field per parameter and for the body,
/// each with its docs (slots) and its type laid out as formatted.
fn request_text(space: &TypeSpace, operation: &Operation) -> Option<String> {
    use super::written_items::{field_line, fits};
    let body = match &operation.body {
        None => None,
        Some(body) => match body.contents.as_slice() {
            [] => None,
            [single] if single.stream.is_none() => Some((body, content_ty(single))),
            _ => return None,
        },
    };
    let doc = request_doc(operation);
    let header = format!("pub struct {} {{", ident_text(&operation.request_type));
    if !one_line_doc(&doc) || !fits(header.len()) {
        return None;
    }
    let option = |ty: &Ty, required: bool| if required { ty.clone() } else { ty.clone().optional() };
    // Each field's line, its type laid out, before any doc slot is taken: a type the user
    // provides leaves the whole struct to the tokens, and a slot taken must be used.
    let mut fields = Vec::with_capacity(operation.parameters.len() + 1);
    for parameter in &operation.parameters {
        let line = field_line(space, &ident_text(&parameter.rust_name), &option(&parameter.ty, parameter.required))?;
        fields.push((doc_lines(&parameter_docs(parameter)), parameter.deprecated, line));
    }
    if let Some((body, ty)) = &body {
        let line = field_line(space, "body", &option(ty, body.required))?;
        fields.push((doc_lines(body.description.as_deref().unwrap_or("The request body.")), false, line));
    }
    if !fields.iter().all(|(docs, ..)| super::doc_slots::fit_on_lines(docs)) {
        return None;
    }
    let all_optional = operation.parameters.iter().all(|parameter| !parameter.required) && body.as_ref().is_none_or(|(body, _)| !body.required);
    let mut out = format!("///{doc}\n");
    out.push_str(match all_optional {
        true => "#[derive(Debug, Clone, PartialEq, Default)]\n",
        false => "#[derive(Debug, Clone, PartialEq)]\n",
    });
    if fields.is_empty() {
        out.push_str(&header);
        out.push_str("}\n");
        return Some(out);
    }
    out.push_str(&header);
    out.push('\n');
    for (docs, deprecated, line) in fields {
        super::doc_slots::push_member_head(&mut out, docs, deprecated)?;
        out.push_str(&line);
    }
    out.push_str("}\n");
    Some(out)
}

/// The request struct, the response enum, and their helper types for one operation.
pub fn emit_operation_types(space: &TypeSpace, operation: &Operation) -> TokenStream {
    let request_name = ident(&operation.request_type);
    let written = super::written_items::hand_over(|| request_text(space, operation).map(|text| vec![text]));
    let mut params = Vec::new();
    for parameter in operation.parameters.iter().filter(|_| written.is_none()) {
        let field = ident(&parameter.rust_name);
        let ty = ty_tokens(space, &parameter.ty);
        let ty = if parameter.required { ty } else { quote!(Option<#ty>) };
        let text = parameter_docs(parameter);
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
        if let Some(ty) = body_ty_tokens(space, &body.contents, body.content_type.as_ref()).filter(|_| written.is_none()) {
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
    let request_doc = request_doc(operation);
    let request = written.unwrap_or_else(|| {
        quote! {
            #[doc = #request_doc]
            #request_derives
            pub struct #request_name {
                #( #params )*
            }
        }
    });

    let response_name = ident(&operation.response_type);
    let variant_names = response_variants(operation);
    let written_response = super::written_items::hand_over(|| response_text(space, operation, &variant_names).map(|text| vec![text]));
    let mut variants = Vec::new();
    for (response, variant_name) in operation.responses.iter().zip(&variant_names) {
        let variant = format_ident!("{}", variant_name);
        if let Some(content_type) = &response.content_type {
            extra.push(content_enum(space, content_type, &response.contents, "response body"));
        }
        if let Some(headers_type) = &response.headers_type {
            extra.push(headers_struct(space, headers_type, &response.headers));
        }
        if written_response.is_some() {
            continue;
        }
        let body = body_ty_tokens(space, &response.contents, response.content_type.as_ref());
        let headers = response.headers_type.as_ref().map(|name| ident(name));
        let docs = docs(Some(&variant_doc(response)));
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
    let response_doc = response_doc(operation);
    let response_derives = holder_derives(operation.responses.iter().any(|response| any_stream(&response.contents)), false);
    let response = written_response.unwrap_or_else(|| {
        quote! {
            #[doc = #response_doc]
            #response_derives
            pub enum #response_name {
                #( #variants )*
            }
        }
    });
    quote! {
        #request

        #response

        #( #extra )*
    }
}

fn response_doc(operation: &Operation) -> String {
    format!(" The documented outcomes of `{}`.", operation.id.replace('`', "'"))
}

/// A response variant's doc: its status, then the response's description.
fn variant_doc(response: &Response) -> String {
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
    text
}

/// The response enum as `prettyplease` prints it, for responses that do not stream: its doc line,
/// derives, and a variant per response, each with its doc (a slot) and its fields on the
/// variant's line when they fit, else one per line.
fn response_text(space: &TypeSpace, operation: &Operation, variant_names: &[String]) -> Option<String> {
    use super::written_items::{fits, type_text, write_line, write_unbreakable};
    let doc = response_doc(operation);
    if !one_line_doc(&doc) || operation.responses.iter().any(|response| any_stream(&response.contents)) {
        return None;
    }
    let header = format!("pub enum {} {{", ident_text(&operation.response_type));
    if !fits(header.len()) || operation.responses.is_empty() {
        return None;
    }
    // Each variant's lines before any doc slot is taken: a slot taken must be used.
    let mut variants = Vec::with_capacity(operation.responses.len());
    for (response, variant) in operation.responses.iter().zip(variant_names) {
        let body = match (response.contents.as_slice(), &response.content_type) {
            ([], _) | ([_, _, ..], None) => None,
            ([single], _) => Some(type_text(space, &content_ty(single))?),
            (_, Some(name)) => Some(ident_text(name).into_owned()),
        };
        let mut fields = Vec::new();
        if carries_status(response) {
            fields.push("status: u16".to_string());
        }
        let mut lines = String::new();
        match (carries_status(response) || response.headers_type.is_some(), body) {
            (false, None) => write_line(&mut lines, 4, &format!("{variant},"))?,
            (false, Some(body)) => write_tuple_variant(&mut lines, variant, &body)?,
            (true, body) => {
                fields.extend(body.map(|body| format!("body: {body}")));
                fields.extend(response.headers_type.as_ref().map(|headers| format!("headers: {}", ident_text(headers))));
                let line = format!("{variant} {{ {} }},", fields.join(", "));
                if fits(4 + line.len()) {
                    write_line(&mut lines, 4, &line)?;
                } else {
                    write_unbreakable(&mut lines, 4, &format!("{variant} {{"));
                    for field in &fields {
                        write_line(&mut lines, 8, &format!("{field},"))?;
                    }
                    write_line(&mut lines, 4, "},")?;
                }
            }
        }
        let docs = doc_lines(&variant_doc(response));
        if !super::doc_slots::fit_on_lines(&docs) {
            return None;
        }
        variants.push((docs, lines));
    }
    let mut out = format!("///{doc}\n#[derive(Debug, Clone, PartialEq)]\n{header}\n");
    push_members(&mut out, variants)?;
    Some(out)
}

/// Appends each member's doc slot and lines, then the closing brace.
fn push_members(out: &mut String, members: Vec<(Vec<String>, String)>) -> Option<()> {
    for (docs, lines) in members {
        super::doc_slots::push_member_head(out, docs, false)?;
        out.push_str(&lines);
    }
    out.push_str("}\n");
    Some(())
}

/// Whether prettyplease writes the doc attribute `doc` as `///` and the text, as the text paths
/// write it: a single line without trailing blanks.
fn one_line_doc(doc: &str) -> bool {
    !doc.contains(['\n', '\r']) && !doc.ends_with(char::is_whitespace)
}

/// `Variant(Type),` at an indent of four, or its type on a line of its own when the line is too
/// long.
fn write_tuple_variant(out: &mut String, variant: &str, ty: &str) -> Option<()> {
    use super::written_items::{fits, write_line, write_unbreakable};
    let line = format!("{variant}({ty}),");
    if fits(4 + line.len()) {
        return write_line(out, 4, &line);
    }
    write_unbreakable(out, 4, &format!("{variant}("));
    write_line(out, 8, &format!("{ty},"))?;
    write_line(out, 4, "),")
}

/// A body's enum of media types as `prettyplease` prints it, for bodies that do not stream.
fn content_enum_text(space: &TypeSpace, name: &str, contents: &[Content], what: &str) -> Option<String> {
    use super::written_items::{fits, type_text};
    let header = format!("pub enum {} {{", ident_text(name));
    if any_stream(contents) || !fits(header.len()) || contents.is_empty() {
        return None;
    }
    let mut out = format!("/// The {what}, in one of the media types the document lists.\n#[derive(Debug, Clone, PartialEq)]\n{header}\n");
    let mut names = Namer::new();
    for content in contents {
        let variant = content_variant(content, &mut names);
        let doc = format!(" As `{}`.", content.media_type.replace('`', "'"));
        if !one_line_doc(&doc) {
            return None;
        }
        out.push_str(&format!("    ///{doc}\n"));
        write_tuple_variant(&mut out, &variant, &type_text(space, &content_ty(content))?)?;
    }
    out.push_str("}\n");
    Some(out)
}

/// A response's headers struct as `prettyplease` prints it: a field per header, each with its
/// doc (a slot) and its type laid out as formatted.
fn headers_struct_text(space: &TypeSpace, name: &str, headers: &[Header]) -> Option<String> {
    use super::written_items::{field_line, fits};
    let header = format!("pub struct {} {{", ident_text(name));
    if !fits(header.len()) || headers.is_empty() {
        return None;
    }
    // Every field's line before any doc slot is taken: a slot taken must be used.
    let mut fields = Vec::with_capacity(headers.len());
    for header in headers {
        let ty = if header.required { header.ty.clone() } else { header.ty.clone().optional() };
        let line = field_line(space, &ident_text(&header.rust_name), &ty)?;
        let docs = doc_lines(&header_doc(header));
        if !super::doc_slots::fit_on_lines(&docs) {
            return None;
        }
        fields.push((docs, line));
    }
    let all_optional = headers.iter().all(|header| !header.required);
    let mut out = String::from("/// Headers of a response.\n");
    out.push_str(if all_optional { "#[derive(Debug, Clone, PartialEq, Default)]\n" } else { "#[derive(Debug, Clone, PartialEq)]\n" });
    out.push_str(&header);
    out.push('\n');
    push_members(&mut out, fields)?;
    Some(out)
}

/// A header field's doc: the header's description, then its name.
fn header_doc(header: &Header) -> String {
    let mut text = header.description.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("Header `{}`.", header.name.replace('`', "'")));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::written_items;

    /// Operations with parameters and bodies whose names, types and docs give lines of every
    /// length.
    fn document() -> String {
        let mut paths = String::new();
        for length in 1..=60 {
            let name = "p".repeat(length);
            let required = length % 2 == 0;
            let schema = match length % 4 {
                0 => "{type: string}".to_string(),
                1 => "{type: array, items: {$ref: '#/components/schemas/AVeryLongSchemaNameThatFillsMuchOfTheLineByItself'}}".to_string(),
                2 => "{type: object, additionalProperties: {type: array, items: {type: integer}}}".to_string(),
                _ => "{type: integer, format: int32}".to_string(),
            };
            let description = match length % 3 {
                0 => String::new(),
                1 => "          description: The parameter.\n".to_string(),
                _ => "          description: \"/ a slash first\"\n".to_string(),
            };
            let deprecated = if length % 5 == 0 { "          deprecated: true\n" } else { "" };
            let body = match length % 3 {
                0 => String::new(),
                1 => format!("      requestBody:\n        required: {required}\n        content:\n          application/json:\n            schema: {schema}\n"),
                _ => "      requestBody:\n        content:\n          application/json: {schema: {type: string}}\n          text/plain: {schema: {type: string}}\n".to_string(),
            };
            paths.push_str(&format!(
                "  /o{length}:\n    post:\n      operationId: op{length}{}\n      parameters:\n        - name: {name}\n          in: query\n          required: {required}\n{description}{deprecated}          schema: {schema}\n{body}      responses:\n        '200': {{description: ok}}\n",
                "x".repeat(length % 17)
            ));
        }
        // And one without parameters or a body.
        paths.push_str("  /none:\n    get:\n      operationId: none\n      responses:\n        '204': {description: none}\n");
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n    AVeryLongSchemaNameThatFillsMuchOfTheLineByItself: {{type: object, properties: {{a: {{type: string}}}}}}\n"
        )
    }

    #[test]
    fn request_structs_written_as_text_read_as_formatted_ones() {
        let (written, total) = written_items::operations_both_paths(&document(), 0, |model, operation| emit_operation_types(&model.space, operation));
        // Docs that start with a slash and bodies of two media types leave the request to the
        // tokens; every response enum here is written as text.
        assert_eq!(written, total);
    }

    #[test]
    fn response_enums_written_as_text_read_as_formatted_ones() {
        let document = super::super::client_text::tests::document();
        let (written, total) = written_items::operations_both_paths(&document, 0, |model, operation| emit_operation_types(&model.space, operation));
        // Event streams leave the response enum, and bodies of two media types the request, to
        // the tokens.
        assert!(written > total / 2 && written < total, "{written} of {total}");
    }

    #[test]
    fn a_provided_type_leaves_the_request_to_the_tokens_with_every_doc_in_place() {
        let document = crate::load::load_str(&document()).unwrap();
        let (mut model, _) = crate::generate::lower_document(&document, &crate::generate::Options::default());
        let long = model.space.types.iter().position(|def| def.name.starts_with("AVeryLong")).unwrap();
        model.space.provided.schemas.insert(crate::ir::TypeId(long), "my_types::Long".into());
        for operation in &model.operations {
            let (built, text, _) = written_items::both_paths_with_docs(|| emit_operation_types(&model.space, operation));
            assert_eq!(built, text, "{}", operation.id);
        }
    }
}
