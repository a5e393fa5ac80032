//! Every strategy of the project, chosen by name at run time — and any
//! strategy of a reader's own beside them.
//!
//! The [`Strategy`] trait has generic methods, so it cannot be a trait
//! object. A harness that reads a strategy name from the command line needs
//! one type for every strategy anyway. This crate gives it two:
//!
//! - [`StrategyKind`] says *which* strategy: a name, a one-line summary, the
//!   facts a harness needs before building it (does it cut by grain, does it
//!   keep threads between calls) and how to build it from a [`Config`]. The
//!   built-in kinds are one list, [`StrategyKind::ALL`], written once below;
//!   [`StrategyKind::custom`] makes a kind for a strategy this crate has
//!   never heard of, from the same facts.
//! - [`AnyStrategy`] is one *built* strategy of any kind. It boxes the
//!   strategy as a [`BoxedStrategy`], whose object-safe core costs one
//!   dynamic call per task (a chunk of elements); the closure that does the
//!   per-element work is still monomorphised and never boxed. The paired
//!   benchmark (`benches/benches/abstraction.rs`) measures what that costs
//!   against calling the strategy directly.
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
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use ps_pipeline::Pipeline;
use ps_rayon::RayonPool;
use ps_serial::Serial;
use ps_steal::WorkStealing;
use ps_strategy::{BoxedStrategy, Chunks, Config, ConfigError, Strategy};
use ps_threads::{Dynamic, StaticBlocks};

/// What a harness needs to know about a strategy to list, configure and
/// build it — for a built-in strategy or one of your own.
///
/// ```
/// use ps_catalog::{StrategyInfo, StrategyKind};
/// use ps_strategy::BoxedStrategy;
///
/// let mine = StrategyKind::custom(StrategyInfo {
///     name: "my-serial",
///     summary: "the serial loop again, registered as a strategy of my own",
///     uses_grain: false,
///     keeps_threads_between_calls: false,
///     build: |config| Ok(BoxedStrategy::new(ps_serial::Serial::from_config(config))),
/// });
/// assert_eq!(mine.name(), "my-serial");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct StrategyInfo {
    /// The name on the command line and in reports. It must be the name the
    /// built strategy reports ([`Strategy::name`]); [`AnyStrategy::build`]
    /// checks it.
    pub name: &'static str,
    /// One line on what the strategy does, for `list`.
    pub summary: &'static str,
    /// Whether the strategy cuts work by the configuration's grain, so that
    /// a grain sweep measures it.
    pub uses_grain: bool,
    /// Whether the strategy's worker threads outlive each call (a pool
    /// started when it is built), rather than being joined by the time each
    /// call returns.
    pub keeps_threads_between_calls: bool,
    /// Builds the strategy with a thread count and grain.
    pub build: fn(Config) -> Result<BoxedStrategy, ConfigError>,
}

/// Which strategy: a built-in one or one made with [`StrategyKind::custom`].
///
/// Two kinds are equal when their names are.
///
/// ```
/// use ps_catalog::StrategyKind;
///
/// let names: Vec<_> = StrategyKind::ALL.iter().map(|kind| kind.name()).collect();
/// assert_eq!(
///     names,
///     ["serial", "threads-static", "threads-dynamic", "pipeline", "rayon", "work-stealing"]
/// );
/// ```
#[derive(Clone, Copy)]
pub struct StrategyKind(&'static StrategyInfo);

// ANCHOR: built_ins
impl StrategyKind {
    /// [`Serial`]: a plain loop on the calling thread.
    pub const SERIAL: StrategyKind = StrategyKind(&StrategyInfo {
        name: "serial",
        summary: "a plain loop on the calling thread; the reference and the baseline",
        uses_grain: false,
        keeps_threads_between_calls: false,
        build: |config| Ok(BoxedStrategy::new(Serial::from_config(config))),
    });

    /// [`StaticBlocks`]: one contiguous block per scoped thread.
    pub const THREADS_STATIC: StrategyKind = StrategyKind(&StrategyInfo {
        name: "threads-static",
        summary: "std::thread::scope, one contiguous block per thread, fixed before the work starts",
        uses_grain: false,
        keeps_threads_between_calls: false,
        build: |config| Ok(BoxedStrategy::new(StaticBlocks::from_config(config))),
    });

    /// [`Dynamic`]: scoped threads claiming grain-sized chunks from an
    /// atomic counter.
    pub const THREADS_DYNAMIC: StrategyKind = StrategyKind(&StrategyInfo {
        name: "threads-dynamic",
        summary: "std::thread::scope, threads claim grain-sized chunks from an atomic counter",
        uses_grain: true,
        keeps_threads_between_calls: false,
        build: |config| Ok(BoxedStrategy::new(Dynamic::from_config(config))),
    });

    /// [`Pipeline`]: feeder, workers and ordered collector over bounded
    /// channels.
    pub const PIPELINE: StrategyKind = StrategyKind(&StrategyInfo {
        name: "pipeline",
        summary: "a feeder, workers and an ordered collector joined by bounded mpsc channels",
        uses_grain: true,
        keeps_threads_between_calls: false,
        build: |config| Ok(BoxedStrategy::new(Pipeline::from_config(config))),
    });

    /// [`RayonPool`]: rayon's work stealing on a pool of its own, started
    /// when the strategy is built.
    pub const RAYON: StrategyKind = StrategyKind(&StrategyInfo {
        name: "rayon",
        summary: "rayon's work stealing on a pool of its own, one task per chunk",
        uses_grain: true,
        keeps_threads_between_calls: true,
        build: |config| Ok(BoxedStrategy::new(RayonPool::from_config(config)?)),
    });

    /// [`WorkStealing`]: a Chase–Lev deque per scoped thread, ranges split
    /// in halves, idle threads stealing — work stealing written from
    /// scratch.
    pub const WORK_STEALING: StrategyKind = StrategyKind(&StrategyInfo {
        name: "work-stealing",
        summary: "std::thread::scope, a Chase-Lev deque per thread, ranges halved, idle threads steal halves",
        uses_grain: true,
        keeps_threads_between_calls: false,
        build: |config| Ok(BoxedStrategy::new(WorkStealing::from_config(config))),
    });

    /// Every built-in strategy, serial first.
    pub const ALL: [StrategyKind; 6] = [
        StrategyKind::SERIAL,
        StrategyKind::THREADS_STATIC,
        StrategyKind::THREADS_DYNAMIC,
        StrategyKind::PIPELINE,
        StrategyKind::RAYON,
        StrategyKind::WORK_STEALING,
    ];
}
// ANCHOR_END: built_ins

impl StrategyKind {
    /// A kind for a strategy of your own, described by `info`.
    ///
    /// The description lives as long as the program (it is leaked, once per
    /// call): kinds are made once, when a program registers its strategies.
    #[must_use]
    pub fn custom(info: StrategyInfo) -> StrategyKind {
        StrategyKind(Box::leak(Box::new(info)))
    }

    /// The name used on the command line and in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// One line on what the strategy does.
    ///
    /// ```
    /// assert!(ps_catalog::StrategyKind::RAYON.summary().contains("work stealing"));
    /// ```
    #[must_use]
    pub fn summary(self) -> &'static str {
        self.0.summary
    }

    /// Whether the strategy cuts work by grain (all built-ins but serial and
    /// static blocks).
    #[must_use]
    pub fn uses_grain(self) -> bool {
        self.0.uses_grain
    }

    /// Whether the strategy's worker threads outlive each call: rayon's pool
    /// is started once, when the strategy is built, and waits between calls.
    /// Every other built-in strategy starts its threads for each call and
    /// has joined them by the time the call returns.
    ///
    /// ```
    /// use ps_catalog::StrategyKind;
    ///
    /// assert!(StrategyKind::RAYON.keeps_threads_between_calls());
    /// assert!(!StrategyKind::PIPELINE.keeps_threads_between_calls());
    /// ```
    #[must_use]
    pub fn keeps_threads_between_calls(self) -> bool {
        self.0.keeps_threads_between_calls
    }

    /// The names of every built-in strategy, comma-separated, for error
    /// messages.
    #[must_use]
    pub fn names() -> String {
        StrategyKind::ALL.map(StrategyKind::name).join(", ")
    }
}

