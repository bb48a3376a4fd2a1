//! The losses only the finished type space shows: untagged unions whose variants overlap.
//!
//! Two variants overlap when some JSON value is read by both types. That is decided from the
//! types' shapes: values of different JSON kinds never overlap; closed enums overlap when they
//! share a value; two arrays or two maps always do (the empty one); two structs do unless one
//! requires a property the other does not declare, or both require a property whose types
//! share no value (a constant tag).

use std::collections::HashSet;

use oas_wire::literal_key;
use serde_json::Value;

use crate::ir::{Loss, Presence, Struct, Ty, TypeKind, TypeSpace};

/// How deep overlap looks into unions and required properties before it assumes the worst.
const MAX_DEPTH: usize = 8;

/// Every untagged union of `space` with two variants that overlap, at the union's pointer.
pub(super) fn overlapping_unions(space: &TypeSpace) -> Vec<(String, Loss)> {
    let mut found = Vec::new();
    for definition in &space.types {
        let TypeKind::Union(union) = &definition.kind else { continue };
        if union.discriminator.is_some() {
            continue;
        }
        let variants = &union.variants;
        let overlapping = (0..variants.len()).any(|i| (i + 1..variants.len()).any(|j| overlap(space, &variants[i].ty, &variants[j].ty, 0)));
        if overlapping {
            found.push((definition.pointer.clone(), Loss::OverlappingUnion));
        }
    }
    found
}

