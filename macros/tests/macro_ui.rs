//! Compile-fail tests for `#[oas_macros::handlers]`: each case in `tests/ui` beside its expected
//! compiler output. After changing a message, regenerate with
//! `TRYBUILD=overwrite cargo test -p oas-macros --test macro_ui` and read every changed `.stderr`.

use std::path::{Path, PathBuf};

/// The `spec` argument is relative to the compiled crate's manifest directory, which for trybuild
/// is its own project under the target folder, not `tests/`. The documents are copied there, so
/// the cases name them the way a user names a document beside their `Cargo.toml`.
fn trybuild_project_dir() -> PathBuf {
    let target_tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target = target_tmp.parent().expect("CARGO_TARGET_TMPDIR is a folder inside the target folder");
    target.join("tests").join("trybuild").join(env!("CARGO_PKG_NAME"))
}

fn copy_document(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap_or_else(|error| panic!("cannot copy {} to {}: {error}", from.display(), to.display()));
}

#[test]
fn handlers_macro() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = trybuild_project_dir();
    std::fs::create_dir_all(&project).expect("the trybuild folder can be created");
    copy_document(&manifest_dir.join("tests/ui/petstore.yaml"), &project.join("petstore.yaml"));
    copy_document(&manifest_dir.join("tests/ui/not_yaml.yaml"), &project.join("not_yaml.yaml"));
    copy_document(&manifest_dir.join("../spec/openapi.yaml"), &project.join("openapi.yaml"));

    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/missing_handler.rs");
    cases.compile_fail("tests/ui/misspelled_handler.rs");
    cases.compile_fail("tests/ui/extra_handler.rs");
    cases.compile_fail("tests/ui/unknown_unimplemented.rs");
    cases.compile_fail("tests/ui/bad_signature.rs");
    cases.compile_fail("tests/ui/unreadable_spec.rs");
    cases.pass("tests/ui/unimplemented_ok.rs");
    cases.pass("tests/ui/complete.rs");
}
