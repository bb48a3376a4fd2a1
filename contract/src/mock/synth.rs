//! Building a value that a schema accepts, or proving that none exists.
//!
//! A schema is read as the list of its parts (itself, the members of its `allOf`s, the targets of
//! its `$ref`s), whose constraints all hold at once. `oneOf` and `anyOf` are tried branch by branch
//! in document order. Only what is required is built: required properties, `minItems` items, so
//! recursive schemas end wherever the document lets them end.
//!
//! Two kinds of failure are kept apart, because lint reports the first and not the second:
//! [`Failure::Impossible`] when the constraints contradict each other (`type: string` with
//! `enum: [1]`, `minimum` above `maximum`, a required property that `additionalProperties: false`
//! forbids, an `allOf` of two types), and [`Failure::Unsupported`] when a value may well exist but
//! this builder cannot find one (a pattern too complex to read, say). Every value built is checked
//! with the same validator the server uses before it is handed out.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use oas_codegen::diagnostics::join;
use serde_json::{Map, Number, Value};

use super::pattern;
use crate::checker::{describe, Checker};

/// How often one `$ref` target may be open at once while building; deeper means every value
/// would be infinite along this path.
const RECURSION_LIMIT: usize = 2;

/// The most nested values built for one instance.
const DEPTH_LIMIT: usize = 64;

/// The most schema evaluations spent on one instance, so that a document with many nested
/// `oneOf`s cannot make building exponential.
const STEP_LIMIT: usize = 20_000;

/// Why no value was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No value can satisfy the schema at `pointer`.
    Impossible { pointer: String, reason: String },
    /// A value may exist, but none was found.
    Unsupported { pointer: String, reason: String },
}

impl Failure {
    pub fn pointer(&self) -> &str {
        match self {
            Failure::Impossible { pointer, .. } | Failure::Unsupported { pointer, .. } => pointer,
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Failure::Impossible { reason, .. } | Failure::Unsupported { reason, .. } => reason,
        }
    }

    fn impossible(pointer: &str, reason: impl Into<String>) -> Failure {
        Failure::Impossible { pointer: pointer.to_string(), reason: reason.into() }
    }

    fn unsupported(pointer: &str, reason: impl Into<String>) -> Failure {
        Failure::Unsupported { pointer: pointer.to_string(), reason: reason.into() }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Impossible { pointer, reason } => write!(f, "no value can match the schema at {pointer}: {reason}"),
            Failure::Unsupported { pointer, reason } => write!(f, "no value could be built for the schema at {pointer}: {reason}"),
        }
    }
}

/// One schema whose constraints hold together with the others of its list.
#[derive(Clone)]
struct Part<'a> {
    schema: &'a Value,
    pointer: String,
    /// Whether this part's `oneOf` / `anyOf` has already been decided.
    chose_one_of: bool,
    chose_any_of: bool,
}

impl<'a> Part<'a> {
    fn get(&self, keyword: &str) -> Option<&'a Value> {
        self.schema.as_object().and_then(|object| object.get(keyword))
    }

    fn number(&self, keyword: &str) -> Option<f64> {
        self.get(keyword).and_then(Value::as_f64)
    }

    fn count(&self, keyword: &str) -> Option<usize> {
        self.get(keyword).and_then(Value::as_u64).map(|n| n.min(usize::MAX as u64) as usize)
    }
}

/// Builds values for the schemas of one document.
pub struct Synthesizer<'a> {
    root: &'a Value,
    openapi_3_0: bool,
    /// With a checker: prefer the document's examples where they fit, settle `oneOf`s so that
    /// exactly one alternative matches, and validate what is built (the mock). Without one: only
    /// ask whether a value exists (lint, over every schema of a document).
    checker: Option<&'a Checker<'a>>,
    use_examples: Cell<bool>,
    /// The `$ref` targets open on the way to the value being built.
    open: RefCell<Vec<String>>,
    steps: Cell<usize>,
    /// Build more than required (an item in every array, every optional property), to tell
    /// apart `oneOf` alternatives that the smallest values all match (`[]`, `{}`).
    rich: Cell<bool>,
    /// Compiled patterns (`None` for those the engine refuses); a pattern in a shared component
    /// is met again from every schema that uses it.
    regexes: RefCell<HashMap<String, Option<Rc<fancy_regex::Regex>>>>,
}

