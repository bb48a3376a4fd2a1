//! Strings for simple regular expressions.
//!
//! Patterns in API documents are mostly short and plain: `^[a-z0-9-]+$`, `^\d{4}-\d{2}$`,
//! `^(asc|desc)$`. Those are read here (literals, escapes, `.`, classes, groups with alternatives,
//! the usual quantifiers) and turned into the shortest string they match, lengthened on request.
//! Anything else (lookaround, backreferences, negated classes that leave nothing obvious) gives
//! `None`, and the caller says it cannot build a value rather than guessing.

/// The longest string built, whatever the quantifiers allow.
const LIMIT: usize = 4096;

#[derive(Debug, Clone)]
enum Atom {
    /// A character to write.
    Char(char),
    /// One of several alternatives, each a sequence.
    Group(Vec<Vec<Piece>>),
}

#[derive(Debug, Clone)]
struct Piece {
    atom: Atom,
    min: usize,
    max: Option<usize>,
}

/// A string matching `pattern` (compiled as `regex`, by the same engine the validators use)
/// with at least `min_length` characters where the pattern allows it.
pub fn sample(pattern: &str, regex: &fancy_regex::Regex, min_length: usize, max_length: Option<usize>) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser { chars: &chars, at: 0 };
    let anchored_start = parser.eat('^');
    let mut alternatives = parser.alternatives()?;
    let anchored_end = parser.eat('$');
    if parser.at != chars.len() || alternatives.is_empty() {
        return None;
    }
    let mut sequence = alternatives.swap_remove(0);
    let mut text = render(&sequence);
    // Lengthen by repeating the last piece that may repeat more, then by padding where the
    // pattern is not anchored.
    while text.chars().count() < min_length {
        if !grow(&mut sequence) {
            break;
        }
        text = render(&sequence);
        if text.len() > LIMIT {
            return None;
        }
    }
    if text.chars().count() < min_length {
        let missing = min_length - text.chars().count();
        if !anchored_end {
            text.push_str(&"a".repeat(missing));
        } else if !anchored_start {
            text.insert_str(0, &"a".repeat(missing));
        }
    }
    let fits = max_length.is_none_or(|max| text.chars().count() <= max) && text.chars().count() >= min_length;
    (fits && regex.is_match(&text).unwrap_or(false)).then_some(text)
}

fn render(sequence: &[Piece]) -> String {
    let mut text = String::new();
    for piece in sequence {
        for _ in 0..piece.min {
            match &piece.atom {
                Atom::Char(c) => text.push(*c),
                Atom::Group(alternatives) => text.push_str(&render(&alternatives[0])),
            }
        }
    }
    text
}

