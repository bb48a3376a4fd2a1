//! Numbers and integers: the bounds and `multipleOf`s of all parts taken together, the value
//! nearest zero that meets them, and the contradiction when none does.

use serde_json::{Number, Value};

use super::{Failure, Part, Synthesizer};

impl<'a> Synthesizer<'a> {
    /// Whether `value`, a number, lies within the parts' bounds and is a multiple of their
    /// `multipleOf`s; the reason when not.
    pub(super) fn number_fits(&self, value: &Value, parts: &[Part<'a>]) -> Result<(), String> {
        let number = value.as_f64().unwrap_or(0.0);
        let bounds = self.bounds(parts);
        if let Some((low, exclusive)) = bounds.low {
            if number < low || (exclusive && number == low) {
                return Err(format!("{value} is below the minimum {low}"));
            }
        }
        if let Some((high, exclusive)) = bounds.high {
            if number > high || (exclusive && number == high) {
                return Err(format!("{value} is above the maximum {high}"));
            }
        }
        if let Some(step) = bounds.multiples.iter().find(|step| !is_multiple(number, **step)) {
            return Err(format!("{value} is not a multiple of {step}"));
        }
        Ok(())
    }

    fn bounds(&self, parts: &[Part<'a>]) -> Bounds {
        let mut bounds = Bounds::default();
        for part in parts {
            let (minimum, maximum) = (part.number("minimum"), part.number("maximum"));
            if self.openapi_3_0 {
                let exclusive_low = part.get("exclusiveMinimum") == Some(&Value::Bool(true));
                let exclusive_high = part.get("exclusiveMaximum") == Some(&Value::Bool(true));
                bounds.raise(minimum.map(|low| (low, exclusive_low)), &part.pointer);
                bounds.lower(maximum.map(|high| (high, exclusive_high)), &part.pointer);
            } else {
                bounds.raise(minimum.map(|low| (low, false)), &part.pointer);
                bounds.lower(maximum.map(|high| (high, false)), &part.pointer);
                bounds.raise(part.number("exclusiveMinimum").map(|low| (low, true)), &part.pointer);
                bounds.lower(part.number("exclusiveMaximum").map(|high| (high, true)), &part.pointer);
            }
            if let Some(step) = part.number("multipleOf").filter(|step| *step > 0.0) {
                bounds.multiples.push(step);
            }
        }
        bounds
    }

    pub(super) fn number(&self, integer: bool, parts: &[Part<'a>], pointer: &str) -> Result<Value, Failure> {
        let bounds = self.bounds(parts);
        let at = bounds.pointer.as_deref().unwrap_or(pointer);
        if let (Some((low, low_exclusive)), Some((high, high_exclusive))) = (bounds.low, bounds.high) {
            if low > high || (low == high && (low_exclusive || high_exclusive)) {
                let (low_word, high_word) =
                    (if low_exclusive { "exclusive minimum" } else { "minimum" }, if high_exclusive { "exclusive maximum" } else { "maximum" });
                return Err(Failure::impossible(at, format!("the {low_word} {low} is not below the {high_word} {high}")));
            }
        }
        let kind = if integer { "integer" } else { "number" };
        let step = bounds
            .multiples
            .iter()
            .copied()
            .fold(if integer { 1.0 } else { 0.0 }, |step: f64, next| if step == 0.0 { next } else { lcm(step, next) });
        let candidate = if step > 0.0 {
            // The multiple of `step` nearest zero within the bounds.
            match bounds.low {
                Some((low, exclusive)) if low >= 0.0 || bounds.high.is_some_and(|(high, _)| high < 0.0) => {
                    let mut first = (low / step).ceil() * step;
                    if exclusive && first == low {
                        first += step;
                    }
                    first
                }
                _ => match bounds.high {
                    Some((high, exclusive)) if high < 0.0 => {
                        let mut last = (high / step).floor() * step;
                        if exclusive && last == high {
                            last -= step;
                        }
                        last
                    }
                    _ => 0.0,
                },
            }
        } else {
            match (bounds.low, bounds.high) {
                (Some((low, false)), _) => low,
                (Some((low, true)), Some((high, _))) => low + (high - low) / 2.0,
                (Some((low, true)), None) => low + 1.0,
                (None, Some((high, false))) if high < 0.0 => high,
                (None, Some((high, true))) if high <= 0.0 => high - 1.0,
                _ => 0.0,
            }
        };
        let within = |value: f64| {
            bounds.low.is_none_or(|(low, exclusive)| value > low || (!exclusive && value == low))
                && bounds.high.is_none_or(|(high, exclusive)| value < high || (!exclusive && value == high))
        };
        if !within(candidate) {
            let multiple = if step > 0.0 && !(integer && step == 1.0) { format!("multiple of {step}") } else { kind.to_string() };
            return Err(Failure::impossible(at, format!("no {multiple} lies within the bounds {}", bounds.describe())));
        }
        let number = if integer || candidate.fract() == 0.0 && candidate.abs() < 9e15 {
            Number::from(candidate as i64)
        } else {
            Number::from_f64(candidate).ok_or_else(|| Failure::unsupported(at, "the bounds are not finite numbers"))?
        };
        Ok(Value::Number(number))
    }
}

/// Numeric bounds gathered from several parts.
#[derive(Default)]
struct Bounds {
    low: Option<(f64, bool)>,
    high: Option<(f64, bool)>,
    multiples: Vec<f64>,
    /// Where the bounds come from when one part sets them all, to report a contradiction there.
    pointer: Option<String>,
    several: bool,
}

impl Bounds {
    fn note(&mut self, pointer: &str) {
        match &self.pointer {
            None if !self.several => self.pointer = Some(pointer.to_string()),
            Some(existing) if existing != pointer => {
                self.pointer = None;
                self.several = true;
            }
            _ => {}
        }
    }

    fn raise(&mut self, bound: Option<(f64, bool)>, pointer: &str) {
        let Some((value, exclusive)) = bound else { return };
        self.note(pointer);
        self.low = Some(match self.low {
            Some((low, low_exclusive)) if low > value || (low == value && low_exclusive) => (low, low_exclusive),
            _ => (value, exclusive),
        });
    }

    fn lower(&mut self, bound: Option<(f64, bool)>, pointer: &str) {
        let Some((value, exclusive)) = bound else { return };
        self.note(pointer);
        self.high = Some(match self.high {
            Some((high, high_exclusive)) if high < value || (high == value && high_exclusive) => (high, high_exclusive),
            _ => (value, exclusive),
        });
    }

    fn describe(&self) -> String {
        let low = match self.low {
            Some((low, true)) => format!("({low}"),
            Some((low, false)) => format!("[{low}"),
            None => "(-∞".into(),
        };
        let high = match self.high {
            Some((high, true)) => format!("{high})"),
            Some((high, false)) => format!("{high}]"),
            None => "∞)".into(),
        };
        format!("{low}, {high}")
    }
}

fn is_multiple(number: f64, step: f64) -> bool {
    let ratio = number / step;
    (ratio - ratio.round()).abs() < 1e-9
}

/// The least common multiple of two positive steps (exact for integers and simple decimals).
fn lcm(a: f64, b: f64) -> f64 {
    let scale = 1e6;
    let (x, y) = ((a * scale).round() as u128, (b * scale).round() as u128);
    if x == 0 || y == 0 {
        return a.max(b);
    }
    let gcd = |mut m: u128, mut n: u128| {
        while n != 0 {
            (m, n) = (n, m % n);
        }
        m
    };
    (x / gcd(x, y) * y) as f64 / scale
}
