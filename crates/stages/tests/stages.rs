//! Multi-stage pipelines: results, order, bad configurations, bounded work
//! in flight, and a clean shutdown when the source, any stage or the sink
//! panics while its neighbours are blocked on full or empty channels.
#![cfg(not(loom))]

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use ps_stages::{Order, Role, Stages, StagesError};
use ps_strategy::conformance::{InjectedPanic, silence_injected_panics};

/// How long a run may take before it counts as hung: generous, because the
/// machines that run the tests are often busy.
const HANG: Duration = Duration::from_secs(10);

/// Runs `body` on a thread of its own and returns its result, or the payload
/// it panicked with; fails the test if it has not finished within [`HANG`].
fn watchdog<R: Send + 'static>(
    check: &str,
    body: impl FnOnce() -> R + Send + 'static,
) -> thread::Result<R> {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(panic::catch_unwind(AssertUnwindSafe(body)));
    });
    finished
        .recv_timeout(HANG)
        .unwrap_or_else(|_| panic!("{check}: still running after {HANG:?}: the pipeline hangs"))
}

fn nap(micros: u64) {
    thread::sleep(Duration::from_micros(micros));
}

#[test]
fn preserved_order_survives_uneven_work_and_several_workers() {
    let (out, stats) = watchdog("uneven work", || {
        Stages::from_source(0..300_u64)
            .capacity(2)
            .stage("uneven", 3, Order::Preserve, |x| {
                nap((x * 7919) % 200);
                x * 2
            })
            .stage("plus one", 2, Order::Preserve, |x| x + 1)
            .fold(Vec::new(), |mut all, x| {
                all.push(x);
                all
            })
            .expect("a valid pipeline")
    })
    .expect("no panic");
    assert_eq!(out, (0..300).map(|x| x * 2 + 1).collect::<Vec<_>>());
    let rows: Vec<_> = stats
        .stages()
        .iter()
        .map(|row| (row.role(), row.name(), row.workers(), row.items()))
        .collect();
    assert_eq!(
        rows,
        [
            (Role::Source, "source", 1, 300),
            (Role::Stage, "uneven", 3, 300),
            (Role::Stage, "plus one", 2, 300),
            (Role::Sink, "sink", 1, 300),
        ]
    );
}

#[test]
fn a_preserve_stage_restores_the_order_an_any_stage_lost() {
    let (out, _) = watchdog("any then preserve", || {
        Stages::from_source(0..200_u32)
            .batch(3)
            .stage("shuffle", 4, Order::Any, |x| {
                nap(u64::from(x % 5) * 100);
                x
            })
            .stage("restore", 2, Order::Preserve, |x| x)
            .fold(Vec::new(), |mut all, x| {
                all.push(x);
                all
            })
            .expect("a valid pipeline")
    })
    .expect("no panic");
    assert_eq!(out, (0..200).collect::<Vec<_>>());
}

#[test]
fn an_any_stage_delivers_every_item_once() {
    let (mut out, stats) = Stages::from_source(0..500_u32)
        .stage("shuffle", 3, Order::Any, |x| {
            nap(u64::from(x % 3) * 50);
            x
        })
        .fold(Vec::new(), |mut all, x| {
            all.push(x);
            all
        })
        .expect("a valid pipeline");
    out.sort_unstable();
    assert_eq!(out, (0..500).collect::<Vec<_>>());
    assert_eq!(stats.items(), 500);
}

#[test]
fn stages_may_borrow_and_an_empty_source_runs() {
    let words = ["borrowed", "from", "the", "caller"];
    let lengths = Stages::from_source(words.iter())
        .stage("len", 2, Order::Preserve, |word: &&str| word.len())
        .fold(Vec::new(), |mut all, n| {
            all.push(n);
            all
        })
        .expect("a valid pipeline")
        .0;
    assert_eq!(lengths, [8, 4, 3, 6]);

    let stats = Stages::from_source(std::iter::empty::<u8>())
        .stage("never", 2, Order::Preserve, |x| x)
        .run(|_| unreachable!("no items"))
        .expect("a valid pipeline");
    assert!(stats.stages().iter().all(|row| row.items() == 0));
    // A source with no stages at all goes straight to the sink.
    let (sum, _) = Stages::from_source(1..=10)
        .fold(0, |sum, x| sum + x)
        .expect("a valid pipeline");
    assert_eq!(sum, 55);
}

