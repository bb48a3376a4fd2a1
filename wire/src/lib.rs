//! How OpenAPI parameters and bodies travel on the wire: the words the generator decides with
//! and the runtime acts on.
//!
//! `oas-codegen` classifies every parameter style and body media type of a document once, while
//! lowering it; the code it writes, and the mock server, hand those classifications to
//! `oas-runtime`. Both crates use the enums defined here, so a classification cannot mean one
//! thing to the generator and another to the runtime. Likewise [`literal_key`]: the generator
//! writes enum values in that form and generated code computes it for the values it reads. The
//! crate depends only on `serde_json`, which both sides use anyway.

#![warn(missing_docs)]

/// How a parameter is serialized, OpenAPI's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Style {
    /// Comma-separated values, `a,b` (the default for path parameters and headers).
    Simple,
    /// A leading dot, `.a`, in a path segment.
    Label,
    /// `;name=value` pairs in a path segment.
    Matrix,
    /// `name=value` pairs, as in a form (the default for query parameters and cookies).
    Form,
    /// Array items separated by spaces, `a%20b`.
    SpaceDelimited,
    /// Array items separated by pipes, `a|b`.
    PipeDelimited,
    /// An object's properties as `name[property]=value` pairs.
    DeepObject,
}

impl Style {
    /// The style a `style` field names, or `None` for a name the specification does not define.
    pub fn from_name(name: &str) -> Option<Style> {
        Some(match name {
            "simple" => Style::Simple,
            "label" => Style::Label,
            "matrix" => Style::Matrix,
            "form" => Style::Form,
            "spaceDelimited" => Style::SpaceDelimited,
            "pipeDelimited" => Style::PipeDelimited,
            "deepObject" => Style::DeepObject,
            _ => return None,
        })
    }

    /// The `explode` a parameter of this style has when it names none: true for `form` only.
    pub const fn default_explode(self) -> bool {
        matches!(self, Style::Form)
    }
}

/// How a request or response body of one media type travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// JSON text: `application/json`, `text/json` and every `+json` type.
    Json,
    /// UTF-8 text: any other `text/*` type.
    Text,
    /// `application/x-www-form-urlencoded`, read like a query string.
    Form,
    /// `multipart/*`: form fields and files.
    Multipart,
    /// Bytes as they are: every other media type, wildcards such as `*/*` included.
    Binary,
}

impl MediaKind {
    /// The kind of a media type as a document writes it (parameters and case are ignored).
    pub fn of(media_type: &str) -> MediaKind {
        let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        if subtype == "json" || subtype.ends_with("+json") {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if kind == "multipart" {
            MediaKind::Multipart
        } else if kind == "text" {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// The canonical text of a JSON literal, for matching a value against an enum's values: two values
/// have the same key exactly when they are equal as JSON Schema's `enum` and `const` compare them.
/// A number written as a float with no fraction (`1.0`) is the same literal as the integer (`1`),
/// at any depth, and an object's members may come in any order.
pub fn literal_key(value: &serde_json::Value) -> String {
    let mut key = String::new();
    write_key(value, &mut key);
    key
}

fn write_key(value: &serde_json::Value, key: &mut String) {
    use serde_json::Value;
    match value {
        Value::Number(number) if number.is_f64() => match number.as_f64() {
            // Beyond 2^53 a float no longer stands for one integer; its own text is kept.
            Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => key.push_str(&(float as i64).to_string()),
            _ => key.push_str(&number.to_string()),
        },
        Value::Array(items) => {
            key.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    key.push(',');
                }
                write_key(item, key);
            }
            key.push(']');
        }
        // Members in name order: the parsed map keeps the order the document wrote them in.
        Value::Object(members) => {
            let mut members: Vec<_> = members.iter().collect();
            members.sort_unstable_by_key(|(name, _)| *name);
            key.push('{');
            for (index, (name, member)) in members.into_iter().enumerate() {
                if index > 0 {
                    key.push(',');
                }
                key.push_str(&Value::String(name.clone()).to_string());
                key.push(':');
                write_key(member, key);
            }
            key.push('}');
        }
        other => key.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literal_keys_ignore_the_float_form_of_whole_numbers() {
        assert_eq!(literal_key(&json!(1.0)), literal_key(&json!(1)));
        assert_eq!(literal_key(&json!(-3.0)), "-3");
        assert_eq!(literal_key(&json!(2.5)), "2.5");
        assert_eq!(literal_key(&json!(1e20)), "1e+20");
        assert_eq!(literal_key(&json!(u64::MAX)), u64::MAX.to_string());
        assert_eq!(literal_key(&json!("1")), "\"1\"");
        assert_eq!(literal_key(&json!(null)), "null");
    }

    #[test]
    fn literal_keys_are_equal_exactly_for_equal_values() {
        let parse = |text: &str| literal_key(&serde_json::from_str(text).unwrap());
        for (left, right) in [("1", "1.0"), ("1", "1e0"), ("-0.0", "0"), (r#"{"a":1,"b":[2]}"#, r#"{"b":[2.0],"a":1.0}"#), ("[1,[2]]", "[1.0,[2e0]]")]
        {
            assert_eq!(parse(left), parse(right), "{left} and {right}");
        }
        // Distinct integers stay distinct even where a float could not tell them apart.
        for (left, right) in [
            ("18446744073709551615", "18446744073709551614"),
            ("9007199254740993", "9007199254740992"),
            ("[1,2]", "[2,1]"),
            ("\"1\"", "1"),
            ("true", "1"),
        ] {
            assert_ne!(parse(left), parse(right), "{left} and {right}");
        }
        assert_eq!(parse(r#"{"b":"x","a":[1.0,null]}"#), r#"{"a":[1,null],"b":"x"}"#);
    }

    #[test]
    fn media_types_are_classified_by_their_essence() {
        for (media_type, kind) in [
            ("application/json", MediaKind::Json),
            ("application/problem+json; charset=utf-8", MediaKind::Json),
            ("TEXT/JSON", MediaKind::Json),
            ("text/plain", MediaKind::Text),
            ("application/x-www-form-urlencoded", MediaKind::Form),
            ("multipart/form-data", MediaKind::Multipart),
            ("*/*", MediaKind::Binary),
            ("image/png", MediaKind::Binary),
        ] {
            assert_eq!(MediaKind::of(media_type), kind, "{media_type}");
        }
    }

    #[test]
    fn styles_are_read_by_their_names() {
        assert_eq!(Style::from_name("deepObject"), Some(Style::DeepObject));
        assert_eq!(Style::from_name("deepobject"), None);
        assert!(Style::Form.default_explode() && !Style::Simple.default_explode());
    }
}
