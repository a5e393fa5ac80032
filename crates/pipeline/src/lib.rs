//! A channel pipeline: a feeder, a pool of workers and an ordered collector,
//! joined by bounded [`std::sync::mpsc::sync_channel`]s.
//!
//! ```text
//!  feeder ──jobs──▶ worker ┐
//!         (bounded) worker ├──results──▶ collector (the calling thread)
//!                   worker ┘ (bounded)    puts them back in input order
//! ```
//!
//! This is the shape of most real data-processing programs: one stage
//! produces work, several consume it, one gathers the results. Its strength
//! is that the stages are decoupled — a worker needs nothing but its
//! receiver — and that the bounded channel gives *backpressure*: when the
//! workers fall behind, the feeder blocks instead of queueing the whole input,
//! so at most `capacity` chunks wait in the channel at any time.
//!
//! Its cost is the highest per unit of work of all the strategies here: each
//! chunk is a message in and a message out, each a lock and possibly a
//! thread wake-up (around a microsecond or more). That is why the pipeline
//! sends chunks of `grain` elements, never single items, and why its
//! [`DEFAULT_GRAIN`] is the largest. Results come back in completion order;
//! the collector restores input order with [`ps_strategy::InOrder`].
//!
//! A worker that panics stops the feeder and drains the job channel on its
//! way out, so neither the feeder (blocked on a full channel) nor the
//! collector (waiting for a result that will never come) is left waiting; the
//! panic then reaches the caller with its original payload.
//!
//! The channels, the mutex and the stop flag come from
//! [`ps_strategy::sync`], which is `std::sync` in a normal build and the loom
//! model checker's types under `RUSTFLAGS="--cfg loom"`; the crate's loom
//! tests check the feeder, workers and collector there, shutdown included.
//!
//! # Nesting
//!
//! A call starts `threads` workers and a feeder, and the calling thread
//! collects; nested calls multiply that: a pipeline of `t1` workers whose
//! every task runs a pipeline of `t2` has up to `t1 + 1 + t1 × (t2 + 1)`
//! threads beyond the caller (the nesting tests in `ps-catalog` measure it).
//! Nothing deadlocks, because each call's channels and threads are its own,
//! but a worker busy in an inner call takes no job from the outer channel
//! meanwhile, so the outer feeder may wait on a full channel.
//!
//! # Refused threads
//!
//! The workers start first and the feeder last, with
//! [`std::thread::Builder::spawn_scoped`]. Until the feeder runs no job
//! exists, so if the operating system refuses any thread, the unsent job
//! channel is closed, the started workers end without a task and are joined,
//! and the call raises [`ps_strategy::SpawnRefused`].
//!
//! # One strategy, and the machinery of its workers
//!
//! This crate is the strategy and nothing else; a chain of several stages,
//! each with its own workers, with per-stage statistics that name the
//! bottleneck, is the `ps-stages` crate. The two share one piece, the
//! [`worker`] module: receiving from a channel several workers share, and
//! shutting down cleanly when a worker panics. It lives here, public, and
//! `ps-stages` depends on this crate for it — not the other way round — so
//! that the strategy stays a crate of its own that can be read, and copied,
//! without the framework, and so that the crate's loom tests, which check the
//! drain-on-panic path, check the one copy of it that both run.
//!
//! ```
//! use ps_pipeline::Pipeline;
//! use ps_strategy::Strategy;
//!
//! let pipeline = Pipeline::new(3, 100)?.with_capacity(4)?;
//! let input: Vec<u32> = (0..1000).collect();
//! let doubled = pipeline.map(&input, |&x| 2 * x);
//! assert_eq!(doubled[999], 1998);
//! # Ok::<(), ps_strategy::ConfigError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::num::NonZeroUsize;
use std::thread;

use ps_strategy::sync::Mutex;
use ps_strategy::sync::atomic::{AtomicBool, Ordering};
use ps_strategy::sync::mpsc::{Receiver, SyncSender, sync_channel};

pub mod worker;

use worker::receive;

use ps_strategy::{Chunks, Config, ConfigError, InOrder, Strategy, join_in_order};

/// The grain [`Pipeline::with_threads`] uses: 4096 elements.
///
/// Every chunk costs two channel messages, each a lock and often a thread
/// wake-up — a microsecond or more. At 4096 cheap elements per chunk (a few
/// microseconds of work) that cost stays small, and a million-element input
/// still makes a few hundred messages to spread over the workers.
pub const DEFAULT_GRAIN: usize = 4096;

