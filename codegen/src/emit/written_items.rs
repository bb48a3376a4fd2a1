//! Top-level items written straight as text, in prettyplease's layout, instead of being built as
//! tokens that `syn` parses back and `prettyplease` prints.
//!
//! Most of a large `types.rs` is a handful of item shapes repeated for every struct, each
//! differing only in names, types and string literals, and building, parsing and printing them
//! took a large share of a generation's time. While a part of a file is built inside [`collect`], an emitter may
//! hand an item over as text ([`hand_over`]): the item becomes a one-line placeholder macro call in
//! the tokens, and [`fill`] puts the text in place of that line after formatting. An emitter hands
//! over only text it knows to be exactly what `prettyplease` prints for its tokens, and builds the
//! tokens otherwise ([`fits`] says when a line stays whole).
//!
//! A placeholder is an item of its own, so whatever wraps items (a cargo feature's `#[cfg]`) wraps
//! it like any other; one is made per item for that reason.
//!
//! Members of an `impl` block (the client's methods) are handed over the same way; their
//! placeholders are printed one indent in, and their texts carry that indent themselves.

use std::cell::RefCell;
use std::str::FromStr;

use proc_macro2::{Delimiter, Literal, TokenStream, TokenTree};
use quote::quote;

use crate::ir::{FloatKind, IntKind, Ty, TypeSpace};

/// The name of the placeholder macro. Generated code calls no macro of this name, and a line
/// counts only where the whole line is the call with a slot number that was handed out.
const PLACEHOLDER: &str = "__oas_written";

/// The column `prettyplease` keeps lines within.
pub const MARGIN: usize = 89;

/// The widest struct literal prettyplease writes on one line (`end_with_max_width(34)`), up to
/// the blank before its closing brace.
pub const STRUCT_LITERAL_WIDTH: usize = 34;

thread_local! {
    static SLOTS: RefCell<Option<Vec<Option<String>>>> = const { RefCell::new(None) };
}

/// The items handed over while a part was built, by slot number; a slot taken back as tokens
/// ([`expand`]) is empty.
pub struct Written(Vec<Option<String>>);

/// Runs `build` with items handed over as text; returns its result and the written items.
pub fn collect<T>(build: impl FnOnce() -> T) -> (T, Written) {
    let outer = SLOTS.with(|slots| slots.borrow_mut().replace(Vec::new()));
    let built = build();
    let written = SLOTS.with(|slots| std::mem::replace(&mut *slots.borrow_mut(), outer)).unwrap_or_default();
    (built, Written(written))
}

/// Inside [`collect`], the placeholders for the items `write` gives (each a whole top-level item
/// ending in a newline); `None` outside it, without calling `write`, or when `write` gives `None`:
/// the caller then builds the items' tokens.
pub fn hand_over(write: impl FnOnce() -> Option<Vec<String>>) -> Option<TokenStream> {
    if !SLOTS.with(|slots| slots.borrow().is_some()) {
        return None;
    }
    let items = write()?;
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let slots = slots.as_mut()?;
        let placeholders = items.into_iter().map(|item| {
            let number = Literal::usize_unsuffixed(slots.len());
            slots.push(Some(item));
            let name = proc_macro2::Ident::new(PLACEHOLDER, proc_macro2::Span::call_site());
            quote!(#name!(#number);)
        });
        Some(placeholders.collect())
    })
}

/// Replaces each placeholder in `tokens` with the tokens of its text, for a caller that rewrites
/// tokens before they are formatted (a runtime path of the user's changes the width of lines, so
/// the text would no longer be prettyplease's layout). Called inside the same [`collect`].
pub fn expand(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut index = 0;
    while index < trees.len() {
        let taken = placeholder_tokens(&trees[index..])
            .and_then(|number| SLOTS.with(|slots| slots.borrow_mut().as_mut().and_then(|slots| slots.get_mut(number)).and_then(Option::take)));
        match taken.and_then(|text| TokenStream::from_str(&text).ok()) {
            Some(item) => {
                out.extend(item);
                index += PLACEHOLDER_TREES;
            }
            None => {
                out.push(trees[index].clone());
                index += 1;
            }
        }
    }
    out.into_iter().collect()
}

