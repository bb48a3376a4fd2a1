//! The single self-contained HTML page, `index.html`: a table of contents, then every operation
//! and every model as an article.
//!
//! Everything taken from the document is escaped, and descriptions are shown as plain paragraphs
//! (only code blocks, code spans, bullet lists and a heading standing alone are recognised), so no
//! markup of the document's ever reaches the page; a Content-Security-Policy forbids scripts and
//! remote resources as a second line of defence. The style sheet is `style.css` beside this file.

use std::fmt::Write as _;

use super::blocks::{one_line, Block, Inline, Target};
use super::pages::{DocsContext, RenderPage, GENERATED_NOTE, ITEMS_PER_PIECE};
use super::prose::{self, Span};
use super::slugs::{model_anchor, operation_anchor, unique_slugs};
use crate::ir::TypeId;

/// Headings of a page start at `<h3>` on the HTML page: `<h1>` is the API's title and `<h2>` a
/// section (a tag, webhooks, models).
const HTML_HEADING_SHIFT: usize = 2;

const STYLE: &str = include_str!("style.css");

/// The HTML page in pieces, in order: the head and contents, each group's opening, its
/// operations a few at a time, the models a few at a time, the end.
pub(super) fn page_pieces<'c>(context: &'c DocsContext<'_>) -> Vec<RenderPage<'c>> {
    let mut pieces: Vec<RenderPage<'c>> = vec![Box::new(move || html_page_head(context))];
    let groups = group_anchors(context);
    if context.groups.is_empty() {
        pieces.push(text_piece("<section id=\"operations\">\n<h2>Operations</h2>\n<p>The document declares no operations.</p>\n</section>\n"));
    }
    for (group, anchor) in context.groups.iter().zip(groups) {
        pieces.push(Box::new(move || {
            let mut out = format!("<section id=\"{anchor}\">\n<h2>{}</h2>\n", escape_html(&group.title));
            for block in context.tag_introduction(group.tag.as_deref()) {
                Html { context }.block(&block, 0, &mut out);
            }
            Html { context }.block(&context.operation_table(&group.operations), 0, &mut out);
            out
        }));
        pieces.extend(html_operations(context, &group.operations));
        pieces.push(text_piece("</section>\n"));
    }
    if !context.webhooks.is_empty() {
        pieces.push(Box::new(move || {
            let mut out =
                "<section id=\"webhooks\">\n<h2>Webhooks</h2>\n<p>Requests the API sends to its consumers, rather than serves.</p>\n".to_string();
            Html { context }.block(&context.operation_table(&context.webhooks), 0, &mut out);
            out
        }));
        pieces.extend(html_operations(context, &context.webhooks));
        pieces.push(text_piece("</section>\n"));
    }
    pieces.push(text_piece(if context.space().types.is_empty() {
        "<section id=\"models\">\n<h2>Models</h2>\n<p>The document declares no models.</p>\n"
    } else {
        "<section id=\"models\">\n<h2>Models</h2>\n"
    }));
    for start in (0..context.space().types.len()).step_by(ITEMS_PER_PIECE) {
        let end = (start + ITEMS_PER_PIECE).min(context.space().types.len());
        pieces.push(Box::new(move || {
            let mut out = String::new();
            for id in (start..end).map(TypeId) {
                out.push_str("<article id=\"");
                out.push_str(&model_anchor(&context.model_slugs[id.0]));
                out.push_str("\">\n");
                for block in context.model_page(id) {
                    Html { context }.block(&block, HTML_HEADING_SHIFT, &mut out);
                }
                out.push_str("</article>\n");
            }
            out
        }));
    }
    pieces.push(text_piece("</section>\n</main>\n</body>\n</html>\n"));
    pieces
}

fn text_piece<'c>(text: &'static str) -> RenderPage<'c> {
    Box::new(move || text.to_string())
}

fn html_operations<'c>(context: &'c DocsContext<'_>, operations: &'c [usize]) -> impl Iterator<Item = RenderPage<'c>> {
    operations.chunks(ITEMS_PER_PIECE).map(move |chunk| -> RenderPage<'c> {
        Box::new(move || {
            let mut out = String::new();
            for &index in chunk {
                Html { context }.operation(index, &mut out);
            }
            out
        })
    })
}

