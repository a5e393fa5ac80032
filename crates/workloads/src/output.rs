//! What a workload returns, and how two results are compared and printed.

use std::borrow::Cow;
use std::error::Error;
use std::fmt;

/// The relative tolerance [`Output::verify`] allows between floating-point
/// results: `|actual - expected| <= FLOAT_TOLERANCE × |expected|`.
///
/// Every strategy in this project computes floating-point results in the same
/// order, so they agree to the bit; the tolerance is there for
/// implementations that sum in another order, whose rounding differs in the
/// last few bits. It is far below the nine decimals that are printed.
pub const FLOAT_TOLERANCE: f64 = 1e-12;

/// The result of one run of a workload.
///
/// ```
/// use ps_workloads::Output;
///
/// let output = Output::Numbers(vec![0, 1, 4]);
/// assert!(output.verify(&Output::Numbers(vec![0, 1, 4])).is_ok());
/// assert_eq!(Output::Integer(25).canonical(), "25");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// One number per input element, in order (squares).
    Numbers(Vec<u64>),
    /// A single integer (sum of squares, the number of primes, latency's sum).
    Integer(u64),
    /// A floating-point value (spectral norm).
    Float(f64),
    /// The bytes of a file (mandelbrot's PBM image).
    Bytes(Vec<u8>),
    /// Word frequencies, most frequent first, then alphabetical (word count).
    Words(Vec<(String, u64)>),
}

impl Output {
    /// Checks this output against `reference`, usually the serial reference's.
    ///
    /// Integers, bytes, numbers and words must be equal; floats must agree
    /// within [`FLOAT_TOLERANCE`], relative to the reference.
    ///
    /// # Errors
    ///
    /// A [`Mismatch`] describing the first difference: the index of the first
    /// element that differs, else the lengths, else the two values, or the
    /// two kinds of output if they are not the same variant.
    ///
    /// ```
    /// use ps_workloads::Output;
    ///
    /// let reference = Output::Numbers(vec![0, 1, 4, 9]);
    /// let wrong = Output::Numbers(vec![0, 1, 5, 9]);
    /// let mismatch = wrong.verify(&reference).unwrap_err();
    /// assert_eq!(mismatch.index, Some(2));
    /// assert_eq!(mismatch.to_string(), "at index 2: expected 4, got 5");
    ///
    /// let close = Output::Float(1.0 + 1e-15);
    /// assert!(close.verify(&Output::Float(1.0)).is_ok());
    /// ```
    pub fn verify(&self, reference: &Output) -> Result<(), Mismatch> {
        match (reference, self) {
            (Output::Numbers(expected), Output::Numbers(actual)) => {
                compare(expected, actual, "numbers", u64::to_string)
            }
            (Output::Bytes(expected), Output::Bytes(actual)) => {
                compare(expected, actual, "bytes", |byte| format!("{byte:#010b}"))
            }
            (Output::Words(expected), Output::Words(actual)) => {
                compare(expected, actual, "words", |(word, count)| {
                    format!("{word:?}: {count}")
                })
            }
            (Output::Integer(expected), Output::Integer(actual)) => {
                if expected == actual {
                    Ok(())
                } else {
                    Err(Mismatch::new(None, expected, actual))
                }
            }
            (Output::Float(expected), Output::Float(actual)) => {
                let close = (actual - expected).abs() <= FLOAT_TOLERANCE * expected.abs();
                if close || expected.to_bits() == actual.to_bits() {
                    Ok(())
                } else {
                    Err(Mismatch::new(None, expected, actual))
                }
            }
            _ => Err(Mismatch::new(None, reference.shape(), self.shape())),
        }
    }

    /// The one line `cargo xtask run` prints for this output.
    ///
    /// - an integer: its decimal value (the number of primes, the sums);
    /// - a float: its value with nine decimals, as the Benchmarks Game prints
    ///   the spectral norm;
    /// - numbers, bytes and words: their count and the FNV-1a 64-bit hash of
    ///   [`canonical_bytes`](Output::canonical_bytes) as 16 hex digits:
    ///   `{count} numbers, fnv1a64 {hash}`, `{count} bytes, …` or
    ///   `{count} distinct words, …`.
    ///
    /// ```
    /// use ps_workloads::Output;
    ///
    /// assert_eq!(Output::Float(1.2742199912349306).canonical(), "1.274219991");
    /// assert_eq!(Output::Bytes(b"a".to_vec()).canonical(), "1 bytes, fnv1a64 af63dc4c8601ec8c");
    /// ```
    #[must_use]
    pub fn canonical(&self) -> String {
        let hashed = |count: usize, unit: &str| {
            format!(
                "{count} {unit}, fnv1a64 {:016x}",
                fnv1a64(&self.canonical_bytes())
            )
        };
        match self {
            Output::Integer(value) => value.to_string(),
            Output::Float(value) => format!("{value:.9}"),
            Output::Numbers(numbers) => hashed(numbers.len(), "numbers"),
            Output::Bytes(bytes) => hashed(bytes.len(), "bytes"),
            Output::Words(words) => hashed(words.len(), "distinct words"),
        }
    }

