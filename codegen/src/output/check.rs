//! Check mode's half of the work: scanning the output folder, comparing each generated file with
//! what is on disk, and describing a difference as a short diff.
//!
//! The scan serves both modes. [`check_tree`](super::check_tree) reports what it finds;
//! [`write_tree`](super::write_tree) uses it to decide whether anything needs writing at all and
//! which of the user's files `keep` carries into the new tree.
//!
//! Rules, and why:
//!
//! * **Nothing here writes**, so CI can run a check on a read-only checkout.
//! * **Files are compared as bytes**, exactly as they would be written: a line-ending change is a
//!   change, because it is one in git too.
//! * **Entries are visited in sorted order**, so a report reads the same on every run and machine.
//! * **Only generated paths are judged by name.** An entry whose name is not UTF-8 can never be
//!   one, even when its lossy spelling matches, so it is never mistaken for a generated file.
//! * **Diffs go from the disk to what the generator would write**, so `-` lines are what the fix
//!   command removes, and they are cut short for CI logs.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::{io_err, FileSet, OutputError, Staleness};

/// What sits on disk where the generator wants a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    File,
    Dir,
    Symlink,
    Special,
}

/// What a scan of the output folder found, sorted into what each mode needs.
#[derive(Default)]
pub(super) struct Scan {
    /// What sits on disk at each generated path (only generated paths are recorded).
    pub(super) found: HashMap<String, Found>,
    /// Files the generator does not produce and `keep` does not protect.
    pub(super) extra: Vec<String>,
    /// Files (or symlinks) to carry into the new tree by copying.
    pub(super) kept_files: Vec<PathBuf>,
    /// Folders to carry into the new tree by renaming.
    pub(super) kept_dirs: Vec<PathBuf>,
}

/// What the scan needs to know: the generated set, the folders it implies, and what to keep.
pub(super) struct ScanCtx<'a> {
    pub(super) files: &'a FileSet,
    pub(super) gen_dirs: &'a HashSet<String>,
    pub(super) keep: &'a dyn Fn(&str) -> bool,
}

pub(super) fn scan(root: &Path, ctx: &ScanCtx<'_>) -> Result<Scan, OutputError> {
    let mut out = Scan::default();
    walk(root, "", Path::new(""), true, false, ctx, &mut out)?;
    out.extra.sort();
    Ok(out)
}

/// One level of the scan. `exact` is false below a name that is not UTF-8: such entries can never
/// be generated paths, even if their lossy spelling matches one. `kept` is true inside a folder
/// `keep` matched that could not be kept whole because generated files live inside it.
///
/// Folders under a path the generator wants as a *file* are not descended: the generated file
/// replaces them, whatever `keep` says.
fn walk(root: &Path, rel: &str, rel_path: &Path, exact: bool, kept: bool, ctx: &ScanCtx<'_>, out: &mut Scan) -> Result<(), OutputError> {
    let abs = root.join(rel_path);
    let mut entries = Vec::new();
    for entry in fs::read_dir(&abs).map_err(io_err(&abs))? {
        let entry = entry.map_err(io_err(&abs))?;
        let file_type = entry.file_type().map_err(io_err(entry.path()))?;
        entries.push((entry.file_name(), file_type));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));

    for (name, file_type) in entries {
        let exact = exact && name.to_str().is_some();
        let name_lossy = name.to_string_lossy();
        let child_rel = if rel.is_empty() { name_lossy.into_owned() } else { format!("{rel}/{name_lossy}") };
        let child_path = rel_path.join(&name);
        let is_gen_file = exact && ctx.files.contains_key(&child_rel);
        let is_gen_dir = exact && ctx.gen_dirs.contains(&child_rel);

        if file_type.is_dir() {
            if is_gen_file {
                out.found.insert(child_rel, Found::Dir);
            } else if kept || (ctx.keep)(&format!("{child_rel}/")) {
                if is_gen_dir {
                    walk(root, &child_rel, &child_path, exact, true, ctx, out)?;
                } else {
                    out.kept_dirs.push(child_path);
                }
            } else {
                walk(root, &child_rel, &child_path, exact, false, ctx, out)?;
            }
        } else if is_gen_file {
            let found = if file_type.is_file() {
                Found::File
            } else if file_type.is_symlink() {
                Found::Symlink
            } else {
                Found::Special
            };
            out.found.insert(child_rel, found);
        } else if kept || (ctx.keep)(&child_rel) {
            // A kept file where the generator now needs a folder loses: the generated files win.
            if !is_gen_dir {
                out.kept_files.push(child_path);
            }
        } else {
            out.extra.push(child_rel);
        }
    }
    Ok(())
}

