//! The type space as lowering builds it: the definitions made before the operations were
//! shared out between cores (read by both, changed by neither), then this lowering's own.

use std::sync::Arc;

use foldhash::HashMap;

use crate::ir::{Ty, TypeDef, TypeId, TypeSpace};

/// Definitions and the pointers they were made for, finished before a split; every lowering of
/// the split reads them.
#[derive(Default)]
pub(in crate::lower) struct Finished {
    pub types: Vec<TypeDef>,
    pub by_pointer: HashMap<String, TypeId>,
}

/// The finished definitions, then the ones this lowering made, numbered on from them.
#[derive(Default)]
pub(in crate::lower) struct Space {
    finished: Arc<Finished>,
    pub own: Vec<TypeDef>,
    pub by_pointer: HashMap<String, TypeId>,
}

impl Space {
    pub fn new(finished: Arc<Finished>) -> Space {
        Space { finished, own: Vec::new(), by_pointer: HashMap::default() }
    }

    /// How many definitions there are: the id the next one gets.
    pub fn len(&self) -> usize {
        self.finished.types.len() + self.own.len()
    }

    /// Where this lowering's own definitions start.
    pub fn first_own(&self) -> usize {
        self.finished.types.len()
    }

    pub fn get(&self, id: TypeId) -> &TypeDef {
        match id.0.checked_sub(self.finished.types.len()) {
            Some(own) => &self.own[own],
            None => &self.finished.types[id.0],
        }
    }

    /// A definition this lowering made; finished ones do not change, and lowering only fills in
    /// the definitions it is making.
    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        let own = id.0.checked_sub(self.finished.types.len()).expect("lowering changes only its own definitions");
        &mut self.own[own]
    }

    pub fn push(&mut self, def: TypeDef) -> TypeId {
        let id = TypeId(self.len());
        self.own.push(def);
        id
    }

    /// The definition made for `pointer`, finished or this lowering's.
    pub fn at(&self, pointer: &str) -> Option<TypeId> {
        if let Some(&id) = self.by_pointer.get(pointer) {
            return Some(id);
        }
        match self.finished.by_pointer.is_empty() {
            true => None,
            false => self.finished.by_pointer.get(pointer).copied(),
        }
    }

    /// As [`TypeSpace::look_through`].
    pub fn look_through<'s>(&'s self, ty: &'s Ty) -> &'s Ty {
        crate::ir::look_through(ty, self.len(), |id| self.get(id))
    }

    /// Makes everything so far finished, to be shared with another lowering; this one goes on
    /// with no definitions of its own.
    pub fn finish(&mut self) -> Arc<Finished> {
        let mut finished = self.take_finished();
        extend(&mut finished.types, std::mem::take(&mut self.own), Vec::is_empty);
        extend(&mut finished.by_pointer, std::mem::take(&mut self.by_pointer), HashMap::is_empty);
        let finished = Arc::new(finished);
        self.finished = finished.clone();
        finished
    }

    /// Takes back the finished definitions once no other lowering shares them.
    fn take_finished(&mut self) -> Finished {
        let shared = std::mem::take(&mut self.finished);
        Arc::try_unwrap(shared).unwrap_or_else(|shared| Finished { types: shared.types.clone(), by_pointer: shared.by_pointer.clone() })
    }

    /// Every definition, finished and own, as one type space.
    pub fn into_type_space(mut self) -> TypeSpace {
        self.rejoin();
        TypeSpace { types: self.own, ..TypeSpace::default() }
    }

    /// Joins the finished definitions back in front of this lowering's own, after the lowering
    /// it was shared with has ended; ids do not change.
    pub fn rejoin(&mut self) {
        let mut finished = self.take_finished();
        extend(&mut finished.types, std::mem::take(&mut self.own), Vec::is_empty);
        extend(&mut finished.by_pointer, std::mem::take(&mut self.by_pointer), HashMap::is_empty);
        self.own = finished.types;
        self.by_pointer = finished.by_pointer;
    }
}

/// Adds `more` to `into` (`empty` tells whether it is), moving `more` whole when `into` is
/// empty. The type space is large, and with freed memory kept for reuse (as the command-line
/// tool keeps it) every copy of it would stay resident.
fn extend<C: Extend<I> + IntoIterator<Item = I>, I>(into: &mut C, more: C, empty: impl Fn(&C) -> bool) {
    match empty(into) {
        true => *into = more,
        false => into.extend(more),
    }
}
