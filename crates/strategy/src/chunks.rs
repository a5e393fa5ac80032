//! How a slice is cut into units of work.

use std::ops::Range;

/// A slice of `len` elements cut into consecutive chunks of `chunk_len`
/// elements; the last chunk holds the remainder.
///
/// The cut depends only on the two numbers, never on timing, so the same
/// configuration always produces the same chunks — the reason reductions are
/// reproducible to the bit.
///
/// ```
/// use ps_strategy::Chunks;
///
/// let chunks = Chunks::new(10, 4);
/// assert_eq!(chunks.count(), 3);
/// assert_eq!(chunks.range(2), 8..10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunks {
    len: usize,
    chunk_len: usize,
}

impl Chunks {
    /// Cuts `len` elements into chunks of `chunk_len` (a `chunk_len` of 0 is taken as 1).
    #[must_use]
    pub fn new(len: usize, chunk_len: usize) -> Self {
        Chunks {
            len,
            chunk_len: chunk_len.max(1),
        }
    }

    /// Cuts `len` elements into at most `parts` chunks of nearly equal size.
    ///
    /// ```
    /// use ps_strategy::Chunks;
    ///
    /// assert_eq!(Chunks::split_evenly(10, 4).chunk_len(), 3);
    /// assert_eq!(Chunks::split_evenly(2, 4).count(), 2);
    /// ```
    #[must_use]
    pub fn split_evenly(len: usize, parts: usize) -> Self {
        Chunks::new(len, len.div_ceil(parts.max(1)))
    }

    /// The number of elements cut.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is nothing to cut.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The length of every chunk but the last.
    #[must_use]
    pub fn chunk_len(&self) -> usize {
        self.chunk_len
    }

    /// The number of chunks; 0 for an empty slice.
    #[must_use]
    pub fn count(&self) -> usize {
        self.len.div_ceil(self.chunk_len)
    }

    /// The element indices of chunk `index`.
    ///
    /// # Panics
    ///
    /// If `index >= self.count()`.
    #[must_use]
    pub fn range(&self, index: usize) -> Range<usize> {
        assert!(
            index < self.count(),
            "chunk {index} out of {} chunks",
            self.count()
        );
        let start = index * self.chunk_len;
        // Saturating: with zero-sized elements `len` may be close to
        // `usize::MAX`, and the last chunk's nominal end past it.
        start..start.saturating_add(self.chunk_len).min(self.len)
    }
}
