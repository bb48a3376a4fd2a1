//! Matching an impl block's methods to a document's operations, and the trait impls that forward
//! to them. Everything here works on plain data, so it is tested without a compiler or a file.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ImplItem, ImplItemFn, ItemImpl, Path};

use super::args::{Args, Listed};
use super::suggest::closest;

/// What the macro needs to know about one served operation.
#[derive(Debug, Clone)]
pub struct OperationInfo {
    /// The operationId, as the document has it.
    pub id: String,
    /// The method of the operation's trait, which is also the handler's name.
    pub handler: Ident,
    /// The operation's trait in the `server` module.
    pub trait_name: Ident,
    pub request: Ident,
    pub response: Ident,
    /// Uppercase, as people write it next to a path.
    pub method: String,
    pub path: String,
}

impl OperationInfo {
    /// "`listPets` (GET /pets)", how every message names an operation.
    fn label(&self) -> String {
        format!("`{}` ({} {})", self.id, self.method, self.path)
    }
}

/// The part of the document the macro checks against.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// The path as the attribute gives it, for messages.
    pub display: String,
    pub operations: Vec<OperationInfo>,
    /// Webhooks are received by the API's consumers, so they have no handler; kept to explain a
    /// method named after one. Pairs of operationId and method name.
    pub webhooks: Vec<(String, String)>,
}

/// The impl block with the macro's attributes removed, the trait impls, and every error found.
pub struct Expansion {
    pub tokens: TokenStream,
    pub error: Option<syn::Error>,
}

/// Errors collected in the order they are found, all reported at the end (as serde_derive does),
/// so one build shows every missing handler and every typo at once.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn add(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub fn into_option(self) -> Option<syn::Error> {
        self.0
    }
}

/// Removes `#[oas(...)]` from the block's methods and reports which are helpers; a method the
/// macro cannot classify is an error and counts as a helper, so it gets no second error.
pub fn strip_attributes(item: &mut ItemImpl, errors: &mut Errors) -> Vec<bool> {
    let mut helpers = Vec::new();
    for impl_item in &mut item.items {
        let ImplItem::Fn(function) = impl_item else { continue };
        let mut helper = false;
        let mut kept = Vec::with_capacity(function.attrs.len());
        for attribute in std::mem::take(&mut function.attrs) {
            if !attribute.path().is_ident("oas") {
                kept.push(attribute);
                continue;
            }
            let parsed = attribute.parse_nested_meta(|meta| {
                if meta.path.is_ident("helper") {
                    helper = true;
                    Ok(())
                } else {
                    Err(meta.error("unknown `oas` attribute; `#[oas(helper)]` marks a method that handles no operation"))
                }
            });
            if let Err(error) = parsed {
                errors.push(error);
                helper = true;
            }
        }
        function.attrs = kept;
        helpers.push(helper);
    }
    helpers
}

