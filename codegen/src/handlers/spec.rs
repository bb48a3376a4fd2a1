//! Reading the document through the generator's own loader and lowering, so the macro and the
//! generated crate can never disagree about operation or type names.

use std::path::{Path, PathBuf};

use crate::load::LoadError;
use proc_macro2::Span;
use syn::{Ident, LitStr};

use super::expand::{OperationInfo, Spec};

/// The document named by `spec = "..."`, and the files to track for rebuilds: every file it was
/// read from, or its root alone when it does not load (so fixing it re-runs the macro).
pub struct Loaded {
    pub spec: syn::Result<Spec>,
    pub tracked: Vec<PathBuf>,
}

/// Loads the document `literal` names, relative to `manifest_dir` (the folder of the compiled
/// crate's `Cargo.toml`, which cargo gives a proc macro as `CARGO_MANIFEST_DIR`).
pub fn load(literal: &LitStr, manifest_dir: Option<&Path>) -> Loaded {
    let written = literal.value();
    let span = literal.span();
    let Some(manifest_dir) = manifest_dir else {
        let message = "CARGO_MANIFEST_DIR is not set, so `spec` cannot be resolved; build with cargo";
        return Loaded { spec: Err(syn::Error::new(span, message)), tracked: Vec::new() };
    };
    let path = manifest_dir.join(&written);
    let tracked: Vec<PathBuf> = path.is_file().then(|| path.clone()).into_iter().collect();
    // The defaults: a macro never reaches the network or reads outside the document's folder.
    let document = match crate::load::load_file(&path) {
        Ok(document) => document,
        Err(error) => return Loaded { spec: Err(syn::Error::new(span, load_message(&written, &error))), tracked },
    };
    // Lowering collects warnings instead of failing; the generated crate's build reports them.
    // No generation option changes the names read here (operations, their traits, request and
    // response types), so the macro lowers with the defaults and takes no such arguments.
    let (model, _) = crate::generate::lower_document(&document, &crate::Options::default());
    let mut spec = Spec { display: written.clone(), ..Spec::default() };
    for operation in model.operations {
        if operation.webhook {
            spec.webhooks.push((operation.id, operation.rust_name));
            continue;
        }
        spec.operations.push(OperationInfo {
            handler: crate::naming::ident(&operation.rust_name),
            trait_name: type_ident(&operation.type_name),
            request: type_ident(&operation.request_type),
            response: type_ident(&operation.response_type),
            method: operation.method.http().to_string(),
            path: operation.path,
            id: operation.id,
        });
    }
    Loaded { spec: Ok(spec), tracked: document.files() }
}

/// The loader's message with the path as the user wrote it rather than as resolved, so it reads
/// like the attribute (`../spec/openapi.yaml:12:3`).
fn load_message(written: &str, error: &LoadError) -> String {
    let mut location = written.to_string();
    if let Some(position) = error.position {
        location.push_str(&format!(":{}:{}", position.line, position.column));
    }
    let mut message = format!("cannot load the OpenAPI document `{location}`: {}", error.message);
    if !error.pointer.is_empty() {
        message.push_str(&format!(" (at `{}`)", error.pointer));
    }
    if error.position.is_none() && error.pointer.is_empty() {
        message.push_str("\n= note: `spec` is relative to the directory of this crate's Cargo.toml");
    }
    message
}

/// Generated type names are sanitized UpperCamelCase words, never keywords.
fn type_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Position;

    use super::*;

    #[test]
    fn unreadable_file_says_where_paths_start() {
        let error = LoadError {
            path: Some("/abs/x.yaml".into()),
            pointer: String::new(),
            message: "cannot read the file: No such file or directory (os error 2)".into(),
            position: None,
        };
        assert_eq!(
            load_message("x.yaml", &error),
            "cannot load the OpenAPI document `x.yaml`: cannot read the file: No such file or directory (os error 2)\n\
             = note: `spec` is relative to the directory of this crate's Cargo.toml"
        );
    }

    #[test]
    fn invalid_document_has_line_and_column() {
        let error = LoadError {
            path: Some("/abs/x.yaml".into()),
            pointer: "/openapi".into(),
            message: "`openapi` must be a version string".into(),
            position: Some(Position { line: 1, column: 10 }),
        };
        assert_eq!(
            load_message("x.yaml", &error),
            "cannot load the OpenAPI document `x.yaml:1:10`: `openapi` must be a version string (at `/openapi`)"
        );
    }
}
