//! The two choices a user makes about the emitted code itself: derives added to every schema type,
//! and the path the code reaches the runtime crate by.
//!
//! The emitters write the runtime only as the absolute path `::oas_runtime` and give every struct
//! and enum of the types module one `#[derive(...)]`. Both choices are applied to each part's
//! tokens as the part is built, before it is formatted, so every layout (the crate, the
//! build-script include file) gets them alike and no formatted text is parsed again.

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// How the generated code names the runtime crate unless told otherwise.
pub const DEFAULT_RUNTIME_PATH: &str = "::oas_runtime";

/// The checked form of the user's derive paths and runtime path. It is kept as text, which
/// every formatting thread can share (token streams cannot cross threads).
#[derive(Debug, Clone, Default)]
pub(crate) struct Customization {
    derives: Vec<String>,
    /// `None` for the default path, which needs no rewriting.
    runtime: Option<String>,
}

impl Customization {
    /// Checks the options that come from the user, with messages that name the bad value.
    pub(crate) fn new(extra_derives: &[String], runtime_path: &str) -> Result<Customization, String> {
        Ok(Customization { derives: parse_derives(extra_derives)?, runtime: parse_runtime_path(runtime_path)? })
    }

    pub(crate) fn is_default(&self) -> bool {
        self.derives.is_empty() && self.runtime.is_none()
    }

    /// Applies the runtime path to `tokens`, and the extra derives too when they are schema types.
    pub(crate) fn apply(&self, tokens: TokenStream, schema_types: bool) -> TokenStream {
        let tokens = if schema_types && !self.derives.is_empty() {
            // Checked in `new`, so parsing again cannot fail.
            let derives: Vec<syn::Path> = self.derives.iter().filter_map(|derive| syn::parse_str(derive).ok()).collect();
            // Struct definitions written as text carry their derives in the text.
            add_derives(super::written_items::expand(tokens), &derives)
        } else {
            tokens
        };
        match &self.runtime {
            // Items written as text name the default path, in a layout made for its width.
            Some(text) => match syn::parse_str::<syn::Path>(text) {
                Ok(path) => replace_runtime_path(super::written_items::expand(tokens), &path.to_token_stream(), text),
                Err(_) => tokens,
            },
            None => tokens,
        }
    }
}

/// Every schema type implements serde's two traits already, most of them by hand rather than by
/// derive, so asking for them again is asking for what is there; deriving them would not compile.
/// Only serde's are meant: `rkyv::Serialize` is another trait.
const ALREADY_IMPLEMENTED: [&str; 6] =
    ["Serialize", "serde::Serialize", "::serde::Serialize", "Deserialize", "serde::Deserialize", "::serde::Deserialize"];

/// Each derive as canonical text (`schemars :: JsonSchema` → `schemars::JsonSchema`), leaving
/// out serde's, which every schema type implements already.
fn parse_derives(derives: &[String]) -> Result<Vec<String>, String> {
    let mut parsed = Vec::with_capacity(derives.len());
    for derive in derives {
        match syn::parse_str::<syn::Path>(derive.trim()) {
            Ok(path) => parsed.push(path.to_token_stream().to_string().replace(' ', "")),
            Err(_) => return Err(format!("extra derive `{derive}` is not a path such as `Eq` or `schemars::JsonSchema`")),
        }
    }
    parsed.retain(|derive| !ALREADY_IMPLEMENTED.contains(&derive.as_str()));
    Ok(parsed)
}

fn parse_runtime_path(path: &str) -> Result<Option<String>, String> {
    let text = path.trim();
    let parsed = syn::parse_str::<syn::Path>(text)
        .map_err(|_| format!("runtime path `{path}` is not a path such as `::oas_runtime` or `my_platform::oas_runtime`"))?;
    if parsed.segments.iter().any(|segment| !segment.arguments.is_none()) {
        return Err(format!("runtime path `{path}` has generic arguments; it must name a crate or module"));
    }
    let canonical = parsed.to_token_stream().to_string().replace(' ', "");
    Ok((canonical != DEFAULT_RUNTIME_PATH).then_some(canonical))
}

/// Appends `derives` to every top-level `#[derive(...)]` of `tokens` (the types module gives each
/// struct and enum exactly one). A derive already in the list, compared by its last segment, is
/// not repeated: `Eq` and `::std::cmp::Eq` derive the same trait, and twice does not compile.
fn add_derives(tokens: TokenStream, derives: &[syn::Path]) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        let extended = match (&tree, out.last()) {
            (TokenTree::Group(group), Some(TokenTree::Punct(hash))) if hash.as_char() == '#' && group.delimiter() == Delimiter::Bracket => {
                extend_derive(group, derives)
            }
            _ => None,
        };
        out.push(extended.map(TokenTree::Group).unwrap_or(tree));
    }
    out.into_iter().collect()
}

