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
mod resolve;
pub(super) mod walk;
mod walker;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use url::Url;

use self::files::Boundary;
use self::walk::{Kind, Shape};
use self::walker::{Inlined, Walker};
use super::sources::Sources;
use super::{LoadError, LoadOptions, Version};
use crate::diagnostics::{escape_token, Diagnostic};
use crate::number_texts::{NumberTexts, Recorder};

/// The one document, what it was read from, and what reading it found.
pub struct Bundled {
    pub root: Value,
    pub sources: Sources,
    /// Warnings, each already naming its file (`Diagnostic::file`) when it is not the root.
    pub diagnostics: Vec<Diagnostic>,
    /// The number texts of every file read, checked against all of them together.
    pub numbers: NumberTexts,
}

/// Bundles the document read from `path` (as the user named it).
/// `swagger2` says the document is Swagger 2.0, whose reusable parts live in `definitions`,
/// `parameters` and `responses` at the top level rather than under `components`. `numbers` holds
/// what reading the root recorded.
pub fn bundle<'o>(
    path: &Path,
    root: Value,
    text: &'o str,
    version: Version,
    swagger2: bool,
    options: &'o LoadOptions,
    numbers: Recorder,
) -> Result<Bundled, LoadError> {
    let needs_work = contains(text, "$anchor") || contains(text, "$id") || has_reference_elsewhere(text);
    let canonical = std::fs::canonicalize(path).ok().filter(|_| needs_work);
    let Some(canonical) = canonical else {
        let numbers = numbers.finish([&root]);
        return Ok(Bundled { root, sources: Sources::default(), diagnostics: Vec::new(), numbers });
    };
    let folder = canonical.parent().unwrap_or(Path::new("/")).to_path_buf();
    let root_url = Url::from_file_path(&canonical).map_err(|()| LoadError {
        path: Some(path.to_path_buf()),
        pointer: String::new(),
        message: "the document's path cannot be written as a URL".into(),
        position: None,
    })?;
    // OpenAPI 3.2's `$self` is the document's own URI and the base its references resolve
    // against. What lies beside it is taken to lie beside the file, so a reference resolved
    // against it reads a file of the folder, never the network.
    let self_uri = match root.get("openapi").and_then(Value::as_str) {
        Some(written) if written.starts_with("3.2") => root.get("$self").and_then(Value::as_str).and_then(|uri| root_url.join(uri).ok()),
        _ => None,
    };
    let self_alias = self_uri.as_ref().and_then(|uri| Some((uri.join("./").ok()?.to_string(), Url::from_directory_path(&folder).ok()?)));
    let mut bundler = Bundler {
        options,
        version,
        swagger2,
        boundary: Boundary::new(&folder, options),
        shown_folder: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        root_path: path.to_path_buf(),
        // The root's text stays with the caller (`root_text`); it is never parsed again here.
        files: vec![File {
            url: root_url.clone(),
            base: self_uri.clone().unwrap_or_else(|| root_url.clone()),
            name: None,
            source: None,
            text: String::new(),
            value: None,
            path: Some(canonical),
        }],
        root_text: text,
        by_url: HashMap::from([(root_url.to_string(), 0)]),
        ids: self_uri.iter().map(|uri| (without_fragment(uri).to_string(), Target { file: 0, pointer: String::new() })).collect(),
        self_alias,
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
        inline_sites: HashMap::new(),
        sole: HashSet::new(),
        sources: Sources::default(),
        numbers,
    };
    if version == Version::V3_1 && (contains(text, "$id") || contains(text, "$anchor")) {
        bundler.index_resources(0, &root);
    }
    let mut root = root;
    bundler.discover(&mut root);
    if let Some(error) = bundler.fatal.take() {
        return Err(error);
    }
    // Every file is read and still whole: building moves parts of them into the bundle.
    let read = bundler.files.iter().filter_map(|file| file.value.as_ref()?.as_ref().ok());
    let numbers = std::mem::take(&mut bundler.numbers).finish(std::iter::once(&root).chain(read));
    if bundler.components.is_empty() && bundler.walked.is_empty() && !bundler.rewrite_root {
        return Ok(Bundled { root, sources: Sources::default(), diagnostics: bundler.diagnostics, numbers });
    }
    bundler.name(&root);
    let root = bundler.build(root)?;
    // Each file's text moves to the sources, which keep it to place findings; it is not copied.
    for file in &mut bundler.files {
        if let Some(source) = file.source {
            bundler.sources.set_text(source, std::mem::take(&mut file.text));
        }
    }
    bundler.sources.seal();
    Ok(Bundled { root, sources: bundler.sources, diagnostics: bundler.diagnostics, numbers })
}

