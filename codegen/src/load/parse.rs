//! YAML and JSON text to one JSON value: JSON is tried first when the text looks like it, YAML
//! merge keys are applied, integers beyond 64 bits are read as doubles (as JSON parsers read
//! them) with their text recorded, and numbers no double holds are kept as strings with a
//! warning.

use serde_json::{Map, Number, Value};

use crate::diagnostics::{Diagnostic, Position};
use crate::number_texts::Recorder;

mod big_numbers;
mod json_pieces;
mod number_tokens;
mod yaml_numbers;

use number_tokens::Syntax;

/// Parses `text`, recording in `numbers` the text of each number its double does not reproduce.
pub(crate) fn parse_text(text: &str, diagnostics: &mut Vec<Diagnostic>, numbers: &mut Recorder) -> Result<Value, (String, Option<Position>)> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let json = text.trim_start_matches('\u{feff}');
        match json_pieces::parse(json).map_or_else(|| serde_json::from_str::<Value>(json), Ok) {
            Ok(value) => {
                if number_tokens::may_hold_inexact_number(text, Syntax::Json) {
                    number_tokens::record_json(text, numbers);
                }
                return Ok(value);
            }
            // Flow-style YAML also starts with a brace; only report the JSON error when YAML fails too.
            Err(json_error) => {
                return parse_yaml(text, diagnostics, numbers).map_err(|_| {
                    let position = Position { line: json_error.line(), column: json_error.column() };
                    // The position travels separately; the library's message repeats it at the end.
                    let message = json_error.to_string();
                    let message = message.rfind(" at line ").map_or(message.as_str(), |cut| &message[..cut]);
                    (format!("invalid JSON: {}", explain_depth(message)), Some(position))
                });
            }
        }
    }
    parse_yaml(text, diagnostics, numbers)
}

fn parse_yaml(text: &str, diagnostics: &mut Vec<Diagnostic>, numbers: &mut Recorder) -> Result<Value, (String, Option<Position>)> {
    let mut yaml = big_numbers::from_str(text).map_err(|error| {
        let position = error.location().map(|location| Position { line: location.line(), column: location.column() });
        // The position travels separately; the library's message repeats it at the end.
        let message = error.to_string();
        let message = match (position, message.rfind(" at line ")) {
            (Some(_), Some(cut)) => message[..cut].to_string(),
            _ => message,
        };
        if message.contains("repetition limit exceeded") {
            // The library stops at a fixed multiple of the document's size and reports no place.
            let message = "YAML aliases expand to far more nodes than the document holds (an alias bomb?); the first alias is here".to_string();
            return (message, first_alias(text).or(position));
        }
        (format!("invalid YAML: {}", explain_depth(&message)), position)
    })?;
    // Merge keys (`<<: *base`) are common in hand-written specs; the YAML library leaves them to us.
    yaml.apply_merge().map_err(|error| (format!("invalid YAML merge key: {error}"), None))?;
    if number_tokens::may_hold_inexact_number(text, Syntax::Yaml) {
        yaml_numbers::record_yaml(text, numbers);
    }
    Ok(yaml_to_json(yaml, "", diagnostics))
}

/// Both parsers stop at 128 levels of nesting, which keeps them off the end of the stack, and
/// name that only as a recursion limit.
fn explain_depth(message: &str) -> String {
    if message.contains("recursion limit exceeded") {
        return "values are nested more than 128 levels deep (recursion limit exceeded)".into();
    }
    message.to_string()
}

/// Where the first alias (`*name`) of a YAML text is.
fn first_alias(text: &str) -> Option<Position> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_token() {
            Ok((Event::Alias(_), mark)) => return Some(Position { line: mark.line(), column: mark.col() + 1 }),
            Ok((Event::StreamEnd, _)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Converts a YAML value to JSON. Keys become their textual form (`200:` is the key "200"), tags
/// are dropped, and numbers JSON cannot hold become strings with a warning.
fn yaml_to_json(yaml: serde_yaml_ng::Value, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Value {
    use serde_yaml_ng::Value as Yaml;
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(value) => Value::Bool(value),
        Yaml::Number(number) => {
            if let Some(value) = number.as_u64() {
                Value::Number(value.into())
            } else if let Some(value) = number.as_i64() {
                Value::Number(value.into())
            } else {
                let value = number.as_f64().unwrap_or(f64::NAN);
                match Number::from_f64(value) {
                    Some(number) => Value::Number(number),
                    None => {
                        diagnostics.push(Diagnostic::warning(pointer, format!("the number `{number}` has no JSON form; kept as a string")));
                        Value::String(number.to_string())
                    }
                }
            }
        }
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => {
            Value::Array(items.into_iter().enumerate().map(|(index, item)| yaml_to_json(item, &format!("{pointer}/{index}"), diagnostics)).collect())
        }
        Yaml::Mapping(mapping) => {
            let mut object = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = yaml_key(&key);
                let child = crate::diagnostics::join(pointer, &key);
                let value = yaml_to_json(value, &child, diagnostics);
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, pointer, diagnostics),
    }
}

fn yaml_key(key: &serde_yaml_ng::Value) -> String {
    use serde_yaml_ng::Value as Yaml;
    match key {
        Yaml::Null => "null".into(),
        Yaml::Bool(value) => value.to_string(),
        Yaml::Number(number) => number.to_string(),
        Yaml::String(text) => text.clone(),
        Yaml::Tagged(tagged) => yaml_key(&tagged.value),
        // A collection as a key has no faithful text form; its YAML rendering is unambiguous enough.
        other => serde_yaml_ng::to_string(other).unwrap_or_default().trim().to_string(),
    }
}
