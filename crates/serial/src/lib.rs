//! The serial strategy: every task on the calling thread, in order.
//!
//! It is the reference every other strategy is checked against and the
//! baseline every speedup is measured from. It has no per-task cost beyond a
//! function call, no threads to start and no data to share, so for small or
//! memory-bound jobs it is often the fastest strategy there is: parallelism
//! has to earn back its overhead before it wins anything.
//!
//! The whole input is one chunk, so `map_reduce` is exactly
//! `input.iter().fold(identity(), fold)`, and `map` is a single loop that the
//! compiler is free to vectorise.
//!
//! # Nesting
//!
//! Serial adds no thread, wherever it is called: inside another strategy's
//! task it runs on that task's thread, and a strategy called inside one of
//! its tasks behaves exactly as if called directly. Nesting it costs nothing
//! and cannot deadlock (the nesting tests in `ps-catalog` measure this for
//! every pairing).
//!
//! ```
//! use ps_serial::Serial;
//! use ps_strategy::Strategy;
//!
//! let squares = Serial.map(&[1_u64, 2, 3], |&n| n * n);
//! assert_eq!(squares, [1, 4, 9]);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use ps_strategy::{Chunks, Config, Strategy};

/// Runs everything on the calling thread; the reference for every other
/// strategy.
///
/// ```
/// use ps_serial::Serial;
/// use ps_strategy::Strategy;
///
/// let total = Serial.map_reduce(&[1, 2, 3, 4], || 0, |acc, &x| acc + x, |a, b| a + b);
/// assert_eq!(total, 10);
/// assert_eq!((Serial.name(), Serial.threads()), ("serial", 1));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Serial;

impl Serial {
    /// The serial strategy, whatever the configuration: it always uses the
    /// calling thread and one chunk. This lets generic code build any
    /// strategy from a [`Config`].
    ///
    /// ```
    /// use ps_serial::Serial;
    /// use ps_strategy::Config;
    ///
    /// assert_eq!(Serial::from_config(Config::new(8, 64)?), Serial);
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    #[must_use]
    pub fn from_config(_: Config) -> Self {
        Serial
    }
}

// ANCHOR: impl
impl Strategy for Serial {
    fn name(&self) -> &'static str {
        "serial"
    }

    fn threads(&self) -> usize {
        1
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, len)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        (0..count).map(task).collect()
    }
}
// ANCHOR_END: impl
