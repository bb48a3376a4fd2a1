//! Generating part of an API: the operations chosen by tag or operationId, the types they reach,
//! and a copy of the document holding only what they use.
//!
//! The subset is taken from the model of the whole document, after every name and shared shape
//! has been decided, so a type the subset keeps is written exactly as the whole document's crate
//! writes it.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Map, Value};

use crate::ir::{Content, Model, Operation, Stream, Ty, TypeId, TypeKind, TypeSpace};

/// Which operations to generate. Empty lists choose nothing: with no `tags` and no
/// `operations`, every operation is chosen; the exclusions then take some away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subset {
    /// Operations with any of these tags.
    pub tags: Vec<String>,
    /// Operations with these operationIds.
    pub operations: Vec<String>,
    /// Leave out operations with any of these tags.
    pub exclude_tags: Vec<String>,
    /// Leave out operations with these operationIds.
    pub exclude_operations: Vec<String>,
}

impl Subset {
    /// Whether this chooses every operation without looking.
    pub fn is_everything(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty() && self.exclude_tags.is_empty() && self.exclude_operations.is_empty()
    }

    fn chooses(&self, operation: &Operation) -> bool {
        let tagged = |tags: &[String]| operation.tags.iter().any(|tag| tags.contains(tag));
        let named = |ids: &[String]| ids.contains(&operation.id);
        let wanted = (self.tags.is_empty() && self.operations.is_empty()) || tagged(&self.tags) || named(&self.operations);
        wanted && !tagged(&self.exclude_tags) && !named(&self.exclude_operations)
    }
}

/// Narrows `model` to the operations `subset` chooses and the types they reach, and returns the
/// document to embed: `root` with only those operations and the components they reference.
/// An unknown tag or operationId, or a subset that chooses nothing, is an error.
pub fn apply(model: &mut Model, root: &Value, subset: &Subset) -> Result<Value, String> {
    check_names(model, subset)?;
    let chosen: Vec<Operation> = model.operations.iter().filter(|operation| subset.chooses(operation)).cloned().collect();
    if chosen.is_empty() {
        return Err("the subset chooses no operation".into());
    }
    model.operations = chosen;
    let used_tags: BTreeSet<String> = model.operations.iter().flat_map(|operation| operation.tags.iter().cloned()).collect();
    let mut kept_tags: BTreeSet<String> = BTreeSet::new();
    for tag in &used_tags {
        kept_tags.extend(model.tag_path(tag).into_iter().map(str::to_string));
    }
    model.tags.retain(|tag| kept_tags.contains(&tag.name));
    model.security_requirements = crate::lower::operations::security_requirements(&model.operations, &model.security_schemes);
    keep_reached_types(model);
    let document = pruned_document(root, model);
    // Only what the subset generates counts towards how faithful its types are.
    model.fidelity.losses.retain(|(pointer, _)| document.pointer(pointer).is_some());
    Ok(document)
}

/// Every tag and operationId the subset names must exist; a near miss is suggested.
fn check_names(model: &Model, subset: &Subset) -> Result<(), String> {
    let mut tags: Vec<&str> = model.tags.iter().map(|tag| tag.name.as_str()).collect();
    tags.extend(model.operations.iter().flat_map(|operation| operation.tags.iter().map(String::as_str)));
    let ids: Vec<&str> = model.operations.iter().map(|operation| operation.id.as_str()).collect();
    for (flag, names, known, what) in [
        ("--tags", &subset.tags, &tags, "tag"),
        ("--exclude-tags", &subset.exclude_tags, &tags, "tag"),
        ("--operations", &subset.operations, &ids, "operationId"),
        ("--exclude-operations", &subset.exclude_operations, &ids, "operationId"),
    ] {
        for name in names {
            if known.contains(&name.as_str()) {
                continue;
            }
            let mut message = format!("{flag}: the document has no {what} `{name}`");
            if let Some(near) = nearest(name, known) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            return Err(message);
        }
    }
    Ok(())
}

/// The known name most like `name`, when one is close enough to be a typo of it.
pub(crate) fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let lowered = name.to_lowercase();
    known
        .iter()
        .map(|candidate| (strsim::jaro_winkler(&lowered, &candidate.to_lowercase()), *candidate))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// The named types an operation holds directly.
fn operation_types(operation: &Operation) -> Vec<&Ty> {
    let mut types: Vec<&Ty> = operation.parameters.iter().map(|parameter| &parameter.ty).collect();
    let contents = operation.body.iter().flat_map(|body| &body.contents).chain(operation.responses.iter().flat_map(|response| &response.contents));
    for content in contents {
        types.extend(content_types(content));
    }
    types.extend(operation.responses.iter().flat_map(|response| &response.headers).map(|header| &header.ty));
    types
}

