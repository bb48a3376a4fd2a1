//! `nullable: true` in the forms 3.1 has for it. 3.0.3 narrowed `nullable` to schemas with a
//! `type`; 3.0.0 to 3.0.2, the documents written for them and the generator read it on any
//! schema, so that is the meaning carried over. Each form is one the generator lowers to the
//! same Rust type as the 3.0 original (see `lower::schema`): a type list with `"null"`, a null
//! variant, a null `enum` value, or every member of an `allOf` admitting null.

use serde_json::{json, Map, Value};

use super::join;
use super::references::is_annotation;
use crate::diagnostics::Diagnostic;
use crate::load::describe;

/// Makes the schema at `pointer` admit `null` besides what it admits already.
pub(super) fn admit_null(schema: &mut Value, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    let Value::Object(object) = schema else { return };
    if object.get("$ref").is_some_and(Value::is_string) {
        return wrap(object);
    }
    match object.get_mut("type") {
        Some(Value::String(kind)) => {
            if kind != "null" {
                let kind = std::mem::take(kind);
                object.insert("type".into(), json!([kind, "null"]));
            }
            return null_in_enum(object);
        }
        Some(Value::Array(kinds)) => {
            if !kinds.iter().any(|kind| kind == "null") {
                kinds.push(json!("null"));
            }
            return null_in_enum(object);
        }
        Some(other) => {
            let found = describe(other);
            return warnings.push(Diagnostic::warning(
                join(pointer, "type"),
                format!("`type` is {found}, not a type name, so `nullable: true` cannot add null to it; dropped"),
            ));
        }
        None => {}
    }
    // Without a `type`, only these keywords can refuse null.
    let restricting: Vec<&str> = ["enum", "allOf", "oneOf", "anyOf", "not"].into_iter().filter(|key| object.contains_key(*key)).collect();
    match restricting.as_slice() {
        ["enum"] if object["enum"].is_array() => null_in_enum(object),
        ["allOf"] if object["allOf"].as_array().is_some_and(|members| !members.is_empty()) => each_member(object, pointer, warnings),
        [variants @ ("oneOf" | "anyOf")] if object[*variants].is_array() => null_variant(object, variants),
        [] => implied_type(object, pointer, warnings),
        _ => wrap(object),
    }
}

fn null_in_enum(object: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
}

/// `allOf` admits null when every member does: those that constrain nothing already do.
fn each_member(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    let members_pointer = join(pointer, "allOf");
    let Some(Value::Array(members)) = object.get_mut("allOf") else { return };
    for (index, member) in members.iter_mut().enumerate() {
        if !admits_anything(member) {
            admit_null(member, &join(&members_pointer, &index.to_string()), warnings);
        }
    }
}

fn admits_anything(schema: &Value) -> bool {
    match schema {
        Value::Object(object) => object.keys().all(|key| is_annotation(key) && key != "discriminator"),
        other => *other == Value::Bool(true),
    }
}

/// A variant list takes a null variant, unless it has one.
fn null_variant(object: &mut Map<String, Value>, keyword: &str) {
    let Some(Value::Array(variants)) = object.get_mut(keyword) else { return };
    if !variants.iter().any(is_null_schema) {
        variants.push(json!({"type": "null"}));
    }
}

fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(kind)) => kind == "null",
        Some(Value::Array(kinds)) => kinds.len() == 1 && kinds[0] == "null",
        _ => false,
    }
}

/// A schema without `type` or anything that refuses null admits null already; the generator
/// reads an object or array type from `properties` or `items`, and that type is written out with
/// `"null"` beside it so the generator still sees both. Everything else is wrapped.
fn implied_type(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    let object_like = object.contains_key("properties") || object.contains_key("additionalProperties");
    let kind = match (object_like, object.contains_key("items")) {
        (true, false) => "object",
        (false, true) => "array",
        _ => return wrap(object),
    };
    object.insert("type".into(), json!([kind, "null"]));
    warnings.push(Diagnostic::warning(
        pointer,
        format!("`nullable` on a schema without `type`: written as `type: [{kind}, \"null\"]`, the type its keywords imply, so values of other types are no longer valid"),
    ));
}

/// `anyOf: [<the schema's constraints>, {type: "null"}]`, its annotations left outside, where
/// the generator reads them from.
fn wrap(object: &mut Map<String, Value>) {
    let mut inner = Map::new();
    for (key, value) in std::mem::take(object) {
        if is_annotation(&key) && key != "discriminator" {
            object.insert(key, value);
        } else {
            inner.insert(key, value);
        }
    }
    object.insert("anyOf".into(), json!([inner, {"type": "null"}]));
}
