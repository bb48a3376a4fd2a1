//! Path validation: every relative path of a [`FileSet`] is checked before anything is written or
//! read, so that neither [`write_tree`](super::write_tree) nor [`check_tree`](super::check_tree)
//! touches anything outside the output folder.
//!
//! File names are derived from OpenAPI documents, which are input we do not control, so a schema
//! or operation name must not be able to climb out of the folder (`..`, absolute paths, drive
//! prefixes) or name something that is not a plain file.
//!
//! The rules are those of the strictest platform, not of the host: generated crates are committed
//! and checked out on Windows and macOS too, where reserved device names, trailing dots or spaces,
//! and paths differing only in letter case would be rejected, silently renamed, or open a device.
//! A set that passes here is written the same way on every platform.

use std::collections::HashSet;

use super::{FileSet, OutputError};

fn unsafe_path(path: &str, reason: &'static str) -> OutputError {
    OutputError::UnsafePath { path: path.to_owned(), reason }
}

/// Names Windows maps to devices in every folder, whatever the extension (`nul.rs` opens the null
/// device). The superscript digits count as digits there too.
const RESERVED_WINDOWS_NAMES: &[&str] = &[
    "con",
    "prn",
    "aux",
    "nul",
    "com0",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "com\u{b9}",
    "com\u{b2}",
    "com\u{b3}",
    "lpt0",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
    "lpt\u{b9}",
    "lpt\u{b2}",
    "lpt\u{b3}",
    "conin$",
    "conout$",
];

/// Checks one relative path. Stricter than Linux needs on purpose: generated crates are committed
/// and checked out on Windows and macOS too, where these names would be rejected, silently
/// renamed, or open a device.
fn validate_path(path: &str) -> Result<(), OutputError> {
    if path.is_empty() {
        return Err(unsafe_path(path, "the path is empty"));
    }
    if path.contains('\0') {
        return Err(unsafe_path(path, "it contains a NUL byte"));
    }
    if path.chars().any(char::is_control) {
        return Err(unsafe_path(path, "it contains a control character"));
    }
    if path.contains('\\') {
        return Err(unsafe_path(path, "it contains a backslash (a path separator on windows)"));
    }
    if path.starts_with('/') {
        return Err(unsafe_path(path, "it is an absolute path"));
    }
    let bytes = path.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(unsafe_path(path, "it starts with a windows drive prefix"));
    }
    if path.contains(['<', '>', ':', '"', '|', '?', '*']) {
        return Err(unsafe_path(path, "it contains a character windows forbids in file names (<>:\"|?*)"));
    }
    for component in path.split('/') {
        match component {
            "" => return Err(unsafe_path(path, "it has an empty component")),
            "." => return Err(unsafe_path(path, "it has a `.` component")),
            ".." => return Err(unsafe_path(path, "it has a `..` component")),
            _ => {}
        }
        if component.ends_with('.') || component.ends_with(' ') {
            return Err(unsafe_path(path, "a component ends with a dot or space (windows drops those)"));
        }
        let stem = component.split('.').next().unwrap_or(component).trim_end_matches(' ');
        let stem = stem.to_lowercase();
        if RESERVED_WINDOWS_NAMES.contains(&stem.as_str()) {
            return Err(unsafe_path(path, "it uses a reserved windows device name"));
        }
    }
    Ok(())
}

/// Validates the whole set, including conflicts between paths that are each fine alone.
/// Returns every folder the set implies, which the scan needs anyway.
pub(super) fn validate_set(files: &FileSet) -> Result<HashSet<String>, OutputError> {
    let mut dirs = HashSet::new();
    for path in files.keys() {
        validate_path(path)?;
        for (i, _) in path.match_indices('/') {
            dirs.insert(path[..i].to_owned());
        }
    }
    let lower_dirs: HashSet<String> = dirs.iter().map(|d| d.to_lowercase()).collect();
    let mut lower_files = HashSet::new();
    for path in files.keys() {
        if dirs.contains(path) {
            return Err(unsafe_path(path, "it is both a file and a folder in the generated set"));
        }
        let lower = path.to_lowercase();
        if lower_dirs.contains(&lower) || !lower_files.insert(lower) {
            return Err(unsafe_path(path, "it differs from another generated path only in letter case"));
        }
    }
    Ok(dirs)
}

#[cfg(test)]
mod tests {
    use crate::output::tests::{keep_nothing, set, Scratch};
    use crate::output::{check_tree, write_tree, OutputError};

    #[test]
    fn unsafe_paths_are_rejected_before_anything_is_written() {
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            ("/etc/passwd", "absolute"),
            ("../escape.rs", "`..`"),
            ("src/../../escape.rs", "`..`"),
            ("src/./x.rs", "`.`"),
            ("src//x.rs", "empty component"),
            ("src/", "empty component"),
            ("src\\x.rs", "backslash"),
            ("src/x\0.rs", "NUL"),
            ("src/x\n.rs", "control"),
            ("C:/x.rs", "drive prefix"),
            ("c:x.rs", "drive prefix"),
            ("src/a:b.rs", "forbids"),
            ("src/what?.rs", "forbids"),
            ("CON", "reserved"),
            ("src/con.rs", "reserved"),
            ("src/Nul.tar.gz", "reserved"),
            ("docs/COM1.md", "reserved"),
            ("lpt9/x.rs", "reserved"),
            ("aux /x.rs", "dot or space"),
            ("src/x.", "dot or space"),
        ];
        let scratch = Scratch::new();
        let out = scratch.out();
        for (path, reason_part) in cases {
            let files = set(&[("Cargo.toml", "a"), (path, "evil")]);
            for result in [write_tree(&out, &files, &keep_nothing).map(|_| ()), check_tree(&out, &files, &keep_nothing).map(|_| ())] {
                match result {
                    Err(OutputError::UnsafePath { path: p, reason }) => {
                        assert_eq!(&p, path);
                        assert!(reason.contains(reason_part), "{path:?}: {reason}");
                        let message = OutputError::UnsafePath { path: p, reason }.to_string();
                        assert!(message.contains(&format!("{path:?}")), "{message}");
                    }
                    other => panic!("{path:?} accepted: {other:?}"),
                }
            }
        }
        // Conflicts between paths.
        for (a, b, reason_part) in [("src", "src/x.rs", "both a file and a folder"), ("A.rs", "a.rs", "letter case")] {
            let files = set(&[(a, "1"), (b, "2")]);
            match write_tree(&out, &files, &keep_nothing) {
                Err(OutputError::UnsafePath { reason, .. }) => assert!(reason.contains(reason_part), "{reason}"),
                other => panic!("{a} + {b} accepted: {other:?}"),
            }
        }
        assert!(scratch.siblings().is_empty(), "nothing written: {:?}", scratch.siblings());
        // Ordinary names that merely contain a reserved word are fine.
        let fine = set(&[("src/console.rs", ""), ("src/com10.rs", ""), ("docs/.nojekyll", ""), ("a.b/c", "")]);
        assert!(write_tree(&out, &fine, &keep_nothing).unwrap());
    }
}
