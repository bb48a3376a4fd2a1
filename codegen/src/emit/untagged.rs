//! Unions without a discriminator: serde's untagged serialization, and a deserialization that
//! tries the variants in an order chosen from the value (`oas_runtime::untagged`).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::*;

/// An untagged union. serde's own untagged derive tries the variants in declaration order and
/// formats an error for each one passed over; an object with only optional properties would even
/// swallow the values meant for a later struct. The generated impl reads the value once, then
/// tries the variants that can read its kind first, structs ranked by how well the keys fit.
pub fn emit_untagged(
    space: &TypeSpace,
    name: &proc_macro2::Ident,
    variant_names: &[proc_macro2::Ident],
    variant_types: &[TokenStream],
    union: &Union,
) -> TokenStream {
    let name_text = name.to_string();
    let variants = union.variants.iter().zip(variant_names).zip(variant_types).map(|((variant, variant_name), variant_type)| {
        let shape = match space.struct_of(&variant.ty) {
            Some(structure) => {
                let properties = structure.fields.iter().map(|field| field.wire_name.as_str());
                let required = structure
                    .fields
                    .iter()
                    .filter(|field| matches!(field.presence, Presence::Required | Presence::RequiredNullable))
                    .map(|field| field.wire_name.as_str());
                let open = structure.additional.is_some();
                quote!(::oas_runtime::untagged::Shape::Object { properties: &[#(#properties),*], required: &[#(#required),*], open: #open })
            }
            None => {
                let kinds = kinds_tokens(kinds_of(space, &variant.ty, space.types.len()));
                quote!(::oas_runtime::untagged::Shape::Value(#kinds))
            }
        };
        let variant_text = variant_name.to_string();
        quote! {
            ::oas_runtime::untagged::Variant {
                name: #variant_text,
                shape: #shape,
                read: |value| <#variant_type as ::serde::Deserialize>::deserialize(value).map(#name::#variant_name),
            }
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #variant_names(#variant_types), )*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::oas_runtime::untagged::deserialize(deserializer, #name_text, &[#(#variants),*])
            }
        }
    }
}

// The bits of `oas_runtime::untagged::Kinds`.
const NULL: u8 = 1;
const BOOLEAN: u8 = 1 << 1;
const INTEGER: u8 = 1 << 2;
const FRACTION: u8 = 1 << 3;
const NUMBER: u8 = INTEGER | FRACTION;
const STRING: u8 = 1 << 4;
const ARRAY: u8 = 1 << 5;
const OBJECT: u8 = 1 << 6;
const ANY: u8 = (1 << 7) - 1;

/// The JSON kinds a value of `ty` can be read from. Where it cannot tell, every kind: the kinds
/// only choose which variants go first.
fn kinds_of(space: &TypeSpace, ty: &Ty, aliases_left: usize) -> u8 {
    match ty {
        Ty::Bool => BOOLEAN,
        Ty::Integer(_) => INTEGER,
        Ty::Float(_) => NUMBER,
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid => STRING,
        // `oas_runtime::Bytes` reads text and lists of numbers.
        Ty::Bytes => STRING | ARRAY,
        Ty::Json => ANY,
        Ty::Vec(_) => ARRAY,
        Ty::Map(_) => OBJECT,
        Ty::Option(inner) => NULL | kinds_of(space, inner, aliases_left),
        Ty::Boxed(inner) => kinds_of(space, inner, aliases_left),
        Ty::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(_) => OBJECT,
            TypeKind::Enum(enumeration) if enumeration.all_strings => STRING,
            TypeKind::Enum(enumeration) if !enumeration.open => enumeration
                .variants
                .iter()
                .map(|variant| match &variant.value {
                    Value::Null => NULL,
                    Value::Bool(_) => BOOLEAN,
                    // Literals match by value, so `1` also reads `1.0`.
                    Value::Number(_) => NUMBER,
                    Value::String(_) => STRING,
                    Value::Array(_) => ARRAY,
                    Value::Object(_) => OBJECT,
                })
                .fold(0, |kinds, kind| kinds | kind),
            TypeKind::Alias(target) if aliases_left > 0 => kinds_of(space, target, aliases_left - 1),
            _ => ANY,
        },
    }
}

/// The kinds as the runtime's named constants, joined with `or`.
fn kinds_tokens(bits: u8) -> TokenStream {
    // Wider sets first, so that a whole set is written as one name.
    const NAMES: [(u8, &str); 9] = [
        (ANY, "ANY"),
        (NUMBER, "NUMBER"),
        (NULL, "NULL"),
        (BOOLEAN, "BOOLEAN"),
        (INTEGER, "INTEGER"),
        (FRACTION, "FRACTION"),
        (STRING, "STRING"),
        (ARRAY, "ARRAY"),
        (OBJECT, "OBJECT"),
    ];
    let mut left = bits;
    let mut parts = Vec::new();
    for (mask, name) in NAMES {
        if left & mask == mask {
            left &= !mask;
            parts.push(quote::format_ident!("{}", name));
        }
    }
    match parts.split_first() {
        None => quote!(::oas_runtime::untagged::Kinds::ANY),
        Some((first, rest)) => quote!(::oas_runtime::untagged::Kinds::#first #( .or(::oas_runtime::untagged::Kinds::#rest) )*),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bits: u8) -> String {
        kinds_tokens(bits).to_string().replace(' ', "").replace("::oas_runtime::untagged::Kinds::", "")
    }

    #[test]
    fn kinds_are_written_with_the_fewest_names() {
        assert_eq!(text(ANY), "ANY");
        assert_eq!(text(NUMBER), "NUMBER");
        assert_eq!(text(NULL | STRING), "NULL.or(STRING)");
        assert_eq!(text(INTEGER), "INTEGER");
        assert_eq!(text(STRING | ARRAY), "STRING.or(ARRAY)");
        assert_eq!(text(NULL | NUMBER | OBJECT), "NUMBER.or(NULL).or(OBJECT)");
    }

    #[test]
    fn each_type_reads_the_kinds_serde_gives_it() {
        let space = TypeSpace::default();
        assert_eq!(kinds_of(&space, &Ty::Float(FloatKind::F64), 0), NUMBER);
        assert_eq!(kinds_of(&space, &Ty::Integer(IntKind::I64), 0), INTEGER);
        assert_eq!(kinds_of(&space, &Ty::Option(Box::new(Ty::String)), 0), NULL | STRING);
        assert_eq!(kinds_of(&space, &Ty::Vec(Box::new(Ty::Bool)), 0), ARRAY);
        assert_eq!(kinds_of(&space, &Ty::Bytes, 0), STRING | ARRAY);
        assert_eq!(kinds_of(&space, &Ty::Json, 0), ANY);
    }
}
