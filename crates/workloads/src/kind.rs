//! The harness-facing catalogue: which workloads exist, how big they run,
//! and their prepared inputs.

use std::fmt;
use std::str::FromStr;

use ps_strategy::Strategy;

use crate::word_count::{DEFAULT_SEED, Text};
use crate::{
    Output, latency, mandelbrot, primes, spectral_norm, squares, sum_of_squares, word_count,
};

/// How big a run is: each workload turns it into its own `n` with
/// [`WorkloadKind::size`].
///
/// The sizes aim at these times for the *serial* run of an optimised build
/// on a two-core machine: `quick` a few milliseconds (for smoke tests and
/// CI), `default` up to about half a second, `large` a few seconds.
///
/// ```
/// use ps_workloads::Size;
///
/// assert_eq!("quick".parse::<Size>(), Ok(Size::Quick));
/// assert_eq!(Size::Large.to_string(), "large");
/// assert_eq!(Size::default(), Size::Default);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Size {
    /// A few milliseconds serially: enough to check that everything runs.
    Quick,
    /// Up to about half a second serially: the size to compare strategies at.
    #[default]
    Default,
    /// A few seconds serially: where parallelism has room to pay off.
    Large,
}

impl Size {
    /// Every size, smallest first.
    pub const ALL: [Size; 3] = [Size::Quick, Size::Default, Size::Large];

    /// The name used on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Size::Quick => "quick",
            Size::Default => "default",
            Size::Large => "large",
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Size {
    type Err = String;

    /// Parses `quick`, `default` or `large`.
    ///
    /// ```
    /// use ps_workloads::Size;
    ///
    /// let error = "huge".parse::<Size>().unwrap_err();
    /// assert_eq!(error, "unknown size `huge` (expected one of: quick, default, large)");
    /// ```
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Size::ALL
            .into_iter()
            .find(|size| size.name() == name)
            .ok_or_else(|| unknown("size", name, Size::ALL.map(Size::name)))
    }
}

/// Which workload to run.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workloads::{Size, WorkloadKind};
///
/// let kind: WorkloadKind = "primes".parse()?;
/// let n = kind.size(Size::Quick);
/// kind.validate_n(n)?;
/// let prepared = kind.prepare(n);
/// let output = prepared.run(&Serial);
/// output.verify(&prepared.run_serial_reference())?;
/// println!("{}: {}", kind, output.canonical());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkloadKind {
    /// [`squares`](crate::squares): square `0..n` into a new vector.
    Squares,
    /// [`sum_of_squares`](crate::sum_of_squares): `Σ x²` over `0..n`.
    SumOfSquares,
    /// [`primes`](crate::primes): count the primes below `n`.
    Primes,
    /// [`mandelbrot`](crate::mandelbrot): an `n × n` PBM image of the set.
    Mandelbrot,
    /// [`spectral_norm`](crate::spectral_norm): the norm of an `n × n` matrix.
    SpectralNorm,
    /// [`word_count`](crate::word_count): word frequencies of `n` words.
    WordCount,
    /// [`latency`](crate::latency): `n` items that each block for 100 µs.
    Latency,
}

impl WorkloadKind {
    /// Every workload, in the order reports list them.
    pub const ALL: [WorkloadKind; 7] = [
        WorkloadKind::Squares,
        WorkloadKind::SumOfSquares,
        WorkloadKind::Primes,
        WorkloadKind::Mandelbrot,
        WorkloadKind::SpectralNorm,
        WorkloadKind::WordCount,
        WorkloadKind::Latency,
    ];

