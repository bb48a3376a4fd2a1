//! Matching operations between the two documents and comparing their parameters, request
//! bodies and responses.

use std::collections::{BTreeSet, HashMap, HashSet};

use oas_codegen::diagnostics::join;
use serde_json::{Map, Value};

use super::change::{Direction, Severity, Side};
use super::schema::ANYTHING;
use super::walk::{resolve, Walker};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One operation of a document, found under `/paths`.
struct Operation<'a> {
    kind: Kind,
    method: &'static str,
    template: &'a str,
    /// The template with parameter names blanked (`/a/{}`), so renaming a parameter keeps the match.
    shape: String,
    /// The path item (resolved) and the operation.
    item: &'a Value,
    item_pointer: String,
    operation: &'a Value,
    pointer: String,
}

/// Where operations live: under `/paths`, or under `/webhooks` (OpenAPI 3.1), where the API's
/// provider sends the request and its consumers answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Path,
    Webhook,
}

impl Operation<'_> {
    fn label(&self) -> String {
        match self.kind {
            Kind::Path => format!("{} {}", self.method.to_uppercase(), self.template),
            Kind::Webhook => format!("webhook `{}` ({})", self.template, self.method.to_uppercase()),
        }
    }

    /// The label, as the subject of a sentence.
    fn describe(&self) -> String {
        match self.kind {
            Kind::Path => format!("operation {}", self.label()),
            Kind::Webhook => self.label(),
        }
    }
}

fn operations(root: &Value, kind: Kind) -> Vec<Operation<'_>> {
    let container = if kind == Kind::Path { "/paths" } else { "/webhooks" };
    let Some(items) = root.pointer(container).and_then(Value::as_object) else { return Vec::new() };
    let mut found = Vec::new();
    for (template, item) in items {
        let (item, item_pointer) = resolve(root, item, &join(container, template));
        for method in METHODS {
            if let Some(operation) = item.get(method).filter(|operation| operation.is_object()) {
                found.push(Operation {
                    kind,
                    method,
                    template,
                    shape: shape(template),
                    item,
                    item_pointer: item_pointer.clone(),
                    operation,
                    pointer: join(&item_pointer, method),
                });
            }
        }
    }
    found
}

