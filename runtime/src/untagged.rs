//! Unions without a discriminator, told apart by the shape of the value.
//!
//! serde's untagged enums take the first variant that fits, and an object type whose properties
//! are all optional fits every object. Generated unions instead read the value once, try first
//! the variants that can read its JSON kind, and rank their object variants by how well the
//! value's keys match each one's declared properties.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// One variant of a union, as its generated `Deserialize` impl lists it.
pub struct Variant<T> {
    /// The variant's name, for error messages.
    pub name: &'static str,
    /// What it accepts, which decides when it is tried.
    pub shape: Shape,
    /// Reads the value as this variant.
    pub read: fn(&Value) -> Result<T, serde_json::Error>,
}

/// Reads a union: the value once, then each variant in the order `candidates` gives until one
/// accepts it.
pub fn deserialize<'de, D: Deserializer<'de>, T>(deserializer: D, type_name: &str, variants: &[Variant<T>]) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let mut closest = None;
    for index in candidates(&value, variants.len(), |index| variants[index].shape) {
        let variant = &variants[index];
        match (variant.read)(&value) {
            Ok(found) => return Ok(found),
            Err(error) => {
                closest.get_or_insert((variant.name, error));
            }
        }
    }
    Err(no_match::<D>(type_name, closest))
}

/// What a variant accepts, as far as ranking is concerned.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A struct: its declared properties, the required ones, and whether it keeps other keys.
    Object {
        /// Every declared property.
        properties: &'static [&'static str],
        /// The required properties.
        required: &'static [&'static str],
        /// Whether it keeps keys it does not declare, so that they do not count against it.
        open: bool,
    },
    /// Anything else, read from values of these kinds.
    Value(Kinds),
}

/// A set of JSON kinds. Variants that can read the value's kind are tried first, so a string
/// reaches a `String` variant without a `bool` and an `f64` variant each formatting an error
/// first (serde's untagged derive does exactly that, and it was a sixth of a small request's
/// time). The others are still tried afterwards, so the kinds steer the order and never what is
/// accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds(u8);

impl Kinds {
    /// `null`.
    pub const NULL: Kinds = Kinds(1);
    /// `true` and `false`.
    pub const BOOLEAN: Kinds = Kinds(1 << 1);
    /// A number written without fraction or exponent that fits 64 bits.
    pub const INTEGER: Kinds = Kinds(1 << 2);
    /// Any other number.
    pub const FRACTION: Kinds = Kinds(1 << 3);
    /// Every number.
    pub const NUMBER: Kinds = Kinds(Kinds::INTEGER.0 | Kinds::FRACTION.0);
    /// Strings.
    pub const STRING: Kinds = Kinds(1 << 4);
    /// Arrays.
    pub const ARRAY: Kinds = Kinds(1 << 5);
    /// Objects.
    pub const OBJECT: Kinds = Kinds(1 << 6);
    /// Every kind.
    pub const ANY: Kinds = Kinds((1 << 7) - 1);

    /// Both sets together.
    pub const fn or(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    /// Whether every kind of `other` is in this set.
    pub const fn contains(self, other: Kinds) -> bool {
        self.0 & other.0 == other.0
    }

    /// The kind of `value`.
    pub fn of(value: &Value) -> Kinds {
        match value {
            Value::Null => Kinds::NULL,
            Value::Bool(_) => Kinds::BOOLEAN,
            Value::Number(number) if number.is_i64() || number.is_u64() => Kinds::INTEGER,
            Value::Number(_) => Kinds::FRACTION,
            Value::String(_) => Kinds::STRING,
            Value::Array(_) => Kinds::ARRAY,
            Value::Object(_) => Kinds::OBJECT,
        }
    }
}

/// The order in which to try the variants for `value`: those that can read its kind first, in
/// declaration order; for an object the structs among them ranked by how well its keys fit. The
/// rest follow, so that when nothing fits the error still comes from a variant that tried.
fn candidates(value: &Value, count: usize, shape: impl Fn(usize) -> Shape) -> Vec<usize> {
    let kind = Kinds::of(value);
    let reads = |index: usize| match shape(index) {
        Shape::Object { .. } => kind == Kinds::OBJECT,
        Shape::Value(kinds) => kinds.contains(kind),
    };
    let mut order: Vec<usize> = Vec::with_capacity(count);
    if let Value::Object(object) = value {
        // Fewest missing required properties, then fewest unknown keys, then most matched keys.
        type Rank = (usize, usize, std::cmp::Reverse<usize>);
        let mut ranked: Vec<(usize, Rank)> = Vec::new();
        for index in 0..count {
            if let Shape::Object { properties, required, open } = shape(index) {
                let missing = required.iter().filter(|name| !object.contains_key(**name)).count();
                let matched = object.keys().filter(|key| properties.contains(&key.as_str())).count();
                let unknown = if open { 0 } else { object.len() - matched };
                ranked.push((index, (missing, unknown, std::cmp::Reverse(matched))));
            }
        }
        ranked.sort_by_key(|(index, rank)| (*rank, *index));
        order.extend(ranked.into_iter().map(|(index, _)| index));
        order.extend((0..count).filter(|&index| matches!(shape(index), Shape::Value(_)) && reads(index)));
    } else {
        order.extend((0..count).filter(|&index| reads(index)));
    }
    order.extend((0..count).filter(|&index| !reads(index)));
    order
}

/// The error when no variant accepts the value, with what the best-ranked variant objected to.
fn no_match<'de, D: Deserializer<'de>>(type_name: &str, closest: Option<(&str, serde_json::Error)>) -> D::Error {
    match closest {
        Some((variant, error)) => D::Error::custom(format!("the value matches no variant of {type_name} (closest: {variant}, {error})")),
        None => D::Error::custom(format!("the value matches no variant of {type_name}")),
    }
}

pub use oas_wire::literal_key;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order(value: &Value, shapes: &[Shape]) -> Vec<usize> {
        candidates(value, shapes.len(), |index| shapes[index])
    }

