//! Replacing the output folder: building the new tree beside it, swapping it in, and repairing
//! what a killed earlier run left behind.
//!
//! The guarantee: after any run, killed or not, the folder holds the old tree or the new one,
//! never a mix. A half-written crate fails to compile in confusing ways and may be committed by
//! accident, so no generated file is ever written inside the output folder itself:
//!
//! * **Staging.** The new tree is written into a fresh sibling `.<name>.new-<pid>-<stamp>` (same
//!   parent, hence same file system, so it can be renamed into place), kept files are copied into
//!   it, and only then is it swapped in. Any failure or panic before the swap removes it.
//! * **The exchange.** On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`, called
//!   through rustix's binding. Where the kernel or the file system lacks it, and on other
//!   platforms, it is two renames (old out of the way as `.<name>.old-<pid>-<stamp>`, new in),
//!   leaving a window of two system calls in which the folder does not exist.
//! * **Kept folders are moved, not copied**, from the old tree into the new one right after the
//!   swap, because copying a large `target/` on every regeneration is not acceptable. Killed
//!   between the swap and that move, such a folder briefly lives in the `.old-*` sibling.
//! * **Leftover recovery.** Every write starts by repairing what a killed run left: a missing
//!   folder whose `.old-*` sibling exists is renamed back (closing the window of the two renames),
//!   kept folders still inside a leftover are moved home, and the leftovers are removed. Names
//!   carry the writer's pid so that, where it can be told, a live writer's temporaries are left
//!   alone.
//!
//! [`write_file_if_changed`](super::write_file_if_changed) uses the same temporary names and
//! leftover clean-up for a single file.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{io_err, FileSet, OutputError};

// ---------------------------------------------------------------------------------------------
// Locating the output folder and its temporary siblings
// ---------------------------------------------------------------------------------------------

/// The output folder as it will be replaced.
pub(super) struct Target {
    /// The real output folder (symlinks resolved, so we replace the folder, not the link).
    pub(super) dir: PathBuf,
    /// Where the temporary siblings go: the same file system, so they can be renamed into place.
    pub(super) parent: PathBuf,
    pub(super) name: OsString,
    pub(super) exists: bool,
}

