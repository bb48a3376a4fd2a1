//! A large JSON document read on every core.
//!
//! Building the tree of a large description is the longest step of reading it, and it runs on
//! one core while the others wait. The document's outer objects (the top level, `paths`,
//! `components` and its sections) are mostly a frame around many values of similar size (path
//! items, schemas, examples), so a quick scan finds where those values lie, `serde_json` builds
//! them on every core, and the frame is put together around them in the order of the text.
//!
//! The result is the tree `serde_json::from_str` builds, with the same key order and the same
//! handling of repeated keys (the last value kept, in the first one's place). Whenever the
//! scan or a piece finds something it does not expect, the caller reads the whole text the
//! ordinary way, so an invalid document gets exactly the error (and position) it always got.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

use serde_json::{Map, Value};

/// Smaller texts are read in one piece: splitting would not pay for its threads.
const SMALLEST_SPLIT_BYTES: usize = 1 << 20;

/// Objects at fewer levels below the top than this (the top itself is level 0) are taken apart;
/// the values in the deepest of them are the pieces. With three, GitHub's description splits
/// into its operations and its components one by one.
const SPLIT_LEVELS: usize = 3;

/// `serde_json` refuses a value nested this deep; a piece is read without the levels above it,
/// so the scan checks the whole depth instead.
const MOST_LEVELS: usize = 127;

/// Pieces are sent to be read in runs of about this many bytes, so threads take turns on the
/// queue rarely and finish close together.
const BATCH_BYTES: usize = 64 * 1024;

/// The tree of `text` when it is a large object that reads in pieces; `None` when the text is
/// small, this machine has one core, or anything about the text is unexpected (the caller
/// reads it whole and reports what is wrong).
pub(super) fn parse(text: &str) -> Option<Value> {
    // Asking for the cores reads files under cgroups; a split document's many small files are
    // turned away before that.
    if text.len() < SMALLEST_SPLIT_BYTES {
        return None;
    }
    let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
    if cores < 2 {
        return None;
    }
    let failed = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel();
    let receiver = Mutex::new(receiver);
    // This thread scans while the others read the pieces found so far, then reads with them.
    let (frame, mut batches) = std::thread::scope(|scope| {
        let read = || read_batches(text, &receiver, &failed);
        let helpers: Vec<_> = (1..cores).filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, read).ok()).collect();
        let frame = Scan::new(text, sender).document();
        if frame.is_none() {
            failed.store(true, Ordering::Relaxed);
        }
        let mut batches = read();
        for helper in helpers {
            batches.extend(helper.join().unwrap_or_else(|_| {
                failed.store(true, Ordering::Relaxed);
                Vec::new()
            }));
        }
        (frame, batches)
    });
    if failed.load(Ordering::Relaxed) {
        return None;
    }
    batches.sort_unstable_by_key(|(index, _)| *index);
    let mut values = batches.into_iter().flat_map(|(_, values)| values);
    Some(frame?.assemble(&mut values))
}

/// Pieces found together, numbered in the order of the text: `(start, end)` byte ranges.
type Batch = (usize, Vec<(usize, usize)>);

/// Reads batches until the scan has sent its last, or one fails; what it read, each batch with
/// its number.
fn read_batches(text: &str, receiver: &Mutex<mpsc::Receiver<Batch>>, failed: &AtomicBool) -> Vec<(usize, Vec<Value>)> {
    let mut read = Vec::new();
    loop {
        let batch = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => break,
        };
        let Ok((index, pieces)) = batch else { break };
        if failed.load(Ordering::Relaxed) {
            continue;
        }
        let values = pieces.iter().map(|&(start, end)| serde_json::from_str(&text[start..end]).ok()).collect::<Option<Vec<Value>>>();
        match values {
            Some(values) => read.push((index, values)),
            None => failed.store(true, Ordering::Relaxed),
        }
    }
    read
}

/// The frame of the document: objects taken apart, with the values read whole left out.
enum Frame {
    Object(Vec<(String, Frame)>),
    Piece,
}

impl Frame {
    /// The value, with `values` (every piece's, in the order of the text) put in place.
    fn assemble(self, values: &mut impl Iterator<Item = Value>) -> Value {
        match self {
            Frame::Piece => values.next().unwrap_or(Value::Null),
            Frame::Object(members) => {
                let mut object = Map::with_capacity(members.len());
                for (key, member) in members {
                    object.insert(key, member.assemble(values));
                }
                Value::Object(object)
            }
        }
    }
}

