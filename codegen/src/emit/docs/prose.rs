//! Descriptions read once, for every place that shows them.
//!
//! A description is CommonMark. The Markdown pages, the HTML page and the doc comments of the
//! generated code (`crate::doc_text`) each show it their own way, escaping what their readers
//! could take for markup, but they must agree on what it says: which lines are code and where a
//! paragraph ends. So this module is the only reader of a description's structure: [`parse`]
//! splits it into paragraphs, blank lines and fenced code blocks, and [`spans`] finds the
//! backslash escapes and code spans of a line of text.
//!
//! Fenced code blocks follow CommonMark's rules, because every reader downstream (rustdoc, a
//! Markdown renderer) does: an opening fence is three or more backticks or tildes indented by at
//! most three spaces, and a backtick fence's info string may not hold a backtick; the closing
//! fence is the same character, at least as long, indented by at most three spaces and followed
//! by nothing but spaces or tabs; a fence that is never closed runs to the end. Nothing else of
//! CommonMark's block structure is read by [`parse`]: every other line is a paragraph's text, and
//! a renderer that shows lists or headings asks [`list_item`] and [`atx_heading`] about its lines.

/// One block of a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block<'t> {
    /// Lines of text, as written, between blank lines and fences.
    Paragraph(Vec<&'t str>),
    /// A line of nothing but whitespace, as written.
    Blank(&'t str),
    Code(CodeBlock<'t>),
}

/// A fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeBlock<'t> {
    pub fence: Fence,
    /// What follows the opening fence, trimmed: the language, for most blocks.
    pub info: &'t str,
    /// How many spaces the opening fence is indented by.
    pub indent: usize,
    /// The lines between the fences, as written.
    pub lines: Vec<&'t str>,
}

impl<'t> CodeBlock<'t> {
    /// The code: each line without as much of its indent as the opening fence had (as CommonMark
    /// reads it).
    pub fn code(&self) -> impl Iterator<Item = &'t str> + '_ {
        self.lines.iter().map(|line| {
            let spaces = leading_spaces(line);
            &line[spaces.min(self.indent)..]
        })
    }
}

/// The run of backticks or tildes that opens a code block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fence {
    pub marker: char,
    pub length: usize,
}

impl Fence {
    /// Whether `line` closes a block this fence opened.
    pub fn is_closed_by(&self, line: &str) -> bool {
        let indent = leading_spaces(line);
        if indent > 3 {
            return false;
        }
        let rest = &line[indent..];
        let run = marker_run(rest, self.marker);
        run >= self.length && rest[run..].trim_start_matches([' ', '\t']).is_empty()
    }

    /// The fence as written.
    pub fn to_text(self) -> String {
        std::iter::repeat_n(self.marker, self.length).collect()
    }
}

/// The blocks of `text`, line by line (as [`str::lines`] splits it).
pub(crate) fn parse(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut paragraph = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let block = match opening_fence(line) {
            Some((fence, indent, info)) => {
                // The closing fence is taken too, and left out.
                let code = lines.by_ref().take_while(|line| !fence.is_closed_by(line)).collect();
                Block::Code(CodeBlock { fence, info, indent, lines: code })
            }
            None if line.trim().is_empty() => Block::Blank(line),
            None => {
                paragraph.push(line);
                continue;
            }
        };
        end_paragraph(&mut paragraph, &mut blocks);
        blocks.push(block);
    }
    end_paragraph(&mut paragraph, &mut blocks);
    blocks
}

fn end_paragraph<'t>(paragraph: &mut Vec<&'t str>, blocks: &mut Vec<Block<'t>>) {
    if !paragraph.is_empty() {
        blocks.push(Block::Paragraph(std::mem::take(paragraph)));
    }
}

/// Whether `line` opens a fenced code block.
pub(crate) fn opens_fence(line: &str) -> bool {
    opening_fence(line).is_some()
}

/// The fence, its indent and the info string, if `line` opens a fenced code block.
fn opening_fence(line: &str) -> Option<(Fence, usize, &str)> {
    let indent = leading_spaces(line);
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = marker_run(rest, marker);
    if length < 3 {
        return None;
    }
    let info = rest[length..].trim();
    if marker == '`' && info.contains('`') {
        return None;
    }
    Some((Fence { marker, length }, indent, info))
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// How many `marker` characters `text` starts with (each one byte long).
fn marker_run(text: &str, marker: char) -> usize {
    text.len() - text.trim_start_matches(marker).len()
}

/// The start of a list item, read from a line without its indent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListItem {
    /// A number (`1.`, `2)`) rather than a bullet (`-`, `+`, `*`).
    pub ordered: bool,
    /// Where the item's text starts: after the marker and the one to four spaces that follow it,
    /// or only the first of more (CommonMark reads the rest as the text's indent).
    pub content: usize,
}

/// The list item `line` (without its indent) starts, if any: a bullet, or a number of at most
/// nine digits and `.` or `)`, then at least one space.
pub(crate) fn list_item(line: &str) -> Option<ListItem> {
    let (ordered, marker) = if line.starts_with(['-', '*', '+']) {
        (false, 1)
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 || !line[digits..].starts_with(['.', ')']) {
            return None;
        }
        (true, digits + 1)
    };
    let spaces = leading_spaces(&line[marker..]);
    let content = match spaces {
        0 => return None,
        1..=4 => marker + spaces,
        _ => marker + 1,
    };
    Some(ListItem { ordered, content })
}

