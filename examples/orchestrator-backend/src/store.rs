//! The in-memory Orchestrator: deployed workflows, their runs, and one method per `/v2` operation.
//!
//! # Behaviour
//!
//! - Every method takes `&self`; one `RwLock` guards all data, so each operation sees and leaves a
//!   consistent state. A poisoned lock is recovered rather than propagated: no operation leaves data
//!   half-written before it could panic, and a request must never crash the server.
//! - Unknown workflow or run ids give [`StoreError::UnknownWorkflow`] / [`StoreError::UnknownInstance`].
//!   A run addressed through a workflow it does not belong to (`retrigger_instance`, the `instanceId`
//!   of `get_workflow_input_schema_by_id`) counts as unknown, like upstream's "instance … of workflow
//!   … does not exist". The workflow is checked before the search request.
//! - Run states: `execute_workflow` creates an `ACTIVE` run. `abort_workflow` accepts every run that
//!   has not finished (`ACTIVE`, `SUSPENDED`, `ERROR`, and also `PENDING`, which the Kogito runtime
//!   lets you abort too) and moves it to `ABORTED`; a `COMPLETED` or `ABORTED` run (or one in a state
//!   this version does not know) gives [`StoreError::Conflict`], so aborting twice is a conflict, not
//!   a silent success. `retrigger_instance` only resumes `ERROR` runs (back to `ACTIVE`, re-entering
//!   the failed node); any other state is a conflict.
//! - Starting or resuming a run needs the workflow's runtime service: while it is marked unavailable
//!   (`ping_workflow_service_by_id` is `false`) those two operations give a conflict. Aborting does
//!   not, and reads never do.
//! - Auth tokens in execute/retrigger requests are accepted and ignored: nothing here calls external
//!   providers. `inputData` is stored as given; validating it against the input schema is the
//!   runtime's job upstream as well.
//! - Timestamps of new events have millisecond precision, like the Data Index's.
//! - List results are in store order (workflows as seeded, runs by creation) unless `orderBy` says
//!   otherwise; search semantics are described in [`crate::search`].

use std::collections::hash_map::RandomState;
use std::collections::BTreeMap;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use oas_runtime::chrono::{TimeDelta, Utc};
use oas_runtime::DateTime;
use orchestrator_api::{
    ExecuteWorkflowRequestDto, ExecuteWorkflowResponseDto, GetWorkflowsOverviewForEntityRequestBody, InputSchemaResponseDto, NodeInstanceDto,
    NodeInstanceDtoTypename, PaginationInfoDto, ProcessInstanceDto, ProcessInstanceListResultDto, ProcessInstanceStatusDto,
    RetriggerInstanceRequestDto, SearchRequest, WorkflowDataDto, WorkflowDto, WorkflowOverviewDto, WorkflowOverviewListResultDto,
    WorkflowRunStatusDto,
};
use serde_json::Value;

use crate::search::{self, InvalidSearch, Search};

