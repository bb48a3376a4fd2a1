//! The Markdown pages: `README.md` and a page per operation and per model, or per tag and per
//! initial letter (see [`super::layout`]).
//!
//! Descriptions stay Markdown, because that is what the specification says they are, but raw
//! HTML, autolinks and link or image syntax outside code are neutralised, because many Markdown
//! renderers pass those through unfiltered. Everything else the generator writes is escaped to
//! show as it is.

use std::fmt::Write as _;

use super::blocks::{one_line, Block, Inline, Target};
use super::layout::{Layout, Page};
use super::pages::{DocsContext, RenderPage, GENERATED_NOTE, ITEMS_PER_PIECE};
use super::prose::{self, Span};
use super::slugs::{model_anchor, operation_anchor};

/// Where a Markdown page sits, for relative links.
#[derive(Debug, Clone, Copy)]
pub(super) enum Dir {
    /// `docs/`
    Root,
    /// `docs/operations/` or `docs/models/`
    Sub,
}

/// A page: the generated-file note, the way back to the index from a page in a folder, and
/// `blocks`.
pub(super) fn page(context: &DocsContext<'_>, blocks: &[Block], dir: Dir) -> String {
    let mut out = format!("<!-- {GENERATED_NOTE} -->\n\n");
    if let Dir::Sub = dir {
        out.push_str(&format!("[{}](../README.md)\n\n", plain_text(&context.title(), false)));
    }
    out.push_str(&render_blocks(context, blocks, dir));
    out
}

/// A page of several items: its title (and tag description), then the items' sections a few at a
/// time.
pub(super) fn grouped_page<'p, 'a>(
    context: &'p DocsContext<'a>,
    page: &'p Page,
    sections: for<'s> fn(&'s DocsContext<'a>, &[usize]) -> Vec<Block<'s>>,
) -> Vec<RenderPage<'p>> {
    let mut pieces: Vec<RenderPage<'_>> = vec![Box::new(move || self::page(context, &context.grouped_page_title(page), Dir::Sub))];
    for chunk in page.members.chunks(ITEMS_PER_PIECE) {
        pieces.push(Box::new(move || render_blocks(context, &sections(context, chunk), Dir::Sub)));
    }
    pieces
}

/// Blocks as Markdown, each followed by a blank line.
fn render_blocks(context: &DocsContext<'_>, blocks: &[Block], dir: Dir) -> String {
    let mut out = String::new();
    let markdown = Markdown { context, dir };
    for block in blocks {
        markdown.block(block, &mut out);
    }
    out
}

struct Markdown<'c, 'a> {
    context: &'c DocsContext<'a>,
    dir: Dir,
}

impl Markdown<'_, '_> {
    /// The link to `target`, appended to `out`.
    fn push_href(&self, target: Target, out: &mut String) {
        let up = match self.dir {
            Dir::Root => "",
            Dir::Sub => "../",
        };
        let _ = match target {
            Target::HtmlPage => write!(out, "{up}index.html"),
            Target::Operation(index) => {
                let slug = self.context.operation_slugs.get(index).map(String::as_str).unwrap_or("operation");
                match &self.context.layout {
                    Layout::PagePerItem => write!(out, "{up}operations/{slug}.md"),
                    Layout::Grouped(grouped) => {
                        let page = grouped.operation_page.get(index).and_then(|&page| grouped.operation_pages.get(page));
                        write!(out, "{up}operations/{}.md#{}", page.map_or("operations", |page| page.slug.as_str()), operation_anchor(slug))
                    }
                }
            }
            Target::Model(id) => {
                let slug = self.context.model_slugs.get(id.0).map(String::as_str).unwrap_or("Model");
                match &self.context.layout {
                    Layout::PagePerItem => write!(out, "{up}models/{slug}.md"),
                    Layout::Grouped(grouped) => {
                        let page = grouped.model_page.get(id.0).and_then(|&page| grouped.model_pages.get(page));
                        write!(out, "{up}models/{}.md#{}", page.map_or("other", |page| page.slug.as_str()), model_anchor(slug))
                    }
                }
            }
        };
    }

