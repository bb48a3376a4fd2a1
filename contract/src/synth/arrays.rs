//! Arrays: `minItems` items (one more when building richly), each meeting the `items` or
//! `prefixItems` schema of its place in every part, varied where `uniqueItems` asks.

use oas_codegen::diagnostics::join;
use serde_json::Value;

use super::{Failure, Part, Synthesizer};

impl<'a> Synthesizer<'a> {
    pub(super) fn array(&self, parts: &[Part<'a>], pointer: &str, depth: usize) -> Result<Value, Failure> {
        let (min, max) = self.lengths(parts, "minItems", "maxItems");
        if max.is_some_and(|max| min > max) {
            let owner = parts.iter().find(|part| part.get("maxItems").is_some()).map_or(pointer, |part| &part.pointer);
            return Err(Failure::impossible(owner, format!("minItems {min} is greater than maxItems {}", max.unwrap_or(0))));
        }
        let unique = parts.iter().any(|part| part.get("uniqueItems") == Some(&Value::Bool(true)));
        let count = if self.rich.get() && max.is_none_or(|max| max > 0) { min.max(1) } else { min };
        let mut items = Vec::with_capacity(count);
        for index in 0..count {
            let mut item_parts = Vec::new();
            let mut opened = 0;
            for part in parts {
                let prefix = part.get("prefixItems").or_else(|| part.get("items").filter(|items| items.is_array()));
                let prefix_keyword = if part.get("prefixItems").is_some() { "prefixItems" } else { "items" };
                let (schema, schema_pointer) = match prefix.and_then(Value::as_array).and_then(|list| list.get(index)) {
                    Some(schema) => (schema, join(&join(&part.pointer, prefix_keyword), &index.to_string())),
                    None => match part.get("items").filter(|items| !items.is_array()) {
                        Some(schema) => (schema, join(&part.pointer, "items")),
                        None => continue,
                    },
                };
                match self.gather(schema, &schema_pointer, &mut item_parts) {
                    Ok(more) => opened += more,
                    Err(failure) => {
                        self.close(opened);
                        return Err(failure);
                    }
                }
            }
            let built =
                if item_parts.is_empty() { Ok(Value::String(format!("item{}", index + 1))) } else { self.build(item_parts, pointer, depth + 1) };
            self.close(opened);
            let mut item = built?;
            if unique && items.contains(&item) {
                item = vary(&item, index).filter(|varied| !items.contains(varied)).ok_or_else(|| {
                    Failure::unsupported(pointer, format!("{min} different items are required and only one kind of item could be built"))
                })?;
            }
            items.push(item);
        }
        Ok(Value::Array(items))
    }
}

/// Another value like `item`, for the `index`-th place of a `uniqueItems` array.
fn vary(item: &Value, index: usize) -> Option<Value> {
    match item {
        Value::String(text) => Some(Value::String(format!("{text}{index}"))),
        Value::Number(number) => number.as_i64().map(|n| Value::from(n + index as i64)),
        _ => None,
    }
}
