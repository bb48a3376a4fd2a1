//! What a request carries, read for its handler: the parameters in their styles, the credentials
//! of the security schemes, and the body in one of the operation's media types within the size
//! limit (413 beyond it, 415 for a media type not listed). Each is checked against the document's
//! schemas before the handler sees it.

use std::sync::Arc;

use axum::body::Body as AxumBody;
use http::{header, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::params::{self, Location, ParamSpec, RawRequest, Violation};
use super::service::Shared;
use super::{multipart, problem, security, AuthError, Credential, Credentials, Operation, Rejection, RequestParts, Route, Scheme};

/// One request on its way to a handler.
pub struct Input {
    pub(super) parts: RequestParts,
    pub(super) body: Option<AxumBody>,
    /// The path parameters, as the route captured them.
    pub(super) path: Vec<(&'static str, String)>,
    pub(super) shared: Arc<Shared>,
    /// The index of the operation in the table.
    pub(super) operation: usize,
    /// The request body handed to the handler as a stream, once it is.
    pub(super) upload: Option<Arc<super::streaming::Upload>>,
}

pub use oas_wire::MediaKind;

/// One media type a request body may have.
#[derive(Debug, Clone, Copy)]
pub struct BodyMedia {
    /// The media type, as the document writes it (it may be a range such as `image/*`).
    pub media_type: &'static str,
    /// How a body of this media type is read.
    pub kind: MediaKind,
    /// The pointer of the schema to validate with.
    pub schema: Option<&'static str>,
    /// For form bodies: how each property is read.
    pub form: &'static [ParamSpec],
    /// The body reaches the handler as a stream, within the upload limit rather than the body
    /// limit.
    pub streams: bool,
}

/// 400 for a request without the body the operation requires.
fn body_missing() -> Rejection {
    let violation = Violation { location: Location::Body, pointer: String::new(), message: "a request body is required".into() };
    problem::invalid(&[violation]).into()
}

/// 415 for a body in a media type the handler has no conversion for. The router only hands over
/// bodies in the media types listed for the operation, so generated handlers keep this only to
/// stay total.
pub fn unsupported_media_type() -> Rejection {
    problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported media type", &[]).into()
}

/// A request body, read and validated, not yet typed.
pub struct Body {
    /// Which of the operation's media types it came as.
    pub index: usize,
    content: Content,
}

enum Content {
    Json(Value),
    Text(String),
    Bytes(Vec<u8>),
    Stream(crate::ByteStream),
}

impl Body {
    /// The body as the schema's type.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Rejection> {
        let value = match self.content {
            Content::Json(value) => value,
            Content::Text(text) => Value::String(text),
            Content::Bytes(bytes) => Value::Array(bytes.into_iter().map(Value::from).collect()),
            Content::Stream(_) => return Err(unsupported_media_type()),
        };
        Ok(serde_json::from_value(value)
            .map_err(|error| problem::invalid(&[Violation { location: Location::Body, pointer: String::new(), message: error.to_string() }]))?)
    }

    /// The body as text: JSON as its text, bytes when they are UTF-8 (400 otherwise).
    pub fn text(self) -> Result<String, Rejection> {
        match self.content {
            Content::Text(text) => Ok(text),
            Content::Json(value) => Ok(value.to_string()),
            Content::Bytes(bytes) => Ok(String::from_utf8(bytes).map_err(|_| {
                problem::invalid(&[Violation { location: Location::Body, pointer: String::new(), message: "the body is not UTF-8 text".into() }])
            })?),
            Content::Stream(_) => Err(unsupported_media_type()),
        }
    }

    /// The body as bytes: text and JSON as their UTF-8 text.
    pub fn bytes(self) -> Result<crate::Bytes, Rejection> {
        Ok(crate::Bytes(match self.content {
            Content::Bytes(bytes) => bytes,
            Content::Text(text) => text.into_bytes(),
            Content::Json(value) => value.to_string().into_bytes(),
            Content::Stream(_) => return Err(unsupported_media_type()),
        }))
    }

    /// The body as a stream of chunks: a streamed upload as it arrives, anything else at once.
    pub fn byte_stream(self) -> Result<crate::ByteStream, Rejection> {
        Ok(match self.content {
            Content::Stream(stream) => stream,
            Content::Bytes(bytes) => [bytes::Bytes::from(bytes)].into_iter().collect(),
            Content::Text(text) => [bytes::Bytes::from(text)].into_iter().collect(),
            Content::Json(value) => [bytes::Bytes::from(value.to_string())].into_iter().collect(),
        })
    }
}

/// Parsed, validated parameters, taken one by one into the request struct.
pub struct Parameters {
    values: Map<String, Value>,
}

impl Parameters {
    /// The parameter `name` as `T` (an `Option` for optional parameters: absent is `None`).
    pub fn take<T: DeserializeOwned>(&mut self, name: &str, location: Location) -> Result<T, Rejection> {
        let value = self.values.remove(name).unwrap_or(Value::Null);
        Ok(serde_json::from_value(value)
            .map_err(|error| problem::invalid(&[Violation { location, pointer: format!("/{name}"), message: error.to_string() }]))?)
    }
}

impl Input {
    /// A copy of the request line, headers and extensions.
    pub fn parts(&self) -> RequestParts {
        self.parts.clone()
    }

    /// The request line, headers and extensions (with the credentials found), moved out for the
    /// handler: nothing after the handler reads them, and a copy would clone every header.
    pub fn take_parts(&mut self) -> RequestParts {
        std::mem::replace(&mut self.parts, http::Request::new(()).into_parts().0)
    }

    pub(super) fn route(&self) -> Route {
        self.operation().route()
    }

    pub(super) fn operation(&self) -> &'static Operation {
        &self.shared.operations[self.operation]
    }

    /// The credentials of the first security requirement the request satisfies; `None` when the
    /// operation allows anonymous access and none was satisfied. 401 when it needs credentials and
    /// carries none of them.
    pub fn credentials(&self, requirements: &[&[Scheme]]) -> Result<Option<Credentials>, Rejection> {
        for requirement in requirements {
            if requirement.is_empty() {
                continue;
            }
            let found: Option<Vec<Credential>> = requirement.iter().map(|scheme| security::find(&self.parts, scheme)).collect();
            if let Some(found) = found {
                return Ok(Some(Credentials(found)));
            }
        }
        if requirements.is_empty() || requirements.iter().any(|requirement| requirement.is_empty()) {
            return Ok(None);
        }
        let mut response = problem(StatusCode::UNAUTHORIZED, "the request carries none of the credentials this operation requires", &[]);
        for challenge in security::challenges(requirements) {
            response.headers_mut().append(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        Err(response.into())
    }

    /// Runs the application's check of the credentials, and makes them available to the handler
    /// in the request's extensions.
    pub fn authenticated(&mut self, credentials: Credentials, verdict: Result<(), AuthError>) -> Result<(), Rejection> {
        match verdict {
            Ok(()) => {
                self.parts.extensions.insert(credentials);
                Ok(())
            }
            Err(AuthError::Unauthorized(detail)) => Err(problem(StatusCode::UNAUTHORIZED, detail, &[]).into()),
            Err(AuthError::Forbidden(detail)) => Err(problem(StatusCode::FORBIDDEN, detail, &[]).into()),
        }
    }

    /// Reads every parameter of the operation and checks each against its schema.
    pub fn parameters(&self) -> Result<Parameters, Rejection> {
        let specs = self.operation().parameters;
        let path: Vec<(&str, &str)> = self.path.iter().map(|(name, value)| (*name, value.as_str())).collect();
        let raw = RawRequest { path: &path, query: self.parts.uri.query(), headers: &self.parts.headers };
        let values = params::parse(specs, &raw).map_err(|violations| problem::invalid(&violations))?;
        let mut violations = Vec::new();
        for spec in specs {
            if let (Some(schema), Some(value)) = (spec.schema, values.get(spec.name)) {
                // The error pointer is only written for a value that fails.
                if !self.shared.validators.is_valid(schema, value) {
                    violations.extend(self.shared.validators.check(schema, value, spec.location, &format!("/{}", escape(spec.name))));
                }
            }
        }
        if !violations.is_empty() {
            return Err(problem::invalid(&violations).into());
        }
        Ok(Parameters { values })
    }

    /// Reads the body in one of the operation's media types (chosen by `Content-Type`), within
    /// the size limit, and checks it against that media type's schema.
    pub async fn body(&mut self, required: bool) -> Result<Option<Body>, Rejection> {
        let media = self.operation().body;
        let streamed_type = self.parts.headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(essence);
        if let Some(index) = streamed_type.and_then(|content_type| choose_media(media, content_type)).filter(|index| media[*index].streams) {
            let body = self.body.take().unwrap_or_else(AxumBody::empty);
            return Ok(Some(Body { index, content: Content::Stream(self.upload(body)?) }));
        }
        let limit = self.shared.config.body_limit;
        let too_large = || problem(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body is larger than {limit} bytes"), &[]);
        let declared_length =
            self.parts.headers.get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()).and_then(|value| value.parse::<u64>().ok());
        if declared_length.is_some_and(|length| length > limit as u64) {
            return Err(too_large().into());
        }
        let body = self.body.take().unwrap_or_else(AxumBody::empty);
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => bytes,
            Err(error) => {
                let response = if over_limit(&error) {
                    too_large()
                } else {
                    problem(StatusCode::BAD_REQUEST, format!("the request body could not be read: {error}"), &[])
                };
                return Err(response.into());
            }
        };
        let content_type = self.parts.headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(essence);
        if bytes.is_empty() && content_type.is_none() {
            if required {
                return Err(body_missing());
            }
            return Ok(None);
        }
        let accepted = || media.iter().map(|media| media.media_type).collect::<Vec<_>>().join(", ");
        let Some(content_type) = content_type else {
            return Err(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("the request has a body but no Content-Type; accepted: {}", accepted()),
                &[],
            )
            .into());
        };
        let Some(index) = choose_media(media, content_type) else {
            return Err(
                problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("`{content_type}` is not accepted here; accepted: {}", accepted()), &[]).into()
            );
        };
        let chosen = media[index];
        let body_violation = |message: String| problem::invalid(&[Violation { location: Location::Body, pointer: String::new(), message }]);
        let content = match chosen.kind {
            MediaKind::Json => {
                Content::Json(serde_json::from_slice(&bytes).map_err(|error| body_violation(format!("the body is not valid JSON: {error}")))?)
            }
            MediaKind::Text => Content::Text(String::from_utf8(bytes.to_vec()).map_err(|_| body_violation("the body is not UTF-8 text".into()))?),
            MediaKind::Form => {
                let text = std::str::from_utf8(&bytes).map_err(|_| body_violation("the form is not UTF-8 text".into()))?;
                let headers = http::HeaderMap::new();
                let raw = RawRequest { path: &[], query: Some(text), headers: &headers };
                let values = params::parse(chosen.form, &raw).map_err(|violations| {
                    let violations: Vec<Violation> =
                        violations.into_iter().map(|violation| Violation { location: Location::Body, ..violation }).collect();
                    problem::invalid(&violations)
                })?;
                Content::Json(Value::Object(values))
            }
            MediaKind::Multipart => {
                let full_type = self.parts.headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
                let boundary = multipart::boundary(full_type).unwrap_or_default();
                let parts = multipart::parse(&bytes, &boundary).map_err(body_violation)?;
                let (text, files) = multipart::split_fields(parts);
                let headers = http::HeaderMap::new();
                let raw = RawRequest { path: &[], query: Some(&text), headers: &headers };
                // Files and JSON parts are not form text; the form rules must not miss them.
                let specs: Vec<ParamSpec> = chosen.form.iter().filter(|spec| !files.contains_key(spec.name)).copied().collect();
                let mut values = params::parse(&specs, &raw).map_err(|violations| {
                    let violations: Vec<Violation> =
                        violations.into_iter().map(|violation| Violation { location: Location::Body, ..violation }).collect();
                    problem::invalid(&violations)
                })?;
                values.extend(files);
                Content::Json(Value::Object(values))
            }
            MediaKind::Binary => Content::Bytes(bytes.to_vec()),
        };
        if let Some(schema) = chosen.schema {
            // Only text needs a `Value` made for it; a JSON body is checked where it lies.
            let text;
            let value = match &content {
                Content::Json(value) => Some(value),
                Content::Text(body) => {
                    text = Value::String(body.clone());
                    Some(&text)
                }
                Content::Bytes(_) | Content::Stream(_) => None,
            };
            if let Some(value) = value {
                let violations = self.shared.validators.check(schema, value, Location::Body, "");
                if !violations.is_empty() {
                    return Err(problem::invalid(&violations).into());
                }
            }
        }
        Ok(Some(Body { index, content }))
    }

    /// [`Input::body`] for an operation whose body is required.
    pub async fn required_body(&mut self) -> Result<Body, Rejection> {
        self.body(true).await?.ok_or_else(body_missing)
    }
}

