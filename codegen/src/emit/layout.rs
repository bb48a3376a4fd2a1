//! The two layouts of an emitted [`Api`]: the files of a crate ([`render_crate`]) and one file
//! for a build script to `include!` ([`render_include`]). Both only wrap the modules the emitter
//! formatted, so they cannot drift apart.

use quote::quote;

use super::api::{Api, Module, ModuleName};
use super::format_file;
use crate::output::FileSet;

/// How the generated crate names its dependencies.
#[derive(Debug, Clone)]
pub enum Dependencies {
    /// A member of a workspace that declares them (`serde.workspace = true`).
    Workspace,
    /// A standalone crate; the runtime crate comes from this path or version requirement.
    Standalone {
        /// Where cargo finds `oas-runtime`.
        runtime: RuntimeSource,
    },
}

/// Where a standalone generated crate takes `oas-runtime` from.
#[derive(Debug, Clone)]
pub enum RuntimeSource {
    /// A folder holding the crate, written as it is (`oas-runtime = { path = "..." }`), so cargo
    /// reads a relative one from the generated crate's folder.
    Path(String),
    /// A version requirement for the package registry (`oas-runtime = "0.1"`).
    Version(String),
}

/// What a generated crate is called and how it is labelled.
#[derive(Debug, Clone)]
pub struct CrateConfig {
    /// The package name in `Cargo.toml`.
    pub name: String,
    /// The first line of every generated file, as plain text (written as a comment).
    pub header: String,
    /// How `Cargo.toml` names the dependencies of the generated code.
    pub dependencies: Dependencies,
}

/// The files of a crate: `Cargo.toml`, `src/lib.rs`, one file per module, the embedded
/// document and the reference pages. [`crate_files`] is the same without the copy.
pub fn render_crate(api: &Api, config: &CrateConfig) -> Result<FileSet, String> {
    crate_files(api.clone(), config)
}

/// [`render_crate`], moving the text of `api` into the files: a large API's modules, pages and
/// embedded document are as large as its document, and holding them twice was a fifth of the
/// peak memory of a generation.
pub fn crate_files(api: Api, config: &CrateConfig) -> Result<FileSet, String> {
    let header = comment_header(&config.header);
    let mut files = FileSet::new();
    files.insert("Cargo.toml".into(), manifest(config, &api));
    files.insert("src/lib.rs".into(), format!("{header}{}", library_root(&api)?));
    let Api { modules, document, docs, .. } = api;
    for module in modules {
        let stem = module.name.as_str();
        let declarations = submodule_declarations(&module, false)?;
        let Module { text, submodules, .. } = module;
        let mut text = headed(&[&header], text);
        text.push_str(&declarations);
        files.insert(format!("src/{stem}.rs"), text);
        for submodule in submodules {
            files.insert(format!("src/{stem}/{}.rs", submodule.name), headed(&[&header], submodule.text));
        }
    }
    files.insert("src/openapi_document.rs".into(), headed(&[&header, "//! The OpenAPI document this crate was generated from.\n\n"], document));
    files.extend(docs);
    Ok(files)
}

/// `lines` then `text`, in `text`'s own buffer: the text moves along inside it rather than being
/// copied into a new one, which for a large module or embedded document is that much fresh memory.
fn headed(lines: &[&str], mut text: String) -> String {
    let head = lines.concat();
    // Exact: the emitted text leaves room for a header, and doubling a large buffer only to
    // add a few lines would copy it.
    text.reserve_exact(head.len());
    text.insert_str(0, &head);
    text
}

/// One file of items for `include!`: each module inline (`pub mod types { ... }`), the
/// re-exports, then the embedded document. Inner docs and attributes stay inside their modules,
/// where `include!` accepts them.
pub fn render_include(api: &Api) -> String {
    let length: usize = api.modules.iter().map(|module| module.text.len() + module.text.len() / 8).sum::<usize>() + api.document.len();
    let mut out = String::with_capacity(length + 256);
    // The order of the crate's `lib.rs`, where the client comes before the server.
    let order = [ModuleName::Types, ModuleName::Operations, ModuleName::Client, ModuleName::Server, ModuleName::Webhooks];
    for module in order.iter().filter_map(|name| api.module(*name)) {
        out.push_str(&format!("pub mod {} {{\n", module.name.as_str()));
        indent(&mut out, &module.text);
        // Declarations of submodules never fail to format: they are a fixed shape.
        let declarations = submodule_declarations(module, true).unwrap_or_default();
        let mut declarations = declarations.as_str();
        for submodule in &module.submodules {
            let empty = format!("mod {} {{}}\n", submodule.name);
            let Some(at) = declarations.find(&empty) else { continue };
            indent(&mut out, &declarations[..at]);
            out.push_str(&format!("    mod {} {{\n", submodule.name));
            for line in submodule.text.lines() {
                if !line.is_empty() {
                    out.push_str("        ");
                    out.push_str(line);
                }
                out.push('\n');
            }
            out.push_str("    }\n");
            declarations = &declarations[at + empty.len()..];
        }
        indent(&mut out, declarations);
        out.push_str("}\n\n");
    }
    if api.has_types {
        out.push_str("pub use types::*;\n\n");
    }
    out.push_str("pub use operations::*;\n\n");
    out.push_str(&api.document);
    out
}

