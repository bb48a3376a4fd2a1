//! Comparing two versions of one schema, followed through `$ref`, in the direction data flows.

use std::collections::BTreeSet;

use oas_codegen::diagnostics::join;
use serde_json::{Map, Value};

use super::change::{Direction, Effect, Severity, Side};
use super::walk::Walker;

/// The schema that accepts everything, standing in for a side that has no schema.
pub(super) static ANYTHING: Value = Value::Bool(true);

/// Upper bounds: lowering one (or adding it) narrows what the schema accepts.
const UPPER_BOUNDS: [&str; 5] = ["maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"];
/// Lower bounds: raising one (or adding it) narrows what the schema accepts.
const LOWER_BOUNDS: [&str; 5] = ["minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"];

impl<'a> Walker<'a> {
    /// Compares the schema `old` (at `old_pointer` in the old document) with `new`.
    ///
    /// Nested schemas wait on a stack of their own rather than the call stack, so that no depth
    /// of nesting or chain of references can overflow it; they are taken in document order.
    pub(super) fn compare_schema(&mut self, old: &'a Value, old_pointer: &str, new: &'a Value, new_pointer: &str, direction: Direction) {
        let mut pending = vec![Nested { old, old_pointer: old_pointer.to_string(), new, new_pointer: new_pointer.to_string() }];
        while let Some(next) = pending.pop() {
            let mut nested = Vec::new();
            self.compare_one(next, direction, &mut nested);
            pending.extend(nested.into_iter().rev());
        }
    }

    /// Compares one pair of schemas, leaving the schemas nested in them in `nested`.
    fn compare_one(&mut self, pair: Nested<'a>, direction: Direction, nested: &mut Vec<Nested<'a>>) {
        let (old, old_pointer) = self.resolve_old(pair.old, &pair.old_pointer);
        let (new, new_pointer) = self.resolve_new(pair.new, &pair.new_pointer);
        // Each pair of schemas is compared once per direction: this ends cycles through `$ref`,
        // and reports a change in a shared component once, under the first operation using it.
        if !self.first_visit(old, new, direction) {
            return;
        }
        let pair = Pair { old, old_pointer: &old_pointer, new, new_pointer: &new_pointer, direction };
        match (old, new) {
            (Value::Bool(false), Value::Bool(false)) => return,
            (Value::Bool(false), _) => {
                return self.schema_change(&pair, Effect::Widens, "schema.widened", Side::New, "now accepts values (it accepted none)")
            }
            (_, Value::Bool(false)) => return self.schema_change(&pair, Effect::Narrows, "schema.narrowed", Side::New, "accepts no value any more"),
            _ => {}
        }
        self.compare_types(&pair);
        self.compare_enums(&pair);
        self.compare_bounds(&pair);
        self.compare_properties(&pair, nested);
        self.compare_additional_properties(&pair, nested);
        let (old_items, new_items) = (keyword_of(old, "items"), keyword_of(new, "items"));
        if old_items.is_some() || new_items.is_some() {
            let (old_items, new_items) = (old_items.unwrap_or(&ANYTHING), new_items.unwrap_or(&ANYTHING));
            nested.push(Nested {
                old: old_items,
                old_pointer: join(&old_pointer, "items"),
                new: new_items,
                new_pointer: join(&new_pointer, "items"),
            });
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            self.compare_composition(&pair, keyword, nested);
        }
    }

    fn schema_change(&mut self, pair: &Pair<'_, 'a>, effect: Effect, rule: &'static str, side: Side, message: impl Into<String>) {
        let pointer = match side {
            Side::Old => pair.old_pointer,
            Side::New => pair.new_pointer,
        };
        let severity = pair.direction.classify(effect);
        self.push_in_context(severity, rule, side, pointer.to_string(), message.into());
    }

