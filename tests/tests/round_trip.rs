//! Round trips of the generated Orchestrator types with realistic payloads.
//!
//! Every case goes through [`check`]: the payload must deserialize, serialize back to the same
//! JSON (the wire contract a client or server relies on), and deserialize again to an equal
//! value. The examples come from the spec itself, picked by pointer and mapped to their Rust
//! type by name here, so renaming a generated type breaks the build of this test instead of
//! silently dropping a case.

use std::fmt::Debug;

use orchestrator_api::{
    ErrorResponse, ExecuteWorkflowRequestDto, ExecuteWorkflowResponseDto, FieldFilter, FieldFilterOperator, FieldFilterValue,
    FieldFilterValueArrayItem, Filter, GetWorkflowsOverviewForEntityRequestBody, InputSchemaResponseDto, LogicalFilter, LogicalFilterOperator,
    NestedFilter, NestedFilterNested, NodeInstanceDto, NodeInstanceDtoTypename, NodeInstanceField, PaginationInfoDto,
    PaginationInfoDtoOrderDirection, ProblemDetails, ProblemDetailsError, ProblemDetailsErrorLocation, ProcessInstanceDto, ProcessInstanceErrorDto,
    ProcessInstanceErrorField, ProcessInstanceField, ProcessInstanceFilter, ProcessInstanceListResultDto, ProcessInstanceNestedFilter,
    ProcessInstanceSearchRequest, ProcessInstanceStatusDto, ProcessInstanceWorkflowDataFilterNested, RetriggerInstanceRequestDto, SearchRequest,
    WorkflowDataDto, WorkflowFormatDto, WorkflowListResultDto, WorkflowOverviewDto, WorkflowOverviewField, WorkflowOverviewFilter,
    WorkflowOverviewListResultDto, WorkflowOverviewSearchRequest, WorkflowProgressDto, WorkflowResultDtoOutputsItemFormat, WorkflowRunStatusDto,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

#[path = "support/json_round_trip.rs"]
mod json_round_trip;

use json_round_trip::check;

/// The check fails where a type writes back less than it read, and says where: a member the
/// schema does not declare is not kept by the struct.
#[test]
fn the_check_names_what_a_type_did_not_write_back() {
    let failure = std::panic::catch_unwind(|| check::<PaginationInfoDto>(json!({ "offset": 10, "pages": [1] }))).expect_err("a member is dropped");
    let message = failure.downcast_ref::<String>().expect("the check panics with a message");
    assert!(message.contains("does not write back what it read: at /pages: wrote -, read [1]"), "{message}");
    // `10` read into an `f64` and written as `10.0` is the same number, which the check allows.
    check::<PaginationInfoDto>(json!({ "offset": 10 }));
}

/// Deserializing `json` into `T` must fail, with `reason` in the message, so that a check
/// that fails for an unrelated reason (a typo in the payload) does not pass by accident.
fn reject<T: DeserializeOwned + Debug>(json: Value, reason: &str) {
    match serde_json::from_value::<T>(json.clone()) {
        Ok(value) => panic!("{} accepted an invalid payload as {value:?}\n{json:#}", std::any::type_name::<T>()),
        Err(error) => assert!(error.to_string().contains(reason), "expected `{reason}` in the error, got `{error}`"),
    }
}

// ---------------------------------------------------------------------------------------------
// The spec's own examples.
// ---------------------------------------------------------------------------------------------

/// Where an example sits: (path, method, "requestBody" or a status code, media type).
type Site = (&'static str, &'static str, &'static str, &'static str);

fn media_pointer((path, method, part, media_type): Site) -> String {
    let escape = |token: &str| token.replace('~', "~0").replace('/', "~1");
    let part = if part == "requestBody" { "requestBody".to_string() } else { format!("responses/{part}") };
    format!("/paths/{}/{method}/{part}/content/{}", escape(path), escape(media_type))
}

/// Every example of the media type at `site`: `example`, and the `value` of each `examples`
/// entry, so cases written either way are covered.
fn examples_at(site: Site) -> Vec<Value> {
    let document = orchestrator_api::openapi_document();
    let pointer = media_pointer(site);
    let media = document.pointer(&pointer).unwrap_or_else(|| panic!("the spec has no media type at {pointer}"));
    let mut found: Vec<Value> = media.get("example").cloned().into_iter().collect();
    if let Some(Value::Object(named)) = media.get("examples") {
        found.extend(named.values().filter_map(|example| example.get("value").cloned()));
    }
    assert!(!found.is_empty(), "no example at {pointer}");
    found
}

const REQUEST: &str = "requestBody";

/// One test per example site, each mapped to its Rust type; `COVERED` lists the sites so the
/// completeness test can tell when the spec gains an example nobody maps.
macro_rules! spec_examples {
    ($($test:ident: $ty:ty = ($path:literal, $method:literal, $part:expr, $media:literal);)*) => {
        const COVERED: &[Site] = &[$(($path, $method, $part, $media)),*];
        $(
            #[test]
            fn $test() {
                for example in examples_at(($path, $method, $part, $media)) {
                    check::<$ty>(example);
                }
            }
        )*
    };
}

const JSON: &str = "application/json";

spec_examples! {
    get_workflows_overview_request: WorkflowOverviewSearchRequest = ("/v2/workflows/overview", "post", REQUEST, "application/json");
    get_workflows_overview_200: WorkflowOverviewListResultDto = ("/v2/workflows/overview", "post", "200", "application/json");
    get_workflows_overview_400: ProblemDetails = ("/v2/workflows/overview", "post", "400", "application/problem+json");
    get_workflows_overview_500: ErrorResponse = ("/v2/workflows/overview", "post", "500", "application/json");

    get_workflows_overview_for_entity_request: GetWorkflowsOverviewForEntityRequestBody = ("/v2/workflows/overview/entity", "post", REQUEST, "application/json");
    get_workflows_overview_for_entity_200: WorkflowOverviewListResultDto = ("/v2/workflows/overview/entity", "post", "200", "application/json");
    get_workflows_overview_for_entity_400: ProblemDetails = ("/v2/workflows/overview/entity", "post", "400", "application/problem+json");
    get_workflows_overview_for_entity_500: ErrorResponse = ("/v2/workflows/overview/entity", "post", "500", "application/json");

    get_workflow_overview_by_id_200: WorkflowOverviewDto = ("/v2/workflows/{workflowId}/overview", "get", "200", "application/json");
    get_workflow_overview_by_id_400: ProblemDetails = ("/v2/workflows/{workflowId}/overview", "get", "400", "application/problem+json");
    get_workflow_overview_by_id_404: ProblemDetails = ("/v2/workflows/{workflowId}/overview", "get", "404", "application/problem+json");
    get_workflow_overview_by_id_500: ErrorResponse = ("/v2/workflows/{workflowId}/overview", "get", "500", "application/json");

    get_workflow_source_by_id_400: ProblemDetails = ("/v2/workflows/{workflowId}/source", "get", "400", "application/problem+json");
    get_workflow_source_by_id_404: ProblemDetails = ("/v2/workflows/{workflowId}/source", "get", "404", "application/problem+json");
    get_workflow_source_by_id_500: ErrorResponse = ("/v2/workflows/{workflowId}/source", "get", "500", "application/json");

    get_workflow_input_schema_by_id_200: InputSchemaResponseDto = ("/v2/workflows/{workflowId}/inputSchema", "get", "200", "application/json");
    get_workflow_input_schema_by_id_400: ProblemDetails = ("/v2/workflows/{workflowId}/inputSchema", "get", "400", "application/problem+json");
    get_workflow_input_schema_by_id_404: ProblemDetails = ("/v2/workflows/{workflowId}/inputSchema", "get", "404", "application/problem+json");
    get_workflow_input_schema_by_id_500: ErrorResponse = ("/v2/workflows/{workflowId}/inputSchema", "get", "500", "application/json");

    ping_workflow_service_by_id_400: ProblemDetails = ("/v2/workflows/{workflowId}/pingWorkflowService", "get", "400", "application/problem+json");
    ping_workflow_service_by_id_404: ProblemDetails = ("/v2/workflows/{workflowId}/pingWorkflowService", "get", "404", "application/problem+json");
    ping_workflow_service_by_id_500: ErrorResponse = ("/v2/workflows/{workflowId}/pingWorkflowService", "get", "500", "application/json");

    get_instances_request: ProcessInstanceSearchRequest = ("/v2/workflows/instances", "post", REQUEST, "application/json");
    get_instances_200: ProcessInstanceListResultDto = ("/v2/workflows/instances", "post", "200", "application/json");
    get_instances_400: ProblemDetails = ("/v2/workflows/instances", "post", "400", "application/problem+json");
    get_instances_500: ErrorResponse = ("/v2/workflows/instances", "post", "500", "application/json");

    get_workflow_instances_request: ProcessInstanceSearchRequest = ("/v2/workflows/{workflowId}/instances", "post", REQUEST, "application/json");
    get_workflow_instances_200: ProcessInstanceListResultDto = ("/v2/workflows/{workflowId}/instances", "post", "200", "application/json");
    get_workflow_instances_400: ProblemDetails = ("/v2/workflows/{workflowId}/instances", "post", "400", "application/problem+json");
    get_workflow_instances_404: ProblemDetails = ("/v2/workflows/{workflowId}/instances", "post", "404", "application/problem+json");
    get_workflow_instances_500: ErrorResponse = ("/v2/workflows/{workflowId}/instances", "post", "500", "application/json");

    get_instance_by_id_200: ProcessInstanceDto = ("/v2/workflows/instances/{instanceId}", "get", "200", "application/json");
    get_instance_by_id_400: ProblemDetails = ("/v2/workflows/instances/{instanceId}", "get", "400", "application/problem+json");
    get_instance_by_id_404: ProblemDetails = ("/v2/workflows/instances/{instanceId}", "get", "404", "application/problem+json");
    get_instance_by_id_500: ErrorResponse = ("/v2/workflows/instances/{instanceId}", "get", "500", "application/json");

    // The response is an inline array; its items are the named type.
    get_workflow_statuses_200: Vec<WorkflowRunStatusDto> = ("/v2/workflows/instances/statuses", "get", "200", "application/json");
    get_workflow_statuses_400: ProblemDetails = ("/v2/workflows/instances/statuses", "get", "400", "application/problem+json");
    get_workflow_statuses_500: ErrorResponse = ("/v2/workflows/instances/statuses", "get", "500", "application/json");

    execute_workflow_request: ExecuteWorkflowRequestDto = ("/v2/workflows/{workflowId}/execute", "post", REQUEST, "application/json");
    execute_workflow_200: ExecuteWorkflowResponseDto = ("/v2/workflows/{workflowId}/execute", "post", "200", "application/json");
    execute_workflow_400: ProblemDetails = ("/v2/workflows/{workflowId}/execute", "post", "400", "application/problem+json");
    execute_workflow_404: ProblemDetails = ("/v2/workflows/{workflowId}/execute", "post", "404", "application/problem+json");
    execute_workflow_409: ProblemDetails = ("/v2/workflows/{workflowId}/execute", "post", "409", "application/problem+json");
    execute_workflow_500: ErrorResponse = ("/v2/workflows/{workflowId}/execute", "post", "500", "application/json");

    retrigger_instance_request: RetriggerInstanceRequestDto = ("/v2/workflows/{workflowId}/{instanceId}/retrigger", "post", REQUEST, "application/json");
    retrigger_instance_400: ProblemDetails = ("/v2/workflows/{workflowId}/{instanceId}/retrigger", "post", "400", "application/problem+json");
    retrigger_instance_404: ProblemDetails = ("/v2/workflows/{workflowId}/{instanceId}/retrigger", "post", "404", "application/problem+json");
    retrigger_instance_409: ProblemDetails = ("/v2/workflows/{workflowId}/{instanceId}/retrigger", "post", "409", "application/problem+json");
    retrigger_instance_500: ErrorResponse = ("/v2/workflows/{workflowId}/{instanceId}/retrigger", "post", "500", "application/json");

    abort_workflow_400: ProblemDetails = ("/v2/workflows/instances/{instanceId}/abort", "delete", "400", "application/problem+json");
    abort_workflow_404: ProblemDetails = ("/v2/workflows/instances/{instanceId}/abort", "delete", "404", "application/problem+json");
    abort_workflow_409: ProblemDetails = ("/v2/workflows/instances/{instanceId}/abort", "delete", "409", "application/problem+json");
    abort_workflow_500: ErrorResponse = ("/v2/workflows/instances/{instanceId}/abort", "delete", "500", "application/json");
}

/// Examples whose schema has no generated type: plain text, a bare boolean, an object with no
/// declared members. Listed so that the completeness test still notices new ones.
const WITHOUT_TYPE: &[Site] = &[
    ("/v2/workflows/{workflowId}/source", "get", "200", "text/plain"),
    ("/v2/workflows/{workflowId}/pingWorkflowService", "get", "200", JSON),
    ("/v2/workflows/{workflowId}/{instanceId}/retrigger", "post", "200", JSON),
    ("/v2/workflows/instances/{instanceId}/abort", "delete", "200", "text/plain"),
];

/// Every request or response media type in the spec that carries an example, as pointers.
fn sites_with_examples() -> Vec<String> {
    let document = orchestrator_api::openapi_document();
    let mut found = Vec::new();
    let mut visit_content = |pointer: String, content: &Value| {
        for (media_type, media) in content.as_object().into_iter().flatten() {
            if media.get("example").is_some() || media.get("examples").is_some() {
                found.push(format!("{pointer}/content/{}", media_type.replace('~', "~0").replace('/', "~1")));
            }
        }
    };
    for (path, item) in document["paths"].as_object().expect("the spec has paths") {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let base = format!("/paths/{}/{method}", path.replace('~', "~0").replace('/', "~1"));
            if let Some(content) = operation.pointer("/requestBody/content") {
                visit_content(format!("{base}/requestBody"), content);
            }
            for (status, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
                if let Some(content) = response.get("content") {
                    visit_content(format!("{base}/responses/{status}"), content);
                }
            }
        }
    }
    found
}

