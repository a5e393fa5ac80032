//! Paired timing: two versions of one function called alternately, so that
//! whatever the machine does meanwhile falls on both.
//!
//! Criterion measures one benchmark for seconds, then the next. On a shared
//! machine the background load, the clock speed and where the allocator
//! places a large buffer all drift over seconds, and two benchmarks a few
//! seconds apart can differ by more than the 3% this comparison is about
//! (by 10–20% for calls of 30–300 µs that start threads, measured on a
//! 2-core machine) even when the code is the same. So the `abstraction`
//! bench also times each hand/trait pair *paired*: call after call,
//! alternating which goes first, and compares each trait call with the hand
//! call next to it. The median of those per-pair ratios cancels drift that
//! is slower than one pair; the spread of the ratio between consecutive
//! blocks of pairs says how far the median can be trusted.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// How far the trait may be from the hand-written version and still be
/// called free: the promise the `abstraction` bench checks.
pub const TOLERANCE: f64 = 0.03;

/// Consecutive blocks the pairs are split into for the ratio's spread.
pub const BLOCKS: usize = 5;

/// The outcome of a paired measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    /// Pairs of calls timed.
    pub pairs: usize,
    /// Median time of one hand-written call.
    pub hand: Duration,
    /// Median time of one call through the trait.
    pub through_trait: Duration,
    /// Median over the pairs of trait time / hand time.
    pub ratio: f64,
    /// The smallest and largest of the [`BLOCKS`] blocks' median ratios.
    pub block_range: (f64, f64),
}

/// What a paired measurement says about the trait's cost: the promise is
/// one-sided — the trait may be faster than the hand-written version, it
/// must not be more than [`TOLERANCE`] slower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// In every block the trait took at most [`TOLERANCE`] longer.
    Free,
    /// In every block the trait took more than [`TOLERANCE`] longer.
    Costs,
    /// Some blocks say one, some the other: the noise is larger than the
    /// tolerance.
    Unclear,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = TOLERANCE * 100.0;
        match self {
            Verdict::Free => write!(f, "trait at most {percent:.0}% slower"),
            Verdict::Costs => write!(f, "trait more than {percent:.0}% slower"),
            Verdict::Unclear => write!(f, "unclear: blocks on both sides of {percent:.0}%"),
        }
    }
}

impl Paired {
    /// Summarises per-pair times: `hand[i]` and `through_trait[i]` were
    /// measured next to each other.
    ///
    /// ```
    /// use std::time::Duration;
    /// use benches::paired::{Paired, Verdict};
    ///
    /// let us = Duration::from_micros;
    /// // The machine slows down threefold halfway; the trait stays 10% slower.
    /// let hand: Vec<_> = (0..100).map(|i| us(if i < 50 { 100 } else { 300 })).collect();
    /// let through_trait: Vec<_> = hand.iter().map(|t| t.mul_f64(1.1)).collect();
    /// let paired = Paired::from_times(&hand, &through_trait);
    /// assert!((paired.ratio - 1.1).abs() < 1e-9);
    /// assert_eq!(paired.verdict(), Verdict::Costs);
    /// ```
    ///
    /// # Panics
    ///
    /// If the slices differ in length or are empty.
    #[must_use]
    pub fn from_times(hand: &[Duration], through_trait: &[Duration]) -> Paired {
        assert_eq!(hand.len(), through_trait.len(), "times come in pairs");
        assert!(!hand.is_empty(), "at least one pair");
        let ratios: Vec<f64> = hand
            .iter()
            .zip(through_trait)
            .map(|(h, t)| t.as_secs_f64() / h.as_secs_f64().max(f64::MIN_POSITIVE))
            .collect();
        let block_len = ratios.len().div_ceil(BLOCKS);
        let block_medians: Vec<f64> = ratios.chunks(block_len).map(median).collect();
        let lowest = block_medians.iter().copied().fold(f64::INFINITY, f64::min);
        let highest = block_medians.iter().copied().fold(0.0, f64::max);
        Paired {
            pairs: hand.len(),
            hand: median_duration(hand),
            through_trait: median_duration(through_trait),
            ratio: median(&ratios),
            block_range: (lowest, highest),
        }
    }

    /// Whether the trait costs at most [`TOLERANCE`], judged by every block
    /// rather than by the overall median alone.
    ///
    /// ```
    /// use benches::paired::{Paired, Verdict};
    /// # use std::time::Duration;
    /// # let paired = |lo, hi| Paired { pairs: 10, hand: Duration::ZERO, through_trait: Duration::ZERO, ratio: 1.0, block_range: (lo, hi) };
    /// assert_eq!(paired(0.90, 1.02).verdict(), Verdict::Free);
    /// assert_eq!(paired(0.99, 1.05).verdict(), Verdict::Unclear);
    /// ```
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        let (lowest, highest) = self.block_range;
        if highest <= 1.0 + TOLERANCE {
            Verdict::Free
        } else if lowest > 1.0 + TOLERANCE {
            Verdict::Costs
        } else {
            Verdict::Unclear
        }
    }
}