    fn compare_types(&mut self, pair: &Pair<'_, 'a>) {
        let (old, new) = (TypeSet::of(pair.old), TypeSet::of(pair.new));
        match (&old.types, &new.types) {
            (None, Some(types)) => {
                self.schema_change(pair, Effect::Narrows, "schema.type-narrowed", Side::New, format!("type restricted to {}", show_types(types)))
            }
            (Some(types), None) => self.schema_change(
                pair,
                Effect::Widens,
                "schema.type-widened",
                Side::New,
                format!("type no longer restricted (was {})", show_types(types)),
            ),
            (Some(old_types), Some(new_types)) => {
                let widens = new_types.iter().any(|t| !covers(old_types, t));
                let narrows = old_types.iter().any(|t| !covers(new_types, t));
                let from_to = format!("from {} to {}", show_types(old_types), show_types(new_types));
                match (narrows, widens) {
                    (true, true) => self.schema_change(pair, Effect::Replaces, "schema.type-changed", Side::New, format!("type changed {from_to}")),
                    (true, false) => self.schema_change(pair, Effect::Narrows, "schema.type-narrowed", Side::New, format!("type narrowed {from_to}")),
                    (false, true) => self.schema_change(pair, Effect::Widens, "schema.type-widened", Side::New, format!("type widened {from_to}")),
                    (false, false) => {}
                }
                match (old.nullable, new.nullable) {
                    (false, true) => self.schema_change(pair, Effect::Widens, "schema.nullable-added", Side::New, "became nullable"),
                    (true, false) => self.schema_change(pair, Effect::Narrows, "schema.nullable-removed", Side::New, "is no longer nullable"),
                    _ => {}
                }
            }
            (None, None) => {}
        }
    }

    fn compare_enums(&mut self, pair: &Pair<'_, 'a>) {
        match (allowed_values(pair.old), allowed_values(pair.new)) {
            (None, Some(values)) => {
                self.schema_change(pair, Effect::Narrows, "schema.enum-added", Side::New, format!("values restricted to {}", show_values(&values)))
            }
            (Some(values), None) => self.schema_change(
                pair,
                Effect::Widens,
                "schema.enum-removed",
                Side::New,
                format!("values no longer restricted (were {})", show_values(&values)),
            ),
            (Some(old_values), Some(new_values)) => {
                for (index, value) in old_values.iter().enumerate() {
                    if !new_values.contains(value) {
                        let pointer = value_pointer(pair.old, pair.old_pointer, index);
                        let message = format!("enum value {} removed", compact(value));
                        self.push_in_context(pair.direction.classify(Effect::Narrows), "schema.enum-value-removed", Side::Old, pointer, message);
                    }
                }
                for (index, value) in new_values.iter().enumerate() {
                    if !old_values.contains(value) {
                        let pointer = value_pointer(pair.new, pair.new_pointer, index);
                        let message = format!("enum value {} added", compact(value));
                        self.push_in_context(pair.direction.classify(Effect::Widens), "schema.enum-value-added", Side::New, pointer, message);
                    }
                }
            }
            (None, None) => {}
        }
    }

