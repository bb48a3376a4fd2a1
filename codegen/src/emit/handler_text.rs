//! The server's handler functions (one per operation: read the parameters and body, call the
//! service, write the response) written as text in prettyplease's layout (see `written_items`),
//! for the shapes most operations have: a body in at most one media type, and responses in one
//! media type with their status and headers, or in one of several without headers. Any other
//! handler goes the token way (`server::emit_handler`), which this must equal byte for byte
//! where it writes.

use super::client::location_path;
use super::operations::{carries_status, content_ty, content_variant, response_variants};
use super::struct_literal::{write_let, Field};
use super::written_items::{fits, push_indent, string_literal, write_line, write_unbreakable};
use crate::ir::{Content, MediaKind, Model, Operation, Response, Status, Ty};
use crate::naming::{ident_text, Namer};

/// The handler as a top-level item; `None` for a layout this does not write.
pub fn handler_text(model: &Model, operation: &Operation) -> Option<String> {
    let function = super::server_dispatch::handler_name(operation);
    let trait_name = ident_text(&operation.type_name).into_owned();
    let authenticates = super::server::requires_credentials(model, operation);
    let bound = if authenticates { format!("{trait_name} + Authenticate") } else { trait_name };
    let body = operation.body.as_ref().filter(|body| !body.contents.is_empty());
    let content = match body {
        None => None,
        Some(body) if body.content_type.is_none() => Some(&body.contents[0]),
        Some(_) => return None,
    };
    // Lowering gives every operation a response; an empty `match` would print on one line.
    if operation.responses.is_empty() {
        return None;
    }

    let mut out = String::with_capacity(2048);
    let head = format!("async fn {function}<S: {bound}>(");
    if fits(head.len()) {
        out.push_str(&head);
        out.push_str("\n    service: Arc<S>,\n    mut input: rt::Input,\n) -> Result<rt::Response, rt::Rejection> {\n");
    } else {
        write_unbreakable(&mut out, 0, &format!("async fn {function}<"));
        // A single trait has nowhere to break; `+ Authenticate` could break before its `+`.
        match authenticates {
            true => write_line(&mut out, 4, &format!("S: {bound},"))?,
            false => write_unbreakable(&mut out, 4, &format!("S: {bound},")),
        }
        out.push_str(">(service: Arc<S>, mut input: rt::Input) -> Result<rt::Response, rt::Rejection> {\n");
    }
    out.push_str("    if !S::IMPLEMENTED {\n        return Ok(input.not_implemented());\n    }\n");
    if authenticates {
        let requirement = super::security::requirement_text(model, operation);
        write_line(&mut out, 4, &format!("if let Some(credentials) = input.credentials({requirement})? {{"))?;
        write_line(&mut out, 8, &format!("let verdict = service.authenticate({}, &credentials).await;", string_literal(&operation.id)))?;
        write_line(&mut out, 8, "input.authenticated(credentials, verdict)?;")?;
        write_line(&mut out, 4, "}")?;
    }
    if !operation.parameters.is_empty() {
        out.push_str("    let mut parameters = input.parameters()?;\n");
    }
    if let (Some(body), Some(content)) = (body, content) {
        if body.required {
            write_line(&mut out, 4, &format!("let body = {};", conversion(content, "input.required_body().await?")))?;
        } else {
            out.push_str("    let body = match input.body(false).await? {\n");
            write_line(&mut out, 8, &format!("Some(body) => Some({}),", conversion(content, "body")))?;
            out.push_str("        None => None,\n    };\n");
        }
    }
    let request = format!("super::{}", ident_text(&operation.request_type));
    if operation.parameters.is_empty() && operation.body.is_none() {
        write_line(&mut out, 4, &format!("let request = {request}::default();"))?;
    } else {
        let mut fields = Vec::with_capacity(operation.parameters.len() + 1);
        for parameter in &operation.parameters {
            let take = format!("parameters.take({}, {})?", string_literal(&parameter.name), location_path(parameter.location));
            fields.push(Field::Flat(ident_text(&parameter.rust_name).into_owned(), take));
        }
        if body.is_some() {
            fields.push(Field::Flat("body".to_string(), "body".to_string()));
        }
        if fields.is_empty() {
            return None;
        }
        write_let(&mut out, 4, "request", &request, &fields)?;
    }
    let call = format!(".{}(request, input.take_parts())", ident_text(&operation.rust_name));
    let statement = format!("let response = service{call}.await;");
    if fits(4 + statement.len()) {
        write_line(&mut out, 4, &statement)?;
    } else {
        out.push_str("    let response = service\n");
        write_line(&mut out, 8, &call)?;
        out.push_str("        .await;\n");
    }
    out.push_str("    let http_response = match response {\n");
    let response_type = format!("super::{}", ident_text(&operation.response_type));
    for (response, variant) in operation.responses.iter().zip(response_variants(operation)) {
        write_arm(&mut out, &format!("{response_type}::{variant}"), response)?;
    }
    out.push_str("    };\n");
    let streams_upload = body.is_some_and(|body| super::operations::any_stream(&body.contents));
    out.push_str(if streams_upload { "    Ok(input.finish(http_response))\n}\n" } else { "    Ok(http_response)\n}\n" });
    Some(out)
}

