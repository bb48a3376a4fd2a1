//! The impls of an enumeration of strings: `as_str` and `from_known`, `Display`, and serde
//! through `oas_runtime::string_enum` (one `match` per direction instead of serde's derive, which
//! costs far more to compile). Each impl is written as text where its layout is certain (see
//! `written_items`) and built as tokens otherwise.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::written_items::{self, fits, string_literal, trait_impl_header};
use crate::ir::Enum;

/// The impls that follow the enum's definition.
pub fn emit_string_enum_impls(name: &Ident, enumeration: &Enum, variant_names: &[Ident]) -> TokenStream {
    let wire: Vec<&str> = enumeration.variants.iter().map(|variant| variant.value.as_str().unwrap_or_default()).collect();
    let name_text = name.to_string();
    let variants: Vec<String> = variant_names.iter().map(Ident::to_string).collect();
    let literals: Vec<String> = wire.iter().map(|wire| string_literal(wire)).collect();
    let texts = [
        methods_text(&name_text, enumeration.open, &variants, &literals),
        display_text(&name_text),
        serialize_text(&name_text),
        deserialize_text(&name_text, enumeration.open, &literals),
    ];
    let builds: [&dyn Fn() -> TokenStream; 4] =
        [&|| methods_tokens(name, &name_text, enumeration.open, variant_names, &wire), &|| display_tokens(name), &|| serialize_tokens(name), &|| {
            deserialize_tokens(name, enumeration.open, &wire)
        }];
    texts
        .into_iter()
        .zip(builds)
        .map(|(text, build)| text.and_then(|text| written_items::hand_over(|| Some(vec![text]))).unwrap_or_else(build))
        .collect()
}

fn methods_tokens(name: &Ident, name_text: &str, open: bool, variant_names: &[Ident], wire: &[&str]) -> TokenStream {
    let other_arm = open.then(|| quote!(#name::Other(value) => value.as_str(),));
    let known_doc = format!(" The variant for one of the values `{name_text}` lists, if `value` is one.");
    quote! {
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variant_names => #wire, )*
                    #other_arm
                }
            }

            #[doc = #known_doc]
            pub fn from_known(value: &str) -> Option<Self> {
                match value {
                    #( #wire => Some(#name::#variant_names), )*
                    _ => None,
                }
            }
        }
    }
}

fn display_tokens(name: &Ident) -> TokenStream {
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn serialize_tokens(name: &Ident) -> TokenStream {
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    }
}

