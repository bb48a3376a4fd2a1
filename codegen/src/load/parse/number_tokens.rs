//! Which number texts a double does not reproduce, and where they are in JSON text.
//!
//! A text is kept (see [`crate::number_texts`]) when it is an integer outside `i64` and `u64`
//! (the value holds it as a double, and writes it in exponent form), or a decimal whose value
//! is not that of the double's shortest form (more digits than a double holds, or a magnitude
//! below the smallest normal double). Every other text reads back as the same value from what
//! serde_json writes, so those are left alone and the output stays as it always was.

use crate::number_texts::Recorder;

/// A run of this many digits and points is the least a kept text needs: an integer beyond
/// 64 bits has at least 19 digits, a decimal with up to 15 significant digits reads back exactly,
/// and one written without an exponent below the smallest normal double has 300 zeros.
const LEAST_RUN: usize = 16;

/// The language a text is read as, which decides what may stand beside a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    Json,
    Yaml,
}

impl Syntax {
    /// Whether the bytes around `bytes[start..end]` let it be a number of its own: in JSON a
    /// number follows `:`, `[` or `,` and is followed by `,`, `]` or `}` (whitespace aside); in
    /// YAML it is set apart by whitespace or flow punctuation. A digit run inside a string
    /// (`"id": "0123456789123456789"`) is not.
    fn delimits(self, bytes: &[u8], start: usize, end: usize) -> bool {
        match self {
            Syntax::Json => {
                let space = |byte: &&u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
                let before = bytes[..start].iter().rev().find(|byte| !space(byte));
                let after = bytes[end..].iter().find(|byte| !space(byte));
                matches!(before, Some(b':' | b'[' | b',')) && matches!(after, None | Some(b',' | b']' | b'}'))
            }
            Syntax::Yaml => {
                let before = start.checked_sub(1).map(|at| bytes[at]);
                let after = bytes.get(end);
                matches!(before, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'[' | b',' | b'{' | b':'))
                    && matches!(after, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}'))
            }
        }
    }
}

/// Whether `text` may hold a number whose text must be kept: a look at the bytes, far cheaper
/// than reading the numbers, so that most documents skip the reading. Each place the look stops
/// at is passed over once, so hostile text costs no more than plain text.
pub(super) fn may_hold_inexact_number(text: &str, syntax: Syntax) -> bool {
    let bytes = text.as_bytes();
    let candidate = |start: usize, end: usize| may_be_inexact(&text[start..end]) && syntax.delimits(bytes, start, end);
    // Every run of LEAST_RUN digits and points covers one of the positions looked at.
    let mut at = LEAST_RUN - 1;
    while at < bytes.len() {
        if !is_numeric(bytes[at]) {
            at += LEAST_RUN;
            continue;
        }
        let (start, end) = token_around(bytes, at);
        if candidate(start, end) {
            return true;
        }
        // The byte at `end` is no part of a number, so the next run starts after it.
        at = end + LEAST_RUN;
    }
    [&b"e-"[..], &b"E-"[..]].into_iter().any(|exponent| {
        let mut passed = 0;
        memchr::memmem::find_iter(bytes, exponent).any(|at| {
            if at < passed {
                return false;
            }
            let (start, end) = token_around(bytes, at);
            passed = end;
            candidate(start, end)
        })
    })
}

fn is_numeric(byte: u8) -> bool {
    byte.is_ascii_digit() || byte == b'.'
}

/// The run of bytes that may make up a number around `at`, as `start..end`.
fn token_around(bytes: &[u8], at: usize) -> (usize, usize) {
    let part = |byte: &u8| byte.is_ascii_digit() || matches!(byte, b'.' | b'e' | b'E' | b'+' | b'-');
    let start = bytes[..at].iter().rposition(|byte| !part(byte)).map_or(0, |before| before + 1);
    let end = bytes[at..].iter().position(|byte| !part(byte)).map_or(bytes.len(), |after| at + after);
    (start, end)
}

