//! Multi-stage pipelines: a source, a chain of stages each with its own
//! workers, and a sink, joined by bounded channels.
//!
//! ```text
//!  source ──▶ stage 1 ──▶ stage 2 ──▶ … ──▶ sink
//!  (1 thread)  (w₁ workers) (w₂ workers)     (the calling thread)
//! ```
//!
//! Each arrow is a bounded [`sync_channel`] carrying *batches* of items. A
//! stage's workers share the receiving end, as the strategy's workers do
//! ([`crate::Pipeline`]), and use the same worker machinery: a panic stops
//! the whole pipeline and drains the stage's input before it goes on.
//!
//! The lesson of a multi-stage pipeline is that **it runs at the speed of its
//! slowest stage**. Items flow through every stage, so once the pipeline is
//! full each stage hands on items exactly as fast as the slowest one takes
//! them; the bounded channels make the faster stages wait (a stage before
//! the bottleneck blocks on its full output channel, one after it on its
//! empty input) instead of piling up items, so memory stays flat however
//! long the input. Extra workers help only at the bottleneck: see
//! [`RunStats`] for how it is measured and named.

use std::collections::VecDeque;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::thread::{self, Scope, ScopedJoinHandle};
use std::time::Instant;

use ps_strategy::run_and_join;
use ps_strategy::sync::atomic::{AtomicBool, Ordering};
use ps_strategy::sync::mpsc::{Receiver, SyncSender, sync_channel};
use ps_strategy::sync::{Arc, Mutex, PoisonError};

use crate::DEFAULT_CAPACITY_PER_WORKER;
use crate::stats::{Role, RunStats, StageStats, WorkerStats};
use crate::worker::{drain_on_panic, receive};

/// Whether a stage hands its results on in the source's order.
///
/// ```
/// use ps_pipeline::{Order, Stages};
///
/// let mut seen = Vec::new();
/// Stages::from_source(0..50)
///     .stage("double", 3, Order::Preserve, |x| 2 * x)
///     .run(|x| seen.push(x))?;
/// assert_eq!(seen, (0..50).map(|x| 2 * x).collect::<Vec<_>>());
/// # Ok::<(), ps_pipeline::StagesError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    /// Results leave the stage in the source's order, whatever order its
    /// workers finish in — and whatever order they arrived in, so a
    /// `Preserve` stage after an [`Any`](Order::Any) stage restores the
    /// source's order. A finished batch waits in the stage's reorder buffer
    /// until every earlier one has been handed on; that wait counts as the
    /// worker's *blocked out* time.
    Preserve,
    /// Results leave the stage as soon as they are ready. With one worker and
    /// ordered input that is still the source's order.
    Any,
}

/// A pipeline that cannot run.
///
/// ```
/// use ps_pipeline::{Order, Stages, StagesError};
///
/// let error = Stages::from_source(0..10)
///     .stage("parse", 0, Order::Any, |x| x)
///     .run(|_| {})
///     .unwrap_err();
/// assert_eq!(error, StagesError::ZeroWorkers { stage: "parse".to_owned() });
/// assert_eq!(error.to_string(), "stage `parse` needs at least 1 worker");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StagesError {
    /// A stage was given 0 workers.
    ZeroWorkers {
        /// The stage's name.
        stage: String,
    },
    /// A channel capacity of 0 was asked for.
    ZeroCapacity,
    /// A batch of 0 items was asked for.
    ZeroBatch,
}

impl fmt::Display for StagesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StagesError::ZeroWorkers { stage } => {
                write!(f, "stage `{stage}` needs at least 1 worker")
            }
            StagesError::ZeroCapacity => {
                f.write_str("the channel capacity must be at least 1 batch")
            }
            StagesError::ZeroBatch => f.write_str("the batch size must be at least 1 item"),
        }
    }
}

impl std::error::Error for StagesError {}

/// One message on a channel: consecutive items of the source, numbered.
struct Batch<T> {
    /// The batch's position in the source, kept through every stage so a
    /// [`Order::Preserve`] stage can restore the order.
    seq: usize,
    items: Vec<T>,
}

