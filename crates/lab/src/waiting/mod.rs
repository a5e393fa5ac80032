//! Waiting is not computing: the `latency` workload (every item blocks for a
//! fixed time, standing for I/O) with the project's strategies, which wait
//! on OS threads, and with tokio, which waits with tasks.
//!
//! A thread that waits holds a stack, a kernel task and a slot in the
//! scheduler's run queue, and it takes a system call to start; a task that
//! waits is a small state machine parked in a timer wheel. The strategies
//! wait on as many items at once as they have threads, so they need
//! thousands of threads for thousands of waits; tokio waits on all of them
//! with one worker thread per core.
//!
//! A [`Probe`] is one configuration. [`Probe::run`] measures it in this
//! process; [`Probe::run_in_child`] measures it in a fresh process, so that
//! each configuration's thread count and peak memory are its own.

mod child;
mod study;

pub use child::PROBE_COMMAND;
pub use study::{Row, Study, ladder, spawn_cost, study};

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::Config;
use ps_workloads::latency;

use crate::system::{ThreadPeak, peak_memory_kib};

/// What runs the waiting items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// One of the project's strategies, each item a blocking sleep on one of
    /// its threads (grain 1).
    Strategy(StrategyKind),
    /// A tokio multi-thread runtime, each item a task awaiting
    /// `tokio::time::sleep`.
    Tokio,
}

/// The name tokio goes by in tables and on the command line.
const TOKIO: &str = "tokio";

impl fmt::Display for Runner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Runner::Strategy(kind) => f.write_str(kind.name()),
            Runner::Tokio => f.write_str(TOKIO),
        }
    }
}

impl FromStr for Runner {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        if name == TOKIO {
            return Ok(Runner::Tokio);
        }
        name.parse().map(Runner::Strategy).map_err(|_| {
            format!(
                "unknown runner `{name}` (expected {TOKIO} or one of: {})",
                StrategyKind::names()
            )
        })
    }
}

/// One configuration of the waiting workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// What runs the items.
    pub runner: Runner,
    /// The strategy's threads, or the runtime's worker threads.
    pub threads: usize,
    /// How many items.
    pub items: usize,
    /// How long each item waits.
    pub delay: Duration,
}

/// What a [`Probe`] measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeFigures {
    /// From building the strategy or runtime to having every item's result,
    /// threads joined or runtime shut down.
    pub wall: Duration,
    /// The most OS threads the process had at once (less the one that
    /// counted them), if `/proc` could be read.
    pub peak_threads: Option<usize>,
    /// The process's peak resident memory in KiB, if `/proc` could be read.
    /// Only meaningful for a probe run in a process of its own.
    pub peak_memory_kib: Option<u64>,
    /// The sum of the items, checked against `n(n - 1)/2`.
    pub sum: u64,
}

impl Probe {
    /// Runs the probe in this process.
    ///
    /// # Errors
    ///
    /// One line if the configuration is invalid, the threads or runtime
    /// cannot be started, or the sum comes out wrong.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ps_lab::waiting::{Probe, Runner};
    ///
    /// let probe = Probe { runner: Runner::Tokio, threads: 2, items: 100, delay: Duration::from_micros(100) };
    /// assert_eq!(probe.run()?.sum, 4950);
    /// # Ok::<(), String>(())
    /// ```
    pub fn run(&self) -> Result<ProbeFigures, String> {
        let input = latency::input(self.items);
        let watcher = ThreadPeak::start();
        let started = Instant::now();
        let sum = match self.runner {
            Runner::Strategy(kind) => {
                let config = Config::new(self.threads, 1).map_err(|error| error.to_string())?;
                let strategy =
                    AnyStrategy::build(kind, config).map_err(|error| error.to_string())?;
                latency::latency(&strategy, &input, self.delay)
            }
            Runner::Tokio => tokio_latency(self.threads, &input, self.delay)?,
        };
        let wall = started.elapsed();
        let peak_threads = watcher.stop();
        let expected = (self.items as u64) * (self.items as u64).saturating_sub(1) / 2;
        if sum != expected {
            return Err(format!("{self}: the sum is {sum}, expected {expected}"));
        }
        Ok(ProbeFigures {
            wall,
            peak_threads,
            peak_memory_kib: peak_memory_kib(),
            sum,
        })
    }
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} with {} threads, {} items of {:?}",
            self.runner, self.threads, self.items, self.delay
        )
    }
}

// ANCHOR: tokio_latency
/// Every item a task that awaits a timer, on a runtime of `workers` threads.
fn tokio_latency(workers: usize, input: &[u64], delay: Duration) -> Result<u64, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_time()
        .build()
        .map_err(|error| format!("could not start the tokio runtime: {error}"))?;
    let sum = runtime.block_on(async {
        let tasks: Vec<_> = input
            .iter()
            .map(|&item| {
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    item
                })
            })
            .collect();
        let mut sum = 0_u64;
        for task in tasks {
            sum = sum.wrapping_add(task.await.map_err(|error| error.to_string())?);
        }
        Ok::<u64, String>(sum)
    })?;
    runtime.shutdown_background();
    Ok(sum)
}
// ANCHOR_END: tokio_latency
