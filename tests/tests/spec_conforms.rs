//! Conformance checks for `spec/openapi.yaml`.
//!
//! Which meta-schemas are used, and why
//! ------------------------------------
//! The document is validated against the official OpenAPI 3.1 JSON Schemas
//! in `codegen/schemas/3.1/`, entirely offline: `jsonschema` is built without
//! its HTTP and file resolvers, retrieval is switched off besides, and every
//! OAS schema document is registered here as a local resource under its
//! `$id` (`schema.json`, `dialect/base.schema.json`, `meta/base.schema.json`;
//! the JSON Schema 2020-12 meta-schemas are bundled with the validator). An
//! unknown remote `$ref` therefore fails the build of the validator instead
//! of going to the network.
//!
//! Three checks run:
//! * `schema.json`, the document schema, which accepts any Schema Object;
//! * `schema-base.json`, which also holds every Schema Object in the
//!   document (through `schema.json`'s `$dynamicRef: "#meta"`) to the OAS
//!   base dialect and pins `jsonSchemaDialect` and any `$schema` to it;
//! * each Schema Object on its own against `dialect/base.schema.json`, which
//!   names the exact schema at fault.
//!
//! The official `schema-base.json` of this iteration (2021-04-15) has a typo,
//! `"$ref\""` instead of `"$ref"` in `$defs/schema`, so as published it only
//! pins `$schema` and never applies the dialect (later iterations fix it).
//! The file is kept as published; `schema_base()` repairs that one key in
//! memory, and the tests below show that the repaired schema rejects a
//! broken Schema Object.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jsonschema::{Draft, Registry, Resource, Validator};
use serde_json::Value;

const OAS_SCHEMA_ID: &str = "https://spec.openapis.org/oas/3.1/schema/2021-04-15";
const OAS_DIALECT_ID: &str = "https://spec.openapis.org/oas/3.1/dialect/base";
const OAS_META_ID: &str = "https://spec.openapis.org/oas/3.1/meta/base";

const UPSTREAM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/orchestrator/24-2025-08-12-16439adb.yaml");

/// Operations the spec must expose, as (operationId, method, path) in upstream.
const EXPECTED_OPERATIONS: &[(&str, &str, &str)] = &[
    ("getWorkflowsOverview", "post", "/v2/workflows/overview"),
    ("getWorkflowsOverviewForEntity", "post", "/v2/workflows/overview/entity"),
    ("getWorkflowOverviewById", "get", "/v2/workflows/{workflowId}/overview"),
    ("getWorkflowSourceById", "get", "/v2/workflows/{workflowId}/source"),
    ("getWorkflowInputSchemaById", "get", "/v2/workflows/{workflowId}/inputSchema"),
    ("pingWorkflowServiceById", "get", "/v2/workflows/{workflowId}/pingWorkflowService"),
    ("getInstances", "post", "/v2/workflows/instances"),
    ("getWorkflowInstances", "post", "/v2/workflows/{workflowId}/instances"),
    ("getInstanceById", "get", "/v2/workflows/instances/{instanceId}"),
    ("getWorkflowStatuses", "get", "/v2/workflows/instances/statuses"),
    ("executeWorkflow", "post", "/v2/workflows/{workflowId}/execute"),
    ("retriggerInstance", "post", "/v2/workflows/{workflowId}/{instanceId}/retrigger"),
    ("abortWorkflow", "delete", "/v2/workflows/instances/{instanceId}/abort"),
];

const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml_ng::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{} is not YAML representable as JSON: {e}", path.display()))
}

fn load_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn spec() -> Value {
    load_yaml(&repo_root().join("spec/openapi.yaml"))
}

fn schema_dir() -> PathBuf {
    repo_root().join("codegen/schemas/3.1")
}