/// What every thread of one run shares.
struct Context {
    stop: AtomicBool,
    batch: usize,
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
/// use ps_pipeline::{Order, Stages};
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
/// # Ok::<(), ps_pipeline::StagesError>(())
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
    /// use ps_pipeline::Stages;
    ///
    /// let words = vec!["owned".to_owned(), "items".to_owned()];
    /// let (joined, _) = Stages::from_source(words).fold(String::new(), |text, word| text + &word)?;
    /// assert_eq!(joined, "owneditems");
    /// # Ok::<(), ps_pipeline::StagesError>(())
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
    /// # use ps_pipeline::{Stages, StagesError};
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
    /// # use ps_pipeline::{Order, Stages};
    /// let stats = Stages::from_source(0..1000)
    ///     .batch(100)
    ///     .stage("inc", 2, Order::Any, |x| x + 1)
    ///     .run(|_| {})?;
    /// assert_eq!((stats.stages()[1].items(), stats.stages()[1].batches()), (1000, 10));
    /// # Ok::<(), ps_pipeline::StagesError>(())
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
    /// use ps_pipeline::{Order, Stages};
    ///
    /// let lengths = Stages::from_source(["a", "bb", "ccc"])
    ///     .stage("len", 2, Order::Preserve, str::len)
    ///     .fold(Vec::new(), |mut all, n| { all.push(n); all })?
    ///     .0;
    /// assert_eq!(lengths, [1, 2, 3]);
    /// # Ok::<(), ps_pipeline::StagesError>(())
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
                let reorder =
                    (order == Order::Preserve).then(|| Arc::new(Mutex::new(Reorder::new())));
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
    /// # use ps_pipeline::{Order, Stages};
    /// let mut total = 0;
    /// let stats = Stages::from_source(1..=4).stage("cube", 2, Order::Any, |x: u64| x.pow(3)).run(|x| total += x)?;
    /// assert_eq!((total, stats.items()), (100, 4));
    /// # Ok::<(), ps_pipeline::StagesError>(())
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
    /// # use ps_pipeline::{Order, Stages};
    /// let (sum, stats) = Stages::from_source(0..100_u64)
    ///     .stage("square", 2, Order::Any, |x| x * x)
    ///     .fold(0, |sum, x| sum + x)?;
    /// assert_eq!(sum, 328_350);
    /// assert_eq!(stats.stages().last().unwrap().items(), 100);
    /// # Ok::<(), ps_pipeline::StagesError>(())
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

/// The rows of a run from every thread's counters, in the order
/// `run_and_join` returned them: the sink, the source, then each stage's
/// workers in order.
fn self_stats(
    rows: &[(String, usize)],
    counters: &[WorkerStats],
    wall: std::time::Duration,
) -> RunStats {
    let (sink, rest) = counters.split_first().expect("the sink's counters");
    let (source, mut workers) = rest.split_first().expect("the source's counters");
    let mut stages = vec![StageStats::sum(
        Role::Source,
        "source".to_owned(),
        1,
        std::slice::from_ref(source),
    )];
    for (name, count) in rows {
        let (mine, later) = workers.split_at(*count);
        stages.push(StageStats::sum(Role::Stage, name.clone(), *count, mine));
        workers = later;
    }
    stages.push(StageStats::sum(
        Role::Sink,
        "sink".to_owned(),
        1,
        std::slice::from_ref(sink),
    ));
    RunStats { stages, wall }
}

/// The source's thread: pulls batches from the iterator and sends them on
/// until it is exhausted, the pipeline is told to stop, or nothing reads the
/// channel any more.
///
/// If the iterator panics, the pipeline is told to stop and the channel is
/// closed (so the stages after it end) before the panic goes on.
fn feed<I: Iterator>(
    source: I,
    output: SyncSender<Batch<I::Item>>,
    context: &Context,
) -> WorkerStats {
    // Unwind safety: after a panic only the flag and the channel are used.
    let fed = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut source = source.fuse();
        let mut stats = WorkerStats::default();
        for seq in 0.. {
            if context.stop.load(Ordering::Relaxed) {
                break;
            }
            let started = Instant::now();
            let items: Vec<I::Item> = source.by_ref().take(context.batch).collect();
            let ready = Instant::now();
            stats.busy += ready - started;
            if items.is_empty() {
                break;
            }
            stats.items += items.len() as u64;
            stats.batches += 1;
            let sent = output.send(Batch { seq, items }).is_ok();
            stats.blocked_out += ready.elapsed();
            if !sent {
                break;
            }
        }
        stats
    }));
    if fed.is_err() {
        context.stop.store(true, Ordering::Relaxed);
    }
    // Closing the channel is what ends the first stage's receive loops.
    drop(output);
    fed.unwrap_or_else(|payload| panic::resume_unwind(payload))
}

/// A stage's worker: the shared worker machinery of [`crate::worker`] —
/// drain the input and stop the pipeline if `f` panics — around [`serve`].
fn work<T, U, F>(
    input: &Mutex<Receiver<Batch<T>>>,
    output: SyncSender<Batch<U>>,
    reorder: Option<&Mutex<Reorder<Batch<U>>>>,
    f: &F,
    stop: &AtomicBool,
) -> WorkerStats
where
    F: Fn(T) -> U,
{
    drain_on_panic(input, output, stop, |output| {
        serve(input, output, reorder, f, stop)
    })
}

/// A stage worker's loop: receive a batch, apply `f` to its items, hand the
/// results on (through the reorder buffer if there is one), until the input
/// is closed, the pipeline is told to stop, or nothing reads the output.
fn serve<T, U, F>(
    input: &Mutex<Receiver<Batch<T>>>,
    output: &SyncSender<Batch<U>>,
    reorder: Option<&Mutex<Reorder<Batch<U>>>>,
    f: &F,
    stop: &AtomicBool,
) -> WorkerStats
where
    F: Fn(T) -> U,
{
    let mut stats = WorkerStats::default();
    loop {
        let waiting = Instant::now();
        let batch = receive(input);
        let started = Instant::now();
        stats.blocked_in += started - waiting;
        let Some(Batch { seq, items }) = batch else {
            break;
        };
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let count = items.len() as u64;
        let results = Batch {
            seq,
            items: items.into_iter().map(f).collect(),
        };
        let finished = Instant::now();
        stats.busy += finished - started;
        stats.items += count;
        stats.batches += 1;
        let handed_on = match reorder {
            None => output.send(results).is_ok(),
            Some(reorder) => hand_on_in_order(reorder, output, results),
        };
        stats.blocked_out += finished.elapsed();
        if !handed_on {
            break;
        }
    }
    stats
}

