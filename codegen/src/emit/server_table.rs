//! The server's `OPERATIONS` table: per operation its route, how its parameters and body are
//! read, and the schemas its requests and responses are checked against. The handlers hold only
//! what depends on their types; everything else is this data, written as text (see `data_text`).

use super::client::{location_path, style_path};
use super::data_text::{atom, string, Data};
use super::server::webhook_path;
use crate::ir::param_shape::{shape_kind, ScalarKind, ShapeKind};
use crate::ir::Model;
use crate::ir::{Content, MediaKind, Operation, Parameter, Status};
use crate::ir::{Presence, Ty, TypeSpace};

const INDENT: usize = 4;

/// The opening of the table, its entries for `operations`, and its closing: the table can be
/// written in pieces (`first` and `last` say which ends a piece carries).
pub fn write_entries(model: &Model, operations: &[&Operation], first: bool, last: bool) -> String {
    let mut out = String::with_capacity(operations.len() * 1024);
    if first {
        out.push_str(
            "/// Each operation's route, how its parameters and body are read, and the schemas its\n\
             /// requests and responses are checked against (JSON pointers into the document), in the\n\
             /// order of `dispatch`'s indexes.\n",
        );
        out.push_str("const OPERATIONS: &[rt::Operation] = &[");
        if last && operations.is_empty() {
            out.push_str("];\n");
            return out;
        }
        out.push('\n');
    }
    for operation in operations {
        out.extend(std::iter::repeat_n(' ', INDENT));
        entry(&model.space, operation).write(&mut out, INDENT, INDENT, 1);
        out.push_str(",\n");
    }
    if last {
        out.push_str("];\n");
    }
    out
}

fn entry(space: &TypeSpace, operation: &Operation) -> Data {
    let path = if operation.webhook { webhook_path(&operation.path) } else { operation.path.clone() };
    let body = operation.body.iter().flat_map(|body| &body.contents).map(|content| body_media(space, content)).collect();
    Data::Struct(
        "rt::Operation".into(),
        vec![
            ("operation_id", string(&operation.id)),
            ("method", string(&operation.method.http())),
            ("path", string(&path)),
            ("parameters", Data::Slice(operation.parameters.iter().map(|parameter| parameter_spec(space, parameter)).collect())),
            ("body", Data::Slice(body)),
            ("responses", Data::Slice(response_schemas(operation))),
        ],
    )
}

fn scalar(kind: ScalarKind) -> Data {
    atom(match kind {
        ScalarKind::Boolean => "Scalar::Boolean",
        ScalarKind::Integer => "Scalar::Integer",
        ScalarKind::Number => "Scalar::Number",
        ScalarKind::String => "Scalar::String",
        ScalarKind::Any => "Scalar::Any",
    })
}

fn shape(space: &TypeSpace, ty: &Ty) -> Data {
    match shape_kind(space, ty) {
        ShapeKind::Scalar(kind) => Data::Call("Shape::Scalar".into(), vec![scalar(kind)]),
        ShapeKind::Array(item) => Data::Call("Shape::Array".into(), vec![scalar(item)]),
        ShapeKind::Object { properties, additional } => {
            // A tuple is a call without a name.
            let properties = properties.into_iter().map(|(name, kind)| Data::Call(String::new(), vec![string(name), scalar(kind)])).collect();
            Data::Struct("Shape::Object".into(), vec![("properties", Data::Slice(properties)), ("additional", scalar(additional))])
        }
    }
}

/// `ParamSpec::new(..)` with only what differs from the location's defaults chained on.
fn parameter_spec(space: &TypeSpace, parameter: &Parameter) -> Data {
    let shape = if parameter.json_content { atom("Shape::Json") } else { shape(space, &parameter.ty) };
    let new = Data::Call("ParamSpec::new".into(), vec![string(&parameter.name), atom(location_path(parameter.location)), shape]);
    let mut calls = Vec::new();
    if parameter.required {
        calls.push(("required", Vec::new()));
    }
    // `ParamSpec::new` starts from the location's default style, as the lowering does.
    if parameter.style != parameter.location.default_style() || parameter.explode != parameter.style.default_explode() {
        calls.push(("style", vec![atom(style_path(parameter.style)), atom(parameter.explode.to_string())]));
    }
    if let Some(pointer) = &parameter.schema_pointer {
        calls.push(("schema", vec![string(pointer)]));
    }
    if calls.is_empty() {
        new
    } else {
        Data::Chain(Box::new(new), calls)
    }
}

fn body_media(space: &TypeSpace, content: &Content) -> Data {
    let kind = content.kind;
    let kind_path = match kind {
        MediaKind::Json => "rt::MediaKind::Json",
        MediaKind::Text => "rt::MediaKind::Text",
        MediaKind::Form => "rt::MediaKind::Form",
        MediaKind::Multipart => "rt::MediaKind::Multipart",
        MediaKind::Binary => "rt::MediaKind::Binary",
    };
    let schema = match &content.ty {
        Some(_) => Data::Call("Some".into(), vec![string(&content.schema_pointer())]),
        None => atom("None"),
    };
    let form = match (kind, &content.ty) {
        (MediaKind::Form | MediaKind::Multipart, Some(ty)) => form_specs(space, ty),
        _ => Vec::new(),
    };
    Data::Struct(
        "rt::BodyMedia".into(),
        vec![("media_type", string(&content.media_type)), ("kind", atom(kind_path)), ("schema", schema), ("form", Data::Slice(form))],
    )
}

/// How each property of a form body is read.
fn form_specs(space: &TypeSpace, ty: &Ty) -> Vec<Data> {
    let Some(structure) = space.struct_of(ty) else { return Vec::new() };
    structure
        .fields
        .iter()
        .map(|field| {
            let new = Data::Call("ParamSpec::new".into(), vec![string(&field.wire_name), atom("Location::Query"), shape(space, &field.ty)]);
            if matches!(field.presence, Presence::Required | Presence::RequiredNullable) {
                Data::Chain(Box::new(new), vec![("required", Vec::new())])
            } else {
                new
            }
        })
        .collect()
}

/// The schemas of the responses the handler writes as JSON: text and bytes are not checked.
fn response_schemas(operation: &Operation) -> Vec<Data> {
    let mut schemas = Vec::new();
    for response in &operation.responses {
        for content in &response.contents {
            let written_as_json = content.kind != MediaKind::Text && super::operations::content_ty(content) != Ty::Bytes;
            if content.ty.is_none() || !written_as_json {
                continue;
            }
            let media_type = string(&content.media_type);
            let pointer = string(&content.schema_pointer());
            schemas.push(match response.status {
                Status::Code(code) => Data::Call("rt::ResponseSchema::code".into(), vec![atom(code.to_string()), media_type, pointer]),
                Status::Range(digit) => Data::Call("rt::ResponseSchema::range".into(), vec![atom(digit.to_string()), media_type, pointer]),
                Status::Default => Data::Call("rt::ResponseSchema::default_response".into(), vec![media_type, pointer]),
            });
        }
    }
    schemas
}