/// A read body turned into the type of its media type, as `server::body_conversion` does.
fn conversion(content: &Content, body: &str) -> String {
    if content.stream.is_some() {
        return format!("{body}.byte_stream()?");
    }
    match content_ty(content) {
        Ty::String if content.kind == MediaKind::Text => format!("{body}.text()?"),
        Ty::Bytes => format!("{body}.bytes()?"),
        _ => format!("{body}.json()?"),
    }
}

/// An expression the arms write: a call whose arguments break one per line when it does not
/// fit, or text that never breaks.
enum Expr {
    Call(&'static str, Vec<Expr>),
    Atom(String),
}

impl Expr {
    fn flat(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Call(head, arguments) => {
                let arguments: Vec<String> = arguments.iter().map(Expr::flat).collect();
                format!("{head}({})", arguments.join(", "))
            }
        }
    }
}

/// `expr` and `after` at `indent`: whole when it fits, else `rt::with_header`'s arguments one per
/// line, each laid out the same way; `None` for a method call or text that does not fit (a
/// method call would break before its dot).
fn write_expr(out: &mut String, indent: usize, expr: &Expr, after: &str) -> Option<()> {
    let flat = expr.flat();
    if fits(indent + flat.len() + after.len()) {
        return write_line(out, indent, &format!("{flat}{after}"));
    }
    match expr {
        Expr::Call(head @ "rt::with_header", arguments) => {
            write_line(out, indent, &format!("{head}("))?;
            for argument in arguments {
                write_expr(out, indent + 4, argument, ",")?;
            }
            write_line(out, indent, &format!("){after}"))
        }
        _ => None,
    }
}

/// The arm that writes one response variant, `path` its variant's path; `None` for a stream, or
/// a layout this does not write.
fn write_arm(out: &mut String, path: &str, response: &Response) -> Option<()> {
    let status = match response.status {
        Status::Code(code) => code.to_string(),
        _ => "status".to_string(),
    };
    let has_body = !response.contents.is_empty();
    let tuple = !carries_status(response) && response.headers_type.is_none();
    let pattern = match (tuple, has_body) {
        (true, false) => path.to_string(),
        (true, true) => format!("{path}(body)"),
        (false, _) => {
            let bound: Vec<&str> = [(carries_status(response), "status"), (has_body, "body"), (response.headers_type.is_some(), "headers")]
                .into_iter()
                .filter_map(|(present, name)| present.then_some(name))
                .collect();
            format!("{path} {{ {} }}", bound.join(", "))
        }
    };
    if let Some(content_type) = &response.content_type {
        return write_media_arm(out, &pattern, response, content_type, &status);
    }
    let written = match response.contents.first() {
        None => Expr::Call("input.empty", vec![Expr::Atom(status.clone())]),
        Some(content) => body_call(content, &status, "body")?,
    };
    // Each declared header wraps the response written so far.
    let written = response.headers.iter().fold(written, |written, header| {
        let field = format!("&headers.{}", ident_text(&header.rust_name));
        Expr::Call("rt::with_header", vec![written, Expr::Atom(string_literal(&header.name)), Expr::Atom(field)])
    });
    let breaks_binding = (tuple && has_body).then_some((path, "body"));
    write_arm_at(out, 8, &pattern, breaks_binding, &written)
}

