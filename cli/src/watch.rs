//! `oas generate --watch`: generates, then generates again whenever a file of the document
//! changes, until interrupted.
//!
//! The files to watch are the ones the last successful load read, so a `$ref` added to another
//! file adds that file and a removed one stops being watched. When the document cannot be read
//! at all, the previous set plus the root stays watched, so fixing any of them starts a new run.
//!
//! Watches are put on the files' folders, not recursively, and only events on the files of the
//! set count: editors save by writing a new file and renaming it over the old one, which would
//! end a watch on the file itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, DebouncedEvent};

use crate::{count, say};

/// How long the files must stay quiet before a run starts: an editor's save, or a script
/// rewriting several files, becomes one run.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Runs `generate` once, then again after every change to the files it read, forever. It gets a
/// slot to fill with the files the document was read from once it has loaded; a run that fails
/// prints its error and the watch goes on. Returns only when watching itself fails.
pub(crate) fn run(root: &Path, mut generate: impl FnMut(&mut Option<Vec<PathBuf>>) -> Result<(), String>) -> Result<(), String> {
    let (sender, events) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, sender).map_err(|error| format!("error: cannot watch files for changes: {error}"))?;
    let mut folders = BTreeSet::new();
    let mut watched = Watched::default();
    // The root's folder is watched before the first run, so an edit made while it runs is not lost.
    watched.add(root);
    watch_folders(&mut debouncer, &mut folders, &watched);

    loop {
        let mut read = None;
        if let Err(message) = generate(&mut read) {
            say(&message);
        }
        watched = match read {
            Some(files) => {
                let mut next = Watched::default();
                for file in &files {
                    next.add(file);
                }
                next
            }
            None => {
                watched.add(root);
                watched
            }
        };
        watch_folders(&mut debouncer, &mut folders, &watched);
        say(&format!("watching {} for changes (Ctrl-C to stop)", count(watched.files.len(), "file")));

        let changed = loop {
            match events.recv() {
                Ok(Ok(batch)) => {
                    if let Some(file) = batch.iter().find_map(|event| watched.changed(event)) {
                        break file;
                    }
                }
                Ok(Err(errors)) => {
                    for error in errors {
                        say(&format!("warning: watching for changes: {error}"));
                    }
                }
                Err(mpsc::RecvError) => return Err("error: the file watcher stopped".into()),
            }
        };
        // Changes already reported are part of the run about to start.
        while events.try_recv().is_ok() {}
        say(&format!("{} changed; generating again", changed.display()));
    }
}

/// The files being watched, by the paths their events carry.
#[derive(Default)]
struct Watched {
    /// Every path an event on a watched file may name (the file in its folder with symbolic links
    /// resolved, and the file it links to), each with the path the document gave it, for messages.
    paths: BTreeMap<PathBuf, PathBuf>,
    /// The distinct files, as the document gave them.
    files: BTreeSet<PathBuf>,
    /// The folders to watch.
    folders: BTreeSet<PathBuf>,
}

impl Watched {
    fn add(&mut self, file: &Path) {
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let (Some(folder), Some(name)) = (absolute.parent(), absolute.file_name()) else {
            return;
        };
        // Events name the path of the watched folder joined with the file's name, and some
        // platforms report folders with their links resolved: watch and match the resolved form.
        let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
        let in_folder = folder.join(name);
        if self.paths.contains_key(&in_folder) {
            return;
        }
        self.files.insert(file.to_path_buf());
        self.folders.insert(folder);
        self.paths.insert(in_folder.clone(), file.to_path_buf());
        // A document that is a link to a file elsewhere changes when its target does.
        if let Ok(target) = std::fs::canonicalize(&in_folder) {
            if target != in_folder {
                if let Some(target_folder) = target.parent() {
                    self.folders.insert(target_folder.to_path_buf());
                }
                self.paths.insert(target, file.to_path_buf());
            }
        }
    }

    /// The watched file `event` changed, as the document names it; `None` for events on other
    /// files of the folders and for reads (loading the document opens its files).
    fn changed(&self, event: &DebouncedEvent) -> Option<PathBuf> {
        let changes = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
            _ => true,
        };
        if event.need_rescan() {
            // Events were lost: any of the files may have changed.
            return self.files.first().cloned();
        }
        if !changes {
            return None;
        }
        event.paths.iter().find_map(|path| self.paths.get(path).cloned())
    }
}

/// Watches the folders of `watched` that are not watched yet and stops watching the ones it no
/// longer needs. A folder that cannot be watched (it does not exist) is tried again after the next
/// run.
fn watch_folders(
    debouncer: &mut notify_debouncer_full::Debouncer<impl notify_debouncer_full::notify::Watcher, impl notify_debouncer_full::FileIdCache>,
    folders: &mut BTreeSet<PathBuf>,
    watched: &Watched,
) {
    let gone: Vec<PathBuf> = folders.difference(&watched.folders).cloned().collect();
    for folder in gone {
        let _ = debouncer.unwatch(&folder);
        folders.remove(&folder);
    }
    for folder in &watched.folders {
        if folders.contains(folder) {
            continue;
        }
        match debouncer.watch(folder, RecursiveMode::NonRecursive) {
            Ok(()) => {
                folders.insert(folder.clone());
            }
            Err(error) => say(&format!("warning: cannot watch {} for changes: {error}", folder.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::CreateKind;
    use notify_debouncer_full::notify::Event;
    use std::time::Instant;

    fn event(kind: EventKind, path: &Path) -> DebouncedEvent {
        DebouncedEvent::new(Event::new(kind).add_path(path.to_path_buf()), Instant::now())
    }

    #[test]
    fn only_changes_to_files_of_the_set_count() {
        let here = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
        let mut watched = Watched::default();
        watched.add(&here.join("spec.yaml"));
        watched.add(&here.join("src/../spec.yaml"));
        watched.add(&here.join("src/common.yaml"));
        assert_eq!(watched.files.len(), 2);
        assert_eq!(watched.folders, BTreeSet::from([here.clone(), here.join("src")]));

        let spec = here.join("spec.yaml");
        assert_eq!(watched.changed(&event(EventKind::Modify(ModifyKind::Any), &spec)), Some(spec.clone()));
        assert_eq!(watched.changed(&event(EventKind::Create(CreateKind::File), &here.join("src/common.yaml"))), Some(here.join("src/common.yaml")));
        assert_eq!(watched.changed(&event(EventKind::Access(AccessKind::Close(AccessMode::Write)), &spec)), Some(spec.clone()));
        // Reading the document is not a change, and neither is writing a file beside it.
        assert_eq!(watched.changed(&event(EventKind::Access(AccessKind::Open(AccessMode::Any)), &spec)), None);
        assert_eq!(watched.changed(&event(EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)), &spec)), None);
        assert_eq!(watched.changed(&event(EventKind::Modify(ModifyKind::Any), &here.join("spec.yaml.swp"))), None);
    }
}
