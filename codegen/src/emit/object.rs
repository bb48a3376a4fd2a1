//! `Deserialize` for generated structs through `oas_runtime::object`: one loop over the map per
//! struct instead of serde's derive, which checks several times slower in a large API (see
//! docs/performance.md, "Compiling the generated crate").

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::types::ty_tokens;
use super::written_items::{self, fits, push_indent, string_literal, trait_impl_header, write_type_at, STRUCT_LITERAL_WIDTH};
use crate::ir::*;

/// The `Object` and `Deserialize` impls of a struct without additional properties; a struct
/// with them keeps serde's derive, whose flattening this does not repeat.
pub fn emit_object_impls(space: &TypeSpace, name: &Ident, structure: &Struct) -> TokenStream {
    let name_text = name.to_string();
    if let Some(placeholders) = written_items::hand_over(|| object_impls_text(space, &name_text, structure)) {
        return placeholders;
    }
    object_impls_tokens(space, name, &name_text, structure)
}

fn object_impls_tokens(space: &TypeSpace, name: &Ident, name_text: &str, structure: &Struct) -> TokenStream {
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
                    #( #indices => ::oas_runtime::object::field(&mut map, &mut #slots, #wire), )*
                    _ => ::oas_runtime::object::skip(&mut map),
                }?
            }
        }
    };
    // One `?` after the match rather than one in each arm: each `?` is a trait-resolved branch
    // for rustc to check, and GitHub's types hold some sixteen thousand fields.
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

const FIELD_CALL: &str = "::oas_runtime::object::field(";
const REQUIRED_CALL: &str = "::oas_runtime::object::required(";

/// The same two impls as text in prettyplease's layout (the token path above is what it must
/// equal), or `None` when a line would be laid out in a way this does not write: a type that
/// does not fit its line, a type the user provides, a name too long for an impl's first line.
fn object_impls_text(space: &TypeSpace, name: &str, structure: &Struct) -> Option<Vec<String>> {
    let fields = &structure.fields;
    let wires: Vec<String> = fields.iter().map(|field| string_literal(&field.wire_name)).collect();
    let mut out = String::with_capacity(700 + fields.len() * 300);
    // prettyplease never breaks a constant's line after its `=`, however long the name.
    let name_line = format!("    const NAME: &'static str = {};\n", string_literal(name));
    out.push_str(&trait_impl_header("impl ::oas_runtime::object::Object", name));
    out.push('\n');
    out.push_str(&name_line);
    write_fields_const(&mut out, &wires);
    out.push_str("    fn read<'de, __Map: ::serde::de::MapAccess<'de>>(\n        mut map: __Map,\n    ) -> Result<Self, __Map::Error> {\n");
    for (index, field) in fields.iter().enumerate() {
        let slot = match field.presence {
            Presence::Required => field.ty.clone().optional(),
            Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullable => field.ty.clone().optional().optional(),
        };
        let head = format!("        let mut slot_{index}: ");
        out.push_str(&head);
        // prettyplease never breaks after the `=` (a break that never breaks ends what counts
        // after the type); only the type breaks.
        write_type_at(space, &slot, 8, head.len(), " = ".len(), &mut out)?;
        out.push_str(" = None;\n");
    }
    if fields.is_empty() {
        out.push_str(
            "        while ::oas_runtime::object::key(&mut map, Self::FIELDS)?.is_some() {\n            \
             ::oas_runtime::object::skip(&mut map)?;\n        }\n",
        );
    } else {
        out.push_str("        while let Some(key) = ::oas_runtime::object::key(&mut map, Self::FIELDS)? {\n            match key {\n");
        for (index, wire) in wires.iter().enumerate() {
            write_field_arm(&mut out, index, wire);
        }
        out.push_str("                _ => ::oas_runtime::object::skip(&mut map),\n            }?\n        }\n");
    }
    write_construction(&mut out, name, structure, &wires)?;
    out.push_str("    }\n}\n");
    let deserialize = trait_impl_header("impl<'de> ::serde::Deserialize<'de>", name);
    let deserialize = format!(
        "{deserialize}\n    fn deserialize<D: ::serde::Deserializer<'de>>(\n        deserializer: D,\n    ) -> Result<Self, D::Error> {{\n        \
         ::oas_runtime::object::deserialize(deserializer)\n    }}\n}}\n"
    );
    Some(vec![out, deserialize])
}

