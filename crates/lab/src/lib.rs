//! Where parallel code goes wrong: small programs that each measure one
//! mistake next to its fix, on the machine they run on.
//!
//! Every program is a function that returns its measured figures as a
//! typed value; the `ps-lab` binary prints them, and `ps-lab generate`
//! writes them as the Markdown tables of the book's chapter *When parallel
//! code goes wrong*. The tests run each program small and check what it
//! shows by counting events or by comparing two things measured in the same
//! run — never against a fixed time, which a busy machine would break.
//!
//! - [`mutex`]: a lock held across a parallel loop serialises it, and a lock
//!   held by the caller of a parallel loop whose tasks need it deadlocks.
//!   The deadlock is caught by a [watchdog](crate::mutex::deadlock) that
//!   counts lack of progress, reported, and broken.
//! - [`blocking`]: waits (sleeps standing for I/O) on the compute pool hold
//!   its threads without using its cores, and delay the computing queued
//!   behind them; on threads of their own they overlap.
//! - [`oversubscription`]: nested parallel loops that each start their own
//!   threads multiply the thread count; one shared pool does not. How many
//!   threads to compute with comes from
//!   [`std::thread::available_parallelism`] and the cgroup's CPU quota.
//! - [`waiting`]: waiting is not computing. The `latency` workload with the
//!   project's thread-based strategies, which need a thread per concurrent
//!   wait, and with tokio, which needs a task; each configuration measured in
//!   a process of its own for its thread count and peak memory.
//! - [`async_cpu`]: where async loses — computing inside async tasks keeps
//!   the runtime's few workers from polling anything else.
//!
//! False sharing, the fifth classic, is measured by the project's
//! `data_sharing` criterion bench and not repeated here.
//!
//! # Why tokio lives here and nowhere else
//!
//! The strategy crates are meant to be copied into other projects, one at a
//! time, and each depends on the standard library alone (rayon's crate on
//! rayon). An async runtime is a large dependency with its own threads, its
//! own scheduling and its own idea of blocking; a strategy crate that pulled
//! it in would stop being small enough to read in one sitting, and every
//! copy would carry a runtime that most computing jobs never need. The
//! comparison only needs one place where both kinds of waiting can be run
//! side by side, so tokio is a dependency of this crate only.
#![deny(missing_docs)]

pub mod async_cpu;
pub mod blocking;
pub mod mutex;
pub mod oversubscription;
pub mod system;
pub mod waiting;
mod watchdog;
mod work;

pub use ps_harness::{Machine, optimised};
pub use work::Work;
pub mod report;
pub mod scale;

pub use scale::Scale;
