//! Oversubscription: more computing threads than cores.
//!
//! Nesting is how it happens by accident. A parallel loop calls a function
//! that is itself parallel; if each level starts its own threads, the
//! counts multiply: `outer × inner` threads share the cores, and they pay
//! for their starts, their switches and their caches evicting each other,
//! while no more work gets done per second. One pool that both levels share
//! (rayon's nested `par_iter` in one pool) keeps the count at the pool's size
//! however deep the nesting goes.
//!
//! [`Sizing`] says what this process may use: the cores
//! [`std::thread::available_parallelism`] reports (which on Linux already
//! takes the affinity mask and a cgroup v2 CPU quota into account), the
//! processors online, and the quota itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use rayon::ThreadPoolBuilder;
use rayon::prelude::*;

use crate::Work;
use crate::system::{CpuQuota, ThreadPeak, online_cpus};

/// How many threads this process should compute with, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizing {
    /// [`std::thread::available_parallelism`], or 1 if it fails.
    pub available_parallelism: usize,
    /// Processors the kernel has online, whatever this process may use.
    pub online_cpus: Option<usize>,
    /// The control group's CPU quota.
    pub cpu_quota: CpuQuota,
    /// `RAYON_NUM_THREADS`, which overrides rayon's default pool size.
    pub rayon_num_threads: Option<String>,
}

impl Sizing {
    /// Reads them all.
    #[must_use]
    pub fn detect() -> Self {
        Sizing {
            available_parallelism: ps_strategy::available_threads(),
            online_cpus: online_cpus(),
            cpu_quota: CpuQuota::read(),
            rayon_num_threads: std::env::var("RAYON_NUM_THREADS").ok(),
        }
    }
}

/// How the two levels of a nested parallel loop get their threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One rayon pool of `threads`; the inner loop is a nested `par_iter` in
    /// the same pool.
    OnePool {
        /// The pool's size.
        threads: usize,
    },
    /// Each level starts its own scoped threads: `outer` threads, and for
    /// every outer item `inner` more.
    ThreadsPerLevel {
        /// Threads of the outer loop.
        outer: usize,
        /// Threads each outer item starts for its inner loop.
        inner: usize,
    },
    /// An outer rayon pool of `outer`; every outer item builds a pool of
    /// `inner` for its inner loop, as a library that makes its own pool per
    /// call would.
    PoolPerCall {
        /// The outer pool's size.
        outer: usize,
        /// The size of each inner pool.
        inner: usize,
    },
}

impl Layout {
    /// The number of threads this layout starts for `outer_items` outer
    /// items: what [`NestedRun::threads_started`] must count.
    ///
    /// ```
    /// use ps_lab::oversubscription::Layout;
    ///
    /// assert_eq!(Layout::OnePool { threads: 2 }.threads_to_start(8), 2);
    /// assert_eq!(Layout::ThreadsPerLevel { outer: 2, inner: 2 }.threads_to_start(8), 2 + 8 * 2);
    /// ```
    #[must_use]
    pub fn threads_to_start(self, outer_items: usize) -> usize {
        match self {
            Layout::OnePool { threads } => threads,
            Layout::ThreadsPerLevel { outer, inner } | Layout::PoolPerCall { outer, inner } => {
                outer + outer_items * inner
            }
        }
    }

    /// The most computing threads alive at once if every level is busy.
    #[must_use]
    pub fn threads_at_once(self) -> usize {
        match self {
            Layout::OnePool { threads } => threads,
            Layout::ThreadsPerLevel { outer, inner } | Layout::PoolPerCall { outer, inner } => {
                outer * inner
            }
        }
    }

    /// One phrase for a table.
    #[must_use]
    pub fn describe(self) -> String {
        match self {
            Layout::OnePool { threads } => {
                format!("one rayon pool of {threads}, nested par_iter")
            }
            Layout::ThreadsPerLevel { outer, inner } => {
                format!("{outer} scoped threads × {inner} scoped threads each")
            }
            Layout::PoolPerCall { outer, inner } => {
                format!("rayon pool of {outer} × a new pool of {inner} per call")
            }
        }
    }
}

/// One layout's run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NestedRun {
    /// How the threads were arranged.
    pub layout: Layout,
    /// Threads started, counted as each one began.
    pub threads_started: usize,
    /// The most OS threads of the process seen at once (less the main
    /// thread and the counter's own), if `/proc` could be read.
    pub peak_os_threads: Option<usize>,
    /// Wall time.
    pub wall: Duration,
    /// The checked result.
    pub total: u64,
}

