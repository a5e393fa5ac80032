//! Fannkuch-redux: the Computer Language Benchmarks Game's `fannkuch-redux`.
//!
//! The definition: take every permutation of `1..=n` (here `0..n`) in the
//! benchmark's order, and for each *flip* it: while the first element is
//! not the smallest, reverse the first `k` elements, where `k` is the first
//! element's value (counted from one). The number of flips until the
//! smallest comes first is the permutation's count. The result is the
//! largest count over all permutations, and a *checksum*: the counts summed
//! with alternating signs, `+` for the permutations at even positions in the
//! order, `-` at odd ones. The output is `{checksum}\nPfannkuchen({n}) =
//! {maximum}`: `228` and `16` for `n = 7`, `3968050` and `65` for `n = 12`.
//!
//! # The order, and starting anywhere in it
//!
//! The order is a mixed-radix counter: digit `i` (from 1 to `n - 1`) counts
//! from 0 to `i`, and every step rotates the first `i + 1` elements left by
//! one, where `i` is the lowest digit that does not wrap around. Digit 1
//! changes fastest, so position `p` in the order has the digits of `p` in
//! the factorial number system (`p = Σ dᵢ·i!`), and the permutation at `p`
//! is the identity with its first `i + 1` elements rotated left `dᵢ` times,
//! for `i` from `n - 1` down to 1 ([`Walk::at`]).
//!
//! That is what makes the job parallel: the `n!` positions are cut into
//! ranges, each task computes the permutation at the start of its range
//! from the position's digits, then steps through the range, and the ranges'
//! results combine by sum (the checksum — each position keeps its own sign,
//! because the sign comes from the position, not the task) and by maximum.
//!
//! # What it teaches
//!
//! Every range holds the same number of permutations, but the flips per
//! permutation vary — from none, when the smallest element already comes
//! first, to the maximum — so ranges of equal length are not equal work.
//! Within a range of `(n - 2)!` positions that starts at a multiple of it
//! (the workload's grain) only the first `n - 2` elements move, so a range
//! whose last two elements include the smallest has no permutation that is
//! free to flip.

use std::ops::Range;

use ps_strategy::{Chunks, Strategy};
use ps_workload::{Sizes, Workload};

mod walk;

pub use walk::{Walk, permutations};

/// The largest `n` accepted: a permutation is kept in a `[u8; MAX_N]`, and
/// `16!` positions (2·10¹³) would already take days.
pub const MAX_N: usize = 16;

/// The result: the alternating sum of the flip counts and the largest one.
///
/// ```
/// use ps_workloads::fannkuch_redux::{Tally, fannkuch_redux_serial};
///
/// assert_eq!(fannkuch_redux_serial(7), Tally { checksum: 228, max_flips: 16 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// `Σ ±flips`, `+` at even positions in the order.
    pub checksum: i64,
    /// The most flips any permutation needed.
    pub max_flips: u32,
}

impl Tally {
    /// Two ranges' results as one: sum and maximum.
    ///
    /// ```
    /// use ps_workloads::fannkuch_redux::Tally;
    ///
    /// let joined = Tally { checksum: 3, max_flips: 2 }.join(Tally { checksum: -1, max_flips: 5 });
    /// assert_eq!(joined, Tally { checksum: 2, max_flips: 5 });
    /// ```
    #[must_use]
    pub fn join(self, other: Tally) -> Tally {
        Tally {
            checksum: self.checksum + other.checksum,
            max_flips: self.max_flips.max(other.max_flips),
        }
    }
}

impl ps_workload::Verify for Tally {
    fn verify(
        &self,
        expected: &Self,
        tolerance: ps_workload::Tolerance,
    ) -> Result<(), ps_workload::Mismatch> {
        let _ = tolerance;
        exactly(self, expected)
    }
}

