//! Types the user already has: a schema mapped to an existing Rust type (`--type Pet=my::Pet`,
//! or the schema's own `x-rust-type` when the user turns that on), and a format mapped to a type
//! (`--format date-time=jiff::Timestamp`). The replaced schema is not generated and every use
//! names the given path; the server still validates against the schema.
//!
//! A path is taken only when it is a plain Rust path (identifiers joined by `::`, no generics):
//! text from a document must never become arbitrary code, and a user's typo should fail here
//! rather than deep in the generated crate.

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::ir::Model;

/// The formats whose values have a type of their own, and so can be given another.
pub const FORMATS: [&str; 3] = ["date-time", "date", "uuid"];

/// What the user maps onto their own types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeOverrides {
    /// Schema name (as under `components/schemas`) → Rust path.
    pub schemas: Vec<(String, String)>,
    /// Format → Rust path.
    pub formats: Vec<(String, String)>,
    /// Honour each schema's `x-rust-type`. Off by default: a document must not choose code.
    pub x_rust_type: bool,
}

impl TypeOverrides {
    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty() && self.formats.is_empty() && !self.x_rust_type
    }
}

/// Whether `path` is a plain Rust path: `::`-separated identifiers, optionally with a leading
/// `::`, without generics, keywords other than `crate`/`super`/`self` in first place, or spaces.
pub fn is_plain_path(path: &str) -> bool {
    match syn::parse_str::<syn::Path>(path) {
        Ok(parsed) => parsed.segments.iter().all(|segment| segment.arguments.is_none()) && !path.chars().any(char::is_whitespace),
        Err(_) => false,
    }
}

/// Records the overrides in the model's type space; returns warnings for `x-rust-type`s that
/// are not plain paths. A schema or format that does not exist, or a path that is not plain, is
/// an error.
pub fn apply(model: &mut Model, root: &Value, overrides: &TypeOverrides) -> Result<Vec<Diagnostic>, String> {
    let mut warnings = Vec::new();
    for (format, path) in &overrides.formats {
        if !FORMATS.contains(&format.as_str()) {
            return Err(format!("--format: `{format}` has no type of its own to replace; these do: {}", FORMATS.join(", ")));
        }
        if !is_plain_path(path) {
            return Err(format!("--format {format}={path}: `{path}` is not a plain Rust path"));
        }
        model.space.provided.formats.insert(format.clone(), path.clone());
    }
    if overrides.x_rust_type {
        for (index, definition) in model.space.types.iter().enumerate() {
            let Some(written) = root.pointer(&definition.pointer).and_then(|schema| schema.get("x-rust-type")) else { continue };
            match written.as_str().filter(|path| is_plain_path(path)) {
                Some(path) => {
                    model.space.provided.schemas.insert(crate::ir::TypeId(index), path.to_string());
                }
                None => warnings.push(Diagnostic::warning(
                    format!("{}/x-rust-type", definition.pointer),
                    "`x-rust-type` is not a plain Rust path (`my_crate::Pet`); the type is generated instead",
                )),
            }
        }
    }
    for (name, path) in &overrides.schemas {
        if !is_plain_path(path) {
            return Err(format!("--type {name}={path}: `{path}` is not a plain Rust path"));
        }
        let pointer = format!("/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"));
        let Some(index) = model.space.types.iter().position(|definition| definition.pointer == pointer) else {
            let names: Vec<&str> = root
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|schemas| schemas.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let mut message = format!("--type {name}={path}: the document has no schema `{name}` with a type of its own");
            if let Some(near) = crate::subset::nearest(name, &names) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            return Err(message);
        };
        model.space.provided.schemas.insert(crate::ir::TypeId(index), path.clone());
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_are_taken() {
        for plain in ["Pet", "my_crate::Pet", "::my_crate::models::Pet", "crate::Pet", "jiff::Timestamp"] {
            assert!(is_plain_path(plain), "{plain}");
        }
        for not_plain in ["", "Vec<Pet>", "my crate::Pet", "Pet; fn evil() {}", "a::b()", "r#", "x::", "Pet\n", "[u8; 4]", "&'static str"] {
            assert!(!is_plain_path(not_plain), "{not_plain:?}");
        }
    }
}
