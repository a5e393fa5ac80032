//! Blocking work on the compute pool, against blocking work on threads of
//! its own.
//!
//! A compute pool has about one thread per core, because computing needs
//! cores. A task that blocks — a sleep here, standing for a file read or a
//! network call — holds one of those threads while using no core. Put
//! enough of them on the pool and every thread is asleep: the waits queue
//! behind each other, and the computing work queued behind them cannot start
//! although the cores are idle. Give the waits threads of their own and
//! they overlap, while the pool computes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::Work;
use crate::mutex::pool;

/// What one arrangement measured; every time is counted from the moment the
/// first task was handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockingRun {
    /// When the last wait ended.
    pub waits_done: Duration,
    /// When the first computing task started.
    pub compute_started: Duration,
    /// When the last computing task ended.
    pub compute_done: Duration,
    /// The most waits in progress at the same moment.
    pub peak_waiting: usize,
}

/// [`blocking`]'s result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocking {
    /// Threads in the compute pool.
    pub pool_threads: usize,
    /// Blocking tasks, handed out first.
    pub waits: usize,
    /// How long each blocking task sleeps.
    pub delay: Duration,
    /// Computing tasks, handed out after the waits.
    pub compute_tasks: usize,
    /// What each computing task does.
    pub work: Work,
    /// The waits on the compute pool.
    pub on_pool: BlockingRun,
    /// The waits on threads of their own, one each.
    pub own_threads: BlockingRun,
}

/// What a task reports when it ends.
enum Event {
    WaitDone(Instant),
    Compute { started: Instant, ended: Instant },
}

/// Hands `waits` sleeps of `delay` and then `compute_tasks` items of `work`
/// to a rayon pool of `pool_threads`, and then again with each sleep on a
/// thread of its own.
///
/// # Errors
///
/// One line if the pool or a waiting thread cannot be started.
///
/// ```
/// use std::time::Duration;
/// use ps_lab::{Work, blocking};
///
/// let run = blocking::blocking(2, 8, Duration::from_millis(5), 2, Work::Compute { numbers: 10 })?;
/// assert!(run.on_pool.peak_waiting <= 2);
/// # Ok::<(), String>(())
/// ```
pub fn blocking(
    pool_threads: usize,
    waits: usize,
    delay: Duration,
    compute_tasks: usize,
    work: Work,
) -> Result<Blocking, String> {
    let pool = pool(pool_threads)?;
    let waiting = AtomicUsize::new(0);
    let peak = AtomicUsize::new(0);
    let wait = |done: mpsc::Sender<Event>| {
        let now = waiting.fetch_add(1, Ordering::SeqCst) + 1;
        peak.fetch_max(now, Ordering::SeqCst);
        thread::sleep(delay);
        waiting.fetch_sub(1, Ordering::SeqCst);
        let _ = done.send(Event::WaitDone(Instant::now()));
    };
    let compute = move |item: u64, done: mpsc::Sender<Event>| {
        let started = Instant::now();
        std::hint::black_box(work.run(item));
        let _ = done.send(Event::Compute {
            started,
            ended: Instant::now(),
        });
    };

    let on_pool = {
        let (done, events) = mpsc::channel();
        let start = Instant::now();
        // ANCHOR: waits_on_pool
        pool.in_place_scope_fifo(|pool_scope| {
            for _ in 0..waits {
                let done = done.clone();
                pool_scope.spawn_fifo(|_| wait(done));
            }
            for item in 0..compute_tasks as u64 {
                let done = done.clone();
                pool_scope.spawn_fifo(move |_| compute(item, done));
            }
        });
        // ANCHOR_END: waits_on_pool
        drop(done);
        summarise(start, &events, &peak)
    };

    peak.store(0, Ordering::SeqCst);
    let own_threads = thread::scope(|scope| -> Result<BlockingRun, String> {
        let (done, events) = mpsc::channel();
        let start = Instant::now();
        // ANCHOR: waits_on_own_threads
        for index in 0..waits {
            let done = done.clone();
            thread::Builder::new()
                .name(format!("wait-{index}"))
                .spawn_scoped(scope, || wait(done))
                .map_err(|error| format!("could not start waiting thread {index}: {error}"))?;
        }
        pool.in_place_scope_fifo(|pool_scope| {
            for item in 0..compute_tasks as u64 {
                let done = done.clone();
                pool_scope.spawn_fifo(move |_| compute(item, done));
            }
        });
        // ANCHOR_END: waits_on_own_threads
        drop(done);
        Ok(summarise(start, &events, &peak))
    })?;

    Ok(Blocking {
        pool_threads,
        waits,
        delay,
        compute_tasks,
        work,
        on_pool,
        own_threads,
    })
}

/// Drains the events (every sender is gone once every task has ended).
fn summarise(start: Instant, events: &mpsc::Receiver<Event>, peak: &AtomicUsize) -> BlockingRun {
    let mut run = BlockingRun {
        waits_done: Duration::ZERO,
        compute_started: Duration::MAX,
        compute_done: Duration::ZERO,
        peak_waiting: 0,
    };
    for event in events {
        match event {
            Event::WaitDone(at) => run.waits_done = run.waits_done.max(at - start),
            Event::Compute { started, ended } => {
                run.compute_started = run.compute_started.min(started - start);
                run.compute_done = run.compute_done.max(ended - start);
            }
        }
    }
    if run.compute_started == Duration::MAX {
        run.compute_started = Duration::ZERO;
    }
    run.peak_waiting = peak.load(Ordering::SeqCst);
    run
}
