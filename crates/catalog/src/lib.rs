//! Every strategy of the project, chosen by name at run time.
//!
//! The [`Strategy`] trait has generic methods, so it cannot be a trait
//! object: there is no `Box<dyn Strategy>`. A harness that reads a strategy
//! name from the command line instead builds an [`AnyStrategy`], an enum of
//! the configured strategies that implements the trait itself. Its
//! [`run_tasks`](Strategy::run_tasks) matches on the variant once per call and
//! hands the task to the real strategy, so the closure that does the
//! per-element work is still monomorphised and never boxed; the dispatch
//! costs one branch per call, not one per element.
//!
//! ```
//! use ps_catalog::{AnyStrategy, StrategyKind};
//! use ps_strategy::{Config, Strategy};
//!
//! let kind: StrategyKind = "threads-dynamic".parse()?;
//! let strategy = AnyStrategy::build(kind, Config::new(2, 100)?)?;
//! assert_eq!(strategy.name(), "threads-dynamic");
//! assert_eq!(strategy.map(&[1, 2, 3], |x| x * 2), [2, 4, 6]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;
use std::str::FromStr;

use ps_pipeline::Pipeline;
use ps_rayon::RayonPool;
use ps_serial::Serial;
use ps_strategy::{Chunks, Config, ConfigError, Strategy};
use ps_threads::{Dynamic, StaticBlocks};

#[cfg(feature = "broken-for-tests")]
pub mod broken;

/// The strategies this project ships, by name.
///
/// ```
/// use ps_catalog::StrategyKind;
///
/// let names: Vec<_> = StrategyKind::ALL.iter().map(|kind| kind.name()).collect();
/// assert_eq!(names, ["serial", "threads-static", "threads-dynamic", "pipeline", "rayon"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StrategyKind {
    /// [`Serial`]: a plain loop on the calling thread.
    Serial,
    /// [`StaticBlocks`]: one contiguous block per scoped thread.
    ThreadsStatic,
    /// [`Dynamic`]: scoped threads claiming grain-sized chunks from an atomic counter.
    ThreadsDynamic,
    /// [`Pipeline`]: feeder, workers and ordered collector over bounded channels.
    Pipeline,
    /// [`RayonPool`]: rayon's work stealing on a pool of its own.
    Rayon,
    /// [`broken::RunsChunkTwice`]: a deliberately wrong strategy, compiled
    /// only with the `broken-for-tests` feature and never listed in
    /// [`StrategyKind::ALL`].
    #[cfg(feature = "broken-for-tests")]
    BrokenForTests,
}

impl StrategyKind {
    /// Every strategy, serial first.
    pub const ALL: [StrategyKind; 5] = [
        StrategyKind::Serial,
        StrategyKind::ThreadsStatic,
        StrategyKind::ThreadsDynamic,
        StrategyKind::Pipeline,
        StrategyKind::Rayon,
    ];

    /// The name used on the command line and in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            StrategyKind::Serial => "serial",
            StrategyKind::ThreadsStatic => "threads-static",
            StrategyKind::ThreadsDynamic => "threads-dynamic",
            StrategyKind::Pipeline => "pipeline",
            StrategyKind::Rayon => "rayon",
            #[cfg(feature = "broken-for-tests")]
            StrategyKind::BrokenForTests => "broken-for-tests",
        }
    }

    /// One line on what the strategy does.
    ///
    /// ```
    /// assert!(ps_catalog::StrategyKind::Rayon.summary().contains("work stealing"));
    /// ```
    #[must_use]
    pub fn summary(self) -> &'static str {
        match self {
            StrategyKind::Serial => {
                "a plain loop on the calling thread; the reference and the baseline"
            }
            StrategyKind::ThreadsStatic => {
                "std::thread::scope, one contiguous block per thread, fixed before the work starts"
            }
            StrategyKind::ThreadsDynamic => {
                "std::thread::scope, threads claim grain-sized chunks from an atomic counter"
            }
            StrategyKind::Pipeline => {
                "a feeder, workers and an ordered collector joined by bounded mpsc channels"
            }
            StrategyKind::Rayon => "rayon's work stealing on a pool of its own, one task per chunk",
            #[cfg(feature = "broken-for-tests")]
            StrategyKind::BrokenForTests => {
                "runs chunk 0 in place of chunk 1 (for the harness's tests)"
            }
        }
    }

    /// Whether the strategy cuts work by grain (all but serial and static blocks).
    #[must_use]
    pub fn uses_grain(self) -> bool {
        match self {
            StrategyKind::Serial | StrategyKind::ThreadsStatic => false,
            StrategyKind::ThreadsDynamic | StrategyKind::Pipeline | StrategyKind::Rayon => true,
            #[cfg(feature = "broken-for-tests")]
            StrategyKind::BrokenForTests => true,
        }
    }

    /// Whether the strategy's worker threads outlive each call: rayon's pool
    /// is started once, when the strategy is built, and waits between calls.
    /// Every other strategy starts its threads for each call and has joined
    /// them by the time the call returns.
    ///
    /// ```
    /// use ps_catalog::StrategyKind;
    ///
    /// assert!(StrategyKind::Rayon.keeps_threads_between_calls());
    /// assert!(!StrategyKind::Pipeline.keeps_threads_between_calls());
    /// ```
    #[must_use]
    pub fn keeps_threads_between_calls(self) -> bool {
        matches!(self, StrategyKind::Rayon)
    }

    /// The names of every strategy, comma-separated, for error messages.
    #[must_use]
    pub fn names() -> String {
        StrategyKind::ALL.map(StrategyKind::name).join(", ")
    }
}

