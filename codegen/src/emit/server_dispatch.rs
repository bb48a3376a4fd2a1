//! The server's `dispatch`: a `match` from an operation's index to its handler. For a large
//! document it is one long function, which `syn` and prettyplease take longer over than any other
//! single item of the server, so it is written as text, in prettyplease's layout.

use super::data_text::{atom, Data};
use super::written_items::push_indent;
use crate::ir::Operation;

const ARM_INDENT: usize = 8;

/// The handler function of `operation` in the generated server.
pub fn handler_name(operation: &Operation) -> String {
    format!("handle_{}", operation.rust_name.trim_start_matches("r#"))
}

/// `dispatch` for `operations` (at least one), indexed as `OPERATIONS` is.
pub fn dispatch_text(operations: &[&Operation]) -> String {
    let mut out = String::with_capacity(operations.len() * 64 + 400);
    out.push_str(
        "fn dispatch<S: Handlers>(\n    service: Arc<S>,\n    index: usize,\n    input: rt::Input,\n) -> rt::BoxFuture<Result<rt::Response, rt::Rejection>> {\n    match index {\n",
    );
    for (index, operation) in operations.iter().enumerate() {
        let call = Data::Call("Box::pin".into(), vec![Data::Call(handler_name(operation), vec![atom("service"), atom("input")])]);
        let head = format!("{index} => ");
        push_indent(&mut out, ARM_INDENT);
        out.push_str(&head);
        // The arm's comma may run past the margin.
        if call.fits(ARM_INDENT + head.len(), 0) {
            call.write(&mut out, ARM_INDENT, ARM_INDENT + head.len(), 0);
            out.push_str(",\n");
        } else {
            // An arm that does not fit on its line becomes a block.
            out.push_str("{\n");
            push_indent(&mut out, ARM_INDENT + 4);
            call.write(&mut out, ARM_INDENT + 4, ARM_INDENT + 4, 0);
            out.push('\n');
            push_indent(&mut out, ARM_INDENT);
            out.push_str("}\n");
        }
    }
    out.push_str("        _ => Box::pin(::std::future::ready(Ok(input.not_implemented()))),\n    }\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::super::written_items;

    /// Operations with names of every length, so that each arm layout comes up: on one line, as a
    /// block, with the handler's arguments broken, and past the margin; and indexes of one to
    /// three digits.
    fn document() -> String {
        let mut yaml = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n");
        for index in 0..120 {
            let name = "o".repeat(index % 90 + 1);
            yaml.push_str(&format!("  /p{index}:\n    get:\n      operationId: {name}{index}\n      responses: {{'204': {{description: ok}}}}\n"));
        }
        yaml
    }

    #[test]
    fn dispatch_written_as_text_reads_as_the_formatted_one() {
        let loaded = crate::load::load_str(&document()).unwrap();
        let (model, _) = crate::generate::lower_document(&loaded, &crate::generate::Options::default());
        let operations: Vec<_> = model.operations.iter().collect();
        let (built, text, written) = written_items::both_paths(|| super::super::server::emit_router(&operations, false));
        assert_eq!(written, 1);
        let first_difference = built.lines().zip(text.lines()).position(|(built, text)| built != text);
        assert_eq!(built, text, "first differing line: {first_difference:?}");
    }
}
