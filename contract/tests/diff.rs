//! `diff` over the corpus: every document against itself and against mutated copies, and the
//! history of the Orchestrator API, snapshotted and checked change by change.

use std::path::{Path, PathBuf};

use oas_codegen::load::{load_file, load_str, Document};
use oas_contract::diff::{diff, Change, Report, Severity, Side};
use serde_json::{json, Value};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

fn documents(folder: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![corpus().join(folder)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(path.extension().and_then(|extension| extension.to_str()), Some("yaml" | "yml" | "json")) {
                found.push(path);
            }
        }
    }
    found.sort();
    assert!(!found.is_empty(), "no documents in {folder}");
    found
}

fn load(path: &Path) -> Document {
    load_file(path).unwrap_or_else(|error| panic!("{error}"))
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Pointers of the operations written directly under `/paths` (not behind a `$ref`).
fn operation_pointers(root: &Value) -> Vec<String> {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else { return Vec::new() };
    let mut found = Vec::new();
    for (template, item) in paths {
        for method in METHODS.into_iter().filter(|method| item.get(*method).is_some_and(Value::is_object)) {
            found.push(format!("/paths/{}/{method}", template.replace('~', "~0").replace('/', "~1")));
        }
    }
    found
}

/// Applies several changes at once, each to a different part of the document, and returns the
/// rules that must then be reported from the original to the copy and back (with the severity
/// where the rule fixes it). Large documents are read only once more this way.
fn mutate(root: &mut Value) -> Vec<(&'static [&'static str], Option<Severity>, &'static [&'static str])> {
    let mut expected: Vec<(&'static [&'static str], Option<Severity>, &'static [&'static str])> = Vec::new();
    root["info"]["version"] = json!("mutated");
    expected.push((&["info.version-changed"], Some(Severity::Info), &["info.version-changed"]));
    let operations = operation_pointers(root);
    if let Some(first) = operations.first() {
        let (item, method) = first.rsplit_once('/').unwrap();
        root.pointer_mut(item).and_then(Value::as_object_mut).unwrap().remove(method);
        expected.push((&["operation.removed", "path.removed"], Some(Severity::BreaksClients), &["operation.added", "path.added"]));
    }
    if let Some(last) = operations.get(1..).and_then(<[String]>::last) {
        let operation = root.pointer_mut(last).and_then(Value::as_object_mut).unwrap();
        let parameter = json!({"name": "addedByTest", "in": "query", "required": true, "schema": {"type": "string"}});
        if let Some(parameters) = operation.entry("parameters").or_insert_with(|| json!([])).as_array_mut() {
            parameters.push(parameter);
            expected.push((&["parameter.added"], Some(Severity::BreaksBoth), &["parameter.removed"]));
        }
        let responses = operation.get_mut("responses").and_then(Value::as_object_mut);
        if let Some(responses) = responses.filter(|responses| responses.len() > 1) {
            let first = responses.keys().next().cloned().unwrap();
            responses.shift_remove(&first);
            expected.push((&["response.removed"], Some(Severity::BreaksServers), &["response.added"]));
        }
    }
    // A component string schema becomes an integer: reported whether or not operations use it.
    let schemas = root.pointer_mut("/components/schemas").and_then(Value::as_object_mut);
    let string = schemas.and_then(|schemas| schemas.values_mut().find(|schema| schema.get("type") == Some(&json!("string"))));
    if let Some(schema) = string {
        schema["type"] = json!("integer");
        expected.push((&["schema.type-changed"], None, &["schema.type-changed"]));
    }
    expected
}

#[track_caller]
fn expect_rule(report: &Report, rules: &[&str], severity: Option<Severity>, what: &str) {
    let found = report.changes.iter().find(|change| rules.contains(&change.rule));
    let Some(change) = found else { panic!("{what}: no {rules:?} change in\n{}", report.to_text()) };
    if let Some(severity) = severity {
        assert_eq!(change.severity, severity, "{what}: {change:?}");
    }
    assert!(change.position.is_some(), "{what}: {change:?} has no position");
}

fn check_document(path: &Path) {
    let name = path.display().to_string();
    let document = load(path);
    let report = diff(&document, &document);
    assert!(report.changes.is_empty(), "{name} against itself:\n{}", report.to_text());

    let mut root = document.root.clone();
    let expected = mutate(&mut root);
    // As JSON text, so the comparison also crosses formats.
    let mutated = load_str(&serde_json::to_string_pretty(&root).unwrap()).expect("a mutated document still loads");
    let forward = diff(&document, &mutated);
    let backward = diff(&mutated, &document);
    for (rules, severity, reverse_rules) in expected {
        expect_rule(&forward, rules, severity, &name);
        expect_rule(&backward, reverse_rules, None, &format!("{name}, backwards"));
    }
}

