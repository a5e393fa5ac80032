//! The workloads: the jobs every strategy is measured on.
//!
//! A *workload* here is one job with a known answer — square a million
//! numbers, count primes, render a Mandelbrot image, count words — sized by
//! a single number `n`. Each lives in its own module and comes in two forms,
//! side by side, the way the demos in rayon's repository do:
//!
//! - `NAME<S: Strategy>(strategy, …)` is written **once** against the
//!   [`Strategy`](ps_strategy::Strategy) trait, with `map`, `map_reduce` or
//!   `for_each_chunk_mut`. The serial loop, the scoped threads, the channel
//!   pipeline and rayon all run this same code; only the schedule changes,
//!   so any difference in time is the schedule's doing.
//! - `NAME_serial(…)` is the same computation as a plain loop that never
//!   touches the trait. It is the answer the others are verified against,
//!   and the baseline that shows what going through the trait costs (with
//!   `ps_serial::Serial`, nothing).
//!
//! Both forms share the per-element kernel (a primality test, a row of
//! pixels, a row of a matrix product), so verification checks the
//! scheduling; each module's tests check the kernel against answers derived
//! independently — closed forms, a sieve, the published values, the
//! Benchmarks Game's programs transcribed literally.
//!
//! The workloads are chosen for what each teaches about parallelism:
//!
//! | workload | operation | teaches |
//! |---|---|---|
//! | [`squares`] | `map` | cheap elements: overhead and memory bandwidth win |
//! | [`sum_of_squares`] | `map_reduce` | the simplest reduction |
//! | [`primes`] | `map_reduce` | elements that cost more as they grow: load balance |
//! | [`mandelbrot`] | `for_each_chunk_mut` | rows of very uneven cost |
//! | [`spectral_norm`] | `for_each_chunk_mut` | many short phases: start-up cost |
//! | [`word_count`] | `map_reduce` | sharing by merging private maps |
//! | [`latency`] | `map_reduce` | blocking work: more threads than cores |
//!
//! Inputs are built before the timed call, so a measurement is the
//! computation alone. The harness (`cargo xtask`) drives everything through
//! [`WorkloadKind`], [`Prepared`] and [`Output`]:
//!
//! ```
//! use ps_threads::Dynamic;
//! use ps_workloads::{Size, WorkloadKind};
//!
//! for kind in WorkloadKind::ALL {
//!     let n = kind.size(Size::Quick).min(64); // small, for a doctest
//!     let prepared = kind.prepare(n);
//!     let strategy = Dynamic::new(2, kind.grain(n))?;
//!     let output = prepared.run(&strategy);
//!     output.verify(&prepared.run_serial_reference())?;
//!     println!("{kind:>14}: {}", output.canonical());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
// `unsafe` only where the SIMD kernels call CPU-specific intrinsics; each
// such module allows it explicitly.
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod kind;
mod output;
mod rng;

pub mod bandwidth;
pub mod latency;
pub mod mandelbrot;
pub mod primes;
pub mod simd;
pub mod spectral_norm;
pub mod squares;
pub mod sum_of_squares;
pub mod word_count;

pub use kind::{Prepared, Size, WorkloadKind};
pub use output::{FLOAT_TOLERANCE, Mismatch, Output};
