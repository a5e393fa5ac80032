//! The ranks of a job as the jobs see them: who am I, how many are we, and
//! two collective exchanges of bytes.

use std::cell::Cell;
use std::time::Duration;

/// What a rank has sent to other ranks and how long it spent in exchanges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Bytes this rank sent to other ranks (payload and the lengths that
    /// precede it; nothing for the copy a rank makes to itself).
    pub bytes_sent: u64,
    /// Time spent inside exchanges, waiting for the slowest rank included.
    pub in_exchanges: Duration,
}

/// The ranks of a job, as a [`Distributed`](crate::Distributed) job sees
/// them.
///
/// Every rank must make the same calls in the same order: these are
/// collective operations, and a rank that skips one leaves the others
/// waiting. A `Team` is deliberately not `Sync`, so the closures a local
/// strategy runs on its worker threads cannot capture it: only the rank's
/// main thread talks to other ranks, which is the contract MPI's
/// `MPI_THREAD_FUNNELED` level asks for.
pub trait Team {
    /// This rank's number, from 0.
    fn rank(&self) -> usize;

    /// How many ranks the job has (at least 1).
    fn ranks(&self) -> usize;

    /// Every rank's `mine`, in rank order, on every rank.
    fn all_gather(&self, mine: &[u8]) -> Vec<Vec<u8>>;

    /// Every rank's `mine`, in rank order, on rank 0; `None` on the others.
    fn gather(&self, mine: &[u8]) -> Option<Vec<Vec<u8>>>;

    /// Waits until every rank has called it.
    fn barrier(&self);

    /// What this rank has sent and waited since the last call, resetting
    /// the count.
    fn take_traffic(&self) -> Traffic;
}

/// A job of one rank, with no MPI: every exchange returns this rank's own
/// bytes. For tests, and to run a [`Distributed`](crate::Distributed) job
/// where MPI is not wanted.
///
/// ```
/// use ps_mpi::{Solo, Team};
///
/// assert_eq!(Solo::default().gather(b"hi"), Some(vec![b"hi".to_vec()]));
/// ```
#[derive(Debug, Default)]
pub struct Solo {
    // A `Cell` keeps `Solo` !Sync like a real team, so code that compiles
    // against it respects the same rule.
    calls: Cell<u64>,
}

impl Team for Solo {
    fn rank(&self) -> usize {
        0
    }

    fn ranks(&self) -> usize {
        1
    }

    fn all_gather(&self, mine: &[u8]) -> Vec<Vec<u8>> {
        self.calls.set(self.calls.get() + 1);
        vec![mine.to_vec()]
    }

    fn gather(&self, mine: &[u8]) -> Option<Vec<Vec<u8>>> {
        self.calls.set(self.calls.get() + 1);
        Some(vec![mine.to_vec()])
    }

    fn barrier(&self) {}

    fn take_traffic(&self) -> Traffic {
        self.calls.set(0);
        Traffic::default()
    }
}
