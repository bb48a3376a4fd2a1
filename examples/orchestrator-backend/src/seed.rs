//! Demo data: four workflows (two YAML, two JSON; infrastructure and assessment categories; one whose
//! service is down and that never ran) and seven runs covering every run state, so overviews, searches
//! and state transitions have something to work on. Times lie in August 2025, ids and shapes follow the
//! spec's examples.

use std::collections::BTreeMap;

use orchestrator_api::{ProcessInstanceDto, WorkflowDto, WorkflowFormatDto};
use serde_json::{json, Value};

use crate::store::WorkflowRecord;

/// The seeded workflows, in the order listings return them.
pub fn workflows() -> Vec<WorkflowRecord> {
    vec![
        WorkflowRecord {
            workflow: workflow("user-onboarding", "User onboarding", WorkflowFormatDto::Yaml, USER_ONBOARDING_DESCRIPTION, "infrastructure"),
            source: USER_ONBOARDING_SOURCE.to_owned(),
            input_schema: object(json!({
                "title": "New hire",
                "type": "object",
                "properties": {
                    "username": { "type": "string", "title": "Login name", "pattern": "^[a-z][a-z0-9]{2,15}$" },
                    "team": { "type": "string", "title": "Team", "enum": ["platform", "payments", "search"] },
                    "startDate": { "type": "string", "format": "date", "title": "First working day" }
                },
                "required": ["username", "team"]
            })),
            service_url: "http://user-onboarding.sonataflow-infra".to_owned(),
            available: true,
            entry_node: "Create account".to_owned(),
        },
        WorkflowRecord {
            workflow: workflow("provision-database", "Provision database", WorkflowFormatDto::Json, PROVISION_DATABASE_DESCRIPTION, "infrastructure"),
            source: PROVISION_DATABASE_SOURCE.to_owned(),
            input_schema: object(json!({
                "title": "Database request",
                "type": "object",
                "properties": {
                    "component": { "type": "string", "title": "Owning component", "description": "Catalog reference, e.g. component:default/payments-service" },
                    "size": { "type": "string", "title": "Instance size", "enum": ["small", "medium", "large"], "default": "small" },
                    "highAvailability": { "type": "boolean", "title": "Replicate across zones", "default": false }
                },
                "required": ["component", "size"]
            })),
            service_url: "http://provision-database.sonataflow-infra".to_owned(),
            available: true,
            entry_node: "Manager Approval".to_owned(),
        },
        WorkflowRecord {
            workflow: workflow("security-assessment", "Security assessment", WorkflowFormatDto::Yaml, SECURITY_ASSESSMENT_DESCRIPTION, "assessment"),
            source: SECURITY_ASSESSMENT_SOURCE.to_owned(),
            input_schema: object(json!({
                "title": "Repository to assess",
                "type": "object",
                "properties": {
                    "repositoryUrl": { "type": "string", "format": "uri", "title": "Repository URL" },
                    "branch": { "type": "string", "title": "Branch", "default": "main" }
                },
                "required": ["repositoryUrl"]
            })),
            service_url: "http://security-assessment.sonataflow-infra".to_owned(),
            available: true,
            entry_node: "Scan repository".to_owned(),
        },
        WorkflowRecord {
            workflow: workflow(
                "rotate-credentials",
                "Rotate service credentials",
                WorkflowFormatDto::Json,
                ROTATE_CREDENTIALS_DESCRIPTION,
                "infrastructure",
            ),
            source: ROTATE_CREDENTIALS_SOURCE.to_owned(),
            input_schema: object(json!({
                "title": "Credentials to rotate",
                "type": "object",
                "properties": {
                    "secretPath": { "type": "string", "title": "Vault path" },
                    "notify": { "type": "array", "title": "Teams to notify", "items": { "type": "string" } }
                },
                "required": ["secretPath"]
            })),
            // Freshly deployed and its service has not come up yet: ping is false, runs cannot start.
            service_url: "http://rotate-credentials.sonataflow-infra".to_owned(),
            available: false,
            entry_node: "Generate secret".to_owned(),
        },
    ]
}

