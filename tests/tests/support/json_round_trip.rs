//! The round trip every generated type is held to, shared by the Orchestrator round-trip tests
//! and the tests `cargo xtask corpus --round-trip` writes into each corpus crate (which copy
//! this file's text), so both accept exactly the same representation differences.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Deserializes `json` into `T`, checks that it serializes back to the same JSON and that a
/// second deserialization gives an equal value, and returns the value for further assertions.
/// Member order is not compared: JSON objects are unordered, and free-form members are kept in
/// `BTreeMap`s, which sort them.
pub fn check<T: Serialize + DeserializeOwned + PartialEq + Debug>(json: Value) -> T {
    round_trip(json, false)
}

/// [`check`] for a document's own examples, which may carry members their (open) schema does not
/// declare: a generated struct keeps only the members it declares, so a member read and not
/// written back is allowed; every member written must still be the one read.
#[allow(dead_code)]
pub fn check_example<T: Serialize + DeserializeOwned + PartialEq + Debug>(json: Value) -> T {
    round_trip(json, true)
}

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(json: Value, undeclared_allowed: bool) -> T {
    let value: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|error| panic!("{} rejected a valid payload: {error}\n{json:#}", std::any::type_name::<T>()));
    let written = serde_json::to_value(&value).expect("a generated type always serializes");
    let (written_form, read_form) = (canonical(&written), canonical(&json));
    if let Some(difference) = difference(&written_form, &read_form, String::new(), undeclared_allowed) {
        panic!("{} does not write back what it read: {difference}\nread:  {json}\nwrote: {written}", std::any::type_name::<T>());
    }
    let again: T = serde_json::from_value(written).expect("what a type writes, it reads back");
    assert_eq!(again, value);
    value
}

/// JSON that means the same thing written one way. Two representations differ without
/// changing what the payload says, so both sides are brought to one form before comparing:
/// `type: number` fields are `f64`, which writes `10` as `10.0`; and `format: date-time`
/// fields are chrono instants, which write `.000Z` as `Z` and any offset as UTC.
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Number(number) => match number.as_f64() {
            Some(float) if float.fract() == 0.0 && float.abs() < 9_007_199_254_740_992.0 => Value::from(float as i64),
            _ => value.clone(),
        },
        Value::String(text) => match serde_json::from_value::<oas_runtime::DateTime>(value.clone()) {
            Ok(instant) => serde_json::to_value(instant).expect("an instant serializes"),
            Err(_) => Value::String(text.clone()),
        },
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Object(members) => Value::Object(members.iter().map(|(key, member)| (key.clone(), canonical(member))).collect()),
        other => other.clone(),
    }
}

/// Where two JSON values first differ, as a pointer with what each side has there (`-` where a
/// member is missing), so a failure says what was lost or changed without a diff by eye.
/// `undeclared_allowed`: a member read and not written is no difference.
fn difference(written: &Value, read: &Value, pointer: String, undeclared_allowed: bool) -> Option<String> {
    match (written, read) {
        (Value::Object(written), Value::Object(read)) => written.keys().chain(read.keys()).find_map(|key| {
            let inner = format!("{pointer}/{key}");
            match (written.get(key), read.get(key)) {
                (Some(a), Some(b)) => difference(a, b, inner, undeclared_allowed),
                (None, Some(_)) if undeclared_allowed => None,
                (a, b) => Some(format!("at {inner}: wrote {}, read {}", shown(a), shown(b))),
            }
        }),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().find_map(|(index, (a, b))| difference(a, b, format!("{pointer}/{index}"), undeclared_allowed))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("at {pointer}: wrote {a}, read {b}", pointer = if pointer.is_empty() { "the top" } else { &pointer })),
    }
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "-".to_string(), Value::to_string)
}
