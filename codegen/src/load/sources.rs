//! The files a document was read from, and the origin map: for every part of the bundled
//! document that came from another file, which file and which pointer in it.
//!
//! Everything after loading works on the one bundled document and reports problems by pointer
//! into it. The origin map turns such a pointer back into the file a person edits, the pointer in
//! that file, and (from that file's text) the line and column.

use std::path::PathBuf;

use crate::diagnostics::Position;

/// One file read besides the root document.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// How messages name the file: its path as the root's path was given, joined with its path
    /// relative to the root's folder (`spec/schemas/Pet.yaml`), or its URL when it was fetched.
    pub name: String,
    /// Where it is on disk; `None` for a fetched file.
    pub path: Option<PathBuf>,
    /// The text as read, to find positions in.
    pub text: String,
}

/// A subtree of the bundled document that came from another file.
#[derive(Debug, Clone)]
struct Origin {
    /// Where the subtree is in the bundled document.
    at: String,
    /// Index into [`Sources::files`].
    file: usize,
    /// Where the subtree is in that file.
    pointer: String,
}

/// The files besides the root and the origin map. Empty for a document in one file.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    origins: Vec<Origin>,
    /// For a converted Swagger 2.0 document: (pointer in the converted document, pointer in the
    /// 2.0 one), sorted; applied before `origins`, which are in terms of the 2.0 document.
    conversion: Vec<(String, String)>,
}

/// Where a pointer of the bundled document is in the files it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file's [`SourceFile::name`]; `None` for the root document.
    pub file: Option<String>,
    /// The pointer in that file.
    pub pointer: String,
    /// The line and column in that file, where the pointer (or its nearest ancestor) is found.
    pub position: Option<Position>,
}

impl Sources {
    /// Adds a file and returns its index.
    pub(crate) fn add_file(&mut self, file: SourceFile) -> usize {
        self.files.push(file);
        self.files.len() - 1
    }

    /// Gives file `file` its text, once nothing else needs it.
    pub(crate) fn set_text(&mut self, file: usize, text: String) {
        self.files[file].text = text;
    }

    /// Records that the bundled document's subtree at `at` is `pointer` of file `file`.
    pub(crate) fn add_origin(&mut self, at: String, file: usize, pointer: String) {
        self.origins.push(Origin { at, file, pointer });
    }

    /// Keeps the origins ordered so that a pointer's longest matching prefix is found by search.
    pub(crate) fn seal(&mut self) {
        self.origins.sort_by(|a, b| a.at.cmp(&b.at));
    }

    /// The files read besides the root, in the order they were first read.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The text of the file messages call `name`.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.files.iter().find(|file| file.name == name).map(|file| file.text.as_str())
    }

    /// Records where each part of a converted document came from in the document as written.
    pub(crate) fn set_conversion(&mut self, mut pairs: Vec<(String, String)>) {
        pairs.sort();
        pairs.dedup_by(|a, b| a.0 == b.0);
        self.conversion = pairs;
    }

    /// The file and in-file pointer of a pointer into the document as loaded: through the
    /// conversion (for a Swagger 2.0 document), then through the bundle's origins.
    pub fn origin_of(&self, pointer: &str) -> (Option<usize>, String) {
        let written = longest_prefix(&self.conversion, pointer, |(at, _)| at.as_str()).map(|((_, source), rest)| format!("{source}{rest}"));
        self.bundled_origin(written.as_deref().unwrap_or(pointer))
    }

    /// The file (by name; `None` for the root) and in-file pointer of a pointer into the document
    /// as written, before any conversion.
    pub fn bundle_origin_of(&self, pointer: &str) -> (Option<String>, String) {
        let (file, pointer) = self.bundled_origin(pointer);
        (file.map(|file| self.files[file].name.clone()), pointer)
    }

    fn bundled_origin(&self, pointer: &str) -> (Option<usize>, String) {
        match longest_prefix(&self.origins, pointer, |origin| origin.at.as_str()) {
            Some((origin, rest)) => (Some(origin.file), format!("{}{rest}", origin.pointer)),
            None => (None, pointer.to_string()),
        }
    }

    /// Places every pointer: file, in-file pointer and position, looking positions up with one
    /// pass over each file's text.
    pub fn place(&self, root_text: &str, pointers: &[&str]) -> Vec<Place> {
        let origins: Vec<(Option<usize>, String)> = pointers.iter().map(|pointer| self.origin_of(pointer)).collect();
        let mut positions: Vec<Option<Position>> = vec![None; pointers.len()];
        let mut by_file: std::collections::BTreeMap<Option<usize>, Vec<usize>> = std::collections::BTreeMap::new();
        for (index, (file, _)) in origins.iter().enumerate() {
            by_file.entry(*file).or_default().push(index);
        }
        for (file, indexes) in by_file {
            let text = match file {
                Some(file) => self.files[file].text.as_str(),
                None => root_text,
            };
            let wanted: Vec<&str> = indexes.iter().map(|&index| origins[index].1.as_str()).collect();
            for (index, position) in indexes.iter().zip(crate::source_map::locate(text, &wanted)) {
                positions[*index] = position;
            }
        }
        origins
            .into_iter()
            .zip(positions)
            .map(|((file, pointer), position)| Place { file: file.map(|file| self.files[file].name.clone()), pointer, position })
            .collect()
    }
}

