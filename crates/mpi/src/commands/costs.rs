//! The part of `ps-mpi check` that looks at cost, not correctness: what a
//! run pays that the same work without MPI would not.
//!
//! Two things once made a distributed squares run fifty times slower than
//! the serial loop beside it, with nothing to do with messages: every run
//! wrote its output, its message and its gathered copy into freshly mapped
//! pages, which the kernel faulted in one by one, and a job of one rank
//! still wrote its part to bytes and read it back. The checks below catch
//! either coming back. Page faults are counted, not timed, so that check
//! holds on a busy machine; the one-rank check compares medians of runs
//! taken alternately, with a bound far above noise and far below the cost
//! it guards against.

use ps_harness::{Comparison, Failure};
use ps_mpi::{Distributed, DistributedVisitor, Team, doing, time_distributed, visit_all};

use super::{Session, local_strategy, wrong};
use crate::cli::CheckArgs;
use ps_catalog::StrategyKind;

/// Timed runs per check, after one warm-up run: the fewest for which the
/// paired interval leaves out the most extreme run on each side.
const RUNS: usize = 9;

/// Pages a rank may fault in per run once warm. A run that writes its
/// output into fresh memory faults in one page per 4 KiB of it — hundreds
/// even at the quick sizes — while one that reuses memory faults in none;
/// the slack is for the allocator's own bookkeeping and a thread's stack.
pub(crate) const MAX_FAULTS_PER_RUN: u64 = 32;

/// How much slower than the same strategy without MPI a job of one rank
/// may surely be: the check fails only when the lower end of the paired
/// 95% interval is above it, so noise on a busy machine, which widens the
/// interval, cannot fail it. Measured, the two are within a few percent;
/// the bug this guards against made it over ten times, every run.
pub(crate) const MAX_ONE_RANK_OVER_NO_MPI: f64 = 1.5;

struct CostChecker<'a> {
    session: &'a Session,
    kind: StrategyKind,
    threads: u32,
    failure: Option<Failure>,
}

impl CostChecker<'_> {
    fn check<W: Distributed>(&self, workload: &W) -> Result<(), Failure> {
        let team = &self.session.team;
        let n = workload.sizes().quick;
        let shape = format!("{} × {} {}", team.ranks(), self.threads, self.kind);
        let name = workload.name();
        doing(format!("checking the cost of {name} at n = {n} on {shape}"));
        let strategy = local_strategy(self.kind, self.threads, workload.grain(n))?;
        let reference = self
            .session
            .is_root()
            .then(|| workload.run_serial(&workload.prepare(n)));
        let timing = time_distributed(workload, &strategy, n, team, RUNS, |output| {
            let reference = reference.as_ref().expect("only rank 0 verifies");
            workload
                .verify(reference, output)
                .map_err(|mismatch| wrong(name, n, &shape, mismatch))
        })
        .map_err(Failure::WrongResult)?;
        let Some(timing) = timing else {
            return Ok(());
        };
        for (rank, cost) in timing.ranks.iter().enumerate() {
            if cost.page_faults > MAX_FAULTS_PER_RUN {
                return Err(Failure::CheckFailed(format!(
                    "{name} at n = {n} on {shape}: rank {rank} faulted in {} fresh pages per run (at most {MAX_FAULTS_PER_RUN} expected): its runs write into memory the process had not touched",
                    cost.page_faults
                )));
            }
        }
        if let Some(alone) = &timing.alone {
            let versus = Comparison::paired(alone, &timing.timing);
            if versus.low.is_some_and(|low| low > MAX_ONE_RANK_OVER_NO_MPI) {
                return Err(Failure::CheckFailed(format!(
                    "{name} at n = {n} on {shape}: one rank took {} the time of the same strategy without MPI (surely above {MAX_ONE_RANK_OVER_NO_MPI}x; at most that expected)",
                    versus.interval_text()
                )));
            }
        }
        Ok(())
    }
}

impl DistributedVisitor for CostChecker<'_> {
    fn visit<W: Distributed + 'static>(&mut self, workload: W) {
        if self.failure.is_none() {
            self.failure = self.check(&workload).err();
        }
    }
}

/// Checks every workload at its quick size under each of `args`'s local
/// strategies.
pub(crate) fn check_costs(
    args: &CheckArgs,
    strategies: &[StrategyKind],
    session: &Session,
) -> Result<(), Failure> {
    for &kind in strategies {
        let mut checker = CostChecker {
            session,
            kind,
            threads: args.threads,
            failure: None,
        };
        visit_all(&mut checker);
        if let Some(failure) = checker.failure {
            return Err(failure);
        }
    }
    if session.is_root() {
        println!(
            "ok  costs: at most {MAX_FAULTS_PER_RUN} fresh pages per run on every rank{}",
            if session.team.ranks() == 1 {
                format!(
                    ", one rank not surely above {MAX_ONE_RANK_OVER_NO_MPI}x the same threads without MPI"
                )
            } else {
                String::new()
            }
        );
    }
    Ok(())
}
