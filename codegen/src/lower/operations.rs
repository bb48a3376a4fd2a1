//! Paths, webhooks and callbacks to operations: parameters by location, bodies by media type,
//! responses by status, each schema lowered into the shared type space.

use crate::keywords::Keywords;
use foldhash::{HashMap, HashMapExt};

use heck::ToShoutySnakeCase;
use serde_json::Value;

use super::schema::{description_of, SchemaLowering};
use crate::diagnostics::join;
use crate::ir::{
    Content, Header, Location, MediaKind, Method, Operation, Parameter, RequestBody, Response, SchemeKind, SecurityRequirement, SecurityScheme,
    Status, Style, Ty,
};
use crate::naming::{self, Namer};
use crate::refs;

/// A requirement's constant name longer than this is replaced by a numbered one.
const LONGEST_CONST_NAME: usize = 64;

/// Every distinct non-empty `security` of `operations`, in the order first met, each named for the
/// constant generated code declares it as: the schemes' names, alternatives joined by `OR` and
/// schemes required together by `AND`.
pub fn security_requirements(operations: &[Operation], schemes: &[SecurityScheme]) -> Vec<SecurityRequirement> {
    let mut distinct: Vec<&Vec<Vec<String>>> = Vec::new();
    for operation in operations {
        if !operation.security.is_empty() && !distinct.contains(&&operation.security) {
            distinct.push(&operation.security);
        }
    }
    let scheme_names = scheme_identifiers(schemes);
    let mut namer = Namer::new();
    distinct
        .into_iter()
        .enumerate()
        .map(|(index, requirement)| {
            let alternatives: Vec<String> = requirement
                .iter()
                .map(|alternative| {
                    let names: Vec<&str> = alternative
                        .iter()
                        .map(|name| schemes.iter().position(|scheme| &scheme.name == name).map_or("UNKNOWN", |found| &scheme_names[found]))
                        .collect();
                    if names.is_empty() {
                        "NONE".to_string()
                    } else {
                        names.join("_AND_")
                    }
                })
                .collect();
            let wanted = format!("SECURITY_{}", alternatives.join("_OR_"));
            let const_name = namer.unique(if wanted.len() <= LONGEST_CONST_NAME { wanted } else { format!("SECURITY_{}", index + 1) });
            SecurityRequirement { alternatives: requirement.clone(), const_name }
        })
        .collect()
}

/// Each scheme's name in capitals, ASCII only; a name that comes out empty or the same as an
/// earlier one's gets its position instead.
fn scheme_identifiers(schemes: &[SecurityScheme]) -> Vec<String> {
    let mut seen = Namer::new();
    schemes
        .iter()
        .enumerate()
        .map(|(index, scheme)| {
            let ascii: String = scheme.name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
            let shouted = ascii.to_shouty_snake_case();
            if shouted.is_empty() || shouted.contains("_OR_") || shouted.contains("_AND_") || shouted == "NONE" {
                return seen.unique(format!("SCHEME_{}", index + 1));
            }
            seen.unique(shouted)
        })
        .collect()
}

