//! The type space: one entry per Rust type to generate, independent of Rust syntax.
//!
//! Entries are addressed by [`TypeId`] (their index) and kept in the order they were first met,
//! which follows the document, so output order never depends on hashing.

use serde_json::Value;

/// A type of the space, by its index in [`TypeSpace::types`]: what [`Ty::Named`] points at, so
/// recursive and shared types need no ownership cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// How a value is held: a built-in type, a generated one, or a container of either.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `type: boolean`.
    Bool,
    /// A whole number, held in the Rust integer type the schema's `format` (and bounds) call for.
    Integer(IntKind),
    /// `type: number`: `f32` for `format: float`, `f64` otherwise.
    Float(FloatKind),
    /// A string with no `format` the generator gives a type of its own.
    String,
    /// `format: date-time`: the runtime's `DateTime`, a UTC `chrono` time.
    DateTime,
    /// `format: date`: the runtime's `Date`, a `chrono` calendar date.
    Date,
    /// `format: uuid`: the runtime's re-exported `Uuid`.
    Uuid,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Anything at all: `serde_json::Value`. Also the fallback for what cannot be represented.
    Json,
    /// `type: array`, of its `items` (of any JSON value without them).
    Vec(Box<Ty>),
    /// A JSON object used as a map from its keys.
    Map(Box<Ty>),
    /// `Option<T>`, for a value that may be null. Lowering says that with a field's [`Presence`]
    /// or a parameter's `required` rather than with this, but every reader handles it.
    Option(Box<Ty>),
    /// Heap indirection that breaks a recursive type; placed by the lowering's recursion pass.
    Boxed(Box<Ty>),
    /// A type defined in the type space (a struct, enum, union or alias), by its index.
    Named(TypeId),
}

impl Ty {
    /// `Option<self>`.
    pub fn optional(self) -> Ty {
        Ty::Option(Box::new(self))
    }
}

/// The Rust integer type of an integer schema. `int64` and an integer with no known `format` are
/// `i64`; only `format: uint` with a non-negative `minimum` and the explicit unsigned formats are
/// unsigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntKind {
    /// `format: int8`.
    I8,
    /// `format: int16`.
    I16,
    /// `format: int32`.
    I32,
    /// `format: int64`, and the default for any other or no `format`.
    I64,
    /// `format: uint8`.
    U8,
    /// `format: uint16`.
    U16,
    /// `format: uint32`.
    U32,
    /// `format: uint64`, or `format: uint` with a `minimum` of zero or more.
    U64,
}

/// The Rust float type of a `type: number` schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FloatKind {
    /// `format: float`.
    F32,
    /// `format: double`, and the default for any other or no `format`.
    F64,
}

/// A type to generate.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust identifier, unique in the type space.
    pub name: String,
    /// Where the schema sits in the document.
    pub pointer: String,
    /// The schema's `description` (or else its `title`), trimmed; written as the type's doc.
    pub description: Option<String>,
    /// The schema says `deprecated: true`; the type is marked `#[deprecated]`.
    pub deprecated: bool,
    /// What the type is: a struct, an enum of literals, a union or an alias.
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

/// The Rust shape a schema takes.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object schema with declared `properties`.
    Struct(Struct),
    /// A schema whose values are listed in `enum` (or fixed by `const`).
    Enum(Enum),
    /// A schema whose value is one of several (`oneOf`, `anyOf`, a `type` array).
    Union(Union),
    /// A named stand-in for another type (`pub type Name = Target;`).
    Alias(Ty),
}

/// An object with declared properties.
#[derive(Debug, Clone)]
pub struct Struct {
    /// One per declared property, in document order (`allOf` members merged in).
    pub fields: Vec<Field>,
    /// Properties beyond the declared ones (`additionalProperties`), flattened into a map.
    pub additional: Option<Ty>,
}

/// One property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// The `snake_case` field name, unique in the struct; serde renames it when it differs from
    /// `wire_name`.
    pub rust_name: String,
    /// The property name as it appears in JSON.
    pub wire_name: String,
    /// The type of a present, non-null value.
    pub ty: Ty,
    /// Whether the property may be left out or be null, which decides how `ty` is wrapped.
    pub presence: Presence,
    /// The property schema's `description` (or else its `title`), written as the field's doc.
    pub description: Option<String>,
    /// The property schema says `deprecated: true`; the field is marked `#[deprecated]`.
    pub deprecated: bool,
    /// The schema's `default`, only shown in the field's doc: serde does not fill it in.
    pub default: Option<Value>,
}

