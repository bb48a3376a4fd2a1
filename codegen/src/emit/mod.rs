//! The intermediate representation to source files.

pub mod client;
pub mod crate_files;
pub mod docs;
mod docs_layout;
pub mod module_file;
pub mod operations;
mod parallel;
mod parts;
pub mod server;
pub mod types;

use proc_macro2::TokenStream;
use quote::quote;

/// The lints every generated module allows, each because the code mirrors the document: a
/// union's variants can differ greatly in size, names (of variants, parameters) come from the
/// document, and a deeply nested schema spells out as a deeply nested type.
pub fn allowed_lints() -> TokenStream {
    quote! {
        #![allow(clippy::large_enum_variant, clippy::enum_variant_names, clippy::type_complexity, clippy::disallowed_names)]
    }
}

/// Formats generated tokens as a source file. Generated code that does not parse is a bug in
/// this crate; it is reported rather than written.
pub fn format_file(tokens: TokenStream) -> Result<String, String> {
    Ok(separate_items(&format_tokens(tokens)?))
}

/// Formats tokens as they are, without the blank lines `format_file` adds.
fn format_tokens(tokens: TokenStream) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| format!("internal error: generated code does not parse: {error}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Puts a blank line between top-level items, which prettyplease writes back to back.
fn separate_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    // Inner attributes (`#![allow(...)]`) may span lines; the blank line goes after the last.
    let mut inner_attribute_open = false;
    let mut inner_attribute_closed = false;
    for line in text.lines() {
        if let Some(previous) = previous {
            let item_ended = previous == "}" || previous == "};" || (!previous.starts_with([' ', '/', '#']) && previous.ends_with(';'));
            let starts_item = !line.is_empty() && !line.starts_with([' ', '}', ')', ']']);
            let module_docs_ended = previous.starts_with("//!") && !line.starts_with("//!");
            if starts_item && (item_ended || module_docs_ended || (inner_attribute_closed && !line.starts_with("#!"))) {
                out.push('\n');
            }
        }
        inner_attribute_closed = false;
        if line.starts_with("#![") {
            inner_attribute_open = true;
        }
        if inner_attribute_open && line.ends_with(")]") && !line.starts_with(' ') {
            inner_attribute_open = false;
            inner_attribute_closed = true;
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}
