//! Every strategy called from inside a task of every strategy, itself
//! included: the results stay right, nothing deadlocks (the conformance
//! watchdog fails a check that stops making progress), and the number of
//! threads alive at once is what each strategy's documentation says.
//!
//! Threads are counted by the operating system (`ps_strategy::spawn::threads_alive`,
//! the `Threads:` line of `/proc/self/status`), sampled inside the innermost
//! tasks. Where that count is unavailable the thread assertions are skipped
//! with a printed note; the results are still checked.
//!
//! This file is its own test binary with one test, so no other test's
//! threads come and go while it counts.

use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::conformance::watchdog;
use ps_strategy::spawn::threads_alive;
use ps_strategy::{Config, Strategy};

/// Threads of the outer strategy.
const OUTER: usize = 3;
/// Threads of the inner strategy.
const INNER: usize = 4;

fn build(kind: StrategyKind, threads: usize) -> AnyStrategy {
    let config = Config::new(threads, 1).expect("thread counts and grains here are non-zero");
    AnyStrategy::build(kind, config).expect("the test machine can start a few threads")
}

/// The threads a strategy with `threads` threads adds to the process while
/// a call with at least `threads` tasks runs: `(fewest, most)`.
fn added_threads(kind: StrategyKind, threads: usize) -> (usize, usize) {
    // Serial runs on the calling thread; the rayon pool's threads were
    // started when it was built.
    if kind == StrategyKind::SERIAL || kind == StrategyKind::RAYON {
        (0, 0)
    } else if kind == StrategyKind::PIPELINE {
        // `threads` workers and a feeder, which may already have sent its
        // last job and ended; the calling thread collects.
        (threads, threads + 1)
    } else {
        // Static blocks, dynamic claims and work stealing: the calling
        // thread takes one share.
        assert!(
            kind == StrategyKind::THREADS_STATIC
                || kind == StrategyKind::THREADS_DYNAMIC
                || kind == StrategyKind::WORK_STEALING,
            "{kind}: add it here"
        );
        (threads - 1, threads - 1)
    }
}

/// How many tasks of a call with `threads` threads and as many tasks run at
/// the same time, each on a thread of its own.
fn concurrent_tasks(kind: StrategyKind, threads: usize) -> usize {
    if kind == StrategyKind::SERIAL {
        1
    } else {
        threads
    }
}

/// One nesting: an outer strategy whose every task calls the inner one.
struct Pair<'a> {
    outer: &'a AnyStrategy,
    inner: &'a AnyStrategy,
    /// The inner strategy is the very pool the outer one runs on.
    same_pool: bool,
}

impl Pair<'_> {
    fn label(&self) -> String {
        let inner = if self.same_pool {
            format!("the same {}({OUTER})", self.inner.name())
        } else {
            format!("{}({INNER})", self.inner.name())
        };
        format!("{}({OUTER}) > {inner}", self.outer.name())
    }

    /// The extra threads alive at the peak, `(fewest, most)`, when every
    /// outer task is inside its inner call at once.
    fn expected_peak(&self) -> (usize, usize) {
        let (outer_min, outer_max) = added_threads(self.outer.kind(), OUTER);
        let (inner_min, inner_max) = added_threads(self.inner.kind(), INNER);
        let callers = concurrent_tasks(self.outer.kind(), OUTER);
        (
            outer_min + callers * inner_min,
            outer_max + callers * inner_max,
        )
    }

    /// Whether every inner task of every concurrent outer task runs on a
    /// thread of its own, so that they can all wait for each other at a
    /// barrier without deadlock. Not so for rayon inside: its few threads
    /// are shared by every outer task's inner call.
    fn inner_tasks_each_have_a_thread(&self) -> bool {
        self.inner.kind() != StrategyKind::RAYON
    }
}

/// Runs the pair, checks its result and returns the most threads seen
/// alive inside an inner task.
///
/// Each outer task waits for the others before and after its inner call, so
/// that every outer thread is alive during every inner call. Where it cannot
/// deadlock, every inner task also waits for all the inner tasks that run at
/// the same time before sampling, so the sample sees the peak itself rather
/// than whatever overlap the scheduler happened to give.
fn run(pair: &Pair<'_>) -> usize {
    let callers = concurrent_tasks(pair.outer.kind(), OUTER);
    let around_inner = Barrier::new(callers);
    let inside = Barrier::new(callers * concurrent_tasks(pair.inner.kind(), INNER));
    let peak = AtomicUsize::new(0);
    let outer_input: Vec<usize> = (0..OUTER).collect();
    let inner_input: Vec<usize> = (0..INNER).collect();
    let sums = pair.outer.map(&outer_input, |&i| {
        around_inner.wait();
        let inner = pair.inner.map(&inner_input, |&j| {
            if pair.inner_tasks_each_have_a_thread() {
                inside.wait();
            }
            peak.fetch_max(threads_alive().unwrap_or(0), Ordering::Relaxed);
            if pair.inner_tasks_each_have_a_thread() {
                // Nobody leaves (and ends a thread) before everyone sampled.
                inside.wait();
            }
            100 * i + j
        });
        around_inner.wait();
        inner.iter().sum::<usize>()
    });
    let expected: Vec<usize> = (0..OUTER)
        .map(|i| (0..INNER).map(|j| 100 * i + j).sum())
        .collect();
    assert_eq!(sums, expected, "{}: wrong results", pair.label());
    peak.into_inner()
}

/// Waits until the thread count is back to `baseline`. A joined thread has
/// finished, but the kernel may count it for a moment longer while it exits.
fn settle(baseline: usize) {
    while threads_alive().is_some_and(|alive| alive > baseline) {
        thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn every_strategy_nested_in_every_strategy() {
    watchdog("every_strategy_nested_in_every_strategy", |heartbeat| {
        let outers = StrategyKind::ALL.map(|kind| build(kind, OUTER));
        let inners = StrategyKind::ALL.map(|kind| build(kind, INNER));
        let same_rayon_pool = build(StrategyKind::RAYON, OUTER);
        let mut pairs = Vec::new();
        for outer in &outers {
            for inner in &inners {
                pairs.push(Pair {
                    outer,
                    inner,
                    same_pool: false,
                });
            }
        }
        pairs.push(Pair {
            outer: &same_rayon_pool,
            inner: &same_rayon_pool,
            same_pool: true,
        });
        // Every pool is built, so its threads are part of the baseline.
        let Some(baseline) = threads_alive() else {
            eprintln!(
                "note: this system does not report a thread count; \
                 nesting results are checked, thread counts are not"
            );
            for pair in &pairs {
                run(pair);
                heartbeat.beat();
            }
            return;
        };
        for pair in &pairs {
            settle(baseline);
            let peak = run(pair);
            let extra = peak.saturating_sub(baseline);
            let (fewest, most) = pair.expected_peak();
            println!(
                "{:<44} peak {extra:>2} threads above the baseline of {baseline} (expected {fewest}..={most})",
                pair.label()
            );
            assert!(
                (fewest..=most).contains(&extra),
                "{}: {extra} extra threads at the peak, expected {fewest}..={most}",
                pair.label()
            );
            // A thread left running would keep the count up for good, and
            // the watchdog (which gets no beat while this waits) fails it.
            settle(baseline);
            heartbeat.beat();
        }
    });
}
