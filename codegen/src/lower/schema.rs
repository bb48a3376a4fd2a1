//! Schemas to the type space.
//!
//! Every schema becomes a [`Ty`]; the ones that need a Rust definition (objects, enums, unions,
//! and every component) also get a [`TypeDef`] named from where they were found. Anything that
//! cannot be represented becomes `serde_json::Value` with a warning naming its pointer.

use crate::keywords::Keywords;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::diagnostics::{join, Diagnostic};
use crate::ir::*;
use crate::load::Version;
use crate::naming::{self, Namer};
use crate::refs;

mod all_of_values;
mod enums;
pub(super) mod space;

use all_of_values::Intersection;

/// Choices about the shape of generated types.
#[derive(Debug, Clone)]
pub struct TypeOptions {
    /// Give enums a catch-all variant for values the document does not list, so a client keeps
    /// working when a server adds a value.
    pub open_enums: bool,
}

impl Default for TypeOptions {
    fn default() -> Self {
        TypeOptions { open_enums: true }
    }
}

/// Keywords that only annotate a schema; a `$ref` or `allOf` member carrying nothing else adds
/// no structure.
pub(crate) const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "$comment",
    "xml",
    "externalDocs",
    "nullable",
    "discriminator",
    "format",
];

pub struct SchemaLowering<'a> {
    root: &'a Value,
    version: Version,
    options: TypeOptions,
    pub(super) space: space::Space,
    pub(super) type_names: Namer,
    pub diagnostics: Vec<Diagnostic>,
    /// Pointers of `$ref`s being followed, to stop on reference loops that never reach a type.
    following: Vec<String>,
    /// Where a generated type says less than its schema (see [`crate::ir::fidelity`]).
    pub losses: Vec<(String, Loss)>,
    /// The example values the model holds, each copied once.
    pub(super) examples: super::examples::SharedExamples,
    /// Set on a lowering that runs beside the one before it (see [`super::halves`]): what it
    /// asked for and made, to be put in document order after that one's.
    pub(super) record: Option<Box<super::halves::Record>>,
}

impl<'a> SchemaLowering<'a> {
    pub fn new(root: &'a Value, version: Version, options: TypeOptions) -> Self {
        SchemaLowering {
            root,
            version,
            options,
            space: space::Space::default(),
            type_names: Namer::new(),
            diagnostics: Vec::new(),
            following: Vec::new(),
            losses: Vec::new(),
            examples: super::examples::SharedExamples::default(),
            record: None,
        }
    }

