//! Descriptions from a document made safe for doc comments.
//!
//! A description is data: it must not become a doctest, trip rustdoc's lints, or change the
//! program. Doc comments are emitted as `#[doc = "..."]` string literals, so the text cannot end
//! the comment; what is left is what rustdoc does with Markdown. Which lines are code is read by
//! the same parse as the reference pages use (`emit::docs::prose`), so a description is
//! a code block in both or in neither.

use std::borrow::Cow;

use crate::emit::docs::prose::{self, Block, CodeBlock, Fence};

/// Turns a description into doc-comment lines (each to be emitted as its own `#[doc]`).
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    // The content indent of the list item being continued, so that its lazy continuation lines
    // are indented as Markdown reads them anyway (clippy's `doc_lazy_continuation` wants that).
    let mut list_indent: Option<usize> = None;
    for block in prose::parse(text) {
        match block {
            Block::Paragraph(paragraph) => {
                for line in paragraph {
                    text_line(line, &mut list_indent, &mut lines);
                }
            }
            Block::Blank(line) => text_line(line, &mut list_indent, &mut lines),
            Block::Code(code) => {
                // Every code block is marked as plain text so rustdoc never compiles it as a doctest.
                let fence = fence_for(&code);
                lines.push(format!(" {fence}text"));
                // Inside a fence the text is shown verbatim; rustdoc only parses the opening line.
                lines.extend(code.lines.iter().map(|line| format!(" {}", plain(line).trim_end())));
                lines.push(format!(" {fence}"));
            }
        }
    }
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|line| line.trim().is_empty()) {
        lines.remove(0);
    }
    lines
}

/// One line of text outside code. It loses its indent, because indented lines would be indented
/// code blocks, which rustdoc also runs as doctests.
fn text_line(line: &str, list_indent: &mut Option<usize>, lines: &mut Vec<String>) {
    let plain = plain(line);
    let (text, fence) = no_code_start(plain.trim());
    let indent = if text.is_empty() {
        *list_indent = None;
        0
    } else if let Some(item) = prose::list_item(&text) {
        *list_indent = Some(item.content);
        0
    } else {
        list_indent.unwrap_or(0)
    };
    let mut written = String::with_capacity(1 + indent + text.len());
    written.push(' ');
    written.extend(std::iter::repeat_n(' ', indent));
    let start = written.len();
    push_escaped_inline(&text, &mut written);
    if let Some(fence) = fence {
        // Escaping leaves list markers as they are, so the fence is still where it was.
        written.insert(start + fence, '\\');
    }
    lines.push(written);
}

/// A line of text (without its indent) that cannot start code where rustdoc reads it: at the start
/// of the line or of a list item's text (`- `, `1. `, nested too), spaces beyond those that make
/// the item, which would be indented code, are left out, and where a fence would open there (it
/// is not one where the document has it: too far indented, behind a list marker, or made only
/// by dropping invisible characters) the position of its first character is returned, to be
/// escaped.
fn no_code_start(line: &str) -> (Cow<'_, str>, Option<usize>) {
    if prose::list_item(line).is_none() {
        return (Cow::Borrowed(line), prose::opens_fence(line).then_some(0));
    }
    let mut text = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(item) = prose::list_item(rest) {
        text.push_str(&rest[..item.content]);
        rest = rest[item.content..].trim_start_matches(' ');
    }
    let fence = prose::opens_fence(rest).then_some(text.len());
    text.push_str(rest);
    (Cow::Owned(text), fence)
}

/// A line without the characters a comment should not hold: invisible ones are dropped, other
/// controls become spaces, tabs four spaces.
fn plain(line: &str) -> Cow<'_, str> {
    // Printable ASCII has nothing invisible, no controls and no tabs.
    if line.bytes().all(|byte| (b' '..=b'~').contains(&byte)) {
        return Cow::Borrowed(line);
    }
    let line: String = line.chars().filter(|&c| !is_invisible(c)).map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect();
    Cow::Owned(line.replace('\t', "    "))
}

/// The fence to write around a code block: its own, or a longer one when a line of the block,
/// written as [`plain`] makes it, would close that early.
fn fence_for(code: &CodeBlock<'_>) -> String {
    let fence = code.fence;
    let closing = code.lines.iter().map(|line| plain(line)).filter(|line| fence.is_closed_by(line));
    let length = closing.map(|line| line.trim_start().chars().take_while(|&c| c == fence.marker).count() + 1).fold(fence.length, usize::max);
    Fence { length, ..fence }.to_text()
}

