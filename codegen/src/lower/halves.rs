//! Operations lowered on two cores, with the model lowering them in one pass would make.
//!
//! Lowering names types and numbers them in document order, and the first operation to reach a
//! shared place (a response under `components`, say) defines its type for every later one. So
//! the later half of the operations is lowered beside the earlier half, from the same finished
//! component types, by a lowering that records what it asked for and what it made. When both
//! end, the record is put after the earlier half's work:
//!
//! - what the later half lowered at a place the earlier half had already defined is dropped,
//!   with its types, names, warnings and losses, and its uses point at the earlier definition;
//! - the rest of its types are numbered on from the earlier half's, and its names are asked for
//!   again, in order, after the earlier half's.
//!
//! One case cannot be put in order this way: a place the earlier half defined that the later half
//! lowered without a definition of its own (a `$ref` target also written inline). Then the later
//! half is lowered again after the earlier one, as in one pass.

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, Ordering};

use foldhash::fast::FixedState;
use foldhash::{HashMap, HashSet};

use super::schema::SchemaLowering;
use crate::ir::{Content, Operation, Stream, Ty, TypeDef, TypeId, TypeKind};

/// Fewer operations than this are lowered on one core: starting the other costs more than it
/// saves.
const FEWEST_TO_SPLIT: usize = 64;

/// How the operations are shared out.
#[derive(Debug, Clone, Copy)]
pub enum Split<'a> {
    /// On two cores when there are enough operations, a second core, and `beside` (set when
    /// work that runs beside the lowering ends) says that core is free; a core still busy would
    /// only be shared.
    Auto { beside: Option<&'a AtomicBool> },
    /// The later half starts at this operation (tests compare it with one pass).
    #[cfg_attr(not(test), allow(dead_code))]
    At(usize),
}

impl Split<'_> {
    /// Where the later half starts, out of `count` operations (`count`: not split).
    fn at(self, count: usize) -> usize {
        match self {
            Split::At(at) => at.min(count),
            Split::Auto { beside } => {
                let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
                let free = beside.is_none_or(|ended| ended.load(Ordering::Acquire));
                match count >= FEWEST_TO_SPLIT && cores > 1 && free {
                    true => count / 2,
                    false => count,
                }
            }
        }
    }
}

/// What a lowering beside another asked for and made, in order.
#[derive(Default)]
pub(super) struct Record {
    /// Every name asked for, and where the name goes.
    pub names: Vec<(String, Slot)>,
    /// Every place it lowered and defined, when the lowering ended.
    defined: Vec<Defined>,
    /// The hash of every place it lowered without defining it.
    undefined: Vec<u64>,
}

/// Where a name asked for goes.
pub(super) enum Slot {
    /// A definition's name.
    Type(TypeId),
    /// A name handed out for other code (an operation's request type), as first given.
    Other(String),
}

/// How much of each kind of output a lowering had at one moment.
#[derive(Debug, Clone, Copy)]
pub(super) struct Marks {
    pub types: usize,
    pub diagnostics: usize,
    pub losses: usize,
    pub names: usize,
}

/// A place lowered and defined; its pointer is its definition's.
struct Defined {
    id: TypeId,
    start: Marks,
    end: Marks,
}

impl Record {
    /// Notes a place lowered from `start` to `end`, defined as `defined` when it was (the
    /// definition keeps the pointer).
    pub fn lowered(&mut self, pointer: &str, defined: Option<TypeId>, start: Marks, end: Marks) {
        match defined {
            Some(id) => self.defined.push(Defined { id, start, end }),
            None => self.undefined.push(hash(pointer)),
        }
    }
}

fn hash(pointer: &str) -> u64 {
    FixedState::default().hash_one(pointer)
}