fn content_types(content: &Content) -> Vec<&Ty> {
    let mut types: Vec<&Ty> = content.ty.iter().chain(&content.item_ty).collect();
    match &content.stream {
        Some(Stream::Events { data: Some(data), .. }) => types.push(data),
        Some(Stream::Lines { item, .. }) => types.push(item),
        _ => {}
    }
    types
}

/// The ids `ty` names, looking into vectors, maps, options and boxes.
fn named_ids(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => named_ids(inner, out),
        _ => {}
    }
}

fn kind_types(kind: &TypeKind) -> Vec<&Ty> {
    match kind {
        TypeKind::Struct(structure) => structure.fields.iter().map(|field| &field.ty).chain(&structure.additional).collect(),
        TypeKind::Union(union) => union.variants.iter().map(|variant| &variant.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn kind_types_mut(kind: &mut TypeKind) -> Vec<&mut Ty> {
    match kind {
        TypeKind::Struct(structure) => structure.fields.iter_mut().map(|field| &mut field.ty).chain(structure.additional.as_mut()).collect(),
        TypeKind::Union(union) => union.variants.iter_mut().map(|variant| &mut variant.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn operation_types_mut(operation: &mut Operation) -> Vec<&mut Ty> {
    let mut types: Vec<&mut Ty> = operation.parameters.iter_mut().map(|parameter| &mut parameter.ty).collect();
    let body = operation.body.iter_mut().flat_map(|body| body.contents.iter_mut());
    let mut contents: Vec<&mut Content> = body.collect();
    for response in &mut operation.responses {
        contents.extend(response.contents.iter_mut());
        types.extend(response.headers.iter_mut().map(|header| &mut header.ty));
    }
    for content in contents {
        types.extend(content.ty.as_mut());
        types.extend(content.item_ty.as_mut());
        match &mut content.stream {
            Some(Stream::Events { data: Some(data), .. }) => types.push(data),
            Some(Stream::Lines { item, .. }) => types.push(item),
            _ => {}
        }
    }
    types
}

/// Which types `operations` reach, by type id.
fn reached_by<'m>(space: &TypeSpace, operations: impl IntoIterator<Item = &'m Operation>) -> Vec<bool> {
    let mut pending = Vec::new();
    for operation in operations {
        for ty in operation_types(operation) {
            named_ids(ty, &mut pending);
        }
    }
    reached_from_types(space, pending)
}

/// Which types `roots` are or reach, by type id.
pub(crate) fn reached_from_types(space: &TypeSpace, roots: impl IntoIterator<Item = TypeId>) -> Vec<bool> {
    let mut reached = vec![false; space.types.len()];
    let mut pending: Vec<TypeId> = roots.into_iter().collect();
    while let Some(id) = pending.pop() {
        if std::mem::replace(&mut reached[id.0], true) {
            continue;
        }
        for ty in kind_types(&space.get(id).kind) {
            named_ids(ty, &mut pending);
        }
    }
    reached
}

/// The types `operation` reaches, directly or through other types.
pub(crate) fn reached_types(space: &TypeSpace, operation: &Operation) -> Vec<TypeId> {
    reached_by(space, [operation]).into_iter().enumerate().filter(|(_, reached)| *reached).map(|(index, _)| TypeId(index)).collect()
}

/// Drops every type no chosen operation reaches and renumbers the rest, in their order.
fn keep_reached_types(model: &mut Model) {
    let count = model.space.types.len();
    let reached = reached_by(&model.space, &model.operations);
    let mut renumbered = vec![None; count];
    let mut next = 0;
    for (old, kept) in reached.iter().enumerate() {
        if *kept {
            renumbered[old] = Some(TypeId(next));
            next += 1;
        }
    }
    let renumber = |ty: &mut Ty| renumber_ty(ty, &renumbered);
    let types = std::mem::take(&mut model.space.types);
    model.space.types = types.into_iter().enumerate().filter(|(old, _)| reached[*old]).map(|(_, definition)| definition).collect();
    for definition in &mut model.space.types {
        kind_types_mut(&mut definition.kind).into_iter().for_each(renumber);
    }
    for operation in &mut model.operations {
        operation_types_mut(operation).into_iter().for_each(renumber);
    }
    let provided = std::mem::take(&mut model.space.provided.schemas);
    model.space.provided.schemas = provided.into_iter().filter_map(|(id, path)| Some((renumbered[id.0]?, path))).collect();
}

fn renumber_ty(ty: &mut Ty, renumbered: &[Option<TypeId>]) {
    match ty {
        Ty::Named(id) => *id = renumbered[id.0].expect("a reached type names only reached types"),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => renumber_ty(inner, renumbered),
        _ => {}
    }
}

/// The methods a Path Item holds operations under.
const PATH_ITEM_OPERATIONS: [&str; 9] = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

/// `root` with only the chosen operations (path items and webhooks left empty are dropped) and
/// the components something kept references, directly or through other components. Security
/// schemes are all kept: requirements name them without a `$ref`.
fn pruned_document(root: &Value, model: &Model) -> Value {
    let kept: HashSet<&str> = model.operations.iter().map(|operation| operation.pointer.as_str()).collect();
    let mut document = root.clone();
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = document.get_mut(section) else { continue };
        let section_pointer = format!("/{section}");
        items.retain(|path, item| {
            let item_pointer = format!("{section_pointer}/{}", escape(path));
            prune_path_item(item, &item_pointer, &kept)
        });
    }
    let kept_tags: HashSet<&str> = model.tags.iter().map(|tag| tag.name.as_str()).collect();
    if let Some(Value::Array(tags)) = document.get_mut("tags") {
        tags.retain(|tag| tag.get("name").and_then(Value::as_str).is_some_and(|name| kept_tags.contains(name)));
    }
    let Some(Value::Object(components)) = root.get("components") else { return document };
    // Components reached from everything but the components themselves, then from what those
    // reach, until nothing new is found.
    let mut outside = document.clone();
    if let Some(object) = outside.as_object_mut() {
        object.remove("components");
    }
    let mut reached: HashSet<String> = HashSet::new();
    let mut pending = Vec::new();
    collect_refs(&outside, &mut pending);
    while let Some(pointer) = pending.pop() {
        if !reached.insert(pointer.clone()) {
            continue;
        }
        if let Some(target) = root.pointer(&pointer) {
            collect_refs(target, &mut pending);
        }
    }
    let mut kept_components = Map::new();
    for (section, entries) in components {
        let Value::Object(entries) = entries else {
            kept_components.insert(section.clone(), entries.clone());
            continue;
        };
        if section == "securitySchemes" {
            kept_components.insert(section.clone(), Value::Object(entries.clone()));
            continue;
        }
        let kept: Map<String, Value> = entries
            .iter()
            .filter(|(name, _)| reached.iter().any(|pointer| within(pointer, &format!("/components/{section}/{}", escape(name)))))
            .map(|(name, entry)| (name.clone(), entry.clone()))
            .collect();
        if !kept.is_empty() {
            kept_components.insert(section.clone(), Value::Object(kept));
        }
    }
    document["components"] = Value::Object(kept_components);
    document
}

/// Keeps the chosen operations of a Path Item; whether anything is left of it.
fn prune_path_item(item: &mut Value, pointer: &str, kept: &HashSet<&str>) -> bool {
    let Value::Object(fields) = item else { return false };
    // A Path Item that is a `$ref` is kept whole when any operation under its target is chosen.
    if let Some(reference) = fields.get("$ref").and_then(Value::as_str) {
        return match local_pointer(reference) {
            Some(target) => kept.iter().any(|operation| within(operation, &target)),
            None => true,
        };
    }
    let mut any = false;
    for method in PATH_ITEM_OPERATIONS {
        if fields.contains_key(method) {
            if kept.contains(format!("{pointer}/{method}").as_str()) {
                any = true;
            } else {
                fields.remove(method);
            }
        }
    }
    if let Some(Value::Object(additional)) = fields.get_mut("additionalOperations") {
        let additional_pointer = format!("{pointer}/additionalOperations");
        additional.retain(|method, _| kept.contains(format!("{additional_pointer}/{}", escape(method)).as_str()));
        any |= !additional.is_empty();
    }
    any || kept.iter().any(|operation| operation.starts_with(&format!("{pointer}/")))
}

/// Every local reference in `value`, as a JSON pointer: `$ref`s, and discriminator mappings,
/// which name schemas by reference or by name.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, item) in object {
                match (key.as_str(), item) {
                    ("$ref", Value::String(reference)) => out.extend(local_pointer(reference)),
                    ("mapping", Value::Object(mapping)) if object.contains_key("propertyName") => {
                        for target in mapping.values().filter_map(Value::as_str) {
                            match local_pointer(target) {
                                Some(pointer) => out.push(pointer),
                                None => out.push(format!("/components/schemas/{}", escape(target))),
                            }
                        }
                    }
                    _ => collect_refs(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

fn local_pointer(reference: &str) -> Option<String> {
    crate::refs::percent_decode(reference.strip_prefix('#')?)
}

/// Whether `pointer` is `prefix` or inside it.
fn within(pointer: &str, prefix: &str) -> bool {
    pointer == prefix || pointer.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
