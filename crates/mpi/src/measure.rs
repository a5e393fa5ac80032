//! Timing a distributed run: the same number of runs on every rank, a
//! barrier before each, and what each rank sent, waited and faulted in,
//! gathered once at the end. A job of one rank also times its strategy on
//! the whole input with no MPI at all, alternating with the distributed
//! runs, so what MPI adds to one process is a paired measurement.

use std::time::{Duration, Instant};

use ps_harness::Timing;
use ps_strategy::Strategy;

use crate::distributed::{Distributed, gather_and_combine, share_of};
use crate::team::Team;
use crate::wire::Wire;

/// What one rank spent per run, as medians over the timed runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankCost {
    /// The rank's own share under its strategy, less any exchanges the
    /// share's run makes (spectral norm's all-gathers): the work itself.
    pub compute: Duration,
    /// Writing the part to bytes, reading the parts back and combining
    /// them: what the rank pays to move a result that is not a message.
    pub packing: Duration,
    /// Time inside exchanges, waiting for other ranks included.
    pub in_exchanges: Duration,
    /// Bytes the rank sent to other ranks in one run.
    pub bytes_sent: u64,
    /// Pages the rank's process faulted in during one run: after the
    /// warm-up run, anything above a handful means the run wrote into
    /// memory the process had not touched before, and paid the kernel for
    /// it (see [`ps_harness::reuse_freed_memory`]).
    pub page_faults: u64,
}

/// A distributed workload timed on every rank; rank 0 holds the result.
#[derive(Debug, Clone)]
pub struct DistributedTiming {
    /// Rank 0's time from the barrier to the combined output, per run.
    pub timing: Timing,
    /// Every rank's cost, in rank order.
    pub ranks: Vec<RankCost>,
    /// On a job of one rank: the same strategy's `run` on the whole input,
    /// no MPI, each run right after a distributed one.
    pub alone: Option<Timing>,
}

impl DistributedTiming {
    /// The longest compute time of any rank.
    #[must_use]
    pub fn slowest_compute(&self) -> Duration {
        self.ranks
            .iter()
            .map(|cost| cost.compute)
            .max()
            .unwrap_or_default()
    }

    /// The longest time any rank spent packing and combining parts.
    #[must_use]
    pub fn slowest_packing(&self) -> Duration {
        self.ranks
            .iter()
            .map(|cost| cost.packing)
            .max()
            .unwrap_or_default()
    }

    /// The longest time any rank spent in exchanges.
    #[must_use]
    pub fn slowest_exchanges(&self) -> Duration {
        self.ranks
            .iter()
            .map(|cost| cost.in_exchanges)
            .max()
            .unwrap_or_default()
    }

    /// Bytes all ranks together sent in one run.
    #[must_use]
    pub fn bytes_moved(&self) -> u64 {
        self.ranks.iter().map(|cost| cost.bytes_sent).sum()
    }

    /// The most pages any rank faulted in during one run.
    #[must_use]
    pub fn most_page_faults(&self) -> u64 {
        self.ranks
            .iter()
            .map(|cost| cost.page_faults)
            .max()
            .unwrap_or_default()
    }
}

fn median<T: Copy + Ord>(mut values: Vec<T>) -> T {
    values.sort_unstable();
    values[values.len() / 2]
}

