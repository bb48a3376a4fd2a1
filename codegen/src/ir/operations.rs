//! Operations as generation sees them: parameters by location, bodies by media type, responses
//! by status, with every classification (method, style, media kind, status) decided once while
//! lowering, so the server, the client, the docs and the mock cannot disagree on it.

use std::sync::Arc;

use serde_json::Value;

pub use oas_wire::{MediaKind, Style};

use super::types::Ty;

/// An HTTP method of an operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// The `get` field of a Path Item: `GET`.
    Get,
    /// The `put` field of a Path Item: `PUT`.
    Put,
    /// The `post` field of a Path Item: `POST`.
    Post,
    /// The `delete` field of a Path Item: `DELETE`.
    Delete,
    /// The `options` field of a Path Item: `OPTIONS`.
    Options,
    /// The `head` field of a Path Item: `HEAD`.
    Head,
    /// The `patch` field of a Path Item: `PATCH`.
    Patch,
    /// The `trace` field of a Path Item: `TRACE`.
    Trace,
    /// The `query` field of an OpenAPI 3.2 Path Item: `QUERY`, a safe request with a body.
    Query,
    /// A method beyond the fixed Path Item fields (an OpenAPI 3.2 `additionalOperations` key),
    /// as written.
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
            Method::Query => "query",
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
            Method::Query => "QUERY",
            Method::Other(name) => name,
        }
    }
}

/// The Rust type of a body of one media type: the schema's type for structured media, `String`
/// for text without a structured schema, bytes otherwise.
pub fn content_ty(content: &Content) -> Ty {
    whole_body_ty(content.kind, &content.media_type, content.ty.as_ref())
}

/// [`content_ty`] from its parts, for deciding before a [`Content`] exists.
pub fn whole_body_ty(kind: MediaKind, media_type: &str, ty: Option<&Ty>) -> Ty {
    match (kind, ty) {
        (MediaKind::Json | MediaKind::Form | MediaKind::Multipart, Some(ty)) => ty.clone(),
        (MediaKind::Json, None) => Ty::Json,
        (MediaKind::Form | MediaKind::Multipart, None) => Ty::Map(Box::new(Ty::Json)),
        (MediaKind::Text, _) => Ty::String,
        // A `*/*` or other wildcard with a structured schema is sent as JSON.
        (MediaKind::Binary, Some(ty)) if media_type.contains('*') && *ty != Ty::Bytes => ty.clone(),
        (MediaKind::Binary, _) => Ty::Bytes,
    }
}

/// The examples a media type gives, resolved through `$ref`.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Examples {
    /// The media type gives no example.
    #[default]
    None,
    /// One `example` value.
    Single(Arc<Value>),
    /// The `examples` map; entries whose `$ref` does not resolve are left out.
    Named(Vec<NamedExample>),
}

/// One entry of an `examples` map.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedExample {
    /// The entry's key in the `examples` map.
    pub name: String,
    /// The Example Object's `summary`, trimmed; `None` when missing or blank.
    pub summary: Option<String>,
    /// The Example Object's `description`, trimmed; `None` when missing or blank.
    pub description: Option<String>,
    /// The example itself (`value`); `None` when only `externalValue` is given.
    pub value: Option<Arc<Value>>,
    /// Where the value is kept when it is not in the document (`externalValue`).
    pub external_value: Option<String>,
}

