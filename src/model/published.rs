//! Figures as a source document printed them, and whether a computed
//! figure agrees at the precision they were written with.

use crate::numbers::as_given;

/// Most decimals a published figure's precision is taken to have; beyond
/// this, binary floating point has no more to compare.
const MAX_PUBLISHED_DECIMALS: u32 = 15;

/// How close a total must be to a published figure, beyond the figure's own
/// rounding, to agree with it: binary noise in the sums of weighted scores.
const PUBLISHED_TOLERANCE: f64 = 1e-9;

/// A total as a source document printed it: its value and the number of
/// decimals it was written with ("3.8" has one, "24" none, "3.80" two).
///
/// A source that prints 3.8 for a total of 3.75 has rounded, not erred, so a
/// computed total agrees with a published figure when it rounds to it at the
/// figure's own precision (either way at an exact half, since sources round
/// halves both ways).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Published {
    pub(super) value: f64,
    pub(super) decimals: u32,
}

impl Published {
    /// A figure with the precision of its shortest written form: 24 has no
    /// decimals, 3.75 two.
    pub fn new(value: f64) -> Published {
        Published::written(value, &as_given(value))
    }

    /// A figure as written in a file: `text` is the number's text (`3.80`,
    /// `1_000`, `3.8e1`), which sets its precision.
    pub fn written(value: f64, text: &str) -> Published {
        Published {
            value,
            decimals: written_decimals(text),
        }
    }

    /// The figure's value.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// How many decimals it was written with.
    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    /// The figure as written: with its decimals, so 3.80 stays 3.80.
    pub fn text(&self) -> String {
        let text = crate::numbers::fixed(self.value, self.decimals);
        if text.parse::<f64>() == Ok(self.value) {
            text
        } else {
            as_given(self.value)
        }
    }

    /// How far a total may be from this figure and still agree with it:
    /// half a unit of its last decimal, and a little for binary noise.
    pub fn allowance(&self) -> f64 {
        let half = 0.5 * 10f64.powi(-(self.decimals as i32));
        half + PUBLISHED_TOLERANCE * self.value.abs().max(1.0)
    }

    /// Whether `total` rounds to this figure at its precision.
    pub fn agrees_with(&self, total: f64) -> bool {
        (total - self.value).abs() <= self.allowance()
    }

    /// `total` rounded to this figure's precision, as the source would print it.
    pub fn rounded(&self, total: f64) -> String {
        crate::numbers::fixed(total, self.decimals)
    }
}

/// How many decimals a number's text shows: "3.8" one, "24" none, "3.8e1"
/// none (it is 38), "1.25e-1" three, hexadecimal none.
pub fn written_decimals(text: &str) -> u32 {
    let t: String = text
        .trim()
        .trim_start_matches(['+', '-'])
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    if t.starts_with("0x") || t.starts_with("0o") || t.starts_with("0b") {
        return 0;
    }
    let (mantissa, exponent) = match t.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (t.as_str(), 0),
    };
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i64);
    (fraction - exponent).clamp(0, i64::from(MAX_PUBLISHED_DECIMALS)) as u32
}
