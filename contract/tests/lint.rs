//! `lint` on small documents written for each check, and over the whole corpus.

use oas_codegen::diagnostics::Severity;
use oas_contract::lint;

#[path = "support/corpus.rs"]
mod corpus;

/// The findings for a YAML document, as `LINE:COL severity POINTER: MESSAGE`, in the order lint
/// gives them.
fn findings(yaml: &str) -> Vec<String> {
    let document = oas_codegen::load::load_str(yaml).expect("test documents load");
    lint::lint(&document)
        .into_iter()
        .map(|finding| {
            let position = finding.position.map(|position| format!("{}:{}", position.line, position.column)).unwrap_or_default();
            let severity = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            format!("{position} {severity} {}: {}", finding.pointer, finding.message)
        })
        .collect()
}

/// The findings whose pointer starts with `prefix`.
fn at(found: &[String], prefix: &str) -> Vec<String> {
    found.iter().filter(|line| line.split(' ').nth(2).is_some_and(|pointer| pointer.starts_with(prefix))).cloned().collect()
}

const HEAD_3_0: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
const HEAD_3_1: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn schema_violations_are_reported_once_at_their_place() {
    let found = findings(&format!(
        "{HEAD_3_0}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {{name: q, in: query, schema: {{type: strin}}}}\n      responses:\n        '200': {{descriptio: ok}}\n"
    ));
    // The wrong `type` is reported once, by the official schema, not again as a schema no value
    // can match.
    assert_eq!(
        at(&found, "/paths"),
        vec![
            "8:41 error /paths/~1a/get/parameters/0/schema/type: \"strin\" is not one of \"array\", \"boolean\" or 4 other candidates",
            "10:9 error /paths/~1a/get/responses/200: \"description\" is a required property",
            "10:9 error /paths/~1a/get/responses/200: Additional properties are not allowed ('descriptio' was unexpected)",
        ],
        "{found:#?}"
    );
}

#[test]
fn schema_objects_of_3_1_are_checked_against_the_dialect() {
    let found =
        findings(&format!("{HEAD_3_1}components:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{type: [string, 5]}}\n"));
    let errors: Vec<&String> = found.iter().filter(|line| line.contains(" error ")).collect();
    assert!(!errors.is_empty(), "{found:#?}");
    assert!(errors.iter().all(|line| line.contains(" /components/schemas/A/properties/b/type")), "{found:#?}");
}

#[test]
fn validate_checks_are_included() {
    let found = findings(&format!(
        "{HEAD_3_1}paths:\n  /a/{{id}}:\n    get:\n      operationId: same\n      responses:\n        '200': {{$ref: '#/components/responses/Gone'}}\n    post:\n      operationId: same\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\n"
    ));
    let errors: Vec<&String> = found.iter().filter(|line| line.contains(" error ")).collect();
    assert!(errors.iter().any(|line| line.contains("/get: the path `/a/{id}` has `{id}`, but GET")), "{found:#?}");
    assert!(errors.iter().any(|line| line.contains("/responses/200/$ref: `#/components/responses/Gone` does not resolve")), "{found:#?}");
    assert!(errors.iter().any(|line| line.contains("/post/operationId: operationId `same` is already used by GET /a/{id}")), "{found:#?}");
}

#[test]
fn unused_components_are_warnings_and_use_is_transitive() {
    let found = findings(&format!(
        "{HEAD_3_1}security: [{{key: []}}]\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Used'}}\ncomponents:\n  securitySchemes:\n    key: {{type: apiKey, in: header, name: k}}\n    spare: {{type: apiKey, in: header, name: s}}\n  schemas:\n    Used:\n      oneOf: [{{$ref: '#/components/schemas/Cat'}}]\n      discriminator: {{propertyName: kind, mapping: {{dog: Dog}}}}\n    Cat: {{type: object}}\n    Dog: {{type: object}}\n    Lonely: {{$ref: '#/components/schemas/OnlyFromLonely'}}\n    OnlyFromLonely: {{type: string}}\n  parameters:\n    Spare: {{name: x, in: query, schema: {{type: string}}}}\n"
    ));
    assert_eq!(
        found.iter().filter(|line| line.contains("never used")).cloned().collect::<Vec<_>>(),
        vec![
            "17:5 warning /components/securitySchemes/spare: the security scheme `spare` is never used",
            "24:5 warning /components/schemas/Lonely: the schema `Lonely` is never used",
            "25:5 warning /components/schemas/OnlyFromLonely: the schema `OnlyFromLonely` is never used",
            "27:5 warning /components/parameters/Spare: the parameter `Spare` is never used",
        ],
        "{found:#?}"
    );
}

#[test]
fn examples_and_defaults_are_checked_against_their_schemas() {
    let found = findings(&format!(
        "{HEAD_3_0}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - name: q\n          in: query\n          schema: {{type: integer, minimum: 1, exclusiveMinimum: true}}\n          example: 1\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Pet'}}\n              examples:\n                good: {{value: {{name: Rex, tag: null}}}}\n                bad: {{value: {{tag: 5}}}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: [name]\n      properties:\n        name: {{type: string, default: 7}}\n        tag: {{type: string, nullable: true, example: null}}\n        size: {{type: string, enum: [S, M], default: XL}}\n"
    ));
    assert_eq!(
        found,
        vec![
            "11:11 warning /paths/~1a/get/parameters/0/example: the example does not match its schema: 1 is less than or equal to the minimum of 1",
            "20:23 warning /paths/~1a/get/responses/200/content/application~1json/examples/bad/value: the example does not match its schema: \"name\" is a required property; at /tag: 5 is not of types \"null\", \"string\"",
            "27:30 error /components/schemas/Pet/properties/name/default: the default 7 does not match its schema: 7 is not of type \"string\"",
            "29:44 error /components/schemas/Pet/properties/size/default: the default \"XL\" is not one of the enum values (\"S\", \"M\")",
        ],
        "{found:#?}"
    );
}

