//! Joining scoped threads without losing a panic's payload.

use std::panic;
use std::thread::ScopedJoinHandle;

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
    let mut results = Vec::new();
    let mut first_panic = None;
    for handle in handles {
        match handle.join() {
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
