//! The server's `OPERATIONS` constant: the operation table ([`crate::ir::table`]) printed as
//! Rust. The handlers hold only what depends on their types; everything else is this data,
//! written as text (see `data_text`).

use super::client::{location_path, style_path};
use super::data_text::{atom, string, Data};
use crate::ir::param_shape::{ScalarKind, ShapeKind};
use crate::ir::table::{table_entry, BodyEntry, ParamEntry, ParamShape, ResponseCheck, TableEntry};
use crate::ir::{MediaKind, Model, Operation, Status};

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
        super::written_items::push_indent(&mut out, INDENT);
        entry(&table_entry(&model.space, operation)).write(&mut out, INDENT, INDENT, 1);
        out.push_str(",\n");
    }
    if last {
        out.push_str("];\n");
    }
    out
}

/// With a feature per tag: the table of one feature's operations, compiled only with it.
pub fn write_feature_table(model: &Model, operations: &[&Operation], name: &str, feature: &str) -> String {
    let mut out = String::with_capacity(operations.len() * 1024);
    out.push_str(&format!(
        "/// The operations of the cargo feature `{feature}`.\n#[cfg(feature = {feature:?})]\nconst {name}: &[rt::Operation] = &[\n"
    ));
    for operation in operations {
        super::written_items::push_indent(&mut out, INDENT);
        entry(&table_entry(&model.space, operation)).write(&mut out, INDENT, INDENT, 1);
        out.push_str(",\n");
    }
    out.push_str("];\n");
    out
}

fn entry(entry: &TableEntry<'_>) -> Data {
    Data::Struct(
        "rt::Operation".into(),
        vec![
            ("operation_id", string(entry.operation_id)),
            ("method", string(entry.method)),
            ("path", string(&entry.path)),
            ("parameters", Data::Slice(entry.parameters.iter().map(parameter_spec).collect())),
            ("body", Data::Slice(entry.body.iter().map(body_media).collect())),
            ("responses", Data::Slice(entry.responses.iter().map(response_schema).collect())),
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

fn shape(shape: &ParamShape<'_>) -> Data {
    match shape {
        ParamShape::Json => atom("Shape::Json"),
        ParamShape::Shape(ShapeKind::Scalar(kind)) => Data::Call("Shape::Scalar".into(), vec![scalar(*kind)]),
        ParamShape::Shape(ShapeKind::Array(item)) => Data::Call("Shape::Array".into(), vec![scalar(*item)]),
        ParamShape::Shape(ShapeKind::Object { properties, additional }) => {
            // A tuple is a call without a name.
            let properties = properties.iter().map(|(name, kind)| Data::Call(String::new(), vec![string(name), scalar(*kind)])).collect();
            Data::Struct("Shape::Object".into(), vec![("properties", Data::Slice(properties)), ("additional", scalar(*additional))])
        }
    }
}

/// `ParamSpec::new(..)` with only what differs from the location's defaults chained on
/// (`ParamSpec::new` starts from the location's default style, as the lowering does).
fn parameter_spec(parameter: &ParamEntry<'_>) -> Data {
    let new = Data::Call("ParamSpec::new".into(), vec![string(parameter.name), atom(location_path(parameter.location)), shape(&parameter.shape)]);
    let mut calls = Vec::new();
    if parameter.required {
        calls.push(("required", Vec::new()));
    }
    if !parameter.has_default_style() {
        calls.push(("style", vec![atom(style_path(parameter.style)), atom(parameter.explode.to_string())]));
    }
    if let Some(pointer) = parameter.schema {
        calls.push(("schema", vec![string(pointer)]));
    }
    if calls.is_empty() {
        new
    } else {
        Data::Chain(Box::new(new), calls)
    }
}

fn body_media(media: &BodyEntry<'_>) -> Data {
    let kind = match media.kind {
        MediaKind::Json => "rt::MediaKind::Json",
        MediaKind::Text => "rt::MediaKind::Text",
        MediaKind::Form => "rt::MediaKind::Form",
        MediaKind::Multipart => "rt::MediaKind::Multipart",
        MediaKind::Binary => "rt::MediaKind::Binary",
    };
    let schema = match &media.schema {
        Some(pointer) => Data::Call("Some".into(), vec![string(pointer)]),
        None => atom("None"),
    };
    Data::Struct(
        "rt::BodyMedia".into(),
        vec![
            ("media_type", string(media.media_type)),
            ("kind", atom(kind)),
            ("schema", schema),
            ("form", Data::Slice(media.form.iter().map(parameter_spec).collect())),
            ("streams", atom(media.streams.to_string())),
        ],
    )
}

fn response_schema(check: &ResponseCheck<'_>) -> Data {
    let (media_type, pointer) = (string(check.media_type), string(&check.schema));
    match check.status {
        Status::Code(code) => Data::Call("rt::ResponseSchema::code".into(), vec![atom(code.to_string()), media_type, pointer]),
        Status::Range(digit) => Data::Call("rt::ResponseSchema::range".into(), vec![atom(digit.to_string()), media_type, pointer]),
        Status::Default => Data::Call("rt::ResponseSchema::default_response".into(), vec![media_type, pointer]),
    }
}