/// Reads `components/securitySchemes`.
pub fn lower_security_schemes(lowering: &mut SchemaLowering<'_>) -> Vec<SecurityScheme> {
    let root = lowering.root();
    let Some(schemes) = root.pointer("/components/securitySchemes").and_then(Value::as_object) else { return Vec::new() };
    let mut lowered = Vec::with_capacity(schemes.len());
    for (name, scheme) in schemes {
        let pointer = join("/components/securitySchemes", name);
        let scheme = match refs::follow(root, scheme, &pointer) {
            Ok((scheme, _)) => scheme,
            Err(why) => {
                lowering.warn_ref(&join(&pointer, "$ref"), &why, "the security scheme is ignored");
                continue;
            }
        };
        let kind = match scheme.keyword("type").and_then(Value::as_str) {
            Some("apiKey") => {
                let location = match scheme.keyword("in").and_then(Value::as_str) {
                    Some("query") => Location::Query,
                    Some("cookie") => Location::Cookie,
                    Some("header") => Location::Header,
                    _ => {
                        lowering.warn(&join(&pointer, "in"), "an apiKey scheme needs `in`: header, query or cookie; read as a header");
                        Location::Header
                    }
                };
                let parameter = scheme.keyword("name").and_then(Value::as_str).unwrap_or("Authorization").to_string();
                SchemeKind::ApiKey { location, parameter }
            }
            Some("http") => match scheme.keyword("scheme").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
                Some("bearer") => SchemeKind::Bearer,
                Some("basic") => SchemeKind::Basic,
                _ => SchemeKind::Other,
            },
            Some("oauth2" | "openIdConnect") => SchemeKind::Bearer,
            _ => SchemeKind::Other,
        };
        lowered.push(SecurityScheme { name: name.clone(), kind, deprecated: flag(scheme, "deprecated") });
    }
    lowered
}

/// The security requirements of an operation: its own, or the document's.
fn security_of(root: &Value, operation: &Value) -> Vec<Vec<String>> {
    let requirements = operation.keyword("security").or_else(|| root.keyword("security"));
    requirements
        .and_then(Value::as_array)
        .map(|alternatives| alternatives.iter().filter_map(Value::as_object).map(|alternative| alternative.keys().cloned().collect()).collect())
        .unwrap_or_default()
}

/// The operations of a Path Item: its fixed method fields, and with OpenAPI 3.2 its `query` field
/// and `additionalOperations`, each with its method and pointer.
fn item_operations<'v>(
    lowering: &mut SchemaLowering<'_>,
    item: &'v serde_json::Map<String, Value>,
    pointer: &str,
    v3_2: bool,
) -> Vec<(Method, &'v Value, String)> {
    let mut found: Vec<(Method, &Value, String)> = Vec::new();
    for method in Method::PATH_ITEM_FIELDS {
        if let Some(operation) = item.get(method.field()) {
            found.push((method.clone(), operation, join(pointer, method.field())));
        }
    }
    if !v3_2 {
        return found;
    }
    if let Some(operation) = item.keyword("query") {
        found.push((Method::Query, operation, join(pointer, "query")));
    }
    let additional_pointer = join(pointer, "additionalOperations");
    match item.keyword("additionalOperations") {
        None => {}
        Some(Value::Object(additional)) => {
            for (name, operation) in additional {
                let name = name.as_str();
                let at = join(&additional_pointer, name);
                let fixed = Method::PATH_ITEM_FIELDS.iter().chain([&Method::Query]).any(|method| method.http().eq_ignore_ascii_case(name));
                if fixed {
                    lowering.warn(
                        &at,
                        format!("`{name}` has a fixed field of its own in a Path Item (`{}`); the operation is skipped", name.to_ascii_lowercase()),
                    );
                } else if !is_token(name) {
                    lowering.warn(&at, format!("`{name}` is not an HTTP method name (an RFC 9110 token); the operation is skipped"));
                } else {
                    found.push((Method::Other(name.to_string()), operation, at));
                }
            }
        }
        Some(_) => lowering.warn(&additional_pointer, "`additionalOperations` must be an object; ignored"),
    }
    found
}

