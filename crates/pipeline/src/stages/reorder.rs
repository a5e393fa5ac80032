//! Restoring the source's order after a stage that finishes out of order.

use std::collections::VecDeque;

/// Finished batches of one [`Order::Preserve`] stage that wait for an earlier
/// one: a streaming form of [`ps_strategy::InOrder`], which needs the count
/// up front. Slot `i` holds batch `next + i`.
pub(super) struct Reorder<T> {
    next: usize,
    waiting: VecDeque<Option<T>>,
}

impl<T> Reorder<T> {
    pub(super) fn new() -> Self {
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
    pub(super) fn insert(&mut self, seq: usize, value: T) {
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
    pub(super) fn pop_ready(&mut self) -> Option<T> {
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
