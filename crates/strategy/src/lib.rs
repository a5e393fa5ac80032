//! The [`Strategy`] trait: one interface for every way this project runs a job
//! in parallel.
//!
//! # The design decision: strategies schedule, they do not compute
//!
//! A strategy answers exactly two questions:
//!
//! 1. **How is the input cut?** [`Strategy::chunks`] turns a length into
//!    [`Chunks`] — one block per thread for a static schedule, grain-sized
//!    pieces for everything else.
//! 2. **Who runs which piece?** [`Strategy::run_tasks`] calls `task(i)` once
//!    for every index and hands the results back in index order — on one
//!    thread, on scoped threads, through a channel, or on a rayon pool.
//!
//! Everything a workload calls — [`map`](Strategy::map),
//! [`map_reduce`](Strategy::map_reduce) and
//! [`for_each_chunk_mut`](Strategy::for_each_chunk_mut) — is a provided method
//! written once, here, on top of those two. A strategy crate is therefore
//! only its scheduling, readable in one sitting, and a new strategy gets every
//! operation (and the [`conformance`] suite's proof that they are right) by
//! implementing four small methods.
//!
//! Three properties follow from that shape:
//!
//! - **Results go straight to their place.** `map` writes each result into
//!   the output `Vec`'s spare capacity and `for_each_chunk_mut` hands out
//!   disjoint `&mut` chunks of the caller's buffer; no per-chunk vectors are
//!   built and concatenated. The one `unsafe` block that makes this possible
//!   lives in this crate and stays sound even if a strategy schedules wrongly:
//!   a chunk run twice panics, a chunk never run is reported.
//! - **Reductions are ordered and reproducible.** Each chunk is folded
//!   privately and the partial results are combined left to right in input
//!   order. A combine that is associative but not commutative (string
//!   concatenation, matrix products) gives the serial answer, and because the
//!   cut depends only on the length and the configuration, a floating-point
//!   sum gives the same bits on every run of the same configuration.
//! - **Dispatch is static.** The operations are generic methods, so a workload
//!   written against `S: Strategy` is monomorphised for each strategy and
//!   costs nothing over the same code written by hand. The trait is a *bound
//!   for generics*, not a trait object: `dyn Strategy` does not exist. To pick
//!   a strategy at run time — any strategy, a reader's own included — box it
//!   as a [`BoxedStrategy`]: its object-safe core, [`DynStrategy`], costs one
//!   dynamic call per *task* (a chunk), and the per-element closure inside
//!   each task is still monomorphised and never boxed.
//!
//! # Example
//!
//! A strategy is four methods. This one runs every task on the calling
//! thread, cutting the input into chunks of 2:
//!
//! ```
//! use ps_strategy::{Chunks, Strategy};
//!
//! #[derive(Debug)]
//! struct Pairs;
//!
//! impl Strategy for Pairs {
//!     fn name(&self) -> &'static str { "pairs" }
//!     fn threads(&self) -> usize { 1 }
//!     fn chunks(&self, len: usize) -> Chunks { Chunks::new(len, 2) }
//!     fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
//!     where
//!         R: Send,
//!         F: Fn(usize) -> R + Sync,
//!     {
//!         (0..count).map(task).collect()
//!     }
//! }
//!
//! let words = ["par", "all", "el"];
//! assert_eq!(Pairs.map(&[1, 2, 3], |x| x * 10), [10, 20, 30]);
//! assert_eq!(
//!     Pairs.map_reduce(&words, String::new, |acc, w| acc + w, |a, b| a + &b),
//!     "parallel"
//! );
//! ```
#![deny(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod chunks;
mod config;
pub mod conformance;
mod disjoint;
mod erased;
mod join;
mod ordered;
pub mod spawn;
pub mod sync;

pub use chunks::Chunks;
pub use config::{Config, ConfigError, available_threads};
pub use disjoint::Finished;
pub use erased::{BoxedStrategy, DynStrategy};
pub use join::{join_in_order, run_and_join};
pub use ordered::InOrder;
pub use spawn::{SpawnRefused, run_on_threads};

use disjoint::DisjointChunks;

