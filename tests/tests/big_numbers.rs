//! Numbers of any size load, from YAML and from JSON, wherever a number may appear, and the
//! document generates. Before, a YAML document with one integer beyond 64 bits (2^63 printed by
//! a generator that thinks in doubles) was refused whole. Those a double does not reproduce
//! (integers beyond 64 bits, decimals with more digits than a double holds) appear in the
//! embedded document exactly as written.

use std::path::{Path, PathBuf};

use oas_codegen::ir::{IntKind, Ty, TypeKind};
use oas_codegen::load::{load_file, load_str, Document};
use oas_codegen::subset::Subset;
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

/// Loads and generates `text`, and returns the embedded document's text; a load error or a
/// panic fails.
fn loads_and_generates(text: &str) -> String {
    let document = load_str(text).unwrap_or_else(|error| panic!("refused: {error}\n{}", &text[..text.len().min(2000)]));
    embedded(&document, Subset::default())
}

/// The text of the generated crate's `OPENAPI_JSON`, checked to parse with plain serde_json as
/// the crate parses it at run time.
fn embedded(document: &Document, subset: Subset) -> String {
    let options = oas_codegen::Options { subset, ..oas_codegen::Options::default() };
    let generated = oas_codegen::generate(document, &options).unwrap_or_else(|error| panic!("{error}"));
    let module = &generated.api.document;
    let start = "OPENAPI_JSON: &str = r";
    let raw = &module[module.find(start).expect("the document as a raw string") + start.len()..];
    let hashes = raw.chars().take_while(|c| *c == '#').count();
    let text = &raw[hashes + 1..];
    let json = &text[..text.find(&format!("\"{}", "#".repeat(hashes))).expect("the raw string ends")];
    serde_json::from_str::<serde_json::Value>(json).unwrap_or_else(|error| panic!("the embedded document is not JSON: {error}"));
    json.to_string()
}

/// Whether compact JSON `json` holds `number` as a number token of its own.
fn holds_number(json: &str, number: &str) -> bool {
    json.match_indices(number).any(|(at, _)| {
        let before = json[..at].chars().next_back();
        let after = json[at + number.len()..].chars().next();
        matches!(before, Some(':' | '[' | ',')) && matches!(after, Some(',' | ']' | '}'))
    })
}

