//! The trap: user code that panics at one index and counts what it sees —
//! calls, calls still running, and worker threads that have not ended.

use std::cell::RefCell;
use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, ThreadId};
use std::time::Duration;

use super::{InjectedPanic, Workers};

/// User code that panics with an [`InjectedPanic`] at one index, and counts
/// what it sees: calls, calls still running, and the worker threads it ran on
/// that have not ended yet.
///
/// Create it on the thread that will call the strategy: that thread is the
/// caller, which is not expected to end.
#[derive(Debug)]
pub struct Trap {
    panic_at: usize,
    delay: Duration,
    caller: ThreadId,
    track_threads: bool,
    running: AtomicUsize,
    calls: AtomicUsize,
    live_threads: Arc<AtomicUsize>,
}

impl Trap {
    /// A trap for index `panic_at`; with [`Workers::PerCall`] it also tracks
    /// the threads it runs on until they end.
    #[must_use]
    pub fn new(panic_at: usize, workers: Workers) -> Self {
        Trap {
            panic_at,
            delay: Duration::ZERO,
            caller: thread::current().id(),
            track_threads: workers == Workers::PerCall,
            running: AtomicUsize::new(0),
            calls: AtomicUsize::new(0),
            live_threads: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Makes every step sleep for `delay` first: slow user code.
    #[must_use]
    pub fn with_delay(self, delay: Duration) -> Self {
        Trap { delay, ..self }
    }

    /// The index whose step panics.
    #[must_use]
    pub fn panic_at(&self) -> usize {
        self.panic_at
    }

    /// How many steps (and other user code) have started so far.
    #[must_use]
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// User code for element `index`: returns `index`, or panics with an
    /// [`InjectedPanic`] if it is the trapped index.
    pub fn step(&self, index: usize) -> usize {
        self.observe(|| {
            if index == self.panic_at {
                panic::panic_any(InjectedPanic { index });
            }
            index
        })
    }

    /// How many calls of user code are running now.
    pub(crate) fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// How many worker threads that ran user code have not ended yet
    /// (always 0 for [`Workers::Pooled`]).
    pub(crate) fn live_threads(&self) -> usize {
        self.live_threads.load(Ordering::SeqCst)
    }

    /// Runs `work` as counted user code.
    pub(crate) fn observe<T>(&self, work: impl FnOnce() -> T) -> T {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.running.fetch_add(1, Ordering::SeqCst);
        let _running = DecrementOnDrop(&self.running);
        self.track_this_thread();
        if !self.delay.is_zero() {
            thread::sleep(self.delay);
        }
        work()
    }

    /// Counts this thread as live until it ends, once per trap.
    fn track_this_thread(&self) {
        if !self.track_threads || thread::current().id() == self.caller {
            return;
        }
        THREAD_EXIT_GUARDS.with(|guards| {
            let mut guards = guards.borrow_mut();
            if !guards
                .iter()
                .any(|guard| Arc::ptr_eq(&guard.0, &self.live_threads))
            {
                self.live_threads.fetch_add(1, Ordering::SeqCst);
                guards.push(ThreadExitGuard(Arc::clone(&self.live_threads)));
            }
        });
    }
}

thread_local! {
    /// Dropped when the thread ends: one guard per trap that ran on it.
    static THREAD_EXIT_GUARDS: RefCell<Vec<ThreadExitGuard>> = const { RefCell::new(Vec::new()) };
}

/// Uncounts a thread when it ends. The drop sleeps first: a strategy that
/// returns before its threads have ended (rather than merely finished their
/// closures) then loses the race reliably instead of once in a blue moon.
struct ThreadExitGuard(Arc<AtomicUsize>);

impl Drop for ThreadExitGuard {
    fn drop(&mut self) {
        thread::sleep(Duration::from_millis(1));
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

struct DecrementOnDrop<'a>(&'a AtomicUsize);

impl Drop for DecrementOnDrop<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