/// The call that writes `content` from `value` with `status`; `None` for a stream.
fn body_call(content: &Content, status: &str, value: &str) -> Option<Expr> {
    if content.stream.is_some() {
        return None;
    }
    let media_type = Expr::Atom(string_literal(&content.media_type));
    let (method, value) = match (content.kind, content_ty(content)) {
        (MediaKind::Text, _) => ("input.text", value.to_string()),
        (_, Ty::Bytes) => ("input.bytes", value.to_string()),
        _ => ("input.json", format!("&{value}")),
    };
    Some(Expr::Call(method, vec![Expr::Atom(status.to_string()), media_type, Expr::Atom(value)]))
}

/// The arm of a response whose body is one of several media types: a `match` on the body with
/// an arm per media type, which prettyplease always puts in a block of its own. `None` with
/// headers (the `match` would be an argument of `rt::with_header`) or a pattern too long for
/// its line.
fn write_media_arm(out: &mut String, pattern: &str, response: &Response, content_type: &str, status: &str) -> Option<()> {
    if !response.headers.is_empty() || !fits(8 + pattern.len() + " => ".len()) {
        return None;
    }
    write_unbreakable(out, 8, &format!("{pattern} => {{"));
    out.push_str("            match body {\n");
    let content_type = ident_text(content_type).into_owned();
    let mut names = Namer::new();
    for content in &response.contents {
        let path = format!("super::{content_type}::{}", content_variant(content, &mut names));
        let written = body_call(content, status, "value")?;
        write_arm_at(out, 16, &format!("{path}(value)"), Some((&path, "value")), &written)?;
    }
    out.push_str("            }\n        }\n");
    Some(())
}

/// An arm `pattern => written,` at `indent`, as prettyplease lays it out: on one line when it
/// fits, else the body in a block, else (a pattern that binds one value, `breaks_binding` giving
/// its path and binding) the pattern broken around its binding and the body after it.
fn write_arm_at(out: &mut String, indent: usize, pattern: &str, breaks_binding: Option<(&str, &str)>, written: &Expr) -> Option<()> {
    let flat = written.flat();
    // The arm's comma is one prettyplease adds when it breaks the arm: it does not count.
    if fits(indent + pattern.len() + " => ".len() + flat.len()) {
        push_indent(out, indent);
        out.push_str(&format!("{pattern} => {flat},\n"));
        return Some(());
    }
    // The pattern stays whole when it fits with ` => `; the block's brace may pass the margin.
    if fits(indent + pattern.len() + " => ".len()) {
        write_unbreakable(out, indent, &format!("{pattern} => {{"));
        write_expr(out, indent + 4, written, "")?;
        return write_line(out, indent, "}");
    }
    // A variant's binding breaks around it, and the rest of the arm follows its parenthesis.
    let (path, binding) = breaks_binding?;
    write_unbreakable(out, indent, &format!("{path}("));
    write_line(out, indent + 4, &format!("{binding},"))?;
    write_line(out, indent, &format!(") => {flat},"))
}

#[cfg(test)]
mod tests {
    use super::super::written_items;

    #[test]
    fn handlers_written_as_text_read_as_formatted_ones() {
        let document = super::super::client_text::tests::document();
        let (written, total) = written_items::operations_both_paths(&document, 0, super::super::server::emit_handler);
        // Bodies of two media types, event streams, and names so long that a method call would
        // break are left to the tokens.
        assert!(written > total / 6 && written < total, "{written} of {total}");
    }

    #[test]
    fn handlers_of_short_names_written_as_text_read_as_formatted_ones() {
        // The same shapes with names short enough for every call to stay on its line, so that
        // each shape the text path takes is compared, not only those long names leave to it.
        let document = super::super::client_text::tests::document_named(|index| format!("op{index}"));
        let (written, total) = written_items::operations_both_paths(&document, 0, super::super::server::emit_handler);
        // More than half of them (52 of 97): the rest have bodies in several media types or streams.
        assert!(written > total * 2 / 5 && written < total, "{written} of {total}");
    }
}
