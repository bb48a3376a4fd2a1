//! The split-document row of `cargo xtask bench`: GitHub's description cut into one file per path
//! and one per schema, generated in the same loop as the whole file, so that what following the
//! references between files costs shows as a ratio that the machine's drift does not blur.
//!
//! The split is written before timing (`target/bench-split/github/`, made afresh each run):
//! `openapi.json` keeps everything but replaces each `paths` entry with a reference to
//! `paths/<file>.json` and each `components/schemas` entry with one to `schemas/<Name>.json`.
//! In the written files every local reference is turned into one to the file that now holds its
//! target: a schema's file, or the root (`../openapi.json#/...`).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::bench_pair::{compare, Counts, Form, Prepared};

/// The document split, relative to the repository root.
pub const SOURCE: &str = "tests/corpus/large/github.json";

/// Where the split is written, relative to the repository root.
pub const FOLDER: &str = "target/bench-split/github";

/// The split files written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The root document, `openapi.json`.
    pub root: PathBuf,
    /// Every file written, the root included.
    pub files: usize,
}

/// Writes `document` split into `folder` (removed first).
pub fn write_split(document: &Value, folder: &Path) -> Result<Split, String> {
    let io = |path: &Path, error: std::io::Error| format!("{}: {error}", path.display());
    match std::fs::remove_dir_all(folder) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(io(folder, error)),
        _ => {}
    }
    for sub in ["paths", "schemas"] {
        std::fs::create_dir_all(folder.join(sub)).map_err(|error| io(&folder.join(sub), error))?;
    }
    let files = split(document);
    for (name, value) in &files {
        let path = folder.join(name);
        let text = serde_json::to_vec_pretty(value).map_err(|error| error.to_string())?;
        std::fs::write(&path, text).map_err(|error| io(&path, error))?;
    }
    Ok(Split { root: folder.join("openapi.json"), files: files.len() })
}

/// The split as files: `openapi.json`, then `paths/<file>.json` per path and
/// `schemas/<file>.json` per schema, in document order.
pub fn split(document: &Value) -> Vec<(String, Value)> {
    let paths = document.get("paths").and_then(Value::as_object);
    let schemas = document.pointer("/components/schemas").and_then(Value::as_object);
    let path_files = file_names(paths.into_iter().flat_map(Map::keys), path_stem);
    let schema_files = file_names(schemas.into_iter().flat_map(Map::keys), schema_stem);
    let by_schema: HashMap<&str, &str> =
        schemas.into_iter().flat_map(Map::keys).map(String::as_str).zip(schema_files.iter().map(String::as_str)).collect();

    let mut root = document.clone();
    let mut files = Vec::new();
    if let (Some(paths), Some(Value::Object(root_paths))) = (paths, root.get_mut("paths")) {
        let rewriter = Rewriter { schemas: &by_schema, schema_folder: "../schemas/" };
        for ((template, item), file) in paths.iter().zip(&path_files) {
            let mut item = item.clone();
            rewriter.rewrite(&mut item, false);
            root_paths.insert(template.clone(), reference(&format!("paths/{file}")));
            files.push((format!("paths/{file}"), item));
        }
    }
    if let (Some(schemas), Some(Value::Object(root_schemas))) = (schemas, root.pointer_mut("/components/schemas")) {
        let rewriter = Rewriter { schemas: &by_schema, schema_folder: "./" };
        for ((name, schema), file) in schemas.iter().zip(&schema_files) {
            let mut schema = schema.clone();
            rewriter.rewrite(&mut schema, false);
            root_schemas.insert(name.clone(), reference(&format!("schemas/{file}")));
            files.push((format!("schemas/{file}"), schema));
        }
    }
    files.insert(0, ("openapi.json".to_string(), root));
    files
}

fn reference(target: &str) -> Value {
    Value::Object(Map::from_iter([("$ref".to_string(), Value::String(target.to_string()))]))
}

/// A path template as a file stem (`/repos/{owner}/{repo}` → `repos_{owner}_{repo}`); `None`
/// when it holds characters a file name should not.
fn path_stem(template: &str) -> Option<String> {
    let stem = template.trim_matches('/').replace('/', "_");
    let plain = stem.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '{' | '}'));
    (plain && !stem.is_empty() && !stem.starts_with('.') && stem.len() <= 200).then_some(stem)
}

/// A schema name as a file stem, every character outside `[A-Za-z0-9._-]` made `_`.
fn schema_stem(name: &str) -> Option<String> {
    let stem: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect();
    (!stem.is_empty() && !stem.starts_with('.') && stem.len() <= 200).then_some(stem)
}