    /// The name used on the command line and in reports.
    ///
    /// ```
    /// use ps_workloads::WorkloadKind;
    ///
    /// assert_eq!(WorkloadKind::SpectralNorm.name(), "spectral-norm");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Squares => "squares",
            WorkloadKind::SumOfSquares => "sum-of-squares",
            WorkloadKind::Primes => "primes",
            WorkloadKind::Mandelbrot => "mandelbrot",
            WorkloadKind::SpectralNorm => "spectral-norm",
            WorkloadKind::WordCount => "word-count",
            WorkloadKind::Latency => "latency",
        }
    }

    /// One line: what the workload computes and what it teaches.
    #[must_use]
    pub fn summary(self) -> &'static str {
        match self {
            WorkloadKind::Squares => {
                "square 0..n into a vector (the Python article's job): too cheap per element for threads to pay"
            }
            WorkloadKind::SumOfSquares => {
                "sum x*x over 0..n with map_reduce: the simplest reduction, bound by memory bandwidth"
            }
            WorkloadKind::Primes => {
                "count primes below n by trial division: later numbers cost more, so equal blocks are unbalanced"
            }
            WorkloadKind::Mandelbrot => {
                "Benchmarks Game n x n Mandelbrot PBM: rows of very uneven cost, balanced by a dynamic schedule"
            }
            WorkloadKind::SpectralNorm => {
                "Benchmarks Game spectral norm: 40 short parallel phases, where start-up cost adds up"
            }
            WorkloadKind::WordCount => {
                "word frequencies of a Zipf-like text: per-chunk hash maps merged, not shared under a lock"
            }
            WorkloadKind::Latency => {
                "n items that each block 100 us, standing for I/O: more threads than cores help"
            }
        }
    }

    /// The `n` a [`Size`] stands for: elements for squares, sum of squares
    /// and latency, the bound for primes, the image side for mandelbrot, the
    /// matrix side for spectral norm, the number of words for word count.
    ///
    /// ```
    /// use ps_workloads::{Size, WorkloadKind};
    ///
    /// assert_eq!(WorkloadKind::Squares.size(Size::Default), 1_000_000);
    /// assert_eq!(WorkloadKind::Mandelbrot.size(Size::Large), 16_000);
    /// assert_eq!(WorkloadKind::SpectralNorm.size(Size::Large), 5500);
    /// ```
    #[must_use]
    pub fn size(self, size: Size) -> usize {
        let [quick, default, large] = match self {
            // The article squared a million numbers; that is the default.
            WorkloadKind::Squares => [100_000, 1_000_000, 20_000_000],
            WorkloadKind::SumOfSquares => [100_000, 10_000_000, 40_000_000],
            WorkloadKind::Primes => [100_000, 3_000_000, 15_000_000],
            // 16 000 is the Benchmarks Game's size.
            WorkloadKind::Mandelbrot => [1000, 4000, 16_000],
            // 5500 is the Benchmarks Game's size.
            WorkloadKind::SpectralNorm => [500, 2000, 5500],
            WorkloadKind::WordCount => [50_000, 2_000_000, 20_000_000],
            // 100 µs (plus the timer's slack) per item.
            WorkloadKind::Latency => [50, 1000, 20_000],
        };
        match size {
            Size::Quick => quick,
            Size::Default => default,
            Size::Large => large,
        }
    }

    /// A suggested grain — elements per unit of work — for strategies that
    /// cut the input into grain-sized chunks, given the run's `n`.
    ///
    /// The grain must be large enough that claiming a chunk (an atomic
    /// increment, some tens of nanoseconds) is noise next to the chunk's
    /// work, and small enough to leave many chunks to balance:
    ///
    /// - squares and sum of squares: 16 384 numbers, 128 KiB read per chunk
    ///   and some microseconds of work;
    /// - primes: 4096 numbers; near a million a chunk is tens of
    ///   microseconds, and the costly top of the range is still spread over
    ///   dozens of chunks;
    /// - mandelbrot: one row, since rows differ the most in cost and even a
    ///   cheap row of the default image is 4000 pixels;
    /// - spectral norm: enough rows for about 64 K matrix entries per chunk
    ///   (at least one), as each of the 40 phases is short;
    /// - word count: 32 segments (512 KiB of text, some 80 000 words),
    ///   because every chunk builds its own map, which costs about as much
    ///   per distinct word as counting a few words, and must then be merged
    ///   serially: at 8 segments a chunk, two threads are barely faster than
    ///   one;
    /// - latency: one item, since an item is all waiting.
    ///
    /// ```
    /// use ps_workloads::WorkloadKind;
    ///
    /// assert_eq!(WorkloadKind::Mandelbrot.grain(4000), 1);
    /// assert_eq!(WorkloadKind::SpectralNorm.grain(2048), 32);
    /// ```
    #[must_use]
    pub fn grain(self, n: usize) -> usize {
        match self {
            WorkloadKind::Squares | WorkloadKind::SumOfSquares => 16_384,
            WorkloadKind::Primes => 4096,
            WorkloadKind::Mandelbrot | WorkloadKind::Latency => 1,
            WorkloadKind::SpectralNorm => (65_536 / n.max(1)).max(1),
            WorkloadKind::WordCount => 32,
        }
    }

    /// Whether `n` is a size this workload can run.
    ///
    /// # Errors
    ///
    /// A one-line lowercase message: `n` is 0, or (mandelbrot) not a
    /// multiple of 8, or (spectral norm) above
    /// [`spectral_norm::MAX_N`](crate::spectral_norm::MAX_N).
    ///
    /// ```
    /// use ps_workloads::WorkloadKind;
    ///
    /// assert!(WorkloadKind::Mandelbrot.validate_n(200).is_ok());
    /// assert_eq!(
    ///     WorkloadKind::Mandelbrot.validate_n(100).unwrap_err(),
    ///     "mandelbrot needs n to be a multiple of 8, got 100",
    /// );
    /// assert!(WorkloadKind::Squares.validate_n(0).is_err());
    /// ```
    pub fn validate_n(self, n: usize) -> Result<(), String> {
        if n == 0 {
            return Err(format!("{self} needs n of at least 1, got 0"));
        }
        match self {
            WorkloadKind::Mandelbrot if n % 8 != 0 => {
                Err(format!("{self} needs n to be a multiple of 8, got {n}"))
            }
            WorkloadKind::SpectralNorm if n > spectral_norm::MAX_N => Err(format!(
                "{self} needs n of at most {}, got {n}",
                spectral_norm::MAX_N
            )),
            _ => Ok(()),
        }
    }

    /// The size nearest to `n` (at least 1) that
    /// [`validate_n`](WorkloadKind::validate_n) accepts: rounded up to a
    /// multiple of 8 for mandelbrot, capped for spectral norm. Size ladders
    /// (`cargo xtask sweep`, `scaling --weak`) use it to stay on valid sizes.
    ///
    /// ```
    /// use ps_workloads::WorkloadKind;
    ///
    /// assert_eq!(WorkloadKind::Mandelbrot.nearest_valid_n(100), 104);
    /// assert_eq!(WorkloadKind::Squares.nearest_valid_n(0), 1);
    /// for kind in WorkloadKind::ALL {
    ///     assert!(kind.validate_n(kind.nearest_valid_n(12_345)).is_ok());
    /// }
    /// ```
    #[must_use]
    pub fn nearest_valid_n(self, n: usize) -> usize {
        let n = n.max(1);
        match self {
            WorkloadKind::Mandelbrot => n.next_multiple_of(8),
            WorkloadKind::SpectralNorm => n.min(spectral_norm::MAX_N),
            _ => n,
        }
    }

    /// Builds the input for a run of size `n`, outside any timed region: the
    /// numbers `0..n`, or the generated text (seeded with
    /// [`word_count::DEFAULT_SEED`]), or nothing but `n`.
    ///
    /// ```
    /// use ps_workloads::WorkloadKind;
    ///
    /// let prepared = WorkloadKind::WordCount.prepare(1000);
    /// assert_eq!((prepared.kind(), prepared.n()), (WorkloadKind::WordCount, 1000));
    /// ```
    ///
    /// # Panics
    ///
    /// If [`validate_n`](WorkloadKind::validate_n) rejects `n`.
    #[must_use]
    pub fn prepare(self, n: usize) -> Prepared {
        if let Err(message) = self.validate_n(n) {
            panic!("{message}");
        }
        let input = match self {
            WorkloadKind::Squares => Input::Squares(squares::input(n)),
            WorkloadKind::SumOfSquares => Input::SumOfSquares(sum_of_squares::input(n)),
            WorkloadKind::Primes => Input::Primes(primes::input(n)),
            WorkloadKind::Mandelbrot => Input::Mandelbrot,
            WorkloadKind::SpectralNorm => Input::SpectralNorm,
            WorkloadKind::WordCount => Input::WordCount(Text::generated(n, DEFAULT_SEED)),
            WorkloadKind::Latency => Input::Latency(latency::input(n)),
        };
        Prepared { n, input }
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for WorkloadKind {
    type Err = String;

    /// Parses a [`name`](WorkloadKind::name).
    ///
    /// ```
    /// use ps_workloads::WorkloadKind;
    ///
    /// assert_eq!("word-count".parse(), Ok(WorkloadKind::WordCount));
    /// assert!("foo".parse::<WorkloadKind>().unwrap_err().starts_with(
    ///     "unknown workload `foo` (expected one of: squares, sum-of-squares, primes,"
    /// ));
    /// ```
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        WorkloadKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| unknown("workload", name, WorkloadKind::ALL.map(WorkloadKind::name)))
    }
}

