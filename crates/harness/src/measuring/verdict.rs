//! Is one timing faster than another? A confidence interval on the ratio of
//! their times, and the verdict that interval supports.
//!
//! # Why an interval on the ratio, and which one
//!
//! Comparing min–max ranges lets one stray sample decide: a serial run that
//! an interrupt stretched to ten times its median makes a strategy nine
//! times slower read "no clear difference". Comparing medians alone ranks
//! two strategies that differ by noise. So every verdict here rests on an
//! interval for the *ratio* `other / base` at [`CONFIDENCE`], built without
//! assuming any distribution of times (they are skewed, and often bimodal):
//!
//! - **Paired** ([`Comparison::paired`]): the harness samples the strategies
//!   in rotation — serial, static, dynamic, …, serial, … — so sample *i* of
//!   each was taken at nearly the same moment, and whatever slowed the
//!   machine then slowed both. The ratio of each rotation's pair is one
//!   observation; the estimate is their median and the interval is the
//!   sign test's: the *k*-th smallest and *k*-th largest ratios, with *k* the
//!   largest for which the binomial distribution gives the coverage asked
//!   for. One wild sample moves one ratio, which sits outside the interval
//!   once there are about nine rotations.
//! - **Unpaired** ([`Comparison::unpaired`]): two reports from two
//!   processes have no pairs. Every ratio of a sample of one to a sample of
//!   the other is formed; the estimate is their median (the Hodges–Lehmann
//!   estimator on log times) and the interval comes from the Mann–Whitney
//!   distribution, so it too ignores a few extreme samples.
//!
//! With too few samples for the coverage asked (five or fewer rotations, or
//! three or fewer samples a side), there is no interval and the verdict says
//! so rather than guess.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::record::TimingRecord;

/// How sure an interval must be: 95%.
pub const CONFIDENCE: f64 = 0.95;

/// The fewest paired samples whose interval reaches [`CONFIDENCE`]: with
/// six, the smallest and largest ratio bound the median with probability
/// 1 − 2/64 ≈ 96.9%; with five, only 93.75%.
pub const MIN_VERDICT_RUNS: usize = 6;

/// How close two times must provably be to count as the same: within 5%.
pub const TIE_WITHIN: f64 = 0.05;

/// The rule behind every verdict, for the notes under tables.
pub const VERDICT_RULE: &str = "Verdicts rest on a 95% interval for the ratio of times (other / base) that does not assume any distribution of times: paired by rotation where both were sampled in turn (the sign test on each rotation's ratio), unpaired otherwise (Mann-Whitney on every pair of samples). faster: the whole interval is below 1; slower: above 1; within ±5%: inside 0.95-1.05; unclear: anything else; too few runs: not enough samples for 95%.";

/// What a comparison of two timings concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The whole interval of the ratio is below 1.
    Faster,
    /// The whole interval is above 1.
    Slower,
    /// The whole interval lies within ±[`TIE_WITHIN`] of 1: a tie.
    Within,
    /// The interval straddles 1 but is wider than a tie.
    Unclear,
    /// Too few samples for an interval at [`CONFIDENCE`].
    TooFewRuns,
}

impl Verdict {
    /// The verdict for `new` against `old`, unpaired: see
    /// [`Comparison::unpaired`].
    ///
    /// ```
    /// use ps_harness::{TimingRecord, Verdict};
    ///
    /// let times = |samples: &[f64]| TimingRecord::from_seconds(samples, 1);
    /// let old = times(&[1.0, 1.1, 1.0, 1.2, 1.05]);
    /// assert_eq!(Verdict::of(&old, &times(&[0.5, 0.52, 0.51, 0.5, 0.55])), Verdict::Faster);
    /// assert_eq!(Verdict::of(&old, &times(&[1.0, 1.3, 0.9, 1.1, 1.0])), Verdict::Unclear);
    /// ```
    #[must_use]
    pub fn of(old: &TimingRecord, new: &TimingRecord) -> Verdict {
        Comparison::unpaired(old, new).verdict
    }

    /// Neither faster nor slower.
    #[must_use]
    pub fn is_undecided(self) -> bool {
        !matches!(self, Verdict::Faster | Verdict::Slower)
    }

    fn from_interval(low: f64, high: f64) -> Verdict {
        if low >= 1.0 - TIE_WITHIN && high <= 1.0 + TIE_WITHIN {
            Verdict::Within
        } else if high < 1.0 {
            Verdict::Faster
        } else if low > 1.0 {
            Verdict::Slower
        } else {
            Verdict::Unclear
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Faster => "faster",
            Verdict::Slower => "slower",
            Verdict::Within => "within ±5%",
            Verdict::Unclear => "unclear",
            Verdict::TooFewRuns => "too few runs",
        })
    }
}

