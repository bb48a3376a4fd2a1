//! In-memory domain logic of an Orchestrator backend (the Backstage Orchestrator plugin's `/v2` API),
//! working directly on the types generated from `spec/openapi.yaml`.
//!
//! - [`store`]: the thread-safe [`Store`] with one method per operation and the run state machine.
//! - [`search`]: evaluation of search filters, ordering and paging on the wire (JSON) form.
//! - [`seed`]: demo workflows and runs.
//!
//! The HTTP layer is expected to map [`StoreError`] to statuses: `UnknownWorkflow` / `UnknownInstance`
//! → 404, `InvalidFilter` → 400, `Conflict` → 409.

pub mod api;
pub mod search;
pub mod seed;
pub mod store;

pub use search::InvalidSearch;
pub use store::{Store, StoreError, WorkflowRecord};
