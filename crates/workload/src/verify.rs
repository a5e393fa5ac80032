//! Comparing a result with the reference: exact by default, within a
//! tolerance where floating-point results ask for one.

use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::Mismatch;

/// How close two floating-point values must be to count as equal.
///
/// Integers, strings and bytes are always compared exactly; the tolerance
/// applies to every `f32` and `f64` inside a result, however deeply nested.
///
/// ```
/// use ps_workload::Tolerance;
///
/// assert!(Tolerance::Exact.accepts(1.0, 1.0));
/// assert!(!Tolerance::Exact.accepts(1.0, 1.0 + f64::EPSILON));
/// assert!(Tolerance::Relative(1e-12).accepts(1.0, 1.0 + f64::EPSILON));
/// assert!(Tolerance::Absolute(0.5).accepts(10.0, 10.25));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Tolerance {
    /// The same value (or both NaN with the same bits).
    #[default]
    Exact,
    /// `|actual - expected| <= r × |expected|`: for sums taken in another
    /// order, whose last bits differ.
    Relative(f64),
    /// `|actual - expected| <= d`.
    Absolute(f64),
}

impl Tolerance {
    /// Whether `actual` is close enough to `expected`.
    #[must_use]
    // Exact equality is the point of `Exact`: a tolerance is opt-in.
    #[allow(clippy::float_cmp)]
    pub fn accepts(self, expected: f64, actual: f64) -> bool {
        if expected == actual || expected.to_bits() == actual.to_bits() {
            return true;
        }
        match self {
            Tolerance::Exact => false,
            Tolerance::Relative(r) => (actual - expected).abs() <= r * expected.abs(),
            Tolerance::Absolute(d) => (actual - expected).abs() <= d,
        }
    }
}

/// A result that can be checked against a reference.
///
/// Implemented for integers, `bool`, `char`, strings, `f32`/`f64` (which
/// follow the [`Tolerance`]), and for vectors, slices, arrays, boxes,
/// options, tuples and ordered maps of those — so most results need no code
/// at all. A sequence reports the index of its first differing element.
///
/// ```
/// use ps_workload::{Tolerance, Verify};
///
/// let expected = vec![0_u64, 1, 4, 9];
/// assert!(vec![0_u64, 1, 4, 9].verify(&expected, Tolerance::Exact).is_ok());
/// let mismatch = vec![0_u64, 1, 5, 9].verify(&expected, Tolerance::Exact).unwrap_err();
/// assert_eq!(mismatch.to_string(), "at index 2: expected 4, got 5");
/// ```
///
/// For a type of your own, compare field by field and build a
/// [`Mismatch`] from the first difference.
pub trait Verify: Debug {
    /// `Ok` when `self` equals `expected` (floats within `tolerance`).
    ///
    /// # Errors
    ///
    /// The first difference, as a [`Mismatch`].
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch>;
}

macro_rules! exact {
    ($($t:ty),*) => {$(
        impl Verify for $t {
            fn verify(&self, expected: &Self, _: Tolerance) -> Result<(), Mismatch> {
                if self == expected {
                    Ok(())
                } else {
                    Err(Mismatch::value(format!("{expected:?}"), format!("{self:?}")))
                }
            }
        }
    )*};
}

exact!(
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    bool,
    char,
    String,
    &str,
    ()
);

impl Verify for f64 {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        if tolerance.accepts(*expected, *self) {
            Ok(())
        } else {
            Err(Mismatch::value(expected, self))
        }
    }
}

impl Verify for f32 {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        if tolerance.accepts(f64::from(*expected), f64::from(*self)) {
            Ok(())
        } else {
            Err(Mismatch::value(expected, self))
        }
    }
}

impl<T: Verify> Verify for [T] {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        first_difference(self.iter(), expected.iter(), tolerance, "elements")
    }
}

impl<T: Verify> Verify for Vec<T> {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        self.as_slice().verify(expected, tolerance)
    }
}

impl<T: Verify, const N: usize> Verify for [T; N] {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        self.as_slice().verify(expected, tolerance)
    }
}

impl<T: Verify + ?Sized> Verify for Box<T> {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        (**self).verify(expected, tolerance)
    }
}