/// How the samples of a comparison were matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pairing {
    /// Sample *i* of each was taken in the same rotation.
    Paired,
    /// Every sample of one against every sample of the other.
    Unpaired,
    /// Records without samples (written before samples were kept): min–max
    /// ranges that do not overlap, the older, stricter rule.
    Ranges,
}

/// One timing against another: the ratio of their times, its interval and
/// the verdict.
///
/// ```
/// use std::time::Duration;
/// use ps_harness::{Comparison, Timing, Verdict};
///
/// let ms = |v: &[u64]| Timing::from_runs(v.iter().map(|&m| Duration::from_millis(m)).collect());
/// // Rotation 4 hit serial with a stray 50 ms sample; the strategy still reads slower.
/// let serial = ms(&[10, 10, 11, 50, 10, 10, 11, 10, 10, 10]);
/// let slow = ms(&[90, 91, 90, 92, 90, 89, 91, 90, 90, 92]);
/// let comparison = Comparison::paired(&serial, &slow);
/// assert_eq!(comparison.verdict, Verdict::Slower);
/// assert!(comparison.low.unwrap() > 8.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The estimated ratio of times, other / base: below 1 is faster.
    pub ratio: f64,
    /// The interval's lower end, if there were enough samples.
    pub low: Option<f64>,
    /// The interval's upper end.
    pub high: Option<f64>,
    /// The interval's actual coverage (at least [`CONFIDENCE`]); `None`
    /// without an interval.
    pub confidence: Option<f64>,
    /// How the samples were matched.
    pub pairing: Pairing,
    /// What the interval says.
    pub verdict: Verdict,
}

impl Comparison {
    /// `other` against `base`, sampled in the same rotations (the same
    /// number of samples, in the order they were taken).
    ///
    /// # Panics
    ///
    /// If the two timings hold different numbers of samples.
    #[must_use]
    pub fn paired(base: &crate::Timing, other: &crate::Timing) -> Comparison {
        let (base, other) = (base.in_order(), other.in_order());
        assert_eq!(base.len(), other.len(), "paired timings share rotations");
        let ratios: Vec<f64> = base
            .iter()
            .zip(other)
            .map(|(b, o)| o.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE))
            .collect();
        Comparison::from_sorted(&sorted(ratios), sign_test_rank, Pairing::Paired)
    }

    /// `new` against `old`, from two separate measurements: every ratio of a
    /// new sample to an old one, the Hodges–Lehmann estimate and a
    /// Mann–Whitney interval. Records without samples fall back to
    /// [`Pairing::Ranges`].
    #[must_use]
    pub fn unpaired(old: &TimingRecord, new: &TimingRecord) -> Comparison {
        if old.samples_s.is_empty() || new.samples_s.is_empty() {
            return Comparison::from_ranges(old, new);
        }
        let (m, n) = (old.samples_s.len(), new.samples_s.len());
        let ratios: Vec<f64> = old
            .samples_s
            .iter()
            .flat_map(|&o| {
                new.samples_s
                    .iter()
                    .map(move |&x| x / o.max(f64::MIN_POSITIVE))
            })
            .collect();
        Comparison::from_sorted(
            &sorted(ratios),
            |_| mann_whitney_rank(m, n),
            Pairing::Unpaired,
        )
    }

    fn from_sorted(
        ratios: &[f64],
        rank: impl Fn(usize) -> Option<(usize, f64)>,
        pairing: Pairing,
    ) -> Comparison {
        let ratio = median(ratios);
        match rank(ratios.len()) {
            Some((k, confidence)) => {
                let (low, high) = (ratios[k - 1], ratios[ratios.len() - k]);
                Comparison {
                    ratio,
                    low: Some(low),
                    high: Some(high),
                    confidence: Some(confidence),
                    pairing,
                    verdict: Verdict::from_interval(low, high),
                }
            }
            None => Comparison {
                ratio,
                low: None,
                high: None,
                confidence: None,
                pairing,
                verdict: Verdict::TooFewRuns,
            },
        }
    }

    fn from_ranges(old: &TimingRecord, new: &TimingRecord) -> Comparison {
        let verdict = if new.max_s < old.min_s {
            Verdict::Faster
        } else if new.min_s > old.max_s {
            Verdict::Slower
        } else {
            Verdict::Unclear
        };
        Comparison {
            ratio: new.median_s / old.median_s,
            low: None,
            high: None,
            confidence: None,
            pairing: Pairing::Ranges,
            verdict,
        }
    }

    /// `0.42x [0.40-0.45]`, or the ratio alone without an interval.
    #[must_use]
    pub fn interval_text(&self) -> String {
        match (self.low, self.high) {
            (Some(low), Some(high)) => format!("{:.2}x [{low:.2}-{high:.2}]", self.ratio),
            _ => format!("{:.2}x", self.ratio),
        }
    }

    /// Whether the two intervals overlap, so that neither may be ranked
    /// above the other. Without an interval, nothing can be ranked.
    #[must_use]
    pub fn overlaps(&self, other: &Comparison) -> bool {
        match (self.low, self.high, other.low, other.high) {
            (Some(a_low), Some(a_high), Some(b_low), Some(b_high)) => {
                a_low <= b_high && b_low <= a_high
            }
            _ => true,
        }
    }
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
    }
}

