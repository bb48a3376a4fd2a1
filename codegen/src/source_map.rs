//! Maps RFC 6901 JSON pointers to line:column positions in the source text of a document.
//!
//! Positions are computed on demand, for a batch of pointers at once, in a single pass over the
//! text. Only the nodes that lie on the paths of the requested pointers are ever looked at
//! closely: the pointers are gathered into a trie of reference tokens, and the scanner descends
//! into a container only when the trie says some requested pointer lies below it. Everything else
//! is skipped as fast as the format allows.
//!
//! JSON documents (first non-blank character `{` or `[`) are read by a hand-written, tolerant
//! byte scanner; anything else is read as YAML with the `yaml-rust2` event parser.
//!
//! YAML details: only the first document is read. An alias (`*a`) is a node of its own: a pointer
//! through it stops at the alias, and merge keys (`<<`) are not followed. Where an array item
//! carries an anchor or tag, or is a block scalar (`|`, `>`), its position is that of its content
//! rather than of the `&`, `!` or indicator, as yaml-rust2 reports it.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

use crate::diagnostics::Position;

/// Finds where the nodes named by `pointers` start in `text` (a YAML or JSON document).
///
/// Returns one entry per pointer, in order. When a pointer names a node that does not exist
/// (a missing key, an index past the end), the position of its nearest existing ancestor is
/// returned. The root pointer `""` maps to the start of the document's top-level value.
///
/// For a mapping entry the position is that of its key; for an array item, that of the item.
/// Lines and columns are counted from 1, columns in characters (Unicode scalar values).
///
/// An entry is `None` when the pointer is not a valid JSON pointer (non-empty and not starting
/// with `/`), or when the document has no top-level value that could be found (empty text, or
/// text that is malformed before its first value). Malformed text never panics: scanning stops
/// where the text stops making sense, and whatever was found up to there is used.
///
/// Duplicate keys: the first occurrence wins.
pub fn locate(text: &str, pointers: &[&str]) -> Vec<Option<Position>> {
    let mut trie = Trie::new();
    let leaves: Vec<Option<usize>> = pointers.iter().map(|pointer| trie.insert(pointer)).collect();
    if leaves.iter().all(Option::is_none) {
        return vec![None; pointers.len()];
    }

    let mut found: Vec<Option<Position>> = vec![None; trie.nodes.len()];
    // A byte order mark is invisible in editors, so positions are counted without it.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = body.bytes().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if matches!(first, Some(b'{' | b'[')) {
        let hits = json::scan(body.as_bytes(), &trie);
        for (node, position) in to_positions(body.as_bytes(), hits) {
            found[node] = Some(position);
        }
    } else {
        // yaml-rust2 would take a byte order mark as part of the first key.
        yaml::scan(body, &trie, &mut found);
    }

    leaves
        .into_iter()
        .map(|leaf| {
            let mut node = leaf?;
            loop {
                if let Some(position) = found[node] {
                    return Some(position);
                }
                node = trie.nodes[node].parent?;
            }
        })
        .collect()
}

/// The requested pointers, as a tree of reference tokens. Node 0 is the document root.
struct Trie {
    nodes: Vec<TrieNode>,
}

#[derive(Default)]
struct TrieNode {
    parent: Option<usize>,
    /// Children by (unescaped) reference token, as used for mapping keys.
    keys: HashMap<String, usize>,
    /// The children whose token is a valid array index (`0`, or digits without a leading zero).
    indices: HashMap<usize, usize>,
}

impl TrieNode {
    fn has_children(&self) -> bool {
        !self.keys.is_empty()
    }
}

impl Trie {
    fn new() -> Self {
        Trie { nodes: vec![TrieNode::default()] }
    }

    /// Adds a pointer, returning the node it names, or `None` if it is not a valid pointer.
    fn insert(&mut self, pointer: &str) -> Option<usize> {
        if pointer.is_empty() {
            return Some(0);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut node = 0;
        for raw in rest.split('/') {
            let token = crate::diagnostics::unescape_token(raw);
            node = match self.nodes[node].keys.get(token.as_ref()) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(TrieNode { parent: Some(node), ..TrieNode::default() });
                    if let Some(index) = array_index(&token) {
                        self.nodes[node].indices.insert(index, child);
                    }
                    self.nodes[node].keys.insert(token.into_owned(), child);
                    child
                }
            };
        }
        Some(node)
    }

    fn key(&self, node: usize, key: &str) -> Option<usize> {
        self.nodes[node].keys.get(key).copied()
    }

    fn index(&self, node: usize, index: usize) -> Option<usize> {
        let indices = &self.nodes[node].indices;
        if indices.is_empty() {
            None
        } else {
            indices.get(&index).copied()
        }
    }
}

