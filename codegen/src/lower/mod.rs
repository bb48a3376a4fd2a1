//! The document to the intermediate representation: a type space and a list of operations.

pub mod operations;
pub mod schema;

use crate::diagnostics::Diagnostic;
use crate::ir::TypeSpace;
use crate::load::Document;

pub use operations::Operation;
pub use schema::TypeOptions;

/// What generation works from: nothing after this looks at the document again.
#[derive(Debug, Clone)]
pub struct Model {
    pub space: TypeSpace,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<operations::SecurityScheme>,
    /// Every distinct non-empty `security` of the operations, in the order first met.
    pub security_requirements: Vec<operations::SecurityRequirement>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers a document: component schemas first (in document order), then operations, which name
/// their inline schemas after themselves; then identical anonymous schemas share one type and
/// recursion is broken with boxes.
pub fn lower(document: &Document, options: &TypeOptions) -> Model {
    let mut lowering = schema::SchemaLowering::new(&document.root, document.version, options.clone());
    lowering.lower_components();
    let security_schemes = operations::lower_security_schemes(&mut lowering);
    let operations = operations::lower_operations(&mut lowering);
    let mut space = lowering.space;
    crate::shared_shapes::merge_identical(&mut space);
    crate::recursion::box_cycles(&mut space);
    let security_requirements = operations::security_requirements(&operations, &security_schemes);
    Model { space, operations, security_schemes, security_requirements, diagnostics: lowering.diagnostics }
}
