//! What each page says, as [blocks](super::blocks): the index, an operation, a model, and the
//! sections a grouped page is made of, all built from one [`DocsContext`] that holds the names
//! and groupings every page shares. Nothing here knows Markdown or HTML.

use std::borrow::Cow;

use serde_json::Value;

use super::blocks::{code, push_separated, shifted, strong, text, Block, Inline, Target};
use super::layout::{Layout, OperationGroup, Page};
use super::slugs::{model_anchor, model_slugs, operation_anchor, operation_slugs};
use crate::ir::{Content, Examples, FloatKind, IntKind, MediaKind, Model, Presence, Stream, Ty, TypeId, TypeKind, TypeSpace};
use crate::number_texts::NumberTexts;

/// The note at the top of every file; the crate header is written for Rust comments, this one
/// suits both formats.
pub(super) const GENERATED_NOTE: &str = "Generated from the OpenAPI document by oas-codegen. Do not edit; regenerate instead.";

/// Examples longer than this are left out: a page is for reading, and a few huge examples would
/// make the single HTML page of a large API unwieldy.
const MAX_EXAMPLE_BYTES: usize = 16 * 1024;

/// Parameter examples go into a table cell, so only short ones are shown.
const MAX_INLINE_EXAMPLE_CHARS: usize = 80;

/// Renders one page, or one piece of a long page.
pub(crate) type RenderPage<'c> = Box<dyn FnOnce() -> String + Send + 'c>;

/// How many operations or models one piece of a long page renders: a piece is one job of the
/// generator's queue, so that a long page does not hold up the end of a run.
pub(super) const ITEMS_PER_PIECE: usize = 64;

/// An operation group of the index: the operations whose first tag is `tag` (`None`: untagged).
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub tag: Option<String>,
    /// The heading: the tag, after the tags it is nested in (OpenAPI 3.2 `parent`), or `Other`
    /// (untagged among tagged groups) or `Operations` (nothing tagged).
    pub title: String,
    pub operations: Vec<usize>,
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
    pub(super) model: &'a Model,
    pub(super) operation_slugs: Vec<String>,
    pub(super) model_slugs: Vec<String>,
    pub(super) groups: Vec<Group>,
    pub(super) webhooks: Vec<usize>,
    used_by: Vec<Vec<User>>,
    pub(super) layout: Layout,
    /// The text of each number examples show that its double does not reproduce.
    numbers: &'a NumberTexts,
}

/// The names and groupings every page shares: they depend on the model alone, so a caller can
/// work them out beside other work before the pages are rendered.
#[derive(Debug, Clone)]
pub(crate) struct DocsIndex {
    operation_slugs: Vec<String>,
    model_slugs: Vec<String>,
    groups: Vec<Group>,
    webhooks: Vec<usize>,
    used_by: Vec<Vec<User>>,
    layout: Layout,
}

impl DocsIndex {
    pub(crate) fn of(model: &Model) -> DocsIndex {
        let operation_slugs = operation_slugs(&model.operations);
        let model_slugs = model_slugs(&model.space);
        let webhooks: Vec<usize> = model.operations.iter().enumerate().filter(|(_, operation)| operation.webhook).map(|(index, _)| index).collect();
        let groups = group_operations(model);
        let used_by = used_by(model);
        let layout = choose_layout(model, &groups, &webhooks);
        DocsIndex { operation_slugs, model_slugs, groups, webhooks, used_by, layout }
    }
}

impl<'a> DocsContext<'a> {
    pub(crate) fn new(model: &'a Model, numbers: &'a NumberTexts) -> Self {
        Self::with_index(model, numbers, DocsIndex::of(model))
    }

    /// The context of `model`, whose index is `index` ([`DocsIndex::of`] the same model).
    pub(crate) fn with_index(model: &'a Model, numbers: &'a NumberTexts, index: DocsIndex) -> Self {
        let DocsIndex { operation_slugs, model_slugs, groups, webhooks, used_by, layout } = index;
        DocsContext { model, operation_slugs, model_slugs, groups, webhooks, used_by, layout, numbers }
    }

    pub(super) fn space(&self) -> &TypeSpace {
        &self.model.space
    }

    pub(super) fn title(&self) -> String {
        self.model.info.title.clone().unwrap_or_else(|| "API reference".to_string())
    }

