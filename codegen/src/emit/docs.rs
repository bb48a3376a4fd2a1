//! Markdown and HTML reference documentation for a document.
//!
//! Both formats are rendered from one description of the pages built here (blocks of inlines with
//! abstract link targets), so the Markdown files and the single HTML page cannot drift apart, and
//! all escaping lives in the two renderers at the bottom of this file.
//!
//! Everything taken from the document is data. The HTML page escapes every piece of it and shows
//! descriptions as plain paragraphs (only code spans and fences are recognised), so no markup of
//! the document's ever reaches the page; a Content-Security-Policy forbids scripts and remote
//! resources as a second line of defence. The Markdown files keep descriptions as Markdown, because
//! that is what the specification says they are, but neutralise raw HTML, autolinks and link or
//! image syntax outside code, because many Markdown renderers pass those through unfiltered.
//! File names and anchors are built only from `[A-Za-z0-9_-]` and made unique ignoring case.

use std::collections::HashSet;

use serde_json::Value;

use crate::ir::{Content, Examples, FloatKind, IntKind, MediaKind, Model, Operation, Presence, Ty, TypeId, TypeKind, TypeSpace};
use crate::output::FileSet;

use super::docs_layout::{Layout, OperationGroup, Page};

/// The note at the top of every file; the crate header is written for Rust comments, this one
/// suits both formats.
const GENERATED_NOTE: &str = "Generated from the OpenAPI document by oas-codegen. Do not edit; regenerate instead.";

/// Examples longer than this are left out: a page is for reading, and a few huge examples would
/// make the single HTML page of a large API unwieldy.
const MAX_EXAMPLE_BYTES: usize = 16 * 1024;

/// Parameter examples go into a table cell, so only short ones are shown.
const MAX_INLINE_EXAMPLE_CHARS: usize = 80;

/// File names stay well below the 255-byte limit of common file systems, leaving room for a suffix.
const MAX_SLUG_CHARS: usize = 96;

/// Every documentation file for the document, under `docs/`.
pub fn docs_files(model: &Model) -> FileSet {
    let context = DocsContext::new(model);
    context.pages().into_iter().map(|(path, pieces)| (path, finish_page(pieces.into_iter().map(|render| render()).collect()))).collect()
}

/// Renders one page.
pub(crate) type RenderPage<'c> = Box<dyn FnOnce() -> String + Send + 'c>;

impl<'a> DocsContext<'a> {
    /// Every page, by path, with the function that renders it, so that the pages can be rendered
    /// on any thread and in any order.
    /// Long pages come in several pieces, each rendered on its own; a page is its pieces
    /// concatenated and passed through [`finish_page`].
    pub(crate) fn pages(&self) -> Vec<(String, Vec<RenderPage<'_>>)> {
        let mut pages: Vec<(String, Vec<RenderPage<'_>>)> = Vec::new();
        pages.push(("docs/README.md".into(), vec![Box::new(|| render_markdown(self, &self.index_page(), Dir::Root))]));
        match &self.layout {
            Layout::PagePerItem => {
                for index in 0..self.model.operations.len() {
                    let path = format!("docs/operations/{}.md", self.operation_slugs[index]);
                    pages.push((path, vec![Box::new(move || render_markdown(self, &self.operation_page(index), Dir::Sub))]));
                }
                for id in self.model.space.ids() {
                    let path = format!("docs/models/{}.md", self.model_slugs[id.0]);
                    pages.push((path, vec![Box::new(move || render_markdown(self, &self.model_page(id), Dir::Sub))]));
                }
            }
            Layout::Grouped(grouped) => {
                for page in &grouped.operation_pages {
                    let path = format!("docs/operations/{}.md", page.slug);
                    pages.push((path, self.grouped_page(page, Self::grouped_operation_sections)));
                }
                for page in &grouped.model_pages {
                    let path = format!("docs/models/{}.md", page.slug);
                    pages.push((path, self.grouped_page(page, Self::grouped_model_sections)));
                }
            }
        }
        pages.push(("docs/index.html".into(), html_page_pieces(self)));
        pages
    }

    /// A page of several items: its title (and tag description), then the items' sections a few
    /// at a time.
    fn grouped_page<'p>(&'p self, page: &'p Page, sections: fn(&Self, &[usize]) -> Vec<Block>) -> Vec<RenderPage<'p>> {
        let mut pieces: Vec<RenderPage<'_>> = vec![Box::new(move || {
            let mut blocks = vec![Block::Heading(1, vec![text(&page.title)])];
            if let Some(description) = page.tag.as_deref().and_then(|tag| self.tag_description(tag)) {
                blocks.push(Block::Prose(description));
            }
            markdown_page_start(self, &blocks, Dir::Sub)
        })];
        for chunk in page.members.chunks(ITEMS_PER_PIECE) {
            pieces.push(Box::new(move || render_markdown_blocks(self, &sections(self, chunk), Dir::Sub)));
        }
        pieces
    }

    /// Operations as sections of a larger page, each under its anchor.
    fn grouped_operation_sections(&self, operations: &[usize]) -> Vec<Block> {
        let mut blocks = Vec::new();
        for &index in operations {
            blocks.push(Block::Anchor(operation_anchor(&self.operation_slugs[index])));
            blocks.extend(shifted(self.operation_page(index)));
        }
        blocks
    }

    /// Models as sections of a larger page, each under its anchor.
    fn grouped_model_sections(&self, types: &[usize]) -> Vec<Block> {
        let mut blocks = Vec::new();
        for &index in types {
            blocks.push(Block::Anchor(model_anchor(&self.model_slugs[index])));
            blocks.extend(shifted(self.model_page(TypeId(index))));
        }
        blocks
    }
}

/// A page from its pieces: one newline at the end, whatever the last piece left.
pub(crate) fn finish_page(mut text: String) -> String {
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text.push('\n');
    text
}

fn choose_layout(model: &Model, groups: &[Group], webhooks: &[usize]) -> Layout {
    let tagged = groups.iter().any(|group| group.tag.is_some());
    let mut sections: Vec<OperationGroup<'_>> = groups
        .iter()
        .map(|group| OperationGroup {
            title: group.tag.as_deref().unwrap_or(if tagged { "Other" } else { "Operations" }),
            tag: group.tag.as_deref(),
            operations: &group.operations,
        })
        .collect();
    if !webhooks.is_empty() {
        sections.push(OperationGroup { title: "Webhooks", tag: None, operations: webhooks });
    }
    let names: Vec<&str> = model.space.types.iter().map(|definition| definition.name.as_str()).collect();
    Layout::choose(model.operations.len(), &sections, &names)
}

/// A page's blocks as a section of a larger page: every heading one level down.
fn shifted(blocks: Vec<Block>) -> impl Iterator<Item = Block> {
    blocks.into_iter().map(|block| match block {
        Block::Heading(level, inlines) => Block::Heading(level + 1, inlines),
        other => other,
    })
}

