//! A work-stealing scheduler written from scratch: one Chase–Lev deque per
//! worker, an injector, halving splits, and workers that sleep.
//!
//! Rayon schedules by work stealing too (`ps-rayon` runs it); this crate
//! builds the same idea in a few hundred lines, on the deques rayon itself
//! builds on ([`crossbeam_deque`]), so that every decision can be read.
//!
//! # Why Chase–Lev deques
//!
//! The dynamic schedule of `ps-threads` hands out chunks from one atomic
//! counter: every claim, by every thread, writes the same cache line. A
//! Chase–Lev deque gives each worker a queue of its own instead. The owner
//! pushes and pops at one end without contention — a push is a write and a
//! release store, a pop a store, a fence and a load — and only
//! an idle worker, a *thief*, touches another's deque, taking from the other
//! end with a compare-and-swap. While everybody has work, nobody writes
//! anywhere another thread reads; coordination is paid by the idle.
//!
//! # Why split in halves
//!
//! The call's tasks `0..count` enter as *one* job, a range, through the
//! injector (the queue every worker can take from). A worker that holds a
//! range of more than one task splits it in half, pushes the right half on
//! its own deque and goes on with the left, until one task is left; it runs
//! that task, then pops its newest half, and so on. The deque therefore
//! holds halves of decreasing size, the largest at the end thieves take
//! from: one steal moves half of a busy worker's remaining work, so the work
//! spreads in `log2(threads)` rounds of steals, and a thief steals again
//! only when it has run out of a large piece. The owner pops its smallest,
//! most recent half and so runs its tasks roughly in index order.
//!
//! The cut itself never depends on timing: a task is one grain-sized chunk
//! from [`Strategy::chunks`], whoever runs it, so reductions stay
//! reproducible; splitting decides only who runs which chunk.
//!
//! # How termination is detected
//!
//! The number of tasks is known when the call starts, so a counter of tasks
//! not yet run says when the call is over — no quiescence protocol is
//! needed. To keep that counter off the hot path a worker reports the tasks
//! it ran not one by one but when it runs out of work of its own, before it
//! steals. The worker whose report brings the counter to zero wakes every
//! sleeper, and each of them, seeing zero, leaves. A panicking task sets a
//! stop flag instead; the other workers leave at their next task, and the
//! panic reaches the caller with its payload once every thread has ended.
//!
//! # How sleeping works, and why no wake-up is lost
//!
//! A worker that finds nothing to steal must not spin — on a machine with
//! other work, a spinning thread takes a core from a thread that has some —
//! so it sleeps on a condition variable. The danger is the *lost wake-up*: a
//! worker looks, finds nothing, and before it sleeps another pushes a job,
//! sees nobody asleep and wakes nobody; the job then waits for its pusher
//! while the sleeper could have run it. The protocol (`sleep.rs`) closes the
//! gap in two steps:
//!
//! 1. A worker about to sleep takes the sleep lock, *announces* itself by
//!    incrementing a counter of sleepers, and looks for work once more. A
//!    pusher, after pushing, reads that counter. A sequentially consistent
//!    fence on each side, between the write and the read, makes it
//!    impossible for both to miss the other: either the last look finds the
//!    job, or the pusher sees a sleeper.
//! 2. A pusher that sees a sleeper notifies under the same lock, and the
//!    sleeper holds that lock from its announcement until its wait releases
//!    it, so the notification cannot fall between its last look and its
//!    sleep. The end of the call is signalled the same way, to all.
//!
//! A pusher that sees no sleeper takes no lock: while every worker is busy,
//! a push costs a fence and a read. The protocol is checked under the loom
//! model checker (`RUSTFLAGS="--cfg loom"`): with either fence removed, loom
//! finds the interleaving in which both threads sleep for ever.
//!
//! # Threads started per call
//!
//! Each call starts its workers as scoped threads
//! ([`ps_strategy::run_on_threads`], the calling thread being worker 0) and
//! joins them before it returns, like `ps-threads`, rather than keeping a
//! pool. The trait's tasks borrow the caller's data, which scoped threads
//! allow without `unsafe` lifetime erasure; the deques, the counters and the
//! sleep lock belong to one call, so no state survives a panic or leaks into
//! the next call; and a refused thread is reported by the call, as
//! [`ps_strategy::SpawnRefused`], before any task ran. The price is a thread
//! start per worker per call, which a pool (rayon's) does not pay. Nested
//! calls each start their own threads, so, as with `ps-threads`, the thread
//! count multiplies with the depth; prefer parallelism at one level.
//!
//! ```
//! use ps_steal::WorkStealing;
//! use ps_strategy::Strategy;
//!
//! let stealing = WorkStealing::new(4, 64)?;
//! let input: Vec<u64> = (0..10_000).collect();
//! assert_eq!(stealing.map(&input, |&n| n * n)[9_999], 99_980_001);
//! # Ok::<(), ps_strategy::ConfigError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod sleep;
mod worker;

