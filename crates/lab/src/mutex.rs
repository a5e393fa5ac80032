//! A `Mutex` held across a parallel loop.
//!
//! Two ways it goes wrong, each next to its fix:
//!
//! - [`serialisation`]: every task takes the lock for the whole of its work,
//!   so however many threads the pool has, only one works at a time. The
//!   program counts how many tasks were inside their work at once.
//! - [`deadlock`]: the caller holds the lock while it waits for the pool, and
//!   the pool's tasks wait for the lock. Nobody can move. Here the tasks wait
//!   with `try_lock` and a cancellation flag instead of `lock`, so that a
//!   watchdog that sees no progress can report the deadlock and break it
//!   instead of hanging the program; with `lock` the same code waits forever.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::Work;
use crate::watchdog::watch;

/// Builds a rayon pool of `threads` threads, or says why not in one line.
pub(crate) fn pool(threads: usize) -> Result<ThreadPool, String> {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| format!("could not start {threads} pool threads: {error}"))
}

/// Runs of each version; the median is reported.
const REPEATS: usize = 3;

/// One run of a parallel loop whose tasks add into one shared total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockedRun {
    /// Wall time of the whole loop.
    pub wall: Duration,
    /// The most tasks that were doing their work at the same moment.
    pub peak_working: usize,
    /// The total the tasks added up.
    pub total: u64,
}

/// [`serialisation`]'s result: the same loop with the lock held across the
/// work, and with the lock taken only to add the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Serialisation {
    /// Threads in the pool.
    pub threads: usize,
    /// Items in the loop.
    pub items: usize,
    /// What each item does.
    pub work: Work,
    /// The lock held while each task works.
    pub lock_across_work: LockedRun,
    /// The work done first, the lock taken only to add its result.
    pub lock_to_add: LockedRun,
}

/// Counts the tasks inside their work and remembers the most at once.
#[derive(Debug, Default)]
struct Occupancy {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Occupancy {
    fn working<R>(&self, work: impl FnOnce() -> R) -> R {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let result = work();
        self.now.fetch_sub(1, Ordering::SeqCst);
        result
    }
}

/// Runs `items` items of `work` on a pool of `threads`, adding each result
/// into one `Mutex<u64>`, first with the lock held across the work, then
/// with the lock taken only to add.
///
/// # Errors
///
/// One line if the pool's threads cannot be started.
///
/// ```
/// use std::time::Duration;
/// use ps_lab::{Work, mutex};
///
/// let run = mutex::serialisation(2, 8, Work::Wait(Duration::from_millis(1)))?;
/// assert_eq!(run.lock_across_work.peak_working, 1);
/// assert_eq!(run.lock_across_work.total, run.lock_to_add.total);
/// # Ok::<(), String>(())
/// ```
pub fn serialisation(threads: usize, items: usize, work: Work) -> Result<Serialisation, String> {
    let pool = pool(threads)?;
    let measure_once = |add: &(dyn Fn(&Mutex<u64>, &Occupancy, u64) + Sync)| {
        let total = Mutex::new(0);
        let occupancy = Occupancy::default();
        let started = Instant::now();
        pool.install(|| {
            (0..items)
                .into_par_iter()
                .with_max_len(1)
                .for_each(|item| add(&total, &occupancy, item as u64));
        });
        LockedRun {
            wall: started.elapsed(),
            peak_working: occupancy.peak.load(Ordering::SeqCst),
            total: total
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        }
    };
    // The median of a few runs, so that the pool's first wake-up is not
    // charged to whichever version runs first.
    let measure = |add: &(dyn Fn(&Mutex<u64>, &Occupancy, u64) + Sync)| {
        let mut runs: Vec<LockedRun> = (0..REPEATS).map(|_| measure_once(add)).collect();
        runs.sort_by_key(|run| run.wall);
        runs[REPEATS / 2]
    };
    // ANCHOR: lock_across_work
    let lock_across_work = measure(&|total, occupancy, item| {
        let mut total = total.lock().unwrap();
        // Every other task now waits here, whatever the pool's size.
        *total += occupancy.working(|| work.run(item));
    });
    // ANCHOR_END: lock_across_work
    // ANCHOR: lock_to_add
    let lock_to_add = measure(&|total, occupancy, item| {
        let result = occupancy.working(|| work.run(item));
        *total.lock().unwrap() += result;
    });
    // ANCHOR_END: lock_to_add
    Ok(Serialisation {
        threads,
        items,
        work,
        lock_across_work,
        lock_to_add,
    })
}

/// How a loop that adds into a shared total ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every item was added.
    Finished {
        /// Items added.
        items_done: usize,
        /// Wall time.
        wall: Duration,
    },
    /// The watchdog saw no item finish for its whole stall window and
    /// cancelled the tasks.
    Deadlocked {
        /// Items added before the watchdog gave up.
        items_done: usize,
        /// The stall window that passed without progress.
        stalled_for: Duration,
    },
}

