//! `cargo xtask corpus --sync`: refreshes the repository's copy of the corpus (`tests/corpus`)
//! from the folder new documents arrive in (`../shared/corpus` by default).
//!
//! The tests read only the copy, so a clone with nothing beside it passes them; this command is
//! the one place that looks outside the repository, and it says what it changed so the change
//! can be reviewed before it is committed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What a sync did, by path relative to the corpus folder.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl SyncReport {
    pub fn render(&self) -> String {
        let mut text = String::new();
        for (label, paths) in [("added", &self.added), ("changed", &self.changed), ("removed", &self.removed)] {
            for path in paths {
                text.push_str(&format!("{label:>8}  {path}\n"));
            }
        }
        text.push_str(&format!(
            "{} added, {} changed, {} removed, {} unchanged\n",
            self.added.len(),
            self.changed.len(),
            self.removed.len(),
            self.unchanged
        ));
        text
    }
}

/// Makes `copy` hold exactly the files of `source`: new and changed files are copied, files the
/// source no longer has are removed.
pub fn sync(source: &Path, copy: &Path) -> Result<SyncReport, String> {
    if !source.is_dir() {
        return Err(format!("{} is not a folder: nothing to sync from", source.display()));
    }
    let wanted = files_below(source)?;
    let present = if copy.is_dir() { files_below(copy)? } else { BTreeSet::new() };
    let mut report = SyncReport::default();
    for relative in &wanted {
        let from = source.join(relative);
        let to = copy.join(relative);
        let contents = std::fs::read(&from).map_err(|error| format!("cannot read {}: {error}", from.display()))?;
        let name = slash_path(relative);
        match std::fs::read(&to) {
            Ok(existing) if existing == contents => {
                report.unchanged += 1;
                continue;
            }
            Ok(_) => report.changed.push(name),
            Err(_) => report.added.push(name),
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
        }
        std::fs::write(&to, contents).map_err(|error| format!("cannot write {}: {error}", to.display()))?;
    }
    for relative in present.difference(&wanted) {
        let path = copy.join(relative);
        std::fs::remove_file(&path).map_err(|error| format!("cannot remove {}: {error}", path.display()))?;
        report.removed.push(slash_path(relative));
    }
    Ok(report)
}

fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every file below `root`, relative to it.
fn files_below(root: &Path) -> Result<BTreeSet<PathBuf>, String> {
    let mut found = BTreeSet::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|error| format!("cannot read {}: {error}", folder.display()))?;
        for entry in entries {
            let path = entry.map_err(|error| format!("cannot read {}: {error}", folder.display()))?.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                found.insert(relative.to_path_buf());
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_new_and_changed_files_and_removes_dropped_ones() {
        let base = std::env::temp_dir().join(format!("xtask-sync-{}", std::process::id()));
        let (source, copy) = (base.join("source"), base.join("copy"));
        let _ = std::fs::remove_dir_all(&base);
        for (path, text) in [("a.yaml", "a"), ("sub/b.json", "b"), ("same.yaml", "same")] {
            std::fs::create_dir_all(source.join(path).parent().unwrap()).unwrap();
            std::fs::write(source.join(path), text).unwrap();
        }
        for (path, text) in [("a.yaml", "old"), ("gone.yaml", "x"), ("same.yaml", "same")] {
            std::fs::create_dir_all(copy.join(path).parent().unwrap()).unwrap();
            std::fs::write(copy.join(path), text).unwrap();
        }
        let report = sync(&source, &copy).unwrap();
        assert_eq!(
            report,
            SyncReport { added: vec!["sub/b.json".into()], changed: vec!["a.yaml".into()], removed: vec!["gone.yaml".into()], unchanged: 1 }
        );
        assert_eq!(std::fs::read_to_string(copy.join("a.yaml")).unwrap(), "a");
        assert!(!copy.join("gone.yaml").exists());
        assert_eq!(sync(&source, &copy).unwrap().unchanged, 3, "a second sync changes nothing");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