/// Every OAS 3.1 schema document, registered locally under its `$id`.
fn local_registry() -> Registry<'static> {
    let dir = schema_dir();
    let mut resources = Vec::new();
    for (uri, file) in [(OAS_SCHEMA_ID, "schema.json"), (OAS_DIALECT_ID, "dialect/base.schema.json"), (OAS_META_ID, "meta/base.schema.json")] {
        let contents = load_json(&dir.join(file));
        assert_eq!(contents.get("$id").and_then(Value::as_str), Some(uri), "{file} does not carry the expected $id");
        resources.push((uri, Resource::from_contents(contents)));
    }
    Registry::new()
        .extend(resources)
        .and_then(|builder| builder.prepare())
        .unwrap_or_else(|e| panic!("the OAS schema documents cannot be registered: {e}"))
}

/// Compiles `root` with the OAS 3.1 schema documents as the only resources
/// besides the bundled JSON Schema meta-schemas; retrieval is off.
fn compile(root: &Value) -> Result<Validator, jsonschema::ValidationError<'static>> {
    let registry = local_registry();
    // `format` stays an annotation, as the 2020-12 format-annotation vocabulary
    // used by these schemas prescribes. Asserting it would, for instance,
    // reject the relative server URL `/api/orchestrator`, because this schema
    // iteration annotates `servers[].url` with `format: uri` although the
    // specification explicitly allows relative server URLs.
    jsonschema::options().with_draft(Draft::Draft202012).should_validate_formats(false).offline().with_registry(&registry).build(root)
}

/// Validator for whole OpenAPI documents (`schema.json`).
fn document_validator() -> Validator {
    let root = load_json(&schema_dir().join("schema.json"));
    compile(&root).unwrap_or_else(|e| panic!("cannot compile schema.json offline: {e}"))
}

/// `schema-base.json` as published, with the `"$ref\""` typo of its
/// `$defs/schema` repaired (see the module comment).
fn schema_base() -> Value {
    let mut root = load_json(&schema_dir().join("schema-base.json"));
    let meta = root.pointer_mut("/$defs/schema").and_then(Value::as_object_mut).expect("schema-base.json has $defs/schema");
    if let Some(target) = meta.remove("$ref\"") {
        assert_eq!(target, OAS_DIALECT_ID, "the misspelt reference of schema-base.json names the OAS base dialect");
        meta.insert("$ref".to_owned(), target);
    }
    assert_eq!(
        meta.get("$ref").and_then(Value::as_str),
        Some(OAS_DIALECT_ID),
        "schema-base.json applies the OAS base dialect to every Schema Object"
    );
    root
}

/// Validator for whole OpenAPI documents whose Schema Objects use the OAS
/// base dialect (`schema-base.json`).
fn schema_base_validator() -> Validator {
    compile(&schema_base()).unwrap_or_else(|e| panic!("cannot compile schema-base.json offline: {e}"))
}

/// Validator for single Schema Objects (the OAS 3.1 base dialect).
fn dialect_validator() -> Validator {
    let root = load_json(&schema_dir().join("dialect/base.schema.json"));
    compile(&root).unwrap_or_else(|e| panic!("cannot compile the OAS base dialect offline: {e}"))
}

fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Keywords whose value is a map of subschemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &["properties", "patternProperties", "$defs", "dependentSchemas"];
/// Keywords whose value is a single subschema.
const SCHEMA_KEYWORDS: &[&str] =
    &["additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"];
/// Keywords whose value is an array of subschemas.
const SCHEMA_ARRAY_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Pushes `schema` and all of its subschemas, each with its JSON pointer.
fn collect_subschemas<'a>(schema: &'a Value, pointer: String, out: &mut Vec<(String, &'a Value)>) {
    out.push((pointer.clone(), schema));
    let Some(object) = schema.as_object() else {
        return;
    };
    for &keyword in SCHEMA_MAP_KEYWORDS {
        if let Some(Value::Object(map)) = object.get(keyword) {
            for (name, sub) in map {
                let p = format!("{pointer}/{keyword}/{}", escape_pointer_token(name));
                collect_subschemas(sub, p, out);
            }
        }
    }
    for &keyword in SCHEMA_KEYWORDS {
        if let Some(sub) = object.get(keyword) {
            collect_subschemas(sub, format!("{pointer}/{keyword}"), out);
        }
    }
    for &keyword in SCHEMA_ARRAY_KEYWORDS {
        if let Some(Value::Array(items)) = object.get(keyword) {
            for (i, sub) in items.iter().enumerate() {
                collect_subschemas(sub, format!("{pointer}/{keyword}/{i}"), out);
            }
        }
    }
}

