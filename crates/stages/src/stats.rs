//! What one run of a [`Stages`](crate::Stages) pipeline measured: for every
//! stage, where its workers' time went, and which stage set the pace.

use std::fmt;
use std::time::Duration;

/// What part of a pipeline a row of [`RunStats`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The thread that pulls items from the source iterator and sends them
    /// on in batches. Its busy time is the time inside the iterator's `next`.
    Source,
    /// A stage added with [`Stages::stage`](crate::Stages::stage).
    Stage,
    /// The calling thread folding results with the sink closure.
    Sink,
}

impl Role {
    /// `"source"`, `"stage"` or `"sink"`.
    ///
    /// ```
    /// assert_eq!(ps_stages::Role::Sink.name(), "sink");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Stage => "stage",
            Role::Sink => "sink",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One worker's counters; a stage's are the sum over its workers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WorkerStats {
    pub(crate) items: u64,
    pub(crate) batches: u64,
    pub(crate) busy: Duration,
    pub(crate) blocked_in: Duration,
    pub(crate) blocked_out: Duration,
}

impl WorkerStats {
    fn add(&mut self, other: &WorkerStats) {
        self.items += other.items;
        self.batches += other.batches;
        self.busy += other.busy;
        self.blocked_in += other.blocked_in;
        self.blocked_out += other.blocked_out;
    }
}

/// The counters of one stage (or of the source, or the sink) over one run,
/// summed over its workers.
///
/// The three times are wall-clock times measured with
/// [`Instant`](std::time::Instant) around each batch, never around single
/// items, so measuring costs three clock reads per batch:
///
/// - **busy**: inside the stage's function (for the source, inside the
///   iterator's `next`; for the sink, inside the sink closure);
/// - **blocked in**: waiting for a batch to arrive — the channel was empty,
///   or another worker of the same stage held the shared receiver;
/// - **blocked out**: handing a batch on — the next channel was full, or
///   (for a stage that preserves order) waiting for the stage's reorder lock
///   and for earlier batches to be handed on first.
///
/// On a machine with fewer cores than busy threads, "busy" also counts the
/// time a worker was ready to run but had no core.
///
/// ```
/// use ps_stages::{Order, Role, Stages};
///
/// let stats = Stages::from_source(0..100_u64)
///     .stage("square", 2, Order::Preserve, |x| x * x)
///     .run(|_| {})?;
/// let square = &stats.stages()[1];
/// assert_eq!((square.role(), square.name(), square.workers()), (Role::Stage, "square", 2));
/// assert_eq!((square.items(), square.batches()), (100, 100));
/// # Ok::<(), ps_stages::StagesError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StageStats {
    pub(crate) role: Role,
    pub(crate) name: String,
    pub(crate) workers: usize,
    pub(crate) counters: WorkerStats,
}

impl StageStats {
    /// A row for `workers` workers whose counters are summed.
    pub(crate) fn sum(
        role: Role,
        name: String,
        workers: usize,
        counters: &[WorkerStats],
    ) -> StageStats {
        let mut sum = WorkerStats::default();
        for worker in counters {
            sum.add(worker);
        }
        StageStats {
            role,
            name,
            workers,
            counters: sum,
        }
    }

    /// Whether this is the source, a stage or the sink.
    #[must_use]
    pub fn role(&self) -> Role {
        self.role
    }

    /// The stage's name; `"source"` and `"sink"` for those two.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The number of threads the stage ran on (1 for the source and the sink).
    #[must_use]
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// The items the stage handled (every stage maps items one to one, so in
    /// a complete run they all handle as many as the source produced).
    #[must_use]
    pub fn items(&self) -> u64 {
        self.counters.items
    }

    /// The batches (channel messages) the stage handled.
    #[must_use]
    pub fn batches(&self) -> u64 {
        self.counters.batches
    }

    /// Time inside the stage's function, summed over its workers.
    #[must_use]
    pub fn busy(&self) -> Duration {
        self.counters.busy
    }

    /// Time waiting for input, summed over its workers.
    #[must_use]
    pub fn blocked_in(&self) -> Duration {
        self.counters.blocked_in
    }

    /// Time waiting to hand output on, summed over its workers.
    #[must_use]
    pub fn blocked_out(&self) -> Duration {
        self.counters.blocked_out
    }

    /// Busy time divided by the number of workers: how long the stage would
    /// take alone if its work were spread evenly over its workers and it never
    /// waited. The largest of these is the [bottleneck](RunStats::bottleneck).
    #[must_use]
    pub fn busy_per_worker(&self) -> Duration {
        self.counters.busy / self.workers.max(1) as u32
    }

