//! How a parameter or a form property is read from text, as the type space sees it: the one
//! answer that the generated server's parameter tables and the mock server both use.

use crate::ir::{Ty, TypeKind, TypeSpace};

/// What one value read from text becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarKind {
    /// A boolean schema: the text must be `true` or `false`.
    Boolean,
    /// An integer schema: the text is read as a whole number.
    Integer,
    /// A number schema: the text is read as a number, fraction allowed.
    Number,
    /// The text itself: strings, formatted strings and string enums.
    String,
    /// Anything else: the text is kept as a string or parsed as JSON, whichever the schema takes.
    Any,
}

/// The shape of a whole parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeKind<'s> {
    /// One value.
    Scalar(ScalarKind),
    /// A list of values, each read as the item kind.
    Array(ScalarKind),
    /// Named values: a struct's properties, or a map's entries.
    Object {
        /// Each declared property's wire name and kind, in document order.
        properties: Vec<(&'s str, ScalarKind)>,
        /// The kind of any other property (`Any` where the schema says nothing).
        additional: ScalarKind,
    },
}

/// What one value of type `ty` is read as, looking through aliases, options and boxes.
pub(crate) fn scalar_kind(space: &TypeSpace, ty: &Ty) -> ScalarKind {
    match space.look_through(ty) {
        Ty::Bool => ScalarKind::Boolean,
        Ty::Integer(_) => ScalarKind::Integer,
        Ty::Float(_) => ScalarKind::Number,
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid | Ty::Bytes => ScalarKind::String,
        Ty::Named(id) => match &space.get(*id).kind {
            TypeKind::Enum(enumeration) if enumeration.all_strings => ScalarKind::String,
            _ => ScalarKind::Any,
        },
        _ => ScalarKind::Any,
    }
}

/// What a whole value of type `ty` is read as: a list for an array, named values for an object or
/// a map, one value otherwise.
pub(crate) fn shape_kind<'s>(space: &'s TypeSpace, ty: &'s Ty) -> ShapeKind<'s> {
    match space.look_through(ty) {
        Ty::Vec(item) => ShapeKind::Array(scalar_kind(space, item)),
        Ty::Map(value) => ShapeKind::Object { properties: Vec::new(), additional: scalar_kind(space, value) },
        Ty::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(structure) => ShapeKind::Object {
                properties: structure.fields.iter().map(|field| (field.wire_name.as_str(), scalar_kind(space, &field.ty))).collect(),
                additional: structure.additional.as_ref().map_or(ScalarKind::Any, |value| scalar_kind(space, value)),
            },
            _ => ShapeKind::Scalar(scalar_kind(space, ty)),
        },
        _ => ShapeKind::Scalar(scalar_kind(space, ty)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{TypeDef, TypeId};

    fn alias(name: &str, target: Ty) -> TypeDef {
        let mut def = TypeDef::plain_struct(name, "", Vec::new());
        def.kind = TypeKind::Alias(target);
        def
    }

    #[test]
    fn aliases_options_and_boxes_are_looked_through() {
        let space = TypeSpace {
            types: vec![
                alias("Count", Ty::Option(Box::new(Ty::Integer(crate::ir::IntKind::I64)))),
                alias("Counts", Ty::Vec(Box::new(Ty::Named(TypeId(0))))),
                TypeDef::plain_struct("Filter", "", vec![("limit".into(), Ty::Boxed(Box::new(Ty::Named(TypeId(0)))))]),
            ],
            ..TypeSpace::default()
        };
        assert_eq!(scalar_kind(&space, &Ty::Named(TypeId(0))), ScalarKind::Integer);
        assert_eq!(shape_kind(&space, &Ty::Named(TypeId(1))), ShapeKind::Array(ScalarKind::Integer));
        assert_eq!(
            shape_kind(&space, &Ty::Option(Box::new(Ty::Named(TypeId(2))))),
            ShapeKind::Object { properties: vec![("limit", ScalarKind::Integer)], additional: ScalarKind::Any }
        );
    }

    #[test]
    fn an_alias_loop_ends_instead_of_recursing_forever() {
        let space = TypeSpace {
            types: vec![alias("A", Ty::Named(TypeId(1))), alias("B", Ty::Option(Box::new(Ty::Named(TypeId(0)))))],
            ..TypeSpace::default()
        };
        assert_eq!(scalar_kind(&space, &Ty::Named(TypeId(0))), ScalarKind::Any);
        assert_eq!(shape_kind(&space, &Ty::Named(TypeId(1))), ShapeKind::Scalar(ScalarKind::Any));
    }
}
