//! Evaluation of a `SearchRequest` (filter tree, ordering, paging) against records.
//!
//! Records are judged in their wire form: each one is serialized with `serde_json` and field names are
//! the JSON member names (`processId`, `lastRunStatus`, …), exactly what a client sees and filters on.
//! A request is first compiled against the [`Shape`] of the record type, so every mistake that does not
//! depend on the data is reported up front as [`InvalidSearch`], even when there is nothing to search.
//!
//! The operations take typed requests (`WorkflowOverviewSearchRequest`, `ProcessInstanceSearchRequest`),
//! which [`general_form`] turns into the `SearchRequest` evaluated here.
//!
//! # Errors versus no match
//!
//! The document states these rules too (field enums per record type, value form per operator, `NOT`
//! with one condition, whole page settings; a test holds the field enums to the [`Shape`] tables), so
//! the generated server refuses such bodies before a handler runs; the checks here keep requests built
//! in code, whose open enums can carry any name, just as strict. Only the depth limit is not in the
//! document.
//!
//! Rejected ([`InvalidSearch`], HTTP 400):
//! - a field the record type does not declare (in filters, nested filters and `orderBy`); members of
//!   open objects (`workflowdata`) are free-form and always accepted;
//! - a `NestedFilter` on a field that does not hold records (`state`, `start`, …);
//! - an operator or direction outside the enum (`Other(..)`), `NOT` without exactly one filter;
//! - a value of the wrong form: a list for `EQ`/`GT`/`GTE`/`LT`/`LTE`, a non-list for `IN`, a `BETWEEN`
//!   list that does not hold exactly two bounds of the same kind, a boolean for an ordering comparison,
//!   a non-string `LIKE` pattern;
//! - `offset` or `pageSize` that is negative, fractional or not finite;
//! - a filter tree nested deeper than [`MAX_DEPTH`] (keeps evaluation's recursion bounded).
//!
//! Not an error, simply no match: a record lacking the field or holding `null` (except for `IS_NULL`),
//! a record value of another type than the filter value (`"3"` vs `3`), `LIKE` on a non-string,
//! `BETWEEN` with the lower bound above the upper one, `IN` with an empty list.
//!
//! # Comparison rules
//!
//! - Numbers compare numerically, booleans only for equality (`EQ`, `IN`), strings by code point.
//! - Two strings that both parse as RFC 3339 date-times compare as instants: the serializer writes
//!   `…:03Z` for whole seconds but `…:03.512Z` otherwise, and `.` sorts before `Z`, so a purely
//!   lexical comparison would misorder them. Date-only values (`2025-08-01`) stay lexical, which
//!   still orders correctly against full timestamps of other days.
//! - `LIKE`: `%` matches any run of characters (including none), every other character (also `_`) is
//!   literal, there is no escape, the whole value must match and matching is case-sensitive. It runs
//!   in linear time (see [`like`]).
//! - `IS_NULL` ignores its value; it matches an absent member or `null`.
//! - `AND` of no filters matches everything, `OR` of none matches nothing; `NOT` is plain negation, so
//!   `NOT (state EQ ACTIVE)` also matches a record without `state`.
//! - `NestedFilter` applies its condition to the object in `field`; when the field holds a list, the
//!   record matches if any object element matches (non-object elements are skipped). `NOT` around a
//!   nested filter therefore means "no element matches".
//!
//! # Ordering and paging
//!
//! - `orderBy` names a top-level field; records are sorted by its JSON value with a total order
//!   (numbers, then instants, then other strings, then booleans, then lists/objects by their JSON
//!   text). Records without the field (absent or `null`) come last in both directions. The sort is
//!   stable: ties keep the store's order, in both directions. `orderDirection` defaults to `ASC` and
//!   is ignored without `orderBy`.
//! - `offset` skips that many matches (absent → 0); `pageSize` caps the page (absent → all; 0 → an
//!   empty page). An offset past the end gives an empty page.
//! - The result's `paginationInfo` echoes what was applied: `offset` always, `pageSize` when given,
//!   `orderBy` with its effective direction when sorting. The result types have no total count.

use std::cmp::Ordering;
use std::fmt;

use oas_runtime::chrono::Utc;
use oas_runtime::DateTime;
use orchestrator_api::{
    FieldFilter, FieldFilterOperator, FieldFilterValue, FieldFilterValueArrayItem, Filter, LogicalFilterOperator, NestedFilter, NestedFilterNested,
    PaginationInfoDto, PaginationInfoDtoOrderDirection, SearchRequest,
};
use serde::Serialize;
use serde_json::Value;

/// Deepest filter tree accepted. Request bodies are already limited by the JSON parser's recursion limit;
/// this also bounds trees built in code and keeps evaluation's recursion small.
pub const MAX_DEPTH: usize = 32;

/// Why a search request cannot be evaluated; the store turns it into `StoreError::InvalidFilter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSearch(pub String);

impl fmt::Display for InvalidSearch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidSearch {}

fn invalid<T>(message: impl Into<String>) -> Result<T, InvalidSearch> {
    Err(InvalidSearch(message.into()))
}

/// The wire fields of one record type, so filters naming unknown fields are rejected instead of silently
/// matching nothing. The tests check these tables against the schemas of the OpenAPI document.
#[derive(Debug)]
pub struct Shape {
    name: &'static str,
    fields: &'static [FieldShape],
    /// Objects with `additionalProperties: true` accept any member name.
    open: bool,
}

#[derive(Debug)]
struct FieldShape {
    name: &'static str,
    /// Shape of the record(s) the field holds; `None` for scalars, which a `NestedFilter` cannot enter.
    nested: Option<&'static Shape>,
}

const fn scalar(name: &'static str) -> FieldShape {
    FieldShape { name, nested: None }
}

/// Free-form content: any member, nestable at any depth.
pub static ANY: Shape = Shape { name: "free-form object", fields: &[], open: true };

/// `WorkflowOverviewDTO`.
pub static OVERVIEW: Shape = Shape {
    name: "WorkflowOverviewDTO",
    fields: &[
        scalar("workflowId"),
        scalar("name"),
        scalar("format"),
        scalar("lastRunId"),
        scalar("lastTriggeredMs"),
        scalar("lastRunStatus"),
        scalar("description"),
        scalar("isAvailable"),
    ],
    open: false,
};

/// `ProcessInstanceDTO`.
pub static INSTANCE: Shape = Shape {
    name: "ProcessInstanceDTO",
    fields: &[
        scalar("id"),
        scalar("processId"),
        scalar("processName"),
        scalar("state"),
        scalar("endpoint"),
        scalar("serviceUrl"),
        scalar("start"),
        scalar("end"),
        scalar("duration"),
        scalar("description"),
        FieldShape { name: "workflowdata", nested: Some(&WORKFLOW_DATA) },
        scalar("initiatorEntity"),
        scalar("targetEntity"),
        scalar("executionSummary"),
        FieldShape { name: "nodes", nested: Some(&NODE) },
        FieldShape { name: "error", nested: Some(&INSTANCE_ERROR) },
    ],
    open: false,
};

