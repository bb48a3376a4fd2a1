//! What the mock answers for one operation: which documented response, which media type, and
//! which body.

use http::HeaderMap;
use oas_codegen::ir::Status;
use oas_codegen::ir::{Examples, MediaKind, NamedExample, Stream};
use serde_json::{Map, Value};

use super::stream::{ItemSource, Streamed};
use crate::checker::{describe, Checker};
use crate::synth::{Failure, Synthesizer};

/// The answers a request asks for with `Prefer` (RFC 7240): `code=404` for the documented response
/// of that status, `example=name` for a named example of its media type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Prefer {
    /// The status of the documented response to answer with.
    pub code: Option<u16>,
    /// The name of the example to answer with.
    pub example: Option<String>,
}

impl Prefer {
    /// Reads every `Prefer` header; unknown preferences are ignored, as RFC 7240 asks.
    pub fn from_headers(headers: &HeaderMap) -> Prefer {
        let mut prefer = Prefer::default();
        for value in headers.get_all("prefer").iter().filter_map(|value| value.to_str().ok()) {
            for preference in value.split([',', ';']) {
                let Some((name, value)) = preference.split_once('=') else { continue };
                let value = value.trim().trim_matches('"');
                match name.trim().to_ascii_lowercase().as_str() {
                    "code" => prefer.code = value.parse().ok(),
                    "example" => prefer.example = Some(value.to_string()),
                    _ => {}
                }
            }
        }
        prefer
    }
}

/// A documented response, as the mock needs it.
pub struct ResponseInfo {
    pub status: Status,
    /// The media types, in document order.
    pub contents: Vec<MediaInfo>,
}

/// One media type of a response, as the model has it.
#[derive(Debug, Clone)]
pub struct MediaInfo {
    pub media_type: &'static str,
    /// The pointer of its schema, when it declares one.
    pub schema: Option<String>,
    /// Its examples, resolved through `$ref`.
    pub examples: Examples,
    /// How its body streams, when it does.
    pub stream: Option<Stream>,
    /// The schema each item of the stream matches.
    pub item_schema: Option<String>,
}

/// What to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The documented status answered.
    pub status: u16,
    /// `None` for a response without content.
    pub media_type: Option<&'static str>,
    /// The body, valid against the media type's schema; `None` for a response without content
    /// or one that streams.
    pub body: Option<Value>,
    /// The items of a body that streams, each valid against the item schema.
    pub stream: Option<Streamed>,
}

/// Why the mock answers with a problem instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 400 when the request's `Prefer` names nothing documented, 501 when no valid body exists
    /// or could be built.
    pub status: u16,
    /// Why, for the problem document's `detail`.
    pub detail: String,
    /// What kept a body from being built, when that is the reason.
    pub failure: Option<Failure>,
}

impl Refusal {
    fn bad_preference(detail: String) -> Refusal {
        Refusal { status: 400, detail, failure: None }
    }
}

/// The response for `prefer`, or the success response: the lowest documented 2XX status, a
/// `2XX` range, `default`, or failing those the first documented response.
fn choose<'r>(responses: &'r [ResponseInfo], prefer: &Prefer) -> Result<(&'r ResponseInfo, u16), Refusal> {
    if let Some(code) = prefer.code {
        let found = responses
            .iter()
            .find(|response| response.status == Status::Code(code))
            .or_else(|| responses.iter().find(|response| response.status == Status::Range((code / 100) as u8)))
            .or_else(|| responses.iter().find(|response| response.status == Status::Default));
        return match found {
            Some(response) if (100..600).contains(&code) => Ok((response, code)),
            _ => {
                let documented: Vec<String> = responses.iter().map(|response| response.status.key()).collect();
                Err(Refusal::bad_preference(format!(
                    "`Prefer: code={code}` names no documented response of this operation; it documents {}",
                    if documented.is_empty() { "none".to_string() } else { documented.join(", ") }
                )))
            }
        };
    }
    let lowest = responses
        .iter()
        .filter_map(|response| match response.status {
            Status::Code(code) if (200..300).contains(&code) => Some((code, response)),
            _ => None,
        })
        .min_by_key(|(code, _)| *code);
    if let Some((code, response)) = lowest {
        return Ok((response, code));
    }
    if let Some(response) = responses.iter().find(|response| response.status == Status::Range(2)) {
        return Ok((response, 200));
    }
    if let Some(response) = responses.iter().find(|response| response.status == Status::Default) {
        return Ok((response, 200));
    }
    match responses.first() {
        Some(response) => {
            let code = match response.status {
                Status::Code(code) => code,
                Status::Range(digit) => u16::from(digit) * 100,
                Status::Default => 200,
            };
            Ok((response, code))
        }
        None => Err(Refusal { status: 501, detail: "the operation documents no responses".into(), failure: None }),
    }
}