fn unknown<const N: usize>(what: &str, name: &str, names: [&str; N]) -> String {
    format!(
        "unknown {what} `{name}` (expected one of: {})",
        names.join(", ")
    )
}

/// A workload with its input built, ready to be run and timed.
///
/// ```
/// use ps_threads::StaticBlocks;
/// use ps_workloads::{Output, WorkloadKind};
///
/// let prepared = WorkloadKind::SumOfSquares.prepare(4);
/// assert_eq!(prepared.run(&StaticBlocks::new(2)?), Output::Integer(14));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
pub struct Prepared {
    n: usize,
    input: Input,
}

/// The input of each workload; the variant is the kind.
enum Input {
    Squares(Vec<u64>),
    SumOfSquares(Vec<u64>),
    Primes(Vec<u64>),
    Mandelbrot,
    SpectralNorm,
    WordCount(Text),
    Latency(Vec<u64>),
}

impl Prepared {
    /// Word count over the caller's own text, such as the contents of a file
    /// given with `--input`; [`n`](Prepared::n) is its number of words.
    ///
    /// ```
    /// use ps_serial::Serial;
    /// use ps_workloads::{Output, Prepared, WorkloadKind};
    ///
    /// let prepared = Prepared::from_text("to be or not to be".to_owned());
    /// assert_eq!((prepared.kind(), prepared.n()), (WorkloadKind::WordCount, 6));
    /// let Output::Words(words) = prepared.run(&Serial) else { unreachable!() };
    /// assert_eq!(words[0], ("be".to_owned(), 2));
    /// ```
    #[must_use]
    pub fn from_text(text: String) -> Prepared {
        Prepared {
            n: word_count::words_in(&text),
            input: Input::WordCount(Text::new(text)),
        }
    }

