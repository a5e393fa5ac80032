//! The builder: a source, the stages added so far, and the run that starts
//! every thread in one scope and folds the results on the calling thread.

use std::fmt;
use std::thread::{self, Scope, ScopedJoinHandle};
use std::time::Instant;

use ps_strategy::run_and_join;
use ps_strategy::sync::atomic::AtomicBool;
use ps_strategy::sync::mpsc::{SyncSender, sync_channel};
use ps_strategy::sync::{Arc, Mutex};

use ps_pipeline::DEFAULT_CAPACITY_PER_WORKER;

use crate::config::{Order, StagesError};
use crate::reorder::OrderedHandOver;
use crate::stats::{RunStats, WorkerStats};
use crate::threads::{collect, feed, self_stats, work};

/// One message on a channel: consecutive items of the source, numbered.
pub(crate) struct Batch<T> {
    /// The batch's position in the source, kept through every stage so a
    /// [`Order::Preserve`] stage can restore the order.
    pub(crate) seq: usize,
    pub(crate) items: Vec<T>,
}

/// What every thread of one run shares.
pub(crate) struct Context {
    pub(crate) stop: AtomicBool,
    pub(crate) batch: usize,
    capacity: Option<usize>,
    /// The most batches the source can produce, if its size hint says.
    most_batches: Option<usize>,
}

impl Context {
    /// The capacity of a channel read by `consumers` threads: the one asked
    /// for, or [`DEFAULT_CAPACITY_PER_WORKER`] batches per consumer — never
    /// more than the source can fill (a bounded channel allocates its slots
    /// up front, so a huge capacity must not be taken literally).
    fn capacity_for(&self, consumers: usize) -> usize {
        let asked = self
            .capacity
            .unwrap_or_else(|| DEFAULT_CAPACITY_PER_WORKER.saturating_mul(consumers));
        asked.min(self.most_batches.unwrap_or(usize::MAX)).max(1)
    }
}

/// Starts the threads of the pipeline so far, sending its output on the
/// given sender; returns their handles, the source's first, then each
/// stage's workers in order.
type Launch<'env, T> = Box<
    dyn for<'scope> FnOnce(
            &'scope Scope<'scope, 'env>,
            &Arc<Context>,
            SyncSender<Batch<T>>,
        ) -> Vec<ScopedJoinHandle<'scope, WorkerStats>>
        + Send
        + 'env,
>;

/// A pipeline being built: a source and the stages so far, whose output
/// items are of type `T`.
///
/// Build it with [`from_source`](Stages::from_source), add stages with
/// [`stage`](Stages::stage), then [`run`](Stages::run) or
/// [`fold`](Stages::fold) it with a sink on the calling thread. Everything
/// runs inside one [`std::thread::scope`], so the source, the stages and the
/// sink may borrow from the caller.
///
/// - The **source** is any iterator of `Send` items, pulled on its own
///   thread and sent on in batches of [`batch`](Stages::batch) items (1 by
///   default: make items coarse — a block of lines, a chunk of records — or
///   raise the batch for cheap ones, since a message costs around a
///   microsecond).
/// - A **stage** is a function `Fn(In) -> Out + Sync` applied to every item
///   by its own workers, which share its input channel.
/// - The **sink** folds the results on the calling thread, in the order the
///   last stage hands them on.
///
/// Every channel holds at most [`capacity`](Stages::capacity) batches, so a
/// run never holds more than about `capacity` batches per channel plus one
/// per thread (and, for [`Order::Preserve`] stages, the batches waiting for
/// an earlier one), however long the source.
///
/// If the source, a stage or the sink panics, every thread is told to stop,
/// no thread is left blocked on a full or empty channel, and once all of them
/// have ended the panic reaches the caller with its original payload (the
/// sink's first, then the source's, then the stages' in order).
///
/// ```
/// use ps_stages::{Order, Stages};
///
/// let text = "one two\nthree\nfour five six\n";
/// let (words, stats) = Stages::from_source(text.lines())
///     .capacity(2)
///     .stage("split", 2, Order::Preserve, |line: &str| line.split(' ').count())
///     .stage("square", 1, Order::Any, |n| n * n)
///     .fold(0, |total, n| total + n)?;
/// assert_eq!(words, 4 + 1 + 9);
/// let names: Vec<_> = stats.stages().iter().map(|row| row.name()).collect();
/// assert_eq!(names, ["source", "split", "square", "sink"]);
/// # Ok::<(), ps_stages::StagesError>(())
/// ```
pub struct Stages<'env, T> {
    launch: Launch<'env, T>,
    /// Each stage's name and worker count, in order.
    rows: Vec<(String, usize)>,
    /// The source's size-hint upper bound, in items.
    source_len: Option<usize>,
    capacity: Option<usize>,
    batch: usize,
    /// The first mistake made while building, reported by `run`.
    error: Option<StagesError>,
}