/// The default channel capacity, in chunks per worker: 2.
///
/// One chunk per worker keeps every worker fed while the feeder refills; a
/// second absorbs jitter. More buys nothing but memory.
pub const DEFAULT_CAPACITY_PER_WORKER: usize = 2;

/// A feeder, `threads` workers and an ordered collector joined by bounded
/// channels.
///
/// ```
/// use ps_pipeline::Pipeline;
/// use ps_strategy::Strategy;
///
/// let pipeline = Pipeline::with_threads(2)?;
/// assert_eq!(pipeline.capacity(), 4);
/// let total = pipeline.map_reduce(&[1, 2, 3], || 0, |acc, &x| acc + x, |a, b| a + b);
/// assert_eq!(total, 6);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pipeline {
    threads: NonZeroUsize,
    grain: NonZeroUsize,
    capacity: NonZeroUsize,
}

impl Pipeline {
    /// `threads` workers handling `grain` elements per message, with the
    /// default capacity of [`DEFAULT_CAPACITY_PER_WORKER`] chunks per worker.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] or [`ConfigError::ZeroGrain`].
    pub fn new(threads: usize, grain: usize) -> Result<Self, ConfigError> {
        Ok(Pipeline::from_config(Config::new(threads, grain)?))
    }

    /// `threads` workers with the [`DEFAULT_GRAIN`].
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] if `threads` is 0.
    pub fn with_threads(threads: usize) -> Result<Self, ConfigError> {
        Pipeline::new(threads, DEFAULT_GRAIN)
    }

    /// Takes the worker count and the grain from `config`.
    ///
    /// ```
    /// use ps_pipeline::Pipeline;
    /// use ps_strategy::Config;
    ///
    /// let pipeline = Pipeline::from_config(Config::new(3, 64)?);
    /// assert_eq!((pipeline.grain(), pipeline.capacity()), (64, 6));
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    #[must_use]
    pub fn from_config(config: Config) -> Self {
        let nonzero = |n| NonZeroUsize::new(n).expect("Config guarantees values >= 1");
        Pipeline {
            threads: nonzero(config.threads()),
            grain: nonzero(config.grain()),
            capacity: nonzero(config.threads().saturating_mul(DEFAULT_CAPACITY_PER_WORKER)),
        }
    }

    /// Sets how many chunks may wait in each channel: the bound on work in
    /// flight, and so on memory when the workers are slower than the feeder.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroCapacity`] if `capacity` is 0. (A zero-capacity
    /// `sync_channel` is a rendezvous channel, which would make the feeder
    /// wait for a worker on every chunk.)
    ///
    /// ```
    /// let pipeline = ps_pipeline::Pipeline::with_threads(2)?.with_capacity(1)?;
    /// assert_eq!(pipeline.capacity(), 1);
    /// assert!(pipeline.with_capacity(0).is_err());
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    pub fn with_capacity(self, capacity: usize) -> Result<Self, ConfigError> {
        Ok(Pipeline {
            capacity: NonZeroUsize::new(capacity).ok_or(ConfigError::ZeroCapacity)?,
            ..self
        })
    }

    /// The number of elements sent per message.
    #[must_use]
    pub fn grain(&self) -> usize {
        self.grain.get()
    }

    /// The number of chunks each channel holds before its sender blocks.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity.get()
    }
}

impl Strategy for Pipeline {
    fn name(&self) -> &'static str {
        "pipeline"
    }

    fn threads(&self) -> usize {
        self.threads.get()
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, self.grain.get())
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        self.run_tasks_observed(count, task, |_| {})
    }
}