/// The seeded runs, oldest workflow first; see [`instance_documents`] for their wire form.
pub fn instances() -> Vec<ProcessInstanceDto> {
    // A document that does not fit the DTO is dropped rather than crashing the server; the tests make
    // sure none is.
    instance_documents().into_iter().filter_map(|document| serde_json::from_value(document).ok()).collect()
}

const USER_ONBOARDING_DESCRIPTION: &str = "Creates accounts and group memberships for a new hire.";
const PROVISION_DATABASE_DESCRIPTION: &str = "Requests a managed PostgreSQL instance for a component.";
const SECURITY_ASSESSMENT_DESCRIPTION: &str = "Scans a repository and suggests the workflows that fix what it finds.";
const ROTATE_CREDENTIALS_DESCRIPTION: &str = "Replaces a service's database password and notifies its owners.";

fn workflow(id: &str, name: &str, format: WorkflowFormatDto, description: &str, category: &str) -> WorkflowDto {
    WorkflowDto {
        id: id.to_owned(),
        name: Some(name.to_owned()),
        format,
        description: Some(description.to_owned()),
        annotations: Some(vec![format!("workflow-type/{category}")]),
    }
}

fn object(value: Value) -> Option<BTreeMap<String, Value>> {
    match value {
        Value::Object(members) => Some(members.into_iter().collect()),
        _ => None,
    }
}

const USER_ONBOARDING_SOURCE: &str = r#"id: user-onboarding
version: '1.0'
specVersion: '0.8'
name: User onboarding
description: Creates accounts and group memberships for a new hire.
annotations:
  - workflow-type/infrastructure
dataInputSchema: schemas/user-onboarding.input.json
functions:
  - name: createAccount
    operation: specs/directory.yaml#createAccount
  - name: addMembership
    operation: specs/directory.yaml#addMembership
  - name: notify
    operation: specs/notifications.yaml#send
start: Create account
states:
  - name: Create account
    type: operation
    actions:
      - functionRef:
          refName: createAccount
          arguments:
            username: .username
    retryRef: directory-retry
    transition: Add to groups
  - name: Add to groups
    type: operation
    actions:
      - functionRef:
          refName: addMembership
          arguments:
            username: .username
            group: .team
    transition: Notify manager
  - name: Notify manager
    type: operation
    actions:
      - functionRef:
          refName: notify
          arguments:
            message: '"Account " + .username + " is ready"'
    end: true
retries:
  - name: directory-retry
    maxAttempts: 3
    delay: PT2S
"#;

const PROVISION_DATABASE_SOURCE: &str = r#"{
  "id": "provision-database",
  "version": "1.0",
  "specVersion": "0.8",
  "name": "Provision database",
  "description": "Requests a managed PostgreSQL instance for a component.",
  "annotations": ["workflow-type/infrastructure"],
  "dataInputSchema": "schemas/provision-database.input.json",
  "events": [
    { "name": "approvalDecision", "source": "approvals", "type": "approval.decision" }
  ],
  "functions": [
    { "name": "createInstance", "operation": "specs/dbaas.yaml#createInstance" },
    { "name": "storeSecret", "operation": "specs/vault.yaml#writeSecret" }
  ],
  "start": "Manager Approval",
  "states": [
    {
      "name": "Manager Approval",
      "type": "callback",
      "action": { "name": "requestApproval", "functionRef": "requestApproval" },
      "eventRef": "approvalDecision",
      "timeouts": { "eventTimeout": "P2D" },
      "transition": "Create instance"
    },
    {
      "name": "Create instance",
      "type": "operation",
      "actions": [
        { "functionRef": { "refName": "createInstance", "arguments": { "size": ".size", "ha": ".highAvailability" } } }
      ],
      "transition": "Publish credentials"
    },
    {
      "name": "Publish credentials",
      "type": "operation",
      "actions": [{ "functionRef": { "refName": "storeSecret", "arguments": { "component": ".component" } } }],
      "end": true
    }
  ]
}
"#;

