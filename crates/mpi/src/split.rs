//! Cutting `0..len` into one contiguous block per rank.

use std::fmt;
use std::ops::Range;

/// Why a split could not be made.
///
/// ```
/// use ps_mpi::{SplitError, block};
///
/// assert_eq!(block(0, 0, 10), Err(SplitError::NoRanks));
/// assert_eq!(block(3, 2, 10).unwrap_err().to_string(), "rank 3 is not below the 2 ranks of the job");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// A job of zero ranks has nobody to give the work to.
    NoRanks,
    /// `rank` is not one of the job's `ranks`.
    NoSuchRank {
        /// The rank asked for.
        rank: usize,
        /// The number of ranks in the job.
        ranks: usize,
    },
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::NoRanks => f.write_str("a job needs at least one rank, got 0"),
            SplitError::NoSuchRank { rank, ranks } => {
                write!(f, "rank {rank} is not below the {ranks} ranks of the job")
            }
        }
    }
}

impl std::error::Error for SplitError {}

/// The indices rank `rank` of `ranks` owns out of `0..len`.
///
/// Blocks are contiguous and in rank order, so concatenating the ranks'
/// results in rank order gives the serial order. Their lengths differ by at
/// most one: the first `len % ranks` ranks take one element more. With more
/// ranks than elements the last ranks get empty blocks, which every
/// [`Distributed`](crate::Distributed) job must accept.
///
/// ```
/// use ps_mpi::block;
///
/// // 10 elements over 4 ranks: 3, 3, 2, 2.
/// let blocks: Vec<_> = (0..4).map(|rank| block(rank, 4, 10).unwrap()).collect();
/// assert_eq!(blocks, [0..3, 3..6, 6..8, 8..10]);
/// // More ranks than elements: the last ranks have nothing to do.
/// assert_eq!(block(2, 3, 2), Ok(2..2));
/// ```
///
/// # Errors
///
/// [`SplitError`] when `ranks` is zero or `rank` is not below it.
pub fn block(rank: usize, ranks: usize, len: usize) -> Result<Range<usize>, SplitError> {
    if ranks == 0 {
        return Err(SplitError::NoRanks);
    }
    if rank >= ranks {
        return Err(SplitError::NoSuchRank { rank, ranks });
    }
    let (base, extra) = (len / ranks, len % ranks);
    let start = rank * base + rank.min(extra);
    let size = base + usize::from(rank < extra);
    Ok(start..start + size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_tile_the_range_in_rank_order_for_every_shape() {
        for len in 0..40 {
            for ranks in 1..12 {
                let mut next = 0;
                for rank in 0..ranks {
                    let range = block(rank, ranks, len).unwrap();
                    assert_eq!(range.start, next, "len {len}, ranks {ranks}, rank {rank}");
                    assert!(range.len() == len / ranks || range.len() == len / ranks + 1);
                    next = range.end;
                }
                assert_eq!(next, len, "len {len}, ranks {ranks}");
            }
        }
    }

    #[test]
    fn bad_shapes_are_typed_errors() {
        assert_eq!(block(0, 0, 5), Err(SplitError::NoRanks));
        assert_eq!(
            block(4, 4, 5),
            Err(SplitError::NoSuchRank { rank: 4, ranks: 4 })
        );
    }
}
