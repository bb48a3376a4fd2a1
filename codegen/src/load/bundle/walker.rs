//! The walk's side of bundling: what happens at each reference while discovering (targets are
//! registered and queued) and while building (references are rewritten, Path Items and the like
//! are put in place, loops are reported).

use serde_json::{Map, Value};
use url::Url;

use super::walk::{At, Kind, Shape, Visitor};
use super::{Bundler, Resolved, Target};
use crate::load::Version;

/// One reference being inlined around a walk: where it is and what it leads to.
#[derive(Debug, Clone)]
pub(super) struct Inlined {
    site: Target,
    target: Target,
}

/// A walk over one target (or the root), discovering or building.
pub(super) struct Walker<'b, 'o> {
    pub(super) bundler: &'b mut Bundler<'o>,
    pub(super) file: usize,
    /// Where the walked value is in its file.
    pub(super) start: String,
    /// The base URI in effect: the file's URL, then one entry per enclosing `$id`.
    pub(super) bases: Vec<Url>,
    /// Where the walked value lands in the bundled document; `None` while discovering.
    pub(super) at: Option<String>,
    /// The references being inlined around this walk, outermost first: a reference back to one
    /// of them is a loop.
    pub(super) inline: Vec<Inlined>,
    /// Whether the walked value is something that lands in place (a Path Item, an operation).
    pub(super) nested: bool,
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
            let sites = self.bundler.inline_sites.entry(target.clone()).or_insert((0, false));
            sites.0 += 1;
            sites.1 |= self.nested;
            if !self.bundler.walked.contains(&(target.clone(), shape)) {
                self.bundler.walked.insert((target.clone(), shape));
                self.bundler.queue.push_back((target, shape));
            }
            return;
        };
        let at = format!("{at}{relative}");
        // A target built only here moves into place; any other is copied.
        let content = match self.bundler.sole.contains(&target) {
            true => self.bundler.node_mut(&target).map(std::mem::take),
            false => self.bundler.value_at(&target).cloned(),
        };
        let Some(mut content) = content else { return };
        let siblings = value.as_object().is_some_and(|object| object.len() > 1);
        if (siblings && !content.is_object()) || content.is_null() {
            let message = format!("`{reference}` leads to {}, not an object; the reference is left as it is", crate::load::describe(&content));
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
    fn reference(&mut self, value: &mut Value, shape: Shape, at: &At<'_>) -> bool {
        if self.bundler.fatal.is_some() {
            return true;
        }
        let Some(reference) = value.get("$ref").and_then(Value::as_str).map(str::to_string) else { return false };
        // Local pointers in the root under no `$id` are what lowering follows already.
        if self.file == 0 && self.bases.len() == 1 && reference.starts_with("#/") {
            return false;
        }
        let pointer = at.pointer();
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
            self.inline(value, target, shape, &site, &pointer);
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

    fn enter_resource(&mut self, id: &str, _: &At<'_>) {
        let base = match self.bundler.version {
            Version::V3_1 => self.base().join(id).unwrap_or_else(|_| self.base().clone()),
            Version::V3_0 => self.base().clone(),
        };
        self.bases.push(base);
    }

    fn leave_resource(&mut self) {
        self.bases.pop();
    }

    fn mapping(&mut self, value: &mut String, at: &At<'_>) {
        // A bare component name (`Cat`) is not a reference; a value with a fragment, a path or a
        // file extension is (`#/components/schemas/Cat`, `./Cat.yaml`, `common.json#/Cat`).
        let lowered = value.to_ascii_lowercase();
        let is_reference = value.contains(['#', '/']) || [".yaml", ".yml", ".json"].iter().any(|extension| lowered.ends_with(extension));
        if !is_reference {
            return;
        }
        let mut reference = Value::Object(Map::from_iter([("$ref".to_string(), Value::String(value.clone()))]));
        self.reference(&mut reference, Shape::One(Kind::Schema), at);
        if let Some(rewritten) = reference.get("$ref").and_then(Value::as_str) {
            if rewritten != value {
                *value = rewritten.to_string();
            }
        }
    }

    fn loose_reference(&mut self, value: &mut Value, at: &At<'_>) {
        // Only a file that is not YAML or JSON (a code sample, a Markdown description) is read, as
        // text; anything else stays as written. Not reading it costs nothing generated, so a
        // reference that leaves the allowed places is a warning here, not an error.
        let Some(reference) = value.get("$ref").and_then(Value::as_str).map(str::to_string) else { return };
        let path = reference.split('#').next().unwrap_or_default().to_ascii_lowercase();
        if path.is_empty() || [".yaml", ".yml", ".json"].iter().any(|extension| path.ends_with(extension)) {
            return;
        }
        let site = format!("{}{at}", self.start);
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