    /// A lowering that goes on from the definitions of `finished` beside the one they came
    /// from, recording what it does.
    pub(super) fn beside(&self, finished: Arc<space::Finished>) -> SchemaLowering<'a> {
        SchemaLowering {
            space: space::Space::new(finished),
            record: Some(Box::default()),
            examples: self.examples.clone(),
            ..SchemaLowering::new(self.root, self.version, self.options.clone())
        }
    }

    pub fn root(&self) -> &'a Value {
        self.root
    }

    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(pointer, message));
    }

    /// Warns at `pointer` that a reference cannot be followed, and what is done instead.
    pub fn warn_ref(&mut self, pointer: &str, why: &refs::RefError, instead: &str) {
        let warning = Diagnostic::warning(pointer, format!("{why}; {instead}"));
        self.diagnostics.push(Diagnostic { about_outside_ref: why.outside, ..warning });
    }

    /// Records that the type of the schema at `pointer` says less than the schema.
    fn lose(&mut self, pointer: &str, loss: Loss) {
        self.losses.push((pointer.to_string(), loss));
    }

    /// Reserves a type name for code other than the type space (operation request types).
    pub fn unique_type_name(&mut self, wanted: String) -> String {
        match &mut self.record {
            None => self.type_names.unique(wanted),
            // Unique among this lowering's names only; the name in document order is given
            // when the halves join.
            Some(record) => {
                let provisional = self.type_names.unique(wanted.clone());
                record.names.push((wanted, super::halves::Slot::Other(provisional.clone())));
                provisional
            }
        }
    }

    /// Lowers every schema under `components/schemas`, in document order.
    pub fn lower_components(&mut self) {
        let Some(schemas) = self.root.pointer("/components/schemas") else { return };
        let Some(schemas) = schemas.as_object() else {
            self.warn("/components/schemas", "`components/schemas` must be an object; ignored");
            return;
        };
        for (name, schema) in schemas {
            let pointer = join("/components/schemas", name);
            self.named_schema(schema, &pointer, name);
        }
    }

    /// The type of a schema in a place where a definition would be named `hint`.
    pub fn schema_ty(&mut self, schema: &Value, pointer: &str, hint: &str) -> Ty {
        self.lower(schema, pointer, hint, false)
    }

    /// The type for a schema that must have a definition of its own (a component).
    fn named_schema(&mut self, schema: &Value, pointer: &str, name: &str) -> Ty {
        self.lower(schema, pointer, &naming::type_name(name, "Unnamed"), true)
    }

    fn lower(&mut self, schema: &Value, pointer: &str, hint: &str, needs_definition: bool) -> Ty {
        if let Some(id) = self.space.at(pointer) {
            return Ty::Named(id);
        }
        if self.record.is_none() {
            return self.lower_anew(schema, pointer, hint, needs_definition);
        }
        let start = self.marks();
        let ty = self.lower_anew(schema, pointer, hint, needs_definition);
        let end = self.marks();
        let defined = self.space.by_pointer.get(pointer).copied();
        if let Some(record) = &mut self.record {
            record.lowered(pointer, defined, start, end);
        }
        ty
    }

    /// How much of each kind of output there is so far, to tell what one lowering added.
    fn marks(&self) -> super::halves::Marks {
        super::halves::Marks {
            types: self.space.own.len(),
            diagnostics: self.diagnostics.len(),
            losses: self.losses.len(),
            names: self.record.as_ref().map_or(0, |record| record.names.len()),
        }
    }

    /// [`Self::lower`] of a place lowered for the first time.
    fn lower_anew(&mut self, schema: &Value, pointer: &str, hint: &str, needs_definition: bool) -> Ty {
        let object = match schema {
            Value::Object(object) => object,
            Value::Bool(true) => return self.alias_if(needs_definition, pointer, hint, schema.as_object(), Ty::Json),
            Value::Bool(false) => {
                self.lose(pointer, Loss::Fallback(Fallback::FalseSchema));
                self.warn(pointer, "the schema `false` allows no value; represented as `serde_json::Value`");
                return self.alias_if(needs_definition, pointer, hint, schema.as_object(), Ty::Json);
            }
            other => {
                self.lose(pointer, Loss::Fallback(Fallback::NotASchema));
                self.warn(pointer, format!("a schema must be an object or a boolean, found {}", crate::load::describe(other)));
                return self.alias_if(needs_definition, pointer, hint, schema.as_object(), Ty::Json);
            }
        };

        for (keyword, name) in Keyword::ALL {
            if object.has_keyword(name) {
                self.lose(pointer, Loss::DroppedKeyword(keyword));
            }
        }
        if let Some(pattern) = object.keyword("pattern").and_then(Value::as_str) {
            // Generated servers check patterns with the same engine (linear where it can be,
            // backtracking with a step limit for lookaround); one it cannot compile is not
            // enforced, and that is said here, once, rather than at run time.
            if let Err(error) = fancy_regex::Regex::new(pattern) {
                self.warn(&join(pointer, "pattern"), format!("the pattern cannot be compiled ({error}); servers will not enforce it"));
            }
        }
        if let (Version::V3_1, Some(Value::Bool(true))) = (self.version, object.keyword("nullable")) {
            self.diagnostics.push(Diagnostic::info(
                join(pointer, "nullable"),
                "`nullable` is OpenAPI 3.0's keyword (3.1 says `type: [..., \"null\"]`); the generated types and the server's validation read it as 3.0 does",
            ));
        }
        if let (None, Some(recursive)) = (object.keyword("$ref"), object.keyword("$recursiveRef")) {
            let ty = self.recursive_reference(recursive, pointer);
            return self.alias_if(needs_definition, pointer, hint, Some(object), ty);
        }
        if let Some(reference) = object.keyword("$ref") {
            let structural_siblings = object.keys().any(|key| key != "$ref" && !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-"));
            if !structural_siblings || self.version == Version::V3_0 {
                let target = self.reference(reference, pointer);
                return self.alias_if(needs_definition, pointer, hint, Some(object), target);
            }
            // In 3.1 a `$ref` with constraints beside it means both apply: the same as allOf.
            return self.all_of(object, pointer, hint, &[Part::Ref(reference), Part::Siblings(siblings_of(object))]);
        }

        if let Some(members) = object.keyword("allOf").and_then(Value::as_array).filter(|members| !members.is_empty()) {
            let all_of_pointer = join(pointer, "allOf");
            let mut parts: Vec<Part<'_>> =
                members.iter().enumerate().map(|(index, member)| Part::Member(member, join(&all_of_pointer, &index.to_string()))).collect();
            if has_own_structure(object, &["allOf"]) {
                parts.push(Part::Siblings(siblings_of(object)));
            }
            return self.all_of(object, pointer, hint, &parts);
        }

        for keyword in ["oneOf", "anyOf"] {
            if object.keyword(keyword).and_then(Value::as_array).is_some_and(Vec::is_empty) {
                self.lose(pointer, Loss::Fallback(Fallback::EmptyChoice));
                self.warn(&join(pointer, keyword), format!("an empty `{keyword}` allows no value; represented as `serde_json::Value`"));
                return self.alias_if(needs_definition, pointer, hint, Some(object), Ty::Json);
            }
            if let Some(variants) = object.keyword(keyword).and_then(Value::as_array).filter(|variants| !variants.is_empty()) {
                // `oneOf` listing only `required` constraints selects among the object's own
                // properties; the object itself is the type.
                // So does a list of variants that only annotate: the schema's own keywords decide.
                let only_constraints = variants.iter().all(is_constraint_only) && object.has_keyword("properties");
                let only_annotations = variants.iter().all(is_annotation_only_value) && has_own_structure(object, &["oneOf", "anyOf"]);
                if only_constraints || only_annotations {
                    break;
                }
                if let Some(entries) = enums::constant_variants(self.root, variants) {
                    return self.enumeration(object, entries, pointer, hint, needs_definition);
                }
                return self.union(object, keyword, variants, pointer, hint, needs_definition);
            }
        }

        if let Some(values) = object.keyword("enum").and_then(Value::as_array) {
            let entries = enums::named_by_extensions(object, values);
            return self.enumeration(object, entries, pointer, hint, needs_definition);
        }
        if let Some(value) = object.keyword("const") {
            return self.enumeration(object, vec![enums::Entry::plain(value)], pointer, hint, needs_definition);
        }

        let types = schema_types(object);
        let non_null: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
        let ty = match non_null.as_slice() {
            [] if types.is_empty() => {
                if object.has_keyword("properties") || object.has_keyword("additionalProperties") {
                    return self.object(object, pointer, hint, needs_definition);
                } else if object.has_keyword("items") {
                    self.array(object, pointer, hint)
                } else {
                    Ty::Json
                }
            }
            [] => {
                self.lose(pointer, Loss::Fallback(Fallback::NullOnly));
                Ty::Json
            }
            ["object"] => return self.object(object, pointer, hint, needs_definition),
            ["array"] => self.array(object, pointer, hint),
            [single] => self.primitive(object, single, pointer),
            several => return self.type_union(object, several, pointer, hint),
        };
        self.alias_if(needs_definition, pointer, hint, Some(object), ty)
    }

    /// Wraps `ty` in an alias definition when the place needs a definition of its own.
    fn alias_if(&mut self, needs_definition: bool, pointer: &str, hint: &str, schema: Option<&Map<String, Value>>, ty: Ty) -> Ty {
        if !needs_definition {
            return ty;
        }
        let id = self.define(pointer, hint, schema);
        self.space.get_mut(id).kind = TypeKind::Alias(ty);
        Ty::Named(id)
    }

    /// Creates a definition before its body is lowered, so recursive references find it.
    fn define(&mut self, pointer: &str, hint: &str, schema: Option<&Map<String, Value>>) -> TypeId {
        let id = self.unlisted_definition(pointer, hint, schema);
        self.space.by_pointer.insert(pointer.to_string(), id);
        id
    }

    /// A definition that documents `pointer` as its origin without becoming the type of that
    /// place (references to `pointer` do not find it).
    fn unlisted_definition(&mut self, pointer: &str, hint: &str, schema: Option<&Map<String, Value>>) -> TypeId {
        let id = TypeId(self.space.len());
        let wanted = naming::avoid_reserved(hint.to_string());
        let name = match &mut self.record {
            None => self.type_names.unique(wanted),
            // Named when its place in document order is known.
            Some(record) => {
                record.names.push((wanted, super::halves::Slot::Type(id)));
                String::new()
            }
        };
        self.space.push(TypeDef {
            name,
            pointer: pointer.to_string(),
            description: schema.and_then(description_in),
            deprecated: schema.and_then(|schema| schema.keyword("deprecated")).and_then(Value::as_bool).unwrap_or(false),
            kind: TypeKind::Alias(Ty::Json),
        });
        id
    }

    fn reference(&mut self, reference: &Value, pointer: &str) -> Ty {
        let pointer_of_ref = join(pointer, "$ref");
        let Some(reference) = reference.as_str() else {
            self.lose(pointer, Loss::Fallback(Fallback::UnresolvedRef));
            self.warn(&pointer_of_ref, "`$ref` must be a string; represented as `serde_json::Value`");
            return Ty::Json;
        };
        let target_pointer = match refs::local_pointer(reference) {
            Ok(target) => target,
            Err(why) => {
                self.lose(pointer, Loss::Fallback(Fallback::UnresolvedRef));
                self.warn_ref(&pointer_of_ref, &why, "represented as `serde_json::Value`");
                return Ty::Json;
            }
        };
        if let Some(id) = self.space.at(&target_pointer) {
            return Ty::Named(id);
        }
        let Some(target) = crate::refs::lookup(self.root, &target_pointer) else {
            self.lose(pointer, Loss::Fallback(Fallback::UnresolvedRef));
            self.warn(&pointer_of_ref, format!("`{reference}` does not resolve; represented as `serde_json::Value`"));
            return Ty::Json;
        };
        if self.following.contains(&target_pointer) {
            self.lose(pointer, Loss::Fallback(Fallback::RefLoop));
            self.warn(&pointer_of_ref, format!("`{reference}` is part of a reference loop that never reaches a schema"));
            return Ty::Json;
        }
        self.following.push(target_pointer.clone());
        let name = crate::diagnostics::unescape_token(target_pointer.rsplit('/').next().unwrap_or_default()).into_owned();
        let ty = self.named_schema(target, &target_pointer, &name);
        self.following.pop();
        ty
    }

    /// JSON Schema 2019-09's `$recursiveRef: "#"`, found in 3.1 documents for recursive
    /// filters: in an OpenAPI document it can only mean the component schema it is in, as the
    /// server's validation also reads it.
    fn recursive_reference(&mut self, recursive: &Value, pointer: &str) -> Ty {
        let place = join(pointer, "$recursiveRef");
        match (recursive.as_str(), enclosing_component(pointer)) {
            (Some("#"), Some(component)) => {
                self.warn(&place, format!("`$recursiveRef` is JSON Schema 2019-09's; read as a reference to the schema it is in, `#{component}`"));
                self.reference(&Value::String(format!("#{}", component.replace('%', "%25"))), pointer)
            }
            _ => {
                self.lose(pointer, Loss::Fallback(Fallback::UnresolvedRef));
                self.warn(
                    &place,
                    "`$recursiveRef` outside a component schema, or to another place than `#`, is not followed; represented as `serde_json::Value`",
                );
                Ty::Json
            }
        }
    }

    fn primitive(&mut self, object: &Map<String, Value>, kind: &str, pointer: &str) -> Ty {
        let format = object.keyword("format").and_then(Value::as_str).unwrap_or_default();
        match kind {
            "boolean" => Ty::Bool,
            "integer" => Ty::Integer(match format {
                "int8" => IntKind::I8,
                "int16" => IntKind::I16,
                "int32" => IntKind::I32,
                "uint8" => IntKind::U8,
                "uint16" => IntKind::U16,
                "uint32" => IntKind::U32,
                "uint64" => IntKind::U64,
                _ if minimum_is_nonnegative(object) && format == "uint" => IntKind::U64,
                _ => IntKind::I64,
            }),
            "number" => Ty::Float(if format == "float" { FloatKind::F32 } else { FloatKind::F64 }),
            "string" => match format {
                "date-time" => Ty::DateTime,
                "date" => Ty::Date,
                "uuid" => Ty::Uuid,
                "binary" => Ty::Bytes,
                _ => Ty::String,
            },
            "null" => {
                self.lose(pointer, Loss::Fallback(Fallback::NullOnly));
                Ty::Json
            }
            other => {
                self.lose(pointer, Loss::Fallback(Fallback::UnknownType));
                self.warn(&join(pointer, "type"), format!("unknown type `{other}`; represented as `serde_json::Value`"));
                Ty::Json
            }
        }
    }

    fn array(&mut self, object: &Map<String, Value>, pointer: &str, hint: &str) -> Ty {
        match object.keyword("items") {
            Some(items) => {
                let item = self.lower(items, &join(pointer, "items"), &format!("{hint}Item"), false);
                Ty::Vec(Box::new(item))
            }
            None => Ty::Vec(Box::new(Ty::Json)),
        }
    }

    fn object(&mut self, object: &Map<String, Value>, pointer: &str, hint: &str, needs_definition: bool) -> Ty {
        let properties = object.keyword("properties").and_then(Value::as_object).filter(|properties| !properties.is_empty());
        let additional = self.additional_properties(object, pointer, hint);
        let Some(properties) = properties else {
            // No declared properties: the object is a map from its keys.
            let value = additional.unwrap_or(Ty::Json);
            return self.alias_if(needs_definition, pointer, hint, Some(object), Ty::Map(Box::new(value)));
        };
        let id = self.define(pointer, hint, Some(object));
        let required = required_of(object);
        let mut fields = Vec::with_capacity(properties.len());
        let mut field_names = Namer::new();
        field_names.reserve("additional_properties");
        for (wire_name, schema) in properties {
            let field_pointer = join(&join(pointer, "properties"), wire_name);
            let ty = self.lower(schema, &field_pointer, &format!("{hint}{}", naming::camel(wire_name, "Field")), false);
            fields.push(self.field(&mut field_names, wire_name, schema, ty, required.contains(&wire_name.as_str())));
        }
        self.space.get_mut(id).kind = TypeKind::Struct(Struct { fields, additional });
        Ty::Named(id)
    }

    fn field(&mut self, names: &mut Namer, wire_name: &str, schema: &Value, ty: Ty, required: bool) -> Field {
        let nullable = self.is_nullable(schema, 0);
        // A read-only property is not sent in requests and a write-only one not in responses, so
        // the one type used for both directions cannot insist on either.
        let one_directional = flag(schema, "readOnly") || flag(schema, "writeOnly");
        let presence = match (required && !one_directional, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        };
        Field {
            rust_name: names.unique(naming::field_name(wire_name, "field")),
            wire_name: wire_name.to_string(),
            ty,
            presence,
            description: description_of(schema),
            deprecated: flag(schema, "deprecated"),
            default: schema.keyword("default").cloned(),
        }
    }

    fn additional_properties(&mut self, object: &Map<String, Value>, pointer: &str, hint: &str) -> Option<Ty> {
        match object.keyword("additionalProperties")? {
            Value::Bool(false) => None,
            Value::Bool(true) => Some(Ty::Json),
            schema => Some(self.lower(schema, &join(pointer, "additionalProperties"), &format!("{hint}Value"), false)),
        }
    }

    fn union(&mut self, object: &Map<String, Value>, keyword: &str, variants: &[Value], pointer: &str, hint: &str, needs_definition: bool) -> Ty {
        let union_pointer = join(pointer, keyword);
        let meaningful: Vec<(usize, &Value)> = variants.iter().enumerate().filter(|(_, variant)| !is_null_schema(variant)).collect();
        if let [(index, only)] = meaningful.as_slice() {
            // `oneOf: [X, {type: "null"}]` is X; whether null is allowed is the holder's business.
            let ty = self.lower(only, &join(&union_pointer, &index.to_string()), hint, false);
            return self.alias_if(needs_definition, pointer, hint, Some(object), strip_option(ty));
        }
        let id = self.define(pointer, hint, Some(object));
        let mut names = Namer::new();
        let mut lowered: Vec<(String, Ty, &Value)> = Vec::with_capacity(meaningful.len());
        for (index, variant) in meaningful {
            let label = self.variant_label(variant);
            let ty = strip_option(self.lower(variant, &join(&union_pointer, &index.to_string()), &format!("{hint}{label}"), false));
            // Two variants of the same type can never be told apart; the first one stands for both.
            if lowered.iter().any(|(_, existing, _)| *existing == ty) {
                continue;
            }
            lowered.push((names.unique(label), ty, variant));
        }
        self.finish_union(id, object, pointer, &union_pointer, lowered)
    }

    /// Makes `id` the union of `lowered` (name, type and schema of each variant), told apart by
    /// `object`'s discriminator, by a constant property, or by shape.
    fn finish_union(
        &mut self,
        id: TypeId,
        object: &Map<String, Value>,
        pointer: &str,
        union_pointer: &str,
        mut lowered: Vec<(String, Ty, &Value)>,
    ) -> Ty {
        // An enum of strings beside a plain string (Stripe's "emptyable" `anyOf: [string, {enum:
        // [""]}]`) adds no value the string does not read, and tried second it would never be
        // reached; likewise an enum of integers beside an integer.
        let plain: Vec<Ty> =
            lowered.iter().map(|(_, ty, _)| self.space.look_through(ty).clone()).filter(|ty| matches!(ty, Ty::String | Ty::Integer(_))).collect();
        if !plain.is_empty() && lowered.len() > 1 {
            lowered.retain(|(_, ty, _)| !self.enum_within(ty, &plain));
        }
        let property = object.keyword("discriminator").and_then(|discriminator| discriminator.keyword("propertyName")).and_then(Value::as_str);
        let discriminated = property.is_some_and(|property| {
            // A variant that does not declare the property is still tagged when the mapping
            // names it: the tag is then read before the variant and written beside its fields.
            let usable = lowered.iter().all(|(_, _, variant)| {
                variant.keyword("$ref").is_some() && (self.declares_property(variant, property, 0) || !self.mapped_tags(object, variant).is_empty())
            });
            if !usable && !self.constant_on(property, &lowered) {
                self.lose(pointer, Loss::UnusedDiscriminator);
                self.warn(
                    &join(pointer, "discriminator"),
                    format!("not every variant is a referenced object schema declaring `{property}` or named by the mapping, so the discriminator cannot be used; variants are told apart by their shape"),
                );
            }
            // A mapping entry that names no schema leaves its tag's variant unknown; guessing
            // from schema names would write tags the API does not use.
            let dangling = if usable { self.dangling_mapping(object) } else { Vec::new() };
            if !dangling.is_empty() {
                self.lose(pointer, Loss::UnusedDiscriminator);
                let named: Vec<String> = dangling.iter().map(|(tag, target)| format!("`{tag}` → `{target}`")).collect();
                self.warn(
                    &join(&join(pointer, "discriminator"), "mapping"),
                    format!("{} names no schema of this document, so the discriminator cannot be used; variants are told apart by their shape", named.join(", ")),
                );
            }
            usable && dangling.is_empty()
        });
        if discriminated && object.keyword("discriminator").is_some_and(|discriminator| discriminator.keyword("defaultMapping").is_some()) {
            self.diagnostics.push(Diagnostic::info(
                join(&join(pointer, "discriminator"), "defaultMapping"),
                "`defaultMapping` is not used: a discriminator value no variant is mapped to is refused",
            ));
        }
        // Without a usable `discriminator`, a property every variant fixes to a constant of its own
        // (`type: 1`, `type: 2`, ...) tells them apart just as well.
        let constant_tag = match discriminated || lowered.len() < 2 {
            true => None,
            false => all_of_values::constant_tag(
                self.root,
                self.version == Version::V3_0,
                &lowered.iter().map(|(_, _, variant)| *variant).collect::<Vec<_>>(),
            ),
        };
        let mut union_variants: Vec<UnionVariant> = lowered
            .into_iter()
            .map(|(rust_name, ty, variant)| {
                let tags = if discriminated { self.discriminator_tags(object, variant) } else { Vec::new() };
                UnionVariant { rust_name, ty, tags }
            })
            .collect();
        if let Some((_, tags)) = &constant_tag {
            for (variant, tag) in union_variants.iter_mut().zip(tags) {
                variant.tags = vec![tag.clone()];
            }
        } else if !discriminated {
            // Variants are tried in order when the shape of the value does not decide, so the
            // most specific go first.
            union_variants.sort_by_key(|variant| self.specificity(&variant.ty));
        }
        self.space.get_mut(id).kind = match union_variants.len() {
            0 => TypeKind::Alias(Ty::Json),
            // `A: {oneOf: [A, A]}` would be `type A = A;`, which has no meaning and does not compile.
            1 if !discriminated && self.names_itself(&union_variants[0].ty, id) => {
                self.lose(pointer, Loss::Fallback(Fallback::SelfUnion));
                self.warn(union_pointer, "every variant leads back to this schema, so it describes no value; it is read as any JSON value");
                TypeKind::Alias(Ty::Json)
            }
            1 if !discriminated => TypeKind::Alias(union_variants.remove(0).ty),
            _ => TypeKind::Union(Union {
                variants: union_variants,
                discriminator: match constant_tag {
                    Some((property, _)) => Some(Discriminator { property, literal: true }),
                    None => discriminated.then(|| Discriminator { property: property.unwrap_or_default().to_string(), literal: false }),
                },
            }),
        };
        Ty::Named(id)
    }

    /// Whether `ty` is an enum every value of which one of the `plain` types reads.
    fn enum_within(&self, ty: &Ty, plain: &[Ty]) -> bool {
        let Ty::Named(id) = self.space.look_through(ty) else { return false };
        let TypeKind::Enum(enumeration) = &self.space.get(*id).kind else { return false };
        let strings = plain.contains(&Ty::String) && enumeration.variants.iter().all(|variant| variant.value.is_string());
        let integers = plain.iter().any(|ty| matches!(ty, Ty::Integer(_))) && enumeration.variants.iter().all(|variant| variant.value.is_i64());
        strings || integers
    }

    /// Whether a schema (through references and allOf) lists `property` among its properties.
    fn declares_property(&self, schema: &Value, property: &str, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        if schema.keyword("properties").and_then(|properties| properties.get(property)).is_some() {
            return true;
        }
        if let Some(target) = schema
            .keyword("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| refs::local_pointer(reference).ok())
            .and_then(|pointer| crate::refs::lookup(self.root, &pointer))
        {
            if self.declares_property(target, property, depth + 1) {
                return true;
            }
        }
        schema
            .keyword("allOf")
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(|member| self.declares_property(member, property, depth + 1)))
    }

    /// The discriminator values that select `variant`: those the mapping gives it, or else the
    /// name of the schema it refers to.
    /// The entries of a discriminator's `mapping` that lead to no schema: a pointer that does not
    /// resolve, or a name that is no component (a file the loader could not read stays as written).
    fn dangling_mapping(&self, object: &Map<String, Value>) -> Vec<(String, String)> {
        let mapping = object.keyword("discriminator").and_then(|discriminator| discriminator.keyword("mapping")).and_then(Value::as_object);
        let resolves = |target: &str| match target.starts_with('#') {
            true => refs::local_pointer(target).ok().and_then(|pointer| crate::refs::lookup(self.root, &pointer)).is_some(),
            false => self.root.pointer("/components/schemas").and_then(|schemas| schemas.get(target)).is_some(),
        };
        mapping
            .into_iter()
            .flatten()
            .filter_map(|(tag, target)| match target.as_str() {
                Some(target) if resolves(target) => None,
                Some(target) => Some((tag.clone(), target.to_string())),
                None => Some((tag.clone(), target.to_string())),
            })
            .collect()
    }

    /// Whether each variant fixes `property` to a constant of its own (inline variants with a
    /// `const` tag, say), which tells them apart as the discriminator would have.
    fn constant_on(&self, property: &str, lowered: &[(String, Ty, &Value)]) -> bool {
        let variants: Vec<&Value> = lowered.iter().map(|(_, _, variant)| *variant).collect();
        let tag = all_of_values::constant_tag(self.root, self.version == Version::V3_0, &variants);
        tag.is_some_and(|(tagged_by, _)| tagged_by == property)
    }

    /// The tags `object`'s discriminator mapping gives a (referenced) variant.
    fn mapped_tags(&self, object: &Map<String, Value>, variant: &Value) -> Vec<String> {
        let reference = variant.keyword("$ref").and_then(Value::as_str).unwrap_or_default();
        let mapping = object.keyword("discriminator").and_then(|discriminator| discriminator.keyword("mapping")).and_then(Value::as_object);
        mapping
            .into_iter()
            .flatten()
            .filter(|(_, target)| {
                let target = target.as_str().unwrap_or_default();
                target == reference || (!target.starts_with('#') && reference.rsplit('/').next() == Some(target))
            })
            .map(|(tag, _)| tag.clone())
            .collect()
    }

    fn discriminator_tags(&self, object: &Map<String, Value>, variant: &Value) -> Vec<String> {
        let reference = variant.keyword("$ref").and_then(Value::as_str).unwrap_or_default();
        let mut tags = self.mapped_tags(object, variant);
        if tags.is_empty() {
            tags.push(reference.rsplit('/').next().unwrap_or_default().to_string());
        }
        tags
    }

    fn variant_label(&self, variant: &Value) -> String {
        if let Some(reference) = variant.keyword("$ref").and_then(Value::as_str) {
            let name = crate::diagnostics::unescape_token(reference.rsplit('/').next().unwrap_or_default()).into_owned();
            return naming::variant(&name, "Variant");
        }
        if let Some(title) = variant.keyword("title").and_then(Value::as_str) {
            return naming::variant(title, "Variant");
        }
        let Some(object) = variant.as_object() else { return "Value".into() };
        if object.has_keyword("enum") || object.has_keyword("const") {
            return "Enum".into();
        }
        let types = schema_types(object);
        match types.iter().find(|t| **t != "null").copied() {
            Some("string") => "String",
            Some("integer") => "Integer",
            Some("number") => "Number",
            Some("boolean") => "Boolean",
            Some("array") => "Array",
            Some("object") => "Object",
            _ if object.has_keyword("properties") => "Object",
            _ => "Value",
        }
        .into()
    }

    /// Whether `ty` is `id` itself, possibly through aliases and wrappers that an alias expands.
    fn names_itself(&self, ty: &Ty, id: TypeId) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut pending = vec![ty];
        while let Some(ty) = pending.pop() {
            match ty {
                Ty::Named(named) if *named == id => return true,
                Ty::Named(named) => {
                    if let (true, TypeKind::Alias(target)) = (seen.insert(*named), &self.space.get(*named).kind) {
                        pending.push(target);
                    }
                }
                Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => pending.push(inner),
                _ => {}
            }
        }
        false
    }

    /// Sort key for untagged variants: lower tries first.
    fn specificity(&self, ty: &Ty) -> (u8, i64, i64) {
        match self.space.look_through(ty) {
            Ty::Named(id) => match &self.space.get(*id).kind {
                TypeKind::Struct(structure) => {
                    let required =
                        structure.fields.iter().filter(|field| matches!(field.presence, Presence::Required | Presence::RequiredNullable)).count();
                    (0, -(required as i64), -(structure.fields.len() as i64))
                }
                TypeKind::Enum(enumeration) if !enumeration.open => (1, 0, 0),
                TypeKind::Enum(_) => (6, 0, 0),
                TypeKind::Union(_) => (2, 0, 0),
                // An alias loop, which `look_through` stops at: nothing to tell it by.
                TypeKind::Alias(_) => (9, 0, 0),
            },
            Ty::DateTime | Ty::Date | Ty::Uuid => (3, 0, 0),
            Ty::Bool | Ty::Integer(_) => (4, 0, 0),
            Ty::Float(_) => (5, 0, 0),
            Ty::Vec(item) if **item != Ty::Json => (4, 0, 0),
            Ty::Map(value) if **value != Ty::Json => (5, 0, 0),
            Ty::String | Ty::Bytes | Ty::Vec(_) => (6, 0, 0),
            Ty::Map(_) => (7, 0, 0),
            Ty::Option(_) | Ty::Boxed(_) | Ty::Json => (9, 0, 0),
        }
    }

    /// `type: [string, integer]`: a union of the listed types, sharing the schema's constraints.
    fn type_union(&mut self, object: &Map<String, Value>, types: &[&str], pointer: &str, hint: &str) -> Ty {
        let id = self.define(pointer, hint, Some(object));
        let mut variants = Vec::with_capacity(types.len());
        let mut names = Namer::new();
        for kind in types {
            let ty = match *kind {
                "object" => {
                    let mut only = object.clone();
                    only.insert("type".into(), Value::String("object".into()));
                    self.object(&only, pointer, &format!("{hint}Object"), false)
                }
                "array" => self.array(object, pointer, hint),
                other => self.primitive(object, other, pointer),
            };
            let label = match *kind {
                "string" => "String",
                "integer" => "Integer",
                "number" => "Number",
                "boolean" => "Boolean",
                "array" => "Array",
                "object" => "Object",
                _ => "Value",
            };
            variants.push(UnionVariant { rust_name: names.unique(label.into()), ty, tags: Vec::new() });
        }
        variants.sort_by_key(|variant| self.specificity(&variant.ty));
        // The object variant was defined at the same pointer; references to it mean the union.
        self.space.by_pointer.insert(pointer.to_string(), id);
        self.space.get_mut(id).kind = TypeKind::Union(Union { variants, discriminator: None });
        Ty::Named(id)
    }

    fn all_of(&mut self, object: &Map<String, Value>, pointer: &str, hint: &str, parts: &[Part<'_>]) -> Ty {
        // Members that only annotate add nothing to the shape.
        let structural: Vec<&Part<'_>> = parts.iter().filter(|part| !part.is_annotation_only()).collect();
        if let [single] = structural.as_slice() {
            let ty = match single {
                Part::Ref(reference) => self.reference(reference, pointer),
                Part::Member(member, member_pointer) => self.lower(member, member_pointer, hint, false),
                Part::Siblings(_) => Ty::Json,
            };
            let needs_definition = is_component_pointer(pointer);
            return self.alias_if(needs_definition, pointer, hint, Some(object), ty);
        }
        match self.all_of_values(object, pointer, hint, parts) {
            Intersection::Objects => {}
            Intersection::Type(ty) => return ty,
            Intersection::Contradiction(why) => return self.contradiction(object, pointer, hint, why),
        }
        let id = self.define(pointer, hint, Some(object));
        let mut merged = MergedObject::default();
        for part in parts {
            let (schema, part_pointer) = match part {
                Part::Member(member, member_pointer) => (Some((*member, member_pointer.clone())), member_pointer.clone()),
                Part::Ref(reference) => {
                    let target = reference
                        .as_str()
                        .and_then(|reference| refs::local_pointer(reference).ok())
                        .and_then(|target| crate::refs::lookup(self.root, &target).map(|value| (value, target)));
                    (target, join(pointer, "$ref"))
                }
                Part::Siblings(siblings) => (Some((siblings, pointer.to_string())), pointer.to_string()),
            };
            let mut visited = Vec::new();
            if !self.collect_object(schema, &part_pointer, pointer, &mut merged, &mut visited) {
                return self.unmergeable(id, pointer, &part_pointer);
            }
        }
        if let Some(choice) = merged.choice.take() {
            return self.distribute(id, pointer, hint, merged, choice);
        }
        let structure = self.merged_struct(merged, hint);
        self.space.get_mut(id).kind = TypeKind::Struct(structure);
        Ty::Named(id)
    }

    /// Falls back to `serde_json::Value` for an `allOf` with a member that cannot be merged.
    fn unmergeable(&mut self, id: TypeId, pointer: &str, member_pointer: &str) -> Ty {
        self.lose(pointer, Loss::Fallback(Fallback::AllOfMember));
        self.warn(
            member_pointer,
            "this allOf member is not an object schema, so it cannot be merged; the whole schema is represented as `serde_json::Value`",
        );
        self.space.get_mut(id).kind = TypeKind::Alias(Ty::Json);
        Ty::Named(id)
    }

    /// `allOf: [Base, {oneOf: [A, B]}]` is `Base & A` or `Base & B`: a union whose variants each
    /// merge every other member with one of the choices, told apart as the choice's own variants
    /// are (its discriminator, a constant, or their shape).
    fn distribute<'v>(&mut self, id: TypeId, pointer: &str, hint: &str, merged: MergedObject<'v>, choice: Choice<'v>) -> Ty {
        let choice_pointer = join(&choice.pointer, choice.keyword);
        let mut names = Namer::new();
        let mut lowered: Vec<(String, Ty, &Value)> = Vec::with_capacity(choice.variants.len());
        for (index, variant) in choice.variants.iter().enumerate().filter(|(_, variant)| !is_null_schema(variant)) {
            let variant_pointer = join(&choice_pointer, &index.to_string());
            let mut own = merged.clone();
            let mut visited = Vec::new();
            if !self.collect_object(Some((variant, variant_pointer.clone())), &variant_pointer, pointer, &mut own, &mut visited)
                || own.choice.is_some()
            {
                return self.unmergeable(id, pointer, &variant_pointer);
            }
            let label = self.variant_label(variant);
            let variant_hint = format!("{hint}{label}");
            // Named after the variant it merges, but not the type of that place: the choice's own
            // schema (a component, say) keeps its own variant types.
            let variant_id = self.unlisted_definition(&variant_pointer, &variant_hint, variant.as_object());
            let structure = self.merged_struct(own, &variant_hint);
            self.space.get_mut(variant_id).kind = TypeKind::Struct(structure);
            lowered.push((names.unique(label), Ty::Named(variant_id), variant));
        }
        self.finish_union(id, choice.object, pointer, &choice_pointer, lowered)
    }

    /// The struct of an `allOf`'s merged members.
    fn merged_struct(&mut self, merged: MergedObject<'_>, hint: &str) -> Struct {
        let mut fields = Vec::with_capacity(merged.properties.len());
        let mut field_names = Namer::new();
        field_names.reserve("additional_properties");
        for (wire_name, (schema, property_pointer)) in &merged.properties {
            // A property inherited from another component is named after its owner, the same
            // whichever schema reaches it first.
            let owner = owning_component(property_pointer).map(|owner| naming::camel(&owner, "Unnamed")).unwrap_or_else(|| hint.to_string());
            let ty = self.lower(schema, property_pointer, &format!("{owner}{}", naming::camel(wire_name, "Field")), false);
            let required = merged.required.iter().any(|name| name == wire_name);
            fields.push(self.field(&mut field_names, wire_name, schema, ty, required));
        }
        let additional = match merged.additional {
            Some((schema, additional_pointer)) => match schema {
                Value::Bool(false) => None,
                Value::Bool(true) => Some(Ty::Json),
                schema => Some(self.lower(schema, &additional_pointer, &format!("{hint}Value"), false)),
            },
            None => None,
        };
        Struct { fields, additional }
    }

    /// Gathers the properties of an allOf member into `merged`, following references and nested
    /// allOf. Returns false when the member is not an object schema. `holder` is the schema the
    /// allOf belongs to.
    fn collect_object<'v>(
        &mut self,
        schema: Option<(&'v Value, String)>,
        pointer: &str,
        holder: &str,
        merged: &mut MergedObject<'v>,
        visited: &mut Vec<String>,
    ) -> bool
    where
        'a: 'v,
    {
        let Some((schema, schema_pointer)) = schema else {
            self.warn(pointer, "an allOf member does not resolve; its properties are missing");
            return true;
        };
        if visited.contains(&schema_pointer) {
            return true;
        }
        visited.push(schema_pointer.clone());
        let Some(object) = schema.as_object() else { return schema.as_bool().is_some() };
        if let Some(reference) = object.keyword("$ref").and_then(Value::as_str) {
            let target = refs::local_pointer(reference).ok().and_then(|target| crate::refs::lookup(self.root, &target).map(|value| (value, target)));
            if target.is_none() {
                self.warn(&join(pointer, "$ref"), format!("`{reference}` does not resolve; its properties are missing"));
            } else if !self.collect_object(target, pointer, holder, merged, visited) {
                return false;
            }
        }
        if let Some(members) = object.keyword("allOf").and_then(Value::as_array) {
            for (index, member) in members.iter().enumerate() {
                let member_pointer = join(&join(&schema_pointer, "allOf"), &index.to_string());
                if !self.collect_object(Some((member, member_pointer.clone())), &member_pointer, holder, merged, visited) {
                    return false;
                }
            }
        }
        let types = schema_types(object);
        if !types.is_empty() && !types.contains(&"object") {
            return false;
        }
        if let Some((variant, variant_pointer)) = lone_variant(object, &schema_pointer) {
            // `anyOf: [X, {type: "null"}]`, the 3.1 spelling of a nullable member: its
            // properties are X's, and whether null is allowed is the holder's business.
            if !self.collect_object(Some((variant, variant_pointer.clone())), &variant_pointer, holder, merged, visited) {
                return false;
            }
        } else if object.has_keyword("oneOf") || object.has_keyword("anyOf") {
            let lists = || ["oneOf", "anyOf"].into_iter().filter_map(|keyword| object.keyword(keyword).and_then(Value::as_array));
            let only_constraints = lists().all(|variants| variants.iter().all(is_constraint_only));
            // A parent listing its subtypes (`Pet: {oneOf: [Cat, Dog]}` with `Cat: {allOf:
            // [Pet, ...]}`): to the subtype, the parent's list is the choice it already is one of.
            let lists_holder = lists().flatten().any(|variant| refers_to(variant, holder));
            if !only_constraints && !lists_holder {
                // A choice among objects: the holder becomes a union, one variant per choice
                // (see `distribute`). Two such choices would multiply out; they stay unmerged.
                let (keyword, variants) = match (object.keyword("oneOf"), object.keyword("anyOf")) {
                    (Some(Value::Array(variants)), None) => ("oneOf", variants),
                    (None, Some(Value::Array(variants))) => ("anyOf", variants),
                    _ => return false,
                };
                if merged.choice.is_some() {
                    return false;
                }
                merged.choice = Some(Choice { object, keyword, variants, pointer: schema_pointer.clone() });
            }
        }
        if object.has_keyword("enum") || object.has_keyword("items") {
            return false;
        }
        if let Some(properties) = object.keyword("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let property_pointer = join(&join(&schema_pointer, "properties"), name);
                // A later member that restates a property narrows it (a generic wrapper's `data`
                // becomes a list of stations), so it wins unless it only annotates.
                match merged.properties.get(name) {
                    Some(_) if is_annotation_only_value(property) => {}
                    _ => {
                        merged.properties.insert(name.clone(), (property, property_pointer));
                    }
                }
            }
        }
        for name in required_of(object) {
            if !merged.required.iter().any(|existing| existing == name) {
                merged.required.push(name.to_string());
            }
        }
        if let Some(additional) = object.keyword("additionalProperties") {
            merged.additional = Some((additional, join(&schema_pointer, "additionalProperties")));
        }
        true
    }

    /// Whether a schema admits `null` (3.0 `nullable`, a 3.1 type array, a null enum value or a
    /// null variant), looking through references.
    pub fn is_nullable(&self, schema: &Value, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        let Some(object) = schema.as_object() else { return false };
        if flag(schema, "nullable") || schema_types(object).contains(&"null") {
            return true;
        }
        if object.keyword("enum").and_then(Value::as_array).is_some_and(|values| values.iter().any(Value::is_null)) {
            return true;
        }
        for keyword in ["oneOf", "anyOf"] {
            if object
                .keyword(keyword)
                .and_then(Value::as_array)
                .is_some_and(|variants| variants.iter().any(|variant| is_null_schema(variant) || self.is_nullable(variant, depth + 1)))
            {
                return true;
            }
        }
        if let Some(members) = object.keyword("allOf").and_then(Value::as_array) {
            let structural: Vec<&Value> = members.iter().filter(|member| !is_annotation_only_value(member)).collect();
            if !structural.is_empty() && structural.iter().all(|member| self.is_nullable(member, depth + 1)) {
                return true;
            }
        }
        if let Some(reference) = object.keyword("$ref").and_then(Value::as_str) {
            if let Some(target) = refs::local_pointer(reference).ok().and_then(|pointer| crate::refs::lookup(self.root, &pointer)) {
                return self.is_nullable(target, depth + 1);
            }
        }
        false
    }
}