/// The array index a reference token names, per RFC 6901 (`-`, leading zeros and signs name none).
fn array_index(token: &str) -> Option<usize> {
    let bytes = token.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    token.parse().ok()
}

/// Converts `(trie node, byte offset)` hits into positions, with one pass over the text up to
/// the last hit (linear even when the whole document is on one line).
fn to_positions(text: &[u8], mut hits: Vec<(usize, usize)>) -> Vec<(usize, Position)> {
    hits.sort_unstable_by_key(|&(_, offset)| offset);
    let mut offset = 0;
    let mut line = 1;
    let mut column = 1; // of `offset`
    let mut out = Vec::with_capacity(hits.len());
    for (node, target) in hits {
        let target = target.min(text.len());
        if target > offset {
            let segment = &text[offset..target];
            let (breaks, after_last_break) = count_breaks(segment, text.get(target).copied());
            match after_last_break {
                Some(start) => {
                    line += breaks;
                    column = 1 + count_chars(&segment[start..]);
                }
                None => column += count_chars(segment),
            }
            offset = target;
        }
        out.push((node, Position { line, column }));
    }
    out
}

/// Counts line breaks (`\n`, `\r\n`, lone `\r`) in `segment`, and where the text after the last
/// one starts. `next` is the byte after the segment, to tell a `\r\n` split across the boundary.
fn count_breaks(segment: &[u8], next: Option<u8>) -> (usize, Option<usize>) {
    let newlines = segment.iter().filter(|&&b| b == b'\n').count();
    if !segment.contains(&b'\r') {
        let last = segment.iter().rposition(|&b| b == b'\n').map(|i| i + 1);
        return (newlines, last);
    }
    let mut breaks = 0;
    let mut last = None;
    for (i, &b) in segment.iter().enumerate() {
        let following = segment.get(i + 1).copied().or(next);
        if b == b'\n' || (b == b'\r' && following != Some(b'\n')) {
            breaks += 1;
            last = Some(i + 1);
        }
    }
    (breaks, last)
}

/// Counts the characters in UTF-8 bytes (the bytes that are not continuation bytes).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

mod json {
    //! A tolerant JSON scanner that only looks closely at the containers a requested pointer
    //! goes through. It never recurses (deeply nested input cannot overflow the stack) and stops
    //! at the first thing it cannot make sense of.

    use super::Trie;

    /// Bytes that matter when skipping over a container.
    const STRUCTURAL: [bool; 256] = {
        let mut table = [false; 256];
        table[b'"' as usize] = true;
        table[b'{' as usize] = true;
        table[b'[' as usize] = true;
        table[b'}' as usize] = true;
        table[b']' as usize] = true;
        table
    };

    enum Kind {
        Object,
        Array,
    }

    struct Frame {
        node: usize,
        kind: Kind,
        next_index: usize,
    }

