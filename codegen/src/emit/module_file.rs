//! The whole generated API as one module file, for build scripts (`include!` from `OUT_DIR`).
//!
//! `include!` parses the file as a sequence of items, so the file must not start with inner
//! attributes or inner doc comments. The layout of a generated crate is therefore folded into
//! inline modules (`pub mod types { #![allow(...)] ... }`), where inner attributes are allowed, and
//! what a crate keeps in `lib.rs` (the re-exports and the embedded document) sits at the top level.
//! The modules already name each other with `super::` paths, so the file works inside any parent
//! module, including the crate root.
//!
//! The module bodies are the same text the crate layout writes (`crate_files`), parsed back, so
//! the two layouts cannot drift apart.

use proc_macro2::{Group, Literal, Spacing, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use serde_json::Value;
use syn::punctuated::Punctuated;

use super::crate_files::{document_file, operations_file, server_file, types_file};
use super::format_file;
use crate::ir::Model;

/// How the generated code names the runtime crate unless told otherwise.
pub const DEFAULT_RUNTIME_PATH: &str = "::oas_runtime";

/// Which parts of the API go into the module file, and how they are adjusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The schema types (`types`) and the per-operation request and response types
    /// (`operations`). Always generated: the server and client name them, and so does the
    /// handler code a user writes. The field is here so that a caller states it; `false` is
    /// treated as `true`.
    pub types: bool,
    /// The axum server (`server`): one trait per operation, `Handlers`, `router`. The crate that
    /// includes the file needs `oas-runtime` with its `server` feature.
    pub server: bool,
    /// The reqwest client (`client::Client`). The crate that includes the file needs
    /// `oas-runtime` with its `client` feature.
    pub client: bool,
    /// Derive paths added to every schema type (`Eq`, `Hash`, `schemars::JsonSchema`). They
    /// apply to all of them, so they must fit all of them: `Eq` and `Hash` fail to compile on a
    /// type that holds an `f64` or a `serde_json::Value`. A derive a type already has (compared by
    /// the last path segment) is not repeated. The per-operation request and response types get
    /// none: they carry runtime types (bytes, headers) and are never serialized.
    pub extra_derives: Vec<String>,
    /// The path generated code uses for the runtime crate, [`DEFAULT_RUNTIME_PATH`] unless the
    /// runtime is reached through a re-export (`my_platform::oas_runtime`).
    pub runtime_path: String,
}

impl Default for Parts {
    fn default() -> Self {
        Parts { types: true, server: false, client: false, extra_derives: Vec::new(), runtime_path: DEFAULT_RUNTIME_PATH.to_string() }
    }
}

/// Checks the options that come from the user (derive and runtime paths), so a caller can refuse
/// them before doing any work. [`module_file`] refuses them with the same messages.
pub fn check_parts(parts: &Parts) -> Result<(), String> {
    parse_derives(&parts.extra_derives)?;
    parse_runtime_path(&parts.runtime_path)?;
    Ok(())
}