const SECURITY_ASSESSMENT_SOURCE: &str = r#"id: security-assessment
version: '1.0'
specVersion: '0.8'
name: Security assessment
description: Scans a repository and suggests the workflows that fix what it finds.
annotations:
  - workflow-type/assessment
dataInputSchema: schemas/security-assessment.input.json
functions:
  - name: scan
    operation: specs/scanner.yaml#startScan
start: Scan repository
states:
  - name: Scan repository
    type: operation
    actions:
      - functionRef:
          refName: scan
          arguments:
            url: .repositoryUrl
            branch: .branch
    transition: Review findings
  - name: Review findings
    type: sleep
    duration: PT1H
    transition: Report
  - name: Report
    type: inject
    data:
      result:
        message: Assessment finished.
    end: true
"#;

const ROTATE_CREDENTIALS_SOURCE: &str = r#"{
  "id": "rotate-credentials",
  "version": "1.0",
  "specVersion": "0.8",
  "name": "Rotate service credentials",
  "description": "Replaces a service's database password and notifies its owners.",
  "annotations": ["workflow-type/infrastructure"],
  "dataInputSchema": "schemas/rotate-credentials.input.json",
  "functions": [
    { "name": "generate", "operation": "specs/vault.yaml#generatePassword" },
    { "name": "write", "operation": "specs/vault.yaml#writeSecret" }
  ],
  "start": "Generate secret",
  "states": [
    {
      "name": "Generate secret",
      "type": "operation",
      "actions": [{ "functionRef": { "refName": "generate" } }],
      "transition": "Update vault"
    },
    {
      "name": "Update vault",
      "type": "operation",
      "actions": [{ "functionRef": { "refName": "write", "arguments": { "path": ".secretPath" } } }],
      "end": true
    }
  ]
}
"#;

fn node(id: &str, name: &str, kind: &str, position: u32, enter: &str, exit: Option<&str>) -> Value {
    json!({
        "__typename": "NodeInstance",
        "id": id,
        "name": name,
        "type": kind,
        "enter": enter,
        "exit": exit,
        "definitionId": format!("_jbpm-unique-{position}"),
        "nodeId": (position + 1).to_string()
    })
}

