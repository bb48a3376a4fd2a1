//! What generated axum servers call: routing by path template, parameter parsing, request
//! validation against the document's schemas, and problem responses.

pub mod params;