    fn compare_bounds(&mut self, pair: &Pair<'_, 'a>) {
        // Most schemas have none of these keywords; scanning their few keys once is much cheaper
        // than looking each keyword up (large documents have hundreds of thousands of schemas).
        const OTHER: [&str; 4] = ["pattern", "format", "multipleOf", "uniqueItems"];
        let constrained = |schema: &Value| {
            schema.as_object().is_some_and(|object| {
                object.keys().any(|key| UPPER_BOUNDS.contains(&key.as_str()) || LOWER_BOUNDS.contains(&key.as_str()) || OTHER.contains(&key.as_str()))
            })
        };
        if !constrained(pair.old) && !constrained(pair.new) {
            return;
        }
        for (keywords, upper) in [(UPPER_BOUNDS, true), (LOWER_BOUNDS, false)] {
            for keyword in keywords {
                let (old, new) = (pair.old.get(keyword), pair.new.get(keyword));
                if old == new {
                    continue;
                }
                let effect = if old.is_some_and(Value::is_boolean) || new.is_some_and(Value::is_boolean) {
                    // OpenAPI 3.0 writes exclusiveMaximum/Minimum as a flag on maximum/minimum.
                    let flag = |value: Option<&Value>| value == Some(&Value::Bool(true));
                    match (flag(old), flag(new)) {
                        (false, true) => Effect::Narrows,
                        (true, false) => Effect::Widens,
                        _ => continue,
                    }
                } else {
                    match (old.and_then(Value::as_f64), new.and_then(Value::as_f64)) {
                        (None, Some(_)) => Effect::Narrows,
                        (Some(_), None) => Effect::Widens,
                        (Some(old_number), Some(new_number)) if old_number != new_number => {
                            if (new_number < old_number) == upper {
                                Effect::Narrows
                            } else {
                                Effect::Widens
                            }
                        }
                        _ => continue,
                    }
                };
                let (rule, verb) = match effect {
                    Effect::Narrows => ("schema.constraint-tightened", "tightened"),
                    _ => ("schema.constraint-relaxed", "relaxed"),
                };
                let message = format!("`{keyword}` {verb} from {} to {}", show_optional(old), show_optional(new));
                self.schema_change(pair, effect, rule, Side::New, message);
            }
        }
        for keyword in ["pattern", "format", "multipleOf"] {
            let (old, new) = (pair.old.get(keyword), pair.new.get(keyword));
            let (effect, rule) = match (old, new) {
                (None, Some(_)) => (Effect::Narrows, "schema.constraint-tightened"),
                (Some(_), None) => (Effect::Widens, "schema.constraint-relaxed"),
                (Some(a), Some(b)) if a != b => (Effect::Replaces, "schema.constraint-changed"),
                _ => continue,
            };
            let message = format!("`{keyword}` changed from {} to {}", show_optional(old), show_optional(new));
            self.schema_change(pair, effect, rule, Side::New, message);
        }
        let unique = |schema: &Value| schema.get("uniqueItems") == Some(&Value::Bool(true));
        match (unique(pair.old), unique(pair.new)) {
            (false, true) => self.schema_change(pair, Effect::Narrows, "schema.constraint-tightened", Side::New, "items must now be unique"),
            (true, false) => self.schema_change(pair, Effect::Widens, "schema.constraint-relaxed", Side::New, "items no longer need to be unique"),
            _ => {}
        }
    }

