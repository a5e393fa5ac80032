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

/// The timed samples of one cell, each the mean run time of its batch, kept
/// in the order they were taken (for pairing with samples taken in the
/// same rotations) and sorted (for the median and range).
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
    in_order: Vec<Duration>,
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
    pub fn from_samples(samples: Vec<Duration>, runs_per_sample: usize) -> Self {
        assert!(!samples.is_empty(), "a timing needs at least one sample");
        assert!(runs_per_sample > 0, "a sample holds at least one run");
        let mut sorted = samples.clone();
        sorted.sort_unstable();
        Timing {
            in_order: samples,
            sorted,
            runs_per_sample,
        }
    }

    /// The samples in the order they were taken.
    #[must_use]
    pub fn in_order(&self) -> &[Duration] {
        &self.in_order
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
/// region. One contender of [`measure_rotation`], whose docs say how
/// samples are taken.
///
/// # Errors
///
/// The first error `verify` returns; no more runs are made after it.
pub fn measure<O, E>(
    budget: Budget,
    mut call: impl FnMut() -> O,
    mut verify: impl FnMut(&O) -> Result<(), E>,
) -> Result<Timing, E> {
    let mut timings = measure_rotation(budget, 1, |_, runs| {
        timed_batch(runs, &mut call, &mut verify)
    })?;
    Ok(timings.remove(0))
}

/// Times `runs` back-to-back calls, then verifies every output and drops
/// them, outside the timed region: allocating an output is part of its
/// run, freeing it is not.
///
/// ```
/// let elapsed = ps_harness::timed_batch(3, &mut || 6 * 7, &mut |&answer| {
///     if answer == 42 { Ok(()) } else { Err(answer) }
/// })?;
/// assert!(elapsed.as_secs() < 60);
/// # Ok::<(), i32>(())
/// ```
///
/// # Errors
///
/// The first error `verify` returns.
pub fn timed_batch<O, E>(
    runs: usize,
    call: &mut impl FnMut() -> O,
    verify: &mut impl FnMut(&O) -> Result<(), E>,
) -> Result<Duration, E> {
    let mut outputs = Vec::with_capacity(runs);
    let start = Instant::now();
    for _ in 0..runs {
        outputs.push(call());
    }
    let elapsed = start.elapsed();
    for output in &outputs {
        verify(output)?;
    }
    Ok(elapsed)
}

/// Times several contenders — the strategies on one input — taking their
/// samples in rotation: one sample of each, then the next round, so that
/// whatever slows a shared machine for a moment slows every contender
/// alike, and sample *i* of each can be paired (see
/// [`Comparison::paired`](crate::Comparison::paired)).
///
/// `sample(contender, runs)` makes `runs` back-to-back runs of one
/// contender, verifies them outside its clock, and returns the timed part
/// (as [`timed_batch`] does).
///
/// # Warm-up, and the memory each run finds
///
/// First each contender runs twice, to warm up and to size its batches: a
/// run of a few microseconds is at the mercy of the clock's resolution and
/// of one interrupt, so a *sample* lasts at least [`Budget::min_sample`],
/// timing a batch of back-to-back runs and recording their mean, as
/// criterion does (at most [`MAX_BATCH`] runs). Then each contender runs one
/// whole batch untimed, so that the memory a batch holds has been touched
/// before any sample is taken. With the allocator keeping freed memory (see
/// [`reuse_freed_memory`](crate::reuse_freed_memory), which this calls), no
/// timed run pays for page faults of fresh memory, in any process.
///
/// # Rounds
///
/// At least [`Budget::min_runs`] rounds; then more, up to
/// [`Budget::max_runs`], while the time sampled is below [`Budget::target`]
/// per contender.
///
/// ```
/// use std::time::Duration;
/// use ps_harness::{Budget, measure_rotation};
///
/// let budget = Budget { min_runs: 4, max_runs: 4, target: Duration::ZERO, min_sample: Duration::ZERO };
/// let mut order = Vec::new();
/// let timings = measure_rotation(budget, 2, |contender, runs| {
///     order.push(contender);
///     Ok::<_, ()>(Duration::from_micros(10 * runs as u64))
/// })?;
/// assert_eq!(timings.len(), 2);
/// assert_eq!(&order[order.len() - 4..], [0, 1, 0, 1], "samples alternate");
/// # Ok::<(), ()>(())
/// ```
///
/// # Errors
///
/// The first error `sample` returns; no more runs are made after it.
pub fn measure_rotation<E>(
    budget: Budget,
    contenders: usize,
    mut sample: impl FnMut(usize, usize) -> Result<Duration, E>,
) -> Result<Vec<Timing>, E> {
    crate::memory_state::reuse_freed_memory();
    crate::load::watch_from_now_on();
    let mut batches = Vec::with_capacity(contenders);
    for contender in 0..contenders {
        // The first run may fault in fresh memory; the second shows what a
        // run costs from then on, and sizes the batches.
        sample(contender, 1)?;
        let warm = sample(contender, 1)?;
        let batch = batch_size(warm, budget.min_sample);
        if batch > 1 {
            sample(contender, batch)?;
        }
        batches.push(batch);
    }
    let mut samples = vec![Vec::new(); contenders];
    let target = budget
        .target
        .saturating_mul(u32::try_from(contenders).unwrap_or(u32::MAX));
    let (mut total, mut rounds) = (Duration::ZERO, 0);
    while rounds < budget.min_runs || (total < target && rounds < budget.max_runs) {
        for (contender, &batch) in batches.iter().enumerate() {
            let elapsed = sample(contender, batch)?;
            samples[contender].push(elapsed / u32::try_from(batch).unwrap_or(u32::MAX));
            total += elapsed;
        }
        rounds += 1;
    }
    Ok(samples
        .into_iter()
        .zip(batches)
        .map(|(samples, batch)| Timing::from_samples(samples, batch))
        .collect())
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

/// A duration to three significant figures, in the unit that keeps them
/// readable: how every table, sentence and chart of this project writes
/// one. Nanoseconds are whole: no timing here is finer.
///
/// ```
/// use std::time::Duration;
///
/// assert_eq!(ps_harness::human(Duration::from_micros(2346)), "2.35 ms");
/// assert_eq!(ps_harness::human(Duration::from_nanos(222_600)), "223 µs");
/// assert_eq!(ps_harness::human(Duration::from_nanos(420)), "420 ns");
/// ```
#[must_use]
pub fn human(duration: Duration) -> String {
    human_seconds(duration.as_secs_f64())
}

/// [`human`] for a number of seconds, as reports record them.
///
/// ```
/// assert_eq!(ps_harness::human_seconds(1.5), "1.50 s");
/// assert_eq!(ps_harness::human_seconds(0.35502), "355 ms");
/// assert_eq!(ps_harness::human_seconds(2.6e-8), "26 ns");
/// ```
#[must_use]
pub fn human_seconds(seconds: f64) -> String {
    // Each unit from the value that rounds to 1.00 of it, so that no
    // value reads as 1000 of the unit below.
    let (value, unit) = if seconds >= 0.9995 {
        (seconds, "s")
    } else if seconds >= 0.9995e-3 {
        (seconds * 1e3, "ms")
    } else if seconds >= 0.9995e-6 {
        (seconds * 1e6, "µs")
    } else {
        return format!("{:.0} ns", seconds * 1e9);
    };
    let decimals = if value >= 99.95 {
        0
    } else if value >= 9.995 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
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
            "two warm-up runs, then the first timed one fails and stops the rest"
        );
    }

    #[test]
    fn samples_keep_the_order_they_were_taken_in() {
        let ms = Duration::from_millis;
        let timing = Timing::from_runs(vec![ms(3), ms(1), ms(2)]);
        assert_eq!(timing.in_order(), [ms(3), ms(1), ms(2)]);
        assert_eq!(timing.median(), ms(2));
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
        assert_eq!(
            calls,
            2 + 4 * timing.runs_per_sample(),
            "two warm-up runs, one untimed batch, then three timed ones"
        );
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
        assert_eq!(human(Duration::from_nanos(999)), "999 ns");
        assert_eq!(human(Duration::ZERO), "0 ns");
        assert_eq!(human_seconds(9.996e-3), "10.0 ms");
        assert_eq!(human_seconds(999.7e-6), "1.00 ms");
        assert_eq!(human_seconds(355.02e-3), "355 ms");
        assert_eq!(human_seconds(123.4), "123 s");
    }
}
