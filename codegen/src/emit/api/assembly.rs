//! Files put together from their formatted parts as the parts arrive, in the order of the jobs.
//!
//! Emission's jobs finish on every core, and [`super::super::parallel::for_each_in_order`] hands
//! their results over in job order as soon as they can be; each file is made the moment its last
//! part is in, and its parts are let go of, so the memory they held serves the parts still to
//! come instead of every part being held until the end.

use super::{Module, MISSING_RESULT};
use crate::emit::docs::finish_page;
use crate::emit::parts::assemble;
use crate::emit::SeparatedPart;
use crate::output::FileSet;

/// The file a run of formatting results makes up.
pub(super) enum File {
    /// The embedded document's module.
    Document,
    /// The module at this index of the modules.
    Module(usize),
    /// This submodule of the module at an index.
    Submodule(usize, usize),
    /// The reference page at this path.
    Page(String),
}

/// The files still to come, each with how many parts it has, and the ones made so far.
pub(super) struct Assembly {
    files: std::iter::Peekable<std::vec::IntoIter<(File, usize)>>,
    parts: Vec<SeparatedPart>,
    /// The modules, whose texts (and their submodules') are filled in as they are made.
    modules: Vec<Module>,
    /// The embedded document's module.
    document: String,
    /// The reference pages.
    docs: FileSet,
}

impl Assembly {
    /// `files` in the order of the jobs that make their parts; `modules` with empty texts.
    pub fn new(files: Vec<(File, usize)>, modules: Vec<Module>) -> Result<Assembly, String> {
        let mut assembly =
            Assembly { files: files.into_iter().peekable(), parts: Vec::new(), modules, document: String::new(), docs: FileSet::new() };
        // A file of no parts is made before any part arrives.
        assembly.make_ready()?;
        Ok(assembly)
    }

    /// Takes the next part in job order, making every file it completes.
    pub fn push(&mut self, part: SeparatedPart) -> Result<(), String> {
        self.parts.push(part);
        self.make_ready()
    }

    /// The modules, the embedded document and the pages; an error when a file is missing parts.
    pub fn finish(mut self) -> Result<(Vec<Module>, String, FileSet), String> {
        match self.files.peek() {
            Some(_) => Err(MISSING_RESULT.to_string()),
            None => Ok((self.modules, self.document, self.docs)),
        }
    }

    fn make_ready(&mut self) -> Result<(), String> {
        while let Some((_, count)) = self.files.peek() {
            if self.parts.len() < *count {
                return Ok(());
            }
            let (file, _) = self.files.next().ok_or(MISSING_RESULT)?;
            let parts = std::mem::take(&mut self.parts);
            match file {
                File::Document => self.document = parts.into_iter().next().ok_or(MISSING_RESULT)?.text,
                File::Module(index) => self.modules[index].text = assemble(parts),
                File::Submodule(index, group) => self.modules[index].submodules[group].text = assemble(parts),
                File::Page(path) => {
                    // Sized up front: a large document's HTML page is megabytes, and growing it by
                    // doubling held about twice that at the peak.
                    let mut text = String::with_capacity(parts.iter().map(|part| part.text.len()).sum::<usize>() + 1);
                    for part in parts {
                        text.push_str(&part.text);
                    }
                    self.docs.insert(path, finish_page(text));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::api::ModuleName;

    fn part(text: &str) -> SeparatedPart {
        crate::emit::separate_part(text)
    }

    fn module(name: ModuleName) -> Module {
        Module { name, text: String::new(), submodules: Vec::new() }
    }

    #[test]
    fn each_file_is_made_when_its_last_part_arrives() {
        let files = vec![(File::Document, 1), (File::Module(0), 2), (File::Module(1), 0), (File::Page("docs/a.md".into()), 2)];
        let mut assembly = Assembly::new(files, vec![module(ModuleName::Types), module(ModuleName::Operations)]).unwrap();
        assembly.push(SeparatedPart::other("document".into())).unwrap();
        assert_eq!(assembly.document, "document");
        assembly.push(part("struct A;\n")).unwrap();
        assert_eq!(assembly.modules[0].text, "", "not before its last part");
        assembly.push(part("struct B;\n")).unwrap();
        assert_eq!(assembly.modules[0].text, "struct A;\n\nstruct B;\n");
        assembly.push(SeparatedPart::other("# A\n".into())).unwrap();
        assert!(assembly.docs.is_empty());
        assembly.push(SeparatedPart::other("text\n".into())).unwrap();
        let (modules, document, docs) = assembly.finish().unwrap();
        assert_eq!((modules[1].text.as_str(), document.as_str()), ("", "document"));
        assert_eq!(docs["docs/a.md"], finish_page("# A\ntext\n".into()));
    }

    #[test]
    fn a_file_still_missing_parts_is_an_error() {
        let mut assembly = Assembly::new(vec![(File::Document, 1), (File::Module(0), 2)], vec![module(ModuleName::Types)]).unwrap();
        assembly.push(SeparatedPart::other("document".into())).unwrap();
        assembly.push(part("struct A;\n")).unwrap();
        assert!(assembly.finish().is_err());
    }
}