/// Why an operation could not be carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No workflow has this id.
    UnknownWorkflow(String),
    /// No run has this id (or not within the named workflow).
    UnknownInstance(String),
    /// The search request cannot be evaluated; the message says why.
    InvalidFilter(String),
    /// The operation does not fit the run's (or service's) current state.
    Conflict(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::UnknownWorkflow(id) => write!(f, "Workflow '{id}' does not exist."),
            StoreError::UnknownInstance(id) => write!(f, "Instance '{id}' does not exist."),
            StoreError::InvalidFilter(message) => write!(f, "Invalid search request: {message}"),
            StoreError::Conflict(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<InvalidSearch> for StoreError {
    fn from(error: InvalidSearch) -> Self {
        StoreError::InvalidFilter(error.0)
    }
}

/// A deployed workflow: what the API reports about it plus what the store needs to run it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowRecord {
    /// Id, name, format, description and annotations (the category, e.g. `workflow-type/assessment`).
    pub workflow: WorkflowDto,
    /// The definition text, in the format named by `workflow.format`.
    pub source: String,
    /// JSON Schema of the start input; `None` when the workflow takes none.
    pub input_schema: Option<BTreeMap<String, Value>>,
    /// Base URL of the runtime service hosting the workflow.
    pub service_url: String,
    /// Whether that service currently answers.
    pub available: bool,
    /// Name of the first state, entered when a run starts.
    pub entry_node: String,
}

#[derive(Debug, Default)]
struct State {
    workflows: Vec<WorkflowRecord>,
    instances: Vec<ProcessInstanceDto>,
}

/// Thread-safe in-memory store; share it behind an `Arc`.
#[derive(Debug, Default)]
pub struct Store {
    state: RwLock<State>,
}

impl Store {
    /// A store holding exactly these workflows and runs.
    pub fn new(workflows: Vec<WorkflowRecord>, instances: Vec<ProcessInstanceDto>) -> Self {
        Store { state: RwLock::new(State { workflows, instances }) }
    }

    /// A store with the demo data of [`crate::seed`].
    pub fn seeded() -> Self {
        Store::new(crate::seed::workflows(), crate::seed::instances())
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn workflow_count(&self) -> usize {
        self.read().workflows.len()
    }

    pub fn instance_count(&self) -> usize {
        self.read().instances.len()
    }

    /// Marks a workflow's runtime service as up or down (what `ping_workflow_service_by_id` reports).
    pub fn set_workflow_available(&self, workflow_id: &str, available: bool) -> Result<(), StoreError> {
        let mut state = self.write();
        let workflow = state.workflows.iter_mut().find(|record| record.workflow.id == workflow_id);
        workflow.ok_or_else(|| StoreError::UnknownWorkflow(workflow_id.to_owned()))?.available = available;
        Ok(())
    }

    /// `getWorkflowsOverview`: overviews matching the search, one page of them.
    pub fn get_workflows_overview(&self, search: &SearchRequest) -> Result<WorkflowOverviewListResultDto, StoreError> {
        let search = Search::compile(search, &search::OVERVIEW)?;
        let state = self.read();
        let overviews = state.workflows.iter().map(|workflow| overview(workflow, &state.instances));
        Ok(WorkflowOverviewListResultDto { overviews: Some(search.run(overviews)), pagination_info: Some(search.pagination_info()) })
    }

    /// `getWorkflowsOverviewForEntity`: workflows named in the entity's annotation plus those with runs
    /// that targeted the entity, in store order. Annotation ids of workflows that are not deployed are
    /// skipped (catalog annotations go stale); an empty request gives an empty list.
    pub fn get_workflows_overview_for_entity(&self, request: &GetWorkflowsOverviewForEntityRequestBody) -> WorkflowOverviewListResultDto {
        let state = self.read();
        let annotated = request.annotation_workflow_ids.as_deref().unwrap_or_default();
        let targeted = |workflow_id: &str| {
            request
                .target_entity
                .as_deref()
                .is_some_and(|entity| state.instances.iter().any(|run| run.process_id == workflow_id && run.target_entity.as_deref() == Some(entity)))
        };
        let overviews = state
            .workflows
            .iter()
            .filter(|record| annotated.contains(&record.workflow.id) || targeted(&record.workflow.id))
            .map(|record| overview(record, &state.instances))
            .collect();
        WorkflowOverviewListResultDto {
            overviews: Some(overviews),
            pagination_info: Some(PaginationInfoDto { offset: Some(0.0), ..PaginationInfoDto::default() }),
        }
    }

    /// `getWorkflowOverviewById`.
    pub fn get_workflow_overview_by_id(&self, workflow_id: &str) -> Result<WorkflowOverviewDto, StoreError> {
        let state = self.read();
        Ok(overview(find_workflow(&state.workflows, workflow_id)?, &state.instances))
    }

    /// `getWorkflowSourceById`: the definition text as stored.
    pub fn get_workflow_source_by_id(&self, workflow_id: &str) -> Result<String, StoreError> {
        Ok(find_workflow(&self.read().workflows, workflow_id)?.source.clone())
    }

    /// `getWorkflowInputSchemaById`. With an `instance_id`, `data` holds that run's input: the members
    /// of its `workflowdata` that the schema declares under `properties` (all members except `result`
    /// when the schema declares none), so values the workflow added while running are not offered back.
    pub fn get_workflow_input_schema_by_id(&self, workflow_id: &str, instance_id: Option<&str>) -> Result<InputSchemaResponseDto, StoreError> {
        let state = self.read();
        let workflow = find_workflow(&state.workflows, workflow_id)?;
        let data = match instance_id {
            None => None,
            Some(instance_id) => Some(previous_input(workflow, find_run_of(&state.instances, workflow_id, instance_id)?)),
        };
        Ok(InputSchemaResponseDto { input_schema: workflow.input_schema.clone(), data })
    }

    /// `pingWorkflowServiceById`.
    pub fn ping_workflow_service_by_id(&self, workflow_id: &str) -> Result<bool, StoreError> {
        Ok(find_workflow(&self.read().workflows, workflow_id)?.available)
    }

    /// `getInstances`: runs of every workflow matching the search, one page of them.
    pub fn get_instances(&self, search: &SearchRequest) -> Result<ProcessInstanceListResultDto, StoreError> {
        let search = Search::compile(search, &search::INSTANCE)?;
        let state = self.read();
        Ok(instance_page(&search, state.instances.iter()))
    }

    /// `getWorkflowInstances`: like [`Store::get_instances`], restricted to one workflow's runs.
    pub fn get_workflow_instances(&self, workflow_id: &str, search: &SearchRequest) -> Result<ProcessInstanceListResultDto, StoreError> {
        let state = self.read();
        find_workflow(&state.workflows, workflow_id)?;
        let search = Search::compile(search, &search::INSTANCE)?;
        Ok(instance_page(&search, state.instances.iter().filter(|run| run.process_id == workflow_id)))
    }

    /// `getInstanceById`.
    pub fn get_instance_by_id(&self, instance_id: &str) -> Result<ProcessInstanceDto, StoreError> {
        find_run(&self.read().instances, instance_id).cloned()
    }

    /// `getWorkflowStatuses`: every run state with its display label, in the document's order.
    pub fn get_workflow_statuses(&self) -> Vec<WorkflowRunStatusDto> {
        [
            ProcessInstanceStatusDto::Active,
            ProcessInstanceStatusDto::Error,
            ProcessInstanceStatusDto::Completed,
            ProcessInstanceStatusDto::Aborted,
            ProcessInstanceStatusDto::Suspended,
            ProcessInstanceStatusDto::Pending,
        ]
        .iter()
        .map(|status| WorkflowRunStatusDto { key: Some(label(status)), value: Some(status.as_str().to_owned()) })
        .collect()
    }

    /// `executeWorkflow`: starts an `ACTIVE` run with a fresh id, entering the workflow's first state.
    pub fn execute_workflow(&self, workflow_id: &str, request: &ExecuteWorkflowRequestDto) -> Result<ExecuteWorkflowResponseDto, StoreError> {
        let mut state = self.write();
        let run = {
            let workflow = find_workflow(&state.workflows, workflow_id)?;
            check_reachable(workflow, "started")?;
            new_run(workflow, request, now())
        };
        let id = run.id.clone();
        state.instances.push(run);
        Ok(ExecuteWorkflowResponseDto { id })
    }

    /// `retriggerInstance`: resumes an `ERROR` run from the node that failed. Returns the updated run;
    /// the HTTP layer answers with an empty object as upstream does.
    pub fn retrigger_instance(
        &self,
        workflow_id: &str,
        instance_id: &str,
        _request: &RetriggerInstanceRequestDto,
    ) -> Result<ProcessInstanceDto, StoreError> {
        let mut guard = self.write();
        let state = &mut *guard;
        let workflow = find_workflow(&state.workflows, workflow_id)?;
        let run = state
            .instances
            .iter_mut()
            .find(|run| run.id == instance_id && run.process_id == workflow_id)
            .ok_or_else(|| StoreError::UnknownInstance(instance_id.to_owned()))?;
        if run.state != Some(ProcessInstanceStatusDto::Error) {
            return Err(StoreError::Conflict(format!("instance '{instance_id}' is {}; only runs in ERROR can be retriggered", state_name(run))));
        }
        check_reachable(workflow, "resumed")?;
        resume(run, now());
        Ok(run.clone())
    }

    /// `abortWorkflow`: stops a run that has not finished. Returns the updated run; the HTTP layer
    /// answers with the text `success` as upstream does.
    pub fn abort_workflow(&self, instance_id: &str) -> Result<ProcessInstanceDto, StoreError> {
        let mut state = self.write();
        let run = state.instances.iter_mut().find(|run| run.id == instance_id).ok_or_else(|| StoreError::UnknownInstance(instance_id.to_owned()))?;
        if !is_abortable(run.state.as_ref()) {
            return Err(StoreError::Conflict(format!("instance '{instance_id}' is {} and cannot be aborted", state_name(run))));
        }
        finish(run, ProcessInstanceStatusDto::Aborted, now());
        Ok(run.clone())
    }
}

fn find_workflow<'a>(workflows: &'a [WorkflowRecord], workflow_id: &str) -> Result<&'a WorkflowRecord, StoreError> {
    workflows.iter().find(|record| record.workflow.id == workflow_id).ok_or_else(|| StoreError::UnknownWorkflow(workflow_id.to_owned()))
}

