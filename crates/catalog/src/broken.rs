//! A strategy with a deliberate scheduling bug, for testing what the harness
//! reports when a strategy is wrong. Compiled only with the
//! `broken-for-tests` feature.

use ps_strategy::{Chunks, Config, Strategy};

/// Runs chunk 0 a second time in place of chunk 1 — the bug of a claim loop
/// that hands out an index twice.
///
/// The trait's provided methods catch it: `map` and `for_each_chunk_mut`
/// panic because a chunk is taken twice, `map_reduce` because a partial
/// result is out of place. It can make a call fail; it cannot make it return
/// a wrong answer.
#[derive(Debug, Clone, Copy)]
pub struct RunsChunkTwice {
    grain: usize,
}

impl RunsChunkTwice {
    /// Takes the grain from `config`.
    #[must_use]
    pub fn from_config(config: Config) -> Self {
        RunsChunkTwice {
            grain: config.grain(),
        }
    }
}

impl Strategy for RunsChunkTwice {
    fn name(&self) -> &'static str {
        "broken-for-tests"
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
