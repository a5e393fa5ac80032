//! Grain-sized chunks claimed one at a time from an atomic counter.

use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};

use ps_strategy::sync::atomic::{AtomicUsize, Ordering};
use ps_strategy::{Chunks, Config, ConfigError, InOrder, Strategy, run_on_threads};

/// The grain [`Dynamic::with_threads`] uses: 1024 elements.
///
/// A claim is one atomic increment on a cache line every thread writes, some
/// tens of nanoseconds when contended. A chunk of 1024 cheap elements takes
/// around a microsecond, so claiming costs a few percent at most, while a
/// million-element input still yields about a thousand chunks to balance.
/// Workloads whose elements are expensive (an image row, a large number to
/// test) should pass a smaller grain.
pub const DEFAULT_GRAIN: usize = 1024;

/// Threads claim grain-sized chunks from a shared atomic counter until none
/// are left.
///
/// ```
/// use ps_strategy::Strategy;
/// use ps_threads::Dynamic;
///
/// let dynamic = Dynamic::new(4, 2)?;
/// assert_eq!(dynamic.chunks(7).count(), 4);
/// assert_eq!(dynamic.map(&[1, 2, 3], |x| x + 1), [2, 3, 4]);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dynamic {
    threads: NonZeroUsize,
    grain: NonZeroUsize,
}

impl Dynamic {
    /// Runs on `threads` threads, the calling one included, claiming `grain`
    /// elements at a time.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] or [`ConfigError::ZeroGrain`].
    pub fn new(threads: usize, grain: usize) -> Result<Self, ConfigError> {
        Ok(Dynamic::from_config(Config::new(threads, grain)?))
    }

    /// Runs on `threads` threads with the [`DEFAULT_GRAIN`].
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] if `threads` is 0.
    ///
    /// ```
    /// assert!(ps_threads::Dynamic::with_threads(0).is_err());
    /// ```
    pub fn with_threads(threads: usize) -> Result<Self, ConfigError> {
        Dynamic::new(threads, DEFAULT_GRAIN)
    }

    /// Takes the thread count and the grain from `config`.
    ///
    /// ```
    /// use ps_strategy::{Config, Strategy};
    /// use ps_threads::Dynamic;
    ///
    /// let dynamic = Dynamic::from_config(Config::new(2, 8)?);
    /// assert_eq!((dynamic.threads(), dynamic.grain()), (2, 8));
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    #[must_use]
    pub fn from_config(config: Config) -> Self {
        let nonzero = |n| NonZeroUsize::new(n).expect("Config guarantees values >= 1");
        Dynamic {
            threads: nonzero(config.threads()),
            grain: nonzero(config.grain()),
        }
    }

    /// The number of elements claimed at a time.
    #[must_use]
    pub fn grain(&self) -> usize {
        self.grain.get()
    }
}

impl Strategy for Dynamic {
    fn name(&self) -> &'static str {
        "threads-dynamic"
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
        let next = AtomicUsize::new(0);
        let workers = self.threads.get().min(count);
        let mut results = InOrder::new(count);
        // The calling thread is a worker too. Even if its share panics, the
        // others are joined — ended, not just finished — first; if the
        // operating system refuses a thread, no task runs at all.
        for done in run_on_threads(workers, |_| claim_until_done(&next, count, &task)) {
            results.extend(done);
        }
        results.into_vec()
    }
    // ANCHOR_END: run_tasks
}

// ANCHOR: claim_loop
/// The claim loop: take the next index, run it, repeat until the counter
/// passes `count`. Returns this worker's results tagged with their indices.
///
/// If a task panics, the counter is moved past the end before the panic goes
/// on, so the other workers stop claiming and the panic reaches the caller
/// without waiting for the rest of the input. (The panic is caught and
/// resumed, rather than handled in a guard's `drop` during the unwind, so
/// that the loom model checker can follow this path too.)
fn claim_until_done<R>(
    next: &AtomicUsize,
    count: usize,
    task: impl Fn(usize) -> R,
) -> Vec<(usize, R)> {
    let mut done = Vec::new();
    // Unwind safety: after a panic only the counter is touched, and the
    // panic is then resumed.
    let claimed = panic::catch_unwind(AssertUnwindSafe(|| {
        loop {
            // Relaxed: the counter only hands out indices. The results travel
            // back through `join`, which orders everything the worker wrote.
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                return;
            }
            done.push((index, task(index)));
        }
    }));
    if let Err(payload) = claimed {
        next.store(count, Ordering::Relaxed);
        panic::resume_unwind(payload);
    }
    done
}
// ANCHOR_END: claim_loop

#[cfg(all(test, loom))]
mod loom_tests;