/// The largest `k` for which the `k`-th smallest and `k`-th largest of `n`
/// paired ratios bound their median with probability at least
/// [`CONFIDENCE`] (the sign test), and that probability.
fn sign_test_rank(n: usize) -> Option<(usize, f64)> {
    // `term` is P(B = j) for B ~ Binomial(n, 1/2); `below` is P(B <= k - 1),
    // the chance that the interval [k-th, (n + 1 - k)-th] misses the median
    // on one side.
    let mut term = 0.5_f64.powi(i32::try_from(n).ok()?);
    let mut below = 0.0;
    let mut best = None;
    for k in 1..=n.div_ceil(2) {
        below += term;
        term *= (n - (k - 1)) as f64 / k as f64;
        let coverage = 1.0 - 2.0 * below;
        if coverage < CONFIDENCE {
            break;
        }
        best = Some((k, coverage));
    }
    best
}

/// The largest `c` for which the `c`-th smallest and `c`-th largest of the
/// `m × n` ratios bound the shift with probability at least [`CONFIDENCE`]
/// (the Mann–Whitney distribution under no difference), and that
/// probability.
fn mann_whitney_rank(m: usize, n: usize) -> Option<(usize, f64)> {
    let counts = mann_whitney_counts(m, n);
    let total: f64 = counts.iter().sum();
    let mut below = 0.0;
    let mut best = None;
    for (c, count) in counts.iter().enumerate().take(m * n / 2) {
        below += count / total;
        let coverage = 1.0 - 2.0 * below;
        if coverage >= CONFIDENCE {
            best = Some((c + 1, coverage));
        } else {
            break;
        }
    }
    best
}