    fn block(&self, block: &Block, out: &mut String) {
        match block {
            Block::Heading(level, inlines) => {
                out.push_str(&"#".repeat((*level).clamp(1, 6)));
                out.push(' ');
                self.inlines(inlines, false, out);
                out.push_str("\n\n");
            }
            Block::Paragraph(inlines) => {
                self.inlines(inlines, false, out);
                out.push_str("\n\n");
            }
            Block::Prose(description) => write_prose(description, out),
            Block::Table { head, rows } => {
                out.push('|');
                for cell in head {
                    out.push(' ');
                    out.push_str(cell);
                    out.push_str(" |");
                }
                out.push_str("\n|");
                for _ in head {
                    out.push_str(" --- |");
                }
                out.push('\n');
                for row in rows {
                    out.push('|');
                    for cell in row {
                        out.push(' ');
                        self.inlines(cell, true, out);
                        out.push_str(" |");
                    }
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Code { language, text } => code_block(language, text, out),
            Block::List(items) => {
                for item in items {
                    out.push_str("- ");
                    self.inlines(item, false, out);
                    out.push('\n');
                }
                out.push('\n');
            }
            // Anchors are built from `[A-Za-z0-9_-]` only, so the tag needs no escaping.
            Block::Anchor(id) => {
                out.push_str("<a id=\"");
                out.push_str(id);
                out.push_str("\"></a>\n\n");
            }
        }
    }

    fn inlines(&self, inlines: &[Inline], in_table: bool, out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(value) => push_plain_text(value, in_table, out),
                Inline::Code(value) => push_code_span(value, in_table, out),
                Inline::Strong(inner) => {
                    out.push_str("**");
                    self.inlines(inner, in_table, out);
                    out.push_str("**");
                }
                Inline::Link(target, inner) => {
                    out.push('[');
                    self.inlines(inner, in_table, out);
                    out.push_str("](");
                    self.push_href(*target, out);
                    out.push(')');
                }
                Inline::Prose(description) => escape_line(&one_line(description), in_table, out),
                Inline::Method(method) => {
                    out.push_str("**");
                    push_plain_text(&method.to_uppercase(), in_table, out);
                    out.push_str("**");
                }
                Inline::Path(path) => push_code_span(path, in_table, out),
            }
        }
    }
}

/// Plain text that Markdown must show as it is: punctuation that could start markup is
/// backslash-escaped, and line breaks become spaces (every use is one line).
fn plain_text(value: &str, in_table: bool) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    push_plain_text(value, in_table, &mut out);
    out
}

/// [`plain_text`], appended to `out`.
fn push_plain_text(value: &str, in_table: bool, out: &mut String) {
    // Most names hold nothing to escape; they are copied whole.
    let special = |byte: u8| matches!(byte, b'<' | b'>' | b'&' | b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'~' | b'#' | b'!' | b'|');
    if value.bytes().all(|byte| (b' '..=b'~').contains(&byte) && !special(byte)) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            // Entities rather than backslashes for these, so the file holds no raw `<` at all.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '|' if in_table => out.push_str("\\|"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// A code span holding `value` literally, appended to `out`: the fence is longer than any
/// backtick run inside.
fn push_code_span(value: &str, in_table: bool, out: &mut String) {
    let value: std::borrow::Cow<'_, str> = match value.bytes().all(|byte| (b' '..=b'~').contains(&byte)) {
        // Printable ASCII has nothing to replace or drop.
        true => value.into(),
        false => {
            value.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }).filter(|c| !c.is_control()).collect::<String>().into()
        }
    };
    if value.is_empty() {
        out.push_str("(empty)");
        return;
    }
    let fence = longest_run(&value, b'`') + 1;
    let pad = if value.starts_with('`') || value.ends_with('`') || (value.starts_with(' ') && value.ends_with(' ')) { " " } else { "" };
    out.extend(std::iter::repeat_n('`', fence));
    out.push_str(pad);
    match in_table {
        // GFM splits table cells at every unescaped pipe, code spans included.
        true => {
            for (index, piece) in value.split('|').enumerate() {
                if index > 0 {
                    out.push_str("\\|");
                }
                out.push_str(piece);
            }
        }
        false => out.push_str(&value),
    }
    out.push_str(pad);
    out.extend(std::iter::repeat_n('`', fence));
}

