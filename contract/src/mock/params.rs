//! The runtime's parameter and body tables, built from the lowered operations at start-up
//! rather than generated as statics.
//!
//! The runtime's tables hold `&'static` data because generated servers write them as constants.
//! A mock builds them once and keeps them for the rest of the process, so they are leaked on
//! purpose: the alternative, a second copy of the runtime's request handling over owned data,
//! would let the mock drift from what generated servers do.

use oas_codegen::ir::param_shape::{shape_kind, ScalarKind, ShapeKind};
use oas_codegen::ir::MediaKind as CodegenMediaKind;
use oas_codegen::ir::{Location as CodegenLocation, Parameter, RequestBody, Style as CodegenStyle};
use oas_codegen::ir::{Presence, Ty, TypeSpace};
use oas_runtime::server::params::{Location, ParamSpec, Scalar, Shape, Style};
use oas_runtime::server::{BodyMedia, MediaKind};

pub fn leak(text: &str) -> &'static str {
    Box::leak(text.to_string().into_boxed_str())
}

fn leak_slice<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

/// How one value read from text is held, as the generated server's tables say.
fn runtime_scalar(kind: ScalarKind) -> Scalar {
    match kind {
        ScalarKind::Boolean => Scalar::Boolean,
        ScalarKind::Integer => Scalar::Integer,
        ScalarKind::Number => Scalar::Number,
        ScalarKind::String => Scalar::String,
        ScalarKind::Any => Scalar::Any,
    }
}

fn shape(space: &TypeSpace, ty: &Ty) -> Shape {
    match shape_kind(space, ty) {
        ShapeKind::Scalar(kind) => Shape::Scalar(runtime_scalar(kind)),
        ShapeKind::Array(item) => Shape::Array(runtime_scalar(item)),
        ShapeKind::Object { properties, additional } => {
            let properties = properties.into_iter().map(|(name, kind)| (leak(name), runtime_scalar(kind))).collect();
            Shape::Object { properties: leak_slice(properties), additional: runtime_scalar(additional) }
        }
    }
}

fn style(style: CodegenStyle) -> Style {
    match style {
        CodegenStyle::Simple => Style::Simple,
        CodegenStyle::Label => Style::Label,
        CodegenStyle::Matrix => Style::Matrix,
        CodegenStyle::Form => Style::Form,
        CodegenStyle::SpaceDelimited => Style::SpaceDelimited,
        CodegenStyle::PipeDelimited => Style::PipeDelimited,
        CodegenStyle::DeepObject => Style::DeepObject,
    }
}

fn location(location: CodegenLocation) -> Location {
    match location {
        CodegenLocation::Path => Location::Path,
        CodegenLocation::Query => Location::Query,
        CodegenLocation::Header => Location::Header,
        CodegenLocation::Cookie => Location::Cookie,
    }
}

/// An operation's parameter table, each with the pointer of its schema.
pub fn parameters(space: &TypeSpace, parameters: &[Parameter]) -> &'static [ParamSpec] {
    let specs = parameters
        .iter()
        .map(|parameter| ParamSpec {
            name: leak(&parameter.name),
            location: location(parameter.location),
            style: style(parameter.style),
            explode: parameter.explode,
            required: parameter.required,
            shape: if parameter.json_content { Shape::Json } else { shape(space, &parameter.ty) },
            schema: parameter.schema_pointer.as_deref().map(leak),
        })
        .collect();
    leak_slice(specs)
}

/// An operation's request body table.
pub fn body(space: &TypeSpace, body: &RequestBody) -> &'static [BodyMedia] {
    let media = body
        .contents
        .iter()
        .map(|content| {
            let kind = match content.kind {
                CodegenMediaKind::Json => MediaKind::Json,
                CodegenMediaKind::Text => MediaKind::Text,
                CodegenMediaKind::Form => MediaKind::Form,
                CodegenMediaKind::Multipart => MediaKind::Multipart,
                CodegenMediaKind::Binary => MediaKind::Binary,
            };
            let form = match (kind, &content.ty) {
                (MediaKind::Form | MediaKind::Multipart, Some(ty)) => form(space, ty),
                _ => &[],
            };
            let schema = content.ty.as_ref().map(|_| leak(&content.schema_pointer()));
            BodyMedia { media_type: leak(&content.media_type), kind, schema, form }
        })
        .collect();
    leak_slice(media)
}

/// How each property of a form body is read.
fn form(space: &TypeSpace, ty: &Ty) -> &'static [ParamSpec] {
    let Some(structure) = space.struct_of(ty) else { return &[] };
    let specs = structure
        .fields
        .iter()
        .map(|field| ParamSpec {
            name: leak(&field.wire_name),
            location: Location::Query,
            style: Style::Form,
            explode: true,
            required: matches!(field.presence, Presence::Required | Presence::RequiredNullable),
            shape: shape(space, &field.ty),
            schema: None,
        })
        .collect();
    leak_slice(specs)
}
