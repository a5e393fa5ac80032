//! The worker machinery of a pool of threads sharing one job channel: the
//! strategy's workers ([`crate::Pipeline`]) run on it, and so does every
//! stage of a multi-stage pipeline (the `ps-stages` crate builds on this
//! module rather than keeping a copy, so the code the loom tests of this crate
//! check is the code both run).
//!
//! Two pieces: [`receive`], one job from a receiver shared behind a mutex,
//! and [`drain_on_panic`], which turns a panic in a worker's loop into a
//! clean shutdown — the stop flag set, the job channel drained so nothing
//! upstream stays blocked on a full channel, the worker's sender dropped so
//! nothing downstream waits for it — before the panic goes on with its
//! original payload.
//!
//! The types are [`ps_strategy::sync`]'s: `std::sync`'s in a normal build,
//! loom's under `RUSTFLAGS="--cfg loom"`.

use std::panic::{self, AssertUnwindSafe};

use ps_strategy::sync::atomic::{AtomicBool, Ordering};
use ps_strategy::sync::mpsc::Receiver;
use ps_strategy::sync::{Mutex, PoisonError};

/// The next job from a receiver that several workers share, or `None` once
/// the channel is empty and every sender is gone.
///
/// The lock is held only to receive, never while a job runs, so a panicking
/// job cannot poison it (and a poisoned lock is used anyway).
///
/// ```
/// use ps_pipeline::worker::receive;
/// use ps_strategy::sync::Mutex;
/// use ps_strategy::sync::mpsc::sync_channel;
///
/// let (jobs, receiver) = sync_channel(2);
/// jobs.send(7)?;
/// drop(jobs);
/// let shared = Mutex::new(receiver);
/// assert_eq!(receive(&shared), Some(7));
/// assert_eq!(receive(&shared), None, "empty, and every sender gone");
/// # Ok::<(), std::sync::mpsc::SendError<i32>>(())
/// ```
#[must_use]
pub fn receive<J>(jobs: &Mutex<Receiver<J>>) -> Option<J> {
    jobs.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .recv()
        .ok()
}

/// Runs `serve` (a worker's loop over `jobs`, sending on `results`) and
/// returns what it returns.
///
/// If `serve` panics, the worker sets `stop` and drains `jobs` until every
/// sender is gone, so whatever feeds the channel — blocked on a full channel,
/// or about to block — wakes up, sees the flag and exits. Then `results` is
/// dropped (its receiver's loop ends once every worker has done so) and the
/// panic is resumed with its payload. The panic is caught for that rather
/// than handled by a guard's `drop` during the unwind: the unblocking then
/// runs as ordinary code, which is also what lets the loom model checker
/// (which cannot follow an unwind that blocks) check it.
///
/// ```
/// use std::panic::{self, AssertUnwindSafe};
///
/// use ps_pipeline::worker::{drain_on_panic, receive};
/// use ps_strategy::sync::Mutex;
/// use ps_strategy::sync::atomic::{AtomicBool, Ordering};
/// use ps_strategy::sync::mpsc::sync_channel;
///
/// let (jobs, receiver) = sync_channel(4);
/// for job in 0..4 {
///     jobs.send(job).expect("room for every job");
/// }
/// drop(jobs);
/// let (jobs, stop) = (Mutex::new(receiver), AtomicBool::new(false));
/// let (results, collected) = sync_channel(4);
/// let served = panic::catch_unwind(AssertUnwindSafe(|| {
///     drain_on_panic(&jobs, results, &stop, |results| {
///         while let Some(job) = receive(&jobs) {
///             assert!(job < 1, "job {job} fails");
///             results.send(job * 10).expect("the collector listens");
///         }
///     });
/// }));
/// assert!(served.is_err(), "the panic goes on");
/// assert!(stop.load(Ordering::Relaxed), "the feeder is told to stop");
/// assert_eq!(receive(&jobs), None, "the jobs left were drained");
/// assert_eq!(collected.iter().collect::<Vec<_>>(), [0], "the sender is gone");
/// ```
pub fn drain_on_panic<J, S, T>(
    jobs: &Mutex<Receiver<J>>,
    results: S,
    stop: &AtomicBool,
    serve: impl FnOnce(&S) -> T,
) -> T {
    // Unwind safety: after a panic only the channels and the flag are used,
    // and the panic is then resumed.
    let served = panic::catch_unwind(AssertUnwindSafe(|| serve(&results)));
    if served.is_err() {
        stop.store(true, Ordering::Relaxed);
        while receive(jobs).is_some() {}
    }
    drop(results);
    match served {
        Ok(value) => value,
        Err(payload) => panic::resume_unwind(payload),
    }
}
