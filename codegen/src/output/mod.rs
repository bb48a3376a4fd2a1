//! Putting a generated crate on disk, and checking that what is on disk is still what the
//! generator would write.
//!
//! The generator works on an in-memory [`FileSet`] and only touches the disk here, so that the
//! project's rules about output live in one place:
//!
//! * **All or nothing.** A run that fails or is killed midway must leave the previous folder as it
//!   was, because a half-written crate fails to compile in confusing ways and may be committed by
//!   accident. [`write_tree`] therefore builds the new tree in a sibling folder and swaps it in.
//! * **No writes outside the output folder.** File names are derived from OpenAPI documents, which
//!   are input we do not control, so every relative path is validated (see [`OutputError::UnsafePath`])
//!   before anything is written, including paths that are only dangerous on Windows.
//! * **Unchanged output is not rewritten**, so that build systems keyed on mtimes (cargo's
//!   `rerun-if-changed`, editors, file watchers) do not rebuild for nothing.
//! * **Check mode writes nothing**, so CI can run it on a read-only checkout.
//!
//! This module holds the public API and decides *whether* to write; the submodules hold *how*:
//!
//! * `paths` validates every relative path before anything is read or written;
//! * `check` scans the folder on disk, compares it with the file set and renders short diffs;
//! * `swap` builds the new tree beside the old one, swaps it in atomically where the platform
//!   allows, and repairs what a killed earlier run left behind.

mod check;
mod paths;
mod swap;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use check::{Scan, ScanCtx};

/// A generated folder held in memory: relative path (always `/`-separated, whatever the host) to
/// file contents. A `BTreeMap` so that writing, checking and reporting happen in a stable order.
pub type FileSet = BTreeMap<String, String>;

/// Why putting a [`FileSet`] on disk, or checking one against the disk, failed.
#[derive(Debug)]
pub enum OutputError {
    /// A relative path in the file set could escape the output folder or could not be created
    /// portably. Reported before anything is written, so the caller can point at the schema or
    /// operation name that produced it.
    UnsafePath {
        /// The relative path as the file set has it.
        path: String,
        /// Why, as a short phrase (`the path is empty`).
        reason: &'static str,
    },
    /// The file system refused an operation.
    Io {
        /// The file or folder the operation was about.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
}

impl fmt::Display for OutputError {
    // The cause is part of the message (as well as `source()`), because callers mostly print
    // errors with `{}` and "i/o error at x" alone would hide whether it was a permission problem
    // or a full disk.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::UnsafePath { path, reason } => {
                write!(f, "refusing to write generated file {path:?}: {reason}")
            }
            OutputError::Io { path, source } => {
                write!(f, "i/o error at {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::UnsafePath { .. } => None,
            OutputError::Io { source, .. } => Some(source),
        }
    }
}

fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> OutputError {
    let path = path.into();
    move |source| OutputError::Io { path, source }
}

/// Replaces the folder `dir` with exactly `files`, all or nothing. Files in `dir` that are not in
/// `files` are removed, except those whose relative path is matched by `keep` (e.g. `target/` or a
/// `.gitignore` the user added — the caller passes a predicate). When nothing differs, touches nothing
/// (no mtime change) and returns Ok(false); returns Ok(true) when it wrote.
///
/// `keep` sees `/`-separated paths relative to `dir`; folders are offered with a trailing `/`
/// (`"target/"`) before their contents, and a matched folder is kept whole without asking about
/// its contents. Generated paths always win over kept ones.
///
/// How the write stays all-or-nothing: every path is validated first; the new tree is built in a
/// fresh sibling `.<dirname>.new-<pid>-<nanos>` (same parent, hence same file system, so renames
/// are possible), kept *files* are copied into it, and only then is it swapped with `dir`. On
/// Linux the swap is an atomic `renameat2(RENAME_EXCHANGE)`; elsewhere (or where the file system
/// lacks it) it is two renames, leaving a window of two system calls in which `dir` does not
/// exist — a run killed right there is repaired by the next one, which renames `.old-*` back. Kept
/// *folders* are not copied but moved (renamed) from the old tree into the new one right after the
/// swap, because copying a multi-gigabyte `target/` on every regeneration is not acceptable; the
/// price is that, if the process is killed between the swap and that move, the folder briefly
/// lives in the `.old-*` sibling, from where the next write moves it back. Any failure before the
/// swap removes the staging folder and leaves `dir` untouched.
///
/// Leftover siblings from a killed earlier run are cleaned up (and recovered from) at the start.
/// `dir` itself may be a symlink; the folder it points to is replaced. Files are written exactly
/// as given (no newline normalization) and compared as bytes.
pub fn write_tree(dir: &Path, files: &FileSet, keep: &dyn Fn(&str) -> bool) -> Result<bool, OutputError> {
    write_tree_with_hook(dir, files, keep, &mut || Ok(()))
}

