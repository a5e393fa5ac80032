//! How a result differs from the reference, in one readable line.

use std::error::Error;
use std::fmt;

/// The first difference between a result and its reference.
///
/// ```
/// use ps_workload::Mismatch;
///
/// let mismatch = Mismatch::at(12, "144", "145");
/// assert_eq!(mismatch.to_string(), "at index 12: expected 144, got 145");
/// assert_eq!(Mismatch::value(1.5, 2.5).to_string(), "expected 1.5, got 2.5");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The position of the first differing element, for sequences.
    pub index: Option<usize>,
    /// The reference's value there, as text.
    pub expected: String,
    /// The result's value there, as text.
    pub actual: String,
}

impl Mismatch {
    /// Two whole values differ.
    #[must_use]
    pub fn value(expected: impl fmt::Display, actual: impl fmt::Display) -> Self {
        Mismatch {
            index: None,
            expected: expected.to_string(),
            actual: actual.to_string(),
        }
    }

    /// Two sequences differ first at `index`.
    #[must_use]
    pub fn at(index: usize, expected: impl fmt::Display, actual: impl fmt::Display) -> Self {
        Mismatch {
            index: Some(index),
            ..Mismatch::value(expected, actual)
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(index) = self.index {
            write!(f, "at index {index}: ")?;
        }
        write!(f, "expected {}, got {}", self.expected, self.actual)
    }
}

impl Error for Mismatch {}