#[test]
fn orchestrator_and_feature_documents() {
    for path in documents("orchestrator").into_iter().chain(documents("features")) {
        check_document(&path);
    }
}

#[test]
fn real_documents() {
    for path in documents("real") {
        check_document(&path);
    }
}

#[test]
fn large_documents() {
    for path in documents("large") {
        check_document(&path);
    }
}

/// `(old file, new file, report)` for each consecutive pair of Orchestrator versions.
fn orchestrator_history() -> Vec<(String, String, Report)> {
    let versions = documents("orchestrator");
    assert_eq!(versions.len(), 24);
    let loaded: Vec<(String, Document)> =
        versions.iter().map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), load(path))).collect();
    loaded.windows(2).map(|pair| (pair[0].0.clone(), pair[1].0.clone(), diff(&pair[0].1, &pair[1].1))).collect()
}

#[test]
fn orchestrator_history_snapshot() {
    let mut log = String::new();
    for (old, new, report) in orchestrator_history() {
        log.push_str(&format!("## {old} -> {new}\n{}\n", report.to_text()));
    }
    insta::assert_snapshot!("orchestrator_history", log);
}

/// The change `rule` at `pointer` between versions `from` and `from + 1` (numbered as the files).
#[track_caller]
fn change<'a>(history: &'a [(String, String, Report)], from: usize, rule: &str, pointer: &str) -> &'a Change {
    let (old, new, report) = &history[from - 1];
    report
        .changes
        .iter()
        .find(|change| change.rule == rule && change.pointer == pointer)
        .unwrap_or_else(|| panic!("{old} -> {new}: no {rule} at {pointer} in\n{}", report.to_text()))
}

