//! oas-contract: tools that work on an OpenAPI document as a contract rather than as input to
//! code generation. `diff` classifies the changes between two versions of a document, `lint`
//! checks one document beyond what generation needs, and `mock` serves one from its examples
//! and schemas. `synth`, the analysis of what values a schema admits, serves both `lint` and
//! `mock`.

#![warn(missing_docs)]

pub mod checker;
pub mod diff;
pub mod lint;
pub mod mock;
mod schema_walk;
pub mod synth;
