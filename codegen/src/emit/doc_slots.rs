//! Doc comments that go around `syn` and `prettyplease` instead of through them.
//!
//! A quarter of the Rust a large document turns into is doc comments, and every line of them
//! would be escaped into a string literal, parsed back by `syn`, and printed by `prettyplease` as
//! `///` followed by the same text. While a part of a file is built inside [`collect`], each
//! description becomes one short placeholder attribute instead, and [`fill`] puts the lines in
//! place of the placeholder's line after formatting, exactly as `prettyplease` would have
//! printed them. Outside [`collect`] (tokens formatted whole, such as a crate's `lib.rs`)
//! descriptions are ordinary `#[doc]` attributes.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

/// Brackets the slot number in a placeholder. Both are Unicode noncharacters, and a placeholder
/// only counts where a whole line is a doc comment holding nothing else, which text from a
/// document never is: descriptions are in the slots, other text is in string literals.
const OPEN: char = '\u{FDD0}';
const CLOSE: char = '\u{FDD1}';

thread_local! {
    static SLOTS: RefCell<Option<Vec<Vec<String>>>> = const { RefCell::new(None) };
}

/// Runs `build` with descriptions collected into slots; returns its tokens and the slots.
pub fn collect(build: impl FnOnce() -> TokenStream) -> (TokenStream, Vec<Vec<String>>) {
    let outer = SLOTS.with(|slots| slots.borrow_mut().replace(Vec::new()));
    let tokens = build();
    let collected = SLOTS.with(|slots| std::mem::replace(&mut *slots.borrow_mut(), outer)).unwrap_or_default();
    (tokens, collected)
}