/// How many arrangements of `m` and `n` samples give each value of the
/// Mann–Whitney statistic: the coefficients of the Gaussian binomial
/// `[m + n choose m]`, built as ∏ (1 − q^(n+i)) / (1 − q^i) for i in 1..=m.
fn mann_whitney_counts(m: usize, n: usize) -> Vec<f64> {
    let mut poly = vec![0.0; m * n + 1];
    poly[0] = 1.0;
    for i in 1..=m {
        // Multiply by (1 − q^(n+i)), highest powers first.
        for d in (n + i..poly.len()).rev() {
            poly[d] -= poly[d - n - i];
        }
        // Divide by (1 − q^i): exact, so a running sum.
        for d in i..poly.len() {
            poly[d] += poly[d - i];
        }
    }
    poly
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::Timing;

    fn ms(values: &[f64]) -> Timing {
        Timing::from_runs(
            values
                .iter()
                .map(|&v| Duration::from_secs_f64(v / 1e3))
                .collect(),
        )
    }

    #[test]
    fn sign_test_ranks_match_the_binomial_tables() {
        assert_eq!(sign_test_rank(5), None, "min-max of 5 covers only 93.75%");
        assert_eq!(sign_test_rank(6).map(|r| r.0), Some(1));
        assert_eq!(sign_test_rank(MIN_VERDICT_RUNS - 1), None);
        assert!(sign_test_rank(MIN_VERDICT_RUNS).is_some());
        assert_eq!(sign_test_rank(9).map(|r| r.0), Some(2));
        assert_eq!(sign_test_rank(20).map(|r| r.0), Some(6));
        let (_, coverage) = sign_test_rank(6).unwrap();
        assert!((coverage - (1.0 - 2.0 / 64.0)).abs() < 1e-12);
    }

    #[test]
    fn mann_whitney_ranks_match_the_published_tables() {
        // Hollander & Wolfe: m = n = 5 at 95% uses the 3rd smallest and
        // largest of the 25 differences; 6 and 6 the 6th; 10 and 10 the 24th.
        assert_eq!(mann_whitney_rank(5, 5).map(|r| r.0), Some(3));
        assert_eq!(mann_whitney_rank(6, 6).map(|r| r.0), Some(6));
        assert_eq!(mann_whitney_rank(10, 10).map(|r| r.0), Some(24));
        assert_eq!(mann_whitney_rank(3, 3), None);
        let counts = mann_whitney_counts(5, 5);
        assert!((counts.iter().sum::<f64>() - 252.0).abs() < 1e-9);
        assert_eq!(&counts[..4], &[1.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn one_outlier_does_not_hide_a_ninefold_slowdown() {
        let serial = ms(&[1.0, 1.0, 1.1, 10.0, 1.0, 1.0, 1.05, 1.0, 1.0, 1.0]);
        let slow = ms(&[9.0, 9.1, 9.0, 9.2, 9.0, 8.9, 9.1, 9.0, 9.0, 9.2]);
        assert_eq!(Comparison::paired(&serial, &slow).verdict, Verdict::Slower);
        let unpaired = Comparison::unpaired(&(&serial).into(), &(&slow).into());
        assert_eq!(unpaired.verdict, Verdict::Slower);
        assert!((unpaired.ratio - 9.0).abs() < 0.5);
    }

    #[test]
    fn real_speedups_and_slowdowns_are_called() {
        let serial = ms(&[10.0, 10.2, 9.9, 10.1, 10.0, 10.3, 10.0]);
        let twice = ms(&[5.0, 5.1, 5.0, 5.2, 4.9, 5.0, 5.1]);
        let faster = Comparison::paired(&serial, &twice);
        assert_eq!(faster.verdict, Verdict::Faster);
        assert!(faster.high.unwrap() < 0.53 && faster.low.unwrap() > 0.47);
        assert_eq!(Comparison::paired(&twice, &serial).verdict, Verdict::Slower);
    }

    #[test]
    fn overlapping_strategies_are_not_ranked() {
        let serial = ms(&[10.0; 8]);
        let a = Comparison::paired(&serial, &ms(&[5.0, 5.5, 4.8, 5.2, 5.6, 4.9, 5.1, 5.3]));
        let b = Comparison::paired(&serial, &ms(&[5.2, 5.0, 5.4, 4.9, 5.0, 5.5, 5.2, 5.1]));
        let c = Comparison::paired(&serial, &ms(&[7.0, 7.1, 7.2, 7.0, 6.9, 7.3, 7.0, 7.1]));
        assert!(a.overlaps(&b), "a tie, whichever median is lower");
        assert!(
            !a.overlaps(&c) && !b.overlaps(&c),
            "c is clearly slower than both"
        );
    }

    #[test]
    fn a_small_provable_difference_is_a_tie_and_noise_is_unclear() {
        let base = ms(&[10.0; 8]);
        let close = ms(&[10.2, 10.1, 10.3, 10.2, 10.1, 10.2, 10.3, 10.1]);
        assert_eq!(Comparison::paired(&base, &close).verdict, Verdict::Within);
        let noisy = ms(&[7.0, 14.0, 9.0, 12.0, 8.0, 13.0, 10.0, 11.0]);
        assert_eq!(Comparison::paired(&base, &noisy).verdict, Verdict::Unclear);
    }

    #[test]
    fn too_few_samples_say_so() {
        let comparison = Comparison::paired(&ms(&[1.0, 1.0, 1.0]), &ms(&[9.0, 9.0, 9.0]));
        assert_eq!(comparison.verdict, Verdict::TooFewRuns);
        assert_eq!(comparison.low, None);
    }

    #[test]
    fn records_without_samples_use_the_ranges() {
        let record = |min_s: f64, max_s: f64| TimingRecord {
            runs: 5,
            runs_per_sample: 1,
            median_s: f64::midpoint(min_s, max_s),
            min_s,
            max_s,
            samples_s: Vec::new(),
        };
        let comparison = Comparison::unpaired(&record(1.0, 2.0), &record(0.5, 0.9));
        assert_eq!(
            (comparison.verdict, comparison.pairing),
            (Verdict::Faster, Pairing::Ranges)
        );
        assert_eq!(
            Verdict::of(&record(1.0, 2.0), &record(1.5, 3.0)),
            Verdict::Unclear
        );
    }
}
