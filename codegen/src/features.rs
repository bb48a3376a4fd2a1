//! A cargo feature per tag (`--features-per-tag`): each tag's operations, and the schemas only
//! they reach, compile only when its feature is on; a schema several tags reach compiles when any
//! of them is. An operation belongs to its first tag; operations without one belong to
//! `untagged`; schemas no operation reaches belong to `other-schemas`; `full` turns everything
//! on.

use std::collections::BTreeSet;

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Model;

/// crates.io refuses a crate with more features than this.
pub const FEATURE_LIMIT: usize = 300;

/// The feature of the types no operation reaches.
pub const OTHER_SCHEMAS: &str = "other-schemas";

/// Feature names the crate layout uses already.
const RESERVED: [&str; 6] = ["default", "full", "server", "client", "untagged", OTHER_SCHEMAS];

/// Which feature each operation and type compiles under.
#[derive(Debug, Clone, Default)]
pub struct FeatureMap {
    /// Every tag feature, in the order of first use, then `untagged` when an operation has no
    /// tag and `other-schemas` when some schema is reached by no operation.
    pub names: Vec<String>,
    /// The features that compile each type, by type id, sorted: those of the operations that
    /// reach it, and `other-schemas` when a type no operation reaches holds it.
    pub types: Vec<Vec<String>>,
    /// The feature of each operation, by its pointer.
    by_pointer: std::collections::HashMap<String, String>,
}

impl FeatureMap {
    /// The features of `model`'s operations and types.
    pub fn of(model: &Model) -> FeatureMap {
        let tag_of = |operation: &crate::ir::Operation| operation.tags.first().cloned();
        let mut by_tag: Vec<(String, String)> = Vec::new();
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|name| name.to_string()).collect();
        let mut unique = |wanted: String| -> String {
            let name =
                (1..).map(|n| if n == 1 { wanted.clone() } else { format!("{wanted}-{n}") }).find(|name| !taken.contains(name)).unwrap_or_default();
            taken.insert(name.clone());
            name
        };
        let tags: Vec<String> = {
            let mut seen = BTreeSet::new();
            model.operations.iter().filter_map(tag_of).filter(|tag| seen.insert(tag.clone())).collect()
        };
        // Past the limit (counting the crate's own features), tags share a feature by first letter.
        let grouped = tags.len() + RESERVED.len() > FEATURE_LIMIT;
        for tag in &tags {
            let wanted = if grouped { format!("tags-{}", feature_name(tag).chars().next().unwrap_or('x')) } else { feature_name(tag) };
            let name = match by_tag.iter().find(|(_, name)| grouped && *name == wanted) {
                Some((_, name)) => name.clone(),
                None => unique(wanted),
            };
            by_tag.push((tag.clone(), name));
        }
        let operations: Vec<String> = model
            .operations
            .iter()
            .map(|operation| match tag_of(operation) {
                Some(tag) => by_tag.iter().find(|(known, _)| *known == tag).map(|(_, name)| name.clone()).unwrap_or_else(|| "untagged".into()),
                None => "untagged".into(),
            })
            .collect();
        let mut names: Vec<String> = Vec::new();
        for (_, name) in &by_tag {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        if operations.iter().any(|name| name == "untagged") {
            names.push("untagged".into());
        }
        let mut types = vec![BTreeSet::new(); model.space.types.len()];
        for (operation, feature) in model.operations.iter().zip(&operations) {
            for id in crate::subset::reached_types(&model.space, operation) {
                types[id.0].insert(feature.clone());
            }
        }
        // Types no operation reaches (webhook payloads of `x-webhooks`, definitions kept for
        // their own sake) compile with their own feature, and so does everything they hold.
        let unreached: Vec<crate::ir::TypeId> =
            types.iter().enumerate().filter(|(_, set)| set.is_empty()).map(|(index, _)| crate::ir::TypeId(index)).collect();
        if !unreached.is_empty() {
            let held = crate::subset::reached_from_types(&model.space, unreached);
            for (set, held) in types.iter_mut().zip(held) {
                if held {
                    set.insert(OTHER_SCHEMAS.to_string());
                }
            }
            names.push(OTHER_SCHEMAS.into());
        }
        let by_pointer = model.operations.iter().zip(&operations).map(|(operation, feature)| (operation.pointer.clone(), feature.clone())).collect();
        FeatureMap { names, types: types.into_iter().map(|set| set.into_iter().collect()).collect(), by_pointer }
    }

