//! Which bodies stream, and the type of their items.
//!
//! Three kinds do: server-sent events and JSON lines (responses), whose items come from OpenAPI
//! 3.2's `itemSchema` or else from the media type's `schema`; and binary bodies (either
//! direction) whose schema says `format: binary`, or is 3.1 raw content (`contentMediaType`
//! without `contentEncoding`), with no `maxLength` below [`STREAM_ABOVE`]. Every other binary body
//! stays whole, so a document without such bodies generates the same API as before.

use serde_json::Value;

use super::schema::SchemaLowering;
use crate::diagnostics::join;
use crate::ir::{Framing, MediaKind, Stream, Ty};
use crate::refs;

/// A binary body whose `maxLength` is at most this is held whole.
const STREAM_ABOVE: u64 = 1024 * 1024;

/// What is known about one media type when deciding whether it streams.
pub struct MediaSchemas<'a> {
    pub media_type: &'a str,
    pub kind: MediaKind,
    /// The Media Type Object, with `$ref` followed.
    pub media: &'a Value,
    /// Where it sits.
    pub pointer: &'a str,
    /// The type of `schema` and of `itemSchema`.
    pub ty: Option<&'a Ty>,
    /// The type a whole body of this media type has.
    pub whole: &'a Ty,
    pub item_ty: Option<&'a Ty>,
    /// The prefix for names of types lowered here.
    pub hint: &'a str,
}

/// How a body of this media type streams, and the pointer of the schema each item is checked
/// against; `None` for a body that travels whole. Requests stream binary bodies only.
pub fn classify(lowering: &mut SchemaLowering<'_>, media: &MediaSchemas<'_>, request: bool) -> Option<(Stream, Option<String>)> {
    let essence = media.media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let schema_pointer = join(media.pointer, "schema");
    let item_pointer = join(media.pointer, "itemSchema");
    match essence.as_str() {
        "text/event-stream" if !request => Some(events(lowering, media, schema_pointer, item_pointer)),
        "application/jsonl" | "application/x-ndjson" | "application/json-seq" | "application/x-jsonlines" | "application/jsonlines" if !request => {
            let framing = if essence == "application/json-seq" { Framing::JsonSeq } else { Framing::Lines };
            let (item, pointer) = match (media.item_ty, media.media.get("schema")) {
                (Some(item), _) => (item.clone(), Some(item_pointer)),
                (None, Some(schema)) => {
                    let (resolved, pointer) = resolve(lowering.root(), schema, &schema_pointer);
                    match (media.ty, resolved.get("items")) {
                        // A whole body written as an array of its items.
                        (Some(Ty::Vec(item)), Some(_)) => ((**item).clone(), Some(join(&pointer, "items"))),
                        (_, Some(items)) if is_array(resolved) => {
                            let items_pointer = join(&pointer, "items");
                            (lowering.schema_ty(items, &items_pointer, &format!("{}Item", media.hint)), Some(items_pointer))
                        }
                        _ => (media.ty.cloned().unwrap_or(Ty::Json), Some(schema_pointer)),
                    }
                }
                (None, None) => (Ty::Json, None),
            };
            Some((Stream::Lines { item, framing }, pointer))
        }
        _ if media.kind == MediaKind::Binary && *media.whole == Ty::Bytes => {
            let schema = media.media.get("schema")?;
            let (resolved, _) = resolve(lowering.root(), schema, &schema_pointer);
            let raw = resolved.get("format").and_then(Value::as_str) == Some("binary")
                || (resolved.get("contentMediaType").is_some() && resolved.get("contentEncoding").is_none());
            let small = resolved.get("maxLength").and_then(Value::as_u64).is_some_and(|length| length <= STREAM_ABOVE);
            (raw && !small).then_some((Stream::Bytes, None))
        }
        _ => None,
    }
}

