//! The parts of a document that describe it rather than its operations: `info` and `tags`.

use serde_json::Value;

use crate::diagnostics::Diagnostic;
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

/// The declared tags in document order; entries without a name are left out. A `parent` that
/// names no declared tag, or that would nest a tag inside itself, is dropped with a warning.
pub(super) fn tags(root: &Value, diagnostics: &mut Vec<Diagnostic>) -> Vec<Tag> {
    let Some(tags) = root.get("tags").and_then(Value::as_array) else { return Vec::new() };
    let text = |tag: &Value, key: &str| tag.get(key).and_then(Value::as_str).and_then(trimmed);
    let mut lowered: Vec<(usize, Tag)> = tags
        .iter()
        .enumerate()
        .filter_map(|(index, tag)| {
            let name = tag.get("name").and_then(Value::as_str)?;
            let tag =
                Tag { name: name.to_string(), description: text(tag, "description"), summary: text(tag, "summary"), parent: text(tag, "parent") };
            Some((index, tag))
        })
        .collect();
    let names: Vec<String> = lowered.iter().map(|(_, tag)| tag.name.clone()).collect();
    for position in 0..lowered.len() {
        let Some(parent) = lowered[position].1.parent.clone() else { continue };
        let pointer = format!("/tags/{}/parent", lowered[position].0);
        if !names.contains(&parent) {
            diagnostics.push(Diagnostic::warning(pointer, format!("`{parent}` is not a declared tag; the tag is not nested")));
            lowered[position].1.parent = None;
            continue;
        }
        // Walking up from the parent must never come back to this tag.
        let mut seen = vec![lowered[position].1.name.clone()];
        let mut at = Some(parent);
        while let Some(name) = at {
            if seen.contains(&name) {
                diagnostics.push(Diagnostic::warning(pointer, "the tag's `parent` chain comes back to the tag; the tag is not nested"));
                lowered[position].1.parent = None;
                break;
            }
            seen.push(name.clone());
            at = lowered.iter().find(|(_, tag)| tag.name == name).and_then(|(_, tag)| tag.parent.clone());
        }
    }
    lowered.into_iter().map(|(_, tag)| tag).collect()
}

fn trimmed(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}
