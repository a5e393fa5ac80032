//! Sum of squares: `Σ x²` over `0..n`, a reduction through `map_reduce`.
//!
//! The same arithmetic as [`squares`](crate::squares), but nothing is
//! written: each chunk is folded into one number and the partial sums are
//! added in input order. With no output vector the loop touches half the
//! memory, so it is even more bandwidth-bound, and the only shared data is
//! one `u64` per chunk — the reduction pattern at its simplest.
//!
//! The sum is a `u64` with wrapping arithmetic, so it is the true sum modulo
//! 2⁶⁴. That stays exact up to about `n = 3.8 million`; beyond it the result
//! still is the same on every strategy, because wrapping addition is
//! associative and commutative.
//!
//! # The code the compiler generates
//!
//! Wrapping integer addition may be reordered freely, so the compiler is
//! allowed to vectorise the sum, and whether it does is its cost model's
//! choice. Built for the x86-64 baseline (SSE2, no `RUSTFLAGS`) with rustc
//! 1.95, the fold that `Strategy::map_reduce` runs for [`sum_of_squares`]
//! (`Iterator::fold` over a chunk) is vectorised — two `u64` per 128-bit
//! register, each product assembled from three 32-bit `pmuludq` multiplies,
//! as in [`squares`](crate::squares) — while the `for` loop of
//! [`sum_of_squares_serial`] is not: it compiles to scalar `imul` and `add`,
//! unrolled eight times. Neither needs a hand-written SIMD kernel to keep the
//! memory bus busy. (Checked in the release assembly of a binary calling
//! both.)

use ps_strategy::Strategy;
use ps_workload::{Sizes, Traffic, Workload};

use crate::canonical::bytes_of;

/// The numbers `0..n` as `u64`, built outside the timed region.
///
/// ```
/// assert_eq!(ps_workloads::sum_of_squares::input(3), [0, 1, 2]);
/// ```
#[must_use]
pub fn input(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
}

/// The wrapping sum of `x * x` over `input`, folded per chunk by `strategy`.
///
/// ```
/// use ps_workloads::sum_of_squares::{input, sum_of_squares};
/// use ps_threads::StaticBlocks;
///
/// // 0 + 1 + 4 + 9 + 16 + 25 + 36
/// assert_eq!(sum_of_squares(&StaticBlocks::new(2)?, &input(7)), 91);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[must_use]
// ANCHOR: workload
pub fn sum_of_squares<S: Strategy>(strategy: &S, input: &[u64]) -> u64 {
    strategy.map_reduce(
        input,
        || 0,
        |sum, &x| sum.wrapping_add(x.wrapping_mul(x)),
        u64::wrapping_add,
    )
}
// ANCHOR_END: workload

/// The serial reference: one plain loop, no strategy.
///
/// ```
/// use ps_workloads::sum_of_squares::{input, sum_of_squares_serial};
///
/// assert_eq!(sum_of_squares_serial(&input(7)), 91);
/// ```
#[must_use]
// ANCHOR: serial
pub fn sum_of_squares_serial(input: &[u64]) -> u64 {
    let mut sum = 0_u64;
    for &x in input {
        sum = sum.wrapping_add(x.wrapping_mul(x));
    }
    sum
}
// ANCHOR_END: serial

#[cfg(test)]
mod tests {
    use super::*;

    /// `Σ x² for x in 0..n = (n - 1) n (2n - 1) / 6`, taken modulo 2⁶⁴.
    fn formula(n: u64) -> u64 {
        let n = u128::from(n);
        if n == 0 {
            return 0;
        }
        ((n - 1) * n * (2 * n - 1) / 6) as u64
    }

    #[test]
    fn matches_the_closed_form_for_small_n() {
        for n in 0..200 {
            assert_eq!(
                sum_of_squares_serial(&input(n)),
                formula(n as u64),
                "n = {n}"
            );
        }
        assert_eq!(sum_of_squares_serial(&input(1_000_000)), formula(1_000_000));
    }

    #[test]
    fn wraps_modulo_two_to_the_64_past_the_limit() {
        let n = 5_000_000_u64;
        let wide = u128::from(n);
        assert!(u128::from(formula(n)) != (wide - 1) * wide * (2 * wide - 1) / 6);
        assert_eq!(sum_of_squares_serial(&input(n as usize)), formula(n));
    }
}

/// The workload: `Σ x²` over `0..n`.
///
/// ```
/// use ps_threads::StaticBlocks;
/// use ps_workload::Workload;
/// use ps_workloads::sum_of_squares::SumOfSquares;
///
/// let input = SumOfSquares.prepare(4);
/// assert_eq!(SumOfSquares.run(&StaticBlocks::new(2)?, &input), 14);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SumOfSquares;

impl Workload for SumOfSquares {
    type Input = Vec<u64>;
    type Output = u64;

    fn name(&self) -> &'static str {
        "sum-of-squares"
    }

    fn summary(&self) -> &'static str {
        "sum x*x over 0..n with map_reduce: the simplest reduction, bound by memory bandwidth"
    }

    fn n_means(&self) -> &'static str {
        "numbers to square and add"
    }

    fn sizes(&self) -> Sizes {
        Sizes {
            quick: 100_000,
            default: 10_000_000,
            large: 40_000_000,
        }
    }

    /// 16 384 numbers: 128 KiB read per chunk and some microseconds of work.
    fn grain(&self, _n: usize) -> usize {
        16_384
    }

    fn bytes_for(&self, n: usize) -> Option<u128> {
        Some(bytes_of::<u64>(n))
    }

    /// Eight bytes read per number.
    fn memory_traffic(&self, n: usize) -> Option<Traffic> {
        Some(Traffic { read: 8 * n as u64, written: 0 })
    }

    fn prepare(&self, n: usize) -> Vec<u64> {
        input(n)
    }

    fn run<S: Strategy>(&self, strategy: &S, input: &Vec<u64>) -> u64 {
        sum_of_squares(strategy, input)
    }

    fn run_serial(&self, input: &Vec<u64>) -> u64 {
        sum_of_squares_serial(input)
    }
}
