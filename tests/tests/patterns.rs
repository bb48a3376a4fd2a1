//! Patterns: one no engine can compile is a generation-time warning naming its pointer (servers
//! then leave it unenforced); lookaround compiles and raises nothing.

use oas_codegen::{CrateConfig, Dependencies, RuntimeSource};

#[test]
fn an_uncompilable_pattern_is_a_warning_at_its_pointer() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Code:\n      type: string\n      pattern: \"(unclosed\"\n    Name:\n      type: string\n      pattern: \"^(?!admin).+$\"\n";
    let document = oas_codegen::load::load_str(text).unwrap();
    let config = CrateConfig {
        name: "patterns".into(),
        header: "test".into(),
        dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path("../runtime".into()) },
    };
    let generated = oas_tests::generate_crate(&document, &config, false).unwrap();
    let warnings: Vec<String> = generated.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("8:7: warning [/components/schemas/Code/pattern]: the pattern cannot be compiled"), "{warnings:?}");
}
