//! The repository's copy of the corpus, for the tests that run over all of its single-file
//! OpenAPI 3 documents.

use std::path::{Path, PathBuf};

pub fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

/// The folders that hold whole OpenAPI 3 documents, one per file. `multifile/` holds split
/// documents whose fragments are not documents of their own, and `swagger2/` holds Swagger 2.0.
const SETS: [&str; 4] = ["orchestrator", "features", "real", "large"];

/// Every YAML and JSON document of those folders, sorted.
pub fn files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders: Vec<PathBuf> = SETS.iter().map(|set| folder().join(set)).collect();
    while let Some(next) = folders.pop() {
        for entry in std::fs::read_dir(&next).expect("the corpus is in tests/corpus") {
            let path = entry.expect("corpus entries are readable").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "yaml" || extension == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 150, "the corpus has {} documents", files.len());
    files
}

/// `summary(path, name)` for every document, on two threads (the machine has two cores and
/// the large documents dominate), sorted; `name` is the path inside the corpus.
pub fn summaries(summary: impl Fn(&Path, &str) -> String + Sync) -> Vec<String> {
    let files = files();
    let corpus = folder();
    let mut lines: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|first| {
                let (files, corpus, summary) = (&files, &corpus, &summary);
                scope.spawn(move || {
                    files
                        .iter()
                        .skip(first)
                        .step_by(2)
                        .map(|file| summary(file, &file.strip_prefix(corpus).unwrap_or(file).display().to_string()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().expect("no document makes it panic")).collect()
    });
    lines.sort();
    lines
}