/// `NodeInstanceDTO`.
pub static NODE: Shape = Shape {
    name: "NodeInstanceDTO",
    fields: &[
        scalar("__typename"),
        scalar("id"),
        scalar("name"),
        scalar("type"),
        scalar("enter"),
        scalar("exit"),
        scalar("definitionId"),
        scalar("nodeId"),
    ],
    open: false,
};

/// `ProcessInstanceErrorDTO`.
pub static INSTANCE_ERROR: Shape =
    Shape { name: "ProcessInstanceErrorDTO", fields: &[scalar("__typename"), scalar("nodeDefinitionId"), scalar("message")], open: false };

/// `WorkflowDataDTO`: workflow-specific members plus the fixed `result`.
pub static WORKFLOW_DATA: Shape =
    Shape { name: "WorkflowDataDTO", fields: &[FieldShape { name: "result", nested: Some(&WORKFLOW_RESULT) }], open: true };

/// `WorkflowResultDTO`.
pub static WORKFLOW_RESULT: Shape = Shape {
    name: "WorkflowResultDTO",
    fields: &[
        scalar("message"),
        FieldShape { name: "nextWorkflows", nested: Some(&NEXT_WORKFLOW) },
        FieldShape { name: "outputs", nested: Some(&RESULT_OUTPUT) },
    ],
    open: false,
};

/// Items of `WorkflowResultDTO.nextWorkflows`.
pub static NEXT_WORKFLOW: Shape = Shape { name: "suggested workflow", fields: &[scalar("id"), scalar("name")], open: false };

/// Items of `WorkflowResultDTO.outputs`.
pub static RESULT_OUTPUT: Shape = Shape { name: "result output", fields: &[scalar("key"), scalar("value"), scalar("format")], open: false };

impl Shape {
    /// `Some(nested shape)` for an accepted field, `None` for an unknown one.
    fn lookup(&self, field: &str) -> Option<Option<&'static Shape>> {
        match self.fields.iter().find(|candidate| candidate.name == field) {
            Some(found) => Some(found.nested),
            None if self.open => Some(Some(&ANY)),
            None => None,
        }
    }

    fn require(&self, field: &str) -> Result<Option<&'static Shape>, InvalidSearch> {
        match self.lookup(field) {
            Some(nested) => Ok(nested),
            None => {
                let known: Vec<&str> = self.fields.iter().map(|candidate| candidate.name).collect();
                invalid(format!("unknown field `{field}` for {}; known fields: {}", self.name, known.join(", ")))
            }
        }
    }

    /// Declared member names, for the consistency test against the OpenAPI document.
    pub fn field_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|field| field.name)
    }

    /// Shape of the records held by a declared field.
    pub fn nested(&self, field: &str) -> Option<&'static Shape> {
        self.lookup(field).flatten()
    }
}

/// A validated search request, ready to run over any number of record lists.
#[derive(Debug, Clone)]
pub struct Search {
    condition: Option<Condition>,
    offset: usize,
    page_size: Option<usize>,
    order: Option<(String, Direction)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Asc,
    Desc,
}

impl Search {
    /// Validates `request` against the records' `shape`.
    pub fn compile(request: &SearchRequest, shape: &'static Shape) -> Result<Self, InvalidSearch> {
        let condition = request.filters.as_ref().map(|filter| compile_filter(filter, shape, 0)).transpose()?;
        let paging = request.pagination_info.clone().unwrap_or_default();
        let offset = paging.offset.map(|value| count("offset", value)).transpose()?.unwrap_or(0);
        let page_size = paging.page_size.map(|value| count("pageSize", value)).transpose()?;
        let order = match paging.order_by {
            None => None,
            Some(field) => {
                shape.require(&field)?;
                Some((field, direction(paging.order_direction.as_ref())?))
            }
        };
        // A bad direction is a client mistake even when there is nothing to sort by.
        if let Some(PaginationInfoDtoOrderDirection::Other(other)) = &paging.order_direction {
            return invalid(format!("unknown orderDirection `{other}`; expected ASC or DESC"));
        }
        Ok(Search { condition, offset, page_size, order })
    }

    /// Keeps the matching records, sorts them and cuts out the requested page.
    pub fn run<T: Serialize>(&self, records: impl IntoIterator<Item = T>) -> Vec<T> {
        let mut hits: Vec<(SortKey, T)> = records
            .into_iter()
            .filter_map(|record| {
                let json = wire_form(&record);
                if !self.condition.as_ref().is_none_or(|condition| condition.matches(&json)) {
                    return None;
                }
                let key = match &self.order {
                    Some((field, _)) => SortKey::of(json.get(field)),
                    None => SortKey::Missing,
                };
                Some((key, record))
            })
            .collect();
        if let Some((_, direction)) = &self.order {
            hits.sort_by(|(left, _), (right, _)| SortKey::order(left, right, *direction));
        }
        let page = hits.into_iter().skip(self.offset).map(|(_, record)| record);
        match self.page_size {
            Some(size) => page.take(size).collect(),
            None => page.collect(),
        }
    }

    /// What was applied, for the result's `paginationInfo`.
    pub fn pagination_info(&self) -> PaginationInfoDto {
        PaginationInfoDto {
            page_size: self.page_size.map(|size| size as f64),
            offset: Some(self.offset as f64),
            order_direction: self.order.as_ref().map(|(_, direction)| match direction {
                Direction::Asc => PaginationInfoDtoOrderDirection::Asc,
                Direction::Desc => PaginationInfoDtoOrderDirection::Desc,
            }),
            order_by: self.order.as_ref().map(|(field, _)| field.clone()),
        }
    }
}

/// The general form (`SearchRequest`, field names as text) of a typed request such as
/// `ProcessInstanceSearchRequest`. The wire shape is the same, so the general form is read from the
/// typed one's JSON; one evaluator then serves every record type, and it still checks names against
/// the [`Shape`], because a typed request built in code can carry an unlisted name (`Other(..)`).
pub fn general_form<T: Serialize>(request: &T) -> Result<SearchRequest, InvalidSearch> {
    serde_json::to_value(request).and_then(serde_json::from_value).map_err(|error| InvalidSearch(format!("not a search request: {error}")))
}

/// The generated DTOs have only string keys, so serializing them cannot fail; `null` would match no
/// field test anyway.
fn wire_form<T: Serialize>(record: &T) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}

fn count(name: &str, value: f64) -> Result<usize, InvalidSearch> {
    if !value.is_finite() || value < 0.0 || value.fract() != 0.0 {
        return invalid(format!("{name} must be a non-negative whole number, got {value}"));
    }
    // `as` saturates, so an absurdly large page size just means "everything".
    Ok(value as usize)
}