fn find_run<'a>(instances: &'a [ProcessInstanceDto], instance_id: &str) -> Result<&'a ProcessInstanceDto, StoreError> {
    instances.iter().find(|run| run.id == instance_id).ok_or_else(|| StoreError::UnknownInstance(instance_id.to_owned()))
}

fn find_run_of<'a>(instances: &'a [ProcessInstanceDto], workflow_id: &str, instance_id: &str) -> Result<&'a ProcessInstanceDto, StoreError> {
    find_run(instances, instance_id)
        .ok()
        .filter(|run| run.process_id == workflow_id)
        .ok_or_else(|| StoreError::UnknownInstance(instance_id.to_owned()))
}

fn check_reachable(workflow: &WorkflowRecord, action: &str) -> Result<(), StoreError> {
    if workflow.available {
        return Ok(());
    }
    Err(StoreError::Conflict(format!(
        "the service of workflow '{}' ({}) is not reachable, so no run can be {action}",
        workflow.workflow.id, workflow.service_url
    )))
}

fn is_abortable(state: Option<&ProcessInstanceStatusDto>) -> bool {
    matches!(
        state,
        Some(
            ProcessInstanceStatusDto::Active
                | ProcessInstanceStatusDto::Suspended
                | ProcessInstanceStatusDto::Error
                | ProcessInstanceStatusDto::Pending
        )
    )
}

fn state_name(run: &ProcessInstanceDto) -> &str {
    run.state.as_ref().map_or("without a state", ProcessInstanceStatusDto::as_str)
}

fn label(status: &ProcessInstanceStatusDto) -> String {
    let name = status.as_str();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

/// Summary of a workflow and its most recent run (latest `start`; on a tie the later-created run).
fn overview(record: &WorkflowRecord, instances: &[ProcessInstanceDto]) -> WorkflowOverviewDto {
    let last = instances.iter().filter(|run| run.process_id == record.workflow.id).max_by(|a, b| a.start.cmp(&b.start));
    WorkflowOverviewDto {
        workflow_id: record.workflow.id.clone(),
        name: record.workflow.name.clone(),
        format: record.workflow.format.clone(),
        last_run_id: last.map(|run| run.id.clone()),
        last_triggered_ms: last.and_then(|run| run.start).map(|start| start.timestamp_millis() as f64),
        last_run_status: last.and_then(|run| run.state.clone()),
        description: record.workflow.description.clone(),
        is_available: Some(record.available),
    }
}

fn instance_page<'a>(search: &Search, runs: impl Iterator<Item = &'a ProcessInstanceDto>) -> ProcessInstanceListResultDto {
    let items = search.run(runs).into_iter().cloned().collect();
    ProcessInstanceListResultDto { items: Some(items), pagination_info: Some(search.pagination_info()) }
}

