//! Numbers as they were written, where a double does not hold them.
//!
//! The loaded document is a `serde_json::Value` without serde_json's `arbitrary_precision` (cargo
//! unifies features, and that one breaks numbers under `#[serde(flatten)]` and untagged enums in
//! the code the generator writes). An integer beyond 64 bits or a decimal with more digits than a
//! double holds is therefore a double in the value. The loader records the text of each such
//! number, keyed by the double's bits, and the JSON written from the document (the embedded
//! document, `oas convert`, `oas bundle`) writes that text in the double's place.
//!
//! Keying by value rather than by place survives bundling, conversion and pruning, which all
//! move values around. A double that two different texts give, or that also stands for a number
//! the double writes exactly, keeps no text: which one a place held is no longer known.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use serde_json::Value;

/// The text of every number of a document that its double does not reproduce, by the double.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberTexts {
    texts: BTreeMap<u64, Box<str>>,
}

impl NumberTexts {
    /// Whether no number needs its text.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// How many doubles have a text.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// The text `value` was read from, when the double alone does not reproduce it.
    pub fn text_of(&self, value: f64) -> Option<&str> {
        self.texts.get(&value.to_bits()).map(|text| &**text)
    }

    /// `value` as compact JSON, each recorded number as written.
    pub fn to_json(&self, value: &Value) -> String {
        if self.is_empty() {
            return serde_json::to_string(value).expect("a JSON value always serializes");
        }
        self.write(value, CompactFormatter)
    }

    /// `value` as indented JSON (`serde_json::to_string_pretty`'s layout), each recorded number
    /// as written.
    pub fn to_json_pretty(&self, value: &Value) -> String {
        self.write(value, PrettyFormatter::new())
    }

    /// `value` for any serde serializer, each recorded integer as written (as a 128-bit
    /// integer; a YAML writer has no way to write a decimal's text, so decimals stay doubles).
    pub fn integers_as_written<'a>(&'a self, value: &'a Value) -> impl Serialize + 'a {
        IntegersAsWritten { value, texts: self }
    }

    /// `value` appended to `out` as `formatter` writes it, each recorded number as written:
    /// for a caller that writes JSON into a buffer of its own (a file's text around it) rather
    /// than into a string of its own.
    pub(crate) fn write_into<F: Formatter>(&self, value: &Value, formatter: F, out: &mut Vec<u8>) {
        value
            .serialize(&mut serde_json::Serializer::with_formatter(out, AsWritten { inner: formatter, texts: self }))
            .expect("a JSON value always serializes to memory");
    }

    fn write<F: Formatter>(&self, value: &Value, formatter: F) -> String {
        let mut out = Vec::with_capacity(128);
        self.write_into(value, formatter, &mut out);
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }
}

/// Collects number texts while documents are read; [`Recorder::finish`] keeps the ones that are
/// safe to write back.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    entries: BTreeMap<u64, Recorded>,
}

#[derive(Debug)]
struct Recorded {
    /// `None` once two different texts gave this double.
    text: Option<Box<str>>,
    /// How many numbers of the values read were recorded with this double.
    count: usize,
}

impl Recorder {
    /// Records that `text` was read as `value`.
    pub(crate) fn record(&mut self, value: f64, text: &str) {
        let entry = self.entries.entry(value.to_bits()).or_insert_with(|| Recorded { text: Some(text.into()), count: 0 });
        if entry.text.as_deref().is_some_and(|known| known != text) {
            entry.text = None;
        }
        entry.count += 1;
    }

    /// Adds what another file's reading recorded.
    pub(crate) fn merge(&mut self, other: Recorder) {
        for (bits, recorded) in other.entries {
            match self.entries.get_mut(&bits) {
                None => {
                    self.entries.insert(bits, recorded);
                }
                Some(entry) => {
                    if entry.text != recorded.text {
                        entry.text = None;
                    }
                    entry.count += recorded.count;
                }
            }
        }
    }

    /// The texts to write, given every value the recorded texts were read into. A double that
    /// occurs in `values` more often than it was recorded also stands for a number whose text
    /// was not recorded (written so that the double reproduces it, or copied by a YAML alias or
    /// merge key); it keeps no text, as does one that two texts gave.
    pub(crate) fn finish<'v>(self, values: impl IntoIterator<Item = &'v Value>) -> NumberTexts {
        if self.entries.is_empty() {
            return NumberTexts::default();
        }
        let mut found: BTreeMap<u64, usize> = self.entries.keys().map(|bits| (*bits, 0)).collect();
        for value in values {
            count_doubles(value, &mut found);
        }
        let texts = self
            .entries
            .into_iter()
            .filter(|(bits, recorded)| found.get(bits) == Some(&recorded.count))
            .filter_map(|(bits, recorded)| Some((bits, recorded.text?)))
            .collect();
        NumberTexts { texts }
    }
}

/// Counts the doubles of `value` that `found` has a counter for.
fn count_doubles(value: &Value, found: &mut BTreeMap<u64, usize>) {
    // A loop with its own stack: nesting is bounded by the parsers, but not by much.
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Number(number) if number.is_f64() => {
                if let Some(count) = number.as_f64().and_then(|double| found.get_mut(&double.to_bits())) {
                    *count += 1;
                }
            }
            Value::Array(items) => pending.extend(items),
            Value::Object(object) => pending.extend(object.values()),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }
}

struct IntegersAsWritten<'a> {
    value: &'a Value,
    texts: &'a NumberTexts,
}

