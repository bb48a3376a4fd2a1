//! Unions without a discriminator, told apart by the shape of the value.
//!
//! serde's untagged enums take the first variant that fits, and an object type whose properties
//! are all optional fits every object. Generated unions instead rank their object variants by how
//! well the value's keys match each one's declared properties, then try them in that order.

use serde::de::Error as _;
use serde::Deserializer;
use serde_json::Value;

/// What a variant accepts, as far as ranking is concerned.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A struct: its declared properties, the required ones, and whether it keeps other keys.
    Object { properties: &'static [&'static str], required: &'static [&'static str], open: bool },
    /// Anything else; tried in declaration order.
    Other,
}

/// The order in which to try the variants for `value`.
pub fn candidates(value: &Value, shapes: &[Shape]) -> Vec<usize> {
    let Value::Object(object) = value else {
        // Only the non-object variants can match; the others are left for the error message.
        let (others, objects): (Vec<usize>, Vec<usize>) = (0..shapes.len()).partition(|&index| matches!(shapes[index], Shape::Other));
        return others.into_iter().chain(objects).collect();
    };
    // Fewest missing required properties, then fewest unknown keys, then most matched keys.
    type Rank = (usize, usize, std::cmp::Reverse<usize>);
    let mut ranked: Vec<(usize, Rank)> = Vec::new();
    let mut others = Vec::new();
    for (index, shape) in shapes.iter().enumerate() {
        match shape {
            Shape::Object { properties, required, open } => {
                let missing = required.iter().filter(|name| !object.contains_key(**name)).count();
                let matched = object.keys().filter(|key| properties.contains(&key.as_str())).count();
                let unknown = if *open { 0 } else { object.len() - matched };
                ranked.push((index, (missing, unknown, std::cmp::Reverse(matched))));
            }
            Shape::Other => others.push(index),
        }
    }
    ranked.sort_by_key(|(index, rank)| (*rank, *index));
    ranked.into_iter().map(|(index, _)| index).chain(others).collect()
}

/// The error when no variant accepts the value, with what the best-ranked variant objected to.
pub fn no_match<'de, D: Deserializer<'de>>(type_name: &str, closest: Option<(&str, serde_json::Error)>) -> D::Error {
    match closest {
        Some((variant, error)) => D::Error::custom(format!("the value matches no variant of {type_name} (closest: {variant}, {error})")),
        None => D::Error::custom(format!("the value matches no variant of {type_name}")),
    }
}

/// The canonical text of a literal, for matching enum values: numbers with an integral value are
/// written as integers, so `1` and `1.0` are the same value. The generator writes its literals the
/// same way.
pub fn literal_key(value: &Value) -> String {
    match value {
        Value::Number(number) if number.is_f64() => match number.as_f64() {
            Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => format!("{}", float as i64),
            _ => number.to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SHAPES: &[Shape] = &[
        Shape::Object { properties: &["a", "b"], required: &[], open: false },
        Shape::Object { properties: &["c", "d"], required: &[], open: false },
        Shape::Other,
    ];

    #[test]
    fn the_variant_whose_properties_match_goes_first() {
        assert_eq!(candidates(&json!({"c": 1}), SHAPES), vec![1, 0, 2]);
        assert_eq!(candidates(&json!({"a": 1}), SHAPES), vec![0, 1, 2]);
    }

    #[test]
    fn missing_required_properties_rank_last() {
        let shapes = &[
            Shape::Object { properties: &["x", "y"], required: &["x", "y"], open: false },
            Shape::Object { properties: &["x"], required: &["x"], open: false },
        ];
        assert_eq!(candidates(&json!({"x": 1}), shapes), vec![1, 0]);
    }

    #[test]
    fn scalars_try_the_other_variants_first() {
        assert_eq!(candidates(&json!("text"), SHAPES), vec![2, 0, 1]);
    }

    #[test]
    fn literal_keys_ignore_the_float_form() {
        assert_eq!(literal_key(&json!(1.0)), literal_key(&json!(1)));
        assert_eq!(literal_key(&json!(1.5)), "1.5");
        assert_eq!(literal_key(&json!("1")), "\"1\"");
    }
}