/// Whether `schema` is a local reference to the schema at `pointer`.
fn refers_to(schema: &Value, pointer: &str) -> bool {
    schema.keyword("$ref").and_then(Value::as_str).and_then(|reference| refs::local_pointer(reference).ok()).is_some_and(|target| target == pointer)
}

/// An allOf part: a member of the list, a `$ref` with siblings (3.1), or the schema's own
/// keywords beside the list.
enum Part<'v> {
    Member(&'v Value, String),
    Ref(&'v Value),
    Siblings(Value),
}

impl Part<'_> {
    fn is_annotation_only(&self) -> bool {
        match self {
            Part::Member(member, _) => is_annotation_only_value(member),
            Part::Ref(_) => false,
            Part::Siblings(own) => own.as_object().is_none_or(|own| !has_own_structure(own, &[])),
        }
    }
}

/// The keywords of a schema other than the ones that list its parts.
fn siblings_of(object: &Map<String, Value>) -> Value {
    let mut own = object.clone();
    own.remove("$ref");
    own.remove("allOf");
    Value::Object(own)
}

/// The component schema a property pointer belongs to directly
/// (`/components/schemas/Pet/properties/name` → `Pet`).
fn owning_component(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    let (name, rest) = rest.split_once('/')?;
    let property = rest.strip_prefix("properties/")?;
    (!property.contains('/')).then(|| crate::diagnostics::unescape_token(name).into_owned())
}