fn direction(value: Option<&PaginationInfoDtoOrderDirection>) -> Result<Direction, InvalidSearch> {
    match value {
        None | Some(PaginationInfoDtoOrderDirection::Asc) => Ok(Direction::Asc),
        Some(PaginationInfoDtoOrderDirection::Desc) => Ok(Direction::Desc),
        Some(PaginationInfoDtoOrderDirection::Other(other)) => invalid(format!("unknown orderDirection `{other}`; expected ASC or DESC")),
    }
}

#[derive(Debug, Clone)]
enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Field { field: String, test: Test },
    Nested { field: String, inner: Box<Condition> },
}

#[derive(Debug, Clone)]
enum Test {
    Compare(Comparison, Scalar),
    In(Vec<Scalar>),
    Between(Scalar, Scalar),
    Like(String),
    IsNull,
}

#[derive(Debug, Clone, Copy)]
enum Comparison {
    Eq,
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Debug, Clone)]
enum Scalar {
    Number(f64),
    /// The instant is parsed once here instead of once per record.
    Text {
        text: String,
        instant: Option<DateTime>,
    },
    Bool(bool),
}

fn compile_filter(filter: &Filter, shape: &'static Shape, depth: usize) -> Result<Condition, InvalidSearch> {
    check_depth(depth)?;
    match filter {
        Filter::FieldFilter(field_filter) => compile_field(field_filter, shape),
        Filter::NestedFilter(nested) => compile_nested(nested, shape, depth),
        Filter::LogicalFilter(logical) => {
            let parts = logical.filters.iter().map(|part| compile_filter(part, shape, depth + 1)).collect::<Result<Vec<_>, _>>()?;
            match &logical.operator {
                LogicalFilterOperator::And => Ok(Condition::All(parts)),
                LogicalFilterOperator::Or => Ok(Condition::Any(parts)),
                LogicalFilterOperator::Not => match <[Condition; 1]>::try_from(parts) {
                    Ok([only]) => Ok(Condition::Not(Box::new(only))),
                    Err(parts) => invalid(format!("NOT takes exactly one filter, got {}", parts.len())),
                },
                LogicalFilterOperator::Other(other) => invalid(format!("unknown logical operator `{other}`; expected AND, OR or NOT")),
            }
        }
    }
}

fn check_depth(depth: usize) -> Result<(), InvalidSearch> {
    if depth > MAX_DEPTH {
        return invalid(format!("filters are nested more than {MAX_DEPTH} levels deep"));
    }
    Ok(())
}

fn compile_nested(nested: &NestedFilter, shape: &'static Shape, depth: usize) -> Result<Condition, InvalidSearch> {
    check_depth(depth)?;
    let Some(inner_shape) = shape.require(&nested.field)? else {
        return invalid(format!("field `{}` of {} holds no records, so a nested filter cannot look inside it", nested.field, shape.name));
    };
    let inner = match &nested.nested {
        NestedFilterNested::FieldFilter(field_filter) => compile_field(field_filter, inner_shape)?,
        NestedFilterNested::NestedFilter(deeper) => compile_nested(deeper, inner_shape, depth + 1)?,
    };
    Ok(Condition::Nested { field: nested.field.clone(), inner: Box::new(inner) })
}

fn compile_field(filter: &FieldFilter, shape: &'static Shape) -> Result<Condition, InvalidSearch> {
    shape.require(&filter.field)?;
    let field = &filter.field;
    let test = match &filter.operator {
        FieldFilterOperator::Eq => Test::Compare(Comparison::Eq, single(field, "EQ", &filter.value)?),
        FieldFilterOperator::Gt => Test::Compare(Comparison::Gt, ordered(field, "GT", single(field, "GT", &filter.value)?)?),
        FieldFilterOperator::Gte => Test::Compare(Comparison::Gte, ordered(field, "GTE", single(field, "GTE", &filter.value)?)?),
        FieldFilterOperator::Lt => Test::Compare(Comparison::Lt, ordered(field, "LT", single(field, "LT", &filter.value)?)?),
        FieldFilterOperator::Lte => Test::Compare(Comparison::Lte, ordered(field, "LTE", single(field, "LTE", &filter.value)?)?),
        FieldFilterOperator::In => match &filter.value {
            FieldFilterValue::Array(items) => Test::In(items.iter().map(item_scalar).collect()),
            _ => return invalid(format!("IN on `{field}` expects a list of values")),
        },
        FieldFilterOperator::Between => between(field, &filter.value)?,
        FieldFilterOperator::Like => match &filter.value {
            FieldFilterValue::String(pattern) => Test::Like(pattern.clone()),
            _ => return invalid(format!("LIKE on `{field}` expects a text pattern")),
        },
        FieldFilterOperator::IsNull => Test::IsNull,
        FieldFilterOperator::Other(other) => {
            return invalid(format!("unknown operator `{other}` on `{field}`; expected EQ, GT, GTE, LT, LTE, IN, IS_NULL, LIKE or BETWEEN"))
        }
    };
    Ok(Condition::Field { field: field.clone(), test })
}

fn single(field: &str, operator: &str, value: &FieldFilterValue) -> Result<Scalar, InvalidSearch> {
    match value {
        FieldFilterValue::Boolean(flag) => Ok(Scalar::Bool(*flag)),
        FieldFilterValue::Number(number) => Ok(Scalar::Number(*number)),
        FieldFilterValue::String(text) => Ok(text_scalar(text)),
        FieldFilterValue::Array(_) => invalid(format!("{operator} on `{field}` expects a single value, not a list (use IN)")),
    }
}

fn ordered(field: &str, operator: &str, value: Scalar) -> Result<Scalar, InvalidSearch> {
    if let Scalar::Bool(_) = value {
        return invalid(format!("{operator} on `{field}` cannot order booleans"));
    }
    Ok(value)
}

fn between(field: &str, value: &FieldFilterValue) -> Result<Test, InvalidSearch> {
    let FieldFilterValue::Array(items) = value else {
        return invalid(format!("BETWEEN on `{field}` expects a list of two bounds"));
    };
    let [low, high] = items.as_slice() else {
        return invalid(format!("BETWEEN on `{field}` expects exactly two bounds, got {}", items.len()));
    };
    let (low, high) = (ordered(field, "BETWEEN", item_scalar(low))?, ordered(field, "BETWEEN", item_scalar(high))?);
    if std::mem::discriminant(&low) != std::mem::discriminant(&high) {
        return invalid(format!("BETWEEN on `{field}` needs two bounds of the same kind"));
    }
    Ok(Test::Between(low, high))
}

fn item_scalar(item: &FieldFilterValueArrayItem) -> Scalar {
    match item {
        FieldFilterValueArrayItem::Boolean(flag) => Scalar::Bool(*flag),
        FieldFilterValueArrayItem::Number(number) => Scalar::Number(*number),
        FieldFilterValueArrayItem::String(text) => text_scalar(text),
    }
}

fn text_scalar(text: &str) -> Scalar {
    Scalar::Text { text: text.to_owned(), instant: instant(text) }
}

