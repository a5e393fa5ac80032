//! The conformance suite: the checks every [`Strategy`] must pass, yours
//! included.
//!
//! Each check takes a function that builds the strategy from a
//! [`Config`](crate::Config) and
//! runs it over thread counts `1..=8` and a spread of grains, comparing every
//! operation with a plain serial loop. Run them all from your own tests with
//! one line:
//!
//! ```
//! use ps_strategy::{Chunks, Config, Strategy};
//! use ps_strategy::conformance::Workers;
//!
//! #[derive(Debug)]
//! pub struct OneThread { grain: usize }
//!
//! impl Strategy for OneThread {
//!     fn name(&self) -> &'static str { "one-thread" }
//!     fn threads(&self) -> usize { 1 }
//!     fn chunks(&self, len: usize) -> Chunks { Chunks::new(len, self.grain) }
//!     fn run_tasks<R: Send, F: Fn(usize) -> R + Sync>(&self, n: usize, task: F) -> Vec<R> {
//!         (0..n).map(task).collect()
//!     }
//! }
//!
//! // In a test file this generates one `#[test]` per check.
//! ps_strategy::conformance_tests!(|config: Config| OneThread { grain: config.grain() });
//! # fn main() {
//! #     ps_strategy::conformance::run_all(|c: Config| OneThread { grain: c.grain() }, Workers::PerCall);
//! # }
//! ```
//!
//! A strategy whose threads belong to a pool that outlives each call (like
//! rayon's) says so with a second argument,
//! `conformance_tests!(build, Workers::Pooled)`; see [`Workers`].
//!
//! # Cases, progress and failures
//!
//! A check is a sweep over *cases*: a thread count, a grain and an input
//! length. A failure names its case (`threads 3, grain 7, 2 elements`), so
//! that it can be replayed by hand. Every check runs under a [`watchdog`]
//! that counts lack of progress, not time: each finished case beats its
//! [`Heartbeat`], and the check is declared hung only when no case has
//! finished for [`WATCHDOG`]. A slow machine makes a check slower, never
//! wrong; a strategy that deadlocks fails, naming the case it stuck in.
//!
//! The building blocks — [`assert_matches_serial`], [`check_panic_at`],
//! [`assert_panic_reaches_caller`] with its [`Trap`], and [`watchdog`] — are
//! public too, so that property tests and strategy-specific tests check the
//! same things the same way.
//!
//! The suite is split by concern: the checks themselves (`checks`), the
//! sweep over cases (`sweep`), the comparison with serial loops (`serial`),
//! panic injection (`panics`, `trap`), the watchdog (`watchdog`) and the
//! macro (`macros`).

use std::time::Duration;

use crate::Strategy;

mod checks;
mod macros;
mod panics;
mod serial;
mod sweep;
mod trap;
mod visits;
mod watchdog;

#[cfg(test)]
mod tests;

// Every public item of `checks` is a check (or `run_all`): the list of
// checks is written once, in `__conformance_checks!`.
pub use checks::*;
pub use panics::{
    InjectedPanic, PanicSite, assert_panic_reaches_caller, check_panic_at, silence_injected_panics,
};
pub use serial::assert_matches_serial;
pub use trap::Trap;
pub use watchdog::{Heartbeat, watchdog};

/// How long a check may go without finishing a case (or, for a body given
/// to [`watchdog`] directly, without a [`Heartbeat::beat`]) before it is
/// declared hung.
pub const WATCHDOG: Duration = Duration::from_secs(60);

/// The thread counts every check covers.
pub const THREAD_COUNTS: std::ops::RangeInclusive<usize> = 1..=8;

/// The grains every check covers: tiny, odd, and larger than most inputs.
pub const GRAINS: [usize; 6] = [1, 2, 3, 7, 64, 1000];

/// The length of the large input.
pub const LARGE_LEN: usize = 1_000_003;

/// The number of terms [`float_reduction_is_reproducible`] sums: enough
/// that summing them in other groups changes the rounding (a test strategy
/// that regroups them on every call is caught at the first case), and few
/// enough that a strategy handing every element to another thread through a
/// channel of capacity one, six sums in every case of the sweep, takes
/// seconds. Five thousand took the pipeline strategy twenty seconds in a
/// debug build, mostly in those handoffs; a thousand, six.
pub const REPRODUCIBLE_LEN: usize = 1000;

/// Where a strategy's worker threads come from, which decides what the panic
/// checks can demand of them once a call has returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Workers {
    /// The call starts its threads (scoped threads, the pipeline): every
    /// thread that ran user code must have *ended* — its thread-local
    /// destructors included — by the time the call returns, panic or not.
    #[default]
    PerCall,
    /// The threads belong to a pool that is started once and outlives every
    /// call by design (rayon). They cannot have ended, so the checks demand
    /// only what matters to the caller: once the call has returned, no user
    /// code is running on them and none starts later.
    Pooled,
}

/// `"name with N threads"`, as the strategy reports itself in failures.
fn describe<S: Strategy>(strategy: &S) -> String {
    format!("{} with {} threads", strategy.name(), strategy.threads())
}