/// Resolves `dir` to the folder that will be replaced; it may not exist yet.
pub(super) fn locate(dir: &Path) -> Result<Target, OutputError> {
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

/// The name of a temporary sibling of `name`: hidden, and saying which process made it and when.
fn sibling_name(name: &OsStr, kind: &str, pid: u32, stamp: u128) -> OsString {
    let mut s = OsString::from(".");
    s.push(name);
    s.push(format!(".{kind}-{pid}-{stamp}"));
    s
}

/// Nanoseconds since the epoch, nudged by a counter so two calls in the same process never
/// produce the same temporary name even on coarse clocks.
pub(super) fn stamp() -> u128 {
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

// ---------------------------------------------------------------------------------------------
// Leftovers of killed runs
// ---------------------------------------------------------------------------------------------

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
pub(super) fn recover_leftovers(target: &mut Target, files: &FileSet, keep: &dyn Fn(&str) -> bool) -> Result<(), OutputError> {
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

/// Removes `.<name>.tmp-*` files that dead processes left beside a single generated file.
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

// ---------------------------------------------------------------------------------------------
// Staging
// ---------------------------------------------------------------------------------------------

/// Builds `files` (and copies of `kept_files`) in a fresh sibling of the output folder, swaps it
/// in, moves `kept_dirs` over from the old tree and removes what is left of the old tree.
/// `before_swap` runs when the new tree is complete, just before the swap.
///
/// Any failure before the swap removes the staging folder and leaves the output folder untouched.
pub(super) fn replace(
    target: &Target,
    files: &FileSet,
    kept_files: &[PathBuf],
    kept_dirs: &[PathBuf],
    before_swap: &mut dyn FnMut() -> io::Result<()>,
) -> Result<(), OutputError> {
    let staging_path = create_unique_dir(&target.parent, &target.name, "new")?;
    let mut staging = StagingGuard { path: staging_path, armed: true };
    if target.exists {
        if let Ok(meta) = fs::metadata(&target.dir) {
            let _ = fs::set_permissions(&staging.path, meta.permissions());
        }
    }
    write_new_files(&staging.path, files)?;
    for rel in kept_files {
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
        return Ok(());
    }
    let old = swap(target, &staging.path)?;
    staging.armed = false;
    sync_dir(&target.parent);

    // Carry kept folders over. On failure, keep the old tree (which still holds them) for the next
    // run to salvage, and say what went wrong.
    let mut first_error = None;
    for rel in kept_dirs {
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
    Ok(())
}

/// Writes one file through a temporary sibling and a rename, creating parent folders, so a reader
/// (or a run killed midway) never sees half a file. Temporaries left by killed earlier runs are
/// removed first.
pub(super) fn replace_file(path: &Path, contents: &[u8]) -> Result<(), OutputError> {
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
        match write_new_file(&tmp, contents) {
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
    Ok(())
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

/// A file this large is a unit of work of its own (see [`write_new_files`]).
const LARGE_FILE_BYTES: usize = 1 << 20;

/// What creating a file costs, in bytes written in the same time (0.14 ms at about 2 GB/s).
const CREATION_COST_BYTES: usize = 256 * 1024;

/// Writes `contents` to a file that must not exist yet. The tree is built beside the old one
/// and swapped in whole, so a failed or killed run never exposes it; the data is not flushed file
/// by file, because that costs about a millisecond per file (ten seconds for GitHub's 8,000
/// generated files) and only protects against power loss, which, as with cargo's and git's own
/// writes, is left to the file system.
fn write_new_file(path: &Path, contents: &[u8]) -> Result<(), OutputError> {
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(io_err(path))?;
    file.write_all(contents).map_err(io_err(path))
}

/// Writes every file of `files` under `root` on two threads. Creating a file costs the file
/// system far more than writing a small one (on the ext4 file systems measured, about 0.14 ms per
/// file, most of it spent looking for a free inode), and creations in one folder queue behind
/// that folder's lock, so the small files of a folder are one unit of work; a large file costs
/// mostly its bytes, so it is a unit of its own. How fast bytes go depends on the pages the kernel
/// has at hand (the same 37 MB took 10 to 109 ms in consecutive runs), so no division made in
/// advance stays even: each thread takes the heaviest unit left whenever it is free.
fn write_new_files(root: &Path, files: &FileSet) -> Result<(), OutputError> {
    let mut folders: BTreeMap<&str, Share<'_>> = BTreeMap::new();
    for (path, contents) in files {
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        folders.entry(folder).or_default().push((path, contents));
    }
    for folder in folders.keys().filter(|folder| !folder.is_empty()) {
        let dir = root.join(folder);
        fs::create_dir_all(&dir).map_err(io_err(dir))?;
    }
    let units = units(folders);
    let next = AtomicUsize::new(0);
    let write_units = || -> Result<(), OutputError> {
        while let Some(unit) = units.get(next.fetch_add(1, Ordering::Relaxed)) {
            let written = unit.iter().try_for_each(|(path, contents)| write_new_file(&root.join(path), contents.as_bytes()));
            if written.is_err() {
                // The other thread stops at its next unit.
                next.store(units.len(), Ordering::Relaxed);
                return written;
            }
        }
        Ok(())
    };
    if units.len() < 2 {
        return write_units();
    }
    std::thread::scope(|scope| {
        let helper = scope.spawn(write_units);
        let mine = write_units();
        let theirs =
            helper.join().unwrap_or_else(|_| Err(OutputError::Io { path: root.to_path_buf(), source: io::Error::other("a writer thread panicked") }));
        mine.and(theirs)
    })
}

/// Files written one after another by one thread: (path, contents).
type Share<'a> = Vec<(&'a str, &'a str)>;

/// The units of work of [`write_new_files`], heaviest first: each large file alone, and the small
/// files of each folder together.
fn units<'a>(folders: BTreeMap<&'a str, Share<'a>>) -> Vec<Share<'a>> {
    let mut units: Vec<Share<'_>> = Vec::new();
    for entries in folders.into_values() {
        let (large, small): (Share<'_>, Share<'_>) = entries.into_iter().partition(|(_, contents)| contents.len() >= LARGE_FILE_BYTES);
        units.extend(large.into_iter().map(|file| vec![file]));
        if !small.is_empty() {
            units.push(small);
        }
    }
    let cost = |share: &Share<'_>| share.iter().map(|(_, contents)| contents.len() + CREATION_COST_BYTES).sum::<usize>();
    units.sort_by_key(|unit| std::cmp::Reverse(cost(unit)));
    units
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
// The exchange
// ---------------------------------------------------------------------------------------------

/// Atomically exchanges two existing paths with `renameat2(RENAME_EXCHANGE)`, which std has no
/// API for. Relative paths are resolved against the working folder, as `fs::rename` does.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Whether an `exchange` failure means "this kernel or file system cannot exchange" (`ENOSYS`,
/// `EINVAL`, `EOPNOTSUPP`), as opposed to a real error that should abort the write.
#[cfg(target_os = "linux")]
fn exchange_unsupported(e: &io::Error) -> bool {
    use rustix::io::Errno;
    e.kind() == io::ErrorKind::Unsupported || matches!(Errno::from_io_error(e), Some(Errno::NOSYS | Errno::INVAL | Errno::OPNOTSUPP))
}

/// No atomic exchange outside Linux: [`swap`] always takes the two-renames path.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(not(target_os = "linux"))]
fn exchange_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::{bytes, keep_nothing, keep_target_and_gitignore, set, snapshot, Scratch};
    use crate::output::{write_tree, write_tree_with_hook};

    #[test]
    fn large_files_are_units_of_their_own_and_small_ones_stay_with_their_folder() {
        let large = "x".repeat(LARGE_FILE_BYTES);
        let larger = "x".repeat(LARGE_FILE_BYTES * 5);
        let mut folders: BTreeMap<&str, Share<'_>> = BTreeMap::new();
        folders.insert("src", vec![("src/types.rs", &larger), ("src/server.rs", &large), ("src/lib.rs", "small")]);
        folders.insert("docs/models", (0..8).map(|_| ("docs/models/a.md", "page")).collect());
        let units: Vec<Vec<&str>> = units(folders).iter().map(|unit| unit.iter().map(|file| file.0).collect()).collect();
        // Heaviest first: eight small files cost more than one of 1 MiB (their creation), one
        // small file less.
        assert_eq!(units, [vec!["src/types.rs"], vec!["docs/models/a.md"; 8], vec!["src/server.rs"], vec!["src/lib.rs"]]);
    }

    #[test]
    fn every_file_is_written_whichever_thread_takes_it() {
        let scratch = Scratch::new();
        let out = scratch.out();
        let large = "y".repeat(LARGE_FILE_BYTES * 2);
        let mut files: Vec<(String, String)> = (0..40).map(|i| (format!("docs/{}/page{i}.md", i % 3), format!("page {i}"))).collect();
        files.extend([("src/types.rs".to_string(), large.clone()), ("src/lib.rs".to_string(), "lib".to_string())]);
        let files = set(&files.iter().map(|(path, contents)| (path.as_str(), contents.as_str())).collect::<Vec<_>>());
        write_tree(&out, &files, &keep_nothing).unwrap();
        for (path, contents) in &files {
            assert_eq!(fs::read_to_string(out.join(path)).unwrap(), *contents, "{path}");
        }
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
}
