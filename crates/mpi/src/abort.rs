//! Ending the whole job when one rank cannot go on.
//!
//! A rank that stops early leaves the others blocked in their next
//! collective call, forever. So a panic or a failure on any rank is
//! reported in one line — which rank, doing what, and why — and then
//! `MPI_Abort` on the world communicator ends every rank of the job, with
//! the failure's exit code.

use std::any::Any;
use std::cell::RefCell;

thread_local! {
    static DOING: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records what this rank is doing, for the line a failure prints.
///
/// ```
/// ps_mpi::doing("workload squares, n = 100");
/// assert_eq!(ps_mpi::current_activity(), "workload squares, n = 100");
/// ```
pub fn doing(what: impl Into<String>) {
    DOING.with(|doing| *doing.borrow_mut() = what.into());
}

/// What [`doing`] last recorded on this thread.
#[must_use]
pub fn current_activity() -> String {
    DOING.with(|doing| doing.borrow().clone())
}

/// The message a panic carried.
///
/// ```
/// let payload: Box<dyn std::any::Any + Send> = Box::new("boom");
/// assert_eq!(ps_mpi::panic_message(payload.as_ref()), "boom");
/// ```
#[must_use]
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// The one line a failed rank prints before the job is ended.
///
/// ```
/// assert_eq!(
///     ps_mpi::failure_line(1, "workload fault, n = 64", "panicked: injected fault"),
///     "error: rank 1 (workload fault, n = 64): panicked: injected fault",
/// );
/// ```
#[must_use]
pub fn failure_line(rank: usize, activity: &str, reason: &str) -> String {
    if activity.is_empty() {
        format!("error: rank {rank}: {reason}")
    } else {
        format!("error: rank {rank} ({activity}): {reason}")
    }
}