impl<T> fmt::Debug for Stages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stages")
            .field("stages", &self.rows)
            .field("capacity", &self.capacity)
            .field("batch", &self.batch)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<'env, T: Send + 'env> Stages<'env, T> {
    /// A pipeline whose source yields the items of `source`, with no stages
    /// yet; the default capacity and a batch of 1 item.
    ///
    /// ```
    /// use ps_stages::Stages;
    ///
    /// let words = vec!["owned".to_owned(), "items".to_owned()];
    /// let (joined, _) = Stages::from_source(words).fold(String::new(), |text, word| text + &word)?;
    /// assert_eq!(joined, "owneditems");
    /// # Ok::<(), ps_stages::StagesError>(())
    /// ```
    #[must_use]
    pub fn from_source<I>(source: I) -> Self
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'env,
    {
        let source = source.into_iter();
        let source_len = source.size_hint().1;
        Stages {
            launch: Box::new(move |scope, context, output| {
                let context = Arc::clone(context);
                vec![scope.spawn(move || feed(source, output, &context))]
            }),
            rows: Vec::new(),
            source_len,
            capacity: None,
            batch: 1,
            error: None,
        }
    }

    /// Sets every channel's capacity, in batches. By default a channel holds
    /// [`DEFAULT_CAPACITY_PER_WORKER`] batches per thread that reads it.
    ///
    /// A capacity of 0 makes [`run`](Self::run) fail with
    /// [`StagesError::ZeroCapacity`].
    ///
    /// ```
    /// # use ps_stages::{Stages, StagesError};
    /// let error = Stages::from_source(0..3).capacity(0).run(|_| {}).unwrap_err();
    /// assert_eq!(error, StagesError::ZeroCapacity);
    /// ```
    #[must_use]
    pub fn capacity(mut self, capacity: usize) -> Self {
        if capacity == 0 {
            self.error.get_or_insert(StagesError::ZeroCapacity);
        }
        self.capacity = Some(capacity);
        self
    }

    /// Sets how many source items travel together in one message (1 by
    /// default). Each stage applies its function to the items of a batch one
    /// after the other, so order within a batch is always kept.
    ///
    /// A batch of 0 makes [`run`](Self::run) fail with
    /// [`StagesError::ZeroBatch`].
    ///
    /// ```
    /// # use ps_stages::{Order, Stages};
    /// let stats = Stages::from_source(0..1000)
    ///     .batch(100)
    ///     .stage("inc", 2, Order::Any, |x| x + 1)
    ///     .run(|_| {})?;
    /// assert_eq!((stats.stages()[1].items(), stats.stages()[1].batches()), (1000, 10));
    /// # Ok::<(), ps_stages::StagesError>(())
    /// ```
    #[must_use]
    pub fn batch(mut self, items: usize) -> Self {
        if items == 0 {
            self.error.get_or_insert(StagesError::ZeroBatch);
        }
        self.batch = items;
        self
    }

    /// Adds a stage named `name` that applies `f` to every item on `workers`
    /// threads of its own, handing results on in the source's order or as
    /// they finish (`order`).
    ///
    /// A worker count of 0 makes [`run`](Self::run) fail with
    /// [`StagesError::ZeroWorkers`].
    ///
    /// ```
    /// use ps_stages::{Order, Stages};
    ///
    /// let lengths = Stages::from_source(["a", "bb", "ccc"])
    ///     .stage("len", 2, Order::Preserve, str::len)
    ///     .fold(Vec::new(), |mut all, n| { all.push(n); all })?
    ///     .0;
    /// assert_eq!(lengths, [1, 2, 3]);
    /// # Ok::<(), ps_stages::StagesError>(())
    /// ```
    #[must_use]
    pub fn stage<U, F>(
        mut self,
        name: impl Into<String>,
        workers: usize,
        order: Order,
        f: F,
    ) -> Stages<'env, U>
    where
        U: Send + 'env,
        F: Fn(T) -> U + Send + Sync + 'env,
    {
        let name = name.into();
        if workers == 0 {
            self.error.get_or_insert(StagesError::ZeroWorkers {
                stage: name.clone(),
            });
        }
        self.rows.push((name, workers));
        let upstream = self.launch;
        let f = Arc::new(f);
        Stages {
            launch: Box::new(move |scope, context, output| {
                let (input_sender, input) = sync_channel(context.capacity_for(workers));
                let mut handles = upstream(scope, context, input_sender);
                // The workers share the receiver; when the last of them ends,
                // it is dropped, and anything still sending to this stage
                // gets an error instead of blocking.
                let input = Arc::new(Mutex::new(input));
                let reorder = (order == Order::Preserve).then(|| Arc::new(OrderedHandOver::new()));
                for _ in 0..workers {
                    let (input, output) = (Arc::clone(&input), output.clone());
                    let (reorder, f) = (reorder.clone(), Arc::clone(&f));
                    let context = Arc::clone(context);
                    handles.push(scope.spawn(move || {
                        work(&input, output, reorder.as_deref(), &*f, &context.stop)
                    }));
                }
                handles
            }),
            rows: self.rows,
            source_len: self.source_len,
            capacity: self.capacity,
            batch: self.batch,
            error: self.error,
        }
    }

    /// Runs the pipeline, calling `sink` on the calling thread with every
    /// result, and returns the run's statistics.
    ///
    /// # Errors
    ///
    /// The first mistake made while building: [`StagesError::ZeroWorkers`],
    /// [`StagesError::ZeroCapacity`] or [`StagesError::ZeroBatch`]. Nothing
    /// runs then — not even the source.
    ///
    /// # Panics
    ///
    /// Re-raises a panic from the source, a stage or the sink, with its
    /// original payload, after every thread has ended.
    ///
    /// ```
    /// # use ps_stages::{Order, Stages};
    /// let mut total = 0;
    /// let stats = Stages::from_source(1..=4).stage("cube", 2, Order::Any, |x: u64| x.pow(3)).run(|x| total += x)?;
    /// assert_eq!((total, stats.items()), (100, 4));
    /// # Ok::<(), ps_stages::StagesError>(())
    /// ```
    pub fn run(self, mut sink: impl FnMut(T)) -> Result<RunStats, StagesError> {
        self.fold((), |(), item| sink(item))
            .map(|((), stats)| stats)
    }

    /// Runs the pipeline, folding every result into `init` with `sink` on
    /// the calling thread; returns the folded value and the run's statistics.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run).
    ///
    /// # Panics
    ///
    /// As [`run`](Self::run).
    ///
    /// ```
    /// # use ps_stages::{Order, Stages};
    /// let (sum, stats) = Stages::from_source(0..100_u64)
    ///     .stage("square", 2, Order::Any, |x| x * x)
    ///     .fold(0, |sum, x| sum + x)?;
    /// assert_eq!(sum, 328_350);
    /// assert_eq!(stats.stages().last().unwrap().items(), 100);
    /// # Ok::<(), ps_stages::StagesError>(())
    /// ```
    pub fn fold<A>(
        self,
        init: A,
        mut sink: impl FnMut(A, T) -> A,
    ) -> Result<(A, RunStats), StagesError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let context = Arc::new(Context {
            stop: AtomicBool::new(false),
            batch: self.batch,
            capacity: self.capacity,
            most_batches: self
                .source_len
                .map(|items| items.div_ceil(self.batch).max(1)),
        });
        let launch = self.launch;
        let mut folded = Some(init);
        let started = Instant::now();
        let counters = thread::scope(|scope| {
            let (output, results) = sync_channel(context.capacity_for(1));
            let handles = launch(scope, &context, output);
            // The sink's panic is caught, the pipeline stopped and the
            // receiver dropped inside `collect`, before the threads are
            // joined; `run_and_join` then re-raises the first panic.
            run_and_join(
                || collect(results, &mut folded, &mut sink, &context.stop),
                handles,
            )
        });
        let wall = started.elapsed();
        let folded = folded.expect("the sink's value is put back after every batch");
        Ok((folded, self_stats(&self.rows, &counters, wall)))
    }
}
