//! The texts of YAML numbers a double does not reproduce.
//!
//! The YAML library hands over a number as its value only, so the text is read a second time
//! as a stream of events, which gives each scalar's text and style without building anything.
//! Only plain scalars without a tag in a value's place are numbers of the value; keys become
//! strings, and whatever else the two readings might disagree on is caught when the texts are
//! checked against the value (see [`Recorder::finish`]).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use super::number_tokens::inexact_double;
use crate::number_texts::Recorder;

/// Where the reading is: in a sequence, or in a mapping before a key or before a value.
enum Frame {
    Sequence,
    Mapping { next_is_key: bool },
}

/// Records the number texts of YAML `text` that must be kept. A text the event reader refuses
/// records nothing more.
pub(super) fn record_yaml(text: &str, recorder: &mut Recorder) {
    let mut parser = Parser::new_from_str(text);
    let mut frames: Vec<Frame> = Vec::new();
    // Anchored numbers whose text is kept: an alias to one is that number once more.
    let mut anchored: HashMap<usize, (f64, String)> = HashMap::new();
    loop {
        let Ok((event, _)) = parser.next_token() else { return };
        let is_key = matches!(frames.last(), Some(Frame::Mapping { next_is_key: true }));
        match event {
            Event::StreamEnd => return,
            Event::Scalar(scalar, TScalarStyle::Plain, anchor, None) if !is_key => {
                if let Some(value) = inexact_double(&scalar) {
                    recorder.record(value, &scalar);
                    if anchor != 0 {
                        anchored.insert(anchor, (value, scalar));
                    }
                }
                node_done(&mut frames);
            }
            Event::Alias(anchor) => {
                if let Some((value, scalar)) = anchored.get(&anchor).filter(|_| !is_key) {
                    recorder.record(*value, scalar);
                }
                node_done(&mut frames);
            }
            Event::Scalar(..) => node_done(&mut frames),
            Event::SequenceStart(..) => frames.push(Frame::Sequence),
            Event::MappingStart(..) => frames.push(Frame::Mapping { next_is_key: true }),
            Event::SequenceEnd | Event::MappingEnd => {
                frames.pop();
                node_done(&mut frames);
            }
            // A second document in the stream is not read, nor recorded.
            Event::DocumentEnd => return,
            Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
        }
    }
}

/// A node has ended: in a mapping, a key is followed by a value and a value by a key.
fn node_done(frames: &mut [Frame]) {
    if let Some(Frame::Mapping { next_is_key }) = frames.last_mut() {
        *next_is_key = !*next_is_key;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(text: &str) -> crate::number_texts::NumberTexts {
        let mut recorder = Recorder::default();
        let value = super::super::parse_text(text, &mut Vec::new(), &mut recorder).unwrap();
        recorder.finish([&value])
    }

    #[test]
    fn plain_numbers_in_values_are_recorded() {
        let big = "123456789012345678901234567890";
        let texts = kept(&format!("a: {big}\nb: [1.5, -9223372036854776000]\nc: '{big}7'\nd: !!str {big}1\n? {big}2\n: x\n"));
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(texts.text_of(big.parse().unwrap()), Some(big));
        assert_eq!(texts.text_of(-9223372036854776000.0), Some("-9223372036854776000"));
    }

    #[test]
    fn aliases_repeat_the_anchored_text() {
        let texts = kept("a: &n 3.14159265358979323846264338327950288\nb: *n\nc: [*n]\n");
        assert_eq!(texts.text_of(std::f64::consts::PI), Some("3.14159265358979323846264338327950288"));
    }

    #[test]
    fn a_complex_key_keeps_keys_and_values_apart() {
        let texts = kept("? [1, 2]\n: 123456789012345678901234567890\n? {a: b}\n: 1e-400\n");
        assert_eq!(texts.len(), 2, "{texts:?}");
    }

    #[test]
    fn a_double_the_document_also_writes_shortly_keeps_no_text() {
        assert!(kept("a: 123456789012345678901234567890\nb: 1.2345678901234568e29\n").is_empty());
    }
}