    /// What a group's heading is followed by: the tag's summary, then its description.
    pub(super) fn tag_introduction(&self, tag: Option<&str>) -> Vec<Block<'a>> {
        let Some(tag) = tag.and_then(|tag| self.model.tag(tag)) else { return Vec::new() };
        let summary = tag.summary.iter().map(|summary| Block::Paragraph(vec![text(summary)]));
        summary.chain(tag.description.iter().map(|description| Block::Prose(description))).collect()
    }

    pub(super) fn has_tag_groups(&self) -> bool {
        self.groups.iter().any(|group| group.tag.is_some())
    }

    /// The opening of the index: title, version and the document's own introduction.
    pub(super) fn introduction(&self) -> Vec<Block<'a>> {
        let mut blocks = vec![Block::Heading(1, vec![text(self.title())])];
        let info = &self.model.info;
        if let Some(version) = &info.version {
            blocks.push(Block::Paragraph(vec![text("Version "), code(version)]));
        }
        if let Some(summary) = &info.summary {
            blocks.push(Block::Paragraph(vec![text(summary)]));
        }
        if let Some(description) = &info.description {
            blocks.push(Block::Prose(description));
        }
        blocks
    }

    pub(super) fn index_page(&self) -> Vec<Block<'_>> {
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
                blocks.push(Block::Heading(3, vec![text(&group.title)]));
                blocks.extend(self.tag_introduction(group.tag.as_deref()));
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
                    let summary = definition
                        .description
                        .as_deref()
                        .map(first_sentence)
                        .map(|sentence| vec![Inline::Prose(sentence.into())])
                        .unwrap_or_default();
                    vec![vec![Inline::Link(Target::Model(id), vec![code(&definition.name)])], vec![text(kind_word(&definition.kind))], summary]
                })
                .collect();
            blocks.push(Block::Table { head: vec!["Model", "Kind", "Description"], rows });
        }
        blocks
    }

    /// One row per operation: a link to it, its method and path, its summary.
    pub(super) fn operation_table(&self, operations: &[usize]) -> Block<'_> {
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
                    .or_else(|| operation.description.as_deref().map(|description| vec![Inline::Prose(first_sentence(description).into())]))
                    .unwrap_or_default();
                Some(vec![title, vec![Inline::Method(operation.method.field()), text(" "), Inline::Path(&operation.path)], summary])
            })
            .collect();
        Block::Table { head: vec!["Operation", "Request", "Summary"], rows }
    }

    pub(super) fn operation_page(&self, index: usize) -> Vec<Block<'_>> {
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
                Inline::Method(operation.method.field()),
                text(" request the API sends to its consumers."),
            ]));
        } else {
            blocks.push(Block::Paragraph(vec![Inline::Method(operation.method.field()), text(" "), Inline::Path(&operation.path)]));
        }
        if let Some(summary) = operation.summary.as_deref().map(str::trim).filter(|summary| !summary.is_empty()) {
            blocks.push(Block::Paragraph(vec![strong(summary)]));
        }
        if operation.deprecated {
            blocks.push(Block::Paragraph(vec![strong("Deprecated."), text(" The document marks this operation as deprecated.")]));
        }
        if let Some(description) = &operation.description {
            blocks.push(Block::Prose(description));
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
                        push_separated(&mut description, Inline::Prose(text.into()));
                    }
                    if let Some(example) = parameter.example.as_ref().and_then(|example| inline_example(example, self.numbers)) {
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
                blocks.push(Block::Prose(description));
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
                blocks.push(Block::Prose(description));
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
                            header.description.iter().map(|description| Inline::Prose(description.into())).collect(),
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
    fn content_blocks<'s>(&'s self, content: &'s Content, blocks: &mut Vec<Block<'s>>) {
        if let Some(stream) = &content.stream {
            blocks.push(self.stream_paragraph(stream));
        } else {
            self.type_blocks(content, blocks);
        }
        let json = content.kind == MediaKind::Json;
        match &content.examples {
            Examples::Single(example) => {
                blocks.push(Block::Paragraph(vec![text("Example:")]));
                blocks.push(example_block(example, json, self.numbers));
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
                        blocks.push(Block::Prose(description));
                    }
                    if let Some(value) = &example.value {
                        blocks.push(example_block(value, json, self.numbers));
                    } else if let Some(location) = &example.external_value {
                        // Shown as text, not a link: the page must not load or point to anything.
                        blocks.push(Block::Paragraph(vec![text("The value is kept outside the document, at "), code(location), text(".")]));
                    }
                }
            }
            Examples::None => {
                if let Some(example) = &content.schema_example {
                    blocks.push(Block::Paragraph(vec![text("Example (from the schema):")]));
                    blocks.push(example_block(example, json, self.numbers));
                }
            }
        }
    }

    /// The type of a body that travels whole, or of the items of a multipart sequence.
    fn type_blocks<'s>(&'s self, content: &'s Content, blocks: &mut Vec<Block<'s>>) {
        match (&content.ty, &content.item_ty) {
            (Some(ty), _) => {
                let mut line = vec![text("Type: ")];
                line.extend(self.ty_inlines(ty));
                blocks.push(Block::Paragraph(line));
            }
            (None, None) => blocks.push(Block::Paragraph(vec![text("No schema is declared; any content of this media type.")])),
            (None, Some(_)) => {}
        }
        if let Some(item) = &content.item_ty {
            let mut line = vec![text("A sequence of items, each of type: ")];
            line.extend(self.ty_inlines(item));
            if let Some(content_type) = &content.item_content_type {
                line.extend([text(", encoded as "), code(content_type)]);
            }
            blocks.push(Block::Paragraph(line));
        }
    }

    pub(super) fn model_page(&self, id: TypeId) -> Vec<Block<'_>> {
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
            blocks.push(Block::Prose(description));
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
                                push_separated(&mut description, Inline::Prose(text.into()));
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
    pub(super) fn ty_inlines<'s>(&'s self, ty: &Ty) -> Vec<Inline<'s>> {
        let mut out = Vec::new();
        self.push_ty(ty, &mut out);
        out
    }

    fn push_ty<'s>(&'s self, ty: &Ty, out: &mut Vec<Inline<'s>>) {
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

    /// The start of a grouped page: its title, and the description of its tag.
    pub(super) fn grouped_page_title<'s>(&'s self, page: &'s Page) -> Vec<Block<'s>> {
        let mut blocks = vec![Block::Heading(1, vec![text(&page.title)])];
        blocks.extend(self.tag_introduction(page.tag.as_deref()));
        blocks
    }

    /// Operations as sections of a larger page, each under its anchor.
    pub(super) fn grouped_operation_sections(&self, operations: &[usize]) -> Vec<Block<'_>> {
        let mut blocks = Vec::new();
        for &index in operations {
            blocks.push(Block::Anchor(operation_anchor(&self.operation_slugs[index])));
            blocks.extend(shifted(self.operation_page(index)));
        }
        blocks
    }

    /// Models as sections of a larger page, each under its anchor.
    pub(super) fn grouped_model_sections(&self, types: &[usize]) -> Vec<Block<'_>> {
        let mut blocks = Vec::new();
        for &index in types {
            blocks.push(Block::Anchor(model_anchor(&self.model_slugs[index])));
            blocks.extend(shifted(self.model_page(TypeId(index))));
        }
        blocks
    }
}

