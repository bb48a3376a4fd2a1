//! The classification rules, one small pair of documents each.

use oas_codegen::load::load_str;

use super::*;

/// A 3.1 document with the given `paths` and `components/schemas` bodies (YAML, indented as if
/// at the top level; they are nested here).
fn document(paths: &str, schemas: &str) -> String {
    let indent = |text: &str| text.lines().map(|line| format!("    {line}\n")).collect::<String>();
    format!("openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n{}components:\n  schemas:\n{}", indent(paths), indent(schemas))
}

fn compare(old: &str, new: &str) -> Report {
    let old = load_str(old).expect("old document loads");
    let new = load_str(new).expect("new document loads");
    diff(&old, &new)
}

/// `(severity, rule, pointer)` per change.
fn summary(old: &str, new: &str) -> Vec<(Severity, &'static str, String)> {
    compare(old, new).changes.into_iter().map(|change| (change.severity, change.rule, change.pointer)).collect()
}

#[track_caller]
fn assert_single(old: &str, new: &str, severity: Severity, rule: &str, pointer: &str) {
    let found = summary(old, new);
    assert_eq!(found, vec![(severity, found.first().map_or("", |change| change.1), pointer.to_string())], "expected only {rule}");
    assert_eq!(found[0].1, rule);
}

/// An operation whose request and 200 response bodies are the schemas `In` and `Out`.
const BODY_OPERATION: &str = "/items:
  post:
    operationId: createItem
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/In'}
    responses:
      '200':
        description: ok
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Out'}
";

fn bodies(request: &str, response: &str) -> String {
    document(BODY_OPERATION, &format!("In:\n{}\nOut:\n{}", indent2(request), indent2(response)))
}

fn indent2(text: &str) -> String {
    text.lines().map(|line| format!("  {line}")).collect::<Vec<_>>().join("\n")
}

const OBJECT: &str = "type: object\nproperties:\n  n: {type: integer}\n  s: {type: string, maxLength: 10, enum: [a, b]}\nrequired: [n]";

#[test]
fn a_document_against_itself_has_no_changes() {
    let text = bodies(OBJECT, OBJECT);
    assert!(compare(&text, &text).changes.is_empty());
    assert_eq!(compare(&text, &text).to_text(), "no changes\n");
}

#[test]
fn removing_an_operation_breaks_clients_and_adding_one_breaks_servers() {
    let one = document("/a:\n  get: {responses: {'200': {description: ok}}}\n", "{}");
    let two = document("/a:\n  get: {responses: {'200': {description: ok}}}\n  post: {responses: {'200': {description: ok}}}\n", "{}");
    assert_single(&two, &one, Severity::BreaksClients, "operation.removed", "/paths/~1a/post");
    assert_single(&one, &two, Severity::BreaksServers, "operation.added", "/paths/~1a/post");
    let other = document("/b:\n  get: {responses: {'200': {description: ok}}}\n", "{}");
    assert_eq!(
        summary(&one, &other),
        vec![(Severity::BreaksClients, "path.removed", "/paths/~1a".to_string()), (Severity::BreaksServers, "path.added", "/paths/~1b".to_string())]
    );
}

#[test]
fn renaming_a_path_parameter_is_not_a_removal() {
    let path = |name: &str, schema: &str| {
        document(
            &format!(
                "/a/{{{name}}}:\n  parameters:\n  - {{name: {name}, in: path, required: true, schema: {schema}}}\n  get: {{responses: {{'200': {{description: ok}}}}}}\n  delete: {{responses: {{'204': {{description: ok}}}}}}\n"
            ),
            "{}",
        )
    };
    let string = "{type: string}";
    // One rename for the path, not one per operation, and the parameter is matched by position.
    assert_single(&path("id", string), &path("key", string), Severity::Compatible, "path.parameter-renamed", "/paths/~1a~1{key}");
    let short = "{type: string, maxLength: 8}";
    assert_eq!(
        summary(&path("id", string), &path("key", short)),
        vec![
            (Severity::BreaksClients, "schema.constraint-tightened", "/paths/~1a~1{key}/parameters/0/schema".to_string()),
            (Severity::Compatible, "path.parameter-renamed", "/paths/~1a~1{key}".to_string()),
        ]
    );
}