/// The file-name stem (and, after `op-`, the HTML anchor) of each operation, in IR order.
pub fn operation_slugs(operations: &[Operation]) -> Vec<String> {
    unique_slugs(operations.iter().map(|operation| operation.id.as_str()), "operation")
}

/// The file-name stem (and, after `model-`, the HTML anchor) of each type, in type-space order.
/// Rust type names are already identifiers; this only guards against case-insensitive file systems.
pub fn model_slugs(space: &TypeSpace) -> Vec<String> {
    unique_slugs(space.types.iter().map(|definition| definition.name.as_str()), "Model")
}

/// The `id` of an operation's section in `index.html`.
pub fn operation_anchor(slug: &str) -> String {
    format!("op-{slug}")
}

/// The `id` of a model's section in `index.html`.
pub fn model_anchor(slug: &str) -> String {
    format!("model-{slug}")
}

/// Names that Windows maps to devices whatever the extension; only the ASCII ones can occur here.
const WINDOWS_DEVICE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3",
    "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

pub(super) fn unique_slugs<'a>(names: impl Iterator<Item = &'a str>, fallback: &str) -> Vec<String> {
    // Compared in lowercase, because the files land on case-insensitive file systems too and the
    // output stage refuses paths that differ only in case.
    let mut taken: HashSet<String> = HashSet::new();
    names
        .map(|name| {
            let mut base: String =
                name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).take(MAX_SLUG_CHARS).collect();
            if !base.chars().any(|c| c.is_ascii_alphanumeric()) {
                base = fallback.to_string();
            }
            if WINDOWS_DEVICE_NAMES.contains(&base.to_ascii_lowercase().as_str()) {
                base.push('_');
            }
            let mut candidate = base.clone();
            let mut suffix = 2;
            while !taken.insert(candidate.to_ascii_lowercase()) {
                candidate = format!("{base}_{suffix}");
                suffix += 1;
            }
            candidate
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// What the pages say
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// The single-page reference (`index.html`).
    HtmlPage,
    Operation(usize),
    Model(TypeId),
}

#[derive(Debug, Clone)]
enum Inline {
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

#[derive(Debug, Clone)]
enum Block {
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

fn text(value: impl Into<String>) -> Inline {
    Inline::Text(value.into())
}

fn code(value: impl Into<String>) -> Inline {
    Inline::Code(value.into())
}

fn strong(value: impl Into<String>) -> Inline {
    Inline::Strong(vec![text(value)])
}

/// An operation group of the index: the operations whose first tag is `tag` (`None`: untagged).
struct Group {
    tag: Option<String>,
    operations: Vec<usize>,
}

/// Who refers to a model, for its "Used by" list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum User {
    Operation(usize),
    Model(TypeId),
}

/// What every page is rendered from: the model, the document, and the names and groupings that
/// all pages share.
pub(crate) struct DocsContext<'a> {
    model: &'a Model,
    operation_slugs: Vec<String>,
    model_slugs: Vec<String>,
    groups: Vec<Group>,
    webhooks: Vec<usize>,
    used_by: Vec<Vec<User>>,
    layout: Layout,
}

impl<'a> DocsContext<'a> {
    pub(crate) fn new(model: &'a Model) -> Self {
        let operation_slugs = operation_slugs(&model.operations);
        let model_slugs = model_slugs(&model.space);
        let webhooks: Vec<usize> = model.operations.iter().enumerate().filter(|(_, operation)| operation.webhook).map(|(index, _)| index).collect();
        let groups = group_operations(model);
        let used_by = used_by(model);
        let layout = choose_layout(model, &groups, &webhooks);
        DocsContext { model, operation_slugs, model_slugs, groups, webhooks, used_by, layout }
    }

    fn space(&self) -> &TypeSpace {
        &self.model.space
    }

    fn title(&self) -> String {
        self.model.info.title.clone().unwrap_or_else(|| "API reference".to_string())
    }

    fn tag_description(&self, tag: &str) -> Option<String> {
        self.model.tag_description(tag).map(str::to_string)
    }

    fn has_tag_groups(&self) -> bool {
        self.groups.iter().any(|group| group.tag.is_some())
    }

    /// The opening of the index: title, version and the document's own introduction.
    fn introduction(&self) -> Vec<Block> {
        let mut blocks = vec![Block::Heading(1, vec![text(self.title())])];
        if let Some(version) = self.model.info.version.clone() {
            blocks.push(Block::Paragraph(vec![text("Version "), code(version)]));
        }
        if let Some(summary) = self.model.info.summary.clone() {
            blocks.push(Block::Paragraph(vec![text(summary)]));
        }
        if let Some(description) = self.model.info.description.clone() {
            blocks.push(Block::Prose(description));
        }
        blocks
    }

    fn index_page(&self) -> Vec<Block> {
        let mut blocks = self.introduction();
        let pages = match self.layout {
            Layout::PagePerItem => "Each operation and each model has a page of its own, linked below.",
            Layout::Grouped(_) => "The operations have a page per tag and the models a page per initial letter, linked below.",
        };
        blocks.push(Block::Paragraph(vec![
            text(pages),
            text(" The same reference as one self-contained page: "),
            Inline::Link(Target::HtmlPage, vec![text("index.html")]),
            text("."),
        ]));
        blocks.push(Block::Heading(2, vec![text("Operations")]));
        if self.groups.is_empty() {
            blocks.push(Block::Paragraph(vec![text("The document declares no operations.")]));
        }
        for group in &self.groups {
            if self.has_tag_groups() {
                blocks.push(Block::Heading(3, vec![text(group.tag.as_deref().unwrap_or("Other"))]));
                if let Some(description) = group.tag.as_deref().and_then(|tag| self.tag_description(tag)) {
                    blocks.push(Block::Prose(description));
                }
            }
            blocks.push(self.operation_table(&group.operations));
        }
        if !self.webhooks.is_empty() {
            blocks.push(Block::Heading(2, vec![text("Webhooks")]));
            blocks.push(Block::Paragraph(vec![text("Requests the API sends to its consumers, rather than serves.")]));
            blocks.push(self.operation_table(&self.webhooks));
        }
        blocks.push(Block::Heading(2, vec![text("Models")]));
        if self.space().types.is_empty() {
            blocks.push(Block::Paragraph(vec![text("The document declares no models.")]));
        } else {
            let rows = self
                .space()
                .ids()
                .map(|id| {
                    let definition = self.space().get(id);
                    let summary =
                        definition.description.as_deref().map(first_sentence).map(|sentence| vec![Inline::Prose(sentence)]).unwrap_or_default();
                    vec![vec![Inline::Link(Target::Model(id), vec![code(&definition.name)])], vec![text(kind_word(&definition.kind))], summary]
                })
                .collect();
            blocks.push(Block::Table { head: vec!["Model", "Kind", "Description"], rows });
        }
        blocks
    }

    /// One row per operation: a link to it, its method and path, its summary.
    fn operation_table(&self, operations: &[usize]) -> Block {
        let rows = operations
            .iter()
            .filter_map(|&index| {
                let operation = self.model.operations.get(index)?;
                let mut title = vec![Inline::Link(Target::Operation(index), vec![code(&operation.id)])];
                if operation.deprecated {
                    title.push(text(" (deprecated)"));
                }
                let summary = operation
                    .summary
                    .as_deref()
                    .map(|summary| vec![text(summary)])
                    .or_else(|| operation.description.as_deref().map(|description| vec![Inline::Prose(first_sentence(description))]))
                    .unwrap_or_default();
                Some(vec![
                    title,
                    vec![Inline::Method(operation.method.field().to_string()), text(" "), Inline::Path(operation.path.clone())],
                    summary,
                ])
            })
            .collect();
        Block::Table { head: vec!["Operation", "Request", "Summary"], rows }
    }

    fn operation_page(&self, index: usize) -> Vec<Block> {
        let Some(operation) = self.model.operations.get(index) else { return Vec::new() };
        let mut title = vec![code(&operation.id)];
        if operation.deprecated {
            title.push(text(" (deprecated)"));
        }
        let mut blocks = vec![Block::Heading(1, title)];
        if operation.webhook {
            blocks.push(Block::Paragraph(vec![
                text("Webhook "),
                code(&operation.path),
                text(": a "),
                Inline::Method(operation.method.field().to_string()),
                text(" request the API sends to its consumers."),
            ]));
        } else {
            blocks.push(Block::Paragraph(vec![
                Inline::Method(operation.method.field().to_string()),
                text(" "),
                Inline::Path(operation.path.clone()),
            ]));
        }
        if let Some(summary) = operation.summary.as_deref().map(str::trim).filter(|summary| !summary.is_empty()) {
            blocks.push(Block::Paragraph(vec![strong(summary)]));
        }
        if operation.deprecated {
            blocks.push(Block::Paragraph(vec![strong("Deprecated."), text(" The document marks this operation as deprecated.")]));
        }
        if let Some(description) = &operation.description {
            blocks.push(Block::Prose(description.clone()));
        }
        if !operation.tags.is_empty() {
            let mut tags = vec![text("Tags: ")];
            for (position, tag) in operation.tags.iter().enumerate() {
                if position > 0 {
                    tags.push(text(", "));
                }
                tags.push(code(tag));
            }
            blocks.push(Block::Paragraph(tags));
        }
        blocks.push(Block::Paragraph(vec![
            text("In the generated crate: request "),
            code(&operation.request_type),
            text(", response "),
            code(&operation.response_type),
            text("."),
        ]));

        if !operation.parameters.is_empty() {
            blocks.push(Block::Heading(2, vec![text("Parameters")]));
            let rows = operation
                .parameters
                .iter()
                .map(|parameter| {
                    let mut ty = self.ty_inlines(&parameter.ty);
                    if parameter.json_content {
                        ty.push(text(", as JSON text"));
                    }
                    let mut description = Vec::new();
                    if parameter.deprecated {
                        description.push(strong("Deprecated."));
                    }
                    if let Some(text) = &parameter.description {
                        push_separated(&mut description, Inline::Prose(text.clone()));
                    }
                    if let Some(example) = parameter.example.as_ref().and_then(inline_example) {
                        push_separated(&mut description, text("Example: "));
                        description.push(code(example));
                    }
                    vec![
                        vec![code(&parameter.name)],
                        vec![text(parameter.location.as_str())],
                        ty,
                        vec![text(if parameter.required { "yes" } else { "no" })],
                        description,
                    ]
                })
                .collect();
            blocks.push(Block::Table { head: vec!["Name", "In", "Type", "Required", "Description"], rows });
        }

        if let Some(body) = &operation.body {
            blocks.push(Block::Heading(2, vec![text("Request body")]));
            blocks.push(Block::Paragraph(vec![text(if body.required { "Required." } else { "Optional." })]));
            if let Some(description) = &body.description {
                blocks.push(Block::Prose(description.clone()));
            }
            if body.contents.is_empty() {
                blocks.push(Block::Paragraph(vec![text("No media type is declared.")]));
            }
            for content in &body.contents {
                blocks.push(Block::Heading(3, vec![code(&content.media_type)]));
                self.content_blocks(content, &mut blocks);
            }
        }

        blocks.push(Block::Heading(2, vec![text("Responses")]));
        for response in &operation.responses {
            let status = response.status.key();
            let label = if status == "default" { "Any other status (default)".to_string() } else { format!("Status {status}") };
            blocks.push(Block::Heading(3, vec![text(label)]));
            if let Some(description) = &response.description {
                blocks.push(Block::Prose(description.clone()));
            }
            if !response.headers.is_empty() {
                blocks.push(Block::Paragraph(vec![text("Headers:")]));
                let rows = response
                    .headers
                    .iter()
                    .map(|header| {
                        vec![
                            vec![code(&header.name)],
                            self.ty_inlines(&header.ty),
                            vec![text(if header.required { "yes" } else { "no" })],
                            header.description.iter().map(|description| Inline::Prose(description.clone())).collect(),
                        ]
                    })
                    .collect();
                blocks.push(Block::Table { head: vec!["Name", "Type", "Required", "Description"], rows });
            }
            if response.contents.is_empty() {
                blocks.push(Block::Paragraph(vec![text("No body.")]));
            }
            for content in &response.contents {
                blocks.push(Block::Heading(4, vec![code(&content.media_type)]));
                self.content_blocks(content, &mut blocks);
            }
        }
        blocks
    }

    /// The type and the examples of one media type of a body.
    fn content_blocks(&self, content: &Content, blocks: &mut Vec<Block>) {
        match &content.ty {
            Some(ty) => {
                let mut line = vec![text("Type: ")];
                line.extend(self.ty_inlines(ty));
                blocks.push(Block::Paragraph(line));
            }
            None => blocks.push(Block::Paragraph(vec![text("No schema is declared; any content of this media type.")])),
        }
        let json = content.kind == MediaKind::Json;
        match &content.examples {
            Examples::Single(example) => {
                blocks.push(Block::Paragraph(vec![text("Example:")]));
                blocks.push(example_block(example, json));
            }
            Examples::Named(examples) => {
                for example in examples {
                    let mut label = vec![text("Example "), code(&example.name)];
                    if let Some(summary) = &example.summary {
                        label.push(text(": "));
                        label.push(text(summary));
                    }
                    blocks.push(Block::Paragraph(label));
                    if let Some(description) = &example.description {
                        blocks.push(Block::Prose(description.clone()));
                    }
                    if let Some(value) = &example.value {
                        blocks.push(example_block(value, json));
                    } else if let Some(location) = &example.external_value {
                        // Shown as text, not a link: the page must not load or point to anything.
                        blocks.push(Block::Paragraph(vec![text("The value is kept outside the document, at "), code(location), text(".")]));
                    }
                }
            }
            Examples::None => {
                if let Some(example) = &content.schema_example {
                    blocks.push(Block::Paragraph(vec![text("Example (from the schema):")]));
                    blocks.push(example_block(example, json));
                }
            }
        }
    }

    fn model_page(&self, id: TypeId) -> Vec<Block> {
        let Some(definition) = self.space().types.get(id.0) else { return Vec::new() };
        let mut title = vec![code(&definition.name)];
        if definition.deprecated {
            title.push(text(" (deprecated)"));
        }
        let mut blocks = vec![Block::Heading(1, title)];
        let mut origin = vec![text(kind_word(&definition.kind))];
        if !definition.pointer.is_empty() {
            origin.push(text(", from the schema at "));
            origin.push(code(format!("#{}", definition.pointer)));
        }
        origin.push(text("."));
        blocks.push(Block::Paragraph(origin));
        if definition.deprecated {
            blocks.push(Block::Paragraph(vec![strong("Deprecated."), text(" The document marks this schema as deprecated.")]));
        }
        if let Some(description) = &definition.description {
            blocks.push(Block::Prose(description.clone()));
        }
        match &definition.kind {
            TypeKind::Struct(structure) => {
                blocks.push(Block::Heading(2, vec![text("Fields")]));
                if structure.fields.is_empty() {
                    blocks.push(Block::Paragraph(vec![text("No declared properties.")]));
                } else {
                    let rows = structure
                        .fields
                        .iter()
                        .map(|field| {
                            let mut description = Vec::new();
                            if field.deprecated {
                                description.push(strong("Deprecated."));
                            }
                            if let Some(text) = &field.description {
                                push_separated(&mut description, Inline::Prose(text.clone()));
                            }
                            if let Some(default) = &field.default {
                                push_separated(&mut description, text("Default: "));
                                description.push(code(serde_json::to_string(default).unwrap_or_default()));
                            }
                            vec![vec![code(&field.wire_name)], self.ty_inlines(&field.ty), vec![text(presence_words(field.presence))], description]
                        })
                        .collect();
                    blocks.push(Block::Table { head: vec!["Field", "Type", "Presence", "Description"], rows });
                }
                if let Some(additional) = &structure.additional {
                    let mut line = vec![text("Other properties are allowed; their values are ")];
                    line.extend(self.ty_inlines(additional));
                    line.push(text("."));
                    blocks.push(Block::Paragraph(line));
                }
            }
            TypeKind::Enum(enumeration) => {
                blocks.push(Block::Heading(2, vec![text("Values")]));
                let items = enumeration
                    .variants
                    .iter()
                    .map(|variant| {
                        let shown = match &variant.value {
                            // With only strings, the quotes would be noise.
                            Value::String(value) if enumeration.all_strings => value.clone(),
                            other => serde_json::to_string(other).unwrap_or_default(),
                        };
                        vec![code(shown)]
                    })
                    .collect();
                blocks.push(Block::List(items));
                if enumeration.open {
                    blocks.push(Block::Paragraph(vec![text(
                        "The generated type also accepts values not listed here, so a server adding one does not break a client.",
                    )]));
                }
            }
            TypeKind::Union(union) => {
                blocks.push(Block::Heading(2, vec![text("Variants")]));
                match &union.discriminator {
                    Some(discriminator) => {
                        blocks.push(Block::Paragraph(vec![text("The property "), code(&discriminator.property), text(" names the variant.")]))
                    }
                    None => blocks.push(Block::Paragraph(vec![text("A value is read as the first of these variants it matches, in this order.")])),
                }
                let with_tags = union.discriminator.is_some();
                let rows = union
                    .variants
                    .iter()
                    .map(|variant| {
                        let mut row = vec![vec![code(&variant.rust_name)], self.ty_inlines(&variant.ty)];
                        if with_tags {
                            let mut tags = Vec::new();
                            for (position, tag) in variant.tags.iter().enumerate() {
                                if position > 0 {
                                    tags.push(text(", "));
                                }
                                tags.push(code(tag));
                            }
                            row.push(tags);
                        }
                        row
                    })
                    .collect();
                let head = if with_tags { vec!["Variant", "Type", "Discriminator values"] } else { vec!["Variant", "Type"] };
                blocks.push(Block::Table { head, rows });
            }
            TypeKind::Alias(target) => {
                let mut line = vec![text("Another name for ")];
                line.extend(self.ty_inlines(target));
                line.push(text("."));
                blocks.push(Block::Paragraph(line));
            }
        }
        if let Some(users) = self.used_by.get(id.0).filter(|users| !users.is_empty()) {
            blocks.push(Block::Heading(2, vec![text("Used by")]));
            let items = users
                .iter()
                .filter_map(|user| match *user {
                    User::Operation(index) => {
                        let operation = self.model.operations.get(index)?;
                        Some(vec![text("operation "), Inline::Link(Target::Operation(index), vec![code(&operation.id)])])
                    }
                    User::Model(user) => {
                        let definition = self.space().types.get(user.0)?;
                        Some(vec![text("model "), Inline::Link(Target::Model(user), vec![code(&definition.name)])])
                    }
                })
                .collect();
            blocks.push(Block::List(items));
        }
        blocks
    }

    /// A type as words, with generated types linked to their pages.
    fn ty_inlines(&self, ty: &Ty) -> Vec<Inline> {
        let mut out = Vec::new();
        self.push_ty(ty, &mut out);
        out
    }

    fn push_ty(&self, ty: &Ty, out: &mut Vec<Inline>) {
        let word = match ty {
            Ty::Bool => "boolean",
            Ty::Integer(kind) => {
                out.push(text(format!("integer ({})", int_format(*kind))));
                return;
            }
            Ty::Float(FloatKind::F32) => "number (float)",
            Ty::Float(FloatKind::F64) => "number (double)",
            Ty::String => "string",
            Ty::DateTime => "string (date-time)",
            Ty::Date => "string (date)",
            Ty::Uuid => "string (uuid)",
            Ty::Bytes => "binary",
            Ty::Json => "any JSON",
            Ty::Vec(inner) => {
                out.push(text("array of "));
                return self.push_ty(inner, out);
            }
            Ty::Map(inner) => {
                out.push(text("map of string to "));
                return self.push_ty(inner, out);
            }
            Ty::Option(inner) => {
                out.push(text("nullable "));
                return self.push_ty(inner, out);
            }
            Ty::Boxed(inner) => return self.push_ty(inner, out),
            Ty::Named(id) => {
                match self.space().types.get(id.0) {
                    Some(definition) => out.push(Inline::Link(Target::Model(*id), vec![code(&definition.name)])),
                    None => out.push(text("any JSON")),
                }
                return;
            }
        };
        out.push(text(word));
    }
}

/// Appends `inline` after a space when `inlines` already holds something.
fn push_separated(inlines: &mut Vec<Inline>, inline: Inline) {
    if !inlines.is_empty() {
        inlines.push(text(" "));
    }
    inlines.push(inline);
}

fn int_format(kind: IntKind) -> &'static str {
    match kind {
        IntKind::I8 => "int8",
        IntKind::I16 => "int16",
        IntKind::I32 => "int32",
        IntKind::I64 => "int64",
        IntKind::U8 => "uint8",
        IntKind::U16 => "uint16",
        IntKind::U32 => "uint32",
        IntKind::U64 => "uint64",
    }
}

