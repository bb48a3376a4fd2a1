//! Markdown and HTML reference documentation for a document.
//!
//! Both formats are rendered from one description of the pages ([`pages`] builds it from the
//! model, in the vocabulary of [`blocks`]: blocks of inlines with abstract link targets), so the
//! Markdown files and the single HTML page cannot drift apart, and all escaping lives in the two
//! renderers, [`markdown`] and [`html`]. Descriptions, which are CommonMark, are read once by
//! [`prose`], for both renderers and for the doc comments of the generated code, so that all three
//! agree on which text is code.
//!
//! Everything taken from the document is data: the HTML page lets none of its markup through,
//! and the Markdown pages neutralise what a Markdown renderer could turn into HTML or a link.
//! File names and anchors ([`slugs`]) are built only from `[A-Za-z0-9_-]` and made unique
//! ignoring case; which page documents which item is [`layout`]'s choice.

mod blocks;
mod html;
mod layout;
mod markdown;
mod pages;
pub(crate) mod prose;
mod slugs;
mod streams;

use crate::ir::Model;
use crate::output::FileSet;

use layout::Layout;
use markdown::Dir;
pub(crate) use pages::{DocsContext, DocsIndex, RenderPage};
pub use slugs::{model_anchor, model_slugs, operation_anchor, operation_slugs};

/// Every documentation file for the document, under `docs/`. Numbers in examples are written as
/// their doubles; a generated crate's pages write those the document has the text of as written.
pub fn docs_files(model: &Model) -> FileSet {
    let numbers = crate::number_texts::NumberTexts::default();
    let context = DocsContext::new(model, &numbers);
    pages(&context).into_iter().map(|(path, pieces)| (path, finish_page(pieces.into_iter().map(|render| render()).collect()))).collect()
}

/// Every page, by path, with the functions that render it, so that the pages can be rendered on
/// any thread and in any order. Long pages come in several pieces, each rendered on its own; a
/// page is its pieces concatenated and passed through [`finish_page`].
pub(crate) fn pages<'c>(context: &'c DocsContext<'_>) -> Vec<(String, Vec<RenderPage<'c>>)> {
    let mut pages: Vec<(String, Vec<RenderPage<'c>>)> = Vec::new();
    pages.push(("docs/README.md".into(), vec![Box::new(|| markdown::page(context, &context.index_page(), Dir::Root))]));
    match &context.layout {
        Layout::PagePerItem => {
            for index in 0..context.model.operations.len() {
                let path = format!("docs/operations/{}.md", context.operation_slugs[index]);
                pages.push((path, vec![Box::new(move || markdown::page(context, &context.operation_page(index), Dir::Sub))]));
            }
            for id in context.model.space.ids() {
                let path = format!("docs/models/{}.md", context.model_slugs[id.0]);
                pages.push((path, vec![Box::new(move || markdown::page(context, &context.model_page(id), Dir::Sub))]));
            }
        }
        Layout::Grouped(grouped) => {
            for page in &grouped.operation_pages {
                let path = format!("docs/operations/{}.md", page.slug);
                pages.push((path, markdown::grouped_page(context, page, DocsContext::grouped_operation_sections)));
            }
            for page in &grouped.model_pages {
                let path = format!("docs/models/{}.md", page.slug);
                pages.push((path, markdown::grouped_page(context, page, DocsContext::grouped_model_sections)));
            }
        }
    }
    pages.push(("docs/index.html".into(), html::page_pieces(context)));
    pages
}

/// A page from its pieces: one newline at the end, whatever the last piece left.
pub(crate) fn finish_page(mut text: String) -> String {
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text.push('\n');
    text
}
