//! Validated configuration: thread counts, grains and the error for bad ones.

use std::error::Error;
use std::fmt;
use std::num::NonZeroUsize;

use crate::SpawnRefused;

/// A configuration that no strategy can run with.
///
/// Every strategy constructor validates its arguments and returns this error
/// instead of panicking, so a bad command-line value becomes a message.
///
/// ```
/// use ps_strategy::{Config, ConfigError};
///
/// assert_eq!(Config::new(0, 64).unwrap_err(), ConfigError::ZeroThreads);
/// assert_eq!(ConfigError::ZeroGrain.to_string(), "the grain must be at least 1 element");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A thread count of 0 was asked for.
    ZeroThreads,
    /// A grain (elements per unit of work) of 0 was asked for.
    ZeroGrain,
    /// A channel capacity of 0 was asked for.
    ZeroCapacity,
    /// The operating system refused to start the worker threads of a
    /// strategy that starts them when it is built.
    ThreadStart(SpawnRefused),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::ZeroThreads => f.write_str("the thread count must be at least 1"),
            ConfigError::ZeroGrain => f.write_str("the grain must be at least 1 element"),
            ConfigError::ZeroCapacity => {
                f.write_str("the channel capacity must be at least 1 chunk")
            }
            ConfigError::ThreadStart(refused) => refused.fmt(f),
        }
    }
}

impl Error for ConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ConfigError::ThreadStart(refused) => Some(refused),
            _ => None,
        }
    }
}

/// A thread count and a grain, both known to be at least 1.
///
/// The *grain* is the number of elements handed out as one unit of work: one
/// claim from an atomic counter, one message on a channel, one rayon task.
/// Small grains balance load well but pay the per-unit cost more often.
///
/// ```
/// use ps_strategy::Config;
///
/// let config = Config::new(4, 1024)?;
/// assert_eq!((config.threads(), config.grain()), (4, 1024));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    threads: NonZeroUsize,
    grain: NonZeroUsize,
}

impl Config {
    /// Validates a thread count and a grain.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroThreads`] or [`ConfigError::ZeroGrain`].
    pub fn new(threads: usize, grain: usize) -> Result<Self, ConfigError> {
        Ok(Config {
            threads: NonZeroUsize::new(threads).ok_or(ConfigError::ZeroThreads)?,
            grain: NonZeroUsize::new(grain).ok_or(ConfigError::ZeroGrain)?,
        })
    }

    /// The number of worker threads.
    #[must_use]
    pub fn threads(&self) -> usize {
        self.threads.get()
    }

    /// The number of elements in one unit of work.
    #[must_use]
    pub fn grain(&self) -> usize {
        self.grain.get()
    }
}

/// The number of hardware threads this process may use, or 1 if unknown.
///
/// ```
/// assert!(ps_strategy::available_threads() >= 1);
/// ```
#[must_use]
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}