#[test]
fn names_that_collide_in_rust_are_warnings() {
    let found = findings(&format!(
        "{HEAD_3_1}paths:\n  /a:\n    get: {{operationId: getPet, responses: {{'200': {{description: ok}}}}}}\n    put: {{operationId: get_pet, responses: {{'200': {{description: ok}}}}}}\ncomponents:\n  schemas:\n    pet_kind: {{type: string}}\n    PetKind:\n      type: object\n      properties:\n        fooBar: {{type: string}}\n        foo_bar: {{type: string}}\n        additionalProperties: {{type: string}}\n"
    ));
    let names: Vec<&String> = found.iter().filter(|line| line.contains("become")).collect();
    assert_eq!(
        names,
        vec![
            "6:11 warning /paths/~1a/put/operationId: the operationIds `getPet` and `get_pet` both become the Rust method `get_pet`; the generated code gives this one a numbered name",
            "10:5 warning /components/schemas/PetKind: the schemas `pet_kind` and `PetKind` both become the Rust type `PetKind`; the generated code gives this one a numbered name",
            "14:9 warning /components/schemas/PetKind/properties/foo_bar: the properties `fooBar` and `foo_bar` both become the Rust field `foo_bar`; the generated code gives this one a numbered name",
            "15:9 warning /components/schemas/PetKind/properties/additionalProperties: the property `additionalProperties` becomes the Rust field `additional_properties`, which holds undeclared properties in generated structs; it gets a numbered name",
        ],
        "{found:#?}"
    );
}

#[test]
fn schemas_without_valid_values_are_errors() {
    let found = findings(&format!(
        "{HEAD_3_1}paths: {{}}\ncomponents:\n  schemas:\n    WrongEnum: {{type: string, enum: [1]}}\n    Bounds: {{type: integer, minimum: 5, maximum: 3}}\n    Closed:\n      type: object\n      required: [id]\n      properties: {{name: {{type: string}}}}\n      additionalProperties: false\n    Both:\n      allOf: [{{type: string}}, {{type: integer}}]\n    Fine:\n      type: object\n      properties: {{never: {{type: string, minLength: 3, maxLength: 2}}}}\n    Holder:\n      type: array\n      minItems: 1\n      items: {{$ref: '#/components/schemas/Bounds'}}\n"
    ));
    let errors: Vec<&String> = found.iter().filter(|line| line.contains(" error ")).collect();
    assert_eq!(
        errors,
        vec![
            "6:5 error /components/schemas/WrongEnum: no value can match this schema: none of the allowed values (1) meets the other constraints: 1 is not a string",
            "7:5 error /components/schemas/Bounds: no value can match this schema: the minimum 5 is not below the maximum 3",
            "8:5 error /components/schemas/Closed: no value can match this schema: the property `id` is required, but this schema's `additionalProperties: false` does not allow it",
            "13:5 error /components/schemas/Both: no value can match this schema: no value has all the types required here: string at /components/schemas/Both/allOf/0, integer at /components/schemas/Both/allOf/1",
            "17:20 error /components/schemas/Fine/properties/never: no value can match this schema: minLength 3 is greater than maxLength 2",
        ],
        "{found:#?}"
    );
}

/// Lint notes each schema whose generated type says less than the schema, unless a finding at
/// or inside it already does.
#[test]
fn schemas_typed_loosely_are_noted() {
    let found = findings(&format!(
        "{HEAD_3_1}paths: {{}}\ncomponents:\n  schemas:\n    Either:\n      oneOf:\n        - {{type: object, properties: {{a: {{type: string}}}}}}\n        - {{type: object, properties: {{b: {{type: string}}}}}}\n    Nothing:\n      type: 'null'\n"
    ));
    assert_eq!(
        at(&found, "/components/schemas/Either"),
        [
            "6:5 warning /components/schemas/Either: the schema `Either` is never used",
            "6:5 note /components/schemas/Either: typed loosely (union/overlapping): two variants of this untagged union accept a common value; which one such a value reads as depends on the order they are tried in"
        ],
        "{found:#?}"
    );
    let nothing = at(&found, "/components/schemas/Nothing");
    assert!(nothing.iter().any(|line| line.contains("note /components/schemas/Nothing: typed loosely (value/null-only)")), "{found:#?}");
}

#[test]
fn findings_come_in_document_order_with_errors_first_at_one_place() {
    let found = findings(&format!(
        "{HEAD_3_0}paths: {{}}\ncomponents:\n  schemas:\n    B: {{type: string, enum: [1], default: 2}}\n    A: {{type: object}}\n"
    ));
    let places: Vec<&str> = found.iter().map(|line| line.split(' ').next().unwrap_or_default()).collect();
    let mut sorted = places.clone();
    sorted.sort_by_key(|place| place.split(':').map(|n| n.parse::<usize>().unwrap_or(0)).collect::<Vec<_>>());
    assert_eq!(places, sorted, "{found:#?}");
}

/// Every corpus document is linted without a panic; the counts per file are a snapshot, so a
/// change in what lint finds on real documents shows up in review.
#[test]
fn the_whole_corpus_is_linted() {
    let summaries = corpus::summaries(|file, name| match oas_codegen::load::load_file(file) {
        Ok(document) => {
            let (errors, warnings) = lint::counts(&lint::lint(&document));
            format!("{name}: {errors} errors, {warnings} warnings")
        }
        Err(error) => format!("{name}: unreadable ({})", error.message),
    });
    insta::assert_snapshot!(summaries.join("\n"));
}
