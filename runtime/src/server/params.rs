//! Reading OpenAPI parameters out of a raw request, as the JSON their schemas describe.
//!
//! The values go on to JSON Schema validation and serde, so scalars are typed here (`5` not
//! `"5"`) and every style is turned into plain arrays and objects. The serialization rules are
//! the OpenAPI 3.x "Style Values" table (RFC 6570 underneath). Where the table leaves a choice:
//!
//! - Delimiters are the literal characters: `%2C` inside a form or simple value is data, not a
//!   separator, so values are percent-decoded only after splitting. Two exceptions, because their
//!   delimiter cannot appear unencoded in a URL and clients do encode it: `spaceDelimited` splits
//!   on `%20`, `+` and a raw space; `pipeDelimited` on `|` and `%7C`.
//! - `+` is a space in query names and values (HTML form encoding), and data everywhere else.
//! - A `%` not followed by two hex digits is kept as it is: such URLs are common, and the text
//!   still means what the client typed. Bytes that decode to invalid UTF-8 are a violation.
//! - A parameter whose whole value is empty (`ids=`, `.`, `;ids`, an empty header) is an empty
//!   array or object. RFC 6570 cannot express an empty list at all, so this is the only way a
//!   client can send a required empty one. An empty scalar is `""` for strings and a violation
//!   for every other kind.
//! - A single-valued parameter (scalar, JSON, non-exploded array or object) sent twice in the
//!   query or as two cookies is a violation rather than a silent first-or-last pick.
//! - A `form` exploded object takes its declared properties from the query (or cookies). When it
//!   declares no properties at all (a map: `additionalProperties` only), it takes every pair that
//!   no other parameter of the operation claims, as there is no other way to fill it. When it
//!   declares some, other pairs are left alone: they are unrelated parameters (tracking tags,
//!   cache busters) far more often than extra properties.
//! - Object properties that are not declared are read with the `additional` kind; whether they
//!   are allowed at all is for the schema to say.
//! - `deepObject` reads one level, `name[key]=value`; nested `name[a][b]` is a violation, since
//!   the shapes here have no nested objects to put it in.
//! - Non-exploded `label` arrays and objects are `.a,b,c` in OpenAPI 3.1.1+ and RFC 6570, but
//!   `.a.b.c` in the 3.0 table. Both are read: commas delimit when there is a literal comma,
//!   dots otherwise. The cost is that a one-item array whose item has a dot (`.1.5`) splits.
//! - Headers are not percent-decoded (HTTP header values are not URI components), repeated
//!   header lines join with `,`, and array and object items in headers are trimmed of spaces and
//!   tabs, as HTTP lists allow them around commas.
//! - Cookies are percent-decoded like form values but keep `+` (it is common in cookie tokens),
//!   and a value in double quotes loses them (RFC 6265 allows quoting).
//! - Style and shape combinations the table calls n/a are read as the nearest defined one rather
//!   than refused: any style of a query scalar is `name=value`; exploded `spaceDelimited` and
//!   `pipeDelimited` are like exploded `form`; path styles other than label and matrix are simple.
//! - Work is bounded: at most [`MAX_PAIRS`] query pairs or cookies and [`MAX_ITEMS`] pieces per
//!   value are read; more is a violation.

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

/// The most query pairs, or cookies, read from one request.
pub const MAX_PAIRS: usize = 1000;

/// The most delimited pieces read from one parameter value (array items, or keys plus values
/// for a non-exploded object).
pub const MAX_ITEMS: usize = 1000;

/// How much of an offending value a message quotes, in characters, so that a huge value does not
/// make a huge error response.
const QUOTED_CHARS: usize = 64;

pub use crate::style::{Location, Style};

/// What a scalar should become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// Text, kept as it is.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A schema allowing several types: try integer, number, boolean, then keep the string.
    Any,
}

/// What the parameter's schema describes.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// One value of this kind.
    Scalar(Scalar),
    /// An array of values of this kind.
    Array(Scalar),
    /// An object: known properties with their scalar kinds, and the kind of any other property.
    Object {
        /// The declared properties, each with its kind.
        properties: &'static [(&'static str, Scalar)],
        /// The kind of any property not declared.
        additional: Scalar,
    },
    /// `content: {application/json: ...}`: the raw value is JSON text.
    Json,
}

/// One parameter of an operation.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// The parameter's name in the request (and the key of its value in what [`parse`] returns).
    pub name: &'static str,
    /// Where it travels.
    pub location: Location,
    /// How it is written.
    pub style: Style,
    /// OpenAPI's `explode`: arrays and objects as separate pairs rather than one delimited value.
    pub explode: bool,
    /// Whether a request without it is refused.
    pub required: bool,
    /// What its value is read as.
    pub shape: Shape,
    /// The pointer of the schema the value is checked against, if it has one.
    pub schema: Option<&'static str>,
}

impl ParamSpec {
    /// An optional parameter in `location`, in the style the specification makes the default
    /// there: `simple` for path and header parameters, exploded `form` for query and cookie
    /// ones. Generated code states only what differs, so each parameter reads as one line.
    pub const fn new(name: &'static str, location: Location, shape: Shape) -> Self {
        let (style, explode) = match location {
            Location::Path | Location::Header => (Style::Simple, false),
            // Form bodies are read as query strings.
            Location::Query | Location::Cookie | Location::Body => (Style::Form, true),
        };
        ParamSpec { name, location, style, explode, required: false, shape, schema: None }
    }

    /// The same parameter, required.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The same parameter in another style.
    pub const fn style(mut self, style: Style, explode: bool) -> Self {
        self.style = style;
        self.explode = explode;
        self
    }

    /// The same parameter, checked against the schema at `pointer`.
    pub const fn schema(mut self, pointer: &'static str) -> Self {
        self.schema = Some(pointer);
        self
    }
}

/// The raw parts of a request. `path` holds, for each path-template variable, the raw (still
/// percent-encoded) text the router matched for it — for label and matrix style that includes
/// the leading `.` or `;name=` prefix.
pub struct RawRequest<'a> {
    /// Each path-template variable's name with the raw text matched for it.
    pub path: &'a [(&'a str, &'a str)],
    /// The query string, without `?`, still percent-encoded.
    pub query: Option<&'a str>,
    /// The request headers (cookies included).
    pub headers: &'a http::HeaderMap,
}

/// A parameter that is missing or cannot be read as its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where the offending value is.
    pub location: Location,
    /// JSON pointer into the parameter: `/limit`, `/ids/2`; empty when the request as a whole
    /// is at fault (too many query pairs).
    pub pointer: String,
    /// What is wrong, for the client to read.
    pub message: String,
}

/// Parses every parameter. Absent optional parameters are left out of the map; an absent required
/// one, and every value that cannot be read as its shape (`limit=abc` for an integer), is a
/// violation. All violations are collected, not just the first.
pub fn parse(specs: &[ParamSpec], request: &RawRequest<'_>) -> Result<Map<String, Value>, Vec<Violation>> {
    let mut violations = Vec::new();
    // Only read what some parameter needs, so that an operation without query parameters does not
    // fail on a query string it would have ignored.
    let wants = |location| specs.iter().any(|spec| spec.location == location);
    let query = if wants(Location::Query) { query_pairs(request.query.unwrap_or(""), &mut violations) } else { Vec::new() };
    let cookies = if wants(Location::Cookie) { cookie_pairs(request.headers, &mut violations) } else { Vec::new() };

    let mut values = Map::new();
    for spec in specs {
        let mut ctx = Ctx { spec, violations: &mut violations };
        let outcome = match spec.location {
            Location::Path => {
                let found = from_path(&mut ctx, request.path);
                finish(&mut ctx, found, Decoding::Percent)
            }
            Location::Query => {
                let found = from_pairs(&mut ctx, &query, specs, Decoding::Form);
                finish(&mut ctx, found, Decoding::Form)
            }
            Location::Cookie => {
                let found = from_pairs(&mut ctx, &cookies, specs, Decoding::Percent);
                finish(&mut ctx, found, Decoding::Percent)
            }
            Location::Header => from_headers(&mut ctx, request.headers),
            Location::Body => Outcome::Absent,
        };
        match outcome {
            Outcome::Value(value) => {
                values.insert(spec.name.to_owned(), value);
            }
            Outcome::Absent if spec.required => ctx.fail(None, "expected a value, the parameter is required"),
            Outcome::Absent | Outcome::Invalid => {}
        }
    }
    if violations.is_empty() {
        Ok(values)
    } else {
        Err(violations)
    }
}

