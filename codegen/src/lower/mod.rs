//! The document to the intermediate representation ([`crate::ir::Model`]).
//!
//! - [`schema`]: schemas to types in the type space, with their names.
//! - [`operations`]: paths, webhooks and callbacks to operations; [`halves`] shares them out
//!   between two cores with the model one pass makes.
//! - [`examples`]: the examples of media types and parameters, resolved through `$ref`.
//! - [`document`]: `info` and `tags`.
//! - [`shared_shapes`] and [`recursion`]: passes over the finished type space.

mod document;
mod examples;
mod fidelity;
mod halves;
pub mod operations;
pub(crate) mod recursion;
pub mod schema;
pub(crate) mod shared_shapes;
mod streams;
mod unread_3_2;

use crate::ir::Model;
use crate::load::Document;

pub(crate) use halves::Split;
pub use schema::TypeOptions;

/// Lowers a document: component schemas first (in document order), then operations, which name
/// their inline schemas after themselves; then identical anonymous schemas share one type and
/// recursion is broken with boxes. Nothing after this reads the document, except the one emitter
/// that embeds it.
pub fn lower(document: &Document, options: &TypeOptions) -> Model {
    lower_split(document, options, Split::Auto { beside: None })
}

/// [`lower`], sharing the operations out between cores as `split` says.
pub(crate) fn lower_split(document: &Document, options: &TypeOptions, split: Split<'_>) -> Model {
    let mut lowering = schema::SchemaLowering::new(&document.root, document.version, options.clone());
    lowering.lower_components();
    let security_schemes = operations::lower_security_schemes(&mut lowering);
    let v3_2 = document.written >= crate::load::Written::OpenApi3_2;
    let operations = operations::lower_operations(&mut lowering, v3_2, split);
    if v3_2 {
        lowering.diagnostics.extend(unread_3_2::notes(&document.root));
    }
    let mut space = std::mem::take(&mut lowering.space).into_type_space();
    shared_shapes::merge_identical(&mut space);
    recursion::box_cycles(&mut space);
    let mut losses = lowering.losses;
    losses.extend(fidelity::overlapping_unions(&space));
    losses.sort();
    losses.dedup();
    let security_requirements = operations::security_requirements(&operations, &security_schemes);
    let tags = document::tags(&document.root, &mut lowering.diagnostics);
    Model {
        version: document.version,
        info: document::info(&document.root),
        tags,
        space,
        operations,
        security_schemes,
        security_requirements,
        fidelity: crate::ir::Fidelity { losses },
        diagnostics: lowering.diagnostics,
    }
}
