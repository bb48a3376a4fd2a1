//! Breaking recursive types with `Box`, exactly where a cycle would give a type infinite size.
//!
//! A type holds another by value through struct fields, union variants and aliases; `Vec` and
//! maps already live on the heap. A depth-first walk in definition order boxes each edge that
//! closes a cycle, which breaks every cycle and leaves all other edges alone.

use crate::ir::{Ty, TypeId, TypeKind, TypeSpace};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Unvisited,
    OnStack,
    Done,
}

/// Inserts the boxes the type space needs.
pub fn box_cycles(space: &mut TypeSpace) {
    let mut state = vec![State::Unvisited; space.types.len()];
    for id in space.ids().collect::<Vec<_>>() {
        if state[id.0] == State::Unvisited {
            visit(space, id, &mut state);
        }
    }
}

fn visit(space: &mut TypeSpace, id: TypeId, state: &mut [State]) {
    // An explicit stack keeps deep reference chains from overflowing the thread's stack.
    struct Frame {
        id: TypeId,
        slot: usize,
    }
    state[id.0] = State::OnStack;
    let mut stack = vec![Frame { id, slot: 0 }];
    while let Some(frame) = stack.last_mut() {
        let current = frame.id;
        let slot = frame.slot;
        frame.slot += 1;
        let Some(target) = by_value_target(space, current, slot) else {
            state[current.0] = State::Done;
            stack.pop();
            continue;
        };
        let Some(target) = target else { continue };
        match state[target.0] {
            State::OnStack => box_slot(space, current, slot),
            State::Unvisited => {
                state[target.0] = State::OnStack;
                stack.push(Frame { id: target, slot: 0 });
            }
            State::Done => {}
        }
    }
}

/// The mutable type slots of a definition, in a fixed order.
fn slots(kind: &mut TypeKind) -> Vec<&mut Ty> {
    match kind {
        TypeKind::Struct(structure) => structure.fields.iter_mut().map(|field| &mut field.ty).collect(),
        TypeKind::Union(union) => union.variants.iter_mut().map(|variant| &mut variant.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// What slot `slot` of `id` holds by value: `None` past the last slot, `Some(None)` for a slot
/// that holds no named type by value.
fn by_value_target(space: &mut TypeSpace, id: TypeId, slot: usize) -> Option<Option<TypeId>> {
    let kind_slots = slots(&mut space.get_mut(id).kind);
    kind_slots.get(slot).map(|ty| held_by_value(ty))
}

fn held_by_value(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => held_by_value(inner),
        _ => None,
    }
}

fn box_slot(space: &mut TypeSpace, id: TypeId, slot: usize) {
    let mut kind_slots = slots(&mut space.get_mut(id).kind);
    let ty = &mut *kind_slots[slot];
    box_in_place(ty);
}

fn box_in_place(ty: &mut Ty) {
    match ty {
        Ty::Option(inner) => box_in_place(inner),
        Ty::Named(_) => {
            let named = std::mem::replace(ty, Ty::Json);
            *ty = Ty::Boxed(Box::new(named));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{TypeDef, Union, UnionVariant};

    fn structure(name: &str, fields: Vec<Ty>) -> TypeDef {
        TypeDef::plain_struct(name, "", fields.into_iter().enumerate().map(|(index, ty)| (format!("f{index}"), ty)).collect())
    }

    fn field_ty(space: &TypeSpace, id: usize, field: usize) -> &Ty {
        match &space.types[id].kind {
            TypeKind::Struct(structure) => &structure.fields[field].ty,
            _ => unreachable!(),
        }
    }

    #[test]
    fn boxes_the_edge_that_closes_a_cycle_through_a_union() {
        // Filter = oneOf [Logical(Vec<Filter>), Nested { nested: Filter }]
        let mut space = TypeSpace {
            types: vec![
                TypeDef {
                    name: "Filter".into(),
                    pointer: String::new(),
                    description: None,
                    deprecated: false,
                    kind: TypeKind::Union(Union {
                        variants: vec![
                            UnionVariant { rust_name: "Logical".into(), ty: Ty::Named(TypeId(1)), tags: vec![] },
                            UnionVariant { rust_name: "Nested".into(), ty: Ty::Named(TypeId(2)), tags: vec![] },
                        ],
                        discriminator: None,
                    }),
                },
                structure("Logical", vec![Ty::Vec(Box::new(Ty::Named(TypeId(0))))]),
                structure("Nested", vec![Ty::String, Ty::Named(TypeId(0))]),
            ],
            ..TypeSpace::default()
        };
        box_cycles(&mut space);
        assert_eq!(field_ty(&space, 1, 0), &Ty::Vec(Box::new(Ty::Named(TypeId(0)))), "a Vec needs no box");
        assert_eq!(field_ty(&space, 2, 1), &Ty::Boxed(Box::new(Ty::Named(TypeId(0)))));
        let TypeKind::Union(union) = &space.types[0].kind else { unreachable!() };
        assert_eq!(union.variants[1].ty, Ty::Named(TypeId(2)), "one box per cycle is enough");
    }

    #[test]
    fn boxes_self_reference_inside_option() {
        let mut space = TypeSpace { types: vec![structure("Node", vec![Ty::Option(Box::new(Ty::Named(TypeId(0))))])], ..TypeSpace::default() };
        box_cycles(&mut space);
        assert_eq!(field_ty(&space, 0, 0), &Ty::Option(Box::new(Ty::Boxed(Box::new(Ty::Named(TypeId(0)))))));
    }

    #[test]
    fn leaves_acyclic_types_alone() {
        let mut space =
            TypeSpace { types: vec![structure("A", vec![Ty::Named(TypeId(1))]), structure("B", vec![Ty::String])], ..TypeSpace::default() };
        box_cycles(&mut space);
        assert_eq!(field_ty(&space, 0, 0), &Ty::Named(TypeId(1)));
    }
}
