//! The Swagger 2.0 conversion rules of docs/swagger2.md, checked on the corpus: for each rule
//! row that some document under `corpus/swagger2/` exercises, a test loads that document and
//! asserts the converted value at a 3.0 pointer, and the warning at the 2.0 pointer where the
//! rule gives one. The modules follow the sections of the document.
//!
//! The converter's warnings are in `Document::diagnostics`, at their 2.0 pointers (lowering
//! adds its own findings to the same list and only looks up their lines).
//!
//! The last test holds every row of the tables: the ones a test here covers, and the ones no
//! corpus document exercises, with the converter's unit test that covers each.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use oas_codegen::diagnostics::Severity;
use oas_codegen::load::{load_file, Document, Written};
use serde_json::{json, Value};

/// A document of `corpus/swagger2/`, converted on load.
fn load(name: &str) -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/swagger2").join(name);
    let document = load_file(&path).unwrap_or_else(|error| panic!("{name}: {error}"));
    assert_eq!(document.written, Written::Swagger2, "{name}");
    document
}

/// A swagger-parser converter test input.
fn parser(name: &str) -> Document {
    load(&format!("swagger-parser/{name}"))
}

/// The Kubernetes document, loaded once for the tests that use it.
fn kubernetes() -> &'static Document {
    static DOCUMENT: OnceLock<Document> = OnceLock::new();
    DOCUMENT.get_or_init(|| load("kubernetes-swagger.json"))
}

fn name(document: &Document) -> String {
    document.path.as_deref().map(|path| path.display().to_string()).unwrap_or_default()
}

/// The converted value at each pointer is the expected one.
#[track_caller]
fn assert_converted(document: &Document, expected: &[(&str, Value)]) {
    for (pointer, value) in expected {
        assert_eq!(document.root.pointer(pointer), Some(value), "{pointer} in {}", name(document));
    }
}

/// Nothing is at these pointers of the converted document.
#[track_caller]
fn assert_absent(document: &Document, pointers: &[&str]) {
    for pointer in pointers {
        assert_eq!(document.root.pointer(pointer), None, "{pointer} in {}", name(document));
    }
}

/// The keys of the object at `pointer` of the converted document, in order.
fn keys<'d>(document: &'d Document, pointer: &str) -> Vec<&'d str> {
    match document.root.pointer(pointer) {
        Some(Value::Object(object)) => object.keys().map(String::as_str).collect(),
        other => panic!("{pointer} in {}: expected an object, found {other:?}", name(document)),
    }
}

/// The value at `pointer` of the document as written (2.0).
fn original<'d>(document: &'d Document, pointer: &str) -> &'d Value {
    let original = document.original.as_ref().expect("a 2.0 document keeps its original");
    original.pointer(pointer).unwrap_or_else(|| panic!("{pointer} is not in {}", name(document)))
}

/// The converted value at `at` is the written one at `from`, unchanged.
#[track_caller]
fn assert_copied(document: &Document, at: &str, from: &str) {
    assert_converted(document, &[(at, original(document, from).clone())]);
}

fn warnings_at<'d>(document: &'d Document, pointer: &str) -> Vec<&'d str> {
    let diagnostics = document.diagnostics.iter().filter(|diagnostic| diagnostic.severity == Severity::Warning);
    diagnostics.filter(|diagnostic| diagnostic.pointer == pointer).map(|diagnostic| diagnostic.message.as_str()).collect()
}

/// There is a warning at the 2.0 pointer, saying `text`.
#[track_caller]
fn assert_warned(document: &Document, pointer: &str, text: &str) {
    let found = warnings_at(document, pointer);
    assert!(found.iter().any(|message| message.contains(text)), "{}: no warning at {pointer:?} saying {text:?}; found {found:?}", name(document));
}

/// There is no warning at any 2.0 pointer starting with one of `prefixes`.
#[track_caller]
fn assert_not_warned(document: &Document, prefixes: &[&str]) {
    for diagnostic in &document.diagnostics {
        let inside = prefixes.iter().any(|prefix| diagnostic.pointer.starts_with(prefix));
        assert!(!inside, "{}: unexpected warning at {}: {}", name(document), diagnostic.pointer, diagnostic.message);
    }
}

/// The parameter (or encoding) at `pointer` has this `style` and `explode`.
#[track_caller]
fn assert_style(document: &Document, pointer: &str, style: &str, explode: bool) {
    assert_converted(document, &[(&format!("{pointer}/style"), json!(style)), (&format!("{pointer}/explode"), json!(explode))]);
}

mod top_level {
    use super::*;

    /// `swagger: "2.0"` (also the numbers `2` and `2.0`) → `openapi: "3.0.3"`.
    #[test]
    fn swagger_2_0_becomes_openapi_3_0_3() {
        // issue-8 writes the version as the number 2.
        assert_eq!(original(&parser("issue-8.json"), "/swagger"), &json!(2));
        for document in [parser("issue-8.json"), parser("issue-31.json")] {
            assert_converted(&document, &[("/openapi", json!("3.0.3"))]);
            assert_absent(&document, &["/swagger"]);
            assert_not_warned(&document, &["/swagger"]);
        }
    }

    /// `info` → `info`, copied with its extensions; missing: a warning and an empty title and
    /// version.
    #[test]
    fn info_is_copied_or_stood_in_for() {
        let document = parser("issue-15.json");
        assert_copied(&document, "/info", "/info");
        assert_converted(&document, &[("/info/contact/x-contact-extension", json!("Support not available on weekends"))]);
        let document = parser("issue-755.yaml");
        assert_converted(&document, &[("/info", json!({"title": "", "version": ""}))]);
        assert_warned(&document, "", "`info` must be an object");
    }

    /// `host` + `basePath` + `schemes` → one server `{scheme}://{host}{basePath}` per scheme,
    /// in order.
    #[test]
    fn host_base_path_and_schemes_give_a_server_for_each_scheme() {
        let document = parser("issue-786.json");
        assert_converted(&document, &[("/servers", json!([{"url": "http://localhost/v1"}, {"url": "https://localhost/v1"}]))]);
        assert_absent(&document, &["/host", "/basePath", "/schemes"]);
        assert_converted(&parser("issue-3.json"), &[("/servers", json!([{"url": "http://petstore.swagger.io/api"}]))]);
    }

    /// `host` + `basePath`, no `schemes` → a network-path reference `//{host}{basePath}`, its
    /// trailing `/` removed.
    #[test]
    fn host_without_schemes_gives_a_network_path_reference() {
        assert_converted(&parser("issue-745.yaml"), &[("/servers", json!([{"url": "//petstore.swagger.io/v2"}]))]);
        assert_converted(&parser("issue-22.json"), &[("/servers", json!([{"url": "//httpbin.org"}]))]);
        // `basePath: /`: the trailing `/` is removed.
        assert_converted(&parser("swagger.json"), &[("/servers", json!([{"url": "//localhost:51552"}]))]);
    }

    /// `basePath`, no `host` → `servers: [{url: basePath}]`, `/` when `basePath` is `/`.
    #[test]
    fn base_path_without_host_gives_a_relative_server() {
        assert_converted(&parser("issue-1113.yaml"), &[("/servers", json!([{"url": "/test"}]))]);
        assert_converted(&parser("issue-1767.yaml"), &[("/servers", json!([{"url": "/"}]))]);
    }

    /// No `host`, no `basePath` → no `servers`.
    #[test]
    fn no_host_and_no_base_path_give_no_servers() {
        assert_absent(&parser("issue-31.json"), &["/servers"]);
        assert_absent(&parser("issue-8.json"), &["/servers"]);
    }

