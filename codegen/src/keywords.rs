//! Keyword lookups in the document's objects.
//!
//! A schema or operation object has a handful of keys, and lowering asks each for a dozen
//! keywords (the loader's walks ask for `$ref` and `$id` of every object). The parsed document's maps hash every key asked for (SipHash, as serde_json's maps
//! do), which was about a fifth of lowering's time on GitHub's description (`perf`); comparing
//! the few keys there are is cheaper, so small objects are searched in order.

use serde_json::{Map, Value};

/// Objects with more keys than this are looked up by hash.
const SCAN_LIMIT: usize = 12;

pub(crate) trait Keywords {
    /// The value of `name`, as `get` gives it.
    fn keyword(&self, name: &str) -> Option<&Value>;

    fn has_keyword(&self, name: &str) -> bool {
        self.keyword(name).is_some()
    }
}

impl Keywords for Map<String, Value> {
    fn keyword(&self, name: &str) -> Option<&Value> {
        match self.len() <= SCAN_LIMIT {
            true => self.iter().find_map(|(key, value)| (key == name).then_some(value)),
            false => self.get(name),
        }
    }
}

impl Keywords for Value {
    fn keyword(&self, name: &str) -> Option<&Value> {
        self.as_object()?.keyword(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_objects_answer_as_get_does() {
        for size in [0, 1, SCAN_LIMIT, SCAN_LIMIT + 1, 40] {
            let object: Map<String, Value> = (0..size).map(|index| (format!("k{index}"), Value::from(index))).collect();
            let value = Value::Object(object.clone());
            for name in ["k0", "k1", &format!("k{}", size.saturating_sub(1)), "k", "missing", ""] {
                assert_eq!(object.keyword(name), object.get(name), "{name} of {size}");
                assert_eq!(value.keyword(name), value.get(name), "{name} of {size}");
                assert_eq!(object.has_keyword(name), object.contains_key(name));
            }
        }
        assert_eq!(Value::from(1).keyword("k0"), None);
    }
}
