//! The memory ceiling beside the figures: this machine's copy and read
//! bandwidth at one thread and at all threads, and how close a memory-bound
//! workload comes to it.

use std::time::Duration;

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::Config;
use ps_workload::Traffic;
use serde::{Deserialize, Serialize};

use crate::Failure;
use crate::bandwidth::{self, Access};
use crate::measure::{Budget, measure};

/// Elements of the buffers the ceilings are measured on: 256 MiB of `u64`,
/// far beyond any last-level cache, or 64 MiB for a quick run.
const ELEMENTS: usize = 32 << 20;
const QUICK_ELEMENTS: usize = 8 << 20;

/// The best copy and read rates measured, in GB/s (10⁹ bytes a second,
/// counted as STREAM counts them: see [`bandwidth`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ceilings {
    /// The threads of the `_all` figures.
    pub threads: usize,
    /// Copy, one thread.
    pub copy_one: f64,
    /// Copy, all threads.
    pub copy_all: f64,
    /// Read, one thread.
    pub read_one: f64,
    /// Read, all threads.
    pub read_all: f64,
}

impl Ceilings {
    /// Measures copy and read on one thread and on `threads` (static
    /// blocks, one per thread), the best of several runs each, every run's
    /// result checked.
    ///
    /// # Errors
    ///
    /// A failure if a strategy cannot start or a result is wrong.
    pub fn measure(threads: usize, quick: bool) -> Result<Ceilings, Failure> {
        let n = if quick { QUICK_ELEMENTS } else { ELEMENTS };
        let source = bandwidth::input(n);
        let mut destination = vec![0_u64; n];
        let expected_sum = (n as u64).wrapping_mul(n as u64 - 1) / 2;
        // A pass over these buffers takes milliseconds: no batching needed.
        let budget = Budget {
            min_runs: 3,
            max_runs: 10,
            target: Duration::from_millis(300),
            min_sample: Duration::ZERO,
        };
        let mut rate = |access: Access, threads: usize| -> Result<f64, Failure> {
            let config = Config::new(threads, n.div_ceil(threads))
                .map_err(|error| Failure::Usage(error.to_string()))?;
            let kind = if threads == 1 {
                StrategyKind::SERIAL
            } else {
                StrategyKind::THREADS_STATIC
            };
            let strategy = AnyStrategy::build(kind, config).map_err(crate::refusal::from_config)?;
            let timing = match access {
                Access::Copy => measure(
                    budget,
                    || bandwidth::copy(&strategy, &source, &mut destination),
                    |()| Ok::<(), Failure>(()),
                )?,
                Access::Read => measure(
                    budget,
                    || bandwidth::read(&strategy, &source),
                    |&sum| {
                        if sum == expected_sum {
                            Ok(())
                        } else {
                            Err(Failure::WrongResult(format!(
                                "bandwidth read summed {sum}, not {expected_sum}"
                            )))
                        }
                    },
                )?,
            };
            Ok(access.bytes_moved(n) as f64 / timing.min().as_secs_f64() / 1e9)
        };
        let ceilings = Ceilings {
            threads,
            copy_one: rate(Access::Copy, 1)?,
            copy_all: rate(Access::Copy, threads)?,
            read_one: rate(Access::Read, 1)?,
            read_all: rate(Access::Read, threads)?,
        };
        if destination != source {
            return Err(Failure::WrongResult(
                "the bandwidth copy did not copy".to_owned(),
            ));
        }
        Ok(ceilings)
    }

    /// The ceiling for a job with `traffic` on `threads`: copy if it writes,
    /// read if it only reads; one thread's rate for one thread, else all
    /// threads'.
    ///
    /// ```
    /// use ps_harness::{Ceilings, Traffic};
    ///
    /// let ceilings = Ceilings { threads: 2, copy_one: 8.0, copy_all: 12.0, read_one: 10.0, read_all: 16.0 };
    /// assert_eq!(ceilings.bound(Traffic { read: 8, written: 8 }, 2), 12.0);
    /// assert_eq!(ceilings.bound(Traffic { read: 8, written: 0 }, 1), 10.0);
    /// ```
    #[must_use]
    pub fn bound(&self, traffic: Traffic, threads: usize) -> f64 {
        match (traffic.written > 0, threads > 1) {
            (true, false) => self.copy_one,
            (true, true) => self.copy_all,
            (false, false) => self.read_one,
            (false, true) => self.read_all,
        }
    }

    /// One line for under a table.
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "Memory ceiling on this machine (best of several runs, STREAM's byte counting): copy {:.1} GB/s on 1 thread, {:.1} GB/s on {}; read {:.1} and {:.1} GB/s.",
            self.copy_one,
            self.copy_all,
            crate::table::plural(self.threads, "thread"),
            self.read_one,
            self.read_all
        )
    }
}

/// A memory-bound cell's achieved rate and its share of the ceiling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Roofline {
    /// GB/s achieved: the traffic over the median time.
    pub achieved: f64,
    /// The ceiling that applies, GB/s.
    pub bound: f64,
}

impl Roofline {
    /// `traffic` moved in `seconds` on `threads`, against `ceilings`.
    #[must_use]
    pub fn of(traffic: Traffic, seconds: f64, threads: usize, ceilings: &Ceilings) -> Roofline {
        Roofline {
            achieved: traffic.total() as f64 / seconds / 1e9,
            bound: ceilings.bound(traffic, threads),
        }
    }

    /// Achieved over the ceiling.
    #[must_use]
    pub fn fraction(&self) -> f64 {
        self.achieved / self.bound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_ceilings_are_positive_and_checked() {
        let ceilings = Ceilings::measure(2, true).unwrap();
        for rate in [
            ceilings.copy_one,
            ceilings.copy_all,
            ceilings.read_one,
            ceilings.read_all,
        ] {
            assert!(rate.is_finite() && rate > 0.0, "{ceilings:?}");
        }
        let roofline = Roofline::of(
            Traffic {
                read: 1_000_000_000,
                written: 0,
            },
            1.0,
            1,
            &ceilings,
        );
        assert!((roofline.achieved - 1.0).abs() < 1e-12);
        assert!((roofline.fraction() - 1.0 / ceilings.read_one).abs() < 1e-12);
    }
}