struct Scan<'t> {
    text: &'t str,
    position: usize,
    /// Pieces found since the last batch was sent, and that batch's size.
    pending: Vec<(usize, usize)>,
    pending_bytes: usize,
    sent: usize,
    sender: mpsc::Sender<Batch>,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str, sender: mpsc::Sender<Batch>) -> Self {
        Scan { text, position: 0, pending: Vec::new(), pending_bytes: 0, sent: 0, sender }
    }

    /// The frame of the whole text, every piece sent.
    fn document(mut self) -> Option<Frame> {
        self.skip_whitespace();
        let frame = self.value(0)?;
        self.skip_whitespace();
        if self.position != self.text.len() {
            return None;
        }
        self.send()?;
        Some(frame)
    }

    fn send(&mut self) -> Option<()> {
        if !self.pending.is_empty() {
            self.sender.send((self.sent, std::mem::take(&mut self.pending))).ok()?;
            self.sent += 1;
            self.pending_bytes = 0;
        }
        Some(())
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.position += 1;
        }
    }

    /// The value starting here, `levels` objects deep: taken apart when it is an object high
    /// enough in the tree, otherwise skipped over and sent to be read.
    fn value(&mut self, levels: usize) -> Option<Frame> {
        if levels < SPLIT_LEVELS && self.peek() == Some(b'{') {
            return self.object(levels);
        }
        let start = self.position;
        let depth = self.skip_value()?;
        if levels + depth > MOST_LEVELS {
            return None;
        }
        self.pending.push((start, self.position));
        self.pending_bytes += self.position - start;
        if self.pending_bytes >= BATCH_BYTES {
            self.send()?;
        }
        Some(Frame::Piece)
    }

    fn object(&mut self, levels: usize) -> Option<Frame> {
        self.position += 1;
        self.skip_whitespace();
        let mut members = Vec::new();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Some(Frame::Object(members));
        }
        loop {
            let start = self.position;
            if self.peek() != Some(b'"') {
                return None;
            }
            self.skip_string()?;
            let key: String = serde_json::from_str(&self.text[start..self.position]).ok()?;
            self.skip_whitespace();
            self.expect(b':')?;
            self.skip_whitespace();
            members.push((key, self.value(levels + 1)?));
            self.skip_whitespace();
            match self.peek()? {
                b',' => {
                    self.position += 1;
                    self.skip_whitespace();
                }
                b'}' => {
                    self.position += 1;
                    return Some(Frame::Object(members));
                }
                _ => return None,
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.position += 1)
    }

    /// Moves past the string starting here (at its opening quote).
    fn skip_string(&mut self) -> Option<()> {
        self.position = string_end(self.bytes(), self.position)?;
        Some(())
    }

    /// Moves past the value starting here; how many arrays and objects deep it goes. Only where
    /// the value ends is worked out: `serde_json` checks the value itself when it reads it.
    fn skip_value(&mut self) -> Option<usize> {
        let bytes = self.bytes();
        match self.peek()? {
            b'"' => self.skip_string().map(|()| 0),
            b'{' | b'[' => {
                let (end, depth) = nested_end(bytes, self.position)?;
                self.position = end;
                Some(depth)
            }
            _ => {
                let rest = &bytes[self.position..];
                let length = rest.iter().position(|byte| matches!(byte, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')).unwrap_or(rest.len());
                self.position += length;
                (length > 0).then_some(0)
            }
        }
    }
}

/// Where the string whose opening quote is at `start` ends (just past its closing quote).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut position = start + 1;
    loop {
        position += memchr::memchr2(b'"', b'\\', bytes.get(position..)?)?;
        if bytes[position] == b'"' {
            return Some(position + 1);
        }
        // An escape: whatever follows the backslash is not the end of the string.
        position += 2;
    }
}

/// Where the array or object opening at `start` ends, and how deep it nests.
fn nested_end(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut position = start;
    while let Some(&byte) = bytes.get(position) {
        match byte {
            b'"' => {
                position = string_end(bytes, position)?;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some((position + 1, deepest));
                }
            }
            _ => {
                position = next_structural(bytes, position + 1);
                continue;
            }
        }
        position += 1;
    }
    None
}

