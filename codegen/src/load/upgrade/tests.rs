use serde_json::{json, Value};

use super::*;

/// Upgrades a 3.0 document whose only schema is `schema` (a component `S`), returning the
/// upgraded schema and the warnings' pointers.
fn schema(schema: Value) -> (Value, Vec<String>) {
    let upgraded = to_3_1(&json!({"openapi": "3.0.3", "components": {"schemas": {"S": schema}}}));
    let pointers = upgraded.warnings.iter().map(|warning| warning.pointer.clone()).collect();
    (upgraded.root["components"]["schemas"]["S"].clone(), pointers)
}

const S: &str = "/components/schemas/S";

#[test]
fn the_version_becomes_3_1_then_3_2() {
    let upgraded = to_3_1(&json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}));
    assert_eq!(upgraded.root, json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}));
    assert_eq!(to_3_2(&upgraded.root).root["openapi"], "3.2.0");
}

#[test]
fn chains_and_refuses_downgrades() {
    let root = json!({"openapi": "3.0.3", "components": {"schemas": {"S": {"type": "string", "nullable": true}}}});
    let upgraded = upgrade(&root, Written::OpenApi3_0, Written::OpenApi3_2).unwrap();
    assert_eq!(upgraded.root["openapi"], "3.2.0");
    assert_eq!(upgraded.root["components"]["schemas"]["S"], json!({"type": ["string", "null"]}));
    assert_eq!(upgrade(&root, Written::Swagger2, Written::OpenApi3_1).unwrap().root["openapi"], "3.1.0");
    assert_eq!(upgrade(&root, Written::OpenApi3_0, Written::OpenApi3_0).unwrap().root, root);
    assert!(upgrade(&root, Written::OpenApi3_2, Written::OpenApi3_1).is_none());
    assert!(upgrade(&root, Written::OpenApi3_0, Written::Swagger2).is_none());
}

#[test]
fn nullable_adds_null_to_the_type() {
    assert_eq!(schema(json!({"type": "string", "nullable": true})), (json!({"type": ["string", "null"]}), vec![]));
    assert_eq!(schema(json!({"type": ["integer"], "nullable": true})).0, json!({"type": ["integer", "null"]}));
}

#[test]
fn nullable_adds_null_to_an_enum() {
    assert_eq!(schema(json!({"type": "string", "enum": ["a"], "nullable": true})).0, json!({"type": ["string", "null"], "enum": ["a", null]}));
    assert_eq!(schema(json!({"enum": ["a", null], "nullable": true})).0, json!({"enum": ["a", null]}));
}

#[test]
fn nullable_false_is_dropped() {
    assert_eq!(schema(json!({"type": "string", "nullable": false})), (json!({"type": "string"}), vec![]));
}

#[test]
fn nullable_of_another_type_is_dropped_with_a_warning() {
    assert_eq!(schema(json!({"type": "string", "nullable": "yes"})), (json!({"type": "string"}), vec![format!("{S}/nullable")]));
}

#[test]
fn nullable_variants_take_a_null_variant() {
    let (upgraded, _) = schema(json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "integer"}], "nullable": true}));
    assert_eq!(upgraded, json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "integer"}, {"type": "null"}]}));
    let (upgraded, _) = schema(json!({"anyOf": [{"type": "string"}, {"type": "null"}], "nullable": true}));
    assert_eq!(upgraded, json!({"anyOf": [{"type": "string"}, {"type": "null"}]}));
}

#[test]
fn nullable_all_of_makes_every_constraining_member_nullable() {
    let (upgraded, _) = schema(json!({
        "description": "d",
        "allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "properties": {"b": {"type": "string"}}}, {"description": "only a note"}],
        "nullable": true
    }));
    assert_eq!(
        upgraded,
        json!({
            "description": "d",
            "allOf": [
                {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]},
                {"type": ["object", "null"], "properties": {"b": {"type": "string"}}},
                {"description": "only a note"}
            ]
        })
    );
}

#[test]
fn nullable_beside_a_ref_wraps_it() {
    let (upgraded, warnings) = schema(json!({"$ref": "#/components/schemas/A", "description": "d", "readOnly": true, "nullable": true}));
    assert_eq!(upgraded, json!({"description": "d", "readOnly": true, "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
    assert!(warnings.is_empty());
}

#[test]
fn nullable_without_any_type_wraps_the_constraints() {
    let (upgraded, warnings) = schema(json!({"description": "any value", "nullable": true}));
    assert_eq!(upgraded, json!({"description": "any value", "anyOf": [{}, {"type": "null"}]}));
    assert!(warnings.is_empty());
    let (upgraded, _) = schema(json!({"not": {"type": "string"}, "nullable": true}));
    assert_eq!(upgraded, json!({"anyOf": [{"not": {"type": "string"}}, {"type": "null"}]}));
}

#[test]
fn nullable_without_type_takes_the_type_properties_imply() {
    let (upgraded, warnings) = schema(json!({"properties": {"a": {}}, "nullable": true}));
    assert_eq!(upgraded, json!({"properties": {"a": {}}, "type": ["object", "null"]}));
    assert_eq!(warnings, [S]);
    assert_eq!(schema(json!({"items": {}, "nullable": true})).0, json!({"items": {}, "type": ["array", "null"]}));
}

#[test]
fn exclusive_bounds_become_numbers() {
    let (upgraded, warnings) = schema(json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true}));
    assert_eq!(upgraded, json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10}));
    assert!(warnings.is_empty());
}

