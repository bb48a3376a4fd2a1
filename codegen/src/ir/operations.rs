//! Operations as generation sees them: parameters by location, bodies by media type, responses
//! by status, with every classification (method, style, media kind, status) decided once while
//! lowering, so the server, the client, the docs and the mock cannot disagree on it.

use serde_json::Value;

pub use oas_wire::{MediaKind, Style};

use super::types::Ty;

/// An HTTP method of an operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// A method beyond the fixed Path Item fields, as written.
    Other(String),
}

impl Method {
    /// The methods a Path Item names as fields, in the order the specification lists them.
    pub const PATH_ITEM_FIELDS: [Method; 8] =
        [Method::Get, Method::Put, Method::Post, Method::Delete, Method::Options, Method::Head, Method::Patch, Method::Trace];

    /// The method's Path Item field name (`get`), or the name as written for any other method.
    pub fn field(&self) -> &str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
            Method::Other(name) => name,
        }
    }

    /// The method as sent on the wire (`GET`). HTTP method names are case-sensitive, so any other
    /// method is sent as written.
    pub fn http(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Other(name) => name,
        }
    }
}

/// The Rust type of a body of one media type: the schema's type for structured media, `String`
/// for text without a structured schema, bytes otherwise.
pub fn content_ty(content: &Content) -> Ty {
    match (content.kind, &content.ty) {
        (MediaKind::Json | MediaKind::Form | MediaKind::Multipart, Some(ty)) => ty.clone(),
        (MediaKind::Json, None) => Ty::Json,
        (MediaKind::Form | MediaKind::Multipart, None) => Ty::Map(Box::new(Ty::Json)),
        (MediaKind::Text, _) => Ty::String,
        // A `*/*` or other wildcard with a structured schema is sent as JSON.
        (MediaKind::Binary, Some(ty)) if content.media_type.contains('*') && *ty != Ty::Bytes => ty.clone(),
        (MediaKind::Binary, _) => Ty::Bytes,
    }
}

/// The examples a media type gives, resolved through `$ref`.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Examples {
    #[default]
    None,
    /// One `example` value.
    Single(Value),
    /// The `examples` map; entries whose `$ref` does not resolve are left out.
    Named(Vec<NamedExample>),
}

/// One entry of an `examples` map.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedExample {
    pub name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub value: Option<Value>,
    /// Where the value is kept when it is not in the document (`externalValue`).
    pub external_value: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId: as written, derived from method and path when missing, or suffixed when
    /// another operation already has it.
    pub id: String,
    /// `snake_case` name for methods and functions.
    pub rust_name: String,
    /// `UpperCamelCase` prefix for the operation's types, and the name of its trait.
    pub type_name: String,
    /// The struct holding the operation's parameters and body.
    pub request_type: String,
    /// The enum with one variant per documented response.
    pub response_type: String,
    pub method: Method,
    pub path: String,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    /// Received by the API's consumers rather than served (a `webhooks` entry).
    pub webhook: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives of security scheme names, any one of which satisfies the operation; empty
    /// when it needs no credentials, and an empty alternative means anonymous access is allowed.
    pub security: Vec<Vec<String>>,
}

/// One distinct set of security alternatives that operations require, and the name of the
/// constant generated code declares it as.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    pub alternatives: Vec<Vec<String>>,
    pub const_name: String,
}

/// A security scheme of `components/securitySchemes`, as far as code can apply it.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    pub name: String,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    ApiKey {
        location: Location,
        parameter: String,
    },
    /// HTTP bearer, OAuth 2 and OpenID Connect all send `Authorization: Bearer <token>`.
    Bearer,
    Basic,
    /// Mutual TLS or an HTTP scheme other than bearer and basic: left to the transport.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }

    /// The `style` a parameter here has when it names none: `simple` for path and header
    /// parameters, `form` for query and cookie ones (whose `explode` then defaults to true).
    pub fn default_style(self) -> Style {
        match self {
            Location::Path | Location::Header => Style::Simple,
            Location::Query | Location::Cookie => Style::Form,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub rust_name: String,
    pub location: Location,
    pub required: bool,
    pub ty: Ty,
    pub style: Style,
    pub explode: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    pub pointer: String,
    /// The pointer of the parameter's schema, where it has one.
    pub schema_pointer: Option<String>,
    /// Declared with `content: {application/json: ...}`: the value is JSON text.
    pub json_content: bool,
    /// An example value: the parameter's `example`, the value of the first of its `examples`, or
    /// its schema's example.
    pub example: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    pub contents: Vec<Content>,
    /// The enum over the media types, when there is more than one.
    pub content_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Content {
    pub media_type: String,
    /// How a body of this media type travels, decided from `media_type` once.
    pub kind: MediaKind,
    /// `None` when the media type declares no schema.
    pub ty: Option<Ty>,
    pub pointer: String,
    pub examples: Examples,
    /// The example the media type's schema carries (through a `$ref`).
    pub schema_example: Option<Value>,
}

impl Content {
    /// The pointer of the media type's schema, which validators are built from.
    pub fn schema_pointer(&self) -> String {
        format!("{}/schema", self.pointer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Code(u16),
    /// `2XX` and friends: the first digit.
    Range(u8),
    Default,
}

impl Status {
    /// The variant name of this status in a response enum.
    pub fn variant_name(&self) -> String {
        match self {
            Status::Code(code) => match reason(*code) {
                Some(reason) => reason.to_string(),
                None => format!("Status{code}"),
            },
            Status::Range(digit) => format!("Status{digit}xx"),
            Status::Default => "Default".into(),
        }
    }

    pub fn key(&self) -> String {
        match self {
            Status::Code(code) => code.to_string(),
            Status::Range(digit) => format!("{digit}XX"),
            Status::Default => "default".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
    pub description: Option<String>,
    pub contents: Vec<Content>,
    pub headers: Vec<Header>,
    pub pointer: String,
    /// The enum over the media types, when there is more than one.
    pub content_type: Option<String>,
    /// The struct of declared headers, when there are any.
    pub headers_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub rust_name: String,
    pub required: bool,
    pub ty: Ty,
    pub description: Option<String>,
}

fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}
