//! Following local `$ref`s through the document.

use std::fmt;

use serde_json::Value;

/// Why a reference cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError {
    /// The reason, naming the reference.
    pub message: String,
    /// The reference (or one it leads to) points into another file. Loading a document from a
    /// file has followed every such reference it could and warned at each one it could not, so
    /// what lowering says of it may be a second word on the same reference.
    pub outside: bool,
}

impl RefError {
    fn new(message: String) -> Self {
        RefError { message, outside: false }
    }
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<RefError> for String {
    fn from(error: RefError) -> String {
        error.message
    }
}

/// Decodes the fragment of a local reference (`#/components/schemas/Pet`) into a JSON pointer.
/// Returns `Err` with the reason for references this crate cannot follow.
pub fn local_pointer(reference: &str) -> Result<String, RefError> {
    let Some(fragment) = reference.strip_prefix('#') else {
        let message = format!("`{reference}` points outside this document; only local references (`#/...`) are followed");
        return Err(RefError { message, outside: true });
    };
    let decoded = percent_decode(fragment).ok_or_else(|| RefError::new(format!("`{reference}` is not a valid URI fragment")))?;
    if !decoded.is_empty() && !decoded.starts_with('/') {
        return Err(RefError::new(format!("`{reference}` is not a JSON pointer (anchors are not supported)")));
    }
    Ok(decoded)
}

/// Undoes percent-encoding; `None` for a malformed escape or bytes that are not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The value at a JSON pointer, as `Value::pointer` finds it, without allocating for tokens that
/// hold no escape: generation looks up tens of thousands of pointers, and `Value::pointer`
/// allocates twice for each of their tokens.
pub fn lookup<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    pointer.strip_prefix('/')?.split('/').try_fold(root, |target, token| {
        let token = crate::diagnostics::unescape_token(token);
        match target {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(items) => array_index(&token).and_then(|index| items.get(index)),
            _ => None,
        }
    })
}

/// An array index as RFC 6901 writes it: digits without a leading zero (except "0" itself).
fn array_index(token: &str) -> Option<usize> {
    if token.is_empty() || !token.bytes().all(|byte| byte.is_ascii_digit()) || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

/// The value behind `reference`, with its pointer; following chains of references, and
/// reporting loops and dangling ends.
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Result<(&'a Value, String), RefError> {
    let mut pointer = local_pointer(reference)?;
    let mut seen = vec![pointer.clone()];
    loop {
        let target = lookup(root, &pointer).ok_or_else(|| RefError::new(format!("`{reference}` does not resolve: nothing at `{pointer}`")))?;
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) if target.as_object().is_some_and(|object| object.len() == 1) || !is_schema_pointer(&pointer) => {
                let next_pointer = local_pointer(next)?;
                if seen.contains(&next_pointer) {
                    return Err(RefError::new(format!("`{reference}` is part of a reference loop: {}", seen.join(" -> "))));
                }
                seen.push(next_pointer.clone());
                pointer = next_pointer;
            }
            _ => return Ok((target, pointer)),
        }
    }
}

/// Whether a pointer names something that can only be a schema, where a `$ref` with siblings
/// stays as it is (3.1 applies the siblings alongside the target).
fn is_schema_pointer(pointer: &str) -> bool {
    pointer.starts_with("/components/schemas/") || pointer.contains("/schema")
}

/// Follows a value that may be a reference object (`{"$ref": ...}`) to what it stands for.
/// Non-references come back as they are, with the pointer they were found at.
pub fn follow<'a>(root: &'a Value, value: &'a Value, pointer: &str) -> Result<(&'a Value, String), RefError> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(root, reference),
        None => Ok((value, pointer.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_finds_what_value_pointer_finds() {
        let root = json!({"a/b": {"~c": [10, {"": 1}]}, "list": [0, 1], "": {"x": true}});
        for pointer in [
            "",
            "/a~1b",
            "/a~1b/~0c",
            "/a~1b/~0c/0",
            "/a~1b/~0c/1/",
            "/list/1",
            "/list/01",
            "/list/2",
            "/list/-",
            "/list/+1",
            "/",
            "/x",
            "a",
            "/a~1b/~0c/1/q",
        ] {
            assert_eq!(lookup(&root, pointer), root.pointer(pointer), "{pointer}");
        }
    }

    #[test]
    fn decodes_fragments() {
        assert_eq!(local_pointer("#/components/schemas/Pet").unwrap(), "/components/schemas/Pet");
        assert_eq!(local_pointer("#/paths/~1pets%7Bid%7D").unwrap(), "/paths/~1pets{id}");
        assert_eq!(local_pointer("#").unwrap(), "");
        assert!(local_pointer("other.yaml#/x").unwrap_err().outside);
        assert!(!local_pointer("#anchor").unwrap_err().outside);
        assert!(local_pointer("#/bad%zz").is_err());
    }

    #[test]
    fn follows_chains_and_reports_loops() {
        let root = json!({
            "components": {
                "parameters": {
                    "a": {"$ref": "#/components/parameters/b"},
                    "b": {"name": "id", "in": "path"},
                    "loop1": {"$ref": "#/components/parameters/loop2"},
                    "loop2": {"$ref": "#/components/parameters/loop1"}
                }
            }
        });
        let (value, pointer) = resolve(&root, "#/components/parameters/a").unwrap();
        assert_eq!(value["name"], "id");
        assert_eq!(pointer, "/components/parameters/b");
        assert!(resolve(&root, "#/components/parameters/loop1").unwrap_err().message.contains("loop"));
        assert!(resolve(&root, "#/components/parameters/missing").unwrap_err().message.contains("does not resolve"));
    }
}