/// Formats `tokens`, a run of top-level items (or of an `impl` block's members), with `format`,
/// except that each placeholder standing on its own is replaced by its item's text straight away:
/// `prettyplease` prints every item on lines of its own without looking at its neighbours, and a
/// placeholder as the one line [`fill`] would replace, so the runs between placeholders formatted
/// apart read exactly as the whole formatted at once. Parsing and printing the placeholders was
/// most of what `syn` still did for a large `types.rs`. A placeholder right after an outer
/// attribute (a feature's `#[cfg]`) stays in its run, since the attribute belongs to it, and so
/// does one right after the file's inner attributes.
pub fn format_around(tokens: TokenStream, written: &mut Written, format: impl Fn(TokenStream) -> Result<String, String>) -> Result<String, String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut cuts: Vec<(usize, String)> = Vec::new();
    let mut index = 0;
    let mut run_start = 0;
    while index < trees.len() {
        let run = &trees[run_start..index];
        let after_attribute = matches!(run, [.., TokenTree::Punct(hash), TokenTree::Group(group)]
                if hash.as_char() == '#' && group.delimiter() == Delimiter::Bracket);
        let text = match after_attribute || only_inner_attributes(run) {
            true => None,
            false => placeholder_tokens(&trees[index..]).and_then(|number| written.0.get_mut(number)).and_then(Option::take),
        };
        match text {
            Some(text) => {
                cuts.push((index, text));
                index += PLACEHOLDER_TREES;
                run_start = index;
            }
            None => index += 1,
        }
    }
    if cuts.is_empty() {
        return format(trees.into_iter().collect());
    }
    let mut out = String::with_capacity(cuts.iter().map(|(_, text)| text.len()).sum());
    let mut trees = trees.into_iter();
    let mut position = 0;
    for (at, text) in cuts {
        if at > position {
            out.push_str(&format(trees.by_ref().take(at - position).collect())?);
        }
        trees.by_ref().take(PLACEHOLDER_TREES).for_each(drop);
        out.push_str(&text);
        position = at + PLACEHOLDER_TREES;
    }
    let rest: TokenStream = trees.collect();
    if !rest.is_empty() {
        out.push_str(&format(rest)?);
    }
    Ok(out)
}

/// Whether `trees` are a file's inner attributes and nothing else: `prettyplease` ends those
/// without the line break it puts before the first item, so they stay in one run with it.
fn only_inner_attributes(trees: &[TokenTree]) -> bool {
    !trees.is_empty()
        && trees.chunks(3).all(|attribute| {
            matches!(attribute, [TokenTree::Punct(hash), TokenTree::Punct(bang), TokenTree::Group(group)]
                if hash.as_char() == '#' && bang.as_char() == '!' && group.delimiter() == Delimiter::Bracket)
        })
}

/// A placeholder is four token trees: `name ! (number) ;`.
const PLACEHOLDER_TREES: usize = 4;

/// The slot number of a placeholder at the start of `trees` (`name ! (number) ;`).
fn placeholder_tokens(trees: &[TokenTree]) -> Option<usize> {
    match trees {
        [TokenTree::Ident(name), TokenTree::Punct(bang), TokenTree::Group(group), TokenTree::Punct(semi), ..]
            if name == PLACEHOLDER && bang.as_char() == '!' && semi.as_char() == ';' && group.delimiter() == Delimiter::Parenthesis =>
        {
            group.stream().to_string().parse().ok()
        }
        _ => None,
    }
}

/// Replaces each placeholder line of formatted `text` with its item's text; each item handed
/// over must be there exactly once.
pub fn fill(text: String, written: Written) -> Result<String, String> {
    fill_at(text, written, 0)
}

/// [`fill`] for placeholders printed `indent` columns in (members of an `impl` block), whose
/// texts carry their own indent.
pub fn fill_at(text: String, written: Written, indent: usize) -> Result<String, String> {
    let mut slots = written.0;
    let mut pending = slots.iter().filter(|slot| slot.is_some()).count();
    if pending == 0 {
        return Ok(text);
    }
    let extra: usize = slots.iter().flatten().map(String::len).sum();
    let mut out = String::with_capacity(text.len() + extra);
    for line in text.split_inclusive('\n') {
        match placeholder_line(line, indent).and_then(|number| slots.get_mut(number)).and_then(Option::take) {
            Some(item) => {
                out.push_str(&item);
                pending -= 1;
            }
            None => out.push_str(line),
        }
    }
    match pending {
        0 => Ok(out),
        _ => Err("internal error: the formatted code lost an item written as text".to_string()),
    }
}

