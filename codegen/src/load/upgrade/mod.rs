//! Upgrades between minor versions of OpenAPI 3: a 3.0 document to 3.1, and a 3.1 document to
//! 3.2, as pure functions of the parsed document (the rules, with the specification text behind
//! each, are in docs/upgrade.md).
//!
//! Almost everything 3.0 → 3.1 changes is in Schema Objects, which 3.1 makes JSON Schema 2020-12:
//! the walk of [`super::bundle::walk`] says which nodes are schemas, and every rewrite happens
//! after the nodes inside it were rewritten, so the pointers in warnings are those of the input.
//! 3.2 keeps the 3.1 schema dialect, and nothing 3.1 allows is an error in 3.2, so that step is
//! the version string.
//!
//! The parts:
//! * [`schema`]: `example`, the boolean `exclusiveMinimum`/`exclusiveMaximum`;
//! * [`nullable`]: `nullable`, in the 3.1 form the generator reads as it read the 3.0 one;
//! * [`references`]: keywords beside a `$ref`, which 3.0 ignores and 3.1 applies;
//! * [`servers`]: server variables, whose `enum` and `default` 3.1 makes strict.

mod nullable;
mod references;
mod schema;
mod servers;

#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use super::bundle::walk::{self, At, Kind, Shape, Visitor};
use super::Written;
use crate::diagnostics::Diagnostic;

/// An upgraded document.
#[derive(Debug, Clone)]
pub struct Upgraded {
    /// The document in the later version.
    pub root: Value,
    /// What could not be carried over unchanged in meaning, each at its pointer in the input.
    pub warnings: Vec<Diagnostic>,
}

/// The `openapi` value of a document upgraded to 3.1.
pub const OPENAPI_3_1: &str = "3.1.0";
/// The `openapi` value of a document upgraded to 3.2.
pub const OPENAPI_3_2: &str = "3.2.0";

/// Rewrites an OpenAPI 3.0 document as OpenAPI 3.1.
pub fn to_3_1(document: &Value) -> Upgraded {
    let mut root = document.clone();
    let mut upgrade = To3_1::default();
    walk::walk(&mut root, Shape::One(Kind::Document), &mut upgrade);
    set_version(&mut root, OPENAPI_3_1);
    Upgraded { root, warnings: upgrade.warnings }
}

/// Rewrites an OpenAPI 3.1 document as OpenAPI 3.2.
pub fn to_3_2(document: &Value) -> Upgraded {
    let mut root = document.clone();
    set_version(&mut root, OPENAPI_3_2);
    Upgraded { root, warnings: Vec::new() }
}

/// `root`, a document read as `from` (for Swagger 2.0, the 3.0 form it is converted to on load),
/// upgraded step by step to `to`; `None` when `to` is earlier than `from`, or Swagger 2.0.
pub fn upgrade(root: &Value, from: Written, to: Written) -> Option<Upgraded> {
    let step = |written: Written| match written {
        Written::Swagger2 | Written::OpenApi3_0 => 0,
        Written::OpenApi3_1 => 1,
        Written::OpenApi3_2 => 2,
    };
    if to == Written::Swagger2 || step(to) < step(from) {
        return None;
    }
    let mut upgraded = Upgraded { root: root.clone(), warnings: Vec::new() };
    if step(from) < 1 && step(to) >= 1 {
        upgraded = to_3_1(&upgraded.root);
    }
    if step(from) < 2 && step(to) >= 2 {
        let warnings = upgraded.warnings;
        upgraded = Upgraded { warnings, ..to_3_2(&upgraded.root) };
    }
    Some(upgraded)
}

fn set_version(root: &mut Value, version: &str) {
    if let Value::Object(object) = root {
        object.insert("openapi".into(), Value::String(version.into()));
    }
}

#[derive(Default)]
struct To3_1 {
    warnings: Vec<Diagnostic>,
}

impl Visitor for To3_1 {
    fn reference(&mut self, value: &mut Value, shape: Shape, at: &At<'_>) -> bool {
        if let (Shape::One(kind), Value::Object(object)) = (shape, value) {
            if kind != Kind::Schema {
                references::reference_object(object, &at.pointer(), &mut self.warnings);
            }
        }
        // Nothing is resolved here: the walk goes on into a schema's keywords beside its `$ref`.
        false
    }

    fn enter_resource(&mut self, _: &str, _: &At<'_>) {}

    fn leave_resource(&mut self) {}

    fn mapping(&mut self, _: &mut String, _: &At<'_>) {}

    fn loose_reference(&mut self, _: &mut Value, _: &At<'_>) {}

    fn visited(&mut self, value: &mut Value, kind: Kind, at: &At<'_>) {
        match kind {
            Kind::Schema => schema::upgrade(value, &at.pointer(), &mut self.warnings),
            Kind::Document | Kind::PathItem | Kind::Operation | Kind::Link => servers::upgrade(value, &at.pointer(), &mut self.warnings),
            _ => {}
        }
    }
}

/// Replaces the entry `old` by `new: value` where `old` was, so keys keep their order.
fn replace_key(object: &mut Map<String, Value>, old: &str, new: &str, value: Value) {
    let mut value = Some(value);
    let entries = std::mem::take(object);
    for (key, entry) in entries {
        match (key == old, value.take()) {
            (true, Some(value)) => {
                object.insert(new.to_string(), value);
            }
            (false, kept) => {
                value = kept;
                if key != new {
                    object.insert(key, entry);
                }
            }
            (true, None) => {}
        }
    }
    if let Some(value) = value {
        object.insert(new.to_string(), value);
    }
}

fn join(pointer: &str, token: &str) -> String {
    crate::diagnostics::join(pointer, token)
}