/// The tally of the positions in `range` (a non-empty range below `n!`).
///
/// ```
/// use ps_workloads::fannkuch_redux::{fannkuch_redux_serial, tally_range};
///
/// let whole = fannkuch_redux_serial(6);
/// let halves = tally_range(6, 0..360).join(tally_range(6, 360..720));
/// assert_eq!(halves, whole);
/// ```
///
/// # Panics
///
/// If `range` is empty or reaches past `n!`.
#[must_use]
pub fn tally_range(n: usize, range: Range<usize>) -> Tally {
    let mut walk = Walk::at(n, range.start);
    let mut tally = Tally::default();
    for position in range.clone() {
        let flips = walk.flips();
        // The sign follows the position in the whole order, so any cut of
        // the positions into ranges sums to the same checksum.
        tally.checksum += if position % 2 == 0 {
            i64::from(flips)
        } else {
            -i64::from(flips)
        };
        tally.max_flips = tally.max_flips.max(flips);
        if position + 1 < range.end {
            walk.advance();
        }
    }
    tally
}

/// Fannkuch-redux of `n`, the `n!` positions cut into ranges by `strategy`
/// (its chunk length is the range's length).
///
/// ```
/// use ps_threads::Dynamic;
/// use ps_workloads::fannkuch_redux::{Tally, fannkuch_redux};
///
/// let tally = fannkuch_redux(&Dynamic::new(2, 100)?, 7);
/// assert_eq!(tally, Tally { checksum: 228, max_flips: 16 });
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
///
/// # Panics
///
/// If `n` is 0 or larger than [`MAX_N`].
#[must_use]
pub fn fannkuch_redux<S: Strategy>(strategy: &S, n: usize) -> Tally {
    fannkuch_redux_positions(strategy, n, 0..checked_count(n))
}

/// The tally of the positions in `positions` only, cut into ranges by
/// `strategy`: one process's share when the positions are split across
/// processes, whose tallies then [`join`](Tally::join) like any others.
///
/// ```
/// use ps_threads::Dynamic;
/// use ps_workloads::fannkuch_redux::{fannkuch_redux_positions, fannkuch_redux_serial};
///
/// let strategy = Dynamic::new(2, 50)?;
/// let halves = fannkuch_redux_positions(&strategy, 7, 0..2000)
///     .join(fannkuch_redux_positions(&strategy, 7, 2000..5040));
/// assert_eq!(halves, fannkuch_redux_serial(7));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
///
/// # Panics
///
/// If `n` is 0 or larger than [`MAX_N`], or `positions` reaches past `n!`.
#[must_use]
pub fn fannkuch_redux_positions<S: Strategy>(
    strategy: &S,
    n: usize,
    positions: Range<usize>,
) -> Tally {
    let count = checked_count(n);
    assert!(
        positions.end <= count,
        "positions up to {} are past the last permutation of {n}",
        positions.end
    );
    let len = positions.len();
    let ranges = Chunks::new(len, strategy.chunks(len).chunk_len());
    strategy
        .run_tasks(ranges.count(), |index| {
            let range = ranges.range(index);
            tally_range(n, positions.start + range.start..positions.start + range.end)
        })
        .into_iter()
        .fold(Tally::default(), Tally::join)
}

/// The serial reference: every position in one plain loop, no strategy.
///
/// ```
/// use ps_workloads::fannkuch_redux::fannkuch_redux_serial;
///
/// assert_eq!(fannkuch_redux_serial(1).max_flips, 0);
/// ```
///
/// # Panics
///
/// If `n` is 0 or larger than [`MAX_N`].
#[must_use]
pub fn fannkuch_redux_serial(n: usize) -> Tally {
    tally_range(n, 0..checked_count(n))
}

fn checked_count(n: usize) -> usize {
    assert!(
        (1..=MAX_N).contains(&n),
        "fannkuch-redux accepts n from 1 to {MAX_N}, got {n}"
    );
    permutations(n).expect("n! of n up to MAX_N fits a 64-bit usize")
}

/// A run's answer: the tally and the `n` it is for, which the output
/// names.
///
/// ```
/// use ps_workloads::fannkuch_redux::{Answer, Tally};
///
/// let answer = Answer { n: 7, tally: Tally { checksum: 228, max_flips: 16 } };
/// assert_eq!(answer.output(), "228\nPfannkuchen(7) = 16\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    /// The number of elements permuted.
    pub n: usize,
    /// What the permutations added up to.
    pub tally: Tally,
}