impl fmt::Display for StrategyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A strategy name that matches none of [`StrategyKind::ALL`].
///
/// ```
/// let error = "threads".parse::<ps_catalog::StrategyKind>().unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "unknown strategy `threads` (expected one of: serial, threads-static, threads-dynamic, pipeline, rayon)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStrategy(pub String);

impl fmt::Display for UnknownStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown strategy `{}` (expected one of: {})",
            self.0,
            StrategyKind::names()
        )
    }
}

impl std::error::Error for UnknownStrategy {}

impl FromStr for StrategyKind {
    type Err = UnknownStrategy;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        #[cfg(feature = "broken-for-tests")]
        if name == StrategyKind::BrokenForTests.name() {
            return Ok(StrategyKind::BrokenForTests);
        }
        StrategyKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| UnknownStrategy(name.to_owned()))
    }
}

/// One configured strategy of any kind; implements [`Strategy`] by
/// delegating once per call.
#[derive(Debug)]
pub enum AnyStrategy {
    /// See [`Serial`].
    Serial(Serial),
    /// See [`StaticBlocks`].
    ThreadsStatic(StaticBlocks),
    /// See [`Dynamic`].
    ThreadsDynamic(Dynamic),
    /// See [`Pipeline`].
    Pipeline(Pipeline),
    /// See [`RayonPool`].
    Rayon(RayonPool),
    /// See [`broken::RunsChunkTwice`].
    #[cfg(feature = "broken-for-tests")]
    BrokenForTests(broken::RunsChunkTwice),
}

impl AnyStrategy {
    /// Builds the strategy `kind` with the thread count and grain of `config`
    /// (strategies without a grain ignore it).
    ///
    /// # Errors
    ///
    /// [`ConfigError::ThreadStart`] if a rayon pool cannot start its threads.
    ///
    /// ```
    /// use ps_catalog::{AnyStrategy, StrategyKind};
    /// use ps_strategy::{Config, Strategy};
    ///
    /// let rayon = AnyStrategy::build(StrategyKind::Rayon, Config::new(2, 64)?)?;
    /// assert_eq!((rayon.kind(), rayon.threads()), (StrategyKind::Rayon, 2));
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    pub fn build(kind: StrategyKind, config: Config) -> Result<Self, ConfigError> {
        Ok(match kind {
            StrategyKind::Serial => AnyStrategy::Serial(Serial::from_config(config)),
            StrategyKind::ThreadsStatic => {
                AnyStrategy::ThreadsStatic(StaticBlocks::from_config(config))
            }
            StrategyKind::ThreadsDynamic => {
                AnyStrategy::ThreadsDynamic(Dynamic::from_config(config))
            }
            StrategyKind::Pipeline => AnyStrategy::Pipeline(Pipeline::from_config(config)),
            StrategyKind::Rayon => AnyStrategy::Rayon(RayonPool::from_config(config)?),
            #[cfg(feature = "broken-for-tests")]
            StrategyKind::BrokenForTests => {
                AnyStrategy::BrokenForTests(broken::RunsChunkTwice::from_config(config))
            }
        })
    }

    /// Which strategy this is.
    #[must_use]
    pub fn kind(&self) -> StrategyKind {
        match self {
            AnyStrategy::Serial(_) => StrategyKind::Serial,
            AnyStrategy::ThreadsStatic(_) => StrategyKind::ThreadsStatic,
            AnyStrategy::ThreadsDynamic(_) => StrategyKind::ThreadsDynamic,
            AnyStrategy::Pipeline(_) => StrategyKind::Pipeline,
            AnyStrategy::Rayon(_) => StrategyKind::Rayon,
            #[cfg(feature = "broken-for-tests")]
            AnyStrategy::BrokenForTests(_) => StrategyKind::BrokenForTests,
        }
    }
}

// ANCHOR: delegate
/// Forwards one call to whichever strategy `$self` holds.
macro_rules! delegate {
    ($self:expr, $strategy:ident => $call:expr) => {
        match $self {
            AnyStrategy::Serial($strategy) => $call,
            AnyStrategy::ThreadsStatic($strategy) => $call,
            AnyStrategy::ThreadsDynamic($strategy) => $call,
            AnyStrategy::Pipeline($strategy) => $call,
            AnyStrategy::Rayon($strategy) => $call,
            #[cfg(feature = "broken-for-tests")]
            AnyStrategy::BrokenForTests($strategy) => $call,
        }
    };
}

impl Strategy for AnyStrategy {
    fn name(&self) -> &'static str {
        delegate!(self, s => s.name())
    }

    fn threads(&self) -> usize {
        delegate!(self, s => s.threads())
    }

    fn chunks(&self, len: usize) -> Chunks {
        delegate!(self, s => s.chunks(len))
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        delegate!(self, s => s.run_tasks(count, task))
    }
}
// ANCHOR_END: delegate
