//! The sleep and termination protocol: when a worker may stop looking for
//! work, and how a worker that found none waits without missing any.
//!
//! This is the one part of the scheduler whose correctness depends on the
//! order in which threads see each other's writes, so it is kept apart from
//! the deques and checked under the loom model checker (`loom_tests`).

use ps_strategy::sync::atomic::{AtomicBool, AtomicUsize, Ordering, fence};
use ps_strategy::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// What the workers of one call share to know when to sleep, when to wake
/// and when to stop.
#[derive(Debug)]
pub(crate) struct Sleep {
    /// Tasks that have not been reported as run; the call is over at zero.
    remaining: AtomicUsize,
    /// Set when a task panicked: the other workers stop at their next task.
    stopped: AtomicBool,
    /// Workers that have announced they are about to sleep and have not yet
    /// left: a pusher wakes one of them only if this is not zero.
    sleepers: AtomicUsize,
    /// Held from a sleeper's announcement to its wait, and by every wake-up.
    lock: Mutex<()>,
    wake: Condvar,
}

impl Sleep {
    /// The protocol for a call of `tasks` tasks.
    pub(crate) fn new(tasks: usize) -> Self {
        Sleep {
            remaining: AtomicUsize::new(tasks),
            stopped: AtomicBool::new(false),
            sleepers: AtomicUsize::new(0),
            lock: Mutex::new(()),
            wake: Condvar::new(),
        }
    }

    /// Whether a task panicked.
    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    /// Whether the call is over: every task has run, or one panicked.
    pub(crate) fn is_over(&self) -> bool {
        self.is_stopped() || self.remaining.load(Ordering::Acquire) == 0
    }

    // ANCHOR: finished
    /// Reports that `ran` more tasks have run. The report that brings the
    /// count to zero wakes every sleeper, so that they see the call is over.
    pub(crate) fn finished(&self, ran: usize) {
        if ran > 0 && self.remaining.fetch_sub(ran, Ordering::AcqRel) == ran {
            self.wake_all();
        }
    }

    /// Ends the call early, because a task panicked, and wakes every sleeper.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        self.wake_all();
    }

    /// Wakes every sleeper. Taking the lock first is what makes the signal
    /// impossible to miss: a worker checks [`Sleep::is_over`] under the same
    /// lock before it waits (see [`Sleep::wait_for_work`]).
    fn wake_all(&self) {
        let _guard = self.lock();
        self.wake.notify_all();
    }
    // ANCHOR_END: finished

    // ANCHOR: announce
    /// Called after a job has been pushed where others can steal it: wakes
    /// one sleeper, if any worker is asleep or about to be.
    pub(crate) fn announce_work(&self) {
        // Pairs with the fence in `wait_for_work`. Of the two fences, one
        // comes first in the single order of all SeqCst fences: if it is
        // this one, the sleeper's last look finds the job just pushed; if it
        // is the sleeper's, this load sees its count and wakes it.
        fence(Ordering::SeqCst);
        if self.sleepers.load(Ordering::Relaxed) > 0 {
            // Under the lock, so that a sleeper between its last look and
            // its wait cannot miss the notification.
            let _guard = self.lock();
            self.wake.notify_one();
        }
    }
    // ANCHOR_END: announce

    // ANCHOR: wait_for_work
    /// Looks for a job with `find`, sleeping while there is none, until it
    /// finds one (`Some`) or the call is over (`None`).
    pub(crate) fn wait_for_work<J>(&self, mut find: impl FnMut() -> Option<J>) -> Option<J> {
        loop {
            if self.is_over() {
                return None;
            }
            if let Some(job) = find() {
                return Some(job);
            }
            // Nothing found: announce the intention to sleep, then look once
            // more. From the announcement on, a pusher either wakes a
            // sleeper or has published its job before this last look.
            let guard = self.lock();
            self.sleepers.fetch_add(1, Ordering::Relaxed);
            fence(Ordering::SeqCst);
            if self.is_over() {
                self.leave(guard);
                return None;
            }
            if let Some(job) = find() {
                self.leave(guard);
                return Some(job);
            }
            // `wait` releases the lock only once this thread is waiting, so
            // a notification sent under the lock cannot fall in between. A
            // wake-up may be spurious or meant for the end of the call: the
            // loop looks again either way.
            let guard = self
                .wake
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner);
            self.leave(guard);
        }
    }

    /// Withdraws a sleeper's announcement, still under the lock.
    fn leave(&self, _guard: MutexGuard<'_, ()>) {
        self.sleepers.fetch_sub(1, Ordering::Relaxed);
    }
    // ANCHOR_END: wait_for_work

    /// The lock guards no data, only the order of announcements and
    /// notifications, so a poisoned lock (impossible here: no code that can
    /// panic runs under it) would be as good as a sound one.
    fn lock(&self) -> MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(all(test, loom))]
mod loom_tests;
