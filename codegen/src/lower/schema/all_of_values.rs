//! `allOf` whose members are scalars, enums or arrays: their intersection.
//!
//! A value valid against every member is one whose JSON type every member allows, that is in
//! every member's `enum`, and within every member's bounds. When exactly one member is a
//! reference and the others only narrow or annotate it (the 3.1 idiom `{type: integer, enum: [1],
//! $ref: ComponentType}`), the type is the referenced one; otherwise it is the merged schema's.
//! Members with no common value fall back to `serde_json::Value` with a warning naming them.
//! The server's validation checks the whole `allOf` either way; the merge only decides the type.

use crate::keywords::Keywords;
use std::collections::HashSet;

use oas_wire::literal_key;
use serde_json::{Map, Value};

use super::{enums, is_component_pointer, schema_types, Part, SchemaLowering};
use crate::diagnostics::join;
use crate::ir::{Fallback, Loss, Ty};
use crate::load::Version;
use crate::refs;

/// How deep `$ref` and nested `allOf` are followed to find a member's keywords.
const MAX_DEPTH: usize = 32;

/// What every member of an `allOf` says about its values, once merged.
#[derive(Default)]
struct Merged<'v> {
    /// The JSON types every member allows (`None`: no member says), `null` left out.
    types: Option<Vec<&'static str>>,
    /// The values every member's `enum` or `const` lists (`None`: no member lists any).
    values: Option<Vec<Value>>,
    format: Option<String>,
    /// (`minimum` or `exclusiveMinimum`, is exclusive), the tightest of all members.
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    /// Each array member's `items`, with its pointer.
    items: Vec<(&'v Value, String)>,
}

/// A member flattened: its keywords with those of every schema it refers to or includes.
struct Member<'v> {
    pointer: String,
    keywords: Vec<(&'v Map<String, Value>, String)>,
}

/// What the intersection of an `allOf` is.
pub(super) enum Intersection {
    /// Some member describes objects; the object merge handles it.
    Objects,
    /// The members' common type.
    Type(Ty),
    /// No value satisfies every member; why, naming them.
    Contradiction(String),
}

const JSON_TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];

impl SchemaLowering<'_> {
    /// The intersection of `parts` when none of them describes objects.
    pub(super) fn all_of_values(&mut self, object: &Map<String, Value>, pointer: &str, hint: &str, parts: &[Part<'_>]) -> Intersection {
        let root = self.root;
        let v3_0 = self.version == Version::V3_0;
        let mut members: Vec<Member<'_>> = parts.iter().map(|part| flatten(root, v3_0, part, pointer)).collect();
        if members.iter().flat_map(|member| &member.keywords).any(|(keywords, _)| describes_objects(root, keywords)) {
            return Intersection::Objects;
        }
        // Messages name members by where they sit under the `allOf`'s holder when they do.
        for member in &mut members {
            if let Some(inside) = member.pointer.strip_prefix(pointer).and_then(|inside| inside.strip_prefix('/')) {
                member.pointer = inside.to_string();
            } else if member.pointer == pointer {
                member.pointer = String::new();
            }
        }
        let merged = match merge(root, &members) {
            Ok(merged) => merged,
            Err(why) => return Intersection::Contradiction(why),
        };
        let references: Vec<(&Value, Option<String>)> = parts.iter().filter_map(Part::reference).collect();
        let needs_definition = is_component_pointer(pointer);
        if let [(reference, at)] = references.as_slice() {
            let ty = self.reference(reference, at.as_deref().unwrap_or(pointer));
            return Intersection::Type(self.alias_if(needs_definition, pointer, hint, Some(object), ty));
        }
        if merged.types.as_deref() == Some(&["array"]) || (merged.types.is_none() && !merged.items.is_empty()) {
            let item = match merged.items.as_slice() {
                [] => Ty::Json,
                [(items, items_pointer)] => self.lower(items, items_pointer, &format!("{hint}Item"), false),
                several => {
                    let members: Vec<Value> = several.iter().map(|(items, _)| (*items).clone()).collect();
                    let items = Value::Object(Map::from_iter([("allOf".to_string(), Value::Array(members))]));
                    self.lower(&items, &join(pointer, "items"), &format!("{hint}Item"), false)
                }
            };
            return Intersection::Type(self.alias_if(needs_definition, pointer, hint, Some(object), Ty::Vec(Box::new(item))));
        }
        let schema = merged.schema(object);
        Intersection::Type(self.lower(&schema, pointer, hint, needs_definition))
    }

    /// Falls back for an `allOf` with no common value.
    pub(super) fn contradiction(&mut self, object: &Map<String, Value>, pointer: &str, hint: &str, why: String) -> Ty {
        self.lose(pointer, Loss::Fallback(Fallback::AllOfContradiction));
        self.warn(&join(pointer, "allOf"), format!("{why}, so no value is valid; represented as `serde_json::Value`"));
        self.alias_if(is_component_pointer(pointer), pointer, hint, Some(object), Ty::Json)
    }
}

