//! Timing one call: a verified warm-up, then repeated verified runs.

use std::time::{Duration, Instant};

/// How many timed runs to make: at least `min_runs`, then more while the
/// total stays under `target`, up to `max_runs`. Fast cells get many runs
/// (their medians are noisy), slow cells get the minimum.
///
/// ```
/// use std::time::Duration;
/// use ps_harness::{Budget, measure};
///
/// let budget = Budget { min_runs: 3, max_runs: 10, target: Duration::ZERO };
/// let timing = measure(budget, || 6 * 7, |&answer| if answer == 42 { Ok(()) } else { Err(answer) })?;
/// assert_eq!(timing.runs(), 3);
/// # Ok::<(), i32>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Timed runs to make at least.
    pub min_runs: usize,
    /// Timed runs to make at most.
    pub max_runs: usize,
    /// Keep running (up to `max_runs`) while the timed total is below this.
    pub target: Duration,
}

/// The timed runs of one cell, sorted.
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
}

impl Timing {
    /// The runs, in any order.
    ///
    /// # Panics
    ///
    /// If `runs` is empty.
    #[must_use]
    pub fn from_runs(mut runs: Vec<Duration>) -> Self {
        assert!(!runs.is_empty(), "a timing needs at least one run");
        runs.sort_unstable();
        Timing { sorted: runs }
    }

    /// How many runs.
    #[must_use]
    pub fn runs(&self) -> usize {
        self.sorted.len()
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

/// Runs `call` once to warm up, then as the budget says; every output,
/// the warm-up's included, goes through `verify` outside the timed region.
///
/// # Errors
///
/// The first error `verify` returns; no more runs are made after it.
pub fn measure<O, E>(
    budget: Budget,
    mut call: impl FnMut() -> O,
    mut verify: impl FnMut(&O) -> Result<(), E>,
) -> Result<Timing, E> {
    verify(&call())?;
    let mut runs = Vec::new();
    let mut total = Duration::ZERO;
    while runs.len() < budget.min_runs || (total < budget.target && runs.len() < budget.max_runs) {
        let start = Instant::now();
        let output = call();
        let elapsed = start.elapsed();
        verify(&output)?;
        // Dropping a large output (unmapping its pages) is not part of the job.
        drop(output);
        runs.push(elapsed);
        total += elapsed;
    }
    Ok(Timing::from_runs(runs))
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
    fn durations_read_well() {
        assert_eq!(human(Duration::from_millis(1500)), "1.50 s");
        assert_eq!(human(Duration::from_micros(2346)), "2.35 ms");
        assert_eq!(human(Duration::from_nanos(45_600)), "45.6 µs");
    }
}