/// The first byte at `position` or after that is a quote or a bracket, or the end; most of a
/// value's text between its strings is indentation, which this passes eight bytes at a time.
fn next_structural(bytes: &[u8], mut position: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    // The high bit of each byte of `word` equal to `byte`, exact up to the first such byte.
    let equal = |word: u64, byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    while let Some(chunk) = bytes.get(position..position + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // `[` and `]` are `{` and `}` with one bit less, so setting that bit finds all four.
        let folded = word | (ONES * 0x20);
        let found = equal(word, b'"') | equal(folded, b'{') | equal(folded, b'}');
        if found != 0 {
            return position + (found.trailing_zeros() / 8) as usize;
        }
        position += 8;
    }
    while bytes.get(position).is_some_and(|byte| !matches!(byte, b'"' | b'{' | b'}' | b'[' | b']')) {
        position += 1;
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document large enough to be split, built around `inner` (which lands in pieces at
    /// every level).
    fn large(inner: &str) -> String {
        let filler: Vec<String> =
            (0..20_000).map(|index| format!("\"s{index}\": {{\"type\": \"string\", \"description\": \"a \\\"quoted\\\" {{ brace\"}}")).collect();
        format!(
            "{{\"openapi\": \"3.1.0\", \"components\": {{\"schemas\": {{{}, \"last\": {inner}}}}}, \"n\": -1.5e3, \"t\": [true, null]}}\n",
            filler.join(",\n")
        )
    }

    #[test]
    fn the_tree_is_the_one_read_whole() {
        let text = large(r#"{"a": [1, {"b": "}]"}], "a": 2, "k\u00e9y\n": "\\"}"#);
        assert!(text.len() > SMALLEST_SPLIT_BYTES);
        let split = parse(&text).expect("split");
        let whole: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(split, whole);
        // Key order too, which `==` does not compare.
        assert_eq!(serde_json::to_string(&split).unwrap(), serde_json::to_string(&whole).unwrap());
    }

    #[test]
    fn repeated_keys_keep_the_first_place_and_the_last_value() {
        let text = large("1").replacen("\"openapi\": \"3.1.0\"", "\"openapi\": \"3.0.0\", \"x\": 1, \"openapi\": \"3.1.0\"", 1);
        let split = parse(&text).expect("split");
        let whole: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&split).unwrap(), serde_json::to_string(&whole).unwrap());
    }

    #[test]
    fn anything_the_whole_reader_refuses_is_left_to_it() {
        for broken in ["{\"a\": 1,}", "[1 2]", "tru", "{\"a\" 1}", "\"open", "01", "{\"a\": 1}}"] {
            let text = large(broken);
            assert!(serde_json::from_str::<Value>(&text).is_err(), "{broken}");
            assert!(parse(&text).is_none(), "{broken}");
        }
        let trailing = format!("{} x", large("1"));
        assert!(parse(&trailing).is_none());
        let missing_comma = large("1").replacen(", \"n\"", " \"n\"", 1);
        assert!(parse(&missing_comma).is_none());
    }

    #[test]
    fn depth_counts_from_the_top_of_the_document() {
        // The piece nests 124 levels, under 3 objects: 127 in all is the most serde_json reads.
        let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        let fits = large(&nested(124));
        assert!(serde_json::from_str::<Value>(&fits).is_ok());
        assert!(parse(&fits).is_some());
        let too_deep = large(&nested(125));
        assert!(serde_json::from_str::<Value>(&too_deep).is_err());
        assert!(parse(&too_deep).is_none());
    }

    #[test]
    fn the_next_quote_or_bracket_is_found_wherever_it_lies() {
        for structural in ['"', '{', '}', '[', ']'] {
            for at in 0..20 {
                for length in at + 1..24 {
                    let mut text = vec![b' '; length];
                    text[at] = structural as u8;
                    // Bytes a bit away from a quote or a bracket are neither.
                    for (index, near) in text[..at].iter_mut().enumerate() {
                        *near = [b'z', b'|', b'\\', b'!', b'Z', b'#', b'\x7f', b'\xfb'][index % 8];
                    }
                    assert_eq!(next_structural(&text, 0), at, "{structural} at {at} of {length}");
                }
            }
            assert_eq!(next_structural(&[b'a'; 13], 0), 13);
        }
    }

    #[test]
    fn small_texts_are_read_whole() {
        assert!(parse("{\"a\": {\"b\": {\"c\": 1}}}").is_none());
    }
}
