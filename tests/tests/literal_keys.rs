//! The generator writes enum literals in the same canonical form that generated code computes
//! for the values it reads; if the two drifted apart, number enums would stop matching.

use serde_json::json;

#[test]
fn generator_and_runtime_agree_on_literal_keys() {
    for value in [json!(1), json!(1.0), json!(-3), json!(2.5), json!(1e20), json!("1"), json!(true), json!(null), json!(u64::MAX)] {
        assert_eq!(oas_codegen::emit::types::literal_key(&value), oas_runtime::untagged::literal_key(&value), "for {value}");
    }
    assert_eq!(oas_runtime::untagged::literal_key(&json!(1.0)), oas_runtime::untagged::literal_key(&json!(1)));
}
