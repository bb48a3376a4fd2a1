//! The crates generated for every Orchestrator version and every feature document compile
//! (clippy with warnings denied), checked together in one workspace with one target directory.
//! A snapshot shows what the code looks like; only this shows that it builds.

use xtask::corpus::{render, run, CorpusOptions};

#[test]
fn orchestrator_and_feature_documents_generate_and_compile() {
    let root = xtask::workspace_root();
    let options = CorpusOptions {
        sets: vec!["orchestrator".into(), "features".into()],
        filter: None,
        compile: true,
        out_dir: root.join("target/corpus-crates-test"),
    };
    let results = run(&root, &options).expect("the corpus run itself works");
    assert!(results.len() >= 24 + 50, "the corpus should hold every Orchestrator version and the feature documents, found {}", results.len());
    let failed: Vec<_> = results.iter().filter(|result| result.generation.is_err() || !matches!(result.compile, Some(Ok(())))).collect();
    assert!(failed.is_empty(), "{}", render(&results, true));
}