impl<'a> Synthesizer<'a> {
    pub fn new(root: &'a Value, openapi_3_0: bool, checker: Option<&'a Checker<'a>>) -> Synthesizer<'a> {
        Synthesizer {
            root,
            openapi_3_0,
            checker,
            use_examples: Cell::new(checker.is_some()),
            open: RefCell::new(Vec::new()),
            steps: Cell::new(0),
            rich: Cell::new(false),
            regexes: RefCell::default(),
        }
    }

    /// A value valid against the schema at `pointer`.
    pub fn instance(&self, pointer: &str) -> Result<Value, Failure> {
        let schema = self.root.pointer(pointer).ok_or_else(|| Failure::unsupported(pointer, "there is no schema here"))?;
        let wanted_examples = self.use_examples.get();
        let attempt = |examples: bool| -> Result<Value, Failure> {
            self.use_examples.set(examples);
            self.steps.set(0);
            self.open.borrow_mut().clear();
            let value = self.value_of(schema, pointer, 0)?;
            let Some(checker) = self.checker else { return Ok(value) };
            match checker.violations(pointer, &value) {
                Some(violations) if !violations.is_empty() => {
                    Err(Failure::unsupported(pointer, format!("the value built, {value}, does not validate: {}", describe(&violations))))
                }
                _ => Ok(value),
            }
        };
        let result = match attempt(wanted_examples) {
            Err(Failure::Unsupported { .. }) if wanted_examples => attempt(false),
            other => other,
        };
        self.use_examples.set(wanted_examples);
        result
    }

    fn value_of(&self, schema: &'a Value, pointer: &str, depth: usize) -> Result<Value, Failure> {
        let mut parts = Vec::new();
        let opened = self.gather(schema, pointer, &mut parts)?;
        let result = self.build(parts, pointer, depth);
        self.close(opened);
        result
    }

    /// Adds `schema` and what it brings in through `allOf` and `$ref` to `parts`; returns how
    /// many `$ref` targets it opened (closed again by the caller once the value is built).
    fn gather(&self, schema: &'a Value, pointer: &str, parts: &mut Vec<Part<'a>>) -> Result<usize, Failure> {
        let mut opened = 0;
        let Some(object) = schema.as_object() else {
            parts.push(Part { schema, pointer: pointer.to_string(), chose_one_of: false, chose_any_of: false });
            return Ok(0);
        };
        let mut siblings_apply = true;
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            // OpenAPI 3.0 ignores everything beside a `$ref`; 3.1 applies both.
            siblings_apply = !self.openapi_3_0;
            // An unresolvable or external reference accepts anything, as in the validators.
            if let Some((target, target_pointer)) = self.resolve(reference) {
                let already = self.open.borrow().iter().filter(|open| **open == target_pointer).count();
                if already >= RECURSION_LIMIT {
                    return Err(Failure::impossible(
                        &target_pointer,
                        "every value would be infinite: the schema requires a value of itself, through required properties or items, on every path",
                    ));
                }
                self.open.borrow_mut().push(target_pointer.clone());
                opened += 1;
                match self.gather(target, &target_pointer, parts) {
                    Ok(more) => opened += more,
                    Err(failure) => {
                        self.close(opened);
                        return Err(failure);
                    }
                }
            }
        }
        if siblings_apply {
            parts.push(Part { schema, pointer: pointer.to_string(), chose_one_of: false, chose_any_of: false });
            if let Some(Value::Array(members)) = object.get("allOf") {
                for (index, member) in members.iter().enumerate() {
                    match self.gather(member, &join(&join(pointer, "allOf"), &index.to_string()), parts) {
                        Ok(more) => opened += more,
                        Err(failure) => {
                            self.close(opened);
                            return Err(failure);
                        }
                    }
                }
            }
        }
        Ok(opened)
    }

    fn resolve(&self, reference: &str) -> Option<(&'a Value, String)> {
        let target = oas_codegen::refs::local_pointer(reference).ok()?;
        self.root.pointer(&target).map(|value| (value, target))
    }

    fn regex(&self, pattern: &str) -> Option<Rc<fancy_regex::Regex>> {
        self.regexes.borrow_mut().entry(pattern.to_string()).or_insert_with(|| fancy_regex::Regex::new(pattern).ok().map(Rc::new)).clone()
    }

    /// Whether `text` matches `pattern`; patterns no engine compiles are dropped by the
    /// validators too, so they match everything.
    fn matches(&self, pattern: &str, text: &str) -> bool {
        self.regex(pattern).is_none_or(|regex| regex.is_match(text).unwrap_or(true))
    }

    fn step(&self, pointer: &str, depth: usize) -> Result<(), Failure> {
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > STEP_LIMIT || depth > DEPTH_LIMIT {
            return Err(Failure::unsupported(pointer, "the schema is too deeply nested or has too many alternatives to build a value for"));
        }
        Ok(())
    }

    fn build(&self, parts: Vec<Part<'a>>, pointer: &str, depth: usize) -> Result<Value, Failure> {
        self.step(pointer, depth)?;
        if let Some(part) = parts.iter().find(|part| part.schema == &Value::Bool(false)) {
            return Err(Failure::impossible(&part.pointer, "the schema is `false`, which no value satisfies"));
        }
        if let Some(index) = parts.iter().position(|part| !part.chose_one_of && part.get("oneOf").is_some_and(Value::is_array)) {
            return self.choose(parts, index, "oneOf", depth);
        }
        if let Some(index) = parts.iter().position(|part| !part.chose_any_of && part.get("anyOf").is_some_and(Value::is_array)) {
            return self.choose(parts, index, "anyOf", depth);
        }
        if self.use_examples.get() {
            if let Some(example) = self.fitting_example(&parts) {
                return Ok(example);
            }
        }
        let types = self.types(&parts, pointer)?;
        if let Some(candidates) = self.enumerated(&parts)? {
            let mut first_reason = None;
            for candidate in &candidates {
                match self.fits(candidate, &parts, types.as_deref()) {
                    Ok(()) => return Ok(candidate.clone()),
                    Err(reason) => {
                        first_reason.get_or_insert(reason);
                    }
                }
            }
            let owner = parts.iter().find(|part| part.get("enum").is_some() || part.get("const").is_some()).map(|part| part.pointer.clone());
            let listed = candidates.iter().map(Value::to_string).collect::<Vec<_>>().join(", ");
            return Err(Failure::impossible(
                owner.as_deref().unwrap_or(pointer),
                format!("none of the allowed values ({listed}) meets the other constraints: {}", first_reason.unwrap_or_default()),
            ));
        }
        let candidates = match &types {
            Some(types) => types.clone(),
            None => inferred_types(&parts),
        };
        let mut first_failure = None;
        for kind in &candidates {
            match self.build_type(kind, &parts, pointer, depth) {
                Ok(value) => return Ok(value),
                Err(failure) => {
                    first_failure.get_or_insert(failure);
                }
            }
        }
        match first_failure {
            Some(failure) => Err(failure),
            // No type was declared or suggested: anything goes.
            None => Ok(Value::Object(Map::new())),
        }
    }