/// The pointer of the component schema `pointer` is in, if it is in one.
fn enclosing_component(pointer: &str) -> Option<&str> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    Some(&pointer[..pointer.len() - rest.len() + rest.find('/').unwrap_or(rest.len())])
}

fn is_component_pointer(pointer: &str) -> bool {
    pointer.starts_with("/components/schemas/") && pointer.matches('/').count() == 3
}

#[derive(Default, Clone)]
struct MergedObject<'a> {
    properties: indexmap::IndexMap<String, (&'a Value, String)>,
    required: Vec<String>,
    additional: Option<(&'a Value, String)>,
    /// A member's `oneOf`/`anyOf` among objects, which makes the merge a union.
    choice: Option<Choice<'a>>,
}

/// An `allOf` member's list of alternatives: the schema holding it, which keyword, the
/// alternatives, and the schema's pointer.
#[derive(Clone)]
struct Choice<'a> {
    object: &'a Map<String, Value>,
    keyword: &'static str,
    variants: &'a [Value],
    pointer: String,
}

/// The one variant of a schema whose only `oneOf` or `anyOf` lists it beside null schemas, with
/// its pointer.
fn lone_variant<'v>(object: &'v Map<String, Value>, pointer: &str) -> Option<(&'v Value, String)> {
    let mut lists = ["oneOf", "anyOf"].into_iter().filter_map(|keyword| Some((keyword, object.keyword(keyword)?)));
    let (keyword, Value::Array(variants)) = lists.next()? else { return None };
    if lists.next().is_some() {
        return None;
    }
    let mut meaningful = variants.iter().enumerate().filter(|(_, variant)| !is_null_schema(variant));
    let (index, variant) = meaningful.next()?;
    let lone = meaningful.next().is_none() && variants.len() > 1;
    lone.then(|| (variant, join(&join(pointer, keyword), &index.to_string())))
}

