//! Joining scoped threads without losing a panic's payload.

use std::panic::{self, AssertUnwindSafe};
use std::thread::{self, ScopedJoinHandle};

/// Joins every handle, in order, and returns their results in that order.
///
/// If any thread panicked, the first panic (in handle order) is re-raised
/// with its original payload — but only after every thread has been joined,
/// so no thread outlives the call. Leaving a panicked handle to
/// [`std::thread::scope`] instead would replace the payload with the scope's
/// own message.
///
/// ```
/// let results = std::thread::scope(|scope| {
///     let handles: Vec<_> = (0..3).map(|i| scope.spawn(move || i * 10)).collect();
///     ps_strategy::join_in_order(handles)
/// });
/// assert_eq!(results, [0, 10, 20]);
/// ```
pub fn join_in_order<'scope, R>(
    handles: impl IntoIterator<Item = ScopedJoinHandle<'scope, R>>,
) -> Vec<R> {
    in_order(handles.into_iter().map(ScopedJoinHandle::join))
}

/// Runs `own` on the calling thread while the already started `handles`
/// run, then joins every handle, in order; returns `own`'s result followed by
/// the handles' results.
///
/// This is how a strategy whose calling thread takes a share of the work
/// waits for the others. If anything panicked, the first panic — `own`'s,
/// then in handle order — is re-raised with its original payload after every
/// handle has been joined. Joining explicitly matters even when `own` panics:
/// [`std::thread::scope`] waits only until each thread's closure has
/// returned, not until the thread has ended, so a thread it joins implicitly
/// may still be running its thread-local destructors when the call returns;
/// [`ScopedJoinHandle::join`] waits for the thread to end.
///
/// ```
/// let results = std::thread::scope(|scope| {
///     let others: Vec<_> = (1..3).map(|i| scope.spawn(move || i * 10)).collect();
///     ps_strategy::run_and_join(|| 0, others)
/// });
/// assert_eq!(results, [0, 10, 20]);
/// ```
pub fn run_and_join<'scope, R>(
    own: impl FnOnce() -> R,
    handles: impl IntoIterator<Item = ScopedJoinHandle<'scope, R>>,
) -> Vec<R> {
    // Unwind safety: after a panic in `own` nothing here looks at its state;
    // the panic is re-raised once the other threads are joined.
    let own = panic::catch_unwind(AssertUnwindSafe(own));
    in_order(std::iter::once(own).chain(handles.into_iter().map(ScopedJoinHandle::join)))
}

/// Drains every outcome, then re-raises the first panic or returns the results.
fn in_order<R>(outcomes: impl Iterator<Item = thread::Result<R>>) -> Vec<R> {
    let mut results = Vec::new();
    let mut first_panic = None;
    for outcome in outcomes {
        match outcome {
            Ok(result) => results.push(result),
            Err(payload) => {
                first_panic.get_or_insert(payload);
            }
        }
    }
    if let Some(payload) = first_panic {
        panic::resume_unwind(payload);
    }
    results
}
