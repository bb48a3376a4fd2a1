//! The type space as Rust items.

use oas_wire::literal_key;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::doc_text::doc_lines;
use crate::ir::*;
use crate::naming::{ident, ident_text};

mod serialize;

/// Doc attributes for a description, safe for any text.
pub fn docs(description: Option<&str>) -> TokenStream {
    let Some(description) = description else { return TokenStream::new() };
    super::doc_slots::doc_attributes(doc_lines(description))
}

/// How a type is written where it is used.
pub fn ty_tokens(space: &TypeSpace, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Bool => quote!(bool),
        Ty::Integer(kind) => match kind {
            IntKind::I8 => quote!(i8),
            IntKind::I16 => quote!(i16),
            IntKind::I32 => quote!(i32),
            IntKind::I64 => quote!(i64),
            IntKind::U8 => quote!(u8),
            IntKind::U16 => quote!(u16),
            IntKind::U32 => quote!(u32),
            IntKind::U64 => quote!(u64),
        },
        Ty::Float(FloatKind::F32) => quote!(f32),
        Ty::Float(FloatKind::F64) => quote!(f64),
        Ty::String => quote!(String),
        Ty::DateTime => provided_format(space, "date-time").unwrap_or_else(|| quote!(::oas_runtime::DateTime)),
        Ty::Date => provided_format(space, "date").unwrap_or_else(|| quote!(::oas_runtime::Date)),
        Ty::Uuid => provided_format(space, "uuid").unwrap_or_else(|| quote!(::oas_runtime::Uuid)),
        Ty::Bytes => quote!(::oas_runtime::Bytes),
        Ty::Json => quote!(::serde_json::Value),
        Ty::Vec(item) => {
            let item = ty_tokens(space, item);
            quote!(Vec<#item>)
        }
        Ty::Map(value) => {
            let value = ty_tokens(space, value);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        Ty::Option(inner) => {
            let inner = ty_tokens(space, inner);
            quote!(Option<#inner>)
        }
        Ty::Boxed(inner) => {
            let inner = ty_tokens(space, inner);
            quote!(Box<#inner>)
        }
        Ty::Named(id) => match space.provided.schemas.get(id) {
            Some(path) => path_tokens(path),
            None => {
                let name = ident(&space.get(*id).name);
                quote!(#name)
            }
        },
    }
}

/// The type the user gave for `format`, if any.
fn provided_format(space: &TypeSpace, format: &str) -> Option<TokenStream> {
    space.provided.formats.get(format).map(|path| path_tokens(path))
}

/// A path the user gave, checked to be a plain Rust path when it was given.
fn path_tokens(path: &str) -> TokenStream {
    match syn::parse_str::<syn::Path>(path) {
        Ok(path) => quote!(#path),
        Err(_) => quote!(::serde_json::Value),
    }
}

/// The type definitions with indices in `range`, in type-space order; a type the user provides
/// is not generated.
pub fn emit_type_defs(space: &TypeSpace, range: std::ops::Range<usize>) -> TokenStream {
    let items = range.map(crate::ir::TypeId).filter(|id| !space.provided.schemas.contains_key(id)).map(|id| emit_def(space, space.get(id)));
    quote! { #( #items )* }
}

/// The definitions of `ids`, in their order, without any `#[cfg]`: the module that holds them
/// carries it.
pub fn emit_type_list(space: &TypeSpace, ids: &[TypeId]) -> TokenStream {
    let items = ids.iter().map(|id| emit_def(space, space.get(*id)));
    quote! { #( #items )* }
}

fn emit_def(space: &TypeSpace, def: &TypeDef) -> TokenStream {
    let mut description = def.description.clone().unwrap_or_default();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&format!("Schema at `{}`.", def.pointer.replace('`', "'")));
    match &def.kind {
        TypeKind::Alias(target) => {
            if let Some(placeholder) = super::written_items::hand_over(|| alias_text(space, def, target, &description).map(|text| vec![text])) {
                return placeholder;
            }
        }
        TypeKind::Enum(enumeration) if enumeration.all_strings => {
            if let Some(placeholder) = super::written_items::hand_over(|| string_enum_text(def, enumeration, &description).map(|text| vec![text])) {
                let impls = super::string_enum::emit_string_enum_impls(&ident(&def.name), enumeration, &variant_idents(enumeration));
                return quote!(#placeholder #impls);
            }
        }
        TypeKind::Struct(structure) if structure.additional.is_none() => {
            if let Some(placeholder) = super::written_items::hand_over(|| struct_text(space, def, structure, &description).map(|text| vec![text])) {
                let impls = runtime_impls(space, &ident(&def.name), structure);
                return quote!(#placeholder #impls);
            }
        }
        _ => {}
    }
    let docs = docs(Some(&description));
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct(structure) => emit_struct(space, &name, structure),
        TypeKind::Enum(enumeration) => emit_enum(&name, enumeration),
        TypeKind::Union(union) => emit_union(space, &name, union),
        TypeKind::Alias(target) => {
            let target = ty_tokens(space, target);
            quote! { pub type #name = #target; }
        }
    };
    quote! {
        #docs
        #deprecated
        #body
    }
}

/// An alias as `prettyplease` prints it, when it prints it on one line: its docs (a slot, filled like any
/// other), `#[deprecated]`, `pub type Name = Target;`. A third of the items of a large
/// `types.rs` are aliases (the inline copies of a schema share its type), each a token tree
/// parsed back and printed for one line.
fn alias_text(space: &TypeSpace, def: &TypeDef, target: &Ty, description: &str) -> Option<String> {
    let target = super::written_items::type_text(space, target)?;
    let line = format!("pub type {} = {target};", ident_text(&def.name));
    // prettyplease can break an alias only inside its target's generic arguments, so one whose
    // target has none stays on one line at any width (most of GitHub's 2,900 over-wide aliases).
    if target.contains('<') && !super::written_items::fits(line.len()) {
        return None;
    }
    // Last, since it takes a slot that the text must then hold.
    let docs = super::doc_slots::placeholder_lines(doc_lines(description))?;
    let mut out = String::with_capacity(docs.len() + line.len() + 16);
    out.push_str(&docs);
    if def.deprecated {
        out.push_str("#[deprecated]\n");
    }
    out.push_str(&line);
    out.push('\n');
    Some(out)
}

/// A struct's definition as `prettyplease` prints it, when each of its lines fits: its docs and
/// its fields' (slots, filled like any other), `#[deprecated]`, the derives, one line per field.
/// Only for a struct that reads and writes itself through the runtime (no serde attributes).
fn struct_text(space: &TypeSpace, def: &TypeDef, structure: &Struct, description: &str) -> Option<String> {
    use super::written_items::{field_line, fits};
    let header = format!("pub struct {} {{", ident_text(&def.name));
    if structure.fields.is_empty() || !fits(header.len()) {
        return None;
    }
    let mut fields = Vec::with_capacity(structure.fields.len());
    for field in &structure.fields {
        let ty = match field.presence {
            Presence::Required => field.ty.clone(),
            Presence::RequiredNullable | Presence::Optional => field.ty.clone().optional(),
            Presence::OptionalNullable => field.ty.clone().optional().optional(),
        };
        let line = field_line(space, &ident_text(&field.rust_name), &ty)?;
        let description = field_description(field);
        let docs = if description.is_empty() { Vec::new() } else { doc_lines(&description) };
        if !super::doc_slots::fit_on_lines(&docs) {
            return None;
        }
        fields.push((docs, field.deprecated, line));
    }
    let docs = doc_lines(description);
    if !super::doc_slots::fit_on_lines(&docs) {
        return None;
    }
    // Every line is known to be writable, so the slots taken from here on are all used (outside
    // the slots' collection the first one gives `None` and none is taken).
    let mut out = String::with_capacity(256 + structure.fields.len() * 64);
    out.push_str(&super::doc_slots::placeholder_lines(docs)?);
    if def.deprecated {
        out.push_str("#[deprecated]\n");
    }
    out.push_str(match all_optional(structure) {
        true => "#[derive(Debug, Clone, PartialEq, Default)]\n",
        false => "#[derive(Debug, Clone, PartialEq)]\n",
    });
    out.push_str(&header);
    out.push('\n');
    for (docs, deprecated, line) in fields {
        if !docs.is_empty() {
            out.push_str("    ");
            out.push_str(&super::doc_slots::placeholder_lines(docs)?);
        }
        if deprecated {
            out.push_str("    #[deprecated]\n");
        }
        out.push_str(&line);
    }
    out.push_str("}\n");
    Some(out)
}

/// A string enumeration's definition as `prettyplease` prints it, when its first line fits: its
/// docs and its variants' (slots), `#[deprecated]`, the derives, one line per variant.
fn string_enum_text(def: &TypeDef, enumeration: &Enum, description: &str) -> Option<String> {
    let header = format!("pub enum {} {{", ident_text(&def.name));
    if enumeration.variants.is_empty() || !super::written_items::fits(header.len()) {
        return None;
    }
    let docs = doc_lines(description);
    let variant_docs: Vec<Vec<String>> =
        enumeration.variants.iter().map(|variant| variant.description.as_deref().map(doc_lines).unwrap_or_default()).collect();
    if !super::doc_slots::fit_on_lines(&docs) || !variant_docs.iter().all(|lines| super::doc_slots::fit_on_lines(lines)) {
        return None;
    }
    // Every line is known to be writable, so the slots taken from here on are all used.
    let mut out = String::with_capacity(128 + enumeration.variants.len() * 48);
    out.push_str(&super::doc_slots::placeholder_lines(docs)?);
    if def.deprecated {
        out.push_str("#[deprecated]\n");
    }
    out.push_str(match enumeration.open {
        true => "#[derive(Debug, Clone, PartialEq)]\n",
        false => "#[derive(Debug, Clone, PartialEq, Copy, Eq, Hash)]\n",
    });
    out.push_str(&header);
    out.push('\n');
    for (variant, docs) in enumeration.variants.iter().zip(variant_docs) {
        if !docs.is_empty() {
            out.push_str("    ");
            out.push_str(&super::doc_slots::placeholder_lines(docs)?);
        }
        out.push_str("    ");
        out.push_str(&variant.rust_name);
        out.push_str(",\n");
    }
    if enumeration.open {
        out.push_str("    /// A value this version of the document does not list.\n    Other(String),\n");
    }
    out.push_str("}\n");
    Some(out)
}

/// Every field may be left out, so the struct derives `Default`.
fn all_optional(structure: &Struct) -> bool {
    structure.fields.iter().all(|field| matches!(field.presence, Presence::Optional | Presence::OptionalNullable | Presence::RequiredNullable))
}

/// A field's doc text: its description, and its default when that is short.
fn field_description(field: &Field) -> String {
    let mut description = field.description.clone().unwrap_or_default();
    if let Some(default) = &field.default {
        let text = default.to_string();
        if !text.contains('`') && text.len() <= 120 {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&format!("Default: `{text}`."));
        }
    }
    description
}

/// How a struct without serde's derives reads and writes itself.
fn runtime_impls(space: &TypeSpace, name: &proc_macro2::Ident, structure: &Struct) -> TokenStream {
    let object = super::object::emit_object_impls(space, name, structure);
    let serialize = serialize::emit_serialize_impl(name, structure);
    quote!(#object #serialize)
}

fn emit_struct(space: &TypeSpace, name: &proc_macro2::Ident, structure: &Struct) -> TokenStream {
    let all_optional = all_optional(structure);
    // A struct with additional properties keeps serde's derives, whose flattening the runtime's
    // reading and writing do not repeat, and with them the field attributes they read.
    let derived_serde = structure.additional.is_some();
    let fields = structure.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let ty = ty_tokens(space, &field.ty);
        let ty = match field.presence {
            Presence::Required => ty,
            Presence::RequiredNullable | Presence::Optional => quote!(Option<#ty>),
            Presence::OptionalNullable => quote!(Option<Option<#ty>>),
        };
        let serde = derived_serde.then(|| serde_field_attribute(field, &field_name)).flatten();
        let description = field_description(field);
        let docs = docs((!description.is_empty()).then_some(description.as_str()));
        let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #deprecated
            #serde
            pub #field_name: #ty,
        }
    });
    let additional = structure.additional.as_ref().map(|value| {
        let value = ty_tokens(space, value);
        quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<String, #value>,
        }
    });
    let mut derives = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if all_optional {
        derives.push(quote!(Default));
    }
    let runtime_impls = match derived_serde {
        true => {
            derives.extend([quote!(::serde::Serialize), quote!(::serde::Deserialize)]);
            None
        }
        false => Some(runtime_impls(space, name, structure)),
    };
    quote! {
        #[derive( #(#derives),* )]
        pub struct #name {
            #( #fields )*
            #additional
        }

        #runtime_impls
    }
}

/// The `#[serde(...)]` attribute serde's derives need on a field, if any.
fn serde_field_attribute(field: &Field, field_name: &proc_macro2::Ident) -> Option<TokenStream> {
    let mut serde_args = Vec::new();
    // The identifier as serde sees it: raw identifiers lose their `r#`, unrawable keywords
    // have gained a `_`.
    let serde_name = field_name.to_string();
    if serde_name.trim_start_matches("r#") != field.wire_name {
        let wire = &field.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    match field.presence {
        Presence::Required | Presence::RequiredNullable => {}
        Presence::Optional => serde_args.push(quote!(default, skip_serializing_if = "Option::is_none")),
        Presence::OptionalNullable => {
            serde_args.push(quote!(default, skip_serializing_if = "Option::is_none", with = "::oas_runtime::double_option"))
        }
    }
    (!serde_args.is_empty()).then(|| quote!(#[serde( #(#serde_args),* )]))
}

/// The enumeration's variant names as identifiers.
fn variant_idents(enumeration: &Enum) -> Vec<proc_macro2::Ident> {
    enumeration.variants.iter().map(|variant| format_ident!("{}", variant.rust_name)).collect()
}

fn emit_enum(name: &proc_macro2::Ident, enumeration: &Enum) -> TokenStream {
    let variant_names = variant_idents(enumeration);
    if enumeration.all_strings {
        return emit_string_enum(name, enumeration, &variant_names);
    }
    // Numbers, booleans and mixed values cannot use serde's renames; they go through JSON values.
    let variant_docs: Vec<TokenStream> = enumeration.variants.iter().map(|variant| docs(variant.description.as_deref())).collect();
    let texts: Vec<String> = enumeration.variants.iter().map(|variant| literal_key(&variant.value)).collect();
    let values: Vec<TokenStream> = enumeration.variants.iter().map(|variant| json_literal(&variant.value)).collect();
    let name_text = name.to_string();
    // Integers keep an unknown value as an integer; anything else as the JSON value it was.
    let integers: Option<Vec<i64>> = enumeration.variants.iter().map(|variant| variant.value.as_i64()).collect();
    let (other_variant, other_from, other_try, value_method) = match (&integers, enumeration.open) {
        (Some(integers), open) => {
            let literals = integers.iter().map(|integer| Literal::i64_suffixed(*integer));
            let other_arm = open.then(|| quote!(#name::Other(value) => *value,));
            let method = quote! {
                /// The value as it appears on the wire.
                pub fn value(&self) -> i64 {
                    match self {
                        #( #name::#variant_names => #literals, )*
                        #other_arm
                    }
                }
            };
            match open {
                true => (
                    quote! {
                        /// A value this version of the document does not list.
                        Other(i64),
                    },
                    quote!(#name::Other(value) => ::serde_json::Value::from(value),),
                    {
                        let message = format!("{{value}} is not an integer value of {name_text}");
                        quote!(_ => value.as_i64().map(#name::Other).ok_or_else(|| format!(#message)),)
                    },
                    method,
                ),
                false => (quote!(), quote!(), quote!(other => Err(format!("{other} is not a value of {}", #name_text)),), method),
            }
        }
        (None, open) => {
            let method = quote! {
                /// The value as it appears on the wire.
                pub fn value(&self) -> ::serde_json::Value {
                    ::serde_json::Value::from(self.clone())
                }
            };
            match open {
                true => (
                    quote! {
                        /// A value this version of the document does not list.
                        Other(::serde_json::Value),
                    },
                    quote!(#name::Other(value) => value,),
                    quote!(_ => Ok(#name::Other(value)),),
                    method,
                ),
                false => (quote!(), quote!(), quote!(other => Err(format!("{other} is not a value of {}", #name_text)),), method),
            }
        }
    };
    quote! {
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(try_from = "::serde_json::Value", into = "::serde_json::Value")]
        pub enum #name {
            #( #variant_docs #variant_names, )*
            #other_variant
        }

        impl #name {
            #value_method
        }

        impl ::std::convert::TryFrom<::serde_json::Value> for #name {
            type Error = String;

            fn try_from(value: ::serde_json::Value) -> Result<Self, Self::Error> {
                match ::oas_runtime::untagged::literal_key(&value).as_str() {
                    #( #texts => Ok(#name::#variant_names), )*
                    #other_try
                }
            }
        }

        impl From<#name> for ::serde_json::Value {
            fn from(value: #name) -> Self {
                match value {
                    #( #name::#variant_names => #values, )*
                    #other_from
                }
            }
        }
    }
}

/// An enumeration of strings; its impls are `string_enum`'s.
fn emit_string_enum(name: &proc_macro2::Ident, enumeration: &Enum, variant_names: &[proc_macro2::Ident]) -> TokenStream {
    let (copy, other_variant) = if enumeration.open {
        (
            quote!(),
            quote! {
                /// A value this version of the document does not list.
                Other(String),
            },
        )
    } else {
        (quote!(Copy, Eq, Hash,), quote!())
    };
    let variant_docs: Vec<TokenStream> = enumeration.variants.iter().map(|variant| docs(variant.description.as_deref())).collect();
    let impls = super::string_enum::emit_string_enum_impls(name, enumeration, variant_names);
    quote! {
        #[derive(Debug, Clone, PartialEq, #copy)]
        pub enum #name {
            #( #variant_docs #variant_names, )*
            #other_variant
        }

        #impls
    }
}

/// A `serde_json::Value` expression for a literal from the document.
fn json_literal(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(::serde_json::Value::Null),
        Value::Bool(flag) => quote!(::serde_json::Value::Bool(#flag)),
        Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                let literal = Literal::i64_suffixed(integer);
                quote!(::serde_json::Value::from(#literal))
            } else if let Some(integer) = number.as_u64() {
                let literal = Literal::u64_suffixed(integer);
                quote!(::serde_json::Value::from(#literal))
            } else {
                let literal = Literal::f64_suffixed(number.as_f64().unwrap_or_default());
                quote!(::serde_json::Value::from(#literal))
            }
        }
        Value::String(text) => quote!(::serde_json::Value::String(#text.to_owned())),
        Value::Array(_) | Value::Object(_) => {
            let text = value.to_string();
            quote!(::serde_json::from_str::<::serde_json::Value>(#text).unwrap_or_default())
        }
    }
}

fn emit_union(space: &TypeSpace, name: &proc_macro2::Ident, union: &Union) -> TokenStream {
    let variant_names: Vec<_> = union.variants.iter().map(|variant| format_ident!("{}", variant.rust_name)).collect();
    let variant_types: Vec<_> = union.variants.iter().map(|variant| ty_tokens(space, &variant.ty)).collect();
    let Some(discriminator) = &union.discriminator else {
        return super::untagged::emit_untagged(space, name, &variant_names, &variant_types, union);
    };
    let property = &discriminator.property;
    let first_tags: Vec<&str> = union.variants.iter().map(|variant| variant.tags.first().map(String::as_str).unwrap_or_default()).collect();
    let tag_patterns: Vec<TokenStream> = union
        .variants
        .iter()
        .map(|variant| {
            let tags = &variant.tags;
            quote!( #( #tags )|* )
        })
        .collect();
    let name_text = name.to_string();
    // A literal tag is a property every variant's type requires, so the value writes it itself.
    let (serialize_arms, split) = match discriminator.literal {
        true => (quote!( #( #name::#variant_names(value) => ::serde::Serialize::serialize(value, serializer), )* ), quote!(split_literal)),
        false => (
            quote!( #( #name::#variant_names(value) => ::oas_runtime::discriminator::serialize(serializer, #property, #first_tags, value), )* ),
            quote!(split),
        ),
    };
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variant_names(#variant_types), )*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #serialize_arms
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let (tag, value) = ::oas_runtime::discriminator::#split::<D>(deserializer, #property)?;
                match tag.as_str() {
                    #( #tag_patterns => ::oas_runtime::discriminator::variant::<D, _>(value).map(#name::#variant_names), )*
                    other => Err(::oas_runtime::discriminator::unknown::<D>(#name_text, #property, other)),
                }
            }
        }
    }
}

#[cfg(test)]
mod written_definition_tests {
    use super::*;
    use crate::emit::{doc_slots, format_tokens, written_items};

    /// The definitions of `space` formatted from tokens, then with aliases written as text (and
    /// docs in slots, as a part of a file has them), and how many were written.
    fn both_paths(space: &TypeSpace) -> (String, String, usize) {
        written_items::both_paths_with_docs(|| emit_type_defs(space, 0..space.types.len()))
    }

    fn alias(name: &str, target: Ty, description: Option<&str>, deprecated: bool) -> TypeDef {
        TypeDef {
            name: name.into(),
            pointer: "/components/schemas/a`b".into(),
            description: description.map(str::to_string),
            deprecated,
            kind: TypeKind::Alias(target),
        }
    }

    #[test]
    fn aliases_written_as_text_read_as_formatted_ones() {
        let long_target = "AVeryLongTypeNameThatTakesUpMostOfTheLineWhenItIsWrapped";
        let targets = [
            Ty::String,
            Ty::Named(TypeId(0)),
            Ty::Named(TypeId(1)),
            Ty::Option(Box::new(Ty::Vec(Box::new(Ty::Map(Box::new(Ty::Named(TypeId(1)))))))),
            Ty::Boxed(Box::new(Ty::Json)),
            Ty::Integer(IntKind::I64),
        ];
        let descriptions = [
            None,
            Some("One line."),
            Some("Trailing spaces   \n\n  indented *text*\n- a list\n\n```\nfn main() {}\n```"),
            Some("/ starts with a slash\n// and another"),
            Some("Grüße, \"quotes\" \\ and a tab\there"),
        ];
        let structs = || vec![TypeDef::plain_struct("Target", "/t", vec![]), TypeDef::plain_struct(long_target, "/l", vec![])];
        // The structs' own impls are written as text too.
        let (_, _, of_structs) = both_paths(&TypeSpace { types: structs(), ..TypeSpace::default() });
        let mut written = 0;
        for length in 1..=90 {
            let name: String = std::iter::once('A').chain(std::iter::repeat_n('b', length - 1)).collect();
            for (index, target) in targets.iter().enumerate() {
                let description = descriptions[(length + index) % descriptions.len()];
                let mut types = structs();
                types.push(alias(&name, target.clone(), description, length % 3 == 0));
                let space = TypeSpace { types, ..TypeSpace::default() };
                let (built, text, count) = both_paths(&space);
                assert_eq!(built, text, "{name} = {target:?}");
                written += count - of_structs;
            }
        }
        // The short ones are written; the long ones are left to the tokens.
        assert!(written > 200, "{written}");
        assert!(written < 90 * targets.len(), "{written}");
    }

    #[test]
    fn a_provided_target_is_left_to_the_tokens() {
        let mut space = TypeSpace {
            types: vec![TypeDef::plain_struct("Pet", "/p", vec![]), alias("Pets", Ty::Vec(Box::new(Ty::Named(TypeId(0)))), None, false)],
            ..TypeSpace::default()
        };
        space.provided.schemas.insert(TypeId(0), "my_crate::Pet".into());
        let (built, text, count) = both_paths(&space);
        assert_eq!(built, text);
        assert_eq!(count, 0);
        assert!(text.contains("pub type Pets = Vec<my_crate::Pet>;"), "{text}");
    }

    fn struct_def(name: &str, fields: Vec<Field>, description: Option<&str>, deprecated: bool) -> TypeDef {
        let kind = TypeKind::Struct(Struct { fields, additional: None });
        TypeDef { name: name.into(), pointer: "/s".into(), description: description.map(str::to_string), deprecated, kind }
    }

    #[test]
    fn struct_definitions_written_as_text_read_as_formatted_ones() {
        let presences = [Presence::Required, Presence::RequiredNullable, Presence::Optional, Presence::OptionalNullable];
        let types = [Ty::String, Ty::Named(TypeId(0)), Ty::Float(FloatKind::F64), Ty::Vec(Box::new(Ty::Map(Box::new(Ty::Named(TypeId(1))))))];
        let descriptions = [None, Some("One line."), Some("Two  \n\nparagraphs *here*\n- and a list"), Some("Ünïcode \"quoted\" \\")];
        let defaults = [None, Some(serde_json::json!(3)), Some(serde_json::json!("a `tick`")), Some(serde_json::json!({"a": [1, 2]}))];
        let mut written = 0;
        let mut total = 0;
        for length in 1..=80 {
            let fields: Vec<Field> = (0..1 + length % 4)
                .map(|index| Field {
                    rust_name: match index {
                        0 => "type".to_string(),
                        _ => format!("{}_{index}", "f".repeat(length)),
                    },
                    wire_name: format!("w{index}"),
                    ty: types[(length + index) % types.len()].clone(),
                    presence: presences[(length / 2 + index) % presences.len()],
                    description: descriptions[(length + 2 * index) % descriptions.len()].map(str::to_string),
                    deprecated: (length + index) % 5 == 0,
                    default: defaults[(length + index) % defaults.len()].clone(),
                })
                .collect();
            let name: String = std::iter::once('S').chain(std::iter::repeat_n('t', length)).collect();
            let mut space_types =
                vec![TypeDef::plain_struct("Target", "/t", vec![]), TypeDef::plain_struct("AVeryLongTypeNameThatTakesUpMostOfTheLine", "/l", vec![])];
            let description = if length % 11 == 0 { Some("/ a slash first") } else { descriptions[length % descriptions.len()] };
            space_types.push(struct_def(&name, fields, description, length % 3 == 0));
            let space = TypeSpace { types: space_types, ..TypeSpace::default() };
            let (built, text, _) = both_paths(&space);
            assert_eq!(built, text, "{name}");
            let def = &space.types[2];
            let TypeKind::Struct(structure) = &def.kind else { unreachable!() };
            let mut wrote = false;
            let _ = doc_slots::collect(|| {
                wrote = struct_text(&space, def, structure, "Docs.").is_some();
                TokenStream::new()
            });
            written += usize::from(wrote);
            total += 1;
        }
        assert!(written > 20 && written < total, "{written} of {total}");
    }

    #[test]
    fn a_struct_with_no_fields_or_extra_properties_is_left_to_the_tokens() {
        let empty = struct_def("Empty", vec![], Some("Nothing."), false);
        let mut open = struct_def("Open", vec![], None, false);
        if let TypeKind::Struct(structure) = &mut open.kind {
            structure.fields.push(Field {
                rust_name: "a".into(),
                wire_name: "a".into(),
                ty: Ty::String,
                presence: Presence::Optional,
                description: None,
                deprecated: false,
                default: None,
            });
            structure.additional = Some(Ty::Json);
        }
        let space = TypeSpace { types: vec![empty, open], ..TypeSpace::default() };
        let (built, text, _) = both_paths(&space);
        assert_eq!(built, text);
        assert!(text.contains("pub struct Empty {}"), "{text}");
        assert!(text.contains("#[serde(flatten)]"), "{text}");
    }

    #[test]
    fn extra_derives_reach_a_struct_written_as_text() {
        let field = Field {
            rust_name: "a".into(),
            wire_name: "a".into(),
            ty: Ty::String,
            presence: Presence::Required,
            description: None,
            deprecated: false,
            default: None,
        };
        let space = TypeSpace { types: vec![struct_def("Pet", vec![field], Some("A pet."), false)], ..TypeSpace::default() };
        let customization = crate::emit::customize::Customization::new(&["Hash".to_string()], "::oas_runtime").unwrap();
        let ((tokens, slots), written) = written_items::collect(|| doc_slots::collect(|| customization.apply(emit_type_defs(&space, 0..1), true)));
        let text = doc_slots::fill(&written_items::fill(format_tokens(tokens).unwrap(), written).unwrap(), slots).unwrap();
        assert!(
            text.contains(
                "/// A pet.\n///\n/// Schema at `/s`.\n#[derive(Debug, Clone, PartialEq, Hash)]\npub struct Pet {\n    pub a: String,\n}\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn field_types_too_long_for_their_line_break_as_formatted_ones() {
        let long = || Box::new(Ty::Named(TypeId(0)));
        let types = [
            Ty::Vec(long()),
            Ty::Map(Box::new(Ty::Vec(Box::new(Ty::String)))),
            Ty::Option(Box::new(Ty::Vec(Box::new(Ty::Map(long()))))),
            Ty::Boxed(Box::new(Ty::Option(long()))),
            Ty::Named(TypeId(0)),
        ];
        for length in 1..=90 {
            for (index, ty) in types.iter().enumerate() {
                let presence = [Presence::Required, Presence::Optional, Presence::OptionalNullable][(length + index) % 3];
                let field = Field {
                    rust_name: "f".repeat(length),
                    wire_name: "f".into(),
                    ty: ty.clone(),
                    presence,
                    description: None,
                    deprecated: false,
                    default: None,
                };
                let target = TypeDef::plain_struct("AVeryLongTypeNameThatTakesUpMostOfTheLineWhenItIsWrapped", "/l", vec![]);
                let space = TypeSpace { types: vec![target, struct_def("S", vec![field], None, false)], ..TypeSpace::default() };
                let (built, text, _) = both_paths(&space);
                assert_eq!(built, text, "{length} {ty:?}");
                let TypeKind::Struct(structure) = &space.types[1].kind else { unreachable!() };
                let mut wrote = false;
                let _ = doc_slots::collect(|| {
                    wrote = struct_text(&space, &space.types[1], structure, "Docs.").is_some();
                    TokenStream::new()
                });
                assert!(wrote, "{length} {ty:?}");
            }
        }
    }

    #[test]
    fn string_enumerations_written_as_text_read_as_formatted_ones() {
        let descriptions = [None, Some("The first."), Some("Two  \n\nparagraphs"), Some("/ a slash first")];
        let mut written = 0;
        let mut total = 0;
        for length in 1..=90 {
            for open in [true, false] {
                let variants: Vec<EnumVariant> = (0..length % 5)
                    .map(|index| EnumVariant {
                        rust_name: format!("V{}{index}", "a".repeat(length % 7)),
                        value: Value::String(format!("v{index}")),
                        description: descriptions[(length + index) % 3].map(str::to_string),
                    })
                    .collect();
                let mut def = alias(&format!("E{}", "n".repeat(length)), Ty::String, descriptions[length % descriptions.len()], length % 4 == 0);
                def.kind = TypeKind::Enum(Enum { variants, all_strings: true, open });
                let space = TypeSpace { types: vec![def], ..TypeSpace::default() };
                let (built, text, _) = both_paths(&space);
                assert_eq!(built, text, "{length} {open}");
                let TypeKind::Enum(enumeration) = &space.types[0].kind else { unreachable!() };
                let mut wrote = false;
                let _ = doc_slots::collect(|| {
                    wrote = string_enum_text(&space.types[0], enumeration, "Docs.").is_some();
                    TokenStream::new()
                });
                written += usize::from(wrote);
                total += 1;
            }
        }
        assert!(written > total / 2 && written < total, "{written} of {total}");
    }
}
