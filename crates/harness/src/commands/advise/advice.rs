//! The typed answer of `advise`: every number its sentences use, and the
//! one decision taken from them.
//!
//! # Why a record first, sentences second
//!
//! [`Advice`] is plain data, serialised beside the sentences with `--json`,
//! and [`sentences`](super::sentences()) is a pure function of it. So every
//! claim `advise` prints can be regenerated — and checked — from the JSON
//! alone, and the sentences can be tested from constructed values without
//! timing anything. The decision itself ([`Advice::recommendation`]) is
//! also a function of the record, for the same reason: the measuring code
//! uses it to choose which crossovers to search, and the sentences use it
//! to say what to do, so the two cannot disagree.

use serde::{Deserialize, Serialize};

use crate::{Comparison, Verdict};

/// One parallel strategy against serial at the advised size, sampled in the
/// same rotations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versus {
    /// The strategy's name (`rayon`).
    pub strategy: String,
    /// The grain it ran with, for strategies that cut by grain.
    pub grain: Option<usize>,
    /// Its median time, in seconds.
    pub median_s: f64,
    /// Its time over serial's, with the 95% interval and the verdict.
    pub vs_serial: Comparison,
}

impl Versus {
    /// The speedup over serial: the inverse of the time ratio.
    ///
    /// ```
    /// use ps_harness::{Comparison, Pairing, Verdict, Versus};
    ///
    /// let vs_serial = Comparison { ratio: 0.5, low: Some(0.4), high: Some(0.625), confidence: Some(0.97), pairing: Pairing::Paired, verdict: Verdict::Faster };
    /// let rayon = Versus { strategy: "rayon".into(), grain: Some(4096), median_s: 0.01, vs_serial };
    /// assert_eq!(rayon.speedup(), 2.0);
    /// assert_eq!(rayon.speedup_interval(), Some((1.6, 2.5)));
    /// ```
    #[must_use]
    pub fn speedup(&self) -> f64 {
        1.0 / self.vs_serial.ratio
    }

    /// The 95% interval of the speedup, low end first, if there was one.
    #[must_use]
    pub fn speedup_interval(&self) -> Option<(f64, f64)> {
        Some((1.0 / self.vs_serial.high?, 1.0 / self.vs_serial.low?))
    }
}

/// What one call of a strategy costs beyond serial's, on an input too small
/// to be worth splitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overhead {
    /// The strategy's name.
    pub strategy: String,
    /// Its median time at [`Advice::per_call_n`], in seconds.
    pub median_s: f64,
    /// That median minus serial's median at the same size divided by the
    /// threads (at most one per element): the price of starting the
    /// strategy once, in seconds (zero or less: none measurable).
    pub overhead_s: f64,
}

/// One size of a crossover search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizePoint {
    /// The input size.
    pub n: usize,
    /// Serial's median there, in seconds.
    pub serial_s: f64,
    /// The strategy's median there, in seconds.
    pub strategy_s: f64,
    /// Whether the strategy was clearly faster (verdict `faster`).
    pub faster: bool,
}

/// A strategy's walk up a size ladder to the size where it starts to beat
/// serial (`sweep`'s search, on a shorter ladder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeSearch {
    /// The strategy's name.
    pub strategy: String,
    /// The smallest size of the ladder.
    pub smallest: usize,
    /// The largest: the advised size.
    pub largest: usize,
    /// The smallest size found at which it wins; `None` if it never did.
    pub n_star: Option<usize>,
    /// It already won at [`smallest`](SizeSearch::smallest), so the
    /// crossover lies at or below it.
    pub at_or_below: bool,
    /// Every size timed, smallest first.
    pub points: Vec<SizePoint>,
}

/// The most any strategy can gain on a memory-bound job: the time its
/// bytes take at the machine's all-threads bandwidth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cap {
    /// Bytes a run reads and writes.
    pub bytes: u64,
    /// The ceiling that applies: `copy` for a job that writes, `read` for
    /// one that only reads.
    pub ceiling: String,
    /// That ceiling at [`threads`](Cap::threads), in GB/s.
    pub gb_per_s: f64,
    /// The threads the ceiling was measured on.
    pub threads: usize,
    /// The least time the bytes can take at that rate, in seconds.
    pub floor_s: f64,
    /// Serial's median over that floor: the largest speedup memory allows.
    pub speedup: f64,
}

/// Everything `advise` measured about one workload, and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// The workload's name.
    pub workload: String,
    /// The kernel it ran with.
    pub kernel: String,
    /// The advised size.
    pub n: usize,
    /// The threads each parallel strategy was given.
    pub threads: usize,
    /// The machine's logical cores.
    pub cores: usize,
    /// Whether `--quick` made every measurement smaller.
    pub quick: bool,
    /// Rotations at the advised size (timed samples per strategy).
    pub runs: usize,
    /// Serial's median at the advised size, in seconds.
    pub serial_median_s: f64,
    /// Every parallel strategy against serial at the advised size.
    pub strategies: Vec<Versus>,
    /// The small size the per-call costs were timed at, with grain 1: the
    /// smallest valid size with an element for every thread.
    pub per_call_n: usize,
    /// Serial's median at that size, in seconds.
    pub per_call_serial_s: f64,
    /// Each strategy's cost per call.
    pub overheads: Vec<Overhead>,
    /// The crossover searches: the recommended strategy's and its ties'.
    pub crossovers: Vec<SizeSearch>,
    /// For a memory-bound workload, the cap memory bandwidth sets.
    pub memory: Option<Cap>,
    /// Whether the workload waits rather than computes.
    pub waits: bool,
}