fn kind_word(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "Object",
        TypeKind::Enum(_) => "Enumeration",
        TypeKind::Union(_) => "One of several types",
        TypeKind::Alias(_) => "Alias",
    }
}

fn presence_words(presence: Presence) -> &'static str {
    match presence {
        Presence::Required => "required",
        Presence::RequiredNullable => "required, nullable",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional, nullable",
    }
}

/// A short example for a parameter's table cell: one line, not too long.
fn inline_example(example: &Value) -> Option<String> {
    let shown = match example {
        Value::String(text) => text.clone(),
        other => serde_json::to_string(other).ok()?,
    };
    (shown.chars().count() <= MAX_INLINE_EXAMPLE_CHARS && !shown.contains('\n')).then_some(shown)
}

/// An example as a code block: strings of non-JSON media types as they are, everything else as
/// indented JSON (key order is the document's, so output is stable).
fn example_block(example: &Value, json: bool) -> Block {
    let (language, shown) = match example {
        Value::String(raw) if !json => ("text", raw.clone()),
        other => ("json", serde_json::to_string_pretty(other).unwrap_or_default()),
    };
    if shown.len() > MAX_EXAMPLE_BYTES {
        return Block::Paragraph(vec![text(format!("(The example is {} bytes long and is left out here; the document has it.)", shown.len()))]);
    }
    Block::Code { language, text: shown }
}

