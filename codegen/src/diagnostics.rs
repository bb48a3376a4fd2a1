//! Problems found in a document, each tied to the place it was found, and the one way they are
//! finished (merged, placed, sorted) and written.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something the document says that nothing generated uses (a field a newer version of
    /// the specification adds, say); never a failure, not even with `--deny-warnings`.
    Info,
    /// Generation went on and did the sound thing; `--deny-warnings` turns these into failure.
    Warning,
    /// The document cannot be used as OpenAPI at all.
    Error,
}

/// A line and column in the source text, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

/// One finding: what is wrong, and where (a JSON pointer into the document, and the position in
/// the source file once it has been looked up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether generation could go on.
    pub severity: Severity,
    /// RFC 6901 pointer into the document, `""` for the whole document.
    pub pointer: String,
    /// What was found and what was done about it, without the place.
    pub message: String,
    /// Where `pointer` is in the source text; `None` until the diagnostics are [`finish`]ed, or
    /// where it cannot be found.
    pub position: Option<Position>,
    /// The file the finding is in, when it is not the root document (a file a reference read);
    /// `pointer` and `position` are then in that file.
    pub file: Option<String>,
    /// Lowering's word on a reference into another file. Loading a document from a file has
    /// followed every such reference it could and warned at each one it could not, so
    /// [`finish`] drops this one where another finding is at the same place.
    pub about_outside_ref: bool,
}

impl Diagnostic {
    /// A warning at `pointer`, its position not yet looked up.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.into(),
            message: message.into(),
            position: None,
            file: None,
            about_outside_ref: false,
        }
    }

    /// A note at `pointer` about something read but not used, its position not yet looked up.
    pub fn info(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            pointer: pointer.into(),
            message: message.into(),
            position: None,
            file: None,
            about_outside_ref: false,
        }
    }

    /// An error at `pointer`, its position not yet looked up.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            position: None,
            file: None,
            about_outside_ref: false,
        }
    }
}

impl Diagnostic {
    /// The diagnostic as one line, `FILE:LINE:COL: SEVERITY [POINTER]: MESSAGE`, the shape
    /// editors and CI annotations turn into a link. Parts that are not known are left out: the
    /// file for text given in memory, the position where it cannot be found, the pointer for a
    /// finding about the whole document (`FILE:1:1: error: MESSAGE`).
    pub fn render(&self, file: Option<&Path>) -> String {
        let mut line = String::new();
        match (&self.file, file) {
            (Some(name), _) => line.push_str(name),
            (None, Some(file)) => line.push_str(&file.display().to_string()),
            (None, None) => {}
        }
        if let Some(position) = self.position {
            if !line.is_empty() {
                line.push(':');
            }
            line.push_str(&format!("{}:{}", position.line, position.column));
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        let severity = match self.severity {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        line.push_str(severity);
        if !self.pointer.is_empty() {
            line.push_str(&format!(" [{}]", self.pointer));
        }
        line.push_str(": ");
        line.push_str(&self.message);
        line
    }
}

/// Without a file name: `LINE:COL: SEVERITY [POINTER]: MESSAGE`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(None))
    }
}

