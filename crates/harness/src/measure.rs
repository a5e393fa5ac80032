//! Timing one call: a verified warm-up, then repeated verified samples.

use std::time::{Duration, Instant};

/// The most runs one sample batches together, however short a run is.
pub const MAX_BATCH: usize = 1000;

/// How many samples to take: at least `min_runs`, then more while the
/// total stays under `target`, up to `max_runs`; each sample lasting at
/// least `min_sample`. Fast cells get many samples (their medians are
/// noisy), slow cells get the minimum.
///
/// ```
/// use std::time::Duration;
/// use ps_harness::{Budget, measure};
///
/// let budget = Budget { min_runs: 3, max_runs: 10, target: Duration::ZERO, min_sample: Duration::ZERO };
/// let timing = measure(budget, || 6 * 7, |&answer| if answer == 42 { Ok(()) } else { Err(answer) })?;
/// assert_eq!((timing.runs(), timing.runs_per_sample()), (3, 1));
/// # Ok::<(), i32>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Timed samples to take at least.
    pub min_runs: usize,
    /// Timed samples to take at most.
    pub max_runs: usize,
    /// Keep sampling (up to `max_runs`) while the timed total is below this.
    pub target: Duration,
    /// The shortest sample: runs shorter than this are timed in batches.
    pub min_sample: Duration,
}

/// The timed samples of one cell, sorted, each the mean run time of its
/// batch.
///
/// ```
/// use std::time::Duration;
/// use ps_harness::Timing;
///
/// let ms = Duration::from_millis;
/// let timing = Timing::from_runs(vec![ms(3), ms(1), ms(2)]);
/// assert_eq!((timing.median(), timing.min(), timing.max()), (ms(2), ms(1), ms(3)));
/// ```
#[derive(Debug, Clone)]
pub struct Timing {
    sorted: Vec<Duration>,
    runs_per_sample: usize,
}

impl Timing {
    /// Samples of one run each, in any order.
    ///
    /// # Panics
    ///
    /// If `runs` is empty.
    #[must_use]
    pub fn from_runs(runs: Vec<Duration>) -> Self {
        Timing::from_samples(runs, 1)
    }

    /// Samples of `runs_per_sample` runs each, given as the mean run time
    /// of each sample, in any order.
    ///
    /// # Panics
    ///
    /// If `samples` is empty or `runs_per_sample` is zero.
    #[must_use]
    pub fn from_samples(mut samples: Vec<Duration>, runs_per_sample: usize) -> Self {
        assert!(!samples.is_empty(), "a timing needs at least one sample");
        assert!(runs_per_sample > 0, "a sample holds at least one run");
        samples.sort_unstable();
        Timing {
            sorted: samples,
            runs_per_sample,
        }
    }

    /// How many samples.
    #[must_use]
    pub fn runs(&self) -> usize {
        self.sorted.len()
    }

    /// How many back-to-back runs each sample timed.
    #[must_use]
    pub fn runs_per_sample(&self) -> usize {
        self.runs_per_sample
    }

    /// The median run (the mean of the middle two for an even count).
    #[must_use]
    pub fn median(&self) -> Duration {
        let n = self.sorted.len();
        if n % 2 == 1 {
            self.sorted[n / 2]
        } else {
            (self.sorted[n / 2 - 1] + self.sorted[n / 2]) / 2
        }
    }

    /// The fastest run.
    #[must_use]
    pub fn min(&self) -> Duration {
        self.sorted[0]
    }

    /// The slowest run.
    #[must_use]
    pub fn max(&self) -> Duration {
        self.sorted[self.sorted.len() - 1]
    }
}

