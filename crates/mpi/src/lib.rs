//! The project's workloads split across MPI ranks — processes, on one
//! machine or many — each rank running a local [`Strategy`]: MPI + X.
//!
//! # The design decision: ranks own blocks, and combine in rank order
//!
//! A run on `P` ranks cuts the input's index range `0..len` into `P`
//! contiguous [`block`]s whose lengths differ by at most one (more ranks than
//! elements leaves the last ranks an empty block, which every job accepts).
//! Each rank runs its block under a local strategy chosen by name from
//! `ps-catalog` — serial, scoped threads, rayon — so one binary measures
//! `P` ranks × 1 thread, 1 rank × `T` threads and every mix. The partial
//! results travel to rank 0 as bytes ([`Wire`]) and are combined there *in
//! rank order*: blocks are contiguous, so rank order is input order, a
//! non-commutative combine gives the serial answer, and a floating-point
//! result has the same bits on every run of one configuration. Rank 0 then
//! verifies the result against the workload's serial reference
//! ([`Workload::run_serial`](ps_workload::Workload::run_serial) and
//! [`Workload::verify`](ps_workload::Workload::verify)), exactly as the
//! in-process harness does, before any time is reported.
//!
//! What a job must add to its [`Workload`](ps_workload::Workload) to run this
//! way is the [`Distributed`] trait: how many elements it has, a rank's
//! share, the run of a share, and the combine. Every built-in workload
//! implements it ([`visit_all`]); a user's does the same (see
//! [`Distributed`]'s example). Most shares simply call the workload's own
//! generic `run` on their block; Mandelbrot runs its own code through
//! [`OnlyRows`], a strategy that hands out one rank's rows; spectral norm
//! exchanges whole vectors between its 40 phases through the [`Team`].
//!
//! # Why a workspace of its own
//!
//! The `mpi` crate links against the system's MPI library and generates its
//! bindings with `bindgen`, so building it needs `OpenMPI`'s headers and
//! libclang. The project's two promised commands — `cargo xtask compare`
//! and `cargo test --workspace` — must work on a machine that has neither.
//! A Cargo feature would not do: `cargo test --workspace --all-features` and
//! `clippy --all-features` would pull the library in again, and a member's
//! build dependencies are resolved (and `Cargo.lock` entries demanded) even
//! when nothing uses them. So this crate is excluded from the main
//! workspace and is a workspace itself, with its own `Cargo.lock`; it
//! depends on the shared crates by path, so it always measures the same
//! code. `.ci/mpi` installs `OpenMPI`, builds it, and runs its checks under
//! `mpirun`.
//!
//! # What the binary measures
//!
//! `ps-mpi compare`, launched under `mpirun`, prints the harness's usual
//! verified table with what processes add: start-up (launch to `MPI_Init`
//! done), and per run the slowest rank's compute (its share under its
//! strategy), packing (parts written to bytes, read back and combined), time
//! inside MPI calls, bytes moved and fresh pages faulted in. On one rank it
//! also times the same strategy with no MPI at all, alternating runs, so
//! that what MPI adds to one process is measured, not assumed. See the
//! crate's README for every command.
//!
//! # Failures end the job
//!
//! A rank that stops leaves the others blocked in a collective call. A
//! panic on any rank (the local strategies re-raise a worker's panic on the
//! rank's main thread) is caught there, reported in one line with the rank,
//! what it was doing and the message, and the whole job is ended with
//! `MPI_Abort`; see [`failure_line`].
//!
//! [`Strategy`]: ps_strategy::Strategy
#![deny(missing_docs)]

mod abort;
mod distributed;
mod jobs;
mod measure;
mod split;
mod team;
mod wire;
mod world;

pub use abort::{current_activity, doing, failure_line, panic_message};
pub use distributed::{Distributed, gather_and_combine, run_distributed, share_of};
pub use jobs::{DistributedVisitor, FAULT_MESSAGE, Fault, OnlyRows, visit_all};
pub use measure::{DistributedTiming, RankCost, time_distributed};
pub use split::{SplitError, block};
pub use team::{Solo, Team, Traffic};
pub use wire::{Wire, WireError};
pub use world::MpiTeam;