    /// Returns `(trie node, byte offset)` for each requested node that was found.
    pub(super) fn scan(text: &[u8], trie: &Trie) -> Vec<(usize, usize)> {
        let mut hits = Vec::new();
        let mut remaining = trie.nodes.len();
        let mut seen = vec![false; trie.nodes.len()];
        let mut hit = |node: usize, offset: usize, hits: &mut Vec<(usize, usize)>, remaining: &mut usize| {
            if !seen[node] {
                seen[node] = true;
                hits.push((node, offset));
                *remaining -= 1;
            }
        };

        let mut pos = skip_ws(text, 0);
        if pos >= text.len() {
            return hits;
        }
        hit(0, pos, &mut hits, &mut remaining);
        let mut stack: Vec<Frame> = Vec::new();
        match open(text, pos, 0, trie) {
            Some(frame) => {
                stack.push(frame);
                pos += 1;
            }
            None => return hits,
        }

        let mut key_buffer = String::new();
        while let Some(frame) = stack.last_mut() {
            if remaining == 0 {
                break;
            }
            pos = skip_ws(text, pos);
            let Some(&byte) = text.get(pos) else { break };
            match byte {
                b'}' | b']' => {
                    stack.pop();
                    pos += 1;
                    continue;
                }
                b',' => {
                    pos += 1;
                    continue;
                }
                _ => {}
            }
            let child = match frame.kind {
                Kind::Object => {
                    if byte != b'"' {
                        break;
                    }
                    let key_start = pos;
                    let Some((end, key)) = read_string(text, pos, &mut key_buffer) else { break };
                    let child = key.and_then(|key| trie.key(frame.node, key));
                    pos = skip_ws(text, end);
                    if text.get(pos) != Some(&b':') {
                        break;
                    }
                    pos = skip_ws(text, pos + 1);
                    if let Some(child) = child {
                        hit(child, key_start, &mut hits, &mut remaining);
                    }
                    child
                }
                Kind::Array => {
                    let index = frame.next_index;
                    frame.next_index += 1;
                    let child = trie.index(frame.node, index);
                    if let Some(child) = child {
                        hit(child, pos, &mut hits, &mut remaining);
                    }
                    child
                }
            };
            if let Some(frame) = child.and_then(|child| open(text, pos, child, trie)) {
                stack.push(frame);
                pos += 1;
            } else {
                match skip_value(text, pos) {
                    Some(end) => pos = end,
                    None => break,
                }
            }
        }
        hits
    }

    /// A frame for the container at `pos`, if there is one and some requested pointer goes into it.
    fn open(text: &[u8], pos: usize, node: usize, trie: &Trie) -> Option<Frame> {
        if !trie.nodes[node].has_children() {
            return None;
        }
        let kind = match text.get(pos)? {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            _ => return None,
        };
        Some(Frame { node, kind, next_index: 0 })
    }

    fn skip_ws(text: &[u8], mut pos: usize) -> usize {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = text.get(pos) {
            pos += 1;
        }
        pos
    }

    /// Skips the value at `pos`, returning the offset just past it; `None` at the end of the text.
    fn skip_value(text: &[u8], mut pos: usize) -> Option<usize> {
        match *text.get(pos)? {
            b'"' => skip_string(text, pos),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    while !STRUCTURAL[*text.get(pos)? as usize] {
                        pos += 1;
                    }
                    match text[pos] {
                        b'"' => pos = skip_string(text, pos)?,
                        b'{' | b'[' => {
                            depth += 1;
                            pos += 1;
                        }
                        _ => {
                            depth -= 1;
                            pos += 1;
                            if depth == 0 {
                                return Some(pos);
                            }
                        }
                    }
                }
            }
            // A number, `true`, `false`, `null`, or garbage: up to the next delimiter. Always
            // moves on by at least one byte, so a stray character cannot stall the scan.
            _ => {
                pos += 1;
                while let Some(&b) = text.get(pos) {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b':') {
                        break;
                    }
                    pos += 1;
                }
                Some(pos)
            }
        }
    }

    /// Skips the string whose opening quote is at `pos`; `None` if it is not closed.
    fn skip_string(text: &[u8], mut pos: usize) -> Option<usize> {
        pos += 1;
        loop {
            match *text.get(pos)? {
                b'"' => return Some(pos + 1),
                b'\\' => pos += 2,
                _ => pos += 1,
            }
        }
    }

    /// Reads the string whose opening quote is at `pos`: the offset past its closing quote, and
    /// its decoded value (`None` if it cannot be decoded, e.g. a bad escape). `None` altogether
    /// if the string is not closed.
    fn read_string<'t>(text: &'t [u8], pos: usize, buffer: &'t mut String) -> Option<(usize, Option<&'t str>)> {
        let start = pos + 1;
        let mut i = start;
        loop {
            match *text.get(i)? {
                b'"' => return Some((i + 1, std::str::from_utf8(&text[start..i]).ok())),
                b'\\' => break,
                _ => i += 1,
            }
        }
        // Slow path: the string has escapes.
        buffer.clear();
        let mut valid = true;
        let mut run_start = start;
        loop {
            match *text.get(i)? {
                b'"' => {
                    match std::str::from_utf8(&text[run_start..i]) {
                        Ok(run) => buffer.push_str(run),
                        Err(_) => valid = false,
                    }
                    let value = if valid { Some(buffer.as_str()) } else { None };
                    return Some((i + 1, value));
                }
                b'\\' => {
                    match std::str::from_utf8(&text[run_start..i]) {
                        Ok(run) => buffer.push_str(run),
                        Err(_) => valid = false,
                    }
                    let escape = *text.get(i + 1)?;
                    i += 2;
                    match escape {
                        b'"' => buffer.push('"'),
                        b'\\' => buffer.push('\\'),
                        b'/' => buffer.push('/'),
                        b'b' => buffer.push('\u{8}'),
                        b'f' => buffer.push('\u{c}'),
                        b'n' => buffer.push('\n'),
                        b'r' => buffer.push('\r'),
                        b't' => buffer.push('\t'),
                        b'u' => match hex4(text, i) {
                            Some(high @ 0xD800..=0xDBFF) => {
                                i += 4;
                                let low = if text.get(i..i + 2) == Some(b"\\u") { hex4(text, i + 2) } else { None };
                                match low {
                                    Some(low @ 0xDC00..=0xDFFF) => {
                                        i += 6;
                                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                                        buffer.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                                    }
                                    _ => buffer.push('\u{fffd}'),
                                }
                            }
                            Some(code) => {
                                i += 4;
                                buffer.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            }
                            None => valid = false,
                        },
                        _ => valid = false,
                    }
                    run_start = i;
                }
                _ => i += 1,
            }
        }
    }

    fn hex4(text: &[u8], pos: usize) -> Option<u32> {
        let digits = text.get(pos..pos + 4)?;
        let mut value = 0;
        for &d in digits {
            value = value * 16 + (d as char).to_digit(16)?;
        }
        Some(value)
    }
}