#[test]
fn bad_configurations_are_errors_and_nothing_runs() {
    let untouched =
        || std::iter::from_fn(|| -> Option<u32> { panic!("the source must not be pulled") });
    let zero_middle = Stages::from_source(untouched())
        .stage("first", 1, Order::Any, |x| x)
        .stage("middle", 0, Order::Any, |x| x)
        .stage("last", 0, Order::Any, |x| x)
        .run(|_| {});
    assert_eq!(
        zero_middle.unwrap_err(),
        StagesError::ZeroWorkers {
            stage: "middle".to_owned()
        }
    );
    let zero_capacity = Stages::from_source(untouched())
        .capacity(0)
        .stage("s", 1, Order::Any, |x| x)
        .run(|_| {});
    assert_eq!(zero_capacity.unwrap_err(), StagesError::ZeroCapacity);
    let zero_batch = Stages::from_source(untouched()).batch(0).run(|_| {});
    assert_eq!(zero_batch.unwrap_err(), StagesError::ZeroBatch);
    assert_eq!(
        StagesError::ZeroCapacity.to_string(),
        "the channel capacity must be at least 1 batch"
    );
    let error: Box<dyn std::error::Error + Send + Sync> = Box::new(StagesError::ZeroBatch);
    assert_eq!(error.to_string(), "the batch size must be at least 1 item");
}

/// A huge capacity is not allocated: channels never get more slots than the
/// source has batches.
#[test]
fn a_huge_capacity_allocates_only_what_the_source_needs() {
    let (sum, _) = Stages::from_source(0..10_u64)
        .capacity(usize::MAX)
        .stage("id", 2, Order::Preserve, |x| x)
        .fold(0, |sum, x| sum + x)
        .expect("a valid pipeline");
    assert_eq!(sum, 45);
}

/// With a slow last stage, a fast source runs ahead only until the channels
/// are full: items pulled but not yet folded stay below capacity × channels
/// plus one batch per thread, however long the source.
#[test]
fn a_slow_stage_keeps_the_work_in_flight_bounded() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let most = watchdog("bounded work in flight", {
        let pulled = Arc::clone(&pulled);
        move || {
            let counting = Arc::clone(&pulled);
            let source = (0..400_u32).inspect(move |_| {
                counting.fetch_add(1, Ordering::SeqCst);
            });
            let mut folded = 0;
            let mut most = 0;
            Stages::from_source(source)
                .capacity(1)
                .stage("fast", 1, Order::Preserve, |x| x)
                .stage("slow", 2, Order::Preserve, |x| {
                    nap(300);
                    x
                })
                .run(|_| {
                    folded += 1;
                    most = most.max(pulled.load(Ordering::SeqCst) - folded);
                })
                .expect("a valid pipeline");
            most
        }
    })
    .expect("no panic");
    assert_eq!(pulled.load(Ordering::SeqCst), 400);
    // 3 channels of 1 batch, one batch in the hands of each of the 5 threads
    // (source, fast, 2 × slow, sink), one waiting in slow's reorder buffer,
    // and the item the sink has just folded.
    let bound = 3 + 5 + 1 + 1;
    assert!(
        most <= bound,
        "{most} items in flight, more than the bound of {bound}"
    );
}

/// The statistics name the slow stage as the bottleneck and show the
/// backpressure around it: the stage before it blocked on output, the one
/// after it starved of input.
#[test]
fn the_slowest_stage_is_the_bottleneck() {
    let stats = watchdog("bottleneck", || {
        Stages::from_source(0..150_u32)
            .capacity(2)
            .stage("before", 1, Order::Preserve, |x| {
                nap(100);
                x
            })
            .stage("slow", 1, Order::Preserve, |x| {
                nap(2000);
                x
            })
            .stage("after", 1, Order::Preserve, |x| {
                nap(100);
                x
            })
            .run(|_| {})
            .expect("a valid pipeline")
    })
    .expect("no panic");
    assert_eq!(stats.bottleneck().name(), "slow");
    assert_eq!(stats.bottleneck_index(), 2);
    let [_, before, slow, after, _] = stats.stages() else {
        panic!("five rows");
    };
    let wall = stats.wall();
    assert!(slow.share_of(slow.busy(), wall) > 0.8, "{stats:?}");
    assert!(
        before.share_of(before.blocked_out(), wall) > 0.5,
        "{stats:?}"
    );
    assert!(after.share_of(after.blocked_in(), wall) > 0.5, "{stats:?}");
    assert!(slow.capacity() < before.capacity() && slow.capacity() < after.capacity());
    assert!(stats.throughput() <= slow.capacity() * 1.05, "{stats:?}");
}