/// `const FIELDS`: the wire names on the line when they fit, else one per line.
fn write_fields_const(out: &mut String, wires: &[String]) {
    const HEAD: &str = "    const FIELDS: &'static [&'static str] = &[";
    let flat = HEAD.len() + wires.iter().map(|wire| wire.len() + 2).sum::<usize>().saturating_sub(2) + "];".len();
    out.push_str(HEAD);
    if fits(flat) {
        out.push_str(&wires.join(", "));
    } else {
        out.push('\n');
        for wire in wires {
            push_indent(out, 8);
            out.push_str(wire);
            out.push_str(",\n");
        }
        push_indent(out, 4);
    }
    out.push_str("];\n");
}

/// The arm that reads field `index`: on its line when it fits, else as a block whose call is on
/// one line when that fits, else with one argument per line.
fn write_field_arm(out: &mut String, index: usize, wire: &str) {
    let slot = format!("slot_{index}");
    let arm = format!("{index} => ");
    let call_width = FIELD_CALL.len() + "&mut map, &mut ".len() + slot.len() + 2 + wire.len() + ")".len();
    push_indent(out, 16);
    out.push_str(&arm);
    // The arm's comma may run past the margin.
    if fits(16 + arm.len() + call_width) {
        out.push_str(&format!("{FIELD_CALL}&mut map, &mut {slot}, {wire}),\n"));
        return;
    }
    out.push_str("{\n");
    push_indent(out, 20);
    if fits(20 + call_width) {
        out.push_str(&format!("{FIELD_CALL}&mut map, &mut {slot}, {wire})\n"));
    } else {
        out.push_str(FIELD_CALL);
        out.push('\n');
        for argument in ["&mut map", &format!("&mut {slot}"), wire] {
            push_indent(out, 24);
            out.push_str(argument);
            out.push_str(",\n");
        }
        push_indent(out, 20);
        out.push_str(")\n");
    }
    push_indent(out, 16);
    out.push_str("}\n");
}