/// Checks the block against the document and writes one trait impl per handler and per
/// operation listed as unimplemented.
pub fn expand(args: &Args, mut item: ItemImpl, spec: &Spec) -> Expansion {
    let mut errors = Errors::default();
    let helpers = strip_attributes(&mut item, &mut errors);

    if let Some((_, trait_path, _)) = &item.trait_ {
        errors.add(trait_path.span(), "`#[handlers]` goes on an inherent impl block (`impl Backend { ... }`): it writes the trait impls itself");
        return Expansion { tokens: item.into_token_stream(), error: errors.into_option() };
    }

    // Which operation each method handles; `None` for helpers and unknown names.
    let methods: Vec<&ImplItemFn> = item.items.iter().filter_map(|impl_item| if let ImplItem::Fn(f) = impl_item { Some(f) } else { None }).collect();
    let mut handled_by: Vec<Option<&ImplItemFn>> = vec![None; spec.operations.len()];
    let mut unknown: Vec<&ImplItemFn> = Vec::new();
    for (method, helper) in methods.iter().zip(helpers) {
        if helper {
            continue;
        }
        let name = method.sig.ident.unraw().to_string();
        match spec.operations.iter().position(|operation| operation.handler.unraw() == name) {
            // A second method of the same name is rustc's error to report.
            Some(index) if handled_by[index].is_none() => handled_by[index] = Some(method),
            Some(_) => {}
            None => unknown.push(method),
        }
    }

    let listed = check_listed(args, spec, &handled_by, &mut errors);

    let api = &args.api;
    let api_text = path_text(api);
    let self_ty = &item.self_ty;

    if !args.partial {
        let unmatched: Vec<String> = unknown.iter().map(|method| method.sig.ident.unraw().to_string()).collect();
        for (index, operation) in spec.operations.iter().enumerate() {
            if handled_by[index].is_some() || listed[index] {
                continue;
            }
            let expected = &operation.handler;
            let help = match closest(&expected.to_string(), unmatched.iter().map(|name| (name.as_str(), name))) {
                Some(near) => format!("a handler named `{expected}` is expected; did you mean `{near}`?"),
                None => format!(
                    "add `async fn {expected}(&self, request: {api_text}::{}) -> {api_text}::{}`, \
                     or list `{}` in `unimplemented(...)` to answer 501 Not Implemented",
                    operation.request, operation.response, operation.id
                ),
            };
            errors.add(self_ty.span(), format!("operation {} has no handler\n= help: {help}", operation.label()));
        }
    }

    for method in &unknown {
        errors.push(unknown_method(method, spec, &handled_by, &listed));
    }

    let mut impls = TokenStream::new();
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    for (index, operation) in spec.operations.iter().enumerate() {
        let OperationInfo { handler, trait_name, request, response, .. } = operation;
        if let Some(method) = handled_by[index] {
            let takes_parts = match check_signature(method, operation, &api_text) {
                Ok(takes_parts) => takes_parts,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            // Type errors in the forwarding code belong to the user's signature: the argument
            // carries the span of the declared parameter type.
            let request_span = parameter_span(method, 1);
            let request_argument = Ident::new("request", Span::call_site().located_at(request_span));
            let parts_argument = if takes_parts {
                let parts_span = parameter_span(method, 2);
                let parts = Ident::new("parts", Span::call_site().located_at(parts_span));
                quote!(, #parts)
            } else {
                TokenStream::new()
            };
            let parts_parameter = if takes_parts { quote!(parts) } else { quote!(_parts) };
            // A wrong response type or a future that is not `Send` is reported at the method's
            // name rather than at the whole attribute.
            let name = &method.sig.ident;
            let at_name = Span::call_site().located_at(name.span());
            let call = quote_spanned!(at_name=> <#self_ty>::#name(self, #request_argument #parts_argument));
            let returns = quote_spanned!(at_name=> impl ::std::future::Future<Output = #api::#response> + ::std::marker::Send);
            impls.extend(quote! {
                impl #impl_generics #api::server::#trait_name for #self_ty #where_clause {
                    fn #handler(
                        &self,
                        request: #api::#request,
                        #parts_parameter: ::oas_runtime::server::RequestParts,
                    ) -> #returns {
                        #call
                    }
                }
            });
        } else if listed[index] {
            impls.extend(quote! {
                impl #impl_generics #api::server::#trait_name for #self_ty #where_clause {
                    const IMPLEMENTED: bool = false;
                    fn #handler(
                        &self,
                        _request: #api::#request,
                        _parts: ::oas_runtime::server::RequestParts,
                    ) -> impl ::std::future::Future<Output = #api::#response> + ::std::marker::Send {
                        // The router answers 501 without calling this; a future that never
                        // completes needs no value to return.
                        ::std::future::pending()
                    }
                }
            });
        }
    }

    let mut tokens = item.into_token_stream();
    tokens.extend(impls);
    Expansion { tokens, error: errors.into_option() }
}