/// The level and text of an ATX heading (`## Text`) that starts at the beginning of `line`.
pub(crate) fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let level = marker_run(line, '#');
    ((1..=6).contains(&level) && line[level..].starts_with(' ')).then(|| (level, line[level..].trim()))
}

/// A piece of a line of text, as CommonMark reads backslash escapes and code spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Span<'t> {
    /// Text that holds neither, as written (backticks that open no code span included).
    Text(&'t str),
    /// A backslash escape: the punctuation character it makes literal.
    Escaped(char),
    /// A code span: the backticks on either side, and the content between them as written.
    Code { fence: &'t str, content: &'t str },
}

/// The pieces of `text`, in order. A code span whose content `accept` refuses is read as text:
/// its opening backticks are text, and reading goes on right after them.
pub(crate) fn spans<'t>(text: &'t str, accept: impl Fn(&str) -> bool) -> impl Iterator<Item = Span<'t>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        if first == '\\' {
            if let Some(escaped) = rest[1..].chars().next().filter(char::is_ascii_punctuation) {
                rest = &rest[2..];
                return Some(Span::Escaped(escaped));
            }
        }
        if first == '`' {
            let (fence, after) = rest.split_at(marker_run(rest, '`'));
            if let Some(close) = closing_run(after, fence.len()).filter(|&close| accept(&after[..close])) {
                rest = &after[close + fence.len()..];
                return Some(Span::Code { fence, content: &after[..close] });
            }
            rest = after;
            return Some(Span::Text(fence));
        }
        let end = rest[first.len_utf8()..].find(['\\', '`']).map_or(rest.len(), |end| end + first.len_utf8());
        let (text, after) = rest.split_at(end);
        rest = after;
        Some(Span::Text(text))
    })
}

/// Where the run of exactly `length` backticks that closes a code span starts in `text`, if any.
fn closing_run(text: &str, length: usize) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find('`') {
        let start = from + found;
        let run = marker_run(&text[start..], '`');
        if run == length {
            return Some(start);
        }
        from = start + run;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_blocks(text: &str) -> Vec<(String, Vec<&str>)> {
        parse(text)
            .into_iter()
            .filter_map(|block| match block {
                Block::Code(code) => Some((code.info.to_string(), code.code().collect())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn paragraphs_blank_lines_and_fences() {
        let blocks = parse("One\ntwo\n  \n```js\n  a\n```\nthree");
        assert_eq!(
            blocks,
            [
                Block::Paragraph(vec!["One", "two"]),
                Block::Blank("  "),
                Block::Code(CodeBlock { fence: Fence { marker: '`', length: 3 }, info: "js", indent: 0, lines: vec!["  a"] }),
                Block::Paragraph(vec!["three"]),
            ]
        );
    }

    #[test]
    fn a_fence_is_indented_by_at_most_three_spaces() {
        assert_eq!(code_blocks("   ```\n   a\n    b\n   ```"), [(String::new(), vec!["a", " b"])]);
        assert_eq!(code_blocks("Text\n    ```\n    a\n    ```"), []);
        assert_eq!(code_blocks("\t```\na"), []);
    }

    #[test]
    fn a_backtick_fence_has_no_backtick_in_its_info_string() {
        assert_eq!(code_blocks("```rust`x`\nlet y = 1;"), []);
        assert_eq!(code_blocks("~~~rust`x`\nlet y = 1;"), [("rust`x`".to_string(), vec!["let y = 1;"])]);
    }

    #[test]
    fn the_closing_fence_is_the_same_character_at_least_as_long_and_alone() {
        assert_eq!(
            code_blocks("````\n```\n~~~~\n```` not yet\n    ````\n`````  \nafter"),
            [(String::new(), vec!["```", "~~~~", "```` not yet", "    ````"])]
        );
    }

    #[test]
    fn an_unclosed_fence_runs_to_the_end() {
        assert_eq!(code_blocks("~~~\na\n\nb\n"), [(String::new(), vec!["a", "", "b"])]);
    }

    #[test]
    fn list_items_and_headings() {
        assert_eq!(list_item("- a"), Some(ListItem { ordered: false, content: 2 }));
        assert_eq!(list_item("10.   ten"), Some(ListItem { ordered: true, content: 6 }));
        assert_eq!(list_item("*      wide"), Some(ListItem { ordered: false, content: 2 }));
        assert_eq!(list_item("-x"), None);
        assert_eq!(list_item("1234567890. big"), None);
        assert_eq!(atx_heading("## Title "), Some((2, "Title")));
        assert_eq!(atx_heading("#hashtag"), None);
        assert_eq!(atx_heading("####### seven"), None);
    }

    #[test]
    fn spans_read_escapes_and_code() {
        let all: Vec<Span<'_>> = spans("a \\` b ``c ` d`` \\q `e", |_| true).collect();
        assert_eq!(
            all,
            [
                Span::Text("a "),
                Span::Escaped('`'),
                Span::Text(" b "),
                Span::Code { fence: "``", content: "c ` d" },
                Span::Text(" "),
                Span::Text("\\q "),
                Span::Text("`"),
                Span::Text("e"),
            ]
        );
        // A refused span's backticks are text, and its closing ones may open a later span.
        let refused: Vec<Span<'_>> = spans("`a|b` c `d`", |content| !content.contains('|')).collect();
        assert_eq!(refused, [Span::Text("`"), Span::Text("a|b"), Span::Code { fence: "`", content: " c " }, Span::Text("d"), Span::Text("`")]);
    }
}