#[test]
fn a_changed_operation_id_breaks_generated_code() {
    let named = |id: &str| document(&format!("/a:\n  get: {{operationId: {id}, responses: {{'200': {{description: ok}}}}}}\n"), "{}");
    assert_single(&named("listA"), &named("getA"), Severity::BreaksBoth, "operation.id-changed", "/paths/~1a/get/operationId");
}

fn with_parameters(parameters: &str) -> String {
    let parameters: String = parameters.lines().map(|line| format!("      {line}\n")).collect();
    document(&format!("/a:\n  get:\n    parameters:\n{parameters}    responses: {{'200': {{description: ok}}}}\n"), "{}")
}

#[test]
fn parameter_rules() {
    let none = with_parameters("[]");
    let optional = with_parameters("- {name: q, in: query, schema: {type: string}}");
    let required = with_parameters("- {name: q, in: query, required: true, schema: {type: string}}");
    let header = with_parameters("- {name: q, in: header, schema: {type: string}}");
    let listed = "/paths/~1a/get/parameters/0";
    assert_single(&none, &optional, Severity::BreaksServers, "parameter.added", listed);
    assert_single(&none, &required, Severity::BreaksBoth, "parameter.added", listed);
    assert_single(&optional, &none, Severity::BreaksClients, "parameter.removed", listed);
    assert_single(&optional, &required, Severity::BreaksClients, "parameter.became-required", "/paths/~1a/get/parameters/0/required");
    assert_single(&required, &optional, Severity::BreaksServers, "parameter.became-optional", listed);
    assert_single(&optional, &header, Severity::BreaksBoth, "parameter.location-changed", listed);
    let integer = with_parameters("- {name: q, in: query, schema: {type: integer}}");
    assert_single(&optional, &integer, Severity::BreaksBoth, "schema.type-changed", "/paths/~1a/get/parameters/0/schema");
    let exploded = with_parameters("- {name: q, in: query, explode: false, schema: {type: string}}");
    assert_single(&optional, &exploded, Severity::BreaksBoth, "parameter.serialization-changed", listed);
    // Writing out the defaults changes nothing.
    let explicit = with_parameters("- {name: q, in: query, style: form, explode: true, schema: {type: string}}");
    assert!(summary(&optional, &explicit).is_empty());
}

#[test]
fn parameters_declared_on_the_path_item_count_and_may_be_overridden() {
    let on_item = |required: bool| {
        document(
            &format!(
                "/a:\n  parameters:\n  - {{name: q, in: query, required: {required}, schema: {{type: string}}}}\n  get: {{responses: {{'200': {{description: ok}}}}}}\n"
            ),
            "{}",
        )
    };
    assert_single(&on_item(false), &on_item(true), Severity::BreaksClients, "parameter.became-required", "/paths/~1a/parameters/0/required");
    let overridden = document(
        "/a:\n  parameters:\n  - {name: q, in: query, schema: {type: string}}\n  get:\n    parameters:\n    - {name: q, in: query, schema: {type: string, maxLength: 3}}\n    responses: {'200': {description: ok}}\n",
        "{}",
    );
    assert_single(&on_item(false), &overridden, Severity::BreaksClients, "schema.constraint-tightened", "/paths/~1a/get/parameters/0/schema");
}

#[test]
fn types_narrow_and_widen_by_direction() {
    let integer = "type: integer";
    let number = "type: number";
    let either = "type: [integer, string]";
    // integer → number accepts more: old servers get numbers they never handled.
    assert_single(&bodies(integer, "{}"), &bodies(number, "{}"), Severity::BreaksServers, "schema.type-widened", "/components/schemas/In");
    // ... and in a response, old clients get numbers they cannot read.
    assert_single(&bodies("{}", integer), &bodies("{}", number), Severity::BreaksClients, "schema.type-widened", "/components/schemas/Out");
    assert_single(&bodies(number, "{}"), &bodies(integer, "{}"), Severity::BreaksClients, "schema.type-narrowed", "/components/schemas/In");
    assert_single(&bodies("{}", number), &bodies("{}", integer), Severity::BreaksServers, "schema.type-narrowed", "/components/schemas/Out");
    assert_single(&bodies("{}", integer), &bodies("{}", either), Severity::BreaksClients, "schema.type-widened", "/components/schemas/Out");
    assert_single(&bodies(integer, "{}"), &bodies("type: string", "{}"), Severity::BreaksBoth, "schema.type-changed", "/components/schemas/In");
}

