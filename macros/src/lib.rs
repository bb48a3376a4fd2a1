//! oas-macros: proves at compile time that a server's handlers cover every operation of an
//! OpenAPI document.
//!
//! ```text
//! use std::sync::Arc;
//!
//! struct Backend { /* ... */ }
//!
//! #[oas_macros::handlers(spec = "../spec/openapi.yaml", api = orchestrator_api, unimplemented(abortWorkflow))]
//! impl Backend {
//!     async fn get_workflow_overview_by_id(
//!         &self,
//!         request: orchestrator_api::GetWorkflowOverviewByIdRequest,
//!     ) -> orchestrator_api::GetWorkflowOverviewByIdResponse {
//!         todo!()
//!     }
//!
//!     // A handler that needs the headers, the extensions or the raw URI takes the parts too.
//!     async fn retrigger_instance(
//!         &self,
//!         request: orchestrator_api::RetriggerInstanceRequest,
//!         parts: oas_runtime::server::RequestParts,
//!     ) -> orchestrator_api::RetriggerInstanceResponse {
//!         todo!()
//!     }
//!
//!     // Methods that handle no operation are marked, or live in another impl block.
//!     #[oas(helper)]
//!     fn store(&self) -> &Store { &self.store }
//! }
//! ```
//!
//! # Arguments
//!
//! - `spec = "path"`: the document, relative to the directory of the compiled crate's
//!   `Cargo.toml`. Editing it rebuilds the crate.
//! - `api = path`: where the generated crate (or module) is; its types are `api::XRequest` and
//!   `api::XResponse` and its traits `api::server::X`. Defaults to `crate`.
//! - `unimplemented(operationId, "operation.id", ...)`: operations without a handler for now; the
//!   router answers them 501 Not Implemented without calling anything. OperationIds are written
//!   as in the document, as identifiers or, when they are not identifiers, as strings.
//! - `partial`: the block holds only some of the handlers (the others are in another block with
//!   its own `#[handlers]`), so missing ones are not reported here. The router's trait bounds
//!   still name any operation that ends up with no handler at all.
//!
//! # What it checks
//!
//! Each method is matched by name to the operation whose generated trait method has that name
//! (the operationId in snake_case: `abortWorkflow` → `abort_workflow`; webhooks are not served
//! and have none). The build fails, with every problem reported at once, when
//!
//! - an operation has no handler and is not listed in `unimplemented` (unless `partial`): the
//!   error names the operationId, HTTP method and path, the expected signature, and the closest
//!   unmatched method when there is one;
//! - a method names no operation: the error is at the method's name, with the closest operation;
//! - an entry of `unimplemented(...)` is no operationId of the document, is listed twice, or also
//!   has a handler;
//! - a handler is not `async fn (&self, request)` or `async fn (&self, request, parts)`;
//! - the document cannot be read: the error quotes the loader, with line and column.
//!
//! Wrong request or response types are left to rustc, whose errors point at the handler's
//! parameter or name because the forwarding code carries their spans.
//!
//! # What it writes
//!
//! The block itself, minus `#[oas(...)]` attributes, and for every operation one impl of its
//! trait `api::server::X` that forwards to the handler (or, for an `unimplemented` operation,
//! sets `IMPLEMENTED = false`). Generics and `where` clauses of the block carry over.

use std::panic::{catch_unwind, AssertUnwindSafe};

use proc_macro::TokenStream;
use quote::quote;

/// Implements the generated per-operation server traits by forwarding to the methods of an impl
/// block, after checking that they cover the document's operations. See the crate documentation.
#[proc_macro_attribute]
pub fn handlers(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = proc_macro2::TokenStream::from(args);
    let item = proc_macro2::TokenStream::from(item);
    // A panic in a proc macro reads like a compiler crash; whatever goes wrong, the user gets an
    // ordinary error and the block as written, so nothing else in the crate fails because of it.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from);
    match catch_unwind(AssertUnwindSafe(|| oas_codegen::handlers::expand_handlers(args, item.clone(), manifest_dir.as_deref()))) {
        Ok(tokens) => tokens.into(),
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            let message = format!("internal error in `#[handlers]`: {why}; please report it with the document that caused it");
            let error = syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error();
            quote!(#item #error).into()
        }
    }
}