    fn compare_properties(&mut self, pair: &Pair<'_, 'a>, nested: &mut Vec<Nested<'a>>) {
        let old_properties: Option<&'a Map<String, Value>> = pair.old.get("properties").and_then(Value::as_object);
        let new_properties: Option<&'a Map<String, Value>> = pair.new.get("properties").and_then(Value::as_object);
        let has = |properties: Option<&Map<String, Value>>, name: &str| properties.is_some_and(|properties| properties.contains_key(name));
        let (old_required, new_required) = (required_names(pair.old), required_names(pair.new));
        let direction = pair.direction;
        let old_base = join(pair.old_pointer, "properties");
        let new_base = join(pair.new_pointer, "properties");
        let extra_allowed_now = !matches!(pair.new.get("additionalProperties"), Some(Value::Bool(false)));
        let extra_allowed_before = !matches!(pair.old.get("additionalProperties"), Some(Value::Bool(false)));

        for (name, old_property) in old_properties.into_iter().flatten() {
            if self.irrelevant(old_property, direction, true) {
                continue;
            }
            let old_pointer = join(&old_base, name);
            let Some(new_property) = new_properties.and_then(|properties| properties.get(name)) else {
                let severity = match direction {
                    // Clients may still send it; the server ignores it unless extra properties are refused.
                    Direction::Request if extra_allowed_now => Severity::Compatible,
                    Direction::Request => Severity::BreaksClients,
                    _ => Severity::BreaksClients,
                };
                let message = format!("property `{name}` removed");
                self.push_in_context(direction.unless_unused(severity), "schema.property-removed", Side::Old, old_pointer, message);
                continue;
            };
            let new_pointer = join(&new_base, name);
            let was_and_is = (old_required.contains(name.as_str()), new_required.contains(name.as_str()));
            self.report_property_requiredness(was_and_is, direction, &new_pointer, name);
            nested.push(Nested { old: old_property, old_pointer, new: new_property, new_pointer });
        }
        for (name, new_property) in new_properties.into_iter().flatten() {
            if has(old_properties, name) || self.irrelevant(new_property, direction, false) {
                continue;
            }
            let required = new_required.contains(name.as_str());
            let severity = match (direction, required) {
                // New clients must send it and old servers never read it.
                (Direction::Request, true) => Severity::BreaksBoth,
                (Direction::Request, false) => Severity::BreaksServers,
                // Old servers do not send it, yet new clients count on it.
                (_, true) => Severity::BreaksServers,
                (_, false) if extra_allowed_before => Severity::Compatible,
                (_, false) => Severity::BreaksClients,
            };
            let message = format!("{} property `{name}` added", if required { "required" } else { "optional" });
            self.push_in_context(direction.unless_unused(severity), "schema.property-added", Side::New, join(&new_base, name), message);
        }
        // `required` may name properties declared elsewhere (in an `allOf` member, say).
        let required_pointer = join(pair.new_pointer, "required");
        for name in new_required.symmetric_difference(&old_required) {
            if !has(old_properties, name) && !has(new_properties, name) {
                let was_and_is = (old_required.contains(name), new_required.contains(name));
                self.report_property_requiredness(was_and_is, direction, &required_pointer, name);
            }
        }
    }

    fn report_property_requiredness(&mut self, was_and_is: (bool, bool), direction: Direction, pointer: &str, name: &str) {
        let rules = ["schema.property-required", "schema.property-optional"];
        let subject = format!("property `{name}`");
        match direction {
            Direction::Unused if was_and_is.0 != was_and_is.1 => {
                let (rule, now) = if was_and_is.1 { (rules[0], "required") } else { (rules[1], "optional") };
                self.push_in_context(Severity::Info, rule, Side::New, pointer.to_string(), format!("{subject} became {now}"));
            }
            Direction::Unused => {}
            _ => self.report_requiredness(was_and_is, rules, direction.classify(Effect::Narrows), pointer, &subject),
        }
    }

    /// `readOnly` properties are never sent in requests and `writeOnly` ones never in responses.
    fn irrelevant(&self, property: &'a Value, direction: Direction, old: bool) -> bool {
        let (property, _) = if old { self.resolve_old(property, "") } else { self.resolve_new(property, "") };
        let flag = |name: &str| property.get(name) == Some(&Value::Bool(true));
        match direction {
            Direction::Request => flag("readOnly"),
            Direction::Response => flag("writeOnly"),
            Direction::Unused => false,
        }
    }

    fn compare_additional_properties(&mut self, pair: &Pair<'_, 'a>, nested: &mut Vec<Nested<'a>>) {
        let (old, new) = (Extra::of(pair.old), Extra::of(pair.new));
        let effect = match (old, new) {
            (Extra::Any, Extra::Any) | (Extra::Refused, Extra::Refused) => return,
            (Extra::Schema(old_schema), Extra::Schema(new_schema)) => {
                let old_pointer = join(pair.old_pointer, "additionalProperties");
                let new_pointer = join(pair.new_pointer, "additionalProperties");
                return nested.push(Nested { old: old_schema, old_pointer, new: new_schema, new_pointer });
            }
            (Extra::Any, _) | (Extra::Schema(_), Extra::Refused) => Effect::Narrows,
            (Extra::Refused, _) | (Extra::Schema(_), Extra::Any) => Effect::Widens,
        };
        let message = format!("additional properties: {} before, {} now", old.describe(), new.describe());
        let rule = if effect == Effect::Narrows { "schema.additional-properties-narrowed" } else { "schema.additional-properties-widened" };
        self.schema_change(pair, effect, rule, Side::New, message);
    }