impl Serialize for IntegersAsWritten<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let texts = self.texts;
        match self.value {
            Value::Number(number) => {
                let text = number.as_f64().filter(|_| number.is_f64()).and_then(|double| texts.text_of(double));
                match text.and_then(|text| text.parse::<i128>().ok()) {
                    Some(integer) => serializer.serialize_i128(integer),
                    None => match text.and_then(|text| text.parse::<u128>().ok()) {
                        Some(integer) => serializer.serialize_u128(integer),
                        None => number.serialize(serializer),
                    },
                }
            }
            Value::Array(items) => {
                let mut sequence = serializer.serialize_seq(Some(items.len()))?;
                for value in items {
                    sequence.serialize_element(&IntegersAsWritten { value, texts })?;
                }
                sequence.end()
            }
            Value::Object(object) => {
                let mut map = serializer.serialize_map(Some(object.len()))?;
                for (key, value) in object {
                    map.serialize_entry(key, &IntegersAsWritten { value, texts })?;
                }
                map.end()
            }
            scalar => scalar.serialize(serializer),
        }
    }
}

/// A formatter that writes a recorded double as its text and leaves everything else to `inner`.
struct AsWritten<'t, F> {
    inner: F,
    texts: &'t NumberTexts,
}

/// The layout methods go to `inner` (a pretty formatter keeps its indentation there), and so
/// does the text of strings (a formatter may escape more than serde_json does); the scalar ones
/// that are not overridden are the same for every formatter of serde_json.
impl<F: Formatter> Formatter for AsWritten<'_, F> {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        self.inner.write_string_fragment(writer, fragment)
    }

    fn write_char_escape<W: ?Sized + io::Write>(&mut self, writer: &mut W, escape: serde_json::ser::CharEscape) -> io::Result<()> {
        self.inner.write_char_escape(writer, escape)
    }

    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        match self.texts.text_of(value) {
            Some(text) => writer.write_all(text.as_bytes()),
            None => self.inner.write_f64(writer, value),
        }
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn recorded(texts: &[(f64, &str)], values: &[&Value]) -> NumberTexts {
        let mut recorder = Recorder::default();
        for (value, text) in texts {
            recorder.record(*value, text);
        }
        recorder.finish(values.iter().copied())
    }

    #[test]
    fn a_recorded_double_is_written_as_its_text() {
        let big = "123456789012345678901234567890";
        let value = json!({"a": [big.parse::<f64>().unwrap(), 1.5, 7], "b": {"c": -0.0}});
        let texts = recorded(&[(big.parse().unwrap(), big)], &[&value]);
        assert_eq!(texts.to_json(&value), format!(r#"{{"a":[{big},1.5,7],"b":{{"c":-0.0}}}}"#));
        assert_eq!(texts.to_json_pretty(&value), serde_json::to_string_pretty(&value).unwrap().replace("1.2345678901234568e+29", big));
    }

    #[test]
    fn a_yaml_writer_gets_recorded_integers_as_integers() {
        let (big, huge, pi) = ("-9223372036854776000", "1234567890123456789012345678901234567890123", "3.14159265358979323846");
        let value =
            json!({"big": big.parse::<f64>().unwrap(), "huge": huge.parse::<f64>().unwrap(), "pi": pi.parse::<f64>().unwrap(), "list": [1.5]});
        let all = [(big.parse().unwrap(), big), (huge.parse().unwrap(), huge), (pi.parse().unwrap(), pi)];
        let texts = recorded(&all, &[&value]);
        let yaml = serde_yaml_ng::to_string(&texts.integers_as_written(&value)).unwrap();
        assert_eq!(yaml, format!("big: {big}\nhuge: 1.2345678901234567e42\npi: 3.141592653589793\nlist:\n- 1.5\n"));
        assert_eq!(serde_yaml_ng::to_string(&NumberTexts::default().integers_as_written(&value)).unwrap(), serde_yaml_ng::to_string(&value).unwrap());
    }

    #[test]
    fn without_texts_the_output_is_serde_jsons() {
        let value = json!({"a": [1.0e300, 0.1, -3], "b": "x"});
        let texts = NumberTexts::default();
        assert_eq!(texts.to_json(&value), serde_json::to_string(&value).unwrap());
        assert_eq!(texts.to_json_pretty(&value), serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn a_double_with_two_texts_keeps_neither() {
        let double = -9.223372036854776e18;
        let value = json!([double, double]);
        assert!(recorded(&[(double, "-9223372036854776000"), (double, "-9223372036854775999")], &[&value]).is_empty());
        let mut first = Recorder::default();
        first.record(double, "-9223372036854776000");
        let mut second = Recorder::default();
        second.record(double, "-9223372036854775999.5");
        first.merge(second);
        assert!(first.finish([&value]).is_empty());
    }

    #[test]
    fn a_double_that_also_stands_for_an_unrecorded_number_keeps_no_text() {
        let double = -9.223372036854776e18;
        let value = json!({"recorded": double, "written as the double": double});
        assert!(recorded(&[(double, "-9223372036854776000")], &[&value]).is_empty());
        let same_text_twice = recorded(&[(double, "-9223372036854776000"), (double, "-9223372036854776000")], &[&value]);
        assert_eq!(same_text_twice.text_of(double), Some("-9223372036854776000"));
    }

    #[test]
    fn a_recorded_number_that_did_not_reach_the_value_keeps_no_text() {
        let value = json!({"a": 1});
        assert!(recorded(&[(1e30, "1000000000000000000000000000001")], &[&value]).is_empty());
    }
}