/// Everything before the first group: the head, the table of contents, the introduction.
fn html_page_head(context: &DocsContext<'_>) -> String {
    let html = Html { context };
    let title = context.title();
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!("<!-- {GENERATED_NOTE} -->\n"));
    out.push_str("<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Defence in depth: even if something slipped through escaping, no script could run and
    // nothing could be fetched.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str(&format!("<title>{} reference</title>\n", escape_html(&title)));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");

    html.table_of_contents(&title, &mut out);

    out.push_str("<main id=\"top\">\n<header>\n");
    for block in context.introduction() {
        html.block(&block, 0, &mut out);
    }
    out.push_str("</header>\n");
    out
}

/// The `id` of each operation group's section: `operations` when nothing is tagged, else
/// `tag-` and the tag made safe.
fn group_anchors(context: &DocsContext<'_>) -> Vec<String> {
    if !context.has_tag_groups() {
        return context.groups.iter().map(|_| "operations".to_string()).collect();
    }
    unique_slugs(context.groups.iter().map(|group| group.tag.as_deref().unwrap_or("Other")), "tag")
        .into_iter()
        .map(|slug| format!("tag-{slug}"))
        .collect()
}

struct Html<'c, 'a> {
    context: &'c DocsContext<'a>,
}

impl Html<'_, '_> {
    /// The link to `target`, appended to `out`.
    fn push_href(&self, target: Target, out: &mut String) {
        match target {
            Target::HtmlPage => out.push_str("#top"),
            Target::Operation(index) => {
                out.push('#');
                out.push_str(&operation_anchor(self.context.operation_slugs.get(index).map(String::as_str).unwrap_or("operation")));
            }
            Target::Model(id) => {
                out.push('#');
                out.push_str(&model_anchor(self.context.model_slugs.get(id.0).map(String::as_str).unwrap_or("Model")));
            }
        }
    }

    fn table_of_contents(&self, title: &str, out: &mut String) {
        let context = self.context;
        out.push_str("<nav class=\"toc\" aria-label=\"Contents\">\n");
        out.push_str(&format!("<p class=\"toc-title\"><a href=\"#top\">{}</a></p>\n", escape_html(title)));
        let anchors = group_anchors(context);
        if !context.groups.is_empty() {
            out.push_str("<h2>Operations</h2>\n<ul>\n");
            for (group, anchor) in context.groups.iter().zip(&anchors) {
                if context.has_tag_groups() {
                    out.push_str(&format!("<li><a class=\"group\" href=\"#{anchor}\">{}</a>\n<ul>\n", escape_html(&group.title)));
                }
                for &index in &group.operations {
                    self.toc_operation(index, out);
                }
                if context.has_tag_groups() {
                    out.push_str("</ul>\n</li>\n");
                }
            }
            out.push_str("</ul>\n");
        }
        if !context.webhooks.is_empty() {
            out.push_str("<h2><a href=\"#webhooks\">Webhooks</a></h2>\n<ul>\n");
            for &index in &context.webhooks {
                self.toc_operation(index, out);
            }
            out.push_str("</ul>\n");
        }
        out.push_str("<h2><a href=\"#models\">Models</a></h2>\n<ul>\n");
        for id in context.space().ids() {
            out.push_str("<li><a href=\"");
            self.push_href(Target::Model(id), out);
            out.push_str("\">");
            push_escaped(&context.space().get(id).name, out);
            out.push_str("</a></li>\n");
        }
        out.push_str("</ul>\n</nav>\n");
    }

    fn toc_operation(&self, index: usize, out: &mut String) {
        let Some(operation) = self.context.model.operations.get(index) else { return };
        out.push_str("<li><a href=\"");
        self.push_href(Target::Operation(index), out);
        out.push_str("\">");
        method_badge(operation.method.field(), out);
        out.push(' ');
        push_escaped(&operation.id, out);
        out.push_str("</a></li>\n");
    }