    /// `schemes` without `host` → dropped, with a warning.
    #[test]
    fn schemes_without_host_are_dropped_with_a_warning() {
        for (file, url) in [("issue-1032.yaml", "/"), ("issue-672.json", "/open-banking/v1.1")] {
            let document = parser(file);
            assert_converted(&document, &[("/servers", json!([{"url": url}]))]);
            assert_warned(&document, "/schemes", "`schemes` without `host` has no 3.0 form");
        }
    }

    /// `consumes`, `produces` → not copied; they choose the media types of bodies and
    /// responses.
    #[test]
    fn consumes_and_produces_are_not_copied() {
        let document = parser("issue-1032.yaml");
        assert_absent(&document, &["/consumes", "/produces"]);
        // The operation names no `produces`: the document's `application/json` is used.
        let document = parser("issue-1529.json");
        assert_absent(&document, &["/consumes", "/produces"]);
        assert_eq!(keys(&document, "/paths/~1companies~1/post/responses/201/content"), ["application/json"]);
    }

    /// `tags`, `externalDocs` → copied.
    #[test]
    fn tags_and_external_docs_are_copied() {
        let document = parser("issue-15.json");
        assert_copied(&document, "/tags", "/tags");
        assert_copied(&document, "/externalDocs", "/externalDocs");
        assert_converted(&document, &[("/tags/0/x-tag-extension", json!("fooooo"))]);
        assert_converted(&parser("issue-13.json"), &[("/externalDocs/url", json!("http://docs.example.com"))]);
    }

    /// `security` → `security`.
    #[test]
    fn security_is_copied() {
        let expected = json!([{"BasicAuth": []}, {"APIKeyHeader": [], "APIKeyQueryParam": []}, {"OAuth2Implicit": ["read:pets", "write:pets"]}]);
        assert_converted(&parser("issue-28.json"), &[("/security", expected)]);
        assert_converted(&parser("issue-1767.yaml"), &[("/security", json!([{"api_key": []}]))]);
    }

    /// `definitions` → `components/schemas`.
    #[test]
    fn definitions_become_component_schemas() {
        let document = parser("issue-4.json");
        assert_copied(&document, "/components/schemas/Pet", "/definitions/Pet");
        assert_absent(&document, &["/definitions"]);
    }