/// [`write_tree`] with a callback run after the new tree is complete and just before the swap,
/// so tests can inject a failure at the worst moment and check that nothing leaked.
#[doc(hidden)]
pub fn write_tree_with_hook(
    dir: &Path,
    files: &FileSet,
    keep: &dyn Fn(&str) -> bool,
    before_swap: &mut dyn FnMut() -> io::Result<()>,
) -> Result<bool, OutputError> {
    let gen_dirs = paths::validate_set(files)?;
    let mut target = swap::locate(dir)?;
    fs::create_dir_all(&target.parent).map_err(io_err(&target.parent))?;
    swap::recover_leftovers(&mut target, files, keep)?;

    let ctx = ScanCtx { files, gen_dirs: &gen_dirs, keep };
    let found = if target.exists { check::scan(&target.dir, &ctx)? } else { Scan::default() };
    if target.exists && found.extra.is_empty() {
        let mut fresh = true;
        for (path, contents) in files {
            if check::compare(&target.dir, path, contents, found.found.get(path).copied())?.is_some() {
                fresh = false;
                break;
            }
        }
        if fresh {
            return Ok(false);
        }
    }

    swap::replace(&target, files, &found.kept_files, &found.kept_dirs, before_swap)?;
    Ok(true)
}

/// How a file on disk differs from what the generator would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staleness {
    /// The generator would create this file.
    Missing,
    /// The file exists with other contents; `diff` goes from the disk to the generated contents.
    Changed {
        /// A unified diff, cut to about 40 lines.
        diff: String,
    },
    /// The generator no longer produces this file, so regenerating would delete it.
    Extra,
}

/// One file that is not as the generator would leave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFile {
    /// Relative to the checked folder, `/`-separated.
    pub path: String,
    /// How it differs.
    pub staleness: Staleness,
}

/// Compares `dir` with `files` without writing anything. Returns every stale, missing or extra file
/// (ignoring paths matched by `keep`), sorted by path. The diff is a unified diff (via `similar`),
/// cut to at most ~40 lines with a "... N more lines" marker.
///
/// Paths are validated as for [`write_tree`], so a check fails the same way the write would.
/// Empty folders are not reported, just as git does not track them. A missing `dir` makes every
/// file `Missing`.
pub fn check_tree(dir: &Path, files: &FileSet, keep: &dyn Fn(&str) -> bool) -> Result<Vec<StaleFile>, OutputError> {
    let gen_dirs = paths::validate_set(files)?;
    let target = swap::locate(dir)?;
    let mut stale = Vec::new();
    if !target.exists {
        stale.extend(files.keys().map(|path| StaleFile { path: path.clone(), staleness: Staleness::Missing }));
        return Ok(stale);
    }
    let ctx = ScanCtx { files, gen_dirs: &gen_dirs, keep };
    let found = check::scan(&target.dir, &ctx)?;
    for (path, contents) in files {
        if let Some(staleness) = check::compare(&target.dir, path, contents, found.found.get(path).copied())? {
            stale.push(StaleFile { path: path.clone(), staleness });
        }
    }
    stale.extend(found.extra.into_iter().map(|path| StaleFile { path, staleness: Staleness::Extra }));
    stale.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(stale)
}