/// Raises the count of the last piece that allows more; false when none does.
fn grow(sequence: &mut [Piece]) -> bool {
    for piece in sequence.iter_mut().rev() {
        if piece.max.is_none_or(|max| piece.min < max) {
            piece.min += 1;
            return true;
        }
    }
    false
}

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn alternatives(&mut self) -> Option<Vec<Vec<Piece>>> {
        let mut alternatives = vec![self.sequence()?];
        while self.eat('|') {
            alternatives.push(self.sequence()?);
        }
        Some(alternatives)
    }

    fn sequence(&mut self) -> Option<Vec<Piece>> {
        let mut pieces = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' || (c == '$' && self.at + 1 == self.chars.len()) {
                break;
            }
            let atom = self.atom()?;
            let (min, max) = self.quantifier()?;
            pieces.push(Piece { atom, min, max });
        }
        Some(pieces)
    }

    fn atom(&mut self) -> Option<Atom> {
        let c = self.peek()?;
        self.at += 1;
        match c {
            '(' => {
                // Only plain and non-capturing groups; lookaround and named groups are refused.
                if self.eat('?') && !self.eat(':') {
                    return None;
                }
                let alternatives = self.alternatives()?;
                self.eat(')').then_some(Atom::Group(alternatives))
            }
            '[' => self.class().map(Atom::Char),
            '.' => Some(Atom::Char('a')),
            '\\' => {
                let escaped = self.peek()?;
                self.at += 1;
                match escaped {
                    'd' => Some(Atom::Char('0')),
                    'w' => Some(Atom::Char('a')),
                    's' => Some(Atom::Char(' ')),
                    'D' | 'W' | 'S' => Some(Atom::Char('-')),
                    other => self.escaped_char(other).map(Atom::Char),
                }
            }
            '^' | '$' | '*' | '+' | '?' | '{' | '}' | ')' | '|' => None,
            c => Some(Atom::Char(c)),
        }
    }

    /// A character in the class that starts here (after `[`).
    fn class(&mut self) -> Option<char> {
        let negated = self.eat('^');
        let mut members: Vec<(char, char)> = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek()?;
            self.at += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let start = match c {
                '\\' => {
                    let escaped = self.peek()?;
                    self.at += 1;
                    match escaped {
                        'd' => {
                            members.push(('0', '9'));
                            continue;
                        }
                        'w' => {
                            members.extend([('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]);
                            continue;
                        }
                        's' => {
                            members.push((' ', ' '));
                            continue;
                        }
                        other => self.escaped_char(other)?,
                    }
                }
                '[' => return None,
                c => c,
            };
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|next| *next != ']') {
                self.at += 1;
                let end = self.peek()?;
                self.at += 1;
                let end = if end == '\\' {
                    let escaped = self.peek()?;
                    self.at += 1;
                    self.escaped_char(escaped)?
                } else {
                    end
                };
                members.push((start, end));
            } else {
                members.push((start, start));
            }
        }
        if negated {
            return ['a', 'x', '0', '_', 'Z', 'é'].into_iter().find(|c| !members.iter().any(|(low, high)| low <= c && c <= high));
        }
        members.first().map(|(low, _)| *low)
    }

    /// The character an escape other than a class shorthand stands for (after the `\\` and
    /// the letter): `\x41`, `\u00e9`, `\t`, or a punctuation character as itself.
    fn escaped_char(&mut self, letter: char) -> Option<char> {
        let hex = |parser: &mut Self, digits: usize| {
            let text: String = parser.chars.get(parser.at..parser.at + digits)?.iter().collect();
            parser.at += digits;
            u32::from_str_radix(&text, 16).ok().and_then(char::from_u32)
        };
        match letter {
            'x' => hex(self, 2),
            'u' => hex(self, 4),
            't' => Some('\t'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            c if c.is_ascii_alphanumeric() => None,
            c => Some(c),
        }
    }

    fn quantifier(&mut self) -> Option<(usize, Option<usize>)> {
        let bounds = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                let close = self.chars[self.at..].iter().position(|c| *c == '}')? + self.at;
                let inside: String = self.chars[self.at + 1..close].iter().collect();
                self.at = close;
                let (low, high) = match inside.split_once(',') {
                    Some((low, "")) => (low.trim().parse().ok()?, None),
                    Some((low, high)) => (low.trim().parse().ok()?, Some(high.trim().parse().ok()?)),
                    None => {
                        let n = inside.trim().parse().ok()?;
                        (n, Some(n))
                    }
                };
                (low, high)
            }
            _ => return Some((1, Some(1))),
        };
        self.at += 1;
        // Lazy and possessive markers change nothing about what matches.
        let _ = self.eat('?') || self.eat('+');
        if bounds.0 > LIMIT {
            return None;
        }
        Some(bounds)
    }
}

#[cfg(test)]
mod tests {
    fn sample(pattern: &str, min_length: usize, max_length: Option<usize>) -> Option<String> {
        super::sample(pattern, &fancy_regex::Regex::new(pattern).unwrap(), min_length, max_length)
    }

    #[test]
    fn simple_patterns_give_matching_strings() {
        for (pattern, min, expected) in [
            ("^[a-z0-9-]+$", 0, Some("a")),
            ("^[a-z0-9-]+$", 3, Some("aaa")),
            (r"^\d{4}-\d{2}$", 0, Some("0000-00")),
            ("^(asc|desc)$", 0, Some("asc")),
            ("^(?:v[0-9]+)?$", 0, Some("")),
            ("abc", 5, Some("abcaa")),
            (r"^[^@]+@[^@]+\.[a-z]{2,}$", 0, Some("a@a.aa")),
            ("^(?!admin).+$", 0, None),
            (r"^[\x41-\x5A]{2}\u0021$", 0, Some("AA!")),
            (r"([a-z0-9-_ ]|[^\x00-\x7F])+", 0, Some("a")),
            (r"^(a)\1$", 0, None),
        ] {
            assert_eq!(sample(pattern, min, None).as_deref(), expected, "{pattern}");
        }
        assert_eq!(sample("^[a-z]{2}$", 3, None), None, "the pattern caps the length");
    }
}