    /// Which workload this is.
    #[must_use]
    pub fn kind(&self) -> WorkloadKind {
        match self.input {
            Input::Squares(_) => WorkloadKind::Squares,
            Input::SumOfSquares(_) => WorkloadKind::SumOfSquares,
            Input::Primes(_) => WorkloadKind::Primes,
            Input::Mandelbrot => WorkloadKind::Mandelbrot,
            Input::SpectralNorm => WorkloadKind::SpectralNorm,
            Input::WordCount(_) => WorkloadKind::WordCount,
            Input::Latency(_) => WorkloadKind::Latency,
        }
    }

    /// The size the input was prepared for.
    #[must_use]
    pub fn n(&self) -> usize {
        self.n
    }

    /// Runs the workload with `strategy`: the call to time.
    #[must_use]
    pub fn run<S: Strategy>(&self, strategy: &S) -> Output {
        match &self.input {
            Input::Squares(numbers) => Output::Numbers(squares::squares(strategy, numbers)),
            Input::SumOfSquares(numbers) => {
                Output::Integer(sum_of_squares::sum_of_squares(strategy, numbers))
            }
            Input::Primes(numbers) => Output::Integer(primes::primes(strategy, numbers)),
            Input::Mandelbrot => Output::Bytes(mandelbrot::mandelbrot(strategy, self.n)),
            Input::SpectralNorm => Output::Float(spectral_norm::spectral_norm(strategy, self.n)),
            Input::WordCount(text) => Output::Words(word_count::word_count(strategy, text)),
            Input::Latency(items) => {
                Output::Integer(latency::latency(strategy, items, latency::DEFAULT_DELAY))
            }
        }
    }