fn instant(text: &str) -> Option<DateTime> {
    oas_runtime::chrono::DateTime::parse_from_rfc3339(text).ok().map(|parsed| parsed.with_timezone(&Utc))
}

impl Condition {
    fn matches(&self, record: &Value) -> bool {
        match self {
            Condition::All(parts) => parts.iter().all(|part| part.matches(record)),
            Condition::Any(parts) => parts.iter().any(|part| part.matches(record)),
            Condition::Not(inner) => !inner.matches(record),
            Condition::Field { field, test } => test.matches(record.get(field)),
            Condition::Nested { field, inner } => match record.get(field) {
                Some(object @ Value::Object(_)) => inner.matches(object),
                Some(Value::Array(items)) => items.iter().any(|item| item.is_object() && inner.matches(item)),
                _ => false,
            },
        }
    }
}

impl Test {
    fn matches(&self, value: Option<&Value>) -> bool {
        let value = match (self, value) {
            (Test::IsNull, value) => return matches!(value, None | Some(Value::Null)),
            (_, Some(value)) => value,
            (_, None) => return false,
        };
        match self {
            Test::Compare(comparison, expected) => compare(value, expected).is_some_and(|ordering| comparison.accepts(ordering)),
            Test::In(candidates) => candidates.iter().any(|candidate| compare(value, candidate) == Some(Ordering::Equal)),
            Test::Between(low, high) => {
                compare(value, low).is_some_and(|ordering| ordering != Ordering::Less)
                    && compare(value, high).is_some_and(|ordering| ordering != Ordering::Greater)
            }
            Test::Like(pattern) => value.as_str().is_some_and(|text| like(text, pattern)),
            Test::IsNull => false,
        }
    }
}

impl Comparison {
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Comparison::Eq => ordering == Ordering::Equal,
            Comparison::Gt => ordering == Ordering::Greater,
            Comparison::Gte => ordering != Ordering::Less,
            Comparison::Lt => ordering == Ordering::Less,
            Comparison::Lte => ordering != Ordering::Greater,
        }
    }
}

/// How the record's value relates to the filter's; `None` when they are of different kinds.
fn compare(value: &Value, expected: &Scalar) -> Option<Ordering> {
    match (value, expected) {
        (Value::Number(number), Scalar::Number(expected)) => number.as_f64()?.partial_cmp(expected),
        (Value::String(text), Scalar::Text { text: expected, instant: expected_instant }) => match (instant(text), expected_instant) {
            (Some(actual), Some(expected)) => Some(actual.cmp(expected)),
            _ => Some(text.as_str().cmp(expected.as_str())),
        },
        (Value::Bool(flag), Scalar::Bool(expected)) => Some(flag.cmp(expected)),
        _ => None,
    }
}

/// SQL-style `LIKE` where `%` is the only wildcard; the whole `text` must match, case-sensitively.
///
/// Linear in `text.len() + pattern.len()`: the literal pieces between `%`s are anchored at the ends or
/// found left to right with `str::find` (a two-way search), and taking the leftmost occurrence of each
/// middle piece is always safe because `%` can absorb anything in between. Nothing backtracks, so
/// patterns like `%a%a%a%a%a%b` cannot blow up the way a naive or regex-based matcher can.
pub fn like(text: &str, pattern: &str) -> bool {
    let mut pieces = pattern.split('%');
    let head = pieces.next().unwrap_or_default();
    let Some(rest) = text.strip_prefix(head) else {
        return false;
    };
    let Some(tail) = pieces.next_back() else {
        // No `%` at all: the pattern is a plain literal.
        return rest.is_empty();
    };
    // Cutting the tail off what remains after the head keeps the two from overlapping (`ab%b` vs `ab`).
    let Some(mut rest) = rest.strip_suffix(tail) else {
        return false;
    };
    for piece in pieces {
        let Some(after) = rest.find(piece).and_then(|at| rest.get(at + piece.len()..)) else {
            return false;
        };
        rest = after;
    }
    true
}

/// Sort key with a total order, which `sort_by` needs to be deterministic (and not to panic).
#[derive(Debug)]
enum SortKey {
    Number(f64),
    Instant(DateTime),
    Text(String),
    Bool(bool),
    Composite(String),
    Missing,
}