/// Whether `token` is long enough, or has an exponent small enough, that its double may not
/// reproduce it: shorter ones with larger exponents always read back.
fn may_be_inexact(token: &str) -> bool {
    if token.len() >= LEAST_RUN {
        return true;
    }
    let bytes = token.as_bytes();
    bytes.windows(5).any(|window| matches!(window, [b'e' | b'E', b'-', a, b, c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit()))
}

/// The double of `token` when its text must be kept: `None` for a text the double reproduces,
/// for one that is no JSON number (YAML's `+1`, `.5`, `0x10` are written as their double) and
/// for one no double holds (those are kept as strings when read).
pub(super) fn inexact_double(token: &str) -> Option<f64> {
    if !may_be_inexact(token) {
        return None;
    }
    let integer = is_json_number(token)?;
    let value = token.parse::<f64>().ok().filter(|value| value.is_finite())?;
    let exact = match integer {
        true => token.parse::<i64>().is_ok() || token.parse::<u64>().is_ok(),
        false => decimal(token) == decimal(&format!("{value:e}")),
    };
    (!exact).then_some(value)
}

/// Whether `token` is a number by JSON's grammar, and then whether it is an integer (no
/// fraction, no exponent).
fn is_json_number(token: &str) -> Option<bool> {
    let bytes = token.strip_prefix('-').unwrap_or(token).as_bytes();
    let digits = |from: usize| bytes[from..].iter().take_while(|byte| byte.is_ascii_digit()).count();
    let whole = digits(0);
    if whole == 0 || (whole > 1 && bytes[0] == b'0') {
        return None;
    }
    let mut at = whole;
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return None;
        }
        at += 1 + fraction;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return None;
        }
        at += exponent;
    }
    (at == bytes.len()).then_some(at == whole)
}

/// A decimal number text's value as sign, significant digits (no leading or trailing zeros) and
/// the power of ten of the point before them: `-12.50e1` is `(true, "125", 3)`, 0.125 × 10³.
fn decimal(text: &str) -> (bool, Vec<u8>, i64) {
    // Far past any double, and far from overflowing when lengths are added.
    const EXPONENT_LIMIT: i64 = 1 << 40;
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let (exponent_negative, exponent_digits) = match exponent.as_bytes().first() {
        Some(b'-') => (true, &exponent[1..]),
        Some(b'+') => (false, &exponent[1..]),
        _ => (false, exponent),
    };
    let magnitude = exponent_digits.bytes().fold(0i64, |sum, digit| (sum * 10 + i64::from(digit - b'0')).min(EXPONENT_LIMIT));
    let exponent = if exponent_negative { -magnitude } else { magnitude };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
    let leading = digits.iter().take_while(|digit| **digit == b'0').count();
    let trailing = digits[leading..].iter().rev().take_while(|digit| **digit == b'0').count();
    digits.truncate(digits.len() - trailing);
    digits.drain(..leading);
    if digits.is_empty() {
        // Zero: only the sign tells `-0.0` from `0.0`.
        return (negative, digits, 0);
    }
    let length = |count: usize| i64::try_from(count).unwrap_or(EXPONENT_LIMIT).min(EXPONENT_LIMIT);
    (negative, digits, exponent + length(whole.len()) - length(leading))
}

/// Records every number token of JSON `text` (outside strings) whose text must be kept.
pub(super) fn record_json(text: &str, recorder: &mut Recorder) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => at = string_end(bytes, at + 1),
            b'-' | b'0'..=b'9' => {
                let length = bytes[at..].iter().take_while(|byte| matches!(byte, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')).count();
                let token = &text[at..at + length];
                if let Some(value) = inexact_double(token) {
                    recorder.record(value, token);
                }
                at += length;
            }
            _ => at += 1,
        }
    }
}

