//! Restoring the source's order after a stage that finishes out of order.

use std::collections::VecDeque;
use std::time::Duration;

use ps_strategy::sync::atomic::{AtomicBool, Ordering};
use ps_strategy::sync::mpsc::SyncSender;
use ps_strategy::sync::{Condvar, Mutex, PoisonError};

/// How often a worker waiting for its turn looks at the stop flag, in case
/// the batch ahead of it will never come because the pipeline is stopping.
const STOP_CHECK: Duration = Duration::from_millis(10);

/// The hand-over of one [`Order::Preserve`](crate::Order::Preserve) stage:
/// its reorder buffer, and the signal that the batches in it have moved on.
pub(crate) struct OrderedHandOver<T> {
    buffer: Mutex<Reorder<T>>,
    moved_on: Condvar,
}

impl<T> OrderedHandOver<T> {
    pub(crate) fn new() -> Self {
        OrderedHandOver {
            buffer: Mutex::new(Reorder::new()),
            moved_on: Condvar::new(),
        }
    }

    /// Records that a worker has taken batch `seq` from the stage's input.
    pub(crate) fn started(&self, seq: usize) {
        let mut buffer = self.buffer.lock().unwrap_or_else(PoisonError::into_inner);
        buffer.in_progress.push(seq);
    }

    /// Puts batch `seq` in the buffer, sends every batch that is now next
    /// in line, then, while the batch next in line is in another worker's
    /// hands, waits for it to be sent.
    ///
    /// Waiting is what keeps the work in flight bounded: a worker whose
    /// batch must wait for one that is being worked on takes no new input
    /// meanwhile, so the buffer cannot grow while one slow worker holds the
    /// next batch. When the next batch has not been taken yet — the stage's
    /// input arrives out of order — the worker goes on taking input
    /// instead, since the missing batch may be behind what it would wait
    /// for. The lock is held while sending, so batches leave in order.
    /// Returns `false` when the next stage is gone or the pipeline is
    /// stopping.
    pub(crate) fn hand_on(
        &self,
        seq: usize,
        batch: T,
        output: &SyncSender<T>,
        stop: &AtomicBool,
    ) -> bool {
        let mut buffer = self.buffer.lock().unwrap_or_else(PoisonError::into_inner);
        buffer.insert(seq, batch);
        buffer.in_progress.retain(|&taken| taken != seq);
        let mut sent = false;
        while let Some(ready) = buffer.pop_ready() {
            if output.send(ready).is_err() {
                return false;
            }
            sent = true;
        }
        if sent {
            self.moved_on.notify_all();
        }
        while buffer.next <= seq && buffer.in_progress.contains(&buffer.next) {
            if stop.load(Ordering::Relaxed) {
                return false;
            }
            buffer = self
                .moved_on
                .wait_timeout(buffer, STOP_CHECK)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

/// Finished batches of one [`Order::Preserve`] stage that wait for an earlier
/// one: a streaming form of [`ps_strategy::InOrder`], which needs the count
/// up front. Slot `i` holds batch `next + i`.
struct Reorder<T> {
    next: usize,
    waiting: VecDeque<Option<T>>,
    /// Batches taken by a worker and not yet inserted.
    in_progress: Vec<usize>,
}

impl<T> Reorder<T> {
    fn new() -> Self {
        Reorder {
            next: 0,
            waiting: VecDeque::new(),
            in_progress: Vec::new(),
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
