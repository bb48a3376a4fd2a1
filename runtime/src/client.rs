//! What generated clients call: building a request in every parameter style, applying
//! credentials, sending it with the caller's `reqwest::Client`, and reading the answer into the
//! operation's response enum or a typed error.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub use reqwest;

pub use crate::security::Scheme;
pub use crate::stream::decode::{Reconnect, StreamOptions};
pub use crate::stream::Framing;
use crate::stream::{ByteStream, EventStream, LineStream};
pub use crate::style::{Location, Style};

/// Why a call did not produce a documented response.
#[derive(Debug)]
pub enum ClientError {
    /// The request could not be built: a value that cannot travel where the document puts it
    /// (a header with a line break), or a base URL that is not one.
    Request(String),
    /// Connecting, sending or receiving failed, timeouts included.
    Transport(reqwest::Error),
    /// The server answered with a status the document does not list for the operation.
    UndocumentedStatus {
        /// The status received.
        status: u16,
        /// The response headers.
        headers: http::HeaderMap,
        /// The response body, unread.
        body: Vec<u8>,
    },
    /// The status is documented but the body does not decode as its type (or comes in a media
    /// type the document does not list for it).
    Decode {
        /// The status received.
        status: u16,
        /// The response's `Content-Type`, if it had one.
        content_type: Option<String>,
        /// Why the body does not decode.
        message: String,
        /// The response body, unread.
        body: Vec<u8>,
    },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Request(message) => write!(f, "cannot build the request: {message}"),
            ClientError::Transport(error) => write!(f, "the request failed: {error}"),
            ClientError::UndocumentedStatus { status, body, .. } => {
                write!(f, "the server answered with status {status}, which the document does not list")?;
                if let Ok(text) = std::str::from_utf8(body) {
                    if !text.is_empty() {
                        write!(f, ": {}", text.chars().take(200).collect::<String>())?;
                    }
                }
                Ok(())
            }
            ClientError::Decode { status, content_type, message, .. } => {
                write!(f, "the response with status {status}")?;
                if let Some(content_type) = content_type {
                    write!(f, " ({content_type})")?;
                }
                write!(f, " does not decode: {message}")
            }
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Transport(error) => Some(error),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(error: reqwest::Error) -> Self {
        ClientError::Transport(error)
    }
}

/// Credentials configured once on a client, applied to the operations that require them.
#[derive(Clone, Default)]
pub struct Credentials {
    bearer: Option<String>,
    basic: Option<(String, String)>,
    /// API keys by security scheme name.
    api_keys: BTreeMap<String, String>,
}