    /// The output as the bytes of a file, for `--out FILE`; every variant
    /// has one:
    ///
    /// - bytes: themselves (mandelbrot's is a PBM image any viewer opens);
    /// - numbers: each as eight little-endian bytes;
    /// - words: one `word<TAB>count` line each, in order;
    /// - an integer or a float: [`canonical`](Output::canonical) and a line
    ///   break.
    ///
    /// ```
    /// use ps_workloads::Output;
    ///
    /// let words = Output::Words(vec![("b".into(), 2), ("a".into(), 1)]);
    /// assert_eq!(&*words.canonical_bytes(), b"b\t2\na\t1\n");
    /// assert_eq!(&*Output::Numbers(vec![1]).canonical_bytes(), [1, 0, 0, 0, 0, 0, 0, 0]);
    /// ```
    #[must_use]
    pub fn canonical_bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Output::Bytes(bytes) => Cow::Borrowed(bytes),
            Output::Numbers(numbers) => {
                Cow::Owned(numbers.iter().flat_map(|n| n.to_le_bytes()).collect())
            }
            Output::Words(words) => {
                let mut text = String::new();
                for (word, count) in words {
                    text.push_str(word);
                    text.push('\t');
                    text.push_str(&count.to_string());
                    text.push('\n');
                }
                Cow::Owned(text.into_bytes())
            }
            Output::Integer(_) | Output::Float(_) => {
                Cow::Owned(format!("{}\n", self.canonical()).into_bytes())
            }
        }
    }

    fn shape(&self) -> &'static str {
        match self {
            Output::Numbers(_) => "a list of numbers",
            Output::Integer(_) => "an integer",
            Output::Float(_) => "a float",
            Output::Bytes(_) => "bytes",
            Output::Words(_) => "word counts",
        }
    }
}

/// The first difference between two sequences, or their lengths.
fn compare<T: PartialEq>(
    expected: &[T],
    actual: &[T],
    unit: &str,
    show: impl Fn(&T) -> String,
) -> Result<(), Mismatch> {
    if let Some(index) = expected.iter().zip(actual).position(|(e, a)| e != a) {
        return Err(Mismatch {
            index: Some(index),
            expected: show(&expected[index]),
            actual: show(&actual[index]),
        });
    }
    if expected.len() == actual.len() {
        Ok(())
    } else {
        Err(Mismatch::new(
            None,
            format_args!("{} {unit}", expected.len()),
            format_args!("{} {unit}", actual.len()),
        ))
    }
}

/// FNV-1a, 64 bits: xor each byte in, multiply by the FNV prime.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// How an output differs from the reference.
///
/// ```
/// use ps_workloads::Mismatch;
///
/// let mismatch = Mismatch { index: Some(12), expected: "144".into(), actual: "145".into() };
/// assert_eq!(mismatch.to_string(), "at index 12: expected 144, got 145");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The position of the first differing element, for sequences.
    pub index: Option<usize>,
    /// The reference's value there, as text.
    pub expected: String,
    /// This output's value there, as text.
    pub actual: String,
}

impl Mismatch {
    fn new(index: Option<usize>, expected: impl fmt::Display, actual: impl fmt::Display) -> Self {
        Mismatch {
            index,
            expected: expected.to_string(),
            actual: actual.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_published_vectors() {
        assert_eq!(fnv1a64(b""), 0xCBF2_9CE4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xAF63_DC4C_8601_EC8C);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_F739_67E8);
    }

    #[test]
    fn lengths_are_reported_after_a_common_prefix() {
        let mismatch = Output::Numbers(vec![1, 2]).verify(&Output::Numbers(vec![1, 2, 3]));
        assert_eq!(
            mismatch.unwrap_err().to_string(),
            "expected 3 numbers, got 2 numbers"
        );
    }

    #[test]
    fn different_variants_do_not_match() {
        let mismatch = Output::Integer(1).verify(&Output::Float(1.0)).unwrap_err();
        assert_eq!(mismatch.to_string(), "expected a float, got an integer");
    }

    #[test]
    fn floats_must_agree_to_the_tolerance() {
        let reference = Output::Float(1.274_219_991);
        assert!(
            Output::Float(1.274_219_991 * (1.0 + 1e-13))
                .verify(&reference)
                .is_ok()
        );
        assert!(
            Output::Float(1.274_219_991 * (1.0 + 1e-11))
                .verify(&reference)
                .is_err()
        );
        assert!(Output::Float(f64::NAN).verify(&reference).is_err());
        assert!(Output::Float(0.0).verify(&Output::Float(0.0)).is_ok());
    }

    #[test]
    fn corrupted_bytes_and_words_report_the_index() {
        let reference = Output::Bytes(vec![0xff; 10]);
        let mut corrupted = vec![0xff; 10];
        corrupted[7] = 0xfe;
        let mismatch = Output::Bytes(corrupted).verify(&reference).unwrap_err();
        assert_eq!(
            mismatch.to_string(),
            "at index 7: expected 0b11111111, got 0b11111110"
        );

        let reference = Output::Words(vec![("the".into(), 42), ("cat".into(), 7)]);
        let corrupted = Output::Words(vec![("the".into(), 42), ("cat".into(), 6)]);
        let mismatch = corrupted.verify(&reference).unwrap_err();
        assert_eq!(mismatch.index, Some(1));
        assert_eq!(
            mismatch.to_string(),
            r#"at index 1: expected "cat": 7, got "cat": 6"#
        );
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(Output::Integer(78_498).canonical(), "78498");
        assert_eq!(&*Output::Integer(7).canonical_bytes(), b"7\n");
        assert_eq!(&*Output::Float(0.5).canonical_bytes(), b"0.500000000\n");
        let numbers = Output::Numbers(vec![0, 1, 4]);
        assert!(numbers.canonical().starts_with("3 numbers, fnv1a64 "));
        assert_eq!(numbers.canonical().len(), "3 numbers, fnv1a64 ".len() + 16);
    }
}
