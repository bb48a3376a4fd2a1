//! Rust identifiers from API names: sanitized, never keywords, unique within their scope.

use std::borrow::Cow;

use foldhash::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves, as identifiers; most can be written raw (`r#type`).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod",
    "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while",
    "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
    "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names generated code relies on; a schema with one of these names gets a suffix so the
/// generated module never shadows them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "Box",
    "String",
    "Vec",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "BTreeMap",
    "HashMap",
    "Value",
    "Default",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Serializer",
    "Clone",
    "Debug",
    "PartialEq",
    "Copy",
    "Eq",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "TryFrom",
    "ToString",
    "Iterator",
    "Fn",
    "Drop",
    "Formatter",
    "Display",
];

/// Keeps only what an identifier may hold, so `foo-bar.baz` and `foo bar` split into words.
fn ascii_words(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// `UpperCamelCase` of [`ascii_words`] output, as heck writes it.
fn upper_camel(words: &str) -> String {
    match lowercase_words(words) {
        Some(split) => {
            let mut out = String::with_capacity(words.len());
            for word in split {
                let (first, rest) = word.split_at(1);
                out.push_str(&first.to_ascii_uppercase());
                out.push_str(rest);
            }
            out
        }
        None => words.to_upper_camel_case(),
    }
}

/// `snake_case` of [`ascii_words`] output, as heck writes it.
fn snake(words: &str) -> String {
    match lowercase_words(words) {
        Some(split) => {
            let mut out = String::with_capacity(words.len());
            for word in split {
                if !out.is_empty() {
                    out.push('_');
                }
                out.push_str(word);
            }
            out
        }
        None => words.to_snake_case(),
    }
}

/// The words of a name without capitals (`html url`, `v1beta1`), which are most names in real
/// documents: heck finds no boundary inside them, so they split at the spaces alone. Converting
/// these by hand skips heck's formatting of every character, a fifth of lowering GitHub's
/// document; heck converts every other name.
fn lowercase_words(words: &str) -> Option<impl Iterator<Item = &str>> {
    let lowercase = words.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b' ');
    lowercase.then(|| words.split(' ').filter(|word| !word.is_empty()))
}

/// An `UpperCamelCase` identifier or part of one (an enum variant, a segment of a composed type
/// name); `fallback` names the nameless.
pub fn camel(name: &str, fallback: &str) -> String {
    let mut ident = upper_camel(&ascii_words(name));
    if ident.is_empty() {
        ident = fallback.to_string();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'N');
    }
    ident
}

/// An enum variant: [`camel`], with `Value` appended to `Self`, the one keyword in `UpperCamelCase`
/// (the value `self` of a string enum, or a union member titled so).
pub fn variant(name: &str, fallback: &str) -> String {
    let ident = camel(name, fallback);
    if ident == "Self" {
        return "SelfValue".into();
    }
    ident
}

/// A whole type name: [`camel`], moved out of the way of names generated code relies on.
pub fn type_name(name: &str, fallback: &str) -> String {
    avoid_reserved(camel(name, fallback))
}

/// Appends `Model` to a type name that would shadow a prelude or serde name, or is a keyword.
pub fn avoid_reserved(ident: String) -> String {
    avoid_reserved_with(ident, "Model")
}

/// Appends `suffix` to a type name that would shadow a prelude or serde name, or is a keyword.
pub fn avoid_reserved_with(mut ident: String, suffix: &str) -> String {
    if RESERVED_TYPE_NAMES.contains(&ident.as_str()) || KEYWORDS.contains(&ident.as_str()) {
        ident.push_str(suffix);
    }
    ident
}

/// An identifier for a field, method or module (`snake_case`), raw where it is a keyword.
pub fn field_name(name: &str, fallback: &str) -> String {
    let mut ident = snake(&ascii_words(name));
    if ident.is_empty() {
        ident = fallback.to_string();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'n');
    }
    ident
}