impl Answer {
    /// The benchmark's output: the checksum, then `Pfannkuchen(n) = max`.
    #[must_use]
    pub fn output(&self) -> String {
        format!(
            "{}\nPfannkuchen({}) = {}\n",
            self.tally.checksum, self.n, self.tally.max_flips
        )
    }
}

impl ps_workload::Verify for Answer {
    fn verify(
        &self,
        expected: &Self,
        tolerance: ps_workload::Tolerance,
    ) -> Result<(), ps_workload::Mismatch> {
        let _ = tolerance;
        exactly(self, expected)
    }
}

/// Equal, or a mismatch that shows both whole: the fields mean little apart.
fn exactly<T: PartialEq + std::fmt::Debug>(
    actual: &T,
    expected: &T,
) -> Result<(), ps_workload::Mismatch> {
    if actual == expected {
        Ok(())
    } else {
        Err(ps_workload::Mismatch::value(
            format!("{expected:?}"),
            format!("{actual:?}"),
        ))
    }
}

/// The workload: fannkuch-redux of `n`.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workload::Workload;
/// use ps_workloads::fannkuch_redux::FannkuchRedux;
///
/// let answer = FannkuchRedux.run(&Serial, &FannkuchRedux.prepare(7));
/// assert_eq!(FannkuchRedux.describe(&answer), "228; Pfannkuchen(7) = 16");
/// assert!(FannkuchRedux.check_n(17).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct FannkuchRedux;

impl Workload for FannkuchRedux {
    /// Only `n`: every permutation is computed from its position.
    type Input = usize;
    type Output = Answer;

    fn name(&self) -> &'static str {
        "fannkuch-redux"
    }

    fn summary(&self) -> &'static str {
        "Benchmarks Game fannkuch-redux: n! permutations cut into index ranges of unequal cost"
    }

    fn n_means(&self) -> &'static str {
        "the number of elements permuted"
    }

    fn sizes(&self) -> Sizes {
        // 12 is the Benchmarks Game's size.
        Sizes {
            quick: 9,
            default: 10,
            large: 12,
        }
    }

    /// `(n - 2)!` positions: `n (n - 1)` ranges, enough to balance a few
    /// cores, each long enough that computing its first permutation
    /// (`O(n²)`) is nothing next to flipping the rest.
    fn grain(&self, n: usize) -> usize {
        permutations(n.saturating_sub(2)).unwrap_or(usize::MAX)
    }

    fn check_n(&self, n: usize) -> Result<(), String> {
        if (1..=MAX_N).contains(&n) {
            Ok(())
        } else {
            Err(format!(
                "{} needs n from 1 to {MAX_N}, got {n}",
                self.name()
            ))
        }
    }

    fn nearest_valid_n(&self, n: usize) -> usize {
        n.clamp(1, MAX_N)
    }

    /// A permutation, its copy being flipped and its digits, per running
    /// task: a few dozen bytes.
    fn bytes_for(&self, n: usize) -> Option<u128> {
        let _ = n;
        Some(crate::canonical::bytes_of::<[u8; MAX_N]>(3))
    }

    /// The permutations: n!.
    fn work_items(&self, n: usize) -> u64 {
        permutations(n).map_or(u64::MAX, |count| count as u64)
    }

    fn prepare(&self, n: usize) -> usize {
        n
    }

    fn run<S: Strategy>(&self, strategy: &S, &n: &usize) -> Answer {
        Answer {
            n,
            tally: fannkuch_redux(strategy, n),
        }
    }

    fn run_serial(&self, &n: &usize) -> Answer {
        Answer {
            n,
            tally: fannkuch_redux_serial(n),
        }
    }

    /// The two lines of the output on one: `checksum; Pfannkuchen(n) = max`.
    fn describe(&self, answer: &Answer) -> String {
        answer.output().trim_end().replace('\n', "; ")
    }

    /// The Benchmarks Game's output, both lines.
    fn output_bytes(&self, answer: &Answer) -> Vec<u8> {
        answer.output().into_bytes()
    }
}

#[cfg(test)]
mod tests;
