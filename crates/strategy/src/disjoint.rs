//! Handing out the chunks of one `&mut [T]` to many threads, each at most once.
//!
//! This is the only `unsafe` code in the project's strategies. It lets the
//! trait's provided methods write results straight into their final place —
//! the output `Vec` of `map`, the caller's buffer of `for_each_chunk_mut` —
//! while the scheduling is left to a strategy that only knows chunk indices.
//! Soundness does not depend on the strategy being correct: a chunk handed out
//! twice is a panic, and the caller checks that every chunk was finished.
//!
//! # Proving completion without a shared counter
//!
//! "Every chunk finished" is proved by the results themselves rather than by
//! a counter every task increments. Each finished chunk yields one
//! [`Finished`] token, which only [`DisjointChunks::with_chunk`] can create
//! and which cannot be copied; the task returns it, and the strategy hands
//! every task's result back from `run_tasks`. Since a chunk can be taken at
//! most once, as many tokens as chunks means every chunk was taken *and its
//! work returned*. A strategy is generic over the result type, so it cannot
//! make, copy or keep a token of its own: it can only lose some, which the
//! count shows.
//!
//! The tokens also carry the ordering the caller needs: a token is created
//! after its chunk's writes, and a strategy can only move a value from the
//! thread that made it to the caller through something that synchronises
//! (a join, a channel, a lock) — safe Rust has no other way — so the writes
//! happen before the caller reads the buffer.
//!
//! A shared counter did the same job before, at the price of one cache line
//! that every task of every thread wrote to. The per-chunk `taken` flags
//! remain: they must be checked *before* a `&mut` is built, which no result
//! can do. Each flag is written once per call, mostly by the thread that runs
//! its neighbours too.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::Chunks;

/// The chunks of a mutable slice, each of which can be taken exactly once from
/// any thread.
pub(crate) struct DisjointChunks<'a, T> {
    base: *mut T,
    chunks: Chunks,
    taken: Box<[AtomicBool]>,
    _borrow: PhantomData<&'a mut [T]>,
}

/// Proof that one chunk (or one task's result slot) was taken and its work
/// returned normally.
///
/// Its field is private, so only this crate's `DisjointChunks::with_chunk` makes one;
/// it is neither `Clone` nor `Copy`, and zero-sized, so a `Vec` of them never
/// allocates. The lifetime keeps it from outliving the chunks it speaks for.
/// It is public only because [`DynStrategy::run_each`](crate::DynStrategy::run_each)
/// hands tokens back through a trait object; nothing outside this crate can
/// make one.
#[must_use = "a chunk's completion is proved only by handing its token back"]
#[derive(Debug)]
pub struct Finished<'c> {
    _chunks: PhantomData<&'c ()>,
}

// SAFETY: `with_chunk` gives each thread exclusive `&mut` access to a distinct
// chunk, which is sound exactly when `&mut [T]` may be sent to another thread,
// that is when `T: Send`. Nothing else is shared but atomics.
unsafe impl<T: Send> Sync for DisjointChunks<'_, T> {}

impl<'a, T> DisjointChunks<'a, T> {
    /// Borrows `slice` for as long as the chunks are in use.
    pub(crate) fn new(slice: &'a mut [T], chunk_len: usize) -> Self {
        let chunks = Chunks::new(slice.len(), chunk_len);
        DisjointChunks {
            base: slice.as_mut_ptr(),
            chunks,
            taken: (0..chunks.count())
                .map(|_| AtomicBool::new(false))
                .collect(),
            _borrow: PhantomData,
        }
    }

    pub(crate) fn chunks(&self) -> Chunks {
        self.chunks
    }

    /// Takes chunk `index` with its first element's index, calls `work` on
    /// it, and returns the token that proves it finished.
    ///
    /// # Panics
    ///
    /// If the chunk was taken before: the strategy scheduled it twice.
    pub(crate) fn with_chunk(
        &self,
        index: usize,
        work: impl FnOnce(usize, &mut [T]),
    ) -> Finished<'_> {
        let range = self.chunks.range(index);
        // Relaxed is enough: the swap is atomic, so exactly one caller sees `false`.
        let already_taken = self.taken[index].swap(true, Ordering::Relaxed);
        assert!(!already_taken, "the strategy ran chunk {index} twice");
        // SAFETY: `range` lies inside the borrowed slice (`Chunks::range`
        // stays below its length), chunks never overlap, and the swap above
        // lets only one caller ever build a reference to this chunk. The
        // `'a` borrow held by `self` keeps the slice alive and unaliased.
        let chunk =
            unsafe { std::slice::from_raw_parts_mut(self.base.add(range.start), range.len()) };
        work(range.start, chunk);
        Finished {
            _chunks: PhantomData,
        }
    }

    /// Whether `tokens` — what `run_tasks` returned for the tasks that called
    /// [`with_chunk`](Self::with_chunk) — prove that every chunk was taken
    /// and its work returned normally.
    ///
    /// Taking `tokens` by value consumes them, so one set cannot prove two
    /// calls.
    pub(crate) fn all_finished(&self, tokens: Vec<Finished<'_>>) -> bool {
        // Each chunk yields at most one token (a second take panics before
        // `work` runs), so the count alone proves that none is missing.
        let handed_back = tokens.len();
        drop(tokens);
        handed_back == self.chunks.count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_handed_back_proves_completion_and_one_missing_does_not() {
        let mut data = [0_u8; 10];
        let chunks = DisjointChunks::new(&mut data, 3);
        let mut tokens: Vec<_> = (0..chunks.chunks().count())
            .map(|index| chunks.with_chunk(index, |start, chunk| chunk.fill(start as u8)))
            .collect();
        let _lost = tokens.pop();
        assert!(!chunks.all_finished(tokens));

        let chunks = DisjointChunks::new(&mut data, 4);
        let tokens: Vec<_> = (0..chunks.chunks().count())
            .map(|index| chunks.with_chunk(index, |_, chunk| chunk.fill(9)))
            .collect();
        assert!(chunks.all_finished(tokens));
        assert_eq!(data, [9; 10]);
    }

    #[test]
    #[should_panic(expected = "ran chunk 1 twice")]
    fn a_chunk_taken_twice_panics_before_its_work_runs() {
        let mut data = [0_u8; 4];
        let chunks = DisjointChunks::new(&mut data, 2);
        let _first = chunks.with_chunk(1, |_, chunk| chunk.fill(1));
        let _second = chunks.with_chunk(1, |_, _| unreachable!("handed out twice"));
    }
}