/// Whether no double gives back the value of `number` (a decimal text): it has more significant
/// digits than the shortest form of any double, or it is too small for any but zero.
fn beyond_a_double(number: &str) -> bool {
    let Ok(value) = number.parse::<f64>() else { return false };
    let mantissa = number.split(['e', 'E']).next().unwrap_or_default();
    let digits = mantissa.trim_start_matches('-').replace('.', "");
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    let integer = !number.contains(['.', 'e', 'E']);
    value.is_finite()
        && (significant > 17 || (value == 0.0 && significant > 0) || (integer && number.parse::<i64>().is_err() && number.parse::<u64>().is_err()))
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

    /// And a number no double gives back is embedded as written.
    #[test]
    fn any_number_anywhere_loads_from_json_and_yaml(place in proptest::sample::select(PLACES), number in numbers()) {
        for yaml in [false, true] {
            let json = loads_and_generates(&document(place, &number, yaml));
            prop_assert!(!beyond_a_double(&number) || holds_number(&json, &number), "{number} at {place} (YAML: {yaml}) is not as written");
        }
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

/// Integers beyond 64 bits and decimals beyond a double, at every place, in JSON and YAML.
#[test]
fn numbers_beyond_a_double_are_embedded_as_written() {
    let numbers = [
        "-9223372036854776000",
        "123456789012345678901234567890",
        "18446744073709551616",
        "3.14159265358979323846264338327950288",
        "-0.300000000000000001",
        "1.5e-400",
    ];
    for number in numbers {
        assert!(beyond_a_double(number), "{number}");
        for place in PLACES {
            for yaml in [false, true] {
                let json = loads_and_generates(&document(place, number, yaml));
                assert!(holds_number(&json, number), "{number} at {place} (YAML: {yaml}):\n{json}");
            }
        }
    }
}

/// A number a double holds is written as before, and one no double holds stays a string.
#[test]
fn other_numbers_are_written_as_before() {
    for (number, written) in [("1.50", "1.5"), ("1e3", "1000.0"), ("2.5e-300", "2.5e-300"), ("1e400", "\"1e400\"")] {
        let json = loads_and_generates(&document("minimum", number, false));
        assert!(json.contains(&format!("\"minimum\":{written}")), "{number}: {json}");
    }
}

/// Two texts that give the same double: which one a place held is not known, so each place
/// gets the double's own form.
#[test]
fn a_double_two_texts_give_is_written_as_the_double() {
    let text = TEMPLATE.replace("{minimum}", "-9223372036854776000").replace("{maximum}", "-9.223372036854776e18");
    let text = PLACES.iter().fold(text, |text, place| text.replace(&format!("{{{place}}}"), "1"));
    let json = loads_and_generates(&text);
    assert!(json.contains("\"minimum\":-9.223372036854776e+18,\"maximum\":-9.223372036854776e+18"), "{json}");
}

fn scratch(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("oas-big-numbers-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).unwrap();
    path
}

/// A root whose schema is in another file that holds the big numbers.
fn split_document(folder: &Path, yaml: bool, root_maximum: &str) -> PathBuf {
    let (root, item) = if yaml {
        (
            format!("openapi: 3.1.0\ninfo: {{title: split, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Item: {{$ref: './item.yaml'}}\n    Bound: {{type: number, maximum: {root_maximum}}}\n"),
            "type: object\nproperties:\n  count: {type: integer, minimum: -9223372036854776000}\n  ratio: {type: number, multipleOf: 0.10000000000000000000000000001}\n".to_string(),
        )
    } else {
        (
            format!(r#"{{"openapi": "3.1.0", "info": {{"title": "split", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"Item": {{"$ref": "./item.json"}}, "Bound": {{"type": "number", "maximum": {root_maximum}}}}}}}}}"#),
            r#"{"type": "object", "properties": {"count": {"type": "integer", "minimum": -9223372036854776000}, "ratio": {"type": "number", "multipleOf": 0.10000000000000000000000000001}}}"#.to_string(),
        )
    };
    let extension = if yaml { "yaml" } else { "json" };
    std::fs::write(folder.join(format!("item.{extension}")), item).unwrap();
    let path = folder.join(format!("root.{extension}"));
    std::fs::write(&path, root).unwrap();
    path
}

/// Texts read from another file of a split document are embedded as written too; a text of
/// the root that gives the same double as another file's keeps both from being written.
#[test]
fn split_documents_embed_their_numbers_as_written() {
    for yaml in [false, true] {
        let folder = scratch(if yaml { "yaml" } else { "json" });
        let json = embedded(&load_file(&split_document(&folder, yaml, "1e300")).unwrap(), Subset::default());
        assert!(json.contains(r#""minimum":-9223372036854776000"#), "{json}");
        assert!(json.contains(r#""multipleOf":0.10000000000000000000000000001"#), "{json}");
        assert!(json.contains(r#""maximum":1e+300"#), "{json}");
        let json = embedded(&load_file(&split_document(&folder, yaml, "-9.223372036854776e18")).unwrap(), Subset::default());
        assert!(json.contains(r#""minimum":-9.223372036854776e+18"#), "{json}");
        assert!(json.contains(r#""maximum":-9.223372036854776e+18"#), "{json}");
        assert!(json.contains(r#""multipleOf":0.10000000000000000000000000001"#), "{json}");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}

/// A Swagger 2.0 document converted on load, and a subset that prunes the embedded document,
/// keep the texts.
#[test]
fn converted_and_pruned_documents_keep_the_texts() {
    let swagger = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: n, in: query, type: integer, maximum: 123456789012345678901234567890}\n      responses: {'200': {description: ok}}\n";
    let json = loads_and_generates(swagger);
    assert!(json.contains(r#""maximum":123456789012345678901234567890"#), "{json}");
    let text = document("minimum", "123456789012345678901234567890", true);
    let subset = Subset { operations: vec!["getItem".into()], ..Subset::default() };
    let json = embedded(&load_str(&text).unwrap(), subset);
    assert!(json.contains(r#""minimum":123456789012345678901234567890"#), "{json}");
}

/// The reference pages show an example's numbers as written too.
#[test]
fn reference_pages_show_examples_as_written() {
    let number = "123456789012345678901234567890";
    for place in ["media", "parameter"] {
        let document = load_str(&document(place, number, true)).unwrap();
        let options = oas_codegen::Options { docs: true, ..oas_codegen::Options::default() };
        let generated = oas_codegen::generate(&document, &options).unwrap_or_else(|error| panic!("{error}"));
        let pages: Vec<&String> = generated.api.docs.values().collect();
        assert!(!pages.is_empty());
        assert!(pages.iter().any(|page| page.contains(number)), "{place}: no page shows {number}");
        assert!(!pages.iter().any(|page| page.contains("1.2345678901234568e+29")), "{place}: a page shows the double");
    }
}
