//! Counting visits, to prove each element is handed to user code once.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::describe;
use crate::Strategy;

/// Counts how often each element was visited.
pub(crate) struct Visits(Vec<AtomicUsize>);

impl Visits {
    pub(crate) fn new(len: usize) -> Self {
        Visits((0..len).map(|_| AtomicUsize::new(0)).collect())
    }

    pub(crate) fn visit(&self, index: usize) {
        self.0[index].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn assert_each_once<S: Strategy>(&self, strategy: &S, op: &str) {
        for (index, count) in self.0.iter().enumerate() {
            let count = count.load(Ordering::Relaxed);
            assert_eq!(
                count,
                1,
                "{}: {op} visited element {index} {count} times",
                describe(strategy)
            );
        }
    }
}