/// The parameter being read, and where its violations go.
struct Ctx<'s, 'v> {
    spec: &'s ParamSpec,
    violations: &'v mut Vec<Violation>,
}

impl Ctx<'_, '_> {
    /// Records a violation at the parameter, or at one of its items or properties.
    fn fail(&mut self, key: Option<&str>, message: impl Into<String>) {
        let mut pointer = String::new();
        push_token(&mut pointer, self.spec.name);
        if let Some(key) = key {
            push_token(&mut pointer, key);
        }
        self.violations.push(Violation { location: self.spec.location, pointer, message: message.into() });
    }
}

fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// How raw text turns into the text it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoding {
    /// Headers: the text is the value.
    Raw,
    /// Path and cookies.
    Percent,
    /// Query: percent-decoding, and `+` is a space.
    Form,
}

/// A parameter's raw text, split as its style says but not yet decoded, except for object keys:
/// some keys come out of already-decoded names (`deepObject`), so all of them are decoded here.
enum Found<'a> {
    Absent,
    /// Already reported.
    Invalid,
    One(&'a str),
    Items(Vec<&'a str>),
    Entries(Vec<(Cow<'a, str>, &'a str)>),
}

enum Outcome {
    Absent,
    /// Already reported.
    Invalid,
    Value(Value),
}

/// A query pair or a cookie. The name is decoded up front because matching needs it; `None` when
/// it is not UTF-8 after decoding, which no parameter name can match.
struct Pair<'a> {
    name: Option<Cow<'a, str>>,
    value: &'a str,
}

fn query_pairs<'a>(query: &'a str, violations: &mut Vec<Violation>) -> Vec<Pair<'a>> {
    let mut pairs = Vec::new();
    for piece in query.split('&').filter(|piece| !piece.is_empty()) {
        if pairs.len() == MAX_PAIRS {
            let message = format!("expected at most {MAX_PAIRS} query parameters");
            violations.push(Violation { location: Location::Query, pointer: String::new(), message });
            break;
        }
        // A bare `flag` is an empty value, as in HTML forms and URLSearchParams.
        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
        pairs.push(Pair { name: decode(name, Decoding::Form).ok(), value });
    }
    pairs
}

fn cookie_pairs<'a>(headers: &'a http::HeaderMap, violations: &mut Vec<Violation>) -> Vec<Pair<'a>> {
    let mut pairs = Vec::new();
    // HTTP/2 clients may split cookies over several `Cookie` lines; they are one list.
    for line in headers.get_all(http::header::COOKIE) {
        let Ok(text) = std::str::from_utf8(line.as_bytes()) else {
            let message = "expected a UTF-8 `Cookie` header".to_owned();
            violations.push(Violation { location: Location::Cookie, pointer: String::new(), message });
            continue;
        };
        for piece in text.split(';').map(trim_whitespace).filter(|piece| !piece.is_empty()) {
            if pairs.len() == MAX_PAIRS {
                let message = format!("expected at most {MAX_PAIRS} cookies");
                violations.push(Violation { location: Location::Cookie, pointer: String::new(), message });
                return pairs;
            }
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let value = trim_whitespace(value);
            let value = value.strip_prefix('"').and_then(|inner| inner.strip_suffix('"')).unwrap_or(value);
            pairs.push(Pair { name: decode(trim_whitespace(name), Decoding::Percent).ok(), value });
        }
    }
    pairs
}

fn trim_whitespace(text: &str) -> &str {
    text.trim_matches([' ', '\t'])
}

/// Query parameters and cookies: `form` style and its relatives.
fn from_pairs<'a>(ctx: &mut Ctx<'_, '_>, pairs: &[Pair<'a>], specs: &[ParamSpec], decoding: Decoding) -> Found<'a> {
    let spec = *ctx.spec;
    let named = || pairs.iter().filter(move |pair| pair.name.as_deref() == Some(spec.name)).map(|pair| pair.value);
    let delimiters: &[&str] = match spec.style {
        Style::SpaceDelimited => &["%20", "+", " "],
        Style::PipeDelimited => &["|", "%7C"],
        _ => &[","],
    };
    match spec.shape {
        Shape::Scalar(_) | Shape::Json => single(ctx, named()),
        Shape::Array(_) if spec.explode || spec.style == Style::DeepObject => {
            let values: Vec<&str> = named().collect();
            match values.as_slice() {
                [] => Found::Absent,
                [""] => Found::Items(Vec::new()),
                _ => Found::Items(values),
            }
        }
        Shape::Array(_) => match single(ctx, named()) {
            Found::One(text) => list(ctx, text, delimiters, false),
            other => other,
        },
        Shape::Object { .. } if spec.style == Style::DeepObject => deep_object(ctx, pairs),
        Shape::Object { properties, .. } if spec.explode => form_object(ctx, pairs, specs, properties),
        Shape::Object { .. } => match single(ctx, named()) {
            Found::One(text) => object(ctx, text, delimiters, false, false, decoding),
            other => other,
        },
    }
}

/// The one value of a single-valued parameter.
fn single<'a>(ctx: &mut Ctx<'_, '_>, mut values: impl Iterator<Item = &'a str>) -> Found<'a> {
    let Some(first) = values.next() else { return Found::Absent };
    let more = values.count();
    if more > 0 {
        ctx.fail(None, format!("expected a single value, found {}", more + 1));
        return Found::Invalid;
    }
    Found::One(first)
}

/// `name[key]=value` pairs.
fn deep_object<'a>(ctx: &mut Ctx<'_, '_>, pairs: &[Pair<'a>]) -> Found<'a> {
    let name = ctx.spec.name;
    let mut entries = Vec::new();
    let mut valid = true;
    for pair in pairs {
        let Some(full) = pair.name.as_deref() else { continue };
        let Some(rest) = full.strip_prefix(name).and_then(|rest| rest.strip_prefix('[')) else { continue };
        match rest.strip_suffix(']') {
            Some(key) if !key.contains(['[', ']']) => entries.push((Cow::Owned(key.to_owned()), pair.value)),
            _ => {
                ctx.fail(None, format!("expected `{name}[key]` with one level of keys, found `{}`", quote(full)));
                valid = false;
            }
        }
    }
    match (valid, entries.is_empty()) {
        (false, _) => Found::Invalid,
        (true, true) => Found::Absent,
        (true, false) => Found::Entries(entries),
    }
}

/// An exploded `form` object: each property is its own pair.
fn form_object<'a>(ctx: &mut Ctx<'_, '_>, pairs: &[Pair<'a>], specs: &[ParamSpec], properties: &[(&str, Scalar)]) -> Found<'a> {
    let mut entries = Vec::new();
    let mut valid = true;
    for pair in pairs {
        match &pair.name {
            Some(name) if properties.iter().any(|(property, _)| property == name) => entries.push((name.clone(), pair.value)),
            Some(name) if properties.is_empty() && !claimed(name, ctx.spec, specs) => entries.push((name.clone(), pair.value)),
            None if properties.is_empty() => {
                ctx.fail(None, "expected UTF-8 text after percent-decoding a key");
                valid = false;
            }
            _ => {}
        }
    }
    match (valid, entries.is_empty()) {
        (false, _) => Found::Invalid,
        (true, true) => Found::Absent,
        (true, false) => Found::Entries(entries),
    }
}

/// Whether a pair named `name` belongs to a parameter other than `this` in the same place.
fn claimed(name: &str, this: &ParamSpec, specs: &[ParamSpec]) -> bool {
    specs.iter().filter(|other| other.location == this.location && !std::ptr::eq(*other, this)).any(|other| {
        other.name == name
            || match other.shape {
                Shape::Object { .. } if other.style == Style::DeepObject => name.strip_prefix(other.name).is_some_and(|rest| rest.starts_with('[')),
                Shape::Object { properties, .. } if other.explode => properties.iter().any(|(property, _)| *property == name),
                _ => false,
            }
    })
}

