//! "Did you mean" for handler names and operationIds.

/// The candidate closest to `wanted`, when it is close enough to be a likely typo; the first one
/// wins a tie, so suggestions follow document or source order.
///
/// Case and separators are ignored (`listPets`, `list_pets` and `ListPets` are equal), because
/// writing an operationId where its snake_case method name belongs is the commonest slip. The
/// rest is rustc's rule for its own suggestions: at most one edit per three characters, where
/// swapping two neighbours counts as one edit.
pub fn closest<'a, T>(wanted: &str, candidates: impl IntoIterator<Item = (&'a str, T)>) -> Option<T> {
    let wanted = normalize(wanted);
    let limit = wanted.chars().count().max(3) / 3;
    let mut best: Option<(usize, T)> = None;
    for (name, value) in candidates {
        let distance = strsim::damerau_levenshtein(&wanted, &normalize(name));
        if distance <= limit && best.as_ref().is_none_or(|(best_distance, _)| distance < *best_distance) {
            best = Some((distance, value));
        }
    }
    best.map(|(_, value)| value)
}

fn normalize(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::closest;

    fn check(wanted: &str, candidates: &[&str], expected: Option<&str>) {
        let found = closest(wanted, candidates.iter().map(|name| (*name, *name)));
        assert_eq!(found, expected, "closest to {wanted:?} among {candidates:?}");
    }

    #[test]
    fn transposed_letters() {
        check("abort_worklfow", &["abort_workflow", "retrigger_instance"], Some("abort_workflow"));
    }

    #[test]
    fn operation_id_written_as_the_method_name() {
        check("listPets", &["show_pet_by_id", "list_pets"], Some("list_pets"));
        check("list_pets", &["showPetById", "listPets"], Some("listPets"));
    }

    #[test]
    fn a_missing_plural() {
        check("get_instance", &["get_instances", "get_workflow"], Some("get_instances"));
    }

    #[test]
    fn nearest_wins_and_first_breaks_ties() {
        check("pets", &["pest", "pets_"], Some("pets_"));
        check("abcd", &["abce", "abcf"], Some("abce"));
    }

    #[test]
    fn unrelated_names_get_no_suggestion() {
        check("delete_everything", &["delete_pet", "list_pets"], None);
        check("helper", &["list_pets"], None);
        check("get_workflow_by_id", &["get_workflow_overview_by_id"], None);
    }

    #[test]
    fn short_names_allow_one_edit() {
        check("a", &["b"], Some("b"));
        check("ab", &["cd"], None);
    }

    #[test]
    fn no_candidates() {
        check("anything", &[], None);
    }
}
