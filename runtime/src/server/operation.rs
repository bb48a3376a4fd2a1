//! What a generated server states about each operation: its route, how its parameters and body
//! are read, and which schemas its requests and responses are checked against.
//!
//! Generated code keeps this as one table of constants rather than spelling it out in each
//! handler: the handlers then hold only what is particular to their types, and the table is plain
//! data that the generator writes without building any syntax.

use super::params::ParamSpec;
use super::routing::Route;
use super::BodyMedia;

/// One operation of the document.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The operationId (derived from method and path where the document has none).
    pub operation_id: &'static str,
    /// Upper case, as on the wire.
    pub method: &'static str,
    /// The path template, `/pets/{petId}`.
    pub path: &'static str,
    /// How each parameter is read, with the schema it is checked against.
    pub parameters: &'static [ParamSpec],
    /// The media types its request body may have; empty when it takes no body.
    pub body: &'static [BodyMedia],
    /// The schemas of its JSON responses, checked when response validation is on.
    pub responses: &'static [ResponseSchema],
}

impl Operation {
    /// Its method and path template, as the router matches them.
    pub fn route(&self) -> Route {
        Route { operation_id: self.operation_id, method: self.method, path: self.path }
    }

    /// Every schema pointer the operation checks values against.
    pub fn schemas(&self) -> impl Iterator<Item = &'static str> + '_ {
        let parameters = self.parameters.iter().filter_map(|parameter| parameter.schema);
        let body = self.body.iter().filter_map(|media| media.schema);
        parameters.chain(body).chain(self.responses.iter().map(|response| response.schema))
    }

    /// The schema a JSON response with `status` in `media_type` is checked against. As in the
    /// document's own rules, an exact status beats its range (`4XX`), which beats `default`.
    pub fn response_schema(&self, status: u16, media_type: &str) -> Option<&'static str> {
        let in_media_type = || self.responses.iter().filter(|response| response.media_type == media_type);
        let with = |wanted: ResponseStatus| in_media_type().find(|response| response.status == wanted).map(|response| response.schema);
        with(ResponseStatus::Code(status))
            .or_else(|| u8::try_from(status / 100).ok().and_then(|range| with(ResponseStatus::Range(range))))
            .or_else(|| with(ResponseStatus::Default))
    }
}

/// Which responses of an operation a schema describes, as the document keys them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseStatus {
    /// `"200"`.
    Code(u16),
    /// `"4XX"`: the first digit.
    Range(u8),
    /// `"default"`.
    Default,
}

/// The schema of one response body in one media type.
#[derive(Debug, Clone, Copy)]
pub struct ResponseSchema {
    /// The responses it describes.
    pub status: ResponseStatus,
    /// The media type, as the document writes it.
    pub media_type: &'static str,
    /// The pointer of the schema.
    pub schema: &'static str,
}

impl ResponseSchema {
    /// The response for one status code.
    pub const fn code(status: u16, media_type: &'static str, schema: &'static str) -> Self {
        ResponseSchema { status: ResponseStatus::Code(status), media_type, schema }
    }

    /// The response for a range of status codes, by its first digit (`4` for `4XX`).
    pub const fn range(first_digit: u8, media_type: &'static str, schema: &'static str) -> Self {
        ResponseSchema { status: ResponseStatus::Range(first_digit), media_type, schema }
    }

    /// The `default` response: every status the operation does not list.
    pub const fn default_response(media_type: &'static str, schema: &'static str) -> Self {
        ResponseSchema { status: ResponseStatus::Default, media_type, schema }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESPONSES: &[ResponseSchema] = &[
        ResponseSchema::code(404, "application/json", "/not-found"),
        ResponseSchema::code(404, "text/plain", "/not-found-text"),
        ResponseSchema::range(4, "application/json", "/client-error"),
        ResponseSchema::default_response("application/json", "/default"),
    ];

    const OPERATION: Operation = Operation { operation_id: "op", method: "GET", path: "/", parameters: &[], body: &[], responses: RESPONSES };

    #[test]
    fn an_exact_status_beats_its_range_which_beats_default() {
        assert_eq!(OPERATION.response_schema(404, "application/json"), Some("/not-found"));
        assert_eq!(OPERATION.response_schema(409, "application/json"), Some("/client-error"));
        assert_eq!(OPERATION.response_schema(500, "application/json"), Some("/default"));
    }

    #[test]
    fn the_media_type_must_match() {
        assert_eq!(OPERATION.response_schema(404, "text/plain"), Some("/not-found-text"));
        assert_eq!(OPERATION.response_schema(409, "text/plain"), None);
    }
}