    /// `oneOf`/`anyOf` options and `allOf` members, paired by `$ref` where they have one and by
    /// position otherwise.
    fn compare_composition(&mut self, pair: &Pair<'_, 'a>, keyword: &str, nested: &mut Vec<Nested<'a>>) {
        let all = keyword == "allOf";
        let (old_list, new_list) = match (list_of(pair.old, keyword), list_of(pair.new, keyword)) {
            (None, None) => return,
            (None, Some(list)) => {
                let message = format!("now has `{keyword}` with {} member(s)", list.len());
                // One more constraint; a `type` or `properties` it replaces are reported on their own.
                return self.schema_change(pair, Effect::Narrows, "schema.composition-added", Side::New, message);
            }
            (Some(list), None) => {
                let message = format!("no longer has `{keyword}` (had {} member(s))", list.len());
                return self.schema_change(pair, Effect::Widens, "schema.composition-removed", Side::New, message);
            }
            (Some(old_list), Some(new_list)) => (old_list, new_list),
        };
        let reference = |schema: &Value| schema.get("$ref").and_then(Value::as_str).map(str::to_string);
        let mut new_taken = vec![false; new_list.len()];
        let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
        for (old_index, old_member) in old_list.iter().enumerate() {
            let found = reference(old_member).and_then(|target| {
                (0..new_list.len()).find(|&index| !new_taken[index] && reference(&new_list[index]).as_deref() == Some(target.as_str()))
            });
            if let Some(index) = found {
                new_taken[index] = true;
            }
            pairs.push((old_index, found));
        }
        for entry in pairs.iter_mut().filter(|(_, found)| found.is_none()) {
            let old_is_ref = reference(&old_list[entry.0]).is_some();
            let candidate = (0..new_list.len()).find(|&index| !new_taken[index] && (reference(&new_list[index]).is_some() == old_is_ref));
            if let Some(index) = candidate {
                new_taken[index] = true;
                entry.1 = Some(index);
            }
        }
        let (narrowing, widening) = if all { (Effect::Narrows, Effect::Widens) } else { (Effect::Widens, Effect::Narrows) };
        let member = if all { "member" } else { "option" };
        for (old_index, found) in pairs {
            let old_pointer = join(&join(pair.old_pointer, keyword), &old_index.to_string());
            match found {
                Some(new_index) => {
                    let new_pointer = join(&join(pair.new_pointer, keyword), &new_index.to_string());
                    nested.push(Nested { old: &old_list[old_index], old_pointer, new: &new_list[new_index], new_pointer });
                }
                None => {
                    let severity = pair.direction.classify(widening);
                    let message = format!("`{keyword}` {member} {} removed", describe_member(&old_list[old_index]));
                    self.push_in_context(severity, "schema.composition-member-removed", Side::Old, old_pointer, message);
                }
            }
        }
        for (new_index, taken) in new_taken.into_iter().enumerate() {
            if !taken {
                let new_pointer = join(&join(pair.new_pointer, keyword), &new_index.to_string());
                let severity = pair.direction.classify(narrowing);
                let message = format!("`{keyword}` {member} {} added", describe_member(&new_list[new_index]));
                self.push_in_context(severity, "schema.composition-member-added", Side::New, new_pointer, message);
            }
        }
    }
}

/// A pair of schemas still to compare, as written (possibly references).
struct Nested<'a> {
    old: &'a Value,
    old_pointer: String,
    new: &'a Value,
    new_pointer: String,
}

