//! What the pages say, as the renderers receive it: headings, paragraphs, tables, lists and code
//! made of inline pieces, and links to abstract targets that each renderer turns into its own
//! kind of reference (a relative file in Markdown, an anchor on the HTML page).
//!
//! Nothing here is escaped or formatted: text from the document stays as it is until a renderer
//! writes it, so that all escaping happens in one place per format.

use std::borrow::Cow;

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
pub(super) enum Inline<'a> {
    /// Plain text from anywhere (never interpreted as markup).
    Text(Cow<'a, str>),
    Code(Cow<'a, str>),
    Strong(Vec<Inline<'a>>),
    Link(Target, Vec<Inline<'a>>),
    /// A description (CommonMark in the document) shown on one line, as in a table cell.
    Prose(Cow<'a, str>),
    /// An HTTP method, styled as a badge on the HTML page.
    Method(&'a str),
    /// A URL path template: code that may wrap after each `/` on the HTML page.
    Path(&'a str),
}

/// A block of a page.
#[derive(Debug, Clone)]
pub(super) enum Block<'a> {
    /// Level 1 is a page title.
    Heading(usize, Vec<Inline<'a>>),
    Paragraph(Vec<Inline<'a>>),
    /// A description from the document, possibly several paragraphs of CommonMark.
    Prose(&'a str),
    Table {
        head: Vec<&'static str>,
        rows: Vec<Vec<Vec<Inline<'a>>>>,
    },
    Code {
        language: &'static str,
        text: Cow<'a, str>,
    },
    List(Vec<Vec<Inline<'a>>>),
    /// A link target inside a page that documents several items.
    Anchor(String),
}

pub(super) fn text<'a>(value: impl Into<Cow<'a, str>>) -> Inline<'a> {
    Inline::Text(value.into())
}

pub(super) fn code<'a>(value: impl Into<Cow<'a, str>>) -> Inline<'a> {
    Inline::Code(value.into())
}

pub(super) fn strong<'a>(value: impl Into<Cow<'a, str>>) -> Inline<'a> {
    Inline::Strong(vec![text(value)])
}

/// Appends `inline` after a space when `inlines` already holds something.
pub(super) fn push_separated<'a>(inlines: &mut Vec<Inline<'a>>, inline: Inline<'a>) {
    if !inlines.is_empty() {
        inlines.push(text(" "));
    }
    inlines.push(inline);
}

/// A page's blocks as a section of a larger page: every heading one level down.
pub(super) fn shifted(blocks: Vec<Block<'_>>) -> impl Iterator<Item = Block<'_>> {
    blocks.into_iter().map(|block| match block {
        Block::Heading(level, inlines) => Block::Heading(level + 1, inlines),
        other => other,
    })
}

/// `text` on one line: its words joined by single spaces. Most one-line descriptions already are,
/// and are borrowed as they are.
pub(super) fn one_line(text: &str) -> Cow<'_, str> {
    if is_one_line(text) {
        return Cow::Borrowed(text);
    }
    let mut flat = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !flat.is_empty() {
            flat.push(' ');
        }
        flat.push_str(word);
    }
    Cow::Owned(flat)
}

/// Whether `text` is ASCII words separated by single spaces. Text with other characters is
/// rebuilt, since Unicode has spaces of its own.
fn is_one_line(text: &str) -> bool {
    let mut previous = b' ';
    for &byte in text.as_bytes() {
        match byte {
            b' ' if previous == b' ' => return false,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => return false,
            0x80.. => return false,
            _ => previous = byte,
        }
    }
    previous != b' ' || text.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_joins_words_with_single_spaces() {
        let samples = [
            "",
            " ",
            "one",
            "one two",
            "one  two",
            " one",
            "one ",
            "one\ntwo",
            "one\ttwo\r\n",
            "caf\u{e9} au lait",
            "no\u{a0}break",
            "ideographic\u{3000}space",
            "line\u{2028}separator",
            "vertical\u{b}tab",
        ];
        for sample in samples {
            let expected = sample.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(one_line(sample), expected, "{sample:?}");
        }
        assert!(matches!(one_line("already one line"), Cow::Borrowed(_)));
    }
}