fn from_path<'a>(ctx: &mut Ctx<'_, '_>, path: &[(&'a str, &'a str)]) -> Found<'a> {
    let Some(&(_, raw)) = path.iter().find(|(name, _)| *name == ctx.spec.name) else { return Found::Absent };
    match ctx.spec.style {
        Style::Label => label(ctx, raw),
        Style::Matrix => matrix(ctx, raw),
        _ => simple(ctx, raw, Decoding::Percent, false),
    }
}

/// `blue`, `blue,black`, `R,100,G,200`, `R=100,G=200`.
fn simple<'a>(ctx: &mut Ctx<'_, '_>, text: &'a str, decoding: Decoding, trim: bool) -> Found<'a> {
    match ctx.spec.shape {
        Shape::Scalar(_) | Shape::Json => Found::One(text),
        Shape::Array(_) => list(ctx, text, &[","], trim),
        Shape::Object { .. } => {
            let exploded = ctx.spec.explode;
            object(ctx, text, &[","], trim, exploded, decoding)
        }
    }
}

/// `.blue`, `.blue.black` (exploded), `.blue,black` or `.blue.black` (not), and objects alike.
fn label<'a>(ctx: &mut Ctx<'_, '_>, raw: &'a str) -> Found<'a> {
    let Some(body) = raw.strip_prefix('.') else {
        ctx.fail(None, format!("expected `.` before the value, found `{}`", quote(raw)));
        return Found::Invalid;
    };
    let exploded = ctx.spec.explode;
    let delimiters: &[&str] = if exploded || !body.contains(',') { &["."] } else { &[","] };
    match ctx.spec.shape {
        Shape::Scalar(_) | Shape::Json => Found::One(body),
        Shape::Array(_) => list(ctx, body, delimiters, false),
        Shape::Object { .. } => object(ctx, body, delimiters, false, exploded, Decoding::Percent),
    }
}

/// `;color=blue`, `;color=blue,black`, `;color=blue;color=black` (exploded),
/// `;color=R,100,G,200`, `;R=100;G=200` (exploded).
fn matrix<'a>(ctx: &mut Ctx<'_, '_>, raw: &'a str) -> Found<'a> {
    let name = ctx.spec.name;
    let Some(body) = raw.strip_prefix(';') else {
        ctx.fail(None, format!("expected `;{name}=` before the value, found `{}`", quote(raw)));
        return Found::Invalid;
    };
    let Some(segments) = split(ctx, body, &[";"], false) else { return Found::Invalid };
    let exploded = ctx.spec.explode;
    match ctx.spec.shape {
        Shape::Object { .. } if exploded => {
            // An empty object is just the name, as RFC 6570 writes an empty value.
            if let [only] = segments.as_slice() {
                if !only.contains('=') && decode(only, Decoding::Percent).is_ok_and(|decoded| decoded == name) {
                    return Found::Entries(Vec::new());
                }
            }
            assignments(ctx, segments, Decoding::Percent)
        }
        Shape::Array(_) if exploded => {
            let mut values = Vec::with_capacity(segments.len());
            for segment in segments {
                match matrix_value(ctx, segment) {
                    Some(value) => values.push(value),
                    None => return Found::Invalid,
                }
            }
            match values.as_slice() {
                [""] => Found::Items(Vec::new()),
                _ => Found::Items(values),
            }
        }
        shape => {
            let [segment] = segments.as_slice() else {
                ctx.fail(None, format!("expected a single `;{name}=` segment, found {}", segments.len()));
                return Found::Invalid;
            };
            let Some(value) = matrix_value(ctx, segment) else { return Found::Invalid };
            match shape {
                Shape::Scalar(_) | Shape::Json => Found::One(value),
                Shape::Array(_) => list(ctx, value, &[","], false),
                Shape::Object { .. } => object(ctx, value, &[","], false, false, Decoding::Percent),
            }
        }
    }
}

/// The value of one `name=value` matrix segment, which must carry this parameter's name.
fn matrix_value<'a>(ctx: &mut Ctx<'_, '_>, segment: &'a str) -> Option<&'a str> {
    let name = ctx.spec.name;
    let (found, value) = segment.split_once('=').unwrap_or((segment, ""));
    if decode(found, Decoding::Percent).is_ok_and(|decoded| decoded == name) {
        Some(value)
    } else {
        ctx.fail(None, format!("expected `;{name}=`, found `;{}`", quote(segment)));
        None
    }
}

fn from_headers(ctx: &mut Ctx<'_, '_>, headers: &http::HeaderMap) -> Outcome {
    let mut joined: Option<String> = None;
    for line in headers.get_all(ctx.spec.name) {
        let Ok(text) = std::str::from_utf8(line.as_bytes()) else {
            ctx.fail(None, "expected a UTF-8 header value");
            return Outcome::Invalid;
        };
        let text = trim_whitespace(text);
        match &mut joined {
            None => joined = Some(text.to_owned()),
            Some(joined) => {
                joined.push(',');
                joined.push_str(text);
            }
        }
    }
    let Some(joined) = joined else { return Outcome::Absent };
    let found = simple(ctx, &joined, Decoding::Raw, true);
    finish(ctx, found, Decoding::Raw)
}

/// An array's items; an empty text is an empty array.
fn list<'a>(ctx: &mut Ctx<'_, '_>, text: &'a str, delimiters: &[&str], trim: bool) -> Found<'a> {
    if text.is_empty() {
        return Found::Items(Vec::new());
    }
    match split(ctx, text, delimiters, trim) {
        Some(items) => Found::Items(items),
        None => Found::Invalid,
    }
}

/// An object's entries, `k=v` items when exploded, alternating keys and values otherwise; an
/// empty text is an empty object.
fn object<'a>(ctx: &mut Ctx<'_, '_>, text: &'a str, delimiters: &[&str], trim: bool, exploded: bool, decoding: Decoding) -> Found<'a> {
    if text.is_empty() {
        return Found::Entries(Vec::new());
    }
    let Some(items) = split(ctx, text, delimiters, trim) else { return Found::Invalid };
    if exploded {
        assignments(ctx, items, decoding)
    } else {
        alternating(ctx, &items, decoding)
    }
}

/// `R=100`, `G=200`.
fn assignments<'a>(ctx: &mut Ctx<'_, '_>, items: Vec<&'a str>, decoding: Decoding) -> Found<'a> {
    let mut entries = Vec::with_capacity(items.len());
    let mut valid = true;
    for item in items {
        let Some((key, value)) = item.split_once('=') else {
            ctx.fail(None, format!("expected `key=value`, found `{}`", quote(item)));
            valid = false;
            continue;
        };
        match decode(key, decoding) {
            Ok(key) => entries.push((key, value)),
            Err(message) => {
                ctx.fail(None, message);
                valid = false;
            }
        }
    }
    if valid {
        Found::Entries(entries)
    } else {
        Found::Invalid
    }
}

/// `R`, `100`, `G`, `200`.
fn alternating<'a>(ctx: &mut Ctx<'_, '_>, items: &[&'a str], decoding: Decoding) -> Found<'a> {
    if items.len() % 2 != 0 {
        ctx.fail(None, format!("expected alternating keys and values, found {} items", items.len()));
        return Found::Invalid;
    }
    let mut entries = Vec::with_capacity(items.len() / 2);
    let mut valid = true;
    for pair in items.chunks_exact(2) {
        let &[key, value] = pair else { continue };
        match decode(key, decoding) {
            Ok(key) => entries.push((key, value)),
            Err(message) => {
                ctx.fail(None, message);
                valid = false;
            }
        }
    }
    if valid {
        Found::Entries(entries)
    } else {
        Found::Invalid
    }
}

