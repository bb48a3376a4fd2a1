//! The type space as Rust items.

use oas_wire::literal_key;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::doc_text::doc_lines;
use crate::ir::*;
use crate::naming::ident;

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

fn emit_struct(space: &TypeSpace, name: &proc_macro2::Ident, structure: &Struct) -> TokenStream {
    let all_optional =
        structure.fields.iter().all(|field| matches!(field.presence, Presence::Optional | Presence::OptionalNullable | Presence::RequiredNullable));
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
        false => {
            let object = super::object::emit_object_impls(space, name, structure);
            let serialize = serialize::emit_serialize_impl(name, structure);
            Some(quote!(#object #serialize))
        }
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

fn emit_enum(name: &proc_macro2::Ident, enumeration: &Enum) -> TokenStream {
    let variant_names: Vec<_> = enumeration.variants.iter().map(|variant| format_ident!("{}", variant.rust_name)).collect();
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
