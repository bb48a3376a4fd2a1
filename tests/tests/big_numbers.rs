//! Numbers of any size load, from YAML and from JSON, wherever a number may appear, and the
//! document generates. Before, a YAML document with one integer beyond 64 bits (2^63 printed by
//! a generator that thinks in doubles) was refused whole.

use oas_codegen::ir::{IntKind, Ty, TypeKind};
use oas_codegen::load::load_str;
use proptest::prelude::*;

/// Every place of the template a number goes, one per case; the others hold `1`.
const PLACES: &[&str] =
    &["minimum", "maximum", "exclusive", "multiple", "default", "example", "enum", "const", "version", "extension", "parameter", "media", "length"];

/// A 3.1 document with a `{place}` slot for each of [`PLACES`], written so it reads as YAML and,
/// with the slots filled, as JSON too.
const TEMPLATE: &str = r##"{
  "openapi": "3.1.0",
  "info": {"title": "numbers", "version": {version}, "x-number": {extension}},
  "paths": {"/items/{id}": {"get": {
    "operationId": "getItem",
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}, "example": {parameter}}],
    "responses": {"200": {"description": "the item", "content": {"application/json": {
      "schema": {"$ref": "#/components/schemas/Item"}, "example": {"count": {media}}}}}}
  }}},
  "components": {"schemas": {"Item": {"type": "object", "properties": {
    "count": {"type": "integer", "format": "int64", "minimum": {minimum}, "maximum": {maximum}, "exclusiveMaximum": {exclusive}, "multipleOf": {multiple}, "default": {default}, "examples": [{example}]},
    "level": {"enum": [{enum}, 2]},
    "fixed": {"const": {const}},
    "name": {"type": "string", "maxLength": {length}}
  }}}}
}"##;

/// The template with `number` at `place` and `1` everywhere else, as JSON or as block YAML.
fn document(place: &str, number: &str, yaml: bool) -> String {
    // Each slot first holds a number found nowhere else, so the YAML rendering keeps it as a
    // plain scalar that the number then replaces.
    let sentinel = |index: usize| format!("7770{index:03}");
    let mut text = TEMPLATE.to_string();
    for (index, slot) in PLACES.iter().enumerate() {
        text = text.replace(&format!("{{{slot}}}"), &sentinel(index));
    }
    if yaml {
        let value: serde_json::Value = serde_json::from_str(&text).expect("the template is JSON");
        text = serde_yaml_ng::to_string(&value).expect("JSON renders as YAML");
    }
    for (index, slot) in PLACES.iter().enumerate() {
        text = text.replace(&sentinel(index), if *slot == place { number } else { "1" });
    }
    text
}

/// Loads and generates `text`; a load error or a panic fails.
fn loads_and_generates(text: &str) {
    let document = load_str(text).unwrap_or_else(|error| panic!("refused: {error}\n{}", &text[..text.len().min(2000)]));
    oas_codegen::generate(&document, &oas_codegen::Options::default()).unwrap_or_else(|error| panic!("{error}"));
}

fn numbers() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[1-9][0-9]{19,80}",
        "-?[1-9]e[1-9][0-9]{2,9}",
        "-?[1-9]\\.[0-9]{1,5}e-[1-9][0-9]{2,9}",
        "-?0\\.[0-9]{30,60}",
        "-?[1-9][0-9]{0,3}\\.[0-9]{20,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_number_anywhere_loads_from_json_and_yaml(place in proptest::sample::select(PLACES), number in numbers()) {
        loads_and_generates(&document(place, &number, false));
        loads_and_generates(&document(place, &number, true));
    }
}

/// Numbers that would take a naive reader unbounded time or memory: ten thousand digits, an
/// exponent of a billion. Each loads, in block YAML too.
#[test]
fn hostile_numbers_load_everywhere() {
    let ten_thousand_digits = format!("9{}", "8".repeat(9_999));
    for number in ["1e1000000000", "-1e1000000000", "1e-1000000000", ten_thousand_digits.as_str(), "-9223372036854776000"] {
        for place in PLACES {
            loads_and_generates(&document(place, number, false));
            loads_and_generates(&document(place, number, true));
        }
    }
}

/// The reported case: 2^63 as a double, a bound on an `int64`, in block YAML. The bound is no
/// constraint an `i64` can break, and the field stays an `i64`.
#[test]
fn a_bound_beyond_i64_on_an_int64_is_no_constraint() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Id:\n      type: integer\n      format: int64\n      minimum: -9223372036854776000\n      maximum: 9223372036854776000\n";
    let document = load_str(text).expect("the document loads");
    assert_eq!(document.root.pointer("/components/schemas/Id/minimum").and_then(|value| value.as_f64()), Some(-9.223372036854776e18));
    let (model, diagnostics) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let definition = model.space.types.iter().find(|definition| definition.name == "Id").unwrap();
    assert!(matches!(definition.kind, TypeKind::Alias(Ty::Integer(IntKind::I64))), "{:?}", definition.kind);
    let validators = oas_runtime::server::validation::Validators::compile(&document.root, &["/components/schemas/Id"]);
    for value in [i64::MIN, 0, i64::MAX] {
        let violations = validators.check("/components/schemas/Id", &serde_json::json!(value), oas_runtime::style::Location::Body, "");
        assert!(violations.is_empty(), "{value}: {violations:?}");
    }
}
