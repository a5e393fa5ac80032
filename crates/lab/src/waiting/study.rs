//! The whole comparison: every strategy up a ladder of thread counts and
//! tokio, at several sizes, each configuration in a process of its own.

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use ps_catalog::StrategyKind;

use super::{Probe, ProbeFigures, Runner};
use crate::system::SystemLimits;

/// One configuration and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The configuration.
    pub probe: Probe,
    /// Its figures, or why it could not run (a thread refused, say).
    pub outcome: Result<ProbeFigures, String>,
}

/// [`study`]'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Study {
    /// How long each item waits.
    pub delay: Duration,
    /// The sizes measured.
    pub sizes: Vec<usize>,
    /// The rungs skipped because a strategy would have waited longer than
    /// `budget` at that thread count: `(strategy, threads, items)`.
    pub skipped: Vec<(StrategyKind, usize, usize)>,
    /// The longest a rung may be expected to wait (`items / threads × delay`).
    pub budget: Duration,
    /// Every configuration measured.
    pub rows: Vec<Row>,
    /// The system's limits on threads.
    pub limits: SystemLimits,
    /// The time to start and join one thread that does nothing, averaged
    /// over many started at once.
    pub spawn_cost: Option<Duration>,
}

/// The thread counts `first, first·4, first·16, …` up to `largest`, and
/// `largest` itself.
///
/// ```
/// assert_eq!(ps_lab::waiting::ladder(2, 100), [2, 8, 32, 100]);
/// assert_eq!(ps_lab::waiting::ladder(4, 4), [4]);
/// ```
#[must_use]
pub fn ladder(first: usize, largest: usize) -> Vec<usize> {
    let mut rungs: Vec<usize> = std::iter::successors(Some(first.max(1)), |&t| t.checked_mul(4))
        .take_while(|&t| t < largest)
        .collect();
    rungs.push(largest);
    rungs
}

/// Measures the strategies (all but serial) at every rung of `ladder` whose
/// expected wait fits in `budget`, and tokio with `tokio_workers` workers,
/// at every size in `sizes`; each configuration runs in a fresh process of
/// `program`.
#[must_use]
pub fn study(
    program: &Path,
    sizes: &[usize],
    rungs: &[usize],
    delay: Duration,
    budget: Duration,
    tokio_workers: usize,
) -> Study {
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for &items in sizes {
        for kind in StrategyKind::ALL
            .into_iter()
            .filter(|&kind| kind != StrategyKind::SERIAL)
        {
            let mut threads_tried: Vec<usize> = rungs.iter().map(|&t| t.min(items)).collect();
            threads_tried.dedup();
            for threads in threads_tried {
                if delay * (items.div_ceil(threads) as u32) > budget {
                    skipped.push((kind, threads, items));
                    continue;
                }
                let probe = Probe {
                    runner: Runner::Strategy(kind),
                    threads,
                    items,
                    delay,
                };
                rows.push(Row {
                    outcome: probe.run_in_child(program),
                    probe,
                });
            }
        }
        let probe = Probe {
            runner: Runner::Tokio,
            threads: tokio_workers,
            items,
            delay,
        };
        rows.push(Row {
            outcome: probe.run_in_child(program),
            probe,
        });
    }
    Study {
        delay,
        sizes: sizes.to_vec(),
        skipped,
        budget,
        rows,
        limits: SystemLimits::read(),
        spawn_cost: spawn_cost(1000),
    }
}

/// Starts `count` threads that do nothing, joins them, and returns the time
/// per thread; `None` if a thread is refused.
#[must_use]
pub fn spawn_cost(count: usize) -> Option<Duration> {
    let started = Instant::now();
    let handles: Vec<_> = (0..count)
        .map(|_| thread::Builder::new().spawn(|| ()))
        .collect::<Result<_, _>>()
        .ok()?;
    for handle in handles {
        handle.join().ok()?;
    }
    Some(started.elapsed() / count.max(1) as u32)
}

impl Study {
    /// The fastest successful row for `runner` at `items`.
    #[must_use]
    pub fn best(&self, runner: Runner, items: usize) -> Option<(&Probe, &ProbeFigures)> {
        self.rows
            .iter()
            .filter(|row| row.probe.runner == runner && row.probe.items == items)
            .filter_map(|row| row.outcome.as_ref().ok().map(|m| (&row.probe, m)))
            .min_by_key(|(_, measured)| measured.wall)
    }
}