#[test]
fn nullable_in_both_versions_of_the_specification() {
    assert_single(
        &bodies("{}", "type: string"),
        &bodies("{}", "type: [string, 'null']"),
        Severity::BreaksClients,
        "schema.nullable-added",
        "/components/schemas/Out",
    );
    let v30 = |nullable: bool| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: string, nullable: {nullable}}}\n      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    assert_single(
        &v30(true),
        &v30(false),
        Severity::BreaksClients,
        "schema.nullable-removed",
        "/paths/~1a/post/requestBody/content/application~1json/schema",
    );
}

#[test]
fn enum_values_by_direction() {
    let ab = "enum: [a, b]";
    let abc = "enum: [a, b, c]";
    assert_single(&bodies("{}", ab), &bodies("{}", abc), Severity::BreaksClients, "schema.enum-value-added", "/components/schemas/Out/enum/2");
    assert_single(&bodies("{}", abc), &bodies("{}", ab), Severity::BreaksServers, "schema.enum-value-removed", "/components/schemas/Out/enum/2");
    assert_single(&bodies(ab, "{}"), &bodies(abc, "{}"), Severity::BreaksServers, "schema.enum-value-added", "/components/schemas/In/enum/2");
    assert_single(&bodies(abc, "{}"), &bodies(ab, "{}"), Severity::BreaksClients, "schema.enum-value-removed", "/components/schemas/In/enum/2");
    assert_single(&bodies("{}", "const: a"), &bodies("{}", ab), Severity::BreaksClients, "schema.enum-value-added", "/components/schemas/Out/enum/1");
    assert_single(
        &bodies("type: string", "{}"),
        &bodies("type: string\nenum: [a]", "{}"),
        Severity::BreaksClients,
        "schema.enum-added",
        "/components/schemas/In",
    );
}

#[test]
fn request_property_rules() {
    let base = "type: object\nproperties:\n  a: {type: string}";
    let optional_added = "type: object\nproperties:\n  a: {type: string}\n  b: {type: string}";
    let required_added = "type: object\nproperties:\n  a: {type: string}\n  b: {type: string}\nrequired: [b]";
    let b = "/components/schemas/In/properties/b";
    assert_single(&bodies(base, "{}"), &bodies(optional_added, "{}"), Severity::BreaksServers, "schema.property-added", b);
    assert_single(&bodies(base, "{}"), &bodies(required_added, "{}"), Severity::BreaksBoth, "schema.property-added", b);
    // Old clients may still send `b`: fine while extra properties are allowed, refused otherwise.
    assert_single(&bodies(optional_added, "{}"), &bodies(base, "{}"), Severity::Compatible, "schema.property-removed", b);
    let closed = |schema: &str| format!("{schema}\nadditionalProperties: false");
    assert_single(&bodies(&closed(optional_added), "{}"), &bodies(&closed(base), "{}"), Severity::BreaksClients, "schema.property-removed", b);
    assert_single(&bodies(optional_added, "{}"), &bodies(required_added, "{}"), Severity::BreaksClients, "schema.property-required", b);
    assert_single(&bodies(required_added, "{}"), &bodies(optional_added, "{}"), Severity::BreaksServers, "schema.property-optional", b);
    // Properties the server fills in are not part of requests.
    let read_only = "type: object\nproperties:\n  a: {type: string}\n  b: {type: string, readOnly: true}\nrequired: [b]";
    assert!(summary(&bodies(base, "{}"), &bodies(read_only, "{}")).is_empty());
}