/// The slot number of a line that is a placeholder `indent` columns in and nothing else.
fn placeholder_line(line: &str, indent: usize) -> Option<usize> {
    let rest = line.get(indent..).filter(|_| line.bytes().take(indent).all(|byte| byte == b' '))?;
    let number = rest.strip_prefix(PLACEHOLDER)?.strip_prefix("!(")?.strip_suffix('\n')?.strip_suffix(");")?;
    if number.is_empty() || !number.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

/// A string literal as the token path prints it: `proc_macro2`'s escaping, which `prettyplease`
/// keeps as it is.
pub fn string_literal(text: &str) -> String {
    // Printable ASCII other than a quote or a backslash is written as it is; most text is only that.
    if text.bytes().all(|byte| matches!(byte, b' '..=b'~') && byte != b'"' && byte != b'\\') {
        let mut literal = String::with_capacity(text.len() + 2);
        literal.push('"');
        literal.push_str(text);
        literal.push('"');
        return literal;
    }
    Literal::string(text).to_string()
}

/// How a type is written where it is used, as `prettyplease` prints `types::ty_tokens`; `None` for a
/// type the user provides (a path of theirs, printed as `syn` reads it).
pub fn type_text(space: &TypeSpace, ty: &Ty) -> Option<String> {
    let mut out = String::new();
    write_type(space, ty, &mut out).then_some(out)
}

fn write_type(space: &TypeSpace, ty: &Ty, out: &mut String) -> bool {
    let wrapped = |out: &mut String, head: &str, inner: &Ty| {
        out.push_str(head);
        let written = write_type(space, inner, out);
        out.push('>');
        written
    };
    let provided = |format: &str| space.provided.formats.contains_key(format);
    match ty {
        Ty::Bool => out.push_str("bool"),
        Ty::Integer(kind) => out.push_str(match kind {
            IntKind::I8 => "i8",
            IntKind::I16 => "i16",
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
        }),
        Ty::Float(FloatKind::F32) => out.push_str("f32"),
        Ty::Float(FloatKind::F64) => out.push_str("f64"),
        Ty::String => out.push_str("String"),
        Ty::DateTime if !provided("date-time") => out.push_str("::oas_runtime::DateTime"),
        Ty::Date if !provided("date") => out.push_str("::oas_runtime::Date"),
        Ty::Uuid if !provided("uuid") => out.push_str("::oas_runtime::Uuid"),
        Ty::DateTime | Ty::Date | Ty::Uuid => return false,
        Ty::Bytes => out.push_str("::oas_runtime::Bytes"),
        Ty::Json => out.push_str("::serde_json::Value"),
        Ty::Vec(item) => return wrapped(out, "Vec<", item),
        Ty::Map(value) => return wrapped(out, "::std::collections::BTreeMap<String, ", value),
        Ty::Option(inner) => return wrapped(out, "Option<", inner),
        Ty::Boxed(inner) => return wrapped(out, "Box<", inner),
        Ty::Named(id) if space.provided.schemas.contains_key(id) => return false,
        Ty::Named(id) => out.push_str(&crate::naming::ident_text(&space.get(*id).name)),
    }
    true
}

/// `ty` as `prettyplease` lays it out where it starts at `column` of a line indented by `indent`
/// and is followed by `suffix` characters before the line's next place to break: whole when
/// that fits, else with its generic arguments on lines of their own, one level in, each laid out
/// the same way. (prettyplease sizes a group of arguments up to the next place to break after
/// it, so the text after the type counts up to there.) A path has nowhere to break and runs past
/// the margin. `None` as for [`type_text`].
pub fn write_type_at(space: &TypeSpace, ty: &Ty, indent: usize, column: usize, suffix: usize, out: &mut String) -> Option<()> {
    let flat = type_text(space, ty)?;
    if fits(column + flat.len() + suffix) {
        out.push_str(&flat);
        return Some(());
    }
    let (head, arguments): (&str, [Option<&Ty>; 2]) = match ty {
        Ty::Vec(item) => ("Vec<", [Some(item), None]),
        Ty::Map(value) => ("::std::collections::BTreeMap<", [Some(&Ty::String), Some(value)]),
        Ty::Option(inner) => ("Option<", [Some(inner), None]),
        Ty::Boxed(inner) => ("Box<", [Some(inner), None]),
        _ => {
            out.push_str(&flat);
            return Some(());
        }
    };
    out.push_str(head);
    out.push('\n');
    for argument in arguments.into_iter().flatten() {
        push_indent(out, indent + 4);
        // What follows an argument is its comma, part of the break after it, which does not count.
        write_type_at(space, argument, indent + 4, indent + 4, 0, out)?;
        out.push_str(",\n");
    }
    push_indent(out, indent);
    out.push('>');
    Some(())
}

/// A struct's field, `    pub name: Type,` and its newline, with the type laid out by
/// [`write_type_at`]; `None` as for [`type_text`].
pub fn field_line(space: &TypeSpace, name: &str, ty: &Ty) -> Option<String> {
    let mut line = format!("    pub {name}: ");
    let column = line.len();
    write_type_at(space, ty, 4, column, ",".len(), &mut line)?;
    line.push_str(",\n");
    Some(line)
}

/// Whether a line of `width` characters is one `prettyplease` keeps whole rather than breaks.
pub fn fits(width: usize) -> bool {
    width <= MARGIN
}

/// The first line of `{head} for {name} {`, a trait's impl, as `prettyplease` prints it: whole
/// when it fits, else broken before `for`, its only place to break, which starts the next line.
pub fn trait_impl_header(head: &str, name: &str) -> String {
    let line = format!("{head} for {name} {{");
    match fits(line.len()) {
        true => line,
        false => format!("{head}\nfor {name} {{"),
    }
}

/// Appends `line` at `indent` with its newline; `None` when it runs past the margin, where
/// prettyplease would have broken it in a way this does not write.
pub fn write_line(out: &mut String, indent: usize, line: &str) -> Option<()> {
    if indent + line.len() > MARGIN {
        return None;
    }
    push_indent(out, indent);
    out.push_str(line);
    out.push('\n');
    Some(())
}

/// Appends `line` at `indent` with its newline, however long: a path and the bracket that opens
/// after it, which prettyplease has nowhere to break.
pub fn write_unbreakable(out: &mut String, indent: usize, line: &str) {
    push_indent(out, indent);
    out.push_str(line);
    out.push('\n');
}

/// Appends `indent` spaces.
pub fn push_indent(out: &mut String, indent: usize) {
    // Copied from a run of blanks rather than pushed a character at a time: indents are most of
    // the characters a generated file's many short lines begin with.
    const BLANKS: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let taken = left.min(BLANKS.len());
        out.push_str(&BLANKS[..taken]);
        left -= taken;
    }
}