/// The longest run of the ASCII character `wanted` (no byte of another character equals it).
fn longest_run(text: &str, wanted: u8) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for byte in text.bytes() {
        if byte == wanted {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// A fenced code block that nothing inside can close early.
fn code_block(language: &str, text: &str, out: &mut String) {
    let fence = "`".repeat(longest_run(text, b'`').max(2) + 1);
    out.push_str(&fence);
    out.push_str(language);
    out.push('\n');
    for line in text.lines() {
        push_without_controls(line, out);
        out.push('\n');
    }
    out.push_str(&fence);
    out.push_str("\n\n");
}

/// `line` without its control characters but tabs, appended to `out`. The C1 controls (U+0080 to
/// U+009F) are the two bytes `0xC2 0x80..=0x9F` in UTF-8, so a line without a `0xC2` byte has
/// none and is copied whole.
fn push_without_controls(line: &str, out: &mut String) {
    let control = |byte: &u8| (*byte < 0x20 && *byte != b'\t') || *byte == 0x7f || *byte == 0xc2;
    match line.as_bytes().iter().any(control) {
        true => out.extend(line.chars().filter(|c| !c.is_control() || *c == '\t')),
        false => out.push_str(line),
    }
}

/// A description as Markdown. Fenced code is re-fenced by us at the start of a line, after a
/// blank line, so every renderer sees it as the same literal block (and an unclosed fence cannot
/// swallow the rest of the page); everything else goes through [`escape_line`].
fn write_prose(description: &str, out: &mut String) {
    let description = description.trim_end().trim_start_matches(['\n', '\r']);
    for block in prose::parse(description) {
        match block {
            prose::Block::Paragraph(lines) => {
                for line in lines {
                    escape_line(line, false, out);
                    out.push('\n');
                }
            }
            prose::Block::Blank(line) => {
                escape_line(line, false, out);
                out.push('\n');
            }
            prose::Block::Code(code) => {
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                let language: String = code.info.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.')).collect();
                code_block(&language, &code.code().collect::<Vec<_>>().join("\n"), out);
            }
        }
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Text of a description line outside code, appended to `out`: see [`escape_line`].
fn push_line_text(text: &str, in_table: bool, out: &mut String) {
    // Runs of characters that stay are copied whole; every character that changes is ASCII or a
    // C1 control (two bytes, the first 0xC2).
    let bytes = text.as_bytes();
    let (mut copied, mut index) = (0, 0);
    while index < bytes.len() {
        let byte = bytes[index];
        let (replacement, width) = match byte {
            b'<' => ("&lt;", 1),
            b'[' => ("\\[", 1),
            b'|' if in_table => ("\\|", 1),
            b'\t' => (" ", 1),
            0..0x20 | 0x7f => ("", 1),
            0xc2 if matches!(bytes.get(index + 1), Some(0x80..=0x9f)) => ("", 2),
            _ => {
                index += 1;
                continue;
            }
        };
        out.push_str(&text[copied..index]);
        out.push_str(replacement);
        index += width;
        copied = index;
    }
    out.push_str(&text[copied..]);
}

/// One line of a description: kept as Markdown, except that raw HTML, autolinks (`<`) and links,
/// images and reference definitions (`[`) are escaped, because a Markdown renderer may pass them
/// through unfiltered. Code spans are copied as they are (their content is literal to every
/// renderer) unless they hold a pipe, which GFM tables split on even inside code.
fn escape_line(line: &str, in_table: bool, out: &mut String) {
    for span in prose::spans(line, |content| !content.contains('|')) {
        match span {
            Span::Escaped(c) => {
                out.push('\\');
                out.push(c);
            }
            Span::Code { fence, content } => {
                out.push_str(fence);
                out.extend(content.chars().filter(|c| !c.is_control()));
                out.push_str(fence);
            }
            Span::Text(text) => push_line_text(text, in_table, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped_line(line: &str, in_table: bool) -> String {
        let mut out = String::new();
        escape_line(line, in_table, &mut out);
        out
    }

    #[test]
    fn markdown_lines_neutralise_html_and_links_outside_code() {
        assert_eq!(escaped_line("<script>alert(1)</script>", false), "&lt;script>alert(1)&lt;/script>");
        assert_eq!(escaped_line("[x](javascript:alert(1)) ![i](http://t/x.png)", false), "\\[x](javascript:alert(1)) !\\[i](http://t/x.png)");
        assert_eq!(escaped_line("keep `<b>` literal", false), "keep `<b>` literal");
        // An escaped backtick opens no code span, so what follows is escaped.
        assert_eq!(escaped_line("\\`<b>`", false), "\\`&lt;b>`");
        // GFM splits table cells inside code spans too, so a span with a pipe is not trusted.
        assert_eq!(escaped_line("`a|<b>` x|y", true), "`a\\|&lt;b>` x\\|y");
        assert_eq!(escaped_line("``two ` ticks <i>`` <i>", false), "``two ` ticks <i>`` &lt;i>");
    }

    #[test]
    fn line_text_escapes_as_character_by_character() {
        let mut sample: String = (0u32..0x200).filter_map(char::from_u32).collect();
        sample.push_str("caf\u{e9} \u{1f600} <a>[b]|c\u{85}\u{a0}");
        for in_table in [false, true] {
            let mut expected = String::new();
            for c in sample.chars() {
                match c {
                    '<' => expected.push_str("&lt;"),
                    '[' => expected.push_str("\\["),
                    '|' if in_table => expected.push_str("\\|"),
                    '\t' => expected.push(' '),
                    c if c.is_control() => {}
                    c => expected.push(c),
                }
            }
            let mut out = String::new();
            push_line_text(&sample, in_table, &mut out);
            assert_eq!(out, expected);
            let mut kept = String::new();
            push_without_controls(&sample, &mut kept);
            assert_eq!(kept, sample.chars().filter(|c| !c.is_control() || *c == '\t').collect::<String>());
        }
    }

    #[test]
    fn markdown_fences_are_refenced_and_closed() {
        let mut out = String::new();
        write_prose("Intro\n  ```js\n  a < b\n  ````\n<b>\n```\nunclosed <i>", &mut out);
        assert_eq!(out, "Intro\n\n```js\na < b\n```\n\n&lt;b>\n\n```\nunclosed <i>\n```\n\n");
        // A backtick fence whose info string holds a backtick is not a fence in CommonMark.
        let mut out = String::new();
        write_prose("```a`b\n<script>", &mut out);
        assert!(out.contains("&lt;script>"), "{out}");
    }

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        let code_span = |value: &str, in_table: bool| {
            let mut out = String::new();
            push_code_span(value, in_table, &mut out);
            out
        };
        assert_eq!(code_span("a`b", false), "``a`b``");
        assert_eq!(code_span("`a", false), "`` `a ``");
        assert_eq!(code_span("a|b", true), "`a\\|b`");
        assert_eq!(code_span("a||b\u{7}|", true), "`a\\|\\|b\\|`");
        assert_eq!(code_span("", false), "(empty)");
    }
}
