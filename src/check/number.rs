//! Compares JSON numbers exactly, as the decimals they are written as: with
//! serde_json's `arbitrary_precision` a number keeps its text, so
//! `18446744073709551617` and `18446744073709551616` stay apart and `1`,
//! `1.0` and `1e0` are equal.
//!
//! Pure arithmetic on digit strings, no floating point. Must not word
//! messages, nor know what a predicate or a subject is.

use std::cmp::Ordering;

use serde_json::Number;

/// Holds a decimal as sign, significant digits and exponent: the value is
/// `digits × 10^exponent`, with no leading or trailing zero in `digits`
/// (empty for zero, whose sign is ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: String,
    exponent: i128,
}

impl Decimal {
    /// Reads a JSON number's text (`-12.50e+3`); `None` if it is not one.
    fn parse(text: &str) -> Option<Self> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], unsigned[at + 1..].parse::<i128>().ok()?),
            None => (unsigned, 0),
        };
        let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() || !int.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let all = format!("{int}{fraction}");
        let exponent = exponent - i128::try_from(fraction.len()).ok()?;
        let trimmed_end = all.trim_end_matches('0');
        let exponent = exponent + i128::try_from(all.len() - trimmed_end.len()).ok()?;
        let digits = trimmed_end.trim_start_matches('0').to_owned();
        Some(Self {
            negative: negative && !digits.is_empty(),
            digits,
            exponent,
        })
    }

    /// Returns the position of the most significant digit (`len + exponent`).
    fn magnitude(&self) -> i128 {
        i128::try_from(self.digits.len()).unwrap_or(i128::MAX) + self.exponent
    }

    fn cmp_abs(&self, other: &Self) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        // Same magnitude: the digit strings line up from the left, and a
        // shorter one is a prefix padded with zeros (none are trailing).
        self.magnitude()
            .cmp(&other.magnitude())
            .then_with(|| self.digits.cmp(&other.digits))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_abs(other),
            (true, true) => other.cmp_abs(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Orders two JSON numbers exactly by value (`1 == 1.0`, and no rounding
/// however many digits they have).
pub(super) fn compare_numbers(x: &Number, y: &Number) -> Option<Ordering> {
    let (a, b) = (Decimal::parse(&x.to_string())?, Decimal::parse(&y.to_string())?);
    Some(a.cmp(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Number {
        serde_json::from_str(text).unwrap()
    }

    fn cmp(a: &str, b: &str) -> Ordering {
        compare_numbers(&number(a), &number(b)).unwrap()
    }

    #[test]
    fn equal_values_written_differently_are_equal() {
        for (a, b) in [
            ("1", "1.0"),
            ("1", "1e0"),
            ("100", "1e2"),
            ("0.5", "5e-1"),
            ("-0", "0"),
            ("0.0", "-0.0"),
            ("1.50", "1.5"),
        ] {
            assert_eq!(cmp(a, b), Ordering::Equal, "{a} vs {b}");
        }
    }

    #[test]
    fn numbers_beyond_64_bits_stay_exact() {
        assert_eq!(
            cmp("18446744073709551617", "18446744073709551616"),
            Ordering::Greater
        );
        assert_eq!(cmp("1000000000000000000000", "1e21"), Ordering::Equal);
        assert_eq!(cmp("9007199254740993", "9007199254740992"), Ordering::Greater);
        assert_eq!(
            cmp("0.30000000000000000000000000001", "0.3"),
            Ordering::Greater,
            "decimals compare past f64 precision"
        );
        assert_eq!(
            cmp("-18446744073709551617", "-18446744073709551616"),
            Ordering::Less
        );
    }

    #[test]
    fn signs_magnitudes_and_fractions_order() {
        assert_eq!(cmp("-1", "0"), Ordering::Less);
        assert_eq!(cmp("-0.001", "-0.01"), Ordering::Greater);
        assert_eq!(cmp("2.5", "10"), Ordering::Less);
        assert_eq!(cmp("1e400", "1e399"), Ordering::Greater);
        assert_eq!(cmp("1e-400", "0"), Ordering::Greater);
        assert_eq!(cmp("12", "1.2e1"), Ordering::Equal);
        assert_eq!(cmp("123", "12.4e1"), Ordering::Less);
    }
}
