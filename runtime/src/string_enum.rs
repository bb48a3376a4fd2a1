//! Serde for enumerations of strings.
//!
//! Generated string enums implement `Serialize` and `Deserialize` by hand through these helpers
//! rather than with serde's derive: the derive writes a field enum, two visitors and (for the
//! catch-all variant of an open enum) a buffering pass per type, which is most of what the
//! compiler checks in a large API's types. Here each enum contributes one `match`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Reads a string and maps it with `known`; a value it does not know is an error that lists
/// `expected`, as serde's derive would report it.
pub fn deserialize_closed<'de, D, T>(deserializer: D, expected: &'static [&'static str], known: fn(&str) -> Option<T>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(StrVisitor { known, other: Other::Reject(expected) })
}

/// Reads a string and maps it with `known`; a value it does not know is kept by `other`.
pub fn deserialize_open<'de, D, T>(deserializer: D, known: fn(&str) -> Option<T>, other: fn(String) -> T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(StrVisitor { known, other: Other::Keep(other) })
}

enum Other<T> {
    Reject(&'static [&'static str]),
    Keep(fn(String) -> T),
}

struct StrVisitor<T> {
    known: fn(&str) -> Option<T>,
    other: Other<T>,
}

impl<'de, T> Visitor<'de> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.other {
            Other::Reject(expected) => write!(formatter, "one of {}", Quoted(expected)),
            Other::Keep(_) => formatter.write_str("a string"),
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        if let Some(found) = (self.known)(value) {
            return Ok(found);
        }
        match self.other {
            Other::Reject(expected) => Err(E::unknown_variant(value, expected)),
            Other::Keep(other) => Ok(other(value.to_owned())),
        }
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        if let Some(found) = (self.known)(&value) {
            return Ok(found);
        }
        match self.other {
            Other::Reject(expected) => Err(E::unknown_variant(&value, expected)),
            Other::Keep(other) => Ok(other(value)),
        }
    }
}

struct Quoted<'a>(&'a [&'a str]);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, value) in self.0.iter().enumerate() {
            if index > 0 {
                formatter.write_str(", ")?;
            }
            write!(formatter, "`{value}`")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Other(String),
    }

    fn known(value: &str) -> Option<Color> {
        (value == "red").then_some(Color::Red)
    }

    fn closed(text: &str) -> Result<Color, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        deserialize_closed(&mut deserializer, &["red"], known)
    }

    fn open(text: &str) -> Result<Color, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        deserialize_open(&mut deserializer, known, Color::Other)
    }

    #[test]
    fn known_values_map_in_both_kinds() {
        assert_eq!(closed("\"red\"").unwrap(), Color::Red);
        assert_eq!(open("\"red\"").unwrap(), Color::Red);
        // An escape makes serde_json hand over an owned string rather than a borrowed one.
        assert_eq!(closed("\"r\\u0065d\"").unwrap(), Color::Red);
    }

    #[test]
    fn unknown_values_are_kept_or_named_in_the_error() {
        assert_eq!(open("\"blue\"").unwrap(), Color::Other("blue".into()));
        let message = closed("\"blue\"").unwrap_err().to_string();
        assert!(message.contains("unknown variant `blue`, expected `red`"), "{message}");
    }

    #[test]
    fn a_non_string_says_what_was_expected() {
        let message = closed("3").unwrap_err().to_string();
        assert!(message.contains("expected one of `red`"), "{message}");
        assert!(open("true").unwrap_err().to_string().contains("expected a string"));
    }

    #[test]
    fn values_from_a_json_value_work_too() {
        let value = serde_json::json!("blue");
        assert_eq!(deserialize_open(value, known, Color::Other).unwrap(), Color::Other("blue".into()));
    }
}