impl Part<'_> {
    /// The `$ref` this part is, when it is only that (annotations aside), with the pointer of
    /// the member holding it (`None`: the `allOf`'s holder itself).
    fn reference(&self) -> Option<(&Value, Option<String>)> {
        match self {
            Part::Ref(reference) => Some((reference, None)),
            Part::Member(member, pointer) => {
                let object = member.as_object()?;
                let reference = object.keyword("$ref")?;
                let only = object.keys().all(|key| key == "$ref" || super::ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"));
                only.then(|| (reference, Some(pointer.clone())))
            }
            Part::Siblings(_) => None,
        }
    }
}

/// A property that every variant requires to hold a constant, a different one each: its name,
/// and each variant's constant as a JSON literal, in variant order. The constant is what the
/// property's schemas (through references and `allOf`) leave as the only value, so
/// `{type: integer, enum: [2], allOf: [{$ref: ComponentType}]}` is the constant 2.
pub(super) fn constant_tag(root: &Value, v3_0: bool, variants: &[&Value]) -> Option<(String, Vec<String>)> {
    let gathered: Vec<Vec<(&Map<String, Value>, String)>> = variants
        .iter()
        .map(|variant| {
            let mut keywords = Vec::new();
            gather(root, v3_0, variant, "", &mut keywords, 0);
            keywords
        })
        .collect();
    let required =
        |keywords: &[(&Map<String, Value>, String)], name: &str| keywords.iter().any(|(object, _)| super::required_of(object).contains(&name));
    let first = gathered.first()?;
    let candidates = first.iter().filter_map(|(object, _)| object.keyword("properties")?.as_object()).flat_map(|properties| properties.keys());
    for candidate in candidates {
        let mut tags = Vec::with_capacity(gathered.len());
        for keywords in &gathered {
            if !required(keywords, candidate) {
                break;
            }
            let schemas = keywords.iter().filter_map(|(object, pointer)| Some((object.keyword("properties")?.get(candidate)?, pointer.clone())));
            let members: Vec<Member<'_>> = schemas
                .map(|(schema, pointer)| {
                    let mut flat = Vec::new();
                    gather(root, v3_0, schema, &pointer, &mut flat, 0);
                    Member { pointer, keywords: flat }
                })
                .collect();
            let Ok(Merged { values: Some(values), .. }) = merge(root, &members) else { break };
            // `null` beside the constant (3.0 `nullable`, or its 3.1 spelling) names no variant.
            let values: Vec<&Value> = values.iter().filter(|value| !value.is_null()).collect();
            let [value] = values.as_slice() else { break };
            let tag = literal_key(value);
            if tags.contains(&tag) {
                break;
            }
            tags.push(tag);
        }
        if tags.len() == gathered.len() {
            return Some((candidate.clone(), tags));
        }
    }
    None
}

/// A part with the keywords of everything it refers to or includes.
fn flatten<'v>(root: &'v Value, v3_0: bool, part: &'v Part<'_>, holder: &str) -> Member<'v> {
    let mut keywords = Vec::new();
    let pointer = match part {
        Part::Member(member, pointer) => {
            gather(root, v3_0, member, pointer, &mut keywords, 0);
            pointer.clone()
        }
        Part::Ref(reference) => {
            let pointer = join(holder, "$ref");
            follow(root, v3_0, reference, &mut keywords, 0);
            pointer
        }
        Part::Siblings(siblings) => {
            gather(root, v3_0, siblings, holder, &mut keywords, 0);
            holder.to_string()
        }
    };
    Member { pointer, keywords }
}

