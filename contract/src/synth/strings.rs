//! Strings: a sample of the pattern (see [`pattern`](super::pattern)) or of the format, padded or
//! cut to the allowed lengths where that keeps it valid.

use serde_json::Value;

use super::{pattern, Failure, Part, Synthesizer};

impl<'a> Synthesizer<'a> {
    /// Whether `text` (`value`) has a length the parts allow and matches their patterns; the
    /// reason when not.
    pub(super) fn string_fits(&self, value: &Value, text: &str, parts: &[Part<'a>]) -> Result<(), String> {
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
        Ok(())
    }

    /// Whether `text` matches `pattern`; patterns no engine compiles are dropped by the
    /// validators too, so they match everything.
    fn matches(&self, pattern: &str, text: &str) -> bool {
        self.regex(pattern).is_none_or(|regex| regex.is_match(text).unwrap_or(true))
    }

    pub(super) fn string(&self, parts: &[Part<'a>], pointer: &str) -> Result<Value, Failure> {
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
