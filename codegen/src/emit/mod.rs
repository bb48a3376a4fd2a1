//! The intermediate representation to source files: [`api::emit`] formats every module once into
//! a layout-neutral [`api::Api`]; [`layout`] renders it as a crate or as one include file.

pub mod api;
pub(crate) mod client;
mod client_text;
pub(crate) mod customize;
mod data_text;
mod doc_slots;
pub mod docs;
mod handler_text;
pub mod layout;
mod object;
pub(crate) mod operations;
mod parallel;
mod parts;
pub(crate) mod security;
pub(crate) mod server;
mod server_table;
mod string_enum;
mod struct_literal;
pub mod types;
mod untagged;
mod written_items;

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
    let mut separator = ItemSeparator::new(String::with_capacity(text.len() + text.len() / 16));
    separator.push(text);
    separator.finish()
}

/// [`separate_items`] fed a file piece by piece (each piece whole lines), so that a large file is
/// never held twice.
struct ItemSeparator {
    out: String,
    started: bool,
    previous_ended_item: bool,
    previous_was_module_doc: bool,
    // Inner attributes (`#![allow(...)]`) may span lines; the blank line goes after the last.
    inner_attribute_open: bool,
    inner_attribute_closed: bool,
}

impl ItemSeparator {
    /// Appends to `out`, which may already hold text that is not to be touched (a header).
    fn new(out: String) -> Self {
        ItemSeparator {
            out,
            started: false,
            previous_ended_item: false,
            previous_was_module_doc: false,
            inner_attribute_open: false,
            inner_attribute_closed: false,
        }
    }

    fn push(&mut self, text: &str) {
        for line in text.lines() {
            if self.started {
                let starts_item = !line.is_empty() && !line.starts_with([' ', '}', ')', ']']);
                let module_docs_ended = self.previous_was_module_doc && !line.starts_with("//!");
                if starts_item && (self.previous_ended_item || module_docs_ended || (self.inner_attribute_closed && !line.starts_with("#!"))) {
                    self.out.push('\n');
                }
            }
            self.inner_attribute_closed = false;
            if line.starts_with("#![") {
                self.inner_attribute_open = true;
            }
            if self.inner_attribute_open && line.ends_with(")]") && !line.starts_with(' ') {
                self.inner_attribute_open = false;
                self.inner_attribute_closed = true;
            }
            self.out.push_str(line);
            self.out.push('\n');
            self.started = true;
            // `pub struct Empty {}` ends on its own line too.
            self.previous_ended_item =
                line == "}" || line == "};" || (!line.starts_with([' ', '/', '#']) && (line.ends_with(';') || line.ends_with("{}")));
            self.previous_was_module_doc = line.starts_with("//!");
        }
    }

    fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::separate_items;

    #[test]
    fn items_are_separated_whether_they_end_in_a_brace_a_semicolon_or_an_empty_body() {
        let text = "pub struct Empty {}\n/// Next.\npub struct Next;\nfn f() {\n    let x = S {};\n}\nconst A: u8 = 1;\n";
        let expected = "pub struct Empty {}\n\n/// Next.\npub struct Next;\n\nfn f() {\n    let x = S {};\n}\n\nconst A: u8 = 1;\n";
        assert_eq!(separate_items(text), expected);
    }
}