/// Where the string whose contents start at `at` ends (after its closing quote).
fn string_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(found) = memchr::memchr2(b'"', b'\\', &bytes[at.min(bytes.len())..]) {
        match bytes[at + found] {
            b'"' => return at + found + 1,
            // An escape: the next byte is part of it, even a quote.
            _ => at += found + 2,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_a_double_does_not_reproduce_are_found() {
        let kept = [
            "-9223372036854776000",
            "9223372036854775808000",
            "18446744073709551616",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "3.14159265358979323846264338327950288",
            "0.30000000000000001",
            "1e-400",
            "-1.23456789e-320",
            "1.00000000000000000000000000001E+2",
        ];
        for text in kept {
            assert_eq!(inexact_double(text), Some(text.parse().unwrap()), "{text}");
        }
        let reproduced = [
            "0",
            "-0",
            "-0.0",
            "1.5",
            "1.50",
            "1e3",
            "1E+3",
            "0.1",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551615",
            "-9.223372036854776e18",
            "1.7976931348623157e308",
            "5e-324",
            "2.5e-300",
            "100.000000000000000000000",
        ];
        for text in reproduced {
            assert_eq!(inexact_double(text), None, "{text}");
        }
        for not_json in
            ["+123456789012345678901234567890", ".5", "01234567890123456789012", "1.", "1e", "0x1ffffffffffffffffffff", "--1", "1e400", "1-2"]
        {
            assert_eq!(inexact_double(not_json), None, "{not_json}");
        }
    }

    #[test]
    fn decimals_are_compared_by_value() {
        assert_eq!(decimal("-12.50e1"), (true, b"125".to_vec(), 3));
        assert_eq!(decimal("0.00125"), (false, b"125".to_vec(), -2));
        assert_eq!(decimal("1.25e-3"), decimal("0.00125"));
        assert_eq!(decimal("-0.000"), (true, Vec::new(), 0));
        let (_, digits, exponent) = decimal(&format!("1e{}", "9".repeat(10_000)));
        assert_eq!((digits, exponent), (b"1".to_vec(), (1 << 40) + 1));
    }

    #[test]
    fn the_look_at_the_bytes_misses_no_candidate() {
        for (text, syntax, expected) in [
            ("a: 1234567890123456\n", Syntax::Yaml, true),
            ("a: [1, 1234567890123456]", Syntax::Yaml, true),
            ("a: 123456789012345\n", Syntax::Yaml, false),
            ("1234567890123456", Syntax::Yaml, true),
            ("a: x 0.0000000000000001 y", Syntax::Yaml, true),
            ("a: '0.0000000000000001'", Syntax::Yaml, false),
            ("a: 1e-308", Syntax::Yaml, true),
            ("{\"a\": 1234567890123456}", Syntax::Json, true),
            ("{\"a\":[1,\n  1234567890123456\n]}", Syntax::Json, true),
            ("{\"a\":1e-308}", Syntax::Json, true),
            ("{\"a\":\"1234567890123456\"}", Syntax::Json, false),
            ("{\"a\":\"x 1234567890123456 y\"}", Syntax::Json, false),
            ("{\"a\":1e-30, \"b\": \"re-use e-123\"}", Syntax::Json, false),
            ("", Syntax::Json, false),
        ] {
            for shift in 0..LEAST_RUN {
                let shifted = format!("{}{text}", " ".repeat(shift));
                assert_eq!(may_hold_inexact_number(&shifted, syntax), expected, "{shifted}");
            }
        }
        let runs = format!("[{}, {}]", "1".repeat(15), "2".repeat(16));
        assert!(may_hold_inexact_number(&runs, Syntax::Json));
    }

    #[test]
    fn the_look_at_the_bytes_passes_over_each_place_once() {
        // Numbers inside one string, each of which a careless look would read to the string's
        // end; a megabyte of them is looked at in far less than a second even in a debug build.
        let text = format!("{{\"a\":\"{}\"}}", "1234567890123456e-123".repeat(50_000));
        let started = std::time::Instant::now();
        assert!(!may_hold_inexact_number(&text, Syntax::Json));
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    }

    #[test]
    fn json_numbers_are_read_outside_strings_only() {
        let big = "123456789012345678901234567890";
        let text = format!(r#"{{"{big}": "{big} \"{big}\"", "a": [{big}, 1.5, -1e-400], "b": "\\"}}"#);
        let mut recorder = Recorder::default();
        record_json(&text, &mut recorder);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let texts = recorder.finish([&value]);
        assert_eq!(texts.len(), 2);
        assert_eq!(texts.text_of(big.parse().unwrap()), Some(big));
        assert_eq!(texts.text_of(-0.0), Some("-1e-400"));
    }
}