fn has_own_structure(object: &Map<String, Value>, ignoring: &[&str]) -> bool {
    // `type: [string, "null"]` is as much structure as `type: string`.
    let typed = match object.keyword("type") {
        Some(Value::String(kind)) => kind != "object",
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).any(|kind| kind != "object" && kind != "null"),
        _ => false,
    };
    typed
        || object
            .keys()
            .any(|key| !ignoring.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-") && key != "type")
}

fn is_annotation_only_value(schema: &Value) -> bool {
    match schema.as_object() {
        Some(object) => object.iter().all(|(key, value)| {
            ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-") || (matches!(key.as_str(), "oneOf" | "anyOf") && only_adds_null(value))
        }),
        None => schema == &Value::Bool(true),
    }
}

/// Variants that only add null to schemas that constrain nothing (`anyOf: [{}, {type: "null"}]`,
/// the 3.1 spelling of a 3.0 `nullable: true` without a type), which constrain nothing either.
fn only_adds_null(variants: &Value) -> bool {
    let Some(variants) = variants.as_array() else { return false };
    let (null, others): (Vec<&Value>, Vec<&Value>) = variants.iter().partition(|variant| is_null_schema(variant));
    !null.is_empty() && !others.is_empty() && others.into_iter().all(is_annotation_only_value)
}