/// The first paragraph of a description, cut after its first sentence, for one-line summaries.
fn first_sentence(description: &str) -> String {
    let paragraph = description.trim().split("\n\n").next().unwrap_or_default();
    let flat = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(end) => flat[..=end].to_string(),
        None => flat,
    }
}

/// Operations (not webhooks) by their first tag: tags in the order the document's `tags` list
/// gives them, then the others in order of first use, untagged operations last.
fn group_operations(model: &Model) -> Vec<Group> {
    let declared: Vec<&str> = model.tags.iter().map(|tag| tag.name.as_str()).collect();
    let mut groups: Vec<Group> = Vec::new();
    for (index, operation) in model.operations.iter().enumerate().filter(|(_, operation)| !operation.webhook) {
        let tag = operation.tags.first().cloned();
        match groups.iter_mut().find(|group| group.tag == tag) {
            Some(group) => group.operations.push(index),
            None => groups.push(Group { tag, operations: vec![index] }),
        }
    }
    // A stable sort keeps first-use order among tags the document does not list.
    groups.sort_by_key(|group| match &group.tag {
        Some(tag) => (0, declared.iter().position(|declared| declared == tag).unwrap_or(declared.len())),
        None => (1, 0),
    });
    groups
}

/// For each type, the operations and types that refer to it directly, in IR order.
fn used_by(model: &Model) -> Vec<Vec<User>> {
    let mut users: Vec<Vec<User>> = vec![Vec::new(); model.space.types.len()];
    // Each user is handled at once, so a repeated reference is always the list's last entry.
    let mut note = |ty: &Ty, user: User| {
        let mut stack = vec![ty];
        while let Some(ty) = stack.pop() {
            match ty {
                Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => stack.push(inner),
                Ty::Named(id) => {
                    if let Some(list) = users.get_mut(id.0) {
                        if list.last() != Some(&user) {
                            list.push(user);
                        }
                    }
                }
                _ => {}
            }
        }
    };
    for (index, operation) in model.operations.iter().enumerate() {
        let user = User::Operation(index);
        for parameter in &operation.parameters {
            note(&parameter.ty, user);
        }
        for content in operation.body.iter().flat_map(|body| &body.contents) {
            if let Some(ty) = &content.ty {
                note(ty, user);
            }
        }
        for response in &operation.responses {
            for content in &response.contents {
                if let Some(ty) = &content.ty {
                    note(ty, user);
                }
            }
            for header in &response.headers {
                note(&header.ty, user);
            }
        }
    }
    for id in model.space.ids() {
        let user = User::Model(id);
        match &model.space.get(id).kind {
            TypeKind::Struct(structure) => {
                for field in &structure.fields {
                    note(&field.ty, user);
                }
                if let Some(additional) = &structure.additional {
                    note(additional, user);
                }
            }
            TypeKind::Union(union) => {
                for variant in &union.variants {
                    note(&variant.ty, user);
                }
            }
            TypeKind::Alias(target) => note(target, user),
            TypeKind::Enum(_) => {}
        }
    }
    users
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

/// Where a Markdown page sits, for relative links.
#[derive(Debug, Clone, Copy)]
enum Dir {
    /// `docs/`
    Root,
    /// `docs/operations/` or `docs/models/`
    Sub,
}

fn render_markdown(context: &DocsContext<'_>, blocks: &[Block], dir: Dir) -> String {
    finish_page(markdown_page_start(context, blocks, dir))
}

/// The generated-file note, the way back to the index, and `blocks`, as the start of a page.
fn markdown_page_start(context: &DocsContext<'_>, blocks: &[Block], dir: Dir) -> String {
    let mut out = format!("<!-- {GENERATED_NOTE} -->\n\n");
    if let Dir::Sub = dir {
        out.push_str(&format!("[{}](../README.md)\n\n", md_text(&context.title(), false)));
    }
    out.push_str(&render_markdown_blocks(context, blocks, dir));
    out
}

/// Blocks as Markdown, each followed by a blank line.
fn render_markdown_blocks(context: &DocsContext<'_>, blocks: &[Block], dir: Dir) -> String {
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
    fn href(&self, target: Target) -> String {
        let up = match self.dir {
            Dir::Root => "",
            Dir::Sub => "../",
        };
        match target {
            Target::HtmlPage => format!("{up}index.html"),
            Target::Operation(index) => {
                let slug = self.context.operation_slugs.get(index).map(String::as_str).unwrap_or("operation");
                match &self.context.layout {
                    Layout::PagePerItem => format!("{up}operations/{slug}.md"),
                    Layout::Grouped(grouped) => {
                        let page = grouped.operation_page.get(index).and_then(|&page| grouped.operation_pages.get(page));
                        format!("{up}operations/{}.md#{}", page.map_or("operations", |page| page.slug.as_str()), operation_anchor(slug))
                    }
                }
            }
            Target::Model(id) => {
                let slug = self.context.model_slugs.get(id.0).map(String::as_str).unwrap_or("Model");
                match &self.context.layout {
                    Layout::PagePerItem => format!("{up}models/{slug}.md"),
                    Layout::Grouped(grouped) => {
                        let page = grouped.model_page.get(id.0).and_then(|&page| grouped.model_pages.get(page));
                        format!("{up}models/{}.md#{}", page.map_or("other", |page| page.slug.as_str()), model_anchor(slug))
                    }
                }
            }
        }
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
            Block::Prose(description) => md_prose_block(description, out),
            Block::Table { head, rows } => {
                out.push('|');
                for cell in head {
                    out.push_str(&format!(" {cell} |"));
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
            Block::Code { language, text } => md_fence(language, text, out),
            Block::List(items) => {
                for item in items {
                    out.push_str("- ");
                    self.inlines(item, false, out);
                    out.push('\n');
                }
                out.push('\n');
            }
            // Anchors are built from `[A-Za-z0-9_-]` only, so the tag needs no escaping.
            Block::Anchor(id) => out.push_str(&format!("<a id=\"{id}\"></a>\n\n")),
        }
    }

    fn inlines(&self, inlines: &[Inline], in_table: bool, out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(value) => out.push_str(&md_text(value, in_table)),
                Inline::Code(value) => out.push_str(&md_code(value, in_table)),
                Inline::Strong(inner) => {
                    out.push_str("**");
                    self.inlines(inner, in_table, out);
                    out.push_str("**");
                }
                Inline::Link(target, inner) => {
                    out.push('[');
                    self.inlines(inner, in_table, out);
                    out.push_str("](");
                    out.push_str(&self.href(*target));
                    out.push(')');
                }
                Inline::Prose(description) => {
                    let flat = description.split_whitespace().collect::<Vec<_>>().join(" ");
                    md_escape_line(&flat, in_table, out);
                }
                Inline::Method(method) => {
                    out.push_str("**");
                    out.push_str(&md_text(&method.to_uppercase(), in_table));
                    out.push_str("**");
                }
                Inline::Path(path) => out.push_str(&md_code(path, in_table)),
            }
        }
    }
}

