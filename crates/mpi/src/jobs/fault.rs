//! A job that panics on one rank, to prove a panic ends the whole job.

use std::ops::Range;

use ps_strategy::Strategy;
use ps_workload::Sizes;
use ps_workload::Workload;

use crate::{Distributed, Team};

/// Squares `0..n`, except that the rank numbered `panic_on_rank` panics
/// inside its local strategy's closure, on a worker thread when the
/// strategy has any. Used by `ps-mpi check --panic-on-rank`.
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    /// The rank that panics.
    pub panic_on_rank: usize,
}

/// The message the failing rank panics with.
pub const FAULT_MESSAGE: &str = "injected fault";

impl Workload for Fault {
    type Input = Vec<u64>;
    type Output = Vec<u64>;

    fn name(&self) -> &'static str {
        "fault"
    }

    fn summary(&self) -> &'static str {
        "squares, with a panic on one rank"
    }

    fn n_means(&self) -> &'static str {
        "numbers to square"
    }

    fn sizes(&self) -> Sizes {
        Sizes {
            quick: 64,
            default: 64,
            large: 64,
        }
    }

    fn grain(&self, _n: usize) -> usize {
        4
    }

    fn prepare(&self, n: usize) -> Vec<u64> {
        (0..n as u64).collect()
    }

    fn run<S: Strategy>(&self, strategy: &S, input: &Vec<u64>) -> Vec<u64> {
        strategy.map(input, |&x| x * x)
    }

    fn run_serial(&self, input: &Vec<u64>) -> Vec<u64> {
        input.iter().map(|&x| x * x).collect()
    }
}

impl Distributed for Fault {
    type Share = Vec<u64>;
    type Part = Vec<u64>;

    fn elements(&self, input: &Vec<u64>) -> usize {
        input.len()
    }

    fn share(&self, input: &Vec<u64>, block: Range<usize>) -> Vec<u64> {
        input[block].to_vec()
    }

    fn run_share<S: Strategy>(&self, strategy: &S, share: &Vec<u64>, team: &dyn Team) -> Vec<u64> {
        let fails = team.rank() == self.panic_on_rank;
        strategy.map(share, |&x| {
            assert!(!fails, "{FAULT_MESSAGE}");
            x * x
        })
    }

    fn combine(&self, _: &Vec<u64>, parts: Vec<Vec<u64>>) -> Vec<u64> {
        parts.concat()
    }
}
