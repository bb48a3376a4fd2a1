//! How a page describes a body that streams: what travels, and what each item is. A streaming
//! body's schema describes one item (or, for JSON lines written as an array, all of them), so the
//! page says what an item is instead of giving the body a type.

use super::blocks::{code, text, Block, Inline};
use super::pages::DocsContext;
use crate::ir::{Framing, Stream, Ty};

impl DocsContext<'_> {
    /// One paragraph: the kind of stream and the type of its items.
    pub(super) fn stream_paragraph<'s>(&'s self, stream: &'s Stream) -> Block<'s> {
        let mut line = Vec::new();
        match stream {
            Stream::Events { data, names } => {
                line.push(text("Server-sent events; each event's "));
                line.push(code("data"));
                line.push(text(" is "));
                match data {
                    Some(ty) => line.extend(self.item_inlines(ty)),
                    None => line.push(text("text")),
                }
                if !names.is_empty() {
                    line.push(text("; events: "));
                    for (position, name) in names.iter().enumerate() {
                        if position > 0 {
                            line.push(text(", "));
                        }
                        line.push(code(name));
                    }
                }
            }
            Stream::Lines { item, framing } => {
                let (opening, unit) = match framing {
                    Framing::Lines => ("JSON lines: one ", " per line"),
                    Framing::JsonSeq => ("JSON text sequence (RFC 7464): one ", " per record"),
                };
                line.push(text(opening));
                line.extend(self.item_inlines(item));
                line.push(text(unit));
            }
            Stream::Bytes => line.push(text("A binary stream")),
        }
        line.push(text("."));
        Block::Paragraph(line)
    }

    /// An item's type; "any JSON" reads badly after "one", so that one is a "JSON value".
    fn item_inlines<'s>(&'s self, ty: &Ty) -> Vec<Inline<'s>> {
        match ty {
            Ty::Json => vec![text("JSON value")],
            other => self.ty_inlines(other),
        }
    }
}