    /// The feature of an operation.
    pub fn operations_feature(&self, operation: &crate::ir::Operation) -> Option<&String> {
        self.by_pointer.get(&operation.pointer)
    }

    /// The `#[cfg]` of an operation's items.
    pub fn operation_cfg(&self, operation: &crate::ir::Operation) -> TokenStream {
        match self.by_pointer.get(&operation.pointer) {
            Some(feature) => FeatureMap::cfg(std::slice::from_ref(feature)),
            None => TokenStream::new(),
        }
    }

    /// The types `keep` accepts, grouped by the features that compile them: the groups in the
    /// order of their first type, each group's types in type-space order.
    pub fn type_groups(&self, keep: impl Fn(crate::ir::TypeId) -> bool) -> Vec<(Vec<String>, Vec<crate::ir::TypeId>)> {
        let mut groups: Vec<(Vec<String>, Vec<crate::ir::TypeId>)> = Vec::new();
        let mut index_of: std::collections::HashMap<&[String], usize> = std::collections::HashMap::new();
        for (id, features) in self.types.iter().enumerate().map(|(index, features)| (crate::ir::TypeId(index), features)) {
            if !keep(id) {
                continue;
            }
            let index = *index_of.entry(features.as_slice()).or_insert_with(|| {
                groups.push((features.clone(), Vec::new()));
                groups.len() - 1
            });
            groups[index].1.push(id);
        }
        groups
    }

    /// `operations` grouped by their feature: the groups in the order of their first operation,
    /// each group's operations in document order.
    pub fn operation_groups<'m>(&self, operations: &'m [crate::ir::Operation]) -> Vec<(String, Vec<&'m crate::ir::Operation>)> {
        let mut groups: Vec<(String, Vec<&crate::ir::Operation>)> = Vec::new();
        for operation in operations {
            let feature = self.operations_feature(operation).cloned().unwrap_or_default();
            match groups.iter_mut().find(|(known, _)| *known == feature) {
                Some((_, members)) => members.push(operation),
                None => groups.push((feature, vec![operation])),
            }
        }
        groups
    }

    /// The `#[cfg(...)]` of an item that compiles under any of `features`; nothing for none.
    pub fn cfg(features: &[String]) -> TokenStream {
        match features {
            [] => TokenStream::new(),
            [one] => quote!(#[cfg(feature = #one)]),
            several => quote!(#[cfg(any( #( feature = #several ),* ))]),
        }
    }
}

/// A tag as a cargo feature name: kebab-case ASCII letters, digits, `-` and `_`.
fn feature_name(tag: &str) -> String {
    let kebab: String = tag.to_kebab_case().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let kebab = kebab.trim_matches('-').to_string();
    if kebab.is_empty() {
        "tag".into()
    } else {
        kebab
    }
}

/// Puts `cfg` on every item of `items` (a sequence of whole items), so that a group of items an
/// emitter builds together compiles or not as one.
pub fn gate(items: TokenStream, cfg: &TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    let Ok(file) = syn::parse2::<syn::File>(items.clone()) else { return items };
    let gated = file.items.into_iter().map(|item| quote!(#cfg #item));
    quote!( #( #gated )* )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_cargo_feature_names() {
        assert_eq!(feature_name("Pet Store"), "pet-store");
        assert_eq!(feature_name("code-scanning"), "code-scanning");
        assert_eq!(feature_name("Ünïcode"), "ncode");
        assert_eq!(feature_name("!!!"), "tag");
    }

    #[test]
    fn cfgs_name_every_feature() {
        assert_eq!(FeatureMap::cfg(&[]).to_string(), "");
        assert_eq!(FeatureMap::cfg(&["a".into()]).to_string(), "# [cfg (feature = \"a\")]");
        assert_eq!(FeatureMap::cfg(&["a".into(), "b".into()]).to_string(), "# [cfg (any (feature = \"a\" , feature = \"b\"))]");
    }
}
