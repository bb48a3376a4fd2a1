//! Bundling: a document split over many files becomes one document in memory, so that lowering
//! and everything after it read one tree with local references only.
//!
//! Three passes. *Discover* walks the root and, from there, every target a reference reaches,
//! reading each file once. *Name* gives every target that becomes a component its name, from the
//! whole set at once. *Build* rewrites the references: a target that is a schema, parameter,
//! response and so on becomes `#/components/<section>/<name>`; a Path Item or operation lands
//! where it is referenced. Every subtree that came from another file is recorded in the origin
//! map, so findings about it name that file.
//!
//! A document with no reference to another file, no `$id` and no `$anchor` leaves the bundler
//! exactly as it came.

mod files;
mod names;
mod walk;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use url::Url;

use self::files::{Boundary, Refused};
use self::walk::{Kind, Shape, Visitor};
use super::sources::{SourceFile, Sources};
use super::{LoadError, LoadOptions, Version};
use crate::diagnostics::{escape_token, Diagnostic};

/// The one document, what it was read from, and what reading it found.
pub struct Bundled {
    pub root: Value,
    pub sources: Sources,
    /// Warnings, each already naming its file (`Diagnostic::file`) when it is not the root.
    pub diagnostics: Vec<Diagnostic>,
}

/// Bundles the document read from `path` (as the user named it).
/// `swagger2` says the document is Swagger 2.0, whose reusable parts live in `definitions`,
/// `parameters` and `responses` at the top level rather than under `components`.
pub fn bundle(path: &Path, root: Value, text: &str, version: Version, swagger2: bool, options: &LoadOptions) -> Result<Bundled, LoadError> {
    let needs_work = text.contains("$anchor") || text.contains("$id") || has_reference_elsewhere(text);
    let canonical = std::fs::canonicalize(path).ok().filter(|_| needs_work);
    let Some(canonical) = canonical else {
        return Ok(Bundled { root, sources: Sources::default(), diagnostics: Vec::new() });
    };
    let folder = canonical.parent().unwrap_or(Path::new("/")).to_path_buf();
    let root_url = Url::from_file_path(&canonical).map_err(|()| LoadError {
        path: Some(path.to_path_buf()),
        pointer: String::new(),
        message: "the document's path cannot be written as a URL".into(),
        position: None,
    })?;
    let mut bundler = Bundler {
        options,
        version,
        swagger2,
        boundary: Boundary::new(&folder, options),
        shown_folder: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        root_path: path.to_path_buf(),
        files: vec![File { url: root_url.clone(), name: None, source: None, text: text.to_string(), value: None, path: Some(canonical) }],
        by_url: HashMap::from([(root_url.to_string(), 0)]),
        ids: HashMap::new(),
        anchors: HashMap::new(),
        cache: HashMap::new(),
        components: BTreeMap::new(),
        names: BTreeMap::new(),
        queue: VecDeque::new(),
        walked: HashSet::new(),
        diagnostics: Vec::new(),
        fatal: None,
        bundled_bytes: text.len() as u64,
        checked_out: None,
        unverified: Vec::new(),
        rewrite_root: false,
        sources: Sources::default(),
    };
    if version == Version::V3_1 && (text.contains("$id") || text.contains("$anchor")) {
        bundler.index_resources(0, &root);
    }
    let mut root = root;
    bundler.discover(&mut root);
    if let Some(error) = bundler.fatal.take() {
        return Err(error);
    }
    if bundler.components.is_empty() && bundler.walked.is_empty() && !bundler.rewrite_root {
        return Ok(Bundled { root, sources: Sources::default(), diagnostics: bundler.diagnostics });
    }
    bundler.name(&root);
    let root = bundler.build(root)?;
    bundler.sources.seal();
    Ok(Bundled { root, sources: bundler.sources, diagnostics: bundler.diagnostics })
}

/// Whether some `$ref` of the text is not a plain local pointer (`#/...`): only then is there
/// anything to bundle. A look at the text, so a document in one file is not walked at all; a
/// `$ref` in a description only makes it look.
fn has_reference_elsewhere(text: &str) -> bool {
    text.match_indices("$ref").any(|(at, _)| {
        let rest = text[at + 4..].trim_start_matches(['"', '\'', ':', ' ', '\t']);
        !rest.starts_with("#/")
    })
}

