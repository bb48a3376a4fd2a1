//! `Serialize` for generated structs through `oas_runtime::object`: one runtime call per field
//! instead of serde's derive, whose per-field branches and wrapper types (one for every optional
//! nullable field) are several times the code for the compiler to check in a large API.
//!
//! The serializer sees what the derive with `skip_serializing_if = "Option::is_none"` (and
//! `with = "::oas_runtime::double_option"` for optional nullable fields) showed it: the struct's
//! name, the number of fields written, each written field in declaration order under its wire
//! name, and `skip_field` for each absent one.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};

use crate::ir::*;
use crate::naming::ident;

/// The `Serialize` impl of a struct without additional properties.
pub fn emit_serialize_impl(name: &Ident, structure: &Struct) -> TokenStream {
    // As serde's derive names it: a raw identifier without its `r#`.
    let name_text = name.to_string().trim_start_matches("r#").to_string();
    let always = structure.fields.iter().filter(|field| matches!(field.presence, Presence::Required | Presence::RequiredNullable)).count();
    let mut counted = Vec::new();
    if always > 0 || structure.fields.len() == always {
        counted.push(Literal::usize_unsuffixed(always).into_token_stream());
    }
    let writes: Vec<TokenStream> = structure
        .fields
        .iter()
        .map(|field| {
            let field_name = ident(&field.rust_name);
            let wire = &field.wire_name;
            let write = match field.presence {
                Presence::Required | Presence::RequiredNullable => quote!(write),
                Presence::Optional => quote!(write_optional),
                Presence::OptionalNullable => quote!(write_nullable),
            };
            if matches!(field.presence, Presence::Optional | Presence::OptionalNullable) {
                counted.push(quote!(self.#field_name.is_some() as usize));
            }
            quote!(::oas_runtime::object::#write(&mut state, #wire, &self.#field_name)?;)
        })
        .collect();
    let state = match writes.is_empty() {
        true => quote!(state),
        false => quote!(mut state),
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #state = ::serde::Serializer::serialize_struct(serializer, #name_text, #( #counted )+*)?;
                #( #writes )*
                ::serde::ser::SerializeStruct::end(state)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(rust_name: &str, wire_name: &str, presence: Presence) -> Field {
        Field {
            rust_name: rust_name.into(),
            wire_name: wire_name.into(),
            ty: Ty::String,
            presence,
            description: None,
            deprecated: false,
            default: None,
        }
    }

    fn emitted(fields: Vec<Field>) -> String {
        let structure = Struct { fields, additional: None };
        emit_serialize_impl(&quote::format_ident!("Pet"), &structure).to_string()
    }

    #[test]
    fn each_field_is_one_call_and_the_count_leaves_out_absent_ones() {
        let text = emitted(vec![
            field("name", "name", Presence::Required),
            field("type", "type", Presence::Optional),
            field("owner_id", "ownerId", Presence::OptionalNullable),
            field("tag", "tag", Presence::RequiredNullable),
        ]);
        let expected = quote! {
            impl ::serde::Serialize for Pet {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    let mut state = ::serde::Serializer::serialize_struct(
                        serializer, "Pet", 2 + self.r#type.is_some() as usize + self.owner_id.is_some() as usize
                    )?;
                    ::oas_runtime::object::write(&mut state, "name", &self.name)?;
                    ::oas_runtime::object::write_optional(&mut state, "type", &self.r#type)?;
                    ::oas_runtime::object::write_nullable(&mut state, "ownerId", &self.owner_id)?;
                    ::oas_runtime::object::write(&mut state, "tag", &self.tag)?;
                    ::serde::ser::SerializeStruct::end(state)
                }
            }
        };
        assert_eq!(text, expected.to_string());
    }

    #[test]
    fn counts_without_required_fields_or_without_fields() {
        let text = emitted(vec![field("tag", "tag", Presence::Optional)]);
        assert!(text.contains(r#""Pet" , self . tag . is_some () as usize)"#), "{text}");
        let text = emitted(Vec::new());
        assert!(text.contains(r#"let state = :: serde :: Serializer :: serialize_struct (serializer , "Pet" , 0) ?"#), "{text}");
        assert!(!text.contains("write"), "{text}");
    }
}