fn gather<'v>(root: &'v Value, v3_0: bool, schema: &'v Value, pointer: &str, out: &mut Vec<(&'v Map<String, Value>, String)>, depth: usize) {
    let Some(object) = schema.as_object() else { return };
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(reference) = object.keyword("$ref") {
        follow(root, v3_0, reference, out, depth + 1);
        // OpenAPI 3.0 ignores every keyword beside a `$ref`.
        if v3_0 {
            return;
        }
    }
    for (index, member) in object.keyword("allOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
        gather(root, v3_0, member, &join(&join(pointer, "allOf"), &index.to_string()), out, depth + 1);
    }
    out.push((object, pointer.to_string()));
}

fn follow<'v>(root: &'v Value, v3_0: bool, reference: &Value, out: &mut Vec<(&'v Map<String, Value>, String)>, depth: usize) {
    let target = reference.as_str().and_then(|reference| refs::local_pointer(reference).ok());
    if let Some((value, target)) = target.and_then(|target| refs::lookup(root, &target).map(|value| (value, target))) {
        gather(root, v3_0, value, &target, out, depth);
    }
}

/// Whether keywords describe objects: properties, a union that is not of constants, or the
/// object type alone.
fn describes_objects(root: &Value, keywords: &Map<String, Value>) -> bool {
    let types = schema_types(keywords);
    let union = keywords.has_keyword("oneOf") || keywords.has_keyword("anyOf");
    keywords.has_keyword("properties")
        || keywords.has_keyword("additionalProperties")
        || (union && enums::constant_values(root, keywords).is_none())
        || (types.contains(&"object") && !types.iter().any(|kind| *kind != "object" && *kind != "null"))
}

fn merge<'v>(root: &Value, members: &[Member<'v>]) -> Result<Merged<'v>, String> {
    let mut merged = Merged::default();
    // The first member that set each narrowing keyword, to name it in a contradiction.
    let mut type_from = String::new();
    let mut values_from = String::new();
    for member in members {
        for (keywords, pointer) in &member.keywords {
            let types: Vec<&str> = schema_types(keywords).into_iter().filter(|kind| *kind != "null").collect();
            if !types.is_empty() {
                let allowed: Vec<&'static str> =
                    JSON_TYPES.iter().copied().filter(|kind| types.contains(kind) || (*kind == "integer" && types.contains(&"number"))).collect();
                let narrowed = match &merged.types {
                    None => allowed,
                    Some(before) => before.iter().copied().filter(|kind| allowed.contains(kind)).collect(),
                };
                if narrowed.is_empty() {
                    return Err(format!("{} and {} have no JSON type in common", shown(&type_from), shown(&member.pointer)));
                }
                if merged.types.is_none() {
                    type_from = member.pointer.clone();
                }
                merged.types = Some(narrowed);
            }
            let listed = keywords
                .keyword("enum")
                .and_then(Value::as_array)
                .cloned()
                .or_else(|| keywords.keyword("const").map(|value| vec![value.clone()]))
                .or_else(|| enums::constant_values(root, keywords));
            if let Some(listed) = listed {
                let narrowed: Vec<Value> = match &merged.values {
                    None => listed,
                    Some(before) => {
                        let keys: HashSet<String> = listed.iter().map(literal_key).collect();
                        before.iter().filter(|value| keys.contains(&literal_key(value))).cloned().collect()
                    }
                };
                if narrowed.iter().all(Value::is_null) {
                    return Err(format!("{} and {} list no value in common", shown(&values_from), shown(&member.pointer)));
                }
                if merged.values.is_none() {
                    values_from = member.pointer.clone();
                }
                merged.values = Some(narrowed);
            }
            if merged.format.is_none() {
                merged.format = keywords.keyword("format").and_then(Value::as_str).map(str::to_string);
            }
            merged.tighten_bounds(keywords);
            if let Some(items) = keywords.keyword("items") {
                merged.items.push((items, join(pointer, "items")));
            }
        }
    }
    merged.check(members)?;
    Ok(merged)
}

