//! The jobs whose input is the vector `0..n`: each rank runs the workload's
//! own `run` on its block, and rank 0 concatenates or adds the parts.

use std::ops::Range;

use ps_strategy::Strategy;
use ps_workload::Workload;
use ps_workloads::latency::Latency;
use ps_workloads::primes::Primes;
use ps_workloads::squares::Squares;
use ps_workloads::sum_of_squares::SumOfSquares;

use crate::{Distributed, Team};

// ANCHOR: squares
impl Distributed for Squares {
    type Share = Vec<u64>;
    type Part = Vec<u64>;

    fn elements(&self, input: &Vec<u64>) -> usize {
        input.len()
    }

    fn share(&self, input: &Vec<u64>, block: Range<usize>) -> Vec<u64> {
        input[block].to_vec()
    }

    fn run_share<S: Strategy>(&self, strategy: &S, share: &Vec<u64>, _: &dyn Team) -> Vec<u64> {
        self.run(strategy, share)
    }

    /// A gather: the blocks in rank order are the whole output. Rank 0's
    /// block grows into it, so its squares are not copied again.
    fn combine(&self, _: &Vec<u64>, parts: Vec<Vec<u64>>) -> Vec<u64> {
        let total: usize = parts.iter().map(Vec::len).sum();
        let mut parts = parts.into_iter();
        let mut whole = parts.next().unwrap_or_default();
        whole.reserve_exact(total - whole.len());
        for part in parts {
            whole.extend_from_slice(&part);
        }
        whole
    }
}
// ANCHOR_END: squares

/// The reductions: one `u64` per rank, added in rank order with the same
/// operation the workload's own `map_reduce` combines chunks with.
macro_rules! reduction {
    ($workload:ty, $add:expr) => {
        impl Distributed for $workload {
            type Share = Vec<u64>;
            type Part = u64;

            fn elements(&self, input: &Vec<u64>) -> usize {
                input.len()
            }

            fn share(&self, input: &Vec<u64>, block: Range<usize>) -> Vec<u64> {
                input[block].to_vec()
            }

            fn run_share<S: Strategy>(&self, strategy: &S, share: &Vec<u64>, _: &dyn Team) -> u64 {
                self.run(strategy, share)
            }

            fn combine(&self, _: &Vec<u64>, parts: Vec<u64>) -> u64 {
                parts.into_iter().fold(0, $add)
            }
        }
    };
}

reduction!(SumOfSquares, u64::wrapping_add);
reduction!(Primes, |count, part| count + part);
reduction!(Latency, u64::wrapping_add);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Solo;
    use ps_serial::Serial;

    #[test]
    fn blocks_combine_to_the_serial_answer() {
        let input = Primes.prepare(1000);
        let parts: Vec<u64> = [0..10, 10..10, 10..999, 999..1000]
            .into_iter()
            .map(|block| Primes.run_share(&Serial, &Primes.share(&input, block), &Solo::default()))
            .collect();
        assert_eq!(Primes.combine(&input, parts), 168);

        let input = Squares.prepare(7);
        let parts = [0..3, 3..3, 3..7]
            .into_iter()
            .map(|block| {
                Squares.run_share(&Serial, &Squares.share(&input, block), &Solo::default())
            })
            .collect();
        assert_eq!(Squares.combine(&input, parts), [0, 1, 4, 9, 16, 25, 36]);
    }
}
