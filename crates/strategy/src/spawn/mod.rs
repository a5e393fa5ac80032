//! Starting threads that the operating system may refuse.
//!
//! Two failures are possible when a call asks for many threads, and only one
//! of them can be handled once it happens:
//!
//! - **Thread creation fails** (`EAGAIN`): the process or user thread limit
//!   (`RLIMIT_NPROC`, `kernel.threads-max`, `kernel.pid_max`) is reached, or
//!   the new thread's stack cannot be mapped (`RLIMIT_AS`, or the memory map
//!   limit hit by the stack itself). [`std::thread::Builder::spawn_scoped`]
//!   returns the error; the caller can stop, join what it started and
//!   report.
//! - **A thread that did start cannot finish starting.** Rust's runtime maps
//!   a small signal stack with a guard page at the start of every new thread
//!   (to report stack overflows). If that mapping fails, the runtime panics
//!   before the new thread can unwind, and the *process aborts*. Each thread
//!   costs four memory maps — its stack and guard, its signal stack and
//!   guard, measured on Linux 6 with glibc as the growth of
//!   `/proc/self/maps` per started thread — so once `vm.max_map_count`
//!   (65 530 by default) is nearly used up, whether the next failure is a
//!   clean `EAGAIN` or an abort is a race between the threads. With the
//!   default limit that happens a little above 16 000 threads.
//!
//! So the map budget is checked *before* asking for threads
//! ([`ThreadReservation::new`]): a call that would leave less than a margin
//! of `vm.max_map_count` free is refused up front. Reading `/proc/self/maps`
//! costs more than starting a thread, so the check runs only when the
//! threads this crate's strategies keep alive, plus the new ones, reach
//! [`CHECK_MAPS_FROM`]; below that the maps they use are a small fraction of
//! any realistic limit. A smaller stack size would not help here: the number
//! of maps per thread does not depend on it.

mod limits;
mod refused;

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::thread::{self, ScopedJoinHandle};

pub use limits::{ThreadLimits, threads_alive};
pub use refused::{Refusal, SpawnRefused};

use crate::run_and_join;

/// Memory maps one thread costs: its stack, the stack's guard page, the
/// signal stack Rust's runtime maps for it and that stack's guard page.
pub const MAPS_PER_THREAD: usize = 4;

/// The memory-map check runs once this many threads (those this crate's
/// strategies keep alive plus those a call is about to start) would be
/// alive.
pub const CHECK_MAPS_FROM: usize = 256;

/// The fraction of `vm.max_map_count` left free for everything else the
/// process maps (allocator arenas, files, other libraries' threads): one
/// sixteenth.
const MAP_MARGIN_DIVISOR: usize = 16;

/// Threads started through a [`ThreadReservation`] and not yet ended.
static RESERVED: AtomicUsize = AtomicUsize::new(0);

/// A claim on room for some threads, made before starting them.
///
/// [`ThreadReservation::new`] refuses threads that would exhaust the memory
/// maps ([`Refusal::MemoryMaps`]: past `vm.max_map_count` a starting
/// thread aborts the process instead of failing); the reservation then counts
/// them as alive until it is dropped, so that many small calls nested inside
/// each other are checked too.
///
/// ```
/// use ps_strategy::spawn::ThreadReservation;
///
/// let reservation = ThreadReservation::new(3)?;
/// let handles: Vec<_> = (0..3)
///     .map(|i| std::thread::Builder::new().spawn(move || i))
///     .collect::<Result<_, _>>()
///     .map_err(|error| reservation.refused(0, &error))?;
/// let sum: i32 = handles.into_iter().map(|handle| handle.join().unwrap()).sum();
/// assert_eq!(sum, 3);
/// # Ok::<(), ps_strategy::SpawnRefused>(())
/// ```
#[derive(Debug)]
#[must_use = "the reservation ends when it is dropped"]
pub struct ThreadReservation {
    threads: usize,
}

impl ThreadReservation {
    /// Reserves room for `threads` more threads.
    ///
    /// # Errors
    ///
    /// [`Refusal::MemoryMaps`] if the threads would leave less than a
    /// sixteenth of `vm.max_map_count` free.
    pub fn new(threads: usize) -> Result<Self, SpawnRefused> {
        let alive = RESERVED.fetch_add(threads, Ordering::Relaxed) + threads;
        // Constructed before the check, so that a refusal gives the count back.
        let reservation = ThreadReservation { threads };
        if alive >= CHECK_MAPS_FROM {
            check_memory_maps(threads)?;
        }
        Ok(reservation)
    }