/// Both sides of one comparison, resolved.
struct Pair<'p, 'a> {
    old: &'a Value,
    old_pointer: &'p str,
    new: &'a Value,
    new_pointer: &'p str,
    direction: Direction,
}

/// The JSON types a schema admits, `null` apart; `None` when it does not restrict the type.
struct TypeSet<'a> {
    types: Option<BTreeSet<&'a str>>,
    nullable: bool,
}

impl<'a> TypeSet<'a> {
    fn of(schema: &'a Value) -> TypeSet<'a> {
        let mut nullable = schema.get("nullable") == Some(&Value::Bool(true));
        let types = match schema.get("type") {
            Some(Value::String(name)) => Some(BTreeSet::from([name.as_str()])),
            Some(Value::Array(names)) => Some(names.iter().filter_map(Value::as_str).collect::<BTreeSet<_>>()),
            _ => None,
        };
        let types = types.map(|mut types| {
            nullable |= types.remove("null");
            types
        });
        TypeSet { types, nullable }
    }
}

/// Whether a set of types admits every value of `name` (every integer is a number).
fn covers(types: &BTreeSet<&str>, name: &str) -> bool {
    types.contains(name) || (name == "integer" && types.contains("number"))
}

fn show_types(types: &BTreeSet<&str>) -> String {
    match types.len() {
        0 => "null".to_string(),
        1 => types.iter().next().map(|name| name.to_string()).unwrap_or_default(),
        _ => format!("[{}]", types.iter().copied().collect::<Vec<_>>().join(", ")),
    }
}

/// `enum`, or `const` as an enum of one value.
fn allowed_values(schema: &Value) -> Option<Vec<&Value>> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Some(values.iter().collect());
    }
    schema.get("const").map(|value| vec![value])
}

/// Where the `index`th allowed value of a schema is written.
fn value_pointer(schema: &Value, pointer: &str, index: usize) -> String {
    if schema.get("enum").is_some_and(Value::is_array) {
        join(&join(pointer, "enum"), &index.to_string())
    } else {
        join(pointer, "const")
    }
}

fn show_values(values: &[&Value]) -> String {
    let shown: Vec<String> = values.iter().take(8).map(|value| compact(value)).collect();
    let more = if values.len() > 8 { format!(", … ({} in all)", values.len()) } else { String::new() };
    format!("[{}{more}]", shown.join(", "))
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn show_optional(value: Option<&Value>) -> String {
    value.map(compact).unwrap_or_else(|| "none".to_string())
}

fn keyword_of<'a>(schema: &'a Value, keyword: &str) -> Option<&'a Value> {
    schema.get(keyword).filter(|value| value.is_object() || value.is_boolean())
}

fn list_of<'a>(schema: &'a Value, keyword: &str) -> Option<&'a Vec<Value>> {
    schema.get(keyword).and_then(Value::as_array)
}

fn required_names(schema: &Value) -> BTreeSet<&str> {
    schema.get("required").and_then(Value::as_array).map(|names| names.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn describe_member(member: &Value) -> String {
    match member.get("$ref").and_then(Value::as_str) {
        Some(target) => format!("`{target}`"),
        None => match TypeSet::of(member).types {
            Some(types) => format!("of type {}", show_types(&types)),
            None => "(inline schema)".to_string(),
        },
    }
}

/// What `additionalProperties` allows.
#[derive(Clone, Copy)]
enum Extra<'a> {
    Any,
    Refused,
    Schema(&'a Value),
}

impl<'a> Extra<'a> {
    fn of(schema: &'a Value) -> Extra<'a> {
        match schema.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Extra::Any,
            Some(Value::Bool(false)) => Extra::Refused,
            Some(Value::Object(object)) if object.is_empty() => Extra::Any,
            Some(value) => Extra::Schema(value),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Extra::Any => "any",
            Extra::Refused => "none",
            Extra::Schema(_) => "those matching a schema",
        }
    }
}
