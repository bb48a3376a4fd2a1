//! oas-codegen: OpenAPI 3.0 and 3.1 documents in, Rust out.
//!
//! The stages run in one direction, each testable on its own:
//! [`load`] reads YAML or JSON, [`lower`] turns the document into a type space and a list of
//! operations (collecting [`diagnostics`] as it goes), [`emit`] writes Rust, and [`output`] puts
//! the files on disk all at once or checks them for freshness.

pub mod builder;
pub mod diagnostics;
pub mod doc_text;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod output;
pub mod recursion;
pub mod refs;
pub mod source_map;

mod generate;

pub use emit::crate_files::{CrateConfig, Dependencies, RuntimeSource};
pub use generate::{generate_crate, GenerateError, Generated};
pub use lower::TypeOptions;
