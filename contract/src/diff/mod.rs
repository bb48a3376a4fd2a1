//! Changes between two versions of a document, classified by who they break.
//!
//! [`diff`] matches the operations of two documents by method and path template (parameter names
//! blanked, so `/a/{id}` → `/a/{key}` is a rename, not a removal) and compares their parameters,
//! request bodies and responses, following schemas through `$ref` (each pair of schemas is
//! compared once per direction, which ends cycles and reports a change in a shared component
//! once, under the first operation that reaches it). Webhooks are compared the same way; component
//! schemas no operation or webhook reaches are compared afterwards, and `info.version`.
//!
//! # Who a change breaks
//!
//! - **breaks-clients**: a client written for the old version can fail against a server of the
//!   new one (a request it sends is refused, a response it reads has changed beyond what it
//!   handles, generated client code no longer compiles).
//! - **breaks-servers**: a server written for the old version no longer fulfils the new one (it
//!   does not serve a new operation, ignores a new input, or answers something new clients do not
//!   expect).
//! - **breaks-both**, **compatible**, and **info** (not part of the wire contract: the document's
//!   version, schemas no operation uses).
//!
//! Schemas are judged by direction. A request schema that accepts less (*narrows*) refuses what
//! old clients send: breaks clients. One that accepts more (*widens*) asks old servers to handle
//! input they never saw: breaks servers. Responses are the mirror image: narrowing leaves old
//! servers sending what new clients refuse, widening sends old clients what they cannot read. A
//! change that does both (a type replaced by an unrelated one) breaks both.
//!
//! # Rules
//!
//! | rule | change | classification |
//! | --- | --- | --- |
//! | `path.removed`, `operation.removed` | an operation is gone | breaks-clients |
//! | `path.added`, `operation.added` | a new operation | breaks-servers |
//! | `path.parameter-renamed` | `/a/{id}` → `/a/{key}` | compatible (the URL is the same) |
//! | `operation.id-changed` | operationId changed, added or dropped | breaks-both (generated names) |
//! | `operation.deprecated` | became deprecated | compatible |
//! | `parameter.removed` | a parameter is gone | breaks-clients (what it did is gone) |
//! | `parameter.added` | required / optional | breaks-both / breaks-servers |
//! | `parameter.became-required` / `-optional` | | breaks-clients / breaks-servers |
//! | `parameter.location-changed` | same name, other `in` | breaks-both |
//! | `parameter.serialization-changed` | `style` or `explode` (defaults applied) | breaks-both |
//! | `request-body.added` | required / optional | breaks-both / breaks-servers |
//! | `request-body.removed` | | breaks-clients |
//! | `request-body.became-required` / `-optional` | | breaks-clients / breaks-servers |
//! | `response.added` | status not covered by the old `default` or `NXX` / covered | breaks-clients / compatible |
//! | `response.removed` | | breaks-servers (old servers still send it) |
//! | `content.media-type-added` | request / response | breaks-servers / breaks-clients |
//! | `content.media-type-removed` | request / response | breaks-clients / breaks-both |
//! | `header.added` (response) | required / optional | breaks-servers / compatible |
//! | `header.removed` (response) | | breaks-clients |
//! | `header.became-required` / `-optional` | | breaks-servers / breaks-clients |
//! | `schema.type-widened` | `integer`→`number`, a type added to a list, `type` dropped | widens |
//! | `schema.type-narrowed` | `number`→`integer`, a type removed from a list, `type` added | narrows |
//! | `schema.type-changed` | `string`→`integer` | breaks-both |
//! | `schema.nullable-added` / `-removed` | `nullable: true` or `"null"` in the type list | widens / narrows |
//! | `schema.enum-value-added` / `-removed` | (`const` counts as a one-value enum) | widens / narrows |
//! | `schema.enum-added` / `-removed` | the whole `enum` | narrows / widens |
//! | `schema.constraint-tightened` | a `max*` lowered or added, a `min*` raised or added, `pattern`, `format`, `multipleOf` or `uniqueItems` added | narrows |
//! | `schema.constraint-relaxed` | the reverse | widens |
//! | `schema.constraint-changed` | `pattern`, `format` or `multipleOf` replaced | breaks-both |
//! | `schema.property-added` (request) | required / optional | breaks-both / breaks-servers |
//! | `schema.property-added` (response) | required / optional | breaks-servers / compatible (breaks-clients when the old schema refused extra properties) |
//! | `schema.property-removed` (request) | | compatible while extra properties are allowed, else breaks-clients |
//! | `schema.property-removed` (response) | | breaks-clients |
//! | `schema.property-required` / `-optional` | | narrows / widens |
//! | `schema.additional-properties-narrowed` / `-widened` | any → schema → none, and back | narrows / widens |
//! | `schema.composition-member-added` / `-removed` | an `oneOf`/`anyOf` option | widens / narrows |
//! | | an `allOf` member | narrows / widens |
//! | `schema.composition-added` / `-removed` | a whole `oneOf`, `anyOf` or `allOf` | narrows / widens |
//! | `schema.narrowed` / `schema.widened` | the schema became / stopped being `false` | narrows / widens |
//! | `component.added` / `-removed` | a component schema | info |
//! | (any schema rule) | in a component schema no operation uses | info |
//! | `info.version-changed` | | info |
//!
//! Webhooks (OpenAPI 3.1 `webhooks`) are compared like operations with every classification
//! mirrored, since the API's provider sends their requests and its consumers serve them: a new
//! enum value in a webhook's request body breaks clients (the consumers).
//!
//! `readOnly` properties are not looked at in requests, nor `writeOnly` ones in responses.
//! Changes to descriptions, examples, tags and other documentation are not reported.
//!
//! Pointers name the new document, except for things that were removed, whose pointers name the
//! old one ([`Change::side`]). Changes are ordered by severity (in the order of [`Severity`]),
//! then in the order the walk found them: operations in the old document's order, each
//! operation's parameters, request body and responses, then added operations, then components.

mod change;
mod components;
mod operations;
mod render;
mod schema;
mod walk;

#[cfg(test)]
mod tests;

pub use change::{Change, Direction, Effect, FailOn, Severity, Side};

use oas_codegen::load::Document;

/// Every change between two versions of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Ordered by severity, then in the order they were found.
    pub changes: Vec<Change>,
}

impl Report {
    /// How many changes have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes.iter().filter(|change| change.severity == severity).count()
    }

    /// Whether some change matches `fail_on`.
    pub fn fails(&self, fail_on: FailOn) -> bool {
        self.changes.iter().any(|change| fail_on.matches(change.severity))
    }
}

/// Compares `old` with `new`, with line:column positions from each document's text.
pub fn diff(old: &Document, new: &Document) -> Report {
    let mut walker = walk::Walker::new(&old.root, &new.root);
    walker.compare_info_version();
    walker.compare_operations();
    walker.compare_unused_components();
    let mut changes = walker.changes;
    changes.sort_by_key(|change| change.severity);
    for (side, document) in [(Side::Old, old), (Side::New, new)] {
        let indices: Vec<usize> = (0..changes.len()).filter(|&index| changes[index].side == side).collect();
        let pointers: Vec<&str> = indices.iter().map(|&index| changes[index].pointer.as_str()).collect();
        let places = document.place(&pointers);
        for (index, place) in indices.into_iter().zip(places) {
            changes[index].position = place.position;
            changes[index].file = place.file;
        }
    }
    Report { changes }
}
