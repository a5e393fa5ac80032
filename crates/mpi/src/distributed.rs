//! The [`Distributed`] trait: a workload that can be split across ranks.

use std::ops::Range;

use ps_strategy::Strategy;
use ps_workload::Workload;

use crate::split::{SplitError, block};
use crate::team::Team;
use crate::wire::Wire;

/// A [`Workload`] whose input can be cut into contiguous blocks, one per
/// rank, and whose partial results can be sent to rank 0 and combined there.
///
/// A run on `P` ranks is: every rank builds the input and takes its
/// [`share`](Distributed::share) of `0..elements` (outside the timed
/// region); each runs [`run_share`](Distributed::run_share) with its own
/// local strategy; the [`Part`](Distributed::Part)s travel to rank 0 as
/// bytes ([`Wire`]), and rank 0 [`combine`](Distributed::combine)s them *in
/// rank order* into the same `Output` the serial reference produces, which
/// [`Workload::verify`] then checks.
///
/// # Example
///
/// A user's job — the cube of every number below `n` — made to run across
/// ranks. [`Solo`](crate::Solo) is a one-rank team with no MPI; under
/// `mpirun` the same code runs on an [`MpiTeam`](crate::MpiTeam).
///
/// ```
/// use std::ops::Range;
/// use ps_mpi::{Distributed, Solo, Team, run_distributed, share_of};
/// use ps_strategy::Strategy;
/// use ps_workload::{Sizes, Workload};
///
/// struct Cubes;
///
/// impl Workload for Cubes {
///     type Input = Vec<u64>;
///     type Output = Vec<u64>;
///     fn name(&self) -> &str { "cubes" }
///     fn summary(&self) -> &str { "x³ for every x below n" }
///     fn n_means(&self) -> &str { "numbers to cube" }
///     fn sizes(&self) -> Sizes { Sizes { quick: 1_000, default: 1_000_000, large: 10_000_000 } }
///     fn grain(&self, _n: usize) -> usize { 16_384 }
///     fn prepare(&self, n: usize) -> Vec<u64> { (0..n as u64).collect() }
///     fn run<S: Strategy>(&self, s: &S, input: &Vec<u64>) -> Vec<u64> { s.map(input, |&x| x * x * x) }
///     fn run_serial(&self, input: &Vec<u64>) -> Vec<u64> { input.iter().map(|&x| x * x * x).collect() }
/// }
///
/// impl Distributed for Cubes {
///     type Share = Vec<u64>;
///     type Part = Vec<u64>;
///     fn elements(&self, input: &Vec<u64>) -> usize { input.len() }
///     fn share(&self, input: &Vec<u64>, block: Range<usize>) -> Vec<u64> { input[block].to_vec() }
///     fn run_share<S: Strategy>(&self, s: &S, share: &Vec<u64>, _: &dyn Team) -> Vec<u64> {
///         self.run(s, share)
///     }
///     fn combine(&self, _: &Vec<u64>, parts: Vec<Vec<u64>>) -> Vec<u64> { parts.concat() }
/// }
///
/// let team = Solo::default();
/// let input = Cubes.prepare(10);
/// let share = share_of(&Cubes, &input, &team)?;
/// let output = run_distributed(&Cubes, &ps_serial::Serial, &input, &share, &team).unwrap();
/// Cubes.verify(&Cubes.run_serial(&input), &output)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// ANCHOR: trait
pub trait Distributed: Workload {
    /// What one rank works on: its block of the input, made before timing.
    type Share: Sync;
    /// What one rank sends to rank 0.
    type Part: Wire;

    /// How many elements the input has: the range that is cut into blocks.
    fn elements(&self, input: &Self::Input) -> usize;

    /// The part of `input` a rank owning `block` works on. `block` may be
    /// empty when there are more ranks than elements.
    fn share(&self, input: &Self::Input, block: Range<usize>) -> Self::Share;

    /// Runs this rank's share under its local `strategy`. A job whose phases
    /// need each other's results (spectral norm) exchanges them through
    /// `team`; every rank must make the same exchanges.
    fn run_share<S: Strategy>(
        &self,
        strategy: &S,
        share: &Self::Share,
        team: &dyn Team,
    ) -> Self::Part;

    /// Rank 0 only: every rank's part, in rank order, into the output.
    fn combine(&self, input: &Self::Input, parts: Vec<Self::Part>) -> Self::Output;
}
// ANCHOR_END: trait

/// This rank's share of `input`.
///
/// # Errors
///
/// [`SplitError`] if the team reports no ranks or a rank outside them.
pub fn share_of<W: Distributed>(
    workload: &W,
    input: &W::Input,
    team: &dyn Team,
) -> Result<W::Share, SplitError> {
    let block = block(team.rank(), team.ranks(), workload.elements(input))?;
    Ok(workload.share(input, block))
}

// ANCHOR: run
/// Runs `workload` on every rank of `team` and returns the combined output
/// on rank 0 (`None` on the others).
///
/// Every rank must call it with the same workload and input size.
///
/// # Panics
///
/// If a part does not decode: the ranks run different code.
pub fn run_distributed<W: Distributed, S: Strategy>(
    workload: &W,
    strategy: &S,
    input: &W::Input,
    share: &W::Share,
    team: &dyn Team,
) -> Option<W::Output> {
    let part = workload.run_share(strategy, share, team);
    gather_and_combine(workload, input, part, team)
}

/// The second half of [`run_distributed`]: sends this rank's `part` to
/// rank 0, which combines every part in rank order.
///
/// # Panics
///
/// If a part does not decode: the ranks run different code.
pub fn gather_and_combine<W: Distributed>(
    workload: &W,
    input: &W::Input,
    part: W::Part,
    team: &dyn Team,
) -> Option<W::Output> {
    if team.ranks() == 1 {
        // No other process to hear from: writing the part to bytes and
        // reading it back would only copy it twice, and a one-rank job
        // would then cost more than the same strategy without MPI.
        return Some(workload.combine(input, vec![part]));
    }
    let mut bytes = Vec::new();
    part.encode(&mut bytes);
    let messages = team.gather(&bytes)?;
    let parts = messages
        .iter()
        .enumerate()
        .map(|(rank, message)| {
            W::Part::decode(message)
                .unwrap_or_else(|error| panic!("the part from rank {rank} is garbled: {error}"))
        })
        .collect();
    Some(workload.combine(input, parts))
}
// ANCHOR_END: run