impl SortKey {
    fn of(value: Option<&Value>) -> SortKey {
        match value {
            None | Some(Value::Null) => SortKey::Missing,
            Some(Value::Number(number)) => number.as_f64().map_or_else(|| SortKey::Composite(number.to_string()), SortKey::Number),
            Some(Value::String(text)) => instant(text).map_or_else(|| SortKey::Text(text.clone()), SortKey::Instant),
            Some(Value::Bool(flag)) => SortKey::Bool(*flag),
            Some(other) => SortKey::Composite(other.to_string()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            SortKey::Number(_) => 0,
            SortKey::Instant(_) => 1,
            SortKey::Text(_) => 2,
            SortKey::Bool(_) => 3,
            SortKey::Composite(_) => 4,
            SortKey::Missing => 5,
        }
    }

    /// Missing values stay last whatever the direction; everything else is reversed for DESC.
    fn order(left: &SortKey, right: &SortKey, direction: Direction) -> Ordering {
        match (left, right) {
            (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
            (SortKey::Missing, _) => Ordering::Greater,
            (_, SortKey::Missing) => Ordering::Less,
            _ => {
                let ordering = match (left, right) {
                    (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
                    (SortKey::Instant(a), SortKey::Instant(b)) => a.cmp(b),
                    (SortKey::Text(a), SortKey::Text(b)) | (SortKey::Composite(a), SortKey::Composite(b)) => a.cmp(b),
                    (SortKey::Bool(a), SortKey::Bool(b)) => a.cmp(b),
                    _ => left.rank().cmp(&right.rank()),
                };
                match direction {
                    Direction::Asc => ordering,
                    Direction::Desc => ordering.reverse(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::{Duration, Instant};

    fn request(body: Value) -> SearchRequest {
        serde_json::from_value(body).expect("test request is a valid SearchRequest")
    }

    fn filtered(filter: Value) -> SearchRequest {
        request(json!({ "filters": filter }))
    }

    fn runs() -> Vec<Value> {
        vec![
            json!({
                "id": "a", "processId": "user-onboarding", "state": "ACTIVE", "start": "2025-08-01T10:00:00Z", "end": null,
                "workflowdata": { "count": 3, "result": { "message": "waiting for approval" } },
                "nodes": [
                    { "id": "a1", "name": "Start", "type": "StartNode" },
                    { "id": "a2", "name": "Manager Approval", "type": "HumanTaskNode", "exit": null }
                ]
            }),
            json!({
                "id": "b", "processId": "provision-database", "state": "ERROR",
                "start": "2025-08-02T09:30:00.500Z", "end": "2025-08-02T09:31:00Z",
                "nodes": [{ "id": "b1", "name": "Create account", "type": "WorkItemNode" }],
                "error": { "nodeDefinitionId": "_jbpm-unique-2", "message": "HTTP 409 Conflict" }
            }),
            json!({
                "id": "c", "processId": "user-onboarding", "state": "COMPLETED",
                "start": "2025-08-02T09:30:00Z", "end": "2025-08-02T09:30:06Z",
                "workflowdata": { "count": 10 }, "nodes": []
            }),
            json!({ "id": "d", "processId": "security-assessment", "state": "ABORTED", "nodes": [] }),
        ]
    }

    fn overviews() -> Vec<Value> {
        vec![
            json!({ "workflowId": "w1", "format": "yaml", "name": "User onboarding", "lastTriggeredMs": 1000.0, "isAvailable": true }),
            json!({ "workflowId": "w2", "format": "json", "name": "Provision database", "lastTriggeredMs": 2000.0, "isAvailable": false }),
            json!({ "workflowId": "w3", "format": "yaml", "name": "Security assessment", "lastTriggeredMs": 3000.0, "isAvailable": true }),
            json!({ "workflowId": "w4", "format": "json", "name": "Rotate credentials" }),
        ]
    }

    fn search(request: &SearchRequest, shape: &'static Shape, records: Vec<Value>) -> Result<Vec<String>, InvalidSearch> {
        let search = Search::compile(request, shape)?;
        Ok(search.run(records).iter().map(id_of).collect())
    }

    fn id_of(record: &Value) -> String {
        record.get("id").or_else(|| record.get("workflowId")).and_then(Value::as_str).unwrap_or("?").to_owned()
    }

    fn run_ids(filter: Value) -> Vec<String> {
        search(&filtered(filter), &INSTANCE, runs()).expect("filter is valid")
    }

    fn overview_ids(filter: Value) -> Vec<String> {
        search(&filtered(filter), &OVERVIEW, overviews()).expect("filter is valid")
    }

    fn rejection(filter: Value) -> String {
        match Search::compile(&filtered(filter), &INSTANCE) {
            Err(InvalidSearch(message)) => message,
            Ok(_) => panic!("filter should have been rejected"),
        }
    }

    #[test]
    fn eq_compares_strings_numbers_and_booleans() {
        assert_eq!(run_ids(json!({ "field": "state", "operator": "EQ", "value": "ERROR" })), ["b"]);
        assert_eq!(overview_ids(json!({ "field": "lastTriggeredMs", "operator": "EQ", "value": 2000 })), ["w2"]);
        assert_eq!(overview_ids(json!({ "field": "isAvailable", "operator": "EQ", "value": true })), ["w1", "w3"]);
    }

    #[test]
    fn ordering_operators_compare_numbers_numerically_at_the_boundaries() {
        let ids = |operator: &str| overview_ids(json!({ "field": "lastTriggeredMs", "operator": operator, "value": 2000 }));
        assert_eq!(ids("GT"), ["w3"]);
        assert_eq!(ids("GTE"), ["w2", "w3"]);
        assert_eq!(ids("LT"), ["w1"]);
        assert_eq!(ids("LTE"), ["w1", "w2"]);
        // 900 < 1000 numerically although "900" > "1000" as text.
        assert_eq!(overview_ids(json!({ "field": "lastTriggeredMs", "operator": "GT", "value": 900 })), ["w1", "w2", "w3"]);
    }

    #[test]
    fn ordering_operators_compare_strings_by_code_point() {
        assert_eq!(run_ids(json!({ "field": "processId", "operator": "GT", "value": "provision-database" })), ["a", "c", "d"]);
        assert_eq!(run_ids(json!({ "field": "processId", "operator": "LTE", "value": "provision-database" })), ["b"]);
        // Upper case sorts before lower case: no case folding.
        assert_eq!(overview_ids(json!({ "field": "name", "operator": "LT", "value": "a" })), ["w1", "w2", "w3", "w4"]);
    }

    #[test]
    fn timestamps_compare_as_instants_whatever_their_precision_or_offset() {
        // Lexically "…:00.500Z" < "…:00Z"; as instants b started after c.
        assert_eq!(run_ids(json!({ "field": "start", "operator": "GT", "value": "2025-08-02T09:30:00Z" })), ["b"]);
        assert_eq!(run_ids(json!({ "field": "start", "operator": "EQ", "value": "2025-08-02T11:30:00+02:00" })), ["c"]);
        // A date-only bound stays lexical and still works against full timestamps of other days.
        assert_eq!(run_ids(json!({ "field": "start", "operator": "GTE", "value": "2025-08-02" })), ["b", "c"]);
    }

    #[test]
    fn values_of_another_type_never_match() {
        assert!(overview_ids(json!({ "field": "lastTriggeredMs", "operator": "EQ", "value": "2000" })).is_empty());
        assert!(overview_ids(json!({ "field": "name", "operator": "GT", "value": 5 })).is_empty());
        assert!(overview_ids(json!({ "field": "isAvailable", "operator": "EQ", "value": "true" })).is_empty());
        // A missing field is no match, not an error.
        assert_eq!(overview_ids(json!({ "field": "isAvailable", "operator": "EQ", "value": false })), ["w2"]);
    }

    #[test]
    fn in_matches_any_listed_value() {
        assert_eq!(run_ids(json!({ "field": "state", "operator": "IN", "value": ["ACTIVE", "ERROR", 7] })), ["a", "b"]);
        assert_eq!(overview_ids(json!({ "field": "lastTriggeredMs", "operator": "IN", "value": [1000, 3000] })), ["w1", "w3"]);
        assert!(run_ids(json!({ "field": "state", "operator": "IN", "value": [] })).is_empty());
        assert!(rejection(json!({ "field": "state", "operator": "IN", "value": "ACTIVE" })).contains("expects a list"));
    }

    #[test]
    fn between_is_inclusive_and_needs_two_bounds_of_one_kind() {
        assert_eq!(overview_ids(json!({ "field": "lastTriggeredMs", "operator": "BETWEEN", "value": [1000, 2000] })), ["w1", "w2"]);
        assert_eq!(
            run_ids(json!({ "field": "start", "operator": "BETWEEN", "value": ["2025-08-01T10:00:00Z", "2025-08-02T09:30:00Z"] })),
            ["a", "c"]
        );
        assert!(overview_ids(json!({ "field": "lastTriggeredMs", "operator": "BETWEEN", "value": [2000, 1000] })).is_empty());
        assert!(rejection(json!({ "field": "start", "operator": "BETWEEN", "value": ["2025-08-01"] })).contains("exactly two bounds, got 1"));
        assert!(rejection(json!({ "field": "start", "operator": "BETWEEN", "value": ["a", "b", "c"] })).contains("got 3"));
        assert!(rejection(json!({ "field": "start", "operator": "BETWEEN", "value": "a" })).contains("list of two bounds"));
        assert!(rejection(json!({ "field": "start", "operator": "BETWEEN", "value": [1, "b"] })).contains("same kind"));
        assert!(rejection(json!({ "field": "start", "operator": "BETWEEN", "value": [true, false] })).contains("booleans"));
    }

    #[test]
    fn like_filters_strings_and_rejects_non_text_patterns() {
        assert_eq!(overview_ids(json!({ "field": "name", "operator": "LIKE", "value": "%on%" })), ["w1", "w2"]);
        assert_eq!(overview_ids(json!({ "field": "name", "operator": "LIKE", "value": "%onboard%" })), ["w1"]);
        // Case-sensitive: "User" does not match "user%".
        assert!(overview_ids(json!({ "field": "name", "operator": "LIKE", "value": "user%" })).is_empty());
        // Not a string: no match rather than a comparison of its JSON text.
        assert!(overview_ids(json!({ "field": "lastTriggeredMs", "operator": "LIKE", "value": "%0%" })).is_empty());
        assert!(rejection(json!({ "field": "id", "operator": "LIKE", "value": 5 })).contains("text pattern"));
    }

    #[test]
    fn is_null_matches_absent_and_null_and_ignores_its_value() {
        assert_eq!(run_ids(json!({ "field": "end", "operator": "IS_NULL", "value": false })), ["a", "d"]);
        assert_eq!(run_ids(json!({ "field": "error", "operator": "IS_NULL", "value": "" })), ["a", "c", "d"]);
        // Other operators do not treat null as a value.
        assert_eq!(run_ids(json!({ "field": "end", "operator": "LTE", "value": "2100-01-01T00:00:00Z" })), ["b", "c"]);
    }

    #[test]
    fn and_or_not_combine_conditions() {
        let active = json!({ "field": "state", "operator": "EQ", "value": "ACTIVE" });
        let onboarding = json!({ "field": "processId", "operator": "EQ", "value": "user-onboarding" });
        let error = json!({ "field": "state", "operator": "EQ", "value": "ERROR" });
        assert_eq!(run_ids(json!({ "operator": "AND", "filters": [active, onboarding] })), ["a"]);
        assert_eq!(run_ids(json!({ "operator": "OR", "filters": [active, error] })), ["a", "b"]);
        assert_eq!(run_ids(json!({ "operator": "NOT", "filters": [onboarding] })), ["b", "d"]);
        assert_eq!(run_ids(json!({ "operator": "NOT", "filters": [{ "operator": "OR", "filters": [active, error] }] })), ["c", "d"]);
        let double = json!({ "operator": "NOT", "filters": [{ "operator": "NOT", "filters": [active] }] });
        assert_eq!(run_ids(double), ["a"]);
        assert_eq!(run_ids(json!({ "operator": "AND", "filters": [] })), ["a", "b", "c", "d"]);
        assert!(run_ids(json!({ "operator": "OR", "filters": [] })).is_empty());
    }

    #[test]
    fn not_needs_exactly_one_filter() {
        let active = json!({ "field": "state", "operator": "EQ", "value": "ACTIVE" });
        assert!(rejection(json!({ "operator": "NOT", "filters": [] })).contains("exactly one filter, got 0"));
        assert!(rejection(json!({ "operator": "NOT", "filters": [active, active] })).contains("got 2"));
        assert!(rejection(json!({ "operator": "XOR", "filters": [active] })).contains("unknown logical operator `XOR`"));
    }

    #[test]
    fn nested_filter_matches_when_any_node_matches() {
        let approval = json!({ "field": "nodes", "nested": { "field": "name", "operator": "LIKE", "value": "%Approval%" } });
        assert_eq!(run_ids(approval.clone()), ["a"]);
        assert_eq!(
            run_ids(json!({ "field": "nodes", "nested": { "field": "type", "operator": "IN", "value": ["StartNode", "WorkItemNode"] } })),
            ["a", "b"]
        );
        // NOT around a nested filter: no element matches (also true for runs without nodes).
        assert_eq!(run_ids(json!({ "operator": "NOT", "filters": [approval] })), ["b", "c", "d"]);
        // `exit` is null on a2 and absent on a1, so both count as null.
        assert_eq!(run_ids(json!({ "field": "nodes", "nested": { "field": "exit", "operator": "IS_NULL", "value": true } })), ["a", "b"]);
    }

    #[test]
    fn nested_filters_reach_objects_and_free_form_members() {
        assert_eq!(run_ids(json!({ "field": "error", "nested": { "field": "message", "operator": "LIKE", "value": "%409%" } })), ["b"]);
        assert_eq!(run_ids(json!({ "field": "workflowdata", "nested": { "field": "count", "operator": "GT", "value": 5 } })), ["c"]);
        let deep = json!({ "field": "workflowdata", "nested": { "field": "result", "nested": { "field": "message", "operator": "LIKE", "value": "waiting%" } } });
        assert_eq!(run_ids(deep), ["a"]);
        let free_form =
            json!({ "field": "workflowdata", "nested": { "field": "anything", "nested": { "field": "x", "operator": "IS_NULL", "value": true } } });
        assert!(run_ids(free_form).is_empty());
    }

    #[test]
    fn unknown_fields_and_scalar_nesting_are_rejected() {
        assert!(rejection(json!({ "field": "status", "operator": "EQ", "value": "ACTIVE" })).contains("unknown field `status`"));
        assert!(rejection(json!({ "field": "nodes", "nested": { "field": "label", "operator": "EQ", "value": "x" } })).contains("NodeInstanceDTO"));
        assert!(rejection(json!({ "field": "state", "nested": { "field": "x", "operator": "EQ", "value": "y" } })).contains("holds no records"));
        let deep_unknown =
            json!({ "field": "workflowdata", "nested": { "field": "result", "nested": { "field": "msg", "operator": "EQ", "value": "y" } } });
        assert!(rejection(deep_unknown).contains("WorkflowResultDTO"));
    }

    #[test]
    fn malformed_values_and_unknown_operators_are_rejected() {
        assert!(rejection(json!({ "field": "state", "operator": "EQ", "value": ["ACTIVE"] })).contains("use IN"));
        assert!(rejection(json!({ "field": "start", "operator": "GT", "value": true })).contains("cannot order booleans"));
        assert!(rejection(json!({ "field": "state", "operator": "REGEX", "value": ".*" })).contains("unknown operator `REGEX`"));
    }

    #[test]
    fn errors_are_reported_even_without_records() {
        let search = Search::compile(&filtered(json!({ "field": "nope", "operator": "EQ", "value": 1 })), &INSTANCE);
        assert!(search.is_err());
    }

    #[test]
    fn filter_trees_deeper_than_the_limit_are_rejected() {
        let mut filter = json!({ "field": "state", "operator": "EQ", "value": "ACTIVE" });
        for _ in 0..MAX_DEPTH {
            filter = json!({ "operator": "NOT", "filters": [filter] });
        }
        assert!(Search::compile(&filtered(filter.clone()), &INSTANCE).is_ok());
        let deeper = json!({ "operator": "NOT", "filters": [filter] });
        assert!(rejection(deeper).contains("nested more than"));
    }

    #[test]
    fn like_percent_alone_matches_everything() {
        assert!(like("", "%"));
        assert!(like("anything", "%"));
        assert!(like("anything", "%%"));
    }

    #[test]
    fn like_matches_pieces_in_order() {
        assert!(like("abc", "a%b%c"));
        assert!(like("a-b-c", "a%b%c"));
        assert!(like("aXbYbZc", "a%b%c"));
        assert!(!like("acb", "a%b%c"));
        assert!(!like("abcd", "a%b%c"));
        assert!(like("xabcx", "%abc%"));
        assert!(like("mid", "%i%"));
    }

    #[test]
    fn like_without_wildcards_is_equality() {
        assert!(like("", ""));
        assert!(!like("a", ""));
        assert!(like("abc", "abc"));
        assert!(!like("abcd", "abc"));
        assert!(!like("ABC", "abc"));
        // `_` is literal, not a single-character wildcard.
        assert!(!like("abc", "a_c"));
        assert!(like("a_c", "a_c"));
    }

    #[test]
    fn like_pattern_longer_than_text_fails() {
        assert!(!like("ab", "abc%"));
        assert!(!like("ab", "%abc"));
        assert!(!like("ab", "a%bc"));
        // Head and tail must not share characters of the text.
        assert!(!like("ab", "ab%b"));
        assert!(like("abb", "ab%b"));
    }

    #[test]
    fn like_handles_multibyte_text() {
        assert!(like("Überprüfung läuft", "Über%läuft"));
        assert!(like("日本語テキスト", "%語%"));
        assert!(!like("日本語", "%英%"));
    }

    #[test]
    fn like_pathological_patterns_finish_fast() {
        let text = "a".repeat(200_000);
        let started = Instant::now();
        assert!(!like(&text, "%a%a%a%a%a%a%b"));
        assert!(!like(&text, "%a%a%a%a%a%a%b%"));
        assert!(like(&text, "%a%a%a%a%a%a%"));
        let long_piece = format!("%{}b%", "a".repeat(2_000));
        assert!(!like(&text, &long_piece));
        assert!(started.elapsed() < Duration::from_secs(1), "LIKE took {:?}", started.elapsed());
    }

    #[test]
    fn pages_are_cut_after_filtering() {
        let page = |offset: f64, size: f64| {
            search(&request(json!({ "paginationInfo": { "offset": offset, "pageSize": size } })), &INSTANCE, runs()).expect("valid")
        };
        assert_eq!(page(0.0, 2.0), ["a", "b"]);
        assert_eq!(page(1.0, 2.0), ["b", "c"]);
        assert_eq!(page(3.0, 2.0), ["d"]);
        assert!(page(4.0, 2.0).is_empty());
        assert!(page(1e12, 2.0).is_empty());
        assert!(page(0.0, 0.0).is_empty());
        assert_eq!(page(2.0, 1e300), ["c", "d"]);
        let filtered_page = request(json!({
            "filters": { "field": "state", "operator": "IN", "value": ["ACTIVE", "COMPLETED", "ABORTED"] },
            "paginationInfo": { "offset": 1, "pageSize": 1 }
        }));
        assert_eq!(search(&filtered_page, &INSTANCE, runs()).expect("valid"), ["c"]);
    }

    #[test]
    fn page_settings_must_be_non_negative_whole_numbers() {
        for paging in [json!({ "offset": -1 }), json!({ "offset": 1.5 }), json!({ "pageSize": -3 }), json!({ "pageSize": 0.25 })] {
            let result = Search::compile(&request(json!({ "paginationInfo": paging })), &INSTANCE);
            assert!(matches!(&result, Err(InvalidSearch(message)) if message.contains("non-negative whole number")), "{paging}");
        }
        let nan = SearchRequest { pagination_info: Some(PaginationInfoDto { page_size: Some(f64::NAN), ..Default::default() }), filters: None };
        assert!(Search::compile(&nan, &INSTANCE).is_err());
    }

    #[test]
    fn ordering_sorts_both_ways_with_missing_values_last() {
        let ordered = |direction: &str| {
            let body = json!({ "paginationInfo": { "orderBy": "start", "orderDirection": direction } });
            search(&request(body), &INSTANCE, runs()).expect("valid")
        };
        assert_eq!(ordered("ASC"), ["a", "c", "b", "d"]);
        assert_eq!(ordered("DESC"), ["b", "c", "a", "d"]);
        let numeric =
            search(&request(json!({ "paginationInfo": { "orderBy": "lastTriggeredMs", "orderDirection": "DESC" } })), &OVERVIEW, overviews());
        assert_eq!(numeric.expect("valid"), ["w3", "w2", "w1", "w4"]);
    }

    #[test]
    fn ordering_defaults_to_ascending_and_keeps_ties_in_store_order() {
        let by_process = search(&request(json!({ "paginationInfo": { "orderBy": "processId" } })), &INSTANCE, runs());
        assert_eq!(by_process.expect("valid"), ["b", "d", "a", "c"]);
        let descending = search(&request(json!({ "paginationInfo": { "orderBy": "processId", "orderDirection": "DESC" } })), &INSTANCE, runs());
        assert_eq!(descending.expect("valid"), ["a", "c", "d", "b"]);
        // Without orderBy the direction changes nothing.
        let unsorted = search(&request(json!({ "paginationInfo": { "orderDirection": "DESC" } })), &INSTANCE, runs());
        assert_eq!(unsorted.expect("valid"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn ordering_then_paging() {
        let body = json!({ "paginationInfo": { "orderBy": "start", "orderDirection": "DESC", "offset": 1, "pageSize": 2 } });
        assert_eq!(search(&request(body), &INSTANCE, runs()).expect("valid"), ["c", "a"]);
    }

    #[test]
    fn ordering_rejects_unknown_fields_and_directions() {
        let unknown_field = Search::compile(&request(json!({ "paginationInfo": { "orderBy": "started" } })), &INSTANCE);
        assert!(matches!(unknown_field, Err(InvalidSearch(message)) if message.contains("unknown field `started`")));
        let unknown_direction = Search::compile(&request(json!({ "paginationInfo": { "orderBy": "start", "orderDirection": "UP" } })), &INSTANCE);
        assert!(matches!(unknown_direction, Err(InvalidSearch(message)) if message.contains("`UP`")));
        let alone = Search::compile(&request(json!({ "paginationInfo": { "orderDirection": "down" } })), &INSTANCE);
        assert!(alone.is_err());
    }

    #[test]
    fn pagination_info_echoes_what_was_applied() {
        let applied = |body: Value| Search::compile(&request(body), &INSTANCE).expect("valid").pagination_info();
        assert_eq!(applied(json!({})), PaginationInfoDto { offset: Some(0.0), ..Default::default() });
        assert_eq!(
            applied(json!({ "paginationInfo": { "pageSize": 5, "offset": 10, "orderBy": "start" } })),
            PaginationInfoDto {
                page_size: Some(5.0),
                offset: Some(10.0),
                order_direction: Some(PaginationInfoDtoOrderDirection::Asc),
                order_by: Some("start".to_owned()),
            }
        );
        assert_eq!(applied(json!({ "paginationInfo": { "orderDirection": "DESC" } })).order_direction, None);
    }

    #[test]
    fn sort_keys_form_a_total_order_across_kinds() {
        let records = vec![
            json!({ "id": "obj", "workflowdata": { "k": 1 } }),
            json!({ "id": "text", "workflowdata": "zzz" }),
            json!({ "id": "none" }),
            json!({ "id": "flag", "workflowdata": true }),
            json!({ "id": "num", "workflowdata": 3 }),
            json!({ "id": "time", "workflowdata": "2025-01-01T00:00:00Z" }),
        ];
        let body = json!({ "paginationInfo": { "orderBy": "workflowdata" } });
        assert_eq!(search(&request(body), &INSTANCE, records).expect("valid"), ["num", "time", "text", "flag", "obj", "none"]);
    }

    #[test]
    fn search_schemas_name_exactly_the_fields_of_the_shapes() {
        let document = orchestrator_api::openapi_document();
        let schemas = &document["components"]["schemas"];
        let listed = |name: &str| -> Vec<String> {
            let values = schemas[name]["enum"].as_array().unwrap_or_else(|| panic!("{name} is an enum"));
            let mut names: Vec<String> = values.iter().map(|value| value.as_str().expect("text").to_owned()).collect();
            names.sort_unstable();
            names
        };
        let fields = |shape: &Shape| -> Vec<String> {
            let mut names: Vec<String> = shape.field_names().map(str::to_owned).collect();
            names.sort_unstable();
            names
        };
        assert_eq!(listed("WorkflowOverviewField"), fields(&OVERVIEW));
        assert_eq!(listed("ProcessInstanceField"), fields(&INSTANCE));
        assert_eq!(listed("NodeInstanceField"), fields(&NODE));
        assert_eq!(listed("ProcessInstanceErrorField"), fields(&INSTANCE_ERROR));
        // The nested filters of runs are exactly the fields that hold records.
        let mapping = schemas["ProcessInstanceNestedFilter"]["discriminator"]["mapping"].as_object().expect("a mapping");
        let mut nested: Vec<&str> = mapping.keys().map(String::as_str).collect();
        nested.sort_unstable();
        let mut holding: Vec<&str> = INSTANCE.field_names().filter(|name| INSTANCE.nested(name).is_some()).collect();
        holding.sort_unstable();
        assert_eq!(nested, holding);
        assert!(OVERVIEW.field_names().all(|name| OVERVIEW.nested(name).is_none()), "WorkflowOverviewFilter has no nested filter");
        for (pagination, field) in
            [("WorkflowOverviewPaginationInfo", "WorkflowOverviewField"), ("ProcessInstancePaginationInfo", "ProcessInstanceField")]
        {
            assert_eq!(schemas[pagination]["properties"]["orderBy"]["$ref"], json!(format!("#/components/schemas/{field}")), "{pagination}");
        }
    }

    #[test]
    fn typed_requests_keep_their_wire_form_in_the_general_form() {
        let body = json!({
            "filters": { "operator": "AND", "filters": [
                { "field": "state", "operator": "IN", "value": ["ACTIVE", "ERROR"] },
                { "field": "nodes", "nested": { "field": "name", "operator": "LIKE", "value": "%Approval%" } },
                { "field": "workflowdata", "nested": { "field": "result", "nested": { "field": "message", "operator": "LIKE", "value": "waiting%" } } }
            ] },
            "paginationInfo": { "orderBy": "start", "orderDirection": "DESC", "offset": 0.0, "pageSize": 2.0 }
        });
        let typed: orchestrator_api::ProcessInstanceSearchRequest = serde_json::from_value(body.clone()).expect("a valid run search");
        let general = general_form(&typed).expect("has a general form");
        assert_eq!(serde_json::to_value(&general).expect("serializes"), body);
        assert_eq!(search(&general, &INSTANCE, runs()).expect("valid"), ["a"]);
    }

    #[test]
    fn unlisted_names_in_typed_requests_are_still_rejected() {
        // The generated enums are open, so a request built in code can name a field the document does not list.
        let typed: orchestrator_api::WorkflowOverviewSearchRequest =
            serde_json::from_value(json!({ "paginationInfo": { "orderBy": "processId" } })).expect("open enums read any name");
        let general = general_form(&typed).expect("has a general form");
        assert!(matches!(Search::compile(&general, &OVERVIEW), Err(InvalidSearch(message)) if message.contains("unknown field `processId`")));
    }

    #[test]
    fn shapes_list_exactly_the_properties_of_their_schemas() {
        let document = orchestrator_api::openapi_document();
        let schemas = &document["components"]["schemas"];
        let cases: [(&Shape, &Value); 8] = [
            (&OVERVIEW, &schemas["WorkflowOverviewDTO"]),
            (&INSTANCE, &schemas["ProcessInstanceDTO"]),
            (&NODE, &schemas["NodeInstanceDTO"]),
            (&INSTANCE_ERROR, &schemas["ProcessInstanceErrorDTO"]),
            (&WORKFLOW_DATA, &schemas["WorkflowDataDTO"]),
            (&WORKFLOW_RESULT, &schemas["WorkflowResultDTO"]),
            (&NEXT_WORKFLOW, &schemas["WorkflowResultDTO"]["properties"]["nextWorkflows"]["items"]),
            (&RESULT_OUTPUT, &schemas["WorkflowResultDTO"]["properties"]["outputs"]["items"]),
        ];
        for (shape, schema) in cases {
            let properties = schema["properties"].as_object().unwrap_or_else(|| panic!("{} has properties", shape.name));
            let mut declared: Vec<&str> = properties.keys().map(String::as_str).collect();
            let mut listed: Vec<&str> = shape.field_names().collect();
            declared.sort_unstable();
            listed.sort_unstable();
            assert_eq!(listed, declared, "fields of {}", shape.name);
            assert_eq!(shape.open, schema["additionalProperties"] == json!(true), "openness of {}", shape.name);
            for name in shape.field_names() {
                let property = &properties[name];
                let enum_ref = matches!(property["$ref"].as_str(), Some(r) if r.ends_with("StatusDTO") || r.ends_with("FormatDTO"));
                let holds_records = (property["$ref"].is_string() && !enum_ref)
                    || property["oneOf"].is_array()
                    || property["items"]["type"] == json!("object")
                    || property["items"]["$ref"].is_string();
                assert_eq!(shape.nested(name).is_some(), holds_records, "nesting of {}.{name}", shape.name);
            }
        }
    }
}
