//! The operation table: for each operation, the route a server answers it on, how its parameters
//! and body are read, and the schemas its requests and responses are checked against.
//!
//! This is the one place that decides what a server built on `oas-runtime` checks. The server
//! emitter prints it as the generated `OPERATIONS` constant; the mock server converts it into the
//! runtime's values at start-up. Both therefore refuse exactly the same requests.

use super::operations::{content_ty, Content, Location, MediaKind, Operation, Parameter, Status, Style};
use super::param_shape::{shape_kind, ShapeKind};
use super::types::{Presence, Ty, TypeSpace};
use super::Model;

/// Where a receiver serves a webhook: `/` and its name (the consumer mounts the router where
/// the API provider was told to send them, e.g. with `axum::Router::nest`).
pub fn webhook_path(name: &str) -> String {
    format!("/{}", name.trim_start_matches('/'))
}

/// One operation's row.
#[derive(Debug, Clone)]
pub struct TableEntry<'m> {
    /// The operation's `operationId`, or the id derived for it.
    pub operation_id: &'m str,
    /// As sent on the wire (`GET`).
    pub method: &'m str,
    /// The route: the path template, or [`webhook_path`] for a webhook.
    pub path: String,
    /// How each parameter is read, in the operation's order.
    pub parameters: Vec<ParamEntry<'m>>,
    /// One entry per media type the body may have; empty without a body.
    pub body: Vec<BodyEntry<'m>>,
    /// The responses written as JSON, whose schemas a server may check them against.
    pub responses: Vec<ResponseCheck<'m>>,
}

/// How one parameter (or one property of a form body) is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamEntry<'m> {
    /// The name on the wire.
    pub name: &'m str,
    /// Form properties are read like query parameters.
    pub location: Location,
    /// How the value is written as text.
    pub style: Style,
    /// Whether arrays and objects are spread over several values.
    pub explode: bool,
    /// A request without it is refused.
    pub required: bool,
    /// What the text is read as before it is checked against `schema`.
    pub shape: ParamShape<'m>,
    /// The pointer of the schema the value is checked against, if it has one.
    pub schema: Option<&'m str>,
}

impl ParamEntry<'_> {
    /// Whether the style is the one a parameter in its location has when it names none.
    pub fn has_default_style(&self) -> bool {
        self.style == self.location.default_style() && self.explode == self.style.default_explode()
    }
}

/// What a parameter's text is read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamShape<'s> {
    /// `content: {application/json: ...}`: the text is JSON.
    Json,
    /// Text in the parameter's style, read as the schema's shape.
    Shape(ShapeKind<'s>),
}

/// One media type a request body may have.
#[derive(Debug, Clone)]
pub struct BodyEntry<'m> {
    /// The media type as the document writes it.
    pub media_type: &'m str,
    /// How a body of this media type is read.
    pub kind: MediaKind,
    /// The pointer of the schema the body is validated with.
    pub schema: Option<String>,
    /// For form and multipart bodies: how each property is read.
    pub form: Vec<ParamEntry<'m>>,
    /// The body reaches the handler as a stream.
    pub streams: bool,
}

/// A response the handler writes as JSON, and the schema it should match.
#[derive(Debug, Clone)]
pub struct ResponseCheck<'m> {
    /// The status the response is documented for.
    pub status: &'m Status,
    /// The media type it is documented with.
    pub media_type: &'m str,
    /// The pointer of the media type's schema.
    pub schema: String,
}

/// The rows of the operations one router serves: the paths' operations, or (with `webhooks`)
/// the webhooks and callbacks a receiver answers, in document order.
pub fn operation_table(model: &Model, webhooks: bool) -> Vec<TableEntry<'_>> {
    model.operations.iter().filter(|operation| operation.webhook == webhooks).map(|operation| table_entry(&model.space, operation)).collect()
}

/// One operation's row.
pub fn table_entry<'m>(space: &'m TypeSpace, operation: &'m Operation) -> TableEntry<'m> {
    TableEntry {
        operation_id: &operation.id,
        method: operation.method.http(),
        path: if operation.webhook { webhook_path(&operation.path) } else { operation.path.clone() },
        parameters: operation.parameters.iter().map(|parameter| parameter_entry(space, parameter)).collect(),
        body: operation.body.iter().flat_map(|body| &body.contents).map(|content| body_entry(space, content)).collect(),
        responses: response_checks(operation),
    }
}

fn parameter_entry<'m>(space: &'m TypeSpace, parameter: &'m Parameter) -> ParamEntry<'m> {
    ParamEntry {
        name: &parameter.name,
        location: parameter.location,
        style: parameter.style,
        explode: parameter.explode,
        required: parameter.required,
        shape: if parameter.json_content { ParamShape::Json } else { ParamShape::Shape(shape_kind(space, &parameter.ty)) },
        schema: parameter.schema_pointer.as_deref(),
    }
}

fn body_entry<'m>(space: &'m TypeSpace, content: &'m Content) -> BodyEntry<'m> {
    let form = match (content.kind, &content.ty) {
        (MediaKind::Form | MediaKind::Multipart, Some(ty)) => form_entries(space, ty),
        _ => Vec::new(),
    };
    // A streamed body is never held whole, so it is not checked against its schema.
    let schema = content.ty.as_ref().filter(|_| content.stream.is_none()).map(|_| content.schema_pointer());
    BodyEntry { media_type: &content.media_type, kind: content.kind, schema, form, streams: content.stream.is_some() }
}

/// How each property of a form body is read: as an exploded form-style query parameter.
fn form_entries<'m>(space: &'m TypeSpace, ty: &Ty) -> Vec<ParamEntry<'m>> {
    let Some(structure) = space.struct_of(ty) else { return Vec::new() };
    structure
        .fields
        .iter()
        .map(|field| ParamEntry {
            name: &field.wire_name,
            location: Location::Query,
            style: Style::Form,
            explode: true,
            required: matches!(field.presence, Presence::Required | Presence::RequiredNullable),
            shape: ParamShape::Shape(shape_kind(space, &field.ty)),
            schema: None,
        })
        .collect()
}

/// The responses written as JSON, and the items of event and line streams: text and bytes are
/// not checked.
fn response_checks(operation: &Operation) -> Vec<ResponseCheck<'_>> {
    let mut checks = Vec::new();
    for response in &operation.responses {
        for content in &response.contents {
            if content.stream.is_some() {
                if let Some(pointer) = &content.item_schema_pointer {
                    checks.push(ResponseCheck { status: &response.status, media_type: &content.media_type, schema: pointer.clone() });
                }
                continue;
            }
            let written_as_json = content.kind != MediaKind::Text && content_ty(content) != Ty::Bytes;
            if content.ty.is_some() && written_as_json {
                checks.push(ResponseCheck { status: &response.status, media_type: &content.media_type, schema: content.schema_pointer() });
            }
        }
    }
    checks
}
