//! Where async loses: computing on the async runtime's workers.
//!
//! An async runtime multiplexes many tasks over a few worker threads, and a
//! task gives its worker back only at an `.await`. A task that computes for
//! milliseconds without awaiting keeps its worker for all that time; with as
//! many such tasks as workers, no other task — a timer, a request, a small
//! reply — is polled until one of them ends. Moving the computing to
//! `spawn_blocking` (tokio's pool for blocking calls) or to a rayon pool
//! keeps the workers free: the task only awaits the answer.
//!
//! The program hands out computing tasks and then one tiny *ping* task, and
//! records how long the ping waited to be polled and how many computing
//! tasks had already finished by then.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::Work;
use crate::mutex::pool;
use crate::system::ThreadPeak;

/// Where the computing runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Inside the async tasks, on the runtime's workers.
    InTasks,
    /// On tokio's blocking pool, through `spawn_blocking`.
    SpawnBlocking,
    /// On a rayon pool as large as the runtime, the answer sent back on a
    /// oneshot channel.
    Rayon,
}

impl Placement {
    /// Every placement, the problem first.
    pub const ALL: [Placement; 3] = [
        Placement::InTasks,
        Placement::SpawnBlocking,
        Placement::Rayon,
    ];
}

impl fmt::Display for Placement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Placement::InTasks => "inside async tasks",
            Placement::SpawnBlocking => "spawn_blocking",
            Placement::Rayon => "rayon pool + oneshot",
        })
    }
}

/// One placement's run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacementRun {
    /// Where the computing ran.
    pub placement: Placement,
    /// How long the ping, handed out right after the computing tasks,
    /// waited to be polled.
    pub ping_waited: Duration,
    /// How many computing tasks had finished when the ping was polled.
    pub finished_before_ping: usize,
    /// Wall time until every computing task had finished.
    pub wall: Duration,
    /// The most OS threads of the process at once (less the counter's own).
    pub peak_threads: Option<usize>,
    /// The sum of the computing tasks' results.
    pub total: u64,
}

/// [`cpu_on_async`]'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuOnAsync {
    /// Runtime worker threads (and rayon threads).
    pub workers: usize,
    /// Computing tasks.
    pub tasks: usize,
    /// What each computing task does.
    pub work: Work,
    /// One run per placement, in [`Placement::ALL`] order.
    pub runs: Vec<PlacementRun>,
}

/// Runs `tasks` items of `work` on a tokio runtime of `workers` workers,
/// once per placement, each followed by a ping.
///
/// # Errors
///
/// One line if the runtime or the rayon pool cannot be started.
///
/// ```
/// use ps_lab::{Work, async_cpu};
///
/// let result = async_cpu::cpu_on_async(2, 4, Work::Compute { numbers: 50 })?;
/// assert_eq!(result.runs.len(), 3);
/// assert!(result.runs.iter().all(|run| run.total == result.runs[0].total));
/// # Ok::<(), String>(())
/// ```
pub fn cpu_on_async(workers: usize, tasks: usize, work: Work) -> Result<CpuOnAsync, String> {
    let runs = Placement::ALL
        .into_iter()
        .map(|placement| run_placement(placement, workers, tasks, work))
        .collect::<Result<_, _>>()?;
    Ok(CpuOnAsync {
        workers,
        tasks,
        work,
        runs,
    })
}

fn run_placement(
    placement: Placement,
    workers: usize,
    tasks: usize,
    work: Work,
) -> Result<PlacementRun, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .map_err(|error| format!("could not start the tokio runtime: {error}"))?;
    let rayon = Arc::new(pool(workers)?);
    let finished = Arc::new(AtomicUsize::new(0));
    let watcher = ThreadPeak::start();
    let outcome = runtime.block_on(async {
        let started = Instant::now();
        let handles: Vec<_> = (0..tasks as u64)
            .map(|item| {
                let finished = Arc::clone(&finished);
                let rayon = Arc::clone(&rayon);
                let compute = move || {
                    let result = work.run(item);
                    finished.fetch_add(1, Ordering::SeqCst);
                    result
                };
                // ANCHOR: placements
                tokio::spawn(async move {
                    match placement {
                        Placement::InTasks => Ok(compute()),
                        Placement::SpawnBlocking => tokio::task::spawn_blocking(compute)
                            .await
                            .map_err(|error| error.to_string()),
                        Placement::Rayon => {
                            let (answer, answered) = tokio::sync::oneshot::channel();
                            rayon.spawn(move || {
                                let _ = answer.send(compute());
                            });
                            answered.await.map_err(|error| error.to_string())
                        }
                    }
                })
                // ANCHOR_END: placements
            })
            .collect();
        let ping = {
            let finished = Arc::clone(&finished);
            tokio::spawn(async move { (started.elapsed(), finished.load(Ordering::SeqCst)) })
        };
        let (ping_waited, finished_before_ping) = ping.await.map_err(|error| error.to_string())?;
        let mut total = 0_u64;
        for handle in handles {
            total += handle.await.map_err(|error| error.to_string())??;
        }
        Ok::<_, String>((ping_waited, finished_before_ping, started.elapsed(), total))
    });
    let peak_threads = watcher.stop();
    runtime.shutdown_background();
    let (ping_waited, finished_before_ping, wall, total) = outcome?;
    Ok(PlacementRun {
        placement,
        ping_waited,
        finished_before_ping,
        wall,
        peak_threads,
        total,
    })
}
