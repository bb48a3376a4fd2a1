//! The attribute's arguments: `spec = "path"`, `api = path`, `unimplemented(a, "b")`, `partial`.
//!
//! The macro reads only names from the document: operationIds, handler names, and the names of
//! each operation's trait, request and response types. No generation option changes those
//! (`open_enums` and `extra_derives` change what a schema type derives and holds, not what it or
//! any operation type is called), so the macro takes none of them and lowers the document with
//! the defaults, whatever the build script or `oas generate` chose.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Path, Token};

pub struct Args {
    /// The document, relative to the directory of the compiled crate's `Cargo.toml`.
    pub spec: LitStr,
    /// Where the generated types and the `server` module live.
    pub api: Path,
    /// Operations the router answers with 501 Not Implemented.
    pub unimplemented: Vec<Listed>,
    /// The block holds only some of the handlers, so missing ones are not reported here.
    pub partial: bool,
}

/// One operationId of `unimplemented(...)`, with where it was written for errors.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    pub span: Span,
}

const USAGE: &str = "`handlers` takes `spec = \"path/to/openapi.yaml\"`, `api = path::to::generated`, \
                     `unimplemented(operationId, ...)` and `partial`";

/// Parses the arguments, or says what is wrong at the argument that is wrong.
pub fn parse(tokens: TokenStream) -> syn::Result<Args> {
    let mut spec: Option<LitStr> = None;
    let mut api: Option<Path> = None;
    let mut unimplemented: Option<Vec<Listed>> = None;
    let mut partial: Option<Span> = None;
    let parser = syn::meta::parser(|meta| {
        let name = meta.path.get_ident().map(Ident::to_string).unwrap_or_default();
        let twice = || meta.error(format_args!("`{name}` is given twice"));
        match name.as_str() {
            "spec" => {
                if spec.is_some() {
                    return Err(twice());
                }
                spec = Some(meta.value()?.parse()?);
            }
            "api" => {
                if api.is_some() {
                    return Err(twice());
                }
                api = Some(meta.value()?.call(Path::parse_mod_style)?);
            }
            "unimplemented" => {
                if unimplemented.is_some() {
                    return Err(twice());
                }
                let content;
                syn::parenthesized!(content in meta.input);
                unimplemented = Some(Punctuated::<Listed, Token![,]>::parse_terminated_with(&content, parse_listed)?.into_iter().collect());
            }
            "partial" => {
                if partial.is_some() {
                    return Err(twice());
                }
                partial = Some(meta.path.get_ident().map_or_else(Span::call_site, Ident::span));
            }
            _ => return Err(meta.error(format_args!("unknown argument; {USAGE}"))),
        }
        Ok(())
    });
    parser.parse2(tokens)?;
    let spec = spec.ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            "`handlers` needs the OpenAPI document: `spec = \"path/to/openapi.yaml\"`, relative to the directory of this crate's Cargo.toml",
        )
    })?;
    Ok(Args {
        spec,
        api: api.unwrap_or_else(|| syn::parse_quote!(crate)),
        unimplemented: unimplemented.unwrap_or_default(),
        partial: partial.is_some(),
    })
}

/// An operationId as an identifier (`listPets`, even `type`) or, for ids that are not
/// identifiers (`pets.list`), as a string.
fn parse_listed(input: ParseStream) -> syn::Result<Listed> {
    if input.peek(LitStr) {
        let literal: LitStr = input.parse()?;
        Ok(Listed { id: literal.value(), span: literal.span() })
    } else if input.peek(Ident::peek_any) {
        let ident = Ident::parse_any(input)?;
        Ok(Listed { id: ident.unraw().to_string(), span: ident.span() })
    } else {
        Err(input.error("expected an operationId, as an identifier (`listPets`) or a string (\"pets.list\")"))
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse_ok(tokens: TokenStream) -> Args {
        match parse(tokens) {
            Ok(args) => args,
            Err(error) => panic!("unexpected error: {error}"),
        }
    }

    fn parse_err(tokens: TokenStream) -> String {
        match parse(tokens) {
            Ok(_) => panic!("expected an error"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn spec_alone_defaults_to_crate() {
        let args = parse_ok(quote!(spec = "openapi.yaml"));
        assert_eq!(args.spec.value(), "openapi.yaml");
        let api = &args.api;
        assert_eq!(quote!(#api).to_string(), quote!(crate).to_string());
        assert!(args.unimplemented.is_empty());
        assert!(!args.partial);
    }

    #[test]
    fn every_argument() {
        let args =
            parse_ok(quote!(spec = "../spec/openapi.yaml", api = ::orchestrator_api, unimplemented(abortWorkflow, "pets.list", type), partial));
        let api = &args.api;
        assert_eq!(quote!(#api).to_string(), quote!(::orchestrator_api).to_string());
        let ids: Vec<_> = args.unimplemented.iter().map(|listed| listed.id.as_str()).collect();
        assert_eq!(ids, ["abortWorkflow", "pets.list", "type"]);
        assert!(args.partial);
    }

    #[test]
    fn api_inside_this_crate() {
        let args = parse_ok(quote!(spec = "a.yaml", api = crate::api));
        let api = &args.api;
        assert_eq!(quote!(#api).to_string(), quote!(crate::api).to_string());
    }

    #[test]
    fn trailing_comma_in_list() {
        let args = parse_ok(quote!(spec = "a.yaml", unimplemented(a, b,)));
        assert_eq!(args.unimplemented.len(), 2);
    }

    #[test]
    fn mistakes() {
        assert!(parse_err(quote!()).starts_with("`handlers` needs the OpenAPI document"));
        assert!(parse_err(quote!(api = x)).starts_with("`handlers` needs the OpenAPI document"));
        assert_eq!(parse_err(quote!(spec = "a", spec = "b")), "`spec` is given twice");
        assert_eq!(parse_err(quote!(spec = "a", partial, partial)), "`partial` is given twice");
        assert!(parse_err(quote!(spec = "a", specs = "b")).starts_with("unknown argument; `handlers` takes"));
        assert!(parse_err(quote!(spec = "a", unimplemented(1))).starts_with("expected an operationId"));
        assert!(parse_err(quote!(spec = a)).contains("expected string literal"));
    }
}