fn shape(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut inside = false;
    for c in template.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Operations by path template, in document order: the template, its path item's pointer, and
/// the methods.
#[derive(Default)]
struct PathGroups<'a>(Vec<(&'a str, String, Vec<&'static str>)>);

impl<'a> PathGroups<'a> {
    fn add(&mut self, operation: &Operation<'a>) {
        match self.0.iter_mut().find(|(template, ..)| *template == operation.template) {
            Some((_, _, methods)) => methods.push(operation.method),
            None => self.0.push((operation.template, operation.item_pointer.clone(), vec![operation.method])),
        }
    }
}

/// Path parameters whose name changed between two templates of the same shape, in order.
fn renames(old_template: &str, new_template: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for (old_name, new_name) in template_names(old_template).into_iter().zip(template_names(new_template)) {
        if old_name != new_name && !found.iter().any(|(seen, _)| seen == old_name) {
            found.push((old_name.to_string(), new_name.to_string()));
        }
    }
    found
}

fn template_names(template: &str) -> Vec<&str> {
    template.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

impl<'a> Walker<'a> {
    pub(super) fn compare_operations(&mut self) {
        self.compare_operations_of(Kind::Path);
        self.mirrored = true;
        self.compare_operations_of(Kind::Webhook);
        self.mirrored = false;
    }

    fn compare_operations_of(&mut self, kind: Kind) {
        let old_operations = operations(self.old, kind);
        let new_operations = operations(self.new, kind);
        let mut by_template: HashMap<(&str, &str), usize> = HashMap::new();
        let mut by_shape: HashMap<(&str, &str), usize> = HashMap::new();
        for (index, operation) in new_operations.iter().enumerate() {
            by_template.entry((operation.method, operation.template)).or_insert(index);
            by_shape.entry((operation.method, operation.shape.as_str())).or_insert(index);
        }
        let new_shapes: HashSet<&str> = new_operations.iter().map(|operation| operation.shape.as_str()).collect();
        let old_shapes: HashSet<&str> = old_operations.iter().map(|operation| operation.shape.as_str()).collect();
        let mut taken = vec![false; new_operations.len()];
        let mut renamed_paths: HashSet<(&str, &str)> = HashSet::new();
        let mut removed_paths = PathGroups::default();

        for old in &old_operations {
            let exact = by_template.get(&(old.method, old.template)).copied().filter(|&index| !taken[index]);
            let matched = exact.or_else(|| by_shape.get(&(old.method, old.shape.as_str())).copied().filter(|&index| !taken[index]));
            match matched {
                Some(index) => {
                    taken[index] = true;
                    let new = &new_operations[index];
                    if old.template != new.template && renamed_paths.insert((old.template, new.template)) {
                        self.report_renames(old, new);
                    }
                    self.compare_operation(old, new);
                }
                None if kind == Kind::Path && !new_shapes.contains(old.shape.as_str()) => removed_paths.add(old),
                None => {
                    self.operation = Some(old.label());
                    self.push(Severity::BreaksClients, "operation.removed", Side::Old, old.pointer.clone(), format!("{} removed", old.describe()));
                }
            }
        }
        self.report_paths(removed_paths, Severity::BreaksClients, "path.removed", Side::Old);
        let mut added_paths = PathGroups::default();
        for (new, _) in new_operations.iter().zip(&taken).filter(|(_, taken)| !**taken) {
            if kind == Kind::Path && !old_shapes.contains(new.shape.as_str()) {
                added_paths.add(new);
                continue;
            }
            self.operation = Some(new.label());
            // Old servers do not implement it (generated server traits gain a method); for a
            // webhook, mirrored: old consumers do not expect it.
            self.push(Severity::BreaksServers, "operation.added", Side::New, new.pointer.clone(), format!("{} added", new.describe()));
        }
        self.report_paths(added_paths, Severity::BreaksServers, "path.added", Side::New);
        self.operation = None;
        self.context.clear();
    }

    /// One change per path whose every operation was removed (or added).
    fn report_paths(&mut self, groups: PathGroups<'_>, severity: Severity, rule: &'static str, side: Side) {
        self.operation = None;
        let verb = if side == Side::Old { "removed" } else { "added" };
        for (template, pointer, methods) in groups.0 {
            let methods = methods.iter().map(|method| method.to_uppercase()).collect::<Vec<_>>().join(", ");
            self.push(severity, rule, side, pointer, format!("path {template} {verb} (operations {methods})"));
        }
    }

    /// Once per path, not per operation under it.
    fn report_renames(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        self.operation = None;
        for (old_name, new_name) in renames(old.template, new.template) {
            let message = format!("path parameter `{old_name}` renamed to `{new_name}` in {}; the URL does not change", new.template);
            self.push(Severity::Compatible, "path.parameter-renamed", Side::New, new.item_pointer.clone(), message);
        }
    }

    fn compare_operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        self.operation = Some(new.label());
        self.context.clear();
        let label = new.label();
        let renames: HashMap<String, String> = renames(old.template, new.template).into_iter().collect();
        let id = |operation: &Operation<'_>| operation.operation.get("operationId").and_then(Value::as_str).map(str::to_string);
        let (old_id, new_id) = (id(old), id(new));
        if old_id != new_id {
            let show = |id: &Option<String>| id.as_ref().map(|id| format!("`{id}`")).unwrap_or_else(|| "none".to_string());
            let message = format!(
                "operationId of {label} changed from {} to {}; generated clients and servers name the operation after it",
                show(&old_id),
                show(&new_id)
            );
            self.push(Severity::BreaksBoth, "operation.id-changed", Side::New, join(&new.pointer, "operationId"), message);
        }
        let deprecated = |operation: &Operation<'_>| operation.operation.get("deprecated") == Some(&Value::Bool(true));
        if !deprecated(old) && deprecated(new) {
            self.push(Severity::Compatible, "operation.deprecated", Side::New, join(&new.pointer, "deprecated"), format!("{label} deprecated"));
        }
        self.compare_parameters(old, new, &renames, &label);
        self.compare_request_bodies(old, new, &label);
        self.compare_responses(old, new, &label);
    }

    fn compare_parameters(&mut self, old: &Operation<'a>, new: &Operation<'a>, renames: &HashMap<String, String>, label: &str) {
        let old_parameters = parameters(self.old, old);
        let new_parameters = parameters(self.new, new);
        let key = |parameter: &Parameter<'_>, renames: Option<&HashMap<String, String>>| {
            let name = match renames.and_then(|renames| renames.get(&parameter.name)) {
                Some(renamed) if parameter.location == "path" => renamed.clone(),
                _ => parameter.name.clone(),
            };
            // Header names are case-insensitive.
            let name = if parameter.location == "header" { name.to_ascii_lowercase() } else { name };
            (parameter.location.clone(), name)
        };
        let new_keys: HashMap<(String, String), usize> =
            new_parameters.iter().enumerate().rev().map(|(index, parameter)| (key(parameter, None), index)).collect();
        let mut taken = vec![false; new_parameters.len()];
        let mut unmatched_old = Vec::new();
        for old_parameter in &old_parameters {
            match new_keys.get(&key(old_parameter, Some(renames))).copied().filter(|&index| !taken[index]) {
                Some(index) => {
                    taken[index] = true;
                    self.compare_parameter(old_parameter, &new_parameters[index], label);
                }
                None => unmatched_old.push(old_parameter),
            }
        }
        for old_parameter in unmatched_old {
            let moved =
                (0..new_parameters.len()).find(|&index| !taken[index] && new_parameters[index].name.eq_ignore_ascii_case(&old_parameter.name));
            self.context.clear();
            if let Some(index) = moved {
                taken[index] = true;
                let new_parameter = &new_parameters[index];
                let message =
                    format!("parameter `{}` of {label} moved from {} to {}", old_parameter.name, old_parameter.location, new_parameter.location);
                self.push(Severity::BreaksBoth, "parameter.location-changed", Side::New, new_parameter.listed_pointer.clone(), message);
                continue;
            }
            let message = format!("{} parameter `{}` removed from {label}", old_parameter.location, old_parameter.name);
            // Old clients still send it and lose whatever it did.
            self.push(Severity::BreaksClients, "parameter.removed", Side::Old, old_parameter.listed_pointer.clone(), message);
        }
        for (new_parameter, _) in new_parameters.iter().zip(taken).filter(|(_, taken)| !taken) {
            let required = new_parameter.required();
            let (severity, kind) = if required { (Severity::BreaksBoth, "required") } else { (Severity::BreaksServers, "optional") };
            let message = format!("{kind} {} parameter `{}` added to {label}", new_parameter.location, new_parameter.name);
            self.push(severity, "parameter.added", Side::New, new_parameter.listed_pointer.clone(), message);
        }
    }

    fn compare_parameter(&mut self, old: &Parameter<'a>, new: &Parameter<'a>, label: &str) {
        self.context = label.to_string();
        let subject = format!("{} parameter `{}`", new.location, new.name);
        let rules = ["parameter.became-required", "parameter.became-optional"];
        let pointer = if new.value.get("required").is_some() { join(&new.pointer, "required") } else { new.pointer.clone() };
        self.report_requiredness((old.required(), new.required()), rules, Severity::BreaksClients, &pointer, &subject);
        self.context = format!("{subject} of {label}");
        let (old_style, new_style) = (old.serialization(), new.serialization());
        if old_style != new_style {
            let message = format!(
                "{} changed serialization from style {}, explode {} to style {}, explode {}",
                self.context, old_style.0, old_style.1, new_style.0, new_style.1
            );
            self.push(Severity::BreaksBoth, "parameter.serialization-changed", Side::New, new.pointer.clone(), message);
        }
        let (old_schema, old_pointer) = old.schema();
        let (new_schema, new_pointer) = new.schema();
        self.compare_schema(old_schema, &old_pointer, new_schema, &new_pointer, Direction::Request);
    }

    fn compare_request_bodies(&mut self, old: &Operation<'a>, new: &Operation<'a>, label: &str) {
        self.context = format!("request body of {label}");
        let body = |root: &'a Value, operation: &Operation<'a>| {
            operation.operation.get("requestBody").map(|body| resolve(root, body, &join(&operation.pointer, "requestBody")))
        };
        let required = |body: &Value| body.get("required") == Some(&Value::Bool(true));
        match (body(self.old, old), body(self.new, new)) {
            (None, None) => {}
            (None, Some((new_body, pointer))) => {
                let (severity, kind) = if required(new_body) { (Severity::BreaksBoth, "required") } else { (Severity::BreaksServers, "optional") };
                self.push(severity, "request-body.added", Side::New, pointer, format!("{kind} request body added to {label}"));
            }
            (Some((_, pointer)), None) => {
                self.push(Severity::BreaksClients, "request-body.removed", Side::Old, pointer, format!("request body removed from {label}"));
            }
            (Some((old_body, old_pointer)), Some((new_body, new_pointer))) => {
                self.context = label.to_string();
                let rules = ["request-body.became-required", "request-body.became-optional"];
                self.report_requiredness((required(old_body), required(new_body)), rules, Severity::BreaksClients, &new_pointer, "request body");
                self.context = format!("request body of {label}");
                self.compare_content(old_body, &old_pointer, new_body, &new_pointer, Direction::Request);
            }
        }
    }

    fn compare_responses(&mut self, old: &Operation<'a>, new: &Operation<'a>, label: &str) {
        let responses = |operation: &Operation<'a>| operation.operation.get("responses").and_then(Value::as_object);
        let (old_base, new_base) = (join(&old.pointer, "responses"), join(&new.pointer, "responses"));
        let by_status = |responses: &'a Map<String, Value>| -> Vec<(String, &'a String, &'a Value)> {
            responses.iter().map(|(status, response)| (status.to_ascii_uppercase(), status, response)).collect()
        };
        let old_list = responses(old).map(by_status).unwrap_or_default();
        let new_list = responses(new).map(by_status).unwrap_or_default();
        let old_statuses: BTreeSet<&str> = old_list.iter().map(|(status, ..)| status.as_str()).collect();
        for (status, key, old_response) in &old_list {
            let old_pointer = join(&old_base, key);
            let Some((_, new_key, new_response)) = new_list.iter().find(|(new_status, ..)| new_status == status) else {
                self.context.clear();
                // Old servers still answer with it; clients of the new version do not expect it.
                let message = format!("response {key} removed from {label}");
                self.push(Severity::BreaksServers, "response.removed", Side::Old, old_pointer, message);
                continue;
            };
            self.context = format!("response {new_key} of {label}");
            let (old_response, old_pointer) = resolve(self.old, old_response, &old_pointer);
            let (new_response, new_pointer) = resolve(self.new, new_response, &join(&new_base, new_key));
            self.compare_content(old_response, &old_pointer, new_response, &new_pointer, Direction::Response);
            self.compare_headers(old_response, &old_pointer, new_response, &new_pointer);
        }
        for (status, key, _) in &new_list {
            if old_statuses.contains(status.as_str()) {
                continue;
            }
            self.context.clear();
            let range = format!("{}XX", status.chars().next().unwrap_or('?'));
            let covered = ["DEFAULT", range.as_str()].into_iter().find(|general| old_statuses.contains(general));
            let (severity, message) = match covered {
                Some(general) => {
                    (Severity::Compatible, format!("response {key} added to {label}; old clients handle it as {}", general.to_ascii_lowercase()))
                }
                None => (Severity::BreaksClients, format!("response {key} added to {label}; old clients do not expect it")),
            };
            self.push(severity, "response.added", Side::New, join(&new_base, key), message);
        }
    }

    /// The media types of a request body or response.
    fn compare_content(&mut self, old: &'a Value, old_pointer: &str, new: &'a Value, new_pointer: &str, direction: Direction) {
        let media_types = |holder: &'a Value| -> Vec<(String, &'a String, &'a Value)> {
            holder
                .get("content")
                .and_then(Value::as_object)
                .map(|content| content.iter().map(|(media, value)| (media_essence(media), media, value)).collect())
                .unwrap_or_default()
        };
        let (old_media, new_media) = (media_types(old), media_types(new));
        let (old_base, new_base) = (join(old_pointer, "content"), join(new_pointer, "content"));
        let what = self.context.clone();
        for (essence, key, old_value) in &old_media {
            let old_media_pointer = join(&old_base, key);
            match new_media.iter().find(|(new_essence, ..)| new_essence == essence) {
                Some((_, new_key, new_value)) => {
                    let new_media_pointer = join(&new_base, new_key);
                    let old_schema = old_value.get("schema").unwrap_or(&ANYTHING);
                    let new_schema = new_value.get("schema").unwrap_or(&ANYTHING);
                    self.compare_schema(old_schema, &join(&old_media_pointer, "schema"), new_schema, &join(&new_media_pointer, "schema"), direction);
                }
                None => {
                    // Requests: old clients send it and get 415. Responses: old clients asking for
                    // it cannot have it, and old servers still send it.
                    let severity = if direction == Direction::Request { Severity::BreaksClients } else { Severity::BreaksBoth };
                    self.push(severity, "content.media-type-removed", Side::Old, old_media_pointer, format!("media type {key} removed from {what}"));
                }
            }
        }
        for (essence, key, _) in &new_media {
            if old_media.iter().any(|(old_essence, ..)| old_essence == essence) {
                continue;
            }
            // Requests: old servers refuse it. Responses: old clients may be answered in it.
            let severity = if direction == Direction::Request { Severity::BreaksServers } else { Severity::BreaksClients };
            self.push(severity, "content.media-type-added", Side::New, join(&new_base, key), format!("media type {key} added to {what}"));
        }
    }

    fn compare_headers(&mut self, old: &'a Value, old_pointer: &str, new: &'a Value, new_pointer: &str) {
        let headers = |holder: &'a Value| -> Vec<(String, &'a String, &'a Value)> {
            holder
                .get("headers")
                .and_then(Value::as_object)
                .map(|headers| headers.iter().map(|(name, value)| (name.to_ascii_lowercase(), name, value)).collect())
                .unwrap_or_default()
        };
        let (old_headers, new_headers) = (headers(old), headers(new));
        let (old_base, new_base) = (join(old_pointer, "headers"), join(new_pointer, "headers"));
        let what = self.context.clone();
        let required = |header: &Value| header.get("required") == Some(&Value::Bool(true));
        for (lower, key, old_header) in &old_headers {
            let (old_header, old_header_pointer) = resolve(self.old, old_header, &join(&old_base, key));
            let Some((_, new_key, new_header)) = new_headers.iter().find(|(new_lower, ..)| new_lower == lower) else {
                self.push(Severity::BreaksClients, "header.removed", Side::Old, old_header_pointer, format!("header {key} removed from {what}"));
                continue;
            };
            let (new_header, new_header_pointer) = resolve(self.new, new_header, &join(&new_base, new_key));
            let rules = ["header.became-required", "header.became-optional"];
            let subject = format!("header {key}");
            self.report_requiredness((required(old_header), required(new_header)), rules, Severity::BreaksServers, &new_header_pointer, &subject);
            let old_schema = old_header.get("schema").unwrap_or(&ANYTHING);
            let new_schema = new_header.get("schema").unwrap_or(&ANYTHING);
            self.compare_schema(
                old_schema,
                &join(&old_header_pointer, "schema"),
                new_schema,
                &join(&new_header_pointer, "schema"),
                Direction::Response,
            );
        }
        for (lower, key, new_header) in &new_headers {
            if old_headers.iter().any(|(old_lower, ..)| old_lower == lower) {
                continue;
            }
            let (new_header, new_header_pointer) = resolve(self.new, new_header, &join(&new_base, key));
            let (severity, kind) = if required(new_header) { (Severity::BreaksServers, "required") } else { (Severity::Compatible, "optional") };
            self.push(severity, "header.added", Side::New, new_header_pointer, format!("{kind} header {key} added to {what}"));
        }
    }
}

