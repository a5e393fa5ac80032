//! Fannkuch-redux across ranks: the `n!` positions of the benchmark's
//! order cut into one block per rank, each tallied under the rank's local
//! strategy (which cuts it again into ranges); rank 0 joins the tallies in
//! rank order. Nothing is exchanged but the tallies: a rank needs only `n`,
//! since every permutation is computed from its position.

use std::ops::Range;

use ps_strategy::Strategy;
use ps_workloads::fannkuch_redux::{
    Answer, FannkuchRedux, Tally, fannkuch_redux_positions, permutations,
};

use crate::wire::{Wire, WireError};
use crate::{Distributed, Team};

/// A tally travels as its checksum and its most flips.
impl Wire for Tally {
    fn encode(&self, out: &mut Vec<u8>) {
        self.checksum.encode(out);
        self.max_flips.encode(out);
    }

    fn read(bytes: &mut &[u8]) -> Result<Self, WireError> {
        Ok(Tally {
            checksum: i64::read(bytes)?,
            max_flips: u32::read(bytes)?,
        })
    }
}

impl Distributed for FannkuchRedux {
    /// `n`, and this rank's block of positions.
    type Share = (usize, Range<usize>);
    type Part = Tally;

    fn elements(&self, &n: &usize) -> usize {
        permutations(n).expect("the workload refuses an n whose n! overflows")
    }

    fn share(&self, &n: &usize, block: Range<usize>) -> (usize, Range<usize>) {
        (n, block)
    }

    fn run_share<S: Strategy>(
        &self,
        strategy: &S,
        (n, block): &(usize, Range<usize>),
        _: &dyn Team,
    ) -> Tally {
        fannkuch_redux_positions(strategy, *n, block.clone())
    }

    /// Checksums add and maxima combine by `max`, whatever the cut: the
    /// checksum's sign follows a position's place in the whole order.
    fn combine(&self, &n: &usize, parts: Vec<Tally>) -> Answer {
        Answer {
            n,
            tally: parts.into_iter().fold(Tally::default(), Tally::join),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Solo;
    use ps_serial::Serial;
    use ps_workload::Workload;

    #[test]
    fn blocks_join_to_the_published_answer() {
        let n = 7;
        let parts = [0..1000, 1000..1000, 1000..5040]
            .into_iter()
            .map(|block| {
                FannkuchRedux.run_share(&Serial, &FannkuchRedux.share(&n, block), &Solo::default())
            })
            .collect();
        let answer = FannkuchRedux.combine(&n, parts);
        assert_eq!((answer.tally.checksum, answer.tally.max_flips), (228, 16));
        assert_eq!(FannkuchRedux.elements(&FannkuchRedux.prepare(n)), 5040);
    }

    #[test]
    fn a_tally_round_trips() {
        let tally = Tally {
            checksum: -3,
            max_flips: 65,
        };
        let mut bytes = Vec::new();
        tally.encode(&mut bytes);
        assert_eq!(Tally::decode(&bytes).unwrap(), tally);
    }
}