    /// Runs the plain serial reference, which does not go through the
    /// [`Strategy`] trait: the answer every strategy is verified against, and
    /// the baseline that shows what the trait costs.
    #[must_use]
    pub fn run_serial_reference(&self) -> Output {
        match &self.input {
            Input::Squares(numbers) => Output::Numbers(squares::squares_serial(numbers)),
            Input::SumOfSquares(numbers) => {
                Output::Integer(sum_of_squares::sum_of_squares_serial(numbers))
            }
            Input::Primes(numbers) => Output::Integer(primes::primes_serial(numbers)),
            Input::Mandelbrot => Output::Bytes(mandelbrot::mandelbrot_serial(self.n)),
            Input::SpectralNorm => Output::Float(spectral_norm::spectral_norm_serial(self.n)),
            Input::WordCount(text) => Output::Words(word_count::word_count_serial(text.as_str())),
            Input::Latency(items) => {
                Output::Integer(latency::latency_serial(items, latency::DEFAULT_DELAY))
            }
        }
    }
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("kind", &self.kind())
            .field("n", &self.n)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in WorkloadKind::ALL {
            assert_eq!(kind.name().parse(), Ok(kind));
            assert_eq!(kind.to_string(), kind.name());
            assert!(!kind.summary().is_empty());
        }
        for size in Size::ALL {
            assert_eq!(size.name().parse(), Ok(size));
        }
    }

    #[test]
    fn unknown_names_list_the_choices() {
        assert_eq!(
            "foo".parse::<WorkloadKind>(),
            Err(
                "unknown workload `foo` (expected one of: squares, sum-of-squares, primes, \
                 mandelbrot, spectral-norm, word-count, latency)"
                    .to_owned()
            )
        );
    }

    #[test]
    fn every_size_is_valid_and_grows() {
        for kind in WorkloadKind::ALL {
            let sizes = Size::ALL.map(|size| kind.size(size));
            assert!(
                sizes[0] < sizes[1] && sizes[1] < sizes[2],
                "{kind}: {sizes:?}"
            );
            for n in sizes {
                assert_eq!(kind.validate_n(n), Ok(()), "{kind} at {n}");
                assert!(kind.grain(n) >= 1);
            }
        }
    }

    #[test]
    fn invalid_sizes_are_one_lowercase_line() {
        for kind in WorkloadKind::ALL {
            let message = kind.validate_n(0).unwrap_err();
            assert!(
                !message.contains('\n') && message == message.to_lowercase(),
                "{message}"
            );
        }
        assert!(WorkloadKind::Mandelbrot.validate_n(12).is_err());
        assert!(
            WorkloadKind::SpectralNorm
                .validate_n(spectral_norm::MAX_N + 1)
                .is_err()
        );
    }

    #[test]
    #[should_panic(expected = "multiple of 8")]
    fn preparing_an_invalid_size_panics() {
        let _ = WorkloadKind::Mandelbrot.prepare(10);
    }
}