/// The least speedup worth advising threads for: the low end of the 95%
/// interval must reach it.
pub const WORTH_IT: f64 = 1.10;

/// What [`Advice`] says to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Recommendation<'a> {
    /// Use `best`, the clearly faster strategy with the lowest time ratio.
    /// `ties` are those whose intervals overlap its own, which cannot be
    /// ranked against it.
    Use {
        /// The strategy to use.
        best: &'a Versus,
        /// The strategies that tie with it.
        ties: Vec<&'a Versus>,
    },
    /// Some strategy was faster, but none by [`WORTH_IT`] with 95%
    /// confidence: a gain that small is not worth the threads, and it does
    /// not survive a change of process on a shared machine.
    Marginal {
        /// The clearly faster strategy with the lowest time ratio.
        best: &'a Versus,
    },
    /// No strategy was faster, and at least one verdict was decided.
    StaySerial {
        /// The strategy with the lowest time ratio.
        best: &'a Versus,
    },
    /// Every verdict was unclear or had too few runs (or no strategy ran).
    TooLittleData {
        /// The strategy with the lowest time ratio, if any ran.
        best: Option<&'a Versus>,
    },
}

/// A [`Recommendation`] as the report records it, so that a sentence
/// about the decision can be checked against the JSON (`decision.kind`,
/// `decision.strategy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// `use`, `marginal` (faster, but not by [`WORTH_IT`]), `stay-serial`
    /// or `too-little-data`.
    pub kind: String,
    /// The strategy advised, or the best one measured; `None` without any.
    pub strategy: Option<String>,
    /// The strategies that tie with it.
    pub ties: Vec<String>,
}

impl Recommendation<'_> {
    /// What the report records of this decision.
    ///
    /// ```
    /// use ps_harness::{Decision, Recommendation};
    /// let decision = Recommendation::TooLittleData { best: None }.summary();
    /// assert_eq!(decision, Decision { kind: "too-little-data".into(), strategy: None, ties: vec![] });
    /// ```
    #[must_use]
    pub fn summary(&self) -> Decision {
        let (kind, best, ties) = match self {
            Recommendation::Use { best, ties } => ("use", Some(*best), ties.clone()),
            Recommendation::Marginal { best } => ("marginal", Some(*best), Vec::new()),
            Recommendation::StaySerial { best } => ("stay-serial", Some(*best), Vec::new()),
            Recommendation::TooLittleData { best } => ("too-little-data", *best, Vec::new()),
        };
        Decision {
            kind: kind.to_owned(),
            strategy: best.map(|best| best.strategy.clone()),
            ties: ties.iter().map(|tie| tie.strategy.clone()).collect(),
        }
    }
}

impl Advice {
    /// The strategy with the lowest time ratio among `candidates`.
    fn lowest<'a>(candidates: impl Iterator<Item = &'a Versus>) -> Option<&'a Versus> {
        candidates.min_by(|a, b| a.vs_serial.ratio.total_cmp(&b.vs_serial.ratio))
    }

    /// The decision: the clearly faster strategy with the lowest time ratio,
    /// with every strategy whose interval overlaps its own as a tie
    /// ([`Comparison::overlaps`]) — never ranked against it.
    ///
    /// ```
    /// use ps_harness::{Advice, Recommendation};
    ///
    /// # let advice: Advice = serde_json::from_str(r#"{"workload":"w","kernel":"scalar","n":10,"threads":2,"cores":2,"quick":false,"runs":6,"serial_median_s":1.0,"strategies":[],"per_call_n":1,"per_call_serial_s":0.0,"overheads":[],"crossovers":[],"memory":null,"waits":false}"#).unwrap();
    /// assert!(matches!(advice.recommendation(), Recommendation::TooLittleData { best: None }));
    /// ```
    #[must_use]
    pub fn recommendation(&self) -> Recommendation<'_> {
        let faster = self
            .strategies
            .iter()
            .filter(|s| s.vs_serial.verdict == Verdict::Faster);
        let faster: Vec<&Versus> = faster.collect();
        let worth_it = faster
            .iter()
            .copied()
            .filter(|s| s.speedup_interval().is_some_and(|(low, _)| low >= WORTH_IT));
        if let Some(best) = Self::lowest(worth_it) {
            let ties = self
                .strategies
                .iter()
                .filter(|other| {
                    other.strategy != best.strategy && other.vs_serial.overlaps(&best.vs_serial)
                })
                .collect();
            return Recommendation::Use { best, ties };
        }
        if let Some(best) = Self::lowest(faster.into_iter()) {
            return Recommendation::Marginal { best };
        }
        let best = Self::lowest(self.strategies.iter());
        let undecided = self
            .strategies
            .iter()
            .all(|s| matches!(s.vs_serial.verdict, Verdict::Unclear | Verdict::TooFewRuns));
        match best {
            Some(best) if !undecided => Recommendation::StaySerial { best },
            _ => Recommendation::TooLittleData { best },
        }
    }

    /// The crossover search of the strategy named `strategy`, if one ran.
    #[must_use]
    pub fn crossover_of(&self, strategy: &str) -> Option<&SizeSearch> {
        self.crossovers.iter().find(|c| c.strategy == strategy)
    }
}