mod yaml {
    //! Walks the event stream of `yaml-rust2`, following only the requested paths.

    use super::{Event, Parser, Position, Trie};

    enum Frame {
        /// A mapping, and whether its next event is a key or the value of an entry.
        Map {
            node: usize,
            next: Expect,
        },
        Seq {
            node: usize,
            next_index: usize,
        },
    }

    enum Expect {
        Key,
        /// The value of an entry, with the trie node of the entry's key if it was requested.
        Value(Option<usize>),
    }

    /// Fills `found[node]` for each requested node that was found (first document only).
    pub(super) fn scan(text: &str, trie: &Trie, found: &mut [Option<Position>]) {
        let mut parser = Parser::new_from_str(text);
        let mut remaining = trie.nodes.len();
        let mut stack: Vec<Frame> = Vec::new();
        // Nesting depth inside a container that no requested pointer goes into.
        let mut skip_depth = 0usize;
        let mut root_seen = false;
        // A container just recorded whose position may still move back: yaml-rust2 marks a
        // block mapping as starting after its first key, and an anchored or tagged node at its
        // content. The first event inside it tells where it really starts, if that is earlier.
        let mut pending: Option<usize> = None;

        while remaining > 0 || pending.is_some() {
            let Ok((event, mark)) = parser.next_token() else { return };
            let position = Position { line: mark.line(), column: mark.col() + 1 };
            match event {
                Event::StreamEnd | Event::DocumentEnd => return,
                Event::Nothing | Event::StreamStart | Event::DocumentStart => continue,
                _ => {}
            }
            let is_start = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
            let is_end = matches!(event, Event::MappingEnd | Event::SequenceEnd);
            if let Some(node) = pending.take() {
                if !is_end && found[node].is_some_and(|p| (position.line, position.column) < (p.line, p.column)) {
                    found[node] = Some(position);
                }
            }
            if skip_depth > 0 {
                if is_start {
                    skip_depth += 1;
                } else if is_end {
                    skip_depth -= 1;
                }
                continue;
            }
            if is_end {
                stack.pop();
                continue;
            }

            // `event` is a node; work out which requested node (if any) it is.
            let node = match stack.last_mut() {
                None => {
                    if root_seen {
                        return;
                    }
                    root_seen = true;
                    if mark_found(found, &mut remaining, 0, position) && is_start {
                        pending = Some(0);
                    }
                    Some(0)
                }
                Some(Frame::Map { node, next }) => match std::mem::replace(next, Expect::Key) {
                    Expect::Value(child) => child,
                    Expect::Key => {
                        // A key: record the entry here, and expect its value next.
                        let child = match &event {
                            Event::Scalar(key, ..) => trie.key(*node, key),
                            _ => None,
                        };
                        *next = Expect::Value(child);
                        if let Some(child) = child {
                            mark_found(found, &mut remaining, child, position);
                        }
                        if is_start {
                            // A complex key (a mapping or sequence): never requested.
                            skip_depth = 1;
                        }
                        continue;
                    }
                },
                Some(Frame::Seq { node, next_index }) => {
                    let index = *next_index;
                    *next_index += 1;
                    let child = trie.index(*node, index);
                    if let Some(child) = child {
                        if mark_found(found, &mut remaining, child, position) && is_start {
                            pending = Some(child);
                        }
                    }
                    child
                }
            };

            if is_start {
                match node.filter(|&node| trie.nodes[node].has_children()) {
                    Some(node) => stack.push(match event {
                        Event::MappingStart(..) => Frame::Map { node, next: Expect::Key },
                        _ => Frame::Seq { node, next_index: 0 },
                    }),
                    None => skip_depth = 1,
                }
            }
        }
    }