    const SHAPES: &[Shape] = &[
        Shape::Object { properties: &["a", "b"], required: &[], open: false },
        Shape::Object { properties: &["c", "d"], required: &[], open: false },
        Shape::Value(Kinds::ANY),
    ];

    #[test]
    fn the_variant_whose_properties_match_goes_first() {
        assert_eq!(order(&json!({"c": 1}), SHAPES), vec![1, 0, 2]);
        assert_eq!(order(&json!({"a": 1}), SHAPES), vec![0, 1, 2]);
    }

    #[test]
    fn missing_required_properties_rank_last() {
        let shapes = &[
            Shape::Object { properties: &["x", "y"], required: &["x", "y"], open: false },
            Shape::Object { properties: &["x"], required: &["x"], open: false },
        ];
        assert_eq!(order(&json!({"x": 1}), shapes), vec![1, 0]);
    }

    #[test]
    fn scalars_try_the_other_variants_first() {
        assert_eq!(order(&json!("text"), SHAPES), vec![2, 0, 1]);
    }

    #[test]
    fn variants_that_read_the_kind_go_first_and_the_rest_stay_for_the_error() {
        let shapes = &[
            Shape::Value(Kinds::BOOLEAN),
            Shape::Value(Kinds::ARRAY),
            Shape::Value(Kinds::NUMBER),
            Shape::Value(Kinds::STRING),
            Shape::Value(Kinds::STRING.or(Kinds::NULL)),
        ];
        assert_eq!(order(&json!("x"), shapes), vec![3, 4, 0, 1, 2]);
        assert_eq!(order(&json!(1), shapes), vec![2, 0, 1, 3, 4]);
        assert_eq!(order(&json!(1.5), shapes), vec![2, 0, 1, 3, 4]);
        assert_eq!(order(&json!(null), shapes), vec![4, 0, 1, 2, 3]);
        assert_eq!(order(&json!({}), shapes), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn integers_and_fractions_are_told_apart() {
        let shapes = &[Shape::Value(Kinds::INTEGER), Shape::Value(Kinds::NUMBER)];
        assert_eq!(order(&json!(2), shapes), vec![0, 1]);
        assert_eq!(order(&json!(2.5), shapes), vec![1, 0]);
        assert_eq!(order(&json!(-3), shapes), vec![0, 1]);
        assert_eq!(order(&json!(u64::MAX), shapes), vec![0, 1]);
    }

    #[test]
    fn an_object_tries_ranked_structs_then_maps() {
        let shapes = &[Shape::Value(Kinds::OBJECT), Shape::Object { properties: &["a"], required: &["a"], open: false }, Shape::Value(Kinds::STRING)];
        assert_eq!(order(&json!({"a": 1}), shapes), vec![1, 0, 2]);
    }

    #[test]
    fn literal_keys_ignore_the_float_form() {
        assert_eq!(literal_key(&json!(1.0)), literal_key(&json!(1)));
        assert_eq!(literal_key(&json!(1.5)), "1.5");
        assert_eq!(literal_key(&json!("1")), "\"1\"");
    }
}