/// Whether `name` is an RFC 9110 token, which every HTTP method name is.
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// Lowers every operation of the document, in document order (paths, then webhooks). `v3_2`
/// reads the methods OpenAPI 3.2 adds.
pub fn lower_operations(lowering: &mut SchemaLowering<'_>, v3_2: bool, split: super::halves::Split) -> Vec<Operation> {
    let root = lowering.root();
    let mut found = Vec::new();
    let mut callbacks: Vec<(String, &Value)> = Vec::new();
    for (section, webhook) in [("paths", false), ("webhooks", true)] {
        let Some(items) = root.get(section) else { continue };
        let Some(items) = items.as_object() else {
            lowering.warn(&format!("/{section}"), format!("`{section}` must be an object; ignored"));
            continue;
        };
        for (path, item) in items {
            let item_pointer = join(&format!("/{section}"), path);
            let (item, resolved_pointer) = match refs::follow(root, item, &item_pointer) {
                Ok(resolved) => resolved,
                Err(why) => {
                    lowering.warn_ref(&join(&item_pointer, "$ref"), &why, "the path is skipped");
                    continue;
                }
            };
            let Some(item_object) = item.as_object() else {
                lowering.warn(&item_pointer, "a path item must be an object; skipped");
                continue;
            };
            for (method, operation, pointer) in item_operations(lowering, item_object, &resolved_pointer, v3_2) {
                let Some((operation, pointer)) = operation_object(lowering, operation, pointer) else { continue };
                found.push((path.clone(), method, pointer.clone(), operation, item, webhook));
                callbacks.push((pointer, operation));
            }
        }
    }
    // Callbacks are requests the API sends back to its caller: like webhooks, the caller receives
    // them, so they join the receiver, named after the callback.
    for (operation_pointer, operation) in callbacks {
        let Some(declared) = operation.keyword("callbacks").and_then(Value::as_object) else { continue };
        for (name, callback) in declared {
            let callback_pointer = join(&join(&operation_pointer, "callbacks"), name);
            let (callback, resolved) = match refs::follow(root, callback, &callback_pointer) {
                Ok(resolved) => resolved,
                Err(why) => {
                    lowering.warn_ref(&join(&callback_pointer, "$ref"), &why, "the callback is skipped");
                    continue;
                }
            };
            for (expression, item) in callback.as_object().into_iter().flatten() {
                let item_pointer = join(&resolved, expression);
                let Ok((item, item_pointer)) = refs::follow(root, item, &item_pointer) else {
                    lowering.warn(&item_pointer, "the callback's path item does not resolve; skipped");
                    continue;
                };
                let Some(item_object) = item.as_object() else { continue };
                for (method, callback_operation, pointer) in item_operations(lowering, item_object, &item_pointer, v3_2) {
                    if let Some((callback_operation, pointer)) = operation_object(lowering, callback_operation, pointer) {
                        found.push((name.clone(), method, pointer, callback_operation, item, true));
                    }
                }
            }
        }
    }

    let ids = operation_ids(lowering, &found);
    let mut operation_names = Namer::new();
    let mut type_prefixes = Namer::new();
    let mut sites = Vec::with_capacity(found.len());
    for ((path, method, pointer, operation, item, webhook), id) in found.into_iter().zip(ids) {
        let rust_name = operation_names.unique(naming::field_name(&id, "operation"));
        // The operation's trait carries this name, so it must not be one generated code relies on
        // (`sync` would make a trait `Sync` that names itself as a bound).
        let type_name = type_prefixes.unique(naming::avoid_reserved_with(naming::camel(&id, "Operation"), "Operation"));
        sites.push(OperationSite { id, rust_name, type_name, path, method, pointer, operation, item, webhook });
    }
    super::halves::lower_in_halves(lowering, sites, split, lower_operation)
}

/// The operation object at `pointer`, following a `$ref` to where it points (some tools write an
/// operation as a reference). An operation that is not an object, or whose reference does not
/// resolve, is skipped with a warning, so a document whose operations live elsewhere never looks
/// like an API of empty operations.
fn operation_object<'v>(lowering: &mut SchemaLowering<'v>, operation: &'v Value, pointer: String) -> Option<(&'v Value, String)> {
    let (operation, pointer) = match refs::follow(lowering.root(), operation, &pointer) {
        Ok(resolved) => resolved,
        Err(why) => {
            lowering.warn_ref(&join(&pointer, "$ref"), &why, "the operation is skipped");
            return None;
        }
    };
    if !operation.is_object() {
        lowering.warn(&pointer, "an operation must be an object; skipped");
        return None;
    }
    Some((operation, pointer))
}