/// A schema that only states `required` or other validation without any shape.
fn is_constraint_only(schema: &Value) -> bool {
    schema.as_object().is_some_and(|object| {
        object.keys().all(|key| {
            matches!(key.as_str(), "required" | "not" | "description" | "title" | "minProperties" | "maxProperties") || key.starts_with("x-")
        })
    })
}

fn is_null_schema(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else { return false };
    match object.keyword("type") {
        Some(Value::String(kind)) => kind == "null",
        Some(Value::Array(kinds)) => kinds.len() == 1 && kinds[0] == "null",
        _ => {
            object.keyword("enum").and_then(Value::as_array).is_some_and(|values| values.len() == 1 && values[0].is_null())
                || object.keyword("const").is_some_and(Value::is_null)
        }
    }
}

/// The `type` keyword as a list (3.1 allows an array); empty when absent or unusable.
fn schema_types(object: &Map<String, Value>) -> Vec<&str> {
    match object.keyword("type") {
        Some(Value::String(kind)) => vec![kind.as_str()],
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn required_of(object: &Map<String, Value>) -> Vec<&str> {
    object.keyword("required").and_then(Value::as_array).map(|names| names.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn flag(schema: &Value, keyword: &str) -> bool {
    schema.keyword(keyword).and_then(Value::as_bool).unwrap_or(false)
}

fn minimum_is_nonnegative(object: &Map<String, Value>) -> bool {
    object.keyword("minimum").and_then(Value::as_f64).is_some_and(|minimum| minimum >= 0.0)
}

pub fn description_of(schema: &Value) -> Option<String> {
    schema.as_object().and_then(description_in)
}

fn description_in(schema: &Map<String, Value>) -> Option<String> {
    let text = schema.keyword("description").and_then(Value::as_str).or_else(|| schema.keyword("title").and_then(Value::as_str))?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn strip_option(ty: Ty) -> Ty {
    match ty {
        Ty::Option(inner) => *inner,
        other => other,
    }
}

/// The Rust name of an enum variant for a literal value.
fn variant_name(value: &Value) -> String {
    match value {
        Value::String(text) => {
            let trimmed = text.trim();
            let prefix = match trimmed.chars().next() {
                Some('+') => "Plus",
                Some('-') => "Minus",
                _ => "",
            };
            let name = naming::variant(trimmed, "");
            match (prefix, name.is_empty()) {
                (_, true) if text.is_empty() => "Empty".into(),
                (_, true) => "Value".into(),
                ("", false) => name,
                (prefix, false) => format!("{prefix}{}", name.trim_start_matches('N')),
            }
        }
        Value::Number(number) => {
            let text = number.to_string();
            let sign = if text.starts_with('-') { "Minus" } else { "" };
            format!("V{sign}{}", text.trim_start_matches('-').replace(['.', '+'], "_").replace('-', "_"))
        }
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "Null".into(),
        Value::Array(_) => "Array".into(),
        Value::Object(_) => "Object".into(),
    }
}
