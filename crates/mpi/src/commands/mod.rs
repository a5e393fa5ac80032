//! The commands, and what every command that runs inside a job shares: MPI
//! start-up, the team, and ending the job on a failure.

pub(crate) mod check;
pub(crate) mod compare;
mod costs;
pub(crate) mod crossover;
pub(crate) mod launch;
pub(crate) mod shapes;
mod startup;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use mpi::Threading;
use mpi::traits::Communicator;
use ps_catalog::{AnyStrategy, StrategyKind};
use ps_harness::Failure;
use ps_mpi::{MpiTeam, Team, Wire, failure_line, panic_message};
use ps_strategy::{Config, ConfigError};

pub(crate) use startup::Startup;

use crate::Outcome;

/// The environment variable `OpenMPI` sets to each process's rank.
const RANK_VARIABLE: &str = "OMPI_COMM_WORLD_RANK";

/// This process's rank as the launcher announced it, before `MPI_Init`.
pub(crate) fn launched_rank() -> Option<usize> {
    std::env::var(RANK_VARIABLE).ok()?.parse().ok()
}

/// One rank's view of the running job.
pub(crate) struct Session {
    pub(crate) team: MpiTeam,
    pub(crate) startup: Startup,
}

impl Session {
    pub(crate) fn is_root(&self) -> bool {
        self.team.rank() == 0
    }
}

/// Starts MPI, runs `command` on this rank, and ends the whole job if any
/// rank panics or fails in a way the other ranks cannot know about.
///
/// A usage failure (a bad size, a bad name) is found identically on every
/// rank, so every rank returns it, rank 0 prints it, and the job ends
/// normally with its exit code. Anything else — a panic, a wrong result, a
/// refused resource — may happen on one rank only, and is reported by that
/// rank and followed by `MPI_Abort`.
pub(crate) fn in_job(command: impl FnOnce(&Session) -> Result<(), Failure>) -> Outcome {
    let (startup, universe) = Startup::initialise(Threading::Funneled)?;
    let team = MpiTeam::new(universe.world());
    let session = Session { team, startup };
    count_siblings_as_own(&session.team);
    // Workers' panics are re-raised on this thread by the strategies and
    // reported below, once; the default hook would print a second, longer
    // message from the worker.
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| command(&session)));
    let rank = session.team.rank();
    let failure = match outcome {
        Ok(Ok(())) => return Ok(ExitCode::SUCCESS),
        Ok(Err(failure @ Failure::Usage(_))) => {
            let code = ExitCode::from(failure.exit_code());
            return Ok(if rank == 0 { failure.report() } else { code });
        }
        Ok(Err(failure)) => failure,
        Err(payload) => {
            Failure::WrongResult(format!("panicked: {}", panic_message(payload.as_ref())))
        }
    };
    let line = failure_line(rank, &ps_mpi::current_activity(), &failure.line());
    let code = failure.exit_code();
    eprintln!("{line}");
    session.team.communicator().abort(i32::from(code))
}

/// The local strategy `kind` with `threads` threads and `grain`.
/// Registers the other ranks on this machine with the harness's load
/// watch: their CPU time is this job's work, not another program's load, so
/// a quiet machine running a job of several ranks is not called busy. A
/// machine is told by its boot id, which every process on it reads the same.
fn count_siblings_as_own(team: &dyn Team) {
    let machine = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default();
    let mut mine = Vec::new();
    (machine.trim().to_owned(), u64::from(std::process::id())).encode(&mut mine);
    let siblings: Vec<u32> = team
        .all_gather(&mine)
        .iter()
        .filter_map(|message| <(String, u64)>::decode(message).ok())
        .filter(|(boot_id, _)| !machine.is_empty() && *boot_id == machine.trim())
        .filter_map(|(_, pid)| u32::try_from(pid).ok())
        .collect();
    ps_harness::count_as_own(&siblings);
    let _ = team.take_traffic();
}

pub(crate) fn local_strategy(
    kind: StrategyKind,
    threads: u32,
    grain: usize,
) -> Result<AnyStrategy, Failure> {
    let config = Config::new(threads as usize, grain.max(1))
        .map_err(|error| Failure::Usage(error.to_string()))?;
    AnyStrategy::build(kind, config).map_err(|error| match error {
        ConfigError::ThreadStart(_) => Failure::Refused(error.to_string()),
        _ => Failure::Usage(error.to_string()),
    })
}

/// Rank 0's message for the verification failure of `workload` at `n`.
pub(crate) fn wrong(
    workload: &str,
    n: usize,
    shape: &str,
    reason: impl std::fmt::Display,
) -> String {
    format!("{workload} at n = {n} on {shape} is wrong: {reason}")
}