    /// The stage's *capacity*: items per second it could pass on with its
    /// workers if it never waited for input or output — items divided by
    /// busy time per worker. Infinite if it was never busy.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ps_stages::{Order, Stages};
    ///
    /// let stats = Stages::from_source(0..20)
    ///     .stage("nap", 2, Order::Any, |x| { std::thread::sleep(Duration::from_millis(1)); x })
    ///     .run(|_| {})?;
    /// // Two workers napping 1 ms per item: about 2000 items per second at most.
    /// let nap = &stats.stages()[1];
    /// assert!(nap.capacity() < 2100.0);
    /// # Ok::<(), ps_stages::StagesError>(())
    /// ```
    #[must_use]
    pub fn capacity(&self) -> f64 {
        let seconds = self.busy_per_worker().as_secs_f64();
        if seconds > 0.0 {
            self.items() as f64 / seconds
        } else {
            f64::INFINITY
        }
    }

    /// `time` as a fraction of everything the stage's workers could have
    /// spent in `wall`: `time / (workers × wall)`.
    ///
    /// ```
    /// # use ps_stages::{Order, Stages};
    /// let stats = Stages::from_source(0..10).stage("id", 1, Order::Any, |x| x).run(|_| {})?;
    /// let id = &stats.stages()[1];
    /// let parts = [id.busy(), id.blocked_in(), id.blocked_out()];
    /// let total: f64 = parts.iter().map(|&t| id.share_of(t, stats.wall())).sum();
    /// assert!(total <= 1.0 + 1e-9);
    /// # Ok::<(), ps_stages::StagesError>(())
    /// ```
    #[must_use]
    pub fn share_of(&self, time: Duration, wall: Duration) -> f64 {
        let available = wall.as_secs_f64() * self.workers.max(1) as f64;
        if available > 0.0 {
            time.as_secs_f64() / available
        } else {
            0.0
        }
    }
}

/// The statistics of one run: a row for the source, one per stage in order,
/// and one for the sink, plus the run's wall time.
///
/// # The bottleneck
///
/// Every item passes through every stage, so a pipeline can go no faster
/// than its slowest stage. How slow a stage is on its own is its *busy time
/// per worker* ([`StageStats::busy_per_worker`]): the time inside its
/// function, summed over its workers and divided by their number — what it
/// would take to push every item through that stage alone, with its workers
/// always busy. [`RunStats::bottleneck`] is the row (source and sink
/// included) with the **largest busy time per worker**, which is the same as
/// the **lowest capacity** ([`StageStats::capacity`], items per second it
/// could sustain). The run's throughput can be no higher than that capacity,
/// and near it when the stages overlap well.
///
/// A worker added to the bottleneck divides its busy time per worker; added
/// anywhere else it changes nothing but the time the stage spends blocked.
/// In a well-balanced run the bottleneck is busy nearly all the wall time,
/// the stages before it are often *blocked out* (their output channel is
/// full: backpressure) and those after it are often *blocked in* (starved).
///
/// ```
/// use std::time::Duration;
/// use ps_stages::{Order, Stages};
///
/// let nap = |micros| move |x: u32| { std::thread::sleep(Duration::from_micros(micros)); x };
/// let stats = Stages::from_source(0..200)
///     .stage("quick", 1, Order::Preserve, nap(10))
///     .stage("slow", 1, Order::Preserve, nap(500))
///     .run(|_| {})?;
/// assert_eq!(stats.bottleneck().name(), "slow");
/// assert_eq!(stats.items(), 200);
/// # Ok::<(), ps_stages::StagesError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RunStats {
    pub(crate) stages: Vec<StageStats>,
    pub(crate) wall: std::time::Duration,
}

impl RunStats {
    /// The rows: the source first, then every stage in order, the sink last.
    #[must_use]
    pub fn stages(&self) -> &[StageStats] {
        &self.stages
    }

    /// From just before the first thread started to just after the last one
    /// was joined.
    #[must_use]
    pub fn wall(&self) -> Duration {
        self.wall
    }

    /// The items the source produced.
    #[must_use]
    pub fn items(&self) -> u64 {
        self.stages.first().map_or(0, StageStats::items)
    }

    /// Items per second through the whole pipeline: the source's items over
    /// the wall time.
    #[must_use]
    pub fn throughput(&self) -> f64 {
        let seconds = self.wall.as_secs_f64();
        if seconds > 0.0 {
            self.items() as f64 / seconds
        } else {
            f64::INFINITY
        }
    }

    /// The position in [`stages`](Self::stages) of the
    /// [bottleneck](Self::bottleneck); the first such row on a tie.
    #[must_use]
    pub fn bottleneck_index(&self) -> usize {
        let mut slowest = 0;
        for (index, row) in self.stages.iter().enumerate() {
            if row.busy_per_worker() > self.stages[slowest].busy_per_worker() {
                slowest = index;
            }
        }
        slowest
    }

    /// The row with the largest busy time per worker — the lowest capacity —
    /// as defined [above](Self#the-bottleneck).
    #[must_use]
    pub fn bottleneck(&self) -> &StageStats {
        &self.stages[self.bottleneck_index()]
    }
}
