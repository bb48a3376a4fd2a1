//! Serde helpers for a property that may be absent, null, or a value: `Option<Option<T>>`, where
//! the outer `None` means absent and `Some(None)` means null.
//!
//! Use with `#[serde(default, skip_serializing_if = "Option::is_none", with = "::oas_runtime::double_option")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(None)` as null and `Some(Some(value))` as the value; `None` is meant to be
/// skipped by `skip_serializing_if` and is written as null if it is not.
pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Only called when the property is present, so the result is never the outer `None`.
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