/// `text` with each line indented once. Formatted Rust writes every string literal on one line,
/// so indenting each line cannot change a literal.
fn indent(out: &mut String, text: &str) {
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// The end of a module's file that declares its submodules, each behind the `#[cfg]` of its
/// features, and re-exports their items, so that the module's names stay what they would be
/// without them. `inline` declares them with empty bodies (`mod group_1 {}`), which the include
/// layout fills with their text.
fn submodule_declarations(module: &Module, inline: bool) -> Result<String, String> {
    if module.submodules.is_empty() {
        return Ok(String::new());
    }
    let declarations = module.submodules.iter().map(|submodule| {
        let cfg = crate::features::FeatureMap::cfg(&submodule.features);
        let name = quote::format_ident!("{}", submodule.name);
        let declaration = match inline {
            true => quote!(mod #name {}),
            false => quote!(mod #name;),
        };
        quote! {
            #cfg
            #declaration
            #cfg
            pub use #name::*;
        }
    });
    Ok(format!("\n{}", format_file(quote!( #( #declarations )* ))?))
}

fn comment_header(text: &str) -> String {
    text.lines().map(|line| format!("// {line}\n")).collect::<String>() + "\n"
}

fn toml_comment_header(text: &str) -> String {
    text.lines().map(|line| format!("# {line}\n")).collect::<String>() + "\n"
}

fn manifest(config: &CrateConfig, api: &Api) -> String {
    let description = api.info.title.as_ref().map(|title| format!("Types for {title}, generated from its OpenAPI document."));
    let description = toml_string(description.as_deref().unwrap_or("Types generated from an OpenAPI document."));
    let mut text = toml_comment_header(&config.header);
    text.push_str("[package]\n");
    text.push_str(&format!("name = {}\n", toml_string(&config.name)));
    text.push_str(&format!("description = {description}\n"));
    match &config.dependencies {
        Dependencies::Workspace => {
            for key in ["edition", "license", "rust-version", "version"] {
                text.push_str(&format!("{key}.workspace = true\n"));
            }
            text.push_str("publish = false\n\n[dependencies]\n");
            for dependency in ["oas-runtime", "serde", "serde_json"] {
                text.push_str(&format!("{dependency}.workspace = true\n"));
            }
        }
        Dependencies::Standalone { runtime } => {
            text.push_str("version = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n");
            match runtime {
                RuntimeSource::Path(path) => text.push_str(&format!("oas-runtime = {{ path = {} }}\n", toml_string(path))),
                RuntimeSource::Version(version) => text.push_str(&format!("oas-runtime = {}\n", toml_string(version))),
            }
            text.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
            text.push_str("serde_json = \"1\"\n");
        }
    }
    for line in &api.dependencies {
        text.push_str(line);
        text.push('\n');
    }
    // Server and client are opt-in, so a client does not compile axum and a server not reqwest.
    text.push_str("\n[features]\ndefault = []\n");
    if api.module(ModuleName::Server).is_some() {
        text.push_str("# The axum server: `server::router`, one trait per operation.\nserver = [\"oas-runtime/server\"]\n");
    }
    if api.module(ModuleName::Client).is_some() {
        text.push_str("# The reqwest client: `client::Client`, one method per operation.\nclient = [\"oas-runtime/client\"]\n");
    }
    if !api.features.is_empty() {
        text.push_str("# One feature per tag: its operations and the types only they use. An operation belongs to its\n");
        text.push_str("# first tag, operations without one to `untagged`, schemas no operation uses to `other-schemas`.\n");
        if api.features.iter().any(|feature| feature.starts_with("tags-")) && api.features.len() > 1 {
            text.push_str("# The document has more tags than crates.io allows features: tags share one per first letter.\n");
        }
        let listed: Vec<String> = api.features.iter().map(|feature| toml_string(feature)).collect();
        text.push_str(&format!("full = [{}]\n", listed.join(", ")));
        for feature in &api.features {
            text.push_str(&format!("{feature} = []\n"));
        }
    }
    text
}

/// A TOML basic string with everything that could end it escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn library_root(api: &Api) -> Result<String, String> {
    let title = api.info.title.as_deref().unwrap_or("the API");
    let mut text = format!("Types for {title}");
    if let Some(version) = &api.info.version {
        text.push_str(&format!(" (version {version})"));
    }
    text.push_str(", generated from its OpenAPI document.");
    if let Some(description) = &api.info.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    let crate_docs: Vec<String> = crate::doc_text::doc_lines(&text);
    let reexport_types = api.has_types.then(|| {
        // With a feature per tag, every type may be configured out.
        let allow = (!api.features.is_empty()).then(|| quote!(#[allow(unused_imports)]));
        quote!(
            #allow
            pub use types::*;
        )
    });
    let declare = |name: ModuleName| {
        api.module(name).map(|_| {
            let ident = quote::format_ident!("{}", name.as_str());
            let gate = name.feature().map(|feature| quote!(#[cfg(feature = #feature)]));
            quote! {
                #gate
                #[rustfmt::skip]
                pub mod #ident;
            }
        })
    };
    let modules = [ModuleName::Operations, ModuleName::Client, ModuleName::Server, ModuleName::Types, ModuleName::Webhooks].map(declare);
    let tokens = quote! {
        #( #![doc = #crate_docs] )*

        mod openapi_document;
        #( #modules )*

        pub use openapi_document::{openapi_document, OPENAPI_JSON};
        pub use operations::*;
        #reexport_types
    };
    format_file(tokens)
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use syn::punctuated::Punctuated;

    use crate::generate::{generate, Options};
    use crate::load::load_str;

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
webhooks:
  petAdopted:
    post:
      operationId: petAdopted
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '204': {description: received}
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
    Labels:
      type: object
      properties:
        note: {type: [string, 'null']}
      additionalProperties: {type: string}
    Kind:
      type: string
      enum: [cat, dog]
"#;

    /// The include file for `PETSTORE` with `options`; server and client are off unless set.
    fn include(options: Options) -> Result<String, String> {
        let document = load_str(PETSTORE).expect("the test document loads");
        generate(&document, &Options { docs: false, ..options }).map(|generated| generated.render_include()).map_err(|error| error.to_string())
    }

    fn parts(server: bool, client: bool) -> Options {
        Options { server, client, ..Options::default() }
    }

    fn parsed(options: Options) -> syn::File {
        syn::parse_file(&include(options).expect("the include file is generated")).expect("the include file parses")
    }

    fn module<'f>(file: &'f syn::File, name: &str) -> Option<&'f syn::ItemMod> {
        file.items.iter().find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => Some(module),
            _ => None,
        })
    }

    fn derives_of(file: &syn::File, type_name: &str) -> Vec<String> {
        let (_, items) = module(file, "types").and_then(|types| types.content.as_ref()).expect("an inline types module");
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
    fn the_include_file_holds_items_only_with_every_module_of_the_crate() {
        let text = include(parts(true, true)).unwrap();
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
        assert_eq!(names, ["types", "operations", "client", "server", "webhooks", "OPENAPI_JSON", "openapi_document"]);
        // Inside the modules the lints are still allowed, as in the crate layout.
        assert!(text.contains("pub mod types {\n    //!"), "{text}");
        assert!(text.contains("pub use types::*;") && text.contains("pub use operations::*;"));
        assert!(text.contains("    }\n\n    /// "), "items inside modules are separated: {text}");
        assert!(!text.contains("\n\n\n"), "{text}");
    }

    #[test]
    fn the_server_and_client_are_opt_in() {
        let file = parsed(parts(false, false));
        for name in ["server", "client", "webhooks"] {
            assert!(module(&file, name).is_none(), "{name}");
        }
        assert!(module(&parsed(parts(false, true)), "client").is_some());
        let server = parsed(parts(true, false));
        assert!(module(&server, "server").is_some() && module(&server, "webhooks").is_some());
    }

    #[test]
    fn extra_derives_are_added_to_every_schema_type_once() {
        let derives = vec!["Eq".to_string(), " Hash".into(), "schemars::JsonSchema".into()];
        let file = parsed(Options { extra_derives: derives.clone(), open_enums: false, ..parts(false, false) });
        let pet = derives_of(&file, "Pet");
        assert_eq!(&pet[pet.len() - 3..], ["Eq", "Hash", "schemars::JsonSchema"]);
        // The closed enum already derives `Eq` and `Hash`; repeating them would not compile.
        let kind = derives_of(&file, "Kind");
        assert_eq!(kind.iter().filter(|derive| *derive == "Eq").count(), 1, "{kind:?}");
        assert_eq!(kind.iter().filter(|derive| *derive == "Hash").count(), 1, "{kind:?}");
        assert!(kind.contains(&"schemars::JsonSchema".to_string()));
        // Operation types are left alone.
        let text = include(Options { extra_derives: derives, ..parts(false, false) }).unwrap();
        let operations = text.split("pub mod operations").nth(1).unwrap().split("pub use").next().unwrap();
        assert!(!operations.contains("JsonSchema"), "{operations}");
    }

    #[test]
    fn an_extra_derive_that_is_not_a_path_is_refused() {
        let error = include(Options { extra_derives: vec!["Eq Hash".into()], ..parts(false, false) }).unwrap_err();
        assert_eq!(error, "extra derive `Eq Hash` is not a path such as `Eq` or `schemars::JsonSchema`");
    }

    #[test]
    fn the_runtime_path_is_rewritten_in_paths_and_serde_strings() {
        let text = include(Options { runtime_path: "crate::rt".into(), ..parts(true, true) }).unwrap();
        syn::parse_file(&text).unwrap();
        let code: String = text.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        assert!(!code.contains("::oas_runtime"), "{code}");
        assert!(code.contains("crate::rt::DateTime"), "{code}");
        assert!(code.contains("use crate::rt::server as rt;"), "{code}");
        assert!(code.contains("with = \"crate::rt::double_option\""), "{code}");
        assert!(code.contains("crate::rt::object::write_nullable(&mut state, \"nickname\""), "{code}");
    }

    #[test]
    fn the_default_runtime_path_in_any_spelling_changes_nothing() {
        let default = include(parts(true, true)).unwrap();
        assert_eq!(include(Options { runtime_path: " :: oas_runtime ".into(), ..parts(true, true) }).unwrap(), default);
        assert!(default.contains("::oas_runtime::DateTime"));
    }

    /// With a feature per tag the crate puts each feature's items in files of their own; the
    /// include file holds the same text in inline modules, under the same `#[cfg]`s.
    #[test]
    fn submodules_are_files_in_the_crate_and_inline_in_the_include_file() {
        let document = load_str(PETSTORE).unwrap();
        let generated = generate(&document, &Options { features_per_tag: true, ..Options::default() }).unwrap();
        let config = super::CrateConfig { name: "pets".into(), header: "test".into(), dependencies: super::Dependencies::Workspace };
        let files = generated.render_crate(&config).unwrap();
        let include = generated.render_include();
        syn::parse_file(&include).expect("the include file parses");
        let submodules: Vec<&String> = files.keys().filter(|path| path.starts_with("src/types/") || path.starts_with("src/operations/")).collect();
        assert!(submodules.len() >= 2, "{submodules:?}");
        for path in submodules {
            let (module, file) = path.trim_start_matches("src/").split_once('/').unwrap();
            let group = file.trim_end_matches(".rs");
            let parent = &files[&format!("src/{module}.rs")];
            let declared = parent.find(&format!("mod {group};\n")).expect("a declaration");
            let gate = &parent[parent[..declared].rfind("\n\n").unwrap() + 2..declared];
            assert!(gate.starts_with("#[cfg(feature = \""), "{gate}");
            assert!(parent.contains(&format!("{gate}mod {group};\n\n{gate}pub use {group}::*;\n")), "{parent}");
            let body = files[path].strip_prefix("// test\n\n").expect("the header comes first");
            assert!(body.contains("#[allow(unused_imports)]\nuse super::*;\n"), "{body}");
            let indented: String = body.lines().map(|line| if line.is_empty() { "\n".to_string() } else { format!("        {line}\n") }).collect();
            assert!(include.contains(&format!("    {gate}    mod {group} {{\n{indented}    }}\n")), "{path} in\n{include}");
        }
    }

    #[test]
    fn the_crate_and_the_include_file_hold_the_same_modules() {
        let document = load_str(PETSTORE).unwrap();
        let generated = generate(&document, &Options::default()).unwrap();
        let config = super::CrateConfig { name: "pets".into(), header: "test".into(), dependencies: super::Dependencies::Workspace };
        let files = generated.render_crate(&config).unwrap();
        let include = generated.render_include();
        for name in ["types", "operations", "client", "server", "webhooks"] {
            let file = &files[&format!("src/{name}.rs")];
            let body = file.strip_prefix("// test\n\n").expect("the header comes first");
            let indented: String = body.lines().map(|line| if line.is_empty() { "\n".to_string() } else { format!("    {line}\n") }).collect();
            assert!(include.contains(&format!("pub mod {name} {{\n{indented}}}\n")), "{name}");
        }
        assert!(files["Cargo.toml"].contains("server = [\"oas-runtime/server\"]"));
        assert!(files["src/lib.rs"].contains("#[cfg(feature = \"server\")]\n#[rustfmt::skip]\npub mod webhooks;"), "{}", files["src/lib.rs"]);
        assert!(files.keys().any(|path| path.starts_with("docs/")));
    }

    #[test]
    fn the_embedded_document_is_the_input() {
        let file = parsed(parts(false, false));
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
        assert_eq!(serde_json::from_str::<serde_json::Value>(&json.value()).unwrap(), document.root);
    }
}