#[test]
fn response_property_rules() {
    let base = "type: object\nproperties:\n  a: {type: string}\n  b: {type: string}\nrequired: [a]";
    let without_b = "type: object\nproperties:\n  a: {type: string}\nrequired: [a]";
    let b = "/components/schemas/Out/properties/b";
    assert_single(&bodies("{}", base), &bodies("{}", without_b), Severity::BreaksClients, "schema.property-removed", b);
    assert_single(&bodies("{}", without_b), &bodies("{}", base), Severity::Compatible, "schema.property-added", b);
    let required_b = "type: object\nproperties:\n  a: {type: string}\n  b: {type: string}\nrequired: [a, b]";
    assert_single(&bodies("{}", without_b), &bodies("{}", required_b), Severity::BreaksServers, "schema.property-added", b);
    assert_single(&bodies("{}", base), &bodies("{}", required_b), Severity::BreaksServers, "schema.property-required", b);
    assert_single(&bodies("{}", required_b), &bodies("{}", base), Severity::BreaksClients, "schema.property-optional", b);
}

#[test]
fn bounds_tighten_and_relax() {
    let request = "/components/schemas/In";
    for (old, new, severity, rule) in [
        ("type: string\nmaxLength: 10", "type: string\nmaxLength: 5", Severity::BreaksClients, "schema.constraint-tightened"),
        ("type: string\nmaxLength: 5", "type: string", Severity::BreaksServers, "schema.constraint-relaxed"),
        ("type: integer", "type: integer\nminimum: 1", Severity::BreaksClients, "schema.constraint-tightened"),
        ("type: integer\nminimum: 1", "type: integer\nminimum: 0", Severity::BreaksServers, "schema.constraint-relaxed"),
        ("type: array", "type: array\nuniqueItems: true", Severity::BreaksClients, "schema.constraint-tightened"),
        ("type: string\npattern: a", "type: string\npattern: b", Severity::BreaksBoth, "schema.constraint-changed"),
        ("type: string", "type: string\nformat: uuid", Severity::BreaksClients, "schema.constraint-tightened"),
    ] {
        assert_single(&bodies(old, "{}"), &bodies(new, "{}"), severity, rule, request);
    }
    // In a response, a relaxed bound lets servers send what old clients refuse.
    let (short, long) = ("type: string\nmaxLength: 5", "type: string\nmaxLength: 10");
    assert_single(&bodies("{}", short), &bodies("{}", long), Severity::BreaksClients, "schema.constraint-relaxed", "/components/schemas/Out");
    // OpenAPI 3.0 writes exclusiveMaximum as a flag.
    let v30 = |flag: bool| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters:\n      - {{name: n, in: query, schema: {{type: number, maximum: 5, exclusiveMaximum: {flag}}}}}\n      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    assert_single(&v30(false), &v30(true), Severity::BreaksClients, "schema.constraint-tightened", "/paths/~1a/get/parameters/0/schema");
}

#[test]
fn both_ways_of_writing_nullable_are_the_same() {
    let v30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: string, nullable: true}\n";
    let v31 = v30.replace("3.0.3", "3.1.0").replace("{type: string, nullable: true}", "{type: [string, 'null']}");
    assert!(summary(v30, &v31).is_empty(), "{:?}", summary(v30, &v31));
}

#[test]
fn response_headers() {
    let headers = |headers: &str| {
        document(&format!("/a:\n  get:\n    responses:\n      '200':\n        description: ok\n        headers: {{{headers}}}\n"), "{}")
    };
    let none = headers("");
    let optional = headers("X-Rate: {schema: {type: integer}}");
    let required = headers("X-Rate: {required: true, schema: {type: integer}}");
    let pointer = "/paths/~1a/get/responses/200/headers/X-Rate";
    assert_single(&optional, &none, Severity::BreaksClients, "header.removed", pointer);
    assert_single(&none, &optional, Severity::Compatible, "header.added", pointer);
    assert_single(&none, &required, Severity::BreaksServers, "header.added", pointer);
    assert_single(&optional, &required, Severity::BreaksServers, "header.became-required", pointer);
    assert_single(&required, &optional, Severity::BreaksClients, "header.became-optional", pointer);
    // Header names are case-insensitive.
    assert!(summary(&optional, &headers("x-rate: {schema: {type: integer}}")).is_empty());
}