/// The module file: formatted Rust, items only, ending with the embedded document.
pub fn module_file(model: &Model, root: &Value, parts: &Parts) -> Result<String, String> {
    let derives = parse_derives(&parts.extra_derives)?;
    let runtime = parse_runtime_path(&parts.runtime_path)?;

    let mut types = parse_module(&types_file(model)?, "types")?;
    add_derives(&mut types.items, &derives);
    let operations = parse_module(&operations_file(model)?, "operations")?;
    let types = module_tokens("types", &types);
    let operations = module_tokens("operations", &operations);
    let server = match parts.server {
        true => Some(module_tokens("server", &parse_module(&server_file(model)?, "server")?)),
        false => None,
    };
    let client = parts.client.then(|| {
        let client = super::client::emit_client(model);
        quote!(pub mod client { #client })
    });
    // A glob re-export of an empty module imports nothing and only draws a lint.
    let reexport_types = (!model.space.types.is_empty()).then(|| {
        quote!(
            pub use types::*;
        )
    });
    let mut tokens = quote! {
        #types
        #operations
        #client
        #server
        #reexport_types
        pub use operations::*;
    };
    if let Some((path, text)) = &runtime {
        tokens = replace_runtime_path(tokens, path, text);
    }
    let mut text = separate_nested_items(&format_file(tokens)?);
    text.push('\n');
    text.push_str(&document_items(root));
    Ok(text)
}

/// Reads back a module file written for the crate layout (inner docs, inner attributes, items).
fn parse_module(text: &str, name: &str) -> Result<syn::File, String> {
    syn::parse_file(text).map_err(|error| format!("internal error: the generated `{name}` module does not parse: {error}"))
}

fn module_tokens(name: &str, file: &syn::File) -> TokenStream {
    let name = syn::Ident::new(name, proc_macro2::Span::call_site());
    let attrs = &file.attrs;
    let items = &file.items;
    quote!(pub mod #name { #( #attrs )* #( #items )* })
}

/// The embedded document as the crate layout writes it, minus its inner doc comment, which
/// `include!` would refuse at the top level. Written after formatting, because formatting a
/// multi-megabyte literal would only cost time.
fn document_items(root: &Value) -> String {
    let text = document_file(root);
    let mut rest = text.as_str();
    while let Some(line_end) = rest.find('\n') {
        let line = &rest[..line_end];
        if !(line.starts_with("//!") || line.trim().is_empty()) {
            break;
        }
        rest = &rest[line_end + 1..];
    }
    rest.to_string()
}

fn parse_derives(derives: &[String]) -> Result<Vec<syn::Path>, String> {
    derives
        .iter()
        .map(|derive| {
            syn::parse_str::<syn::Path>(derive.trim())
                .map_err(|_| format!("extra derive `{derive}` is not a path such as `Eq` or `schemars::JsonSchema`"))
        })
        .collect()
}

/// The runtime path as tokens and as text, or `None` for the default, which needs no rewriting.
fn parse_runtime_path(path: &str) -> Result<Option<(TokenStream, String)>, String> {
    let text = path.trim();
    let parsed = syn::parse_str::<syn::Path>(text)
        .map_err(|_| format!("runtime path `{path}` is not a path such as `::oas_runtime` or `my_platform::oas_runtime`"))?;
    if parsed.segments.iter().any(|segment| !segment.arguments.is_none()) {
        return Err(format!("runtime path `{path}` has generic arguments; it must name a crate or module"));
    }
    let canonical = parsed.to_token_stream().to_string().replace(' ', "");
    Ok((canonical != DEFAULT_RUNTIME_PATH).then(|| (parsed.to_token_stream(), canonical)))
}

/// Appends `derives` to the `#[derive(...)]` of every struct and enum. Items without a derive
/// list are left alone: the type emitter gives every struct and enum one, so a type without it
/// is something else (an impl, an alias) that cannot take derives.
fn add_derives(items: &mut [syn::Item], derives: &[syn::Path]) {
    if derives.is_empty() {
        return;
    }
    for item in items {
        let attrs = match item {
            syn::Item::Struct(item) => &mut item.attrs,
            syn::Item::Enum(item) => &mut item.attrs,
            _ => continue,
        };
        let Some(attr) = attrs.iter_mut().find(|attr| attr.path().is_ident("derive")) else { continue };
        let Ok(mut list) = attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated) else { continue };
        for derive in derives {
            // `Eq` and `::std::cmp::Eq` derive the same trait; deriving it twice does not compile.
            let last = derive.segments.last().map(|segment| &segment.ident);
            if !list.iter().any(|existing| existing.segments.last().map(|segment| &segment.ident) == last) {
                list.push(derive.clone());
            }
        }
        *attr = syn::parse_quote!(#[derive(#list)]);
    }
}

/// Rewrites every `::oas_runtime` path prefix to `runtime`, in paths and in the string literals
/// that serde attributes hold paths in (`with = "::oas_runtime::double_option"`).
///
/// The emitters write the runtime only as the absolute path `::oas_runtime`, so the pair `::`
/// `oas_runtime` always starts a runtime path: nothing else generated is named `oas_runtime`
/// (type and variant names are CamelCase; fields never follow `::`). Doc text that mentions the
/// runtime is left as written.
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
            TokenTree::Literal(literal) => out.push(TokenTree::Literal(replace_in_literal(literal, runtime_text))),
            other => out.push(other.clone()),
        }
        index += 1;
    }
    out.into_iter().collect()
}

