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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A generated folder held in memory: relative path (always `/`-separated, whatever the host) to
/// file contents. A `BTreeMap` so that writing, checking and reporting happen in a stable order.
pub type FileSet = BTreeMap<String, String>;

/// Why putting a [`FileSet`] on disk, or checking one against the disk, failed.
#[derive(Debug)]
pub enum OutputError {
    /// A relative path in the file set could escape the output folder or could not be created
    /// portably. Reported before anything is written, so the caller can point at the schema or
    /// operation name that produced it.
    UnsafePath { path: String, reason: &'static str },
    /// The file system refused an operation; `path` is the file or folder it was about.
    Io { path: PathBuf, source: io::Error },
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

fn unsafe_path(path: &str, reason: &'static str) -> OutputError {
    OutputError::UnsafePath { path: path.to_owned(), reason }
}

// ---------------------------------------------------------------------------------------------
// Path validation
// ---------------------------------------------------------------------------------------------

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
fn validate_set(files: &FileSet) -> Result<HashSet<String>, OutputError> {
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

// ---------------------------------------------------------------------------------------------
// Scanning the folder on disk
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    File,
    Dir,
    Symlink,
    Special,
}

#[derive(Default)]
struct Scan {
    /// What sits on disk at each generated path (only generated paths are recorded).
    found: HashMap<String, Found>,
    /// Files the generator does not produce and `keep` does not protect.
    extra: Vec<String>,
    /// Files (or symlinks) to carry into the new tree by copying.
    kept_files: Vec<PathBuf>,
    /// Folders to carry into the new tree by renaming.
    kept_dirs: Vec<PathBuf>,
}

struct ScanCtx<'a> {
    files: &'a FileSet,
    gen_dirs: &'a HashSet<String>,
    keep: &'a dyn Fn(&str) -> bool,
}

fn scan(root: &Path, ctx: &ScanCtx<'_>) -> Result<Scan, OutputError> {
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
fn compare(root: &Path, path: &str, expected: &str, found: Option<Found>) -> Result<Option<Staleness>, OutputError> {
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

// ---------------------------------------------------------------------------------------------
// Locating the output folder and its temporary siblings
// ---------------------------------------------------------------------------------------------

struct Target {
    /// The real output folder (symlinks resolved, so we replace the folder, not the link).
    dir: PathBuf,
    parent: PathBuf,
    name: OsString,
    exists: bool,
}

fn locate(dir: &Path) -> Result<Target, OutputError> {
    let dir = match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_symlink() || dir.file_name().is_none() => fs::canonicalize(dir).map_err(io_err(dir))?,
        _ => dir.to_path_buf(),
    };
    let exists = match fs::metadata(&dir) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            return Err(OutputError::Io {
                path: dir,
                source: io::Error::new(io::ErrorKind::NotADirectory, "the output path exists but is not a folder"),
            })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(OutputError::Io { path: dir, source: e }),
    };
    let Some(name) = dir.file_name().map(OsStr::to_os_string) else {
        return Err(OutputError::Io { path: dir, source: io::Error::new(io::ErrorKind::InvalidInput, "the output folder has no name to replace") });
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok(Target { dir, parent, name, exists })
}

fn sibling_name(name: &OsStr, kind: &str, pid: u32, stamp: u128) -> OsString {
    let mut s = OsString::from(".");
    s.push(name);
    s.push(format!(".{kind}-{pid}-{stamp}"));
    s
}

/// Nanoseconds since the epoch, nudged by a counter so two calls in the same process never
/// produce the same temporary name even on coarse clocks.
fn stamp() -> u128 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    nanos + u128::from(COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Whether a temporary left by process `pid` may still be in use. Only Linux can tell (via
/// `/proc`); elsewhere every leftover is treated as abandoned, i.e. concurrent writers of the same
/// output folder are not supported there.
fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    cfg!(target_os = "linux") && Path::new("/proc").join(pid.to_string()).exists()
}

/// `.<name>.<kind>-<pid>-<stamp>` siblings of the output folder, parsed.
struct Leftover {
    path: PathBuf,
    is_old: bool,
    stamp: u128,
}

fn find_leftovers(parent: &Path, name: &OsStr) -> Result<Vec<Leftover>, OutputError> {
    let new_prefix = sibling_name(name, "new", 0, 0);
    let old_prefix = sibling_name(name, "old", 0, 0);
    // Strip the "0-0" placeholder to get ".<name>.new-".
    let prefix_of = |s: &OsString| {
        let b = s.as_encoded_bytes();
        b[..b.len() - 3].to_vec()
    };
    let (new_prefix, old_prefix) = (prefix_of(&new_prefix), prefix_of(&old_prefix));
    let mut leftovers = Vec::new();
    let entries = match fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(leftovers),
        Err(e) => return Err(OutputError::Io { path: parent.to_path_buf(), source: e }),
    };
    for entry in entries {
        let entry = entry.map_err(io_err(parent))?;
        let file_name = entry.file_name();
        let bytes = file_name.as_encoded_bytes();
        let (is_old, rest) = if let Some(rest) = bytes.strip_prefix(new_prefix.as_slice()) {
            (false, rest)
        } else if let Some(rest) = bytes.strip_prefix(old_prefix.as_slice()) {
            (true, rest)
        } else {
            continue;
        };
        let Some((pid, stamp)) = std::str::from_utf8(rest).ok().and_then(|s| s.split_once('-')) else { continue };
        let (Ok(pid), Ok(stamp)) = (pid.parse::<u32>(), stamp.parse::<u128>()) else { continue };
        if pid_alive(pid) {
            continue;
        }
        leftovers.push(Leftover { path: entry.path(), is_old, stamp });
    }
    leftovers.sort_by_key(|l| std::cmp::Reverse(l.stamp));
    Ok(leftovers)
}

/// Repairs what a killed earlier run may have left, before this run looks at the folder:
///
/// * the folder itself missing while an `.old-*` sibling exists (killed between the two renames of
///   the non-atomic swap): the newest `.old-*` is renamed back;
/// * kept folders (such as `target/`) still inside a leftover (killed after the swap but before
///   they were moved over): moved into the output folder when it has nothing at that path;
/// * then the leftovers are removed. A leftover from which a kept folder could not be moved is
///   left alone, so nothing of the user's is deleted.
fn recover_leftovers(target: &mut Target, files: &FileSet, keep: &dyn Fn(&str) -> bool) -> Result<(), OutputError> {
    let mut leftovers = find_leftovers(&target.parent, &target.name)?;
    if !target.exists {
        if let Some(i) = leftovers.iter().position(|l| l.is_old) {
            let restored = leftovers.remove(i);
            fs::rename(&restored.path, &target.dir).map_err(io_err(&restored.path))?;
            target.exists = true;
        }
    }
    for leftover in leftovers {
        let salvaged = !target.exists || salvage(&leftover.path, &target.dir, "", Path::new(""), files, keep);
        if salvaged {
            // Failing to delete a leftover only wastes space; the next run tries again.
            let _ = fs::remove_dir_all(&leftover.path);
        }
    }
    Ok(())
}

/// Moves kept folders from `src_root` into `dst_root` where `dst_root` has nothing. Returns false
/// if something that should have been moved could not be.
fn salvage(src_root: &Path, dst_root: &Path, rel: &str, rel_path: &Path, files: &FileSet, keep: &dyn Fn(&str) -> bool) -> bool {
    let Ok(entries) = fs::read_dir(src_root.join(rel_path)) else { return false };
    let mut ok = true;
    for entry in entries.flatten() {
        let Ok(file_type) = entry.file_type() else { continue };
        if !file_type.is_dir() {
            continue;
        }
        let name = entry.file_name();
        let name_lossy = name.to_string_lossy();
        let child_rel = if rel.is_empty() { name_lossy.into_owned() } else { format!("{rel}/{name_lossy}") };
        let child_path = rel_path.join(&name);
        if keep(&format!("{child_rel}/")) {
            let dst = dst_root.join(&child_path);
            if files.contains_key(&child_rel) || fs::symlink_metadata(&dst).is_ok() {
                continue;
            }
            let moved = dst.parent().is_some_and(|p| fs::create_dir_all(p).is_ok()) && fs::rename(src_root.join(&child_path), &dst).is_ok();
            ok &= moved;
        } else {
            ok &= salvage(src_root, dst_root, &child_rel, &child_path, files, keep);
        }
    }
    ok
}

/// Removes a staging folder unless disarmed, so that any failure (or panic, e.g. in the test hook)
/// before the swap leaves no trace next to the output folder.
struct StagingGuard {
    path: PathBuf,
    armed: bool,
}

impl Drop for StagingGuard {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

fn create_unique_dir(parent: &Path, name: &OsStr, kind: &str) -> Result<PathBuf, OutputError> {
    let pid = std::process::id();
    let mut attempts = 0;
    loop {
        let path = parent.join(sibling_name(name, kind, pid, stamp()));
        match fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 16 => attempts += 1,
            Err(e) => return Err(OutputError::Io { path, source: e }),
        }
    }
}

/// Writes `contents` to a file that must not exist yet. The tree is built beside the old one
/// and swapped in whole, so a failed or killed run never exposes it; the data is not flushed file
/// by file, because that costs about a millisecond per file (ten seconds for GitHub's 8,000
/// generated files) and only protects against power loss, which, as with cargo's and git's own
/// writes, is left to the file system.
fn write_new_file(path: &Path, contents: &[u8]) -> Result<(), OutputError> {
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(io_err(path))?;
    file.write_all(contents).map_err(io_err(path))
}

/// Writes every file of `files` under `root`, folders by folder on two threads. Creating a file
/// costs the file system far more than writing it (on the ext4 file systems measured, about
/// 0.14 ms per file, most of it spent looking for a free inode), and creations in one folder
/// queue behind that folder's lock, so the folders are shared out instead of the files.
fn write_new_files(root: &Path, files: &FileSet) -> Result<(), OutputError> {
    // (path, contents) of each file, by folder.
    type Share<'a> = Vec<(&'a str, &'a str)>;
    let mut folders: BTreeMap<&str, Share<'_>> = BTreeMap::new();
    for (path, contents) in files {
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        folders.entry(folder).or_default().push((path, contents));
    }
    for folder in folders.keys().filter(|folder| !folder.is_empty()) {
        let dir = root.join(folder);
        fs::create_dir_all(&dir).map_err(io_err(dir))?;
    }
    // Largest folders first, each to the thread with fewer files so far.
    let mut by_size: Vec<&Share<'_>> = folders.values().collect();
    by_size.sort_by_key(|entries| std::cmp::Reverse(entries.len()));
    let (mut first, mut second): (Share<'_>, Share<'_>) = (Vec::new(), Vec::new());
    for entries in by_size {
        let share = if first.len() <= second.len() { &mut first } else { &mut second };
        share.extend_from_slice(entries);
    }
    let write_all = |share: &[(&str, &str)]| share.iter().try_for_each(|(path, contents)| write_new_file(&root.join(path), contents.as_bytes()));
    if second.is_empty() {
        return write_all(&first);
    }
    std::thread::scope(|scope| {
        let helper = scope.spawn(|| write_all(&second));
        let mine = write_all(&first);
        let theirs =
            helper.join().unwrap_or_else(|_| Err(OutputError::Io { path: root.to_path_buf(), source: io::Error::other("a writer thread panicked") }));
        mine.and(theirs)
    })
}

/// Copies a kept file or symlink (as a symlink, never following it: it may point anywhere).
/// Sockets, FIFOs and devices cannot be meaningfully copied and are dropped.
fn copy_entry(src: &Path, dst: &Path) -> Result<(), OutputError> {
    let meta = fs::symlink_metadata(src).map_err(io_err(src))?;
    if meta.is_symlink() {
        #[cfg(unix)]
        {
            let target = fs::read_link(src).map_err(io_err(src))?;
            std::os::unix::fs::symlink(target, dst).map_err(io_err(dst))?;
        }
        #[cfg(not(unix))]
        {
            fs::copy(src, dst).map_err(io_err(dst))?;
        }
    } else if meta.is_file() {
        fs::copy(src, dst).map_err(io_err(dst))?;
    }
    Ok(())
}

/// Best effort: makes renames in `dir` durable. Not possible on every platform (Windows cannot
/// open folders this way), and a failure here does not undo a write that already happened.
fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

// ---------------------------------------------------------------------------------------------
// The swap
// ---------------------------------------------------------------------------------------------

/// Atomically exchanges two existing paths with `renameat2(RENAME_EXCHANGE)`. std has no API for
/// it and the `libc` crate is not a dependency, so this goes through the C library's `syscall()`
/// (present in glibc and musl alike), with the syscall number of each supported architecture.
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64", target_arch = "riscv64", target_arch = "loongarch64")))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::{c_int, c_long, CString};
    use std::os::unix::ffi::OsStrExt;

    extern "C" {
        fn syscall(number: c_long, ...) -> c_long;
    }
    const AT_FDCWD: c_int = -100;
    const RENAME_EXCHANGE: c_long = 2;
    #[cfg(target_arch = "x86_64")]
    const SYS_RENAMEAT2: c_long = 316;
    #[cfg(any(target_arch = "aarch64", target_arch = "riscv64", target_arch = "loongarch64"))]
    const SYS_RENAMEAT2: c_long = 276;

    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call; renameat2
    // only reads them. Integer arguments are passed as `long`, which is what the kernel expects
    // in each register.
    let rc = unsafe { syscall(SYS_RENAMEAT2, c_long::from(AT_FDCWD), a.as_ptr(), c_long::from(AT_FDCWD), b.as_ptr(), RENAME_EXCHANGE) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64", target_arch = "riscv64", target_arch = "loongarch64"))))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether an `exchange` failure means "this kernel or file system cannot exchange" (ENOSYS,
/// EINVAL, EOPNOTSUPP on Linux), as opposed to a real error that should abort the write.
fn exchange_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported || (cfg!(target_os = "linux") && matches!(e.raw_os_error(), Some(38 | 22 | 95)))
}

/// Puts `staging` in place of the existing `dir` and returns where the previous contents now are.
///
/// With an atomic exchange, `dir` always holds either the old or the new tree. Without it (other
/// platforms, old kernels, file systems lacking support) two renames are done and there is a
/// window of two system calls where `dir` does not exist; if the process dies right there, the
/// next write renames the `.old-*` folder back before doing anything else.
///
/// `Err` means nothing was swapped (a failed second rename is rolled back).
fn swap(target: &Target, staging: &Path) -> Result<PathBuf, OutputError> {
    let old = target.parent.join(sibling_name(&target.name, "old", std::process::id(), stamp()));
    match exchange(staging, &target.dir) {
        Ok(()) => {
            // The old tree now sits at the staging path; give it its proper name so a leftover is
            // recognisable, but it is not a problem if this fails.
            Ok(if fs::rename(staging, &old).is_ok() { old } else { staging.to_path_buf() })
        }
        Err(e) if exchange_unsupported(&e) => rename_swap(target, staging, old),
        Err(e) => Err(OutputError::Io { path: target.dir.clone(), source: e }),
    }
}

/// The fallback of [`swap`]: old out of the way, new in, and back if the second step fails.
fn rename_swap(target: &Target, staging: &Path, old: PathBuf) -> Result<PathBuf, OutputError> {
    fs::rename(&target.dir, &old).map_err(io_err(&target.dir))?;
    if let Err(e) = fs::rename(staging, &target.dir) {
        let _ = fs::rename(&old, &target.dir);
        return Err(OutputError::Io { path: target.dir.clone(), source: e });
    }
    Ok(old)
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

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
    let gen_dirs = validate_set(files)?;
    let mut target = locate(dir)?;
    fs::create_dir_all(&target.parent).map_err(io_err(&target.parent))?;
    recover_leftovers(&mut target, files, keep)?;

    let ctx = ScanCtx { files, gen_dirs: &gen_dirs, keep };
    let found = if target.exists { scan(&target.dir, &ctx)? } else { Scan::default() };
    if target.exists && found.extra.is_empty() {
        let mut fresh = true;
        for (path, contents) in files {
            if compare(&target.dir, path, contents, found.found.get(path).copied())?.is_some() {
                fresh = false;
                break;
            }
        }
        if fresh {
            return Ok(false);
        }
    }

    let staging_path = create_unique_dir(&target.parent, &target.name, "new")?;
    let mut staging = StagingGuard { path: staging_path, armed: true };
    if target.exists {
        if let Ok(meta) = fs::metadata(&target.dir) {
            let _ = fs::set_permissions(&staging.path, meta.permissions());
        }
    }
    write_new_files(&staging.path, files)?;
    for rel in &found.kept_files {
        let dst = staging.path.join(rel);
        if let Some(parent) = dst.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        copy_entry(&target.dir.join(rel), &dst)?;
    }
    before_swap().map_err(io_err(&target.dir))?;

    if !target.exists {
        fs::rename(&staging.path, &target.dir).map_err(io_err(&target.dir))?;
        staging.armed = false;
        sync_dir(&target.parent);
        return Ok(true);
    }
    let old = swap(&target, &staging.path)?;
    staging.armed = false;
    sync_dir(&target.parent);

    // Carry kept folders over. On failure, keep the old tree (which still holds them) for the next
    // run to salvage, and say what went wrong.
    let mut first_error = None;
    for rel in &found.kept_dirs {
        let (src, dst) = (old.join(rel), target.dir.join(rel));
        let result = dst.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| fs::rename(&src, &dst)).map_err(io_err(&dst));
        if let Err(e) = result {
            first_error.get_or_insert(e);
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    // A failure here only leaves a hidden sibling that the next run removes.
    let _ = fs::remove_dir_all(&old);
    Ok(true)
}

/// How a file on disk differs from what the generator would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staleness {
    /// The generator would create this file.
    Missing,
    /// The file exists with other contents; `diff` goes from the disk to the generated contents.
    Changed { diff: String },
    /// The generator no longer produces this file, so regenerating would delete it.
    Extra,
}

/// One file that is not as the generator would leave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFile {
    /// Relative to the checked folder, `/`-separated.
    pub path: String,
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
    let gen_dirs = validate_set(files)?;
    let target = locate(dir)?;
    let mut stale = Vec::new();
    if !target.exists {
        stale.extend(files.keys().map(|path| StaleFile { path: path.clone(), staleness: Staleness::Missing }));
        return Ok(stale);
    }
    let ctx = ScanCtx { files, gen_dirs: &gen_dirs, keep };
    let found = scan(&target.dir, &ctx)?;
    for (path, contents) in files {
        if let Some(staleness) = compare(&target.dir, path, contents, found.found.get(path).copied())? {
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
    let Some(name) = path.file_name() else {
        return Err(OutputError::Io { path: path.to_path_buf(), source: io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name") });
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    remove_stale_temp_files(&parent, name);

    let pid = std::process::id();
    let mut attempts = 0;
    let tmp = loop {
        let tmp = parent.join(sibling_name(name, "tmp", pid, stamp()));
        match write_new_file(&tmp, contents.as_bytes()) {
            Ok(()) => break tmp,
            Err(OutputError::Io { source, .. }) if source.kind() == io::ErrorKind::AlreadyExists && attempts < 16 => {
                attempts += 1;
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        }
    };
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(OutputError::Io { path: path.to_path_buf(), source: e });
    }
    sync_dir(&parent);
    Ok(true)
}

fn remove_stale_temp_files(parent: &Path, name: &OsStr) {
    let prefix = sibling_name(name, "tmp", 0, 0);
    let prefix = &prefix.as_encoded_bytes()[..prefix.len() - 3];
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.as_encoded_bytes().strip_prefix(prefix) else { continue };
        let pid = std::str::from_utf8(rest).ok().and_then(|s| s.split_once('-')).and_then(|(p, _)| p.parse().ok());
        if pid.is_some_and(|pid| !pid_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A scratch parent folder; the output folder under test is `<scratch>/out`, so that leftover
    /// siblings can be checked by listing the scratch folder.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new() -> Scratch {
            static N: AtomicU64 = AtomicU64::new(0);
            let path = std::env::temp_dir().join(format!("oas-output-test-{}-{}-{}", std::process::id(), stamp(), N.fetch_add(1, Ordering::Relaxed)));
            fs::create_dir_all(&path).unwrap();
            Scratch(path)
        }
        fn out(&self) -> PathBuf {
            self.0.join("out")
        }
        fn siblings(&self) -> Vec<String> {
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

    fn set(entries: &[(&str, &str)]) -> FileSet {
        entries.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect()
    }

    /// Every file under `dir`, as relative path → bytes.
    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
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

    fn bytes(files: &FileSet) -> BTreeMap<String, Vec<u8>> {
        files.iter().map(|(p, c)| (p.clone(), c.as_bytes().to_vec())).collect()
    }

    fn keep_nothing(_: &str) -> bool {
        false
    }

    fn keep_target_and_gitignore(path: &str) -> bool {
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

    #[test]
    fn failure_before_swap_leaves_old_tree_intact() {
        let scratch = Scratch::new();
        let out = scratch.out();
        let v1 = set(&[("Cargo.toml", "a"), ("src/lib.rs", "b"), ("src/gone.rs", "c")]);
        write_tree(&out, &v1, &keep_target_and_gitignore).unwrap();
        fs::create_dir_all(out.join("target")).unwrap();
        fs::write(out.join("target/x"), "cache").unwrap();
        fs::write(out.join(".gitignore"), "g").unwrap();
        let before = snapshot(&out);

        let v2 = set(&[("Cargo.toml", "changed"), ("src/lib.rs", "b"), ("src/new.rs", "d")]);
        let mut called = false;
        let err = write_tree_with_hook(&out, &v2, &keep_target_and_gitignore, &mut || {
            called = true;
            Err(io::Error::other("injected"))
        })
        .unwrap_err();
        assert!(called);
        assert!(err.to_string().contains("injected"), "{err}");
        assert_eq!(snapshot(&out), before);
        assert_eq!(scratch.siblings(), vec!["out"]);

        // Same for a panic at that point.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            write_tree_with_hook(&out, &v2, &keep_target_and_gitignore, &mut || panic!("boom"))
        }));
        assert!(result.is_err());
        assert_eq!(snapshot(&out), before);
        assert_eq!(scratch.siblings(), vec!["out"]);
    }

    #[test]
    fn leftovers_of_a_killed_run_are_recovered_and_removed() {
        // Not a live pid anywhere (above Linux's pid_max).
        const DEAD: u32 = 999_999_999;
        let files = set(&[("Cargo.toml", "a")]);

        // Killed between the two renames: only `.old-*` exists.
        let scratch = Scratch::new();
        let out = scratch.out();
        let old = scratch.0.join(format!(".out.old-{DEAD}-1"));
        fs::create_dir_all(old.join("target")).unwrap();
        fs::write(old.join("target/cache"), "c").unwrap();
        fs::write(old.join("Cargo.toml"), "previous").unwrap();
        let half_built = scratch.0.join(format!(".out.new-{DEAD}-2"));
        fs::create_dir_all(&half_built).unwrap();
        fs::write(half_built.join("partial"), "p").unwrap();
        assert!(write_tree(&out, &files, &keep_target_and_gitignore).unwrap());
        let snap = snapshot(&out);
        assert_eq!(snap["Cargo.toml"], b"a");
        assert_eq!(snap["target/cache"], b"c");
        assert_eq!(snap.len(), 2);
        assert_eq!(scratch.siblings(), vec!["out"]);

        // Killed after the swap, before `target/` was moved over.
        let scratch = Scratch::new();
        let out = scratch.out();
        write_tree(&out, &files, &keep_target_and_gitignore).unwrap();
        let old = scratch.0.join(format!(".out.new-{DEAD}-3"));
        fs::create_dir_all(old.join("target/debug")).unwrap();
        fs::write(old.join("target/debug/bin"), "b").unwrap();
        assert!(!write_tree(&out, &files, &keep_target_and_gitignore).unwrap());
        assert_eq!(fs::read(out.join("target/debug/bin")).unwrap(), b"b");
        assert_eq!(scratch.siblings(), vec!["out"]);
    }

    #[cfg(unix)]
    #[test]
    fn output_folder_behind_a_symlink_is_replaced_in_place() {
        let scratch = Scratch::new();
        let real = scratch.0.join("real");
        fs::create_dir(&real).unwrap();
        fs::write(real.join("old.rs"), "x").unwrap();
        let link = scratch.0.join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let files = set(&[("new.rs", "y")]);
        assert!(write_tree(&link, &files, &keep_nothing).unwrap());
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(snapshot(&real), bytes(&files));
    }

    #[test]
    fn both_swap_strategies_exchange_the_folders() {
        let scratch = Scratch::new();
        let (a, b) = (scratch.0.join("a"), scratch.0.join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("which"), "a").unwrap();
        fs::write(b.join("which"), "b").unwrap();
        match exchange(&a, &b) {
            Ok(()) => {
                assert_eq!(fs::read(a.join("which")).unwrap(), b"b");
                assert_eq!(fs::read(b.join("which")).unwrap(), b"a");
            }
            Err(e) => assert!(exchange_unsupported(&e), "{e}"),
        }
        if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
            assert_eq!(fs::read(a.join("which")).unwrap(), b"b", "renameat2 is expected to work here");
        }

        let mut target = locate(&a).unwrap();
        let before = fs::read(a.join("which")).unwrap();
        let old = rename_swap(&target, &b, scratch.0.join("old")).unwrap();
        assert_eq!(fs::read(old.join("which")).unwrap(), before);
        assert!(!b.exists());
        // A failing second rename puts the old folder back.
        target.dir = scratch.0.join("a");
        let err = rename_swap(&target, &scratch.0.join("does-not-exist"), scratch.0.join("old2")).unwrap_err();
        assert!(matches!(err, OutputError::Io { .. }));
        assert!(a.join("which").exists());
        assert!(!scratch.0.join("old2").exists());
    }

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