/// Turns a sanitized name into a token, raw (`r#type`) or suffixed (`self_`) where it is a keyword.
pub fn ident(name: &str) -> proc_macro2::Ident {
    if NOT_RAW.contains(&name) {
        proc_macro2::Ident::new(&format!("{name}_"), proc_macro2::Span::call_site())
    } else if KEYWORDS.contains(&name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// The text of [`ident`], for code written as text: no token is built. `name` must be one that
/// [`ident`] accepts (a name this module made); unlike the token, the text is not checked.
pub fn ident_text(name: &str) -> Cow<'_, str> {
    if NOT_RAW.contains(&name) {
        Cow::Owned(format!("{name}_"))
    } else if KEYWORDS.contains(&name) {
        Cow::Owned(format!("r#{name}"))
    } else {
        Cow::Borrowed(name)
    }
}

/// Hands out names that are unique within one scope, in the order asked for, so the same input
/// always yields the same names: the second `foo_bar` becomes `foo_bar_2`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    pub fn new() -> Self {
        Namer::default()
    }

    /// Marks a name as used without handing it out (names the generated code itself uses).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// `wanted` if it is free, else the first of `wanted2`, `wanted3`, ... (`_2`, ... after a
    /// digit, an underscore or an all-lowercase name) that is.
    pub fn unique(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let separator = if wanted.ends_with(|c: char| c.is_ascii_digit()) || wanted.contains('_') || wanted.chars().all(|c| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        (2..).map(|n| format!("{wanted}{separator}{n}")).find(|candidate| self.taken.insert(candidate.clone())).expect("an unused name exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_text_is_the_token_as_written() {
        let names = KEYWORDS.iter().chain(NOT_RAW).copied().chain(["pet", "Pet", "type_", "_x", "selfie"]);
        for name in names {
            assert_eq!(ident_text(name), ident(name).to_string(), "{name}");
        }
    }

    #[test]
    fn lowercase_names_convert_as_heck_converts_them() {
        // Every name of up to six characters over an alphabet that covers each path: lowercase
        // letters, digits, capitals (heck's side), separators, runs and ends of separators.
        let alphabet = ['a', 'b', '1', 'C', '_', '-', ' '];
        let mut names = vec![String::new()];
        let mut checked = 0;
        for _ in 0..6 {
            let mut longer = Vec::with_capacity(names.len() * alphabet.len());
            for name in &names {
                for c in alphabet {
                    let name = format!("{name}{c}");
                    let words = ascii_words(&name);
                    assert_eq!(upper_camel(&words), words.to_upper_camel_case(), "{name:?}");
                    assert_eq!(snake(&words), words.to_snake_case(), "{name:?}");
                    checked += 1;
                    longer.push(name);
                }
            }
            names = longer;
        }
        assert!(checked > 100_000);
    }

    fn check_type(input: &str, expected: &str) {
        assert_eq!(type_name(input, "Unnamed"), expected, "type name for {input:?}");
    }

    fn check_field(input: &str, expected: &str) {
        assert_eq!(field_name(input, "field"), expected, "field name for {input:?}");
    }

    #[test]
    fn type_names() {
        check_type("workflowOverviewDTO", "WorkflowOverviewDto");
        check_type("foo-bar.baz", "FooBarBaz");
        check_type("2fa", "N2fa");
        check_type("", "Unnamed");
        check_type("../../x", "X");
        check_type("Result", "ResultModel");
        check_type("self", "SelfModel");
        check_type("Ünïcode", "NCode");
        assert_eq!(camel("value", "V"), "Value", "parts of names and variants need no suffix");
        assert_eq!(variant("self", "V"), "SelfValue", "`Self` is a keyword, not a variant name");
        assert_eq!(variant("selfish", "V"), "Selfish");
        assert_eq!(camel("eq", "V"), "Eq");
    }

    #[test]
    fn field_names() {
        check_field("fooBar", "foo_bar");
        check_field("type", "type");
        check_field("$ref", "ref");
        check_field("@id", "id");
        check_field("1st", "n1st");
        check_field("+", "field");
    }

    #[test]
    fn idents_escape_keywords() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("name").to_string(), "name");
    }

    #[test]
    fn namer_disambiguates_in_order() {
        let mut namer = Namer::new();
        assert_eq!(namer.unique("foo_bar".into()), "foo_bar");
        assert_eq!(namer.unique("foo_bar".into()), "foo_bar_2");
        assert_eq!(namer.unique("Asc".into()), "Asc");
        assert_eq!(namer.unique("Asc".into()), "Asc2");
        assert_eq!(namer.unique("V1".into()), "V1");
        assert_eq!(namer.unique("V1".into()), "V1_2");
    }
}
