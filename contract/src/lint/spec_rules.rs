//! The checks `oas validate` makes on top of what generation reports.
//!
//! Generation is forgiving on purpose: it turns a dangling `$ref` into `serde_json::Value` and a
//! repeated operationId into a suffixed one, so that one bad operation never costs a whole API.
//! A validator must not be: these are violations of the OpenAPI specification that other tools
//! (servers, documentation sites, other generators) reject or silently mishandle, so they are
//! reported here as errors.
//!
//! The checks walk the raw document (`Document::root`) and return diagnostics with pointers only;
//! the caller looks up every position in one pass over the text.

use std::collections::{HashMap, HashSet};

use oas_codegen::diagnostics::{join, Diagnostic};
use oas_codegen::load::{describe, Document};
use oas_codegen::refs;
use serde_json::{Map, Value};

/// The HTTP methods a path item can hold an operation for (OpenAPI 3.0 and 3.1).
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Every specification violation found, in no particular order.
pub fn check(document: &Document) -> Vec<Diagnostic> {
    let root = &document.root;
    let mut errors = Vec::new();
    let mut anchors = HashSet::new();
    collect_anchors(root, &mut anchors);
    let mut references = References { root, anchors: &anchors, errors: &mut errors };
    references.walk(root, "", Walk::Keywords);
    check_operations(root, &mut errors);
    errors
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/// How the keys of an object are to be read while looking for `$ref`s.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// The keys are keywords (`schema`, `items`, `example`, ...): `$ref` is a reference and the
    /// values of data keywords are skipped.
    Keywords,
    /// The keys are names chosen by the author (property names, status codes, media types,
    /// component names), so a key called `default` or `example` is not the keyword of that name.
    Names,
}

/// Keywords whose values are example or literal data, where an object with a `$ref` key is just
/// data (a JSON Schema shown in an example, say) and must not be reported.
pub(crate) const DATA_KEYWORDS: &[&str] = &["example", "default", "const", "enum", "value"];

/// Keywords whose object values map author-chosen names to keyword objects.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "paths",
    "webhooks",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
    "variables",
];

struct References<'a> {
    root: &'a Value,
    anchors: &'a HashSet<String>,
    errors: &'a mut Vec<Diagnostic>,
}

impl References<'_> {
    fn walk(&mut self, value: &Value, pointer: &str, mode: Walk) {
        match value {
            Value::Object(object) => {
                if mode == Walk::Keywords {
                    if let Some(reference) = object.get("$ref") {
                        self.check_reference(reference, &join(pointer, "$ref"));
                    }
                    if let Some(mapping) = object.get("discriminator").and_then(|discriminator| discriminator.get("mapping")) {
                        self.check_mapping(mapping, &join(&join(pointer, "discriminator"), "mapping"));
                    }
                }
                for (key, child) in object {
                    let child_pointer = join(pointer, key);
                    match mode {
                        Walk::Names => self.walk(child, &child_pointer, Walk::Keywords),
                        Walk::Keywords => {
                            // Extensions hold vendor data with no defined meaning for `$ref`.
                            if key.starts_with("x-") || DATA_KEYWORDS.contains(&key.as_str()) || key == "$ref" {
                                continue;
                            }
                            // A schema's `examples` is an array of data; a media type's is a map of
                            // Example Objects, which may be references themselves.
                            if key == "examples" && child.is_array() {
                                continue;
                            }
                            let child_mode = if NAME_MAPS.contains(&key.as_str()) && child.is_object() { Walk::Names } else { Walk::Keywords };
                            self.walk(child, &child_pointer, child_mode);
                        }
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.walk(item, &join(pointer, &index.to_string()), Walk::Keywords);
                }
            }
            _ => {}
        }
    }

    fn check_reference(&mut self, reference: &Value, pointer: &str) {
        let Some(reference) = reference.as_str() else {
            self.errors.push(Diagnostic::error(pointer, format!("`$ref` must be a string, found {}", describe(reference))));
            return;
        };
        // A reference to another file or a URL is legal and cannot be checked from here;
        // generation warns when it cannot follow one.
        let Some(fragment) = reference.strip_prefix('#') else { return };
        if !fragment.is_empty() && !fragment.starts_with('/') && !fragment.starts_with('%') {
            if !self.anchors.contains(fragment) {
                self.errors.push(Diagnostic::error(
                    pointer,
                    format!("`{reference}` does not resolve: no schema in this document declares `$anchor: {fragment}`"),
                ));
            }
            return;
        }
        let target = match refs::local_pointer(reference) {
            Ok(target) => target,
            Err(why) => {
                self.errors.push(Diagnostic::error(pointer, why));
                return;
            }
        };
        if self.root.pointer(&target).is_none() {
            self.errors.push(Diagnostic::error(pointer, format!("`{reference}` does not resolve: {}", missing_reason(self.root, &target))));
            return;
        }
        // Each link of a chain is checked where it is written; only a chain that never ends in
        // anything but references is reported here.
        if let Err(why) = refs::resolve(self.root, reference) {
            if why.message.contains("loop") {
                self.errors.push(Diagnostic::error(pointer, why));
            }
        }
    }

    /// Discriminator mapping values are schema names or references (OpenAPI 3.x, Discriminator
    /// Object); a local reference must resolve and a bare name must name a component schema.
    fn check_mapping(&mut self, mapping: &Value, pointer: &str) {
        let Some(mapping) = mapping.as_object() else { return };
        for (key, target) in mapping {
            let Some(target) = target.as_str() else { continue };
            let entry_pointer = join(pointer, key);
            if target.starts_with('#') {
                match refs::local_pointer(target) {
                    Ok(target_pointer) if self.root.pointer(&target_pointer).is_some() => {}
                    Ok(target_pointer) => self.errors.push(Diagnostic::error(
                        entry_pointer,
                        format!(
                            "discriminator mapping `{key}` names `{target}`, which does not resolve: {}",
                            missing_reason(self.root, &target_pointer)
                        ),
                    )),
                    // Anchors and malformed fragments are left to the `$ref` rules.
                    Err(_) => {}
                }
            } else if !target.contains(['/', '.', ':'])
                && self.root.pointer(&format!("/components/schemas/{}", oas_codegen::diagnostics::escape_token(target))).is_none()
            {
                self.errors.push(Diagnostic::error(
                    entry_pointer,
                    format!("discriminator mapping `{key}` names the schema `{target}`, but `components/schemas` has no such schema"),
                ));
            }
        }
    }
}