/// Checks `unimplemented(...)` and returns, per operation, whether it is listed.
fn check_listed(args: &Args, spec: &Spec, handled_by: &[Option<&ImplItemFn>], errors: &mut Errors) -> Vec<bool> {
    let mut listed = vec![false; spec.operations.len()];
    for Listed { id, span } in &args.unimplemented {
        let Some(index) = spec.operations.iter().position(|operation| operation.id == *id) else {
            let message = if spec.webhooks.iter().any(|(webhook, _)| webhook == id) {
                format!(
                    "`{id}` in `unimplemented(...)` is a webhook of `{}`: the API's consumers receive it, so servers have nothing to implement",
                    spec.display
                )
            } else {
                let mut message = format!("`{id}` in `unimplemented(...)` is not an operationId of `{}`", spec.display);
                if let Some(near) = closest(id, spec.operations.iter().map(|operation| (operation.id.as_str(), operation))) {
                    message.push_str(&format!("\n= help: did you mean {}?", near.label()));
                }
                message
            };
            errors.add(*span, message);
            continue;
        };
        let operation = &spec.operations[index];
        if listed[index] {
            errors.add(*span, format!("operation {} is listed twice in `unimplemented(...)`", operation.label()));
        } else if let Some(method) = handled_by[index] {
            errors.add(
                *span,
                format!(
                    "operation {} is listed in `unimplemented(...)` but has a handler, `{}`\n= help: remove it from the list, or remove the handler",
                    operation.label(),
                    method.sig.ident
                ),
            );
        }
        listed[index] = true;
    }
    listed
}

fn unknown_method(method: &ImplItemFn, spec: &Spec, handled_by: &[Option<&ImplItemFn>], listed: &[bool]) -> syn::Error {
    let name = method.sig.ident.unraw().to_string();
    let mut message = format!("`{name}` does not name an operation of `{}`", spec.display);
    if let Some((id, _)) = spec.webhooks.iter().find(|(_, handler)| *handler == name) {
        message.push_str(&format!(
            "\n= note: `{id}` is a webhook, which the API's consumers receive; servers have no handler for it\n\
             = help: mark the method `#[oas(helper)]` or move it to another impl block"
        ));
        return syn::Error::new(method.sig.ident.span(), message);
    }
    // Operations that already have their handler are no useful suggestion.
    let open: Vec<(String, &OperationInfo)> = spec
        .operations
        .iter()
        .enumerate()
        .filter(|(index, _)| handled_by[*index].is_none() && !listed[*index])
        .map(|(_, operation)| (operation.handler.to_string(), operation))
        .collect();
    let near = closest(&name, open.iter().map(|(handler, operation)| (handler.as_str(), *operation)));
    match near {
        Some(operation) => message.push_str(&format!(
            "\n= help: did you mean `{}` (operation `{}`, {} {})?",
            operation.handler, operation.id, operation.method, operation.path
        )),
        None => message.push_str(
            "\n= help: handlers are named after operationIds in snake_case; \
             mark a method that handles no operation `#[oas(helper)]`, or move it to another impl block",
        ),
    }
    syn::Error::new(method.sig.ident.span(), message)
}