/// Plain text that Markdown must show as it is: punctuation that could start markup is
/// backslash-escaped, and line breaks become spaces (every use is one line).
fn md_text(value: &str, in_table: bool) -> String {
    let mut out = String::with_capacity(value.len() + 8);
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
    out
}

/// A code span holding `value` literally: the fence is longer than any backtick run inside.
fn md_code(value: &str, in_table: bool) -> String {
    let value: String = value.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }).filter(|c| !c.is_control()).collect();
    if value.is_empty() {
        return "(empty)".into();
    }
    let fence = "`".repeat(longest_run(&value, '`') + 1);
    let pad = if value.starts_with('`') || value.ends_with('`') || (value.starts_with(' ') && value.ends_with(' ')) { " " } else { "" };
    // GFM splits table cells at every unescaped pipe, code spans included.
    let value = if in_table { value.replace('|', "\\|") } else { value };
    format!("{fence}{pad}{value}{pad}{fence}")
}

fn longest_run(text: &str, wanted: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for c in text.chars() {
        if c == wanted {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// A fenced code block that nothing inside can close early.
fn md_fence(language: &str, text: &str, out: &mut String) {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    out.push_str(&fence);
    out.push_str(language);
    out.push('\n');
    for line in text.lines() {
        out.extend(line.chars().filter(|c| !c.is_control() || *c == '\t'));
        out.push('\n');
    }
    out.push_str(&fence);
    out.push_str("\n\n");
}

/// An opening code fence: up to three spaces, then three or more backticks or tildes; a backtick
/// fence's info string may not hold a backtick (CommonMark), or the line is not a fence.
/// Returns the fence character, its length, its indent and the info string.
fn opening_fence(line: &str) -> Option<(char, usize, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let fence_char = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = rest.chars().take_while(|c| *c == fence_char).count();
    if length < 3 {
        return None;
    }
    let info = rest[length..].trim();
    if fence_char == '`' && info.contains('`') {
        return None;
    }
    Some((fence_char, length, indent, info))
}

/// Whether `line` closes a fence. Looser than CommonMark (anything may follow the fence), which is
/// the safe side: text is only ever left unescaped while both this code and a renderer agree it is
/// inside a fence.
fn closes_fence(line: &str, fence_char: char, length: usize) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    indent <= 3 && line[indent..].chars().take_while(|c| *c == fence_char).count() >= length
}

/// A description as Markdown. Fenced code is re-fenced by us at the start of a line, after a
/// blank line, so every renderer sees it as the same literal block (and an unclosed fence cannot
/// swallow the rest of the page); everything else goes through [`md_escape_line`].
fn md_prose_block(description: &str, out: &mut String) {
    let description = description.trim_end().trim_start_matches(['\n', '\r']);
    let mut fence: Option<(char, usize, usize, String, Vec<&str>)> = None;
    for line in description.lines() {
        if let Some((fence_char, length, indent, info, lines)) = &mut fence {
            if closes_fence(line, *fence_char, *length) {
                flush_fence(info, *indent, lines, out);
                fence = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        if let Some((fence_char, length, indent, info)) = opening_fence(line) {
            let language: String = info.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.')).collect();
            fence = Some((fence_char, length, indent, language, Vec::new()));
            continue;
        }
        md_escape_line(line, false, out);
        out.push('\n');
    }
    if let Some((_, _, indent, info, lines)) = &fence {
        flush_fence(info, *indent, lines, out);
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

fn flush_fence(language: &str, indent: usize, lines: &[&str], out: &mut String) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    // CommonMark removes the opening fence's indent from the content lines.
    let body: Vec<&str> = lines
        .iter()
        .map(|line| {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            &line[spaces.min(indent)..]
        })
        .collect();
    md_fence(language, &body.join("\n"), out);
}

/// One line of a description: kept as Markdown, except that raw HTML, autolinks (`<`) and links,
/// images and reference definitions (`[`) are escaped, because a Markdown renderer may pass them
/// through unfiltered. Code spans are copied as they are (their content is literal to every
/// renderer) unless they hold a pipe, which GFM tables split on even inside code.
fn md_escape_line(line: &str, in_table: bool, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c == '\\' {
            if let Some(&next) = chars.get(index + 1).filter(|next| next.is_ascii_punctuation()) {
                out.push('\\');
                out.push(next);
                index += 2;
                continue;
            }
        }
        if c == '`' {
            let run = chars[index..].iter().take_while(|c| **c == '`').count();
            if let Some(close) = closing_run(&chars, index + run, run) {
                let content = &chars[index + run..close];
                if !content.contains(&'|') {
                    out.extend(chars[index..close + run].iter().filter(|c| !c.is_control()));
                    index = close + run;
                    continue;
                }
            }
            out.extend(std::iter::repeat_n('`', run));
            index += run;
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '[' => out.push_str("\\["),
            '|' if in_table => out.push_str("\\|"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
        index += 1;
    }
}

/// Where the backtick run of exactly `length` that closes a code span starts, if any.
fn closing_run(chars: &[char], from: usize, length: usize) -> Option<usize> {
    let mut index = from;
    while index < chars.len() {
        if chars[index] == '`' {
            let run = chars[index..].iter().take_while(|c| **c == '`').count();
            if run == length {
                return Some(index);
            }
            index += run;
        } else {
            index += 1;
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

/// Headings of a page start at `<h3>` on the HTML page: `<h1>` is the API's title and `<h2>` a
/// section (a tag, webhooks, models).
const HTML_HEADING_SHIFT: usize = 2;

const STYLE: &str = r#"
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --soft: #151b23; --accent: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  display: grid; grid-template-columns: minmax(15rem, 20rem) minmax(0, 1fr); }
nav.toc { position: sticky; top: 0; height: 100vh; overflow-y: auto; padding: 1.25rem 1rem 2rem; border-right: 1px solid var(--line); background: var(--soft); font-size: 14px; }
nav.toc .toc-title { font-weight: 600; font-size: 16px; margin: 0 0 1rem; }
nav.toc h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 1.25rem 0 .4rem; border: 0; padding: 0; }
nav.toc ul { list-style: none; margin: 0; padding: 0; }
nav.toc ul ul { padding-left: .75rem; }
nav.toc li { margin: .15rem 0; overflow-wrap: anywhere; }
nav.toc .group { font-weight: 600; margin-top: .6rem; }
main { padding: 1.5rem 3rem 6rem; max-width: 68rem; min-width: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 2rem; margin: 0 0 .5rem; }
h2 { font-size: 1.5rem; margin: 3rem 0 1rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.25rem; margin: 0 0 .5rem; }
h4 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
h5, h6 { font-size: .95rem; margin: 1.1rem 0 .4rem; }
article { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 1.25rem 0; scroll-margin-top: 1rem; }
section { scroll-margin-top: 1rem; }
p { margin: .5rem 0; }
code { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: .875em; background: var(--soft); padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; overflow: auto; font-size: 13px; line-height: 1.45; max-height: 32rem; }
pre code { background: none; padding: 0; font-size: inherit; overflow-wrap: normal; }
.table { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td code { overflow-wrap: break-word; }
td .method { margin-right: .2em; }
h1 code, h2 code, h3 code, h4 code, h5 code, h6 code { font-size: 1em; background: none; padding: 0; }
.method { display: inline-block; min-width: 4.2em; padding: 0 .4em; border-radius: 4px; font: 600 12px/1.7 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; text-align: center; color: #fff; background: #59636e; vertical-align: baseline; }
.m-get { background: #1a7f37; } .m-post { background: #0969da; } .m-put { background: #9a6700; } .m-patch { background: #8250df; } .m-delete { background: #cf222e; }
.meta { color: var(--muted); }
@media (max-width: 50rem) { body { display: block; } nav.toc { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line); } main { padding: 1rem; } }
@media print { body { display: block; } nav.toc { display: none; } article { break-inside: avoid-page; } }
"#;

/// The HTML page in pieces, in order: the head and contents, each group's opening, its
/// operations a few at a time, the models a few at a time, the end.
fn html_page_pieces<'c>(context: &'c DocsContext<'_>) -> Vec<RenderPage<'c>> {
    let mut pieces: Vec<RenderPage<'c>> = vec![Box::new(move || html_page_head(context))];
    let groups = group_anchors(context);
    if context.groups.is_empty() {
        pieces.push(text_piece("<section id=\"operations\">\n<h2>Operations</h2>\n<p>The document declares no operations.</p>\n</section>\n"));
    }
    for (group, anchor) in context.groups.iter().zip(groups) {
        pieces.push(Box::new(move || {
            let mut out = format!("<section id=\"{anchor}\">\n<h2>{}</h2>\n", escape_html(group_title(context, group)));
            if let Some(description) = group.tag.as_deref().and_then(|tag| context.tag_description(tag)) {
                html_prose(&description, &mut out);
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
                out.push_str(&format!("<article id=\"{}\">\n", model_anchor(&context.model_slugs[id.0])));
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

/// How many operations or models one piece of a long page renders: a piece is one job of the
/// generator's queue, so that a long page does not hold up the end of a run.
const ITEMS_PER_PIECE: usize = 64;

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
    out.push_str("<style>");
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

fn group_title<'g>(context: &DocsContext<'_>, group: &'g Group) -> &'g str {
    match &group.tag {
        Some(tag) => tag,
        None if context.has_tag_groups() => "Other",
        None => "Operations",
    }
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
    fn href(&self, target: Target) -> String {
        match target {
            Target::HtmlPage => "#top".into(),
            Target::Operation(index) => {
                format!("#{}", operation_anchor(self.context.operation_slugs.get(index).map(String::as_str).unwrap_or("operation")))
            }
            Target::Model(id) => format!("#{}", model_anchor(self.context.model_slugs.get(id.0).map(String::as_str).unwrap_or("Model"))),
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
                    out.push_str(&format!("<li><a class=\"group\" href=\"#{anchor}\">{}</a>\n<ul>\n", escape_html(group_title(context, group))));
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
            out.push_str(&format!("<li><a href=\"{}\">{}</a></li>\n", self.href(Target::Model(id)), escape_html(&context.space().get(id).name)));
        }
        out.push_str("</ul>\n</nav>\n");
    }

    fn toc_operation(&self, index: usize, out: &mut String) {
        let Some(operation) = self.context.model.operations.get(index) else { return };
        out.push_str(&format!("<li><a href=\"{}\">", self.href(Target::Operation(index))));
        method_badge(operation.method.field(), out);
        out.push(' ');
        out.push_str(&escape_html(&operation.id));
        out.push_str("</a></li>\n");
    }

    fn operation(&self, index: usize, out: &mut String) {
        out.push_str(&format!("<article id=\"{}\">\n", operation_anchor(&self.context.operation_slugs[index])));
        for block in self.context.operation_page(index) {
            self.block(&block, HTML_HEADING_SHIFT, out);
        }
        out.push_str("</article>\n");
    }

    fn block(&self, block: &Block, shift: usize, out: &mut String) {
        match block {
            Block::Heading(level, inlines) => {
                let level = (level + shift).clamp(1, 6);
                out.push_str(&format!("<h{level}>"));
                self.inlines(inlines, out);
                out.push_str(&format!("</h{level}>\n"));
            }
            Block::Paragraph(inlines) => {
                out.push_str("<p>");
                self.inlines(inlines, out);
                out.push_str("</p>\n");
            }
            Block::Prose(description) => html_prose(description, out),
            Block::Table { head, rows } => {
                out.push_str("<div class=\"table\"><table>\n<thead><tr>");
                for cell in head {
                    out.push_str(&format!("<th>{}</th>", escape_html(cell)));
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
            Block::Code { text, .. } => {
                out.push_str("<pre><code>");
                out.push_str(&escape_html(text));
                out.push_str("</code></pre>\n");
            }
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
                Inline::Text(value) => out.push_str(&escape_html(value)),
                Inline::Code(value) => {
                    out.push_str("<code>");
                    out.push_str(&escape_html(value));
                    out.push_str("</code>");
                }
                Inline::Strong(inner) => {
                    out.push_str("<strong>");
                    self.inlines(inner, out);
                    out.push_str("</strong>");
                }
                Inline::Link(target, inner) => {
                    out.push_str(&format!("<a href=\"{}\">", self.href(*target)));
                    self.inlines(inner, out);
                    out.push_str("</a>");
                }
                Inline::Prose(description) => {
                    let flat = description.split_whitespace().collect::<Vec<_>>().join(" ");
                    html_inline(&flat, out);
                }
                Inline::Method(method) => method_badge(method, out),
                Inline::Path(path) => {
                    out.push_str("<code class=\"path\">");
                    for (position, segment) in path.split('/').enumerate() {
                        if position > 0 {
                            out.push_str("/<wbr>");
                        }
                        out.push_str(&escape_html(segment));
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
    out.push_str(&format!("<span class=\"{class}\">{}</span>", escape_html(&method.to_uppercase())));
}

fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A description as HTML: escaped text in paragraphs split on blank lines, fenced code as `<pre>`,
/// lines starting with a list marker as a list, code spans as `<code>`. Nothing else of Markdown
/// is interpreted, so nothing in it can become markup.
fn html_prose(description: &str, out: &mut String) {
    let description = description.trim_end().trim_start_matches(['\n', '\r']);
    let mut paragraph: Vec<&str> = Vec::new();
    let mut fence: Option<(char, usize, usize, Vec<&str>)> = None;
    for line in description.lines() {
        if let Some((fence_char, length, indent, lines)) = &mut fence {
            if closes_fence(line, *fence_char, *length) {
                html_pre(*indent, lines, out);
                fence = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        if let Some((fence_char, length, indent, _)) = opening_fence(line) {
            html_paragraph(&paragraph, out);
            paragraph.clear();
            fence = Some((fence_char, length, indent, Vec::new()));
            continue;
        }
        if line.trim().is_empty() {
            html_paragraph(&paragraph, out);
            paragraph.clear();
        } else {
            paragraph.push(line);
        }
    }
    if let Some((_, _, indent, lines)) = &fence {
        html_pre(*indent, lines, out);
    }
    html_paragraph(&paragraph, out);
}

fn html_pre(indent: usize, lines: &[&str], out: &mut String) {
    out.push_str("<pre><code>");
    for (position, line) in lines.iter().enumerate() {
        if position > 0 {
            out.push('\n');
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        out.push_str(&escape_html(&line[spaces.min(indent)..]));
    }
    out.push_str("</code></pre>\n");
}

fn list_item(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    ["- ", "* ", "+ "].iter().find_map(|marker| trimmed.strip_prefix(marker))
}

fn html_paragraph(lines: &[&str], out: &mut String) {
    let Some(first) = lines.first() else { return };
    if list_item(first).is_some() {
        out.push_str("<ul>\n");
        let mut item = String::new();
        for line in lines {
            match list_item(line) {
                Some(start) => {
                    if !item.is_empty() {
                        out.push_str("<li>");
                        html_inline(&item, out);
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
        html_inline(&item, out);
        out.push_str("</li>\n</ul>\n");
        return;
    }
    let joined = lines.iter().map(|line| line.trim()).collect::<Vec<_>>().join("\n");
    // A Markdown heading inside a description is shown as a bold line, not a page heading.
    if lines.len() == 1 {
        let hashes = first.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && first[hashes..].starts_with(' ') {
            out.push_str("<p><strong>");
            html_inline(first[hashes..].trim(), out);
            out.push_str("</strong></p>\n");
            return;
        }
    }
    out.push_str("<p>");
    html_inline(&joined, out);
    out.push_str("</p>\n");
}

/// Escaped text with code spans as `<code>` and backslash escapes resolved.
fn html_inline(text: &str, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    let mut index = 0;
    let mut plain = String::new();
    while index < chars.len() {
        let c = chars[index];
        if c == '\\' {
            if let Some(&next) = chars.get(index + 1).filter(|next| next.is_ascii_punctuation()) {
                plain.push(next);
                index += 2;
                continue;
            }
        }
        if c == '`' {
            let run = chars[index..].iter().take_while(|c| **c == '`').count();
            if let Some(close) = closing_run(&chars, index + run, run) {
                out.push_str(&escape_html(&plain));
                plain.clear();
                let content: String = chars[index + run..close].iter().map(|c| if *c == '\n' { ' ' } else { *c }).collect();
                // CommonMark strips one space on each side when both are there.
                let content = match content.strip_prefix(' ').and_then(|inner| inner.strip_suffix(' ')) {
                    Some(inner) if !inner.trim().is_empty() => inner.to_string(),
                    _ => content,
                };
                out.push_str("<code>");
                out.push_str(&escape_html(&content));
                out.push_str("</code>");
                index = close + run;
                continue;
            }
            plain.extend(std::iter::repeat_n('`', run));
            index += run;
            continue;
        }
        plain.push(c);
        index += 1;
    }
    out.push_str(&escape_html(&plain));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped_line(line: &str, in_table: bool) -> String {
        let mut out = String::new();
        md_escape_line(line, in_table, &mut out);
        out
    }

    #[test]
    fn slugs_are_safe_and_unique_ignoring_case() {
        let names = ["getPet", "GETPET", "../../x", "a/b", "", "con", "Con", "ünïcode", "get-pet"];
        let slugs = unique_slugs(names.into_iter(), "operation");
        assert_eq!(slugs, ["getPet", "GETPET_2", "______x", "a_b", "operation", "con_", "Con__2", "_n_code", "get-pet"]);
        assert!(slugs.iter().all(|slug| slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')));
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
    fn markdown_fences_are_refenced_and_closed() {
        let mut out = String::new();
        md_prose_block("Intro\n  ```js\n  a < b\n  ````\n<b>\n```\nunclosed <i>", &mut out);
        assert_eq!(out, "Intro\n\n```js\na < b\n```\n\n&lt;b>\n\n```\nunclosed <i>\n```\n\n");
        // A backtick fence whose info string holds a backtick is not a fence in CommonMark.
        let mut out = String::new();
        md_prose_block("```a`b\n<script>", &mut out);
        assert!(out.contains("&lt;script>"), "{out}");
    }

    #[test]
    fn html_prose_escapes_everything() {
        let mut out = String::new();
        html_prose("One `<b>` & <i>two</i>\nstill one\n\n- a\n- b `c`\n\n```\n<x>\n```", &mut out);
        assert_eq!(
            out,
            "<p>One <code>&lt;b&gt;</code> &amp; &lt;i&gt;two&lt;/i&gt;\nstill one</p>\n<ul>\n<li>a</li>\n<li>b <code>c</code></li>\n</ul>\n<pre><code>&lt;x&gt;</code></pre>\n"
        );
    }

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(md_code("a`b", false), "``a`b``");
        assert_eq!(md_code("`a", false), "`` `a ``");
        assert_eq!(md_code("a|b", true), "`a\\|b`");
        assert_eq!(md_code("", false), "(empty)");
    }
}
