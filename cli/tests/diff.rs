//! `oas diff` as a user runs it: output formats, `--fail-on` and exit codes, unreadable input.

use std::path::PathBuf;
use std::process::{Command, Output};

const OAS: &str = env!("CARGO_BIN_EXE_oas");

fn orchestrator(prefix: &str) -> String {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/orchestrator");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().path()).collect();
    names.sort();
    let found = names.into_iter().find(|path| path.file_name().unwrap().to_string_lossy().starts_with(prefix));
    found.unwrap_or_else(|| panic!("no orchestrator version {prefix}")).to_string_lossy().into_owned()
}

/// Runs `oas diff ARGS`, checks its exit status, and returns its stdout and stderr.
#[track_caller]
fn diff(args: &[&str], code: i32) -> (String, String) {
    let Output { status, stdout, stderr } = Command::new(OAS).arg("diff").args(args).output().expect("the oas binary runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned());
    assert_eq!(status.code(), Some(code), "oas diff {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    (stdout, stderr)
}

/// A file in a fresh scratch folder.
fn scratch_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("oas-diff-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn a_document_against_itself_has_no_changes() {
    let spec = orchestrator("24-");
    let (stdout, stderr) = diff(&[&spec, &spec, "--fail-on", "any"], 0);
    assert_eq!(stdout, "no changes\n");
    assert_eq!(stderr, "");
}

#[test]
fn changes_that_break_clients_fail_by_default() {
    // 17 -> 18 removes the query parameter `includeAssessment`.
    let (old, new) = (orchestrator("17-"), orchestrator("18-"));
    let (stdout, stderr) = diff(&[&old, &new], 1);
    assert_eq!(
        stdout,
        "breaks-clients /paths/~1v2~1workflows~1instances~1{instanceId}/get/parameters/1 (old 206:11): \
         query parameter `includeAssessment` removed from GET /v2/workflows/instances/{instanceId}\n\n1 change: 1 breaks-clients\n"
    );
    assert_eq!(stderr, "error: 1 change break clients (--fail-on client)\n");
    diff(&[&old, &new, "--fail-on", "server"], 0);
    diff(&[&old, &new, "--fail-on", "breaking"], 1);
    diff(&[&old, &new, "--fail-on", "none"], 0);
    // The other way round the parameter is new, which only old servers need to know about.
    diff(&[&new, &old], 0);
    diff(&[&new, &old, "--fail-on", "server"], 1);
}

#[test]
fn json_output_is_structured() {
    let (old, new) = (orchestrator("15-"), orchestrator("16-"));
    let (stdout, _) = diff(&[&old, &new, "--format", "json", "--fail-on", "none"], 0);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    assert_eq!(report["old"], old.as_str());
    assert_eq!(report["new"], new.as_str());
    assert_eq!(report["summary"], serde_json::json!({"breaks-both": 0, "breaks-clients": 1, "breaks-servers": 1, "compatible": 0, "info": 0}));
    let first = &report["changes"][0];
    assert_eq!(first["severity"], "breaks-clients");
    assert_eq!(first["rule"], "schema.enum-added");
    assert_eq!(first["document"], "new");
    assert_eq!(first["pointer"], "/components/schemas/AuthToken/properties/provider");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(613), Some(9)));
    assert_eq!(first["operation"], "POST /v2/workflows/{workflowId}/execute");
    assert_eq!(report["changes"][1]["rule"], "schema.constraint-relaxed");
}

#[test]
fn unreadable_documents_exit_2_with_file_position_and_pointer() {
    let good = orchestrator("24-");
    let broken = scratch_file("broken.yaml", "openapi: 3.1.0\ninfo: [unclosed\n");
    let (stdout, stderr) = diff(&[&good, &broken], 2);
    assert!(stderr.starts_with(&format!("{broken}:")), "{stderr}");
    assert!(stderr.contains(": error: invalid YAML"), "{stderr}");
    assert_eq!(stdout, "");

    let swagger = scratch_file("swagger.yaml", "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    let (_, stderr) = diff(&[&swagger, &good], 2);
    assert!(stderr.starts_with(&format!("{swagger}:1:1: error [/swagger]: unknown Swagger version `1.2`")), "{stderr}");

    // Both files are reported when both are unreadable.
    let (_, stderr) = diff(&[&swagger, "/nonexistent/new.yaml"], 2);
    assert!(stderr.contains("/nonexistent/new.yaml: error: cannot read the file"), "{stderr}");
    assert!(stderr.contains("[/swagger]"), "{stderr}");

    let (_, stderr) = diff(&[&good, &good, "--fail-on", "sometimes"], 2);
    assert!(stderr.contains("--fail-on"), "{stderr}");
}
