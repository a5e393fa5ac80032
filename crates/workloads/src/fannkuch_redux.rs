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
//! first, to the maximum — so ranges of equal length are not equal work. A
//! range's share of permutations that start with the smallest element, and
//! so cost nothing to flip, depends on where it lies in the order.

use std::ops::Range;

use ps_strategy::{Chunks, Strategy};
use ps_workload::{Sizes, Workload};

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

/// `n!`, the number of permutations, or `None` if it does not fit a
/// `usize`.
///
/// ```
/// assert_eq!(ps_workloads::fannkuch_redux::permutations(5), Some(120));
/// ```
#[must_use]
pub fn permutations(n: usize) -> Option<usize> {
    (1..=n).try_fold(1_usize, usize::checked_mul)
}

/// A position in the benchmark's order of permutations: the permutation and
/// its factorial-base digits.
///
/// ```
/// use ps_workloads::fannkuch_redux::Walk;
///
/// let mut walk = Walk::at(3, 0);
/// assert_eq!(walk.permutation(), [0, 1, 2]);
/// walk.advance();
/// assert_eq!(walk.permutation(), [1, 0, 2]);
/// assert_eq!(Walk::at(3, 3).permutation(), [2, 1, 0]);
/// ```
#[derive(Debug, Clone)]
pub struct Walk {
    n: usize,
    perm: [u8; MAX_N],
    digits: [u8; MAX_N],
}

impl Walk {
    /// The permutation of `0..n` at `position` (below `n!`), from the
    /// position's factorial-base digits.
    ///
    /// # Panics
    ///
    /// If `n` is larger than [`MAX_N`] or `position` is not below `n!`.
    #[must_use]
    pub fn at(n: usize, position: usize) -> Walk {
        assert!(n <= MAX_N, "fannkuch-redux accepts n up to {MAX_N}, got {n}");
        assert!(
            permutations(n).is_some_and(|count| position < count),
            "position {position} is past the last permutation of {n}"
        );
        let mut walk = Walk {
            n,
            perm: std::array::from_fn(|i| i as u8),
            digits: [0; MAX_N],
        };
        let mut rest = position;
        for i in (1..n).rev() {
            // i! ≤ position < n!, so it fits.
            let place = permutations(i).unwrap_or(usize::MAX);
            let digit = rest / place;
            rest %= place;
            walk.digits[i] = digit as u8;
            walk.perm[..=i].rotate_left(digit);
        }
        walk
    }

    /// The current permutation.
    #[must_use]
    pub fn permutation(&self) -> &[u8] {
        &self.perm[..self.n]
    }

    /// Steps to the next position: the lowest digit that does not wrap
    /// rotates its prefix; those that wrap have made a full turn, which
    /// leaves their prefix as it was, and start again from 0.
    ///
    /// # Panics
    ///
    /// If called at the last position.
    #[inline]
    pub fn advance(&mut self) {
        // Digit 1 wraps only every other step; rotating two elements is a
        // swap, which the general rotation below does not compile to.
        if self.digits[1] == 0 {
            self.digits[1] = 1;
            self.perm.swap(0, 1);
            return;
        }
        self.digits[1] = 0;
        self.perm.swap(0, 1);
        let mut i = 2;
        assert!(i < self.n, "advanced past the last permutation");
        loop {
            self.perm[..=i].rotate_left(1);
            self.digits[i] += 1;
            if usize::from(self.digits[i]) <= i {
                return;
            }
            self.digits[i] = 0;
            i += 1;
            assert!(i < self.n, "advanced past the last permutation");
        }
    }