/// One file name per key, in order: its stem when it has one, else a number; a stem already
/// taken (whatever the case, for file systems that ignore it) gets `-2`, `-3`, ...
fn file_names<'a>(keys: impl Iterator<Item = &'a String>, stem: fn(&str) -> Option<String>) -> Vec<String> {
    let mut taken = BTreeSet::new();
    let mut names = Vec::new();
    for (index, key) in keys.enumerate() {
        let base = stem(key).unwrap_or_else(|| format!("{}", index + 1));
        let name = std::iter::once(base.clone())
            .chain((2..).map(|suffix| format!("{base}-{suffix}")))
            .find(|name| !taken.contains(&name.to_ascii_lowercase()))
            .expect("some suffix is free");
        taken.insert(name.to_ascii_lowercase());
        names.push(format!("{name}.json"));
    }
    names
}

/// Turns the local references of a value moved out of the root into references to where their
/// targets now are.
struct Rewriter<'a> {
    /// The file of each schema, by name.
    schemas: &'a HashMap<&'a str, &'a str>,
    /// The schemas' folder as seen from the file being written.
    schema_folder: &'a str,
}

/// Keywords whose object value is a map from names (properties, status codes, media types, ...)
/// to objects: its keys are never keywords, whatever they are called.
const NAMED: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
    "responses",
    "content",
    "headers",
    "encoding",
    "links",
    "callbacks",
    "variables",
];

