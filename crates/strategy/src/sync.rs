//! The synchronisation primitives of the hand-written strategies, switchable
//! to the [loom](https://docs.rs/loom) model checker.
//!
//! The dynamic schedule's claim loop (`ps-threads`) and the pipeline's
//! feeder, workers and collector (`ps-pipeline`) take their atomics, mutexes
//! and channels from here rather than from `std::sync`. In a normal build
//! every item is a plain re-export of the `std` one: no wrapper, no cost, no
//! extra dependency. Built with `RUSTFLAGS="--cfg loom"`, the same names are
//! loom's instrumented types, and the strategies' loom tests run the real
//! claim loop and the real pipeline stages under `loom::model`, which explores
//! their thread interleavings exhaustively (within a preemption bound).
//!
//! Two things loom 0.7 lacks are handled here:
//!
//! - **Bounded channels.** Loom's `mpsc` has only an unbounded channel, and
//!   its receiver does not notice that every sender is gone. Under loom,
//!   [`mpsc::sync_channel`] is therefore a small model of `std`'s bounded
//!   channel built from loom's `Mutex` and `Condvar`, with the semantics the
//!   pipeline relies on: `send` blocks while the channel is full and fails once
//!   the receiver is gone; `recv` blocks while it is empty and fails once it is
//!   empty and every sender is gone.
//! - **Scoped threads.** Loom has no `thread::scope`, so the strategies keep
//!   `std::thread::scope` for wiring threads together; their loom tests spawn
//!   `loom::thread`s that call the same claim-loop and stage functions that the
//!   scoped threads call.
//!
//! ```
//! use ps_strategy::sync::atomic::{AtomicUsize, Ordering};
//!
//! let next = AtomicUsize::new(0);
//! assert_eq!(next.fetch_add(1, Ordering::Relaxed), 0);
//! ```

#[cfg(not(loom))]
pub use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, atomic};

#[cfg(loom)]
pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard, atomic};
#[cfg(loom)]
pub use std::sync::PoisonError;

/// Runs `model` under `loom`, exploring every interleaving of its threads
/// with up to `preemptions` preemptions — all of them if `None` —, then
/// prints how many executions that took and returns that number. A
/// `LOOM_MAX_PREEMPTIONS` environment variable overrides the bound.
///
/// Only under `cfg(loom)`; the strategies' loom tests all go through it.
///
/// # Panics
///
/// If any execution of `model` panics or deadlocks: loom then reports the
/// failing interleaving.
#[cfg(loom)]
pub fn check_model(
    name: &str,
    preemptions: Option<usize>,
    model: impl Fn() + Sync + Send + 'static,
) -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let executions = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&executions);
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = preemptions;
    }
    let bound = builder
        .preemption_bound
        .map_or_else(|| "none".to_owned(), |bound| bound.to_string());
    builder.check(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        model();
    });
    let executions = executions.load(Ordering::Relaxed);
    println!("loom: {name}: {executions} executions explored (preemption bound: {bound})");
    executions
}

/// Bounded channels: `std::sync::mpsc`'s, or a loom model of them.
#[cfg(not(loom))]
pub mod mpsc {
    pub use std::sync::mpsc::{Receiver, RecvError, SendError, SyncSender, sync_channel};
}

/// Bounded channels: `std::sync::mpsc`'s, or a loom model of them.
#[cfg(loom)]
pub mod mpsc {
    use std::collections::VecDeque;

    use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

    pub use std::sync::mpsc::{RecvError, SendError};

    struct State<T> {
        queue: VecDeque<T>,
        capacity: usize,
        senders: usize,
        receiver_alive: bool,
    }

    struct Shared<T> {
        state: Mutex<State<T>>,
        not_empty: Condvar,
        not_full: Condvar,
    }

    impl<T> Shared<T> {
        fn lock(&self) -> MutexGuard<'_, State<T>> {
            self.state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }
    }

    /// The sending half of a [`sync_channel`]; may be cloned.
    pub struct SyncSender<T>(Arc<Shared<T>>);

    /// The receiving half of a [`sync_channel`].
    pub struct Receiver<T>(Arc<Shared<T>>);

    impl<T> std::fmt::Debug for SyncSender<T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("SyncSender { .. }")
        }
    }

    impl<T> std::fmt::Debug for Receiver<T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Receiver { .. }")
        }
    }

    /// A channel holding at most `capacity` messages, as
    /// `std::sync::mpsc::sync_channel`.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0: the model has no rendezvous channel, which the
    /// pipeline never uses.
    #[must_use]
    pub fn sync_channel<T>(capacity: usize) -> (SyncSender<T>, Receiver<T>) {
        assert!(
            capacity > 0,
            "the loom channel model needs a capacity of at least 1"
        );
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::with_capacity(capacity),
                capacity,
                senders: 1,
                receiver_alive: true,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        });
        (SyncSender(Arc::clone(&shared)), Receiver(shared))
    }

    impl<T> SyncSender<T> {
        /// Sends `value`, waiting while the channel is full.
        ///
        /// # Errors
        ///
        /// Gives `value` back if the receiver is gone.
        pub fn send(&self, value: T) -> Result<(), SendError<T>> {
            let mut state = self.0.lock();
            loop {
                if !state.receiver_alive {
                    return Err(SendError(value));
                }
                if state.queue.len() < state.capacity {
                    state.queue.push_back(value);
                    self.0.not_empty.notify_one();
                    return Ok(());
                }
                state = self
                    .0
                    .not_full
                    .wait(state)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        }
    }

    impl<T> Clone for SyncSender<T> {
        fn clone(&self) -> Self {
            self.0.lock().senders += 1;
            SyncSender(Arc::clone(&self.0))
        }
    }

    impl<T> Drop for SyncSender<T> {
        fn drop(&mut self) {
            let mut state = self.0.lock();
            state.senders -= 1;
            if state.senders == 0 {
                // Wake the receiver so it sees the hang-up.
                self.0.not_empty.notify_all();
            }
        }
    }

    impl<T> Receiver<T> {
        /// Receives the next value, waiting while the channel is empty.
        ///
        /// # Errors
        ///
        /// [`RecvError`] once the channel is empty and every sender is gone.
        pub fn recv(&self) -> Result<T, RecvError> {
            let mut state = self.0.lock();
            loop {
                if let Some(value) = state.queue.pop_front() {
                    self.0.not_full.notify_one();
                    return Ok(value);
                }
                if state.senders == 0 {
                    return Err(RecvError);
                }
                state = self
                    .0
                    .not_empty
                    .wait(state)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        }
    }

    impl<T> Drop for Receiver<T> {
        fn drop(&mut self) {
            let mut state = self.0.lock();
            state.receiver_alive = false;
            // Wake every blocked sender so it sees the hang-up.
            self.0.not_full.notify_all();
        }
    }
}