/// Whether reading a body failed because the body was longer than a limit. Both our limit,
/// which `to_bytes` applies with [`http_body_util::Limited`], and one that a layer in front of the
/// router applies the same way fail with [`http_body_util::LengthLimitError`]; the latter comes
/// wrapped once more, as the error of the body that `to_bytes` read, so the whole chain of
/// sources is searched.
fn over_limit(error: &axum::Error) -> bool {
    std::iter::successors(Some(error as &(dyn std::error::Error + 'static)), |error| error.source())
        .any(|error| error.is::<http_body_util::LengthLimitError>())
}

/// A media type without its parameters; compare with `eq_ignore_ascii_case`.
fn essence(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or_default().trim()
}

/// The index of the declared media type a request's `Content-Type` fits: an exact match first,
/// then `type/*`, then `*/*`.
fn choose_media(media: &[BodyMedia], content_type: &str) -> Option<usize> {
    let declared = || media.iter().map(|media| essence(media.media_type));
    if let Some(index) = declared().position(|declared| declared.eq_ignore_ascii_case(content_type)) {
        return Some(index);
    }
    let kind = content_type.split('/').next().unwrap_or_default();
    if let Some(index) = declared().position(|declared| declared.strip_suffix("/*").is_some_and(|declared| declared.eq_ignore_ascii_case(kind))) {
        return Some(index);
    }
    declared().position(|declared| declared == "*/*")
}

/// Escapes a name for use as a JSON pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use axum::body::Bytes;
    use http_body_util::{BodyExt, Full, Limited};

    use super::*;
    use crate::server::service::call;
    use crate::server::{router, BoxFuture, Response, ServerConfig, ServerSpec};

    const LIMIT: usize = 16;

    static SPEC: ServerSpec = ServerSpec {
        document: r#"{"openapi": "3.1.0", "paths": {}}"#,
        openapi_3_0: false,
        operations: &[Operation {
            operation_id: "addPet",
            method: "POST",
            path: "/pets",
            parameters: &[],
            body: &[BodyMedia { media_type: "application/json", kind: MediaKind::Json, schema: None, form: &[], streams: false }],
            responses: &[],
        }],
    };

    /// The status the server answers for a POST of `body`, with `length` as its `Content-Length`.
    async fn status(body: AxumBody, length: Option<usize>) -> u16 {
        fn dispatch(_: Arc<()>, _: usize, mut input: Input) -> BoxFuture<Result<Response, Rejection>> {
            Box::pin(async move {
                input.required_body().await?;
                Ok(input.empty(204))
            })
        }
        let config = ServerConfig { body_limit: LIMIT, ..ServerConfig::default() };
        let mut request = http::Request::post("/pets").header(header::CONTENT_TYPE, "application/json");
        if let Some(length) = length {
            request = request.header(header::CONTENT_LENGTH, length);
        }
        call(router(Arc::new(()), config, &SPEC, dispatch), request.body(body).expect("a valid request")).await.status().as_u16()
    }

    fn json_of_length(length: usize) -> Bytes {
        Bytes::from(format!("\"{}\"", "x".repeat(length - 2)))
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_413_however_the_limit_is_found() {
        assert_eq!(status(AxumBody::from(json_of_length(LIMIT)), None).await, 204);
        // Declared too long: refused before reading.
        assert_eq!(status(AxumBody::from(json_of_length(LIMIT + 1)), Some(LIMIT + 1)).await, 413);
        // Declared short or not at all, as chunked bodies are: refused while reading.
        assert_eq!(status(AxumBody::from(json_of_length(LIMIT + 1)), None).await, 413);
        assert_eq!(status(AxumBody::from(json_of_length(LIMIT + 1)), Some(LIMIT)).await, 413);
        // Cut short by a smaller limit in front of the router, whose error comes nested deeper.
        assert_eq!(status(AxumBody::new(Limited::new(Full::new(json_of_length(LIMIT)), LIMIT - 1)), None).await, 413);
    }

    #[tokio::test]
    async fn a_body_that_fails_to_read_for_another_reason_is_400() {
        // A limit's error turned into another, as a connection that breaks off mid-body gives.
        let broken = Limited::new(Full::new(json_of_length(LIMIT)), 0).map_err(|_| std::io::Error::other("the connection was reset"));
        assert_eq!(status(AxumBody::new(broken), None).await, 400);
    }
}
