//! Component schemas no operation uses, and the document's own version.

use oas_codegen::diagnostics::join;
use serde_json::Value;

use super::change::{Direction, Severity, Side};
use super::walk::{address, Walker};

impl Walker<'_> {
    /// Runs after the operations, so that `reached_*` says which schemas they use.
    pub(super) fn compare_unused_components(&mut self) {
        self.operation = None;
        let (old_root, new_root) = (self.old, self.new);
        let old_schemas = old_root.pointer("/components/schemas").and_then(Value::as_object);
        let new_schemas = new_root.pointer("/components/schemas").and_then(Value::as_object);
        for (name, old_schema) in old_schemas.into_iter().flatten() {
            let pointer = join("/components/schemas", name);
            match new_schemas.and_then(|schemas| schemas.get(name)) {
                None => {
                    self.context.clear();
                    self.push(Severity::Info, "component.removed", Side::Old, pointer, format!("component schema `{name}` removed"));
                }
                Some(new_schema) => {
                    if self.reached_old.contains(&address(old_schema)) || self.reached_new.contains(&address(new_schema)) {
                        continue;
                    }
                    self.context = format!("schema `{name}`, used by no operation");
                    self.compare_schema(old_schema, &pointer, new_schema, &pointer, Direction::Unused);
                }
            }
        }
        for name in new_schemas.into_iter().flatten().map(|(name, _)| name) {
            if old_schemas.is_some_and(|schemas| schemas.contains_key(name)) {
                continue;
            }
            self.context.clear();
            self.push(Severity::Info, "component.added", Side::New, join("/components/schemas", name), format!("component schema `{name}` added"));
        }
        self.context.clear();
    }

    pub(super) fn compare_info_version(&mut self) {
        let version = |root: &Value| root.pointer("/info/version").and_then(Value::as_str).map(str::to_string);
        let (old, new) = (version(self.old), version(self.new));
        if old != new {
            let show = |version: Option<String>| version.unwrap_or_else(|| "none".to_string());
            let message = format!("info.version changed from {} to {}", show(old), show(new));
            self.push(Severity::Info, "info.version-changed", Side::New, "/info/version".to_string(), message);
        }
    }
}
