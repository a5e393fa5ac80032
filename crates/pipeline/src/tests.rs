//! The pipeline's own guarantees, measured through the feeder's send hook:
//! bounded work in flight, and a clean shutdown when a worker panics while
//! the feeder is blocked on a full channel.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ps_strategy::conformance::{Trap, Workers, assert_panic_reaches_caller, watchdog};
use ps_strategy::{Chunks, Strategy};

use crate::Pipeline;

/// Chunks the feeder has taken up for sending but no worker has finished:
/// the work in flight, and its high-water mark.
#[derive(Debug, Default)]
struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
    sent: AtomicUsize,
}

impl InFlight {
    /// Counted just *before* the feeder sends, so the chunk a blocked feeder
    /// holds is counted too and the measured value never undercounts.
    fn sending(&self) {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    fn finished(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The pipeline with the feeder's hook and the workers' task both counting
/// into `in_flight`, so that the provided `map` can run on it.
#[derive(Debug)]
struct Observed<'a> {
    pipeline: Pipeline,
    in_flight: &'a InFlight,
}

impl Strategy for Observed<'_> {
    fn name(&self) -> &'static str {
        "pipeline (observed)"
    }

    fn threads(&self) -> usize {
        self.pipeline.threads()
    }

    fn chunks(&self, len: usize) -> Chunks {
        self.pipeline.chunks(len)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        self.pipeline.run_tasks_observed(
            count,
            |index| {
                let result = task(index);
                self.in_flight.finished();
                result
            },
            |_| self.in_flight.sending(),
        )
    }
}

/// With slow workers (the consumers of the job channel), the feeder runs
/// ahead until the channel is full and then waits: the chunks in flight never
/// exceed `capacity` waiting in the channel, plus one held by each worker,
/// plus the one the blocked feeder holds — `(capacity + threads + 1) × grain`
/// elements — however long the input.
#[test]
fn slow_workers_bound_the_work_in_flight() {
    watchdog("slow_workers_bound_the_work_in_flight", |_| {
        for (threads, grain, capacity) in [(1, 1, 1), (2, 3, 1), (3, 5, 4), (4, 2, 2)] {
            let pipeline = Pipeline::new(threads, grain)
                .and_then(|pipeline| pipeline.with_capacity(capacity))
                .expect("valid configuration");
            let in_flight = InFlight::default();
            let observed = Observed {
                pipeline,
                in_flight: &in_flight,
            };
            let chunks = 40;
            let input: Vec<usize> = (0..chunks * grain).collect();
            let output = observed.map(&input, |&x| {
                std::thread::sleep(Duration::from_millis(1));
                x + 1
            });
            assert!(output.iter().enumerate().all(|(i, &y)| y == i + 1));

            let bound = capacity + threads + 1;
            let most = in_flight.most.load(Ordering::SeqCst);
            assert_eq!(in_flight.sent.load(Ordering::SeqCst), chunks);
            assert_eq!(in_flight.now.load(Ordering::SeqCst), 0);
            assert!(
                most <= bound,
                "{threads} threads, capacity {capacity}: {most} chunks ({} elements) in \
                 flight, more than capacity + threads + 1 = {bound} ({} elements)",
                most * grain,
                bound * grain
            );
            // The workers were slow enough for the feeder to fill the channel
            // and block: the bound was reached, so the check is not vacuous.
            assert_eq!(
                most, bound,
                "{threads} threads, capacity {capacity}: the feeder never blocked"
            );
        }
    });
}

/// A worker panics early while the feeder is blocked on a full channel of
/// capacity 1, with a thousand slow tasks still to go. The panicking worker
/// must stop the feeder and drain the channel; the panic must reach the caller
/// with its payload after every thread has ended, and the rest of the input
/// must not be worked through first.
#[test]
fn panic_while_the_feeder_is_blocked_on_a_full_channel() {
    watchdog("panic_while_the_feeder_is_blocked", |_| {
        let (threads, capacity, count, panic_at) = (2, 1, 1000, 3);
        let pipeline = Pipeline::new(threads, 1)
            .and_then(|pipeline| pipeline.with_capacity(capacity))
            .expect("valid configuration");
        let in_flight = InFlight::default();
        let trap = Trap::new(panic_at, Workers::PerCall).with_delay(Duration::from_millis(1));
        let full = capacity + threads + 1;
        assert_panic_reaches_caller(&pipeline, &trap, "a full job channel", || {
            pipeline.run_tasks_observed(
                count,
                |index| {
                    if index == trap.panic_at() {
                        // Hold the panic back until the feeder is known to be
                        // blocked: the channel is full, the other worker holds
                        // a chunk and the feeder holds the next.
                        let start = Instant::now();
                        while in_flight.now.load(Ordering::SeqCst) < full {
                            assert!(
                                start.elapsed() < Duration::from_secs(10),
                                "the feeder never blocked"
                            );
                            std::thread::sleep(Duration::from_micros(50));
                        }
                    }
                    let result = trap.step(index);
                    in_flight.finished();
                    result
                },
                |_| in_flight.sending(),
            );
            true
        });
        // Stopping early: only the tasks already handed out ran, and the
        // feeder sent at most what fits in the channel and the workers' hands
        // after the panic.
        let calls = trap.calls();
        let sent = in_flight.sent.load(Ordering::SeqCst);
        assert!(
            calls <= panic_at + full,
            "{calls} tasks ran after an early panic"
        );
        assert!(
            sent <= panic_at + 2 * full,
            "the feeder sent {sent} chunks after a panic"
        );
    });
}

/// `run_tasks_observed` sees every index once, in order, before its task runs.
#[test]
fn the_hook_sees_every_index_in_order() {
    let pipeline = Pipeline::new(3, 1).expect("valid configuration");
    let seen = std::sync::Mutex::new(Vec::new());
    let results = pipeline.run_tasks_observed(
        50,
        |index| index * 2,
        |index| seen.lock().unwrap().push(index),
    );
    assert_eq!(results, (0..50).map(|i| i * 2).collect::<Vec<_>>());
    assert_eq!(seen.into_inner().unwrap(), (0..50).collect::<Vec<_>>());
}

/// The channels never allocate more slots than there are tasks: a capacity
/// of `usize::MAX` (or the default capacity of a huge thread count) used to
/// make every call try to allocate that many slots, and panic.
#[test]
fn a_huge_capacity_allocates_only_what_the_tasks_need() {
    for capacity in [usize::MAX, 1 << 40] {
        let pipeline = Pipeline::new(2, 4)
            .and_then(|pipeline| pipeline.with_capacity(capacity))
            .expect("valid configuration");
        assert_eq!(pipeline.map(&[1, 2, 3, 4, 5], |x| x + 1), [2, 3, 4, 5, 6]);
    }
    let many_threads = Pipeline::new(usize::MAX, 1).expect("valid configuration");
    assert_eq!(many_threads.capacity(), usize::MAX);
    assert_eq!(many_threads.map(&[7, 8], |x| x * 2), [14, 16]);
}