fn choose_layout(model: &Model, groups: &[Group], webhooks: &[usize]) -> Layout {
    let mut sections: Vec<OperationGroup<'_>> =
        groups.iter().map(|group| OperationGroup { title: &group.title, tag: group.tag.as_deref(), operations: &group.operations }).collect();
    if !webhooks.is_empty() {
        sections.push(OperationGroup { title: "Webhooks", tag: None, operations: webhooks });
    }
    let names: Vec<&str> = model.space.types.iter().map(|definition| definition.name.as_str()).collect();
    Layout::choose(model.operations.len(), &sections, &names)
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
fn inline_example(example: &Value, numbers: &NumberTexts) -> Option<String> {
    let shown = match example {
        Value::String(text) => text.clone(),
        other => numbers.to_json(other),
    };
    (shown.chars().count() <= MAX_INLINE_EXAMPLE_CHARS && !shown.contains('\n')).then_some(shown)
}

/// An example as a code block: strings of non-JSON media types as they are, everything else as
/// indented JSON (key order is the document's, so output is stable).
fn example_block<'e>(example: &'e Value, json: bool, numbers: &NumberTexts) -> Block<'e> {
    let (language, shown) = match example {
        Value::String(raw) if !json => ("text", Cow::Borrowed(raw.as_str())),
        other => ("json", Cow::Owned(numbers.to_json_pretty(other))),
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
            None => groups.push(Group { tag, title: String::new(), operations: vec![index] }),
        }
    }
    let tagged = groups.iter().any(|group| group.tag.is_some());
    for group in &mut groups {
        group.title = match &group.tag {
            Some(tag) => model.tag_path(tag).join(" › "),
            None if tagged => "Other".to_string(),
            None => "Operations".to_string(),
        };
    }
    // Nested tags follow their parent; a stable sort keeps first-use order among tags the
    // document does not list.
    let position = |name: &str| declared.iter().position(|declared| *declared == name).unwrap_or(declared.len());
    groups.sort_by_cached_key(|group| match &group.tag {
        Some(tag) => (0, model.tag_path(tag).into_iter().map(position).collect::<Vec<_>>()),
        None => (1, Vec::new()),
    });
    groups
}

/// The type of each item of a stream, which an event's `contentSchema` may give alone.
fn stream_item(stream: &Stream) -> Option<&Ty> {
    match stream {
        Stream::Events { data, .. } => data.as_ref(),
        Stream::Lines { item, .. } => Some(item),
        Stream::Bytes => None,
    }
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
        let responses = operation.responses.iter().flat_map(|response| &response.contents);
        for content in operation.body.iter().flat_map(|body| &body.contents).chain(responses) {
            for ty in content.ty.iter().chain(&content.item_ty).chain(content.stream.as_ref().and_then(stream_item)) {
                note(ty, user);
            }
        }
        for response in &operation.responses {
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
