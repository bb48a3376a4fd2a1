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

use crate::emit::written_items::{self, fits, push_indent, string_literal, trait_impl_header};
use crate::ir::*;
use crate::naming::{ident, ident_text};

/// The `Serialize` impl of a struct without additional properties.
pub fn emit_serialize_impl(name: &Ident, structure: &Struct) -> TokenStream {
    let name_text = name.to_string();
    if let Some(placeholder) = written_items::hand_over(|| serialize_impl_text(&name_text, structure).map(|text| vec![text])) {
        return placeholder;
    }
    serialize_impl_tokens(name, structure)
}

/// The name serde's derive gives the serializer: a raw identifier without its `r#`.
fn serialized_name(name: &str) -> &str {
    name.trim_start_matches("r#")
}

/// Whether the field is always written, and so counted by the number before the sum.
fn always_written(field: &Field) -> bool {
    matches!(field.presence, Presence::Required | Presence::RequiredNullable)
}

/// The runtime function that writes the field.
fn write_function(presence: Presence) -> &'static str {
    match presence {
        Presence::Required | Presence::RequiredNullable => "write",
        Presence::Optional => "write_optional",
        Presence::OptionalNullable => "write_nullable",
    }
}

fn serialize_impl_tokens(name: &Ident, structure: &Struct) -> TokenStream {
    let name_text = serialized_name(&name.to_string()).to_string();
    let always = structure.fields.iter().filter(|field| always_written(field)).count();
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
            let write = Ident::new(write_function(field.presence), proc_macro2::Span::call_site());
            if !always_written(field) {
                counted.push(quote!(self.#field_name.is_some() as usize));
            }
            quote!(::oas_runtime::object::#write(&mut state, #wire, &self.#field_name);)
        })
        .collect();
    let state = match writes.is_empty() {
        true => quote!(state),
        false => quote!(mut state),
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #state = ::oas_runtime::object::fields(serializer, #name_text, #( #counted )+*);
                #( #writes )*
                ::oas_runtime::object::end(state)
            }
        }
    }
}

const FIELDS_CALL: &str = "::oas_runtime::object::fields(";
const OBJECT_PATH: &str = "::oas_runtime::object::";

/// The same impl as text in prettyplease's layout (the token path above is what it must equal),
/// or `None` when a line would be laid out in a way this does not write: a name too long for the
/// impl's first line, a field name too long for its `self.name` to stay whole.
fn serialize_impl_text(name: &str, structure: &Struct) -> Option<String> {
    let header = trait_impl_header("impl ::serde::Serialize", name);
    let fields = &structure.fields;
    let names: Vec<String> = fields.iter().map(|field| ident_text(&field.rust_name).into_owned()).collect();
    let mut out = String::with_capacity(400 + fields.len() * 100);
    out.push_str(&header);
    out.push_str("\n    fn serialize<S: ::serde::Serializer>(\n        &self,\n        serializer: S,\n    ) -> Result<S::Ok, S::Error> {\n");
    let always = fields.iter().filter(|field| always_written(field)).count();
    let mut counted = Vec::new();
    if always > 0 || fields.len() == always {
        counted.push(always.to_string());
    }
    counted.extend(fields.iter().zip(&names).filter(|(field, _)| !always_written(field)).map(|(_, name)| format!("self.{name}.is_some() as usize")));
    let state = if fields.is_empty() { "state" } else { "mut state" };
    let name_literal = string_literal(serialized_name(name));
    let flat = format!("        let {state} = {FIELDS_CALL}serializer, {name_literal}, {});", counted.join(" + "));
    if fits(flat.len()) {
        out.push_str(&flat);
        out.push('\n');
    } else {
        out.push_str(&format!("        let {state} = {FIELDS_CALL}\n            serializer,\n            {name_literal},\n"));
        write_count(&mut out, &counted)?;
        out.push_str(",\n        );\n");
    }
    for (field, name) in fields.iter().zip(&names) {
        write_field(&mut out, write_function(field.presence), &string_literal(&field.wire_name), name)?;
    }
    out.push_str("        ::oas_runtime::object::end(state)\n    }\n}\n");
    Some(out)
}

/// The number of fields written, as an argument on lines of its own: prettyplease fills each line
/// with as many terms as fit and starts the next one with its `+`. The comma after the last term
/// is one prettyplease adds when it breaks the call, and may run past the margin.
fn write_count(out: &mut String, counted: &[String]) -> Option<()> {
    let (first, rest) = counted.split_first()?;
    let mut column = 12 + first.len();
    // A term that does not fit a line of its own is broken inside, which this does not write.
    if !fits(column) {
        return None;
    }
    push_indent(out, 12);
    out.push_str(first);
    for term in rest {
        if fits(column + " + ".len() + term.len()) {
            out.push_str(" + ");
            column += " + ".len() + term.len();
        } else {
            column = 16 + "+ ".len() + term.len();
            if !fits(column) {
                return None;
            }
            out.push('\n');
            push_indent(out, 16);
            out.push_str("+ ");
        }
        out.push_str(term);
    }
    Some(())
}