/// Runs `outer_items × inner_items` items of `work` as a nested loop, once
/// per layout.
///
/// # Errors
///
/// One line if a pool or a thread cannot be started.
///
/// ```
/// use ps_lab::{Work, oversubscription::{Layout, nested}};
///
/// let layouts = [Layout::OnePool { threads: 2 }, Layout::ThreadsPerLevel { outer: 2, inner: 2 }];
/// let runs = nested(&layouts, 4, 4, Work::Compute { numbers: 10 })?;
/// assert_eq!(runs[0].threads_started, 2);
/// assert_eq!(runs[1].threads_started, 2 + 4 * 2);
/// assert_eq!(runs[0].total, runs[1].total);
/// # Ok::<(), String>(())
/// ```
pub fn nested(
    layouts: &[Layout],
    outer_items: usize,
    inner_items: usize,
    work: Work,
) -> Result<Vec<NestedRun>, String> {
    layouts
        .iter()
        .map(|&layout| run_layout(layout, outer_items, inner_items, work))
        .collect()
}

fn run_layout(
    layout: Layout,
    outer_items: usize,
    inner_items: usize,
    work: Work,
) -> Result<NestedRun, String> {
    let started_threads = Arc::new(AtomicUsize::new(0));
    let item = move |outer: usize, inner: usize| work.run((outer * inner_items + inner) as u64);
    let watcher = ThreadPeak::start();
    let started = Instant::now();
    let total = match layout {
        Layout::OnePool { threads } => {
            let pool = counted_pool(threads, &started_threads)?;
            // ANCHOR: one_pool
            pool.install(|| {
                (0..outer_items)
                    .into_par_iter()
                    .map(|outer| {
                        (0..inner_items)
                            .into_par_iter()
                            .map(|inner| item(outer, inner))
                            .sum::<u64>()
                    })
                    .sum()
            })
            // ANCHOR_END: one_pool
        }
        Layout::ThreadsPerLevel { outer, inner } => {
            let counter = &started_threads;
            split(outer, outer_items, counter, &|outer_item| {
                split(inner, inner_items, counter, &|inner_item| {
                    Ok(item(outer_item, inner_item))
                })
            })?
        }
        Layout::PoolPerCall { outer, inner } => {
            let outer_pool = counted_pool(outer, &started_threads)?;
            outer_pool.install(|| {
                (0..outer_items)
                    .into_par_iter()
                    .map(|outer_item| {
                        let inner_pool = counted_pool(inner, &started_threads)?;
                        Ok(inner_pool.install(|| {
                            (0..inner_items)
                                .into_par_iter()
                                .map(|inner_item| item(outer_item, inner_item))
                                .sum::<u64>()
                        }))
                    })
                    .sum::<Result<u64, String>>()
            })?
        }
    };
    let wall = started.elapsed();
    // The main thread is not a computing thread.
    let peak_os_threads = watcher.stop().map(|peak| peak.saturating_sub(1));
    Ok(NestedRun {
        layout,
        threads_started: started_threads.load(Ordering::SeqCst),
        peak_os_threads,
        wall,
        total,
    })
}

/// A rayon pool that counts its threads as they start, returned once every
/// one of them has: rayon starts them in the background, so a call whose
/// work ends first would otherwise read a count that some start handlers
/// have not reached yet (a doc test with tiny work read 1 of 2).
fn counted_pool(threads: usize, counter: &Arc<AtomicUsize>) -> Result<rayon::ThreadPool, String> {
    let own = Arc::new(AtomicUsize::new(0));
    let pool = {
        let (own, counter) = (Arc::clone(&own), Arc::clone(counter));
        ThreadPoolBuilder::new()
            .num_threads(threads)
            .start_handler(move |_| {
                own.fetch_add(1, Ordering::SeqCst);
                counter.fetch_add(1, Ordering::SeqCst);
            })
            .build()
            .map_err(|error| format!("could not start {threads} pool threads: {error}"))?
    };
    // Each thread the builder started runs its handler first thing, so this
    // ends as soon as the last of them is up.
    while own.load(Ordering::SeqCst) < threads {
        std::thread::yield_now();
    }
    Ok(pool)
}

// ANCHOR: split
/// Runs `each(0..items)` on `threads` scoped threads started for this call,
/// one contiguous block each, and sums the results.
fn split(
    threads: usize,
    items: usize,
    started: &AtomicUsize,
    each: &(dyn Fn(usize) -> Result<u64, String> + Sync),
) -> Result<u64, String> {
    let block = items.div_ceil(threads.max(1));
    thread::scope(|scope| {
        let mut handles = Vec::with_capacity(threads);
        for first in (0..threads).map(|t| t * block) {
            let handle = thread::Builder::new()
                .spawn_scoped(scope, move || {
                    started.fetch_add(1, Ordering::SeqCst);
                    (first..(first + block).min(items)).try_fold(0, |sum, i| Ok(sum + each(i)?))
                })
                .map_err(|error| format!("could not start a thread: {error}"))?;
            handles.push(handle);
        }
        ps_strategy::join_in_order(handles).into_iter().sum()
    })
}
// ANCHOR_END: split
