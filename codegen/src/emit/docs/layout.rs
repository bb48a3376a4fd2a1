//! Which Markdown page documents which operation and which model.
//!
//! A page per operation and per model reads best and links most simply, and is what an API of
//! ordinary size gets. An API with thousands of them (GitHub's document names 1,223 operations and
//! 7,028 types) would get as many files: slow to write on every regeneration, noisy in every diff
//! and every file listing, for pages nobody browses as files. Such an API gets one page per tag
//! for its operations and one page per initial letter for its models instead, each item a section
//! with the anchor its page would have had on the HTML reference.

use super::slugs::unique_slugs;

/// Up to this many operations and models together, each gets a page of its own.
pub const MAX_ITEM_PAGES: usize = 1000;

#[derive(Debug, Clone)]
pub enum Layout {
    /// `operations/<operationId>.md`, `models/<Model>.md`.
    PagePerItem,
    /// `operations/<tag>.md`, `models/<letter>.md`.
    Grouped(Grouped),
}

#[derive(Debug, Clone)]
pub struct Grouped {
    pub operation_pages: Vec<Page>,
    /// For each operation, the index of its page in `operation_pages`.
    pub operation_page: Vec<usize>,
    pub model_pages: Vec<Page>,
    /// For each type, the index of its page in `model_pages`.
    pub model_page: Vec<usize>,
}

/// A grouped page: its file-name stem, its title, and the indices of what it documents.
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub tag: Option<String>,
    pub members: Vec<usize>,
}

/// One section of the operation pages: the operations of a tag (or of none), or the webhooks.
pub struct OperationGroup<'g> {
    pub title: &'g str,
    pub tag: Option<&'g str>,
    pub operations: &'g [usize],
}

impl Layout {
    /// The layout for `operation_count` operations grouped as `groups` and the types named
    /// `type_names`.
    pub fn choose(operation_count: usize, groups: &[OperationGroup<'_>], type_names: &[&str]) -> Layout {
        if operation_count + type_names.len() <= MAX_ITEM_PAGES {
            return Layout::PagePerItem;
        }
        let slugs = unique_slugs(groups.iter().map(|group| group.title), "operations");
        let mut operation_page = vec![0; operation_count];
        let operation_pages = groups
            .iter()
            .zip(slugs)
            .enumerate()
            .map(|(page, (group, slug))| {
                for &operation in group.operations {
                    if let Some(slot) = operation_page.get_mut(operation) {
                        *slot = page;
                    }
                }
                Page { slug, title: group.title.to_string(), tag: group.tag.map(str::to_string), members: group.operations.to_vec() }
            })
            .collect();

        let initials: Vec<Option<char>> =
            type_names.iter().map(|name| name.chars().next().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase())).collect();
        // Letter order, names without a letter to begin with last.
        let mut pages: Vec<Option<char>> = initials.clone();
        pages.sort_by_key(|initial| (initial.is_none(), *initial));
        pages.dedup();
        let model_pages = pages
            .iter()
            .map(|&initial| Page {
                slug: initial.map_or_else(|| "other".to_string(), String::from),
                title: initial.map_or_else(|| "Models: other names".to_string(), |initial| format!("Models: {initial}")),
                tag: None,
                members: (0..initials.len()).filter(|&index| initials[index] == initial).collect(),
            })
            .collect();
        let model_page = initials.iter().map(|initial| pages.iter().position(|page| page == initial).unwrap_or(0)).collect();
        Layout::Grouped(Grouped { operation_pages, operation_page, model_pages, model_page })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_apis_get_a_page_per_item() {
        let groups = [OperationGroup { title: "pets", tag: Some("pets"), operations: &[0, 1] }];
        assert!(matches!(Layout::choose(2, &groups, &["Pet", "Error"]), Layout::PagePerItem));
    }

    #[test]
    fn large_apis_get_a_page_per_tag_and_initial() {
        let operations: Vec<usize> = (0..MAX_ITEM_PAGES).collect();
        let groups = [
            OperationGroup { title: "pets", tag: Some("pets"), operations: &operations[..600] },
            OperationGroup { title: "Pets", tag: Some("Pets"), operations: &operations[600..] },
        ];
        let names = ["Zebra", "apple", "Pet", "_private", "Ant"];
        let Layout::Grouped(grouped) = Layout::choose(MAX_ITEM_PAGES, &groups, &names) else { panic!("expected the grouped layout") };
        // Tags that differ only in case still get distinct files.
        let slugs: Vec<&str> = grouped.operation_pages.iter().map(|page| page.slug.as_str()).collect();
        assert_eq!(slugs, ["pets", "Pets_2"]);
        assert_eq!(grouped.operation_page[599], 0);
        assert_eq!(grouped.operation_page[600], 1);
        let letters: Vec<&str> = grouped.model_pages.iter().map(|page| page.slug.as_str()).collect();
        assert_eq!(letters, ["A", "P", "Z", "other"]);
        assert_eq!(grouped.model_pages[0].members, [1, 4]);
        let pages: Vec<&str> = grouped.model_page.iter().map(|&page| grouped.model_pages[page].slug.as_str()).collect();
        assert_eq!(pages, ["Z", "A", "P", "other", "A"]);
    }
}
