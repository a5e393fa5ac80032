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
//! | [`fannkuch_redux`] | `run_tasks` over index ranges | ranges of equal length, unequal cost |
//! | [`binary_trees`] | `run_tasks` over batches | the allocator as shared state |
//!
//! Each module also defines its workload as a type — [`squares::Squares`],
//! [`primes::Primes`], … — implementing the [`Workload`] trait, which is all
//! the harness needs to prepare, run, verify and time it. Every fact about a
//! workload (its name, sizes, grain, what `n` means) is written once, in that
//! impl, and [`visit_all`] lists them; adding a workload is one new
//! module and one line in `visit_all`'s list. Inputs are built before the timed call, so a
//! measurement is the computation alone:
//!
//! ```
//! use ps_threads::Dynamic;
//! use ps_workload::{Workload, WorkloadVisitor};
//!
//! struct Check;
//!
//! impl WorkloadVisitor for Check {
//!     fn visit<W: Workload + 'static>(&mut self, workload: W) {
//!         let n = workload.nearest_valid_n(workload.sizes().quick.min(64)); // small, for a doctest
//!         let input = workload.prepare(n);
//!         let strategy = Dynamic::new(2, workload.grain(n)).unwrap();
//!         let output = workload.run(&strategy, &input);
//!         workload.verify(&workload.run_serial(&input), &output).unwrap();
//!         println!("{:>14}: {}", workload.name(), workload.describe(&output));
//!     }
//! }
//!
//! ps_workloads::visit_all(&mut Check);
//! ```
#![deny(missing_docs)]
// `unsafe` only where the SIMD kernels call CPU-specific intrinsics; each
// such module allows it explicitly.
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod canonical;
mod rng;

pub mod simd;

pub use ps_workload::{Size, Workload, WorkloadVisitor};

/// Declares each built-in workload's module and lists its type in
/// [`visit_all`], in the order reports list them: adding a workload is its
/// module's file and one line in the invocation below. Each is visited as
/// its `Default` value (binary trees' names its heap kernel `system`).
macro_rules! builtin_workloads {
    ($($module:ident::$workload:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Calls `visitor` with every built-in workload, in the order
        /// reports list them.
        ///
        /// ```
        /// use ps_workloads::{Workload, WorkloadVisitor};
        ///
        /// struct Names(Vec<String>);
        /// impl WorkloadVisitor for Names {
        ///     fn visit<W: Workload + 'static>(&mut self, workload: W) {
        ///         self.0.push(workload.name().to_owned());
        ///     }
        /// }
        /// let mut names = Names(Vec::new());
        /// ps_workloads::visit_all(&mut names);
        /// assert_eq!(names.0[..3], ["squares", "sum-of-squares", "primes"]);
        /// ```
        pub fn visit_all(visitor: &mut impl WorkloadVisitor) {
            $(visitor.visit($module::$workload::default());)*
        }
    };
}

builtin_workloads! {
    squares::Squares,
    sum_of_squares::SumOfSquares,
    primes::Primes,
    mandelbrot::Mandelbrot,
    spectral_norm::SpectralNorm,
    word_count::WordCount,
    latency::Latency,
    fannkuch_redux::FannkuchRedux,
    binary_trees::BinaryTrees,
}
