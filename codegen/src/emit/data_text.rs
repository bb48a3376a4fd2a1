//! Constant data written straight to Rust text.
//!
//! Tables of constants (the server's operations) are nothing but struct literals, calls of
//! `const fn` constructors, slices and literals. Built as tokens, parsed by syn and printed by
//! prettyplease, they cost as much time as all the handler functions together, most of it in syn
//! reading long string literals over and over. Written here instead, they follow prettyplease's
//! layout: a value stays on one line when it fits in the margin, otherwise it breaks one level
//! at a time, each element on a line of its own with a trailing comma.

use super::written_items::{push_indent, MARGIN, STRUCT_LITERAL_WIDTH};
const INDENT: usize = 4;

/// A constant expression.
#[derive(Debug)]
pub enum Data {
    /// Text taken as it is: a path, a number, a literal made by [`string`].
    Atom(String),
    /// `head(arguments)`.
    Call(String, Vec<Data>),
    /// `path { field: value, .. }`.
    Struct(String, Vec<(&'static str, Data)>),
    /// `&[items]`.
    Slice(Vec<Data>),
    /// `receiver.method(arguments)...`: a builder chain.
    Chain(Box<Data>, Vec<(&'static str, Vec<Data>)>),
}

/// A string literal holding `text` exactly, whatever it contains.
pub fn string(text: &str) -> Data {
    Data::Atom(crate::emit::written_items::string_literal(text))
}

pub fn atom(text: impl Into<String>) -> Data {
    Data::Atom(text.into())
}

impl Data {
    /// Writes the value starting at `column` of a line indented by `indent`, with `suffix`
    /// characters still to follow it on its last line.
    pub fn write(&self, out: &mut String, indent: usize, column: usize, suffix: usize) {
        let budget = MARGIN.saturating_sub(column + suffix);
        let inner = indent + INDENT;
        match self {
            // An atom cannot break; a long one runs past the margin, as in prettyplease.
            Data::Atom(text) => out.push_str(text),
            Data::Call(head, arguments) => write_call(out, head, arguments, indent, budget),
            _ if self.flat_width(budget).is_some() => self.write_flat(out),
            Data::Struct(path, fields) => {
                out.push_str(path);
                out.push_str(" {");
                write_broken(out, fields.iter().map(|(name, value)| (*name, value)), inner);
                push_indent(out, indent);
                out.push('}');
            }
            Data::Slice(items) => {
                out.push_str("&[");
                write_broken(out, items.iter().map(|item| ("", item)), inner);
                push_indent(out, indent);
                out.push(']');
            }
            Data::Chain(receiver, calls) => {
                let start = out.len();
                receiver.write(out, indent, column, 0);
                // Calls on a receiver that fits on its line are indented under it; after one that
                // ends on a line of its own (`)`), they line up with that line, as rustfmt does.
                let calls_indent = if out[start..].contains('\n') { indent } else { inner };
                for (method, arguments) in calls {
                    out.push('\n');
                    push_indent(out, calls_indent);
                    out.push('.');
                    write_call(out, method, arguments, calls_indent, MARGIN.saturating_sub(calls_indent + 1));
                }
            }
        }
    }

    fn write_flat(&self, out: &mut String) {
        match self {
            Data::Atom(text) => out.push_str(text),
            Data::Call(head, arguments) => {
                out.push_str(head);
                out.push('(');
                write_separated(out, arguments.iter().map(|argument| ("", argument)));
                out.push(')');
            }
            Data::Struct(path, fields) if fields.is_empty() => {
                out.push_str(path);
                out.push_str(" {}");
            }
            Data::Struct(path, fields) => {
                out.push_str(path);
                out.push_str(" { ");
                write_separated(out, fields.iter().map(|(name, value)| (*name, value)));
                out.push_str(" }");
            }
            Data::Slice(items) => {
                out.push_str("&[");
                write_separated(out, items.iter().map(|item| ("", item)));
                out.push(']');
            }
            Data::Chain(receiver, calls) => {
                receiver.write_flat(out);
                for (method, arguments) in calls {
                    out.push('.');
                    out.push_str(method);
                    out.push('(');
                    write_separated(out, arguments.iter().map(|argument| ("", argument)));
                    out.push(')');
                }
            }
        }
    }

    /// Whether the value fits on one line starting at `column`, with `suffix` characters still to
    /// follow it.
    pub fn fits(&self, column: usize, suffix: usize) -> bool {
        self.flat_width(MARGIN.saturating_sub(column + suffix)).is_some()
    }

    /// The width of the value on one line, or `None` when that is more than `budget`. It stops
    /// counting as soon as the budget is spent, so asking at every level of a deep value costs
    /// no more than the margin per level.
    fn flat_width(&self, budget: usize) -> Option<usize> {
        let width = match self {
            Data::Atom(text) => text.len(),
            Data::Call(head, arguments) => head.len() + 2 + list_width(arguments.iter().map(|argument| (0, argument)), budget)?,
            Data::Struct(path, fields) if fields.is_empty() => path.len() + 3,
            Data::Struct(path, fields) => {
                let width = path.len() + 6 + list_width(fields.iter().map(|(name, value)| (name.len() + 2, value)), budget)?;
                // prettyplease breaks a struct literal longer than this even where it would fit,
                // counting all of it but the closing brace; `width` counts one column more than
                // the literal's text, as the margin checks expect.
                if width - 2 > STRUCT_LITERAL_WIDTH {
                    return None;
                }
                width
            }
            Data::Slice(items) => 3 + list_width(items.iter().map(|item| (0, item)), budget)?,
            Data::Chain(receiver, calls) => {
                let mut width = receiver.flat_width(budget)?;
                for (method, arguments) in calls {
                    width += method.len() + 3 + list_width(arguments.iter().map(|argument| (0, argument)), budget.saturating_sub(width))?;
                    if width > budget {
                        return None;
                    }
                }
                width
            }
        };
        (width <= budget).then_some(width)
    }
}

/// `head(arguments)`, on one line when that fits in `budget`, otherwise one argument per line.
fn write_call(out: &mut String, head: &str, arguments: &[Data], indent: usize, budget: usize) {
    out.push_str(head);
    out.push('(');
    let fits = budget.checked_sub(head.len() + 2).and_then(|rest| list_width(arguments.iter().map(|argument| (0, argument)), rest)).is_some();
    if fits {
        write_separated(out, arguments.iter().map(|argument| ("", argument)));
    } else {
        write_broken(out, arguments.iter().map(|argument| ("", argument)), indent + INDENT);
        push_indent(out, indent);
    }
    out.push(')');
}

/// The width of values separated by `, `, each after a label of the given width.
fn list_width<'d>(items: impl Iterator<Item = (usize, &'d Data)>, budget: usize) -> Option<usize> {
    let mut width = 0;
    for (index, (label, item)) in items.enumerate() {
        width += if index == 0 { 0 } else { 2 } + label;
        width += item.flat_width(budget.checked_sub(width)?)?;
        if width > budget {
            return None;
        }
    }
    Some(width)
}

fn write_separated<'d>(out: &mut String, items: impl Iterator<Item = (&'static str, &'d Data)>) {
    for (index, (label, item)) in items.enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        if !label.is_empty() {
            out.push_str(label);
            out.push_str(": ");
        }
        item.write_flat(out);
    }
}

