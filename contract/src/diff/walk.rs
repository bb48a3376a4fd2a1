//! The state of one comparison: both documents, what has been compared, and the changes found.

use std::collections::HashSet;

use oas_codegen::refs;
use serde_json::Value;

use super::change::{Change, Direction, Severity, Side};

pub(super) struct Walker<'a> {
    pub(super) old: &'a Value,
    pub(super) new: &'a Value,
    pub(super) changes: Vec<Change>,
    /// Schema pairs already compared, by the addresses of the resolved schemas (a node's address
    /// names it as well as its pointer, without building strings) and direction.
    visited: HashSet<(usize, usize, Direction, bool)>,
    /// Addresses of the resolved schemas of each document that some operation reaches.
    pub(super) reached_old: HashSet<usize>,
    pub(super) reached_new: HashSet<usize>,
    /// The operation being compared, as `GET /pets/{id}`.
    pub(super) operation: Option<String>,
    /// Where inside it (`request body`, `response 200`), appended to schema messages.
    pub(super) context: String,
    /// Whether a webhook is being compared: every client/server classification is mirrored.
    pub(super) mirrored: bool,
}

impl<'a> Walker<'a> {
    pub(super) fn new(old: &'a Value, new: &'a Value) -> Walker<'a> {
        Walker {
            old,
            new,
            changes: Vec::new(),
            visited: HashSet::new(),
            reached_old: HashSet::new(),
            reached_new: HashSet::new(),
            operation: None,
            context: String::new(),
            mirrored: false,
        }
    }

    pub(super) fn push(&mut self, severity: Severity, rule: &'static str, side: Side, pointer: String, message: String) {
        let severity = if self.mirrored { severity.mirrored() } else { severity };
        self.changes.push(Change { severity, rule, side, pointer, position: None, file: None, operation: self.operation.clone(), message });
    }

    /// Records a change inside a schema, saying where the schema was reached from, since its
    /// pointer may be a shared component.
    pub(super) fn push_in_context(&mut self, severity: Severity, rule: &'static str, side: Side, pointer: String, message: String) {
        let message = if self.context.is_empty() { message } else { format!("{message} ({})", self.context) };
        self.push(severity, rule, side, pointer, message);
    }

    /// Reports `subject` becoming required (which breaks `when_required`) or optional (which
    /// breaks the other side), in the current context.
    pub(super) fn report_requiredness(
        &mut self,
        (was, is): (bool, bool),
        rules: [&'static str; 2],
        when_required: Severity,
        pointer: &str,
        subject: &str,
    ) {
        let other_side = match when_required {
            Severity::BreaksClients => Severity::BreaksServers,
            Severity::BreaksServers => Severity::BreaksClients,
            same => same,
        };
        let (rule, severity, now) = match (was, is) {
            (false, true) => (rules[0], when_required, "required"),
            (true, false) => (rules[1], other_side, "optional"),
            _ => return,
        };
        self.push_in_context(severity, rule, Side::New, pointer.to_string(), format!("{subject} became {now}"));
    }

    /// Follows `value` through `$ref`s in the old document. A reference that does not resolve is
    /// left as it is (`oas validate` reports it) and then constrains nothing.
    pub(super) fn resolve_old(&self, value: &'a Value, pointer: &str) -> (&'a Value, String) {
        resolve(self.old, value, pointer)
    }

    pub(super) fn resolve_new(&self, value: &'a Value, pointer: &str) -> (&'a Value, String) {
        resolve(self.new, value, pointer)
    }

    /// Marks a schema pair as compared in `direction`; false when it already was, or, for an
    /// unused component, when an operation reached the pair through it (the operation reported it).
    pub(super) fn first_visit(&mut self, old: &Value, new: &Value, direction: Direction) -> bool {
        let (old, new) = (address(old), address(new));
        if direction == Direction::Unused {
            let reached = [Direction::Request, Direction::Response]
                .into_iter()
                .any(|direction| [false, true].into_iter().any(|mirrored| self.visited.contains(&(old, new, direction, mirrored))));
            if reached {
                return false;
            }
        } else {
            self.reached_old.insert(old);
            self.reached_new.insert(new);
        }
        self.visited.insert((old, new, direction, self.mirrored))
    }
}

pub(super) fn address(value: &Value) -> usize {
    value as *const Value as usize
}

pub(super) fn resolve<'a>(root: &'a Value, value: &'a Value, pointer: &str) -> (&'a Value, String) {
    refs::follow(root, value, pointer).unwrap_or_else(|_| (value, pointer.to_string()))
}