/// The attribute `[derive(...)]` with `derives` added, or `None` for any other attribute.
fn extend_derive(attribute: &Group, derives: &[syn::Path]) -> Option<Group> {
    let mut inner = attribute.stream().into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(list)), None) = (inner.next(), inner.next(), inner.next()) else { return None };
    if name != "derive" || list.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    let existing: Vec<String> = list
        .stream()
        .into_iter()
        .filter_map(|tree| match tree {
            TokenTree::Ident(ident) => Some(ident.to_string()),
            _ => None,
        })
        .collect();
    let mut stream: Vec<TokenTree> = list.stream().into_iter().collect();
    for derive in derives {
        let last = derive.segments.last().map(|segment| segment.ident.to_string()).unwrap_or_default();
        if existing.contains(&last) {
            continue;
        }
        if stream.last().is_some_and(|tree| !matches!(tree, TokenTree::Punct(punct) if punct.as_char() == ',')) {
            stream.extend(quote::quote!(,));
        }
        stream.extend(derive.to_token_stream());
    }
    let stream: TokenStream = stream.into_iter().collect();
    let mut list = Group::new(Delimiter::Parenthesis, stream);
    list.set_span(attribute.span());
    let mut attribute = Group::new(Delimiter::Bracket, quote::quote!(#name #list));
    attribute.set_span(list.span());
    Some(attribute)
}

/// Rewrites every `::oas_runtime` path prefix to `runtime`, in paths and in the serde attributes
/// that name a function by a string (`with = "::oas_runtime::double_option"`).
///
/// The pair `::` `oas_runtime` always starts a runtime path: nothing else generated is named
/// `oas_runtime` (type and variant names are CamelCase; fields never follow `::`). A string is
/// rewritten only as the value of `with`, so text from the document (a renamed wire value, a
/// description) is never changed.
fn replace_runtime_path(tokens: TokenStream, runtime: &TokenStream, runtime_text: &str) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut index = 0;
    while index < trees.len() {
        match &trees[index] {
            TokenTree::Punct(first) if first.as_char() == ':' && first.spacing() == Spacing::Joint => {
                let rest = (trees.get(index + 1), trees.get(index + 2));
                if let (Some(TokenTree::Punct(second)), Some(TokenTree::Ident(name))) = rest {
                    if second.as_char() == ':' && name == "oas_runtime" {
                        out.extend(runtime.clone());
                        index += 3;
                        continue;
                    }
                }
                out.push(trees[index].clone());
            }
            TokenTree::Group(group) => {
                let mut replaced = Group::new(group.delimiter(), replace_runtime_path(group.stream(), runtime, runtime_text));
                replaced.set_span(group.span());
                out.push(TokenTree::Group(replaced));
            }
            TokenTree::Literal(literal) if index >= 2 && names_a_function(&trees[index - 2], &trees[index - 1]) => {
                out.push(TokenTree::Literal(replace_in_literal(literal, runtime_text)));
            }
            other => out.push(other.clone()),
        }
        index += 1;
    }
    out.into_iter().collect()
}

/// `with =`: the start of a serde attribute whose string is a path.
fn names_a_function(key: &TokenTree, equals: &TokenTree) -> bool {
    matches!((key, equals), (TokenTree::Ident(key), TokenTree::Punct(equals)) if key == "with" && equals.as_char() == '=')
}

fn replace_in_literal(literal: &proc_macro2::Literal, runtime_text: &str) -> proc_macro2::Literal {
    let Ok(string) = syn::parse_str::<syn::LitStr>(&literal.to_string()) else { return literal.clone() };
    let Some(rest) = string.value().strip_prefix("::oas_runtime::").map(str::to_string) else { return literal.clone() };
    let mut replaced = proc_macro2::Literal::string(&format!("{runtime_text}::{rest}"));
    replaced.set_span(literal.span());
    replaced
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn apply(derives: &[&str], runtime: &str, tokens: TokenStream) -> String {
        let derives: Vec<String> = derives.iter().map(|derive| derive.to_string()).collect();
        Customization::new(&derives, runtime).unwrap().apply(tokens, true).to_string().replace(' ', "")
    }

    #[test]
    fn derives_are_added_once_each_to_every_derive_list() {
        let tokens = quote! {
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub struct A;
            #[serde(rename = "x")]
            #[derive(Debug)]
            pub enum B {}
        };
        let text = apply(&["Eq", " Hash", "schemars::JsonSchema"], DEFAULT_RUNTIME_PATH, tokens);
        assert_eq!(
            text,
            "#[derive(Debug,Clone,PartialEq,Eq,Hash,schemars::JsonSchema)]pubstructA;\
             #[serde(rename=\"x\")]#[derive(Debug,Eq,Hash,schemars::JsonSchema)]pubenumB{}"
        );
    }

    #[test]
    fn serdes_traits_are_not_derived_again_and_other_crates_traits_of_the_same_name_are() {
        let tokens = quote! {
            #[derive(Debug, Clone, PartialEq)]
            pub struct A;
        };
        let asked = ["Serialize", "serde::Deserialize", ":: serde :: Serialize", "rkyv::Serialize", "Eq"];
        let text = apply(&asked, DEFAULT_RUNTIME_PATH, tokens.clone());
        assert_eq!(text, "#[derive(Debug,Clone,PartialEq,rkyv::Serialize,Eq)]pubstructA;");
        assert!(Customization::new(&["serde::Serialize".into()], DEFAULT_RUNTIME_PATH).unwrap().is_default());
    }

    #[test]
    fn the_runtime_path_is_rewritten_in_paths_and_with_strings_only() {
        let tokens = quote! {
            #[serde(with = "::oas_runtime::double_option", rename = "::oas_runtime::value")]
            pub field: ::oas_runtime::DateTime,
        };
        let text = apply(&[], "crate::rt", tokens);
        assert_eq!(text, "#[serde(with=\"crate::rt::double_option\",rename=\"::oas_runtime::value\")]pubfield:crate::rt::DateTime,");
    }

    #[test]
    fn bad_paths_are_refused_with_their_text() {
        let error = Customization::new(&["Eq Hash".into()], DEFAULT_RUNTIME_PATH).err().unwrap();
        assert_eq!(error, "extra derive `Eq Hash` is not a path such as `Eq` or `schemars::JsonSchema`");
        for path in ["", "oas runtime", "rt::<u8>", "Vec<u8>"] {
            let error = Customization::new(&[], path).err().unwrap();
            assert!(error.starts_with(&format!("runtime path `{path}`")), "{path}: {error}");
        }
        assert!(Customization::new(&[], " :: oas_runtime ").unwrap().is_default());
    }
}
