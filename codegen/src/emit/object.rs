//! `Deserialize` for generated structs through `oas_runtime::object`: one loop over the map per
//! struct instead of serde's derive, which checks several times slower in a large API (see
//! docs/performance.md, "Compiling the generated crate").

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::types::ty_tokens;
use crate::ir::*;

/// The `Object` and `Deserialize` impls of a struct without additional properties; a struct
/// with them keeps serde's derive, whose flattening this does not repeat.
pub fn emit_object_impls(space: &TypeSpace, name: &Ident, structure: &Struct) -> TokenStream {
    let name_text = name.to_string();
    let wire: Vec<&str> = structure.fields.iter().map(|field| field.wire_name.as_str()).collect();
    let slots: Vec<Ident> = (0..structure.fields.len()).map(|index| format_ident!("slot_{index}")).collect();
    // Each slot holds what was read for a field: the field's own type, or for an optional one the
    // `Option` that the key's value reads as, so that a present null stays apart from absence.
    let slot_types = structure.fields.iter().map(|field| {
        let ty = ty_tokens(space, &field.ty);
        match field.presence {
            Presence::Required => ty,
            Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullable => quote!(Option<#ty>),
        }
    });
    let values = structure.fields.iter().zip(&slots).map(|(field, slot)| {
        let field_name = crate::naming::ident(&field.rust_name);
        let wire = &field.wire_name;
        match field.presence {
            Presence::Required | Presence::RequiredNullable => quote!(#field_name: ::oas_runtime::object::required(#slot, #wire)?),
            Presence::Optional => quote!(#field_name: #slot.flatten()),
            Presence::OptionalNullable => quote!(#field_name: #slot),
        }
    });
    let indices = (0..structure.fields.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let read_keys = if structure.fields.is_empty() {
        quote! {
            while ::oas_runtime::object::key(&mut map, Self::FIELDS)?.is_some() {
                ::oas_runtime::object::skip(&mut map)?;
            }
        }
    } else {
        quote! {
            while let Some(key) = ::oas_runtime::object::key(&mut map, Self::FIELDS)? {
                match key {
                    #( #indices => ::oas_runtime::object::field(&mut map, &mut #slots, #wire)?, )*
                    _ => ::oas_runtime::object::skip(&mut map)?,
                }
            }
        }
    };
    // The map's type parameter has a name no schema's type can take.
    quote! {
        impl ::oas_runtime::object::Object for #name {
            const NAME: &'static str = #name_text;
            const FIELDS: &'static [&'static str] = &[#(#wire),*];

            fn read<'de, __Map: ::serde::de::MapAccess<'de>>(mut map: __Map) -> Result<Self, __Map::Error> {
                #( let mut #slots: Option<#slot_types> = None; )*
                #read_keys
                Ok(#name { #( #values, )* })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::oas_runtime::object::deserialize(deserializer)
            }
        }
    }
}