    /// Decides the `oneOf`/`anyOf` of `parts[index]`: the first branch that can be built (and,
    /// for `oneOf`, that no other branch also accepts).
    fn choose(&self, parts: Vec<Part<'a>>, index: usize, keyword: &str, depth: usize) -> Result<Value, Failure> {
        let owner = parts[index].clone();
        let Some(Value::Array(branches)) = owner.get(keyword) else { unreachable!("checked by the caller") };
        let list_pointer = join(&owner.pointer, keyword);
        let mut failures: Vec<Failure> = Vec::new();
        let mut ambiguous = None;
        for (branch_index, branch) in branches.iter().enumerate() {
            let branch_pointer = join(&list_pointer, &branch_index.to_string());
            let mut next = parts.clone();
            if keyword == "oneOf" {
                next[index].chose_one_of = true;
            } else {
                next[index].chose_any_of = true;
            }
            let opened = match self.gather(branch, &branch_pointer, &mut next) {
                Ok(opened) => opened,
                Err(failure) => {
                    failures.push(failure);
                    continue;
                }
            };
            let built = self.build(next, &owner.pointer, depth + 1);
            self.close(opened);
            match built {
                Ok(mut value) => {
                    self.tag(&owner, branch, &mut value);
                    if keyword == "anyOf" {
                        return Ok(value);
                    }
                    let others_accept = |value: &Value| {
                        self.checker.is_some_and(|checker| {
                            (0..branches.len())
                                .filter(|other| *other != branch_index)
                                .any(|other| checker.accepts(&join(&list_pointer, &other.to_string()), value))
                        })
                    };
                    if !others_accept(&value) {
                        return Ok(value);
                    }
                    if !self.rich.get() {
                        self.rich.set(true);
                        let mut next = parts.clone();
                        next[index].chose_one_of = true;
                        let richer = self.gather(branch, &branch_pointer, &mut next).and_then(|opened| {
                            let built = self.build(next, &owner.pointer, depth + 1);
                            self.close(opened);
                            built
                        });
                        self.rich.set(false);
                        if let Ok(mut richer) = richer {
                            self.tag(&owner, branch, &mut richer);
                            if !others_accept(&richer) {
                                return Ok(richer);
                            }
                        }
                    }
                    if let Some(distinct) = self.distinguish(&value, branch_index, branches, &list_pointer) {
                        return Ok(distinct);
                    }
                    ambiguous.get_or_insert(value);
                }
                Err(failure) => failures.push(failure),
            }
        }
        if let Some(value) = ambiguous {
            return Ok(value);
        }
        if failures.is_empty() {
            return Err(Failure::impossible(&list_pointer, format!("`{keyword}` lists no schemas")));
        }
        if failures.iter().all(|failure| matches!(failure, Failure::Impossible { .. })) {
            let reasons: Vec<String> = failures.iter().map(|failure| format!("{} ({})", failure.reason(), failure.pointer())).collect();
            return Err(Failure::impossible(&list_pointer, format!("no alternative of `{keyword}` can be satisfied: {}", reasons.join("; "))));
        }
        Err(failures.into_iter().find(|failure| matches!(failure, Failure::Unsupported { .. })).expect("one failure is not Impossible"))
    }

    /// An object like `value` that only alternative `chosen` accepts: alternatives that differ
    /// only in optional properties all accept the smallest objects, but an alternative rejects a
    /// property it declares with a value of another type, which the chosen one lets through.
    fn distinguish(&self, value: &Value, chosen: usize, branches: &'a [Value], list_pointer: &str) -> Option<Value> {
        let checker = self.checker?;
        let object = value.as_object()?;
        let pointer_of = |index: usize| join(list_pointer, &index.to_string());
        let only_chosen = |candidate: &Value| {
            checker.accepts(&pointer_of(chosen), candidate)
                && (0..branches.len()).filter(|other| *other != chosen).all(|other| !checker.accepts(&pointer_of(other), candidate))
        };
        let mut declared = Vec::new();
        for (_, branch) in branches.iter().enumerate().filter(|(index, _)| *index != chosen) {
            self.declared_properties(branch, 0, &mut declared);
        }
        {
            for name in declared.into_iter().filter(|name| !object.contains_key(name.as_str())) {
                for odd in [Value::Null, Value::from(0), Value::from("x"), Value::Bool(true), Value::Array(Vec::new()), Value::Object(Map::new())] {
                    let mut candidate = object.clone();
                    candidate.insert(name.clone(), odd);
                    let candidate = Value::Object(candidate);
                    if only_chosen(&candidate) {
                        return Some(candidate);
                    }
                }
            }
        }
        None
    }

