//! The type space: one entry per Rust type to generate, independent of Rust syntax.
//!
//! Entries are addressed by [`TypeId`] (their index) and kept in the order they were first met,
//! which follows the document, so output order never depends on hashing.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// How a value is held: a built-in type, a generated one, or a container of either.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    Bool,
    Integer(IntKind),
    Float(FloatKind),
    String,
    DateTime,
    Date,
    Uuid,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Anything at all: `serde_json::Value`. Also the fallback for what cannot be represented.
    Json,
    Vec(Box<Ty>),
    /// A JSON object used as a map from its keys.
    Map(Box<Ty>),
    Option(Box<Ty>),
    /// Heap indirection that breaks a recursive type; placed by [`crate::recursion`].
    Boxed(Box<Ty>),
    Named(TypeId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntKind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FloatKind {
    F32,
    F64,
}

/// A type to generate.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust identifier, unique in the type space.
    pub name: String,
    /// Where the schema sits in the document.
    pub pointer: String,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
}

impl TypeDef {
    /// An undocumented struct whose fields are all required and named as on the wire, for type
    /// spaces built by hand.
    pub fn plain_struct(name: &str, pointer: &str, fields: Vec<(String, Ty)>) -> TypeDef {
        let fields = fields
            .into_iter()
            .map(|(name, ty)| Field {
                rust_name: name.clone(),
                wire_name: name,
                ty,
                presence: Presence::Required,
                description: None,
                deprecated: false,
                default: None,
            })
            .collect();
        TypeDef {
            name: name.into(),
            pointer: pointer.into(),
            description: None,
            deprecated: false,
            kind: TypeKind::Struct(Struct { fields, additional: None }),
        }
    }
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A named stand-in for another type (`pub type Name = Target;`).
    Alias(Ty),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Properties beyond the declared ones (`additionalProperties`), flattened into a map.
    pub additional: Option<Ty>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    /// The type of a present, non-null value.
    pub ty: Ty,
    pub presence: Presence,
    pub description: Option<String>,
    pub deprecated: bool,
    pub default: Option<Value>,
}

/// Whether a property may be absent, null, both or neither; kept apart because each has its own
/// Rust shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    RequiredNullable,
    Optional,
    OptionalNullable,
}

/// An enumeration of literal values.
#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// When every value is a string, serde's own renames do the work; otherwise the values are
    /// matched through `serde_json::Value`.
    pub all_strings: bool,
    /// Keep unknown values in a catch-all variant instead of failing.
    pub open: bool,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: Value,
}

/// A value that is one of several types (`oneOf`, `anyOf`, a `type` array).
#[derive(Debug, Clone)]
pub struct Union {
    /// In the order deserialization tries them: the most specific first.
    pub variants: Vec<UnionVariant>,
    pub discriminator: Option<Discriminator>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: Ty,
    /// The discriminator values that select this variant (empty without a discriminator).
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Discriminator {
    /// The property whose value names the variant.
    pub property: String,
}

/// Every type generated for one document.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    pub types: Vec<TypeDef>,
}

impl TypeSpace {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.types[id.0]
    }

    /// What `ty` holds once aliases, options and boxes are looked through. The lowering never
    /// makes an alias loop, but a space that has one ends the walk at the alias where the loop
    /// would start over rather than never returning.
    pub fn look_through<'s>(&'s self, mut ty: &'s Ty) -> &'s Ty {
        let mut aliases_left = self.types.len();
        loop {
            match ty {
                Ty::Option(inner) | Ty::Boxed(inner) => ty = inner,
                Ty::Named(id) => match &self.get(*id).kind {
                    TypeKind::Alias(target) if aliases_left > 0 => {
                        aliases_left -= 1;
                        ty = target;
                    }
                    _ => return ty,
                },
                _ => return ty,
            }
        }
    }

    /// The struct a type stands for, looking through aliases, boxes and options.
    pub fn struct_of(&self, ty: &Ty) -> Option<&Struct> {
        match self.look_through(ty) {
            Ty::Named(id) => match &self.get(*id).kind {
                TypeKind::Struct(structure) => Some(structure),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn ids(&self) -> impl Iterator<Item = TypeId> {
        (0..self.types.len()).map(TypeId)
    }
}