    /// The flips this permutation needs (see the [module](self) docs).
    ///
    /// ```
    /// use ps_workloads::fannkuch_redux::Walk;
    ///
    /// // 2 1 0 → 0 1 2: one flip of the first three.
    /// assert_eq!(Walk::at(3, 3).flips(), 1);
    /// ```
    #[must_use]
    #[inline]
    pub fn flips(&self) -> u32 {
        let mut first = self.perm[0];
        if first == 0 {
            return 0;
        }
        let mut perm = self.perm;
        let mut flips = 0;
        while first != 0 {
            perm[..=usize::from(first)].reverse();
            flips += 1;
            first = perm[0];
        }
        flips
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
    let count = checked_count(n);
    let ranges = Chunks::new(count, strategy.chunks(count).chunk_len());
    strategy
        .run_tasks(ranges.count(), |index| tally_range(n, ranges.range(index)))
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
mod tests {
    use super::*;

    /// The benchmark's reference program taken literally: a counter per
    /// level that counts *down*, the prefix rotated by shifting, the flips
    /// counted on a copy. Returns (checksum, maximum) and every
    /// permutation in order.
    fn literal(n: usize) -> (i64, u32, Vec<Vec<u8>>) {
        let mut perm1: Vec<u8> = (0..n as u8).collect();
        let mut count = vec![0_usize; n];
        let (mut checksum, mut max_flips, mut seen) = (0_i64, 0_u32, Vec::new());
        let mut r = n;
        let mut perm_count = 0_usize;
        loop {
            while r != 1 {
                count[r - 1] = r;
                r -= 1;
            }
            seen.push(perm1.clone());
            let mut perm = perm1.clone();
            let mut flips = 0_u32;
            while perm[0] != 0 {
                let k = usize::from(perm[0]);
                perm[..=k].reverse();
                flips += 1;
            }
            max_flips = max_flips.max(flips);
            checksum += if perm_count % 2 == 0 {
                i64::from(flips)
            } else {
                -i64::from(flips)
            };
            loop {
                if r == n {
                    return (checksum, max_flips, seen);
                }
                let first = perm1[0];
                for i in 0..r {
                    perm1[i] = perm1[i + 1];
                }
                perm1[r] = first;
                count[r] -= 1;
                if count[r] > 0 {
                    break;
                }
                r += 1;
            }
            perm_count += 1;
        }
    }

    #[test]
    fn n_7_gives_the_published_answer() {
        let tally = fannkuch_redux_serial(7);
        assert_eq!((tally.checksum, tally.max_flips), (228, 16));
    }

    #[test]
    fn agrees_with_the_literal_program() {
        for n in 1..=8 {
            let (checksum, max_flips, _) = literal(n);
            assert_eq!(
                fannkuch_redux_serial(n),
                Tally {
                    checksum,
                    max_flips
                },
                "n = {n}"
            );
        }
    }

    #[test]
    fn every_position_starts_where_the_walk_arrives() {
        for n in 1..=6 {
            let (_, _, order) = literal(n);
            assert_eq!(Some(order.len()), permutations(n));
            let mut walk = Walk::at(n, 0);
            for (position, expected) in order.iter().enumerate() {
                assert_eq!(walk.permutation(), expected, "n = {n}, stepped to {position}");
                assert_eq!(Walk::at(n, position).permutation(), expected, "n = {n}, at {position}");
                if position + 1 < order.len() {
                    walk.advance();
                }
            }
        }
    }

    #[test]
    fn any_cut_into_ranges_gives_the_same_tally() {
        let whole = fannkuch_redux_serial(6);
        for cut in 1..720 {
            assert_eq!(
                tally_range(6, 0..cut).join(tally_range(6, cut..720)),
                whole,
                "cut at {cut}"
            );
        }
    }

    /// The book says ranges of equal length are not equal work: at the
    /// workload's own grain, the range with the most flips has more than
    /// twice the flips of the range with the fewest.
    #[test]
    fn ranges_of_equal_length_are_not_equal_work() {
        let n = 8;
        let grain = FannkuchRedux.grain(n);
        let flips: Vec<u64> = (0..permutations(n).unwrap())
            .step_by(grain)
            .map(|start| {
                let mut walk = Walk::at(n, start);
                (0..grain)
                    .map(|step| {
                        let flips = u64::from(walk.flips());
                        if step + 1 < grain {
                            walk.advance();
                        }
                        flips
                    })
                    .sum()
            })
            .collect();
        let (fewest, most) = (flips.iter().min().unwrap(), flips.iter().max().unwrap());
        assert!(*most > 2 * fewest, "{most} against {fewest}");
    }

    #[test]
    #[should_panic(expected = "past the last permutation")]
    fn a_position_past_the_end_is_refused() {
        let _ = Walk::at(4, 24);
    }

    #[test]
    fn sizes_outside_the_range_are_refused_in_one_line() {
        for n in [0, MAX_N + 1] {
            let message = FannkuchRedux.check_n(n).unwrap_err();
            assert_eq!(message, format!("fannkuch-redux needs n from 1 to {MAX_N}, got {n}"));
        }
    }
}
