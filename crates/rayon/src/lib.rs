//! A rayon strategy on its own thread pool.
//!
//! Rayon splits work recursively and lets idle threads *steal* the other
//! half of a busy thread's split. Balance comes for free, without a shared
//! counter every thread writes to: a steal touches only the victim's deque,
//! and an uncontended split costs little more than a function call. That
//! makes rayon the strategy to beat on uneven work (Mandelbrot rows, prime
//! tests), and the easiest to get right.
//!
//! Two decisions shape this crate:
//!
//! - **Its own pool.** Each [`RayonPool`] builds a [`rayon::ThreadPool`] with
//!   exactly the configured number of threads and runs every call inside it
//!   with [`ThreadPool::install`](rayon::ThreadPool::install). Using the
//!   global pool would silently ignore the thread count and make scaling
//!   measurements meaningless. The pool is built once, in the constructor:
//!   its threads then wait, asleep, between calls, so unlike the scoped-thread
//!   strategies a call pays no thread start-up.
//! - **Fixed chunks.** Work is handed to rayon as grain-sized chunks (one
//!   task per chunk), rather than letting rayon's adaptive splitting choose
//!   the boundaries. The chunks are then the same on every run, which is what
//!   keeps floating-point reductions reproducible to the bit.
//!
//! # Nesting
//!
//! - **The same pool inside its own task** starts no thread: `install` on the
//!   pool a thread already belongs to runs directly, the inner tasks go on
//!   that thread's deque, and while it waits for them it steals other work —
//!   possibly another outer task, which then runs on top of the waiting one's
//!   stack. The thread count never grows; the stack can.
//! - **Another pool inside a task** starts no thread either (both pools were
//!   started when built), but the outer task cannot go on until the other
//!   pool has finished the inner call. Rayon keeps the waiting thread busy
//!   with its own pool's work meanwhile (see rayon's
//!   [`ThreadPool::install`](rayon::ThreadPool::install)); the inner calls of
//!   all outer tasks share the other pool's threads.
//! - **Inside a scoped thread** (the `ps-threads` strategies, the pipeline's
//!   workers), `install` blocks that thread until the pool is done: `t1` such
//!   threads may all wait on one pool.
//!
//! The nesting tests in `ps-catalog` measure the threads alive for every
//! pairing.
//!
//! # Refused threads
//!
//! The pool starts its threads in [`RayonPool::from_config`], so a refusal is
//! a [`ConfigError::ThreadStart`] from the constructor, never a failure of a
//! call. The pool spawns its threads itself and keeps their handles, so a
//! pool that fails to start — or is dropped — waits until every thread it
//! started has ended.
//!
//! Never block inside a rayon task (sleep, wait on I/O or a lock): the pool
//! has one thread per core by design, and a blocked thread is a lost core.
//! The `latency` workload shows the cost.
//!
//! ```
//! use ps_rayon::RayonPool;
//! use ps_strategy::Strategy;
//!
//! let rayon = RayonPool::new(2, 512)?;
//! let input: Vec<u64> = (1..=100).collect();
//! let sum = rayon.map_reduce(&input, || 0, |acc, &x| acc + x, |a, b| a + b);
//! assert_eq!(sum, 5050);
//! # Ok::<(), ps_strategy::ConfigError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::io;
use std::thread::{self, JoinHandle};

use rayon::iter::{IntoParallelIterator, ParallelIterator};
use rayon::{ThreadPool, ThreadPoolBuilder};

use ps_strategy::spawn::{Refusal, ThreadReservation};
use ps_strategy::{Chunks, Config, ConfigError, SpawnRefused, Strategy};

/// The grain [`RayonPool::with_threads`] uses: 1024 elements.
///
/// A rayon task costs around a hundred nanoseconds to split and possibly
/// steal; a chunk of 1024 cheap elements takes about a microsecond, so the
/// overhead stays near 10% at worst and a million elements still make a
/// thousand chunks to balance.
pub const DEFAULT_GRAIN: usize = 1024;

/// Runs tasks on a rayon pool of its own, one task per grain-sized chunk.
///
/// ```
/// use ps_rayon::RayonPool;
/// use ps_strategy::Strategy;
///
/// let rayon = RayonPool::with_threads(3)?;
/// assert_eq!((rayon.name(), rayon.threads(), rayon.grain()), ("rayon", 3, 1024));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug)]
pub struct RayonPool {
    // Declared before `workers`, so dropped first: dropping the pool tells
    // its threads to stop, and dropping `_workers` then waits for them.
    pool: ThreadPool,
    _workers: Workers,
    grain: usize,
}