impl fmt::Debug for Credentials {
    // Secrets stay out of logs; only which kinds are configured is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("bearer", &self.bearer.as_ref().map(|_| "…"))
            .field("basic", &self.basic.as_ref().map(|(user, _)| user))
            .field("api_keys", &self.api_keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Credentials {
    /// The token sent as `Authorization: Bearer` to operations that require a bearer scheme
    /// (HTTP bearer, OAuth 2 or OpenID Connect).
    pub fn set_bearer(&mut self, token: impl Into<String>) {
        self.bearer = Some(token.into());
    }

    /// The user and password sent as `Authorization: Basic` to operations that require HTTP
    /// basic authentication.
    pub fn set_basic(&mut self, user: impl Into<String>, password: impl Into<String>) {
        self.basic = Some((user.into(), password.into()));
    }

    /// The key for the API key scheme named `scheme` in the document, sent where that scheme
    /// says (a header, a query parameter or a cookie).
    pub fn set_api_key(&mut self, scheme: impl Into<String>, key: impl Into<String>) {
        self.api_keys.insert(scheme.into(), key.into());
    }
}

/// A request being put together.
pub struct Call {
    method: reqwest::Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    body: Option<(&'static str, CallBody)>,
}

/// A request body: whole, or a stream sent as it is read.
enum CallBody {
    Whole(Vec<u8>),
    Stream(ByteStream),
}

impl Call {
    /// A call to `template` (`/pets/{petId}`); the variables are filled by [`Call::path`].
    pub fn new(method: &'static str, template: &'static str) -> Call {
        Call {
            method: reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET),
            path: template.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
        }
    }

    /// Fills the path variable `name`.
    pub fn path<T: Serialize>(&mut self, name: &str, style: Style, explode: bool, value: &T) -> Result<(), ClientError> {
        let value = to_json(value)?;
        let text = match style {
            Style::Label => {
                let separator = if explode { "." } else { "," };
                format!(".{}", join_value(&value, separator, explode, encode_path))
            }
            Style::Matrix => matrix(name, &value, explode),
            _ => join_value(&value, ",", explode, encode_path),
        };
        self.path = self.path.replace(&format!("{{{name}}}"), &text);
        Ok(())
    }

    /// Adds a query parameter; `None` and `null` add nothing.
    pub fn query<T: Serialize>(&mut self, name: &str, style: Style, explode: bool, value: &T) -> Result<(), ClientError> {
        let value = to_json(value)?;
        match (&value, style) {
            (Value::Null, _) => {}
            (Value::Object(object), Style::DeepObject) => {
                for (key, item) in object {
                    self.query.push((format!("{name}[{key}]"), scalar_text(item)));
                }
            }
            (Value::Object(object), _) if explode => {
                for (key, item) in object {
                    self.query.push((key.clone(), scalar_text(item)));
                }
            }
            (Value::Array(items), Style::Form) if explode => {
                for item in items {
                    self.query.push((name.to_string(), scalar_text(item)));
                }
            }
            (Value::Array(items), Style::SpaceDelimited | Style::PipeDelimited) => {
                let separator = if style == Style::SpaceDelimited { " " } else { "|" };
                self.query.push((name.to_string(), items.iter().map(scalar_text).collect::<Vec<_>>().join(separator)));
            }
            _ => self.query.push((name.to_string(), join_value(&value, ",", false, |text| text.to_string()))),
        }
        Ok(())
    }

    /// Adds a header in the `simple` style; `None` adds nothing.
    pub fn header<T: Serialize>(&mut self, name: &str, explode: bool, value: &T) -> Result<(), ClientError> {
        let value = to_json(value)?;
        if !value.is_null() {
            self.headers.push((name.to_string(), join_value(&value, ",", explode, |text| text.to_string())));
        }
        Ok(())
    }

    /// Adds a cookie (`form` style); `None` adds nothing.
    pub fn cookie<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), ClientError> {
        let value = to_json(value)?;
        if !value.is_null() {
            self.cookies.push((name.to_string(), join_value(&value, ",", false, |text| text.to_string())));
        }
        Ok(())
    }

    /// A JSON body in `media_type` (`application/json` for a wildcard).
    pub fn json_body<T: Serialize>(&mut self, media_type: &'static str, body: &T) -> Result<(), ClientError> {
        let bytes = serde_json::to_vec(body).map_err(|error| ClientError::Request(format!("the body does not serialize: {error}")))?;
        let media_type = if media_type.contains('*') { "application/json" } else { media_type };
        self.body = Some((media_type, CallBody::Whole(bytes)));
        Ok(())
    }

    /// A text body in `media_type` (`text/plain; charset=utf-8` for a wildcard).
    pub fn text_body(&mut self, media_type: &'static str, body: &str) {
        let media_type = if media_type.contains('*') { "text/plain; charset=utf-8" } else { media_type };
        self.body = Some((media_type, CallBody::Whole(body.as_bytes().to_vec())));
    }

    /// A binary body in `media_type` (`application/octet-stream` for a wildcard).
    pub fn bytes_body(&mut self, media_type: &'static str, body: &crate::Bytes) {
        let media_type = if media_type.contains('*') { "application/octet-stream" } else { media_type };
        self.body = Some((media_type, CallBody::Whole(body.0.clone())));
    }

    /// A binary body in `media_type` sent chunk by chunk as `body` yields them, never held whole.
    pub fn stream_body(&mut self, media_type: &'static str, body: ByteStream) {
        let media_type = if media_type.contains('*') { "application/octet-stream" } else { media_type };
        self.body = Some((media_type, CallBody::Stream(body)));
    }

    /// A form body: each property as a `form`-style, exploded field.
    pub fn form_body<T: Serialize>(&mut self, body: &T) -> Result<(), ClientError> {
        let value = to_json(body)?;
        let mut fields = Call::new("POST", "");
        if let Value::Object(object) = &value {
            for (name, item) in object {
                fields.query(name, Style::Form, true, item)?;
            }
        }
        let encoded = fields.query.iter().map(|(name, value)| format!("{}={}", encode_form(name), encode_form(value))).collect::<Vec<_>>().join("&");
        self.body = Some(("application/x-www-form-urlencoded", CallBody::Whole(encoded.into_bytes())));
        Ok(())
    }

    /// A `multipart/form-data` body: scalars and strings (bytes that are UTF-8 among them) as
    /// text parts, everything else as JSON parts.
    pub fn multipart_body<T: Serialize>(&mut self, body: &T) -> Result<(), ClientError> {
        let value = to_json(body)?;
        let boundary = "oas-boundary-7d4f2a9c1e3b5d6f";
        let mut bytes = Vec::new();
        if let Value::Object(object) = &value {
            for (name, item) in object.iter().filter(|(_, item)| !item.is_null()) {
                let name = name.replace(['"', '\r', '\n'], "_");
                bytes.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n").as_bytes());
                match item {
                    Value::Array(_) | Value::Object(_) => {
                        bytes.extend_from_slice(b"Content-Type: application/json\r\n\r\n");
                        bytes.extend_from_slice(item.to_string().as_bytes());
                    }
                    scalar => {
                        bytes.extend_from_slice(b"\r\n");
                        bytes.extend_from_slice(scalar_text(scalar).as_bytes());
                    }
                }
                bytes.extend_from_slice(b"\r\n");
            }
        }
        bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.body = Some(("multipart/form-data; boundary=oas-boundary-7d4f2a9c1e3b5d6f", CallBody::Whole(bytes)));
        Ok(())
    }

    /// Sends the call to `base_url` with the first alternative of `security` whose credentials
    /// are configured (an empty alternative means none are needed), and reads the answer whole.
    pub async fn send(
        self,
        http: &reqwest::Client,
        base_url: &str,
        credentials: &Credentials,
        security: &[&[Scheme]],
    ) -> Result<Received, ClientError> {
        let response = self.request(http, base_url, credentials, security)?.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await?.to_vec();
        Ok(Received { status, headers, body, unread: None })
    }

    /// [`Call::send`] for an operation that may answer with a stream: the body is left unread
    /// until the response is matched, and read whole ([`Received::read`]) or as a stream then.
    pub async fn open(
        self,
        http: &reqwest::Client,
        base_url: &str,
        credentials: &Credentials,
        security: &[&[Scheme]],
        options: &StreamOptions,
    ) -> Result<Received, ClientError> {
        let request = self.request(http, base_url, credentials, security)?;
        // Kept to send again when an event stream reconnects; a streamed body cannot be.
        let replay = options.reconnect.as_ref().and_then(|_| request.try_clone());
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        Ok(Received { status, headers, body: Vec::new(), unread: Some(Unread { response, replay, options: options.clone() }) })
    }

    fn request(
        self,
        http: &reqwest::Client,
        base_url: &str,
        credentials: &Credentials,
        security: &[&[Scheme]],
    ) -> Result<reqwest::RequestBuilder, ClientError> {
        let Call { method, path, mut query, mut headers, mut cookies, body } = self;
        let url = format!("{}{}", base_url.trim_end_matches('/'), path);
        let mut basic = None;
        let mut bearer = None;
        if let Some(alternative) = security.iter().find(|alternative| alternative.iter().all(|scheme| configured(credentials, scheme))) {
            for scheme in alternative.iter() {
                match scheme {
                    Scheme::Bearer { .. } => bearer = credentials.bearer.clone(),
                    Scheme::Basic { .. } => basic = credentials.basic.clone(),
                    Scheme::ApiKey { scheme, location, name } => {
                        let key = credentials.api_keys.get(*scheme).cloned().unwrap_or_default();
                        match location {
                            Location::Query => query.push((name.to_string(), key)),
                            Location::Cookie => cookies.push((name.to_string(), key)),
                            _ => headers.push((name.to_string(), key)),
                        }
                    }
                }
            }
        }
        let mut request = http.request(method, &url);
        if !query.is_empty() {
            request = request.query(&query);
        }
        for (name, value) in &headers {
            let name =
                http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| ClientError::Request(format!("`{name}` is not a valid header name")))?;
            let value = http::HeaderValue::from_str(value)
                .map_err(|_| ClientError::Request(format!("the value of header `{name}` cannot be sent in a header")))?;
            request = request.header(name, value);
        }
        if !cookies.is_empty() {
            let cookie = cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
            let value = http::HeaderValue::from_str(&cookie).map_err(|_| ClientError::Request("a cookie value cannot be sent in a header".into()))?;
            request = request.header(http::header::COOKIE, value);
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        if let Some((user, password)) = basic {
            request = request.basic_auth(user, Some(password));
        }
        match body {
            Some((media_type, CallBody::Whole(bytes))) => request = request.header(http::header::CONTENT_TYPE, media_type).body(bytes),
            Some((media_type, CallBody::Stream(stream))) => {
                request = request.header(http::header::CONTENT_TYPE, media_type).body(reqwest::Body::wrap_stream(stream))
            }
            None => {}
        }
        Ok(request)
    }
}

fn configured(credentials: &Credentials, scheme: &Scheme) -> bool {
    match scheme {
        Scheme::Bearer { .. } => credentials.bearer.is_some(),
        Scheme::Basic { .. } => credentials.basic.is_some(),
        Scheme::ApiKey { scheme, .. } => credentials.api_keys.contains_key(*scheme),
    }
}

/// A response as received, before it is matched to the operation's response enum.
pub struct Received {
    status: u16,
    headers: http::HeaderMap,
    body: Vec<u8>,
    /// The body not read yet, for operations that may answer with a stream.
    unread: Option<Unread>,
}

struct Unread {
    response: reqwest::Response,
    replay: Option<reqwest::RequestBuilder>,
    options: StreamOptions,
}

impl Received {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `Content-Type` header, if it is present and readable as text.
    pub fn content_type(&self) -> Option<String> {
        self.headers.get(http::header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_string)
    }

