//! What the conformance suite does not ask of every strategy: nested calls,
//! the payload of a panic among many tasks, and work that only stealing can
//! share out.

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};

use ps_steal::WorkStealing;
use ps_strategy::Strategy;
use ps_strategy::conformance::watchdog;

/// A payload no other code raises, to recognise it in the caller.
#[derive(Debug, PartialEq, Eq)]
struct Failed {
    task: usize,
}

/// Every task of an outer call runs an inner call of the same strategy; the
/// answers are the serial ones, whatever the thread counts and grains. The
/// watchdog fails the test if a call stops making progress.
#[test]
fn nested_calls_give_the_serial_answers() {
    watchdog("nested calls", |heartbeat| {
        for (outer_threads, inner_threads, grain) in [(1, 3, 1), (3, 1, 2), (2, 4, 1), (4, 3, 5)] {
            heartbeat.working_on(format!(
                "outer {outer_threads} threads, inner {inner_threads} threads, grain {grain}"
            ));
            let outer = WorkStealing::new(outer_threads, grain).unwrap();
            let inner = WorkStealing::new(inner_threads, grain).unwrap();
            let rows: Vec<u64> = (0..24).collect();
            let sums = outer.map(&rows, |&row| {
                let columns: Vec<u64> = (0..=row).collect();
                inner.map_reduce(&columns, || 0, |acc, &c| acc + row * c, |a, b| a + b)
            });
            let expected: Vec<u64> = rows.iter().map(|&r| r * r * (r + 1) / 2).collect();
            assert_eq!(sums, expected);
            heartbeat.beat();
        }
    });
}

/// One panicking task among many: the caller gets that task's own payload,
/// not a scope's or a join's message, and the strategy works again after.
#[test]
fn a_panic_reaches_the_caller_with_its_payload() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        if info.payload().downcast_ref::<Failed>().is_none() {
            eprintln!("{info}");
        }
    }));
    for threads in [1, 2, 4] {
        let stealing = WorkStealing::new(threads, 1).unwrap();
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            stealing.run_tasks(200, |index| {
                if index == 137 {
                    panic::panic_any(Failed { task: index });
                }
                index
            })
        }));
        let payload = caught.expect_err("task 137 panics");
        assert_eq!(
            payload.downcast_ref::<Failed>(),
            Some(&Failed { task: 137 }),
            "{threads} threads: the payload is the task's own"
        );
        assert_eq!(
            stealing.run_tasks(50, |index| index * 2),
            (0..50).map(|index| index * 2).collect::<Vec<_>>(),
            "{threads} threads: the next call runs normally"
        );
    }
    panic::set_hook(previous);
}

/// Work the first worker takes as one range can reach every worker only by
/// being stolen: each of `THREADS` tasks waits at a barrier until all of
/// them run at once, which happens only if the other workers stole them.
/// (With fewer workers running them the barrier would never open, and the
/// watchdog would report the hang.)
#[test]
fn idle_workers_steal_halves() {
    const THREADS: usize = 4;
    watchdog("stealing", |heartbeat| {
        let stealing = WorkStealing::new(THREADS, 1).unwrap();
        let barrier = Barrier::new(THREADS);
        let ran = AtomicUsize::new(0);
        let ids = stealing.run_tasks(THREADS, |_| {
            barrier.wait();
            ran.fetch_add(1, Ordering::Relaxed);
            std::thread::current().id()
        });
        assert_eq!(ran.load(Ordering::Relaxed), THREADS);
        let distinct: HashSet<_> = ids.into_iter().collect();
        assert_eq!(
            distinct.len(),
            THREADS,
            "each task ran on a thread of its own"
        );
        heartbeat.beat();
    });
}
