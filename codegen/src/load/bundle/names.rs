//! Component names for the targets of references into other files.
//!
//! A name comes from the file's stem, or from the last token of the fragment when there is one
//! (`schemas/Pet.yaml` → `Pet`, `common.yaml#/components/schemas/Error` → `Error`). Names that
//! collide within a section are all prefixed with as many parent folders as it takes to tell them
//! apart (`v1/Pet.yaml` and `v2/Pet.yaml` → `v1_Pet`, `v2_Pet`). Everything is decided from the
//! set of targets in sorted order, never from the order they were read in, so the same files
//! always get the same names and a file that collides with none leaves every other name alone.

use std::collections::{BTreeMap, BTreeSet};

/// One target to name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Wanted {
    /// The components section it lands in.
    pub section: &'static str,
    /// The folders from the root document's folder to the file, then the file's stem; for a
    /// fetched file, the URL's path segments.
    pub path: Vec<String>,
    /// The fragment's reference tokens, unescaped.
    pub fragment: Vec<String>,
}

impl Wanted {
    /// The parts a name is built from, the most specific last: folders, the stem (when a
    /// fragment follows), the fragment's tokens.
    fn parts(&self) -> Vec<&str> {
        let (stem, folders) = self.path.split_last().map_or((None, &[][..]), |(stem, folders)| (Some(stem.as_str()), folders));
        let mut parts: Vec<&str> = folders.iter().map(String::as_str).collect();
        parts.extend(stem);
        // Tokens such as `components` and `schemas` say nothing about the thing named.
        let mut previous = "";
        for token in &self.fragment {
            let container = matches!(token.as_str(), "components" | "definitions" | "$defs" | "paths") || previous == "components";
            if !container {
                parts.push(token);
            }
            previous = token;
        }
        parts.retain(|part| !part.is_empty());
        parts
    }

    fn name(&self, depth: usize) -> String {
        let parts = self.parts();
        let start = parts.len().saturating_sub(depth + 1);
        let name = parts[start..].iter().map(|part| sanitize(part)).collect::<Vec<_>>().join("_");
        if name.is_empty() {
            "Unnamed".into()
        } else {
            name
        }
    }
}

/// Names every target; `taken` holds the names each section already has in the root document.
pub fn assign(wanted: &BTreeSet<Wanted>, taken: &BTreeMap<&'static str, BTreeSet<String>>) -> BTreeMap<Wanted, String> {
    let mut names = BTreeMap::new();
    let mut by_section: BTreeMap<&'static str, Vec<&Wanted>> = BTreeMap::new();
    for target in wanted {
        by_section.entry(target.section).or_default().push(target);
    }
    for (section, targets) in by_section {
        let mut used: BTreeSet<String> = taken.get(section).cloned().unwrap_or_default();
        let mut groups: BTreeMap<String, Vec<&Wanted>> = BTreeMap::new();
        for target in &targets {
            groups.entry(target.name(0)).or_default().push(target);
        }
        let reserved = used.clone();
        for (_, group) in groups {
            let deepest = group.iter().map(|target| target.parts().len()).max().unwrap_or(1);
            let depth = (0..deepest)
                .find(|&depth| {
                    let names: BTreeSet<String> = group.iter().map(|target| target.name(depth)).collect();
                    names.len() == group.len() && names.iter().all(|name| !reserved.contains(name))
                })
                .unwrap_or(deepest);
            for target in group {
                let mut name = target.name(depth);
                if used.contains(&name) {
                    let base = name.clone();
                    name = (2..).map(|suffix| format!("{base}_{suffix}")).find(|name| !used.contains(name)).expect("some suffix is free");
                }
                used.insert(name.clone());
                names.insert(target.clone(), name);
            }
        }
    }
    names
}

/// Keeps the characters a component name may hold (`^[a-zA-Z0-9.\-_]+$`); others become `_`.
fn sanitize(part: &str) -> String {
    part.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(path: &str, fragment: &str) -> Wanted {
        Wanted {
            section: "schemas",
            path: path.split('/').map(String::from).collect(),
            fragment: fragment.split('/').filter(|token| !token.is_empty()).map(String::from).collect(),
        }
    }

    fn names(targets: &[Wanted], taken: &[&str]) -> Vec<String> {
        let set: BTreeSet<Wanted> = targets.iter().cloned().collect();
        let taken = BTreeMap::from([("schemas", taken.iter().map(|name| name.to_string()).collect())]);
        let assigned = assign(&set, &taken);
        targets.iter().map(|target| assigned[target].clone()).collect()
    }

    #[test]
    fn stems_and_fragments_name_targets() {
        assert_eq!(names(&[wanted("schemas/Pet", ""), wanted("common", "/components/schemas/Error")], &[]), ["Pet", "Error"]);
    }

    #[test]
    fn collisions_prefix_folders_whatever_the_order() {
        let a = wanted("v1/Pet", "");
        let b = wanted("v2/Pet", "");
        let c = wanted("v2/Owner", "");
        assert_eq!(names(&[a.clone(), b.clone(), c.clone()], &[]), ["v1_Pet", "v2_Pet", "Owner"]);
        assert_eq!(names(&[c, b, a], &[]), ["Owner", "v2_Pet", "v1_Pet"]);
        assert_eq!(names(&[wanted("a", "/components/schemas/Error"), wanted("b", "/components/schemas/Error")], &[]), ["a_Error", "b_Error"]);
    }

    #[test]
    fn names_the_root_has_are_avoided() {
        assert_eq!(names(&[wanted("schemas/Pet", "")], &["Pet"]), ["schemas_Pet"]);
        assert_eq!(names(&[wanted("Pet", "")], &["Pet"]), ["Pet_2"]);
    }

    #[test]
    fn odd_characters_are_replaced() {
        assert_eq!(names(&[wanted("paths/orders_{orderId}", "")], &[]), ["orders__orderId_"]);
    }
}
