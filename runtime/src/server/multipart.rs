//! `multipart/form-data` request bodies, read whole (they are already within the body limit).

use serde_json::{Map, Value};

/// One part: its field name, whether it came as a file, and its bytes.
pub struct Part {
    pub name: String,
    pub file: bool,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// The boundary parameter of a `multipart/*` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.trim().split_once('=')?;
        name.trim().eq_ignore_ascii_case("boundary").then(|| value.trim().trim_matches('"').to_string())
    })
}

/// Splits a body into its parts; `Err` says what is malformed.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    if boundary.is_empty() || boundary.len() > 200 {
        return Err("the multipart boundary is missing or too long".into());
    }
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = match find(body, &delimiter) {
        Some(start) => &body[start + delimiter.len()..],
        None => return Err("the body does not contain its multipart boundary".into()),
    };
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or("a multipart boundary must end its line")?;
        let end = find(rest, &delimiter).ok_or("the multipart body is not terminated")?;
        let part = &rest[..end];
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        parts.push(read_part(part)?);
        if parts.len() > 1000 {
            return Err("more than 1000 multipart parts".into());
        }
        rest = &rest[end + delimiter.len()..];
    }
}

fn read_part(part: &[u8]) -> Result<Part, String> {
    let split = find(part, b"\r\n\r\n").ok_or("a multipart part has no header section")?;
    let headers = std::str::from_utf8(&part[..split]).map_err(|_| "multipart part headers are not UTF-8")?;
    let bytes = part[split + 4..].to_vec();
    let mut name = None;
    let mut file = false;
    let mut content_type = None;
    for line in headers.split("\r\n") {
        let Some((header, value)) = line.split_once(':') else { continue };
        if header.trim().eq_ignore_ascii_case("content-disposition") {
            for parameter in value.split(';').skip(1) {
                let Some((key, value)) = parameter.trim().split_once('=') else { continue };
                let value = value.trim().trim_matches('"').to_string();
                match key.trim().to_ascii_lowercase().as_str() {
                    "name" => name = Some(value),
                    "filename" => file = true,
                    _ => {}
                }
            }
        } else if header.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_string());
        }
    }
    let name = name.ok_or("a multipart part has no name")?;
    Ok(Part { name, file, content_type, bytes })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Text parts as a form-encoded string (read by the form parameter rules, so they get the
/// schema's scalar types), and file or JSON parts as values to add afterwards.
pub fn split_fields(parts: Vec<Part>) -> (String, Map<String, Value>) {
    let mut text = String::new();
    let mut values = Map::new();
    for part in parts {
        let is_json = part.content_type.as_deref().is_some_and(|content_type| content_type.contains("json"));
        match (part.file, is_json, String::from_utf8(part.bytes)) {
            (false, true, Ok(json)) => {
                values.insert(part.name, serde_json::from_str(&json).unwrap_or(Value::String(json)));
            }
            (false, false, Ok(value)) => {
                if !text.is_empty() {
                    text.push('&');
                }
                text.push_str(&encode(&part.name));
                text.push('=');
                text.push_str(&encode(&value));
            }
            // Files travel as bytes: a string when they are UTF-8, numbers otherwise, both of
            // which `oas_runtime::Bytes` reads.
            (_, _, Ok(value)) => {
                values.insert(part.name, Value::String(value));
            }
            (_, _, Err(error)) => {
                values.insert(part.name, Value::Array(error.into_bytes().into_iter().map(Value::from).collect()));
            }
        }
    }
    (text, values)
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_files() {
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n42\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\xff\x00\r\n--xyz--\r\n";
        let parts = parse(body, "xyz").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "id");
        assert_eq!(parts[1].bytes, vec![0xff, 0x00]);
        let (text, values) = split_fields(parts);
        assert_eq!(text, "id=42");
        assert_eq!(values["file"], serde_json::json!([255, 0]));
        assert_eq!(boundary("multipart/form-data; boundary=\"xyz\"").as_deref(), Some("xyz"));
    }

    #[test]
    fn malformed_bodies_are_errors() {
        for body in [
            &b""[..],
            b"--x",
            b"--x\r\nno headers",
            b"--x\r\n\r\nbody without name\r\n--x--",
            b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated",
        ] {
            assert!(parse(body, "x").is_err(), "{:?}", String::from_utf8_lossy(body));
        }
    }
}