/// Whether some `$ref` of the text is not a plain local pointer (`#/...`): only then is there
/// anything to bundle. A look at the text, so a document in one file is not walked at all; a
/// `$ref` in a description only makes it look.
/// `str::contains`, faster on a long text.
fn contains(text: &str, word: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), word.as_bytes()).is_some()
}

fn has_reference_elsewhere(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"$ref").any(|at| {
        let rest = text[at + 4..].trim_start_matches(['"', '\'', ':', ' ', '\t']);
        !rest.starts_with("#/")
    })
}

/// A URI without its fragment.
fn without_fragment(uri: &Url) -> Url {
    let mut uri = uri.clone();
    uri.set_fragment(None);
    uri
}

/// A file read while bundling. File 0 is the root document.
struct File {
    url: Url,
    /// What its references resolve against: its `$self` (OpenAPI 3.2), else the URI it was
    /// reached by.
    base: Url,
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
    /// Every `$id` (3.1) and `$self` (3.2), without fragment, and the node that carries it.
    ids: HashMap<String, Target>,
    /// The folder of the root's `$self` and the root's folder (a `file:` URL) it stands for.
    self_alias: Option<(String, Url)>,
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
    /// The root document's text.
    root_text: &'o str,
    /// For each target that lands in place: how many references discovery found to it, and
    /// whether one of them is itself inside something that lands in place (and so may be built
    /// more than once).
    inline_sites: HashMap<Target, (usize, bool)>,
    /// The targets that are all their file holds and are built exactly once: their value moves
    /// into the bundle instead of being copied.
    sole: HashSet<Target>,
    sources: Sources,
    /// The number texts recorded while reading the root and each file.
    numbers: Recorder,
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
        self.sole = self.built_once();
        self.walk(&mut root, Shape::One(Kind::Document), Target { file: 0, pointer: String::new() }, Some(String::new()), Vec::new());
        let mut placed: Vec<((Target, &'static str), String)> = self.names.iter().map(|(key, name)| (key.clone(), name.clone())).collect();
        placed.sort_by(|a, b| (a.0 .1, &a.1).cmp(&(b.0 .1, &b.1)));
        for ((target, section), name) in placed {
            let at = format!("{}/{}", self.section_root(section), escape_token(&name));
            // A file that holds only this target is not needed again: its value moves.
            let value = match self.sole.contains(&target) {
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

    /// The targets that are all their file holds (the whole file) and that building uses once:
    /// as one component, or in place at one reference that is not itself inside something placed.
    fn built_once(&self) -> HashSet<Target> {
        let mut targets_in_file: HashMap<usize, HashSet<&Target>> = HashMap::new();
        for (target, _) in &self.walked {
            targets_in_file.entry(target.file).or_default().insert(target);
        }
        let mut sections_of: HashMap<&Target, usize> = HashMap::new();
        for (target, _) in self.components.keys() {
            *sections_of.entry(target).or_default() += 1;
        }
        targets_in_file
            .values()
            .filter(|targets| targets.len() == 1)
            .flat_map(|targets| targets.iter().map(|target| (*target).clone()))
            .filter(|target| target.file != 0 && target.pointer.is_empty())
            .filter(|target| matches!((sections_of.get(target), self.inline_sites.get(target)), (Some(1), None) | (None, Some((1, false)))))
            .collect()
    }

    /// Walks `value`, which is `target` of its file; `at` is where it lands in the bundled
    /// document when building, `None` while discovering.
    fn walk(&mut self, value: &mut Value, shape: Shape, target: Target, at: Option<String>, inline: Vec<Inlined>) {
        self.walked.insert((target.clone(), shape));
        let base = self.base_at(&target);
        let nested = target.file != 0 && self.section(shape).is_none();
        let mut walker = Walker { bundler: self, file: target.file, start: target.pointer, bases: vec![base], at, inline, nested };
        walk::walk(value, shape, &mut walker);
    }

    /// The base URI references at `target` resolve against: the file's URL, changed by every
    /// `$id` above it (3.1).
    fn base_at(&self, target: &Target) -> Url {
        let file = &self.files[target.file];
        let mut base = file.base.clone();
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
            let mut numbers = Recorder::default();
            let parsed = super::parse::parse_text(&file.text, &mut found, &mut numbers).map_err(|(message, _)| message);
            self.numbers.merge(numbers);
            let name = file.name.clone();
            self.diagnostics.extend(found.into_iter().map(|diagnostic| Diagnostic { file: name.clone(), ..diagnostic }));
            file.value = Some(parsed);
        }
        match file.value.as_ref().expect("parsed above") {
            Ok(value) => Ok(value),
            Err(message) => Err(message.clone()),
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
        let text = if file == 0 { self.root_text } else { source.text.as_str() };
        let position = crate::source_map::locate(text, &[pointer]).into_iter().next().flatten();
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
