//! oas-codegen: OpenAPI 3.0 and 3.1 documents in, Rust out.

pub mod diagnostics;
pub mod output;
pub mod source_map;
