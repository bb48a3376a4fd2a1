//! The HTTP face of the store: one handler per operation of `spec/openapi.yaml`, checked against
//! the document at compile time by `#[handlers]`.

use std::sync::Arc;

use orchestrator_api as api;
use orchestrator_api::{ErrorResponse, ProblemDetails, SearchRequest};

use crate::search::general_form;
use crate::store::{Store, StoreError};

/// The backend served by [`router`].
pub struct Backend {
    store: Store,
}

impl Backend {
    pub fn new(store: Store) -> Backend {
        Backend { store }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// The axum router for a backend, validating requests against the document.
pub fn router(backend: Arc<Backend>) -> axum::Router {
    api::server::router(backend)
}

/// The router with explicit settings (tests turn response validation on).
pub fn router_with(backend: Arc<Backend>, config: oas_runtime::server::ServerConfig) -> axum::Router {
    api::server::router_with(backend, config)
}

fn problem(status: u16, detail: String) -> ProblemDetails {
    let title = match status {
        400 => "Bad Request",
        404 => "Not Found",
        409 => "Conflict",
        _ => "Error",
    };
    ProblemDetails {
        r#type: Some("about:blank".into()),
        title: Some(title.into()),
        status: Some(status.into()),
        detail: Some(detail),
        ..ProblemDetails::default()
    }
}

/// How a store error is answered; each operation's response enum has its own variants, so the
/// mapping is a macro over their common names.
macro_rules! answer {
    ($response:ident, $error:expr) => {
        match $error {
            error @ (StoreError::UnknownWorkflow(_) | StoreError::UnknownInstance(_)) => api::$response::NotFound(problem(404, error.to_string())),
            error @ StoreError::InvalidFilter(_) => api::$response::BadRequest(problem(400, error.to_string())),
            error @ StoreError::Conflict(_) => answer!(@conflict $response, error),
        }
    };
    (@conflict $response:ident, $error:expr) => {
        api::$response::Conflict(problem(409, $error.to_string()))
    };
}

/// For operations whose only failure is a bad filter (no ids, no state).
fn search_failure(error: StoreError) -> (Option<ProblemDetails>, ErrorResponse) {
    match error {
        StoreError::InvalidFilter(message) => {
            (Some(problem(400, message)), ErrorResponse { message: "invalid filter".into(), additional_info: None })
        }
        other => (None, ErrorResponse { message: "internal server error".into(), additional_info: Some(other.to_string()) }),
    }
}

/// The general form of a typed search body, or the 400 for one that has no such form.
fn search<T: serde::Serialize>(body: Option<T>) -> Result<SearchRequest, StoreError> {
    body.map_or_else(|| Ok(SearchRequest::default()), |body| general_form(&body).map_err(StoreError::from))
}

#[oas_macros::handlers(spec = "../../spec/openapi.yaml", api = orchestrator_api)]
impl Backend {
    async fn get_workflows_overview(&self, request: api::GetWorkflowsOverviewRequest) -> api::GetWorkflowsOverviewResponse {
        match search(request.body).and_then(|search| self.store.get_workflows_overview(&search)) {
            Ok(list) => api::GetWorkflowsOverviewResponse::Ok(list),
            Err(error) => match search_failure(error) {
                (Some(problem), _) => api::GetWorkflowsOverviewResponse::BadRequest(problem),
                (None, failure) => api::GetWorkflowsOverviewResponse::InternalServerError(failure),
            },
        }
    }

    async fn get_workflows_overview_for_entity(
        &self,
        request: api::GetWorkflowsOverviewForEntityRequest,
    ) -> api::GetWorkflowsOverviewForEntityResponse {
        let body = request.body.unwrap_or_default();
        api::GetWorkflowsOverviewForEntityResponse::Ok(self.store.get_workflows_overview_for_entity(&body))
    }

    async fn get_workflow_overview_by_id(&self, request: api::GetWorkflowOverviewByIdRequest) -> api::GetWorkflowOverviewByIdResponse {
        match self.store.get_workflow_overview_by_id(&request.workflow_id) {
            Ok(overview) => api::GetWorkflowOverviewByIdResponse::Ok(overview),
            Err(error) => api::GetWorkflowOverviewByIdResponse::NotFound(problem(404, error.to_string())),
        }
    }

    async fn get_workflow_source_by_id(&self, request: api::GetWorkflowSourceByIdRequest) -> api::GetWorkflowSourceByIdResponse {
        match self.store.get_workflow_source_by_id(&request.workflow_id) {
            Ok(source) => api::GetWorkflowSourceByIdResponse::Ok(source),
            Err(error) => api::GetWorkflowSourceByIdResponse::NotFound(problem(404, error.to_string())),
        }
    }

    async fn get_workflow_input_schema_by_id(&self, request: api::GetWorkflowInputSchemaByIdRequest) -> api::GetWorkflowInputSchemaByIdResponse {
        match self.store.get_workflow_input_schema_by_id(&request.workflow_id, request.instance_id.as_deref()) {
            Ok(schema) => api::GetWorkflowInputSchemaByIdResponse::Ok(schema),
            Err(error) => api::GetWorkflowInputSchemaByIdResponse::NotFound(problem(404, error.to_string())),
        }
    }

    async fn ping_workflow_service_by_id(&self, request: api::PingWorkflowServiceByIdRequest) -> api::PingWorkflowServiceByIdResponse {
        match self.store.ping_workflow_service_by_id(&request.workflow_id) {
            Ok(up) => api::PingWorkflowServiceByIdResponse::Ok(up),
            Err(error) => api::PingWorkflowServiceByIdResponse::NotFound(problem(404, error.to_string())),
        }
    }

    async fn get_instances(&self, request: api::GetInstancesRequest) -> api::GetInstancesResponse {
        match search(request.body).and_then(|search| self.store.get_instances(&search)) {
            Ok(list) => api::GetInstancesResponse::Ok(list),
            Err(error) => match search_failure(error) {
                (Some(problem), _) => api::GetInstancesResponse::BadRequest(problem),
                (None, failure) => api::GetInstancesResponse::InternalServerError(failure),
            },
        }
    }

    async fn get_workflow_instances(&self, request: api::GetWorkflowInstancesRequest) -> api::GetWorkflowInstancesResponse {
        match search(request.body).and_then(|search| self.store.get_workflow_instances(&request.workflow_id, &search)) {
            Ok(list) => api::GetWorkflowInstancesResponse::Ok(list),
            Err(StoreError::InvalidFilter(message)) => api::GetWorkflowInstancesResponse::BadRequest(problem(400, message)),
            Err(error) => api::GetWorkflowInstancesResponse::NotFound(problem(404, error.to_string())),
        }
    }

    async fn get_instance_by_id(&self, request: api::GetInstanceByIdRequest) -> api::GetInstanceByIdResponse {
        match self.store.get_instance_by_id(&request.instance_id) {
            Ok(instance) => api::GetInstanceByIdResponse::Ok(instance),
            Err(error) => api::GetInstanceByIdResponse::NotFound(problem(404, error.to_string())),
        }
    }

    async fn get_workflow_statuses(&self, _request: api::GetWorkflowStatusesRequest) -> api::GetWorkflowStatusesResponse {
        api::GetWorkflowStatusesResponse::Ok(self.store.get_workflow_statuses())
    }

    async fn execute_workflow(&self, request: api::ExecuteWorkflowRequest) -> api::ExecuteWorkflowResponse {
        match self.store.execute_workflow(&request.workflow_id, &request.body) {
            Ok(started) => api::ExecuteWorkflowResponse::Ok(started),
            Err(error) => answer!(ExecuteWorkflowResponse, error),
        }
    }

    async fn retrigger_instance(&self, request: api::RetriggerInstanceRequest) -> api::RetriggerInstanceResponse {
        match self.store.retrigger_instance(&request.workflow_id, &request.instance_id, &request.body) {
            // Upstream answers an empty object; the run itself is fetched with getInstanceById.
            Ok(_) => api::RetriggerInstanceResponse::Ok(Default::default()),
            Err(error) => answer!(RetriggerInstanceResponse, error),
        }
    }

    async fn abort_workflow(&self, request: api::AbortWorkflowRequest) -> api::AbortWorkflowResponse {
        match self.store.abort_workflow(&request.instance_id) {
            // Upstream answers the text `success`.
            Ok(_) => api::AbortWorkflowResponse::Ok("success".into()),
            Err(error) => answer!(AbortWorkflowResponse, error),
        }
    }
}
