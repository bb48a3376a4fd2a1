//! The embedded document: the text of the generated `openapi_document` module, the document as
//! compact JSON in a raw string literal.
//!
//! It is serialized straight into the module's text, in one buffer: for a large document (a
//! fully dereferenced one is tens of megabytes of compact JSON) every extra copy is that much
//! memory touched again. It is the one place generation reads the document itself, so callers
//! that own the document serialize it first and let the parsed tree go before emission.

use std::io;

use memchr::memchr_iter;
use serde_json::ser::Formatter;
use serde_json::Value;

use crate::number_texts::NumberTexts;

/// Bytes of the module's buffer left free for the lines a layout puts before its text (the
/// generated-file comment, the module's doc), so that adding them moves the text in place.
const HEADER_ROOM: usize = 1024;

/// The module's text: `OPENAPI_JSON` and `openapi_document()`. Numbers a double does not
/// reproduce are written as the document wrote them; none of them is beyond what the generated
/// crate's serde_json reads (those were kept as strings on load).
pub(crate) fn document_file(root: &Value, numbers: &NumberTexts) -> String {
    let mut json = Vec::new();
    numbers.write_into(root, AsciiStrings, &mut json);
    let fence = "#".repeat(longest_hash_run_after_quote(&json) + 1);
    let head = format!("/// The document as compact JSON.\npub const OPENAPI_JSON: &str = r{fence}\"");
    let tail = format!(
        "\"{fence};\n\n\
         /// The document, parsed.\n\
         pub fn openapi_document() -> serde_json::Value {{\n    \
         serde_json::from_str(OPENAPI_JSON).expect(\"the embedded document is valid JSON\")\n\
         }}\n"
    );
    // Moving the JSON along inside its buffer touches no new memory, unlike copying it after a
    // head written first (its fence depends on the JSON). The room left is for the header a
    // layout puts before the module.
    json.reserve_exact(head.len() + tail.len() + HEADER_ROOM);
    json.extend_from_slice(tail.as_bytes());
    let mut text = String::from_utf8(json).expect("the formatter writes ASCII");
    text.insert_str(0, &head);
    text
}

/// The most `#` that follow a `"` anywhere in `json`: a raw string fenced with one more cannot
/// be ended early by its content.
fn longest_hash_run_after_quote(json: &[u8]) -> usize {
    memchr_iter(b'"', json).map(|quote| json[quote + 1..].iter().take_while(|&&byte| byte == b'#').count()).max().unwrap_or(0)
}

/// serde_json's compact layout, with every non-ASCII character of a string escaped (`\uXXXX`,
/// the same value) so that no invisible or direction-changing character ends up in a Rust
/// string literal.
struct AsciiStrings;

impl Formatter for AsciiStrings {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        if fragment.is_ascii() {
            return writer.write_all(fragment.as_bytes());
        }
        let mut units = [0u16; 2];
        let mut start = 0;
        for (index, c) in fragment.char_indices().filter(|(_, c)| !c.is_ascii()) {
            writer.write_all(&fragment.as_bytes()[start..index])?;
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = index + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The JSON between the fences, and the fence.
    fn literal(file: &str) -> (&str, &str) {
        let start = file.find("= r").expect("a raw string") + 3;
        let quote = start + file[start..].find('"').expect("its opening quote");
        let fence = &file[start..quote];
        let end = file.rfind(&format!("\"{fence};")).expect("its closing fence");
        (&file[quote + 1..end], fence)
    }

    #[test]
    fn non_ascii_text_is_escaped_to_the_same_value() {
        let value = json!({"naïve ключ": "a\u{202e}b 🦀 \"q\" \n", "plain": "x"});
        let file = document_file(&value, &NumberTexts::default());
        let (json, _) = literal(&file);
        assert!(json.is_ascii(), "{json}");
        assert_eq!(json, r#"{"na\u00efve \u043a\u043b\u044e\u0447":"a\u202eb \ud83e\udd80 \"q\" \n","plain":"x"}"#);
        assert_eq!(serde_json::from_str::<Value>(json).unwrap(), value);
    }

    #[test]
    fn the_fence_outlasts_every_run_of_hashes_after_a_quote() {
        let plain = document_file(&json!({"a": "b#"}), &NumberTexts::default());
        assert_eq!(literal(&plain), (r##"{"a":"b#"}"##, "#"));
        let reference = document_file(&json!({"$ref": "#/components/schemas/A", "x": "say \"### hi"}), &NumberTexts::default());
        let (json, fence) = literal(&reference);
        assert_eq!(fence, "####");
        assert_eq!(serde_json::from_str::<Value>(json).unwrap()["x"], "say \"### hi");
        assert!(reference.starts_with("/// The document as compact JSON.\npub const OPENAPI_JSON: &str = r####\"{"), "{reference}");
        assert!(reference.ends_with("}\"####;\n\n/// The document, parsed.\npub fn openapi_document() -> serde_json::Value {\n    serde_json::from_str(OPENAPI_JSON).expect(\"the embedded document is valid JSON\")\n}\n"));
    }

    #[test]
    fn the_whole_file_parses_as_rust() {
        let file = document_file(&json!({"openapi": "3.1.0", "x-emoji": "🦀", "x-hash": "\"##"}), &NumberTexts::default());
        syn::parse_file(&file).expect("the module is Rust");
    }

    #[test]
    fn recorded_numbers_keep_their_text() {
        let big = "123456789012345678901234567890";
        let value = json!({"maximum": big.parse::<f64>().unwrap(), "é": 1.5});
        let mut recorder = crate::number_texts::Recorder::default();
        recorder.record(big.parse().unwrap(), big);
        let numbers = recorder.finish([&value]);
        let file = document_file(&value, &numbers);
        assert_eq!(literal(&file).0, format!(r#"{{"maximum":{big},"\u00e9":1.5}}"#));
    }
}
