//! Any bytes through the whole generator: read as a document, then a crate with every part.
//! A panic, a hang or an `Internal` error (generated code that does not parse) is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use oas_codegen::{GenerateError, Options};

fuzz_target!(|data: &[u8]| {
    // The loader takes text; invalid UTF-8 is refused before it, by `load_file`'s read.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(document) = oas_codegen::load::load_str(text) else { return };
    if let Err(GenerateError::Internal(message)) = oas_codegen::generate(&document, &Options::default()) {
        panic!("generated code does not parse: {message}");
    }
});