    /// The number of threads reserved.
    #[must_use]
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The refusal to report when creating thread `started + 1` of the
    /// reserved ones failed with `error`.
    #[must_use]
    pub fn refused(&self, started: usize, error: &std::io::Error) -> SpawnRefused {
        SpawnRefused::from_os(self.threads, started, error)
    }
}

impl Drop for ThreadReservation {
    fn drop(&mut self) {
        RESERVED.fetch_sub(self.threads, Ordering::Relaxed);
    }
}

/// Refuses `threads` new threads if their memory maps would eat into the
/// margin of `vm.max_map_count`; allows them where the limit is unknown.
fn check_memory_maps(threads: usize) -> Result<(), SpawnRefused> {
    let (Some(limit), Some(in_use)) = (limits::max_memory_maps(), limits::memory_maps_in_use())
    else {
        return Ok(());
    };
    let available = limit.saturating_sub(in_use + limit / MAP_MARGIN_DIVISOR);
    let needed = threads.saturating_mul(MAPS_PER_THREAD);
    if needed > available {
        return Err(SpawnRefused::new(
            threads,
            0,
            Refusal::MemoryMaps { needed, available },
        ));
    }
    Ok(())
}

/// Runs `body(0)` on the calling thread and `body(1)` to `body(threads - 1)`
/// on as many scoped threads, and returns the results in that order.
///
/// No `body` runs until every thread has started. If the operating system
/// refuses one, the threads already started are released without running
/// theirs and joined, and the call raises [`SpawnRefused`] (see
/// [`SpawnRefused::raise`]): a refused call has run nothing. If a `body`
/// panics, every thread is joined and the first panic (the calling
/// thread's, then in index order) goes on with its payload.
///
/// ```
/// let squares = ps_strategy::run_on_threads(4, |i| i * i);
/// assert_eq!(squares, [0, 1, 4, 9]);
/// ```
pub fn run_on_threads<T, F>(threads: usize, body: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    if threads <= 1 {
        return (0..threads).map(body).collect();
    }
    let reservation = ThreadReservation::new(threads - 1).unwrap_or_else(|refused| refused.raise());
    let gate = &Gate::new();
    let body = &body;
    let outcome = thread::scope(|scope| {
        let mut others = Vec::with_capacity(threads - 1);
        for index in 1..threads {
            let started = thread::Builder::new()
                .spawn_scoped(scope, move || gate.pass().then(|| body(index)));
            match started {
                Ok(handle) => others.push(handle),
                Err(error) => {
                    let refused = reservation.refused(others.len(), &error);
                    gate.release(&others, Gate::REFUSED);
                    // No body has run: every result is `None`, and the
                    // threads only have to be waited for.
                    drop(crate::join_in_order(others));
                    return Err(refused);
                }
            }
        }
        gate.release(&others, Gate::OPEN);
        Ok(run_and_join(|| Some(body(0)), others))
    });
    drop(reservation);
    match outcome {
        Ok(results) => results
            .into_iter()
            .map(|result| result.expect("an open gate lets every body run"))
            .collect(),
        Err(refused) => refused.raise(),
    }
}

/// Where started threads wait until the caller knows whether all of them
/// could be started.
struct Gate(AtomicU8);

impl Gate {
    const CLOSED: u8 = 0;
    const OPEN: u8 = 1;
    const REFUSED: u8 = 2;

    fn new() -> Self {
        Gate(AtomicU8::new(Gate::CLOSED))
    }

    /// Waits for the gate to open (`true`) or the call to be refused
    /// (`false`).
    fn pass(&self) -> bool {
        loop {
            // Acquire pairs with the release in `release`, though nothing
            // but the state itself is published through it.
            match self.0.load(Ordering::Acquire) {
                // A wake-up may be spurious, or may have come before this
                // thread parked (the token then makes `park` return at
                // once): the loop looks again either way.
                Gate::CLOSED => thread::park(),
                state => return state == Gate::OPEN,
            }
        }
    }

    /// Sets the final state and wakes every waiting thread. Waking one that
    /// has not parked yet costs an atomic swap and no system call.
    fn release<T>(&self, waiting: &[ScopedJoinHandle<'_, T>], state: u8) {
        self.0.store(state, Ordering::Release);
        for handle in waiting {
            handle.thread().unpark();
        }
    }
}