/// Makes a list of findings ready to show: drops repeats (same place and message), places every
/// finding in the file it is about (through the document's origin map when it was read from
/// several files), looks up every position in one pass over each file, and sorts them: the root
/// document first, then the other files by name, each in the order of its text, errors first
/// among findings at one place and findings without a place last.
pub fn finish(document: &crate::load::Document, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diagnostics.retain(|diagnostic| seen.insert((diagnostic.file.clone(), diagnostic.pointer.clone(), diagnostic.message.clone())));
    if diagnostics.is_empty() {
        return diagnostics;
    }
    let (in_files, in_root): (Vec<usize>, Vec<usize>) = (0..diagnostics.len()).partition(|&index| diagnostics[index].file.is_some());
    let pointers: Vec<&str> = in_root.iter().map(|&index| diagnostics[index].pointer.as_str()).collect();
    let places = document.place(&pointers);
    for (index, place) in in_root.into_iter().zip(places) {
        let diagnostic = &mut diagnostics[index];
        diagnostic.file = place.file;
        diagnostic.pointer = place.pointer;
        diagnostic.position = place.position;
    }
    let root_name = document.path.as_ref().map(|path| path.display().to_string());
    for index in in_files {
        let diagnostic = &mut diagnostics[index];
        let in_root = diagnostic.file.is_some() && diagnostic.file == root_name;
        if diagnostic.position.is_none() {
            let text = match in_root {
                true => Some(document.text.as_str()),
                false => diagnostic.file.as_deref().and_then(|name| document.sources.text_of(name)),
            };
            diagnostic.position = crate::source_map::locate(text.unwrap_or_default(), &[diagnostic.pointer.as_str()]).into_iter().next().flatten();
        }
        if in_root {
            diagnostic.file = None;
        }
    }
    let loader_said: HashSet<(Option<String>, String)> = diagnostics
        .iter()
        .filter(|diagnostic| !diagnostic.about_outside_ref)
        .map(|diagnostic| (diagnostic.file.clone(), diagnostic.pointer.clone()))
        .collect();
    diagnostics.retain(|diagnostic| !diagnostic.about_outside_ref || !loader_said.contains(&(diagnostic.file.clone(), diagnostic.pointer.clone())));
    order(&mut diagnostics);
    diagnostics
}

/// Orders findings that are placed already: drops repeats (one place in a file can be reached
/// through several references, and so be reported several times) and sorts them: the root
/// document first, then the other files by name, each in the order of its text, errors first
/// among findings at one place and findings without a place last.
pub fn order(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    diagnostics.retain(|diagnostic| seen.insert((diagnostic.file.clone(), diagnostic.pointer.clone(), diagnostic.message.clone())));
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.file.is_some(), d.file.clone(), d.position.is_none(), d.position, std::cmp::Reverse(d.severity));
        key(a).cmp(&key(b))
    });
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
    push_token(&mut out, token);
    out
}

/// Appends `/` and a token, escaped, to a pointer being built in place (walks that visit every
/// node of a document push and truncate one buffer instead of allocating per key).
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.bytes().any(|byte| byte == b'~' || byte == b'/') {
        pointer.push_str(&escape_token(token));
    } else {
        pointer.push_str(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_position_severity_pointer_and_message() {
        let mut diagnostic = Diagnostic::error("/paths/~1a", "bad");
        assert_eq!(diagnostic.render(Some(Path::new("x.yaml"))), "x.yaml: error [/paths/~1a]: bad");
        diagnostic.position = Some(Position { line: 3, column: 5 });
        diagnostic.severity = Severity::Warning;
        diagnostic.pointer = String::new();
        assert_eq!(diagnostic.render(Some(Path::new("x.yaml"))), "x.yaml:3:5: warning: bad");
        assert_eq!(diagnostic.to_string(), "3:5: warning: bad");
    }

    #[test]
    fn finishing_dedupes_places_and_sorts_unplaced_last() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let found = vec![
            Diagnostic::warning("not a pointer", "unplaced"),
            Diagnostic::warning("/paths", "second"),
            Diagnostic::warning("/info", "first"),
            Diagnostic::error("/info", "an error at the same place"),
            Diagnostic::warning("/paths", "second"),
        ];
        let finished = finish(&crate::load::load_str(text).unwrap(), found);
        let order: Vec<(&str, Option<usize>)> =
            finished.iter().map(|diagnostic| (diagnostic.message.as_str(), diagnostic.position.map(|position| position.line))).collect();
        assert_eq!(order, [("an error at the same place", Some(2)), ("first", Some(2)), ("second", Some(3)), ("unplaced", None)]);
    }

    #[test]
    fn joined_tokens_are_escaped_only_where_needed() {
        assert_eq!(join("", "paths"), "/paths");
        assert_eq!(join("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(join("/a", "~x/y~"), "/a/~0x~1y~0");
        assert_eq!(join("/a", ""), "/a/");
    }
}