fn replace_in_literal(literal: &Literal, runtime_text: &str) -> Literal {
    let text = literal.to_string();
    if !text.contains("oas_runtime") {
        return literal.clone();
    }
    let Ok(string) = syn::parse_str::<syn::LitStr>(&text) else { return literal.clone() };
    let value = string.value();
    let Some(rest) = value.strip_prefix("::oas_runtime::") else { return literal.clone() };
    let mut replaced = Literal::string(&format!("{runtime_text}::{rest}"));
    replaced.set_span(literal.span());
    replaced
}

/// Puts a blank line between the items of each inline module, as `format_file` does for the
/// top level. Safe on formatted output: every string literal is written on one line (newlines
/// are escaped), so a line that looks like an item boundary is one.
fn separate_nested_items(text: &str) -> String {
    fn at_module_level(line: &str) -> Option<&str> {
        line.strip_prefix("    ").filter(|body| !body.starts_with(' '))
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    let mut inner_attribute_open = false;
    let mut inner_attribute_closed = false;
    for line in text.lines() {
        if let (Some(previous), Some(body)) = (previous.and_then(at_module_level), at_module_level(line)) {
            let item_ended =
                previous == "}" || previous == "};" || (!previous.starts_with(['/', '#']) && (previous.ends_with(';') || previous.ends_with("{}")));
            let starts_item = !body.is_empty() && !body.starts_with(['}', ')', ']']);
            let module_docs_ended = previous.starts_with("//!") && !body.starts_with("//!");
            if starts_item && (item_ended || module_docs_ended || (inner_attribute_closed && !body.starts_with("#!"))) {
                out.push('\n');
            }
        }
        inner_attribute_closed = false;
        if let Some(body) = at_module_level(line) {
            if body.starts_with("#![") {
                inner_attribute_open = true;
            }
            if inner_attribute_open && body.ends_with(")]") {
                inner_attribute_open = false;
                inner_attribute_closed = true;
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;
    use crate::lower::{lower, TypeOptions};

    const PETSTORE: &str = r#"
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the pet
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: [string, 'null']}
        born: {type: string, format: date-time}
        nickname: {type: ['string', 'null']}
    Kind:
      type: string
      enum: [cat, dog]
"#;

    fn generate(text: &str, parts: &Parts) -> Result<String, String> {
        let document = load_str(text).expect("the test document loads");
        let model = lower(&document, &TypeOptions { open_enums: false });
        module_file(&model, &document.root, parts)
    }

    fn petstore(parts: &Parts) -> syn::File {
        let text = generate(PETSTORE, parts).expect("the module file is generated");
        syn::parse_file(&text).expect("the module file parses")
    }

    fn module<'f>(file: &'f syn::File, name: &str) -> &'f syn::ItemMod {
        file.items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(module) if module.ident == name => Some(module),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no module `{name}`"))
    }

    fn derives_of(file: &syn::File, type_name: &str) -> Vec<String> {
        let (_, items) = module(file, "types").content.as_ref().expect("an inline module");
        let attrs = items
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(item) if item.ident == type_name => Some(&item.attrs),
                syn::Item::Enum(item) if item.ident == type_name => Some(&item.attrs),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no type `{type_name}`"));
        let derive = attrs.iter().find(|attr| attr.path().is_ident("derive")).expect("a derive list");
        let list = derive.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated).expect("derive paths");
        list.iter().map(|path| path.to_token_stream().to_string().replace(' ', "")).collect()
    }

    #[test]
    fn the_file_holds_items_only_so_include_accepts_it() {
        let text = generate(PETSTORE, &Parts { server: true, ..Parts::default() }).unwrap();
        let file = syn::parse_file(&text).unwrap();
        assert!(file.attrs.is_empty(), "inner attributes at the top: {:?}", file.attrs.len());
        assert!(!text.lines().any(|line| line.starts_with("//!") || line.starts_with("#!")), "{text}");
        let names: Vec<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(module) => Some(module.ident.to_string()),
                syn::Item::Const(item) => Some(item.ident.to_string()),
                syn::Item::Fn(item) => Some(item.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["types", "operations", "server", "OPENAPI_JSON", "openapi_document"]);
        // Inside the modules the lints are still allowed, as in the crate layout.
        assert!(text.contains("pub mod types {\n    //!"), "{text}");
        assert!(text.contains("pub use types::*;") && text.contains("pub use operations::*;"));
    }

    #[test]
    fn the_server_and_client_are_opt_in() {
        let file = petstore(&Parts::default());
        assert!(!file.items.iter().any(|item| matches!(item, syn::Item::Mod(module) if module.ident == "server" || module.ident == "client")));
        let file = petstore(&Parts { client: true, ..Parts::default() });
        module(&file, "client");
    }

    #[test]
    fn extra_derives_are_added_to_every_schema_type_once() {
        let parts = Parts { extra_derives: vec!["Eq".into(), " Hash".into(), "schemars::JsonSchema".into()], ..Parts::default() };
        let file = petstore(&parts);
        let pet = derives_of(&file, "Pet");
        assert_eq!(&pet[pet.len() - 3..], ["Eq", "Hash", "schemars::JsonSchema"]);
        // The closed enum already derives `Eq` and `Hash`; repeating them would not compile.
        let kind = derives_of(&file, "Kind");
        assert_eq!(kind.iter().filter(|derive| *derive == "Eq").count(), 1, "{kind:?}");
        assert_eq!(kind.iter().filter(|derive| *derive == "Hash").count(), 1, "{kind:?}");
        assert!(kind.contains(&"schemars::JsonSchema".to_string()));
        // Operation types are left alone.
        let text = generate(PETSTORE, &parts).unwrap();
        let operations = text.split("pub mod operations").nth(1).unwrap().split("pub use").next().unwrap();
        assert!(!operations.contains("JsonSchema"), "{operations}");
    }

    #[test]
    fn an_extra_derive_that_is_not_a_path_is_refused() {
        let error = generate(PETSTORE, &Parts { extra_derives: vec!["Eq Hash".into()], ..Parts::default() }).unwrap_err();
        assert_eq!(error, "extra derive `Eq Hash` is not a path such as `Eq` or `schemars::JsonSchema`");
    }

    #[test]
    fn the_runtime_path_is_rewritten_in_paths_and_serde_strings() {
        let text = generate(PETSTORE, &Parts { server: true, runtime_path: "crate::rt".into(), ..Parts::default() }).unwrap();
        syn::parse_file(&text).unwrap();
        let code: String = text.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        assert!(!code.contains("::oas_runtime"), "{code}");
        assert!(code.contains("crate::rt::DateTime"), "{code}");
        assert!(code.contains("use crate::rt::server as rt;"), "{code}");
        assert!(code.contains("with = \"crate::rt::double_option\""), "{code}");
    }

    #[test]
    fn the_default_runtime_path_in_any_spelling_changes_nothing() {
        let default = generate(PETSTORE, &Parts::default()).unwrap();
        assert_eq!(generate(PETSTORE, &Parts { runtime_path: " :: oas_runtime ".into(), ..Parts::default() }).unwrap(), default);
        assert!(default.contains("::oas_runtime::DateTime"));
    }

    #[test]
    fn a_runtime_path_that_is_not_a_module_path_is_refused() {
        for path in ["", "oas runtime", "rt::<u8>", "Vec<u8>"] {
            let error = generate(PETSTORE, &Parts { runtime_path: path.into(), ..Parts::default() }).unwrap_err();
            assert!(error.starts_with(&format!("runtime path `{path}`")), "{path}: {error}");
        }
    }

    #[test]
    fn items_inside_modules_are_separated_by_blank_lines() {
        let text = generate(PETSTORE, &Parts::default()).unwrap();
        assert!(text.contains("    }\n\n    /// "), "{text}");
        assert!(!text.contains("\n\n\n"), "{text}");
    }

    #[test]
    fn the_embedded_document_is_the_input() {
        let file = petstore(&Parts::default());
        let constant = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Const(item) if item.ident == "OPENAPI_JSON" => Some(item),
                _ => None,
            })
            .unwrap();
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(json), .. }) = &*constant.expr else { panic!("not a string") };
        let document = load_str(PETSTORE).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&json.value()).unwrap(), document.root);
    }
}
