//! Handing out the chunks of one `&mut [T]` to many threads, each at most once.
//!
//! This is the only `unsafe` code in the project's strategies. It lets the
//! trait's provided methods write results straight into their final place —
//! the output `Vec` of `map`, the caller's buffer of `for_each_chunk_mut` —
//! while the scheduling is left to a strategy that only knows chunk indices.
//! Soundness does not depend on the strategy being correct: a chunk handed out
//! twice is a panic, and the caller checks that every chunk was finished.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::Chunks;

/// The chunks of a mutable slice, each of which can be taken exactly once from
/// any thread.
pub(crate) struct DisjointChunks<'a, T> {
    base: *mut T,
    chunks: Chunks,
    taken: Box<[AtomicBool]>,
    finished: AtomicUsize,
    _borrow: PhantomData<&'a mut [T]>,
}

// SAFETY: `take` gives each thread exclusive `&mut` access to a distinct
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
            finished: AtomicUsize::new(0),
            _borrow: PhantomData,
        }
    }

    pub(crate) fn chunks(&self) -> Chunks {
        self.chunks
    }

    /// Takes chunk `index` with its first element's index, and calls `work` on it.
    ///
    /// # Panics
    ///
    /// If the chunk was taken before: the strategy scheduled it twice.
    pub(crate) fn with_chunk<R>(&self, index: usize, work: impl FnOnce(usize, &mut [T]) -> R) -> R {
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
        let result = work(range.start, chunk);
        // Release pairs with the Acquire in `all_finished`: whoever sees the
        // final count also sees every write made to the chunks.
        self.finished.fetch_add(1, Ordering::Release);
        result
    }

    /// Whether every chunk was taken and its work returned normally.
    pub(crate) fn all_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire) == self.chunks.count()
    }
}