#[test]
fn all_of_members_and_required_names_without_properties() {
    let base = "allOf:\n- {$ref: '#/components/schemas/Base'}";
    let with_extra = "allOf:\n- {$ref: '#/components/schemas/Base'}\n- {type: object, properties: {x: {type: string}}}";
    let schemas = |request: &str| format!("In:\n{}\nOut: {{}}\nBase: {{type: object, properties: {{a: {{type: string}}}}}}", indent2(request));
    let old = document(BODY_OPERATION, &schemas(base));
    let new = document(BODY_OPERATION, &schemas(with_extra));
    // One more member to satisfy narrows what a request may be.
    assert_single(&old, &new, Severity::BreaksClients, "schema.composition-member-added", "/components/schemas/In/allOf/1");
    let required = document(BODY_OPERATION, &schemas(&format!("{base}\nrequired: [a]")));
    assert_single(&old, &required, Severity::BreaksClients, "schema.property-required", "/components/schemas/In/required");
}

#[test]
fn closed_response_schemas_make_new_optional_fields_breaking() {
    let closed = |properties: &str| format!("type: object\nadditionalProperties: false\nproperties: {{{properties}}}");
    let old = bodies("{}", &closed("a: {type: string}"));
    let new = bodies("{}", &closed("a: {type: string}, b: {type: string}"));
    assert_single(&old, &new, Severity::BreaksClients, "schema.property-added", "/components/schemas/Out/properties/b");
}

#[test]
fn additional_properties_and_arrays() {
    let open = "type: object";
    let closed = "type: object\nadditionalProperties: false";
    assert_single(
        &bodies(open, "{}"),
        &bodies(closed, "{}"),
        Severity::BreaksClients,
        "schema.additional-properties-narrowed",
        "/components/schemas/In",
    );
    assert_single(
        &bodies("{}", closed),
        &bodies("{}", open),
        Severity::BreaksClients,
        "schema.additional-properties-widened",
        "/components/schemas/Out",
    );
    let map = |value: &str| format!("type: object\nadditionalProperties: {{type: {value}}}");
    assert_single(
        &bodies(&map("integer"), "{}"),
        &bodies(&map("number"), "{}"),
        Severity::BreaksServers,
        "schema.type-widened",
        "/components/schemas/In/additionalProperties",
    );
    let list = |value: &str| format!("type: array\nitems: {{type: string, enum: [{value}]}}");
    assert_single(
        &bodies("{}", &list("a")),
        &bodies("{}", &list("a, b")),
        Severity::BreaksClients,
        "schema.enum-value-added",
        "/components/schemas/Out/items/enum/1",
    );
}

#[test]
fn one_of_options_and_all_of_members() {
    let schemas = "A: {type: object, properties: {a: {type: string}}}\nB: {type: object, properties: {b: {type: string}}}\nC: {type: object, properties: {c: {type: string}}}";
    let response = |options: &str| {
        document(
            &format!("/x:\n  get:\n    responses:\n      '200':\n        description: ok\n        content:\n          application/json:\n            schema: {{oneOf: [{options}]}}\n"),
            schemas,
        )
    };
    let a_b = response("{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}");
    let b_c_a = response("{$ref: '#/components/schemas/B'}, {$ref: '#/components/schemas/C'}, {$ref: '#/components/schemas/A'}");
    // Options are paired by reference, so reordering is no change; C is a new kind of answer.
    assert_single(
        &a_b,
        &b_c_a,
        Severity::BreaksClients,
        "schema.composition-member-added",
        "/paths/~1x/get/responses/200/content/application~1json/schema/oneOf/1",
    );
}

