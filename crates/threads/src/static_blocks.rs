//! One contiguous block of tasks per thread, fixed before anything runs.

use std::num::NonZeroUsize;

use ps_strategy::{Chunks, Config, ConfigError, Strategy, run_on_threads};

/// Cuts the input into one contiguous block per thread.
///
/// It has no grain: the block size is the input length divided by the thread
/// count, so each thread gets one chunk and no coordination is needed.
///
/// ```
/// use ps_strategy::Strategy;
/// use ps_threads::StaticBlocks;
///
/// let blocks = StaticBlocks::new(3)?;
/// assert_eq!(blocks.chunks(10).chunk_len(), 4);
/// let sum = blocks.map_reduce(&[1, 2, 3, 4, 5], || 0, |acc, &x| acc + x, |a, b| a + b);
/// assert_eq!(sum, 15);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticBlocks {
    threads: NonZeroUsize,
}

impl StaticBlocks {
    /// Runs on `threads` threads, the calling one included.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] if `threads` is 0.
    pub fn new(threads: usize) -> Result<Self, ConfigError> {
        let threads = NonZeroUsize::new(threads).ok_or(ConfigError::ZeroThreads)?;
        Ok(StaticBlocks { threads })
    }

    /// Takes the thread count from `config`; a static schedule has no grain.
    ///
    /// ```
    /// use ps_strategy::{Config, Strategy};
    /// use ps_threads::StaticBlocks;
    ///
    /// assert_eq!(StaticBlocks::from_config(Config::new(2, 99)?).threads(), 2);
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    #[must_use]
    pub fn from_config(config: Config) -> Self {
        StaticBlocks {
            threads: NonZeroUsize::new(config.threads()).expect("Config guarantees threads >= 1"),
        }
    }
}

impl Strategy for StaticBlocks {
    fn name(&self) -> &'static str {
        "threads-static"
    }

    fn threads(&self) -> usize {
        self.threads.get()
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::split_evenly(len, self.threads.get())
    }

    // ANCHOR: run_tasks
    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        // Usually `count` equals the thread count (one task per block), but a
        // caller may ask for more tasks: each thread then runs a contiguous
        // run of them.
        let blocks = Chunks::split_evenly(count, self.threads.get());
        let run_block = |block: usize| blocks.range(block).map(&task).collect::<Vec<R>>();
        // One scoped thread per block, the first block on this thread. If a
        // block panics, every other thread is joined — ended, not just
        // finished — before the panic goes on to the caller; if the
        // operating system refuses a thread, no block runs at all.
        let mut blocks = run_on_threads(blocks.count(), run_block).into_iter();
        let mut results = blocks.next().unwrap_or_default();
        for block in blocks {
            results.extend(block);
        }
        results
    }
    // ANCHOR_END: run_tasks
}
