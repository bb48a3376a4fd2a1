//! Reading the files references name: only inside the folders the user allowed, only from the
//! hosts the user allowed, within the size limits, each file once.
//!
//! A reference is input from whoever wrote the document, and what it reads ends up in the
//! generated crate's embedded document and docs; so a reference that leaves the allowed places is
//! an error that stops the run, while a file that is merely missing or unreadable is a warning at
//! the reference (the document is still usable without it).

use std::path::{Component, Path, PathBuf};

use url::Url;

use super::super::LoadOptions;

/// A file as read.
pub struct Read {
    /// Its canonical URL: `file://` with symbolic links resolved, or the fetched URL.
    pub url: Url,
    /// Where it is on disk, for a local file.
    pub path: Option<PathBuf>,
    /// Its text.
    pub text: String,
}

/// Why a file could not be read.
pub enum Refused {
    /// The document cannot be used safely or within the limits: stop with this message.
    Fatal(String),
    /// The reference does not lead to a usable file: warn at the reference.
    Unusable(String),
}

/// The folders local references may read from: the root document's folder and the folders the
/// user added, canonical.
pub struct Boundary {
    allowed: Vec<PathBuf>,
    /// The folders given with `--allow-refs-outside` alone (an explicit `file:` URL may only
    /// point into these).
    widened: Vec<PathBuf>,
}

impl Boundary {
    pub fn new(root_folder: &Path, options: &LoadOptions) -> Boundary {
        let widened: Vec<PathBuf> =
            options.allow_refs_outside.iter().map(|folder| std::fs::canonicalize(folder).unwrap_or_else(|_| folder.clone())).collect();
        let mut allowed = vec![root_folder.to_path_buf()];
        allowed.extend(widened.iter().cloned());
        Boundary { allowed, widened }
    }

    fn contains(&self, path: &Path, explicit_file_url: bool) -> bool {
        let folders = if explicit_file_url { &self.widened } else { &self.allowed };
        folders.iter().any(|folder| path.starts_with(folder))
    }

    /// The root document's folder.
    pub fn root(&self) -> &Path {
        &self.allowed[0]
    }
}

/// Reads the local file `url` names, as `reference` asked for it.
pub fn read_local(url: &Url, reference: &str, boundary: &Boundary, options: &LoadOptions) -> Result<Read, Refused> {
    let explicit = reference.trim_start().to_ascii_lowercase().starts_with("file:");
    let path = url.to_file_path().map_err(|()| Refused::Unusable(format!("`{reference}` does not name a local file")))?;
    let outside = |shown: &Path| {
        let flag = if explicit {
            "a `file:` URL is read only from a folder given with --allow-refs-outside DIR"
        } else {
            "pass --allow-refs-outside DIR to read from DIR too"
        };
        Refused::Fatal(format!(
            "`{reference}` leads to {}, outside the document's folder {}; references are only followed inside it ({flag})",
            shown.display(),
            boundary.root().display()
        ))
    };
    let canonical = match std::fs::canonicalize(&path) {
        Ok(canonical) => canonical,
        Err(error) => {
            // Whether a file exists outside the folder is itself not for the document to learn.
            if !boundary.contains(&lexical(&path), explicit) {
                return Err(outside(&lexical(&path)));
            }
            return Err(Refused::Unusable(format!("cannot read `{reference}`: {}", describe_io(&error))));
        }
    };
    if !boundary.contains(&canonical, explicit) {
        return Err(outside(&canonical));
    }
    let metadata = std::fs::metadata(&canonical).map_err(|error| Refused::Unusable(format!("cannot read `{reference}`: {}", describe_io(&error))))?;
    if metadata.is_dir() {
        return Err(Refused::Unusable(format!("`{reference}` is a folder, not a file")));
    }
    if !metadata.is_file() {
        // A pipe or a device would block or never end.
        return Err(Refused::Unusable(format!("`{reference}` is not a regular file")));
    }
    if metadata.len() > options.limits.max_file_bytes {
        return Err(Refused::Fatal(format!(
            "`{reference}` is {} bytes, more than the limit of {} bytes for one file",
            metadata.len(),
            options.limits.max_file_bytes
        )));
    }
    let bytes = std::fs::read(&canonical).map_err(|error| Refused::Unusable(format!("cannot read `{reference}`: {}", describe_io(&error))))?;
    let text = String::from_utf8(bytes).map_err(|_| Refused::Unusable(format!("`{reference}` is not UTF-8 text")))?;
    let url = Url::from_file_path(&canonical).map_err(|()| Refused::Unusable(format!("`{reference}` does not name a local file")))?;
    Ok(Read { url, path: Some(canonical), text })
}

/// Fetches the remote file `url` names, if its host is allowed.
pub fn read_remote(url: &Url, reference: &str, options: &LoadOptions) -> Result<Read, Refused> {
    if !options.remote.allows(url.as_str()) {
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => url.to_string(),
        };
        return Err(Refused::Fatal(format!(
            "`{reference}` is a remote reference; remote references are not followed unless their host is allowed (--allow-remote-refs {host})"
        )));
    }
    let text = options.remote.fetch(url.as_str()).map_err(|error| Refused::Unusable(error.to_string()))?;
    Ok(Read { url: url.clone(), path: None, text })
}

/// `path` with `.` and `..` taken out without asking the file system.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `folder`, climbing with `..` where it is not inside it.
pub fn relative(path: &Path, folder: &Path) -> PathBuf {
    let path: Vec<Component> = path.components().collect();
    let folder: Vec<Component> = folder.components().collect();
    let common = path.iter().zip(&folder).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..folder.len() {
        out.push("..");
    }
    for component in &path[common..] {
        out.push(component);
    }
    out
}

fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_where_needed() {
        assert_eq!(relative(Path::new("/a/b/c.yaml"), Path::new("/a")), Path::new("b/c.yaml"));
        assert_eq!(relative(Path::new("/x/c.yaml"), Path::new("/a/b")), Path::new("../../x/c.yaml"));
        assert_eq!(lexical(Path::new("/a/b/../../../etc/passwd")), Path::new("/etc/passwd"));
    }
}
