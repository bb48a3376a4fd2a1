//! Unions told apart by a property (`discriminator.propertyName`).
//!
//! The variant's own type usually declares the property too, so the value is read whole and the
//! property is peeked rather than consumed (serde's internally tagged enums would consume it).

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Serializes a variant, adding the discriminator property when its type does not carry it.
pub fn serialize<S: Serializer, T: Serialize>(serializer: S, property: &str, tag: &str, value: &T) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let Value::Object(object) = &mut json {
        object.entry(property.to_string()).or_insert_with(|| Value::String(tag.to_string()));
    }
    json.serialize(serializer)
}

/// Reads a whole value and the discriminator property's text.
pub fn split<'de, D: Deserializer<'de>>(deserializer: D, property: &str) -> Result<(String, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    let tag = match value.get(property) {
        Some(Value::String(tag)) => tag.clone(),
        Some(other) => return Err(D::Error::custom(format!("the discriminator `{property}` must be a string, found {other}"))),
        None => return Err(D::Error::custom(format!("missing the discriminator property `{property}`"))),
    };
    Ok((tag, value))
}

/// Reads a whole value and the tagging property as a JSON literal (`1`, `"button"`, `true`), for
/// unions whose variants each fix that property to a constant of their own.
pub fn split_literal<'de, D: Deserializer<'de>>(deserializer: D, property: &str) -> Result<(String, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    let tag = match value.get(property) {
        Some(tag) => oas_wire::literal_key(tag),
        None => return Err(D::Error::custom(format!("missing the property `{property}` that tells the variants apart"))),
    };
    Ok((tag, value))
}

/// Deserializes the chosen variant from the whole value.
pub fn variant<'de, D: Deserializer<'de>, T: DeserializeOwned>(value: Value) -> Result<T, D::Error> {
    serde_json::from_value(value).map_err(D::Error::custom)
}

/// The error for a discriminator value no variant claims.
pub fn unknown<'de, D: Deserializer<'de>>(type_name: &str, property: &str, tag: &str) -> D::Error {
    D::Error::custom(format!("`{tag}` is not a known `{property}` of {type_name}"))
}