/// What [`type_text`] writes must stay what `types::ty_tokens` prints; the tests compare them.
#[cfg(test)]
pub(crate) fn printed_type(space: &TypeSpace, ty: &Ty) -> String {
    let tokens = super::types::ty_tokens(space, ty);
    let text = super::format_tokens(quote!(type T = #tokens;)).unwrap();
    text.strip_prefix("type T = ").and_then(|rest| rest.strip_suffix(";\n")).unwrap().to_string()
}

/// For the tests of every text path: what `emit` gives formatted from its tokens, what it gives
/// with its items written as text, and how many items were written.
#[cfg(test)]
pub(crate) fn both_paths(emit: impl Fn() -> TokenStream) -> (String, String, usize) {
    let built = super::format_tokens(emit()).unwrap();
    let (tokens, mut written) = collect(emit);
    let count = tokens.to_string().matches(PLACEHOLDER).count();
    let text = format_around(tokens, &mut written, super::format_tokens).unwrap();
    (built, fill(text, written).unwrap(), count)
}

/// [`both_paths`] as a part of a file is built: descriptions in doc slots too.
#[cfg(test)]
pub(crate) fn both_paths_with_docs(emit: impl Fn() -> TokenStream) -> (String, String, usize) {
    both_paths_at(0, emit)
}

/// [`both_paths_with_docs`] for items at `indent`: 0 for top-level items, 4 for members of an
/// `impl` block (formatted inside one, as the parts of a file are).
#[cfg(test)]
pub(crate) fn both_paths_at(indent: usize, emit: impl Fn() -> TokenStream) -> (String, String, usize) {
    let format: fn(TokenStream) -> Result<String, String> = match indent {
        0 => super::format_tokens,
        _ => super::parts::format_members,
    };
    let built = format(emit()).unwrap();
    let ((tokens, slots), mut written) = collect(|| super::doc_slots::collect(&emit));
    let count = tokens.to_string().matches(PLACEHOLDER).count();
    let text = format_around(tokens, &mut written, format).unwrap();
    let text = super::doc_slots::fill(&fill_at(text, written, indent).unwrap(), slots).unwrap();
    (built, text, count)
}

/// Lowers the document in `yaml`, compares both paths of `emit` for each of its operations (items
/// at `indent`, as for [`both_paths_at`]), and gives how many were written as text and how many
/// there are.
#[cfg(test)]
pub(crate) fn operations_both_paths(
    yaml: &str,
    indent: usize,
    emit: impl Fn(&crate::ir::Model, &crate::ir::Operation) -> TokenStream,
) -> (usize, usize) {
    let document = crate::load::load_str(yaml).unwrap();
    let (model, _) = crate::generate::lower_document(&document, &crate::generate::Options::default());
    let mut written = 0;
    for operation in &model.operations {
        let (built, text, count) = both_paths_at(indent, || emit(&model, operation));
        assert_eq!(built, text, "{}", operation.id);
        written += usize::from(count > 0);
    }
    (written, model.operations.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_escaped_as_the_token_path_escapes_them() {
        let mut texts: Vec<String> = (0u8..128).map(|byte| format!("a{}b", byte as char)).collect();
        texts.extend(["", "plain text", "it's", "\u{e9}t\u{e9}", "\u{85}", "\u{200b}", "\0", "\u{0}7", "tab\there"].map(String::from));
        for text in texts {
            assert_eq!(string_literal(&text), Literal::string(&text).to_string(), "{text:?}");
        }
    }

    #[test]
    fn placeholders_are_replaced_where_the_formatted_text_has_them() {
        let (tokens, written) = collect(|| {
            let first = hand_over(|| Some(vec!["struct A;\n".to_string()])).unwrap();
            quote!(const B: u8 = 1; #first)
        });
        let text = super::super::format_tokens(tokens).unwrap();
        assert_eq!(fill(text, written).unwrap(), "const B: u8 = 1;\nstruct A;\n");
    }

    /// Items A, C and E written as text around built ones; C after a `#[cfg]` that is its own.
    fn mixed_items() -> TokenStream {
        let a = hand_over(|| Some(vec!["pub type A = B;\n".to_string()])).unwrap();
        let c = hand_over(|| Some(vec!["pub type C = D;\n".to_string()])).unwrap();
        let e = hand_over(|| Some(vec!["/// E.\npub type E = F;\n".to_string()])).unwrap();
        quote! {
            #![allow(dead_code)]
            #a
            pub struct S { x: u8, y: Vec<String> }
            #[cfg(feature = "c")]
            #c
            #e
            fn f() -> u8 { 1 }
        }
    }

    #[test]
    fn items_put_in_around_the_formatted_runs_read_as_the_whole_formatted() {
        let (tokens, written) = collect(mixed_items);
        let whole = fill(super::super::format_tokens(tokens).unwrap(), written).unwrap();
        let (tokens, mut written) = collect(mixed_items);
        let around = format_around(tokens, &mut written, super::super::format_tokens).unwrap();
        let taken: Vec<bool> = written.0.iter().map(Option::is_none).collect();
        assert_eq!(taken, [false, false, true], "the items after inner attributes and under #[cfg] stay for fill");
        assert_eq!(fill(around, written).unwrap(), whole);
        assert!(whole.starts_with("#![allow(dead_code)]\npub type A = B;\npub struct S {"), "{whole}");
        assert!(whole.contains("#[cfg(feature = \"c\")]\npub type C = D;\n/// E.\npub type E = F;\nfn f()"), "{whole}");
    }

    #[test]
    fn outside_collect_nothing_is_handed_over() {
        assert!(hand_over(|| panic!("not called outside collect")).is_none());
    }

    #[test]
    fn a_lost_placeholder_and_a_lookalike_line_are_told_apart() {
        let (_, written) = collect(|| hand_over(|| Some(vec!["struct A;\n".to_string()])));
        let lookalike = "    __oas_written!(0);\n__oas_written!(7);\n".to_string();
        assert!(fill(lookalike, written).unwrap_err().contains("lost an item"));
    }
}