    fn decode_error(&self, message: String) -> ClientError {
        ClientError::Decode { status: self.status, content_type: self.content_type(), message, body: self.body.clone() }
    }

    /// Reads the rest of a body left unread by [`Call::open`].
    pub async fn read(&mut self) -> Result<(), ClientError> {
        if let Some(unread) = self.unread.take() {
            self.body = unread.response.bytes().await?.to_vec();
        }
        Ok(())
    }

    fn take_unread(&mut self) -> Result<Unread, ClientError> {
        self.unread.take().ok_or_else(|| self.decode_error("the body was read already".into()))
    }

    /// The body as server-sent events whose `data` is JSON (`json`) or text.
    pub fn events<T: DeserializeOwned + Send + 'static>(&mut self, json: bool) -> Result<EventStream<T>, ClientError> {
        let unread = self.take_unread()?;
        Ok(crate::stream::decode::events(unread.response, json, &unread.options, unread.replay))
    }

    /// The body as JSON values, one per line or record.
    pub fn lines<T: DeserializeOwned + Send + 'static>(&mut self, framing: Framing) -> Result<LineStream<T>, ClientError> {
        let unread = self.take_unread()?;
        Ok(crate::stream::decode::lines(unread.response, framing, &unread.options))
    }

    /// The body in chunks as they arrive.
    pub fn byte_stream(&mut self) -> Result<ByteStream, ClientError> {
        let unread = self.take_unread()?;
        Ok(crate::stream::decode::bytes(unread.response))
    }

    /// The body read as JSON into `T`; [`ClientError::Decode`] when it does not fit.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        serde_json::from_slice(&self.body).map_err(|error| self.decode_error(error.to_string()))
    }

    /// The body as text; [`ClientError::Decode`] when it is not UTF-8.
    pub fn text(&self) -> Result<String, ClientError> {
        String::from_utf8(self.body.clone()).map_err(|_| self.decode_error("the body is not UTF-8 text".into()))
    }

    /// The body as it came.
    pub fn bytes(&self) -> crate::Bytes {
        crate::Bytes(self.body.clone())
    }

    /// Which of the declared media types the response came as (exact, then `type/*`, then `*/*`).
    pub fn media_index(&self, declared: &[&str]) -> Option<usize> {
        let content_type = self.content_type().unwrap_or_default();
        let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let kind = essence.split('/').next().unwrap_or_default().to_string();
        declared
            .iter()
            .position(|media| media.eq_ignore_ascii_case(&essence))
            .or_else(|| declared.iter().position(|media| media.strip_suffix("/*").is_some_and(|prefix| prefix.eq_ignore_ascii_case(&kind))))
            .or_else(|| declared.iter().position(|media| *media == "*/*"))
    }

    /// The error for a response in a media type the document does not list.
    pub fn unexpected_media(&self) -> ClientError {
        self.decode_error("the response comes in a media type the document does not list for this status".into())
    }

    /// A response header as `T` (an `Option` for optional headers).
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Result<T, ClientError> {
        let value = match self.headers.get(name).and_then(|value| value.to_str().ok()) {
            None => Value::Null,
            Some(text) => Value::String(text.to_string()),
        };
        // Headers are text; numbers and booleans are read from their JSON form.
        serde_json::from_value(value.clone())
            .or_else(|first| match &value {
                Value::String(text) => serde_json::from_str(text).map_err(|_| first),
                _ => Err(first),
            })
            .map_err(|error| self.decode_error(format!("header `{name}`: {error}")))
    }

    /// The error for a status the document does not list.
    pub fn undocumented(self) -> ClientError {
        ClientError::UndocumentedStatus { status: self.status, headers: self.headers, body: self.body }
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, ClientError> {
    serde_json::to_value(value).map_err(|error| ClientError::Request(format!("a parameter does not serialize: {error}")))
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A value in the `simple` family: scalars as text, arrays joined, objects as `k,v` pairs (or
/// `k=v` when exploded). `encode` is applied to each piece, not to the delimiters.
fn join_value(value: &Value, separator: &str, explode: bool, encode: fn(&str) -> String) -> String {
    match value {
        Value::Array(items) => items.iter().map(|item| encode(&scalar_text(item))).collect::<Vec<_>>().join(separator),
        Value::Object(object) => {
            let pairs = object.iter().map(|(key, item)| {
                if explode {
                    format!("{}={}", encode(key), encode(&scalar_text(item)))
                } else {
                    format!("{}{separator}{}", encode(key), encode(&scalar_text(item)))
                }
            });
            pairs.collect::<Vec<_>>().join(separator)
        }
        other => encode(&scalar_text(other)),
    }
}

fn matrix(name: &str, value: &Value, explode: bool) -> String {
    match value {
        Value::Array(items) if explode => items.iter().map(|item| format!(";{name}={}", encode_path(&scalar_text(item)))).collect(),
        Value::Object(object) if explode => {
            object.iter().map(|(key, item)| format!(";{}={}", encode_path(key), encode_path(&scalar_text(item)))).collect()
        }
        other => format!(";{name}={}", join_value(other, ",", false, encode_path)),
    }
}

/// Percent-encodes everything but unreserved characters, so a value can never add a segment,
/// a query or a delimiter of its own.
fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn encode_form(text: &str) -> String {
    encode_path(text).replace("%20", "+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(style: Style, explode: bool, value: Value) -> String {
        let mut call = Call::new("GET", "/x/{id}");
        call.path("id", style, explode, &value).unwrap();
        call.path
    }

    fn query(style: Style, explode: bool, value: Value) -> Vec<(String, String)> {
        let mut call = Call::new("GET", "/");
        call.query("id", style, explode, &value).unwrap();
        call.query
    }

    #[test]
    fn path_styles() {
        assert_eq!(path(Style::Simple, false, json!("a b/c")), "/x/a%20b%2Fc");
        assert_eq!(path(Style::Simple, false, json!([3, 4, 5])), "/x/3,4,5");
        assert_eq!(path(Style::Simple, true, json!({"role": "admin", "firstName": "Alex"})), "/x/role=admin,firstName=Alex");
        assert_eq!(path(Style::Label, false, json!([3, 4, 5])), "/x/.3,4,5");
        assert_eq!(path(Style::Label, true, json!([3, 4, 5])), "/x/.3.4.5");
        assert_eq!(path(Style::Matrix, false, json!(5)), "/x/;id=5");
        assert_eq!(path(Style::Matrix, true, json!([3, 4])), "/x/;id=3;id=4");
    }

    #[test]
    fn query_styles() {
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        assert_eq!(query(Style::Form, true, json!([3, 4])), pairs(&[("id", "3"), ("id", "4")]));
        assert_eq!(query(Style::Form, false, json!([3, 4])), pairs(&[("id", "3,4")]));
        assert_eq!(query(Style::DeepObject, true, json!({"role": "admin"})), pairs(&[("id[role]", "admin")]));
        assert_eq!(query(Style::PipeDelimited, false, json!([3, 4])), pairs(&[("id", "3|4")]));
        assert_eq!(query(Style::Form, true, json!(null)), pairs(&[]));
    }
}