/// Each of these was checked against the two YAML files by hand.
#[test]
fn orchestrator_history_checked_by_hand() {
    let history = orchestrator_history();
    let schemas = "/components/schemas";

    // 01 -> 02: `required: [inputData]` dropped from ExecuteWorkflowRequestDTO, a request body:
    // servers must now cope without it.
    let found = change(&history, 1, "schema.property-optional", &format!("{schemas}/ExecuteWorkflowRequestDTO/properties/inputData"));
    assert_eq!(found.severity, Severity::BreaksServers);
    assert_eq!(found.operation.as_deref(), Some("POST /v2/workflows/{workflowId}/execute"));

    // 02 -> 03: optional query parameter `businessKey` added to executeWorkflow.
    let found = change(&history, 2, "parameter.added", "/paths/~1v2~1workflows~1{workflowId}~1execute/post/parameters/1");
    assert_eq!((found.severity, found.side), (Severity::BreaksServers, Side::New));
    assert!(found.message.contains("optional query parameter `businessKey`"), "{}", found.message);

    // 03 -> 04: `avgDurationMs` removed from WorkflowOverviewDTO, which responses carry.
    let found = change(&history, 3, "schema.property-removed", &format!("{schemas}/WorkflowOverviewDTO/properties/avgDurationMs"));
    assert_eq!((found.severity, found.side), (Severity::BreaksClients, Side::Old));
    assert_eq!(found.position.map(|position| position.line), Some(382));

    // 04 -> 05: `totalCount` removed from PaginationInfoDTO, which has `additionalProperties:
    // false`: old clients that send it in a request body are refused.
    let found = change(&history, 4, "schema.property-removed", &format!("{schemas}/PaginationInfoDTO/properties/totalCount"));
    assert_eq!(found.severity, Severity::BreaksClients);
    assert!(found.message.contains("request body"), "{}", found.message);

    // 04 -> 05: ProcessInstanceStatusDTO's values went from `Active` to `ACTIVE`: in responses a
    // new value breaks clients, a vanished one leaves old servers sending what is now invalid.
    let found = change(&history, 4, "schema.enum-value-added", &format!("{schemas}/ProcessInstanceStatusDTO/enum/0"));
    assert_eq!(found.severity, Severity::BreaksClients);
    assert!(found.message.starts_with("enum value \"ACTIVE\" added"), "{}", found.message);
    let found = change(&history, 4, "schema.enum-value-removed", &format!("{schemas}/ProcessInstanceStatusDTO/enum/0"));
    assert_eq!((found.severity, found.side), (Severity::BreaksServers, Side::Old));

    // 04 -> 05: ProcessInstanceDTO's `status` renamed to `state`: removed (breaks clients) and
    // added as optional (compatible) in the response.
    let found = change(&history, 4, "schema.property-removed", &format!("{schemas}/ProcessInstanceDTO/properties/status"));
    assert_eq!(found.severity, Severity::BreaksClients);
    let found = change(&history, 4, "schema.property-added", &format!("{schemas}/ProcessInstanceDTO/properties/state"));
    assert_eq!(found.severity, Severity::Compatible);

    // 07 -> 08: FieldFilter's operators CONTAINS, CONTAINS_ALL and CONTAINS_ANY removed; filters
    // are sent in requests, so clients using them are refused.
    let found = change(&history, 7, "schema.enum-value-removed", &format!("{schemas}/FieldFilter/properties/operator/enum/7"));
    assert_eq!(found.severity, Severity::BreaksClients);
    assert!(found.message.contains("\"CONTAINS\""), "{}", found.message);

    // 08 -> 09: optional `isAvailable` added to WorkflowOverviewDTO, a response: compatible.
    let found = change(&history, 8, "schema.property-added", &format!("{schemas}/WorkflowOverviewDTO/properties/isAvailable"));
    assert_eq!(found.severity, Severity::Compatible);

    // 11 -> 12: only trailing spaces changed.
    assert!(history[10].2.changes.is_empty(), "{}", history[10].2.to_text());

    // 12 -> 13: a new path, GET /v2/workflows/{workflowId}/pingWorkflowService.
    let found = change(&history, 12, "path.added", "/paths/~1v2~1workflows~1{workflowId}~1pingWorkflowService");
    assert_eq!(found.severity, Severity::BreaksServers);
    assert_eq!(found.position.map(|position| position.line), Some(113));

    // 15 -> 16: AuthToken.provider gained an enum (narrower request: breaks clients) and
    // ExecuteWorkflowRequestDTO.authTokens went from minItems 1 to 0 (wider request: breaks servers).
    let found = change(&history, 15, "schema.enum-added", &format!("{schemas}/AuthToken/properties/provider"));
    assert_eq!(found.severity, Severity::BreaksClients);
    let found = change(&history, 15, "schema.constraint-relaxed", &format!("{schemas}/ExecuteWorkflowRequestDTO/properties/authTokens"));
    assert_eq!(found.severity, Severity::BreaksServers);
    assert!(found.message.starts_with("`minItems` relaxed from 1 to 0"), "{}", found.message);

    // 17 -> 18: query parameter `includeAssessment` removed from GET /v2/workflows/instances/{instanceId}.
    let found = change(&history, 17, "parameter.removed", "/paths/~1v2~1workflows~1instances~1{instanceId}/get/parameters/1");
    assert_eq!((found.severity, found.side), (Severity::BreaksClients, Side::Old));

    // 19 -> 20: GET /v2/workflows/instances/{instanceId} now answers ProcessInstanceDTO instead
    // of AssessedProcessInstanceDTO ({instance, assessedBy}): the wrapper's fields are gone, and
    // ProcessInstanceDTO's required fields are new to old servers.
    let found = change(&history, 19, "schema.property-removed", &format!("{schemas}/AssessedProcessInstanceDTO/properties/instance"));
    assert_eq!(found.severity, Severity::BreaksClients);
    let found = change(&history, 19, "schema.property-added", &format!("{schemas}/ProcessInstanceDTO/properties/id"));
    assert_eq!(found.severity, Severity::BreaksServers);
    assert_eq!(found.operation.as_deref(), Some("GET /v2/workflows/instances/{instanceId}"));

    // 22 -> 23: retriggerInstance gained a required request body.
    let found = change(&history, 22, "request-body.added", "/paths/~1v2~1workflows~1{workflowId}~1{instanceId}~1retrigger/post/requestBody");
    assert_eq!(found.severity, Severity::BreaksBoth);

    // 23 -> 24: output format `markdown` added to WorkflowResultDTO, a response: old clients
    // may receive a value they do not know.
    let found =
        change(&history, 23, "schema.enum-value-added", &format!("{schemas}/WorkflowResultDTO/properties/outputs/items/properties/format/enum/3"));
    assert_eq!(found.severity, Severity::BreaksClients);
}

/// The usual migration: the same API as Swagger 2.0 and as its OpenAPI 3.0 conversion (which is
/// what `oas convert --to 3.0` writes). Between the two, nothing changed for anybody.
#[test]
fn every_swagger_2_document_against_its_own_conversion_reports_nothing() {
    for path in documents("swagger2") {
        let written = load(&path);
        let converted = load_str(&serde_json::to_string(&written.root).unwrap()).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let report = diff(&written, &converted);
        assert!(report.changes.is_empty(), "{}: {:#?}", path.display(), report.changes);
    }
}