/// Finds every Schema Object in an OpenAPI document: the entries of
/// `components/schemas` and the value of any `schema` field elsewhere.
/// Example values are skipped, since they are data, not schemas.
fn collect_document_schemas<'a>(node: &'a Value, pointer: String, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let child = format!("{pointer}/{}", escape_pointer_token(key));
                if key == "example" || key == "examples" {
                    continue;
                }
                if key == "schema" {
                    collect_subschemas(value, child, out);
                } else if pointer == "/components" && key == "schemas" {
                    if let Value::Object(schemas) = value {
                        for (name, schema) in schemas {
                            let p = format!("{child}/{}", escape_pointer_token(name));
                            collect_subschemas(schema, p, out);
                        }
                    }
                } else {
                    collect_document_schemas(value, child, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                collect_document_schemas(value, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// All conformance problems of `doc`, each prefixed with its JSON pointer.
fn conformance_errors(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();

    for error in document_validator().iter_errors(doc) {
        problems.push(format!("[schema.json] at '{}': {error} (schema path {})", error.instance_path(), error.schema_path()));
    }
    for error in schema_base_validator().iter_errors(doc) {
        problems.push(format!("[schema-base.json] at '{}': {error} (schema path {})", error.instance_path(), error.schema_path()));
    }

    if let Some(dialect) = doc.get("jsonSchemaDialect") {
        if dialect != OAS_DIALECT_ID {
            problems.push(format!("[dialect] at '/jsonSchemaDialect': {dialect} is not {OAS_DIALECT_ID:?}"));
        }
    }

    let dialect = dialect_validator();
    let mut schemas = Vec::new();
    collect_document_schemas(doc, String::new(), &mut schemas);
    assert!(schemas.len() > 20 || doc.get("components").is_none(), "suspiciously few Schema Objects found ({})", schemas.len());
    for (pointer, schema) in schemas {
        for error in dialect.iter_errors(schema) {
            problems.push(format!("[dialect] at '{pointer}{}': {error} (schema path {})", error.instance_path(), error.schema_path()));
        }
        if let Some(declared) = schema.get("$schema") {
            if declared != OAS_DIALECT_ID {
                problems.push(format!("[dialect] at '{pointer}/$schema': {declared} is not {OAS_DIALECT_ID:?}"));
            }
        }
    }
    problems
}

#[test]
fn spec_validates_against_official_openapi_3_1_schema() {
    let doc = spec();
    assert_eq!(doc.get("openapi").and_then(Value::as_str), Some("3.1.0"));
    let problems = conformance_errors(&doc);
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{problem}");
        }
        panic!("spec/openapi.yaml has {} conformance error(s), listed above", problems.len());
    }
}

#[test]
fn validator_rejects_a_broken_spec() {
    // Break 1: an operation's `responses` replaced by a string.
    let mut broken = spec();
    let responses = broken.pointer_mut("/paths/~1v2~1workflows~1overview/post/responses").expect("the overview search operation exists");
    *responses = Value::String("not a responses object".to_owned());
    let validator = document_validator();
    let errors: Vec<String> = validator.iter_errors(&broken).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(!errors.is_empty(), "a string in place of `responses` was accepted");
    assert!(
        errors.iter().any(|e| e.starts_with("/paths/~1v2~1workflows~1overview/post/responses")),
        "no error points at the broken `responses`: {errors:#?}"
    );

    // Break 2: an invalid `type` deep inside a component schema, which
    // `schema.json` accepts and the dialect checks do not.
    let mut broken = spec();
    let token_type = broken.pointer_mut("/components/schemas/AuthToken/properties/token/type").expect("AuthToken.token has a type");
    *token_type = serde_json::json!(["string", null]);
    let problems = conformance_errors(&broken);
    assert!(
        problems.iter().any(|p| p.contains("/components/schemas/AuthToken/properties/token")),
        "an invalid nested `type` was accepted: {problems:#?}"
    );
}

#[test]
fn spec_validates_against_official_schema_base() {
    let validator = schema_base_validator();
    let errors: Vec<String> =
        validator.iter_errors(&spec()).map(|e| format!("{}: {e} (schema path {})", e.instance_path(), e.schema_path())).collect();
    assert!(errors.is_empty(), "spec/openapi.yaml breaks schema-base.json: {errors:#?}");
}

#[test]
fn schema_base_rejects_a_broken_schema_object() {
    let validator = schema_base_validator();
    let errors_in = |doc: &Value| -> Vec<String> { validator.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect() };

    // A `type` that is no type name, inside a component schema: `schema.json`
    // accepts any Schema Object, so only the dialect applied through
    // `schema-base.json` can see it.
    let mut broken = spec();
    *broken.pointer_mut("/components/schemas/AuthToken/properties/token/type").expect("AuthToken.token has a type") = serde_json::json!(5);
    assert!(document_validator().is_valid(&broken), "schema.json alone is expected to accept any Schema Object");
    let errors = errors_in(&broken);
    assert!(
        !errors.is_empty() && errors.iter().all(|e| e.starts_with("/components/schemas/AuthToken/properties/token/type: ")),
        "`type: 5` in a component schema is not reported at its place: {errors:#?}"
    );

    // A Schema Object that declares another dialect.
    let mut foreign = spec();
    let schema = foreign.pointer_mut("/components/schemas/AuthToken").and_then(Value::as_object_mut).expect("AuthToken is an object");
    schema.insert("$schema".to_owned(), Value::String("https://json-schema.org/draft/2020-12/schema".to_owned()));
    let errors = errors_in(&foreign);
    assert!(errors.iter().any(|e| e.starts_with("/components/schemas/AuthToken/$schema: ")), "a foreign `$schema` was accepted: {errors:#?}");
}

/// operationId -> (method, path) for every operation of an OpenAPI document.
fn operations(doc: &Value) -> BTreeMap<String, (String, String)> {
    let mut ops = BTreeMap::new();
    let paths = doc["paths"].as_object().expect("`paths` is an object");
    for (path, item) in paths {
        let item = item.as_object().expect("path item is an object");
        for (method, op) in item {
            if !HTTP_METHODS.contains(&method.as_str()) {
                continue;
            }
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId")).to_owned();
            let previous = ops.insert(id.clone(), (method.clone(), path.clone()));
            assert!(previous.is_none(), "operationId {id} is used twice");
        }
    }
    ops
}

#[test]
fn operations_and_schema_names_match_upstream() {
    let ours = spec();
    let upstream = load_yaml(Path::new(UPSTREAM));

    let our_ops = operations(&ours);
    let upstream_ops = operations(&upstream);

    for &(id, method, path) in EXPECTED_OPERATIONS {
        let expected = (method.to_owned(), path.to_owned());
        assert_eq!(upstream_ops.get(id), Some(&expected), "upstream no longer has {id} as {method} {path}");
        assert_eq!(our_ops.get(id), Some(&expected), "spec lacks {id} as {method} {path}");
    }
    assert_eq!(our_ops, upstream_ops, "the set of operations differs from upstream");
    assert_eq!(our_ops.len(), EXPECTED_OPERATIONS.len());

    // Every path template parameter is declared as a required path parameter.
    for (id, (method, path)) in &our_ops {
        let op = &ours["paths"][path][method];
        let declared: BTreeSet<&str> = op["parameters"]
            .as_array()
            .map(|params| params.iter().filter(|p| p["in"] == "path" && p["required"] == true).filter_map(|p| p["name"].as_str()).collect())
            .unwrap_or_default();
        let templated: BTreeSet<&str> = path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
        assert_eq!(declared, templated, "{id}: path parameters do not match the template {path}");
    }

    let our_schemas = ours["components"]["schemas"].as_object().expect("components.schemas");
    let upstream_schemas = upstream["components"]["schemas"].as_object().expect("upstream components.schemas");
    let missing: Vec<&String> = upstream_schemas.keys().filter(|name| !our_schemas.contains_key(*name)).collect();
    assert!(missing.is_empty(), "component schemas missing from the spec: {missing:?}");
}
