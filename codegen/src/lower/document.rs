//! The parts of a document that describe it rather than its operations: `info` and `tags`.

use serde_json::Value;

use crate::ir::{Info, Tag};

pub(super) fn info(root: &Value) -> Info {
    let text = |key: &str| root.pointer(&format!("/info/{key}")).and_then(Value::as_str).and_then(trimmed);
    let version = match root.pointer("/info/version") {
        Some(Value::String(version)) => trimmed(version),
        // A YAML `version: 1.0` arrives as a number; it is still the version.
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    };
    Info { title: text("title"), version, summary: text("summary"), description: text("description") }
}

/// The declared tags in document order; entries without a name are left out.
pub(super) fn tags(root: &Value) -> Vec<Tag> {
    let Some(tags) = root.get("tags").and_then(Value::as_array) else { return Vec::new() };
    tags.iter()
        .filter_map(|tag| {
            let name = tag.get("name").and_then(Value::as_str)?;
            Some(Tag { name: name.to_string(), description: tag.get("description").and_then(Value::as_str).and_then(trimmed) })
        })
        .collect()
}

fn trimmed(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}