/// The doc attributes for `lines` (from [`crate::doc_text::doc_lines`]): a placeholder inside
/// [`collect`], the attributes themselves outside it.
pub fn doc_attributes(lines: Vec<String>) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    match take_slot(lines) {
        Ok(number) => {
            let placeholder = format!(" {OPEN}{number}{CLOSE}");
            quote!(#[doc = #placeholder])
        }
        Err(lines) => quote!( #( #[doc = #lines] )* ),
    }
}

/// For an item written as text (see `written_items`): the placeholder line, as `prettyplease`
/// prints [`doc_attributes`]' attribute at the top level, with its newline (nothing for no lines);
/// `None` outside [`collect`] or for lines only attributes can hold, and the caller builds
/// tokens instead.
pub fn placeholder_lines(lines: Vec<String>) -> Option<String> {
    if lines.is_empty() {
        return Some(String::new());
    }
    take_slot(lines).ok().map(|number| format!("/// {OPEN}{number}{CLOSE}\n"))
}

/// Appends, for a member or field written as text (indented by four), the placeholder line of
/// `lines` and `#[deprecated]` when `deprecated`; `None` as for [`placeholder_lines`], with
/// nothing appended.
pub fn push_member_head(out: &mut String, lines: Vec<String>, deprecated: bool) -> Option<()> {
    let docs = placeholder_lines(lines)?;
    if !docs.is_empty() {
        out.push_str("    ");
        out.push_str(&docs);
    }
    if deprecated {
        out.push_str("    #[deprecated]\n");
    }
    Some(())
}

/// Whether `prettyplease` prints each of `lines` as `///` and the line, as [`fill`] writes them:
/// only a line with no line break that does not start with `/`. `doc_lines` never makes other
/// lines, but anything else keeps its attributes so that [`fill`] never has to imitate another
/// form.
pub fn fit_on_lines(lines: &[String]) -> bool {
    lines.iter().all(|line| !line.contains('\n') && !line.starts_with('/'))
}

/// Puts `lines` in the next slot and gives its number; gives them back outside [`collect`] and
/// when a line cannot be a `///` line.
fn take_slot(lines: Vec<String>) -> Result<usize, Vec<String>> {
    let printable_as_line = fit_on_lines(&lines);
    SLOTS.with(move |slots| match slots.borrow_mut().as_mut().filter(|_| printable_as_line) {
        Some(slots) => {
            slots.push(lines);
            Ok(slots.len() - 1)
        }
        None => Err(lines),
    })
}

/// Replaces each placeholder line of formatted `text` with its slot's lines at the same indent.
/// Placeholders come out in the order of the text, which need not be the order the tokens were
/// built in; each slot must be used exactly once.
pub fn fill(text: &str, slots: Vec<Vec<String>>) -> Result<String, String> {
    if slots.is_empty() {
        return Ok(text.to_string());
    }
    let extra: usize = slots.iter().flatten().map(|line| line.len() + 16).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut used = vec![false; slots.len()];
    // Only lines holding the placeholder's opening mark can be placeholders; the text between
    // them is copied whole.
    let mut open = [0; 4];
    let open = OPEN.encode_utf8(&mut open).as_bytes();
    let mut copied = 0;
    for at in memchr::memmem::find_iter(text.as_bytes(), open) {
        let start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
        if start < copied {
            continue;
        }
        let end = text[at..].find('\n').map_or(text.len(), |newline| at + newline + 1);
        let Some((indent, index)) = placeholder(&text[start..end]).filter(|(_, index)| *index < slots.len()) else {
            continue;
        };
        if std::mem::replace(&mut used[index], true) {
            return Err(format!("internal error: doc comment {index} appears twice in the formatted code"));
        }
        out.push_str(&text[copied..start]);
        for doc in &slots[index] {
            out.push_str(indent);
            out.push_str("///");
            out.push_str(doc.trim_end_matches(' '));
            out.push('\n');
        }
        copied = end;
    }
    out.push_str(&text[copied..]);
    match used.iter().position(|used| !used) {
        None => Ok(out),
        Some(index) => Err(format!("internal error: the formatted code lost doc comment {index}")),
    }
}

/// The indent and slot number of a line that is a placeholder and nothing else.
fn placeholder(line: &str) -> Option<(&str, usize)> {
    let body = line.strip_suffix('\n').unwrap_or(line);
    let start = body.len() - body.trim_start_matches(' ').len();
    let (indent, rest) = body.split_at(start);
    let number = rest.strip_prefix("/// ")?.strip_prefix(OPEN)?.strip_suffix(CLOSE)?;
    if number.is_empty() || !number.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Some((indent, number.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::format_tokens;

    fn doc_lines(text: &str) -> Vec<String> {
        crate::doc_text::doc_lines(text)
    }

    fn both_ways(build: impl Fn() -> TokenStream) -> (String, String) {
        let direct = format_tokens(build()).unwrap();
        let (tokens, slots) = collect(&build);
        let filled = fill(&format_tokens(tokens).unwrap(), slots).unwrap();
        (direct, filled)
    }

    #[test]
    fn filled_text_is_what_formatting_the_attributes_gives() {
        let (direct, filled) = both_ways(|| {
            let outer = doc_attributes(doc_lines("A thing.\n\n  Indented *text*   \n- a list\n  continued"));
            let field = doc_attributes(doc_lines("The `id`; trailing spaces   "));
            let method = doc_attributes(doc_lines("```\nfn main() {}\n```"));
            quote! {
                #outer
                pub struct Thing {
                    #field
                    pub id: String,
                }
                impl Thing {
                    #method
                    pub fn get(&self) -> &str { &self.id }
                }
            }
        });
        assert_eq!(direct, filled);
        assert!(!filled.contains(OPEN));
    }

    #[test]
    fn outside_collect_the_attributes_are_written_out() {
        let tokens = doc_attributes(doc_lines("Plain."));
        assert_eq!(tokens.to_string(), quote!(#[doc = " Plain."]).to_string());
    }

    #[test]
    fn text_that_looks_like_a_placeholder_is_left_alone() {
        let fake = format!("/// {OPEN}0{CLOSE}");
        let (tokens, slots) = collect(|| {
            let docs = doc_attributes(doc_lines(&fake));
            quote! { #docs pub struct A; }
        });
        let text = format_tokens(tokens).unwrap();
        let filled = fill(&text, slots).unwrap();
        assert!(filled.contains(&format!("/// /// {OPEN}0{CLOSE}")), "{filled}");
    }

    #[test]
    fn slots_fill_in_the_order_of_the_text() {
        let (direct, filled) = both_ways(|| {
            // Built second, printed first.
            let (second, first) = (doc_attributes(doc_lines("Second.")), doc_attributes(doc_lines("First.")));
            quote! { #first pub struct A; #second pub struct B; }
        });
        assert_eq!(direct, filled);
    }

    #[test]
    fn a_lost_placeholder_is_an_error() {
        let (_, slots) = collect(|| doc_attributes(doc_lines("Lost.")));
        assert!(fill("pub struct A;\n", slots).unwrap_err().contains("lost doc comment 0"));
    }

    #[test]
    fn collect_nests() {
        let (_, outer) = collect(|| {
            let (_, inner) = collect(|| doc_attributes(doc_lines("Inner.")));
            assert_eq!(inner.len(), 1);
            doc_attributes(doc_lines("Outer."))
        });
        assert_eq!(outer, vec![vec![" Outer.".to_string()]]);
    }
}