/// Checks that a handler can be called the way the trait method is: `async`, `&self`, the
/// request and optionally the request parts. Returns whether it takes the parts.
fn check_signature(method: &ImplItemFn, operation: &OperationInfo, api_text: &str) -> syn::Result<bool> {
    let signature = &method.sig;
    let name = &signature.ident;
    let label = format!("handler `{name}` for operation {}", operation.label());
    let expected = format!("async fn {name}(&self, request: {api_text}::{}) -> {api_text}::{}", operation.request, operation.response);
    let mut errors = Errors::default();
    if signature.asyncness.is_none() {
        errors.add(signature.fn_token.span, format!("{label} must be an `async fn`\n= help: expected `{expected}`"));
    }
    if let Some(unsafety) = signature.unsafety {
        errors.add(unsafety.span, format!("{label} cannot be `unsafe`: the router calls it like any other function"));
    }
    if let Some(abi) = &signature.abi {
        errors.add(abi.span(), format!("{label} cannot have an ABI"));
    }
    if let Some(variadic) = &signature.variadic {
        errors.add(variadic.span(), format!("{label} cannot be variadic"));
    }
    if let Some(generic) = signature.generics.params.iter().find(|param| !matches!(param, syn::GenericParam::Lifetime(_))) {
        errors.add(generic.span(), format!("{label} cannot have type or const parameters: the router has nothing to choose them from"));
    }
    let mut parameters: Vec<&FnArg> = signature.inputs.iter().collect();
    match parameters.first() {
        Some(FnArg::Receiver(receiver)) => {
            if receiver.reference.is_none() || receiver.mutability.is_some() || receiver.colon_token.is_some() {
                errors.add(receiver.span(), format!("{label} must take `&self`: the router shares one value between all requests"));
            }
            parameters.remove(0);
        }
        Some(first) => errors.add(first.span(), format!("{label} must take `&self` first\n= help: expected `{expected}`")),
        None => {}
    }
    if parameters.is_empty() {
        errors.add(signature.paren_token.span.join(), format!("{label} must take the request\n= help: expected `{expected}`"));
    } else if parameters.len() > 2 {
        errors.add(
            parameters[2].span(),
            format!(
                "{label} takes too many parameters: after `&self` come the request and, optionally, \
                 `parts: ::oas_runtime::server::RequestParts`\n= help: expected `{expected}`"
            ),
        );
    }
    let takes_parts = parameters.len() == 2;
    match errors.into_option() {
        Some(error) => Err(error),
        None => Ok(takes_parts),
    }
}

/// Where the declared type of the method's `index`th parameter is, for type errors.
fn parameter_span(method: &ImplItemFn, index: usize) -> Span {
    match method.sig.inputs.iter().nth(index) {
        Some(FnArg::Typed(typed)) => typed.ty.span(),
        Some(other) => other.span(),
        None => method.sig.ident.span(),
    }
}

