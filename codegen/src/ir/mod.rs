//! The intermediate representation: what lowering produces and every emitter reads.
//!
//! - [`types`]: the type space, one entry per Rust type to generate, in document order.
//! - [`operations`]: operations with their parameters, bodies and responses.
//! - [`fidelity`]: where generated types say less than their schemas.
//! - [`model`]: the whole lowered document (info, tags, version, types, operations).
//! - [`param_shape`]: how a parameter is read from text, as the type space sees it.
//! - [`table`]: the operation table a server built on the runtime reads requests with.

pub mod fidelity;
pub mod model;
pub mod operations;
pub mod param_shape;
pub mod table;
pub mod types;

pub use crate::load::Version;
pub use fidelity::{Fallback, Fidelity, Keyword, Loss};
pub use model::{Info, Model, Tag};
pub use operations::*;
pub use types::*;