/// Chooses each operation's id: missing ones are derived from method and path, repeated ones
/// get a numeric suffix in document order; both with a warning.
fn operation_ids(lowering: &mut SchemaLowering<'_>, found: &[(String, Method, String, &Value, &Value, bool)]) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (_, _, _, operation, _, _) in found {
        if let Some(id) = operation.keyword("operationId").and_then(Value::as_str) {
            *counts.entry(id.to_string()).or_default() += 1;
        }
    }
    let mut taken: Vec<String> = Vec::with_capacity(found.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (path, method, pointer, operation, _, _) in found {
        let written = operation.keyword("operationId").and_then(Value::as_str).filter(|id| !id.trim().is_empty());
        let id = match written {
            Some(id) => {
                let occurrence = seen.entry(id.to_string()).or_default();
                *occurrence += 1;
                if *occurrence == 1 {
                    id.to_string()
                } else {
                    let renamed = unique_id(&format!("{id}_{occurrence}"), &taken, &counts);
                    lowering.warn(
                        &join(pointer, "operationId"),
                        format!("operationId `{id}` is used by more than one operation; this one is named `{renamed}`"),
                    );
                    renamed
                }
            }
            None => {
                let derived = unique_id(&derive_operation_id(method.field(), path), &taken, &counts);
                lowering.warn(pointer, format!("the operation has no operationId; it is named `{derived}` after its method and path"));
                derived
            }
        };
        taken.push(id.clone());
    }
    taken
}

fn unique_id(wanted: &str, taken: &[String], written: &HashMap<String, usize>) -> String {
    let is_free = |candidate: &str| !taken.iter().any(|id| id == candidate) && !written.contains_key(candidate);
    if is_free(wanted) {
        return wanted.to_string();
    }
    (2..).map(|n| format!("{wanted}_{n}")).find(|candidate| is_free(candidate)).expect("an unused id exists")
}

/// `get /pets/{petId}/photos` → `getPetsByPetIdPhotos`.
pub fn derive_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        let (prefix, segment) = match segment.strip_prefix('{').and_then(|inner| inner.strip_suffix('}')) {
            Some(parameter) => ("By", parameter),
            None => ("", segment),
        };
        id.push_str(prefix);
        id.push_str(&naming::camel(segment, ""));
    }
    id
}

#[derive(Clone)]
pub(super) struct OperationSite<'v> {
    id: String,
    rust_name: String,
    type_name: String,
    path: String,
    method: Method,
    pointer: String,
    operation: &'v Value,
    item: &'v Value,
    webhook: bool,
}

fn lower_operation<'v>(lowering: &mut SchemaLowering<'v>, site: OperationSite<'v>) -> Operation {
    let OperationSite { id, rust_name, type_name, path, method, pointer, operation, item, webhook } = site;
    let root = lowering.root();
    // The operation's own types are named before its schemas, so they keep their plain names.
    let request_type = lowering.unique_type_name(format!("{type_name}Request"));
    let response_type = lowering.unique_type_name(format!("{type_name}Response"));
    let parameters = lower_parameters(lowering, &type_name, &pointer, operation, item);
    let body = operation.keyword("requestBody").and_then(|body| {
        let body_pointer = join(&pointer, "requestBody");
        match refs::follow(root, body, &body_pointer) {
            Ok((body, resolved_pointer)) => {
                let contents =
                    lower_contents(lowering, body.keyword("content"), &join(&resolved_pointer, "content"), &format!("{type_name}RequestBody"), true);
                let content_type = (contents.len() > 1).then(|| lowering.unique_type_name(format!("{type_name}RequestContent")));
                Some(RequestBody { required: flag(body, "required"), description: description_of(body), contents, content_type })
            }
            Err(why) => {
                lowering.warn_ref(&join(&body_pointer, "$ref"), &why, "the request body is left out");
                None
            }
        }
    });
    let responses = lower_responses(lowering, &type_name, &pointer, operation);
    let mut parameters = parameters;
    if let Some(last_event_id) = last_event_id_parameter(&parameters, &responses, &pointer) {
        parameters.push(last_event_id);
    }
    Operation {
        id,
        rust_name,
        type_name,
        request_type,
        response_type,
        method,
        path,
        pointer,
        summary: operation.keyword("summary").and_then(Value::as_str).map(str::to_string),
        description: operation.keyword("description").and_then(Value::as_str).map(str::to_string),
        deprecated: flag(operation, "deprecated"),
        tags: operation
            .keyword("tags")
            .and_then(Value::as_array)
            .map(|tags| tags.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
        webhook,
        parameters,
        body,
        responses,
        security: security_of(root, operation),
    }
}

