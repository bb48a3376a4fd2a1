//! `oneOf` and `anyOf`: which alternative a value is built from. For `oneOf` the value must be
//! one that no other alternative accepts as well, which takes a richer value or a deliberately odd
//! property when the alternatives differ only in what they leave optional; a value built from a
//! branch of a discriminated union carries the branch's tag.

use oas_codegen::diagnostics::join;
use serde_json::{Map, Value};

use super::{Failure, Part, Synthesizer};

impl<'a> Synthesizer<'a> {
    /// Decides the `oneOf`/`anyOf` of `parts[index]`: the first branch that can be built (and,
    /// for `oneOf`, that no other branch also accepts).
    pub(super) fn choose(&self, parts: Vec<Part<'a>>, index: usize, keyword: &str, depth: usize) -> Result<Value, Failure> {
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
}