/// `orchestrator_api`, `crate::api`: a path as the user wrote it, for messages.
pub fn path_text(path: &Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
    let leading = if path.leading_colon.is_some() { "::" } else { "" };
    format!("{leading}{}", segments.join("::"))
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;
    use quote::quote;

    use super::*;

    fn operation(id: &str, handler: &str, type_name: &str, method: &str, path: &str) -> OperationInfo {
        OperationInfo {
            id: id.into(),
            handler: Ident::new(handler, Span::call_site()),
            trait_name: Ident::new(type_name, Span::call_site()),
            request: Ident::new(&format!("{type_name}Request"), Span::call_site()),
            response: Ident::new(&format!("{type_name}Response"), Span::call_site()),
            method: method.into(),
            path: path.into(),
        }
    }

    fn pets() -> Spec {
        Spec {
            display: "petstore.yaml".into(),
            operations: vec![
                operation("listPets", "list_pets", "ListPets", "GET", "/pets"),
                operation("createPets", "create_pets", "CreatePets", "POST", "/pets"),
                operation("showPetById", "show_pet_by_id", "ShowPetById", "GET", "/pets/{petId}"),
            ],
            webhooks: vec![("newPet".into(), "new_pet".into())],
        }
    }

    /// Expands `item` under `args` against the pet store and returns the messages, one string each.
    fn messages(args: TokenStream, item: TokenStream) -> Vec<String> {
        let args = super::super::args::parse(args).expect("the arguments parse");
        let item: ItemImpl = syn::parse2(item).expect("the block parses");
        let expansion = expand(&args, item, &pets());
        expansion.error.map(|error| error.into_iter().map(|error| error.to_string()).collect()).unwrap_or_default()
    }

    fn expanded(args: TokenStream, item: TokenStream) -> String {
        let args = super::super::args::parse(args).expect("the arguments parse");
        let item: ItemImpl = syn::parse2(item).expect("the block parses");
        let expansion = expand(&args, item, &pets());
        assert!(expansion.error.is_none(), "unexpected errors: {:?}", expansion.error.map(|e| e.to_string()));
        expansion.tokens.to_string()
    }

    #[test]
    fn complete_block_gets_one_impl_per_operation() {
        let tokens = expanded(
            quote!(spec = "petstore.yaml", api = petstore),
            quote! {
                impl Backend {
                    async fn list_pets(&self, request: petstore::ListPetsRequest) -> petstore::ListPetsResponse { todo!() }
                    async fn create_pets(&self, request: petstore::CreatePetsRequest, parts: ::oas_runtime::server::RequestParts) -> petstore::CreatePetsResponse { todo!() }
                    async fn show_pet_by_id(&self, request: petstore::ShowPetByIdRequest) -> petstore::ShowPetByIdResponse { todo!() }
                    #[oas(helper)]
                    fn store(&self) {}
                }
            },
        );
        assert_eq!(tokens.matches("impl petstore :: server ::").count(), 3, "{tokens}");
        assert!(tokens.contains("< Backend > :: list_pets (self , request)"), "{tokens}");
        assert!(tokens.contains("< Backend > :: create_pets (self , request , parts)"), "{tokens}");
        assert!(!tokens.contains("# [oas"), "the helper attribute is stripped: {tokens}");
    }

    #[test]
    fn unimplemented_operations_answer_501() {
        let tokens = expanded(
            quote!(spec = "petstore.yaml", unimplemented(createPets, "showPetById")),
            quote! {
                impl Backend {
                    async fn list_pets(&self, request: crate::ListPetsRequest) -> crate::ListPetsResponse { todo!() }
                }
            },
        );
        assert_eq!(tokens.matches("const IMPLEMENTED : bool = false").count(), 2, "{tokens}");
        assert!(tokens.contains("impl crate :: server :: CreatePets for Backend"), "{tokens}");
    }

    #[test]
    fn generics_are_carried_over() {
        let tokens = expanded(
            quote!(spec = "petstore.yaml", partial),
            quote! {
                impl<S: Store> Backend<S> where S: Clone {
                    async fn list_pets(&self, request: crate::ListPetsRequest) -> crate::ListPetsResponse { todo!() }
                }
            },
        );
        assert!(tokens.contains("impl < S : Store > crate :: server :: ListPets for Backend < S > where S : Clone"), "{tokens}");
    }

    #[test]
    fn missing_handlers_each_reported() {
        let found = messages(
            quote!(spec = "petstore.yaml", api = petstore),
            quote!(impl Backend {
                async fn list_pets(&self, request: petstore::ListPetsRequest) -> petstore::ListPetsResponse { todo!() }
            }),
        );
        assert_eq!(
            found,
            [
                "operation `createPets` (POST /pets) has no handler\n= help: add `async fn create_pets(&self, request: petstore::CreatePetsRequest) \
                 -> petstore::CreatePetsResponse`, or list `createPets` in `unimplemented(...)` to answer 501 Not Implemented",
                "operation `showPetById` (GET /pets/{petId}) has no handler\n= help: add `async fn show_pet_by_id(&self, request: \
                 petstore::ShowPetByIdRequest) -> petstore::ShowPetByIdResponse`, or list `showPetById` in `unimplemented(...)` to answer 501 Not Implemented",
            ]
        );
    }

    #[test]
    fn partial_blocks_do_not_report_missing_handlers() {
        let found = messages(
            quote!(spec = "petstore.yaml", partial),
            quote!(impl Backend {
                async fn list_pets(&self, request: crate::ListPetsRequest) -> crate::ListPetsResponse { todo!() }
            }),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn typo_is_reported_from_both_sides() {
        let found = messages(
            quote!(spec = "petstore.yaml", unimplemented(createPets, showPetById)),
            quote!(impl Backend {
                async fn list_pest(&self, request: crate::ListPetsRequest) -> crate::ListPetsResponse { todo!() }
            }),
        );
        assert_eq!(
            found,
            [
                "operation `listPets` (GET /pets) has no handler\n= help: a handler named `list_pets` is expected; did you mean `list_pest`?",
                "`list_pest` does not name an operation of `petstore.yaml`\n= help: did you mean `list_pets` (operation `listPets`, GET /pets)?",
            ]
        );
    }

    #[test]
    fn unknown_method_without_a_near_operation() {
        let found = messages(
            quote!(spec = "petstore.yaml", partial),
            quote!(impl Backend {
                fn connection_pool(&self) {}
                async fn new_pet(&self) {}
            }),
        );
        assert_eq!(found.len(), 2);
        assert!(found[0].starts_with("`connection_pool` does not name an operation of `petstore.yaml`\n= help: handlers are named"), "{found:?}");
        assert!(found[1].contains("`newPet` is a webhook"), "{found:?}");
    }

    #[test]
    fn unimplemented_entries_are_checked() {
        let found = messages(
            quote!(spec = "petstore.yaml", unimplemented(createPet, listPets, showPetById, showPetById)),
            quote!(impl Backend {
                async fn list_pets(&self, request: crate::ListPetsRequest) -> crate::ListPetsResponse { todo!() }
            }),
        );
        assert_eq!(
            found,
            [
                "`createPet` in `unimplemented(...)` is not an operationId of `petstore.yaml`\n= help: did you mean `createPets` (POST /pets)?",
                "operation `listPets` (GET /pets) is listed in `unimplemented(...)` but has a handler, `list_pets`\n= help: remove it from the list, or remove the handler",
                "operation `showPetById` (GET /pets/{petId}) is listed twice in `unimplemented(...)`",
                "operation `createPets` (POST /pets) has no handler\n= help: add `async fn create_pets(&self, request: crate::CreatePetsRequest) \
                 -> crate::CreatePetsResponse`, or list `createPets` in `unimplemented(...)` to answer 501 Not Implemented",
            ]
        );
    }

    #[test]
    fn webhooks_are_not_operations_to_leave_unimplemented() {
        let found = messages(quote!(spec = "petstore.yaml", partial, unimplemented(newPet)), quote!(impl Backend {}));
        assert_eq!(
            found,
            ["`newPet` in `unimplemented(...)` is a webhook of `petstore.yaml`: the API's consumers receive it, so servers have nothing to implement"]
        );
    }

    #[test]
    fn signatures_are_checked() {
        let found = messages(
            quote!(spec = "petstore.yaml"),
            quote!(impl Backend {
                fn list_pets(&self, request: crate::ListPetsRequest) -> crate::ListPetsResponse { todo!() }
                async fn create_pets(request: crate::CreatePetsRequest) -> crate::CreatePetsResponse { todo!() }
                async fn show_pet_by_id(&mut self, a: A, b: B, c: C) -> crate::ShowPetByIdResponse { todo!() }
            }),
        );
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("handler `list_pets` for operation `listPets` (GET /pets) must be an `async fn`"), "{found:#?}");
        assert!(found[1].starts_with("handler `create_pets` for operation `createPets` (POST /pets) must take `&self` first"), "{found:#?}");
        assert!(found[2].starts_with("handler `show_pet_by_id` for operation `showPetById` (GET /pets/{petId}) must take `&self`:"), "{found:#?}");
        assert!(
            found[3].starts_with("handler `show_pet_by_id` for operation `showPetById` (GET /pets/{petId}) takes too many parameters"),
            "{found:#?}"
        );
    }

    #[test]
    fn unknown_oas_attribute() {
        let found = messages(
            quote!(spec = "petstore.yaml", partial),
            quote!(impl Backend {
                #[oas(helpr)]
                fn pool(&self) {}
            }),
        );
        assert_eq!(found, ["unknown `oas` attribute; `#[oas(helper)]` marks a method that handles no operation"]);
    }

    #[test]
    fn trait_impls_are_refused() {
        let found = messages(quote!(spec = "petstore.yaml"), quote!(impl Clone for Backend {}));
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("`#[handlers]` goes on an inherent impl block"), "{found:?}");
    }
}