/// One operation: a method on a path, a webhook, or a callback, with everything generated for it.
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
    /// The HTTP method the operation is called with.
    pub method: Method,
    /// The path template as written (`/pets/{petId}`); for a webhook or callback, its name.
    pub path: String,
    /// Where the Operation Object sits in the document, after any Path Item `$ref` is followed.
    pub pointer: String,
    /// The operation's `summary`, as written.
    pub summary: Option<String>,
    /// The operation's `description`, as written.
    pub description: Option<String>,
    /// The operation says `deprecated: true`; its handler and client methods are `#[deprecated]`.
    pub deprecated: bool,
    /// The operation's `tags`; the reference pages group operations by the first.
    pub tags: Vec<String>,
    /// Received by the API's consumers rather than served (a `webhooks` entry).
    pub webhook: bool,
    /// The path item's and the operation's parameters, the operation's replacing a path item's
    /// of the same name and location; each becomes a field of the request struct.
    pub parameters: Vec<Parameter>,
    /// The `requestBody`, when there is one that resolves.
    pub body: Option<RequestBody>,
    /// The documented responses, sorted by status; a lone `default` response stands in when the
    /// document lists none, so every handler has something to answer with.
    pub responses: Vec<Response>,
    /// Alternatives of security scheme names, any one of which satisfies the operation; empty
    /// when it needs no credentials, and an empty alternative means anonymous access is allowed.
    pub security: Vec<Vec<String>>,
}

/// One distinct set of security alternatives that operations require, and the name of the
/// constant generated code declares it as.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    /// The alternatives, as in [`Operation::security`].
    pub alternatives: Vec<Vec<String>>,
    /// The constant's name, made from the schemes' names (`SECURITY_BEARER_OR_API_KEY`), or
    /// numbered when that would be too long.
    pub const_name: String,
}

/// A security scheme of `components/securitySchemes`, as far as code can apply it.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The scheme's key in `components/securitySchemes`, which security requirements name.
    pub name: String,
    /// How a credential for it is sent.
    pub kind: SchemeKind,
    /// The scheme is `deprecated` (OpenAPI 3.2): the client's setter for it says so.
    pub deprecated: bool,
}

/// How a security scheme's credential travels in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: apiKey`: a key sent as a header, query parameter or cookie.
    ApiKey {
        /// Where the key is sent (`in`); a header when the document does not say.
        location: Location,
        /// The header, query parameter or cookie name (`name`), `Authorization` when missing.
        parameter: String,
    },
    /// HTTP bearer, OAuth 2 and OpenID Connect all send `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP basic: `Authorization: Basic <user:password in base64>`.
    Basic,
    /// Mutual TLS or an HTTP scheme other than bearer and basic: left to the transport.
    Other,
}

/// Where a parameter (or an API key) is sent: a parameter's `in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A `{name}` segment of the path template; always required.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie of the `Cookie` header.
    Cookie,
}

impl Location {
    /// The location as the document writes it (`query`).
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

/// One parameter of an operation, and the request struct's field for it.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The name on the wire, as written.
    pub name: String,
    /// The request struct's field name, unique among the operation's parameters (and never
    /// `body`, which the request body takes).
    pub rust_name: String,
    /// Where the parameter is sent.
    pub location: Location,
    /// Always true for a path parameter; a parameter that is not required is an `Option` field.
    pub required: bool,
    /// The type of a present value: its schema's (for a `content` parameter, the media type's
    /// schema's), or a string without one.
    pub ty: Ty,
    /// How the value is written as text: `style`, or the location's default.
    pub style: Style,
    /// Whether arrays and objects are spread over several values: `explode`, or the style's
    /// default.
    pub explode: bool,
    /// The parameter's `description`, written as the field's doc.
    pub description: Option<String>,
    /// The parameter says `deprecated: true`; the field is marked `#[deprecated]`.
    pub deprecated: bool,
    /// Where the Parameter Object sits in the document, after any `$ref` is followed.
    pub pointer: String,
    /// The pointer of the parameter's schema, where it has one.
    pub schema_pointer: Option<String>,
    /// Declared with `content: {application/json: ...}`: the value is JSON text.
    pub json_content: bool,
    /// An example value: the parameter's `example`, the value of the first of its `examples`, or
    /// its schema's example.
    pub example: Option<Arc<Value>>,
}

/// An operation's `requestBody`.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// The body must be sent; otherwise the request struct's `body` is an `Option`.
    pub required: bool,
    /// The Request Body Object's `description`, written as the `body` field's doc.
    pub description: Option<String>,
    /// One per media type of `content`, in document order.
    pub contents: Vec<Content>,
    /// The enum over the media types, when there is more than one.
    pub content_type: Option<String>,
}