#[test]
fn every_example_in_the_spec_is_mapped_to_a_type_or_listed_as_untyped() {
    let known: Vec<String> = COVERED.iter().chain(WITHOUT_TYPE).map(|site| media_pointer(*site)).collect();
    let present = sites_with_examples();
    assert!(present.len() > 40, "the walk found only {} examples; it is probably looking in the wrong place", present.len());
    let unmapped: Vec<&String> = present.iter().filter(|site| !known.contains(site)).collect();
    assert!(unmapped.is_empty(), "examples with no round-trip case:\n{unmapped:#?}");
    // The other direction: a listed site that lost its example is a stale case.
    let stale: Vec<&String> = known.iter().filter(|site| !present.contains(site)).collect();
    assert!(stale.is_empty(), "round-trip cases for examples the spec no longer has:\n{stale:#?}");
}

// ---------------------------------------------------------------------------------------------
// Filters.
// ---------------------------------------------------------------------------------------------

#[test]
fn deeply_nested_filter_lands_in_the_right_variants() {
    let filter = check::<Filter>(json!({
        "operator": "AND",
        "filters": [
            { "field": "state", "operator": "EQ", "value": "ERROR" },
            {
                "operator": "NOT",
                "filters": [{
                    "field": "nodes",
                    "nested": { "field": "type", "operator": "IN", "value": ["HumanTaskNode", "WorkItemNode"] }
                }]
            }
        ]
    }));
    // The union is untagged, so the variant is decided by shape; each level is matched so a
    // reordering of the variants that made one shape swallow another would show here.
    let Filter::LogicalFilter(LogicalFilter { operator: LogicalFilterOperator::And, filters }) = filter else {
        panic!("the outer filter should be a logical AND, got {filter:?}");
    };
    let [first, second] = filters.as_slice() else { panic!("expected two conditions, got {filters:?}") };
    let Filter::FieldFilter(FieldFilter { field, operator: FieldFilterOperator::Eq, value: FieldFilterValue::String(value) }) = first else {
        panic!("the first condition should be a field EQ test, got {first:?}");
    };
    assert_eq!((field.as_str(), value.as_str()), ("state", "ERROR"));
    let Filter::LogicalFilter(LogicalFilter { operator: LogicalFilterOperator::Not, filters: negated }) = second else {
        panic!("the second condition should be a logical NOT, got {second:?}");
    };
    let [Filter::NestedFilter(NestedFilter { field, nested })] = negated.as_slice() else {
        panic!("NOT should hold one nested filter, got {negated:?}");
    };
    assert_eq!(field, "nodes");
    let NestedFilterNested::FieldFilter(FieldFilter { operator: FieldFilterOperator::In, value: FieldFilterValue::Array(items), .. }) = nested else {
        panic!("the nested condition should be a field IN test, got {nested:?}");
    };
    assert_eq!(items, &[FieldFilterValueArrayItem::String("HumanTaskNode".into()), FieldFilterValueArrayItem::String("WorkItemNode".into())]);
}