/// The entry of `sorted` (ordered by `key`) that is the longest token-wise prefix of `pointer`,
/// with the rest of `pointer` after it.
fn longest_prefix<'a, 'p, T>(sorted: &'a [T], pointer: &'p str, key: impl Fn(&T) -> &str) -> Option<(&'a T, &'p str)> {
    // Every token boundary of `pointer`, longest prefix first.
    let boundaries = std::iter::once(pointer.len()).chain(pointer.rmatch_indices('/').map(|(index, _)| index));
    for end in boundaries {
        let prefix = &pointer[..end];
        if let Ok(found) = sorted.binary_search_by(|entry| key(entry).cmp(prefix)) {
            return Some((&sorted[found], &pointer[end..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> Sources {
        let mut sources = Sources::default();
        let pet = sources.add_file(SourceFile {
            name: "schemas/Pet.yaml".into(),
            path: None,
            text: "type: object\nproperties:\n  id: {type: integer}\n".into(),
        });
        let menu = sources.add_file(SourceFile { name: "paths/menu.yaml".into(), path: None, text: "get:\n  operationId: list\n".into() });
        sources.add_origin("/components/schemas/Pet".into(), pet, String::new());
        sources.add_origin("/paths/~1menu".into(), menu, String::new());
        sources.add_origin("/paths/~1menu/get/x".into(), pet, "/properties".into());
        sources.seal();
        sources
    }

    #[test]
    fn pointers_map_to_the_longest_origin() {
        let sources = sources();
        assert_eq!(sources.origin_of("/components/schemas/Pet/properties/id"), (Some(0), "/properties/id".into()));
        assert_eq!(sources.origin_of("/components/schemas/Pet"), (Some(0), String::new()));
        assert_eq!(sources.origin_of("/components/schemas/Petty"), (None, "/components/schemas/Petty".into()));
        assert_eq!(sources.origin_of("/paths/~1menu/get/x/id"), (Some(0), "/properties/id".into()));
        assert_eq!(sources.origin_of("/paths/~1menu/get"), (Some(1), "/get".into()));
        assert_eq!(sources.origin_of("/info"), (None, "/info".into()));
    }

    #[test]
    fn a_conversion_maps_first() {
        let mut sources = sources();
        sources.set_conversion(vec![
            ("/components/schemas/Pet".into(), "/definitions/Pet".into()),
            ("/paths/~1menu/get/requestBody".into(), "/paths/~1menu/get/parameters/0".into()),
        ]);
        assert_eq!(sources.origin_of("/components/schemas/Pet/properties/id"), (None, "/definitions/Pet/properties/id".into()));
        assert_eq!(sources.origin_of("/paths/~1menu/get/requestBody/content"), (Some(1), "/get/parameters/0/content".into()));
        assert_eq!(sources.origin_of("/info"), (None, "/info".into()));
    }

    #[test]
    fn places_carry_the_file_and_its_line() {
        let places =
            sources().place("openapi: 3.1.0\ninfo: {}\n", &["/info", "/components/schemas/Pet/properties/id", "/paths/~1menu/get/operationId"]);
        assert_eq!(places[0], Place { file: None, pointer: "/info".into(), position: Some(Position { line: 2, column: 1 }) });
        assert_eq!(places[1].file.as_deref(), Some("schemas/Pet.yaml"));
        assert_eq!(places[1].position, Some(Position { line: 3, column: 3 }));
        assert_eq!(places[2].pointer, "/get/operationId");
        assert_eq!(places[2].position, Some(Position { line: 2, column: 3 }));
    }
}