/// `application/json; charset=utf-8` and `Application/JSON` are the same media type.
fn media_essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// A parameter in effect for an operation: the path item's, overridden by the operation's.
struct Parameter<'a> {
    name: String,
    location: String,
    value: &'a Value,
    /// Where the definition is (a component, for a `$ref`).
    pointer: String,
    /// Where the operation or path item lists it.
    listed_pointer: String,
}

impl<'a> Parameter<'a> {
    fn required(&self) -> bool {
        self.value.get("required") == Some(&Value::Bool(true))
    }

    /// Style and explode, defaults applied.
    fn serialization(&self) -> (String, bool) {
        let default_style = if matches!(self.location.as_str(), "query" | "cookie") { "form" } else { "simple" };
        let style = self.value.get("style").and_then(Value::as_str).unwrap_or(default_style).to_string();
        let explode = self.value.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
        (style, explode)
    }

    /// `schema`, or the schema of the single media type of `content`.
    fn schema(&self) -> (&'a Value, String) {
        if let Some(schema) = self.value.get("schema") {
            return (schema, join(&self.pointer, "schema"));
        }
        let first = self.value.get("content").and_then(Value::as_object).and_then(|content| content.iter().next());
        match first {
            Some((media, value)) => (value.get("schema").unwrap_or(&ANYTHING), join(&join(&join(&self.pointer, "content"), media), "schema")),
            None => (&ANYTHING, join(&self.pointer, "schema")),
        }
    }
}

fn parameters<'a>(root: &'a Value, operation: &Operation<'a>) -> Vec<Parameter<'a>> {
    let mut found: Vec<Parameter<'a>> = Vec::new();
    for (holder, holder_pointer) in [(operation.item, &operation.item_pointer), (operation.operation, &operation.pointer)] {
        let Some(list) = holder.get("parameters").and_then(Value::as_array) else { continue };
        for (index, listed) in list.iter().enumerate() {
            let listed_pointer = join(&join(holder_pointer, "parameters"), &index.to_string());
            let (value, pointer) = resolve(root, listed, &listed_pointer);
            let (Some(name), Some(location)) = (value.get("name").and_then(Value::as_str), value.get("in").and_then(Value::as_str)) else {
                continue;
            };
            let parameter = Parameter { name: name.to_string(), location: location.to_string(), value, pointer, listed_pointer };
            match found.iter_mut().find(|other| other.name == parameter.name && other.location == parameter.location) {
                Some(other) => *other = parameter,
                None => found.push(parameter),
            }
        }
    }
    found
}