/// Lowers every site with `lower_one`, in document order, on two cores when `split` and the
/// machine allow.
pub(super) fn lower_in_halves<'v, S: Clone + Send>(
    lowering: &mut SchemaLowering<'v>,
    mut sites: Vec<S>,
    split: Split,
    lower_one: fn(&mut SchemaLowering<'v>, S) -> Operation,
) -> Vec<Operation> {
    let at = split.at(sites.len());
    let later = sites.split_off(at);
    if later.is_empty() {
        return sites.into_iter().map(|site| lower_one(lowering, site)).collect();
    }
    let finished = lowering.space.finish();
    let mut beside = lowering.beside(finished);
    let ahead = later.clone();
    let lowered = std::thread::scope(|scope| {
        let thread =
            crate::emit::api::worker().spawn_scoped(scope, || ahead.into_iter().map(|site| lower_one(&mut beside, site)).collect::<Vec<_>>()).ok();
        let operations: Vec<Operation> = sites.into_iter().map(|site| lower_one(lowering, site)).collect();
        let later_operations = thread.map(|thread| thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (later_operations, operations)
    });
    let (later_operations, mut operations) = lowered;
    let joined = match later_operations {
        Some(later_operations) => join(lowering, beside, later_operations),
        // No thread could be started: the later half is lowered here, after the finished
        // definitions are no longer shared.
        None => {
            drop(beside);
            None
        }
    };
    #[cfg(test)]
    tests::JOINED.with(|joined_so_far| joined_so_far.borrow_mut().push(joined.is_some()));
    lowering.space.rejoin();
    match joined {
        Some(later_operations) => operations.extend(later_operations),
        None => operations.extend(later.into_iter().map(|site| lower_one(lowering, site))),
    }
    operations
}

/// Puts the work of `beside` after `lowering`'s, as if `lowering` had gone on to do it; `None`
/// (with `lowering` as it was) when that cannot be shown to give the same model.
fn join<'v>(lowering: &mut SchemaLowering<'v>, mut beside: SchemaLowering<'v>, mut operations: Vec<Operation>) -> Option<Vec<Operation>> {
    let record = beside.record.take()?;
    let earlier = &lowering.space.by_pointer;
    let earlier_hashes: HashSet<u64> = earlier.keys().map(|pointer| hash(pointer)).collect();
    if record.undefined.iter().any(|hash| earlier_hashes.contains(hash)) {
        return None;
    }
    let first_own = beside.space.first_own();
    let own = std::mem::take(&mut beside.space.own);
    // What the earlier half had already defined, and the uses of it that now point there.
    let mut dropped: Vec<(Marks, Marks)> = Vec::new();
    let mut map: Vec<Option<TypeId>> = vec![None; own.len()];
    let mut kept_pointers = Vec::new();
    for defined in &record.defined {
        let pointer = &own[defined.id.0 - first_own].pointer;
        match earlier.get(pointer) {
            Some(&id) => {
                dropped.push((defined.start, defined.end));
                map[defined.id.0 - first_own] = Some(id);
            }
            None => kept_pointers.push((pointer.clone(), defined.id)),
        }
    }
    #[cfg(test)]
    tests::DROPPED.with(|count| count.set(count.get() + dropped.len()));
    let dropped = DroppedSpans::of(&dropped);
    let mut next = lowering.space.len();
    for (index, slot) in map.iter_mut().enumerate() {
        if !dropped.types.contains(index) {
            *slot = Some(TypeId(next));
            next += 1;
        }
    }
    // Every use must point at a definition that stays, before anything of `lowering` changes.
    let mut types: Vec<TypeDef> = Vec::with_capacity(next - lowering.space.len());
    for (index, mut def) in own.into_iter().enumerate() {
        if !dropped.types.contains(index) {
            remap_kind(&mut def.kind, first_own, &map)?;
            types.push(def);
        }
    }
    for operation in &mut operations {
        remap_operation(operation, first_own, &map)?;
    }
    let first_new = lowering.space.len();
    let names: Vec<(String, Slot)> =
        record.names.into_iter().enumerate().filter(|(index, _)| !dropped.names.contains(*index)).map(|(_, name)| name).collect();
    if names.iter().any(|(_, slot)| matches!(slot, Slot::Type(id) if dropped.types.contains(id.0 - first_own))) {
        return None;
    }
    // In document order after the earlier half: names, definitions, findings.
    let mut renamed: HashMap<String, String> = HashMap::default();
    for (wanted, slot) in names {
        let name = lowering.type_names.unique(wanted);
        match slot {
            Slot::Type(id) => {
                if let Some(new) = map[id.0 - first_own] {
                    types[new.0 - first_new].name = name;
                }
            }
            Slot::Other(provisional) => {
                renamed.insert(provisional, name);
            }
        }
    }
    for def in types {
        lowering.space.push(def);
    }
    for (pointer, id) in kept_pointers {
        if let Some(new) = map[id.0 - first_own] {
            lowering.space.by_pointer.insert(pointer, new);
        }
    }
    for operation in &mut operations {
        rename_operation(operation, &renamed);
    }
    lowering.diagnostics.extend(
        beside.diagnostics.into_iter().enumerate().filter(|(index, _)| !dropped.diagnostics.contains(*index)).map(|(_, diagnostic)| diagnostic),
    );
    lowering.losses.extend(beside.losses.into_iter().enumerate().filter(|(index, _)| !dropped.losses.contains(*index)).map(|(_, loss)| loss));
    Some(operations)
}

