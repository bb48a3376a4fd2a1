//! Keywords beside a `$ref`. OpenAPI 3.0 ignores them all ("any sibling elements of a $ref are
//! ignored"); 3.1 applies a schema's siblings together with the reference, and lets a Reference
//! Object's `summary` and `description` replace those of its target.

use serde_json::{Map, Value};

use super::join;
use crate::diagnostics::Diagnostic;

/// Whether a schema keyword only annotates (or is an extension), so that it is kept beside a
/// schema's `$ref` and outside a null wrapper: 3.1 applies it without changing which values are
/// valid, and the generator reads it (a field's description, default, direction, deprecation) in
/// 3.0 as in 3.1. These are the generator's annotations, but for `nullable`, which has rules of
/// its own, and `format`, which 3.1 may assert and the generator reads as a type.
pub(super) fn is_annotation(key: &str) -> bool {
    (crate::lower::schema::ANNOTATIONS.contains(&key) && !matches!(key, "nullable" | "format")) || key.starts_with("x-")
}

/// Drops the keywords beside a schema's `$ref` that 3.1 would apply as constraints.
pub(super) fn schema_siblings(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    object.retain(|key, _| {
        let kept = key == "$ref" || is_annotation(key);
        if !kept {
            warnings.push(Diagnostic::warning(
                join(pointer, key),
                format!("`{key}` beside `$ref` is ignored in OpenAPI 3.0 but would apply in 3.1; dropped"),
            ));
        }
        kept
    });
}

/// A Reference Object other than a schema's. Its `summary` and `description` are kept (their
/// author meant them for this place) but said to change what is shown; anything else beside the
/// `$ref` is ignored by both versions and forbidden by 3.1, so it is dropped.
pub(super) fn reference_object(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    object.retain(|key, _| {
        let message = match key.as_str() {
            "$ref" => return true,
            "summary" | "description" => {
                format!("`{key}` beside `$ref` is ignored in OpenAPI 3.0; in 3.1 it replaces the {key} of what the reference names")
            }
            _ => format!(
                "`{key}` beside `$ref` is ignored in OpenAPI 3.0 and 3.1, and 3.1 allows nothing there but `summary` and `description`; dropped"
            ),
        };
        warnings.push(Diagnostic::warning(join(pointer, key), message));
        matches!(key.as_str(), "summary" | "description")
    });
}