/// Renders a check result for a terminal: one block per file (path, kind, short diff), then the command
/// the user should run (passed by the caller, e.g. "cargo xtask openapi").
///
/// Written for CI logs: the last line is always the fix, so it is what a reader sees first when
/// the log is cut off at the top.
pub fn render_staleness(stale: &[StaleFile], fix_command: &str) -> String {
    if stale.is_empty() {
        return "generated files are up to date\n".to_owned();
    }
    let mut out = if stale.len() == 1 {
        "1 generated file is out of date:\n".to_owned()
    } else {
        format!("{} generated files are out of date:\n", stale.len())
    };
    for file in stale {
        out.push('\n');
        match &file.staleness {
            Staleness::Missing => {
                out.push_str(&format!("missing: {} (the generator would create it)\n", file.path));
            }
            Staleness::Extra => {
                out.push_str(&format!("extra:   {} (the generator no longer produces it)\n", file.path));
            }
            Staleness::Changed { diff } => {
                out.push_str(&format!("changed: {}\n", file.path));
                for line in diff.lines() {
                    out.push_str("    ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
    }
    out.push_str(&format!("\nto update them, run: {fix_command}\n"));
    out
}

/// Writes one file atomically (temp file in the same folder + rename), creating parent folders;
/// skips the write when the contents are already equal. Used by build scripts writing into OUT_DIR.
///
/// Skipping equal contents keeps the mtime, so whatever `include!`s the file is not rebuilt; the
/// temp+rename means a concurrent reader (or a build killed midway) never sees half a file.
/// Temp files left by killed earlier runs are removed.
pub fn write_file_if_changed(path: &Path, contents: &str) -> Result<bool, OutputError> {
    if let Ok(existing) = fs::read(path) {
        if existing == contents.as_bytes() {
            return Ok(false);
        }
    }
    swap::replace_file(path, contents.as_bytes())?;
    Ok(true)
}

/// Helpers shared by the tests of this module and of its submodules.
#[cfg(test)]
mod tests {
    use super::swap::stamp;
    use super::*;
    use std::ffi::OsString;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    /// A scratch parent folder; the output folder under test is `<scratch>/out`, so that leftover
    /// siblings can be checked by listing the scratch folder.
    pub(super) struct Scratch(pub(super) PathBuf);

    impl Scratch {
        pub(super) fn new() -> Scratch {
            static N: AtomicU64 = AtomicU64::new(0);
            let path = std::env::temp_dir().join(format!("oas-output-test-{}-{}-{}", std::process::id(), stamp(), N.fetch_add(1, Ordering::Relaxed)));
            fs::create_dir_all(&path).unwrap();
            Scratch(path)
        }
        pub(super) fn out(&self) -> PathBuf {
            self.0.join("out")
        }
        pub(super) fn siblings(&self) -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(&self.0).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            names.sort();
            names
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    pub(super) fn set(entries: &[(&str, &str)]) -> FileSet {
        entries.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect()
    }

    /// Every file under `dir`, as relative path → bytes.
    pub(super) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        fn go(root: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
            for entry in fs::read_dir(root.join(rel)).unwrap() {
                let entry = entry.unwrap();
                let name = entry.file_name().to_string_lossy().into_owned();
                let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
                if entry.file_type().unwrap().is_dir() {
                    go(root, &child, out);
                } else {
                    out.insert(child, fs::read(entry.path()).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        go(dir, "", &mut out);
        out
    }

    pub(super) fn bytes(files: &FileSet) -> BTreeMap<String, Vec<u8>> {
        files.iter().map(|(p, c)| (p.clone(), c.as_bytes().to_vec())).collect()
    }

    pub(super) fn keep_nothing(_: &str) -> bool {
        false
    }

    pub(super) fn keep_target_and_gitignore(path: &str) -> bool {
        path.starts_with("target/") || path == ".gitignore"
    }

    #[test]
    fn creates_from_nothing_including_missing_parents() {
        let scratch = Scratch::new();
        let out = scratch.0.join("deep/er/out");
        let files = set(&[("Cargo.toml", "[package]\n"), ("src/lib.rs", "pub mod types;\n"), ("src/types.rs", "")]);
        assert!(write_tree(&out, &files, &keep_nothing).unwrap());
        assert_eq!(snapshot(&out), bytes(&files));
        assert_eq!(fs::read_dir(scratch.0.join("deep/er")).unwrap().count(), 1, "no temp folders left");
    }

    #[test]
    fn rewrites_changed_added_and_removed_files() {
        let scratch = Scratch::new();
        let out = scratch.out();
        let v1 = set(&[("Cargo.toml", "a"), ("src/lib.rs", "old\n"), ("src/gone.rs", "x"), ("docs/old/page.md", "p")]);
        assert!(write_tree(&out, &v1, &keep_nothing).unwrap());
        let v2 = set(&[("Cargo.toml", "a"), ("src/lib.rs", "new\n"), ("src/added.rs", "y")]);
        assert!(write_tree(&out, &v2, &keep_nothing).unwrap());
        assert_eq!(snapshot(&out), bytes(&v2));
        assert!(!out.join("docs").exists(), "folders emptied by the rewrite disappear");
        assert_eq!(scratch.siblings(), vec!["out"]);
    }

    #[test]
    fn contents_are_written_exactly() {
        let scratch = Scratch::new();
        let out = scratch.out();
        let files = set(&[("a.txt", "crlf\r\nline"), ("b.txt", "no newline"), ("c.txt", "ünïcødé\n\n")]);
        write_tree(&out, &files, &keep_nothing).unwrap();
        assert_eq!(snapshot(&out), bytes(&files));
        // A line-ending change is a change.
        let lf = set(&[("a.txt", "crlf\nline"), ("b.txt", "no newline"), ("c.txt", "ünïcødé\n\n")]);
        assert!(write_tree(&out, &lf, &keep_nothing).unwrap());
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"crlf\nline");
    }

    #[test]
    fn unchanged_tree_is_not_touched() {
        let scratch = Scratch::new();
        let out = scratch.out();
        let files = set(&[("Cargo.toml", "a"), ("src/lib.rs", "b"), ("src/x/y.rs", "c")]);
        assert!(write_tree(&out, &files, &keep_nothing).unwrap());
        let stamps = |p: &Path| {
            let mut v = vec![fs::metadata(p).unwrap().modified().unwrap()];
            for f in files.keys() {
                v.push(fs::metadata(p.join(f)).unwrap().modified().unwrap());
            }
            v
        };
        let before = stamps(&out);
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&fs::metadata(&out).unwrap());
        std::thread::sleep(Duration::from_millis(30));
        assert!(!write_tree(&out, &files, &keep_nothing).unwrap());
        assert_eq!(stamps(&out), before);
        #[cfg(unix)]
        assert_eq!(std::os::unix::fs::MetadataExt::ino(&fs::metadata(&out).unwrap()), inode, "not swapped");

        // An extra file alone is a difference.
        fs::write(out.join("stray.rs"), "z").unwrap();
        assert!(write_tree(&out, &files, &keep_nothing).unwrap());
        assert_eq!(snapshot(&out), bytes(&files));
    }

    #[test]
    fn keep_preserves_target_and_user_files() {
        let scratch = Scratch::new();
        let out = scratch.out();
        let v1 = set(&[("Cargo.toml", "a"), ("src/lib.rs", "b")]);
        write_tree(&out, &v1, &keep_target_and_gitignore).unwrap();
        fs::create_dir_all(out.join("target/debug/deps")).unwrap();
        fs::write(out.join("target/debug/deps/libx.rlib"), "binary").unwrap();
        fs::write(out.join(".gitignore"), "/target\n").unwrap();
        fs::write(out.join("notes.txt"), "not kept").unwrap();
        #[cfg(unix)]
        let target_inode = std::os::unix::fs::MetadataExt::ino(&fs::metadata(out.join("target")).unwrap());

        // Kept files alone do not make the tree stale, but the unkept one does.
        let v2 = set(&[("Cargo.toml", "a"), ("src/lib.rs", "changed")]);
        assert!(write_tree(&out, &v2, &keep_target_and_gitignore).unwrap());
        let mut expected = bytes(&v2);
        expected.insert("target/debug/deps/libx.rlib".into(), b"binary".to_vec());
        expected.insert(".gitignore".into(), b"/target\n".to_vec());
        assert_eq!(snapshot(&out), expected);
        #[cfg(unix)]
        assert_eq!(std::os::unix::fs::MetadataExt::ino(&fs::metadata(out.join("target")).unwrap()), target_inode, "target/ is moved, not copied");
        assert!(!write_tree(&out, &v2, &keep_target_and_gitignore).unwrap());
        assert_eq!(scratch.siblings(), vec!["out"]);
    }

    #[test]
    fn generated_files_win_inside_kept_folders() {
        let scratch = Scratch::new();
        let out = scratch.out();
        fs::create_dir_all(out.join("target/cache")).unwrap();
        fs::write(out.join("target/cache/blob"), "keep me").unwrap();
        fs::write(out.join("target/gen.rs"), "stale").unwrap();
        fs::write(out.join("target/user.txt"), "keep me too").unwrap();
        let files = set(&[("target/gen.rs", "fresh")]);
        assert!(write_tree(&out, &files, &keep_target_and_gitignore).unwrap());
        let snap = snapshot(&out);
        assert_eq!(snap["target/gen.rs"], b"fresh");
        assert_eq!(snap["target/cache/blob"], b"keep me");
        assert_eq!(snap["target/user.txt"], b"keep me too");
    }

    #[test]
    fn render_names_files_kinds_and_the_fix() {
        let stale = vec![
            StaleFile { path: "a.rs".into(), staleness: Staleness::Missing },
            StaleFile { path: "b.rs".into(), staleness: Staleness::Changed { diff: "-old\n+new\n".into() } },
            StaleFile { path: "c.rs".into(), staleness: Staleness::Extra },
        ];
        let text = render_staleness(&stale, "cargo xtask openapi");
        assert!(text.starts_with("3 generated files are out of date"), "{text}");
        assert!(text.contains("missing: a.rs"), "{text}");
        assert!(text.contains("changed: b.rs\n    -old\n    +new\n"), "{text}");
        assert!(text.contains("extra:   c.rs"), "{text}");
        assert!(text.trim_end().ends_with("run: cargo xtask openapi"), "{text}");
        assert_eq!(render_staleness(&[], "x"), "generated files are up to date\n");
    }

    #[test]
    fn write_file_if_changed_is_atomic_and_lazy() {
        let scratch = Scratch::new();
        let path = scratch.0.join("out/dir/generated.rs");
        assert!(write_file_if_changed(&path, "fn a() {}\n").unwrap());
        let mtime = fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(Duration::from_millis(30));
        assert!(!write_file_if_changed(&path, "fn a() {}\n").unwrap());
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), mtime);
        fs::write(scratch.0.join("out/dir/.generated.rs.tmp-999999999-5"), "junk").unwrap();
        assert!(write_file_if_changed(&path, "fn b() {}\r\n").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"fn b() {}\r\n");
        let names: Vec<_> = fs::read_dir(scratch.0.join("out/dir")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![OsString::from("generated.rs")]);
    }

    #[test]
    fn errors_say_where() {
        let scratch = Scratch::new();
        let file = scratch.0.join("a-file");
        fs::write(&file, "x").unwrap();
        let err = write_tree(&file, &set(&[("a", "b")]), &keep_nothing).unwrap_err();
        assert!(matches!(err, OutputError::Io { .. }));
        assert!(err.to_string().contains("a-file"), "{err}");
        assert!(std::error::Error::source(&err).is_some());
    }
}