#[test]
fn recursive_schemas_terminate_and_shared_changes_are_reported_once() {
    let node = |value: &str| {
        format!("type: object\nproperties:\n  value: {{type: {value}}}\n  children: {{type: array, items: {{$ref: '#/components/schemas/In'}}}}")
    };
    let old = bodies(&node("integer"), "{}");
    let new = bodies(&node("number"), "{}");
    assert_single(&old, &new, Severity::BreaksServers, "schema.type-widened", "/components/schemas/In/properties/value");
    // The same component used by two operations: one change, under the first.
    let twice = |value: &str| {
        let operation = |path: &str| {
            format!("{path}:\n  put:\n    requestBody:\n      content:\n        application/json:\n          schema: {{$ref: '#/components/schemas/V'}}\n    responses: {{'204': {{description: ok}}}}\n")
        };
        document(&format!("{}{}", operation("/a"), operation("/b")), &format!("V: {{type: {value}}}"))
    };
    let report = compare(&twice("integer"), &twice("number"));
    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.changes[0].operation.as_deref(), Some("PUT /a"));
}

#[test]
fn response_statuses_and_media_types() {
    let responses = |body: &str| {
        document(&format!("/a:\n  get:\n    responses:\n{}", body.lines().map(|line| format!("      {line}\n")).collect::<String>()), "{}")
    };
    let ok = responses("'200': {description: ok}");
    let ok_404 = responses("'200': {description: ok}\n'404': {description: missing}");
    let default = responses("'200': {description: ok}\ndefault: {description: error}");
    let default_404 = responses("'200': {description: ok}\n'404': {description: missing}\ndefault: {description: error}");
    assert_single(&ok, &ok_404, Severity::BreaksClients, "response.added", "/paths/~1a/get/responses/404");
    assert_single(&default, &default_404, Severity::Compatible, "response.added", "/paths/~1a/get/responses/404");
    assert_single(&ok_404, &ok, Severity::BreaksServers, "response.removed", "/paths/~1a/get/responses/404");
    let json = responses("'200': {description: ok, content: {application/json: {schema: {type: string}}}}");
    let both = responses("'200': {description: ok, content: {application/json: {schema: {type: string}}, text/plain: {schema: {type: string}}}}");
    assert_single(&json, &both, Severity::BreaksClients, "content.media-type-added", "/paths/~1a/get/responses/200/content/text~1plain");
    assert_single(&both, &json, Severity::BreaksBoth, "content.media-type-removed", "/paths/~1a/get/responses/200/content/text~1plain");
    let charset = responses("'200': {description: ok, content: {'application/json; charset=utf-8': {schema: {type: string}}}}");
    assert!(summary(&json, &charset).is_empty());
}

#[test]
fn request_bodies() {
    let body = |body: &str| document(&format!("/a:\n  post:\n    {body}\n    responses: {{'204': {{description: ok}}}}\n"), "{}");
    let none = body("description: x");
    let optional = body("requestBody: {content: {application/json: {schema: {type: object}}}}");
    let required = body("requestBody: {required: true, content: {application/json: {schema: {type: object}}}}");
    let pointer = "/paths/~1a/post/requestBody";
    assert_single(&none, &optional, Severity::BreaksServers, "request-body.added", pointer);
    assert_single(&none, &required, Severity::BreaksBoth, "request-body.added", pointer);
    assert_single(&optional, &none, Severity::BreaksClients, "request-body.removed", pointer);
    assert_single(&optional, &required, Severity::BreaksClients, "request-body.became-required", pointer);
    let form = body("requestBody: {content: {application/x-www-form-urlencoded: {schema: {type: object}}}}");
    assert_eq!(
        summary(&optional, &form),
        vec![
            (Severity::BreaksClients, "content.media-type-removed", "/paths/~1a/post/requestBody/content/application~1json".to_string()),
            (
                Severity::BreaksServers,
                "content.media-type-added",
                "/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded".to_string()
            ),
        ]
    );
}

