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
mod server_dispatch;
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
    separate_part(text).text
}

/// [`separate_items`] for one part of a file, on the thread that formatted it: the blank lines
/// between its own items, and what decides the blank line before the next part's first.
fn separate_part(text: &str) -> SeparatedPart {
    let mut separator = ItemSeparator::new(String::with_capacity(text.len() + text.len() / 16));
    let mut rest = text;
    while !rest.is_empty() {
        let indented = indented_run(rest);
        if indented > 0 {
            separator.push_indented(&rest[..indented]);
            rest = &rest[indented..];
            continue;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |newline| newline + 1);
        let line = &rest[..end];
        // As `str::lines` reads it: without its line break, `\r\n` or `\n`.
        let line = line.strip_suffix('\n').map_or(line, |line| line.strip_suffix('\r').unwrap_or(line));
        separator.push_line(line);
        rest = &rest[end..];
    }
    SeparatedPart { last_line: separator.started.then_some(separator.last_line), text: separator.out }
}

/// The length of the lines at the start of `text` that begin with a space and end in `\n` alone:
/// most of a file's lines, and ones the separator copies as they are (nothing indented starts or
/// ends a top-level item).
fn indented_run(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = 0;
    while bytes.get(end) == Some(&b' ') {
        let Some(newline) = memchr::memchr(b'\n', &bytes[end..]) else { break };
        if newline > 0 && bytes[end + newline - 1] == b'\r' {
            break;
        }
        end += newline + 1;
    }
    end
}

/// A part of a file with blank lines between its items (see [`separate_part`]).
pub(crate) struct SeparatedPart {
    pub text: String,
    /// `None` for a part without lines.
    last_line: Option<LastLine>,
}

impl SeparatedPart {
    /// Text that is not part of a Rust file, carried through the same jobs.
    pub fn other(text: String) -> Self {
        SeparatedPart { text, last_line: None }
    }
}

/// What the line before decides of the blank line before the next.
#[derive(Clone, Copy, Default)]
struct LastLine {
    ended_item: bool,
    was_module_doc: bool,
    // Inner attributes (`#![allow(...)]`) may span lines; the blank line goes after the last.
    closed_inner_attribute: bool,
}

/// Puts the parts of a file together with blank lines between top-level items, as
/// [`separate_items`] would over the whole file.
struct ItemSeparator {
    out: String,
    started: bool,
    last_line: LastLine,
    inner_attribute_open: bool,
}

impl ItemSeparator {
    fn new(out: String) -> Self {
        ItemSeparator { out, started: false, last_line: LastLine::default(), inner_attribute_open: false }
    }

    fn push_line(&mut self, line: &str) {
        if self.started && self.blank_before(line) {
            self.out.push('\n');
        }
        let mut closed_inner_attribute = false;
        if line.starts_with("#![") {
            self.inner_attribute_open = true;
        }
        if self.inner_attribute_open && line.ends_with(")]") && !line.starts_with(' ') {
            self.inner_attribute_open = false;
            closed_inner_attribute = true;
        }
        self.out.push_str(line);
        self.out.push('\n');
        self.started = true;
        self.last_line = LastLine {
            // `pub struct Empty {}` ends on its own line too.
            ended_item: line == "}" || line == "};" || (!line.starts_with([' ', '/', '#']) && (line.ends_with(';') || line.ends_with("{}"))),
            was_module_doc: line.starts_with("//!"),
            closed_inner_attribute,
        };
    }

    /// Lines that each begin with a space and end in `\n`, as [`ItemSeparator::push_line`] would
    /// push them one by one: no blank line comes before any of them, and each leaves nothing
    /// for the next line to go by.
    fn push_indented(&mut self, lines: &str) {
        self.out.push_str(lines);
        self.started = true;
        self.last_line = LastLine::default();
    }

    fn blank_before(&self, line: &str) -> bool {
        let starts_item = !line.is_empty() && !line.starts_with([' ', '}', ')', ']']);
        let module_docs_ended = self.last_line.was_module_doc && !line.starts_with("//!");
        starts_item && (self.last_line.ended_item || module_docs_ended || (self.last_line.closed_inner_attribute && !line.starts_with("#!")))
    }

    /// Appends a part separated on its own thread: only the blank line before its first line
    /// depends on the parts before it. Each part is whole items, so an inner attribute never runs
    /// on into the next part and nothing else carries over.
    fn push_part(&mut self, part: SeparatedPart) {
        if let Some(last_line) = part.last_line {
            let first = part.text.lines().next().unwrap_or_default();
            if self.started && self.blank_before(first) {
                self.out.push('\n');
            }
            self.started = true;
            self.last_line = last_line;
        }
        // A part without lines has no text either; text that is not Rust is copied as it is.
        self.out.push_str(&part.text);
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

    #[test]
    fn indented_runs_are_separated_as_line_by_line() {
        let pieces = ["fn f() {\n", "    a;\n", "    b;\r\n", "}\n", "\n", "  x\n", "const A: u8 = 1;\n", "    tail", "#![allow(\n", ")]\n", "\r\n"];
        // Every sequence of up to four pieces.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts.iter().flat_map(|text| pieces.iter().map(move |piece| format!("{text}{piece}"))).collect();
            for text in &texts {
                let mut by_line = super::ItemSeparator::new(String::new());
                text.lines().for_each(|line| by_line.push_line(line));
                let part = super::separate_part(text);
                assert_eq!(part.text, by_line.out, "{text:?}");
                assert_eq!(
                    part.last_line.map(|last| (last.ended_item, last.was_module_doc, last.closed_inner_attribute)),
                    by_line.started.then_some((
                        by_line.last_line.ended_item,
                        by_line.last_line.was_module_doc,
                        by_line.last_line.closed_inner_attribute
                    )),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn a_file_separated_in_parts_reads_as_one_separated_whole() {
        let lines = [
            "//! Module docs.",
            "#![allow(",
            "    clippy::type_complexity,",
            ")]",
            "#![allow(deprecated)]",
            "use a::b;",
            "pub struct Empty {}",
            "/// Docs.",
            "#[derive(Debug)]",
            "pub struct Next;",
            "impl Next {",
            "    fn f() {}",
            "",
            "    fn g() {}",
            "}",
            "const A: u8 = 1;",
            "mod m {",
            "}",
        ];
        let whole = super::separate_items(&(lines.join("\n") + "\n"));
        // Every way to cut the file between lines, except inside the attribute that spans three.
        let cuts: Vec<usize> = (1..lines.len()).filter(|cut| !(2..=3).contains(cut)).collect();
        for mask in 0..1u32 << cuts.len() {
            let mut parts = Vec::new();
            let mut start = 0;
            for (bit, &cut) in cuts.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    parts.push(lines[start..cut].join("\n") + "\n");
                    start = cut;
                }
            }
            parts.push(lines[start..].join("\n") + "\n");
            let assembled = super::parts::assemble(parts.iter().map(|part| super::separate_part(part)).collect());
            assert_eq!(assembled, whole, "cut into {parts:?}");
        }
    }
}