/// A way of running independent pieces of work, possibly in parallel.
///
/// Implement the four required methods; the operations workloads use are
/// provided. See the [crate documentation](crate) for why the trait has this
/// shape, and [`conformance`] for the tests every implementation should pass.
///
/// # Refused threads
///
/// Whether the operating system will start a thread is known only when the
/// thread is asked for: the limits (processes per user, threads in the
/// system, memory maps, address space) are shared with everything else
/// running, and a configuration that fits now may not fit a moment later.
/// Constructors therefore validate only what they can know, and a
/// strategy that starts threads for each call reports a refusal *from the
/// call*, as a panic whose payload is a typed [`SpawnRefused`] (raised with
/// [`SpawnRefused::raise`], recognised with [`SpawnRefused::from_panic`] or
/// [`SpawnRefused::catch`]). A refused call has joined every thread it
/// started and run no task.
///
/// A panic rather than a `Result` from every operation, because:
///
/// - the operations stay infallible for the case that matters — a
///   workload written against `S: Strategy` (and every workload nested inside
///   another's task) keeps its signature, and a refusal raised deep inside
///   nested calls reaches the outermost caller unchanged, the way a task's
///   panic does;
/// - a harness already catches panics around each run to report bugs, so
///   recognising the refusal is one downcast where it catches them;
/// - the alternatives are worse: running on the threads that did start
///   would silently measure a different configuration than the one
///   reported, and an `std` spawn panic (or an abort) gives the caller
///   nothing typed to act on.
///
/// A strategy that starts its threads once, when it is built (rayon's pool),
/// returns the refusal from its constructor instead, as
/// [`ConfigError::ThreadStart`].
pub trait Strategy {
    // ANCHOR: required
    /// A short, stable name for reports, such as `"threads-dynamic"`.
    fn name(&self) -> &'static str;

    /// The number of worker threads this strategy runs tasks on.
    fn threads(&self) -> usize;

    /// How this strategy cuts `len` elements into units of work.
    ///
    /// The cut must depend only on `len` and the strategy's configuration,
    /// never on timing: that is what makes reductions reproducible.
    fn chunks(&self, len: usize) -> Chunks;

    /// Calls `task(i)` exactly once for every `i` in `0..count`, on whatever
    /// threads the strategy chooses, and returns the results in index order.
    ///
    /// If a task panics, the panic is re-raised in the caller with its
    /// original payload, after every thread the call started has stopped.
    ///
    /// If the operating system refuses a thread the call needs, the call
    /// panics with a [`SpawnRefused`] payload, after joining the threads it
    /// did start and before running any task (see the trait's section on
    /// refused threads).
    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync;
    // ANCHOR_END: required

    /// Applies `f` to every element of `input`, keeping the order.
    ///
    /// Each result is written directly into the returned vector.
    ///
    /// ```
    /// # use ps_strategy::{Chunks, Strategy};
    /// # #[derive(Debug)] struct Inline;
    /// # impl Strategy for Inline {
    /// #     fn name(&self) -> &'static str { "inline" }
    /// #     fn threads(&self) -> usize { 1 }
    /// #     fn chunks(&self, len: usize) -> Chunks { Chunks::new(len, 3) }
    /// #     fn run_tasks<R: Send, F: Fn(usize) -> R + Sync>(&self, n: usize, task: F) -> Vec<R> {
    /// #         (0..n).map(task).collect()
    /// #     }
    /// # }
    /// let squares = Inline.map(&[1_u64, 2, 3, 4], |&n| n * n);
    /// assert_eq!(squares, [1, 4, 9, 16]);
    /// ```
    ///
    /// # Panics
    ///
    /// Re-raises a panic from `f`. Panics if the strategy does not run every
    /// chunk exactly once (a bug in the strategy, never in the caller).
    // ANCHOR: map
    fn map<T, U, F>(&self, input: &[T], f: F) -> Vec<U>
    where
        T: Sync,
        U: Send,
        F: Fn(&T) -> U + Sync,
    {
        let len = input.len();
        let mut output = Vec::with_capacity(len);
        let slots = DisjointChunks::new(
            &mut output.spare_capacity_mut()[..len],
            self.chunks(len).chunk_len(),
        );
        // Each task returns the token that proves its chunk finished.
        let finished = self.run_tasks(slots.chunks().count(), |index| {
            slots.with_chunk(index, |start, slots| {
                for (slot, item) in slots.iter_mut().zip(&input[start..]) {
                    slot.write(f(item));
                }
            })
        });
        assert!(
            slots.all_finished(finished),
            "strategy {} skipped chunks of a map",
            self.name()
        );
        // SAFETY: every chunk was taken at most once (`with_chunk` panics
        // otherwise) and a token for each came back, so each of the `len`
        // slots was written exactly once; handing the tokens back to this
        // thread also ordered those writes before this point.
        unsafe { output.set_len(len) };
        output
    }
    // ANCHOR_END: map