    /// Records where `node` starts, unless it was found before; tells whether it was recorded.
    fn mark_found(found: &mut [Option<Position>], remaining: &mut usize, node: usize, position: Position) -> bool {
        if found[node].is_some() {
            return false;
        }
        found[node] = Some(position);
        *remaining -= 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, pointer: &str) -> Option<(usize, usize)> {
        locate(text, &[pointer])[0].map(|p| (p.line, p.column))
    }

    #[track_caller]
    fn check(text: &str, pointer: &str, line: usize, column: usize) {
        assert_eq!(at(text, pointer), Some((line, column)), "pointer {pointer:?} in {text:?}");
    }

    const JSON: &str = r#"{
  "openapi": "3.1.0",
  "paths": {
    "/pets": {"get": {"operationId": "list"}},
    "/pets/{id}": {
      "get": {
        "parameters": [
          {"name": "id", "in": "path"},
          {"name": "q\"x", "in": "query"}
        ],
        "responses": {"200": {"description": "ok"}}
      }
    }
  },
  "a~b": {"c/d": [1, [2, 3], {"e": null}]}
}"#;

    #[test]
    fn json_nested() {
        check(JSON, "", 1, 1);
        check(JSON, "/openapi", 2, 3);
        check(JSON, "/paths", 3, 3);
        check(JSON, "/paths/~1pets", 4, 5);
        check(JSON, "/paths/~1pets/get/operationId", 4, 23);
        check(JSON, "/paths/~1pets~1{id}/get", 6, 7);
        check(JSON, "/paths/~1pets~1{id}/get/parameters/0", 8, 11);
        check(JSON, "/paths/~1pets~1{id}/get/parameters/1/in", 9, 28);
        check(JSON, "/paths/~1pets~1{id}/get/responses/200/description", 11, 31);
        check(JSON, "/a~0b/c~1d/0", 15, 19);
        check(JSON, "/a~0b/c~1d/1/1", 15, 26);
        check(JSON, "/a~0b/c~1d/2/e", 15, 31);
    }

    #[test]
    fn json_missing_goes_to_ancestor() {
        check(JSON, "/paths/~1pets/post", 4, 5);
        check(JSON, "/paths/~1pets~1{id}/get/parameters/2", 7, 9);
        check(JSON, "/paths/~1pets~1{id}/get/parameters/-", 7, 9);
        check(JSON, "/paths/~1pets~1{id}/get/parameters/01", 7, 9);
        check(JSON, "/paths/~1pets/get/operationId/deeper/still", 4, 23);
        check(JSON, "/nothing", 1, 1);
        check(JSON, "/openapi/0", 2, 3);
    }

    #[test]
    fn json_escaped_keys() {
        let text = "{\"a\\\"b\": 1, \"\\u00e9t\\u00E9\": {\"\\ud83d\\ude00\": 2, \"x\\/y\": 3}}";
        check(text, "/a\"b", 1, 2);
        check(text, "/été", 1, 13);
        check(text, "/été/😀", 1, 31);
        check(text, "/été/x~1y", 1, 50);
    }

    #[test]
    fn json_many_pointers_in_order() {
        let got = locate(JSON, &["/paths/~1pets~1{id}/get", "bad", "", "/openapi", "/paths/~1pets"]);
        let got: Vec<_> = got.into_iter().map(|p| p.map(|p| (p.line, p.column))).collect();
        assert_eq!(got, vec![Some((6, 7)), None, Some((1, 1)), Some((2, 3)), Some((4, 5))]);
    }

    #[test]
    fn json_unicode_and_line_endings() {
        let text = "{\"ü\": \"日本語\", \"k\": 1,\r\n \"z\": [\"😀\", 2]}";
        check(text, "/k", 1, 14);
        check(text, "/z", 2, 2);
        check(text, "/z/1", 2, 13);
        check("\u{feff}  [1, {\"a\": 2}]", "/1/a", 1, 8);
        check("{\"a\":\r\"x\", \"b\": 1}", "/b", 2, 6);
    }

    #[test]
    fn json_top_level_array() {
        check("\n\n  [1, [2, 3], 4]", "", 3, 3);
        check("\n\n  [1, [2, 3], 4]", "/1/1", 3, 11);
        check("\n\n  [1, [2, 3], 4]", "/2", 3, 15);
    }

    #[test]
    fn json_duplicate_keys_first_wins() {
        check("{\"a\": 1, \"a\": 2}", "/a", 1, 2);
    }

    const YAML: &str = "\
openapi: 3.1.0
info:
  title: Pets
  description: |
    Several
    lines
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/q'
      responses:
        200:
          description: ok
        '404': {description: missing, content: {a: 1}}
        \"default\":
          description: err
