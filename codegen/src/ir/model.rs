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
    pub info: Info,
    /// The document's `tags`, in document order.
    pub tags: Vec<Tag>,
    pub space: TypeSpace,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Every distinct non-empty `security` of the operations, in the order first met.
    pub security_requirements: Vec<SecurityRequirement>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The document's `info`, each text trimmed and left out when empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info {
    pub title: Option<String>,
    /// As written; a YAML `version: 1.0` arrives as a number and is still the version.
    pub version: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

/// One entry of the document's `tags`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
}

impl Model {
    /// The description of the tag named `name`, where the document gives one.
    pub fn tag_description(&self, name: &str) -> Option<&str> {
        self.tags.iter().find(|tag| tag.name == name).and_then(|tag| tag.description.as_deref())
    }
}
