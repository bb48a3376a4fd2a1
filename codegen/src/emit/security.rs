//! Security requirements as constants in the operations module, one per distinct set of
//! alternatives the document's operations use, which the server's handlers and the client's
//! methods both name instead of spelling the schemes out per operation.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::lower::operations::{Location, Operation, SchemeKind};
use crate::lower::Model;
use crate::naming::Namer;

/// A name longer than this is replaced by a numbered one.
const LONGEST_NAME: usize = 64;

/// The constants, in the order the requirements first appear.
pub fn requirement_consts(model: &Model) -> TokenStream {
    let names = const_names(model);
    let consts = model.security_requirements.iter().zip(&names).map(|(requirement, name)| {
        let name = format_ident!("{}", name);
        let schemes = schemes(model, requirement);
        let described: Vec<String> = requirement
            .iter()
            .map(|alternative| match alternative.as_slice() {
                [] => "no credentials".to_string(),
                names => names.iter().map(|name| format!("`{}`", name.replace('`', "'"))).collect::<Vec<_>>().join(" and "),
            })
            .collect();
        let doc = format!(" Credentials the operations that name it accept: {}.", described.join(", or "));
        quote! {
            #[doc = #doc]
            pub const #name: &[&[::oas_runtime::security::Scheme]] = #schemes;
        }
    });
    quote!( #( #consts )* )
}

/// The operation's requirement as an expression: the constant's path, or an empty list.
pub fn requirement_of(model: &Model, operation: &Operation) -> TokenStream {
    let Some(index) = model.security_requirements.iter().position(|requirement| requirement == &operation.security) else {
        return quote!(&[]);
    };
    let name = format_ident!("{}", const_names(model).swap_remove(index));
    quote!(super::#name)
}

/// The constants' names: the schemes' names, alternatives joined by `OR` and schemes required
/// together by `AND`.
fn const_names(model: &Model) -> Vec<String> {
    let scheme_names = scheme_identifiers(model);
    let mut namer = Namer::new();
    model
        .security_requirements
        .iter()
        .enumerate()
        .map(|(index, requirement)| {
            let alternatives: Vec<String> = requirement
                .iter()
                .map(|alternative| {
                    let schemes: Vec<&str> = alternative
                        .iter()
                        .map(|name| {
                            model.security_schemes.iter().position(|scheme| &scheme.name == name).map_or("UNKNOWN", |found| &scheme_names[found])
                        })
                        .collect();
                    if schemes.is_empty() {
                        "NONE".to_string()
                    } else {
                        schemes.join("_AND_")
                    }
                })
                .collect();
            let wanted = format!("SECURITY_{}", alternatives.join("_OR_"));
            namer.unique(if wanted.len() <= LONGEST_NAME { wanted } else { format!("SECURITY_{}", index + 1) })
        })
        .collect()
}

/// Each scheme's name in capitals, ASCII only; a name that comes out empty or the same as an
/// earlier one's gets its position instead.
fn scheme_identifiers(model: &Model) -> Vec<String> {
    let mut seen = Namer::new();
    model
        .security_schemes
        .iter()
        .enumerate()
        .map(|(index, scheme)| {
            let ascii: String = scheme.name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
            let shouted = ascii.to_shouty_snake_case();
            if shouted.is_empty() || shouted.contains("_OR_") || shouted.contains("_AND_") || shouted == "NONE" {
                return seen.unique(format!("SCHEME_{}", index + 1));
            }
            seen.unique(shouted)
        })
        .collect()
}

/// The requirement as `Scheme` values; schemes code cannot apply (mutual TLS, unusual HTTP
/// schemes) are left to the transport.
fn schemes(model: &Model, requirement: &[Vec<String>]) -> TokenStream {
    let alternatives = requirement.iter().map(|alternative| {
        let schemes = alternative.iter().filter_map(|name| model.security_schemes.iter().find(|scheme| &scheme.name == name)).filter_map(|scheme| {
            let scheme_name = &scheme.name;
            match &scheme.kind {
                SchemeKind::Bearer => Some(quote!(::oas_runtime::security::Scheme::Bearer { scheme: #scheme_name })),
                SchemeKind::Basic => Some(quote!(::oas_runtime::security::Scheme::Basic { scheme: #scheme_name })),
                SchemeKind::ApiKey { location, parameter } => {
                    let location = match location {
                        Location::Path => quote!(Path),
                        Location::Query => quote!(Query),
                        Location::Header => quote!(Header),
                        Location::Cookie => quote!(Cookie),
                    };
                    Some(quote!(::oas_runtime::security::Scheme::ApiKey {
                        scheme: #scheme_name,
                        location: ::oas_runtime::style::Location::#location,
                        name: #parameter,
                    }))
                }
                SchemeKind::Other => None,
            }
        });
        quote!(&[ #( #schemes ),* ])
    });
    quote!(&[ #( #alternatives ),* ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::{lower, TypeOptions};

    fn model(schemes: &str, operations: &str) -> Model {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}},
                "components": {{"securitySchemes": {schemes}}}, "paths": {operations}}}"#
        );
        lower(&crate::load::load_str(&text).unwrap(), &TypeOptions::default())
    }

    #[test]
    fn each_distinct_requirement_gets_one_named_constant() {
        let model = model(
            r#"{"api-key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "oauth": {"type": "oauth2", "flows": {}},
                "b or c": {"type": "http", "scheme": "basic"}}"#,
            r#"{"/a": {"get": {"security": [{"api-key": []}, {"oauth": []}], "responses": {"204": {"description": "ok"}}},
                       "put": {"security": [{"api-key": []}, {"oauth": []}], "responses": {"204": {"description": "ok"}}},
                       "post": {"security": [{"api-key": [], "oauth": []}, {}], "responses": {"204": {"description": "ok"}}},
                       "patch": {"security": [{"b or c": []}], "responses": {"204": {"description": "ok"}}},
                       "delete": {"responses": {"204": {"description": "ok"}}}}}"#,
        );
        assert_eq!(const_names(&model), ["SECURITY_API_KEY_OR_OAUTH", "SECURITY_API_KEY_AND_OAUTH_OR_NONE", "SECURITY_SCHEME_3"]);
        let paths: Vec<String> = model.operations.iter().map(|operation| requirement_of(&model, operation).to_string()).collect();
        assert_eq!(
            paths,
            [
                "super :: SECURITY_API_KEY_OR_OAUTH",
                "super :: SECURITY_API_KEY_OR_OAUTH",
                "super :: SECURITY_API_KEY_AND_OAUTH_OR_NONE",
                "& []",
                "super :: SECURITY_SCHEME_3"
            ]
        );
        let consts = requirement_consts(&model).to_string();
        assert_eq!(consts.matches("pub const").count(), 3, "{consts}");
    }
}