#[test]
fn nested_filter_inside_nested_filter() {
    // The recursive branch of `NestedFilter.nested` is the one that needs a Box.
    let filter = check::<Filter>(json!({
        "field": "nodes",
        "nested": { "field": "error", "nested": { "field": "message", "operator": "LIKE", "value": "%timeout%" } }
    }));
    let Filter::NestedFilter(NestedFilter { nested: NestedFilterNested::NestedFilter(inner), .. }) = &filter else {
        panic!("expected a nested filter holding a nested filter, got {filter:?}");
    };
    assert!(matches!(inner.nested, NestedFilterNested::FieldFilter(FieldFilter { operator: FieldFilterOperator::Like, .. })));
}

/// Reads a field filter with `operator` and `value` and checks which operator variant it got.
fn check_operator(operator: &str, value: Value, expected: FieldFilterOperator) {
    let filter = check::<FieldFilter>(json!({ "field": "start", "operator": operator, "value": value }));
    assert_eq!(filter.operator, expected, "operator {operator}");
    assert_eq!(filter.operator.as_str(), operator);
}

#[test]
fn every_field_filter_operator() {
    check_operator("EQ", json!("ACTIVE"), FieldFilterOperator::Eq);
    check_operator("GT", json!(3), FieldFilterOperator::Gt);
    check_operator("GTE", json!(2.5), FieldFilterOperator::Gte);
    check_operator("LT", json!(1754990043512_i64), FieldFilterOperator::Lt);
    check_operator("LTE", json!(-1), FieldFilterOperator::Lte);
    check_operator("IN", json!(["ACTIVE", "ERROR", "PENDING"]), FieldFilterOperator::In);
    check_operator("IS_NULL", json!(true), FieldFilterOperator::IsNull);
    check_operator("LIKE", json!("%onboard%"), FieldFilterOperator::Like);
    check_operator("BETWEEN", json!([1, 10]), FieldFilterOperator::Between);
}

