//! What the parts allow before anything is built: the types they have in common (or suggest,
//! without `type`), the values their `enum`s and `const`s share, and the document's examples that
//! every part accepts.

use serde_json::Value;

use super::{Failure, Part, Synthesizer};

impl<'a> Synthesizer<'a> {
    /// The first `example`, `examples` item or `default` of the parts that every part accepts.
    pub(super) fn fitting_example(&self, parts: &[Part<'a>]) -> Option<Value> {
        let checker = self.checker?;
        let mut candidates: Vec<&Value> = Vec::new();
        for part in parts {
            candidates.extend(part.get("example"));
            if let Some(Value::Array(examples)) = part.get("examples") {
                candidates.extend(examples);
            }
            candidates.extend(part.get("default"));
        }
        candidates.into_iter().find(|candidate| parts.iter().all(|part| checker.accepts(&part.pointer, candidate))).cloned()
    }

    /// The types every part allows, in the order the first typed part lists them; `None` when no
    /// part says.
    pub(super) fn types(&self, parts: &[Part<'a>], pointer: &str) -> Result<Option<Vec<String>>, Failure> {
        let mut allowed: Option<Vec<String>> = None;
        let mut declared: Vec<String> = Vec::new();
        for part in parts {
            let mut kinds: Vec<String> = match part.get("type") {
                Some(Value::String(kind)) => vec![kind.clone()],
                Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                _ => continue,
            };
            if self.openapi_3_0 && part.get("nullable") == Some(&Value::Bool(true)) && !kinds.iter().any(|kind| kind == "null") {
                kinds.push("null".into());
            }
            declared.push(format!("{} at {}", kinds.join(" or "), part.pointer));
            allowed = Some(match allowed {
                None => kinds,
                Some(previous) => previous.into_iter().filter_map(|kind| intersect(&kind, &kinds)).collect(),
            });
        }
        match allowed {
            Some(kinds) if kinds.is_empty() => {
                Err(Failure::impossible(pointer, format!("no value has all the types required here: {}", declared.join(", "))))
            }
            other => Ok(other),
        }
    }

    /// The values `enum` and `const` allow, common to every part that lists some.
    pub(super) fn enumerated(&self, parts: &[Part<'a>]) -> Result<Option<Vec<Value>>, Failure> {
        let mut allowed: Option<Vec<Value>> = None;
        let mut owners = Vec::new();
        for part in parts {
            let mut values = match (part.get("const"), part.get("enum")) {
                (Some(constant), _) if !self.openapi_3_0 => vec![constant.clone()],
                (_, Some(Value::Array(values))) => values.clone(),
                _ => continue,
            };
            if self.openapi_3_0 && part.get("nullable") == Some(&Value::Bool(true)) && !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
            owners.push(part.pointer.clone());
            allowed = Some(match allowed {
                None => values,
                Some(previous) => previous.into_iter().filter(|value| values.contains(value)).collect(),
            });
        }
        match allowed {
            Some(values) if values.is_empty() => {
                let reason = if owners.len() == 1 {
                    "the `enum` is empty".to_string()
                } else {
                    format!("the `enum`s and `const`s at {} have no value in common", owners.join(", "))
                };
                Err(Failure::impossible(&owners[0], reason))
            }
            other => Ok(other),
        }
    }

    /// Whether an enumerated value meets the parts' type and scalar constraints; the reason when
    /// not. Deeper constraints of objects and arrays are left to the final validation.
    pub(super) fn fits(&self, value: &Value, parts: &[Part<'a>], types: Option<&[String]>) -> Result<(), String> {
        if let Some(types) = types {
            if !types.iter().any(|kind| is_of_type(value, kind)) {
                return Err(format!("{value} is not {}", types.iter().map(|kind| article(kind)).collect::<Vec<_>>().join(" or ")));
            }
        }
        match value {
            Value::Number(_) => self.number_fits(value, parts),
            Value::String(text) => self.string_fits(value, text, parts),
            _ => Ok(()),
        }
    }
}

/// The types a schema without `type` suggests through its keywords, in a fixed order.
pub(super) fn inferred_types(parts: &[Part<'_>]) -> Vec<String> {
    let has = |keywords: &[&str]| parts.iter().any(|part| keywords.iter().any(|keyword| part.get(keyword).is_some()));
    let mut kinds = Vec::new();
    if has(&["properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties"]) {
        kinds.push("object".to_string());
    }
    if has(&["items", "prefixItems", "minItems", "maxItems", "uniqueItems"]) {
        kinds.push("array".to_string());
    }
    if has(&["minLength", "maxLength", "pattern", "format"]) {
        kinds.push("string".to_string());
    }
    if has(&["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]) {
        kinds.push("number".to_string());
    }
    // Any other type is as valid; listing them lets a contradiction in one be routed around.
    if !kinds.is_empty() {
        for kind in ["object", "array", "string", "number", "boolean", "null"] {
            if !kinds.iter().any(|existing| existing == kind) {
                kinds.push(kind.to_string());
            }
        }
    }
    kinds
}

/// The part of `kind` that the list `others` also allows: `integer` is a `number`.
fn intersect(kind: &str, others: &[String]) -> Option<String> {
    if others.iter().any(|other| other == kind) {
        Some(kind.to_string())
    } else if kind == "number" && others.iter().any(|other| other == "integer") || kind == "integer" && others.iter().any(|other| other == "number") {
        Some("integer".to_string())
    } else {
        None
    }
}

fn is_of_type(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|number| number.fract() == 0.0),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn article(kind: &str) -> String {
    match kind {
        "integer" | "array" | "object" => format!("an {kind}"),
        "null" => "null".to_string(),
        _ => format!("a {kind}"),
    }
}