/// Whether a property may be absent, null, both or neither; kept apart because each has its own
/// Rust shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Listed in `required` and never null: the plain type.
    Required,
    /// Listed in `required` but may be null: `Option<T>`, written as `null` when `None`.
    RequiredNullable,
    /// Not required (or required but `readOnly` or `writeOnly`, so missing in one direction),
    /// never null: `Option<T>`, left out when `None`.
    Optional,
    /// Not required and may be null: `Option<Option<T>>`, so absent and `null` stay apart.
    OptionalNullable,
}

/// An enumeration of literal values.
#[derive(Debug, Clone)]
pub struct Enum {
    /// One per distinct non-null value, in document order.
    pub variants: Vec<EnumVariant>,
    /// When every value is a string, serde's own renames do the work; otherwise the values are
    /// matched through `serde_json::Value`.
    pub all_strings: bool,
    /// Keep unknown values in a catch-all variant instead of failing.
    pub open: bool,
}

/// One listed value of an enumeration.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The `UpperCamelCase` variant name, unique in the enum: from the value's `title` (or its
    /// `x-enum-varnames` entry) when the document names it, else from the value.
    pub rust_name: String,
    /// The value as the document lists it.
    pub value: Value,
    /// What the document says the value means: the `description` of its `oneOf` constant, or
    /// its entry of `x-enum-descriptions`.
    pub description: Option<String>,
}

/// A value that is one of several types (`oneOf`, `anyOf`, a `type` array).
#[derive(Debug, Clone)]
pub struct Union {
    /// In the order deserialization tries them: the most specific first.
    pub variants: Vec<UnionVariant>,
    /// The property that names the variant, when the schema's `discriminator` can be used; without
    /// it, variants are told apart by their shape.
    pub discriminator: Option<Discriminator>,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The variant name: the referenced schema's name, else the alternative's `title`, else its
    /// kind of value (`String`, `Object`, ...); unique in the union.
    pub rust_name: String,
    /// The type the variant holds.
    pub ty: Ty,
    /// The discriminator values that select this variant (empty without a discriminator).
    pub tags: Vec<String>,
}

/// A union's `discriminator`, once every alternative is known to declare its property.
#[derive(Debug, Clone)]
pub struct Discriminator {
    /// The property whose value names the variant.
    pub property: String,
    /// The variants' tags are JSON literals (`1`, `"button"`, `true`: the constant each variant
    /// requires the property to hold) rather than the strings a `discriminator` maps.
    pub literal: bool,
}

/// Every type generated for one document.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    /// The definitions, indexed by [`TypeId`], in the order they were first met.
    pub types: Vec<TypeDef>,
    /// Types the user provides in place of generated ones.
    pub provided: Provided,
}

/// Rust types the user provides instead of generated ones (`--type`, `--format`, `x-rust-type`):
/// each is a plain Rust path, checked when it was given. Validation still uses the schemas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provided {
    /// A schema's type, by the type's id: the definition is not generated and every use names
    /// the path.
    pub schemas: std::collections::BTreeMap<TypeId, String>,
    /// The type of a format that has one of its own (`date-time`, `date`, `uuid`).
    pub formats: std::collections::BTreeMap<String, String>,
}

impl TypeSpace {
    /// The definition `id` points at.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The definition `id` points at, to change; only lowering's passes do.
    pub(crate) fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.types[id.0]
    }

    /// What `ty` holds once aliases, options and boxes are looked through. The lowering never
    /// makes an alias loop, but a space that has one ends the walk at the alias where the loop
    /// would start over rather than never returning.
    pub fn look_through<'s>(&'s self, ty: &'s Ty) -> &'s Ty {
        look_through(ty, self.types.len(), |id| self.get(id))
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

    /// Every type's id, in type-space order.
    pub fn ids(&self) -> impl Iterator<Item = TypeId> {
        (0..self.types.len()).map(TypeId)
    }
}

/// [`TypeSpace::look_through`] over any store of `count` definitions that `get` reads, for the
/// lowering's space, whose definitions are not yet one list.
pub(crate) fn look_through<'s>(mut ty: &'s Ty, count: usize, get: impl Fn(TypeId) -> &'s TypeDef) -> &'s Ty {
    let mut aliases_left = count;
    loop {
        match ty {
            Ty::Option(inner) | Ty::Boxed(inner) => ty = inner,
            Ty::Named(id) => match &get(*id).kind {
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
