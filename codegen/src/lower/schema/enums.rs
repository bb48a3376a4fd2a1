//! Enumerations: `enum` and `const`, and the ways documents name and document their values.
//!
//! Two spellings give values names and docs. OpenAPI 3.1 writes `oneOf` (or `anyOf`) of
//! constants, each with a `title` and a `description`; that is one enum, not a union of
//! one-value enums. OpenAPI 3.0 tools use extensions beside a plain `enum`: names in
//! `x-enum-varnames` or `x-enumNames`, docs in `x-enum-descriptions` (a list in the same order,
//! or a map from value to text).

use crate::keywords::Keywords;
use std::collections::HashSet;

use oas_wire::literal_key;
use serde_json::{Map, Value};

use super::{variant_name, SchemaLowering};
use crate::ir::{Enum, EnumVariant, Fallback, Loss, Ty, TypeKind};
use crate::naming::{self, Namer};
use crate::refs;

/// Keywords a constant variant may carry besides its value.
const CONSTANT_EXTRAS: &[&str] = &["type", "title", "description", "deprecated", "$comment", "examples", "example", "format", "nullable"];

/// One value of an enumeration, with the name and doc the document gives it.
pub(super) struct Entry {
    value: Value,
    name: Option<String>,
    description: Option<String>,
}

impl Entry {
    pub(super) fn plain(value: &Value) -> Entry {
        Entry { value: value.clone(), name: None, description: None }
    }
}

/// The values of a plain `enum`, named and documented by the extensions beside it.
pub(super) fn named_by_extensions(object: &Map<String, Value>, values: &[Value]) -> Vec<Entry> {
    let names = object.keyword("x-enum-varnames").or_else(|| object.keyword("x-enumNames")).and_then(Value::as_array);
    let descriptions = object.keyword("x-enum-descriptions");
    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let name = names.and_then(|names| names.get(index)).and_then(Value::as_str).map(str::to_string);
            let description = match descriptions {
                Some(Value::Array(list)) => list.get(index).and_then(Value::as_str),
                Some(Value::Object(map)) => map.get(&literal_text(value)).and_then(Value::as_str),
                _ => None,
            };
            Entry { value: value.clone(), name, description: description.map(str::trim).filter(|text| !text.is_empty()).map(str::to_string) }
        })
        .collect()
}

/// A value as a key of an `x-enum-descriptions` map: strings as themselves, others as JSON.
fn literal_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The entries of a `oneOf`/`anyOf` whose every variant (references followed, null variants
/// aside) is a single constant; `None` when some variant is anything else.
pub(super) fn constant_variants(root: &Value, variants: &[Value]) -> Option<Vec<Entry>> {
    let mut entries = Vec::with_capacity(variants.len());
    for variant in variants.iter().filter(|variant| !super::is_null_schema(variant)) {
        let variant = match variant.keyword("$ref").and_then(Value::as_str) {
            Some(reference) => refs::local_pointer(reference).ok().and_then(|pointer| refs::lookup(root, &pointer))?,
            None => variant,
        };
        let object = variant.as_object()?;
        let value = match (object.keyword("const"), object.keyword("enum").and_then(Value::as_array)) {
            (Some(value), None) => value,
            (None, Some(values)) if values.len() == 1 => &values[0],
            _ => return None,
        };
        if value.is_null()
            || !object.keys().all(|key| matches!(key.as_str(), "const" | "enum") || CONSTANT_EXTRAS.contains(&key.as_str()) || key.starts_with("x-"))
        {
            return None;
        }
        let name = object.keyword("title").and_then(Value::as_str).map(str::to_string);
        let description = object.keyword("description").and_then(Value::as_str).map(str::trim).filter(|text| !text.is_empty()).map(str::to_string);
        entries.push(Entry { value: value.clone(), name, description });
    }
    (!entries.is_empty()).then_some(entries)
}

/// The values a schema's `oneOf` or `anyOf` of constants allows, when it has one.
pub(super) fn constant_values(root: &Value, object: &Map<String, Value>) -> Option<Vec<Value>> {
    ["oneOf", "anyOf"].iter().find_map(|keyword| {
        let variants = object.get(*keyword)?.as_array()?;
        constant_variants(root, variants).map(|entries| entries.into_iter().map(|entry| entry.value).collect())
    })
}

impl SchemaLowering<'_> {
    pub(super) fn enumeration(&mut self, object: &Map<String, Value>, entries: Vec<Entry>, pointer: &str, hint: &str, needs_definition: bool) -> Ty {
        let entries: Vec<Entry> = entries.into_iter().filter(|entry| !entry.value.is_null()).collect();
        if entries.is_empty() {
            self.lose(pointer, Loss::Fallback(Fallback::NullOnly));
            return self.alias_if(needs_definition, pointer, hint, Some(object), Ty::Json);
        }
        let id = self.define(pointer, hint, Some(object));
        let all_strings = entries.iter().all(|entry| entry.value.is_string());
        let mut names = Namer::new();
        names.reserve("Other");
        let mut variants: Vec<EnumVariant> = Vec::with_capacity(entries.len());
        // A value listed twice (`1` and `1.0` are one value) is one variant: generated code tells
        // variants apart by their literal keys.
        let mut seen = HashSet::new();
        for entry in entries {
            if !seen.insert(literal_key(&entry.value)) {
                continue;
            }
            let wanted = match &entry.name {
                Some(name) => naming::variant(name, "Variant"),
                None => variant_name(&entry.value),
            };
            variants.push(EnumVariant { rust_name: names.unique(wanted), value: entry.value, description: entry.description });
        }
        self.space.get_mut(id).kind = TypeKind::Enum(Enum { variants, all_strings, open: self.options.open_enums });
        Ty::Named(id)
    }
}