impl Rewriter<'_> {
    /// `named`: the keys of `value` are names, not keywords.
    fn rewrite(&self, value: &mut Value, named: bool) {
        match value {
            Value::Object(object) => {
                for (key, child) in object.iter_mut() {
                    if named {
                        self.rewrite(child, false);
                        continue;
                    }
                    match key.as_str() {
                        "$ref" => self.rewrite_reference(child),
                        // Mapping values that are pointers are references too.
                        "discriminator" => {
                            if let Some(Value::Object(mapping)) = child.get_mut("mapping") {
                                mapping
                                    .values_mut()
                                    .filter(|value| value.as_str().is_some_and(|text| text.starts_with("#/")))
                                    .for_each(|value| self.rewrite_reference(value));
                            }
                        }
                        // Data, whatever it looks like.
                        "example" | "default" | "enum" | "const" => {}
                        // A map of Example objects (whose `value` is data) or a JSON Schema list
                        // of example values: only the references standing for a whole example.
                        "examples" => {
                            if let Value::Object(examples) = child {
                                for example in examples.values_mut() {
                                    if let Some(reference) = example.get_mut("$ref") {
                                        self.rewrite_reference(reference);
                                    }
                                }
                            }
                        }
                        key if NAMED.contains(&key) && child.is_object() => self.rewrite(child, true),
                        _ => self.rewrite(child, false),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.rewrite(item, false)),
            _ => {}
        }
    }

    fn rewrite_reference(&self, reference: &mut Value) {
        let Value::String(text) = reference else { return };
        if let Some(rewritten) = self.target(text) {
            *text = rewritten;
        }
    }

    /// Where a reference written in the root leads once its target may be in another file;
    /// `None` for references that are not local pointers.
    fn target(&self, reference: &str) -> Option<String> {
        if let Some(rest) = reference.strip_prefix("#/components/schemas/") {
            let (token, tail) = rest.split_once('/').map_or((rest, None), |(token, tail)| (token, Some(tail)));
            let name = oas_codegen::diagnostics::unescape_token(token);
            if let Some(file) = self.schemas.get(name.as_ref()) {
                return Some(match tail {
                    Some(tail) => format!("{}{file}#/{tail}", self.schema_folder),
                    None => format!("{}{file}", self.schema_folder),
                });
            }
        }
        // Path and schema files are both one folder below the root.
        reference.starts_with('#').then(|| format!("../openapi.json{reference}"))
    }
}

/// The child's side, before timing: writes the split and checks that it is the same API.
/// Prints `files=N root=PATH`, then one line per finding. Fails when the operations or schemas
/// differ (the timing would compare two different things); differences in warnings are noted.
pub fn prepare(workspace: &Path) -> Result<String, String> {
    let source = workspace.join(SOURCE);
    let text = std::fs::read_to_string(&source).map_err(|error| format!("{}: {error}", source.display()))?;
    let document: Value = serde_json::from_str(&text).map_err(|error| format!("{}: {error}", source.display()))?;
    let split = write_split(&document, &workspace.join(FOLDER))?;
    let whole = Counts::of(&source)?;
    let parts = Counts::of(&split.root)?;
    let mut out = format!("files={} root={}\n", split.files, split.root.display());
    out.push_str(&Counts::same_api(("whole", &whole), ("split", &parts))?);
    if whole.reference_warnings.len() != parts.reference_warnings.len() {
        out.push_str(&format!(
            "note: warnings about references differ: {} whole, {} split\n",
            whole.reference_warnings.len(),
            parts.reference_warnings.len()
        ));
        for (label, warnings) in [("whole", &whole.reference_warnings), ("split", &parts.reference_warnings)] {
            for warning in warnings.iter().take(10) {
                out.push_str(&format!("  {label}: {warning}\n"));
            }
        }
    }
    Ok(out)
}

/// The parent's side: prepares the split in a child, then times whole and split alternately
/// (see [`crate::bench_pair`]).
pub fn bench_split(workspace: &Path, binary: &Path, runs: usize) -> Result<String, String> {
    let prepared = Prepared::run(workspace, binary, "bench-split-prepare")?;
    let whole = workspace.join(SOURCE).to_string_lossy().into_owned();
    let (whole, split) = (Form { label: "github.json (whole)", spec: &whole }, Form { label: "github (split)", spec: &prepared.field("root") });
    let table = compare(workspace, binary, runs, (&whole, &split), "split / whole", &prepared.notes)?;
    Ok(format!("split document (GitHub, one file per path and per schema: {} files)\n{table}", prepared.field("files")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn paths_and_schemas_move_to_files_and_references_follow_them() {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {
                "/repos/{owner}/{repo}": {
                    "parameters": [{"$ref": "#/components/parameters/owner"}],
                    "get": {
                        "responses": {
                            "200": {"content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/repo"},
                                "examples": {"default": {"$ref": "#/components/examples/repo"}},
                                "example": {"$ref": "#/components/schemas/repo"}
                            }}},
                            "default": {"$ref": "#/components/responses/error"}
                        }
                    }
                },
                "/a b": {}
            },
            "components": {
                "schemas": {
                    "repo": {"properties": {
                        "owner": {"$ref": "#/components/schemas/user/properties/login"},
                        "default": {"$ref": "#/components/schemas/repo"},
                        "$ref": {"type": "string"}
                    }, "default": {"$ref": "#/x"}, "enum": [{"$ref": "#/x"}]},
                    "user": {"properties": {"login": {"type": "string"}}},
                    "a/b": {"$ref": "#/components/schemas/A_B"},
                    "A_B": {}
                },
                "parameters": {"owner": {"name": "owner", "in": "path", "schema": {"$ref": "#/components/schemas/user"}}}
            }
        });
        let files: HashMap<String, Value> = split(&document).into_iter().collect();
        assert_eq!(files.len(), 7);
        let root = &files["openapi.json"];
        assert_eq!(root["paths"]["/repos/{owner}/{repo}"], json!({"$ref": "paths/repos_{owner}_{repo}.json"}));
        assert_eq!(root["paths"]["/a b"], json!({"$ref": "paths/2.json"}));
        assert_eq!(root["components"]["schemas"]["a/b"], json!({"$ref": "schemas/a_b.json"}));
        assert_eq!(root["components"]["schemas"]["A_B"], json!({"$ref": "schemas/A_B-2.json"}));
        // What stays in the root is left as it was.
        assert_eq!(root["components"]["parameters"], document["components"]["parameters"]);

        let path = &files["paths/repos_{owner}_{repo}.json"];
        assert_eq!(path["parameters"][0]["$ref"], "../openapi.json#/components/parameters/owner");
        let media = &path["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"]["$ref"], "../schemas/repo.json");
        assert_eq!(media["examples"]["default"]["$ref"], "../openapi.json#/components/examples/repo");
        assert_eq!(media["example"]["$ref"], "#/components/schemas/repo");
        assert_eq!(path["get"]["responses"]["default"]["$ref"], "../openapi.json#/components/responses/error");

        let repo = &files["schemas/repo.json"];
        assert_eq!(repo["properties"]["owner"]["$ref"], "./user.json#/properties/login");
        assert_eq!(repo["properties"]["default"]["$ref"], "./repo.json");
        assert_eq!(repo["properties"]["$ref"], json!({"type": "string"}));
        assert_eq!(repo["default"]["$ref"], "#/x");
        assert_eq!(repo["enum"][0]["$ref"], "#/x");
        assert_eq!(files["schemas/a_b.json"]["$ref"], "./A_B-2.json");
    }

    #[test]
    fn awkward_and_repeated_names_get_numbers_and_suffixes() {
        let keys: Vec<String> = ["/", "/a/b", "/a_b", "/x?y", "/A_B"].iter().map(|key| key.to_string()).collect();
        assert_eq!(file_names(keys.iter(), path_stem), ["1.json", "a_b.json", "a_b-2.json", "4.json", "A_B-3.json"]);
    }
}
