//! The endpoints measured: a GET list, a GET by id and a POST with a JSON body.

use std::fmt;
use std::str::FromStr;

use bytes::Bytes;
use http::Method;

/// One of the measured operations of `spec/openapi.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /v2/workflows/instances/statuses` (`getWorkflowStatuses`).
    Statuses,
    /// `GET /v2/workflows/instances/{instanceId}` (`getInstanceById`), on a seeded run.
    Instance,
    /// `POST /v2/workflows/overview` (`getWorkflowsOverview`) with a filter and paging body.
    Overview,
}

pub const ALL: [Endpoint; 3] = [Endpoint::Statuses, Endpoint::Instance, Endpoint::Overview];

/// A filter that touches enum and nested-object validation on the generated side and the store's
/// filter compiler on both.
const OVERVIEW_BODY: &str = r#"{"filters":{"operator":"OR","filters":[{"field":"name","operator":"LIKE","value":"%onboard%"},{"field":"lastRunStatus","operator":"EQ","value":"ERROR"}]},"paginationInfo":{"pageSize":10,"offset":0,"orderBy":"name","orderDirection":"ASC"}}"#;

/// A request as sent on the wire.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub body: Option<Bytes>,
}

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Statuses => "statuses",
            Endpoint::Instance => "instance",
            Endpoint::Overview => "overview",
        }
    }

    /// What the endpoint is, for tables.
    pub fn describe(self) -> &'static str {
        match self {
            Endpoint::Statuses => "GET /v2/workflows/instances/statuses",
            Endpoint::Instance => "GET /v2/workflows/instances/{id}",
            Endpoint::Overview => "POST /v2/workflows/overview",
        }
    }

    /// The request, with `instance_id` naming a run both servers hold.
    pub fn request(self, instance_id: &str) -> Request {
        match self {
            Endpoint::Statuses => Request { method: Method::GET, path: "/v2/workflows/instances/statuses".into(), body: None },
            Endpoint::Instance => Request { method: Method::GET, path: format!("/v2/workflows/instances/{instance_id}"), body: None },
            Endpoint::Overview => {
                Request { method: Method::POST, path: "/v2/workflows/overview".into(), body: Some(Bytes::from_static(OVERVIEW_BODY.as_bytes())) }
            }
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

impl FromStr for Endpoint {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ALL.into_iter().find(|endpoint| endpoint.name() == text).ok_or_else(|| {
            let known: Vec<&str> = ALL.iter().map(|endpoint| endpoint.name()).collect();
            format!("unknown endpoint `{text}` (known: {})", known.join(", "))
        })
    }
}

/// The id of a seeded run, the same in every process since the seed is fixed.
pub fn seeded_instance_id() -> Result<String, String> {
    orchestrator_backend::seed::instances().into_iter().next().map(|run| run.id).ok_or_else(|| "the seed holds no runs".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for endpoint in ALL {
            assert_eq!(endpoint.name().parse::<Endpoint>(), Ok(endpoint));
        }
        let error = "everything".parse::<Endpoint>().unwrap_err();
        assert!(error.contains("statuses, instance, overview"), "{error}");
    }

    #[test]
    fn the_overview_body_is_a_search_request() {
        let body = Endpoint::Overview.request("x").body.expect("a body");
        let search: orchestrator_api::SearchRequest = serde_json::from_slice(&body).expect("parses");
        assert!(search.filters.is_some());
        assert_eq!(Endpoint::Instance.request("abc").path, "/v2/workflows/instances/abc");
    }
}