/// Compares each generated file with what the scan found. `None` = up to date.
pub(super) fn compare(root: &Path, path: &str, expected: &str, found: Option<Found>) -> Result<Option<Staleness>, OutputError> {
    match found {
        None => Ok(Some(Staleness::Missing)),
        Some(Found::File) => {
            let abs = root.join(path);
            let actual = fs::read(&abs).map_err(io_err(&abs))?;
            if actual == expected.as_bytes() {
                Ok(None)
            } else {
                Ok(Some(Staleness::Changed { diff: short_diff(path, &actual, expected) }))
            }
        }
        Some(Found::Dir) => Ok(Some(Staleness::Changed { diff: "a folder is where this file belongs\n".into() })),
        Some(Found::Symlink) => Ok(Some(Staleness::Changed { diff: "a symbolic link is where this file belongs\n".into() })),
        Some(Found::Special) => Ok(Some(Staleness::Changed { diff: "a special file is where this file belongs\n".into() })),
    }
}

const MAX_DIFF_LINES: usize = 40;

/// A unified diff from what is on disk to what the generator would write, so `-` lines are what
/// running the fix command removes. Cut short because a reader of a CI log needs the first hunk to
/// see what kind of drift it is, not all of it.
fn short_diff(path: &str, actual: &[u8], expected: &str) -> String {
    let Ok(actual) = std::str::from_utf8(actual) else {
        return format!("contents on disk are not utf-8 ({} bytes on disk, {} bytes expected)\n", actual.len(), expected.len());
    };
    let mut out = String::new();
    // A line-ending-only change renders as identical `-`/`+` pairs, so say it in words.
    if actual.replace("\r\n", "\n") == expected.replace("\r\n", "\n") {
        out.push_str("only line endings differ (crlf vs lf)\n");
    }
    let diff = similar::TextDiff::from_lines(actual, expected);
    let text = diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string();
    let total = text.lines().count();
    for line in text.lines().take(MAX_DIFF_LINES) {
        out.push_str(line);
        out.push('\n');
    }
    if total > MAX_DIFF_LINES {
        out.push_str(&format!("... {} more lines\n", total - MAX_DIFF_LINES));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::{keep_nothing, keep_target_and_gitignore, set, snapshot, Scratch};
    use crate::output::{check_tree, write_tree};

    #[test]
    fn check_reports_missing_changed_and_extra_without_writing() {
        let scratch = Scratch::new();
        let out = scratch.out();
        let files = set(&[("a.rs", "1\n"), ("src/lib.rs", "one\ntwo\nthree\n")]);
        assert!(check_tree(&out, &files, &keep_nothing).unwrap().iter().all(|s| s.staleness == Staleness::Missing));
        assert!(!out.exists(), "check mode writes nothing");

        write_tree(&out, &files, &keep_nothing).unwrap();
        assert_eq!(check_tree(&out, &files, &keep_nothing).unwrap(), vec![]);

        fs::write(out.join("src/lib.rs"), "one\nTWO\nthree\n").unwrap();
        fs::remove_file(out.join("a.rs")).unwrap();
        fs::write(out.join("src/zzz.rs"), "extra").unwrap();
        fs::create_dir_all(out.join("target/debug")).unwrap();
        fs::write(out.join("target/debug/x"), "kept").unwrap();
        fs::create_dir_all(out.join("empty/folder")).unwrap();
        let before = snapshot(&out);

        let stale = check_tree(&out, &files, &keep_target_and_gitignore).unwrap();
        let summary: Vec<(&str, &str)> = stale
            .iter()
            .map(|s| {
                let kind = match s.staleness {
                    Staleness::Missing => "missing",
                    Staleness::Changed { .. } => "changed",
                    Staleness::Extra => "extra",
                };
                (s.path.as_str(), kind)
            })
            .collect();
        assert_eq!(summary, vec![("a.rs", "missing"), ("src/lib.rs", "changed"), ("src/zzz.rs", "extra")]);
        let Staleness::Changed { diff } = &stale[1].staleness else { unreachable!() };
        assert!(diff.contains("--- a/src/lib.rs"), "{diff}");
        assert!(diff.contains("-TWO\n"), "{diff}");
        assert!(diff.contains("+two\n"), "{diff}");
        assert_eq!(snapshot(&out), before, "check mode writes nothing");
    }

    #[test]
    fn long_diffs_are_cut() {
        let actual: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let expected: String = (0..200).map(|i| format!("changed {i}\n")).collect();
        let diff = short_diff("big.rs", actual.as_bytes(), &expected);
        let lines: Vec<&str> = diff.lines().collect();
        assert_eq!(lines.len(), MAX_DIFF_LINES + 1);
        assert!(lines.last().unwrap().starts_with("... ") && lines.last().unwrap().ends_with(" more lines"));
        // 2 header lines + 1 hunk header + 400 changed lines, 40 shown.
        assert_eq!(*lines.last().unwrap(), "... 363 more lines");

        let crlf = short_diff("x", b"a\r\nb\r\n", "a\nb\n");
        assert!(crlf.starts_with("only line endings differ"), "{crlf}");
        assert!(short_diff("x", &[0xff, 0xfe], "a").contains("not utf-8"));
    }
}