    /// The property names a schema declares, its `allOf` members' included.
    fn declared_properties(&self, schema: &'a Value, depth: usize, names: &mut Vec<String>) {
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => match self.resolve(reference) {
                Some((target, _)) => target,
                None => return,
            },
            None => schema,
        };
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            names.extend(properties.keys().filter(|name| !names.contains(name)).cloned().collect::<Vec<_>>());
        }
        if depth < 4 {
            for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
                self.declared_properties(member, depth + 1, names);
            }
        }
    }

    /// Sets the discriminator property of a value built from a `oneOf`/`anyOf` branch to the
    /// branch's tag: the mapping key that names it, or the schema's name.
    fn tag(&self, owner: &Part<'a>, branch: &Value, value: &mut Value) {
        let Some(property) = owner.get("discriminator").and_then(|discriminator| discriminator.get("propertyName")).and_then(Value::as_str) else {
            return;
        };
        let Some(reference) = branch.get("$ref").and_then(Value::as_str) else { return };
        let mapped = owner
            .get("discriminator")
            .and_then(|discriminator| discriminator.get("mapping"))
            .and_then(Value::as_object)
            .and_then(|mapping| mapping.iter().find(|(_, target)| target.as_str() == Some(reference)).map(|(key, _)| key.clone()));
        let tag = mapped.unwrap_or_else(|| reference.rsplit('/').next().unwrap_or(reference).to_string());
        if let Value::Object(object) = value {
            object.insert(property.to_string(), Value::String(tag));
        }
    }

    /// The first `example`, `examples` item or `default` of the parts that every part accepts.
    fn fitting_example(&self, parts: &[Part<'a>]) -> Option<Value> {
        let checker = self.checker?;
        let mut candidates: Vec<&Value> = Vec::new();
        for part in parts {
            candidates.extend(part.get("example"));
            if let Some(Value::Array(examples)) = part.get("examples") {
                candidates.extend(examples);
            }
            candidates.extend(part.get("default"));
        }
        candidates.into_iter().find(|candidate| parts.iter().all(|part| checker.accepts(&part.pointer, candidate))).cloned()
    }

    /// The types every part allows, in the order the first typed part lists them; `None` when no
    /// part says.
    fn types(&self, parts: &[Part<'a>], pointer: &str) -> Result<Option<Vec<String>>, Failure> {
        let mut allowed: Option<Vec<String>> = None;
        let mut declared: Vec<String> = Vec::new();
        for part in parts {
            let mut kinds: Vec<String> = match part.get("type") {
                Some(Value::String(kind)) => vec![kind.clone()],
                Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                _ => continue,
            };
            if self.openapi_3_0 && part.get("nullable") == Some(&Value::Bool(true)) && !kinds.iter().any(|kind| kind == "null") {
                kinds.push("null".into());
            }
            declared.push(format!("{} at {}", kinds.join(" or "), part.pointer));
            allowed = Some(match allowed {
                None => kinds,
                Some(previous) => previous.into_iter().filter_map(|kind| intersect(&kind, &kinds)).collect(),
            });
        }
        match allowed {
            Some(kinds) if kinds.is_empty() => {
                Err(Failure::impossible(pointer, format!("no value has all the types required here: {}", declared.join(", "))))
            }
            other => Ok(other),
        }
    }

    /// The values `enum` and `const` allow, common to every part that lists some.
    fn enumerated(&self, parts: &[Part<'a>]) -> Result<Option<Vec<Value>>, Failure> {
        let mut allowed: Option<Vec<Value>> = None;
        let mut owners = Vec::new();
        for part in parts {
            let mut values = match (part.get("const"), part.get("enum")) {
                (Some(constant), _) if !self.openapi_3_0 => vec![constant.clone()],
                (_, Some(Value::Array(values))) => values.clone(),
                _ => continue,
            };
            if self.openapi_3_0 && part.get("nullable") == Some(&Value::Bool(true)) && !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
            owners.push(part.pointer.clone());
            allowed = Some(match allowed {
                None => values,
                Some(previous) => previous.into_iter().filter(|value| values.contains(value)).collect(),
            });
        }
        match allowed {
            Some(values) if values.is_empty() => {
                let reason = if owners.len() == 1 {
                    "the `enum` is empty".to_string()
                } else {
                    format!("the `enum`s and `const`s at {} have no value in common", owners.join(", "))
                };
                Err(Failure::impossible(&owners[0], reason))
            }
            other => Ok(other),
        }
    }

    /// Whether an enumerated value meets the parts' type and scalar constraints; the reason when
    /// not. Deeper constraints of objects and arrays are left to the final validation.
    fn fits(&self, value: &Value, parts: &[Part<'a>], types: Option<&[String]>) -> Result<(), String> {
        if let Some(types) = types {
            if !types.iter().any(|kind| is_of_type(value, kind)) {
                return Err(format!("{value} is not {}", types.iter().map(|kind| article(kind)).collect::<Vec<_>>().join(" or ")));
            }
        }
        match value {
            Value::Number(number) => {
                let number = number.as_f64().unwrap_or(0.0);
                let bounds = self.bounds(parts);
                if let Some((low, exclusive)) = bounds.low {
                    if number < low || (exclusive && number == low) {
                        return Err(format!("{value} is below the minimum {low}"));
                    }
                }
                if let Some((high, exclusive)) = bounds.high {
                    if number > high || (exclusive && number == high) {
                        return Err(format!("{value} is above the maximum {high}"));
                    }
                }
                if let Some(step) = bounds.multiples.iter().find(|step| !is_multiple(number, **step)) {
                    return Err(format!("{value} is not a multiple of {step}"));
                }
            }
            Value::String(text) => {
                let length = text.chars().count();
                let (min, max) = self.lengths(parts, "minLength", "maxLength");
                if length < min || max.is_some_and(|max| length > max) {
                    return Err(format!("{value} has {length} characters, outside the allowed lengths"));
                }
                for part in parts {
                    if let Some(pattern) = part.get("pattern").and_then(Value::as_str) {
                        if !self.matches(pattern, text) {
                            return Err(format!("{value} does not match the pattern `{pattern}`"));
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn bounds(&self, parts: &[Part<'a>]) -> Bounds {
        let mut bounds = Bounds::default();
        for part in parts {
            let (minimum, maximum) = (part.number("minimum"), part.number("maximum"));
            if self.openapi_3_0 {
                let exclusive_low = part.get("exclusiveMinimum") == Some(&Value::Bool(true));
                let exclusive_high = part.get("exclusiveMaximum") == Some(&Value::Bool(true));
                bounds.raise(minimum.map(|low| (low, exclusive_low)), &part.pointer);
                bounds.lower(maximum.map(|high| (high, exclusive_high)), &part.pointer);
            } else {
                bounds.raise(minimum.map(|low| (low, false)), &part.pointer);
                bounds.lower(maximum.map(|high| (high, false)), &part.pointer);
                bounds.raise(part.number("exclusiveMinimum").map(|low| (low, true)), &part.pointer);
                bounds.lower(part.number("exclusiveMaximum").map(|high| (high, true)), &part.pointer);
            }
            if let Some(step) = part.number("multipleOf").filter(|step| *step > 0.0) {
                bounds.multiples.push(step);
            }
        }
        bounds
    }

    /// The largest lower and smallest upper bound of a pair of count keywords.
    fn lengths(&self, parts: &[Part<'a>], min: &str, max: &str) -> (usize, Option<usize>) {
        let low = parts.iter().filter_map(|part| part.count(min)).max().unwrap_or(0);
        let high = parts.iter().filter_map(|part| part.count(max)).min();
        (low, high)
    }

    fn build_type(&self, kind: &str, parts: &[Part<'a>], pointer: &str, depth: usize) -> Result<Value, Failure> {
        match kind {
            "null" => Ok(Value::Null),
            "boolean" => Ok(Value::Bool(true)),
            "integer" | "number" => self.number(kind == "integer", parts, pointer),
            "string" => self.string(parts, pointer),
            "array" => self.array(parts, pointer, depth),
            "object" => self.object(parts, pointer, depth),
            // Structural validation reports the unknown type; here it is only not built.
            other => Err(Failure::unsupported(pointer, format!("`{other}` is not a JSON Schema type"))),
        }
    }

    fn number(&self, integer: bool, parts: &[Part<'a>], pointer: &str) -> Result<Value, Failure> {
        let bounds = self.bounds(parts);
        let at = bounds.pointer.as_deref().unwrap_or(pointer);
        if let (Some((low, low_exclusive)), Some((high, high_exclusive))) = (bounds.low, bounds.high) {
            if low > high || (low == high && (low_exclusive || high_exclusive)) {
                let (low_word, high_word) =
                    (if low_exclusive { "exclusive minimum" } else { "minimum" }, if high_exclusive { "exclusive maximum" } else { "maximum" });
                return Err(Failure::impossible(at, format!("the {low_word} {low} is not below the {high_word} {high}")));
            }
        }
        let kind = if integer { "integer" } else { "number" };
        let step = bounds
            .multiples
            .iter()
            .copied()
            .fold(if integer { 1.0 } else { 0.0 }, |step: f64, next| if step == 0.0 { next } else { lcm(step, next) });
        let candidate = if step > 0.0 {
            // The multiple of `step` nearest zero within the bounds.
            match bounds.low {
                Some((low, exclusive)) if low >= 0.0 || bounds.high.is_some_and(|(high, _)| high < 0.0) => {
                    let mut first = (low / step).ceil() * step;
                    if exclusive && first == low {
                        first += step;
                    }
                    first
                }
                _ => match bounds.high {
                    Some((high, exclusive)) if high < 0.0 => {
                        let mut last = (high / step).floor() * step;
                        if exclusive && last == high {
                            last -= step;
                        }
                        last
                    }
                    _ => 0.0,
                },
            }
        } else {
            match (bounds.low, bounds.high) {
                (Some((low, false)), _) => low,
                (Some((low, true)), Some((high, _))) => low + (high - low) / 2.0,
                (Some((low, true)), None) => low + 1.0,
                (None, Some((high, false))) if high < 0.0 => high,
                (None, Some((high, true))) if high <= 0.0 => high - 1.0,
                _ => 0.0,
            }
        };
        let within = |value: f64| {
            bounds.low.is_none_or(|(low, exclusive)| value > low || (!exclusive && value == low))
                && bounds.high.is_none_or(|(high, exclusive)| value < high || (!exclusive && value == high))
        };
        if !within(candidate) {
            let multiple = if step > 0.0 && !(integer && step == 1.0) { format!("multiple of {step}") } else { kind.to_string() };
            return Err(Failure::impossible(at, format!("no {multiple} lies within the bounds {}", bounds.describe())));
        }
        let number = if integer || candidate.fract() == 0.0 && candidate.abs() < 9e15 {
            Number::from(candidate as i64)
        } else {
            Number::from_f64(candidate).ok_or_else(|| Failure::unsupported(at, "the bounds are not finite numbers"))?
        };
        Ok(Value::Number(number))
    }

    fn string(&self, parts: &[Part<'a>], pointer: &str) -> Result<Value, Failure> {
        let (min, max) = self.lengths(parts, "minLength", "maxLength");
        if max.is_some_and(|max| min > max) {
            let owner = parts.iter().find(|part| part.get("maxLength").is_some()).map_or(pointer, |part| &part.pointer);
            return Err(Failure::impossible(owner, format!("minLength {min} is greater than maxLength {}", max.unwrap_or(0))));
        }
        let patterns: Vec<(&str, &str)> =
            parts.iter().filter_map(|part| part.get("pattern").and_then(Value::as_str).map(|pattern| (pattern, part.pointer.as_str()))).collect();
        if let Some((pattern, owner)) = patterns.first() {
            let text = self
                .regex(pattern)
                .and_then(|regex| pattern::sample(pattern, &regex, min, max))
                .ok_or_else(|| Failure::unsupported(owner, format!("no string matching the pattern `{pattern}` could be built")))?;
            let value = Value::String(text);
            return match self.fits(&value, parts, None) {
                Ok(()) => Ok(value),
                Err(reason) => Err(Failure::unsupported(owner, reason)),
            };
        }
        let format = parts.iter().find_map(|part| part.get("format").and_then(Value::as_str)).unwrap_or_default();
        let mut text = format_sample(format).unwrap_or("string").to_string();
        let length = text.chars().count();
        // Padding or cutting a plain string keeps it valid; a formatted one would break.
        let paddable = format_sample(format).is_none() || ["password", "byte", "binary"].contains(&format);
        if length < min {
            if !paddable {
                return Err(Failure::unsupported(pointer, format!("no `{format}` string of at least {min} characters could be built")));
            }
            text.push_str(&"x".repeat(min - length));
        } else if let Some(max) = max.filter(|max| length > *max) {
            if !paddable {
                return Err(Failure::unsupported(pointer, format!("no `{format}` string of at most {max} characters could be built")));
            }
            text = text.chars().take(max).collect();
        }
        Ok(Value::String(text))
    }

    fn array(&self, parts: &[Part<'a>], pointer: &str, depth: usize) -> Result<Value, Failure> {
        let (min, max) = self.lengths(parts, "minItems", "maxItems");
        if max.is_some_and(|max| min > max) {
            let owner = parts.iter().find(|part| part.get("maxItems").is_some()).map_or(pointer, |part| &part.pointer);
            return Err(Failure::impossible(owner, format!("minItems {min} is greater than maxItems {}", max.unwrap_or(0))));
        }
        let unique = parts.iter().any(|part| part.get("uniqueItems") == Some(&Value::Bool(true)));
        let count = if self.rich.get() && max.is_none_or(|max| max > 0) { min.max(1) } else { min };
        let mut items = Vec::with_capacity(count);
        for index in 0..count {
            let mut item_parts = Vec::new();
            let mut opened = 0;
            for part in parts {
                let prefix = part.get("prefixItems").or_else(|| part.get("items").filter(|items| items.is_array()));
                let prefix_keyword = if part.get("prefixItems").is_some() { "prefixItems" } else { "items" };
                let (schema, schema_pointer) = match prefix.and_then(Value::as_array).and_then(|list| list.get(index)) {
                    Some(schema) => (schema, join(&join(&part.pointer, prefix_keyword), &index.to_string())),
                    None => match part.get("items").filter(|items| !items.is_array()) {
                        Some(schema) => (schema, join(&part.pointer, "items")),
                        None => continue,
                    },
                };
                match self.gather(schema, &schema_pointer, &mut item_parts) {
                    Ok(more) => opened += more,
                    Err(failure) => {
                        self.close(opened);
                        return Err(failure);
                    }
                }
            }
            let built =
                if item_parts.is_empty() { Ok(Value::String(format!("item{}", index + 1))) } else { self.build(item_parts, pointer, depth + 1) };
            self.close(opened);
            let mut item = built?;
            if unique && items.contains(&item) {
                item = vary(&item, index).filter(|varied| !items.contains(varied)).ok_or_else(|| {
                    Failure::unsupported(pointer, format!("{min} different items are required and only one kind of item could be built"))
                })?;
            }
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    /// Closes the last `opened` `$ref` targets.
    fn close(&self, opened: usize) {
        let mut open = self.open.borrow_mut();
        let keep = open.len().saturating_sub(opened);
        open.truncate(keep);
    }

    fn object(&self, parts: &[Part<'a>], pointer: &str, depth: usize) -> Result<Value, Failure> {
        let mut required: Vec<&str> = Vec::new();
        for part in parts {
            if let Some(Value::Array(names)) = part.get("required") {
                for name in names.iter().filter_map(Value::as_str) {
                    if !required.contains(&name) {
                        required.push(name);
                    }
                }
            }
        }
        let (min, max) = self.lengths(parts, "minProperties", "maxProperties");
        if let Some(max) = max {
            if min > max || required.len() > max {
                let owner = parts.iter().find(|part| part.get("maxProperties").is_some()).map_or(pointer, |part| &part.pointer);
                return Err(Failure::impossible(
                    owner,
                    format!("at least {} properties are required, but maxProperties is {max}", min.max(required.len())),
                ));
            }
        }
        for name in &required {
            if let Some(part) = parts.iter().find(|part| !self.allows_property(part, name)) {
                return Err(Failure::impossible(
                    &part.pointer,
                    format!("the property `{name}` is required, but this schema's `additionalProperties: false` does not allow it"),
                ));
            }
        }
        let mut object = Map::new();
        for name in &required {
            let value = self.property(parts, name, pointer, depth)?;
            object.insert(name.to_string(), value);
        }
        if self.rich.get() {
            let optional: Vec<&String> =
                parts.iter().filter_map(|part| part.get("properties").and_then(Value::as_object)).flat_map(|properties| properties.keys()).collect();
            for name in optional {
                if object.contains_key(name.as_str())
                    || !parts.iter().all(|part| self.allows_property(part, name))
                    || max.is_some_and(|max| object.len() >= max)
                {
                    continue;
                }
                if let Ok(value) = self.property(parts, name, pointer, depth) {
                    object.insert(name.clone(), value);
                }
            }
        }
        // Declared optional properties first, then invented ones, until there are enough.
        if object.len() < min {
            let optional: Vec<&String> =
                parts.iter().filter_map(|part| part.get("properties").and_then(Value::as_object)).flat_map(|properties| properties.keys()).collect();
            for name in optional {
                if object.len() >= min {
                    break;
                }
                if object.contains_key(name.as_str()) || !parts.iter().all(|part| self.allows_property(part, name)) {
                    continue;
                }
                if let Ok(value) = self.property(parts, name, pointer, depth) {
                    object.insert(name.clone(), value);
                }
            }
            let mut counter = 1;
            while object.len() < min && counter <= min + 1 {
                let name = format!("property{counter}");
                counter += 1;
                if object.contains_key(&name) || !parts.iter().all(|part| self.allows_property(part, &name)) {
                    continue;
                }
                if let Ok(value) = self.property(parts, &name, pointer, depth) {
                    object.insert(name, value);
                }
            }
            if object.len() < min {
                return Err(Failure::unsupported(pointer, format!("no {min} properties this schema allows could be built")));
            }
        }
        Ok(Value::Object(object))
    }

    /// A value for property `name`: it meets the property's schema in every part that declares
    /// it, the matching `patternProperties`, and `additionalProperties` of the parts that do not.
    fn property(&self, parts: &[Part<'a>], name: &str, pointer: &str, depth: usize) -> Result<Value, Failure> {
        let mut property_parts = Vec::new();
        let mut opened = 0;
        for part in parts {
            let mut schemas: Vec<(&'a Value, String)> = Vec::new();
            let declared = part.get("properties").and_then(Value::as_object).and_then(|properties| properties.get(name));
            if let Some(schema) = declared {
                schemas.push((schema, join(&join(&part.pointer, "properties"), name)));
            }
            let mut matched_pattern = false;
            if let Some(patterns) = part.get("patternProperties").and_then(Value::as_object) {
                for (pattern, schema) in patterns {
                    if self.regex(pattern).is_some_and(|regex| regex.is_match(name).unwrap_or(false)) {
                        matched_pattern = true;
                        schemas.push((schema, join(&join(&part.pointer, "patternProperties"), pattern)));
                    }
                }
            }
            if declared.is_none() && !matched_pattern {
                if let Some(additional) = part.get("additionalProperties").filter(|additional| additional.is_object()) {
                    schemas.push((additional, join(&part.pointer, "additionalProperties")));
                }
            }
            for (schema, schema_pointer) in schemas {
                match self.gather(schema, &schema_pointer, &mut property_parts) {
                    Ok(more) => opened += more,
                    Err(failure) => {
                        self.close(opened);
                        return Err(failure);
                    }
                }
            }
        }
        let built = if property_parts.is_empty() { Ok(Value::String("string".into())) } else { self.build(property_parts, pointer, depth + 1) };
        self.close(opened);
        built
    }

    /// Whether `part` lets an object have property `name`: always, unless it says
    /// `additionalProperties: false` and neither declares the name nor has a pattern for it.
    fn allows_property(&self, part: &Part<'_>, name: &str) -> bool {
        if part.get("additionalProperties") != Some(&Value::Bool(false)) {
            return true;
        }
        if part.get("properties").and_then(Value::as_object).is_some_and(|properties| properties.contains_key(name)) {
            return true;
        }
        part.get("patternProperties")
            .and_then(Value::as_object)
            .is_some_and(|patterns| patterns.keys().any(|pattern| self.regex(pattern).is_some_and(|regex| regex.is_match(name).unwrap_or(false))))
    }
}

/// Numeric bounds gathered from several parts.
#[derive(Default)]
struct Bounds {
    low: Option<(f64, bool)>,
    high: Option<(f64, bool)>,
    multiples: Vec<f64>,
    /// Where the bounds come from when one part sets them all, to report a contradiction there.
    pointer: Option<String>,
    several: bool,
}

impl Bounds {
    fn note(&mut self, pointer: &str) {
        match &self.pointer {
            None if !self.several => self.pointer = Some(pointer.to_string()),
            Some(existing) if existing != pointer => {
                self.pointer = None;
                self.several = true;
            }
            _ => {}
        }
    }

    fn raise(&mut self, bound: Option<(f64, bool)>, pointer: &str) {
        let Some((value, exclusive)) = bound else { return };
        self.note(pointer);
        self.low = Some(match self.low {
            Some((low, low_exclusive)) if low > value || (low == value && low_exclusive) => (low, low_exclusive),
            _ => (value, exclusive),
        });
    }

    fn lower(&mut self, bound: Option<(f64, bool)>, pointer: &str) {
        let Some((value, exclusive)) = bound else { return };
        self.note(pointer);
        self.high = Some(match self.high {
            Some((high, high_exclusive)) if high < value || (high == value && high_exclusive) => (high, high_exclusive),
            _ => (value, exclusive),
        });
    }

    fn describe(&self) -> String {
        let low = match self.low {
            Some((low, true)) => format!("({low}"),
            Some((low, false)) => format!("[{low}"),
            None => "(-∞".into(),
        };
        let high = match self.high {
            Some((high, true)) => format!("{high})"),
            Some((high, false)) => format!("{high}]"),
            None => "∞)".into(),
        };
        format!("{low}, {high}")
    }
}

/// The types a schema without `type` suggests through its keywords, in a fixed order.
fn inferred_types(parts: &[Part<'_>]) -> Vec<String> {
    let has = |keywords: &[&str]| parts.iter().any(|part| keywords.iter().any(|keyword| part.get(keyword).is_some()));
    let mut kinds = Vec::new();
    if has(&["properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties"]) {
        kinds.push("object".to_string());
    }
    if has(&["items", "prefixItems", "minItems", "maxItems", "uniqueItems"]) {
        kinds.push("array".to_string());
    }
    if has(&["minLength", "maxLength", "pattern", "format"]) {
        kinds.push("string".to_string());
    }
    if has(&["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]) {
        kinds.push("number".to_string());
    }
    // Any other type is as valid; listing them lets a contradiction in one be routed around.
    if !kinds.is_empty() {
        for kind in ["object", "array", "string", "number", "boolean", "null"] {
            if !kinds.iter().any(|existing| existing == kind) {
                kinds.push(kind.to_string());
            }
        }
    }
    kinds
}

/// The part of `kind` that the list `others` also allows: `integer` is a `number`.
fn intersect(kind: &str, others: &[String]) -> Option<String> {
    if others.iter().any(|other| other == kind) {
        Some(kind.to_string())
    } else if kind == "number" && others.iter().any(|other| other == "integer") || kind == "integer" && others.iter().any(|other| other == "number") {
        Some("integer".to_string())
    } else {
        None
    }
}

fn is_of_type(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|number| number.fract() == 0.0),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn article(kind: &str) -> String {
    match kind {
        "integer" | "array" | "object" => format!("an {kind}"),
        "null" => "null".to_string(),
        _ => format!("a {kind}"),
    }
}

fn is_multiple(number: f64, step: f64) -> bool {
    let ratio = number / step;
    (ratio - ratio.round()).abs() < 1e-9
}

/// The least common multiple of two positive steps (exact for integers and simple decimals).
fn lcm(a: f64, b: f64) -> f64 {
    let scale = 1e6;
    let (x, y) = ((a * scale).round() as u128, (b * scale).round() as u128);
    if x == 0 || y == 0 {
        return a.max(b);
    }
    let gcd = |mut m: u128, mut n: u128| {
        while n != 0 {
            (m, n) = (n, m % n);
        }
        m
    };
    (x / gcd(x, y) * y) as f64 / scale
}

/// A typical value of a string format, valid under the validators' format checks.
fn format_sample(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "00:00:00Z",
        "duration" => "P1D",
        "uuid" => "00000000-0000-4000-8000-000000000000",
        "email" | "idn-email" => "user@example.com",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "uri" | "iri" | "url" => "https://example.com/",
        "uri-reference" | "iri-reference" => "/",
        "uri-template" => "https://example.com/{id}",
        "json-pointer" => "/a",
        "relative-json-pointer" => "0",
        "regex" => ".*",
        "byte" => "",
        "binary" => "",
        "password" => "secret",
        _ => return None,
    })
}

/// Another value like `item`, for the `index`-th place of a `uniqueItems` array.
fn vary(item: &Value, index: usize) -> Option<Value> {
    match item {
        Value::String(text) => Some(Value::String(format!("{text}{index}"))),
        Value::Number(number) => number.as_i64().map(|n| Value::from(n + index as i64)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn build(openapi_3_0: bool, schema: Value) -> Result<Value, Failure> {
        let root = json!({"components": {"schemas": {"S": schema}}});
        let checker = Checker::for_root(&root, openapi_3_0);
        Synthesizer::new(&root, openapi_3_0, Some(&checker)).instance("/components/schemas/S")
    }

    #[test]
    fn values_meet_bounds_formats_and_lengths() {
        for (openapi_3_0, schema, expected) in [
            (false, json!({"type": "integer", "minimum": 7, "multipleOf": 5}), json!(10)),
            (false, json!({"type": "number", "exclusiveMinimum": 1, "exclusiveMaximum": 2}), json!(1.5)),
            (true, json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}), json!(2)),
            (false, json!({"type": "integer", "maximum": -3}), json!(-3)),
            (false, json!({"type": "string", "format": "uuid"}), json!("00000000-0000-4000-8000-000000000000")),
            (false, json!({"type": "string", "minLength": 3, "maxLength": 3}), json!("str")),
            (false, json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string"}}), json!(["string", "string1"])),
            (false, json!({"type": ["null", "boolean"]}), json!(null)),
            (true, json!({"type": "string", "nullable": true, "enum": ["a"], "example": "a"}), json!("a")),
            (false, json!({"allOf": [{"required": ["a"]}, {"properties": {"a": {"const": 3}}}]}), json!({"a": 3})),
        ] {
            assert_eq!(build(openapi_3_0, schema.clone()), Ok(expected), "{schema}");
        }
    }

    #[test]
    fn recursion_ends_where_the_document_allows() {
        let node = json!({"type": "object", "required": ["next"], "properties": {"next": {"anyOf": [{"$ref": "#/components/schemas/S"}, {"type": "null"}]}}});
        let value = build(false, node).expect("null ends the chain");
        assert_eq!(value, json!({"next": {"next": {"next": null}}}));
        let endless = json!({"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/S"}}});
        assert!(matches!(build(false, endless), Err(Failure::Impossible { pointer, .. }) if pointer == "/components/schemas/S"));
    }

    #[test]
    fn one_of_alternatives_that_overlap_are_told_apart() {
        let schema = json!({"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"b": {"type": "string"}}}
        ]});
        let value = build(false, schema).expect("an object only the first alternative accepts");
        assert!(value.get("b").is_some_and(|b| !b.is_string()), "{value}");
    }

    #[test]
    fn contradictions_are_told_apart_from_limits() {
        assert!(matches!(build(false, json!({"type": "integer", "multipleOf": 10, "minimum": 1, "maximum": 9})), Err(Failure::Impossible { .. })));
        assert!(matches!(build(false, json!({"type": "string", "pattern": "^(?=a)a$"})), Err(Failure::Unsupported { .. })));
    }
}