/// For an operation that answers with server-sent events, the `Last-Event-ID` header a
/// reconnecting client sends, unless the document declares it: the handler reads it to resume,
/// and the client can send it to resume a stream another process read.
fn last_event_id_parameter(parameters: &[Parameter], responses: &[Response], pointer: &str) -> Option<Parameter> {
    let streams_events =
        responses.iter().flat_map(|response| &response.contents).any(|content| matches!(content.stream, Some(crate::ir::Stream::Events { .. })));
    let declared = parameters.iter().any(|parameter| parameter.location == Location::Header && parameter.name.eq_ignore_ascii_case("last-event-id"));
    if !streams_events || declared {
        return None;
    }
    let mut names = Namer::new();
    for parameter in parameters {
        names.unique(parameter.rust_name.clone());
    }
    Some(Parameter {
        rust_name: names.unique("last_event_id".to_string()),
        name: "Last-Event-ID".into(),
        location: Location::Header,
        required: false,
        ty: Ty::String,
        style: Style::Simple,
        explode: false,
        description: Some("The id of the last event a client received, sent when it reconnects to resume the stream after it.".into()),
        deprecated: false,
        pointer: pointer.to_string(),
        schema_pointer: None,
        json_content: false,
        example: None,
    })
}

fn lower_parameters(lowering: &mut SchemaLowering<'_>, type_name: &str, pointer: &str, operation: &Value, item: &Value) -> Vec<Parameter> {
    let root = lowering.root();
    // Path-level parameters apply unless the operation redefines the same name and location.
    let item_pointer = pointer.rsplit_once('/').map(|(parent, _)| parent.to_string()).unwrap_or_default();
    let mut declared: Vec<(&Value, String)> = Vec::new();
    for (owner, owner_pointer) in [(item, item_pointer), (operation, pointer.to_string())] {
        let Some(list) = owner.keyword("parameters") else { continue };
        let list_pointer = join(&owner_pointer, "parameters");
        let Some(list) = list.as_array() else {
            lowering.warn(&list_pointer, "`parameters` must be an array; ignored");
            continue;
        };
        for (index, parameter) in list.iter().enumerate() {
            let parameter_pointer = join(&list_pointer, &index.to_string());
            match refs::follow(root, parameter, &parameter_pointer) {
                Ok(resolved) => declared.push(resolved),
                Err(why) => lowering.warn_ref(&join(&parameter_pointer, "$ref"), &why, "the parameter is left out"),
            }
        }
    }
    // (name, location) → the parameter and its pointer; the operation's own entries replace the
    // path item's.
    type Declared<'v> = ((String, String), (&'v Value, String));
    let mut by_key: Vec<Declared<'_>> = Vec::new();
    for (parameter, parameter_pointer) in declared {
        let name = parameter.keyword("name").and_then(Value::as_str);
        let location = parameter.keyword("in").and_then(Value::as_str);
        let (Some(name), Some(location)) = (name, location) else {
            lowering.warn(&parameter_pointer, "a parameter needs a `name` and an `in`; left out");
            continue;
        };
        let key = (name.to_string(), location.to_string());
        match by_key.iter_mut().find(|(existing, _)| *existing == key) {
            Some(slot) => slot.1 = (parameter, parameter_pointer),
            None => by_key.push((key, (parameter, parameter_pointer))),
        }
    }
    let mut names = Namer::new();
    names.reserve("body");
    let mut parameters = Vec::with_capacity(by_key.len());
    for ((name, location_text), (parameter, parameter_pointer)) in by_key {
        let location = match location_text.as_str() {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            other => {
                lowering.warn(&join(&parameter_pointer, "in"), format!("unknown parameter location `{other}`; the parameter is left out"));
                continue;
            }
        };
        let hint = format!("{type_name}{}", naming::camel(&name, "Parameter"));
        let mut schema_pointer = None;
        let mut json_content = false;
        let ty = match (parameter.keyword("schema"), parameter.keyword("content").and_then(Value::as_object)) {
            (Some(schema), _) => {
                let pointer = join(&parameter_pointer, "schema");
                let ty = lowering.schema_ty(schema, &pointer, &hint);
                schema_pointer = Some(pointer);
                ty
            }
            (None, Some(content)) => match content.iter().next() {
                Some((media_type, media)) => {
                    json_content = media_type.contains("json");
                    match media.keyword("schema") {
                        Some(schema) => {
                            let pointer = join(&join(&join(&parameter_pointer, "content"), media_type), "schema");
                            let ty = lowering.schema_ty(schema, &pointer, &hint);
                            schema_pointer = Some(pointer);
                            ty
                        }
                        None => Ty::String,
                    }
                }
                None => Ty::String,
            },
            (None, None) => {
                lowering.warn(&parameter_pointer, "the parameter has neither `schema` nor `content`; read as a string");
                Ty::String
            }
        };
        let style = match parameter.keyword("style").and_then(Value::as_str) {
            None => location.default_style(),
            Some(name) => Style::from_name(name).unwrap_or_else(|| {
                lowering.warn(&join(&parameter_pointer, "style"), format!("unknown parameter style `{name}`; read as `simple`"));
                Style::Simple
            }),
        };
        let explode = parameter.keyword("explode").and_then(Value::as_bool).unwrap_or(style.default_explode());
        let example = super::examples::parameter_example(root, parameter, &parameter_pointer, schema_pointer.as_deref(), &mut lowering.examples);
        parameters.push(Parameter {
            rust_name: names.unique(naming::field_name(&name, "parameter")),
            name,
            location,
            required: location == Location::Path || flag(parameter, "required"),
            ty,
            style,
            explode,
            description: description_of(parameter),
            deprecated: flag(parameter, "deprecated"),
            pointer: parameter_pointer,
            schema_pointer,
            json_content,
            example,
        });
    }
    parameters
}

