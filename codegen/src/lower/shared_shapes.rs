//! One type for identical anonymous schemas.
//!
//! Large documents repeat the same inline schema many times: GitHub's writes the same `user`
//! object out in hundreds of webhook payloads, so about 6,100 inline schemas hold only about
//! 1,800 distinct shapes. Giving each its own struct with its own serde impls triples the code
//! the compiler checks. Here every anonymous definition that is identical to an earlier one (same
//! fields, wire names, types, descriptions, defaults) becomes an alias of it, so each name still
//! exists and reads as before, and the shape is compiled once.
//!
//! Schemas declared under `components/schemas` keep their own definitions: the author named them,
//! so they are distinct types even when they look alike. An anonymous schema identical to a
//! declared one becomes an alias of the declared one.
//!
//! Identity is refined bottom-up: two definitions are the same when their own content matches and
//! the types they refer to are already the same. Passes repeat until nothing more merges, so a
//! parent merges once its children have.

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::{FixedState, FoldHasher};
use foldhash::{HashMap, HashMapExt};

use crate::ir::{Enum, Struct, Ty, TypeDef, TypeId, TypeKind, TypeSpace, Union};

/// Turns every anonymous definition identical to an earlier one into an alias of it.
pub fn merge_identical(space: &mut TypeSpace) {
    let count = space.types.len();
    let own_hash: Vec<u64> = space.types.iter().map(own_content_hash).collect();
    let referred: Vec<Vec<TypeId>> = space.types.iter().map(named_in_def).collect();
    let declared: Vec<bool> = space.types.iter().map(|def| is_declared(&def.pointer)).collect();
    let mut canon: Vec<usize> = (0..count).collect();
    loop {
        let mut merged = false;
        let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
        for index in 0..count {
            if canon[index] != index {
                continue;
            }
            let mut hasher = FixedState::default().build_hasher();
            own_hash[index].hash(&mut hasher);
            for id in &referred[index] {
                find(&canon, id.0).hash(&mut hasher);
            }
            let bucket = buckets.entry(hasher.finish()).or_default();
            let Some(slot) = bucket.iter().position(|&other| same_def(space, &canon, other, index)) else {
                bucket.push(index);
                continue;
            };
            let other = bucket[slot];
            match (declared[other], declared[index]) {
                (_, false) => canon[index] = other,
                (false, true) => {
                    canon[other] = index;
                    bucket[slot] = index;
                }
                (true, true) => {
                    bucket.push(index);
                    continue;
                }
            }
            merged = true;
        }
        if !merged {
            break;
        }
    }
    for index in 0..count {
        let target = find(&canon, index);
        if target != index {
            let def = &mut space.types[index];
            def.kind = TypeKind::Alias(Ty::Named(TypeId(target)));
        }
    }
}

/// Whether a definition was named by the document's author.
fn is_declared(pointer: &str) -> bool {
    pointer.strip_prefix("/components/schemas/").is_some_and(|name| !name.contains('/'))
}

fn find(canon: &[usize], mut index: usize) -> usize {
    while canon[index] != index {
        index = canon[index];
    }
    index
}

/// A hash of everything [`same_def`] compares except the identity of referred types.
fn own_content_hash(def: &TypeDef) -> u64 {
    let mut hasher = FixedState::default().build_hasher();
    def.description.hash(&mut hasher);
    def.deprecated.hash(&mut hasher);
    match &def.kind {
        TypeKind::Struct(structure) => {
            0u8.hash(&mut hasher);
            for field in &structure.fields {
                field.rust_name.hash(&mut hasher);
                field.wire_name.hash(&mut hasher);
                hash_ty_shape(&field.ty, &mut hasher);
                (field.presence as u8).hash(&mut hasher);
                field.description.hash(&mut hasher);
                field.deprecated.hash(&mut hasher);
                field.default.as_ref().map(ToString::to_string).hash(&mut hasher);
            }
            structure.additional.as_ref().map(|ty| hash_ty_shape(ty, &mut hasher)).hash(&mut hasher);
        }
        TypeKind::Enum(enumeration) => {
            1u8.hash(&mut hasher);
            for variant in &enumeration.variants {
                variant.rust_name.hash(&mut hasher);
                variant.value.to_string().hash(&mut hasher);
            }
            enumeration.all_strings.hash(&mut hasher);
            enumeration.open.hash(&mut hasher);
        }
        TypeKind::Union(union) => {
            2u8.hash(&mut hasher);
            for variant in &union.variants {
                variant.rust_name.hash(&mut hasher);
                hash_ty_shape(&variant.ty, &mut hasher);
                variant.tags.hash(&mut hasher);
            }
            union.discriminator.as_ref().map(|discriminator| (&discriminator.property, discriminator.literal)).hash(&mut hasher);
        }
        TypeKind::Alias(ty) => {
            3u8.hash(&mut hasher);
            hash_ty_shape(ty, &mut hasher);
        }
    }
    hasher.finish()
}