/// [`deadlock`]'s result: the loop called with the lock held, and the same
/// loop with the lock released first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlock {
    /// Threads in the pool.
    pub threads: usize,
    /// Items in the loop.
    pub items: usize,
    /// The caller holds the lock while the pool's tasks try to take it.
    pub lock_held_by_caller: Ending,
    /// The tasks return their values, and the caller takes the lock once.
    pub lock_taken_after: Ending,
}

/// How long a task sleeps between two `try_lock`s: short next to any stall
/// window, long enough not to burn a core while it waits.
const RETRY_EVERY: Duration = Duration::from_micros(200);

/// Runs the two versions of "the caller adds the pool's results into a total
/// it guards with a mutex". The first deadlocks; the watchdog reports it
/// once no item has finished for `stall`, and cancels the waiting tasks so
/// that the function returns.
///
/// # Errors
///
/// One line if the pool's threads cannot be started.
///
/// ```
/// use std::time::Duration;
/// use ps_lab::mutex::{self, Ending};
///
/// let run = mutex::deadlock(2, 10, Duration::from_millis(100))?;
/// assert!(matches!(run.lock_held_by_caller, Ending::Deadlocked { items_done: 0, .. }));
/// assert!(matches!(run.lock_taken_after, Ending::Finished { items_done: 10, .. }));
/// # Ok::<(), String>(())
/// ```
pub fn deadlock(threads: usize, items: usize, stall: Duration) -> Result<Deadlock, String> {
    let pool = pool(threads)?;
    let total = Mutex::new(0_u64);
    let done = AtomicUsize::new(0);
    let cancelled = AtomicBool::new(false);

    let started = Instant::now();
    let ((), stalled) = watch(&done, &cancelled, stall, || {
        // ANCHOR: lock_held_by_caller
        let _guard = total.lock().unwrap();
        // While the caller waits in `install`, it still holds the lock ...
        pool.install(|| {
            (0..items as u64).into_par_iter().for_each(|item| {
                // ... that every task needs. (`total.lock()` here would wait
                // forever; `lock_or_cancel` gives up when the watchdog says.)
                if let Some(mut total) = lock_or_cancel(&total, &cancelled) {
                    *total += item;
                    done.fetch_add(1, Ordering::SeqCst);
                }
            });
        });
        // ANCHOR_END: lock_held_by_caller
    });
    let items_done = done.load(Ordering::SeqCst);
    let lock_held_by_caller = match stalled {
        Some(stalled_for) => Ending::Deadlocked {
            items_done,
            stalled_for,
        },
        None => Ending::Finished {
            items_done,
            wall: started.elapsed(),
        },
    };

    let done = AtomicUsize::new(0);
    let started = Instant::now();
    // ANCHOR: lock_taken_after
    let sum: u64 = pool.install(|| {
        (0..items as u64)
            .into_par_iter()
            .inspect(|_| {
                done.fetch_add(1, Ordering::SeqCst);
            })
            .sum()
    });
    *total.lock().unwrap() += sum;
    // ANCHOR_END: lock_taken_after
    let lock_taken_after = Ending::Finished {
        items_done: done.load(Ordering::SeqCst),
        wall: started.elapsed(),
    };

    Ok(Deadlock {
        threads,
        items,
        lock_held_by_caller,
        lock_taken_after,
    })
}

/// Takes the lock, or returns `None` once `cancelled` is set.
fn lock_or_cancel<'a, T>(
    mutex: &'a Mutex<T>,
    cancelled: &AtomicBool,
) -> Option<std::sync::MutexGuard<'a, T>> {
    loop {
        match mutex.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(poison)) => return Some(poison.into_inner()),
            Err(TryLockError::WouldBlock) if cancelled.load(Ordering::SeqCst) => return None,
            Err(TryLockError::WouldBlock) => thread::sleep(RETRY_EVERY),
        }
    }
}
