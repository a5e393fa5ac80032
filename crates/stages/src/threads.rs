//! What each thread of a run does: the source feeds, workers serve a stage,
//! the sink collects, and everyone's counters become the run's rows.

use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

use ps_strategy::sync::Mutex;
use ps_strategy::sync::atomic::{AtomicBool, Ordering};
use ps_strategy::sync::mpsc::{Receiver, SyncSender};

use ps_pipeline::worker::{drain_on_panic, receive};

use crate::builder::{Batch, Context};
use crate::reorder::OrderedHandOver;
use crate::stats::{Role, RunStats, StageStats, WorkerStats};

/// The rows of a run from every thread's counters, in the order
/// `run_and_join` returned them: the sink, the source, then each stage's
/// workers in order.
pub(crate) fn self_stats(
    rows: &[(String, usize)],
    counters: &[WorkerStats],
    wall: std::time::Duration,
) -> RunStats {
    let (sink, rest) = counters.split_first().expect("the sink's counters");
    let (source, mut workers) = rest.split_first().expect("the source's counters");
    let mut stages = vec![StageStats::sum(
        Role::Source,
        "source".to_owned(),
        1,
        std::slice::from_ref(source),
    )];
    for (name, count) in rows {
        let (mine, later) = workers.split_at(*count);
        stages.push(StageStats::sum(Role::Stage, name.clone(), *count, mine));
        workers = later;
    }
    stages.push(StageStats::sum(
        Role::Sink,
        "sink".to_owned(),
        1,
        std::slice::from_ref(sink),
    ));
    RunStats { stages, wall }
}

/// The source's thread: pulls batches from the iterator and sends them on
/// until it is exhausted, the pipeline is told to stop, or nothing reads the
/// channel any more.
///
/// If the iterator panics, the pipeline is told to stop and the channel is
/// closed (so the stages after it end) before the panic goes on.
pub(crate) fn feed<I: Iterator>(
    source: I,
    output: SyncSender<Batch<I::Item>>,
    context: &Context,
) -> WorkerStats {
    // Unwind safety: after a panic only the flag and the channel are used.
    let fed = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut source = source.fuse();
        let mut stats = WorkerStats::default();
        for seq in 0.. {
            if context.stop.load(Ordering::Relaxed) {
                break;
            }
            let started = Instant::now();
            let items: Vec<I::Item> = source.by_ref().take(context.batch).collect();
            let ready = Instant::now();
            stats.busy += ready - started;
            if items.is_empty() {
                break;
            }
            stats.items += items.len() as u64;
            stats.batches += 1;
            let sent = output.send(Batch { seq, items }).is_ok();
            stats.blocked_out += ready.elapsed();
            if !sent {
                break;
            }
        }
        stats
    }));
    if fed.is_err() {
        context.stop.store(true, Ordering::Relaxed);
    }
    // Closing the channel is what ends the first stage's receive loops.
    drop(output);
    fed.unwrap_or_else(|payload| panic::resume_unwind(payload))
}

/// A stage's worker: the shared worker machinery of [`ps_pipeline::worker`] —
/// drain the input and stop the pipeline if `f` panics — around [`serve`].
pub(crate) fn work<T, U, F>(
    input: &Mutex<Receiver<Batch<T>>>,
    output: SyncSender<Batch<U>>,
    reorder: Option<&OrderedHandOver<Batch<U>>>,
    f: &F,
    stop: &AtomicBool,
) -> WorkerStats
where
    F: Fn(T) -> U,
{
    drain_on_panic(input, output, stop, |output| {
        serve(input, output, reorder, f, stop)
    })
}

/// A stage worker's loop: receive a batch, apply `f` to its items, hand the
/// results on (through the reorder buffer if there is one), until the input
/// is closed, the pipeline is told to stop, or nothing reads the output.
pub(crate) fn serve<T, U, F>(
    input: &Mutex<Receiver<Batch<T>>>,
    output: &SyncSender<Batch<U>>,
    reorder: Option<&OrderedHandOver<Batch<U>>>,
    f: &F,
    stop: &AtomicBool,
) -> WorkerStats
where
    F: Fn(T) -> U,
{
    let mut stats = WorkerStats::default();
    loop {
        let waiting = Instant::now();
        let batch = receive(input);
        let started = Instant::now();
        stats.blocked_in += started - waiting;
        let Some(Batch { seq, items }) = batch else {
            break;
        };
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if let Some(in_order) = reorder {
            in_order.started(seq);
        }
        let count = items.len() as u64;
        let results = Batch {
            seq,
            items: items.into_iter().map(f).collect(),
        };
        let finished = Instant::now();
        stats.busy += finished - started;
        stats.items += count;
        stats.batches += 1;
        let handed_on = match reorder {
            None => output.send(results).is_ok(),
            Some(in_order) => in_order.hand_on(seq, results, output, stop),
        };
        stats.blocked_out += finished.elapsed();
        if !handed_on {
            break;
        }
    }
    stats
}

/// The sink's loop on the calling thread: receive a batch, fold its items
/// into `folded`, until every worker of the last stage has closed its sender.
///
/// If the sink panics, the pipeline is told to stop and the receiver is
/// dropped — so a last stage blocked on the full channel gets an error and
/// ends — before the panic goes on. After another thread's panic, the loop
/// stops folding and returns; dropping the receiver unblocks the rest.
pub(crate) fn collect<T, A>(
    results: Receiver<Batch<T>>,
    folded: &mut Option<A>,
    sink: &mut impl FnMut(A, T) -> A,
    stop: &AtomicBool,
) -> WorkerStats {
    // Unwind safety: after a panic `folded` is never read, and the panic is
    // resumed.
    let collected = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut stats = WorkerStats::default();
        loop {
            let waiting = Instant::now();
            let batch = results.recv();
            let started = Instant::now();
            stats.blocked_in += started - waiting;
            let Ok(Batch { items, .. }) = batch else {
                break;
            };
            if stop.load(Ordering::Relaxed) {
                break;
            }
            stats.items += items.len() as u64;
            stats.batches += 1;
            let mut value = folded.take().expect("put back after every batch");
            for item in items {
                value = sink(value, item);
            }
            *folded = Some(value);
            stats.busy += started.elapsed();
        }
        stats
    }));
    if collected.is_err() {
        stop.store(true, Ordering::Relaxed);
    }
    drop(results);
    collected.unwrap_or_else(|payload| panic::resume_unwind(payload))
}