/// `Ok(Name { .. })`: on one line when it fits, else one field per line; `None` for a field
/// whose line prettyplease would break other than in the call's arguments.
fn write_construction(out: &mut String, name: &str, structure: &Struct, wires: &[String]) -> Option<()> {
    let values: Vec<(String, String)> = structure
        .fields
        .iter()
        .zip(wires)
        .enumerate()
        .map(|(index, (field, wire))| {
            let field_name = crate::naming::ident_text(&field.rust_name).into_owned();
            let value = match field.presence {
                Presence::Required | Presence::RequiredNullable => format!("{REQUIRED_CALL}slot_{index}, {wire})?"),
                Presence::Optional => format!("slot_{index}.flatten()"),
                Presence::OptionalNullable => format!("slot_{index}"),
            };
            (field_name, value)
        })
        .collect();
    // A name so long that `Ok(Name {` passes the margin is left to the token path.
    if !fits("        Ok(".len() + name.len() + " {".len()) {
        return None;
    }
    if values.is_empty() {
        match name.len() + " {}".len() <= STRUCT_LITERAL_WIDTH {
            true => out.push_str(&format!("        Ok({name} {{}})\n")),
            false => out.push_str(&format!("        Ok({name} {{\n        }})\n")),
        }
        return Some(());
    }
    // prettyplease keeps a struct literal on one line only when it is short: up to its closing
    // brace, within `STRUCT_LITERAL_WIDTH`.
    let literal = name.len() + " { ".len() + values.iter().map(|(field, value)| field.len() + 2 + value.len() + 2).sum::<usize>() - 2 + " ".len();
    if literal <= STRUCT_LITERAL_WIDTH && fits(8 + "Ok(".len() + literal + "})".len()) {
        let joined: Vec<String> = values.iter().map(|(field, value)| format!("{field}: {value}")).collect();
        out.push_str(&format!("        Ok({name} {{ {} }})\n", joined.join(", ")));
        return Some(());
    }
    out.push_str(&format!("        Ok({name} {{\n"));
    for ((field, value), (index, wire)) in values.iter().zip(wires.iter().enumerate()) {
        push_indent(out, 12);
        out.push_str(field);
        out.push_str(": ");
        // The last field's comma is one prettyplease adds when it breaks the literal, and may run
        // past the margin; the others' commas count.
        let comma = usize::from(index + 1 < values.len());
        let required = value.starts_with(REQUIRED_CALL);
        // Other values are left to the token path already when only the last comma runs over.
        if fits(12 + field.len() + 2 + value.len() + if required { comma } else { 1 }) {
            out.push_str(value);
        } else if !required {
            // prettyplease breaks `slot_N.flatten()` before the call: a name that long is rare
            // enough to leave to the token path.
            return None;
        } else {
            out.push_str(REQUIRED_CALL);
            out.push('\n');
            for argument in [&format!("slot_{index}"), wire] {
                push_indent(out, 16);
                out.push_str(argument);
                out.push_str(",\n");
            }
            push_indent(out, 12);
            out.push_str(")?");
        }
        out.push_str(",\n");
    }
    out.push_str("        })\n");
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::format_tokens;

    fn field(rust_name: &str, wire_name: &str, ty: Ty, presence: Presence) -> Field {
        Field { rust_name: rust_name.into(), wire_name: wire_name.into(), ty, presence, description: None, deprecated: false, default: None }
    }

    /// A type space whose first type is `Target`, a struct other types' fields can name, and
    /// whose second is the struct under test.
    fn space_with(name: &str, fields: Vec<Field>) -> TypeSpace {
        let target = TypeDef::plain_struct("Target", "/t", vec![]);
        let long = TypeDef::plain_struct("AVeryLongTypeNameThatTakesUpMostOfTheLineWhenItIsWrappedInOptions", "/l", vec![]);
        let def = TypeDef {
            name: name.into(),
            pointer: "/s".into(),
            description: None,
            deprecated: false,
            kind: TypeKind::Struct(Struct { fields, additional: None }),
        };
        TypeSpace { types: vec![target, long, def], ..TypeSpace::default() }
    }

    /// Both paths' text for the struct, and whether the text path wrote it.
    fn both_paths(space: &TypeSpace) -> (String, String, bool) {
        let def = &space.types[2];
        let TypeKind::Struct(structure) = &def.kind else { unreachable!() };
        let name = crate::naming::ident(&def.name);
        let (tokens, text, count) = written_items::both_paths(|| emit_object_impls(space, &name, structure));
        (tokens, text, count > 0)
    }

    fn check(space: &TypeSpace) -> bool {
        let (tokens, text, wrote) = both_paths(space);
        assert_eq!(tokens, text);
        wrote
    }

    const PRESENCES: [Presence; 4] = [Presence::Required, Presence::RequiredNullable, Presence::Optional, Presence::OptionalNullable];

    #[test]
    fn wire_names_of_every_length_read_as_the_token_path_prints_them() {
        let mut written = 0;
        let mut cases = 0;
        for length in 0..96 {
            for (index, presence) in PRESENCES.into_iter().enumerate() {
                let wire = "w".repeat(length);
                // Field numbers of one and two digits, and names short and long.
                let mut fields: Vec<Field> = (0..index * 4).map(|i| field(&format!("f{i}"), &format!("f{i}"), Ty::Bool, presence)).collect();
                fields.push(field(&"n".repeat(length / 2 + 1), &wire, Ty::String, presence));
                written += usize::from(check(&space_with("S", fields.clone())));
                // The same field not last.
                fields.push(field("z", "z", Ty::Bool, presence));
                written += usize::from(check(&space_with("S", fields)));
                cases += 2;
            }
        }
        assert_eq!(written, cases, "every one of these fits its lines");
    }

    #[test]
    fn names_of_every_length_read_as_the_token_path_prints_them() {
        let mut written = 0;
        for length in 1..100 {
            let name = format!("S{}", "x".repeat(length));
            for count in [0, 1, 2, 5] {
                // Optional fields first: short enough for the literal to stay on its line.
                let fields = (0..count).map(|i| field(&format!("a{i}"), &format!("a{i}"), Ty::Named(TypeId(0)), PRESENCES[(i + 2) % 4])).collect();
                written += usize::from(check(&space_with(&name, fields)));
            }
        }
        // Every name short enough for `Ok(Name {` to fit its line (75 characters and the `S`).
        assert_eq!(written, 4 * 75, "{written}");
    }

    #[test]
    fn types_long_and_short_read_as_the_token_path_prints_them() {
        let long = || Ty::Named(TypeId(1));
        let types = [
            Ty::Integer(IntKind::U64),
            Ty::Float(FloatKind::F32),
            Ty::DateTime,
            Ty::Date,
            Ty::Uuid,
            Ty::Bytes,
            Ty::Json,
            Ty::Vec(Box::new(Ty::Map(Box::new(Ty::Option(Box::new(Ty::Boxed(Box::new(Ty::Named(TypeId(0)))))))))),
            long(),
            Ty::Vec(Box::new(long())),
            Ty::Map(Box::new(long())),
            Ty::Map(Box::new(Ty::Vec(Box::new(long())))),
        ];
        let mut written = 0;
        for ty in &types {
            let text = written_items::type_text(&space_with("S", vec![]), ty).unwrap();
            if text.len() < 60 {
                assert_eq!(text, written_items::printed_type(&space_with("S", vec![]), ty));
            }
            for presence in PRESENCES {
                written += usize::from(check(&space_with("S", vec![field("a", "a", ty.clone(), presence), field("b", "b", Ty::Bool, presence)])));
            }
        }
        // A type too long for a slot's line breaks as prettyplease breaks it.
        assert_eq!(written, types.len() * PRESENCES.len());
    }

    #[test]
    fn keywords_and_escapes_read_as_the_token_path_prints_them() {
        let names = [("type", "type"), ("fn", "r#fn"), ("self", "self"), ("crate", "crate"), ("a", "\"quoted\""), ("b", "back\\slash")];
        let wires =
            ["é", "emoji 🎉", "tab\there", "line\nbreak", "nul\0", "bell\u{7}", "'single'", "{braces}", "zero\u{200b}width", "\u{202e}rtl", "#[x]"];
        let mut fields: Vec<Field> = names.iter().map(|(rust, wire)| field(rust, wire, Ty::String, Presence::Required)).collect();
        fields.extend(wires.iter().enumerate().map(|(index, wire)| field(&format!("w{index}"), wire, Ty::String, PRESENCES[index % 4])));
        assert!(check(&space_with("S", fields.clone())));
        // Long enough that the arms and values break.
        for field in &mut fields {
            field.wire_name = format!("{}{}", field.wire_name, "_".repeat(50));
        }
        assert!(check(&space_with("S", fields)));
        assert!(check(&space_with("Type_", vec![])));
        // Names so long that `slot_N.flatten()` would break are left to the token path.
        let long_names: Vec<Field> =
            PRESENCES.iter().enumerate().map(|(index, presence)| field(&format!("{}{index}", "x".repeat(70)), "x", Ty::Bool, *presence)).collect();
        assert!(!check(&space_with("S", long_names)));
    }

    #[test]
    fn provided_types_are_built_as_tokens() {
        let mut space = space_with("S", vec![field("a", "a", Ty::Named(TypeId(0)), Presence::Required)]);
        space.provided.schemas.insert(TypeId(0), "my_crate::Target".into());
        assert!(!check(&space));
        let mut space = space_with("S", vec![field("a", "a", Ty::Uuid, Presence::Required)]);
        space.provided.formats.insert("uuid".into(), "my_crate::Id".into());
        assert!(!check(&space));
    }

    #[test]
    fn written_items_take_a_features_cfg_and_a_runtime_path_like_built_ones() {
        let space = space_with("S", vec![field("id", "id", Ty::String, Presence::Required), field("n", "n", Ty::Bool, Presence::Optional)]);
        let def = &space.types[2];
        let TypeKind::Struct(structure) = &def.kind else { unreachable!() };
        let name = crate::naming::ident(&def.name);
        let cfg = quote!(#[cfg(any(feature = "a-rather-long-feature-name", feature = "another-rather-long-feature-name"))]);
        let customization = crate::emit::customize::Customization::new(&[], "crate::a_much_longer_path_to_the::runtime").unwrap();
        let finish = |tokens: TokenStream, customized: bool| {
            let tokens = crate::features::gate(tokens, &cfg);
            if customized {
                customization.apply(tokens, true)
            } else {
                tokens
            }
        };
        for customized in [false, true] {
            let built = format_tokens(finish(emit_object_impls(&space, &name, structure), customized)).unwrap();
            let (tokens, written) = written_items::collect(|| finish(emit_object_impls(&space, &name, structure), customized));
            let text = written_items::fill(format_tokens(tokens).unwrap(), written).unwrap();
            assert_eq!(built, text);
            assert_eq!(text.matches("#[cfg(").count(), 2, "{text}");
            assert_eq!(text.contains("a_much_longer_path"), customized, "{text}");
        }
    }

    #[test]
    fn slot_types_of_every_length_read_as_the_token_path_prints_them() {
        for length in 1..=90 {
            let target = TypeDef::plain_struct(&format!("T{}", "y".repeat(length)), "/t", vec![]);
            let named = || Box::new(Ty::Named(TypeId(0)));
            let types = [
                Ty::Named(TypeId(0)),
                Ty::Vec(named()),
                Ty::Option(Box::new(Ty::Map(named()))),
                Ty::Boxed(Box::new(Ty::Option(Box::new(Ty::Vec(named()))))),
            ];
            let fields =
                types.iter().enumerate().map(|(index, ty)| field(&format!("f{index}"), "f", ty.clone(), PRESENCES[(length + index) % 4])).collect();
            let def = TypeDef {
                name: "S".into(),
                pointer: "/s".into(),
                description: None,
                deprecated: false,
                kind: TypeKind::Struct(Struct { fields, additional: None }),
            };
            let space = TypeSpace { types: vec![target.clone(), target, def], ..TypeSpace::default() };
            assert!(check(&space), "{length}");
        }
    }
}