/// One media type of a body (an entry of a `content` map) and what its body is read as.
#[derive(Debug, Clone)]
pub struct Content {
    /// The media type as written, parameters included (`application/json; charset=utf-8`).
    pub media_type: String,
    /// How a body of this media type travels, decided from `media_type` once.
    pub kind: MediaKind,
    /// `None` when the media type declares no schema.
    pub ty: Option<Ty>,
    /// The type of each item of a sequential media type (server-sent events, JSON lines,
    /// multipart): OpenAPI 3.2's `itemSchema`.
    pub item_ty: Option<Ty>,
    /// How each item is encoded: the `contentType` of OpenAPI 3.2's `itemEncoding`.
    pub item_content_type: Option<String>,
    /// The body travels item by item (events, JSON lines, or binary chunks) rather than whole.
    pub stream: Option<Stream>,
    /// The schema each item of a stream is checked against.
    pub item_schema_pointer: Option<String>,
    /// Where the Media Type Object sits in the document (where its `$ref` leads, for one
    /// written as a reference to `components/mediaTypes`).
    pub pointer: String,
    /// The media type's own `example` or `examples`.
    pub examples: Examples,
    /// The example the media type's schema carries (through a `$ref`).
    pub schema_example: Option<Arc<Value>>,
}

impl Content {
    /// The pointer of the media type's schema, which validators are built from.
    pub fn schema_pointer(&self) -> String {
        format!("{}/schema", self.pointer)
    }
}

/// How a body that streams travels: item by item, each handed over as it is produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Stream {
    /// Server-sent events (`text/event-stream`): `data` is the type of each event's data, read
    /// as JSON, or `None` where it is text.
    Events {
        /// The type of each event's `data`.
        data: Option<Ty>,
        /// The event names (`event:`) an OpenAPI 3.2 `itemSchema` allows, as written (a `const`
        /// or an `enum` of strings); empty when it names none.
        names: Vec<String>,
    },
    /// JSON values one after another, each an `item`.
    Lines {
        /// The type of each value.
        item: Ty,
        /// How the values are separated.
        framing: Framing,
    },
    /// A binary body in chunks: too large (or of unknown size) to be held whole.
    Bytes,
}

/// How the values of a JSON-lines body are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One value per line: `application/jsonl`, `application/x-ndjson`.
    Lines,
    /// RFC 7464 records, each after an ASCII record separator: `application/json-seq`.
    JsonSeq,
}

/// The key of a response in `responses`. Ordered as responses are listed: codes, then ranges,
/// then `default`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One status code, 100 to 599.
    Code(u16),
    /// `2XX` and friends: the first digit.
    Range(u8),
    /// `default`: any status the other keys do not cover.
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

    /// The status as a key of `responses`: `404`, `4XX` or `default`.
    pub fn key(&self) -> String {
        match self {
            Status::Code(code) => code.to_string(),
            Status::Range(digit) => format!("{digit}XX"),
            Status::Default => "default".into(),
        }
    }
}

/// One documented response of an operation, and the response enum's variant for it.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status it is documented for.
    pub status: Status,
    /// The Response Object's `description`, written in the variant's doc.
    pub description: Option<String>,
    /// One per media type of `content`; empty for a response without a body.
    pub contents: Vec<Content>,
    /// The declared `headers`, less `Content-Type`, which `contents` already decides.
    pub headers: Vec<Header>,
    /// Where the response sits under the operation's `responses`, before any `$ref` is followed.
    pub pointer: String,
    /// The enum over the media types, when there is more than one.
    pub content_type: Option<String>,
    /// The struct of declared headers, when there are any.
    pub headers_type: Option<String>,
}

/// One declared header of a response, and its field in the response's headers struct.
#[derive(Debug, Clone)]
pub struct Header {
    /// The header name, as written.
    pub name: String,
    /// The field name in the headers struct, unique within it.
    pub rust_name: String,
    /// The response always carries it; otherwise the field is an `Option`.
    pub required: bool,
    /// The type of the value: the header's schema's, or a string without one.
    pub ty: Ty,
    /// The Header Object's `description`, written as the field's doc.
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