/// A field's call: on its line when it fits, else one argument per line.
fn write_field(out: &mut String, function: &str, wire: &str, name: &str) -> Option<()> {
    let flat_width = 8 + OBJECT_PATH.len() + function.len() + "(&mut state, ".len() + wire.len() + ", &self.".len() + name.len() + ");".len();
    if fits(flat_width) {
        out.push_str(&format!("        {OBJECT_PATH}{function}(&mut state, {wire}, &self.{name});\n"));
        return Some(());
    }
    // prettyplease breaks `&self.name` before the name when that does not fit; the comma after it
    // may run past the margin.
    if !fits(12 + "&self.".len() + name.len()) {
        return None;
    }
    out.push_str(&format!("        {OBJECT_PATH}{function}(\n            &mut state,\n            {wire},\n            &self.{name},\n        );\n"));
    Some(())
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
                    let mut state = ::oas_runtime::object::fields(
                        serializer, "Pet", 2 + self.r#type.is_some() as usize + self.owner_id.is_some() as usize
                    );
                    ::oas_runtime::object::write(&mut state, "name", &self.name);
                    ::oas_runtime::object::write_optional(&mut state, "type", &self.r#type);
                    ::oas_runtime::object::write_nullable(&mut state, "ownerId", &self.owner_id);
                    ::oas_runtime::object::write(&mut state, "tag", &self.tag);
                    ::oas_runtime::object::end(state)
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
        assert!(text.contains(r#"let state = :: oas_runtime :: object :: fields (serializer , "Pet" , 0) ;"#), "{text}");
        assert!(!text.contains("write"), "{text}");
    }

    /// Both paths' text for the struct, and whether the text path wrote it.
    fn both_paths(name: &Ident, fields: Vec<Field>) -> (String, String, bool) {
        let structure = Struct { fields, additional: None };
        let (built, text, count) = written_items::both_paths(|| emit_serialize_impl(name, &structure));
        (built, text, count > 0)
    }

    fn check(name: &str, fields: Vec<Field>) -> bool {
        let (built, text, wrote) = both_paths(&ident(name), fields);
        assert_eq!(built, text);
        wrote
    }

    const PRESENCES: [Presence; 4] = [Presence::Required, Presence::RequiredNullable, Presence::Optional, Presence::OptionalNullable];

    #[test]
    fn names_of_every_length_write_as_the_token_path_prints_them() {
        let mut written = 0;
        for length in 1..100 {
            let name = format!("S{}", "x".repeat(length));
            for count in [0, 1, 2, 5] {
                let fields = (0..count).map(|i| field(&format!("a{i}"), &format!("a{i}"), PRESENCES[i % 4])).collect();
                written += usize::from(check(&name, fields));
            }
        }
        // A name too long for the impl's first line moves `for Name {` to the next one.
        assert_eq!(written, 4 * 99);
    }

    #[test]
    fn wire_and_field_names_of_every_length_write_as_the_token_path_prints_them() {
        let mut written = 0;
        let mut cases = 0;
        for length in 0..96 {
            for presence in PRESENCES {
                let wire = "w".repeat(length);
                written += usize::from(check("S", vec![field("a", &wire, presence)]));
                written += usize::from(check("S", vec![field("a", &wire, presence), field("z", "z", presence)]));
                let rust = "n".repeat(length + 1);
                let wrote = check("S", vec![field(&rust, "n", presence), field("z", "z", Presence::Required)]);
                // Longer names break `&self.name` or the count's `self.name.is_some()`.
                assert!(wrote || length + 1 > 49, "{length} {presence:?}");
                written += usize::from(wrote);
                cases += 3;
            }
        }
        assert!(written >= cases - 47 * 4, "{written} of {cases}");
    }

    #[test]
    fn counts_of_many_terms_write_as_the_token_path_prints_them() {
        let mut written = 0;
        let mut cases = 0;
        for length in 1..60 {
            for count in [1, 2, 3, 4, 7, 12] {
                for required in [false, true] {
                    let mut fields: Vec<Field> =
                        (0..count).map(|i| field(&format!("{}{i}", "f".repeat(length)), "f", PRESENCES[2 + i % 2])).collect();
                    if required {
                        fields.insert(count / 2, field("id", "id", Presence::Required));
                    }
                    let wrote = check("Pet", fields);
                    // Longer names do not fit a term on a line of its own.
                    assert!(wrote || length > 45, "{length} {count}");
                    written += usize::from(wrote);
                    cases += 1;
                }
            }
        }
        assert!(written > cases * 3 / 4, "{written} of {cases}");
    }

    #[test]
    fn keywords_and_escapes_write_as_the_token_path_prints_them() {
        let names = [("type", "type"), ("fn", "r#fn"), ("self", "self"), ("crate", "crate"), ("a", "\"quoted\""), ("b", "back\\slash")];
        let wires =
            ["é", "emoji 🎉", "tab\there", "line\nbreak", "nul\0", "bell\u{7}", "'single'", "{braces}", "zero\u{200b}width", "\u{202e}rtl", "#[x]"];
        let mut fields: Vec<Field> = names.iter().map(|(rust, wire)| field(rust, wire, Presence::Required)).collect();
        fields.extend(wires.iter().enumerate().map(|(index, wire)| field(&format!("w{index}"), wire, PRESENCES[index % 4])));
        assert!(check("S", fields.clone()));
        for field in &mut fields {
            field.wire_name = format!("{}{}", field.wire_name, "_".repeat(50));
        }
        assert!(check("S", fields));
        assert!(check("Type", vec![]));
        let raw = both_paths(&Ident::new_raw("match", proc_macro2::Span::call_site()), vec![field("type", "\"", Presence::Optional)]);
        assert_eq!((raw.0.as_str(), raw.2), (raw.1.as_str(), true));
        assert!(raw.1.contains("for r#match {") && raw.1.contains("\"match\",\n"), "{}", raw.1);
        assert!(check("Self_", vec![field("match", "match", Presence::OptionalNullable)]));
    }
}