impl PartialEq for StrategyKind {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for StrategyKind {}

impl Hash for StrategyKind {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

impl fmt::Debug for StrategyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StrategyKind").field(&self.name()).finish()
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
///     "unknown strategy `threads` (expected one of: serial, threads-static, threads-dynamic, pipeline, rayon, work-stealing)"
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

/// Parses the name of a built-in strategy (a program that registers its
/// own strategies looks their names up itself).
impl FromStr for StrategyKind {
    type Err = UnknownStrategy;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        StrategyKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| UnknownStrategy(name.to_owned()))
    }
}

/// One configured strategy of any kind; implements [`Strategy`] through its
/// [`BoxedStrategy`].
#[derive(Debug)]
pub struct AnyStrategy {
    kind: StrategyKind,
    strategy: BoxedStrategy,
}

impl AnyStrategy {
    /// Builds the strategy `kind` with the thread count and grain of `config`
    /// (strategies without a grain ignore it).
    ///
    /// # Errors
    ///
    /// [`ConfigError::ThreadStart`] if a rayon pool cannot start its threads
    /// (or whatever a custom kind's `build` returns).
    ///
    /// # Panics
    ///
    /// If the built strategy's [`Strategy::name`] is not the kind's name: a
    /// report would then file its times under the wrong name.
    ///
    /// ```
    /// use ps_catalog::{AnyStrategy, StrategyKind};
    /// use ps_strategy::{Config, Strategy};
    ///
    /// let rayon = AnyStrategy::build(StrategyKind::RAYON, Config::new(2, 64)?)?;
    /// assert_eq!((rayon.kind(), rayon.threads()), (StrategyKind::RAYON, 2));
    /// # Ok::<(), ps_strategy::ConfigError>(())
    /// ```
    pub fn build(kind: StrategyKind, config: Config) -> Result<Self, ConfigError> {
        Ok(AnyStrategy::wrap(kind, (kind.0.build)(config)?))
    }

    /// `strategy`, already built, filed under `kind` (for a decorated
    /// strategy, such as one that records a trace of its tasks).
    ///
    /// # Panics
    ///
    /// As [`build`](AnyStrategy::build), if the names differ.
    #[must_use]
    pub fn wrap(kind: StrategyKind, strategy: BoxedStrategy) -> Self {
        assert_eq!(
            strategy.name(),
            kind.name(),
            "a strategy filed under `{kind}` calls itself `{}`",
            strategy.name()
        );
        AnyStrategy { kind, strategy }
    }

    /// Which strategy this is.
    #[must_use]
    pub fn kind(&self) -> StrategyKind {
        self.kind
    }
}

impl Strategy for AnyStrategy {
    fn name(&self) -> &'static str {
        self.kind.name()
    }

    fn threads(&self) -> usize {
        self.strategy.threads()
    }

    fn chunks(&self, len: usize) -> Chunks {
        self.strategy.chunks(len)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        self.strategy.run_tasks(count, task)
    }
}
