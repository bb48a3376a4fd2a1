//! Problems found in a document, each tied to the place it was found.

use std::borrow::Cow;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation went on and did the sound thing; `--deny-warnings` turns these into failure.
    Warning,
    /// The document cannot be used as OpenAPI at all.
    Error,
}

/// A line and column in the source text, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One finding: what is wrong, and where (a JSON pointer into the document, and the position in
/// the source file once it has been looked up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// RFC 6901 pointer into the document, `""` for the whole document.
    pub pointer: String,
    pub message: String,
    pub position: Option<Position>,
}

impl Diagnostic {
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, pointer: pointer.into(), message: message.into(), position: None }
    }

    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, pointer: pointer.into(), message: message.into(), position: None }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{severity}")?;
        if let Some(position) = self.position {
            write!(f, " at {}:{}", position.line, position.column)?;
        }
        let pointer = if self.pointer.is_empty() { "(document root)" } else { &self.pointer };
        write!(f, " [{pointer}]: {}", self.message)
    }
}

/// Undoes RFC 6901 escaping: `~1` is `/`, `~0` is `~` (in that order, so `~01` is `~1`).
pub fn unescape_token(raw: &str) -> Cow<'_, str> {
    if raw.contains('~') {
        Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// Escapes one reference token for use in a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends a token to a pointer. Lowering joins one for every schema it visits, so this builds
/// the result in one allocation instead of three.
pub fn join(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    if token.contains(['~', '/']) {
        out.push_str(&escape_token(token));
    } else {
        out.push_str(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_tokens_are_escaped_only_where_needed() {
        assert_eq!(join("", "paths"), "/paths");
        assert_eq!(join("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(join("/a", "~x/y~"), "/a/~0x~1y~0");
        assert_eq!(join("/a", ""), "/a/");
    }
}
