//! Descriptions from a document made safe for doc comments.
//!
//! A description is data: it must not become a doctest, trip rustdoc's lints, or change the
//! program. Doc comments are emitted as `#[doc = "..."]` string literals, so the text cannot end
//! the comment; what is left is what rustdoc does with Markdown.

/// Turns a description into doc-comment lines (each to be emitted as its own `#[doc]`).
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_fence: Option<String> = None;
    // The content indent of the list item being continued, so that its lazy continuation lines
    // are indented as Markdown reads them anyway (clippy's `doc_lazy_continuation` wants that).
    let mut list_indent: Option<usize> = None;
    for raw in text.lines() {
        let line: String = raw.chars().filter(|&c| !is_invisible(c)).map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect();
        let line = line.replace('\t', "    ");
        let trimmed = line.trim_start();
        if let Some(fence) = &in_fence {
            if trimmed.starts_with(fence.as_str()) && trimmed.trim_end().chars().all(|c| c == fence.chars().next().unwrap_or('`')) {
                lines.push(format!(" {fence}"));
                in_fence = None;
            } else {
                // Inside a fence the text is shown verbatim; rustdoc only parses the opening line.
                lines.push(format!(" {}", line.trim_end()));
            }
            continue;
        }
        if let Some(fence) = fence_marker(trimmed) {
            // Every code block is marked as plain text so rustdoc never compiles it as a doctest.
            lines.push(format!(" {fence}text"));
            in_fence = Some(fence);
            continue;
        }
        // Indented lines would be indented code blocks, which rustdoc also runs as doctests.
        let content = escape_inline(trimmed.trim_end());
        if content.is_empty() {
            list_indent = None;
        } else if let Some(marker) = list_marker_width(trimmed) {
            list_indent = Some(marker);
        } else if let Some(indent) = list_indent {
            lines.push(format!(" {}{content}", " ".repeat(indent)));
            continue;
        }
        lines.push(format!(" {content}"));
    }
    if let Some(fence) = in_fence {
        lines.push(format!(" {fence}"));
    }
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|line| line.trim().is_empty()) {
        lines.remove(0);
    }
    lines
}

/// Characters that render as nothing or reorder text (Trojan Source); rustc denies the latter
/// in comments.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// Where a list item's content starts (`- `, `*  `, `12. `), if the line starts an item: the
/// marker plus the one to four spaces after it.
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let rest = &line[digits..];
        if digits == 0 || digits > 9 || !(rest.starts_with('.') || rest.starts_with(')')) {
            return None;
        }
        digits + 1
    };
    let spaces = line[marker..].chars().take_while(|&c| c == ' ').count();
    (1..=4).contains(&spaces).then_some(marker + spaces)
}

fn fence_marker(line: &str) -> Option<String> {
    for marker in ['`', '~'] {
        let count = line.chars().take_while(|&c| c == marker).count();
        if count >= 3 {
            return Some(std::iter::repeat_n(marker, count).collect());
        }
    }
    None
}

/// Escapes the Markdown that rustdoc would read as links or HTML, and wraps bare URLs so the
/// `rustdoc::bare_urls` lint stays quiet.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
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
    out
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