/// Says which part of a pointer is missing, because "nothing at /components/schemas/Pett" leaves
/// the reader to find the typo, while naming the last existing parent points at it.
fn missing_reason(root: &Value, target: &str) -> String {
    let mut existing = String::new();
    for token in target.split('/').skip(1) {
        let next = format!("{existing}/{token}");
        if root.pointer(&next).is_none() {
            let parent = if existing.is_empty() { "the document root".to_string() } else { format!("`{existing}`") };
            let token = token.replace("~1", "/").replace("~0", "~");
            return format!("{parent} has no `{token}`");
        }
        existing = next;
    }
    format!("nothing at `{target}`")
}

fn collect_anchors(value: &Value, anchors: &mut HashSet<String>) {
    match value {
        Value::Object(object) => {
            for key in ["$anchor", "$dynamicAnchor"] {
                if let Some(anchor) = object.get(key).and_then(Value::as_str) {
                    anchors.insert(anchor.to_string());
                }
            }
            object.values().for_each(|child| collect_anchors(child, anchors));
        }
        Value::Array(items) => items.iter().for_each(|item| collect_anchors(item, anchors)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Operations: unique operationIds, path templates and path parameters
// ---------------------------------------------------------------------------------------------

fn check_operations(root: &Value, errors: &mut Vec<Diagnostic>) {
    let mut ids = OperationIds::default();
    // A parameter component used by many operations is reported once, where it is written.
    let mut reported_required = HashSet::new();
    for section in ["paths", "webhooks"] {
        let Some(items) = root.get(section).and_then(Value::as_object) else { continue };
        for (key, item) in items {
            if key.starts_with("x-") {
                continue;
            }
            let item_pointer = join(&format!("/{section}"), key);
            // Unresolvable path item references are reported by the reference walk.
            let Ok((item, resolved_pointer)) = refs::follow(root, item, &item_pointer) else { continue };
            let Some(item) = item.as_object() else { continue };
            let label = |method: &str| {
                if section == "paths" {
                    format!("{} {key}", method.to_uppercase())
                } else {
                    format!("webhook `{key}` ({})", method.to_uppercase())
                }
            };
            if section == "paths" {
                check_path_item(root, key, item, &item_pointer, &resolved_pointer, &mut reported_required, errors);
            }
            for method in METHODS {
                let Some(operation) = item.get(*method).and_then(Value::as_object) else { continue };
                let operation_pointer = join(&resolved_pointer, method);
                ids.add(operation, &operation_pointer, label(method), errors);
                check_callbacks(root, operation, &operation_pointer, &mut ids, errors);
            }
        }
    }
}

/// Operations of callbacks count towards operationId uniqueness too ("unique among all
/// operations described in the API").
fn check_callbacks(root: &Value, operation: &Map<String, Value>, operation_pointer: &str, ids: &mut OperationIds, errors: &mut Vec<Diagnostic>) {
    let Some(callbacks) = operation.get("callbacks").and_then(Value::as_object) else { return };
    for (name, callback) in callbacks {
        let Ok((callback, callback_pointer)) = refs::follow(root, callback, &join(&join(operation_pointer, "callbacks"), name)) else { continue };
        let Some(callback) = callback.as_object() else { continue };
        for (expression, item) in callback {
            let Ok((item, item_pointer)) = refs::follow(root, item, &join(&callback_pointer, expression)) else { continue };
            let Some(item) = item.as_object() else { continue };
            for method in METHODS {
                let Some(callback_operation) = item.get(*method).and_then(Value::as_object) else { continue };
                let label = format!("callback `{name}` ({} {expression})", method.to_uppercase());
                ids.add(callback_operation, &join(&item_pointer, method), label, errors);
            }
        }
    }
}

#[derive(Default)]
struct OperationIds {
    /// operationId → label of the first operation that uses it.
    first: HashMap<String, String>,
    /// Operations already counted, so a path item reached twice through the same component is
    /// not reported against itself.
    seen: HashSet<String>,
}

impl OperationIds {
    fn add(&mut self, operation: &Map<String, Value>, operation_pointer: &str, label: String, errors: &mut Vec<Diagnostic>) {
        if !self.seen.insert(operation_pointer.to_string()) {
            return;
        }
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else { return };
        match self.first.get(id) {
            Some(first) => errors.push(Diagnostic::error(
                join(operation_pointer, "operationId"),
                format!("operationId `{id}` is already used by {first}; operationIds must be unique"),
            )),
            None => {
                self.first.insert(id.to_string(), label);
            }
        }
    }
}

/// A parameter as declared in a `parameters` list, after following its reference.
struct DeclaredParameter {
    name: String,
    location: String,
    /// Where it is listed (the list entry, which may be a `$ref`).
    pointer: String,
    /// Where its definition is (differs from `pointer` for references).
    resolved_pointer: String,
    required: Option<bool>,
}

fn declared_parameters(root: &Value, owner: &Map<String, Value>, owner_pointer: &str, errors: &mut Vec<Diagnostic>) -> Vec<DeclaredParameter> {
    let Some(list) = owner.get("parameters").and_then(Value::as_array) else { return Vec::new() };
    let list_pointer = join(owner_pointer, "parameters");
    let mut declared: Vec<DeclaredParameter> = Vec::new();
    for (index, entry) in list.iter().enumerate() {
        let pointer = join(&list_pointer, &index.to_string());
        let Ok((parameter, resolved_pointer)) = refs::follow(root, entry, &pointer) else { continue };
        let (Some(name), Some(location)) = (parameter.get("name").and_then(Value::as_str), parameter.get("in").and_then(Value::as_str)) else {
            continue;
        };
        if declared.iter().any(|other| other.name == name && other.location == location) {
            errors.push(Diagnostic::error(
                &pointer,
                format!("the parameter `{name}` (in {location}) is listed twice; a parameter list must not repeat a name and location"),
            ));
            continue;
        }
        declared.push(DeclaredParameter {
            name: name.to_string(),
            location: location.to_string(),
            pointer,
            resolved_pointer,
            required: parameter.get("required").and_then(Value::as_bool),
        });
    }
    declared
}

/// The names of a path template (`/pets/{petId}` → `petId`), or why the template is malformed.
pub fn template_names(path: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("the path `{path}` has a `}}` without a matching `{{`"));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find(['{', '}']) else {
            return Err(format!("the path `{path}` has a `{{` that is never closed"));
        };
        if after[close..].starts_with('{') {
            return Err(format!("the path `{path}` has a `{{` inside a template expression"));
        }
        let name = &after[..close];
        if name.is_empty() {
            return Err(format!("the path `{path}` has an empty template expression `{{}}`"));
        }
        names.push(name);
        rest = &after[close + 1..];
    }
    Ok(names)
}

fn check_path_item(
    root: &Value,
    path: &str,
    item: &Map<String, Value>,
    item_pointer: &str,
    resolved_pointer: &str,
    reported_required: &mut HashSet<String>,
    errors: &mut Vec<Diagnostic>,
) {
    if !path.starts_with('/') {
        errors.push(Diagnostic::error(item_pointer, format!("the path `{path}` must begin with `/`")));
    }
    let names = match template_names(path) {
        Ok(names) => names,
        Err(why) => {
            errors.push(Diagnostic::error(item_pointer, why));
            return;
        }
    };
    let shared = declared_parameters(root, item, resolved_pointer, errors);
    let mut check_declared = |parameter: &DeclaredParameter, errors: &mut Vec<Diagnostic>| {
        if parameter.location != "path" {
            return;
        }
        if !names.contains(&parameter.name.as_str()) {
            errors.push(Diagnostic::error(
                &parameter.pointer,
                format!("the parameter `{}` is declared `in: path`, but the path `{path}` has no `{{{}}}`", parameter.name, parameter.name),
            ));
        }
        if parameter.required != Some(true) && reported_required.insert(parameter.resolved_pointer.clone()) {
            let pointer =
                if parameter.required.is_some() { join(&parameter.resolved_pointer, "required") } else { parameter.resolved_pointer.clone() };
            errors.push(Diagnostic::error(pointer, format!("the path parameter `{}` must have `required: true`", parameter.name)));
        }
    };
    for parameter in &shared {
        check_declared(parameter, errors);
    }
    for method in METHODS {
        let Some(operation) = item.get(*method).and_then(Value::as_object) else { continue };
        let operation_pointer = join(resolved_pointer, method);
        let own = declared_parameters(root, operation, &operation_pointer, errors);
        for parameter in &own {
            check_declared(parameter, errors);
        }
        let declared = |name: &str| shared.iter().chain(&own).any(|parameter| parameter.location == "path" && parameter.name == name);
        let mut reported = HashSet::new();
        for name in &names {
            if !declared(name) && reported.insert(*name) {
                errors.push(Diagnostic::error(
                    &operation_pointer,
                    format!(
                        "the path `{path}` has `{{{name}}}`, but {} {path} declares no path parameter `{name}`; add one with `name: {name}` and `in: path`",
                        method.to_uppercase()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the checks on a YAML document and returns `pointer: message` lines, sorted.
    fn errors(yaml: &str) -> Vec<String> {
        let document = oas_codegen::load::load_str(yaml).expect("test documents load");
        let mut found: Vec<String> = check(&document).into_iter().map(|error| format!("{}: {}", error.pointer, error.message)).collect();
        found.sort();
        found
    }

    fn document(paths: &str, components: &str) -> String {
        format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n{components}\n")
    }

    #[test]
    fn templates() {
        assert_eq!(template_names("/a/{b}/c.{d}"), Ok(vec!["b", "d"]));
        assert_eq!(template_names("/plain"), Ok(vec![]));
        for (path, why) in [("/a/{b", "never closed"), ("/a/b}", "without a matching"), ("/a/{b{c}}", "inside"), ("/a/{}", "empty")] {
            let error = template_names(path).unwrap_err();
            assert!(error.contains(why), "{path}: {error}");
        }
    }

    #[test]
    fn dangling_references_are_errors_and_data_is_not_checked() {
        let found = errors(&document(
            "  /a:\n    get:\n      operationId: a\n      responses:\n        default:\n          $ref: '#/components/responses/Nope'\n",
            "  schemas:\n    A:\n      type: object\n      properties:\n        default: {$ref: '#/components/schemas/Missing'}\n        b: {$ref: '#/components/schemas/A'}\n      example: {$ref: '#/not/checked'}\n      x-vendor: {$ref: '#/not/checked'}\n    B: {$ref: 'other.yaml#/B'}\n    C: {$ref: '#anchor'}\n    D: {$anchor: here, $ref: '#here'}\n    E: {$ref: 5}",
        ));
        assert_eq!(
            found,
            vec![
                "/components/schemas/A/properties/default/$ref: `#/components/schemas/Missing` does not resolve: `/components/schemas` has no `Missing`",
                "/components/schemas/C/$ref: `#anchor` does not resolve: no schema in this document declares `$anchor: anchor`",
                "/components/schemas/E/$ref: `$ref` must be a string, found the number 5",
                "/paths/~1a/get/responses/default/$ref: `#/components/responses/Nope` does not resolve: `/components` has no `responses`",
            ]
        );
    }

    #[test]
    fn reference_loops_and_mappings() {
        let found = errors(&document(
            "  {}",
            "  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    P:\n      oneOf: [{$ref: '#/components/schemas/A'}]\n      discriminator:\n        propertyName: k\n        mapping: {a: '#/components/schemas/Gone', b: Nameless, c: A, d: 'other.yaml#/X'}",
        ));
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].starts_with("/components/schemas/A/$ref: ") && found[0].contains("loop"), "{}", found[0]);
        assert!(found[1].starts_with("/components/schemas/B/$ref: ") && found[1].contains("loop"), "{}", found[1]);
        assert!(
            found[2].starts_with("/components/schemas/P/discriminator/mapping/a: ") && found[2].contains("`/components/schemas` has no `Gone`"),
            "{}",
            found[2]
        );
        assert!(found[3].starts_with("/components/schemas/P/discriminator/mapping/b: ") && found[3].contains("no such schema"), "{}", found[3]);
        assert!(found[4].starts_with("/components/schemas/P/oneOf/0/$ref: ") && found[4].contains("loop"), "{}", found[4]);
    }

    #[test]
    fn duplicate_operation_ids_name_the_first_user() {
        let found = errors(&document(
            "  /a:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n    post:\n      operationId: same\n      responses: {'200': {description: ok}}\n      callbacks:\n        hook:\n          '{$request.body#/url}':\n            post: {operationId: same, responses: {'200': {description: ok}}}\n  /b: {$ref: '#/components/pathItems/B'}\n  /c: {$ref: '#/components/pathItems/B'}",
            "  pathItems:\n    B:\n      get: {operationId: other, responses: {'200': {description: ok}}}",
        ));
        assert_eq!(
            found,
            vec![
                "/paths/~1a/post/callbacks/hook/{$request.body#~1url}/post/operationId: operationId `same` is already used by GET /a; operationIds must be unique",
                "/paths/~1a/post/operationId: operationId `same` is already used by GET /a; operationIds must be unique",
            ]
        );
    }

    #[test]
    fn path_parameters_match_the_template() {
        let found = errors(&document(
            "  /pets/{petId}/toys/{toyId}:\n    parameters:\n      - {name: petId, in: path, required: true, schema: {type: string}}\n      - {name: stray, in: path, required: true}\n    get:\n      responses: {'200': {description: ok}}\n    put:\n      parameters:\n        - {$ref: '#/components/parameters/Toy'}\n        - {name: q, in: query}\n        - {name: q, in: query}\n      responses: {'200': {description: ok}}\n  /empty/{x}: {}\n  /broken/{x:\n    get: {responses: {'200': {description: ok}}}\n  nope: {}",
            "  parameters:\n    Toy: {name: toyId, in: path, required: false}",
        ));
        assert_eq!(
            found,
            vec![
                "/components/parameters/Toy/required: the path parameter `toyId` must have `required: true`",
                "/paths/nope: the path `nope` must begin with `/`",
                "/paths/~1broken~1{x: the path `/broken/{x` has a `{` that is never closed",
                "/paths/~1pets~1{petId}~1toys~1{toyId}/get: the path `/pets/{petId}/toys/{toyId}` has `{toyId}`, but GET /pets/{petId}/toys/{toyId} declares no path parameter `toyId`; add one with `name: toyId` and `in: path`",
                "/paths/~1pets~1{petId}~1toys~1{toyId}/parameters/1: the parameter `stray` is declared `in: path`, but the path `/pets/{petId}/toys/{toyId}` has no `{stray}`",
                "/paths/~1pets~1{petId}~1toys~1{toyId}/put/parameters/2: the parameter `q` (in query) is listed twice; a parameter list must not repeat a name and location",
            ]
        );
    }

    #[test]
    fn the_orchestrator_spec_and_petstore_are_clean() {
        for path in ["../spec/openapi.yaml", "../tests/corpus/features/3.0/petstore.yaml"] {
            let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
            let document = oas_codegen::load::load_file(&full).expect("the document loads");
            assert_eq!(check(&document), vec![], "{path}");
        }
    }
}