impl<T: Verify> Verify for Option<T> {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        match (self, expected) {
            (Some(actual), Some(expected)) => actual.verify(expected, tolerance),
            (None, None) => Ok(()),
            _ => Err(Mismatch::value(
                format!("{expected:?}"),
                format!("{self:?}"),
            )),
        }
    }
}

impl<A: Verify, B: Verify> Verify for (A, B) {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        self.0.verify(&expected.0, tolerance)?;
        self.1.verify(&expected.1, tolerance)
    }
}

impl<A: Verify, B: Verify, C: Verify> Verify for (A, B, C) {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        self.0.verify(&expected.0, tolerance)?;
        self.1.verify(&expected.1, tolerance)?;
        self.2.verify(&expected.2, tolerance)
    }
}

/// Maps compare as their sorted `(key, value)` sequences, so the index
/// names the first differing entry in key order.
impl<K: Verify + Ord, V: Verify> Verify for BTreeMap<K, V> {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        first_difference(self.iter(), expected.iter(), tolerance, "entries")
    }
}

/// The first element of two sequences that differs, with its index, else
/// their lengths (counted in `unit`) if those differ.
fn first_difference<T: Verify>(
    actual: impl ExactSizeIterator<Item = T>,
    expected: impl ExactSizeIterator<Item = T>,
    tolerance: Tolerance,
    unit: &str,
) -> Result<(), Mismatch> {
    let (actual_len, expected_len) = (actual.len(), expected.len());
    for (index, (actual, expected)) in actual.zip(expected).enumerate() {
        if let Err(inner) = actual.verify(&expected, tolerance) {
            return Err(Mismatch {
                index: Some(index),
                ..inner
            });
        }
    }
    if actual_len == expected_len {
        Ok(())
    } else {
        Err(Mismatch::value(
            format!("{expected_len} {unit}"),
            format!("{actual_len} {unit}"),
        ))
    }
}
impl<T: Verify + ?Sized> Verify for &T {
    fn verify(&self, expected: &Self, tolerance: Tolerance) -> Result<(), Mismatch> {
        (**self).verify(expected, tolerance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_reported_after_a_common_prefix() {
        let mismatch = vec![1_u8, 2]
            .verify(&vec![1, 2, 3], Tolerance::Exact)
            .unwrap_err();
        assert_eq!(mismatch.to_string(), "expected 3 elements, got 2 elements");
    }

    #[test]
    fn floats_follow_the_tolerance_inside_sequences() {
        let expected = vec![("a".to_owned(), 1.0_f64)];
        let close = vec![("a".to_owned(), 1.0 + 1e-15)];
        assert!(close.verify(&expected, Tolerance::Relative(1e-12)).is_ok());
        let error = close.verify(&expected, Tolerance::Exact).unwrap_err();
        assert_eq!(error.index, Some(0));
        let far = vec![("a".to_owned(), 1.1)];
        assert!(far.verify(&expected, Tolerance::Relative(1e-12)).is_err());
    }

    #[test]
    fn strings_and_words_show_their_values() {
        let expected = vec![("be".to_owned(), 2_u64)];
        let error = vec![("be".to_owned(), 3_u64)]
            .verify(&expected, Tolerance::Exact)
            .unwrap_err();
        assert_eq!(error.to_string(), "at index 0: expected 2, got 3");
        let error = vec![("bee".to_owned(), 2_u64)]
            .verify(&expected, Tolerance::Exact)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "at index 0: expected \"be\", got \"bee\""
        );
    }

    #[test]
    fn maps_name_the_first_differing_entry() {
        let expected = BTreeMap::from([(1, 10), (2, 20)]);
        let actual = BTreeMap::from([(1, 10), (2, 21)]);
        assert_eq!(
            actual
                .verify(&expected, Tolerance::Exact)
                .unwrap_err()
                .index,
            Some(1)
        );
        assert!(expected.verify(&expected, Tolerance::Exact).is_ok());
    }

    #[test]
    fn options_and_nan() {
        assert!(
            Some(f64::NAN)
                .verify(&Some(f64::NAN), Tolerance::Exact)
                .is_ok()
        );
        assert!(None::<u8>.verify(&Some(1), Tolerance::Exact).is_err());
    }
}
