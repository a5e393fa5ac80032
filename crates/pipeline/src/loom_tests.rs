//! The pipeline's coordination under the loom model checker.
//!
//! Run with (from the repository root):
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p ps-threads -p ps-pipeline --lib --release --target-dir target/loom loom
//! ```
//!
//! Under `cfg(loom)` the pipeline's atomics, mutex and bounded channels are
//! loom's (see `ps_strategy::sync`), so these tests run the real `feed`,
//! `work` and `collect` functions — the real drain-on-panic path included —
//! and loom explores their interleavings. Loom has no `thread::scope`, so the
//! wiring that `run_tasks_observed` does with scoped threads is repeated here
//! with `loom::thread::spawn` and `Arc`; it is ten lines of plumbing, and
//! everything that synchronises is the code under test.
//!
//! Loom fails a model on a deadlock (every thread blocked), so each model
//! terminating is itself checked: no feeder left blocked on a full channel,
//! no collector left waiting for a result that will never come.

use std::panic::{self, AssertUnwindSafe};

use loom::thread;
use ps_strategy::conformance::{InjectedPanic, silence_injected_panics};
use ps_strategy::sync::atomic::AtomicBool;
use ps_strategy::sync::mpsc::sync_channel;
use ps_strategy::sync::{Arc, Mutex, check_model};

use crate::{collect, feed, work};

/// The outcome of one modelled pipeline run.
struct Run {
    /// The collected results in index order, if every task delivered one.
    /// (`collect` itself panics if a task delivers twice.)
    results: Option<Vec<usize>>,
    /// Each worker's end: `Some(index)` if it panicked with that payload.
    panics: Vec<Option<usize>>,
}

/// One pipeline run with `workers` workers over `count` tasks, whose task
/// `panic_at` (if any) panics — wired as `run_tasks_observed` wires it.
fn pipeline(count: usize, workers: usize, capacity: usize, panic_at: Option<usize>) -> Run {
    let task = move |index: usize| {
        if Some(index) == panic_at {
            panic::panic_any(InjectedPanic { index });
        }
        index * 10
    };
    let (job_sender, jobs) = sync_channel::<usize>(capacity);
    let (result_sender, results) = sync_channel::<(usize, usize)>(capacity);
    let jobs = Arc::new(Mutex::new(jobs));
    let stop = Arc::new(AtomicBool::new(false));

    let feeder = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || feed(job_sender, count, &stop, &|_| {}))
    };
    let workers: Vec<_> = (0..workers)
        .map(|_| {
            let (jobs, stop, results) =
                (Arc::clone(&jobs), Arc::clone(&stop), result_sender.clone());
            // `std::thread::scope` catches a worker's panic for the join; so
            // does this.
            thread::spawn(move || {
                panic::catch_unwind(AssertUnwindSafe(|| work(&jobs, results, &stop, &task)))
            })
        })
        .collect();
    drop(result_sender);
    let in_order = collect(&results, count);
    let panics = workers
        .into_iter()
        .map(
            |worker| match worker.join().expect("loom joins the worker") {
                Ok(()) => None,
                Err(payload) => Some(
                    payload
                        .downcast_ref::<InjectedPanic>()
                        .expect("only the injected panic")
                        .index,
                ),
            },
        )
        .collect();
    feeder.join().expect("the feeder never panics");
    Run {
        results: in_order.is_complete().then(|| in_order.into_vec()),
        panics,
    }
}

#[test]
fn loom_pipeline_collects_every_result_in_order() {
    // Two workers are explored with up to 2 preemptions, one with up to 3:
    // one more preemption multiplies the executions by about 30.
    for (count, workers, capacity) in [(2, 2, 1), (2, 2, 2), (3, 1, 1), (2, 1, 2)] {
        check_model(
            &format!("pipeline, {count} tasks, {workers} workers, capacity {capacity}"),
            Some(if workers == 1 { 3 } else { 2 }),
            move || {
                let run = pipeline(count, workers, capacity, None);
                let expected: Vec<_> = (0..count).map(|i| i * 10).collect();
                assert_eq!(run.results, Some(expected));
                assert!(run.panics.iter().all(Option::is_none));
            },
        );
    }
}

/// A worker panics while the feeder may be blocked on a full channel of
/// capacity 1: the drain-on-panic path must unblock it, the model must end
/// (loom reports a deadlock otherwise), the payload must come back, and no
/// task may have run twice or produced a wrong result.
#[test]
fn loom_pipeline_shuts_down_after_a_panic() {
    silence_injected_panics();
    for (count, workers, panic_at) in [(4, 1, 0), (2, 2, 0), (2, 2, 1), (3, 2, 0)] {
        check_model(
            &format!("pipeline, {count} tasks, {workers} workers, panic at {panic_at}"),
            Some(if workers == 1 { 3 } else { 2 }),
            move || {
                let run = pipeline(count, workers, 1, Some(panic_at));
                assert_eq!(
                    run.panics.iter().flatten().collect::<Vec<_>>(),
                    [&panic_at],
                    "exactly one worker ends with the injected payload"
                );
                assert!(run.results.is_none(), "the panicked task has no result");
            },
        );
    }
}