/// Runs `call` once to warm up, then samples as the budget says; every
/// output, the warm-up's included, goes through `verify` outside the timed
/// region.
///
/// # Short runs are timed in batches
///
/// A run of a few microseconds is at the mercy of the clock's resolution,
/// of one interrupt, of one wake-up of a sleeping thread: timed one at a
/// time, such runs are bimodal, and one cell can read both faster and
/// slower than serial in the same file. So a *sample* lasts at least
/// [`Budget::min_sample`]: when the warm-up run was shorter, each sample
/// times a batch of back-to-back runs and records their mean, as criterion
/// does. The batch size is fixed for the cell from the warm-up's duration
/// (at most [`MAX_BATCH`] runs).
///
/// Every run is still verified. A batch keeps its outputs until the clock
/// has stopped, then verifies and drops them all, outside the timed region:
/// allocating each output is part of its run, exactly as it is unbatched,
/// and freeing it is not. The memory a batch holds is bounded by what its
/// runs can write in one sample — a run that fills a large vector is slow
/// enough to need a small batch — so it stays near memory bandwidth times
/// [`Budget::min_sample`] (about tens of megabytes at 2 ms).
///
/// # Errors
///
/// The first error `verify` returns; no more runs are made after it.
pub fn measure<O, E>(
    budget: Budget,
    mut call: impl FnMut() -> O,
    mut verify: impl FnMut(&O) -> Result<(), E>,
) -> Result<Timing, E> {
    let start = Instant::now();
    let output = call();
    let warm_up = start.elapsed();
    verify(&output)?;
    drop(output);
    let batch = batch_size(warm_up, budget.min_sample);
    let mut samples = Vec::new();
    let mut outputs = Vec::with_capacity(batch);
    let mut total = Duration::ZERO;
    while samples.len() < budget.min_runs
        || (total < budget.target && samples.len() < budget.max_runs)
    {
        let start = Instant::now();
        for _ in 0..batch {
            outputs.push(call());
        }
        let elapsed = start.elapsed();
        for output in &outputs {
            verify(output)?;
        }
        // Dropping a large output (unmapping its pages) is not part of the job.
        outputs.clear();
        samples.push(elapsed / u32::try_from(batch).unwrap_or(u32::MAX));
        total += elapsed;
    }
    Ok(Timing::from_samples(samples, batch))
}

/// Runs per sample: enough runs of `run`'s length to last `min_sample`.
fn batch_size(run: Duration, min_sample: Duration) -> usize {
    if run >= min_sample {
        return 1;
    }
    let runs = min_sample.as_nanos().div_ceil(run.as_nanos().max(1));
    usize::try_from(runs)
        .unwrap_or(MAX_BATCH)
        .clamp(1, MAX_BATCH)
}

/// A duration in the unit that keeps three significant figures readable.
///
/// ```
/// assert_eq!(ps_harness::human(std::time::Duration::from_micros(2346)), "2.35 ms");
/// ```
#[must_use]
pub fn human(duration: Duration) -> String {
    human_seconds(duration.as_secs_f64())
}

/// [`human`] for a number of seconds.
#[must_use]
pub(crate) fn human_seconds(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUICK: Budget = Budget {
        min_runs: 3,
        max_runs: 10,
        target: Duration::ZERO,
        min_sample: Duration::ZERO,
    };

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(Timing::from_runs(vec![ms(5), ms(1), ms(3)]).median(), ms(3));
        assert_eq!(
            Timing::from_runs(vec![ms(4), ms(1), ms(2), ms(3)]).median(),
            Duration::from_micros(2500)
        );
        let timing = Timing::from_runs(vec![ms(9), ms(1), ms(5)]);
        assert_eq!(
            (timing.min(), timing.max(), timing.runs()),
            (ms(1), ms(9), 3)
        );
    }

    #[test]
    fn every_output_is_verified_and_a_failure_stops_the_runs() {
        let mut calls = 0;
        let result = measure(
            QUICK,
            || {
                calls += 1;
                calls
            },
            |&n| if n == 3 { Err(n) } else { Ok(()) },
        );
        assert_eq!(result.unwrap_err(), 3);
        assert_eq!(
            calls, 3,
            "the warm-up and two timed runs, then the failing one stops it"
        );
    }

    #[test]
    fn the_minimum_number_of_runs_is_made() {
        let timing = measure(QUICK, || (), |()| Ok::<(), ()>(())).unwrap();
        assert_eq!(timing.runs(), 3);
    }

    #[test]
    fn short_runs_are_batched_and_every_run_is_verified() {
        let budget = Budget {
            min_sample: Duration::from_millis(1),
            ..QUICK
        };
        let (mut calls, mut verified) = (0_usize, 0_usize);
        let timing = measure(
            budget,
            || {
                calls += 1;
                calls
            },
            |_| {
                verified += 1;
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(timing.runs(), 3);
        assert!(timing.runs_per_sample() > 1, "a trivial call is batched");
        assert_eq!(calls, 1 + 3 * timing.runs_per_sample());
        assert_eq!(verified, calls, "every run, batched or not, is verified");
    }

    #[test]
    fn batch_sizes_fill_a_sample_and_stay_bounded() {
        let us = Duration::from_micros;
        assert_eq!(batch_size(us(3000), us(2000)), 1);
        assert_eq!(batch_size(us(200), us(2000)), 10);
        assert_eq!(batch_size(us(300), us(2000)), 7);
        assert_eq!(batch_size(Duration::ZERO, us(2000)), MAX_BATCH);
        assert_eq!(batch_size(us(5), Duration::ZERO), 1);
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human(Duration::from_millis(1500)), "1.50 s");
        assert_eq!(human(Duration::from_micros(2346)), "2.35 ms");
        assert_eq!(human(Duration::from_nanos(45_600)), "45.6 µs");
    }
}