/// Server-sent events: the type of each event's `data`, and the event names the item schema
/// allows.
fn events(lowering: &mut SchemaLowering<'_>, media: &MediaSchemas<'_>, schema_pointer: String, item_pointer: String) -> (Stream, Option<String>) {
    let names = media.media.get("itemSchema").map(|item_schema| event_names(lowering.root(), item_schema, &item_pointer)).unwrap_or_default();
    let (data, pointer) = event_data(lowering, media, schema_pointer, item_pointer);
    (Stream::Events { data, names }, pointer)
}

/// A 3.2 `itemSchema` describes the whole event (`data`, `event`, `id`, `retry`), so its `data`
/// property is what is read, through its `contentSchema` when the data is encoded JSON; an
/// `itemSchema` without a `data` property, or a `schema`, is the data itself. A string is text
/// (`None`); anything else is read as JSON. Also the pointer each event's data is checked
/// against.
fn event_data(
    lowering: &mut SchemaLowering<'_>,
    media: &MediaSchemas<'_>,
    schema_pointer: String,
    item_pointer: String,
) -> (Option<Ty>, Option<String>) {
    let root = lowering.root();
    if let (Some(item_ty), Some(item_schema)) = (media.item_ty, media.media.get("itemSchema")) {
        let (resolved, pointer) = resolve(root, item_schema, &item_pointer);
        let Some(data) = resolved.pointer("/properties/data") else {
            return data_stream(resolved, Some(item_ty.clone()), item_pointer);
        };
        let data_pointer = join(&join(&pointer, "properties"), "data");
        let (data, data_pointer) = resolve(root, data, &data_pointer);
        if let Some(content_schema) = data.get("contentSchema") {
            let content_pointer = join(&data_pointer, "contentSchema");
            let ty = lowering.schema_ty(content_schema, &content_pointer, &format!("{}EventData", media.hint));
            return (Some(ty), Some(content_pointer));
        }
        let ty = lowering.schema_ty(data, &data_pointer, &format!("{}EventData", media.hint));
        return data_stream(data, Some(ty), data_pointer);
    }
    match media.media.get("schema") {
        Some(schema) => {
            let (resolved, _) = resolve(root, schema, &schema_pointer);
            data_stream(resolved, media.ty.cloned(), schema_pointer)
        }
        None => (None, None),
    }
}

fn data_stream(schema: &Value, ty: Option<Ty>, pointer: String) -> (Option<Ty>, Option<String>) {
    let text = is_string(schema) || matches!(ty, None | Some(Ty::String));
    (if text { None } else { ty }, Some(pointer))
}

/// The names an item schema's `event` property allows: its `const`, or the strings of its
/// `enum`, in document order without repeats. Names are data for the docs only; no code is made
/// from them.
fn event_names(root: &Value, item_schema: &Value, item_pointer: &str) -> Vec<String> {
    let (resolved, pointer) = resolve(root, item_schema, item_pointer);
    let Some(event) = resolved.pointer("/properties/event") else { return Vec::new() };
    let (event, _) = resolve(root, event, &join(&join(&pointer, "properties"), "event"));
    let allowed: Vec<&Value> = match (event.get("const"), event.get("enum")) {
        (Some(constant), _) => vec![constant],
        (None, Some(Value::Array(values))) => values.iter().collect(),
        _ => Vec::new(),
    };
    let mut names: Vec<String> = Vec::new();
    for name in allowed.into_iter().filter_map(Value::as_str) {
        if !names.iter().any(|known| known == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// `schema` with every `$ref` on the way followed (a few hops at most), and where it ends.
fn resolve<'a>(root: &'a Value, schema: &'a Value, pointer: &str) -> (&'a Value, String) {
    let (mut schema, mut pointer) = (schema, pointer.to_string());
    for _ in 0..16 {
        match refs::follow(root, schema, &pointer) {
            Ok((next, next_pointer)) if next_pointer != pointer => (schema, pointer) = (next, next_pointer),
            _ => break,
        }
    }
    (schema, pointer)
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).filter(|name| *name != "null").collect(),
        _ => Vec::new(),
    }
}

fn is_string(schema: &Value) -> bool {
    types(schema) == ["string"]
}

fn is_array(schema: &Value) -> bool {
    types(schema) == ["array"] || (types(schema).is_empty() && schema.get("items").is_some())
}