/// Hashes a type with every named type as the same placeholder.
fn hash_ty_shape(ty: &Ty, hasher: &mut FoldHasher<'_>) {
    match ty {
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
            std::mem::discriminant(ty).hash(hasher);
            hash_ty_shape(inner, hasher);
        }
        Ty::Named(_) => std::mem::discriminant(ty).hash(hasher),
        leaf => leaf.hash(hasher),
    }
}

/// The named types a definition refers to, in a fixed order.
fn named_in_def(def: &TypeDef) -> Vec<TypeId> {
    let mut found = Vec::new();
    match &def.kind {
        TypeKind::Struct(structure) => {
            for field in &structure.fields {
                named_in_ty(&field.ty, &mut found);
            }
            if let Some(additional) = &structure.additional {
                named_in_ty(additional, &mut found);
            }
        }
        TypeKind::Union(union) => {
            for variant in &union.variants {
                named_in_ty(&variant.ty, &mut found);
            }
        }
        TypeKind::Alias(ty) => named_in_ty(ty, &mut found),
        TypeKind::Enum(_) => {}
    }
    found
}

fn named_in_ty(ty: &Ty, found: &mut Vec<TypeId>) {
    match ty {
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => named_in_ty(inner, found),
        Ty::Named(id) => found.push(*id),
        _ => {}
    }
}

fn same_def(space: &TypeSpace, canon: &[usize], left: usize, right: usize) -> bool {
    let (a, b) = (&space.types[left], &space.types[right]);
    if a.description != b.description || a.deprecated != b.deprecated {
        return false;
    }
    let same_ty = |x: &Ty, y: &Ty| same_ty(canon, x, y);
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => same_struct(x, y, same_ty),
        (TypeKind::Enum(x), TypeKind::Enum(y)) => same_enum(x, y),
        (TypeKind::Union(x), TypeKind::Union(y)) => same_union(x, y, same_ty),
        (TypeKind::Alias(x), TypeKind::Alias(y)) => same_ty(x, y),
        _ => false,
    }
}

fn same_struct(x: &Struct, y: &Struct, same_ty: impl Fn(&Ty, &Ty) -> bool) -> bool {
    x.fields.len() == y.fields.len()
        && x.fields.iter().zip(&y.fields).all(|(a, b)| {
            a.rust_name == b.rust_name
                && a.wire_name == b.wire_name
                && a.presence == b.presence
                && a.description == b.description
                && a.deprecated == b.deprecated
                && a.default == b.default
                && same_ty(&a.ty, &b.ty)
        })
        && match (&x.additional, &y.additional) {
            (Some(a), Some(b)) => same_ty(a, b),
            (None, None) => true,
            _ => false,
        }
}

fn same_enum(x: &Enum, y: &Enum) -> bool {
    x.all_strings == y.all_strings
        && x.open == y.open
        && x.variants.len() == y.variants.len()
        && x.variants.iter().zip(&y.variants).all(|(a, b)| a.rust_name == b.rust_name && a.value == b.value)
}

fn same_union(x: &Union, y: &Union, same_ty: impl Fn(&Ty, &Ty) -> bool) -> bool {
    x.discriminator.as_ref().map(|d| (&d.property, d.literal)) == y.discriminator.as_ref().map(|d| (&d.property, d.literal))
        && x.variants.len() == y.variants.len()
        && x.variants.iter().zip(&y.variants).all(|(a, b)| a.rust_name == b.rust_name && a.tags == b.tags && same_ty(&a.ty, &b.ty))
}

