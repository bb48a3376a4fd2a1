//! Security requirements as constants in the operations module, one per distinct set of
//! alternatives the document's operations use, which the server's handlers and the client's
//! methods both name instead of spelling the schemes out per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Model;
use crate::ir::{Location, Operation, SchemeKind};

/// The constants, in the order the requirements first appear.
pub fn requirement_consts(model: &Model) -> TokenStream {
    let consts = model.security_requirements.iter().map(|requirement| {
        let name = format_ident!("{}", requirement.const_name);
        let schemes = schemes(model, &requirement.alternatives);
        let described: Vec<String> = requirement
            .alternatives
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
    match requirement_const(model, operation) {
        Some(name) => {
            let name = format_ident!("{name}");
            quote!(super::#name)
        }
        None => quote!(&[]),
    }
}

/// [`requirement_of`] as the text prettyplease prints for it, for the writers that skip tokens.
pub fn requirement_text(model: &Model, operation: &Operation) -> String {
    match requirement_const(model, operation) {
        Some(name) => format!("super::{name}"),
        None => "&[]".to_string(),
    }
}

/// The name of the constant holding the operation's requirement; `None` when it needs none.
fn requirement_const<'m>(model: &'m Model, operation: &Operation) -> Option<&'m str> {
    let requirement = model.security_requirements.iter().find(|requirement| requirement.alternatives == operation.security)?;
    Some(&requirement.const_name)
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
        let names: Vec<&str> = model.security_requirements.iter().map(|requirement| requirement.const_name.as_str()).collect();
        assert_eq!(names, ["SECURITY_API_KEY_OR_OAUTH", "SECURITY_API_KEY_AND_OAUTH_OR_NONE", "SECURITY_SCHEME_3"]);
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
        let texts: Vec<String> = model.operations.iter().map(|operation| requirement_text(&model, operation)).collect();
        let printed: Vec<String> = paths.iter().map(|path| path.replace(' ', "")).collect();
        assert_eq!(texts, printed);
        let consts = requirement_consts(&model).to_string();
        assert_eq!(consts.matches("pub const").count(), 3, "{consts}");
    }
}
