//! Resolving a reference: the URI it names against the base in effect, the file that URI is
//! (read once), and the node its fragment (a JSON pointer or an `$anchor`) names.

use std::fmt::Write as _;

use serde_json::Value;
use url::Url;

use super::files::{self, Refused};
use super::{Bundler, File, Resolved, Target};
use crate::load::sources::SourceFile;
use crate::load::Version;

impl Bundler<'_> {
    /// Resolves `reference` found at `site` of file `from` against `base`. `None` when reading
    /// the target hit an error that stops the run (recorded in `fatal`).
    pub(super) fn resolve(&mut self, base: &Url, reference: &str, from: usize, site: &str) -> Option<Resolved> {
        let key = (base.to_string(), reference.to_string());
        if let Some(resolved) = self.cache.get(&key) {
            return Some(resolved.clone());
        }
        let resolved = match self.resolve_uncached(base, reference, from, site)? {
            Resolved::Found(target) if target.file != 0 => {
                let inside = self.checked_out.as_ref().is_some_and(|out| {
                    out.file == target.file
                        && (target.pointer == out.pointer
                            || (target.pointer.starts_with(&out.pointer) && target.pointer.as_bytes().get(out.pointer.len()) == Some(&b'/')))
                });
                if inside {
                    // Its value is out being walked; it is checked when it is back.
                    self.unverified.push((key, target.clone(), reference.to_string()));
                    return Some(Resolved::Found(target));
                }
                self.verify(target, reference)
            }
            resolved => resolved,
        };
        self.cache.insert(key, resolved.clone());
        Some(resolved)
    }

    fn resolve_uncached(&mut self, base: &Url, reference: &str, from: usize, site: &str) -> Option<Resolved> {
        let url = match base.join(reference) {
            Ok(url) => url,
            Err(error) => return Some(Resolved::Failed(format!("`{reference}` is not a valid URI reference ({error})"))),
        };
        let fragment = match url.fragment().map(crate::refs::percent_decode) {
            Some(None) => return Some(Resolved::Failed(format!("`{reference}` is not a valid URI fragment"))),
            Some(Some(fragment)) => fragment,
            None => String::new(),
        };
        let mut document = url.clone();
        document.set_fragment(None);
        let resource = match self.ids.get(document.as_str()) {
            Some(resource) => resource.clone(),
            None => match self.file_for(&document, reference, from, site, false)? {
                Ok(file) => Target { file, pointer: String::new() },
                Err(message) => return Some(Resolved::Failed(message)),
            },
        };
        let target = if fragment.is_empty() || fragment.starts_with('/') {
            Target { file: resource.file, pointer: format!("{}{fragment}", resource.pointer) }
        } else {
            match self.anchors.get(&(document.to_string(), fragment.clone())) {
                Some(target) => target.clone(),
                None => return Some(Resolved::Failed(format!("`{reference}` names the anchor `{fragment}`, which no schema there declares"))),
            }
        };
        // Whether a target in another file holds something is checked by `verify`; a dangling
        // pointer into the root, which is walked in place, is lowering's to report.
        Some(Resolved::Found(target))
    }

    /// Whether `target` (in a file other than the root) holds something usable.
    pub(super) fn verify(&mut self, target: Target, reference: &str) -> Resolved {
        let name = self.files[target.file].name.clone().unwrap_or_default();
        match self.parsed(target.file) {
            Err(message) => Resolved::Failed(format!("`{reference}`: {name} is not YAML or JSON ({message})")),
            Ok(value) => match crate::refs::lookup(value, &target.pointer) {
                None => Resolved::Failed(format!("`{reference}` does not resolve: {name} has nothing at `{}`", target.pointer)),
                Some(Value::Null) => Resolved::Failed(format!("`{reference}` leads to an empty value in {name}")),
                Some(_) => Resolved::Found(target),
            },
        }
    }

    /// The index of the file `url` names, reading it if it has not been read. `Ok(Err(..))` when
    /// it cannot be used; `None` when reading it must stop the run.
    /// `optional`: the file is not needed to generate anything, so a reference that must not be
    /// followed is a warning instead of an error.
    pub(super) fn file_for(&mut self, url: &Url, reference: &str, from: usize, site: &str, optional: bool) -> Option<Result<usize, String>> {
        if let Some(&index) = self.by_url.get(url.as_str()) {
            return Some(Ok(index));
        }
        let aliased = self.local_for_self(url);
        let read = match (&aliased, url.scheme()) {
            (Some(local), _) => files::read_local(local, reference, &self.boundary, self.options),
            (None, "file") => files::read_local(url, reference, &self.boundary, self.options),
            (None, "http" | "https") => files::read_remote(url, reference, self.options),
            (None, scheme) => {
                Err(Refused::Unusable(format!("`{reference}` uses the `{scheme}:` scheme; only relative paths and http(s) URLs are followed")))
            }
        };
        let read = match read {
            Ok(read) => read,
            Err(Refused::Unusable(message)) => return Some(Err(message)),
            Err(Refused::Fatal(message)) if optional => return Some(Err(format!("{message}; it is not read"))),
            Err(Refused::Fatal(message)) => {
                self.fail(from, &format!("{site}/$ref"), message);
                return None;
            }
        };
        if let Some(&index) = self.by_url.get(read.url.as_str()) {
            self.by_url.insert(url.to_string(), index);
            return Some(Ok(index));
        }
        if self.files.len() >= self.options.limits.max_files {
            let limit = self.options.limits.max_files;
            self.fail(from, &format!("{site}/$ref"), format!("the document reads more than {limit} files, the limit"));
            return None;
        }
        let name = match &read.path {
            Some(path) => self.shown_folder.join(files::relative(path, self.boundary.root())).display().to_string(),
            None => read.url.to_string(),
        };
        // The text joins the sources when bundling is done (`Sources::set_text`).
        let source = self.sources.add_file(SourceFile { name: name.clone(), path: read.path.clone(), text: String::new() });
        let index = self.files.len();
        // A file reached through `$self` keeps resolving in that URI space.
        let reached_by = if aliased.is_some() { url.clone() } else { read.url.clone() };
        self.files.push(File {
            url: read.url.clone(),
            base: reached_by,
            name: Some(name),
            source: Some(source),
            text: read.text,
            value: None,
            path: read.path,
        });
        self.by_url.insert(read.url.to_string(), index);
        self.by_url.insert(url.to_string(), index);
        if self.self_alias.is_some() && self.files[index].text.contains("$self") {
            self.adopt_self(index);
        }
        if self.version == Version::V3_1 && (self.files[index].text.contains("$id") || self.files[index].text.contains("$anchor")) {
            if let Ok(value) = self.parsed(index).cloned() {
                self.index_resources(index, &value);
            }
        }
        Some(Ok(index))
    }

    /// The file of the root's folder that `url` names when it lies beside the root's `$self`:
    /// the same relative path, or that path with a YAML or JSON extension (URIs in `$self` form
    /// usually have none).
    fn local_for_self(&self, url: &Url) -> Option<Url> {
        let (self_folder, folder) = self.self_alias.as_ref()?;
        let relative = url.as_str().strip_prefix(self_folder.as_str())?;
        let relative = relative.split('#').next().unwrap_or_default();
        let local = folder.join(relative).ok()?;
        let path = local.to_file_path().ok()?;
        if path.is_file() {
            return Some(local);
        }
        ["yaml", "yml", "json"].iter().find_map(|extension| {
            let mut named = path.clone().into_os_string();
            named.push(format!(".{extension}"));
            let named = std::path::PathBuf::from(named);
            named.is_file().then(|| Url::from_file_path(&named).ok()).flatten()
        })
    }

    /// A file with its own `$self`: references in it resolve against that, and references
    /// elsewhere may name it by it.
    fn adopt_self(&mut self, file: usize) {
        let Ok(value) = self.parsed(file) else { return };
        let Some(uri) = value.get("$self").and_then(Value::as_str).map(str::to_string) else { return };
        let Ok(uri) = self.files[file].base.join(&uri) else { return };
        let uri = super::without_fragment(&uri);
        self.ids.entry(uri.to_string()).or_insert(Target { file, pointer: String::new() });
        self.files[file].base = uri;
    }

    /// Records every `$id` and `$anchor` of a file (3.1), so references can name them.
    pub(super) fn index_resources(&mut self, file: usize, value: &Value) {
        let base = self.files[file].base.clone();
        let mut pointer = String::new();
        self.index_node(file, value, &base, &mut pointer);
    }

    fn index_node(&mut self, file: usize, value: &Value, base: &Url, pointer: &mut String) {
        match value {
            Value::Object(object) => {
                let mut base = base.clone();
                if let Some(Ok(mut joined)) = object.get("$id").and_then(Value::as_str).map(|id| base.join(id)) {
                    joined.set_fragment(None);
                    self.ids.entry(joined.to_string()).or_insert(Target { file, pointer: pointer.clone() });
                    base = joined;
                }
                if let Some(anchor) = object.get("$anchor").and_then(Value::as_str) {
                    self.anchors.entry((base.to_string(), anchor.to_string())).or_insert(Target { file, pointer: pointer.clone() });
                }
                for (key, child) in object {
                    if matches!(key.as_str(), "enum" | "const" | "example" | "examples" | "default") {
                        continue;
                    }
                    let mark = pointer.len();
                    crate::diagnostics::push_token(pointer, key);
                    self.index_node(file, child, &base, pointer);
                    pointer.truncate(mark);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let mark = pointer.len();
                    pointer.push('/');
                    let _ = write!(pointer, "{index}");
                    self.index_node(file, child, base, pointer);
                    pointer.truncate(mark);
                }
            }
            _ => {}
        }
    }
}
