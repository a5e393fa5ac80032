//! Putting results that arrive in any order back into input order.

/// Collects one result per task index, in whatever order they arrive, and
/// gives them back in index order.
///
/// Strategies whose workers finish tasks out of order (the dynamic schedule,
/// the pipeline's collector) use it to return what
/// [`Strategy::run_tasks`](crate::Strategy::run_tasks) promises: results in
/// index order.
///
/// ```
/// use ps_strategy::InOrder;
///
/// let mut results = InOrder::new(3);
/// results.insert(2, 'c');
/// results.insert(0, 'a');
/// results.insert(1, 'b');
/// assert_eq!(results.into_vec(), ['a', 'b', 'c']);
/// ```
#[derive(Debug)]
pub struct InOrder<R> {
    slots: Vec<Option<R>>,
    filled: usize,
}

impl<R> InOrder<R> {
    /// Expects results for the indices `0..count`.
    #[must_use]
    pub fn new(count: usize) -> Self {
        InOrder {
            slots: std::iter::repeat_with(|| None).take(count).collect(),
            filled: 0,
        }
    }

    /// Records the result of task `index`.
    ///
    /// # Panics
    ///
    /// If `index` is out of range or already has a result: a scheduling bug.
    pub fn insert(&mut self, index: usize, result: R) {
        let slot = &mut self.slots[index];
        assert!(slot.is_none(), "task {index} finished twice");
        *slot = Some(result);
        self.filled += 1;
    }

    /// The results extended by `(index, result)` pairs.
    pub fn extend(&mut self, pairs: impl IntoIterator<Item = (usize, R)>) {
        for (index, result) in pairs {
            self.insert(index, result);
        }
    }

    /// Whether every index has its result.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.filled == self.slots.len()
    }

    /// The results in index order.
    ///
    /// # Panics
    ///
    /// If some index never got a result: a scheduling bug.
    #[must_use]
    pub fn into_vec(self) -> Vec<R> {
        assert!(
            self.is_complete(),
            "{} of {} tasks never finished",
            self.slots.len() - self.filled,
            self.slots.len()
        );
        self.slots.into_iter().flatten().collect()
    }
}
