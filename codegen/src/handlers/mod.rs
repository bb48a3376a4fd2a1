//! What `#[oas_macros::handlers]` does, as a library: the proc-macro crate only hands it the
//! tokens. Kept here so that it can be unit-tested and timed (`cargo xtask bench`) outside a
//! compiler, which a proc-macro crate cannot be.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::ItemImpl;

mod args;
mod expand;
mod spec;
mod suggest;

/// The expansion of `#[handlers(args)] item`, with the document resolved against `manifest_dir`.
/// Every problem becomes a `compile_error!` in the returned tokens, next to the block as written
/// (minus the attributes only the macro understands), so nothing else in the crate fails because
/// of it.
pub fn expand_handlers(args: TokenStream, item: TokenStream, manifest_dir: Option<&Path>) -> TokenStream {
    let mut block: ItemImpl = match syn::parse2(item.clone()) {
        Ok(block) => block,
        Err(error) => {
            let error = syn::Error::new(error.span(), format!("`#[handlers]` goes on an impl block: {error}")).to_compile_error();
            return quote!(#item #error);
        }
    };
    let args = match args::parse(args) {
        Ok(args) => args,
        Err(error) => {
            // The block stays, without the attributes only this macro understands, so the
            // argument error is the only one.
            let mut ignored = expand::Errors::default();
            expand::strip_attributes(&mut block, &mut ignored);
            let error = error.to_compile_error();
            return quote!(#block #error);
        }
    };
    let loaded = spec::load(&args.spec, manifest_dir);
    // Makes cargo rebuild the crate, and so re-run the macro, when a file of the document changes.
    let tracking: proc_macro2::TokenStream = loaded
        .tracked
        .iter()
        .filter_map(|path| path.to_str())
        .map(|path| {
            let path = syn::LitStr::new(path, args.spec.span());
            quote!(
                const _: &[u8] = ::core::include_bytes!(#path);
            )
        })
        .collect();
    let spec = match loaded.spec {
        Ok(spec) => spec,
        Err(error) => {
            let mut ignored = expand::Errors::default();
            expand::strip_attributes(&mut block, &mut ignored);
            let error = error.to_compile_error();
            return quote!(#block #tracking #error);
        }
    };
    let expansion = expand::expand(&args, block, &spec);
    let mut tokens = expansion.tokens;
    tokens.extend(tracking);
    if let Some(error) = expansion.error {
        error.to_compile_error().to_tokens(&mut tokens);
    }
    tokens
}
