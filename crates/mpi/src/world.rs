//! [`Team`] over an MPI communicator, counting bytes and time.

use std::cell::Cell;
use std::fmt;
use std::time::{Duration, Instant};

use mpi::Count;
use mpi::datatype::PartitionMut;
use mpi::topology::SimpleCommunicator;
use mpi::traits::{Communicator, CommunicatorCollectives, Root};

use crate::team::{Team, Traffic};

/// The ranks of an MPI communicator (usually the world) as a [`Team`].
///
/// Each exchange is two collectives: the lengths first (one `i32` per rank,
/// MPI's count type), then the bytes with `MPI_Gatherv` or
/// `MPI_Allgatherv`. Bytes sent and time spent inside the calls are counted
/// for [`take_traffic`](Team::take_traffic).
pub struct MpiTeam {
    comm: SimpleCommunicator,
    traffic: Cell<Traffic>,
}

impl fmt::Debug for MpiTeam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MpiTeam")
            .field("rank", &self.comm.rank())
            .field("ranks", &self.comm.size())
            .finish_non_exhaustive()
    }
}

impl MpiTeam {
    /// Wraps `comm`.
    #[must_use]
    pub fn new(comm: SimpleCommunicator) -> Self {
        MpiTeam {
            comm,
            traffic: Cell::new(Traffic::default()),
        }
    }

    /// The communicator, for what the [`Team`] trait does not cover
    /// (`abort`).
    #[must_use]
    pub fn communicator(&self) -> &SimpleCommunicator {
        &self.comm
    }

    /// A barrier that sleeps while it waits, where [`Team::barrier`] spins:
    /// for ranks that wait while rank 0 times something alone (the serial
    /// reference), so that their waiting takes no core from it.
    pub fn barrier_sleeping(&self) {
        let mut request = self.comm.immediate_barrier();
        loop {
            match request.test() {
                Ok(_) => return,
                Err(pending) => request = pending,
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn count(&self, bytes_sent: usize, started: Instant) {
        let mut traffic = self.traffic.get();
        traffic.bytes_sent += bytes_sent as u64;
        traffic.in_exchanges += started.elapsed();
        self.traffic.set(traffic);
    }

    fn length(mine: &[u8]) -> Count {
        Count::try_from(mine.len()).expect("a message of at most 2 GiB, MPI's count limit")
    }
}

/// Cuts the concatenated receive buffer back into one message per rank.
fn split(buffer: &[u8], lengths: &[Count]) -> Vec<Vec<u8>> {
    let mut start = 0;
    lengths
        .iter()
        .map(|&length| {
            let end = start + length as usize;
            let message = buffer[start..end].to_vec();
            start = end;
            message
        })
        .collect()
}

fn displacements(lengths: &[Count]) -> Vec<Count> {
    lengths
        .iter()
        .scan(0, |offset, &length| {
            let here = *offset;
            *offset += length;
            Some(here)
        })
        .collect()
}

impl Team for MpiTeam {
    fn rank(&self) -> usize {
        self.comm.rank() as usize
    }

    fn ranks(&self) -> usize {
        self.comm.size() as usize
    }

    fn all_gather(&self, mine: &[u8]) -> Vec<Vec<u8>> {
        let started = Instant::now();
        let ranks = self.ranks();
        let mut lengths = vec![0 as Count; ranks];
        self.comm
            .all_gather_into(&Self::length(mine), &mut lengths[..]);
        let total: usize = lengths.iter().map(|&length| length as usize).sum();
        let mut buffer = vec![0_u8; total];
        let offsets = displacements(&lengths);
        let mut partition = PartitionMut::new(&mut buffer[..], &lengths[..], &offsets[..]);
        self.comm.all_gather_varcount_into(mine, &mut partition);
        self.count((size_of::<Count>() + mine.len()) * (ranks - 1), started);
        split(&buffer, &lengths)
    }

    fn gather(&self, mine: &[u8]) -> Option<Vec<Vec<u8>>> {
        let started = Instant::now();
        let root = self.comm.process_at_rank(0);
        let length = Self::length(mine);
        if self.comm.rank() == 0 {
            let mut lengths = vec![0 as Count; self.ranks()];
            root.gather_into_root(&length, &mut lengths[..]);
            let total: usize = lengths.iter().map(|&length| length as usize).sum();
            let mut buffer = vec![0_u8; total];
            let offsets = displacements(&lengths);
            let mut partition = PartitionMut::new(&mut buffer[..], &lengths[..], &offsets[..]);
            root.gather_varcount_into_root(mine, &mut partition);
            self.count(0, started);
            Some(split(&buffer, &lengths))
        } else {
            root.gather_into(&length);
            root.gather_varcount_into(mine);
            self.count(size_of::<Count>() + mine.len(), started);
            None
        }
    }

    fn barrier(&self) {
        self.comm.barrier();
    }

    fn take_traffic(&self) -> Traffic {
        self.traffic.replace(Traffic::default())
    }
}
