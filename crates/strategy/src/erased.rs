//! Any strategy behind a pointer: an object-safe core, one dynamic call per
//! task.
//!
//! [`Strategy::run_tasks`] is generic over the task and its result, so the
//! trait cannot be a trait object. A program that picks strategies at run
//! time — a harness measuring a reader's own strategy beside the built-in
//! ones — still needs one type for all of them. [`DynStrategy`] is that
//! type's vocabulary: the same four questions with the generics taken out.
//! Its [`run_each`](DynStrategy::run_each) takes the task as `&dyn Fn`, and
//! every `Strategy` that is `Send + Sync + Debug` gets it for free.
//!
//! [`BoxedStrategy`] turns it back into a [`Strategy`]. Its `run_tasks`
//! makes one dynamic call per *call* and the strategy makes one dynamic call
//! per *task* (a chunk of elements); the per-element closure inside each task
//! is still the workload's own, monomorphised and inlined. Each task's
//! result is written into its own slot of the output — the same
//! [`DisjointChunks`] that `map` uses, with chunks of one — so nothing is
//! boxed per task, and a strategy that runs a task twice or skips one is
//! caught exactly as it is for the provided methods.

use std::fmt;

use crate::disjoint::{DisjointChunks, Finished};
use crate::{Chunks, Strategy};

/// A [`Strategy`] with its generic method made object safe.
///
/// Implemented for every `Strategy + Send + Sync + Debug`; use it through
/// [`BoxedStrategy`], which implements `Strategy` again.
///
/// ```
/// use ps_strategy::{Chunks, DynStrategy, Strategy};
///
/// #[derive(Debug)]
/// struct Inline(usize);
///
/// impl Strategy for Inline {
///     fn name(&self) -> &'static str { "inline" }
///     fn threads(&self) -> usize { 1 }
///     fn chunks(&self, len: usize) -> Chunks { Chunks::new(len, self.0) }
///     fn run_tasks<R: Send, F: Fn(usize) -> R + Sync>(&self, n: usize, task: F) -> Vec<R> {
///         (0..n).map(task).collect()
///     }
/// }
///
/// let chosen: Vec<Box<dyn DynStrategy>> = vec![Box::new(Inline(2)), Box::new(Inline(5))];
/// let counts: Vec<_> = chosen.iter().map(|s| s.chunks(10).count()).collect();
/// assert_eq!(counts, [5, 2]);
/// ```
pub trait DynStrategy: Send + Sync + fmt::Debug {
    /// [`Strategy::name`].
    fn name(&self) -> &'static str;
    /// [`Strategy::threads`].
    fn threads(&self) -> usize;
    /// [`Strategy::chunks`].
    fn chunks(&self, len: usize) -> Chunks;
    /// [`Strategy::run_tasks`] with the task behind a reference: calls
    /// `task(i)` once for every `i` in `0..count` and hands back what each
    /// returned.
    ///
    /// The tokens can only be made by the caller's task, so an
    /// implementation can lose them but never forge them (see
    /// [`BoxedStrategy`]).
    fn run_each<'c>(
        &self,
        count: usize,
        task: &(dyn Fn(usize) -> Finished<'c> + Sync),
    ) -> Vec<Finished<'c>>;
}

impl<S: Strategy + Send + Sync + fmt::Debug> DynStrategy for S {
    fn name(&self) -> &'static str {
        Strategy::name(self)
    }

    fn threads(&self) -> usize {
        Strategy::threads(self)
    }

    fn chunks(&self, len: usize) -> Chunks {
        Strategy::chunks(self, len)
    }

    fn run_each<'c>(
        &self,
        count: usize,
        task: &(dyn Fn(usize) -> Finished<'c> + Sync),
    ) -> Vec<Finished<'c>> {
        self.run_tasks(count, task)
    }
}

/// Any strategy, boxed: one type for strategies chosen at run time.
///
/// ```
/// use ps_strategy::{BoxedStrategy, Chunks, Strategy};
///
/// #[derive(Debug)]
/// struct Inline;
///
/// impl Strategy for Inline {
///     fn name(&self) -> &'static str { "inline" }
///     fn threads(&self) -> usize { 1 }
///     fn chunks(&self, len: usize) -> Chunks { Chunks::new(len, 2) }
///     fn run_tasks<R: Send, F: Fn(usize) -> R + Sync>(&self, n: usize, task: F) -> Vec<R> {
///         (0..n).map(task).collect()
///     }
/// }
///
/// let strategy = BoxedStrategy::new(Inline);
/// assert_eq!(strategy.name(), "inline");
/// assert_eq!(strategy.map(&[1, 2, 3, 4, 5], |x| x * 10), [10, 20, 30, 40, 50]);
/// assert_eq!(strategy.map_reduce(&[1, 2, 3], || 0, |a, x| a + x, |a, b| a + b), 6);
/// ```
#[derive(Debug)]
pub struct BoxedStrategy(Box<dyn DynStrategy>);

impl BoxedStrategy {
    /// Boxes `strategy`.
    #[must_use]
    pub fn new(strategy: impl DynStrategy + 'static) -> Self {
        BoxedStrategy(Box::new(strategy))
    }
}

// ANCHOR: boxed
impl Strategy for BoxedStrategy {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn threads(&self) -> usize {
        self.0.threads()
    }

    fn chunks(&self, len: usize) -> Chunks {
        self.0.chunks(len)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        let mut results = Vec::with_capacity(count);
        let slots = DisjointChunks::new(&mut results.spare_capacity_mut()[..count], 1);
        let finished = self.0.run_each(count, &|index| {
            slots.with_chunk(index, |_, slot| {
                slot[0].write(task(index));
            })
        });
        assert!(
            slots.all_finished(finished),
            "strategy {} skipped tasks",
            Strategy::name(self)
        );
        // SAFETY: each of the `count` one-element chunks was taken at most
        // once (`with_chunk` panics otherwise) and a token for each came
        // back, so every slot was written exactly once, and handing the
        // tokens back ordered those writes before this point.
        unsafe { results.set_len(count) };
        results
    }
}
// ANCHOR_END: boxed

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs tasks on the calling thread, optionally skipping one.
    #[derive(Debug)]
    struct Inline {
        skip: Option<usize>,
    }

    impl Strategy for Inline {
        fn name(&self) -> &'static str {
            "inline"
        }
        fn threads(&self) -> usize {
            1
        }
        fn chunks(&self, len: usize) -> Chunks {
            Chunks::new(len, 3)
        }
        fn run_tasks<R: Send, F: Fn(usize) -> R + Sync>(&self, count: usize, task: F) -> Vec<R> {
            (0..count)
                .filter(|&i| Some(i) != self.skip)
                .map(task)
                .collect()
        }
    }

    #[test]
    fn results_come_back_in_index_order_with_their_own_type() {
        let boxed = BoxedStrategy::new(Inline { skip: None });
        let words = boxed.run_tasks(4, |i| "x".repeat(i));
        assert_eq!(words, ["", "x", "xx", "xxx"]);
        assert!(boxed.run_tasks(0, |i| i).is_empty());
    }

    #[test]
    #[should_panic(expected = "strategy inline skipped tasks")]
    fn a_skipped_task_is_caught() {
        let boxed = BoxedStrategy::new(Inline { skip: Some(2) });
        let _ = boxed.run_tasks(4, |i| i);
    }
}