#[test]
fn inclusive_bounds_stay() {
    let (upgraded, _) = schema(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": false, "maximum": 5}));
    assert_eq!(upgraded, json!({"type": "integer", "minimum": 1, "maximum": 5}));
}

#[test]
fn an_exclusive_flag_without_its_bound_is_dropped_with_a_warning() {
    let (upgraded, warnings) = schema(json!({"type": "integer", "exclusiveMaximum": true, "minimum": "1", "exclusiveMinimum": true}));
    assert_eq!(upgraded, json!({"type": "integer", "minimum": "1"}));
    assert_eq!(warnings, [format!("{S}/minimum"), format!("{S}/exclusiveMaximum")]);
}

#[test]
fn a_schema_example_becomes_examples() {
    let (upgraded, _) = schema(json!({"type": "string", "example": "a", "format": "uuid"}));
    assert_eq!(serde_json::to_string(&upgraded).unwrap(), r#"{"type":"string","examples":["a"],"format":"uuid"}"#);
    assert_eq!(schema(json!({"example": 1, "examples": [2]})).0, json!({"examples": [1, 2]}));
}

#[test]
fn examples_outside_schemas_stay() {
    let media = json!({"schema": {"type": "string"}, "example": "a"});
    let document = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "example": "q"}],
        "responses": {"200": {"description": "ok", "content": {"text/plain": media}}}
    }}}});
    let upgraded = to_3_1(&document);
    assert_eq!(upgraded.root["paths"], document["paths"]);
}

#[test]
fn keywords_beside_a_ref_are_dropped_but_annotations_kept() {
    let (upgraded, warnings) = schema(json!({"$ref": "#/components/schemas/A", "type": "object", "description": "d", "example": 1, "x-note": 1}));
    assert_eq!(upgraded, json!({"$ref": "#/components/schemas/A", "description": "d", "examples": [1], "x-note": 1}));
    assert_eq!(warnings, [format!("{S}/type")]);
}

#[test]
fn a_reference_objects_description_is_kept_and_other_keywords_dropped() {
    let document = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {
        "parameters": [{"$ref": "#/components/parameters/P", "description": "here", "required": true}],
        "responses": {}
    }}}});
    let upgraded = to_3_1(&document);
    assert_eq!(upgraded.root["paths"]["/a"]["get"]["parameters"][0], json!({"$ref": "#/components/parameters/P", "description": "here"}));
    let pointers: Vec<&str> = upgraded.warnings.iter().map(|warning| warning.pointer.as_str()).collect();
    assert_eq!(pointers, ["/paths/~1a/get/parameters/0/description", "/paths/~1a/get/parameters/0/required"]);
}

#[test]
fn nested_schemas_are_upgraded_everywhere() {
    let nullable = json!({"type": "string", "nullable": true});
    let document = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {
        "parameters": [{"name": "q", "in": "query", "schema": nullable}],
        "responses": {"200": {"description": "ok", "headers": {"H": {"schema": nullable}}, "content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"a": nullable},
            "additionalProperties": {"items": nullable, "type": "array"},
            "allOf": [{"not": nullable}]
        }}}}}
    }}}});
    let text = to_3_1(&document).root.to_string();
    assert!(!text.contains("nullable"), "{text}");
    assert_eq!(text.matches(r#"["string","null"]"#).count(), 5, "{text}");
}

#[test]
fn server_variables_follow_the_3_1_rules() {
    let document = json!({"openapi": "3.0.3", "servers": [{"url": "https://{a}.{b}", "variables": {
        "a": {"default": "x", "enum": []},
        "b": {"default": "y", "enum": ["z"]}
    }}]});
    let upgraded = to_3_1(&document);
    assert_eq!(upgraded.root["servers"][0]["variables"], json!({"a": {"default": "x"}, "b": {"default": "y", "enum": ["z", "y"]}}));
    assert_eq!(upgraded.warnings.len(), 2);
}

#[test]
fn any_json_upgrades_without_panicking() {
    for document in [
        json!(null),
        json!([1, 2]),
        json!({"openapi": 3.0, "components": {"schemas": [1, {"nullable": true}]}}),
        json!({"components": {"schemas": {"S": {"allOf": "x", "nullable": true, "type": 4, "exclusiveMinimum": "y", "example": null}}}}),
        json!({"paths": {"/a": {"get": {"parameters": {"x": {"schema": {"properties": 1, "nullable": true}}}}}}, "servers": "s"}),
    ] {
        let upgraded = to_3_1(&document);
        let _ = to_3_2(&upgraded.root);
    }
}
