//! The size of every program, in one place: `Quick` for tests and CI (a
//! few seconds in a debug build), `Full` for the book's tables.

use std::time::Duration;

use crate::Work;
use crate::oversubscription::Layout;

/// How large to run the programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Small: enough to show each effect, fast in a debug build.
    Quick,
    /// The sizes of the book's tables.
    Full,
}

impl Scale {
    /// The computing item of every program.
    #[must_use]
    pub fn compute(self) -> Work {
        match self {
            Scale::Quick => Work::Compute { numbers: 300 },
            Scale::Full => Work::Compute { numbers: 3_000 },
        }
    }

    /// Items of the mutex program's loop.
    #[must_use]
    pub fn mutex_items(self) -> usize {
        match self {
            Scale::Quick => 16,
            Scale::Full => 128,
        }
    }

    /// How long the deadlock watchdog waits without progress.
    #[must_use]
    pub fn stall(self) -> Duration {
        match self {
            Scale::Quick => Duration::from_millis(200),
            Scale::Full => Duration::from_millis(500),
        }
    }

    /// The blocking program's sleep per wait.
    #[must_use]
    pub fn blocking_delay(self) -> Duration {
        match self {
            Scale::Quick => Duration::from_millis(10),
            Scale::Full => Duration::from_millis(20),
        }
    }

    /// Waits per core in the blocking program (so that every pool thread
    /// gets several).
    #[must_use]
    pub fn waits_per_core(self) -> usize {
        8
    }

    /// The nested layouts for a machine of `cores`.
    #[must_use]
    pub fn layouts(self, cores: usize) -> Vec<Layout> {
        vec![
            Layout::OnePool { threads: cores },
            Layout::ThreadsPerLevel {
                outer: cores,
                inner: cores,
            },
            Layout::ThreadsPerLevel {
                outer: 4 * cores,
                inner: 4 * cores,
            },
            Layout::PoolPerCall {
                outer: cores,
                inner: cores,
            },
        ]
    }

    /// Outer and inner items of the nested loop.
    #[must_use]
    pub fn nested_items(self) -> (usize, usize) {
        match self {
            Scale::Quick => (8, 16),
            Scale::Full => (32, 64),
        }
    }

    /// The waiting study's sizes.
    #[must_use]
    pub fn waiting_sizes(self) -> Vec<usize> {
        match self {
            Scale::Quick => vec![1_000],
            Scale::Full => vec![1_000, 100_000],
        }
    }

    /// The most threads the waiting ladder tries. (Rayon's idle workers
    /// look for work before they sleep, so a pool of thousands on a few
    /// cores spends minutes finding none: the ladder stops where that stays
    /// affordable.)
    #[must_use]
    pub fn most_threads(self) -> usize {
        match self {
            Scale::Quick => 64,
            Scale::Full => 2_048,
        }
    }

    /// The longest a rung of the ladder may be expected to wait.
    #[must_use]
    pub fn rung_budget(self) -> Duration {
        match self {
            Scale::Quick => Duration::from_millis(200),
            Scale::Full => Duration::from_secs(2),
        }
    }

    /// Computing tasks per runtime worker in the async program.
    #[must_use]
    pub fn cpu_tasks_per_worker(self) -> usize {
        4
    }
}
