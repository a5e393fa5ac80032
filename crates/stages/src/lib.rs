//! Multi-stage pipelines: a source, a chain of stages each with its own
//! workers, and a sink, joined by bounded channels — with statistics for
//! every stage that name the one setting the pace.
//!
//! ```text
//!  source ──▶ stage 1 ──▶ stage 2 ──▶ … ──▶ sink
//!  (1 thread)  (w₁ workers) (w₂ workers)     (the calling thread)
//! ```
//!
//! Each arrow is a bounded [`sync_channel`](std::sync::mpsc::sync_channel)
//! carrying *batches* of items. A stage's workers share the receiving end,
//! as the workers of the channel-pipeline strategy
//! ([`ps_pipeline::Pipeline`]) do.
//!
//! The lesson of a multi-stage pipeline is that **it runs at the speed of its
//! slowest stage**. Items flow through every stage, so once the pipeline is
//! full each stage hands on items exactly as fast as the slowest one takes
//! them; the bounded channels make the faster stages wait (a stage before
//! the bottleneck blocks on its full output channel, one after it on its
//! empty input) instead of piling up items, so memory stays flat however
//! long the input. Extra workers help only at the bottleneck: see
//! [`RunStats`] for how it is measured and named.
//!
//! # Why a framework of its own, on the strategy's workers
//!
//! A strategy in this workspace answers one question — how to spread the
//! tasks of one loop over threads — behind the `Strategy` trait. A chain of
//! stages answers another: how to split a job into steps that run at the
//! same time on different items, and which step to give more threads. It
//! has its own vocabulary (stages, batches, order per stage, a bottleneck)
//! and most of the code, so it is a crate of its own rather than a corner
//! of the strategy's: the strategy stays small enough to read in one
//! sitting, and a workload that wants stages depends on this crate, not on a
//! strategy.
//!
//! What the two share is how a pool of workers takes jobs from one channel
//! and shuts down when one of them panics: the stop flag set, the input
//! drained so nothing upstream stays blocked on a full channel, the output
//! sender dropped so nothing downstream waits for it. That code is subtle
//! enough to be checked under the loom model checker, and it is checked
//! once, where it lives: [`ps_pipeline::worker`]. This crate depends on
//! `ps-pipeline` for it (and for the default channel capacity,
//! [`ps_pipeline::DEFAULT_CAPACITY_PER_WORKER`] batches per reader) rather
//! than the other way round, so the strategy can still be read and copied
//! without the framework, and a stage's worker runs the very drain-on-panic
//! path the loom tests explore.
//!
//! What this crate adds on top is its own: the source thread that cuts an
//! iterator into numbered batches, a reorder buffer per
//! [`Order::Preserve`] stage (a streaming one — the number of batches is
//! not known up front), the sink folding on the calling thread, and three
//! clock reads per batch that become each stage's busy, blocked-in and
//! blocked-out times ([`StageStats`]).
//!
//! ```
//! use ps_stages::{Order, Stages};
//!
//! let text = "one two\nthree\nfour five six\n";
//! let (squares, stats) = Stages::from_source(text.lines())
//!     .stage("split", 2, Order::Preserve, |line: &str| line.split(' ').count())
//!     .stage("square", 1, Order::Any, |n| n * n)
//!     .fold(0, |total, n| total + n)?;
//! assert_eq!(squares, 4 + 1 + 9);
//! assert_eq!(stats.items(), 3);
//! println!("the pace was set by {}", stats.bottleneck().name());
//! # Ok::<(), ps_stages::StagesError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod builder;
mod config;
mod reorder;
mod stats;
mod threads;

pub use builder::Stages;
pub use config::{Order, StagesError};
/// The default capacity of every channel, in batches per thread that reads
/// it: the channel-pipeline strategy's default, for the same reason (one
/// batch per reader keeps it fed, a second absorbs jitter).
///
/// ```
/// assert_eq!(ps_stages::DEFAULT_CAPACITY_PER_WORKER, ps_pipeline::DEFAULT_CAPACITY_PER_WORKER);
/// ```
pub use ps_pipeline::DEFAULT_CAPACITY_PER_WORKER;
pub use stats::{Role, RunStats, StageStats};
