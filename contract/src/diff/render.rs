//! The two output formats of a report.

use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use super::change::{Change, Severity, Side};
use super::Report;

impl Report {
    /// One line per change, `SEVERITY POINTER (LINE:COL): MESSAGE`, grouped by severity with a
    /// blank line between groups, then a summary line. Positions in the old document read
    /// `(old LINE:COL)`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut previous = None;
        for change in &self.changes {
            if previous.is_some_and(|severity| severity != change.severity) {
                out.push('\n');
            }
            previous = Some(change.severity);
            out.push_str(&render_line(change));
            out.push('\n');
        }
        if !self.changes.is_empty() {
            out.push('\n');
        }
        out.push_str(&self.summary_line());
        out.push('\n');
        out
    }

    fn summary_line(&self) -> String {
        if self.changes.is_empty() {
            return "no changes".to_string();
        }
        let counts: Vec<String> = Severity::ALL
            .into_iter()
            .filter_map(|severity| match self.count(severity) {
                0 => None,
                n => Some(format!("{n} {}", severity.as_str())),
            })
            .collect();
        let noun = if self.changes.len() == 1 { "change" } else { "changes" };
        format!("{} {noun}: {}", self.changes.len(), counts.join(", "))
    }

    /// `{"summary": {SEVERITY: COUNT, ..}, "changes": [{"severity", "rule", "document", "pointer", "file",
    /// "line", "column", "operation", "message"}, ..]}`: every key is always present (`null` when
    /// unknown), the summary lists all five severities, changes come in the text's order.
    pub fn to_json(&self) -> Value {
        let mut summary = Map::new();
        for severity in Severity::ALL {
            summary.insert(severity.as_str().to_string(), json!(self.count(severity)));
        }
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|change| {
                json!({
                    "severity": change.severity.as_str(),
                    "rule": change.rule,
                    "document": change.side.as_str(),
                    "pointer": change.pointer,
                    "file": change.file,
                    "line": change.position.map(|position| position.line),
                    "column": change.position.map(|position| position.column),
                    "operation": change.operation,
                    "message": change.message,
                })
            })
            .collect();
        json!({ "summary": summary, "changes": changes })
    }
}

fn render_line(change: &Change) -> String {
    let mut line = format!("{} {}", change.severity.as_str(), if change.pointer.is_empty() { "(document root)" } else { &change.pointer });
    if let Some(position) = change.position {
        let side = if change.side == Side::Old { "old " } else { "" };
        let file = change.file.as_deref().map(|file| format!("{file}:")).unwrap_or_default();
        let _ = write!(line, " ({side}{file}{}:{})", position.line, position.column);
    } else if change.side == Side::Old {
        line.push_str(" (old)");
    }
    let _ = write!(line, ": {}", change.message);
    line
}