impl Pipeline {
    /// `run_tasks`, with `before_send(index)` called by the feeder just before
    /// it sends each index (the tests count work in flight with it; the
    /// strategy passes a closure that does nothing, which compiles away).
    fn run_tasks_observed<R, F, O>(&self, count: usize, task: F, before_send: O) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
        O: Fn(usize) + Sync,
    {
        if count == 0 {
            return Vec::new();
        }
        // A bounded channel allocates all its slots up front, and neither
        // channel can ever hold more than `count` messages: a capacity of
        // `usize::MAX` (meaning "unbounded") must not allocate that much.
        let capacity = self.capacity.get().min(count);
        let (job_sender, jobs) = sync_channel::<usize>(capacity);
        let (result_sender, results) = sync_channel::<(usize, R)>(capacity);
        let jobs = Mutex::new(jobs);
        let stop = AtomicBool::new(false);
        let workers = self.threads.get().min(count);

        // The feeder and the workers, reserved up front (see
        // `ps_strategy::spawn::ThreadReservation`).
        let reservation =
            ps_strategy::spawn::ThreadReservation::new(workers + 1).unwrap_or_else(|r| r.raise());
        let outcome = thread::scope(|scope| {
            // The workers start first and the feeder last: a worker can do
            // nothing before the feeder sends, so if the operating system
            // refuses any thread, no task has run — the job sender is
            // dropped unsent, which ends every started worker's loop.
            let mut started = Vec::with_capacity(workers);
            let mut refusal = None;
            for _ in 0..workers {
                let results = result_sender.clone();
                let worker = thread::Builder::new()
                    .spawn_scoped(scope, || work(&jobs, results, &stop, &task));
                match worker {
                    Ok(handle) => started.push(handle),
                    Err(error) => {
                        refusal = Some(reservation.refused(started.len(), &error));
                        break;
                    }
                }
            }
            // The collector's loop ends when the last worker drops its sender.
            drop(result_sender);
            let feeder = match refusal {
                Some(refused) => {
                    drop(job_sender);
                    Err(refused)
                }
                None => thread::Builder::new()
                    .spawn_scoped(scope, || feed(job_sender, count, &stop, &before_send))
                    .map_err(|error| reservation.refused(started.len(), &error)),
            };
            let feeder = match feeder {
                Ok(feeder) => feeder,
                Err(refused) => {
                    // The job sender is gone (dropped unsent, with the
                    // feeder's closure if that was refused): every started
                    // worker ends without a task.
                    join_in_order(started);
                    return Err(refused);
                }
            };
            let in_order = collect(&results, count);
            // Every thread, the feeder included, is joined before a worker's
            // panic goes on to the caller.
            join_in_order(started.into_iter().chain([feeder]));
            Ok(in_order)
        });
        drop(reservation);
        match outcome {
            Ok(in_order) => in_order.into_vec(),
            Err(refused) => refused.raise(),
        }
    }
}

// ANCHOR: stages
/// The feeder: sends every task index, blocking while the channel is full,
/// until the workers have all the work or one of them asks it to stop.
/// `before_send` sees each index just before it is sent.
fn feed(jobs: SyncSender<usize>, count: usize, stop: &AtomicBool, before_send: &impl Fn(usize)) {
    for index in 0..count {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        before_send(index);
        if jobs.send(index).is_err() {
            break;
        }
    }
    // Closing the channel is what ends the workers' receive loops.
    drop(jobs);
}

/// A worker: receives task indices until the channel is closed, runs each
/// one and sends its result to the collector.
///
/// If a task panics, the worker tells the feeder to stop and drains the job
/// channel before the panic goes on, so a feeder blocked on a full channel
/// wakes up, sees the flag and exits — closing the channel, which ends the
/// drain and the other workers' loops. The panic is caught for that and then
/// resumed with its payload, rather than handled by a guard's `drop` during
/// the unwind: the unblocking then runs as ordinary code, which is also what
/// lets the loom model checker (which cannot follow an unwind that blocks)
/// check it.
fn work<R, F>(
    jobs: &Mutex<Receiver<usize>>,
    results: SyncSender<(usize, R)>,
    stop: &AtomicBool,
    task: &F,
) where
    F: Fn(usize) -> R,
{
    // The collector's loop ends once every worker has closed its sender,
    // which `drain_on_panic` does last, after a panic too.
    worker::drain_on_panic(jobs, results, stop, |results| {
        serve(jobs, results, stop, task);
    });
}

/// The worker's loop: receive, run, send, until the channel is closed or the
/// feeder has been told to stop.
fn serve<R, F>(
    jobs: &Mutex<Receiver<usize>>,
    results: &SyncSender<(usize, R)>,
    stop: &AtomicBool,
    task: &F,
) where
    F: Fn(usize) -> R,
{
    // The lock is held only to receive, never while a task runs, so a panic
    // cannot poison it; the guard in `receive` is dropped before `task` runs.
    while let Some(index) = receive(jobs) {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let result = task(index);
        if results.send((index, result)).is_err() {
            break;
        }
    }
}

// ANCHOR_END: stages
// ANCHOR: collect
/// The collector: puts results back in input order as they arrive, until
/// every worker has closed its sender.
fn collect<R>(results: &Receiver<(usize, R)>, count: usize) -> InOrder<R> {
    let mut in_order = InOrder::new(count);
    while let Ok((index, result)) = results.recv() {
        in_order.insert(index, result);
    }
    in_order
}
// ANCHOR_END: collect

#[cfg(all(test, not(loom)))]
mod tests;

#[cfg(all(test, loom))]
mod loom_tests;