/// A file read while bundling. File 0 is the root document.
struct File {
    url: Url,
    /// How messages name it; `None` for the root.
    name: Option<String>,
    /// Its index in [`Sources`]; `None` for the root.
    source: Option<usize>,
    text: String,
    /// The parsed text: read on first use, since a code sample is never parsed. `None` for the
    /// root, whose value is walked in place.
    value: Option<Result<Value, String>>,
    path: Option<PathBuf>,
}

/// A node of a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Target {
    file: usize,
    pointer: String,
}

/// What a reference leads to.
#[derive(Debug, Clone)]
enum Resolved {
    Found(Target),
    /// It leads nowhere usable; the reason is a warning at the reference.
    Failed(String),
}

struct Bundler<'o> {
    options: &'o LoadOptions,
    version: Version,
    swagger2: bool,
    boundary: Boundary,
    /// The root's folder as the user wrote it, which file names in messages start from.
    shown_folder: PathBuf,
    root_path: PathBuf,
    files: Vec<File>,
    by_url: HashMap<String, usize>,
    /// Every `$id` (3.1), without fragment, and the schema that carries it.
    ids: HashMap<String, Target>,
    /// Every `$anchor` (3.1), by the URL of the resource it is in.
    anchors: HashMap<(String, String), Target>,
    cache: HashMap<(String, String), Resolved>,
    /// Targets that become components, with the root component whose whole content is a
    /// reference to them, when there is one (that component takes the target's place).
    components: BTreeMap<(Target, &'static str), Option<String>>,
    names: BTreeMap<(Target, &'static str), String>,
    queue: VecDeque<(Target, Shape)>,
    walked: HashSet<(Target, Shape)>,
    diagnostics: Vec<Diagnostic>,
    fatal: Option<LoadError>,
    bundled_bytes: u64,
    /// The target whose value discovery has taken out of its file to walk it without a copy;
    /// references into it are checked once it is back (`unverified`).
    checked_out: Option<Target>,
    unverified: Vec<((String, String), Target, String)>,
    /// Whether some reference inside the root must be rewritten though it leads into the root
    /// (it is relative to an `$id`, or names an `$anchor`).
    rewrite_root: bool,
    sources: Sources,
}

impl Bundler<'_> {
    /// Discovery changes nothing it walks (only building does).
    fn discover(&mut self, root: &mut Value) {
        self.walk(root, Shape::One(Kind::Document), Target { file: 0, pointer: String::new() }, None, Vec::new());
        while let Some((target, shape)) = self.queue.pop_front() {
            if self.fatal.is_some() {
                return;
            }
            // Walked where it is: taken out of its file and put back, not copied.
            let Some(mut value) = self.node_mut(&target).map(std::mem::take) else { continue };
            self.checked_out = Some(target.clone());
            self.walk(&mut value, shape, target.clone(), None, Vec::new());
            self.checked_out = None;
            if let Some(node) = self.node_mut(&target) {
                *node = value;
            }
            for (key, target, reference) in std::mem::take(&mut self.unverified) {
                let verdict = self.verify(target, &reference);
                self.cache.insert(key, verdict);
            }
        }
    }

    fn name(&mut self, root: &Value) {
        let mut wanted = BTreeSet::new();
        let mut of_target = BTreeMap::new();
        for ((target, section), adopter) in &self.components {
            if adopter.is_some() {
                continue;
            }
            let want = self.wanted(target, section);
            of_target.insert((target.clone(), *section), want.clone());
            wanted.insert(want);
        }
        let mut taken: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        let sections: &[&'static str] = match self.swagger2 {
            true => &["definitions", "parameters", "responses"],
            false => &["schemas", "parameters", "requestBodies", "responses", "headers", "examples", "links", "callbacks", "securitySchemes"],
        };
        for &section in sections {
            let existing = root.pointer(&self.section_root(section)).and_then(Value::as_object);
            taken.insert(section, existing.map(|map| map.keys().cloned().collect()).unwrap_or_default());
        }
        let assigned = names::assign(&wanted, &taken);
        for ((target, section), adopter) in &self.components {
            let name = match adopter {
                Some(name) => name.clone(),
                None => assigned[&of_target[&(target.clone(), *section)]].clone(),
            };
            self.names.insert((target.clone(), section), name);
        }
    }

    fn wanted(&self, target: &Target, section: &'static str) -> names::Wanted {
        let file = &self.files[target.file];
        let path: Vec<String> = match &file.path {
            Some(path) => files::relative(path, self.boundary.root())
                .components()
                .filter_map(|component| match component {
                    std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect(),
            None => file.url.path_segments().map(|segments| segments.map(String::from).collect()).unwrap_or_default(),
        };
        let mut path = path;
        if let Some(last) = path.last_mut() {
            if let Some((stem, _)) = last.rsplit_once('.') {
                if !stem.is_empty() {
                    *last = stem.to_string();
                }
            }
        }
        let fragment = target.pointer.split('/').skip(1).map(|token| crate::diagnostics::unescape_token(token).into_owned()).collect();
        names::Wanted { section, path, fragment }
    }

    fn build(&mut self, mut root: Value) -> Result<Value, LoadError> {
        self.walk(&mut root, Shape::One(Kind::Document), Target { file: 0, pointer: String::new() }, Some(String::new()), Vec::new());
        let mut placed: Vec<((Target, &'static str), String)> = self.names.iter().map(|(key, name)| (key.clone(), name.clone())).collect();
        placed.sort_by(|a, b| (a.0 .1, &a.1).cmp(&(b.0 .1, &b.1)));
        let mut targets_in_file: HashMap<usize, HashSet<&Target>> = HashMap::new();
        for (target, _) in &self.walked {
            targets_in_file.entry(target.file).or_default().insert(target);
        }
        let mut sections_of: HashMap<&Target, usize> = HashMap::new();
        for (target, _) in self.components.keys() {
            *sections_of.entry(target).or_default() += 1;
        }
        let sole: HashSet<Target> = targets_in_file
            .values()
            .filter(|targets| targets.len() == 1)
            .flat_map(|targets| targets.iter().map(|target| (*target).clone()))
            .filter(|target| target.pointer.is_empty() && sections_of.get(target) == Some(&1))
            .collect();
        for ((target, section), name) in placed {
            let at = format!("{}/{}", self.section_root(section), escape_token(&name));
            // A file that holds only this target is not needed again: its value moves.
            let value = match sole.contains(&target) {
                true => self.node_mut(&target).map(std::mem::take),
                false => self.value_at(&target).cloned(),
            };
            let Some(mut value) = value else { continue };
            self.grow(&value, &at)?;
            let shape = Shape::One(match section {
                "definitions" => Kind::Schema,
                section => Kind::of_section(section).unwrap_or(Kind::Schema),
            });
            self.walk(&mut value, shape, target.clone(), Some(at.clone()), Vec::new());
            if let Some(source) = self.files[target.file].source {
                self.sources.add_origin(at, source, target.pointer.clone());
            }
            insert_component(&mut root, self.swagger2, section, name, value);
        }
        match self.fatal.take() {
            Some(error) => Err(error),
            None => Ok(root),
        }
    }

    /// Walks `value`, which is `target` of its file; `at` is where it lands in the bundled
    /// document when building, `None` while discovering.
    fn walk(&mut self, value: &mut Value, shape: Shape, target: Target, at: Option<String>, inline: Vec<Inlined>) {
        self.walked.insert((target.clone(), shape));
        let base = self.base_at(&target);
        let mut walker = Walker { bundler: self, file: target.file, start: target.pointer, bases: vec![base], at, inline };
        walk::walk(value, shape, &mut walker);
    }

    /// The base URI references at `target` resolve against: the file's URL, changed by every
    /// `$id` above it (3.1).
    fn base_at(&self, target: &Target) -> Url {
        let file = &self.files[target.file];
        let mut base = file.url.clone();
        if self.version != Version::V3_1 || target.pointer.is_empty() {
            return base;
        }
        let Some(Ok(mut node)) = file.value.as_ref().map(|value| value.as_ref()) else { return base };
        for token in target.pointer.split('/').skip(1) {
            if let Some(Ok(joined)) = node.get("$id").and_then(Value::as_str).map(|id| base.join(id)) {
                base = joined;
            }
            match crate::refs::lookup(node, &format!("/{token}")) {
                Some(child) => node = child,
                None => break,
            }
        }
        base
    }

    /// The node `target` names, once its file has been parsed.
    fn value_at(&mut self, target: &Target) -> Option<&Value> {
        self.parsed(target.file).ok().and_then(|value| crate::refs::lookup(value, &target.pointer))
    }

    /// The node `target` names, to change it.
    fn node_mut(&mut self, target: &Target) -> Option<&mut Value> {
        self.parsed(target.file).ok()?;
        let value = self.files[target.file].value.as_mut()?.as_mut().ok()?;
        match target.pointer.is_empty() {
            true => Some(value),
            false => value.pointer_mut(&target.pointer),
        }
    }

    /// The file's value, parsing it on first use.
    fn parsed(&mut self, index: usize) -> Result<&Value, String> {
        let file = &mut self.files[index];
        if file.value.is_none() {
            let mut found = Vec::new();
            let parsed = super::parse::parse_text(&file.text, &mut found).map_err(|(message, _)| message);
            let name = file.name.clone();
            self.diagnostics.extend(found.into_iter().map(|diagnostic| Diagnostic { file: name.clone(), ..diagnostic }));
            file.value = Some(parsed);
        }
        match file.value.as_ref().expect("parsed above") {
            Ok(value) => Ok(value),
            Err(message) => Err(message.clone()),
        }
    }

    /// Resolves `reference` found at `site` of file `from` against `base`. `None` when reading
    /// the target hit an error that stops the run (recorded in `fatal`).
    fn resolve(&mut self, base: &Url, reference: &str, from: usize, site: &str) -> Option<Resolved> {
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
    fn verify(&mut self, target: Target, reference: &str) -> Resolved {
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
    fn file_for(&mut self, url: &Url, reference: &str, from: usize, site: &str, optional: bool) -> Option<Result<usize, String>> {
        if let Some(&index) = self.by_url.get(url.as_str()) {
            return Some(Ok(index));
        }
        let read = match url.scheme() {
            "file" => files::read_local(url, reference, &self.boundary, self.options),
            "http" | "https" => files::read_remote(url, reference, self.options),
            scheme => Err(Refused::Unusable(format!("`{reference}` uses the `{scheme}:` scheme; only relative paths and http(s) URLs are followed"))),
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
        let source = self.sources.add_file(SourceFile { name: name.clone(), path: read.path.clone(), text: read.text.clone() });
        let index = self.files.len();
        self.files.push(File { url: read.url.clone(), name: Some(name), source: Some(source), text: read.text, value: None, path: read.path });
        self.by_url.insert(read.url.to_string(), index);
        self.by_url.insert(url.to_string(), index);
        if self.version == Version::V3_1 && (self.files[index].text.contains("$id") || self.files[index].text.contains("$anchor")) {
            if let Ok(value) = self.parsed(index).cloned() {
                self.index_resources(index, &value);
            }
        }
        Some(Ok(index))
    }

    /// Records every `$id` and `$anchor` of a file (3.1), so references can name them.
    fn index_resources(&mut self, file: usize, value: &Value) {
        let base = self.files[file].url.clone();
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

    /// Counts `value` towards the bundled document's size; past the limit the run stops.
    fn grow(&mut self, value: &Value, at: &str) -> Result<(), LoadError> {
        self.bundled_bytes += approximate_size(value);
        if self.bundled_bytes > self.options.limits.max_bundled_bytes && self.fatal.is_none() {
            let limit = self.options.limits.max_bundled_bytes;
            return Err(LoadError {
                path: Some(self.root_path.clone()),
                pointer: at.to_string(),
                message: format!(
                    "the bundled document grows past {limit} bytes, the limit (references that include the same files again and again?)"
                ),
                position: None,
            });
        }
        Ok(())
    }

    /// Records an error that stops the run, at `pointer` of file `file`; the first one wins.
    fn fail(&mut self, file: usize, pointer: &str, message: String) {
        if self.fatal.is_some() {
            return;
        }
        let source = &self.files[file];
        let position = crate::source_map::locate(&source.text, &[pointer]).into_iter().next().flatten();
        let path = match &source.name {
            Some(name) => PathBuf::from(name),
            None => self.root_path.clone(),
        };
        self.fatal = Some(LoadError { path: Some(path), pointer: pointer.to_string(), message, position });
    }

    /// A warning at `pointer` of file `file` (the root's findings are named by its path too, so
    /// that they are not taken for pointers into the bundled document).
    fn warn(&mut self, file: usize, pointer: String, message: String) {
        let name = self.files[file].name.clone().unwrap_or_else(|| self.root_path.display().to_string());
        self.diagnostics.push(Diagnostic { file: Some(name), ..Diagnostic::warning(pointer, message) });
    }

    /// The section a target of this shape becomes part of; `None` when it lands in place.
    fn section(&self, shape: Shape) -> Option<&'static str> {
        match (self.swagger2, shape) {
            (false, shape) => shape.section(),
            (true, Shape::One(Kind::Schema)) => Some("definitions"),
            (true, Shape::One(Kind::Parameter)) => Some("parameters"),
            (true, Shape::One(Kind::Response)) => Some("responses"),
            (true, _) => None,
        }
    }

    /// Where a section is: under `components` in OpenAPI 3, at the top in Swagger 2.0.
    fn section_root(&self, section: &str) -> String {
        match self.swagger2 {
            true => format!("/{section}"),
            false => format!("/components/{section}"),
        }
    }

    /// What a reference to `target` becomes in the bundled document, when it is not inlined.
    fn rewritten(&self, target: &Target, shape: Shape) -> Option<String> {
        if target.file == 0 {
            return Some(format!("#{}", target.pointer.replace('%', "%25")));
        }
        let section = self.section(shape)?;
        let name = self.names.get(&(target.clone(), section))?;
        Some(format!("#{}/{}", self.section_root(section), escape_token(name)))
    }
}

fn insert_component(root: &mut Value, swagger2: bool, section: &str, name: String, value: Value) {
    let Value::Object(root) = root else { return };
    let components = match swagger2 {
        true => root,
        false => {
            let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
            if !components.is_object() {
                *components = Value::Object(Map::new());
            }
            let Value::Object(components) = components else { return };
            components
        }
    };
    let section = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
    if !section.is_object() {
        *section = Value::Object(Map::new());
    }
    if let Value::Object(section) = section {
        section.insert(name, value);
    }
}

/// About the size of `value` written as JSON, without writing it.
fn approximate_size(value: &Value) -> u64 {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => 8,
        Value::String(text) => text.len() as u64 + 2,
        Value::Array(items) => 2 + items.iter().map(|item| approximate_size(item) + 1).sum::<u64>(),
        Value::Object(object) => 2 + object.iter().map(|(key, value)| key.len() as u64 + 4 + approximate_size(value)).sum::<u64>(),
    }
}

/// One reference being inlined around a walk: where it is and what it leads to.
#[derive(Debug, Clone)]
struct Inlined {
    site: Target,
    target: Target,
}

/// A walk over one target (or the root), discovering or building.
struct Walker<'b, 'o> {
    bundler: &'b mut Bundler<'o>,
    file: usize,
    /// Where the walked value is in its file.
    start: String,
    /// The base URI in effect: the file's URL, then one entry per enclosing `$id`.
    bases: Vec<Url>,
    /// Where the walked value lands in the bundled document; `None` while discovering.
    at: Option<String>,
    /// The references being inlined around this walk, outermost first: a reference back to one
    /// of them is a loop.
    inline: Vec<Inlined>,
}

impl Walker<'_, '_> {
    fn base(&self) -> &Url {
        self.bases.last().expect("the walk starts with a base")
    }

    /// A reference that leads back to a place being inlined around it: every reference of the
    /// loop gets a warning, and this one is left as it is.
    fn loop_back(&mut self, target: &Target, site: &str, reference: &str) -> bool {
        let Some(start) = self.inline.iter().position(|inlined| inlined.site == *target || inlined.target == *target) else { return false };
        if self.at.is_some() {
            let message = format!("`{reference}` is part of a reference loop across files that never reaches a value; it is left as it is");
            self.bundler.warn(self.file, format!("{site}/$ref"), message);
            for inlined in &self.inline[start..] {
                let message = "this reference is part of a reference loop across files that never reaches a value".to_string();
                self.bundler.warn(inlined.site.file, format!("{}/$ref", inlined.site.pointer), message);
            }
        }
        true
    }

    /// Puts what `target` holds in place of the reference `value` (the fields beside the
    /// reference win), walking it as part of `target`'s file.
    fn inline(&mut self, value: &mut Value, target: Target, shape: Shape, site: &str, relative: &str) {
        let reference = value["$ref"].as_str().unwrap_or_default().to_string();
        if self.loop_back(&target, site, &reference) {
            return;
        }
        let Some(at) = &self.at else {
            if !self.bundler.walked.contains(&(target.clone(), shape)) {
                self.bundler.walked.insert((target.clone(), shape));
                self.bundler.queue.push_back((target, shape));
            }
            return;
        };
        let at = format!("{at}{relative}");
        let Some(mut content) = self.bundler.value_at(&target).cloned() else { return };
        let siblings = value.as_object().is_some_and(|object| object.len() > 1);
        if (siblings && !content.is_object()) || content.is_null() {
            let message = format!("`{reference}` leads to {}, not an object; the reference is left as it is", super::describe(&content));
            self.bundler.warn(self.file, format!("{site}/$ref"), message);
            return;
        }
        if let Err(error) = self.bundler.grow(&content, &at) {
            self.bundler.fatal.get_or_insert(error);
            return;
        }
        if let Some(source) = self.bundler.files[target.file].source {
            self.bundler.sources.add_origin(at.clone(), source, target.pointer.clone());
        }
        let mut inline = self.inline.clone();
        inline.push(Inlined { site: Target { file: self.file, pointer: site.to_string() }, target: target.clone() });
        self.bundler.walk(&mut content, shape, target, Some(at), inline);
        if let (Value::Object(content), Value::Object(object)) = (&mut content, &mut *value) {
            object.remove("$ref");
            // Fields written beside the reference win over the file's (the specification leaves
            // the clash undefined; the nearer text is what its author sees).
            for (key, field) in std::mem::take(object) {
                content.insert(key, field);
            }
        }
        *value = content;
    }

    /// Discovery of a reference that is not inlined.
    fn discovered(&mut self, value: &Value, target: Target, shape: Shape, site: &str, reference: &str) {
        if target.file == 0 {
            let rewritten = format!("#{}", target.pointer.replace('%', "%25"));
            self.bundler.rewrite_root |= rewritten != reference;
            return;
        }
        let Some(section) = self.bundler.section(shape) else { return };
        // A root component that is nothing but a reference to a file gives that file its name.
        let alone = value.as_object().is_some_and(|object| object.len() == 1);
        let adopter = (self.file == 0 && alone)
            .then(|| site.strip_prefix(&format!("{}/", self.bundler.section_root(section))).filter(|name| !name.contains('/')))
            .flatten()
            .map(|name| crate::diagnostics::unescape_token(name).into_owned());
        let entry = self.bundler.components.entry((target.clone(), section)).or_insert(None);
        if let Some(adopter) = adopter {
            if entry.as_ref().is_none_or(|current| adopter < *current) {
                *entry = Some(adopter);
            }
        }
        if !self.bundler.walked.contains(&(target.clone(), shape)) {
            self.bundler.walked.insert((target.clone(), shape));
            self.bundler.queue.push_back((target, shape));
        }
    }
}

impl Visitor for Walker<'_, '_> {
    fn reference(&mut self, value: &mut Value, shape: Shape, pointer: &str) -> bool {
        if self.bundler.fatal.is_some() {
            return true;
        }
        let Some(reference) = value.get("$ref").and_then(Value::as_str).map(str::to_string) else { return false };
        // Local pointers in the root under no `$id` are what lowering follows already.
        if self.file == 0 && self.bases.len() == 1 && reference.starts_with("#/") {
            return false;
        }
        let site = format!("{}{pointer}", self.start);
        let base = self.base().clone();
        let Some(resolved) = self.bundler.resolve(&base, &reference, self.file, &site) else { return true };
        let target = match resolved {
            Resolved::Found(target) => target,
            Resolved::Failed(message) => {
                if self.at.is_some() {
                    self.bundler.warn(self.file, format!("{site}/$ref"), message);
                }
                return true;
            }
        };
        let section = self.bundler.section(shape);
        if target.file != 0 && section.is_none() {
            self.inline(value, target, shape, &site, pointer);
            return true;
        }
        if target.file == 0 && section.is_none() && self.loop_back(&target, &site, &reference) {
            return true;
        }
        if self.at.is_none() {
            self.discovered(value, target, shape, &site, &reference);
            return true;
        }
        if let Some(rewritten) = self.bundler.rewritten(&target, shape) {
            if rewritten != reference {
                value["$ref"] = Value::String(rewritten);
            }
        }
        true
    }

    fn enter_resource(&mut self, id: &str, _: &str) {
        let base = match self.bundler.version {
            Version::V3_1 => self.base().join(id).unwrap_or_else(|_| self.base().clone()),
            Version::V3_0 => self.base().clone(),
        };
        self.bases.push(base);
    }

    fn leave_resource(&mut self) {
        self.bases.pop();
    }

    fn mapping(&mut self, value: &mut String, pointer: &str) {
        // A bare component name (`Cat`) is not a reference; a value with a fragment, a path or a
        // file extension is (`#/components/schemas/Cat`, `./Cat.yaml`, `common.json#/Cat`).
        let lowered = value.to_ascii_lowercase();
        let is_reference = value.contains(['#', '/']) || [".yaml", ".yml", ".json"].iter().any(|extension| lowered.ends_with(extension));
        if !is_reference {
            return;
        }
        let mut reference = Value::Object(Map::from_iter([("$ref".to_string(), Value::String(value.clone()))]));
        self.reference(&mut reference, Shape::One(Kind::Schema), pointer);
        if let Some(rewritten) = reference.get("$ref").and_then(Value::as_str) {
            if rewritten != value {
                *value = rewritten.to_string();
            }
        }
    }

    fn loose_reference(&mut self, value: &mut Value, pointer: &str) {
        // Only a file that is not YAML or JSON (a code sample, a Markdown description) is read, as
        // text; anything else stays as written. Not reading it costs nothing generated, so a
        // reference that leaves the allowed places is a warning here, not an error.
        let Some(reference) = value.get("$ref").and_then(Value::as_str).map(str::to_string) else { return };
        let path = reference.split('#').next().unwrap_or_default().to_ascii_lowercase();
        if path.is_empty() || [".yaml", ".yml", ".json"].iter().any(|extension| path.ends_with(extension)) {
            return;
        }
        let site = format!("{}{pointer}", self.start);
        let base = self.base().clone();
        let Ok(url) = base.join(&reference) else { return };
        let Some(read) = self.bundler.file_for(&url, &reference, self.file, &site, true) else { return };
        match read {
            Ok(file) if self.at.is_some() => *value = Value::String(self.bundler.files[file].text.clone()),
            Ok(_) => {}
            Err(message) if self.at.is_some() => self.bundler.warn(self.file, format!("{site}/$ref"), message),
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::has_reference_elsewhere;

    #[test]
    fn only_references_to_other_places_need_bundling() {
        assert!(!has_reference_elsewhere(r##"{"a": {"$ref": "#/components/schemas/A"}}"##));
        assert!(!has_reference_elsewhere("a:\n  $ref: '#/components/schemas/A'\nb: {$ref: \"#/x\"}\n"));
        assert!(has_reference_elsewhere("a:\n  $ref: ./schemas/A.yaml\n"));
        assert!(has_reference_elsewhere("a: {$ref: '#anchor'}\n"));
        assert!(has_reference_elsewhere(r##"{"a": {"$ref": "other.json#/A"}}"##));
    }
}
