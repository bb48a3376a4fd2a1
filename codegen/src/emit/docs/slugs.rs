//! File names and anchors. Both are built only from `[A-Za-z0-9_-]`, so no name from the document
//! can leave `docs/`, need escaping in a link or an `id`, or name a Windows device, and they are
//! made unique ignoring case, because the files land on case-insensitive file systems too.

use foldhash::{HashSet, HashSetExt};

use crate::ir::{Operation, TypeSpace};

/// File names stay well below the 255-byte limit of common file systems, leaving room for a suffix.
const MAX_SLUG_CHARS: usize = 96;

/// The file-name stem (and, after `op-`, the HTML anchor) of each operation, in IR order.
pub fn operation_slugs(operations: &[Operation]) -> Vec<String> {
    unique_slugs(operations.iter().map(|operation| operation.id.as_str()), "operation")
}

/// The file-name stem (and, after `model-`, the HTML anchor) of each type, in type-space order.
/// Rust type names are already identifiers; this only guards against case-insensitive file systems.
pub fn model_slugs(space: &TypeSpace) -> Vec<String> {
    unique_slugs(space.types.iter().map(|definition| definition.name.as_str()), "Model")
}

/// The `id` of an operation's section in `index.html`.
pub fn operation_anchor(slug: &str) -> String {
    format!("op-{slug}")
}

/// The `id` of a model's section in `index.html`.
pub fn model_anchor(slug: &str) -> String {
    format!("model-{slug}")
}

/// Names that Windows maps to devices whatever the extension; only the ASCII ones can occur here.
const WINDOWS_DEVICE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3",
    "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A safe and unique slug for each of `names`, in order; `fallback` for a name with no letter or digit.
pub(super) fn unique_slugs<'a>(names: impl Iterator<Item = &'a str>, fallback: &str) -> Vec<String> {
    // Compared in lowercase, because the files land on case-insensitive file systems too and the
    // output stage refuses paths that differ only in case.
    let (lower, _) = names.size_hint();
    let mut taken: HashSet<String> = HashSet::with_capacity(lower);
    names
        .map(|name| {
            let mut base: String =
                name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).take(MAX_SLUG_CHARS).collect();
            if !base.bytes().any(|byte| byte.is_ascii_alphanumeric()) {
                base = fallback.to_string();
            }
            if WINDOWS_DEVICE_NAMES.iter().any(|device| device.eq_ignore_ascii_case(&base)) {
                base.push('_');
            }
            // Most names are taken as they are: one lowercase copy for the set, and the name itself.
            if taken.insert(base.to_ascii_lowercase()) {
                return base;
            }
            let mut suffix = 2;
            loop {
                let candidate = format!("{base}_{suffix}");
                if taken.insert(candidate.to_ascii_lowercase()) {
                    return candidate;
                }
                suffix += 1;
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique_ignoring_case() {
        let names = ["getPet", "GETPET", "../../x", "a/b", "", "con", "Con", "ünïcode", "get-pet"];
        let slugs = unique_slugs(names.into_iter(), "operation");
        assert_eq!(slugs, ["getPet", "GETPET_2", "______x", "a_b", "operation", "con_", "Con__2", "_n_code", "get-pet"]);
        assert!(slugs.iter().all(|slug| slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')));
    }
}