#[test]
fn between_takes_a_two_element_array() {
    let numbers = check::<FieldFilter>(json!({ "field": "lastTriggeredMs", "operator": "BETWEEN", "value": [1754900000000_i64, 1754990043512_i64] }));
    assert_eq!(
        numbers.value,
        FieldFilterValue::Array(vec![FieldFilterValueArrayItem::Number(1754900000000.0), FieldFilterValueArrayItem::Number(1754990043512.0)])
    );
    // Bounds of a date range are strings on the wire; they must stay strings, not become numbers.
    let dates = check::<FieldFilter>(json!({ "field": "start", "operator": "BETWEEN", "value": ["2025-08-01T00:00:00Z", "2025-08-31T23:59:59Z"] }));
    let FieldFilterValue::Array(bounds) = &dates.value else { panic!("expected an array, got {:?}", dates.value) };
    assert!(matches!(bounds.as_slice(), [FieldFilterValueArrayItem::String(_), FieldFilterValueArrayItem::String(_)]));
}

#[test]
fn field_filter_value_keeps_its_json_type() {
    // "true" and true, "3" and 3 mean different things to the backend; the untagged value union
    // must not coerce one into the other.
    let cases = [
        (json!("true"), FieldFilterValue::String("true".into())),
        (json!(true), FieldFilterValue::Boolean(true)),
        (json!("3"), FieldFilterValue::String("3".into())),
        (json!(3), FieldFilterValue::Number(3.0)),
        (
            json!([true, 1, "x"]),
            FieldFilterValue::Array(vec![
                FieldFilterValueArrayItem::Boolean(true),
                FieldFilterValueArrayItem::Number(1.0),
                FieldFilterValueArrayItem::String("x".into()),
            ]),
        ),
    ];
    for (value, expected) in cases {
        let filter = check::<FieldFilter>(json!({ "field": "f", "operator": "EQ", "value": value }));
        assert_eq!(filter.value, expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Values this version of the document does not list.
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_enum_values_land_in_other_and_are_written_back_unchanged() {
    let logical = check::<LogicalFilter>(json!({ "operator": "XOR", "filters": [] }));
    assert_eq!(logical.operator, LogicalFilterOperator::Other("XOR".into()));

    let field = check::<FieldFilter>(json!({ "field": "state", "operator": "NOT_IN", "value": ["ERROR"] }));
    assert_eq!(field.operator, FieldFilterOperator::Other("NOT_IN".into()));
    assert_eq!(field.operator.as_str(), "NOT_IN");

    // Matching is by exact spelling: a lower-case direction is a different value.
    let paging = check::<PaginationInfoDto>(json!({ "orderDirection": "asc" }));
    assert_eq!(paging.order_direction, Some(PaginationInfoDtoOrderDirection::Other("asc".into())));

    let overview = check::<WorkflowOverviewDto>(json!({ "workflowId": "wf", "format": "xml", "lastRunStatus": "TERMINATED" }));
    assert_eq!(overview.format, WorkflowFormatDto::Other("xml".into()));
    assert_eq!(overview.last_run_status, Some(ProcessInstanceStatusDto::Other("TERMINATED".into())));

    let problem = check::<ProblemDetailsError>(json!({ "pointer": "/x", "message": "bad", "location": "form" }));
    assert_eq!(problem.location, ProblemDetailsErrorLocation::Other("form".into()));

    let node = check::<NodeInstanceDto>(json!({ "__typename": "SubProcessNodeInstance", "id": "n1" }));
    assert_eq!(node.typename, Some(NodeInstanceDtoTypename::Other("SubProcessNodeInstance".into())));

    let data = check::<WorkflowDataDto>(json!({ "result": { "outputs": [{ "key": "Report", "value": "<b>ok</b>", "format": "html" }] } }));
    let format = &data.result.as_ref().and_then(|result| result.outputs.as_ref()).expect("outputs")[0].format;
    assert_eq!(format, &Some(WorkflowResultDtoOutputsItemFormat::Other("html".into())));
}

#[test]
fn unknown_operator_inside_an_untagged_filter_keeps_the_logical_shape() {
    let filter = check::<Filter>(json!({ "operator": "XOR", "filters": [{ "field": "a", "operator": "EQ", "value": 1 }] }));
    assert!(matches!(filter, Filter::LogicalFilter(LogicalFilter { operator: LogicalFilterOperator::Other(_), .. })), "{filter:?}");
}

// ---------------------------------------------------------------------------------------------
// Absent, null and present.
// ---------------------------------------------------------------------------------------------

fn run(extra: Value) -> Value {
    let mut run = json!({ "id": "5b1e7c42", "processId": "user-onboarding", "nodes": [] });
    run.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    run
}

#[test]
fn nullable_fields_tell_absent_from_null() {
    // A run that is still going has `end: null`; one read from an older server has no `end` at
    // all. Both must come back exactly as sent.
    let absent = check::<ProcessInstanceDto>(run(json!({})));
    assert_eq!((absent.end, absent.error, absent.endpoint, absent.description), (None, None, None, None));

    let null = check::<ProcessInstanceDto>(run(json!({ "end": null, "error": null, "endpoint": null, "serviceUrl": null, "description": null })));
    assert_eq!(null.end, Some(None));
    assert_eq!(null.error, Some(None));
    assert_eq!(null.endpoint, Some(None));
    assert_eq!(null.service_url, Some(None));
    assert_eq!(null.description, Some(None));

    let present = check::<ProcessInstanceDto>(run(json!({
        "end": "2025-08-12T09:14:09.877Z",
        "error": { "__typename": "ProcessInstanceError", "nodeDefinitionId": "_jbpm-unique-2", "message": null },
        "description": "Onboarding of Jane Doe"
    })));
    let end = present.end.flatten().expect("end is set");
    assert_eq!(end.timestamp_millis(), 1754990049877);
    let error = present.error.flatten().expect("error is set");
    assert_eq!(error.node_definition_id, "_jbpm-unique-2");
    assert_eq!(error.message, Some(None));
}

#[test]
fn node_exit_is_null_while_the_run_is_inside_the_node() {
    let inside = check::<NodeInstanceDto>(json!({ "id": "n1", "enter": "2025-08-12T09:14:03.540Z", "exit": null }));
    assert_eq!(inside.exit, Some(None));
    let never_reported = check::<NodeInstanceDto>(json!({ "id": "n1" }));
    assert_eq!(never_reported.exit, None);
}

#[test]
fn instants_with_an_offset_keep_the_instant() {
    // chrono stores UTC, so the offset itself is not written back; the moment in time must be.
    let node: NodeInstanceDto = serde_json::from_value(json!({ "id": "n1", "enter": "2025-08-12T11:14:03.540+02:00" })).unwrap();
    assert_eq!(serde_json::to_value(&node).unwrap()["enter"], json!("2025-08-12T09:14:03.540Z"));
}

// ---------------------------------------------------------------------------------------------
// Members the schema does not declare.
// ---------------------------------------------------------------------------------------------

#[test]
fn undeclared_members_are_ignored_where_the_schema_is_closed() {
    let mut payload = json!({ "workflowId": "wf", "format": "yaml", "name": "Workflow" });
    let with_extra = json!({ "workflowId": "wf", "format": "yaml", "name": "Workflow", "deployedBy": "ops", "replicas": 2 });
    let overview: WorkflowOverviewDto = serde_json::from_value(with_extra).expect("unknown members are tolerated");
    assert_eq!(serde_json::to_value(&overview).unwrap(), payload);
    payload["name"] = json!("Other");
    assert_ne!(serde_json::to_value(&overview).unwrap(), payload, "the comparison above must be able to fail");
}

#[test]
fn undeclared_members_are_kept_where_the_schema_allows_them() {
    // RFC 9457 lets servers add members; a client that drops them loses e.g. a trace id.
    let problem = check::<ProblemDetails>(json!({
        "type": "about:blank", "title": "Bad Request", "status": 400,
        "traceId": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "retryable": false
    }));
    assert_eq!(problem.additional_properties.get("traceId"), Some(&json!("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
    assert_eq!(problem.additional_properties.len(), 2);

    // The run's data document holds the workflow's own members next to `result`.
    let data = check::<WorkflowDataDto>(json!({
        "username": "jdoe",
        "groups": ["payments", "oncall"],
        "approval": { "by": "manager", "at": "2025-08-12T09:20:00Z" },
        "result": { "message": "done" }
    }));
    assert_eq!(data.additional_properties.len(), 3);
    assert_eq!(data.result.and_then(|result| result.message).as_deref(), Some("done"));
}

// ---------------------------------------------------------------------------------------------
// Larger realistic payloads of types the examples do not reach.
// ---------------------------------------------------------------------------------------------

#[test]
fn workflow_progress_merges_node_and_run_state() {
    let progress = check::<WorkflowProgressDto>(json!({
        "__typename": "NodeInstance",
        "id": "6a0d2b87-54e1-4f3c-8b9a-07c6d1e5f2a4",
        "name": "Create account",
        "type": "WorkItemNode",
        "enter": "2025-08-12T09:14:03.540Z",
        "exit": null,
        "definitionId": "_jbpm-unique-2",
        "nodeId": "3",
        "status": "ERROR",
        "error": { "nodeDefinitionId": "_jbpm-unique-2", "message": "HTTP 409 Conflict" }
    }));
    assert_eq!(progress.status, Some(ProcessInstanceStatusDto::Error));
    assert_eq!(progress.error.map(|error: ProcessInstanceErrorDto| error.node_definition_id).as_deref(), Some("_jbpm-unique-2"));
}

#[test]
fn workflow_list_with_every_member() {
    check::<WorkflowListResultDto>(json!({
        "items": [
            { "id": "user-onboarding", "name": "User onboarding", "format": "yaml", "description": "New hires.", "annotations": ["workflow-type/assessment"] },
            { "id": "provision-database", "format": "json" }
        ],
        "paginationInfo": { "pageSize": 2, "offset": 4, "orderBy": "name", "orderDirection": "DESC" }
    }));
}

#[test]
fn search_request_with_everything() {
    let request = check::<SearchRequest>(json!({
        "filters": {
            "operator": "OR",
            "filters": [
                { "field": "processName", "operator": "LIKE", "value": "%database%" },
                { "operator": "AND", "filters": [
                    { "field": "state", "operator": "IN", "value": ["ACTIVE", "PENDING"] },
                    { "field": "start", "operator": "GTE", "value": "2025-08-01T00:00:00Z" }
                ] }
            ]
        },
        "paginationInfo": { "pageSize": 50, "offset": 100, "orderBy": "start", "orderDirection": "DESC" }
    }));
    assert_eq!(request.pagination_info.and_then(|paging| paging.order_direction), Some(PaginationInfoDtoOrderDirection::Desc));
}

#[test]
fn typed_run_search_reads_each_nested_filter_by_its_field() {
    let request = check::<ProcessInstanceSearchRequest>(json!({
        "filters": {
            "operator": "AND",
            "filters": [
                { "field": "state", "operator": "EQ", "value": "ERROR" },
                { "field": "nodes", "nested": { "field": "type", "operator": "IN", "value": ["HumanTaskNode"] } },
                { "field": "error", "nested": { "field": "message", "operator": "LIKE", "value": "%409%" } },
                { "field": "workflowdata", "nested": { "field": "result", "nested": { "field": "message", "operator": "IS_NULL", "value": true } } }
            ]
        },
        "paginationInfo": { "pageSize": 5, "offset": 0, "orderBy": "processId" }
    }));
    let Some(ProcessInstanceFilter::ProcessInstanceLogicalFilter(and)) = &request.filters else { panic!("not a logical filter: {request:?}") };
    let [ProcessInstanceFilter::ProcessInstanceFieldFilter(state), ProcessInstanceFilter::ProcessInstanceNestedFilter(ProcessInstanceNestedFilter::ProcessInstanceNodesFilter(nodes)), ProcessInstanceFilter::ProcessInstanceNestedFilter(ProcessInstanceNestedFilter::ProcessInstanceErrorFilter(error)), ProcessInstanceFilter::ProcessInstanceNestedFilter(ProcessInstanceNestedFilter::ProcessInstanceWorkflowDataFilter(data))] =
        and.filters.as_slice()
    else {
        panic!("each condition should be read as its own kind: {:?}", and.filters);
    };
    assert_eq!(state.field, ProcessInstanceField::State);
    assert_eq!(nodes.nested.field, NodeInstanceField::Type);
    assert_eq!(error.nested.field, ProcessInstanceErrorField::Message);
    assert!(matches!(&data.nested, ProcessInstanceWorkflowDataFilterNested::NestedFilter(result) if result.field == "result"));
    assert_eq!(request.pagination_info.and_then(|paging| paging.order_by), Some(ProcessInstanceField::ProcessId));
}

#[test]
fn typed_searches_keep_names_the_document_does_not_list() {
    // The field enums are open, as every generated string enum is: an unlisted name is kept for
    // the server to refuse, not lost.
    let request = check::<WorkflowOverviewSearchRequest>(json!({
        "filters": { "field": "processId", "operator": "EQ", "value": "x" },
        "paginationInfo": { "orderBy": "started" }
    }));
    let Some(WorkflowOverviewFilter::WorkflowOverviewFieldFilter(filter)) = &request.filters else { panic!("not a field filter: {request:?}") };
    assert_eq!(filter.field, WorkflowOverviewField::Other("processId".into()));
    assert_eq!(request.pagination_info.and_then(|paging| paging.order_by), Some(WorkflowOverviewField::Other("started".into())));
}

#[test]
fn execute_request_with_free_form_input() {
    let request = check::<ExecuteWorkflowRequestDto>(json!({
        "inputData": { "username": "jdoe", "quota": 10, "nested": { "list": [1, "two", null] } },
        "authTokens": [{ "provider": "github", "token": "gho_0123" }, { "provider": "gitlab", "token": "glpat-0123" }],
        "targetEntity": "component:default/payments-service"
    }));
    assert_eq!(request.auth_tokens.map(|tokens| tokens.len()), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Payloads that must be refused.
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_required_members_are_refused() {
    reject::<ProcessInstanceDto>(json!({ "id": "r1", "processId": "wf" }), "missing field `nodes`");
    reject::<ProcessInstanceDto>(json!({ "processId": "wf", "nodes": [] }), "missing field `id`");
    reject::<WorkflowOverviewDto>(json!({ "workflowId": "wf" }), "missing field `format`");
    reject::<WorkflowListResultDto>(json!({ "items": [] }), "missing field `paginationInfo`");
    reject::<ErrorResponse>(json!({ "additionalInfo": "no message" }), "missing field `message`");
    reject::<ProblemDetailsError>(json!({ "pointer": "/a", "message": "m" }), "missing field `location`");
    reject::<ProcessInstanceErrorDto>(json!({ "message": "m" }), "missing field `nodeDefinitionId`");
    reject::<FieldFilter>(json!({ "field": "state", "operator": "EQ" }), "missing field `value`");
    reject::<LogicalFilter>(json!({ "operator": "AND" }), "missing field `filters`");
    reject::<NestedFilter>(json!({ "field": "nodes" }), "missing field `nested`");
    reject::<ExecuteWorkflowResponseDto>(json!({}), "missing field `id`");
}

#[test]
fn a_filter_that_fits_no_branch_is_refused() {
    // The union has no discriminator; it is told apart by shape, and the message names the
    // closest variant and what it is missing. An incomplete condition is never read as some
    // other branch.
    reject::<Filter>(json!({ "field": "state", "operator": "EQ" }), "matches no variant of Filter (closest: FieldFilter, missing field `value`)");
    reject::<Filter>(json!({ "operator": "AND" }), "matches no variant of Filter (closest: LogicalFilter, missing field `filters`)");
    reject::<SearchRequest>(json!({ "filters": { "field": "nodes" } }), "matches no variant of Filter");
}

#[test]
fn a_value_of_a_kind_no_variant_reads_is_refused_with_the_first_variants_reason() {
    // Variants that can read the value's kind go first; when none can, every variant is still
    // tried and the message keeps the first one's complaint.
    reject::<FieldFilterValue>(json!({ "a": 1 }), "matches no variant of FieldFilterValue (closest: Boolean, invalid type: map, expected a boolean)");
    reject::<FieldFilterValue>(json!(null), "matches no variant of FieldFilterValue (closest: Boolean, invalid type: null");
    reject::<FieldFilterValue>(
        json!([{ "a": 1 }]),
        "matches no variant of FieldFilterValue (closest: Array, the value matches no variant of FieldFilterValueArrayItem",
    );
}

#[test]
fn a_required_member_inside_a_list_is_still_required() {
    reject::<ProcessInstanceDto>(json!({ "id": "r1", "processId": "wf", "nodes": [{ "name": "no id" }] }), "missing field `id`");
}

#[test]
fn wrong_json_types_are_refused() {
    reject::<PaginationInfoDto>(json!({ "pageSize": "ten" }), "invalid type");
    reject::<ProcessInstanceDto>(json!({ "id": "r1", "processId": "wf", "nodes": [], "start": "yesterday" }), "input contains invalid characters");
}