    /// Folds every chunk privately, starting each from `identity()`, then
    /// combines the partial results left to right in input order.
    ///
    /// `combine` must be associative; it need not be commutative. With an
    /// empty input the result is `identity()`.
    ///
    /// ```
    /// # use ps_strategy::{Chunks, Strategy};
    /// # #[derive(Debug)] struct Inline;
    /// # impl Strategy for Inline {
    /// #     fn name(&self) -> &'static str { "inline" }
    /// #     fn threads(&self) -> usize { 1 }
    /// #     fn chunks(&self, len: usize) -> Chunks { Chunks::new(len, 2) }
    /// #     fn run_tasks<R: Send, F: Fn(usize) -> R + Sync>(&self, n: usize, task: F) -> Vec<R> {
    /// #         (0..n).map(task).collect()
    /// #     }
    /// # }
    /// let digits = [1, 2, 3, 4, 5];
    /// let text = Inline.map_reduce(
    ///     &digits,
    ///     String::new,
    ///     |mut acc, d| { acc.push_str(&d.to_string()); acc },
    ///     |left, right| left + &right,
    /// );
    /// assert_eq!(text, "12345");
    /// ```
    ///
    /// # Panics
    ///
    /// Re-raises a panic from any of the closures. Panics if the strategy
    /// does not return one partial result per chunk, in chunk order (a bug in
    /// the strategy).
    // ANCHOR: map_reduce
    fn map_reduce<T, A, I, Fo, C>(&self, input: &[T], identity: I, fold: Fo, combine: C) -> A
    where
        T: Sync,
        A: Send,
        I: Fn() -> A + Sync,
        Fo: Fn(A, &T) -> A + Sync,
        C: Fn(A, A) -> A,
    {
        // Only the strategy's chunk length is used, as in `map`: the cut
        // always covers exactly `input`, whatever length `chunks` reports.
        let chunks = Chunks::new(input.len(), self.chunks(input.len()).chunk_len());
        // Each partial result carries its chunk index, so that a strategy
        // that runs a chunk twice, skips one or reorders the results is
        // caught instead of silently changing a non-commutative reduction.
        let partials = self.run_tasks(chunks.count(), |index| {
            (
                index,
                input[chunks.range(index)].iter().fold(identity(), &fold),
            )
        });
        assert_eq!(
            partials.len(),
            chunks.count(),
            "strategy {} returned the wrong number of partial results",
            self.name()
        );
        assert!(
            partials
                .iter()
                .enumerate()
                .all(|(position, &(index, _))| index == position),
            "strategy {} returned partial results out of order",
            self.name()
        );
        partials
            .into_iter()
            .map(|(_, partial)| partial)
            .reduce(combine)
            .unwrap_or_else(identity)
    }
    // ANCHOR_END: map_reduce

    /// Calls `f(start, chunk)` on disjoint chunks that together cover `data`,
    /// where `start` is the index of the chunk's first element.
    ///
    /// This is the in-place form, for workloads that fill a buffer (image
    /// rows, the vectors of an iterative method).
    ///
    /// ```
    /// # use ps_strategy::{Chunks, Strategy};
    /// # #[derive(Debug)] struct Inline;
    /// # impl Strategy for Inline {
    /// #     fn name(&self) -> &'static str { "inline" }
    /// #     fn threads(&self) -> usize { 1 }
    /// #     fn chunks(&self, len: usize) -> Chunks { Chunks::new(len, 4) }
    /// #     fn run_tasks<R: Send, F: Fn(usize) -> R + Sync>(&self, n: usize, task: F) -> Vec<R> {
    /// #         (0..n).map(task).collect()
    /// #     }
    /// # }
    /// let mut buffer = vec![0; 10];
    /// Inline.for_each_chunk_mut(&mut buffer, |start, chunk| {
    ///     for (offset, x) in chunk.iter_mut().enumerate() {
    ///         *x = start + offset;
    ///     }
    /// });
    /// assert_eq!(buffer, (0..10).collect::<Vec<_>>());
    /// ```
    ///
    /// # Panics
    ///
    /// Re-raises a panic from `f`. Panics if the strategy does not run every
    /// chunk exactly once (a bug in the strategy).
    // ANCHOR: for_each_chunk_mut
    fn for_each_chunk_mut<T, F>(&self, data: &mut [T], f: F)
    where
        T: Send,
        F: Fn(usize, &mut [T]) + Sync,
    {
        let chunk_len = self.chunks(data.len()).chunk_len();
        let chunks = DisjointChunks::new(data, chunk_len);
        let finished = self.run_tasks(chunks.chunks().count(), |index| {
            chunks.with_chunk(index, &f)
        });
        assert!(
            chunks.all_finished(finished),
            "strategy {} skipped chunks of for_each_chunk_mut",
            self.name()
        );
    }
    // ANCHOR_END: for_each_chunk_mut
}
