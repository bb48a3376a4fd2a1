//! Rust source files built from parts that are emitted and formatted one by one.
//!
//! `prettyplease` formats each top-level item, and each member of an `impl` block, without looking
//! at its neighbours, so a file formatted in pieces reads exactly as if it had been formatted
//! whole. Pieces let the work spread over every core and keep only one piece's syntax tree in
//! memory at a time: for GitHub's document the whole `types.rs` is a 9 MB file whose token tree
//! alone takes hundreds of megabytes.

use proc_macro2::TokenStream;
use quote::quote;

use super::parallel::Job;
use super::{doc_slots, format_tokens, separate_part, written_items, ItemSeparator, SeparatedPart};

/// Builds the tokens of one part; called once, on whichever thread formats the part.
pub type Build<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

pub enum Part<'a> {
    /// Top-level items; the first part of a file may also carry its inner docs and attributes.
    Items(Build<'a>),
    /// Top-level items, the last of which is an `impl` block that the following [`Part::Members`]
    /// continue and a [`Part::Text`] closes.
    OpenImpl(Build<'a>),
    /// Members (methods) of the `impl` block left open before them.
    Members(Build<'a>),
    /// Text taken as it is.
    Text(String),
    /// Text written directly rather than formatted from tokens (see `data_text`), on whichever
    /// thread takes the part.
    Written(Box<dyn FnOnce() -> String + Send + 'a>),
}

/// How many items go into one part: enough that the overhead of a part is negligible, few enough
/// that the last parts to finish leave no core idle for long.
pub const ITEMS_PER_PART: usize = 24;

/// Splits `0..count` into the index ranges of the parts.
pub fn chunks(count: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..count).step_by(ITEMS_PER_PART).map(move |start| start..(start + ITEMS_PER_PART).min(count))
}

/// The jobs that format each part and separate its items, in order; [`assemble`] puts their
/// results together.
pub fn format_jobs<'a>(parts: Vec<Part<'a>>) -> Vec<Job<'a, Result<SeparatedPart, String>>> {
    parts
        .into_iter()
        .map(|part| -> Job<'a, Result<SeparatedPart, String>> {
            let format = format_job(part);
            Box::new(move || format().map(|text| separate_part(&text)))
        })
        .collect()
}

/// The job that formats one part.
fn format_job<'a>(part: Part<'a>) -> Job<'a, Result<String, String>> {
    match part {
        Part::Items(build) => Box::new(move || {
            let ((tokens, slots), mut written) = written_items::collect(|| doc_slots::collect(build));
            let text = written_items::format_around(tokens, &mut written, format_tokens)?;
            doc_slots::fill(&written_items::fill(text, written)?, slots)
        }),
        Part::OpenImpl(build) => Box::new(move || {
            let (tokens, slots) = doc_slots::collect(build);
            let text = format_tokens(tokens)?;
            let open = text.strip_suffix("}\n").ok_or_else(|| "internal error: an open part does not end with an impl block".to_string())?;
            doc_slots::fill(open, slots)
        }),
        Part::Members(build) => Box::new(move || {
            let ((members, slots), mut written) = written_items::collect(|| doc_slots::collect(build));
            let body = written_items::format_around(members, &mut written, format_members)?;
            doc_slots::fill(&written_items::fill_at(body, written, 4)?, slots)
        }),
        Part::Text(text) => Box::new(move || Ok(text)),
        Part::Written(write) => Box::new(move || Ok(write())),
    }
}

/// Members of an `impl` block as `prettyplease` prints them inside it (one indent in).
pub fn format_members(members: TokenStream) -> Result<String, String> {
    let text = format_tokens(quote!(impl Members { #members }))?;
    let body = text.strip_prefix("impl Members {\n").and_then(|body| body.strip_suffix("}\n"));
    body.map(str::to_string).ok_or_else(|| "internal error: formatted members are not an impl block".to_string())
}

/// The formatted parts of one file as one text, with the blank lines between top-level items
/// that [`super::format_file`] gives a file formatted whole.
pub fn assemble(parts: Vec<SeparatedPart>) -> String {
    // Each part's blank lines are in already; at most one more goes between two parts.
    let length: usize = parts.iter().map(|part| part.text.len() + 1).sum();
    let mut separator = ItemSeparator::new(String::with_capacity(length));
    // Each part is dropped as soon as it is copied, so the file is not held twice.
    for part in parts {
        separator.push_part(part);
    }
    separator.finish()
}