/// Splits on any of the (ASCII, case-insensitive) delimiters, stopping once there are more than
/// [`MAX_ITEMS`] pieces so that a huge value costs no more than a small one.
fn split<'a>(ctx: &mut Ctx<'_, '_>, text: &'a str, delimiters: &[&str], trim: bool) -> Option<Vec<&'a str>> {
    let bytes = text.as_bytes();
    let mut items = Vec::new();
    let mut push = |item: &'a str| {
        items.push(if trim { trim_whitespace(item) } else { item });
        items.len() <= MAX_ITEMS
    };
    let mut start = 0;
    let mut at = 0;
    let mut within_cap = true;
    while at < bytes.len() && within_cap {
        let delimiter = delimiters
            .iter()
            .find(|delimiter| bytes.get(at..at + delimiter.len()).is_some_and(|candidate| candidate.eq_ignore_ascii_case(delimiter.as_bytes())));
        match delimiter {
            // The delimiters are ASCII, and an ASCII byte is never inside a multi-byte character,
            // so `start` and `at` are character boundaries.
            Some(delimiter) => {
                within_cap = push(&text[start..at]);
                at += delimiter.len();
                start = at;
            }
            None => at += 1,
        }
    }
    if within_cap {
        within_cap = push(&text[start..]);
    }
    if within_cap {
        Some(items)
    } else {
        ctx.fail(None, format!("expected at most {MAX_ITEMS} items"));
        None
    }
}

/// Decodes and types what was found.
fn finish(ctx: &mut Ctx<'_, '_>, found: Found<'_>, decoding: Decoding) -> Outcome {
    let converted = match (ctx.spec.shape, found) {
        (_, Found::Absent) => return Outcome::Absent,
        (_, Found::Invalid) => return Outcome::Invalid,
        (Shape::Scalar(kind), Found::One(raw)) => decode(raw, decoding).and_then(|text| scalar(kind, &text)),
        (Shape::Json, Found::One(raw)) => {
            decode(raw, decoding).and_then(|text| serde_json::from_str(&text).map_err(|error| format!("expected JSON text, found an error: {error}")))
        }
        (Shape::Array(kind), Found::Items(items)) => {
            let mut array = Vec::with_capacity(items.len());
            let mut valid = true;
            for (index, raw) in items.into_iter().enumerate() {
                match decode(raw, decoding).and_then(|text| scalar(kind, &text)) {
                    Ok(value) => array.push(value),
                    Err(message) => {
                        ctx.fail(Some(&index.to_string()), message);
                        valid = false;
                    }
                }
            }
            return if valid { Outcome::Value(Value::Array(array)) } else { Outcome::Invalid };
        }
        (Shape::Object { properties, additional }, Found::Entries(entries)) => {
            let mut object = Map::new();
            let mut valid = true;
            for (key, raw) in entries {
                if object.contains_key(key.as_ref()) {
                    ctx.fail(Some(key.as_ref()), "expected a single value, found several");
                    valid = false;
                    continue;
                }
                let kind = properties.iter().find(|(property, _)| *property == key).map_or(additional, |(_, kind)| *kind);
                match decode(raw, decoding).and_then(|text| scalar(kind, &text)) {
                    Ok(value) => {
                        object.insert(key.into_owned(), value);
                    }
                    Err(message) => {
                        ctx.fail(Some(key.as_ref()), message);
                        valid = false;
                    }
                }
            }
            return if valid { Outcome::Value(Value::Object(object)) } else { Outcome::Invalid };
        }
        // The readers split by shape, so this does not happen; refusing beats guessing if it does.
        _ => Err("expected a value of the parameter's shape".to_owned()),
    };
    match converted {
        Ok(value) => Outcome::Value(value),
        Err(message) => {
            ctx.fail(None, message);
            Outcome::Invalid
        }
    }
}

fn decode(raw: &str, decoding: Decoding) -> Result<Cow<'_, str>, String> {
    let plus_is_space = decoding == Decoding::Form;
    if decoding == Decoding::Raw || !raw.bytes().any(|byte| byte == b'%' || (plus_is_space && byte == b'+')) {
        return Ok(Cow::Borrowed(raw));
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        match byte {
            b'%' => match (bytes.get(at).and_then(hex), bytes.get(at + 1).and_then(hex)) {
                (Some(high), Some(low)) => {
                    decoded.push(high << 4 | low);
                    at += 2;
                }
                _ => decoded.push(b'%'),
            },
            b'+' if plus_is_space => decoded.push(b' '),
            byte => decoded.push(byte),
        }
    }
    String::from_utf8(decoded).map(Cow::Owned).map_err(|_| "expected UTF-8 text after percent-decoding".to_owned())
}

fn hex(digit: &u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

fn scalar(kind: Scalar, text: &str) -> Result<Value, String> {
    match kind {
        Scalar::String => Ok(Value::String(text.to_owned())),
        Scalar::Integer => integer(text),
        Scalar::Number => number(text),
        Scalar::Boolean => boolean(text),
        Scalar::Any => Ok(integer(text).or_else(|_| number(text)).or_else(|_| boolean(text)).unwrap_or_else(|_| Value::String(text.to_owned()))),
    }
}

/// An optional sign and digits, within what serde_json holds exactly (i64 or u64).
fn integer(text: &str) -> Result<Value, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(format!("expected an integer, found `{}`", quote(text)));
    }
    if let Ok(signed) = text.parse::<i64>() {
        return Ok(signed.into());
    }
    if let Ok(unsigned) = text.parse::<u64>() {
        return Ok(unsigned.into());
    }
    Err(format!("expected an integer that fits in 64 bits, found `{}`", quote(text)))
}

/// A JSON number, also allowing a leading `+` as integers do. Integers stay integers, so that
/// large ones keep their precision.
fn number(text: &str) -> Result<Value, String> {
    if !is_number(text) {
        return Err(format!("expected a number, found `{}`", quote(text)));
    }
    if let Ok(value) = integer(text) {
        return Ok(value);
    }
    match text.parse::<f64>().ok().and_then(Number::from_f64) {
        Some(number) => Ok(Value::Number(number)),
        None => Err(format!("expected a finite number, found `{}`", quote(text))),
    }
}

/// Whether `text` is `[+-]digits[.digits][(e|E)[+-]digits]`, which rules out the `NaN`, `inf`,
/// `.5` and `1_000` that Rust's float parser would take or that JSON would not.
fn is_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    let sign = |at: &mut usize| {
        if matches!(bytes.get(*at), Some(b'+' | b'-')) {
            *at += 1;
        }
    };
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at > start
    };
    sign(&mut at);
    if !digits(&mut at) {
        return false;
    }
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        if !digits(&mut at) {
            return false;
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        sign(&mut at);
        if !digits(&mut at) {
            return false;
        }
    }
    at == bytes.len()
}

fn boolean(text: &str) -> Result<Value, String> {
    match text {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        _ => Err(format!("expected `true` or `false`, found `{}`", quote(text))),
    }
}