fn lower_contents(lowering: &mut SchemaLowering<'_>, content: Option<&Value>, pointer: &str, hint: &str, request: bool) -> Vec<Content> {
    let Some(content) = content else { return Vec::new() };
    let Some(content) = content.as_object() else {
        lowering.warn(pointer, "`content` must be an object; ignored");
        return Vec::new();
    };
    let root = lowering.root();
    let several = content.len() > 1;
    let mut contents = Vec::with_capacity(content.len());
    for (media_type, media) in content {
        let written_pointer = join(pointer, media_type);
        // OpenAPI 3.2 lets a media type be a reference to `components/mediaTypes`.
        let (media, media_pointer) = match refs::follow(root, media, &written_pointer) {
            Ok(resolved) => resolved,
            Err(why) => {
                lowering.warn_ref(&join(&written_pointer, "$ref"), &why, "the media type is read as having no schema");
                (media, written_pointer)
            }
        };
        let media_hint = if several { format!("{hint}{}", naming::camel(&media_label(media_type), "Media")) } else { hint.to_string() };
        let ty = media.keyword("schema").map(|schema| lowering.schema_ty(schema, &join(&media_pointer, "schema"), &media_hint));
        let item_ty =
            media.keyword("itemSchema").map(|schema| lowering.schema_ty(schema, &join(&media_pointer, "itemSchema"), &format!("{media_hint}Item")));
        let item_content_type = media.pointer("/itemEncoding/contentType").and_then(Value::as_str).map(str::to_string);
        let examples = super::examples::media_examples(root, media, &media_pointer, &mut lowering.examples);
        let schema_example = super::examples::schema_example(root, &join(&media_pointer, "schema")).map(|example| lowering.examples.share(example));
        let kind = MediaKind::of(media_type);
        let whole = crate::ir::whole_body_ty(kind, media_type, ty.as_ref());
        let schemas = super::streams::MediaSchemas {
            media_type,
            kind,
            media,
            pointer: &media_pointer,
            ty: ty.as_ref(),
            whole: &whole,
            item_ty: item_ty.as_ref(),
            hint: &media_hint,
        };
        let (stream, item_schema_pointer) = super::streams::classify(lowering, &schemas, request).unzip();
        contents.push(Content {
            media_type: media_type.clone(),
            kind,
            ty,
            item_ty,
            item_content_type,
            stream,
            item_schema_pointer: item_schema_pointer.flatten(),
            pointer: media_pointer,
            examples,
            schema_example,
        });
    }
    contents
}