/// Characters that render as nothing or reorder text (Trojan Source); rustc denies the latter
/// in comments.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// Escapes the Markdown that rustdoc would read as links or HTML, and wraps bare URLs so the
/// `rustdoc::bare_urls` lint stays quiet.
///
/// `out` must hold only spaces before it (the line's indent), which the rule for `#` looks
/// through.
fn push_escaped_inline(line: &str, out: &mut String) {
    // Most lines hold nothing to escape and no URL; they are copied whole.
    if !line.bytes().any(|byte| matches!(byte, b'[' | b']' | b'<' | b'>' | b'&' | b'\\' | b'#')) && !line.contains("http") {
        out.push_str(line);
        return;
    }
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(url_length) = url_at(rest) {
            let url = &rest[..url_length];
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url_length..];
            continue;
        }
        let c = rest.chars().next().expect("rest is not empty");
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' => out.push_str("\\\\"),
            '#' if out.trim().is_empty() => out.push_str("\\#"),
            '`' => out.push('`'),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

fn url_at(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let length = text.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '(' | ')')).unwrap_or(text.len());
    let url = text[..length].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    (url.len() > "https://".len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        assert_eq!(doc_lines(input), expected, "doc lines for {input:?}");
    }

    #[test]
    fn plain_text_gets_a_leading_space() {
        check("Returns a workflow.", &[" Returns a workflow."]);
    }

    #[test]
    fn fences_become_text_blocks() {
        check("Example:\n```\nfn main() {}\n```", &[" Example:", " ```text", " fn main() {}", " ```"]);
        check("```rust\nlet x = 1;", &[" ```text", " let x = 1;", " ```"]);
    }

    #[test]
    fn indentation_cannot_make_a_code_block() {
        check("Text\n\n    fn main() {}", &[" Text", " ", " fn main() {}"]);
        // A fence indented by four is text, and stays text once the indent is gone.
        check("Text\n    ```rust\n    fn main() {}\n    ```", &[" Text", " \\```rust", " fn main() {}", " \\```"]);
    }

    #[test]
    fn fences_follow_commonmark() {
        // A backtick fence's info string may not hold a backtick.
        check("```rust`x` is text\nfn main() {}", &[" ```rust`x` is text", " fn main() {}"]);
        // A closing fence is at least as long as the opening one and has nothing after it.
        check("````\n```\n```` not yet\n````", &[" ````text", " ```", " ```` not yet", " ````"]);
    }

    #[test]
    fn a_list_item_cannot_start_code() {
        check("- ```rust\npanic!();", &[" - \\```rust", "   panic!();"]);
        check("1.      panic!();", &[" 1. panic!();"]);
        check("- 1.      ~~~rust", &[" - 1. \\~~~rust"]);
        check("- - item", &[" - - item"]);
    }

    #[test]
    fn invisible_characters_cannot_open_or_close_a_fence() {
        check("\u{200B}```rust\nfn main() {}", &[" \\```rust", " fn main() {}"]);
        // Without the invisible character the second line would close the block, and the third
        // would be an indented code block: a doctest. The block's fence is made longer instead.
        check("```\n\u{200B}```\n    fn main() {}\n```", &[" ````text", " ```", "     fn main() {}", " ````"]);
    }

    #[test]
    fn links_and_html_are_escaped() {
        check("See [Foo] and <b>bold</b>", &[" See \\[Foo\\] and &lt;b&gt;bold&lt;/b&gt;"]);
        check("Docs at https://example.com/x.", &[" Docs at <https://example.com/x>."]);
    }

    #[test]
    fn list_items_continue_indented() {
        check("- item one\ncontinued\n\nafter", &[" - item one", "   continued", " ", " after"]);
        check("10. ten\nmore", &[" 10. ten", "     more"]);
        check("*  wide\nmore", &[" *  wide", "    more"]);
        // A continued line's indent is not text, so a `#` after it is escaped as at a line's start.
        check("- item\n# not a heading", &[" - item", "   \\# not a heading"]);
    }

    #[test]
    fn invisible_and_bidi_characters_are_dropped() {
        check("a\u{200B}b\u{202E}c", &[" abc"]);
    }

    #[test]
    fn comment_terminators_and_controls_are_plain_text() {
        check("ends */ here \u{0}", &[" ends */ here"]);
        check("# Heading", &[" \\# Heading"]);
    }
}