    /// `parameters` → `components/parameters`; body parameters → `components/requestBodies`;
    /// form parameters have no component.
    #[test]
    fn parameters_become_component_parameters_and_request_bodies() {
        let document = parser("issue-17.json");
        assert_converted(
            &document,
            &[
                ("/components/parameters/userIdParam", json!({"name": "userId", "in": "path", "required": true, "schema": {"type": "integer"}})),
                ("/components/requestBodies/bodyParam/required", json!(true)),
            ],
        );
        assert_eq!(keys(&document, "/components/parameters"), ["dateRangeParam", "userIdParam"]);
        assert_eq!(keys(&document, "/components/requestBodies"), ["bodyParam"]);
        assert_absent(&document, &["/parameters"]);
        // A body no operation uses is still a component.
        let document = parser("issue-647.yaml");
        assert_converted(
            &document,
            &[("/components/requestBodies/b", json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}))],
        );
    }

    /// `responses` → `components/responses`.
    #[test]
    fn responses_become_component_responses() {
        let document = parser("issue-20.json");
        assert_converted(
            &document,
            &[
                ("/components/responses/200OK", json!({"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}})),
                ("/components/responses/DefaultResponse", json!({"description": "Not OK"})),
            ],
        );
        assert_absent(&document, &["/responses"]);
    }

    /// `securityDefinitions` → `components/securitySchemes`.
    #[test]
    fn security_definitions_become_security_schemes() {
        let document = parser("issue-28.json");
        assert_eq!(keys(&document, "/components/securitySchemes"), ["BasicAuth", "APIKeyHeader", "APIKeyQueryParam", "OAuth2Implicit"]);
        assert_absent(&document, &["/securityDefinitions"]);
    }

    /// `x-…` → kept at the top level.
    #[test]
    fn extensions_are_kept_at_the_top_level() {
        assert_converted(&parser("parameter-conversion.json"), &[("/x-some-extensions", json!("hello"))]);
        let document = parser("issue-15.json");
        assert_copied(&document, "/x-definitions", "/x-definitions");
    }

    /// `paths` missing or not an object → `paths: {}`, with a warning.
    #[test]
    fn missing_or_null_paths_become_empty_paths() {
        let document = parser("issue-662.yaml");
        assert_eq!(original(&document, "/paths"), &Value::Null);
        assert_converted(&document, &[("/paths", json!({}))]);
        assert_warned(&document, "/paths", "`paths` must be an object");
        for file in ["issue-745.yaml", "issue-786.json"] {
            let document = parser(file);
            assert_converted(&document, &[("/paths", json!({}))]);
            assert_warned(&document, "", "the document has no `paths`");
        }
    }
}

mod references {
    use super::*;

    /// `#/definitions/X` → `#/components/schemas/X`.
    #[test]
    fn definition_references_move_to_component_schemas() {
        let document = parser("issue-23.json");
        assert_converted(&document, &[("/components/schemas/MapOfObjects/additionalProperties/$ref", json!("#/components/schemas/Object"))]);
        let document = parser("issue-1796.yaml");
        let schema = "/paths/~1composed/get/responses/200/content/application~1json/schema/$ref";
        assert_converted(&document, &[(schema, json!("#/components/schemas/ComposedModel"))]);
    }

    /// `#/parameters/X` → `#/components/parameters/X`, or a `requestBody` referring to
    /// `#/components/requestBodies/X` for a body; a form field is replaced by the field.
    #[test]
    fn parameter_references_move_to_parameters_or_request_bodies() {
        let document = parser("issue-17.json");
        assert_converted(
            &document,
            &[
                ("/paths/~1report~1{userId}/get/parameters/0", json!({"$ref": "#/components/parameters/userIdParam"})),
                ("/paths/~1report~1{userId}/get/parameters/1", json!({"$ref": "#/components/parameters/dateRangeParam"})),
                ("/paths/~1bodyPost/post/requestBody", json!({"$ref": "#/components/requestBodies/bodyParam"})),
                (
                    "/paths/~1formPost/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/email",
                    json!({"type": "string", "format": "email"}),
                ),
            ],
        );
        assert_absent(&document, &["/paths/~1bodyPost/post/parameters", "/paths/~1formPost/post/parameters"]);
        let document = parser("issue-765.yaml");
        let operation = "/paths/~1ping~1{ActivityTypePath}/post";
        assert_converted(
            &document,
            &[
                (&format!("{operation}/parameters"), json!([{"$ref": "#/components/parameters/ActivityTypePath"}])),
                (&format!("{operation}/requestBody"), json!({"$ref": "#/components/requestBodies/Block"})),
            ],
        );
    }

    /// `#/responses/X` → `#/components/responses/X`.
    #[test]
    fn response_references_move_to_component_responses() {
        let document = parser("issue-20.json");
        assert_converted(
            &document,
            &[
                ("/paths/~1something/get/responses/200/$ref", json!("#/components/responses/200OK")),
                ("/paths/~1something/get/responses/default/$ref", json!("#/components/responses/DefaultResponse")),
            ],
        );
    }
}

mod paths {
    use super::*;

    /// Path item `$ref` → kept (a reference to `#/paths/…` is not one to rewrite).
    #[test]
    fn path_item_references_are_kept() {
        let document = parser("issue-25.json");
        assert_converted(&document, &[("/paths/~1foo2", json!({"$ref": "#/paths/~1foo"}))]);
        assert_not_warned(&document, &["/paths"]);
    }

    /// Path item `parameters` → path item `parameters`.
    #[test]
    fn path_item_parameters_stay_on_the_path_item() {
        let document = kubernetes();
        let item = "/paths/~1api~1v1~1namespaces~1{namespace}~1configmaps~1{name}";
        let name = json!({"name": "name", "in": "path", "description": "name of the ConfigMap", "required": true, "schema": {"type": "string", "uniqueItems": true}});
        assert_converted(
            document,
            &[(
                &format!("{item}/parameters"),
                json!([name, {"$ref": "#/components/parameters/namespace-vgWSWtn3"}, {"$ref": "#/components/parameters/pretty-tJGM1-ng"}]),
            )],
        );
        // Not repeated in the operations.
        assert_absent(document, &[&format!("{item}/get/parameters")]);
    }

    /// Operation `tags`, `summary`, `description`, `operationId`, `deprecated`,
    /// `externalDocs`, `security`, `x-…` → copied.
    #[test]
    fn operation_fields_are_copied() {
        let document = parser("issue-1767.yaml");
        let operation = "/paths/~1api~1not-secured/get";
        for field in ["tags", "summary", "operationId", "security"] {
            let pointer = format!("{operation}/{field}");
            assert_copied(&document, &pointer, &pointer);
        }
        assert_converted(&document, &[(&format!("{operation}/security"), json!([]))]);
        let document = parser("issue-18.json");
        assert_copied(&document, "/paths/~1pets/get/externalDocs", "/paths/~1pets/get/externalDocs");
        let document = parser("swagger.json");
        assert_converted(&document, &[("/paths/~1foobar/get/deprecated", json!(false))]);
        let document = parser("issue-15.json");
        assert_converted(&document, &[("/paths/~1something/get/x-version", json!(1.1))]);
        let document = parser("issue-2.json");
        assert_converted(&document, &[("/paths/~1api~1batch~1/get/description", json!("Returns a list of available resources."))]);
    }

    /// Operation `consumes` → not copied; it chooses the request body's media types over the
    /// document's.
    #[test]
    fn operation_consumes_chooses_the_request_body_media_types() {
        let document = parser("issue-15.json");
        assert_eq!(keys(&document, "/paths/~1post/post/requestBody/content"), ["application/json", "application/xml"]);
        assert_absent(&document, &["/paths/~1post/post/consumes"]);
        // The document consumes `application/json`, the operation `multipart/form-data`.
        let document = parser("issue-1529.json");
        assert_eq!(keys(&document, "/paths/~1companies~1/post/requestBody/content"), ["multipart/form-data"]);
    }

    /// Operation `produces` → not copied; it chooses the responses' media types.
    #[test]
    fn operation_produces_chooses_the_response_media_types() {
        let document = parser("issue-21.json");
        assert_eq!(keys(&document, "/paths/~1file/get/responses/200/content"), ["application/pdf"]);
        assert_absent(&document, &["/paths/~1file/get/produces"]);
        let document = parser("issue-33.json");
        let content = keys(&document, "/paths/~1users/get/responses/200/content");
        assert_eq!(content[..2], ["application/json", "text/csv"]);
    }

    /// Operation `schemes` that differ from the document's → operation `servers`; without a
    /// `host` they are dropped, with one warning that counts the other operations.
    #[test]
    fn operation_schemes_without_host_are_dropped_with_one_warning() {
        let document = kubernetes();
        let written = document.original.as_ref().unwrap();
        let with_schemes = written["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().iter())
            .filter(|(method, operation)| *method != "parameters" && operation.get("schemes").is_some())
            .count();
        assert!(with_schemes > 1000, "{with_schemes}");
        let first = "/paths/~1.well-known~1openid-configuration~1/get";
        assert_warned(document, &format!("{first}/schemes"), &format!("(here and in {} other operations)", with_schemes - 1));
        let count = document.diagnostics.iter().filter(|diagnostic| diagnostic.message.contains("own `schemes`")).count();
        assert_eq!(count, 1);
        assert_absent(document, &[&format!("{first}/servers"), &format!("{first}/schemes"), "/servers"]);
        // Schemes the same as the document's need no servers of their own.
        let document = parser("issue-2.json");
        assert_absent(&document, &["/paths/~1api~1batch~1/get/servers", "/paths/~1api~1batch~1/get/schemes"]);
        assert_not_warned(&document, &["/paths"]);
    }

    /// Operation without `responses` → `responses: {}`, with a warning.
    #[test]
    fn operations_without_responses_get_empty_responses() {
        let document = parser("issue-673.yaml");
        for path in ["~1integer", "~1array", "~1string"] {
            assert_converted(&document, &[(&format!("/paths/{path}/post/responses"), json!({}))]);
            assert_warned(&document, &format!("/paths/{path}/post"), "must have `responses`");
        }
    }
}

mod parameters {
    use super::*;

    /// `in: query`, `path`, `header` → a parameter with a `schema` built from the type fields.
    #[test]
    fn query_path_and_header_parameters_get_a_schema() {
        let document = parser("issue-6.json");
        let limit = json!({
            "name": "limit", "in": "query", "description": "number of pets to return",
            "schema": {"type": "integer", "default": 11, "minimum": 11, "maximum": 10000}
        });
        assert_converted(&document, &[("/paths/~1pets/get/parameters/0", limit)]);
        let document = parser("swagger.json");
        let bar = json!({
            "name": "bar", "in": "query", "required": false,
            "schema": {"type": "integer", "maximum": 4.0, "exclusiveMaximum": false, "minimum": 3.0, "exclusiveMinimum": false, "format": "int32"}
        });
        assert_converted(
            &document,
            &[("/paths/~1foobar/get/parameters/0", bar), ("/paths/~1foobar/get/parameters/2/schema", json!({"type": "string", "pattern": "foo"}))],
        );
        let document = parser("issue-676.json");
        assert_converted(
            &document,
            &[
                ("/paths/~1{foo}/get/parameters/0/schema", json!({"type": "integer", "enum": [1, -2]})),
                ("/paths/~1{foo}/get/parameters/2/schema", json!({"type": "boolean", "enum": [true, false]})),
            ],
        );
        let document = parser("issue-36.json");
        assert_converted(
            &document,
            &[
                ("/paths/~1{foo}/get/parameters/0/in", json!("path")),
                ("/paths/~1{foo}/get/parameters/2/schema", json!({"type": "string", "format": "uuid"})),
            ],
        );
    }

    /// A path parameter without `required: true` → `required: true`, with a warning.
    #[test]
    fn path_parameters_are_made_required() {
        let document = parser("parameter-conversion.json");
        assert_eq!(original(&document, "/paths/~1{foo}/get/parameters/3").get("required"), None);
        assert_converted(&document, &[("/paths/~1{foo}/get/parameters/3/required", json!(true))]);
        assert_warned(&document, "/paths/~1{foo}/get/parameters/3", "a path parameter is always required");
    }

    /// No `type` → a schema without `type`, with a warning.
    #[test]
    fn parameters_without_type_allow_any_value() {
        let document = parser("issue-758.json");
        assert_converted(&document, &[("/paths/~1echo/post/parameters/0/schema", json!({"enum": ["forks", "stars", "updated"]}))]);
        assert_warned(&document, "/paths/~1echo/post/parameters/0", "no `type`");
    }

    /// `x-example` → `example`.
    #[test]
    fn x_example_becomes_example() {
        let document = parser("issue-36.json");
        let parameters = "/paths/~1{foo}/get/parameters";
        assert_converted(
            &document,
            &[
                (&format!("{parameters}/0/example"), json!("foooooo")),
                (&format!("{parameters}/1/example"), json!(20)),
                (&format!("{parameters}/2/example"), json!("2866bbb7-ba38-4da3-b6b6-25d1ec6c161f")),
            ],
        );
        assert_absent(&document, &[&format!("{parameters}/0/x-example"), &format!("{parameters}/1/x-example")]);
        assert_converted(&parser("issue-14.json"), &[("/paths/~1pets/get/parameters/0/example", json!("value"))]);
    }

    /// `x-nullable` → `nullable` in the schema.
    #[test]
    fn x_nullable_goes_to_the_schema() {
        let document = parser("issue-35.json");
        let parameters = "/paths/~1{foo}/get/parameters";
        assert_converted(
            &document,
            &[
                (&format!("{parameters}/0/schema"), json!({"type": "string", "nullable": true})),
                (&format!("{parameters}/1/schema"), json!({"type": "integer", "nullable": false})),
                (&format!("{parameters}/2/schema"), json!({"type": "string", "format": "uuid", "nullable": true})),
            ],
        );
        assert_absent(&document, &[&format!("{parameters}/0/x-nullable"), &format!("{parameters}/1/x-nullable")]);
    }

    /// Any other field → left out, with a warning (here `examples` on a body parameter).
    #[test]
    fn other_fields_are_left_out_with_a_warning() {
        let document = parser("issue-540.json");
        assert_eq!(keys(&document, "/paths/~1example/post/requestBody"), ["content", "required"]);
        assert_eq!(keys(&document, "/paths/~1example/post/requestBody/content/application~1json"), ["schema"]);
        assert_warned(&document, "/paths/~1example/post/parameters/0/examples", "`examples` is not a 2.0 body parameter field; left out");
    }
}

/// `collectionFormat` to `style` and `explode` (simple_types.rs), on parameters.
mod collection_format {
    use super::*;

    /// On a query array: `csv` or absent → `form`, `explode: false`; `ssv` →
    /// `spaceDelimited`; `pipes` → `pipeDelimited`; `multi` → `form`, `explode: true`; `tsv` →
    /// `form`, `explode: false` with a warning.
    #[test]
    fn query_arrays() {
        let document = parser("issue-30.json");
        for (path, style, explode) in [
            ("csv_omitted~1{ids}", "form", false),
            ("csv_explicit~1{ids}", "form", false),
            ("ssv~1{ids}", "spaceDelimited", false),
            ("pipes~1{ids}", "pipeDelimited", false),
            ("tsv~1{ids}", "form", false),
        ] {
            assert_style(&document, &format!("/paths/~1{path}/get/parameters/1"), style, explode);
        }
        assert_style(&document, "/paths/~1multi/get/parameters/0", "form", true);
        assert_warned(&document, "/paths/~1tsv~1{ids}/get/parameters/1/collectionFormat", "tab-separated values (`tsv`) have no 3.0 style");
        assert_eq!(warnings_at(&document, "/paths/~1ssv~1{ids}/get/parameters/1/collectionFormat"), Vec::<&str>::new());
        assert_eq!(warnings_at(&document, "/paths/~1pipes~1{ids}/get/parameters/1/collectionFormat"), Vec::<&str>::new());
        let document = parser("parameter-conversion.json");
        assert_style(&document, "/paths/~1{foo}/get/parameters/0", "form", false);
        assert_style(&document, "/paths/~1{foo}/get/parameters/1", "form", true);
    }

    /// On a path or header array → `style: simple`, `explode: false`; `ssv`, `pipes` and
    /// `tsv` have no 3.0 form there: a warning, and comma-separated.
    #[test]
    fn path_and_header_arrays() {
        let document = parser("issue-30.json");
        for path in ["csv_omitted", "csv_explicit", "ssv", "tsv", "pipes"] {
            for index in [0, 2] {
                let parameter = format!("/paths/~1{path}~1{{ids}}/get/parameters/{index}");
                assert_style(&document, &parameter, "simple", false);
                let warnings = warnings_at(&document, &format!("{parameter}/collectionFormat"));
                if path.starts_with("csv") {
                    assert_eq!(warnings, Vec::<&str>::new(), "{parameter}");
                } else {
                    let location = if index == 0 { "path" } else { "header" };
                    assert_warned(&document, &format!("{parameter}/collectionFormat"), &format!("`{path}` has no 3.0 style in a {location}"));
                }
            }
        }
        let document = parser("parameter-conversion.json");
        assert_style(&document, "/paths/~1{foo}/get/parameters/2", "simple", false);
        assert_style(&document, "/paths/~1{foo}/get/parameters/3", "simple", false);
    }
}

mod request_bodies {
    use super::*;

    /// `in: body` → `requestBody` with `content` for each consumed type (else the
    /// document's, else `application/json`), `description`, `required` and `x-…` kept, `name`
    /// dropped; without a `schema`, a warning and a schema that allows any value.
    #[test]
    fn body_parameters_become_the_request_body() {
        let document = parser("issue-1715.yaml");
        let body = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/SomeObj"}}}, "required": true, "x-foo": "bar"});
        assert_converted(&document, &[("/paths/~1foo/post/requestBody", body)]);
        assert_absent(&document, &["/paths/~1foo/post/parameters"]);
        let document = parser("issue-762.json");
        assert_converted(&document, &[("/paths/~1/put/requestBody/description", json!("The pet JSON you want to post"))]);
        let document = parser("issue-756.json");
        let any = json!({"schema": {}});
        assert_converted(
            &document,
            &[
                ("/paths/~1echo/post/requestBody/content", json!({"application/json": any, "application/xml": any})),
                ("/paths/~1echo/post/requestBody/required", json!(false)),
            ],
        );
        assert_warned(&document, "/paths/~1echo/post/parameters/0", "a body parameter needs a `schema`");
    }

    /// `in: formData` → one object schema: a property for each field, `required` listing the
    /// required ones, and the body required when any field is.
    #[test]
    fn form_parameters_become_an_object_schema() {
        let document = parser("issue-820.yaml");
        let schema = "/paths/~1issue820/post/requestBody/content/application~1x-www-form-urlencoded/schema";
        assert_converted(
            &document,
            &[
                (&format!("{schema}/type"), json!("object")),
                (&format!("{schema}/properties/foo"), json!({"type": "string", "description": "some foo param", "x-ext": "some foo"})),
                (
                    &format!("{schema}/properties/bar"),
                    json!({"type": "integer", "nullable": true, "description": "some bar param", "x-ext": "some bar"}),
                ),
                (&format!("{schema}/required"), json!(["bar", "baz"])),
                ("/paths/~1issue820/post/requestBody/required", json!(true)),
            ],
        );
        let document = parser("issue-600.json");
        let schema = "/paths/~1login/post/requestBody/content/application~1x-www-form-urlencoded/schema";
        assert_converted(
            &document,
            &[
                (&format!("{schema}/properties/email"), json!({"type": "string", "example": "bob@example.com"})),
                (&format!("{schema}/properties/password"), json!({"type": "string", "format": "password", "example": "p@55w0rd"})),
            ],
        );
        // No field is required, so neither is the body.
        let document = parser("issue-597.json");
        assert_eq!(keys(&document, "/paths/~1{foo}/get/requestBody"), ["content"]);
    }

    /// Form media types: `multipart/form-data` with a file field; otherwise the form types
    /// `consumes` lists; otherwise `application/x-www-form-urlencoded`.
    #[test]
    fn form_media_types() {
        assert_eq!(keys(&parser("issue-1529.json"), "/paths/~1companies~1/post/requestBody/content"), ["multipart/form-data"]);
        assert_eq!(keys(&parser("petstore.json"), "/paths/~1pet~1{petId}~1uploadImage/post/requestBody/content"), ["multipart/form-data"]);
        assert_eq!(keys(&parser("issue-36.json"), "/paths/~1login/post/requestBody/content"), ["application/x-www-form-urlencoded"]);
        // Nothing says what the form is sent as.
        let document = parser("issue-1164.yaml");
        assert_eq!(keys(&document, "/paths/~1foo/get/requestBody/content"), ["application/x-www-form-urlencoded"]);
        assert_not_warned(&document, &["/paths"]);
    }

    /// A `type: file` field → `type: string, format: binary`.
    #[test]
    fn file_fields_become_binary_strings() {
        let document = parser("issue-1529.json");
        let properties = "/paths/~1companies~1/post/requestBody/content/multipart~1form-data/schema/properties";
        assert_converted(
            &document,
            &[
                (&format!("{properties}/profile_image/type"), json!("string")),
                (&format!("{properties}/profile_image/format"), json!("binary")),
                (&format!("{properties}/logo/format"), json!("binary")),
            ],
        );
        let document = parser("petstore.yaml");
        let file = "/paths/~1pet~1{petId}~1uploadImage/post/requestBody/content/multipart~1form-data/schema/properties/file";
        assert_converted(&document, &[(file, json!({"type": "string", "format": "binary", "description": "file to upload"}))]);
    }

    /// An urlencoded array field's `collectionFormat` → `encoding: {field: {style, explode}}`,
    /// mapped as for query parameters.
    #[test]
    fn urlencoded_array_fields_get_an_encoding() {
        let document = parser("issue-34.json");
        for (path, style, explode) in [
            ("default", "form", false),
            ("csv", "form", false),
            ("ssv", "spaceDelimited", false),
            ("tsv", "form", false),
            ("pipes", "pipeDelimited", false),
            ("multi", "form", true),
        ] {
            let encoding = format!("/paths/~1order~1pizza~1{path}/post/requestBody/content/application~1x-www-form-urlencoded/encoding/toppings");
            assert_style(&document, &encoding, style, explode);
        }
        assert_warned(&document, "/paths/~1order~1pizza~1tsv/post/parameters/0/collectionFormat", "`tsv`");
        let document = parser("issue-19.json");
        assert_style(&document, "/paths/~1post/post/requestBody/content/application~1x-www-form-urlencoded/encoding/ids", "form", false);
    }

    /// A shared body → `components/requestBodies/X` with the document's media types; an
    /// operation gets `requestBody: {$ref}`, or a copy with its own types when it consumes
    /// others.
    #[test]
    fn shared_bodies_become_request_body_components() {
        let document = parser("issue-17.json");
        let body =
            json!({"content": {"application/json": {"schema": original(&document, "/parameters/bodyParam/schema").clone()}}, "required": true});
        assert_converted(
            &document,
            &[
                ("/components/requestBodies/bodyParam", body),
                ("/paths/~1bodyPost/post/requestBody", json!({"$ref": "#/components/requestBodies/bodyParam"})),
            ],
        );
        // Kubernetes' patch body: the document consumes nothing (so `application/json`), each
        // patch operation its five patch types.
        let document = kubernetes();
        let patch = json!({"schema": {"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"}});
        assert_converted(document, &[("/components/requestBodies/body-78PwaGsr", json!({"content": {"application/json": patch}, "required": true}))]);
        let operation = "/paths/~1api~1v1~1namespaces~1{namespace}~1configmaps~1{name}/patch";
        let consumed = original(document, &format!("{operation}/consumes")).as_array().unwrap();
        let content: serde_json::Map<String, Value> = consumed.iter().map(|media| (media.as_str().unwrap().to_string(), patch.clone())).collect();
        assert_eq!(content.len(), 5);
        assert_converted(document, &[(&format!("{operation}/requestBody"), json!({"content": content, "required": true}))]);
    }

    /// A shared form field → merged into each referencing operation's form.
    #[test]
    fn shared_form_fields_are_merged_into_operations() {
        let document = parser("issue-17.json");
        let schema = json!({
            "type": "object",
            "properties": {"email": {"type": "string", "format": "email"}, "password": {"type": "string", "format": "password"}},
            "required": ["email", "password"]
        });
        let body = json!({"content": {"application/x-www-form-urlencoded": {"schema": schema}}, "required": true});
        assert_converted(&document, &[("/paths/~1formPost/post/requestBody", body)]);
        assert_not_warned(&document, &["/parameters"]);
    }
}

mod responses {
    use super::*;

    /// `schema` → `content: {T: {schema}}` for each produced type; no `schema`, no `content`.
    #[test]
    fn schemas_go_under_each_produced_type() {
        let document = parser("issue-4.json");
        let schema = json!({"type": "array", "items": {"$ref": "#/components/schemas/Pet"}});
        assert_converted(&document, &[("/paths/~1pets/get/responses/200/content", json!({"application/json": {"schema": schema}}))]);
        let document = parser("issue-33.json");
        let content = "/paths/~1users/get/responses/200/content";
        assert_converted(
            &document,
            &[(&format!("{content}/text~1csv/schema"), json!({"type": "array", "items": {"$ref": "#/components/schemas/User"}}))],
        );
        assert_converted(&parser("issue-18.json"), &[("/paths/~1pets/get/responses/200", json!({"description": "OK"}))]);
    }

    /// `examples: {T: value}` → `content[T].example`; a type only an example names gets its
    /// own entry, with the response's schema.
    #[test]
    fn examples_become_the_example_of_each_type() {
        let document = parser("issue-33.json");
        let content = "/paths/~1users/get/responses/200/content";
        let examples = "/paths/~1users/get/responses/200/examples";
        assert_copied(&document, &format!("{content}/application~1json/example"), &format!("{examples}/application~1json"));
        assert_converted(&document, &[(&format!("{content}/text~1csv/example"), json!("5,Ford Prefect,5\n17,Slartibartfast\n"))]);
        // `produces` does not list application/yaml.
        let yaml =
            json!({"schema": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}, "example": {"foo": "bar", "random": "example"}});
        assert_converted(&document, &[(&format!("{content}/application~1yaml"), yaml)]);
        let document = parser("issue-540.json");
        assert_converted(
            &document,
            &[("/paths/~1example/post/responses/200/content", json!({"application/json": {"example": {"str": "123", "num": 456}}}))],
        );
    }

    /// `headers` → header objects with `description`, a `schema`, `x-example` as `example`.
    #[test]
    fn headers_get_a_schema() {
        let document = parser("issue-15.json");
        assert_converted(
            &document,
            &[("/paths/~1something/get/responses/200/headers/X-Rate-Limit", json!({"schema": {"type": "integer"}, "example": 200}))],
        );
        let document = parser("issue-672.json");
        let retry = json!({"description": "Number in seconds to wait", "schema": {"type": "integer"}});
        assert_converted(&document, &[("/components/responses/429ErrorResponse/headers/Retry-After", retry)]);
        let header = "/paths/~1payments/post/responses/201/headers/x-jws-signature";
        assert_converted(&document, &[(&format!("{header}/schema"), json!({"type": "string"}))]);
        assert_copied(&document, &format!("{header}/description"), &format!("{header}/description"));
    }

    /// No `description` → `description: ""`, with a warning.
    #[test]
    fn responses_without_description_get_an_empty_one() {
        let document = parser("issue-756.json");
        assert_converted(&document, &[("/paths/~1echo/post/responses/200/description", json!(""))]);
        assert_warned(&document, "/paths/~1echo/post/responses/200", "a response needs a `description`");
    }

    /// `$ref: '#/responses/X'` → `$ref: '#/components/responses/X'` where the operation
    /// produces the document's types.
    #[test]
    fn shared_responses_are_referenced() {
        let document = parser("issue-2269.yaml");
        for path in ["~1endpoint1", "~1endpoint2"] {
            assert_converted(&document, &[(&format!("/paths/{path}/get/responses/200"), json!({"$ref": "#/components/responses/SharedResponse"}))]);
        }
        assert_eq!(keys(&document, "/components/responses/SharedResponse/content"), ["application/json"]);
        // The operation produces `application/json`, as the document does by default.
        let document = parser("issue-20.json");
        assert_converted(&document, &[("/paths/~1something/get/responses/200", json!({"$ref": "#/components/responses/200OK"}))]);
    }

    /// Status keys: `default`, three-digit codes and `x-…` kept.
    #[test]
    fn status_keys_are_kept() {
        assert_eq!(keys(&parser("swagger.json"), "/paths/~1foobar/get/responses"), ["200", "401", "403", "404"]);
        assert_eq!(keys(&parser("issue-20.json"), "/paths/~1something/get/responses"), ["200", "default"]);
        let document = parser("issue-15.json");
        assert_converted(&document, &[("/paths/~1something/get/responses/x-responses-extension", json!("hello"))]);
    }
}

mod schemas {
    use super::*;

    /// `x-nullable: true/false` → `nullable: true/false`, at every depth.
    #[test]
    fn x_nullable_becomes_nullable_at_every_depth() {
        let document = parser("issue-15.json");
        assert_converted(
            &document,
            &[
                ("/components/schemas/String", json!({"type": "string", "nullable": true})),
                ("/components/schemas/ArrayOfInt", json!({"nullable": true, "type": "array", "items": {"type": "integer", "nullable": true}})),
            ],
        );
        let document = parser("issue-35.json");
        assert_converted(&document, &[("/components/schemas/User/properties/id", json!({"type": "integer", "readOnly": true, "nullable": true}))]);
        let document = parser("issue-2269.yaml");
        let properties = "/components/responses/SharedResponse/content/application~1json/schema/properties";
        assert_converted(
            &document,
            &[
                (&format!("{properties}/nullable_field"), json!({"type": "integer", "nullable": true, "x-internal-note": "abc"})),
                (&format!("{properties}/non_nullable_field"), json!({"type": "integer", "nullable": false, "x-internal-note": "def"})),
            ],
        );
    }

    /// `discriminator: "prop"` → `discriminator: {propertyName: prop}`.
    #[test]
    fn discriminator_names_become_objects() {
        assert_converted(&parser("issue-27.json"), &[("/components/schemas/Pet/discriminator", json!({"propertyName": "petType"}))]);
        assert_converted(&parser("issue-740.yaml"), &[("/components/schemas/Action/allOf/1/discriminator", json!({"propertyName": "action_type"}))]);
    }

    /// `type: file` (here a response's `schema: {type: file}`) → `type: string, format:
    /// binary`.
    #[test]
    fn file_schemas_become_binary_strings() {
        let document = parser("issue-21.json");
        assert_converted(
            &document,
            &[("/paths/~1file/get/responses/200/content/application~1pdf/schema", json!({"type": "string", "format": "binary"}))],
        );
    }

    /// `type: array` without `items` → `items: {}`, without a warning.
    #[test]
    fn arrays_without_items_get_any_items() {
        let document = parser("issue-762.json");
        assert_converted(&document, &[("/components/schemas/Pet/properties/name", json!({"type": "array", "items": {}}))]);
        assert_not_warned(&document, &["/definitions"]);
    }

    /// `$ref` → rewritten.
    #[test]
    fn references_are_rewritten() {
        let document = parser("issue-1261.yaml");
        assert_converted(&document, &[("/components/schemas/Bar/properties/bar1/$ref", json!("#/components/schemas/Foo"))]);
        let document = parser("issue-740.yaml");
        assert_converted(&document, &[("/components/schemas/Action/allOf/1/properties/action_type/$ref", json!("#/components/schemas/ActionType"))]);
    }

    /// `properties`, `additionalProperties`, `items`, `allOf` → converted recursively.
    #[test]
    fn subschemas_are_converted_recursively() {
        let document = parser("issue-1261.yaml");
        assert_converted(&document, &[("/components/schemas/Bar/properties/bar2/allOf/0/$ref", json!("#/components/schemas/Foo"))]);
        let document = parser("issue-23.json");
        assert_converted(&document, &[("/components/schemas/MapOfObjects/additionalProperties/$ref", json!("#/components/schemas/Object"))]);
        let document = parser("issue-32.json");
        assert_converted(&document, &[("/components/schemas/ArrayOfUsers/items/$ref", json!("#/components/schemas/User"))]);
        let document = parser("issue-26.json");
        assert_converted(&document, &[("/components/schemas/ExtendedErrorModel/allOf/0/$ref", json!("#/components/schemas/ErrorModel"))]);
        assert_copied(&document, "/components/schemas/ExtendedErrorModel/allOf/1", "/definitions/ExtendedErrorModel/allOf/1");
    }

    /// Everything else (`title`, `format`, `enum`, `readOnly`, `xml`, `example`, `x-…`, …) →
    /// kept.
    #[test]
    fn other_keywords_are_kept() {
        let document = parser("issue-32.json");
        assert_copied(&document, "/components/schemas/User", "/definitions/User");
        let document = parser("issue-1359.yaml");
        assert_copied(&document, "/components/schemas/Pet/xml", "/definitions/Pet/xml");
        assert_copied(&document, "/components/schemas/Pet/properties/status", "/definitions/Pet/properties/status");
        let document = parser("issue-740.yaml");
        assert_copied(&document, "/components/schemas/ActionType", "/definitions/ActionType");
        assert_converted(&document, &[("/components/schemas/ActionType/x-swagger-router-model", json!("ActionTypeDto"))]);
        assert_copied(&document, "/components/schemas/Entity", "/definitions/Entity");
    }
}

mod security {
    use super::*;

    /// `type: basic` → `type: http, scheme: basic`.
    #[test]
    fn basic_becomes_http_basic() {
        assert_converted(&parser("issue-28.json"), &[("/components/securitySchemes/BasicAuth", json!({"type": "http", "scheme": "basic"}))]);
    }

    /// `type: apiKey` with `name` and `in` → kept.
    #[test]
    fn api_keys_are_kept() {
        let document = parser("issue-28.json");
        assert_copied(&document, "/components/securitySchemes/APIKeyHeader", "/securityDefinitions/APIKeyHeader");
        assert_copied(&document, "/components/securitySchemes/APIKeyQueryParam", "/securityDefinitions/APIKeyQueryParam");
        let document = parser("issue-1767.yaml");
        assert_converted(&document, &[("/components/securitySchemes/api_key", json!({"type": "apiKey", "name": "Authorization", "in": "header"}))]);
    }

    /// `type: oauth2, flow: implicit` → `flows: {implicit: {authorizationUrl, scopes}}`.
    #[test]
    fn implicit_flows() {
        let document = parser("petstore.json");
        let implicit = json!({
            "authorizationUrl": "http://petstore.swagger.io/oauth/dialog",
            "scopes": {"write:pets": "modify pets in your account", "read:pets": "read your pets"}
        });
        assert_converted(&document, &[("/components/securitySchemes/petstore_auth", json!({"type": "oauth2", "flows": {"implicit": implicit}}))]);
        let document = parser("issue-28.json");
        assert_copied(&document, "/components/securitySchemes/OAuth2Implicit/flows/implicit/scopes", "/securityDefinitions/OAuth2Implicit/scopes");
    }

    /// `flow: application` → `flows: {clientCredentials: {tokenUrl, scopes}}`.
    #[test]
    fn application_flows_become_client_credentials() {
        let document = parser("issue-672.json");
        let flow = json!({"tokenUrl": "https://authserver.example/token", "scopes": {"payments": "Generic payment scope"}});
        assert_converted(&document, &[("/components/securitySchemes/TPPOAuth2Security/flows", json!({"clientCredentials": flow}))]);
    }

    /// `flow: accessCode` → `flows: {authorizationCode: {authorizationUrl, tokenUrl, scopes}}`.
    #[test]
    fn access_code_flows_become_authorization_code() {
        let document = parser("issue-672.json");
        let flow = json!({
            "authorizationUrl": "https://authserver.example/authorization",
            "tokenUrl": "https://authserver.example/token",
            "scopes": {"payments": "Generic payment scope"}
        });
        assert_converted(&document, &[("/components/securitySchemes/PSUOAuth2Security/flows", json!({"authorizationCode": flow}))]);
    }

    /// `x-…` in `scopes` → on the flow object, not a scope.
    #[test]
    fn scope_extensions_go_on_the_flow() {
        let document = parser("issue-15.json");
        let flow = "/components/securitySchemes/OAuth2Implicit/flows/implicit";
        assert_converted(
            &document,
            &[
                (&format!("{flow}/x-scope-extension"), json!("hello")),
                (&format!("{flow}/scopes"), json!({"write:pets": "modify pets in your account", "read:pets": "read your pets"})),
            ],
        );
    }

    /// A missing `flow` → the scheme is left out, with a warning.
    #[test]
    fn schemes_without_a_flow_are_left_out() {
        let document = parser("issue-786.json");
        assert_absent(&document, &["/components/securitySchemes/petstoreImplicit"]);
        assert_warned(&document, "/securityDefinitions/petstoreImplicit", "the scheme needs `flow`");
    }

    /// `description`, `x-…` → kept.
    #[test]
    fn descriptions_and_extensions_are_kept() {
        let document = parser("issue-15.json");
        assert_converted(
            &document,
            &[
                ("/components/securitySchemes/BasicAuth/description", json!("Basic authentication using login and password")),
                ("/components/securitySchemes/OAuth2Implicit/x-auth-extension", json!("hello")),
            ],
        );
        let document = parser("issue-672.json");
        assert_copied(&document, "/components/securitySchemes/TPPOAuth2Security/description", "/securityDefinitions/TPPOAuth2Security/description");
    }
}

/// The rule rows (section, the row's 2.0 cell) of docs/swagger2.md that a corpus document
/// exercises, with the test here that checks each.
const CORPUS_ROWS: &[(&str, &str, &str)] = &[
    ("Top level", "`swagger: \"2.0\"` (also the numbers `2` and `2.0`)", "top_level::swagger_2_0_becomes_openapi_3_0_3"),
    ("Top level", "`info`", "top_level::info_is_copied_or_stood_in_for"),
    ("Top level", "`host` + `basePath` + `schemes`", "top_level::host_base_path_and_schemes_give_a_server_for_each_scheme"),
    ("Top level", "`host` + `basePath`, no `schemes`", "top_level::host_without_schemes_gives_a_network_path_reference"),
    ("Top level", "`basePath`, no `host`", "top_level::base_path_without_host_gives_a_relative_server"),
    ("Top level", "no `host`, no `basePath`", "top_level::no_host_and_no_base_path_give_no_servers"),
    ("Top level", "`schemes` without `host`", "top_level::schemes_without_host_are_dropped_with_a_warning"),
    ("Top level", "`consumes`, `produces`", "top_level::consumes_and_produces_are_not_copied"),
    ("Top level", "`tags`, `externalDocs`", "top_level::tags_and_external_docs_are_copied"),
    ("Top level", "`security`", "top_level::security_is_copied"),
    ("Top level", "`definitions`", "top_level::definitions_become_component_schemas"),
    ("Top level", "`parameters`", "top_level::parameters_become_component_parameters_and_request_bodies"),
    ("Top level", "`responses`", "top_level::responses_become_component_responses"),
    ("Top level", "`securityDefinitions`", "top_level::security_definitions_become_security_schemes"),
    ("Top level", "`x-…`", "top_level::extensions_are_kept_at_the_top_level"),
    ("Top level", "`paths` missing or not an object", "top_level::missing_or_null_paths_become_empty_paths"),
    ("References", "`#/definitions/X`", "references::definition_references_move_to_component_schemas"),
    ("References", "`#/parameters/X`", "references::parameter_references_move_to_parameters_or_request_bodies"),
    ("References", "`#/responses/X`", "references::response_references_move_to_component_responses"),
    ("References", "any other reference (a whole file, `#/paths/…`)", "paths::path_item_references_are_kept"),
    ("Paths and operations", "path item `$ref`", "paths::path_item_references_are_kept"),
    ("Paths and operations", "path item `parameters`", "paths::path_item_parameters_stay_on_the_path_item"),
    (
        "Paths and operations",
        "operation `tags`, `summary`, `description`, `operationId`, `deprecated`, `externalDocs`, `security`, `x-…`",
        "paths::operation_fields_are_copied",
    ),
    ("Paths and operations", "operation `consumes`", "paths::operation_consumes_chooses_the_request_body_media_types"),
    ("Paths and operations", "operation `produces`", "paths::operation_produces_chooses_the_response_media_types"),
    (
        "Paths and operations",
        "operation `schemes` that differ from the document's",
        "paths::operation_schemes_without_host_are_dropped_with_one_warning",
    ),
    ("Paths and operations", "operation without `responses`", "paths::operations_without_responses_get_empty_responses"),
    ("Parameters", "`in: query`, `path`, `header`", "parameters::query_path_and_header_parameters_get_a_schema"),
    ("Parameters", "path parameter without `required: true`", "parameters::path_parameters_are_made_required"),
    ("Parameters", "no `type`", "parameters::parameters_without_type_allow_any_value"),
    ("Parameters", "`collectionFormat` on a query array: `csv` or absent, `ssv`, `pipes`, `multi`, `tsv`", "collection_format::query_arrays"),
    ("Parameters", "`collectionFormat` on a path or header array", "collection_format::path_and_header_arrays"),
    ("Parameters", "`x-example`", "parameters::x_example_becomes_example"),
    ("Parameters", "`x-nullable`", "parameters::x_nullable_goes_to_the_schema"),
    ("Parameters", "any other field", "parameters::other_fields_are_left_out_with_a_warning"),
    ("Request bodies", "`in: body`", "request_bodies::body_parameters_become_the_request_body"),
    ("Request bodies", "`in: formData`", "request_bodies::form_parameters_become_an_object_schema"),
    ("Request bodies", "form media types", "request_bodies::form_media_types"),
    ("Request bodies", "`type: file` field", "request_bodies::file_fields_become_binary_strings"),
    ("Request bodies", "array field `collectionFormat` (urlencoded)", "request_bodies::urlencoded_array_fields_get_an_encoding"),
    ("Request bodies", "a shared body (`#/parameters/X`, `in: body`)", "request_bodies::shared_bodies_become_request_body_components"),
    ("Request bodies", "a shared form field (`#/parameters/X`, `in: formData`)", "request_bodies::shared_form_fields_are_merged_into_operations"),
    ("Responses", "`schema`", "responses::schemas_go_under_each_produced_type"),
    ("Responses", "`examples: {T: value}`", "responses::examples_become_the_example_of_each_type"),
    ("Responses", "`headers`", "responses::headers_get_a_schema"),
    ("Responses", "`schema: {type: file}`", "schemas::file_schemas_become_binary_strings"),
    ("Responses", "no `description`", "responses::responses_without_description_get_an_empty_one"),
    ("Responses", "`$ref: '#/responses/X'`", "responses::shared_responses_are_referenced"),
    ("Responses", "status keys", "responses::status_keys_are_kept"),
    ("Schemas", "`x-nullable: true/false`", "schemas::x_nullable_becomes_nullable_at_every_depth"),
    ("Schemas", "`discriminator: \"prop\"`", "schemas::discriminator_names_become_objects"),
    ("Schemas", "`type: file`", "schemas::file_schemas_become_binary_strings"),
    ("Schemas", "`type: array` without `items`", "schemas::arrays_without_items_get_any_items"),
    ("Schemas", "`$ref`", "schemas::references_are_rewritten"),
    (
        "Schemas",
        "`properties`, `additionalProperties`, `items`, `allOf` (and `anyOf`, `oneOf`, `not` when a 2.0 document uses them)",
        "schemas::subschemas_are_converted_recursively",
    ),
    (
        "Schemas",
        "everything else (`title`, `format`, `enum`, `readOnly`, `xml`, `example`, `externalDocs`, `x-…`, …)",
        "schemas::other_keywords_are_kept",
    ),
    ("Security", "`type: basic`", "security::basic_becomes_http_basic"),
    ("Security", "`type: apiKey` with `name`, `in` (query or header)", "security::api_keys_are_kept"),
    ("Security", "`type: oauth2, flow: implicit`", "security::implicit_flows"),
    ("Security", "`flow: application`", "security::application_flows_become_client_credentials"),
    ("Security", "`flow: accessCode`", "security::access_code_flows_become_authorization_code"),
    ("Security", "a missing URL the flow requires, a missing or unknown `flow`", "security::schemes_without_a_flow_are_left_out"),
    ("Security", "`x-…` in `scopes`", "security::scope_extensions_go_on_the_flow"),
    ("Security", "`description`, `x-…`", "security::descriptions_and_extensions_are_kept"),
];

/// The rule rows no corpus document exercises (checked by hand against every document under
/// `corpus/swagger2/`: none has the construct, or the converter gave no warning where the row
/// is about one). The converter's unit tests in codegen/src/load/swagger2/ cover each: the
/// third entry names the test, as `module::test`.
const UNIT_ONLY_ROWS: &[(&str, &str, &str)] = &[
    ("Top level", "`host` with a scheme (`https://x`) or a path", "document::malformed_location_fields_are_warned"),
    ("Top level", "`basePath` not starting with `/`", "document::malformed_location_fields_are_warned"),
    ("Top level", "a scheme other than `http`, `https`, `ws`, `wss`", "document::malformed_location_fields_are_warned"),
    ("Top level", "any other field", "document::unknown_top_level_fields_are_warned"),
    ("Top level", "a component name outside `[A-Za-z0-9._-]`", "names::invalid_component_names_are_renamed_and_references_follow"),
    ("References", "`#/securityDefinitions/X`", "refs::references_into_2_0_sections_move_to_components"),
    ("References", "`other.yaml#/definitions/X` (and the other three sections)", "refs::references_into_other_files_are_rewritten_the_same_way"),
    (
        "References",
        "a pointer deeper into a parameter or response (`#/responses/X/schema`)",
        "refs::references_inside_a_parameter_or_response_are_rewritten_with_a_warning",
    ),
    ("References", "`%20` and `~1` in a name", "refs::escaped_names_are_decoded_to_find_the_component"),
    (
        "Paths and operations",
        "path item body or form parameters",
        "parameters::path_level_parameters_stay_and_their_bodies_and_fields_reach_each_operation",
    ),
    ("Paths and operations", "a path that does not start with `/`", "paths::malformed_paths_and_operations_are_warned_and_skipped"),
    (
        "Paths and operations",
        "an unknown path item or operation field (`trace`, `requestBody`, …)",
        "paths::malformed_paths_and_operations_are_warned_and_skipped",
    ),
    ("Parameters", "`in: cookie`", "parameters::header_and_cookie_parameters"),
    ("Parameters", "any other `in`, or no `in`", "parameters::malformed_parameters_are_warned_and_left_out"),
    ("Parameters", "`type: array` without `items`", "simple_types::files_nullables_and_missing_parts"),
    ("Parameters", "`type: file` outside a form", "parameters::malformed_parameters_are_warned_and_left_out"),
    ("Parameters", "`collectionFormat` on nested `items` (arrays of arrays)", "simple_types::arrays_convert_their_items_recursively"),
    ("Parameters", "`allowEmptyValue`", "parameters::allow_empty_value_is_kept_on_query_parameters_only"),
    ("Parameters", "other `x-…`", "parameters::query_parameters_get_a_schema"),
    ("Request bodies", "more than one body parameter", "parameters::body_problems_are_warned"),
    ("Request bodies", "body and form parameters together", "parameters::body_and_form_parameters_together_keep_the_body"),
    ("Request bodies", "array field `collectionFormat` (multipart)", "parameters::multipart_fields_have_no_separator"),
    ("Request bodies", "`allowEmptyValue` on a field", "parameters::multipart_fields_have_no_separator"),
    ("Schemas", "`type: [T, \"null\"]` (a JSON Schema list of types)", "schemas::type_lists_are_one_type_and_nullable_or_warned"),
    ("Schemas", "`items: [A, B]` (a tuple)", "schemas::arrays_get_items_and_tuples_are_warned"),
    (
        "Schemas",
        "`required` that is not a list of names (such as `required: true` on a property)",
        "schemas::malformed_schema_parts_are_warned_and_left_out",
    ),
    ("Schemas", "nesting deeper than 200 schemas", "schemas::deep_schemas_are_cut_off"),
    ("Security", "`flow: password`", "security::oauth2_flows_are_renamed"),
    ("Security", "a URL the flow does not use (`tokenUrl` on `implicit`)", "security::incomplete_or_unknown_schemes_are_warned_and_left_out"),
    ("Security", "missing `scopes`", "security::incomplete_or_unknown_schemes_are_warned_and_left_out"),
    ("Security", "any other `type`, or any other field", "security::incomplete_or_unknown_schemes_are_warned_and_left_out"),
];

/// The rule rows of docs/swagger2.md, as (section, the row's 2.0 cell): the rows of every table
/// whose first column is `2.0`.
fn documented_rows() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(xtask::workspace_root().join("docs/swagger2.md")).unwrap();
    let mut rows = Vec::new();
    let (mut section, mut in_rules) = (String::new(), false);
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            (section, in_rules) = (heading.to_string(), false);
        } else if let Some(row) = line.strip_prefix("| ") {
            let first = row.split(" | ").next().unwrap_or_default().to_string();
            if first == "2.0" {
                in_rules = true;
            } else if in_rules && first != "---" {
                rows.push((section.clone(), first));
            }
        }
    }
    rows
}

