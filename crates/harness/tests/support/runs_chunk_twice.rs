//! A strategy with a deliberate scheduling bug, for testing what the harness
//! reports when a strategy is wrong. It is registered as a user registers a
//! strategy of their own ([`RUNS_CHUNK_TWICE`]), so that no program but these
//! tests can ever run it.

use ps_harness::{BoxedStrategy, Chunks, Config, Registry, Strategy, StrategyInfo};

/// Its name on the command line and in messages.
pub(crate) const NAME: &str = "broken-for-tests";

/// What the harness needs to list and build it.
pub(crate) const RUNS_CHUNK_TWICE: StrategyInfo = StrategyInfo {
    name: NAME,
    summary: "runs chunk 0 in place of chunk 1 (for the harness's tests)",
    uses_grain: true,
    keeps_threads_between_calls: false,
    build: |config| Ok(BoxedStrategy::new(RunsChunkTwice::from_config(config))),
};

/// Registers every built-in workload, and this strategy beside the
/// built-in ones.
pub(crate) fn register(registry: &mut Registry) {
    ps_workloads::visit_all(registry);
    registry.add_strategy(RUNS_CHUNK_TWICE);
}

/// Runs chunk 0 a second time in place of chunk 1 — the bug of a claim loop
/// that hands out an index twice.
///
/// The trait's provided methods catch it: `map` and `for_each_chunk_mut`
/// panic because a chunk is taken twice, `map_reduce` because a partial
/// result is out of place. It can make a call fail; it cannot make it return
/// a wrong answer.
#[derive(Debug, Clone, Copy)]
struct RunsChunkTwice {
    grain: usize,
}

impl RunsChunkTwice {
    /// Takes the grain from `config`.
    fn from_config(config: Config) -> Self {
        RunsChunkTwice {
            grain: config.grain(),
        }
    }
}

impl Strategy for RunsChunkTwice {
    fn name(&self) -> &'static str {
        NAME
    }

    fn threads(&self) -> usize {
        1
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, self.grain)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        (0..count)
            .map(|i| task(if i == 1 { 0 } else { i }))
            .collect()
    }
}