    fn operation(&self, index: usize, out: &mut String) {
        out.push_str("<article id=\"");
        out.push_str(&operation_anchor(&self.context.operation_slugs[index]));
        out.push_str("\">\n");
        for block in self.context.operation_page(index) {
            self.block(&block, HTML_HEADING_SHIFT, out);
        }
        out.push_str("</article>\n");
    }

    fn block(&self, block: &Block, shift: usize, out: &mut String) {
        match block {
            Block::Heading(level, inlines) => {
                let level = (level + shift).clamp(1, 6);
                let _ = write!(out, "<h{level}>");
                self.inlines(inlines, out);
                let _ = writeln!(out, "</h{level}>");
            }
            Block::Paragraph(inlines) => {
                out.push_str("<p>");
                self.inlines(inlines, out);
                out.push_str("</p>\n");
            }
            Block::Prose(description) => write_prose(description, out),
            Block::Table { head, rows } => {
                out.push_str("<div class=\"table\"><table>\n<thead><tr>");
                for cell in head {
                    out.push_str("<th>");
                    push_escaped(cell, out);
                    out.push_str("</th>");
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str("<td>");
                        self.inlines(cell, out);
                        out.push_str("</td>");
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table></div>\n");
            }
            Block::Code { text, .. } => code_block(text, out),
            // The HTML page gives every section its id itself.
            Block::Anchor(_) => {}
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str("<li>");
                    self.inlines(item, out);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
        }
    }

    fn inlines(&self, inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(value) => push_escaped(value, out),
                Inline::Code(value) => {
                    out.push_str("<code>");
                    push_escaped(value, out);
                    out.push_str("</code>");
                }
                Inline::Strong(inner) => {
                    out.push_str("<strong>");
                    self.inlines(inner, out);
                    out.push_str("</strong>");
                }
                Inline::Link(target, inner) => {
                    out.push_str("<a href=\"");
                    self.push_href(*target, out);
                    out.push_str("\">");
                    self.inlines(inner, out);
                    out.push_str("</a>");
                }
                Inline::Prose(description) => write_inline(&one_line(description), out),
                Inline::Method(method) => method_badge(method, out),
                Inline::Path(path) => {
                    out.push_str("<code class=\"path\">");
                    for (position, segment) in path.split('/').enumerate() {
                        if position > 0 {
                            out.push_str("/<wbr>");
                        }
                        push_escaped(segment, out);
                    }
                    out.push_str("</code>");
                }
            }
        }
    }
}

fn method_badge(method: &str, out: &mut String) {
    // The class is chosen from a fixed list, never built from the document's text.
    let class = match method {
        "get" => "method m-get",
        "post" => "method m-post",
        "put" => "method m-put",
        "patch" => "method m-patch",
        "delete" => "method m-delete",
        _ => "method",
    };
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    push_escaped(&method.to_uppercase(), out);
    out.push_str("</span>");
}

fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    push_escaped(value, &mut out);
    out
}

/// [`escape_html`], appended to `out`.
fn push_escaped(value: &str, out: &mut String) {
    // Runs of text with nothing to escape are copied whole; every character that changes is ASCII
    // or a C1 control (two bytes, the first 0xC2).
    let bytes = value.as_bytes();
    let (mut copied, mut index) = (0, 0);
    loop {
        while index < bytes.len() && !MAY_ESCAPE[usize::from(bytes[index])] {
            index += 1;
        }
        let Some(&byte) = bytes.get(index) else { break };
        let (replacement, width) = match byte {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            0xc2 if matches!(bytes.get(index + 1), Some(0x80..=0x9f)) => ("", 2),
            0xc2 => {
                index += 1;
                continue;
            }
            // The other control characters.
            _ => ("", 1),
        };
        out.push_str(&value[copied..index]);
        out.push_str(replacement);
        index += width;
        copied = index;
    }
    out.push_str(&value[copied..]);
}

/// The bytes [`escape_html`] may change: markup, control characters but line breaks and tabs,
/// and the first byte of a C1 control character.
static MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = byte != b'\n' as usize && byte != b'\t' as usize;
        byte += 1;
    }
    let mut others = [b'&', b'<', b'>', b'"', b'\'', 0x7f, 0xc2].as_slice();
    while let [first, rest @ ..] = others {
        table[*first as usize] = true;
        others = rest;
    }
    table
};