/// A short name for a media type: `application/json` → `json`, `text/plain` → `text`.
fn media_label(media_type: &str) -> String {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence, ""));
    let subtype = subtype.rsplit('+').next().unwrap_or(subtype);
    match (kind, subtype) {
        ("*", _) => "any".into(),
        ("text", "plain") => "text".into(),
        (_, "*") => kind.into(),
        (_, subtype) => subtype.into(),
    }
}

fn lower_responses(lowering: &mut SchemaLowering<'_>, type_name: &str, pointer: &str, operation: &Value) -> Vec<Response> {
    let root = lowering.root();
    let responses_pointer = join(pointer, "responses");
    let empty = serde_json::Map::new();
    let responses = match operation.keyword("responses") {
        None => &empty,
        Some(Value::Object(responses)) => responses,
        Some(_) => {
            lowering.warn(&responses_pointer, "`responses` must be an object; ignored");
            &empty
        }
    };
    let mut lowered = Vec::with_capacity(responses.len());
    for (key, response) in responses {
        let response_pointer = join(&responses_pointer, key);
        let Some(status) = parse_status(key) else {
            if !key.starts_with("x-") {
                lowering.warn(&response_pointer, format!("`{key}` is not a status code, a range like `2XX`, or `default`; the response is left out"));
            }
            continue;
        };
        let (response, resolved_pointer) = match refs::follow(root, response, &response_pointer) {
            Ok(resolved) => resolved,
            Err(why) => {
                lowering.warn_ref(&join(&response_pointer, "$ref"), &why, "the response is left out");
                continue;
            }
        };
        let hint = format!("{type_name}{}Body", status.variant_name());
        let contents = lower_contents(lowering, response.keyword("content"), &join(&resolved_pointer, "content"), &hint, false);
        let headers = lower_headers(lowering, response, &resolved_pointer, &format!("{type_name}{}", status.variant_name()));
        let content_type = (contents.len() > 1).then(|| lowering.unique_type_name(format!("{type_name}{}Content", status.variant_name())));
        let headers_type = (!headers.is_empty()).then(|| lowering.unique_type_name(format!("{type_name}{}Headers", status.variant_name())));
        lowered.push(Response {
            status,
            description: description_of(response),
            contents,
            headers,
            pointer: response_pointer,
            content_type,
            headers_type,
        });
    }
    lowered.sort_by(|a, b| a.status.cmp(&b.status));
    if lowered.is_empty() {
        // A handler must be able to answer something; with nothing documented, any status will do.
        lowering.warn(&responses_pointer, "the operation documents no response; it may answer with any status and no body");
        lowered.push(Response {
            status: Status::Default,
            description: None,
            contents: Vec::new(),
            headers: Vec::new(),
            pointer: responses_pointer,
            content_type: None,
            headers_type: None,
        });
    }
    lowered
}

