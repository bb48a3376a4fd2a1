//! YAML read into the YAML library's value, with integers beyond 64 bits allowed.
//!
//! The library's own value refuses an integer that needs 128 bits (`minimum:
//! -9223372036854776000`, 2^63 printed by a generator that thinks in doubles), and with it the
//! whole document. Read here, such an integer becomes the nearest 64-bit float, as the same
//! number in JSON does (its text is recorded apart, see `yaml_numbers`); everything else is read
//! exactly as the library reads it.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_yaml_ng::value::{Tag, TaggedValue};
use serde_yaml_ng::{Mapping, Value};

/// Reads one YAML document.
pub(super) fn from_str(text: &str) -> Result<Value, serde_yaml_ng::Error> {
    Lenient.deserialize(serde_yaml_ng::Deserializer::from_str(text))
}

#[derive(Clone, Copy)]
struct Lenient;

impl<'de> DeserializeSeed<'de> for Lenient {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lenient {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    // Past 64 bits a number is read as a double, as JSON parsers read it.
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        Ok(Value::Number((value as f64).into()))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        Ok(Value::Number((value as f64).into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut sequence = Vec::with_capacity(items.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = items.next_element_seed(Lenient)? {
            sequence.push(item);
        }
        Ok(Value::Sequence(sequence))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(key) = entries.next_key_seed(Lenient)? {
            if mapping.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate entry {}", described(&key))));
            }
            let value = entries.next_value_seed(Lenient)?;
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents) = data.variant::<String>()?;
        let value = contents.newtype_variant_seed(Lenient)?;
        Ok(Value::Tagged(Box::new(TaggedValue { tag: Tag::new(tag), value })))
    }
}

/// A repeated key as the library's own message names it.
fn described(key: &Value) -> String {
    match key {
        Value::Null => "with null key".into(),
        Value::Bool(flag) => format!("with key `{flag}`"),
        Value::Number(number) => format!("with key {number}"),
        Value::String(text) => format!("with key {text:?}"),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => "in YAML map".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_library_reads() {
        let text = "a: 1\nb: [true, null, -2, 2.5, x]\n? [k]\n: v\nc: !tag {d: e}\n";
        assert_eq!(from_str(text).unwrap(), serde_yaml_ng::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn integers_beyond_64_bits_are_doubles() {
        let value = from_str("minimum: -9223372036854776000\nmaximum: 340282366920938463463374607431768211455\n").unwrap();
        assert_eq!(value["minimum"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(value["maximum"].as_f64(), Some(3.402823669209385e38));
    }

    #[test]
    fn repeated_keys_are_refused_as_the_library_refuses_them() {
        let error = from_str("a: 1\na: 2\n").unwrap_err().to_string();
        assert!(error.starts_with("duplicate entry with key \"a\""), "{error}");
    }
}