fn deserialize_tokens(name: &Ident, open: bool, wire: &[&str]) -> TokenStream {
    let read = match open {
        true => quote!(::oas_runtime::string_enum::deserialize_open(deserializer, #name::from_known, #name::Other)),
        false => quote!(::oas_runtime::string_enum::deserialize_closed(deserializer, &[#(#wire),*], #name::from_known)),
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #read
            }
        }
    }
}

/// An item's first line, when it fits.
fn header(text: String) -> Option<String> {
    fits(text.len()).then_some(text)
}

/// `impl Name { as_str, from_known }` as text; `None` when its first line passes the margin or
/// there is no value (an empty `match`).
fn methods_text(name: &str, open: bool, variants: &[String], literals: &[String]) -> Option<String> {
    if variants.is_empty() {
        return None;
    }
    let mut out = header(format!("impl {name} {{"))?;
    out.push_str("\n    /// The value as it appears on the wire.\n    pub fn as_str(&self) -> &str {\n        match self {\n");
    for (variant, literal) in variants.iter().zip(literals) {
        push_arm(&mut out, &format!("{name}::{variant}"), literal);
    }
    if open {
        // Where `value) => ` does not fit after the name, the pattern breaks instead of the body
        // (its group is measured up to the next place a line may break, after the arrow).
        let opening = format!("            {name}::Other(");
        match fits(opening.len() + "value) => ".len()) {
            true => push_arm(&mut out, &format!("{name}::Other(value)"), "value.as_str()"),
            false => {
                out.push_str(&opening);
                out.push_str("\n                value,\n            ) => value.as_str(),\n");
            }
        }
    }
    out.push_str("        }\n    }\n");
    out.push_str(&format!("    /// The variant for one of the values `{name}` lists, if `value` is one.\n"));
    out.push_str("    pub fn from_known(value: &str) -> Option<Self> {\n        match value {\n");
    for (variant, literal) in variants.iter().zip(literals) {
        push_arm(&mut out, literal, &format!("Some({name}::{variant})"));
    }
    out.push_str("            _ => None,\n        }\n    }\n}\n");
    Some(out)
}

/// One arm of a `match` in a method (twelve columns in), as `prettyplease` prints it: on its line
/// when that fits without its comma (the comma is printed when the line does not break, but is not
/// measured); else its body alone on the next line inside a block, even when the pattern already
/// passed the margin, and a `Some(…)` too wide for that line with its argument on a line of its
/// own.
fn push_arm(out: &mut String, pattern: &str, body: &str) {
    const INDENT: &str = "            ";
    let line = format!("{INDENT}{pattern} => {body},");
    if fits(line.len() - 1) {
        out.push_str(&line);
        out.push('\n');
        return;
    }
    out.push_str(&format!("{INDENT}{pattern} => {{\n"));
    let inner = format!("{INDENT}    {body}");
    match body.strip_prefix("Some(").and_then(|rest| rest.strip_suffix(')')) {
        Some(argument) if !fits(inner.len()) => out.push_str(&format!("{INDENT}    Some(\n{INDENT}        {argument},\n{INDENT}    )")),
        _ => out.push_str(&inner),
    }
    out.push('\n');
    out.push_str(INDENT);
    out.push_str("}\n");
}

fn display_text(name: &str) -> Option<String> {
    let first = trait_impl_header("impl ::std::fmt::Display", name);
    Some(format!(
        "{first}\n    \
         fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{\n        \
         f.write_str(self.as_str())\n    }}\n}}\n"
    ))
}

fn serialize_text(name: &str) -> Option<String> {
    let first = trait_impl_header("impl ::serde::Serialize", name);
    Some(format!(
        "{first}\n    \
         fn serialize<S: ::serde::Serializer>(\n        &self,\n        serializer: S,\n    ) -> Result<S::Ok, S::Error> {{\n        \
         serializer.serialize_str(self.as_str())\n    }}\n}}\n"
    ))
}

/// The `Deserialize` impl as text: an open enumeration's call on its line or one argument per
/// line; a closed one's only when the call with all its values fits on one line.
fn deserialize_text(name: &str, open: bool, literals: &[String]) -> Option<String> {
    let mut out = trait_impl_header("impl<'de> ::serde::Deserialize<'de>", name);
    out.push_str("\n    fn deserialize<D: ::serde::Deserializer<'de>>(\n        deserializer: D,\n    ) -> Result<Self, D::Error> {\n");
    let call = match open {
        true => format!("        ::oas_runtime::string_enum::deserialize_open(deserializer, {name}::from_known, {name}::Other)"),
        false => format!("        ::oas_runtime::string_enum::deserialize_closed(deserializer, &[{}], {name}::from_known)", literals.join(", ")),
    };
    if fits(call.len()) {
        out.push_str(&call);
        out.push('\n');
    } else if open {
        out.push_str(&format!(
            "        ::oas_runtime::string_enum::deserialize_open(\n            deserializer,\n            {name}::from_known,\n            {name}::Other,\n        )\n"
        ));
    } else {
        return None;
    }
    out.push_str("    }\n}\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::EnumVariant;

    /// Both paths' text for an enumeration of `values` named `name`, and how many of its four
    /// impls the text path wrote.
    fn check(name: &str, values: &[&str], open: bool) -> usize {
        let variants: Vec<EnumVariant> = values
            .iter()
            .enumerate()
            .map(|(index, value)| EnumVariant { rust_name: format!("V{index}"), value: (*value).into(), description: None })
            .collect();
        let enumeration = Enum { variants, all_strings: true, open };
        let name = crate::naming::ident(name);
        let variant_names: Vec<Ident> = enumeration.variants.iter().map(|variant| quote::format_ident!("{}", variant.rust_name)).collect();
        let (built, text, count) = written_items::both_paths(|| emit_string_enum_impls(&name, &enumeration, &variant_names));
        assert_eq!(built, text);
        count
    }

    #[test]
    fn names_of_every_length_read_as_the_token_path_prints_them() {
        let mut written = 0;
        for length in 1..100 {
            let name = format!("E{}", "x".repeat(length));
            for open in [false, true] {
                written += check(&name, &["a", "b"], open);
                written += check(&name, &[], open);
            }
        }
        // 1,153 of 1,584 impls, among them arms whose comma passes the margin, arms whose path
        // alone passes it, `Some(Name::V0)` broken over three lines and `Other(value)` patterns
        // broken; left to tokens are the empty enumerations' methods and `impl Name {` lines too
        // long for the margin.
        assert!(written >= 1_153, "{written}");
    }

    #[test]
    fn values_of_every_length_and_number_read_as_the_token_path_prints_them() {
        let mut written = 0;
        for length in 0..90 {
            let value = "v".repeat(length);
            for count in [1, 2, 3, 6] {
                let values: Vec<&str> = std::iter::repeat_n(value.as_str(), count).collect();
                for open in [false, true] {
                    written += check("Kind", &values, open);
                }
            }
        }
        // Short values are all written, and arms too long for their line as blocks (2,520 of
        // 2,880 impls; 2,256 with one-line arms only); a closed enumeration's list too long for
        // one line is left to tokens.
        assert!(written >= 2_520, "{written}");
    }

    #[test]
    fn escapes_read_as_the_token_path_prints_them() {
        let values = ["\"quoted\"", "back\\slash", "é", "🎉", "tab\t", "line\nbreak", "nul\0", "\u{202e}", "'"];
        // A closed enumeration's list of nine values is too long for the line: its `Deserialize`
        // is built as tokens.
        assert_eq!(check("Type_", &values, false), 3);
        assert_eq!(check("Type_", &values, true), 4);
    }
}
