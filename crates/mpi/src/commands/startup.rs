//! What starting a process costs: launch to `MPI_Init` done.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mpi::Threading;
use mpi::environment::Universe;
use ps_harness::{Failure, human};
use ps_mpi::{Team, Wire};

/// The variable `ps-mpi launch` sets to the launch time, in nanoseconds
/// since the Unix epoch, and passes to every rank.
pub(crate) const LAUNCHED_AT: &str = "PS_MPI_LAUNCHED_AT";

/// One rank's start-up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Startup {
    /// From the launcher's clock reading to `MPI_Init` returning, when the
    /// job was started by `ps-mpi launch` (ranks on other hosts read their
    /// own clocks, so this is only as good as their synchronisation).
    pub(crate) since_launch: Option<Duration>,
    /// `MPI_Init_thread` alone.
    pub(crate) init: Duration,
}

pub(crate) fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos())
}

impl Startup {
    /// Initialises MPI, timing it.
    pub(crate) fn initialise(threading: Threading) -> Result<(Startup, Universe), Failure> {
        let launched: Option<u128> = std::env::var(LAUNCHED_AT).ok().and_then(|v| v.parse().ok());
        let started = Instant::now();
        let (universe, _provided) = mpi::initialize_with_threading(threading)
            .ok_or_else(|| Failure::Refused("MPI was already initialised".to_owned()))?;
        let init = started.elapsed();
        let since_launch = launched.map(|at| {
            Duration::from_nanos(now_nanos().saturating_sub(at).min(u128::from(u64::MAX)) as u64)
        });
        Ok((Startup { since_launch, init }, universe))
    }

    /// The slowest rank's start-up, on rank 0.
    pub(crate) fn slowest(self, team: &dyn Team) -> Option<Startup> {
        let mut bytes = Vec::new();
        vec![
            self.since_launch.map_or(u64::MAX, |d| d.as_nanos() as u64),
            self.init.as_nanos() as u64,
        ]
        .encode(&mut bytes);
        let messages = team.gather(&bytes)?;
        let _ = team.take_traffic();
        let mut slowest = Startup {
            since_launch: Some(Duration::ZERO),
            init: Duration::ZERO,
        };
        for message in messages {
            let values = Vec::<u64>::decode(&message).ok()?;
            let (launch, init) = (values[0], Duration::from_nanos(values[1]));
            slowest.init = slowest.init.max(init);
            slowest.since_launch = match (slowest.since_launch, launch) {
                (_, u64::MAX) | (None, _) => None,
                (Some(so_far), nanos) => Some(so_far.max(Duration::from_nanos(nanos))),
            };
        }
        Some(slowest)
    }

    /// One line for the table's header.
    pub(crate) fn describe(self) -> String {
        let launch = self.since_launch.map_or_else(
            || "not known (start with `ps-mpi launch` to measure it)".to_owned(),
            human,
        );
        format!(
            "process start-up, slowest rank: launch to MPI_Init done {launch}; MPI_Init alone {}",
            human(self.init)
        )
    }
}
