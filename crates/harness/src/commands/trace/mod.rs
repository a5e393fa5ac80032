//! [`Traced`]: every task a strategy runs, with the thread that ran it and
//! when — the schedule made visible.
//!
//! # The design decision: a task's span travels with its result
//!
//! A strategy already has to hand every task's result back to the caller,
//! in index order, through something that synchronises (a join, a channel,
//! rayon's collect). `Traced` rides on that: it wraps the task so that it
//! returns its result *and* its span — the thread, the start and the end —
//! and splits the two once the call returns. No lock or atomic is touched
//! per task, no per-thread buffer has to be found and merged afterwards, and
//! a span can be neither lost nor counted twice unless the result is, which
//! the trait's own checks catch. The log is locked once per *call*, to file
//! that call's spans.
//!
//! What a span costs is two clock reads and a thread-local read per task,
//! plus one slightly larger result; `trace` measures it, traced against the
//! same strategy untraced in rotation, and prints the ratio beside the
//! timeline.
//!
//! Calls made from inside a task (a nested parallel loop) are filed with
//! their depth, so a timeline can draw the outermost schedule alone.

mod command;
mod svg;
mod timeline;

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use ps_strategy::{Chunks, Strategy};

pub use command::trace;
pub use svg::timelines_svg;
pub use timeline::{Lane, Timeline};

/// One task: which call, which index, on which thread, and when (since the
/// log's origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskSpan {
    /// The task's index in its call.
    pub index: usize,
    /// The thread that ran it.
    pub thread: ThreadId,
    /// When it started.
    pub start: Duration,
    /// When it returned.
    pub end: Duration,
}

/// One call of [`Strategy::run_tasks`] and its tasks, in index order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallTrace {
    /// 0 for a call made outside any traced task, 1 for a call made inside
    /// one, and so on.
    pub depth: usize,
    /// The thread that made the call.
    pub caller: ThreadId,
    /// When the call started.
    pub start: Duration,
    /// When it returned.
    pub end: Duration,
    /// Every task, in index order.
    pub tasks: Vec<TaskSpan>,
}

/// Where a [`Traced`] strategy files its calls.
#[derive(Debug)]
pub struct TraceLog {
    origin: Instant,
    recording: AtomicBool,
    calls: Mutex<Vec<CallTrace>>,
}

impl TraceLog {
    fn new() -> Self {
        TraceLog {
            origin: Instant::now(),
            recording: AtomicBool::new(true),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Turns recording on or off. Off, a traced strategy forwards each call
    /// untouched (one relaxed load per call): the untraced side of the
    /// overhead measurement.
    pub fn set_recording(&self, on: bool) {
        self.recording.store(on, Ordering::Relaxed);
    }

    /// Every call filed since the last `take`, in the order they returned.
    #[must_use]
    pub fn take(&self) -> Vec<CallTrace> {
        std::mem::take(&mut *self.calls.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn since_origin(&self) -> Duration {
        self.origin.elapsed()
    }
}

thread_local! {
    /// How deep in traced tasks this thread is running.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Restores this thread's depth when a task returns or unwinds.
struct DepthGuard(usize);

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(self.0));
    }
}

/// A strategy that records every task it runs: which thread ran it, and
/// when it started and ended.
///
/// Each task returns its span together with its result, so recording takes
/// no lock and no atomic per task; the log is locked once per call, to file
/// that call's spans. Calls made inside a task are filed one level deeper.
///
/// ```
/// use ps_harness::{Strategy, Traced};
///
/// let traced = Traced::new(ps_threads::Dynamic::new(2, 10)?);
/// let squares = traced.map(&(0..100_u64).collect::<Vec<_>>(), |x| x * x);
/// assert_eq!(squares[9], 81);
/// let calls = traced.log().take();
/// assert_eq!(calls.len(), 1);
/// let indices: Vec<_> = calls[0].tasks.iter().map(|task| task.index).collect();
/// assert_eq!(indices, (0..10).collect::<Vec<_>>());
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug)]
pub struct Traced<S> {
    inner: S,
    log: Arc<TraceLog>,
}

impl<S: Strategy> Traced<S> {
    /// `inner`, recording from now on.
    #[must_use]
    pub fn new(inner: S) -> Self {
        Traced {
            inner,
            log: Arc::new(TraceLog::new()),
        }
    }

    /// The log this strategy files its calls in; it stays readable after
    /// the strategy is boxed.
    #[must_use]
    pub fn log(&self) -> Arc<TraceLog> {
        Arc::clone(&self.log)
    }
}

impl<S: Strategy> Strategy for Traced<S> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn threads(&self) -> usize {
        self.inner.threads()
    }

    fn chunks(&self, len: usize) -> Chunks {
        self.inner.chunks(len)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        if !self.log.recording.load(Ordering::Relaxed) {
            return self.inner.run_tasks(count, task);
        }
        let depth = DEPTH.with(Cell::get);
        let log = &*self.log;
        let start = log.since_origin();
        let traced = self.inner.run_tasks(count, |index| {
            let _restore = DepthGuard(DEPTH.with(|d| d.replace(depth + 1)));
            let start = log.since_origin();
            let result = task(index);
            let span = TaskSpan {
                index,
                thread: thread::current().id(),
                start,
                end: log.since_origin(),
            };
            (result, span)
        });
        let end = log.since_origin();
        let (results, tasks): (Vec<R>, Vec<TaskSpan>) = traced.into_iter().unzip();
        let call = CallTrace {
            depth,
            caller: thread::current().id(),
            start,
            end,
            tasks,
        };
        log.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(call);
        results
    }
}

#[cfg(test)]
mod tests;