/// The seeded runs as the Data Index would report them.
pub fn instance_documents() -> Vec<Value> {
    vec![
        json!({
            "id": "3f2b8c1e-9a47-4d2b-b6f0-1c8e5a7d9e21",
            "processId": "user-onboarding",
            "processName": "User onboarding",
            "state": "COMPLETED",
            "endpoint": "http://user-onboarding.sonataflow-infra/user-onboarding",
            "serviceUrl": "http://user-onboarding.sonataflow-infra",
            "start": "2025-08-10T08:00:00.000Z",
            "end": "2025-08-10T08:00:06.250Z",
            "duration": "6 seconds",
            "description": "Onboarding of Ada Lovelace",
            "workflowdata": {
                "username": "alovelace",
                "team": "platform",
                "result": {
                    "message": "Account alovelace created and added to 2 groups.",
                    "outputs": [
                        { "key": "Groups", "value": 2, "format": "number" },
                        { "key": "Directory entry", "value": "https://directory.example.com/users/alovelace", "format": "link" }
                    ]
                }
            },
            "initiatorEntity": "user:default/jdoe",
            "targetEntity": "component:default/platform-portal",
            "executionSummary": ["Account created on the first attempt."],
            "nodes": [
                node("a1f0c3d2-1b4e-4c5f-9a6b-7c8d9e0f1a2b", "Start", "StartNode", 0, "2025-08-10T08:00:00.010Z", Some("2025-08-10T08:00:00.011Z")),
                node("b2a1d4e3-2c5f-4d6a-8b7c-8d9e0f1a2b3c", "Create account", "WorkItemNode", 2, "2025-08-10T08:00:00.020Z", Some("2025-08-10T08:00:02.400Z")),
                node("c3b2e5f4-3d6a-4e7b-9c8d-9e0f1a2b3c4d", "Add to groups", "WorkItemNode", 3, "2025-08-10T08:00:02.410Z", Some("2025-08-10T08:00:05.900Z")),
                node("d4c3f6a5-4e7b-4f8c-8d9e-0f1a2b3c4d5e", "Notify manager", "WorkItemNode", 4, "2025-08-10T08:00:05.910Z", Some("2025-08-10T08:00:06.240Z")),
                node("e5d4a7b6-5f8c-4a9d-9e0f-1a2b3c4d5e6f", "End", "EndNode", 5, "2025-08-10T08:00:06.245Z", Some("2025-08-10T08:00:06.246Z"))
            ],
            "error": null
        }),
        json!({
            "id": "5b1e7c42-0d9a-4f7e-8c35-2a6f90d1b7e4",
            "processId": "user-onboarding",
            "processName": "User onboarding",
            "state": "ERROR",
            "endpoint": "http://user-onboarding.sonataflow-infra/user-onboarding",
            "serviceUrl": "http://user-onboarding.sonataflow-infra",
            "start": "2025-08-12T09:14:03.512Z",
            "end": "2025-08-12T09:14:09.877Z",
            "duration": "6 seconds",
            "description": null,
            "workflowdata": {
                "username": "jdoe",
                "team": "payments",
                "accountRequestId": "8812",
                "result": {
                    "message": "The directory refused to create the account.",
                    "outputs": [
                        { "key": "Directory response", "value": "https://directory.example.com/requests/8812", "format": "link" },
                        { "key": "Attempts", "value": 3, "format": "number" }
                    ]
                }
            },
            "initiatorEntity": "user:default/jdoe",
            "targetEntity": "component:default/payments-service",
            "executionSummary": ["Account creation was attempted 3 times."],
            "nodes": [
                node("1c9e3f60-aa27-4b55-9d0e-e2f8b7a41c39", "Start", "StartNode", 0, "2025-08-12T09:14:03.530Z", Some("2025-08-12T09:14:03.531Z")),
                node("6a0d2b87-54e1-4f3c-8b9a-07c6d1e5f2a4", "Create account", "WorkItemNode", 2, "2025-08-12T09:14:03.540Z", None)
            ],
            "error": {
                "__typename": "ProcessInstanceError",
                "nodeDefinitionId": "_jbpm-unique-2",
                "message": "HTTP 409 Conflict: user jdoe already exists"
            }
        }),
        json!({
            "id": "9d7e6f50-2c1b-4a8e-8f3d-6b5a4c3d2e1f",
            "processId": "provision-database",
            "processName": "Provision database",
            "state": "ABORTED",
            "endpoint": "http://provision-database.sonataflow-infra/provision-database",
            "serviceUrl": "http://provision-database.sonataflow-infra",
            "start": "2025-08-05T14:20:00Z",
            "end": "2025-08-05T16:02:11Z",
            "duration": "1 hour",
            "description": "Database for the search indexer (cancelled: wrong size)",
            "workflowdata": { "component": "component:default/search-indexer", "size": "large", "highAvailability": true },
            "initiatorEntity": "user:default/mchen",
            "targetEntity": "component:default/search-indexer",
            "nodes": [
                node("f6e5b8c7-6a9d-4b0e-8f1a-2b3c4d5e6f70", "Start", "StartNode", 0, "2025-08-05T14:20:00.020Z", Some("2025-08-05T14:20:00.021Z")),
                node("07f6c9d8-7b0e-4c1f-9a2b-3c4d5e6f7081", "Manager Approval", "HumanTaskNode", 4, "2025-08-05T14:20:00.030Z", Some("2025-08-05T16:02:11Z"))
            ],
            "error": null
        }),
        json!({
            "id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
            "processId": "provision-database",
            "processName": "Provision database",
            "state": "PENDING",
            "endpoint": null,
            "serviceUrl": "http://provision-database.sonataflow-infra",
            "start": "2025-08-06T07:30:00Z",
            "end": null,
            "description": null,
            "workflowdata": { "component": "component:default/search-indexer", "size": "small", "highAvailability": false },
            "initiatorEntity": "user:default/mchen",
            "targetEntity": "component:default/search-indexer",
            "nodes": [],
            "error": null
        }),
        json!({
            "id": "0f4c2a9e-71b3-4d8e-9a66-3c5d8e21f0ab",
            "processId": "provision-database",
            "processName": "Provision database",
            "state": "ACTIVE",
            "endpoint": "http://provision-database.sonataflow-infra/provision-database",
            "serviceUrl": "http://provision-database.sonataflow-infra",
            "start": "2025-08-11T09:13:31.000Z",
            "end": null,
            "description": null,
            "workflowdata": { "component": "component:default/payments-service", "size": "medium", "highAvailability": true },
            "initiatorEntity": "user:default/jdoe",
            "targetEntity": "component:default/payments-service",
            "nodes": [
                node("18a7dae9-8c1f-4d2a-8b3c-4d5e6f708192", "Start", "StartNode", 0, "2025-08-11T09:13:31.020Z", Some("2025-08-11T09:13:31.021Z")),
                node("7d21c0b4-3f6e-4a8b-b1d9-58e2a4c7f013", "Manager Approval", "HumanTaskNode", 4, "2025-08-11T09:13:32.140Z", None)
            ],
            "error": null
        }),
        json!({
            "id": "c8a1d2e3-f4b5-4c6d-8e7f-90a1b2c3d4e5",
            "processId": "security-assessment",
            "processName": "Security assessment",
            "state": "COMPLETED",
            "endpoint": "http://security-assessment.sonataflow-infra/security-assessment",
            "serviceUrl": "http://security-assessment.sonataflow-infra",
            "start": "2025-08-09T12:00:00Z",
            "end": "2025-08-09T12:03:30Z",
            "duration": "3 minutes",
            "description": "Quarterly scan of the indexer",
            "workflowdata": {
                "repositoryUrl": "https://git.example.com/search/indexer",
                "branch": "main",
                "result": {
                    "message": "Assessment finished: the indexer has no dedicated database yet.",
                    "nextWorkflows": [{ "id": "provision-database", "name": "Provision database" }],
                    "outputs": [
                        { "key": "Findings", "value": 1, "format": "number" },
                        { "key": "Report", "value": "https://scanner.example.com/reports/4471", "format": "link" }
                    ]
                }
            },
            "initiatorEntity": "user:default/asmith",
            "targetEntity": "component:default/search-indexer",
            "executionSummary": ["1 finding", "Suggested: Provision database"],
            "nodes": [
                node("29b8ebfa-9d2a-4e3b-9c4d-5e6f708192a3", "Start", "StartNode", 0, "2025-08-09T12:00:00.015Z", Some("2025-08-09T12:00:00.016Z")),
                node("3ac9fc0b-ae3b-4f4c-8d5e-6f708192a3b4", "Scan repository", "WorkItemNode", 1, "2025-08-09T12:00:00.020Z", Some("2025-08-09T12:03:29.100Z")),
                node("4bda0d1c-bf4c-405d-9e6f-708192a3b4c5", "Report", "ActionNode", 3, "2025-08-09T12:03:29.110Z", Some("2025-08-09T12:03:29.900Z")),
                node("5ceb1e2d-c05d-416e-8f70-8192a3b4c5d6", "End", "EndNode", 4, "2025-08-09T12:03:29.910Z", Some("2025-08-09T12:03:29.911Z"))
            ],
            "error": null
        }),
        json!({
            "id": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
            "processId": "security-assessment",
            "processName": "Security assessment",
            "state": "SUSPENDED",
            "endpoint": "http://security-assessment.sonataflow-infra/security-assessment",
            "serviceUrl": "http://security-assessment.sonataflow-infra",
            "start": "2025-08-12T10:05:00Z",
            "end": null,
            "description": "Pre-release scan of the payments service",
            "workflowdata": { "repositoryUrl": "https://git.example.com/payments/service", "branch": "release-2.4" },
            "initiatorEntity": "user:default/asmith",
            "targetEntity": "component:default/payments-service",
            "nodes": [
                node("6dfc2f3e-d16e-427f-9081-92a3b4c5d6e7", "Start", "StartNode", 0, "2025-08-12T10:05:00.010Z", Some("2025-08-12T10:05:00.011Z")),
                node("7e0d304f-e27f-4380-8192-a3b4c5d6e7f8", "Scan repository", "WorkItemNode", 1, "2025-08-12T10:05:00.020Z", Some("2025-08-12T10:09:41.300Z")),
                node("8f1e4150-f380-4491-92a3-b4c5d6e7f809", "Review findings", "TimerNode", 2, "2025-08-12T10:09:41.310Z", None)
            ],
            "error": null
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use orchestrator_api::ProcessInstanceStatusDto;
    use std::collections::BTreeSet;

    #[test]
    fn every_instance_document_fits_the_dto_and_survives_a_round_trip() {
        let documents = instance_documents();
        let runs = instances();
        assert_eq!(runs.len(), documents.len(), "a seeded run was dropped");
        for (run, document) in runs.iter().zip(&documents) {
            let back = serde_json::to_value(run).expect("serializes");
            let parsed: ProcessInstanceDto = serde_json::from_value(back).expect("parses again");
            assert_eq!(&parsed, run, "{}", document["id"]);
        }
    }

    #[test]
    fn seeded_runs_cover_every_state_and_belong_to_seeded_workflows() {
        let workflow_ids: BTreeSet<String> = workflows().into_iter().map(|record| record.workflow.id).collect();
        let runs = instances();
        let states: BTreeSet<&str> = runs.iter().filter_map(|run| run.state.as_ref()).map(ProcessInstanceStatusDto::as_str).collect();
        assert_eq!(states, BTreeSet::from(["ACTIVE", "ERROR", "COMPLETED", "ABORTED", "SUSPENDED", "PENDING"]));
        assert!(runs.iter().all(|run| workflow_ids.contains(&run.process_id)));
        let ids: BTreeSet<&str> = runs.iter().map(|run| run.id.as_str()).collect();
        assert_eq!(ids.len(), runs.len(), "run ids are unique");
    }

    #[test]
    fn finished_runs_have_an_end_and_unfinished_ones_do_not() {
        for run in instances() {
            let finished =
                matches!(run.state, Some(ProcessInstanceStatusDto::Completed | ProcessInstanceStatusDto::Aborted | ProcessInstanceStatusDto::Error));
            assert_eq!(matches!(run.end, Some(Some(_))), finished, "{}", run.id);
            assert!(run.end.flatten().is_none_or(|end| run.start.is_some_and(|start| start <= end)), "{}", run.id);
            assert_eq!(matches!(run.error, Some(Some(_))), run.state == Some(ProcessInstanceStatusDto::Error), "{}", run.id);
        }
    }

    #[test]
    fn workflows_are_consistent_with_their_sources() {
        for record in workflows() {
            let id = &record.workflow.id;
            assert!(record.source.contains(&format!("\"id\": \"{id}\"")) || record.source.starts_with(&format!("id: {id}\n")), "{id}");
            if record.workflow.format == WorkflowFormatDto::Json {
                assert!(serde_json::from_str::<Value>(&record.source).is_ok(), "{id} holds JSON");
            }
            assert!(record.source.contains(&record.entry_node), "{id} starts at a state of its source");
            let schema = record.input_schema.as_ref().expect("every seeded workflow takes input");
            assert_eq!(schema.get("type"), Some(&json!("object")), "{id}");
        }
    }
}