/// Whether `source` defines `fn name()`.
fn defines(source: &str, name: &str) -> bool {
    source.contains(&format!("fn {name}()"))
}

/// Every rule row is either checked here on a corpus document or listed as exercised by none,
/// with a converter unit test that exists.
#[test]
fn every_rule_row_is_checked_on_the_corpus_or_listed_with_its_unit_test() {
    let documented = documented_rows();
    assert_eq!(documented.len(), CORPUS_ROWS.len() + UNIT_ONLY_ROWS.len(), "rows in docs/swagger2.md");
    let documented: BTreeSet<(&str, &str)> = documented.iter().map(|(section, row)| (section.as_str(), row.as_str())).collect();
    let listed: BTreeSet<(&str, &str)> = CORPUS_ROWS.iter().chain(UNIT_ONLY_ROWS).map(|(section, row, _)| (*section, *row)).collect();
    assert_eq!(listed.len(), CORPUS_ROWS.len() + UNIT_ONLY_ROWS.len(), "a row is listed twice");
    assert_eq!(documented.difference(&listed).collect::<Vec<_>>(), Vec::<&(&str, &str)>::new(), "documented rows not listed here");
    assert_eq!(listed.difference(&documented).collect::<Vec<_>>(), Vec::<&(&str, &str)>::new(), "listed rows not in docs/swagger2.md");

    let this = std::fs::read_to_string(xtask::workspace_root().join(file!())).unwrap();
    for (section, row, test) in CORPUS_ROWS {
        let (module, name) = test.split_once("::").unwrap();
        assert!(this.contains(&format!("mod {module} {{")) && defines(&this, name), "{section}: {row}: no test {test} here");
    }
    let converter = xtask::workspace_root().join("codegen/src/load/swagger2");
    for (section, row, test) in UNIT_ONLY_ROWS {
        let (module, name) = test.split_once("::").unwrap();
        let source = std::fs::read_to_string(converter.join(format!("{module}.rs"))).unwrap();
        assert!(defines(&source, name), "{section}: {row}: no unit test {test}");
    }
}
