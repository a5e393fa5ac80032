//! The dynamic schedule's claim loop under the loom model checker.
//!
//! Run with (from the repository root):
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p ps-threads -p ps-pipeline --lib --release --target-dir target/loom loom
//! ```
//!
//! Under `cfg(loom)` the claim counter is loom's `AtomicUsize` (see
//! `ps_strategy::sync`), so these tests run the real `claim_until_done` —
//! its stop-on-panic path included — on `loom::thread`s, the calling thread
//! taking a share as in `run_tasks`, and loom explores every interleaving of
//! the claims (and every value a relaxed load may see).

use std::panic::{self, AssertUnwindSafe};

use loom::thread;
use ps_strategy::InOrder;
use ps_strategy::conformance::{InjectedPanic, silence_injected_panics};
use ps_strategy::sync::atomic::{AtomicUsize, Ordering};
use ps_strategy::sync::{Arc, check_model};

use super::claim_until_done;

/// The claim loop over `count` tasks on `workers` threads (the model's main
/// thread included), task `panic_at` (if any) panicking. Returns every
/// worker's claimed `(index, result)` pairs, or the index its panic carried.
fn claims(
    count: usize,
    workers: usize,
    panic_at: Option<usize>,
) -> Vec<Result<Vec<(usize, usize)>, usize>> {
    let next = Arc::new(AtomicUsize::new(0));
    let task = move |index: usize| {
        if Some(index) == panic_at {
            panic::panic_any(InjectedPanic { index });
        }
        index * 10
    };
    let run = move |next: &AtomicUsize| {
        panic::catch_unwind(AssertUnwindSafe(|| claim_until_done(next, count, task))).map_err(
            |payload| {
                payload
                    .downcast_ref::<InjectedPanic>()
                    .expect("only the injected panic")
                    .index
            },
        )
    };
    let others: Vec<_> = (1..workers)
        .map(|_| {
            let next = Arc::clone(&next);
            thread::spawn(move || run(&next))
        })
        .collect();
    let mut outcomes = vec![run(&next)];
    outcomes.extend(
        others
            .into_iter()
            .map(|other| other.join().expect("loom joins the worker")),
    );
    // However the claims interleaved, the counter ends past the last task.
    assert!(next.load(Ordering::Relaxed) >= count);
    outcomes
}

/// Every task runs exactly once and the results come back in index order.
#[test]
fn loom_claims_run_every_task_once() {
    for (count, workers) in [(3, 2), (2, 3), (4, 3)] {
        check_model(
            &format!("claim loop, {count} tasks, {workers} workers"),
            None,
            move || {
                let mut results = InOrder::new(count);
                for outcome in claims(count, workers, None) {
                    // `insert` panics if an index is claimed twice.
                    results.extend(outcome.expect("no task panics"));
                }
                assert_eq!(
                    results.into_vec(),
                    (0..count).map(|i| i * 10).collect::<Vec<_>>()
                );
            },
        );
    }
}

/// A panicking task stops the other workers: the panic comes back with its
/// payload, no task runs twice, and nothing runs past the counter's end.
#[test]
fn loom_claims_stop_after_a_panic() {
    silence_injected_panics();
    for (count, workers, panic_at) in [(3, 2, 0), (3, 2, 1), (4, 3, 1)] {
        check_model(
            &format!("claim loop, {count} tasks, {workers} workers, panic at {panic_at}"),
            None,
            move || {
                let outcomes = claims(count, workers, Some(panic_at));
                let panics: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
                assert_eq!(
                    panics,
                    [&panic_at],
                    "exactly one worker carries the payload"
                );
                let mut results = InOrder::new(count);
                for outcome in outcomes.into_iter().flatten() {
                    for &(index, result) in &outcome {
                        assert_eq!(result, index * 10);
                    }
                    results.extend(outcome);
                }
                assert!(!results.is_complete(), "the panicked task has no result");
            },
        );
    }
}