/// The stretches of each kind of output that belong to dropped lowerings.
struct DroppedSpans {
    types: Spans,
    diagnostics: Spans,
    names: Spans,
    losses: Spans,
}

impl DroppedSpans {
    /// From each dropped lowering's marks at its start and end.
    fn of(dropped: &[(Marks, Marks)]) -> DroppedSpans {
        let of = |pick: fn(&Marks) -> usize| Spans::new(dropped.iter().map(|(start, end)| (pick(start), pick(end))).collect());
        DroppedSpans {
            types: of(|marks| marks.types),
            diagnostics: of(|marks| marks.diagnostics),
            names: of(|marks| marks.names),
            losses: of(|marks| marks.losses),
        }
    }
}

/// Half-open index ranges, merged and in order.
struct Spans(Vec<(usize, usize)>);

impl Spans {
    fn new(mut spans: Vec<(usize, usize)>) -> Spans {
        spans.retain(|(start, end)| start < end);
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (start, end) in spans {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Spans(merged)
    }

    fn contains(&self, index: usize) -> bool {
        let after = self.0.partition_point(|(start, _)| *start <= index);
        after > 0 && index < self.0[after - 1].1
    }
}

/// Points `ty` at the new ids of the definitions made beside; `None` when it uses one that was
/// dropped without an earlier definition in its place.
fn remap(ty: &mut Ty, first_own: usize, map: &[Option<TypeId>]) -> Option<()> {
    match ty {
        Ty::Named(id) => {
            if let Some(own) = id.0.checked_sub(first_own) {
                *id = map[own]?;
            }
            Some(())
        }
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => remap(inner, first_own, map),
        _ => Some(()),
    }
}

fn remap_kind(kind: &mut TypeKind, first_own: usize, map: &[Option<TypeId>]) -> Option<()> {
    match kind {
        TypeKind::Struct(structure) => {
            for field in &mut structure.fields {
                remap(&mut field.ty, first_own, map)?;
            }
            if let Some(additional) = &mut structure.additional {
                remap(additional, first_own, map)?;
            }
        }
        TypeKind::Union(union) => {
            for variant in &mut union.variants {
                remap(&mut variant.ty, first_own, map)?;
            }
        }
        TypeKind::Alias(ty) => remap(ty, first_own, map)?,
        TypeKind::Enum(_) => {}
    }
    Some(())
}

fn remap_operation(operation: &mut Operation, first_own: usize, map: &[Option<TypeId>]) -> Option<()> {
    for parameter in &mut operation.parameters {
        remap(&mut parameter.ty, first_own, map)?;
    }
    let body_contents = operation.body.iter_mut().flat_map(|body| body.contents.iter_mut());
    let response_contents = operation.responses.iter_mut().flat_map(|response| response.contents.iter_mut());
    for content in body_contents.chain(response_contents) {
        remap_content(content, first_own, map)?;
    }
    for header in operation.responses.iter_mut().flat_map(|response| response.headers.iter_mut()) {
        remap(&mut header.ty, first_own, map)?;
    }
    Some(())
}

fn remap_content(content: &mut Content, first_own: usize, map: &[Option<TypeId>]) -> Option<()> {
    for ty in content.ty.iter_mut().chain(content.item_ty.iter_mut()) {
        remap(ty, first_own, map)?;
    }
    match &mut content.stream {
        Some(Stream::Events { data: Some(data), .. }) => remap(data, first_own, map),
        Some(Stream::Lines { item, .. }) => remap(item, first_own, map),
        _ => Some(()),
    }
}

/// Gives the operation's own type names their places in document order.
fn rename_operation(operation: &mut Operation, renamed: &HashMap<String, String>) {
    let rename = |name: &mut String| {
        if let Some(new) = renamed.get(name.as_str()) {
            name.clone_from(new);
        }
    };
    rename(&mut operation.request_type);
    rename(&mut operation.response_type);
    if let Some(body) = &mut operation.body {
        body.content_type.iter_mut().for_each(rename);
    }
    for response in &mut operation.responses {
        response.content_type.iter_mut().for_each(rename);
        response.headers_type.iter_mut().for_each(rename);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::path::{Path, PathBuf};

    use super::super::{lower_split, TypeOptions};
    use super::Split;

    thread_local! {
        /// Whether each split on this thread was joined (rather than lowered again).
        pub(super) static JOINED: RefCell<Vec<bool>> = const { RefCell::new(Vec::new()) };
        /// How many definitions the later halves on this thread made were dropped.
        pub(super) static DROPPED: Cell<usize> = const { Cell::new(0) };
    }

    /// Splits `document` after its first operation: whether the halves were joined, and how
    /// many of the later half's definitions were dropped for the earlier half's.
    fn split_once(document: &str) -> (bool, usize) {
        JOINED.with(|joined| joined.borrow_mut().clear());
        DROPPED.with(|count| count.set(0));
        let document = crate::load::load_str(document).unwrap();
        assert_eq!(check(&document, "the document"), 1);
        let joined = JOINED.with(|joined| joined.borrow().clone());
        assert_eq!(joined.len(), 1);
        (joined[0], DROPPED.with(Cell::get))
    }

    const SHARED_RESPONSE: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: a
      responses:
        '200': {$ref: '#/components/responses/Shared'}
  /b:
    get:
      operationId: b
      responses:
        '200': {$ref: '#/components/responses/Shared'}
components:
  responses:
    Shared:
      description: both operations' object, defined by the first
      content:
        application/json:
          schema:
            type: object
            properties: {id: {type: integer}, tags: {type: array, items: {type: object, properties: {tag: {type: string}}}}}
"#;

    #[test]
    fn a_place_both_halves_lower_keeps_the_earlier_definition() {
        // The object and the type of its items.
        assert_eq!(split_once(SHARED_RESPONSE), (true, 2));
    }

    #[test]
    fn a_reference_target_the_later_half_lowers_inline_is_lowered_again_in_order() {
        let document = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: a
      responses:
        '200':
          description: refers to b's schema, which it defines
          content:
            application/json:
              schema: {$ref: '#/paths/~1b/get/responses/200/content/application~1json/schema'}
  /b:
    get:
      operationId: b
      responses:
        '200':
          description: the same schema, written inline
          content:
            application/json:
              schema: {type: string}
"#;
        assert_eq!(split_once(document), (false, 0));
    }

    fn documents_in(folder: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(folder) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                documents_in(&path, found);
            } else if path.extension().is_some_and(|extension| extension == "json" || extension == "yaml" || extension == "yml") {
                found.push(path);
            }
        }
    }

