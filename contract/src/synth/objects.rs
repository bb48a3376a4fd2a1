//! Objects: the required properties, each meeting every schema that applies to its name
//! (`properties`, `patternProperties`, `additionalProperties`), then optional or invented ones up
//! to `minProperties`, and the contradictions between `required`, `maxProperties` and
//! `additionalProperties: false`.

use oas_codegen::diagnostics::join;
use serde_json::{Map, Value};

use super::{Failure, Part, Synthesizer};

impl<'a> Synthesizer<'a> {
    pub(super) fn object(&self, parts: &[Part<'a>], pointer: &str, depth: usize) -> Result<Value, Failure> {
        let mut required: Vec<&str> = Vec::new();
        for part in parts {
            if let Some(Value::Array(names)) = part.get("required") {
                for name in names.iter().filter_map(Value::as_str) {
                    if !required.contains(&name) {
                        required.push(name);
                    }
                }
            }
        }
        let (min, max) = self.lengths(parts, "minProperties", "maxProperties");
        if let Some(max) = max {
            if min > max || required.len() > max {
                let owner = parts.iter().find(|part| part.get("maxProperties").is_some()).map_or(pointer, |part| &part.pointer);
                return Err(Failure::impossible(
                    owner,
                    format!("at least {} properties are required, but maxProperties is {max}", min.max(required.len())),
                ));
            }
        }
        for name in &required {
            if let Some(part) = parts.iter().find(|part| !self.allows_property(part, name)) {
                return Err(Failure::impossible(
                    &part.pointer,
                    format!("the property `{name}` is required, but this schema's `additionalProperties: false` does not allow it"),
                ));
            }
        }
        let mut object = Map::new();
        for name in &required {
            let value = self.property(parts, name, pointer, depth)?;
            object.insert(name.to_string(), value);
        }
        if self.rich.get() {
            let optional: Vec<&String> =
                parts.iter().filter_map(|part| part.get("properties").and_then(Value::as_object)).flat_map(|properties| properties.keys()).collect();
            for name in optional {
                if object.contains_key(name.as_str())
                    || !parts.iter().all(|part| self.allows_property(part, name))
                    || max.is_some_and(|max| object.len() >= max)
                {
                    continue;
                }
                if let Ok(value) = self.property(parts, name, pointer, depth) {
                    object.insert(name.clone(), value);
                }
            }
        }
        // Declared optional properties first, then invented ones, until there are enough.
        if object.len() < min {
            let optional: Vec<&String> =
                parts.iter().filter_map(|part| part.get("properties").and_then(Value::as_object)).flat_map(|properties| properties.keys()).collect();
            for name in optional {
                if object.len() >= min {
                    break;
                }
                if object.contains_key(name.as_str()) || !parts.iter().all(|part| self.allows_property(part, name)) {
                    continue;
                }
                if let Ok(value) = self.property(parts, name, pointer, depth) {
                    object.insert(name.clone(), value);
                }
            }
            let mut counter = 1;
            while object.len() < min && counter <= min + 1 {
                let name = format!("property{counter}");
                counter += 1;
                if object.contains_key(&name) || !parts.iter().all(|part| self.allows_property(part, &name)) {
                    continue;
                }
                if let Ok(value) = self.property(parts, &name, pointer, depth) {
                    object.insert(name, value);
                }
            }
            if object.len() < min {
                return Err(Failure::unsupported(pointer, format!("no {min} properties this schema allows could be built")));
            }
        }
        Ok(Value::Object(object))
    }

    /// A value for property `name`: it meets the property's schema in every part that declares
    /// it, the matching `patternProperties`, and `additionalProperties` of the parts that do not.
    fn property(&self, parts: &[Part<'a>], name: &str, pointer: &str, depth: usize) -> Result<Value, Failure> {
        let mut property_parts = Vec::new();
        let mut opened = 0;
        for part in parts {
            let mut schemas: Vec<(&'a Value, String)> = Vec::new();
            let declared = part.get("properties").and_then(Value::as_object).and_then(|properties| properties.get(name));
            if let Some(schema) = declared {
                schemas.push((schema, join(&join(&part.pointer, "properties"), name)));
            }
            let mut matched_pattern = false;
            if let Some(patterns) = part.get("patternProperties").and_then(Value::as_object) {
                for (pattern, schema) in patterns {
                    if self.regex(pattern).is_some_and(|regex| regex.is_match(name).unwrap_or(false)) {
                        matched_pattern = true;
                        schemas.push((schema, join(&join(&part.pointer, "patternProperties"), pattern)));
                    }
                }
            }
            if declared.is_none() && !matched_pattern {
                if let Some(additional) = part.get("additionalProperties").filter(|additional| additional.is_object()) {
                    schemas.push((additional, join(&part.pointer, "additionalProperties")));
                }
            }
            for (schema, schema_pointer) in schemas {
                match self.gather(schema, &schema_pointer, &mut property_parts) {
                    Ok(more) => opened += more,
                    Err(failure) => {
                        self.close(opened);
                        return Err(failure);
                    }
                }
            }
        }
        let built = if property_parts.is_empty() { Ok(Value::String("string".into())) } else { self.build(property_parts, pointer, depth + 1) };
        self.close(opened);
        built
    }

    /// Whether `part` lets an object have property `name`: always, unless it says
    /// `additionalProperties: false` and neither declares the name nor has a pattern for it.
    fn allows_property(&self, part: &Part<'_>, name: &str) -> bool {
        if part.get("additionalProperties") != Some(&Value::Bool(false)) {
            return true;
        }
        if part.get("properties").and_then(Value::as_object).is_some_and(|properties| properties.contains_key(name)) {
            return true;
        }
        part.get("patternProperties")
            .and_then(Value::as_object)
            .is_some_and(|patterns| patterns.keys().any(|pattern| self.regex(pattern).is_some_and(|regex| regex.is_match(name).unwrap_or(false))))
    }
}
