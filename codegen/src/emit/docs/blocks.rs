//! What the pages say, as the renderers receive it: headings, paragraphs, tables, lists and code
//! made of inline pieces, and links to abstract targets that each renderer turns into its own
//! kind of reference (a relative file in Markdown, an anchor on the HTML page).
//!
//! Nothing here is escaped or formatted: text from the document stays as it is until a renderer
//! writes it, so that all escaping happens in one place per format.

use crate::ir::TypeId;

/// Where a link leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// The single-page reference (`index.html`).
    HtmlPage,
    Operation(usize),
    Model(TypeId),
}

/// A piece of a line.
#[derive(Debug, Clone)]
pub(super) enum Inline {
    /// Plain text from anywhere (never interpreted as markup).
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Link(Target, Vec<Inline>),
    /// A description (CommonMark in the document) shown on one line, as in a table cell.
    Prose(String),
    /// An HTTP method, styled as a badge on the HTML page.
    Method(String),
    /// A URL path template: code that may wrap after each `/` on the HTML page.
    Path(String),
}

/// A block of a page.
#[derive(Debug, Clone)]
pub(super) enum Block {
    /// Level 1 is a page title.
    Heading(usize, Vec<Inline>),
    Paragraph(Vec<Inline>),
    /// A description from the document, possibly several paragraphs of CommonMark.
    Prose(String),
    Table {
        head: Vec<&'static str>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Code {
        language: &'static str,
        text: String,
    },
    List(Vec<Vec<Inline>>),
    /// A link target inside a page that documents several items.
    Anchor(String),
}

pub(super) fn text(value: impl Into<String>) -> Inline {
    Inline::Text(value.into())
}

pub(super) fn code(value: impl Into<String>) -> Inline {
    Inline::Code(value.into())
}

pub(super) fn strong(value: impl Into<String>) -> Inline {
    Inline::Strong(vec![text(value)])
}

/// Appends `inline` after a space when `inlines` already holds something.
pub(super) fn push_separated(inlines: &mut Vec<Inline>, inline: Inline) {
    if !inlines.is_empty() {
        inlines.push(text(" "));
    }
    inlines.push(inline);
}

/// A page's blocks as a section of a larger page: every heading one level down.
pub(super) fn shifted(blocks: Vec<Block>) -> impl Iterator<Item = Block> {
    blocks.into_iter().map(|block| match block {
        Block::Heading(level, inlines) => Block::Heading(level + 1, inlines),
        other => other,
    })
}
