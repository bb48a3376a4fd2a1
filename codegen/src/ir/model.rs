//! Everything generation works from, gathered in one value: once a document is lowered into a
//! [`Model`], no emitter reads the document again (only the embedded copy of it is written
//! from the document itself).

use super::operations::{Operation, SecurityRequirement, SecurityScheme};
use super::types::TypeSpace;
use crate::diagnostics::Diagnostic;
use crate::load::Version;

/// A lowered document.
#[derive(Debug, Clone)]
pub struct Model {
    /// The OpenAPI version the document is written in; it decides how schemas are validated.
    pub version: Version,
    /// What the document says about the API itself.
    pub info: Info,
    /// The document's `tags`, in document order.
    pub tags: Vec<Tag>,
    /// Every type to generate: the component schemas and the inline schemas they and the
    /// operations hold.
    pub space: TypeSpace,
    /// The paths' operations, then the webhooks and callbacks, in document order.
    pub operations: Vec<Operation>,
    /// The entries of `components/securitySchemes`, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// Every distinct non-empty `security` of the operations, in the order first met.
    pub security_requirements: Vec<SecurityRequirement>,
    /// What lowering found wrong or could not represent, unsorted and without positions.
    /// [`crate::lower_document`] moves them out, finished and joined with loading's, and leaves
    /// this empty.
    pub diagnostics: Vec<Diagnostic>,
}

/// The document's `info`, each text trimmed and left out when empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info {
    /// The API's name; the generated crate's description and the reference pages use it.
    pub title: Option<String>,
    /// As written; a YAML `version: 1.0` arrives as a number and is still the version.
    pub version: Option<String>,
    /// A short description of the API (3.1 only).
    pub summary: Option<String>,
    /// The API's description, in CommonMark.
    pub description: Option<String>,
}

/// One entry of the document's `tags`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The name operations give in their `tags`.
    pub name: String,
    /// The tag's `description`, trimmed; shown above the tag's operations in the reference pages.
    pub description: Option<String>,
}

impl Model {
    /// The description of the tag named `name`, where the document gives one.
    pub fn tag_description(&self, name: &str) -> Option<&str> {
        self.tags.iter().find(|tag| tag.name == name).and_then(|tag| tag.description.as_deref())
    }
}