/// Puts `batch` in the stage's reorder buffer and sends every batch that is
/// now next in line. The lock is held while sending, so batches leave in
/// order even with several workers; a worker that finds it taken waits,
/// which is right: the stage cannot hand anything on until the batch ahead
/// of it has gone.
fn hand_on_in_order<U>(
    reorder: &Mutex<Reorder<Batch<U>>>,
    output: &SyncSender<Batch<U>>,
    batch: Batch<U>,
) -> bool {
    let mut reorder = reorder.lock().unwrap_or_else(PoisonError::into_inner);
    reorder.insert(batch.seq, batch);
    while let Some(ready) = reorder.pop_ready() {
        if output.send(ready).is_err() {
            return false;
        }
    }
    true
}

/// The sink's loop on the calling thread: receive a batch, fold its items
/// into `folded`, until every worker of the last stage has closed its sender.
///
/// If the sink panics, the pipeline is told to stop and the receiver is
/// dropped — so a last stage blocked on the full channel gets an error and
/// ends — before the panic goes on. After another thread's panic, the loop
/// stops folding and returns; dropping the receiver unblocks the rest.
fn collect<T, A>(
    results: Receiver<Batch<T>>,
    folded: &mut Option<A>,
    sink: &mut impl FnMut(A, T) -> A,
    stop: &AtomicBool,
) -> WorkerStats {
    // Unwind safety: after a panic `folded` is never read, and the panic is
    // resumed.
    let collected = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut stats = WorkerStats::default();
        loop {
            let waiting = Instant::now();
            let batch = results.recv();
            let started = Instant::now();
            stats.blocked_in += started - waiting;
            let Ok(Batch { items, .. }) = batch else {
                break;
            };
            if stop.load(Ordering::Relaxed) {
                break;
            }
            stats.items += items.len() as u64;
            stats.batches += 1;
            let mut value = folded.take().expect("put back after every batch");
            for item in items {
                value = sink(value, item);
            }
            *folded = Some(value);
            stats.busy += started.elapsed();
        }
        stats
    }));
    if collected.is_err() {
        stop.store(true, Ordering::Relaxed);
    }
    drop(results);
    collected.unwrap_or_else(|payload| panic::resume_unwind(payload))
}

/// Finished batches of one [`Order::Preserve`] stage that wait for an earlier
/// one: a streaming form of [`ps_strategy::InOrder`], which needs the count
/// up front. Slot `i` holds batch `next + i`.
struct Reorder<T> {
    next: usize,
    waiting: VecDeque<Option<T>>,
}

impl<T> Reorder<T> {
    fn new() -> Self {
        Reorder {
            next: 0,
            waiting: VecDeque::new(),
        }
    }

    /// Records batch `seq`.
    ///
    /// # Panics
    ///
    /// If batch `seq` was already handed on or is already waiting: a bug.
    fn insert(&mut self, seq: usize, value: T) {
        let offset = seq
            .checked_sub(self.next)
            .unwrap_or_else(|| panic!("batch {seq} handed on twice"));
        if offset >= self.waiting.len() {
            self.waiting.resize_with(offset + 1, || None);
        }
        let slot = &mut self.waiting[offset];
        assert!(slot.is_none(), "batch {seq} finished twice");
        *slot = Some(value);
    }

    /// The next batch in line, if it has arrived.
    fn pop_ready(&mut self) -> Option<T> {
        if let Some(Some(_)) = self.waiting.front() {
            self.next += 1;
            self.waiting.pop_front().flatten()
        } else {
            None
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Reorder;

    #[test]
    fn reorder_releases_batches_in_sequence() {
        let mut reorder = Reorder::new();
        reorder.insert(2, 'c');
        assert_eq!(reorder.pop_ready(), None);
        reorder.insert(0, 'a');
        assert_eq!(reorder.pop_ready(), Some('a'));
        assert_eq!(reorder.pop_ready(), None);
        reorder.insert(1, 'b');
        assert_eq!(reorder.pop_ready(), Some('b'));
        assert_eq!(reorder.pop_ready(), Some('c'));
        assert_eq!(reorder.pop_ready(), None);
        assert!(reorder.waiting.is_empty());
    }

    #[test]
    #[should_panic(expected = "batch 0 handed on twice")]
    fn a_batch_handed_on_twice_is_a_bug() {
        let mut reorder = Reorder::new();
        reorder.insert(0, ());
        reorder.pop_ready();
        reorder.insert(0, ());
    }
}