/// A description as HTML: escaped text in paragraphs, fenced code as `<pre>`, paragraphs that
/// start with a bullet as a list, a paragraph of one heading line in bold, code spans as
/// `<code>`. Nothing else of Markdown is interpreted, so nothing in it can become markup.
fn write_prose(description: &str, out: &mut String) {
    let description = description.trim_end().trim_start_matches(['\n', '\r']);
    for block in prose::parse(description) {
        match block {
            prose::Block::Paragraph(lines) => paragraph(&lines, out),
            prose::Block::Blank(_) => {}
            prose::Block::Code(code) => code_block(&code.code().collect::<Vec<_>>().join("\n"), out),
        }
    }
}

fn code_block(text: &str, out: &mut String) {
    out.push_str("<pre><code>");
    push_escaped(text, out);
    out.push_str("</code></pre>\n");
}

/// The text of a bullet list item that `line` starts, if it starts one.
fn bullet_item(line: &str) -> Option<&str> {
    let line = line.trim_start();
    prose::list_item(line).filter(|item| !item.ordered).map(|item| &line[item.content..])
}

fn paragraph(lines: &[&str], out: &mut String) {
    let Some(first) = lines.first() else { return };
    if bullet_item(first).is_some() {
        out.push_str("<ul>\n");
        let mut item = String::new();
        for line in lines {
            match bullet_item(line) {
                Some(start) => {
                    if !item.is_empty() {
                        out.push_str("<li>");
                        write_inline(&item, out);
                        out.push_str("</li>\n");
                    }
                    item = start.trim().to_string();
                }
                None => {
                    item.push(' ');
                    item.push_str(line.trim());
                }
            }
        }
        out.push_str("<li>");
        write_inline(&item, out);
        out.push_str("</li>\n</ul>\n");
        return;
    }
    // A Markdown heading inside a description is shown as a bold line, not a page heading.
    if let (1, Some((_, heading))) = (lines.len(), prose::atx_heading(first)) {
        out.push_str("<p><strong>");
        write_inline(heading, out);
        out.push_str("</strong></p>\n");
        return;
    }
    let joined = lines.iter().map(|line| line.trim()).collect::<Vec<_>>().join("\n");
    out.push_str("<p>");
    write_inline(&joined, out);
    out.push_str("</p>\n");
}

/// Escaped text with code spans as `<code>` and backslash escapes resolved.
fn write_inline(text: &str, out: &mut String) {
    for span in prose::spans(text, |_| true) {
        match span {
            Span::Text(text) => push_escaped(text, out),
            Span::Escaped(c) => push_escaped(c.encode_utf8(&mut [0; 4]), out),
            Span::Code { content, .. } => {
                let content = content.replace('\n', " ");
                // CommonMark strips one space on each side when both are there.
                let content = match content.strip_prefix(' ').and_then(|inner| inner.strip_suffix(' ')) {
                    Some(inner) if !inner.trim().is_empty() => inner,
                    _ => &content,
                };
                out.push_str("<code>");
                push_escaped(content, out);
                out.push_str("</code>");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_replaces_markup_and_drops_control_characters() {
        let mut text: String = (0u32..0x200).filter_map(char::from_u32).collect();
        text.push_str("caf\u{e9} \u{1f600} <a href='x'>&amp;</a>");
        let expected: String = text
            .chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                '\n' | '\t' => c.to_string(),
                c if c.is_control() => String::new(),
                c => c.to_string(),
            })
            .collect();
        assert_eq!(escape_html(&text), expected);
    }

    #[test]
    fn html_prose_escapes_everything() {
        let mut out = String::new();
        write_prose("One `<b>` & <i>two</i>\nstill one\n\n- a\n- b `c`\n\n```\n<x>\n```", &mut out);
        assert_eq!(
            out,
            "<p>One <code>&lt;b&gt;</code> &amp; &lt;i&gt;two&lt;/i&gt;\nstill one</p>\n<ul>\n<li>a</li>\n<li>b <code>c</code></li>\n</ul>\n<pre><code>&lt;x&gt;</code></pre>\n"
        );
    }
}