/// Runs `workload` at size `n` once untimed and `runs` times timed on
/// every rank of `team` (each rank prepares the input itself), each run
/// verified on rank 0 by `verify` outside the timed
/// region. Returns the timing on rank 0 and `None` elsewhere. On a team of
/// one rank each run is followed by one of `workload.run` on the whole
/// input under the same strategy, verified the same way:
/// [`DistributedTiming::alone`].
///
/// Every rank makes exactly `runs + 1` runs whatever their times, so the
/// ranks' collective calls always match.
///
/// # Errors
///
/// The first verification failure (rank 0 only), or a bad split. Either
/// leaves the other ranks waiting: end the job.
pub fn time_distributed<W: Distributed, S: Strategy>(
    workload: &W,
    strategy: &S,
    n: usize,
    team: &dyn Team,
    runs: usize,
    mut verify: impl FnMut(&W::Output) -> Result<(), String>,
) -> Result<Option<DistributedTiming>, String> {
    let input = &workload.prepare(n);
    let share = share_of(workload, input, team).map_err(|error| error.to_string())?;
    let mut totals = Vec::with_capacity(runs);
    let mut costs = Vec::with_capacity(runs);
    let mut alone = Vec::with_capacity(runs);
    let one_rank = team.ranks() == 1;
    // The run without MPI reads an input built now, beside the share (which
    // is a copy): on a memory-bound job, a buffer built earlier in the
    // process read measurably slower than one built later, which would
    // credit MPI with a difference that is only the memory's.
    let alone_input = one_rank.then(|| workload.prepare(n));
    let time_alone = |verify: &mut dyn FnMut(&W::Output) -> Result<(), String>| {
        let input = alone_input
            .as_ref()
            .expect("only a job of one rank runs alone");
        let started = Instant::now();
        let output = workload.run(strategy, input);
        let elapsed = started.elapsed();
        verify(&output).map(|()| elapsed)
    };
    for run in 0..=runs {
        // On one rank, the run without MPI goes first every other time, so
        // that neither side always finds the caches the other left.
        let alone_first = one_rank && run % 2 == 1;
        let mut alone_time = if alone_first {
            Some(time_alone(&mut verify)?)
        } else {
            None
        };
        team.barrier();
        let _ = team.take_traffic();
        let faults_before = ps_harness::minor_page_faults().unwrap_or_default();
        let started = Instant::now();
        let part = workload.run_share(strategy, &share, team);
        let share_time = started.elapsed();
        let in_share = team.take_traffic();
        let output = gather_and_combine(workload, input, part, team);
        let total = started.elapsed();
        let page_faults = ps_harness::minor_page_faults()
            .unwrap_or_default()
            .saturating_sub(faults_before);
        let gathering = team.take_traffic();
        if let Some(output) = &output {
            verify(output)?;
        }
        if one_rank && !alone_first {
            alone_time = Some(time_alone(&mut verify)?);
        }
        if run > 0 {
            totals.push(total);
            costs.push(RankCost {
                compute: share_time.saturating_sub(in_share.in_exchanges),
                packing: total
                    .saturating_sub(share_time)
                    .saturating_sub(gathering.in_exchanges),
                in_exchanges: in_share.in_exchanges + gathering.in_exchanges,
                bytes_sent: in_share.bytes_sent + gathering.bytes_sent,
                page_faults,
            });
            alone.extend(alone_time);
        }
    }
    let mine = vec![
        median(costs.iter().map(|cost| cost.compute).collect()).as_nanos() as u64,
        median(costs.iter().map(|cost| cost.packing).collect()).as_nanos() as u64,
        median(costs.iter().map(|cost| cost.in_exchanges).collect()).as_nanos() as u64,
        median(costs.iter().map(|cost| cost.bytes_sent).collect()),
        median(costs.iter().map(|cost| cost.page_faults).collect()),
    ];
    let mut bytes = Vec::new();
    mine.encode(&mut bytes);
    let gathered = team.gather(&bytes);
    let _ = team.take_traffic();
    let Some(messages) = gathered else {
        return Ok(None);
    };
    let ranks = messages
        .iter()
        .map(|message| {
            let values = Vec::<u64>::decode(message).map_err(|error| error.to_string())?;
            match values[..] {
                [compute, packing, in_exchanges, bytes_sent, page_faults] => Ok(RankCost {
                    compute: Duration::from_nanos(compute),
                    packing: Duration::from_nanos(packing),
                    in_exchanges: Duration::from_nanos(in_exchanges),
                    bytes_sent,
                    page_faults,
                }),
                _ => Err(format!("a rank sent {} cost figures, not 5", values.len())),
            }
        })
        .collect::<Result<_, String>>()?;
    Ok(Some(DistributedTiming {
        timing: Timing::from_runs(totals),
        ranks,
        alone: (!alone.is_empty()).then(|| Timing::from_runs(alone)),
    }))
}