fn same_ty(canon: &[usize], x: &Ty, y: &Ty) -> bool {
    match (x, y) {
        (Ty::Vec(a), Ty::Vec(b)) | (Ty::Map(a), Ty::Map(b)) | (Ty::Option(a), Ty::Option(b)) | (Ty::Boxed(a), Ty::Boxed(b)) => same_ty(canon, a, b),
        (Ty::Named(a), Ty::Named(b)) => find(canon, a.0) == find(canon, b.0),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(pointer: &str, fields: &[(&str, Ty)]) -> TypeDef {
        let name = pointer.rsplit('/').next().unwrap_or_default();
        TypeDef::plain_struct(name, pointer, fields.iter().map(|(name, ty)| (name.to_string(), ty.clone())).collect())
    }

    fn alias_target(space: &TypeSpace, index: usize) -> Option<usize> {
        match &space.types[index].kind {
            TypeKind::Alias(Ty::Named(id)) => Some(id.0),
            _ => None,
        }
    }

    #[test]
    fn parents_merge_once_their_children_have() {
        let mut space = TypeSpace {
            types: vec![
                object("/components/schemas/a/properties/user", &[("login", Ty::String)]),
                object("/components/schemas/a", &[("user", Ty::Named(TypeId(0)))]),
                object("/components/schemas/b/properties/wrapper/properties/user", &[("login", Ty::String)]),
                object("/components/schemas/b/properties/wrapper", &[("user", Ty::Named(TypeId(2)))]),
                object("/components/schemas/c/properties/wrapper", &[("user", Ty::Named(TypeId(0)))]),
            ],
            ..TypeSpace::default()
        };
        merge_identical(&mut space);
        assert_eq!(alias_target(&space, 2), Some(0));
        // `b`'s wrapper matches `a` only once its user has merged with `a`'s; `a` is declared, so
        // it keeps its definition and both wrappers refer to it.
        assert_eq!(alias_target(&space, 1), None);
        assert_eq!(alias_target(&space, 3), Some(1));
        assert_eq!(alias_target(&space, 4), Some(1));
    }

    #[test]
    fn declared_schemas_stay_distinct_and_win_over_anonymous_ones() {
        let mut space = TypeSpace {
            types: vec![
                object("/paths/~1x/get/responses/200/content/application~1json/schema", &[("id", Ty::String)]),
                object("/components/schemas/first", &[("id", Ty::String)]),
                object("/components/schemas/second", &[("id", Ty::String)]),
                object("/components/schemas/third/properties/item", &[("id", Ty::String)]),
            ],
            ..TypeSpace::default()
        };
        merge_identical(&mut space);
        assert_eq!(alias_target(&space, 0), Some(1));
        assert_eq!(alias_target(&space, 1), None);
        assert_eq!(alias_target(&space, 2), None);
        assert_eq!(alias_target(&space, 3), Some(1));
    }

    #[test]
    fn a_different_description_or_field_keeps_types_apart() {
        let mut described = object("/components/schemas/b/properties/x", &[("id", Ty::String)]);
        described.description = Some("Another meaning".into());
        let mut space = TypeSpace {
            types: vec![
                object("/components/schemas/a/properties/x", &[("id", Ty::String)]),
                described,
                object("/components/schemas/c/properties/x", &[("id", Ty::Integer(crate::ir::IntKind::I64))]),
            ],
            ..TypeSpace::default()
        };
        merge_identical(&mut space);
        assert!((0..3).all(|index| alias_target(&space, index).is_none()));
    }

    #[test]
    fn recursive_shapes_merge_only_when_their_cycles_do() {
        // x -> x and y -> y have the same shape, but refinement from distinct starting points never
        // proves that, so both stay: merging is only ever done on evidence.
        let mut space = TypeSpace {
            types: vec![
                object("/components/schemas/a/properties/x", &[("next", Ty::Option(Box::new(Ty::Named(TypeId(0)))))]),
                object("/components/schemas/b/properties/y", &[("next", Ty::Option(Box::new(Ty::Named(TypeId(1)))))]),
            ],
            ..TypeSpace::default()
        };
        merge_identical(&mut space);
        assert!(alias_target(&space, 0).is_none() && alias_target(&space, 1).is_none());
    }
}