impl Merged<'_> {
    fn tighten_bounds(&mut self, keywords: &Map<String, Value>) {
        let number = |key: &str| keywords.get(key).and_then(Value::as_f64);
        let flag = |key: &str| keywords.get(key).and_then(Value::as_bool).unwrap_or(false);
        // 3.0 writes an exclusive bound as a flag beside it; 3.1 as the bound itself.
        let lower = [number("minimum").map(|at| (at, flag("exclusiveMinimum"))), number("exclusiveMinimum").map(|at| (at, true))];
        for bound in lower.into_iter().flatten() {
            if self.minimum.is_none_or(|(at, exclusive)| bound.0 > at || (bound.0 == at && bound.1 && !exclusive)) {
                self.minimum = Some(bound);
            }
        }
        let upper = [number("maximum").map(|at| (at, flag("exclusiveMaximum"))), number("exclusiveMaximum").map(|at| (at, true))];
        for bound in upper.into_iter().flatten() {
            if self.maximum.is_none_or(|(at, exclusive)| bound.0 < at || (bound.0 == at && bound.1 && !exclusive)) {
                self.maximum = Some(bound);
            }
        }
        let count = |key: &str| keywords.get(key).and_then(Value::as_u64);
        let largest = |before: Option<u64>, now: Option<u64>| before.max(now);
        let smallest = |before: Option<u64>, now: Option<u64>| match (before, now) {
            (Some(before), Some(now)) => Some(before.min(now)),
            (before, now) => before.or(now),
        };
        self.min_length = largest(self.min_length, count("minLength"));
        self.max_length = smallest(self.max_length, count("maxLength"));
        self.min_items = largest(self.min_items, count("minItems"));
        self.max_items = smallest(self.max_items, count("maxItems"));
    }

    /// Errors when the merged bounds, or the listed values against the merged type, leave
    /// nothing valid.
    fn check(&self, members: &[Member<'_>]) -> Result<(), String> {
        let named = || members.iter().map(|member| shown(&member.pointer)).collect::<Vec<_>>().join(", ");
        if let (Some((low, low_exclusive)), Some((high, high_exclusive))) = (self.minimum, self.maximum) {
            if low > high || (low == high && (low_exclusive || high_exclusive)) {
                return Err(format!("{} bound numbers from {low} to {high}", named()));
            }
        }
        if self.min_length.zip(self.max_length).is_some_and(|(low, high)| low > high)
            || self.min_items.zip(self.max_items).is_some_and(|(low, high)| low > high)
        {
            return Err(format!("{} ask for a minimum length above their maximum", named()));
        }
        if let (Some(types), Some(values)) = (&self.types, &self.values) {
            if !values.iter().any(|value| types.iter().any(|kind| is_of_type(value, kind))) {
                return Err(format!("{} list no value of the type they allow", named()));
            }
        }
        Ok(())
    }

    /// The merged schema, to lower in place of the `allOf`: the common type, values and format,
    /// with the holder's annotations.
    fn schema(&self, holder: &Map<String, Value>) -> Value {
        let mut schema = Map::new();
        for key in ["description", "title", "deprecated"] {
            if let Some(value) = holder.get(key) {
                schema.insert(key.to_string(), value.clone());
            }
        }
        match self.types.as_deref() {
            Some([single]) => {
                schema.insert("type".into(), Value::String(single.to_string()));
            }
            // `integer` is part of `number`; both listed means `number`.
            Some(["integer", "number"]) => {
                schema.insert("type".into(), Value::String("number".into()));
            }
            Some(several) if !several.is_empty() && several.len() < JSON_TYPES.len() => {
                schema.insert("type".into(), Value::Array(several.iter().map(|kind| Value::String(kind.to_string())).collect()));
            }
            _ => {}
        }
        if let Some(values) = &self.values {
            let fitting: Vec<Value> = values
                .iter()
                .filter(|value| self.types.as_ref().is_none_or(|types| types.iter().any(|kind| is_of_type(value, kind))))
                .cloned()
                .collect();
            schema.insert("enum".into(), Value::Array(fitting));
        }
        if let Some(format) = &self.format {
            schema.insert("format".into(), Value::String(format.clone()));
        }
        if let Some((minimum, false)) = self.minimum {
            // Only its sign reaches the type (an unsigned `format: uint`).
            schema.insert("minimum".into(), serde_json::json!(minimum));
        }
        Value::Object(schema)
    }
}

/// A member as messages name it: its place under the `allOf`'s holder (`allOf/1`), the
/// holder's own keywords, or the pointer of the schema it is.
fn shown(pointer: &str) -> String {
    if pointer.is_empty() {
        "the schema's own keywords".to_string()
    } else {
        format!("`{pointer}`")
    }
}

fn is_of_type(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|number| number.fract() == 0.0),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}