/// What a type reads, as far as overlap is concerned.
enum Shape<'s> {
    Any,
    Bool,
    /// Integers (`whole`) or any number; a JSON integer is both.
    Number {
        whole: bool,
    },
    /// A string, with the format that narrows it (`date-time`, `date`, `uuid`).
    Text(Option<&'static str>),
    /// A closed enumeration: exactly these values.
    Values(&'s [crate::ir::EnumVariant]),
    Array,
    Map,
    Object(&'s Struct),
    Union(Vec<&'s Ty>),
}

fn shape<'s>(space: &'s TypeSpace, ty: &'s Ty) -> Shape<'s> {
    match space.look_through(ty) {
        Ty::Bool => Shape::Bool,
        Ty::Integer(_) => Shape::Number { whole: true },
        Ty::Float(_) => Shape::Number { whole: false },
        Ty::String | Ty::Bytes => Shape::Text(None),
        Ty::DateTime => Shape::Text(Some("date-time")),
        Ty::Date => Shape::Text(Some("date")),
        Ty::Uuid => Shape::Text(Some("uuid")),
        Ty::Vec(_) => Shape::Array,
        Ty::Map(_) => Shape::Map,
        Ty::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(structure) => Shape::Object(structure),
            // An open enum's catch-all reads any string (or any value).
            TypeKind::Enum(enumeration) if enumeration.open => match enumeration.all_strings {
                true => Shape::Text(None),
                false => Shape::Any,
            },
            TypeKind::Enum(enumeration) => Shape::Values(&enumeration.variants),
            TypeKind::Union(union) => Shape::Union(union.variants.iter().map(|variant| &variant.ty).collect()),
            TypeKind::Alias(_) => Shape::Any,
        },
        Ty::Json | Ty::Option(_) | Ty::Boxed(_) => Shape::Any,
    }
}

/// Whether some JSON value is read by both `a` and `b`.
fn overlap(space: &TypeSpace, a: &Ty, b: &Ty, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    match (shape(space, a), shape(space, b)) {
        (Shape::Any, _) | (_, Shape::Any) => true,
        (Shape::Union(variants), _) => variants.iter().any(|variant| overlap(space, variant, b, depth + 1)),
        (_, Shape::Union(variants)) => variants.iter().any(|variant| overlap(space, a, variant, depth + 1)),
        (Shape::Values(left), Shape::Values(right)) => {
            let keys: HashSet<String> = left.iter().map(|variant| literal_key(&variant.value)).collect();
            right.iter().any(|variant| keys.contains(&literal_key(&variant.value)))
        }
        (Shape::Values(values), other) | (other, Shape::Values(values)) => values.iter().any(|variant| reads(&other, &variant.value)),
        (Shape::Bool, Shape::Bool) | (Shape::Array, Shape::Array) | (Shape::Map, Shape::Map) => true,
        (Shape::Number { .. }, Shape::Number { .. }) => true,
        (Shape::Text(left), Shape::Text(right)) => left.is_none() || right.is_none() || left == right,
        (Shape::Map, Shape::Object(_)) | (Shape::Object(_), Shape::Map) => true,
        (Shape::Object(left), Shape::Object(right)) => objects_overlap(space, left, right, depth),
        _ => false,
    }
}

fn objects_overlap(space: &TypeSpace, left: &Struct, right: &Struct, depth: usize) -> bool {
    fn required(structure: &Struct) -> Vec<&crate::ir::Field> {
        structure.fields.iter().filter(|field| matches!(field.presence, Presence::Required | Presence::RequiredNullable)).collect()
    }
    let declares = |structure: &Struct, name: &str| structure.fields.iter().any(|field| field.wire_name == name);
    let (left_required, right_required) = (required(left), required(right));
    if left_required.iter().any(|field| !declares(right, &field.wire_name)) || right_required.iter().any(|field| !declares(left, &field.wire_name)) {
        return false;
    }
    // A property both require, whose values cannot be the same, tells them apart.
    !left_required.iter().any(|field| {
        right_required.iter().any(|other| {
            other.wire_name == field.wire_name
                && field.presence == Presence::Required
                && other.presence == Presence::Required
                && !overlap(space, &field.ty, &other.ty, depth + 1)
        })
    })
}

/// Whether a type of shape `shape` reads the value `value`.
fn reads(shape: &Shape<'_>, value: &Value) -> bool {
    match (shape, value) {
        (Shape::Any, _) => true,
        (Shape::Bool, Value::Bool(_)) => true,
        (Shape::Number { whole: true }, Value::Number(number)) => number.is_i64() || number.is_u64(),
        (Shape::Number { whole: false }, Value::Number(_)) => true,
        (Shape::Text(_), Value::String(_)) => true,
        (Shape::Array, Value::Array(_)) => true,
        (Shape::Map | Shape::Object(_), Value::Object(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::{lower, TypeOptions};

    fn losses(schemas: &str) -> Vec<(String, Loss)> {
        let text = format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}");
        let document = crate::load::load_str(&text).unwrap();
        let mut model = lower(&document, &TypeOptions { open_enums: false });
        std::mem::take(&mut model.fidelity.losses)
    }

    fn overlapping(schemas: &str) -> Vec<String> {
        losses(schemas).into_iter().filter(|(_, loss)| *loss == Loss::OverlappingUnion).map(|(pointer, _)| pointer).collect()
    }

    #[test]
    fn variants_of_different_kinds_do_not_overlap() {
        assert!(overlapping(
            "    U: {oneOf: [{type: string}, {type: integer}, {type: boolean}, {type: array}, {type: object, properties: {a: {type: string}}}]}\n"
        )
        .is_empty());
    }

    #[test]
    fn integers_and_numbers_overlap_as_do_two_strings() {
        assert_eq!(overlapping("    U: {oneOf: [{type: number}, {type: integer}]}\n"), ["/components/schemas/U"]);
        assert_eq!(overlapping("    U: {anyOf: [{type: string}, {type: string, format: date-time}]}\n"), ["/components/schemas/U"]);
        assert!(overlapping("    U: {anyOf: [{type: string, format: uuid}, {type: string, format: date-time}]}\n").is_empty());
    }

    #[test]
    fn objects_are_told_apart_by_a_required_property_or_a_constant_tag() {
        let told_apart = "    U:\n      oneOf:\n        - {type: object, required: [a], properties: {a: {type: string}}}\n        - {type: object, required: [b], properties: {b: {type: string}}}\n";
        assert!(overlapping(told_apart).is_empty());
        let tagged = "    U:\n      oneOf:\n        - {type: object, required: [kind], properties: {kind: {const: 1}}}\n        - {type: object, required: [kind], properties: {kind: {const: 2}}}\n";
        assert!(overlapping(tagged).is_empty());
        let same = "    U:\n      oneOf:\n        - {type: object, required: [kind], properties: {kind: {type: string}, a: {type: string}}}\n        - {type: object, required: [kind], properties: {kind: {type: string}, b: {type: string}}}\n";
        assert_eq!(overlapping(same), ["/components/schemas/U"]);
    }

    #[test]
    fn enums_overlap_when_they_share_a_value_or_meet_their_kind() {
        assert!(overlapping("    U: {oneOf: [{enum: [a, b]}, {enum: [c]}]}\n").is_empty());
        assert_eq!(overlapping("    U: {oneOf: [{enum: [a, b]}, {enum: [b]}]}\n"), ["/components/schemas/U"]);
        assert_eq!(overlapping("    U: {oneOf: [{type: integer, enum: [1, 2]}, {type: number}]}\n"), ["/components/schemas/U"]);
        // Beside a plain string, an enum of strings adds nothing and is left out: no union.
        assert!(overlapping("    U: {oneOf: [{enum: [a]}, {type: string}]}\n").is_empty());
        assert!(overlapping("    U: {oneOf: [{enum: [a]}, {type: integer}]}\n").is_empty());
    }

    #[test]
    fn fallbacks_and_dropped_keywords_are_counted_where_they_happen() {
        let found = losses("    F: false\n    N: {type: 'null'}\n    R: {$ref: '#/components/schemas/Missing'}\n    K: {type: object, properties: {a: {type: string}}, not: {required: [b]}}\n    Free: {}\n");
        let labels: Vec<(&str, &str)> = found.iter().map(|(pointer, loss)| (pointer.as_str(), loss.label())).collect();
        assert_eq!(
            labels,
            [
                ("/components/schemas/F", "value/false-schema"),
                ("/components/schemas/K", "keyword/not"),
                ("/components/schemas/N", "value/null-only"),
                ("/components/schemas/R", "value/unresolved-ref"),
            ]
        );
    }
}
