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
    /// Where the generated types say less than the schemas.
    pub fidelity: super::fidelity::Fidelity,
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
    /// A short summary for display (OpenAPI 3.2), trimmed.
    pub summary: Option<String>,
    /// The tag this one is nested under (OpenAPI 3.2 `parent`); only a declared tag, and never
    /// one that would make the nesting circular.
    pub parent: Option<String>,
}

impl Model {
    /// The declared tag named `name`.
    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|tag| tag.name == name)
    }

    /// The names from the outermost tag down to `name`, following `parent` (OpenAPI 3.2): just
    /// `[name]` for a tag that is not nested. Lowering keeps the nesting free of cycles.
    pub fn tag_path<'m>(&'m self, name: &'m str) -> Vec<&'m str> {
        let mut path = vec![name];
        while let Some(parent) = self.tag(path[path.len() - 1]).and_then(|tag| tag.parent.as_deref()) {
            if path.contains(&parent) || path.len() > self.tags.len() {
                break;
            }
            path.push(parent);
        }
        path.reverse();
        path
    }
}