    /// The first line where two renderings of a model differ.
    fn first_difference(one_pass: &str, halves: &str) -> Option<String> {
        let differing = one_pass.lines().zip(halves.lines()).position(|(a, b)| a != b);
        match differing {
            Some(line) => Some(format!("line {line}: {:?} against {:?}", one_pass.lines().nth(line), halves.lines().nth(line))),
            None => (one_pass.len() != halves.len()).then(|| "one is longer".to_string()),
        }
    }

    fn check(document: &crate::load::Document, name: &str) -> usize {
        let options = TypeOptions::default();
        let one_pass = lower_split(document, &options, Split::At(usize::MAX));
        let count = one_pass.operations.len();
        let one_pass = format!("{one_pass:#?}");
        let mut points = vec![1, count / 3, count / 2, count.saturating_sub(1)];
        points.retain(|&at| at > 0 && at < count);
        points.dedup();
        for &at in &points {
            let halves = format!("{:#?}", lower_split(document, &options, Split::At(at)));
            if let Some(difference) = first_difference(&one_pass, &halves) {
                panic!("{name}, later half from operation {at}: {difference}");
            }
        }
        points.len()
    }

    #[test]
    fn every_corpus_document_lowers_in_halves_to_the_model_of_one_pass() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
        let mut found = Vec::new();
        for folder in ["large", "real", "features", "orchestrator", "swagger2"] {
            documents_in(&corpus.join(folder), &mut found);
        }
        found.sort();
        let mut splits = 0;
        for path in &found {
            if let Ok(document) = crate::load::load_file(path) {
                splits += check(&document, &path.display().to_string());
            }
        }
        assert!(splits > 300, "{} documents split {splits} times", found.len());
    }
}