impl RayonPool {
    /// A pool of `threads` threads handling `grain` elements per task.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] or [`ConfigError::ZeroGrain`], or
    /// [`ConfigError::ThreadStart`] if the operating system refuses the
    /// threads.
    pub fn new(threads: usize, grain: usize) -> Result<Self, ConfigError> {
        RayonPool::from_config(Config::new(threads, grain)?)
    }

    /// A pool of `threads` threads with the [`DEFAULT_GRAIN`].
    ///
    /// # Errors
    ///
    /// As [`RayonPool::new`].
    pub fn with_threads(threads: usize) -> Result<Self, ConfigError> {
        RayonPool::new(threads, DEFAULT_GRAIN)
    }

    /// A pool with the thread count and grain of `config`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ThreadStart`] if the operating system refuses the
    /// threads; those that had started have ended by then.
    ///
    /// ```
    /// use ps_rayon::RayonPool;
    /// use ps_strategy::{Config, Strategy};
    ///
    /// let rayon = RayonPool::from_config(Config::new(2, 64)?)?;
    /// assert_eq!(rayon.chunks(200).count(), 4);
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    pub fn from_config(config: Config) -> Result<Self, ConfigError> {
        let reservation =
            ThreadReservation::new(config.threads()).map_err(ConfigError::ThreadStart)?;
        let mut handles = Vec::with_capacity(config.threads());
        let mut refused = None;
        // ANCHOR: pool
        let pool = ThreadPoolBuilder::new()
            .num_threads(config.threads())
            // Rayon's default spawner detaches its threads; this one keeps
            // their handles, so that a pool that fails to start — or is
            // dropped — can wait until every thread it started has ended.
            .spawn_handler(|thread| {
                let spawned = thread::Builder::new()
                    .name(format!("ps-rayon-{}", thread.index()))
                    .spawn(|| thread.run());
                match spawned {
                    Ok(handle) => {
                        handles.push(handle);
                        Ok(())
                    }
                    Err(error) => {
                        refused = Some(reservation.refused(handles.len(), &error));
                        Err(error)
                    }
                }
            })
            .build();
        // ANCHOR_END: pool
        let workers = Workers {
            handles,
            _reservation: reservation,
        };
        match pool {
            Ok(pool) => Ok(RayonPool {
                pool,
                _workers: workers,
                grain: config.grain(),
            }),
            Err(error) => {
                // Rayon has told the started threads to stop; dropping
                // `workers` waits until they have.
                let started = workers.handles.len();
                drop(workers);
                Err(ConfigError::ThreadStart(refused.unwrap_or_else(|| {
                    SpawnRefused::new(
                        config.threads(),
                        started,
                        Refusal::Os {
                            kind: io::ErrorKind::Other,
                            message: error.to_string(),
                        },
                    )
                })))
            }
        }
    }

    /// The number of elements in one rayon task.
    #[must_use]
    pub fn grain(&self) -> usize {
        self.grain
    }

    /// The rayon pool this strategy runs on, for rayon code of your own that
    /// should share its threads rather than start the global pool's.
    ///
    /// ```
    /// use rayon::prelude::*;
    /// use ps_rayon::RayonPool;
    ///
    /// let strategy = RayonPool::new(2, 64)?;
    /// let pool = strategy.thread_pool();
    /// assert_eq!(pool.current_num_threads(), 2);
    /// let sum: u64 = pool.install(|| (1..=100_u64).into_par_iter().sum());
    /// assert_eq!(sum, 5050);
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    #[must_use]
    pub fn thread_pool(&self) -> &ThreadPool {
        &self.pool
    }
}

impl Strategy for RayonPool {
    fn name(&self) -> &'static str {
        "rayon"
    }

    fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, self.grain)
    }

    // ANCHOR: run_tasks
    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        // An indexed parallel iterator collects in index order, and a panic
        // in any task is re-raised here after the others have stopped.
        self.pool
            .install(|| (0..count).into_par_iter().map(&task).collect())
    }
    // ANCHOR_END: run_tasks
}

/// The pool's threads, joined when dropped (after the pool, which tells them
/// to stop), and their reservation, released after that.
#[derive(Debug)]
struct Workers {
    handles: Vec<JoinHandle<()>>,
    _reservation: ThreadReservation,
}

impl Drop for Workers {
    fn drop(&mut self) {
        let current = thread::current().id();
        for handle in self.handles.drain(..) {
            // A pool dropped by one of its own tasks cannot wait for the
            // thread running that task; that one thread is left to end on
            // its own.
            if handle.thread().id() != current {
                // A rayon thread catches its tasks' panics, so joining
                // fails only if rayon itself panicked; the pool is going
                // away and has nothing left to report it to.
                let _ = handle.join();
            }
        }
    }
}