/// Two workers on the bottleneck stage nearly halve the run; two on a fast
/// stage do not help. Sleeping stages need no cores, so this holds on any
/// machine; but a busy machine wakes sleepers late, which only ever
/// lengthens a run. So each layout keeps its shortest run, the naps are long
/// next to a late wake-up, and the layouts are run again (a few times at
/// most) until the shortest runs show the claim — a pipeline that does not
/// scale at its bottleneck fails every time.
#[test]
fn workers_help_only_at_the_bottleneck() {
    const ATTEMPTS: usize = 5;
    let run = |fast_workers, slow_workers| {
        watchdog("workers", move || {
            Stages::from_source(0..24_u32)
                .stage("fast", fast_workers, Order::Preserve, |x| {
                    nap(2_000);
                    x
                })
                .stage("slow", slow_workers, Order::Preserve, |x| {
                    nap(20_000);
                    x
                })
                .run(|_| {})
                .expect("a valid pipeline")
                .wall()
        })
        .expect("no panic")
    };
    let [mut base, mut fast_doubled, mut slow_doubled] = [Duration::MAX; 3];
    for _ in 0..ATTEMPTS {
        base = base.min(run(1, 1));
        fast_doubled = fast_doubled.min(run(2, 1));
        slow_doubled = slow_doubled.min(run(1, 2));
        if slow_doubled.as_secs_f64() < 0.7 * base.as_secs_f64()
            && fast_doubled.as_secs_f64() > 0.85 * base.as_secs_f64()
        {
            return;
        }
    }
    panic!(
        "shortest of {ATTEMPTS} runs: {base:?} with one worker per stage, {slow_doubled:?} with \
         two slow workers (must be under 70%), {fast_doubled:?} with two fast workers (must be \
         over 85%)"
    );
}

/// Where a panic is injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Site {
    Source,
    First,
    Middle,
    Last,
    Sink,
}

/// A three-stage pipeline over a long source, capacity 1, where `site`
/// panics at item 30. The panicking thread is slow and every other thread
/// quick, so when the panic happens the channels before it are full (their
/// senders blocked) and those after it empty (their receivers blocked).
/// Returns the payload and how many items the source gave out.
fn panic_at(site: Site, workers: usize, order: Order) -> (InjectedPanic, usize) {
    const ITEMS: u32 = 10_000;
    const PANIC_AT: u32 = 30;
    silence_injected_panics();
    let pulled = Arc::new(AtomicUsize::new(0));
    let counting = Arc::clone(&pulled);
    let check = format!("panic in {site:?}, {workers} workers, {order:?}");
    // Slow at the panicking site, quick everywhere else; then the panic.
    let step = move |here: Site, x: u32| {
        nap(if here == site { 300 } else { 10 });
        if here == site && x == PANIC_AT {
            panic::panic_any(InjectedPanic { index: x as usize });
        }
        x
    };
    let outcome = watchdog(&check, move || {
        let source = (0..ITEMS).map(move |x| {
            counting.fetch_add(1, Ordering::SeqCst);
            step(Site::Source, x)
        });
        Stages::from_source(source)
            .capacity(1)
            .stage("first", workers, order, move |x| step(Site::First, x))
            .stage("middle", workers, order, move |x| step(Site::Middle, x))
            .stage("last", workers, order, move |x| step(Site::Last, x))
            .run(|x| {
                step(Site::Sink, x);
            })
            .expect("a valid pipeline")
    });
    let payload = outcome.expect_err("the injected panic reaches the caller");
    let injected = *payload
        .downcast_ref::<InjectedPanic>()
        .unwrap_or_else(|| panic!("{check}: the payload was replaced"));
    (injected, pulled.load(Ordering::SeqCst))
}

#[test]
fn a_panic_anywhere_reaches_the_caller_and_every_thread_ends() {
    for site in [
        Site::Source,
        Site::First,
        Site::Middle,
        Site::Last,
        Site::Sink,
    ] {
        for (workers, order) in [(1, Order::Preserve), (2, Order::Preserve), (2, Order::Any)] {
            let (payload, pulled) = panic_at(site, workers, order);
            assert_eq!(payload, InjectedPanic { index: 30 }, "{site:?}");
            // The run stopped early: the source gave out little more than
            // what the channels and the threads' hands hold.
            assert!(
                pulled < 30 + 30,
                "{site:?}, {workers} workers, {order:?}: the source gave out {pulled} items"
            );
        }
    }
}
