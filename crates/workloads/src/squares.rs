//! Squares: `x * x` for every `x` in `0..n`, into a new vector.
//!
//! This is the job of the Python article that started the project: it
//! squared a million numbers with a process pool and found the pool slower
//! than a plain loop. Here it teaches the same lesson without an interpreter
//! in the way. One multiplication per element is about the cheapest work
//! there is, so the loop is limited by memory bandwidth, not arithmetic: a
//! million elements take well under a millisecond on one core, which is the
//! same order as starting a few threads. Parallelism pays off only when the
//! input is large, and then only up to the number of memory channels.
//!
//! The input vector is built by [`input`] before the timed call, so what is
//! measured is the map alone: read eight bytes, multiply, write eight bytes.
//!
//! # No SIMD kernel needed: the compiler already vectorises it
//!
//! Unlike [`mandelbrot`](crate::mandelbrot) and
//! [`spectral_norm`](crate::spectral_norm), this workload has no explicit
//! SIMD version, because the compiler writes one. Built for the x86-64
//! baseline (SSE2, no `RUSTFLAGS`) with rustc 1.95, both [`squares_serial`]
//! and the loop `Strategy::map` runs for [`squares`] compile to packed code
//! that squares two `u64` per 128-bit register; SSE2 has no 64-bit lane
//! multiply, so each product is assembled from three 32-bit `pmuludq`
//! multiplies, two shifts and adds. (Checked in the release assembly:
//! `cargo rustc --release -p ps-workloads --lib -- --emit asm` for
//! `squares_serial`; the `map` loop in a binary that calls `squares`.)

use ps_strategy::Strategy;
use ps_workload::{Sizes, Traffic, Workload};

use crate::canonical::{bytes_of, hashed, numbers_bytes};

/// The numbers `0..n` as `u64`, built outside the timed region.
///
/// ```
/// assert_eq!(ps_workloads::squares::input(4), [0, 1, 2, 3]);
/// ```
#[must_use]
pub fn input(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
}

/// Squares every element of `input` with `strategy`, keeping the order.
///
/// Squares wrap modulo 2⁶⁴, which only happens for elements of 2³² and more.
///
/// ```
/// use ps_workloads::squares::{input, squares};
/// use ps_threads::Dynamic;
///
/// assert_eq!(squares(&Dynamic::new(2, 2)?, &input(5)), [0, 1, 4, 9, 16]);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[must_use]
pub fn squares<S: Strategy>(strategy: &S, input: &[u64]) -> Vec<u64> {
    strategy.map(input, |&x| x.wrapping_mul(x))
}

/// The serial reference: the same squares from a plain loop, no strategy.
///
/// ```
/// use ps_workloads::squares::{input, squares_serial};
///
/// assert_eq!(squares_serial(&input(5)), [0, 1, 4, 9, 16]);
/// ```
#[must_use]
pub fn squares_serial(input: &[u64]) -> Vec<u64> {
    // A slice iterator knows its length, so `collect` allocates once and
    // compiles to the same vectorised loop as the hand-written one, without
    // a capacity check per element as `push` would have.
    input.iter().map(|&x| x.wrapping_mul(x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squares_small_numbers_by_hand() {
        assert_eq!(squares_serial(&input(0)), Vec::<u64>::new());
        assert_eq!(squares_serial(&input(6)), [0, 1, 4, 9, 16, 25]);
        assert_eq!(squares_serial(&[1_000_000]), [1_000_000_000_000]);
    }

    #[test]
    fn squares_wrap_instead_of_overflowing() {
        assert_eq!(squares_serial(&[1 << 32, u64::MAX]), [0, 1]);
    }

    #[test]
    fn the_last_square_of_a_million_is_right() {
        let output = squares_serial(&input(1_000_000));
        assert_eq!(output.len(), 1_000_000);
        assert_eq!(output[999_999], 999_998_000_001);
    }
}

/// The workload: square `0..n`.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workload::Workload;
/// use ps_workloads::squares::Squares;
///
/// let input = Squares.prepare(4);
/// assert_eq!(Squares.run(&Serial, &input), [0, 1, 4, 9]);
/// assert!(Squares.describe(&Squares.run_serial(&input)).starts_with("4 numbers, fnv1a64 "));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Squares;

impl Workload for Squares {
    type Input = Vec<u64>;
    type Output = Vec<u64>;

    fn name(&self) -> &'static str {
        "squares"
    }

    fn summary(&self) -> &'static str {
        "square 0..n into a vector (the Python article's job): too cheap per element for threads to pay"
    }

    fn n_means(&self) -> &'static str {
        "numbers to square"
    }

    fn sizes(&self) -> Sizes {
        // The article squared a million numbers; that is the default.
        Sizes {
            quick: 100_000,
            default: 1_000_000,
            large: 20_000_000,
        }
    }

    /// 16 384 numbers: 128 KiB read per chunk and some microseconds of
    /// work, so a claim (tens of nanoseconds) is noise.
    fn grain(&self, _n: usize) -> usize {
        16_384
    }

    fn bytes_for(&self, n: usize) -> Option<u128> {
        // The input, the reference and one result.
        Some(3 * bytes_of::<u64>(n))
    }

    /// Eight bytes read per number, and eight written.
    fn memory_traffic(&self, n: usize) -> Option<Traffic> {
        Some(Traffic { read: 8 * n as u64, written: 8 * n as u64 })
    }

    fn prepare(&self, n: usize) -> Vec<u64> {
        input(n)
    }

    fn run<S: Strategy>(&self, strategy: &S, input: &Vec<u64>) -> Vec<u64> {
        squares(strategy, input)
    }

    fn run_serial(&self, input: &Vec<u64>) -> Vec<u64> {
        squares_serial(input)
    }

    fn describe(&self, output: &Vec<u64>) -> String {
        hashed(output.len(), "numbers", &numbers_bytes(output))
    }

    fn output_bytes(&self, output: &Vec<u64>) -> Vec<u8> {
        numbers_bytes(output)
    }
}