fn lower_headers(lowering: &mut SchemaLowering<'_>, response: &Value, pointer: &str, hint: &str) -> Vec<Header> {
    let root = lowering.root();
    let Some(headers) = response.keyword("headers").and_then(Value::as_object) else { return Vec::new() };
    let mut names = Namer::new();
    let mut lowered = Vec::with_capacity(headers.len());
    for (name, header) in headers {
        // Content-Type is described by `content`, not by a header entry.
        if name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let header_pointer = join(&join(pointer, "headers"), name);
        let (header, resolved_pointer) = match refs::follow(root, header, &header_pointer) {
            Ok(resolved) => resolved,
            Err(why) => {
                lowering.warn_ref(&join(&header_pointer, "$ref"), &why, "the header is left out");
                continue;
            }
        };
        let ty = match header.keyword("schema") {
            Some(schema) => lowering.schema_ty(schema, &join(&resolved_pointer, "schema"), &format!("{hint}{}", naming::camel(name, "Header"))),
            None => Ty::String,
        };
        lowered.push(Header {
            rust_name: names.unique(naming::field_name(name, "header")),
            name: name.clone(),
            required: flag(header, "required"),
            ty,
            description: description_of(header),
        });
    }
    lowered
}

pub fn parse_status(key: &str) -> Option<Status> {
    if key == "default" {
        return Some(Status::Default);
    }
    if key.len() == 3 {
        if let Ok(code) = key.parse::<u16>() {
            return (100..=599).contains(&code).then_some(Status::Code(code));
        }
        let bytes = key.as_bytes();
        if (b'1'..=b'5').contains(&bytes[0]) && bytes[1..].eq_ignore_ascii_case(b"xx") {
            return Some(Status::Range(bytes[0] - b'0'));
        }
    }
    None
}

fn flag(value: &Value, keyword: &str) -> bool {
    value.keyword(keyword).and_then(Value::as_bool).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_written_as_references_are_followed_or_skipped_with_a_warning() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get: {$ref: 'paths/pets.yaml#/get'}\n    post: {$ref: '#/x-operations/create'}\n\
                    x-operations:\n  create:\n    operationId: createPet\n    responses: {'201': {description: created}}\n";
        let document = crate::load::load_str(text).expect("the document loads");
        let model = super::super::lower(&document, &super::super::TypeOptions::default());
        let ids: Vec<&str> = model.operations.iter().map(|operation| operation.id.as_str()).collect();
        assert_eq!(ids, ["createPet"]);
        let warnings: Vec<String> = model.diagnostics.iter().map(|diagnostic| format!("{} {}", diagnostic.pointer, diagnostic.message)).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("/paths/~1pets/get/$ref `paths/pets.yaml#/get` points outside this document"), "{warnings:?}");
        assert!(warnings[0].ends_with("; the operation is skipped"), "{warnings:?}");
    }

    #[test]
    fn derives_ids_from_method_and_path() {
        assert_eq!(derive_operation_id("get", "/pets/{petId}/photos"), "getPetsByPetIdPhotos");
        assert_eq!(derive_operation_id("post", "/"), "post");
    }

    #[test]
    fn parses_statuses() {
        assert_eq!(parse_status("200"), Some(Status::Code(200)));
        assert_eq!(parse_status("2XX"), Some(Status::Range(2)));
        assert_eq!(parse_status("4xx"), Some(Status::Range(4)));
        assert_eq!(parse_status("default"), Some(Status::Default));
        assert_eq!(parse_status("999"), None);
        assert_eq!(parse_status("x-foo"), None);
        assert_eq!(Status::Code(404).variant_name(), "NotFound");
        assert_eq!(Status::Code(299).variant_name(), "Status299");
    }

    #[test]
    fn labels_media_types() {
        assert_eq!(media_label("application/json"), "json");
        assert_eq!(media_label("application/problem+json"), "json");
        assert_eq!(media_label("text/plain; charset=utf-8"), "text");
        assert_eq!(media_label("*/*"), "any");
        assert_eq!(media_label("image/*"), "image");
    }
}