#[test]
fn unused_components_and_the_version_are_informational() {
    let old = document("{}", "Unused: {type: integer}\nGone: {type: string}");
    let new = document("{}", "Unused: {type: string}\nNew: {type: string}").replace("version: '1'", "version: '2'");
    assert_eq!(
        summary(&old, &new),
        vec![
            (Severity::Info, "info.version-changed", "/info/version".to_string()),
            (Severity::Info, "schema.type-changed", "/components/schemas/Unused".to_string()),
            (Severity::Info, "component.removed", "/components/schemas/Gone".to_string()),
            (Severity::Info, "component.added", "/components/schemas/New".to_string()),
        ]
    );
}

#[test]
fn changes_are_ordered_by_severity_and_carry_positions() {
    let old = bodies("type: integer", "type: string\nenum: [a]");
    let new = bodies("type: number", "type: string\nenum: [a, b]").replace("version: '1'", "version: '2'");
    let report = compare(&old, &new);
    let severities: Vec<Severity> = report.changes.iter().map(|change| change.severity).collect();
    assert_eq!(severities, vec![Severity::BreaksClients, Severity::BreaksServers, Severity::Info]);
    assert_eq!(
        report.to_text(),
        "breaks-clients /components/schemas/Out/enum/1 (26:17): enum value \"b\" added (response 200 of POST /items)\n\n\
         breaks-servers /components/schemas/In (22:5): type widened from integer to number (request body of POST /items)\n\n\
         info /info/version (4:3): info.version changed from 1 to 2\n\n\
         3 changes: 1 breaks-clients, 1 breaks-servers, 1 info\n"
    );
    let json = report.to_json();
    assert_eq!(json["summary"]["breaks-clients"], 1);
    assert_eq!(json["summary"]["breaks-both"], 0);
    assert_eq!(json["changes"][0]["line"], 26);
    assert_eq!(json["changes"][0]["document"], "new");
    assert_eq!(json["changes"][0]["operation"], "POST /items");
    assert!(report.fails(FailOn::Client) && report.fails(FailOn::Server) && report.fails(FailOn::Breaking) && report.fails(FailOn::Any));
    assert!(!report.fails(FailOn::None));
}

#[test]
fn fail_on_levels() {
    let only_info = Report { changes: vec![] };
    assert!(!only_info.fails(FailOn::Any));
    assert!(FailOn::Client.matches(Severity::BreaksBoth) && !FailOn::Client.matches(Severity::BreaksServers));
    assert!(FailOn::Server.matches(Severity::BreaksBoth) && !FailOn::Server.matches(Severity::BreaksClients));
    assert!(FailOn::Breaking.matches(Severity::BreaksServers) && !FailOn::Breaking.matches(Severity::Compatible));
    assert!(FailOn::Any.matches(Severity::Info) && !FailOn::None.matches(Severity::BreaksBoth));
}

#[test]
fn webhooks_mirror_the_classification() {
    let webhook = |values: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nwebhooks:\n  runDone:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: string, enum: [{values}]}}\n      responses: {{'200': {{description: ok}}}}\n"
        )
    };
    let pointer = "/webhooks/runDone/post/requestBody/content/application~1json/schema/enum/1";
    // Consumers serve the webhook, so a value the provider may now send breaks them.
    assert_single(&webhook("ok"), &webhook("ok, failed"), Severity::BreaksClients, "schema.enum-value-added", pointer);
    let none = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {}\n";
    assert_single(none, &webhook("ok"), Severity::BreaksClients, "operation.added", "/webhooks/runDone/post");
    let report = compare(&webhook("ok"), none);
    assert_eq!(report.changes[0].message, "webhook `runDone` (POST) removed");
    assert_eq!(report.changes[0].severity, Severity::BreaksServers);
}

#[test]
fn long_reference_chains_are_followed_to_the_end() {
    // Each schema wraps the next: 500 levels of nesting, all reached from one response.
    let chain = |last: &str| {
        let mut schemas: String =
            (0..500).map(|i| format!("S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n", i + 1)).collect();
        schemas.push_str(&format!("S500: {{type: {last}}}"));
        document(
            "/a:\n  get:\n    responses:\n      '200':\n        description: ok\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/S0'}\n",
            &schemas,
        )
    };
    assert_single(&chain("integer"), &chain("number"), Severity::BreaksClients, "schema.type-widened", "/components/schemas/S500");
}