/// Times `hand` and `through_trait` alternately — hand first in even pairs,
/// trait first in odd ones — until `budget` has passed and at least
/// `min_pairs` pairs are done. Each call's time includes dropping its
/// result, as criterion's `iter` does.
///
/// ```
/// use std::time::Duration;
///
/// let paired = benches::paired::measure(Duration::ZERO, 3, || 2 + 2, || 4);
/// assert_eq!(paired.pairs, 3);
/// ```
///
/// # Panics
///
/// If the two ever return different results.
pub fn measure<T: PartialEq + fmt::Debug>(
    budget: Duration,
    min_pairs: usize,
    mut hand: impl FnMut() -> T,
    mut through_trait: impl FnMut() -> T,
) -> Paired {
    assert_eq!(hand(), through_trait(), "hand-written and trait differ");
    let timed = |f: &mut dyn FnMut() -> T| {
        let start = Instant::now();
        drop(black_box(f()));
        start.elapsed()
    };
    let (mut hand_times, mut trait_times) = (Vec::new(), Vec::new());
    let start = Instant::now();
    while hand_times.len() < min_pairs.max(1) || start.elapsed() < budget {
        if hand_times.len() % 2 == 0 {
            hand_times.push(timed(&mut hand));
            trait_times.push(timed(&mut through_trait));
        } else {
            trait_times.push(timed(&mut through_trait));
            hand_times.push(timed(&mut hand));
        }
    }
    Paired::from_times(&hand_times, &trait_times)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

fn median_duration(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    sorted[sorted.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(micros: u64) -> Duration {
        Duration::from_micros(micros)
    }

    #[test]
    fn drift_that_hits_both_cancels_in_the_ratio() {
        // Each pair runs on a machine twice as slow as the one before it
        // every ten pairs; the trait is always 2% slower than its partner.
        let hand: Vec<Duration> = (0..50).map(|i| us(100 << (i / 10))).collect();
        let through_trait: Vec<Duration> = hand.iter().map(|t| t.mul_f64(1.02)).collect();
        let paired = Paired::from_times(&hand, &through_trait);
        assert!((paired.ratio - 1.02).abs() < 1e-9, "{paired:?}");
        assert_eq!(paired.verdict(), Verdict::Free);
        assert_eq!(paired.pairs, 50);
    }

    #[test]
    fn verdicts_need_every_block_to_agree() {
        let with = |lowest, highest| Paired {
            pairs: 5,
            hand: us(1),
            through_trait: us(1),
            ratio: 1.0,
            block_range: (lowest, highest),
        };
        assert_eq!(with(0.98, 1.02).verdict(), Verdict::Free);
        // Faster is free too: the promise is about cost.
        assert_eq!(with(0.80, 0.96).verdict(), Verdict::Free);
        assert_eq!(with(1.04, 1.20).verdict(), Verdict::Costs);
        assert_eq!(with(0.99, 1.04).verdict(), Verdict::Unclear);
        assert_eq!(with(0.90, 1.10).verdict(), Verdict::Unclear);
    }

    #[test]
    fn one_noisy_block_makes_the_verdict_unclear() {
        let hand = vec![us(100); 50];
        let mut through_trait = hand.clone();
        for time in &mut through_trait[40..] {
            *time = us(150);
        }
        let paired = Paired::from_times(&hand, &through_trait);
        assert!((paired.ratio - 1.0).abs() < 1e-9);
        let (lowest, highest) = paired.block_range;
        assert!(
            (lowest - 1.0).abs() < 1e-9 && (highest - 1.5).abs() < 1e-9,
            "{paired:?}"
        );
        assert_eq!(paired.verdict(), Verdict::Unclear);
    }

    #[test]
    fn calls_alternate_which_goes_first() {
        let order = std::cell::RefCell::new(String::new());
        let paired = measure(
            Duration::ZERO,
            4,
            || order.borrow_mut().push('h'),
            || order.borrow_mut().push('t'),
        );
        assert_eq!(paired.pairs, 4);
        // The first two calls check that both agree; then h t, t h, h t, t h.
        assert_eq!(order.into_inner(), "hthtthhtth");
    }

    #[test]
    #[should_panic(expected = "hand-written and trait differ")]
    fn different_results_are_refused_before_timing() {
        let _ = measure(Duration::ZERO, 1, || 1, || 2);
    }
}