/// The start of an offending value for a message, with control characters escaped so that the
/// message cannot forge log lines.
fn quote(text: &str) -> String {
    let mut quoted = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == QUOTED_CHARS {
            quoted.push('…');
            break;
        }
        if c.is_control() {
            quoted.extend(c.escape_default());
        } else {
            quoted.push(c);
        }
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderName, HeaderValue};
    use serde_json::json;

    use Location::{Cookie, Header, Path, Query};
    use Style::{DeepObject, Form, Label, Matrix, PipeDelimited, Simple, SpaceDelimited};

    #[test]
    fn a_new_spec_takes_the_default_style_of_its_location() {
        for (location, style, explode) in [(Path, Simple, false), (Header, Simple, false), (Query, Form, true), (Cookie, Form, true)] {
            let spec = ParamSpec::new("p", location, STRING);
            assert_eq!((spec.style, spec.explode, spec.required), (style, explode, false), "{location:?}");
        }
        let spec = ParamSpec::new("p", Query, STRINGS).required().style(PipeDelimited, false);
        assert_eq!((spec.style, spec.explode, spec.required), (PipeDelimited, false, true));
    }

    const STRING: Shape = Shape::Scalar(Scalar::String);
    const INTEGER: Shape = Shape::Scalar(Scalar::Integer);
    const STRINGS: Shape = Shape::Array(Scalar::String);
    const INTEGERS: Shape = Shape::Array(Scalar::Integer);
    const RGB: Shape =
        Shape::Object { properties: &[("R", Scalar::Integer), ("G", Scalar::Integer), ("B", Scalar::Integer)], additional: Scalar::String };
    const MAP: Shape = Shape::Object { properties: &[], additional: Scalar::Integer };

    const fn spec(name: &'static str, location: Location, style: Style, explode: bool, shape: Shape) -> ParamSpec {
        ParamSpec { name, location, style, explode, required: false, shape, schema: None }
    }

    const fn required(spec: ParamSpec) -> ParamSpec {
        ParamSpec { required: true, ..spec }
    }

    /// The parsed map, or the violations as `location pointer: message` lines, so one `json!`
    /// states the whole expected outcome.
    fn outcome(result: Result<Map<String, Value>, Vec<Violation>>) -> Value {
        match result {
            Ok(values) => Value::Object(values),
            Err(violations) => violations.iter().map(|v| format!("{} {}: {}", v.location.as_str(), v.pointer, v.message)).collect(),
        }
    }

    fn request_outcome(specs: &[ParamSpec], path: &[(&str, &str)], query: Option<&str>, headers: &HeaderMap) -> Value {
        outcome(parse(specs, &RawRequest { path, query, headers }))
    }

    fn header_map(headers: &[(&str, &[u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(HeaderName::try_from(*name).unwrap(), HeaderValue::from_bytes(value).unwrap());
        }
        map
    }

    fn check_query(specs: &[ParamSpec], query: &str, expected: Value) {
        assert_eq!(request_outcome(specs, &[], Some(query), &HeaderMap::new()), expected, "query `{query}`");
    }

    fn check_path(specs: &[ParamSpec], path: &[(&str, &str)], expected: Value) {
        assert_eq!(request_outcome(specs, path, None, &HeaderMap::new()), expected, "path {path:?}");
    }

    fn check_headers(specs: &[ParamSpec], headers: &[(&str, &[u8])], expected: Value) {
        assert_eq!(request_outcome(specs, &[], None, &header_map(headers)), expected, "headers {headers:?}");
    }

    fn check_cookies(specs: &[ParamSpec], cookies: &[&str], expected: Value) {
        let headers: Vec<(&str, &[u8])> = cookies.iter().map(|cookie| ("cookie", cookie.as_bytes())).collect();
        assert_eq!(request_outcome(specs, &[], None, &header_map(&headers)), expected, "cookies {cookies:?}");
    }

    fn check_scalar(kind: Scalar, text: &str, expected: Result<Value, &str>) {
        assert_eq!(scalar(kind, text), expected.map_err(str::to_owned), "{kind:?} `{text}`");
    }

    #[test]
    fn specs_are_const_and_locations_have_their_openapi_names() {
        const SPECS: &[ParamSpec] = &[required(spec("id", Path, Simple, false, INTEGER)), spec("color", Query, Form, true, RGB)];
        assert_eq!(SPECS.len(), 2);
        let names: Vec<&str> = [Path, Query, Header, Cookie, Location::Body].into_iter().map(Location::as_str).collect();
        assert_eq!(names, ["path", "query", "header", "cookie", "body"]);
    }

    // The OpenAPI "Style Examples" table, row by row, for color = blue / [blue, black, brown] /
    // {R: 100, G: 200, B: 150}.

    #[test]
    fn path_simple() {
        for explode in [false, true] {
            check_path(&[spec("color", Path, Simple, explode, STRING)], &[("color", "blue")], json!({"color": "blue"}));
            let array = json!({"color": ["blue", "black", "brown"]});
            check_path(&[spec("color", Path, Simple, explode, STRINGS)], &[("color", "blue,black,brown")], array);
        }
        let rgb = json!({"color": {"R": 100, "G": 200, "B": 150}});
        check_path(&[spec("color", Path, Simple, false, RGB)], &[("color", "R,100,G,200,B,150")], rgb.clone());
        check_path(&[spec("color", Path, Simple, true, RGB)], &[("color", "R=100,G=200,B=150")], rgb);
    }

    #[test]
    fn path_label() {
        for explode in [false, true] {
            check_path(&[spec("color", Path, Label, explode, STRING)], &[("color", ".blue")], json!({"color": "blue"}));
            let array = json!({"color": ["blue", "black", "brown"]});
            check_path(&[spec("color", Path, Label, explode, STRINGS)], &[("color", ".blue.black.brown")], array);
        }
        let array = json!({"color": ["blue", "black", "brown"]});
        check_path(&[spec("color", Path, Label, false, STRINGS)], &[("color", ".blue,black,brown")], array);
        // With a comma present, dots are data (3.1.1); without one, they delimit (3.0).
        check_path(&[spec("v", Path, Label, false, STRINGS)], &[("v", ".1.5,2.5")], json!({"v": ["1.5", "2.5"]}));
        check_path(&[spec("v", Path, Label, false, STRINGS)], &[("v", ".1.5")], json!({"v": ["1", "5"]}));

        let rgb = json!({"color": {"R": 100, "G": 200, "B": 150}});
        check_path(&[spec("color", Path, Label, false, RGB)], &[("color", ".R,100,G,200,B,150")], rgb.clone());
        check_path(&[spec("color", Path, Label, false, RGB)], &[("color", ".R.100.G.200.B.150")], rgb.clone());
        check_path(&[spec("color", Path, Label, true, RGB)], &[("color", ".R=100.G=200.B=150")], rgb);
    }

    #[test]
    fn path_label_edges() {
        check_path(&[spec("color", Path, Label, false, STRING)], &[("color", ".")], json!({"color": ""}));
        check_path(&[spec("color", Path, Label, false, STRINGS)], &[("color", ".")], json!({"color": []}));
        check_path(&[spec("color", Path, Label, true, RGB)], &[("color", ".")], json!({"color": {}}));
        check_path(
            &[spec("color", Path, Label, false, STRING)],
            &[("color", "blue")],
            json!(["path /color: expected `.` before the value, found `blue`"]),
        );
        check_path(&[spec("color", Path, Label, true, RGB)], &[("color", ".R=100.G")], json!(["path /color: expected `key=value`, found `G`"]));
        check_path(
            &[spec("color", Path, Label, false, RGB)],
            &[("color", ".R,100,G")],
            json!(["path /color: expected alternating keys and values, found 3 items"]),
        );
    }

    #[test]
    fn path_matrix() {
        for explode in [false, true] {
            check_path(&[spec("color", Path, Matrix, explode, STRING)], &[("color", ";color=blue")], json!({"color": "blue"}));
        }
        let array = json!({"color": ["blue", "black", "brown"]});
        check_path(&[spec("color", Path, Matrix, false, STRINGS)], &[("color", ";color=blue,black,brown")], array.clone());
        check_path(&[spec("color", Path, Matrix, true, STRINGS)], &[("color", ";color=blue;color=black;color=brown")], array);
        let rgb = json!({"color": {"R": 100, "G": 200, "B": 150}});
        check_path(&[spec("color", Path, Matrix, false, RGB)], &[("color", ";color=R,100,G,200,B,150")], rgb.clone());
        check_path(&[spec("color", Path, Matrix, true, RGB)], &[("color", ";R=100;G=200;B=150")], rgb);
    }

    #[test]
    fn path_matrix_edges() {
        // `;color` is how RFC 6570 writes an empty value.
        check_path(&[spec("color", Path, Matrix, false, STRING)], &[("color", ";color")], json!({"color": ""}));
        check_path(&[spec("color", Path, Matrix, false, STRINGS)], &[("color", ";color")], json!({"color": []}));
        check_path(&[spec("color", Path, Matrix, true, STRINGS)], &[("color", ";color")], json!({"color": []}));
        check_path(&[spec("color", Path, Matrix, true, RGB)], &[("color", ";color")], json!({"color": {}}));
        check_path(
            &[spec("color", Path, Matrix, false, STRING)],
            &[("color", "blue")],
            json!(["path /color: expected `;color=` before the value, found `blue`"]),
        );
        check_path(
            &[spec("color", Path, Matrix, false, STRING)],
            &[("color", ";colour=blue")],
            json!(["path /color: expected `;color=`, found `;colour=blue`"]),
        );
        check_path(
            &[spec("color", Path, Matrix, true, STRINGS)],
            &[("color", ";color=blue;hue=black")],
            json!(["path /color: expected `;color=`, found `;hue=black`"]),
        );
        check_path(
            &[spec("color", Path, Matrix, false, STRING)],
            &[("color", ";color=a;color=b")],
            json!(["path /color: expected a single `;color=` segment, found 2"]),
        );
        // The name may be percent-encoded like any other part.
        check_path(&[spec("color", Path, Matrix, false, INTEGER)], &[("color", ";c%6Flor=5")], json!({"color": 5}));
    }

    #[test]
    fn path_decoding_happens_after_splitting() {
        check_path(&[spec("ids", Path, Simple, false, STRINGS)], &[("ids", "a%2Cb,c")], json!({"ids": ["a,b", "c"]}));
        check_path(&[spec("name", Path, Simple, false, STRING)], &[("name", "a+b%2Fc%20d")], json!({"name": "a+b/c d"}));
        check_path(&[spec("name", Path, Simple, false, STRING)], &[("name", "caf%C3%A9")], json!({"name": "café"}));
        let rgb = json!({"color": {"R": 100, "G": 200, "B": 150, "x,y": "a=b"}});
        check_path(&[spec("color", Path, Simple, true, RGB)], &[("color", "R=100,G=200,B=150,x%2Cy=a%3Db")], rgb);
    }

    #[test]
    fn path_types_and_absence() {
        check_path(&[spec("id", Path, Simple, false, INTEGER)], &[("id", "42")], json!({"id": 42}));
        check_path(&[spec("id", Path, Simple, false, INTEGER)], &[("id", "abc")], json!(["path /id: expected an integer, found `abc`"]));
        check_path(
            &[spec("ids", Path, Simple, false, INTEGERS)],
            &[("ids", "1,x,3,")],
            json!(["path /ids/1: expected an integer, found `x`", "path /ids/3: expected an integer, found ``"]),
        );
        check_path(&[spec("ids", Path, Simple, false, INTEGERS)], &[("ids", "")], json!({"ids": []}));
        check_path(
            &[required(spec("id", Path, Simple, false, INTEGER))],
            &[("other", "1")],
            json!(["path /id: expected a value, the parameter is required"]),
        );
    }

    #[test]
    fn query_form() {
        for explode in [false, true] {
            check_query(&[spec("color", Query, Form, explode, STRING)], "color=blue", json!({"color": "blue"}));
            check_query(&[spec("color", Query, Form, explode, STRING)], "color=", json!({"color": ""}));
        }
        let array = json!({"color": ["blue", "black", "brown"]});
        check_query(&[spec("color", Query, Form, false, STRINGS)], "color=blue,black,brown", array.clone());
        check_query(&[spec("color", Query, Form, true, STRINGS)], "color=blue&color=black&color=brown", array);
        let rgb = json!({"color": {"R": 100, "G": 200, "B": 150}});
        check_query(&[spec("color", Query, Form, false, RGB)], "color=R,100,G,200,B,150", rgb.clone());
        check_query(&[spec("color", Query, Form, true, RGB)], "R=100&G=200&B=150", rgb);
    }

    #[test]
    fn query_form_edges() {
        // An exploded array keeps items with commas whole; a non-exploded one takes one value.
        check_query(&[spec("ids", Query, Form, true, STRINGS)], "ids=a,b&ids=c", json!({"ids": ["a,b", "c"]}));
        check_query(&[spec("ids", Query, Form, false, STRINGS)], "ids=a,b&ids=c", json!(["query /ids: expected a single value, found 2"]));
        for explode in [false, true] {
            check_query(&[spec("ids", Query, Form, explode, INTEGERS)], "ids=", json!({"ids": []}));
            check_query(
                &[required(spec("ids", Query, Form, explode, INTEGERS))],
                "idx=1",
                json!(["query /ids: expected a value, the parameter is required"]),
            );
        }
        check_query(&[spec("ids", Query, Form, true, INTEGERS)], "ids=1&ids=", json!(["query /ids/1: expected an integer, found ``"]));
        check_query(&[spec("color", Query, Form, false, RGB)], "color=", json!({"color": {}}));
        // A bare name is an empty value.
        check_query(&[spec("flag", Query, Form, true, STRING)], "flag", json!({"flag": ""}));
        // Declared properties only; other pairs belong to someone else.
        let rgb = json!({"color": {"R": 1, "G": 2}});
        check_query(&[spec("color", Query, Form, true, RGB)], "R=1&utm_source=x&G=2", rgb);
        check_query(&[spec("color", Query, Form, true, RGB)], "R=1&R=2", json!(["query /color/R: expected a single value, found several"]));
    }

    #[test]
    fn query_form_map_takes_unclaimed_pairs() {
        let specs = [
            spec("filters", Query, Form, true, MAP),
            spec("limit", Query, Form, true, INTEGER),
            spec("color", Query, DeepObject, true, RGB),
            spec("point", Query, Form, true, Shape::Object { properties: &[("x", Scalar::Integer)], additional: Scalar::String }),
        ];
        let expected = json!({"filters": {"a": 1, "b": 2}, "limit": 5, "color": {"R": 1}, "point": {"x": 3}});
        check_query(&specs, "a=1&limit=5&color[R]=1&b=2&x=3", expected);
        check_query(&specs[..1], "a=1&b=x", json!(["query /filters/b: expected an integer, found `x`"]));
        check_query(&specs[..1], "%FF=1", json!(["query /filters: expected UTF-8 text after percent-decoding a key"]));
        check_query(&specs[..1], "", json!({}));
    }

    #[test]
    fn query_space_and_pipe_delimited() {
        let array = json!({"color": ["blue", "black", "brown"]});
        for query in ["color=blue%20black%20brown", "color=blue+black+brown", "color=blue black brown"] {
            check_query(&[spec("color", Query, SpaceDelimited, false, STRINGS)], query, array.clone());
        }
        for query in ["color=blue|black|brown", "color=blue%7Cblack%7cbrown"] {
            check_query(&[spec("color", Query, PipeDelimited, false, STRINGS)], query, array.clone());
        }
        let rgb = json!({"color": {"R": 100, "G": 200, "B": 150}});
        check_query(&[spec("color", Query, SpaceDelimited, false, RGB)], "color=R%20100%20G%20200%20B%20150", rgb.clone());
        check_query(&[spec("color", Query, PipeDelimited, false, RGB)], "color=R|100|G|200|B|150", rgb);
        // Exploded, they are exploded form.
        check_query(&[spec("color", Query, PipeDelimited, true, STRINGS)], "color=a|b&color=c", json!({"color": ["a|b", "c"]}));
        // The other delimiters stay data.
        check_query(&[spec("color", Query, PipeDelimited, false, STRINGS)], "color=a,b|c%2Cd", json!({"color": ["a,b", "c,d"]}));
    }

    #[test]
    fn query_deep_object() {
        let rgb = json!({"color": {"R": 100, "G": 200, "B": 150}});
        check_query(&[spec("color", Query, DeepObject, true, RGB)], "color[R]=100&color[G]=200&color[B]=150", rgb.clone());
        check_query(&[spec("color", Query, DeepObject, true, RGB)], "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150", rgb);
        check_query(
            &[spec("color", Query, DeepObject, true, RGB)],
            "color[R]=1&color[alpha]=half&colorx[G]=2&color=3",
            json!({"color": {"R": 1, "alpha": "half"}}),
        );
        check_query(
            &[spec("color", Query, DeepObject, true, RGB)],
            "color[R]=1&color[R]=2",
            json!(["query /color/R: expected a single value, found several"]),
        );
        check_query(&[spec("color", Query, DeepObject, true, RGB)], "color[R]=x", json!(["query /color/R: expected an integer, found `x`"]));
        check_query(
            &[spec("color", Query, DeepObject, true, RGB)],
            "color[a][b]=1",
            json!(["query /color: expected `color[key]` with one level of keys, found `color[a][b]`"]),
        );
        check_query(
            &[spec("color", Query, DeepObject, true, RGB)],
            "color[a=1",
            json!(["query /color: expected `color[key]` with one level of keys, found `color[a`"]),
        );
        check_query(
            &[required(spec("color", Query, DeepObject, true, RGB))],
            "color=1",
            json!(["query /color: expected a value, the parameter is required"]),
        );
    }

    #[test]
    fn query_decoding() {
        // The comma delimiter is the literal comma; an encoded one is data.
        check_query(&[spec("ids", Query, Form, false, STRINGS)], "ids=a%2Cb,c", json!({"ids": ["a,b", "c"]}));
        check_query(&[spec("q", Query, Form, true, STRING)], "q=a+b%2Bc", json!({"q": "a b+c"}));
        check_query(&[spec("first name", Query, Form, true, STRING)], "first+name=x", json!({"first name": "x"}));
        check_query(&[spec("q", Query, Form, true, STRING)], "q=%E2%82%AC%e2%82%ac", json!({"q": "€€"}));
        // A stray `%` is what the client typed.
        check_query(&[spec("q", Query, Form, true, STRING)], "q=100%&r", json!({"q": "100%"}));
        check_query(&[spec("q", Query, Form, true, STRING)], "q=%zz%4", json!({"q": "%zz%4"}));
        check_query(&[spec("q", Query, Form, true, STRING)], "q=%FF", json!(["query /q: expected UTF-8 text after percent-decoding"]));
        check_query(&[spec("q", Query, Form, true, STRING)], "q=%E2%82", json!(["query /q: expected UTF-8 text after percent-decoding"]));
        // Empty pieces between `&` are nothing.
        check_query(&[spec("q", Query, Form, true, STRING)], "&&q=1&&", json!({"q": "1"}));
    }

    #[test]
    fn query_duplicates_and_collection() {
        check_query(&[spec("limit", Query, Form, true, INTEGER)], "limit=1&limit=2", json!(["query /limit: expected a single value, found 2"]));
        let specs =
            [spec("limit", Query, Form, true, INTEGER), spec("ids", Query, Form, true, INTEGERS), required(spec("q", Query, Form, true, STRING))];
        let expected = json!([
            "query /limit: expected an integer, found `abc`",
            "query /ids/0: expected an integer, found `x`",
            "query /ids/2: expected an integer, found `1.5`",
            "query /q: expected a value, the parameter is required",
        ]);
        check_query(&specs, "limit=abc&ids=x&ids=2&ids=1.5", expected);
        // Optional and absent: left out.
        check_query(&specs, "q=", json!({"q": ""}));
    }

    #[test]
    fn absent_sources_and_body_specs_are_absent() {
        let specs = [
            required(spec("q", Query, Form, true, STRING)),
            spec("n", Query, Form, true, INTEGER),
            required(spec("form", Location::Body, Form, true, STRING)),
        ];
        let expected = json!(["query /q: expected a value, the parameter is required", "body /form: expected a value, the parameter is required"]);
        assert_eq!(request_outcome(&specs, &[], None, &HeaderMap::new()), expected);
        assert_eq!(request_outcome(&specs[1..2], &[], None, &HeaderMap::new()), json!({}));
    }

    #[test]
    fn item_kinds_apply_to_every_item() {
        let numbers = spec("n", Query, Form, false, Shape::Array(Scalar::Number));
        check_query(&[numbers], "n=1,2.5,-3e2", json!({"n": [1, 2.5, -300.0]}));
        let any = spec("a", Query, Form, true, Shape::Array(Scalar::Any));
        check_query(&[any], "a=1&a=x&a=false&a=0.5", json!({"a": [1, "x", false, 0.5]}));
        let flags = Shape::Object { properties: &[("on", Scalar::Boolean)], additional: Scalar::Any };
        check_query(&[spec("f", Query, DeepObject, true, flags)], "f[on]=true&f[n]=2&f[s]=x", json!({"f": {"on": true, "n": 2, "s": "x"}}));
        check_query(&[spec("f", Query, DeepObject, true, flags)], "f[on]=1", json!(["query /f/on: expected `true` or `false`, found `1`"]));
    }

    #[test]
    fn scalars() {
        for (text, expected) in [("5", json!(5)), ("-5", json!(-5)), ("+5", json!(5)), ("007", json!(7)), ("-0", json!(0))] {
            check_scalar(Scalar::Integer, text, Ok(expected));
        }
        check_scalar(Scalar::Integer, "9223372036854775807", Ok(json!(i64::MAX)));
        check_scalar(Scalar::Integer, "-9223372036854775808", Ok(json!(i64::MIN)));
        check_scalar(Scalar::Integer, "18446744073709551615", Ok(json!(u64::MAX)));
        check_scalar(Scalar::Integer, "18446744073709551616", Err("expected an integer that fits in 64 bits, found `18446744073709551616`"));
        for text in ["1.0", " 1", "1 ", "1e3", "", "+", "-", "0x10", "1_000", "١"] {
            check_scalar(Scalar::Integer, text, Err(&format!("expected an integer, found `{text}`")));
        }

        for (text, expected) in [("1.5", json!(1.5)), ("-0.5e-3", json!(-0.0005)), ("1E5", json!(100000.0)), ("+2.5", json!(2.5)), ("5", json!(5))] {
            check_scalar(Scalar::Number, text, Ok(expected));
        }
        check_scalar(Scalar::Number, "18446744073709551616", Ok(json!(18446744073709551616.0)));
        check_scalar(Scalar::Number, "1e999", Err("expected a finite number, found `1e999`"));
        for text in ["NaN", "nan", "inf", "-inf", "infinity", ".5", "5.", "1e", "1e+", "--1", "1.2.3", "", " 1"] {
            check_scalar(Scalar::Number, text, Err(&format!("expected a number, found `{text}`")));
        }

        check_scalar(Scalar::Boolean, "true", Ok(json!(true)));
        check_scalar(Scalar::Boolean, "false", Ok(json!(false)));
        for text in ["True", "1", "yes", ""] {
            check_scalar(Scalar::Boolean, text, Err(&format!("expected `true` or `false`, found `{text}`")));
        }

        for (text, expected) in
            [("5", json!(5)), ("1.5", json!(1.5)), ("true", json!(true)), ("abc", json!("abc")), ("", json!("")), ("1e999", json!("1e999"))]
        {
            check_scalar(Scalar::Any, text, Ok(expected));
        }
        check_scalar(Scalar::String, "5", Ok(json!("5")));
    }

    #[test]
    fn messages_quote_little_and_escape_controls() {
        let long = "x".repeat(100);
        let expected = format!("query /n: expected an integer, found `{}…`", "x".repeat(QUOTED_CHARS));
        check_query(&[spec("n", Query, Form, true, INTEGER)], &format!("n={long}"), json!([expected]));
        check_query(&[spec("n", Query, Form, true, INTEGER)], "n=%0Aadmin", json!(["query /n: expected an integer, found `\\nadmin`"]));
        // Pointers escape `~` and `/` (RFC 6901).
        check_query(&[spec("a/b~c", Query, Form, true, INTEGER)], "a%2Fb~c=x", json!(["query /a~1b~0c: expected an integer, found `x`"]));
    }

    #[test]
    fn json_content() {
        let filter = spec("filter", Query, Form, true, Shape::Json);
        check_query(&[filter], "filter=%7B%22a%22%3A%5B1%2C2%5D%7D", json!({"filter": {"a": [1, 2]}}));
        check_query(&[filter], "filter=%22a+b%22", json!({"filter": "a b"}));
        check_query(
            &[filter],
            "filter={",
            json!(["query /filter: expected JSON text, found an error: EOF while parsing an object at line 1 column 1"]),
        );
        check_query(&[filter], "filter=1&filter=2", json!(["query /filter: expected a single value, found 2"]));
        check_headers(
            &[spec("X-Filter", Header, Simple, false, Shape::Json)],
            &[("x-filter", br#"{"a": "1,2"}"#)],
            json!({"X-Filter": {"a": "1,2"}}),
        );
        check_path(&[spec("f", Path, Simple, false, Shape::Json)], &[("f", "%5B1%2C2%5D")], json!({"f": [1, 2]}));
    }

    #[test]
    fn caps() {
        let many = |count: usize| (0..count).map(|i| format!("id={i}")).collect::<Vec<_>>().join("&");
        let ids = spec("id", Query, Form, true, INTEGERS);
        let outcome = request_outcome(&[ids], &[], Some(&many(MAX_PAIRS)), &HeaderMap::new());
        assert_eq!(outcome["id"].as_array().map(Vec::len), Some(MAX_PAIRS));
        check_query(&[ids], &many(MAX_PAIRS + 1), json!(["query : expected at most 1000 query parameters"]));

        let items = |count: usize| format!("ids={}", vec!["1"; count].join(","));
        let ids = spec("ids", Query, Form, false, INTEGERS);
        let outcome = request_outcome(&[ids], &[], Some(&items(MAX_ITEMS)), &HeaderMap::new());
        assert_eq!(outcome["ids"].as_array().map(Vec::len), Some(MAX_ITEMS));
        check_query(&[ids], &items(MAX_ITEMS + 1), json!(["query /ids: expected at most 1000 items"]));
        check_query(&[ids], &items(1_000_000), json!(["query /ids: expected at most 1000 items"]));
        check_path(
            &[spec("ids", Path, Matrix, true, INTEGERS)],
            &[("ids", &";ids=1".repeat(MAX_ITEMS + 1))],
            json!(["path /ids: expected at most 1000 items"]),
        );

        let cookies = (0..=MAX_PAIRS).map(|i| format!("c{i}=1")).collect::<Vec<_>>().join("; ");
        check_cookies(&[spec("c0", Cookie, Form, true, INTEGER)], &[&cookies], json!(["cookie : expected at most 1000 cookies"]));
        // Without query parameters, the query string is not even read.
        check_query(&[spec("id", Path, Simple, false, INTEGER)], &many(MAX_PAIRS + 1), json!({}));
    }

    #[test]
    fn headers() {
        for explode in [false, true] {
            check_headers(&[spec("X-Color", Header, Simple, explode, STRING)], &[("x-color", b"blue")], json!({"X-Color": "blue"}));
            let array = json!({"X-Color": ["blue", "black", "brown"]});
            check_headers(&[spec("X-Color", Header, Simple, explode, STRINGS)], &[("x-color", b"blue, black,brown")], array);
        }
        let rgb = json!({"X-Color": {"R": 100, "G": 200, "B": 150}});
        check_headers(&[spec("X-Color", Header, Simple, false, RGB)], &[("x-color", b"R,100,G,200,B,150")], rgb.clone());
        check_headers(&[spec("X-Color", Header, Simple, true, RGB)], &[("x-color", b"R=100, G=200, B=150")], rgb);
    }

    #[test]
    fn header_edges() {
        let ids = spec("X-Ids", Header, Simple, false, INTEGERS);
        check_headers(&[ids], &[("x-ids", b"1,2"), ("x-ids", b"3")], json!({"X-Ids": [1, 2, 3]}));
        check_headers(&[ids], &[("x-ids", b"")], json!({"X-Ids": []}));
        check_headers(&[ids], &[("x-ids", b"1,a")], json!(["header /X-Ids/1: expected an integer, found `a`"]));
        check_headers(&[required(ids)], &[("x-other", b"1")], json!(["header /X-Ids: expected a value, the parameter is required"]));
        let text = spec("X-Text", Header, Simple, false, STRING);
        // Headers are not URI components: `%` and `+` are data, and a scalar keeps its commas.
        check_headers(&[text], &[("x-text", b"100%25 a+b, c")], json!({"X-Text": "100%25 a+b, c"}));
        check_headers(&[text], &[("x-text", "café".as_bytes())], json!({"X-Text": "café"}));
        check_headers(&[text], &[("x-text", b"caf\xE9")], json!(["header /X-Text: expected a UTF-8 header value"]));
        check_headers(
            &[spec("X-Limit", Header, Simple, false, INTEGER)],
            &[("x-limit", b"1"), ("x-limit", b"2")],
            json!(["header /X-Limit: expected an integer, found `1,2`"]),
        );
        // A name that could never be a header is simply absent.
        check_headers(&[spec("bad name", Header, Simple, false, STRING)], &[], json!({}));
    }

    #[test]
    fn cookies() {
        let specs = [spec("session", Cookie, Form, true, STRING), spec("count", Cookie, Form, true, INTEGER)];
        check_cookies(&specs, &["session=abc; count=2"], json!({"session": "abc", "count": 2}));
        check_cookies(&specs, &["session=abc", "count=2"], json!({"session": "abc", "count": 2}));
        // Base64 keeps its `+`, quotes go, percent-encoding is undone.
        check_cookies(&specs, &["session=\"a+b/c==\";count=%32"], json!({"session": "a+b/c==", "count": 2}));
        check_cookies(&specs, &["count=1; count=2"], json!(["cookie /count: expected a single value, found 2"]));
        check_cookies(&[required(specs[0])], &["other=1"], json!(["cookie /session: expected a value, the parameter is required"]));
        let array = json!({"color": ["blue", "black", "brown"]});
        check_cookies(&[spec("color", Cookie, Form, false, STRINGS)], &["color=blue,black,brown"], array.clone());
        check_cookies(&[spec("color", Cookie, Form, true, STRINGS)], &["color=blue; color=black; color=brown"], array);
        let rgb = json!({"color": {"R": 100, "G": 200, "B": 150}});
        check_cookies(&[spec("color", Cookie, Form, false, RGB)], &["color=R,100,G,200,B,150"], rgb.clone());
        check_cookies(&[spec("color", Cookie, Form, true, RGB)], &["R=100; G=200; B=150"], rgb);
        let headers = header_map(&[("cookie", b"session=\xFF"), ("cookie", b"count=3")]);
        assert_eq!(request_outcome(&specs, &[], None, &headers), json!(["cookie : expected a UTF-8 `Cookie` header"]));
    }

    /// A small deterministic generator, so the malformed inputs are the same on every run.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, bound: usize) -> usize {
            (self.next() % bound as u64) as usize
        }
    }

    #[test]
    fn malformed_input_never_panics() {
        const PIECES: &[&str] = &[
            "%", "%%", "%f", "%F", "%zz", "%C3", "%E2%82", "%FF", "%80", "%C3%A9", "%2C", "%20", "%7C", "%5B", "%5D", "%00", "+", "=", "&", ";", ",",
            "|", " ", ".", "[", "]", "][", "\"", "é", "€", "𝄞", "0", "1", "-", "1.5", "e", "true", "id", "color", "R", "ids", "\u{0}", "\n",
        ];
        const SHAPES: &[Shape] =
            &[STRING, INTEGER, STRINGS, INTEGERS, RGB, MAP, Shape::Json, Shape::Scalar(Scalar::Any), Shape::Array(Scalar::Number)];
        const STYLES: &[Style] = &[Simple, Label, Matrix, Form, SpaceDelimited, PipeDelimited, DeepObject];
        let mut specs = Vec::new();
        for location in [Path, Query, Header, Cookie] {
            for &style in STYLES {
                for explode in [false, true] {
                    for (index, &shape) in SHAPES.iter().enumerate() {
                        let name = ["id", "color", "ids", "R", "x-id", "c", "j", "a", "n"][index];
                        specs.push(ParamSpec { name, location, style, explode, required: index % 2 == 0, shape, schema: None });
                    }
                }
            }
        }
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for round in 0..600 {
            let text: String = if round % 3 == 0 {
                let bytes: Vec<u8> = (0..random.below(40)).map(|_| random.next() as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                (0..random.below(24)).map(|_| PIECES[random.below(PIECES.len())]).collect()
            };
            let names = ["id", "color", "ids", "R", "c", "j", "a", "n"];
            let path: Vec<(&str, &str)> = names.iter().map(|name| (*name, text.as_str())).collect();
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_bytes(text.as_bytes()) {
                headers.append("x-id", value.clone());
                headers.append("cookie", value);
            }
            // Only finishing matters; the outcome for garbage is whatever the rules say.
            let _ = parse(&specs, &RawRequest { path: &path, query: Some(&text), headers: &headers });
            for spec in &specs {
                let _ = parse(std::slice::from_ref(spec), &RawRequest { path: &path, query: Some(&text), headers: &headers });
            }
        }
    }
}
