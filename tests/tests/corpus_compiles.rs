//! The crates generated for every Orchestrator version and every feature document compile
//! (clippy with warnings denied, every feature on), checked together in one workspace with one
//! target directory; and every example those documents give for a type (valid against its
//! schema) round-trips through the generated type. A snapshot shows what the code looks like;
//! only this shows that it builds and reads real payloads.

use xtask::corpus::{render, run, CorpusOptions};

#[test]
fn orchestrator_and_feature_documents_generate_and_compile() {
    let root = xtask::workspace_root();
    let options = CorpusOptions {
        sets: vec!["orchestrator".into(), "features".into()],
        filter: None,
        compile: true,
        round_trip: true,
        hashes: None,
        out_dir: root.join("target/corpus-crates-test"),
    };
    let results = run(&root, &options).expect("the corpus run itself works");
    assert!(results.len() >= 24 + 50, "the corpus should hold every Orchestrator version and the feature documents, found {}", results.len());
    let failed: Vec<_> = results
        .iter()
        .filter(|result| result.generation.is_err() || !matches!(result.compile, Some(Ok(()))) || !result.round_trip_failures.is_empty())
        .collect();
    assert!(failed.is_empty(), "{}", render(&results, true));
    let examples: usize = results.iter().map(|result| result.round_trips).sum();
    assert!(examples >= 50, "the feature documents hold dozens of valid examples; only {examples} were round-tripped");
}