/// The media type to answer in: the first JSON one (wildcards count, JSON is what they get),
/// else the first.
fn media(response: &ResponseInfo) -> Option<&MediaInfo> {
    response
        .contents
        .iter()
        .find(|media| MediaKind::of(media.media_type) == MediaKind::Json || media.media_type.contains('*'))
        .or_else(|| response.contents.first())
}

/// What the document allows the mock to answer for one operation.
pub struct Answering<'a> {
    pub root: &'a Value,
    pub openapi_3_0: bool,
    pub checker: &'a Checker<'a>,
    pub responses: &'a [ResponseInfo],
    /// How many items a streamed body has.
    pub stream_items: usize,
}

pub fn reply(answering: &Answering<'_>, prefer: &Prefer) -> Result<Reply, Refusal> {
    let (response, status) = choose(answering.responses, prefer)?;
    let Some(media) = media(response) else {
        if let Some(name) = &prefer.example {
            return Err(Refusal::bad_preference(format!("`Prefer: example={name}`: the response {status} has no content to take an example from")));
        }
        return Ok(Reply { status, media_type: None, body: None, stream: None });
    };
    let chosen = match &prefer.example {
        Some(name) => Some((name, named_example(media, name, status)?)),
        None => None,
    };
    if let Some(kind) = &media.stream {
        let source = ItemSource {
            root: answering.root,
            openapi_3_0: answering.openapi_3_0,
            checker: answering.checker,
            item_schema: media.item_schema.as_deref(),
            examples: chosen.map_or_else(|| example_values(&media.examples), |(_, example)| vec![example]),
            count: answering.stream_items,
        };
        let streamed = source.build(kind)?;
        return Ok(Reply { status, media_type: Some(media.media_type), body: None, stream: Some(streamed) });
    }
    let body = whole_body(answering, media, chosen)?;
    Ok(Reply { status, media_type: Some(media.media_type), body: Some(body), stream: None })
}

/// The example `name` of the media type, or why the request cannot have it.
fn named_example<'m>(media: &'m MediaInfo, name: &str, status: u16) -> Result<&'m Value, Refusal> {
    let named_examples: &[NamedExample] = match &media.examples {
        Examples::Named(named) => named,
        _ => &[],
    };
    if let Some(example) = named_examples.iter().find(|example| example.name == name).and_then(|example| example.value.as_ref()) {
        return Ok(example);
    }
    let names: Vec<&String> = named_examples.iter().map(|example| &example.name).collect();
    let listed = if names.is_empty() { "none".to_string() } else { names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ") };
    Err(Refusal::bad_preference(format!(
        "`Prefer: example={name}`: the response {status} ({}) has no example of that name; it has {listed}",
        media.media_type
    )))
}

/// Every example value the media type gives, in document order.
fn example_values(examples: &Examples) -> Vec<&Value> {
    match examples {
        Examples::Single(example) => vec![&**example],
        Examples::Named(named) => named.iter().filter_map(|example| example.value.as_deref()).collect(),
        Examples::None => Vec::new(),
    }
}

/// A body sent whole: the example asked for (`chosen`, with its name), which must match the
/// schema; else the first example that does, else a value built from the schema.
fn whole_body(answering: &Answering<'_>, media: &MediaInfo, chosen: Option<(&String, &Value)>) -> Result<Value, Refusal> {
    let checker = answering.checker;
    let schema_pointer = &media.schema;
    if let Some((name, example)) = chosen {
        if let Some(violations) =
            schema_pointer.as_ref().and_then(|schema| checker.violations(schema, example)).filter(|violations| !violations.is_empty())
        {
            return Err(Refusal {
                status: 501,
                detail: format!("the example `{name}` does not match the response schema: {}", describe(&violations)),
                failure: None,
            });
        }
        return Ok(example.clone());
    }
    let valid = |value: &Value| schema_pointer.as_ref().is_none_or(|schema| checker.accepts(schema, value));
    if let Some(example) = example_values(&media.examples).into_iter().find(|example| valid(example)) {
        return Ok(example.clone());
    }
    Ok(match schema_pointer {
        Some(schema) => Synthesizer::new(answering.root, answering.openapi_3_0, Some(checker)).instance(schema).map_err(|failure| Refusal {
            status: 501,
            detail: format!("no response body can be sent: {failure}"),
            failure: Some(failure),
        })?,
        None if MediaKind::of(media.media_type) == MediaKind::Json => Value::Object(Map::new()),
        None => Value::String(String::new()),
    })
}