tags: [a, b, {name: c}]
flags:
  true: 1
  ~: 2
";

    #[test]
    fn yaml_block_maps() {
        check(YAML, "", 1, 1);
        check(YAML, "/openapi", 1, 1);
        check(YAML, "/info/title", 3, 3);
        check(YAML, "/info/description", 4, 3);
        check(YAML, "/paths", 7, 1);
        check(YAML, "/paths/~1pets~1{id}/get", 9, 5);
    }

    #[test]
    fn yaml_sequences_of_maps() {
        check(YAML, "/paths/~1pets~1{id}/get/parameters/0", 11, 11);
        check(YAML, "/paths/~1pets~1{id}/get/parameters/0/in", 12, 11);
        check(YAML, "/paths/~1pets~1{id}/get/parameters/1", 13, 11);
        check(YAML, "/paths/~1pets~1{id}/get/parameters/1/$ref", 13, 11);
    }

    #[test]
    fn yaml_integer_quoted_and_flow() {
        check(YAML, "/paths/~1pets~1{id}/get/responses/200", 15, 9);
        check(YAML, "/paths/~1pets~1{id}/get/responses/200/description", 16, 11);
        check(YAML, "/paths/~1pets~1{id}/get/responses/404", 17, 9);
        check(YAML, "/paths/~1pets~1{id}/get/responses/404/content/a", 17, 49);
        check(YAML, "/paths/~1pets~1{id}/get/responses/default/description", 19, 11);
        check(YAML, "/tags/1", 20, 11);
        check(YAML, "/tags/2/name", 20, 15);
        check(YAML, "/flags/true", 22, 3);
        check(YAML, "/flags/~", 23, 3);
    }

    #[test]
    fn yaml_missing_goes_to_ancestor() {
        check(YAML, "/paths/~1pets~1{id}/post", 8, 3);
        check(YAML, "/paths/~1pets~1{id}/get/parameters/5/name", 10, 7);
        check(YAML, "/info/description/x", 4, 3);
        check(YAML, "/nope", 1, 1);
    }

    #[test]
    fn yaml_indentless_sequence_and_document_marker() {
        let text = "# comment\n---\nlist:\n- a\n- b: 1\n  c: 2\n";
        check(text, "", 3, 1);
        check(text, "/list/0", 4, 3);
        check(text, "/list/1", 5, 3);
        check(text, "/list/1/c", 6, 3);
    }

    #[test]
    fn yaml_anchors_and_aliases() {
        let text = "base: &b\n  x: 1\n  y: [1, 2]\nother: *b\nlist:\n  - &i item\n  - *i\n  - &m\n    k: v\n";
        check(text, "/base/x", 2, 3);
        check(text, "/base/y/1", 3, 10);
        check(text, "/other", 4, 1);
        check(text, "/other/x", 4, 1);
        check(text, "/list/1", 7, 5);
        check(text, "/list/2/k", 9, 5);
    }

    #[test]
    fn yaml_multiline_strings_and_unicode() {
        let text = "a: \"line one\n  line two\"\nb: >\n  folded\n  text\nc: plain\n  continued\nd: ünï x\ne:\n  - 日本: 😀\n    f: 1\n";
        check(text, "/b", 3, 1);
        check(text, "/c", 6, 1);
        check(text, "/e/0/f", 11, 5);
        check("ü: {é: [x, y]}", "/ü/é/1", 1, 12);
    }

    #[test]
    fn yaml_error_returns_what_was_found() {
        let text = "a: 1\nb:\n  c: 2\n d: [\n";
        check(text, "/b/c", 3, 3);
        check(text, "/b/zz", 2, 1);
        check("a: [\n", "/b", 1, 1);
        // YAML that is broken right away gives nothing to point at.
        assert_eq!(at("]", "/b"), None);
    }

    #[test]
    fn invalid_pointer_and_empty_document() {
        assert_eq!(at(JSON, "paths"), None);
        assert_eq!(at("", ""), None);
        assert_eq!(at("   \n", "/a"), None);
        assert_eq!(locate(JSON, &[]), Vec::<Option<Position>>::new());
    }

    #[test]
    fn unescape_order() {
        assert_eq!(crate::diagnostics::unescape_token("~01"), "~1");
        assert_eq!(crate::diagnostics::unescape_token("~10"), "/0");
        check("{\"~1\": {\"/0\": 1}}", "/~01/~10", 1, 9);
    }

    #[test]
    fn malformed_input_never_panics() {
        let pointers = ["", "/a", "/a/b", "/a/0", "/a/1/b", "/paths/~1pets~1{id}/get/parameters/1/in", "/0/0/0", "/x~1y/é"];
        let mut samples: Vec<String> = vec![JSON.to_string(), YAML.to_string()];
        // Every truncation of the test documents, on character boundaries.
        for doc in [JSON, YAML] {
            for (i, _) in doc.char_indices() {
                samples.push(doc[..i].to_string());
            }
        }
        samples.extend(
            [
                "{",
                "[",
                "{\"",
                "{\"a",
                "{\"a\"",
                "{\"a\":",
                "{\"a\": [",
                "{\"a\": [1,",
                "{\"a\": \"\\",
                "{\"a\": \"\\u12",
                "{\"a\\u12\": 1}",
                "{\"a\\ud800\": 1}",
                "{\"a\\ud800\\u0041\": 1}",
                "{\"a\\x\": 1}",
                "]]]]",
                "{}}}}",
                "[}",
                "{]",
                "{\"a\" 1}",
                "{\"a\": }",
                "{\"a\": ,,, 1}",
                "[,,,:::]",
                "{1: 2}",
                "{a: 1}",
                "[\"\\",
                "\"a\"",
                "a: b: c",
                "- - - -",
                "&a *a",
                "*x",
                "? [a]\n: b",
                "a: !!map {b: 1}",
                "\t\ta:\n b",
                "%YAML 1.2\n---\na: 1\n...\n---\nb: 2",
                "a: 1\n---\na: 2",
            ]
            .map(String::from),
        );
        samples.push("[".repeat(100_000));
        samples.push("{\"a\":".repeat(100_000));
        samples.push("- ".repeat(2000));
        samples.push("a:\n".repeat(2000));
        samples.push("[{".repeat(5000));
        samples.push(format!("a: {}", "[".repeat(100_000)));
        samples.push(format!("a: {}", "{a: ".repeat(20_000)));

        // Pseudo-random bytes, made into (lossy) strings, some of them starting like JSON.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"{}[]\":,\\u0123456789abcdefnrt -:&*!|>?#'\n\r\t~/\xc3\xa9\xff";
        for round in 0..400 {
            let len = (next() % 80) as usize;
            let mut bytes: Vec<u8> =
                (0..len).map(|_| if round % 2 == 0 { alphabet[(next() % alphabet.len() as u64) as usize] } else { next() as u8 }).collect();
            if round % 3 == 0 {
                bytes.insert(0, b'{');
            }
            samples.push(String::from_utf8_lossy(&bytes).into_owned());
        }

        for sample in &samples {
            let result = locate(sample, &pointers);
            assert_eq!(result.len(), pointers.len());
            for position in result.into_iter().flatten() {
                assert!(position.line >= 1 && position.column >= 1, "{position:?} in {sample:?}");
            }
        }
    }
}
