//! `oas lint` and `oas mock` as a user runs them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

const OAS: &str = env!("CARGO_BIN_EXE_oas");
const ORCHESTRATOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");

fn scratch_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("oas-lint-mock-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn oas(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(OAS).args(args).output().expect("the oas binary runs");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

const BROKEN: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: integer, minimum: 5, maximum: 3}\n              example: 4\ncomponents:\n  schemas:\n    Spare: {type: string}\n";

#[test]
fn lint_reports_with_positions_and_exits_1_on_errors() {
    let spec = scratch_file("broken.yaml", BROKEN);
    let (code, stderr) = oas(&["lint", &spec]);
    assert_eq!(code, Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.contains(&format!("{spec}:12:15: error [/paths/~1a/get/responses/200/content/application~1json/schema]: no value can match this schema: the minimum 5 is not below the maximum 3").as_str()),
        "{stderr}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with(&format!("{spec}:13:15: warning [/paths/~1a/get/responses/200/content/application~1json/example]: "))),
        "{stderr}"
    );
    assert!(lines.contains(&format!("{spec}:16:5: warning [/components/schemas/Spare]: the schema `Spare` is never used").as_str()), "{stderr}");
    assert_eq!(lines.last(), Some(&format!("error: {spec}: 1 error, 2 warnings").as_str()), "{stderr}");
}

#[test]
fn lint_passes_warnings_unless_they_are_denied() {
    let spec = scratch_file(
        "warnings.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Spare: {type: string}\n",
    );
    let (code, stderr) = oas(&["lint", &spec]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.ends_with(&format!("{spec}: 0 errors, 1 warning\n")), "{stderr}");
    let (code, stderr) = oas(&["lint", &spec, "--deny-warnings"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("and --deny-warnings is set"), "{stderr}");
}

#[test]
fn lint_exits_1_when_the_file_is_not_openapi() {
    let (code, stderr) = oas(&["lint", "/no/such/spec.yaml"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("spec.yaml: error: cannot read the file"), "{stderr}");
    let swagger = scratch_file("swagger.yaml", "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    let (code, stderr) = oas(&["lint", &swagger]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("unknown Swagger version `1.2`"), "{stderr}");
}

#[test]
fn lint_accepts_the_orchestrator_spec() {
    let (code, stderr) = oas(&["lint", ORCHESTRATOR]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// Sends one HTTP/1.1 request and returns the status line and the body.
fn http_get(address: &str, path: &str, headers: &str) -> (String, String) {
    let mut stream = TcpStream::connect(address).expect("the mock accepts connections");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n{headers}\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_string();
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default();
    (status, body)
}

#[test]
fn mock_prints_its_address_and_serves_the_document() {
    let mut child = Command::new(OAS)
        .args(["mock", ORCHESTRATOR, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the oas binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("unexpected first line {line:?}")).to_string();
    let (status, body) = http_get(&address, "/v2/workflows/instances/statuses", "");
    let (missing, problem) = http_get(&address, "/v2/workflows/wf/overview", "Prefer: code=404\r\n");
    let (unknown, _) = http_get(&address, "/nowhere", "");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("\"value\":\"ACTIVE\""), "{body}");
    assert_eq!(missing, "HTTP/1.1 404 Not Found");
    assert!(problem.contains("\"status\":404"), "{problem}");
    assert_eq!(unknown, "HTTP/1.1 404 Not Found");
}

#[test]
fn mock_refuses_an_unreadable_document() {
    let (code, stderr) = oas(&["mock", "/no/such/spec.yaml", "--listen", "127.0.0.1:0"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot read the file"), "{stderr}");
}