fn previous_input(workflow: &WorkflowRecord, run: &ProcessInstanceDto) -> BTreeMap<String, Value> {
    let declared = workflow.input_schema.as_ref().and_then(|schema| schema.get("properties")).and_then(Value::as_object);
    run.workflowdata
        .iter()
        .flat_map(|data| &data.additional_properties)
        .filter(|(name, _)| declared.is_none_or(|properties| properties.contains_key(name.as_str())))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// The current time at the Data Index's millisecond precision.
fn now() -> DateTime {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

/// A random (version 4) UUID. Randomness comes from std's per-process random hash keys, fed with a
/// counter so two ids of one process never share their input; good enough for demo ids, and it spares
/// the workspace uuid's `v4` feature (and its extra dependencies).
fn fresh_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let counter = COUNTER.fetch_add(1, AtomicOrdering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_nanos());
    let keys = RandomState::new();
    let high = keys.hash_one((counter, nanos, 0u8));
    let low = keys.hash_one((counter, nanos, 1u8));
    let bytes = ((u128::from(high) << 64) | u128::from(low)).to_be_bytes();
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

fn node(name: &str, kind: &str, position: usize, enter: DateTime, exit: Option<DateTime>) -> NodeInstanceDto {
    NodeInstanceDto {
        typename: Some(NodeInstanceDtoTypename::NodeInstance),
        id: fresh_id(),
        name: Some(name.to_owned()),
        r#type: Some(kind.to_owned()),
        enter: Some(enter),
        exit: Some(exit),
        definition_id: Some(format!("_jbpm-unique-{position}")),
        node_id: Some((position + 1).to_string()),
    }
}

fn new_run(record: &WorkflowRecord, request: &ExecuteWorkflowRequestDto, started: DateTime) -> ProcessInstanceDto {
    let workflow = &record.workflow;
    ProcessInstanceDto {
        id: fresh_id(),
        process_id: workflow.id.clone(),
        process_name: workflow.name.clone(),
        state: Some(ProcessInstanceStatusDto::Active),
        endpoint: Some(Some(format!("{}/{}", record.service_url, workflow.id))),
        service_url: Some(Some(record.service_url.clone())),
        start: Some(started),
        end: Some(None),
        duration: None,
        description: Some(None),
        workflowdata: Some(WorkflowDataDto { result: None, additional_properties: request.input_data.clone().unwrap_or_default() }),
        initiator_entity: None,
        target_entity: request.target_entity.clone(),
        execution_summary: None,
        nodes: vec![node("Start", "StartNode", 0, started, Some(started)), node(&record.entry_node, "CompositeContextNode", 1, started, None)],
        error: Some(None),
    }
}

/// Leaves every node the run is still inside, as the runtime does when a run stops or moves on.
fn close_open_nodes(run: &mut ProcessInstanceDto, at: DateTime) {
    for visit in &mut run.nodes {
        if !matches!(visit.exit, Some(Some(_))) {
            visit.exit = Some(Some(at));
        }
    }
}

fn finish(run: &mut ProcessInstanceDto, final_state: ProcessInstanceStatusDto, at: DateTime) {
    // A run seeded with a start in the future must not end before it began.
    let end = run.start.map_or(at, |start| start.max(at));
    close_open_nodes(run, end);
    run.state = Some(final_state);
    run.end = Some(Some(end));
    run.duration = run.start.map(|start| humanize(end - start));
}

fn resume(run: &mut ProcessInstanceDto, at: DateTime) {
    let failed_at = run.error.clone().flatten().map(|error| error.node_definition_id);
    let failed_visit =
        failed_at.and_then(|definition| run.nodes.iter().rev().find(|visit| visit.definition_id.as_deref() == Some(definition.as_str()))).cloned();
    close_open_nodes(run, at);
    if let Some(visit) = failed_visit {
        run.nodes.push(NodeInstanceDto { id: fresh_id(), enter: Some(at), exit: Some(None), ..visit });
    }
    run.state = Some(ProcessInstanceStatusDto::Active);
    run.end = Some(None);
    run.duration = None;
    run.error = Some(None);
}

/// Human-readable length in the largest whole unit, like "6 seconds" or "2 hours".
fn humanize(elapsed: TimeDelta) -> String {
    let seconds = elapsed.num_seconds().max(0);
    let (count, unit) = match seconds {
        0..60 => (seconds, "second"),
        60..3_600 => (seconds / 60, "minute"),
        3_600..86_400 => (seconds / 3_600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    if count == 1 {
        format!("1 {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeSet;
    use std::sync::Arc;

    const ONBOARDING_ERROR: &str = "5b1e7c42-0d9a-4f7e-8c35-2a6f90d1b7e4";
    const ONBOARDING_COMPLETED: &str = "3f2b8c1e-9a47-4d2b-b6f0-1c8e5a7d9e21";
    const DATABASE_ACTIVE: &str = "0f4c2a9e-71b3-4d8e-9a66-3c5d8e21f0ab";
    const DATABASE_ABORTED: &str = "9d7e6f50-2c1b-4a8e-8f3d-6b5a4c3d2e1f";
    const DATABASE_PENDING: &str = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
    const ASSESSMENT_SUSPENDED: &str = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";

    fn search(body: Value) -> SearchRequest {
        serde_json::from_value(body).expect("test request is a valid SearchRequest")
    }

    fn run_ids(result: &ProcessInstanceListResultDto) -> Vec<&str> {
        result.items.iter().flatten().map(|run| run.id.as_str()).collect()
    }

    fn workflow_ids(result: &WorkflowOverviewListResultDto) -> Vec<&str> {
        result.overviews.iter().flatten().map(|overview| overview.workflow_id.as_str()).collect()
    }

    fn start(store: &Store, workflow_id: &str) -> String {
        let request = ExecuteWorkflowRequestDto {
            input_data: Some(BTreeMap::from([("username".to_owned(), json!("ghopper")), ("team".to_owned(), json!("platform"))])),
            auth_tokens: None,
            target_entity: Some("component:default/compiler".to_owned()),
        };
        store.execute_workflow(workflow_id, &request).expect("workflow starts").id
    }

    #[test]
    fn overviews_summarize_the_latest_run() {
        let store = Store::seeded();
        let onboarding = store.get_workflow_overview_by_id("user-onboarding").expect("seeded");
        assert_eq!(onboarding.last_run_id.as_deref(), Some(ONBOARDING_ERROR));
        assert_eq!(onboarding.last_run_status, Some(ProcessInstanceStatusDto::Error));
        assert_eq!(onboarding.last_triggered_ms, Some(1_754_990_043_512.0));
        assert_eq!(onboarding.is_available, Some(true));
        let rotate = store.get_workflow_overview_by_id("rotate-credentials").expect("seeded");
        assert_eq!((rotate.last_run_id, rotate.last_run_status, rotate.last_triggered_ms), (None, None, None));
        assert_eq!(rotate.is_available, Some(false));
    }

    #[test]
    fn overview_search_applies_filters_and_pages() {
        let store = Store::seeded();
        let all = store.get_workflows_overview(&SearchRequest::default()).expect("no filter");
        assert_eq!(workflow_ids(&all), ["user-onboarding", "provision-database", "security-assessment", "rotate-credentials"]);
        // The spec's example request.
        let example = search(json!({
            "filters": { "operator": "OR", "filters": [
                { "field": "name", "operator": "LIKE", "value": "%onboard%" },
                { "field": "lastRunStatus", "operator": "EQ", "value": "ACTIVE" }
            ]},
            "paginationInfo": { "pageSize": 10, "offset": 0, "orderBy": "name", "orderDirection": "ASC" }
        }));
        let result = store.get_workflows_overview(&example).expect("valid");
        assert_eq!(workflow_ids(&result), ["provision-database", "user-onboarding"]);
        let paging = result.pagination_info.expect("echoed");
        assert_eq!((paging.page_size, paging.offset, paging.order_by.as_deref()), (Some(10.0), Some(0.0), Some("name")));
        let never_run = search(json!({ "filters": { "field": "lastRunId", "operator": "IS_NULL", "value": true } }));
        assert_eq!(workflow_ids(&store.get_workflows_overview(&never_run).expect("valid")), ["rotate-credentials"]);
    }

    #[test]
    fn invalid_searches_are_reported_as_invalid_filters() {
        let store = Store::seeded();
        let unknown = search(json!({ "filters": { "field": "processId", "operator": "EQ", "value": "x" } }));
        assert!(matches!(store.get_workflows_overview(&unknown), Err(StoreError::InvalidFilter(message)) if message.contains("processId")));
        let between = search(json!({ "filters": { "field": "start", "operator": "BETWEEN", "value": ["2025-08-01T00:00:00Z"] } }));
        assert!(matches!(store.get_instances(&between), Err(StoreError::InvalidFilter(_))));
        let negative = search(json!({ "paginationInfo": { "offset": -1 } }));
        assert!(matches!(store.get_workflow_instances("user-onboarding", &negative), Err(StoreError::InvalidFilter(_))));
        // The workflow is checked first.
        assert_eq!(store.get_workflow_instances("nope", &negative), Err(StoreError::UnknownWorkflow("nope".to_owned())));
    }

    #[test]
    fn overview_for_entity_combines_annotations_and_targeted_runs() {
        let store = Store::seeded();
        let request = GetWorkflowsOverviewForEntityRequestBody {
            target_entity: Some("component:default/search-indexer".to_owned()),
            annotation_workflow_ids: Some(vec!["user-onboarding".to_owned(), "not-deployed".to_owned()]),
        };
        let result = store.get_workflows_overview_for_entity(&request);
        assert_eq!(workflow_ids(&result), ["user-onboarding", "provision-database", "security-assessment"]);
        let only_target =
            GetWorkflowsOverviewForEntityRequestBody { target_entity: Some("component:default/payments-service".to_owned()), ..Default::default() };
        assert_eq!(
            workflow_ids(&store.get_workflows_overview_for_entity(&only_target)),
            ["user-onboarding", "provision-database", "security-assessment"]
        );
        let nobody = GetWorkflowsOverviewForEntityRequestBody { target_entity: Some("component:default/unknown".to_owned()), ..Default::default() };
        assert!(workflow_ids(&store.get_workflows_overview_for_entity(&nobody)).is_empty());
        assert!(workflow_ids(&store.get_workflows_overview_for_entity(&GetWorkflowsOverviewForEntityRequestBody::default())).is_empty());
    }

    #[test]
    fn unknown_workflow_ids_are_reported() {
        let store = Store::seeded();
        let unknown = || StoreError::UnknownWorkflow("nope".to_owned());
        assert_eq!(store.get_workflow_overview_by_id("nope"), Err(unknown()));
        assert_eq!(store.get_workflow_source_by_id("nope"), Err(unknown()));
        assert_eq!(store.get_workflow_input_schema_by_id("nope", None), Err(unknown()));
        assert_eq!(store.ping_workflow_service_by_id("nope"), Err(unknown()));
        assert_eq!(store.get_workflow_instances("nope", &SearchRequest::default()), Err(unknown()));
        assert_eq!(store.execute_workflow("nope", &ExecuteWorkflowRequestDto::default()), Err(unknown()));
        assert_eq!(store.retrigger_instance("nope", ONBOARDING_ERROR, &RetriggerInstanceRequestDto::default()), Err(unknown()));
        assert_eq!(store.set_workflow_available("nope", true), Err(unknown()));
    }

    #[test]
    fn unknown_instance_ids_are_reported() {
        let store = Store::seeded();
        let unknown = || StoreError::UnknownInstance("nope".to_owned());
        assert_eq!(store.get_instance_by_id("nope"), Err(unknown()));
        assert_eq!(store.abort_workflow("nope"), Err(unknown()));
        assert_eq!(store.retrigger_instance("user-onboarding", "nope", &RetriggerInstanceRequestDto::default()), Err(unknown()));
        assert_eq!(store.get_workflow_input_schema_by_id("user-onboarding", Some("nope")), Err(unknown()));
        assert_eq!(store.get_instance_by_id(""), Err(StoreError::UnknownInstance(String::new())));
    }

    #[test]
    fn sources_are_returned_verbatim() {
        let store = Store::seeded();
        let yaml = store.get_workflow_source_by_id("user-onboarding").expect("seeded");
        assert!(yaml.starts_with("id: user-onboarding\n"), "{yaml}");
        let json_source = store.get_workflow_source_by_id("provision-database").expect("seeded");
        let parsed: Value = serde_json::from_str(&json_source).expect("JSON workflows hold JSON text");
        assert_eq!(parsed["id"], "provision-database");
    }

    #[test]
    fn input_schema_can_be_prefilled_from_a_run() {
        let store = Store::seeded();
        let plain = store.get_workflow_input_schema_by_id("user-onboarding", None).expect("seeded");
        assert_eq!(plain.input_schema.as_ref().and_then(|schema| schema.get("title")), Some(&json!("New hire")));
        assert_eq!(plain.data, None);
        let prefilled = store.get_workflow_input_schema_by_id("user-onboarding", Some(ONBOARDING_ERROR)).expect("seeded");
        // `accountRequestId` was added by the run and is not an input; `result` never is.
        assert_eq!(prefilled.data, Some(BTreeMap::from([("team".to_owned(), json!("payments")), ("username".to_owned(), json!("jdoe"))])));
        assert_eq!(prefilled.input_schema, plain.input_schema);
        // A run of another workflow is not a run of this one.
        assert_eq!(
            store.get_workflow_input_schema_by_id("user-onboarding", Some(DATABASE_ACTIVE)),
            Err(StoreError::UnknownInstance(DATABASE_ACTIVE.to_owned()))
        );
    }

    #[test]
    fn ping_reports_and_follows_service_availability() {
        let store = Store::seeded();
        assert_eq!(store.ping_workflow_service_by_id("user-onboarding"), Ok(true));
        assert_eq!(store.ping_workflow_service_by_id("rotate-credentials"), Ok(false));
        store.set_workflow_available("user-onboarding", false).expect("seeded");
        assert_eq!(store.ping_workflow_service_by_id("user-onboarding"), Ok(false));
        assert_eq!(store.get_workflow_overview_by_id("user-onboarding").expect("seeded").is_available, Some(false));
    }

    #[test]
    fn instance_search_runs_the_spec_example() {
        let store = Store::seeded();
        let example = search(json!({
            "filters": { "operator": "AND", "filters": [
                { "field": "state", "operator": "IN", "value": ["ACTIVE", "ERROR"] },
                { "field": "nodes", "nested": { "field": "name", "operator": "LIKE", "value": "%Approval%" } }
            ]},
            "paginationInfo": { "pageSize": 20, "offset": 0, "orderBy": "start", "orderDirection": "DESC" }
        }));
        assert_eq!(run_ids(&store.get_instances(&example).expect("valid")), [DATABASE_ACTIVE]);
        let all = store.get_instances(&SearchRequest::default()).expect("no filter");
        assert_eq!(all.items.as_ref().map(Vec::len), Some(store.instance_count()));
    }

    #[test]
    fn workflow_instances_are_restricted_to_the_workflow_and_ordered() {
        let store = Store::seeded();
        let newest_first = search(json!({ "paginationInfo": { "orderBy": "start", "orderDirection": "DESC" } }));
        let result = store.get_workflow_instances("provision-database", &newest_first).expect("seeded");
        assert_eq!(run_ids(&result), [DATABASE_ACTIVE, DATABASE_PENDING, DATABASE_ABORTED]);
        let oldest_first = search(json!({ "paginationInfo": { "orderBy": "start", "orderDirection": "ASC", "pageSize": 2 } }));
        let result = store.get_workflow_instances("provision-database", &oldest_first).expect("seeded");
        assert_eq!(run_ids(&result), [DATABASE_ABORTED, DATABASE_PENDING]);
        let beyond = search(json!({ "paginationInfo": { "offset": 3 } }));
        assert!(run_ids(&store.get_workflow_instances("provision-database", &beyond).expect("seeded")).is_empty());
        assert!(run_ids(&store.get_workflow_instances("rotate-credentials", &SearchRequest::default()).expect("seeded")).is_empty());
    }

    #[test]
    fn statuses_list_every_state_with_a_label() {
        let statuses = Store::seeded().get_workflow_statuses();
        let pairs: Vec<(String, String)> =
            statuses.into_iter().map(|status| (status.key.unwrap_or_default(), status.value.unwrap_or_default())).collect();
        let expected = [
            ("Active", "ACTIVE"),
            ("Error", "ERROR"),
            ("Completed", "COMPLETED"),
            ("Aborted", "ABORTED"),
            ("Suspended", "SUSPENDED"),
            ("Pending", "PENDING"),
        ];
        assert_eq!(pairs, expected.map(|(key, value)| (key.to_owned(), value.to_owned())));
    }

    #[test]
    fn execute_creates_an_active_run_that_becomes_the_latest() {
        let store = Store::seeded();
        let before = Utc::now() - TimeDelta::milliseconds(1);
        let id = start(&store, "user-onboarding");
        let after = Utc::now();
        assert!(uuid::Uuid::parse_str(&id).is_ok_and(|parsed| parsed.get_version_num() == 4), "{id}");
        let run = store.get_instance_by_id(&id).expect("created");
        assert_eq!(run.state, Some(ProcessInstanceStatusDto::Active));
        assert_eq!(run.process_name.as_deref(), Some("User onboarding"));
        assert!(run.start.is_some_and(|started| before <= started && started <= after), "{:?}", run.start);
        assert_eq!((run.end, run.duration.clone(), run.error.clone()), (Some(None), None, Some(None)));
        assert_eq!(run.target_entity.as_deref(), Some("component:default/compiler"));
        assert_eq!(run.workflowdata.as_ref().and_then(|data| data.additional_properties.get("username")), Some(&json!("ghopper")));
        let names: Vec<_> = run.nodes.iter().map(|visit| (visit.name.as_deref(), visit.exit.is_some_and(|exit| exit.is_some()))).collect();
        assert_eq!(names, [(Some("Start"), true), (Some("Create account"), false)]);
        let overview = store.get_workflow_overview_by_id("user-onboarding").expect("seeded");
        assert_eq!((overview.last_run_id.as_deref(), overview.last_run_status), (Some(id.as_str()), Some(ProcessInstanceStatusDto::Active)));
        assert_ne!(start(&store, "user-onboarding"), id);
    }

    #[test]
    fn execute_needs_a_reachable_service() {
        let store = Store::seeded();
        let count = store.instance_count();
        let refused = store.execute_workflow("rotate-credentials", &ExecuteWorkflowRequestDto::default());
        assert!(matches!(refused, Err(StoreError::Conflict(message)) if message.contains("not reachable")));
        assert_eq!(store.instance_count(), count);
        store.set_workflow_available("rotate-credentials", true).expect("seeded");
        start(&store, "rotate-credentials");
        assert_eq!(store.instance_count(), count + 1);
    }

    #[test]
    fn execute_then_abort_then_abort_again() {
        let store = Store::seeded();
        let id = start(&store, "provision-database");
        let aborted = store.abort_workflow(&id).expect("active runs can be aborted");
        assert_eq!(aborted.state, Some(ProcessInstanceStatusDto::Aborted));
        let (Some(Some(end)), Some(started)) = (aborted.end, aborted.start) else { panic!("end and start set: {aborted:?}") };
        assert!(end >= started);
        assert_eq!(aborted.duration.as_deref(), Some("0 seconds"));
        assert!(aborted.nodes.iter().all(|visit| visit.exit == Some(Some(end)) || visit.exit == Some(Some(started))));
        assert_eq!(store.get_instance_by_id(&id).expect("kept").state, Some(ProcessInstanceStatusDto::Aborted));
        let again = store.abort_workflow(&id);
        assert!(matches!(again, Err(StoreError::Conflict(message)) if message.contains("is ABORTED")));
    }

    #[test]
    fn unfinished_runs_can_be_aborted_finished_ones_cannot() {
        let store = Store::seeded();
        for id in [ASSESSMENT_SUSPENDED, ONBOARDING_ERROR, DATABASE_PENDING, DATABASE_ACTIVE] {
            let aborted = store.abort_workflow(id).unwrap_or_else(|error| panic!("{id}: {error}"));
            assert_eq!(aborted.state, Some(ProcessInstanceStatusDto::Aborted), "{id}");
            assert!(matches!(aborted.end, Some(Some(_))), "{id}");
            assert!(aborted.nodes.iter().all(|visit| matches!(visit.exit, Some(Some(_)))), "{id}");
        }
        for id in [ONBOARDING_COMPLETED, DATABASE_ABORTED] {
            let before = store.get_instance_by_id(id).expect("seeded");
            assert!(matches!(store.abort_workflow(id), Err(StoreError::Conflict(_))), "{id}");
            assert_eq!(store.get_instance_by_id(id).expect("seeded"), before, "{id} unchanged");
        }
    }

    #[test]
    fn aborting_a_failed_run_keeps_its_error_and_history() {
        let store = Store::seeded();
        let aborted = store.abort_workflow(ONBOARDING_ERROR).expect("error runs can be aborted");
        assert!(matches!(aborted.error, Some(Some(_))));
        // End and duration now describe the abort, not the failure.
        let (Some(Some(end)), Some(started)) = (aborted.end, aborted.start) else { panic!("end and start set: {aborted:?}") };
        assert_ne!(end, "2025-08-12T09:14:09.877Z".parse::<DateTime>().expect("timestamp"), "seeded end replaced");
        assert_eq!(aborted.duration, Some(humanize(end - started)));
    }

    #[test]
    fn retrigger_resumes_a_failed_run_at_the_failed_node() {
        let store = Store::seeded();
        let before = store.get_instance_by_id(ONBOARDING_ERROR).expect("seeded");
        let resumed = store.retrigger_instance("user-onboarding", ONBOARDING_ERROR, &RetriggerInstanceRequestDto::default()).expect("ERROR run");
        assert_eq!(resumed.state, Some(ProcessInstanceStatusDto::Active));
        assert_eq!((resumed.end, resumed.duration.clone(), resumed.error.clone()), (Some(None), None, Some(None)));
        assert_eq!(resumed.nodes.len(), before.nodes.len() + 1);
        let (earlier, retried) = resumed.nodes.split_at(before.nodes.len());
        assert!(earlier.iter().all(|visit| matches!(visit.exit, Some(Some(_)))));
        let retried = retried.first().expect("one new visit");
        assert_eq!((retried.name.as_deref(), retried.definition_id.as_deref()), (Some("Create account"), Some("_jbpm-unique-2")));
        assert_eq!(retried.exit, Some(None));
        assert_eq!(store.get_instance_by_id(ONBOARDING_ERROR).expect("kept"), resumed);
        // It is ACTIVE now, so a second retrigger conflicts.
        let again = store.retrigger_instance("user-onboarding", ONBOARDING_ERROR, &RetriggerInstanceRequestDto::default());
        assert!(matches!(again, Err(StoreError::Conflict(message)) if message.contains("is ACTIVE")));
    }

    #[test]
    fn retrigger_refuses_runs_not_in_error() {
        let store = Store::seeded();
        let request = RetriggerInstanceRequestDto::default();
        for (workflow, id) in
            [("user-onboarding", ONBOARDING_COMPLETED), ("provision-database", DATABASE_ACTIVE), ("security-assessment", ASSESSMENT_SUSPENDED)]
        {
            assert!(matches!(store.retrigger_instance(workflow, id, &request), Err(StoreError::Conflict(_))), "{id}");
        }
        assert_eq!(
            store.retrigger_instance("provision-database", ONBOARDING_ERROR, &request),
            Err(StoreError::UnknownInstance(ONBOARDING_ERROR.to_owned()))
        );
        store.set_workflow_available("user-onboarding", false).expect("seeded");
        assert!(
            matches!(store.retrigger_instance("user-onboarding", ONBOARDING_ERROR, &request), Err(StoreError::Conflict(m)) if m.contains("reachable"))
        );
        assert_eq!(store.get_instance_by_id(ONBOARDING_ERROR).expect("seeded").state, Some(ProcessInstanceStatusDto::Error));
    }

    #[test]
    fn concurrent_executions_get_distinct_ids() {
        let store = Arc::new(Store::seeded());
        let seeded = store.instance_count();
        let ids: BTreeSet<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..8).map(|_| scope.spawn(|| (0..25).map(|_| start(&store, "security-assessment")).collect::<Vec<_>>())).collect();
            workers.into_iter().flat_map(|worker| worker.join().expect("no panic")).collect()
        });
        assert_eq!(ids.len(), 200);
        assert_eq!(store.instance_count(), seeded + 200);
        let mine = search(json!({ "filters": { "field": "targetEntity", "operator": "EQ", "value": "component:default/compiler" } }));
        assert_eq!(store.get_instances(&mine).expect("valid").items.map(|items| items.len()), Some(200));
    }

    #[test]
    fn durations_use_the_largest_whole_unit() {
        assert_eq!(humanize(TimeDelta::seconds(-5)), "0 seconds");
        assert_eq!(humanize(TimeDelta::seconds(1)), "1 second");
        assert_eq!(humanize(TimeDelta::seconds(59)), "59 seconds");
        assert_eq!(humanize(TimeDelta::seconds(60)), "1 minute");
        assert_eq!(humanize(TimeDelta::seconds(7_199)), "1 hour");
        assert_eq!(humanize(TimeDelta::days(3)), "3 days");
    }

    #[test]
    fn errors_read_like_the_spec_examples() {
        assert_eq!(StoreError::UnknownWorkflow("user-onboarding".to_owned()).to_string(), "Workflow 'user-onboarding' does not exist.");
        assert_eq!(StoreError::UnknownInstance("x".to_owned()).to_string(), "Instance 'x' does not exist.");
        assert_eq!(StoreError::from(InvalidSearch("bad".to_owned())), StoreError::InvalidFilter("bad".to_owned()));
    }
}