use std::num::NonZeroUsize;

use ps_strategy::{Chunks, Config, ConfigError, InOrder, Strategy, run_on_threads};

use worker::Shared;

/// The grain [`WorkStealing::with_threads`] uses: 1024 elements.
///
/// Every task costs a push, a pop and a fence on its worker's own deque,
/// some tens of nanoseconds, and a steal when it changes hands. A chunk of
/// 1024 cheap elements takes around a microsecond, so that overhead stays at
/// a few percent, while a million elements still make a thousand tasks to
/// share out.
///
/// ```
/// use ps_steal::{DEFAULT_GRAIN, WorkStealing};
/// use ps_strategy::Strategy;
///
/// let stealing = WorkStealing::with_threads(2)?;
/// assert_eq!(stealing.chunks(1_000_000).count(), 1_000_000_usize.div_ceil(DEFAULT_GRAIN));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
pub const DEFAULT_GRAIN: usize = 1024;

/// Workers with a deque each split ranges of grain-sized chunks in half and
/// steal the halves from each other.
///
/// ```
/// use ps_steal::WorkStealing;
/// use ps_strategy::Strategy;
///
/// let stealing = WorkStealing::new(3, 2)?;
/// assert_eq!((stealing.name(), stealing.threads()), ("work-stealing", 3));
/// assert_eq!(stealing.chunks(7).count(), 4);
/// assert_eq!(stealing.map(&[1, 2, 3], |x| x * 2), [2, 4, 6]);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkStealing {
    threads: NonZeroUsize,
    grain: NonZeroUsize,
}

impl WorkStealing {
    /// Runs on `threads` threads, the calling one included, with tasks of
    /// `grain` elements.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] or [`ConfigError::ZeroGrain`].
    ///
    /// ```
    /// use ps_steal::WorkStealing;
    ///
    /// assert!(WorkStealing::new(2, 0).is_err());
    /// assert_eq!(WorkStealing::new(2, 16)?.grain(), 16);
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    pub fn new(threads: usize, grain: usize) -> Result<Self, ConfigError> {
        Ok(WorkStealing::from_config(Config::new(threads, grain)?))
    }

    /// Runs on `threads` threads with the [`DEFAULT_GRAIN`].
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] if `threads` is 0.
    ///
    /// ```
    /// use ps_steal::{DEFAULT_GRAIN, WorkStealing};
    ///
    /// assert!(WorkStealing::with_threads(0).is_err());
    /// assert_eq!(WorkStealing::with_threads(2)?.grain(), DEFAULT_GRAIN);
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    pub fn with_threads(threads: usize) -> Result<Self, ConfigError> {
        WorkStealing::new(threads, DEFAULT_GRAIN)
    }

    /// Takes the thread count and the grain from `config`.
    ///
    /// ```
    /// use ps_steal::WorkStealing;
    /// use ps_strategy::{Config, Strategy};
    ///
    /// let stealing = WorkStealing::from_config(Config::new(2, 8)?);
    /// assert_eq!((stealing.threads(), stealing.grain()), (2, 8));
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    #[must_use]
    pub fn from_config(config: Config) -> Self {
        let nonzero = |n| NonZeroUsize::new(n).expect("Config guarantees values >= 1");
        WorkStealing {
            threads: nonzero(config.threads()),
            grain: nonzero(config.grain()),
        }
    }

    /// The number of elements in each task.
    ///
    /// ```
    /// assert_eq!(ps_steal::WorkStealing::new(1, 5)?.grain(), 5);
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    #[must_use]
    pub fn grain(&self) -> usize {
        self.grain.get()
    }
}

impl Strategy for WorkStealing {
    fn name(&self) -> &'static str {
        "work-stealing"
    }

    fn threads(&self) -> usize {
        self.threads.get()
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, self.grain.get())
    }

    // ANCHOR: run_tasks
    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        // A worker without a task to start from would only steal.
        let workers = self.threads.get().min(count);
        let shared = Shared::new(workers, count);
        let mut results = InOrder::new(count);
        // The calling thread is worker 0. If a task panics, every worker is
        // joined before the panic goes on; if the operating system refuses
        // a thread, no task runs at all.
        for done in run_on_threads(workers, |me| shared.work(me, &task)) {
            results.extend(done);
        }
        results.into_vec()
    }
    // ANCHOR_END: run_tasks
}
