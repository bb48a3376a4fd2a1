//! Struct literals written as text in prettyplease's layout: on one line only when short, else a
//! field per line.

use super::written_items::{fits, write_line, write_unbreakable, STRUCT_LITERAL_WIDTH};

/// A field of a struct literal.
pub enum Field {
    /// `name: value`, or `name` alone when the value is the name.
    Flat(String, String),
    /// `name: path { fields }`.
    Nested(String, String, Vec<Field>),
}

impl Field {
    pub fn flat(&self) -> String {
        match self {
            Field::Flat(name, value) if name == value => name.clone(),
            Field::Flat(name, value) => format!("{name}: {value}"),
            Field::Nested(name, path, fields) => format!("{name}: {}", literal(path, fields)),
        }
    }
}

/// `path { fields }` on one line.
pub fn literal(path: &str, fields: &[Field]) -> String {
    let fields: Vec<String> = fields.iter().map(Field::flat).collect();
    format!("{path} {{ {} }}", fields.join(", "))
}

/// Whether prettyplease keeps the literal on one line however much room the line has: only a
/// short one, measured up to the blank before its closing brace.
pub fn short_literal(path: &str, fields: &[Field]) -> bool {
    literal(path, fields).len() - 1 <= STRUCT_LITERAL_WIDTH
}

/// The fields of a broken struct literal, one per line, a nested literal broken the same way.
pub fn write_fields(out: &mut String, indent: usize, fields: &[Field]) -> Option<()> {
    for field in fields {
        match field {
            Field::Nested(name, path, inner) if !short_literal(path, inner) => {
                write_unbreakable(out, indent, &format!("{name}: {path} {{"));
                write_fields(out, indent + 4, inner)?;
                write_line(out, indent, "},")?;
            }
            // The last field's comma does not count either, but a line that needs that is left
            // to the tokens.
            field => write_line(out, indent, &format!("{},", field.flat()))?,
        }
    }
    Some(())
}

/// `let binding = path { fields };` at `indent`, laid out as [`write_within`] does.
pub fn write_let(out: &mut String, indent: usize, binding: &str, path: &str, fields: &[Field]) -> Option<()> {
    write_within(out, indent, &format!("let {binding} = "), path, fields, ";")
}

/// `before path { fields } after` at `indent`: on one line when the literal is short and the line
/// fits, else a field per line with `after` following the closing brace.
pub fn write_within(out: &mut String, indent: usize, before: &str, path: &str, fields: &[Field], after: &str) -> Option<()> {
    let line = format!("{before}{}{after}", literal(path, fields));
    if short_literal(path, fields) && fits(indent + line.len()) {
        return write_line(out, indent, &line);
    }
    write_unbreakable(out, indent, &format!("{before}{path} {{"));
    write_fields(out, indent + 4, fields)?;
    write_line(out, indent, &format!("}}{after}"))
}
