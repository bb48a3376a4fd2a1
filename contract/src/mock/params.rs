//! The runtime's operation table, converted from the generator's ([`oas_codegen::ir::table`]) at
//! start-up rather than generated as statics: one row per served operation. Styles and media
//! kinds are the same enums on both sides (`oas-wire`); locations and scalar kinds are converted.
//!
//! The runtime's tables hold `&'static` data because generated servers write them as constants.
//! A mock builds them once and keeps them for the rest of the process, so they are leaked on
//! purpose: the alternative, a second copy of the runtime's request handling over owned data,
//! would let the mock drift from what generated servers do.

use oas_codegen::ir::param_shape::{ScalarKind, ShapeKind};
use oas_codegen::ir::table::{ParamEntry, ParamShape, TableEntry};
use oas_codegen::ir::Location as CodegenLocation;
use oas_runtime::server::params::{Location, ParamSpec, Scalar, Shape};
use oas_runtime::server::{BodyMedia, Operation};

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

fn shape(shape: &ParamShape<'_>) -> Shape {
    match shape {
        ParamShape::Json => Shape::Json,
        ParamShape::Shape(ShapeKind::Scalar(kind)) => Shape::Scalar(runtime_scalar(*kind)),
        ParamShape::Shape(ShapeKind::Array(item)) => Shape::Array(runtime_scalar(*item)),
        ParamShape::Shape(ShapeKind::Object { properties, additional }) => {
            let properties = properties.iter().map(|(name, kind)| (leak(name), runtime_scalar(*kind))).collect();
            Shape::Object { properties: leak_slice(properties), additional: runtime_scalar(*additional) }
        }
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

fn parameter(entry: &ParamEntry<'_>) -> ParamSpec {
    ParamSpec {
        name: leak(entry.name),
        location: location(entry.location),
        style: entry.style,
        explode: entry.explode,
        required: entry.required,
        shape: shape(&entry.shape),
        schema: entry.schema.map(leak),
    }
}

/// The runtime's row for one operation of the table. Responses are left unchecked: the mock
/// builds them from the same schemas.
pub fn operation(entry: &TableEntry<'_>) -> Operation {
    let body = entry
        .body
        .iter()
        .map(|media| BodyMedia {
            media_type: leak(media.media_type),
            kind: media.kind,
            schema: media.schema.as_deref().map(leak),
            form: leak_slice(media.form.iter().map(parameter).collect()),
            // The mock reads every body whole, within the body limit, to check it.
            streams: false,
        })
        .collect();
    Operation {
        operation_id: leak(entry.operation_id),
        method: leak(entry.method),
        path: leak(&entry.path),
        parameters: leak_slice(entry.parameters.iter().map(parameter).collect()),
        body: leak_slice(body),
        responses: &[],
    }
}