/// Each item on a line of its own at `indent`, with a trailing comma; the caller closes.
/// prettyplease counts every comma against the margin but the last, which it prints only when
/// the list breaks.
fn write_broken<'d>(out: &mut String, items: impl ExactSizeIterator<Item = (&'static str, &'d Data)>, indent: usize) {
    out.push('\n');
    let last = items.len().saturating_sub(1);
    for (index, (label, item)) in items.enumerate() {
        push_indent(out, indent);
        let mut column = indent;
        if !label.is_empty() {
            out.push_str(label);
            out.push_str(": ");
            column += label.len() + 2;
        }
        item.write(out, indent, column, usize::from(index < last));
        out.push_str(",\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `const X: &[T] = VALUE;`, as a table is written.
    fn render(value: &Data) -> String {
        let mut out = String::from("const X: &[T] = ");
        let column = out.len();
        value.write(&mut out, 0, column, 1);
        out.push_str(";\n");
        out
    }

    #[test]
    fn struct_literals_break_where_prettyplease_breaks_them() {
        for length in 0..70 {
            let text = "s".repeat(length);
            let value = Data::Slice(vec![Data::Struct("T".into(), vec![("a", string(&text)), ("b", atom("1"))])]);
            let tokens = quote::quote!(const X: &[T] = &[T { a: #text, b: 1 }];);
            assert_eq!(render(&value), crate::emit::format_tokens(tokens).unwrap(), "{length}");
        }
    }

    #[test]
    fn only_the_last_comma_of_a_broken_list_may_pass_the_margin() {
        for length in 50..90 {
            let text = "s".repeat(length);
            let call = |head: &str| Data::Call(head.into(), vec![atom("x"), Data::Call("g".into(), vec![string(&text)])]);
            let value = Data::Slice(vec![call("f"), call("h")]);
            let tokens = quote::quote!(const X: &[T] = &[f(x, g(#text)), h(x, g(#text))];);
            assert_eq!(render(&value), crate::emit::format_tokens(tokens).unwrap(), "{length}");
        }
    }

    #[test]
    fn short_values_stay_on_one_line() {
        let value = Data::Slice(vec![Data::Struct("T".into(), vec![("a", atom("1")), ("b", string("x"))]), Data::Struct("T".into(), vec![])]);
        assert_eq!(render(&value), "const X: &[T] = &[T { a: 1, b: \"x\" }, T {}];\n");
        assert_eq!(render(&Data::Slice(vec![])), "const X: &[T] = &[];\n");
    }

    #[test]
    fn long_values_break_one_level_at_a_time() {
        let long = "a".repeat(60);
        let value = Data::Slice(vec![Data::Struct(
            "T".into(),
            vec![("name", string(&long)), ("list", Data::Slice(vec![atom("1"), atom("2")])), ("call", Data::Call("f".into(), vec![atom("3")]))],
        )]);
        let expected = format!("const X: &[T] = &[\n    T {{\n        name: \"{long}\",\n        list: &[1, 2],\n        call: f(3),\n    }},\n];\n");
        assert_eq!(render(&value), expected);
    }

    #[test]
    fn a_chain_that_does_not_fit_puts_each_call_on_its_own_line() {
        let long = "p".repeat(70);
        let value = Data::Slice(vec![Data::Chain(
            Box::new(Data::Call("S::new".into(), vec![string("id")])),
            vec![("required", vec![]), ("schema", vec![string(&long)])],
        )]);
        let expected = format!("const X: &[T] = &[\n    S::new(\"id\")\n        .required()\n        .schema(\"{long}\"),\n];\n");
        assert_eq!(render(&value), expected);
        let longer = "q".repeat(85);
        let broken_receiver = Data::Chain(Box::new(Data::Call("S::new".into(), vec![string(&longer)])), vec![("required", vec![])]);
        let expected = format!("const X: &[T] = &[\n    S::new(\n        \"{longer}\",\n    )\n    .required(),\n];\n");
        assert_eq!(render(&Data::Slice(vec![broken_receiver])), expected);
        let short = Data::Chain(Box::new(Data::Call("S::new".into(), vec![string("id")])), vec![("required", vec![])]);
        assert_eq!(render(&Data::Slice(vec![short])), "const X: &[T] = &[S::new(\"id\").required()];\n");
    }

    #[test]
    fn every_line_that_can_fit_the_margin_does() {
        let items: Vec<Data> = (0..40).map(|index| Data::Call("f".into(), vec![atom(index.to_string()), string(&"x".repeat(index))])).collect();
        let text = render(&Data::Slice(items));
        for line in text.lines() {
            assert!(line.len() <= MARGIN, "{line}");
        }
        assert!(syn::parse_file(&text).is_ok(), "{text}");
    }

    #[test]
    fn strings_from_the_document_stay_literals() {
        let text = render(&string("\"); fn evil() { //\n\\"));
        let file = syn::parse_file(&text).expect("parses");
        assert_eq!(file.items.len(), 1);
    }
}
