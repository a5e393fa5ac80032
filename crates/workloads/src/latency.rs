//! Latency: every item blocks for a fixed time, standing for I/O.
//!
//! Each item sleeps for [`DEFAULT_DELAY`] (100 µs) with
//! [`std::thread::sleep`], as if it waited for a disk, a database or another
//! service, and then contributes its own value to a sum so the result can be
//! checked: the sum of `0..n` is `n(n - 1)/2`.
//!
//! What it teaches is that *blocking work does not need cores*. A sleeping
//! thread uses no processor, so the speedup is bounded by the number of
//! threads, not the number of cores: on a two-core machine, 32 threads wait
//! on 32 items at once and finish about 32 times sooner. For computation
//! more threads than cores only add switching; for waiting they are the whole
//! point. The grain should be one item, since an item's cost is all waiting.
//!
//! A real sleep lasts a little longer than asked (the timer's slack, tens of
//! microseconds on Linux), so the serial time is somewhat above
//! `n × 100 µs`.

use std::thread;
use std::time::Duration;

use ps_strategy::Strategy;
use ps_workload::{Sizes, Workload};

use crate::canonical::bytes_of;

/// How long each item blocks by default.
pub const DEFAULT_DELAY: Duration = Duration::from_micros(100);

/// The items `0..n` as `u64`, built outside the timed region.
///
/// ```
/// assert_eq!(ps_workloads::latency::input(3), [0, 1, 2]);
/// ```
#[must_use]
pub fn input(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
}

/// Sleeps `delay` for every item, on the threads of `strategy`, and returns
/// the wrapping sum of the items.
///
/// ```
/// use std::time::Duration;
/// use ps_threads::Dynamic;
/// use ps_workloads::latency::{input, latency};
///
/// let sum = latency(&Dynamic::new(4, 1)?, &input(20), Duration::from_micros(10));
/// assert_eq!(sum, 190);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[must_use]
pub fn latency<S: Strategy>(strategy: &S, input: &[u64], delay: Duration) -> u64 {
    strategy.map_reduce(
        input,
        || 0,
        |sum, &item| sum.wrapping_add(wait_for(item, delay)),
        u64::wrapping_add,
    )
}

/// The serial reference: one item after another in a plain loop.
///
/// ```
/// use std::time::Duration;
/// use ps_workloads::latency::{input, latency_serial};
///
/// assert_eq!(latency_serial(&input(5), Duration::ZERO), 10);
/// ```
#[must_use]
pub fn latency_serial(input: &[u64], delay: Duration) -> u64 {
    let mut sum = 0_u64;
    for &item in input {
        sum = sum.wrapping_add(wait_for(item, delay));
    }
    sum
}

/// One item: block, then answer.
fn wait_for(item: u64, delay: Duration) -> u64 {
    thread::sleep(delay);
    item
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    fn sums_the_items() {
        assert_eq!(latency_serial(&input(0), Duration::ZERO), 0);
        assert_eq!(latency_serial(&input(100), Duration::ZERO), 4950);
    }

    #[test]
    fn every_item_waits() {
        let started = Instant::now();
        let _ = latency_serial(&input(20), Duration::from_millis(1));
        assert!(started.elapsed() >= Duration::from_millis(20));
    }
}

/// The workload: `n` items that each block for [`DEFAULT_DELAY`].
///
/// ```
/// use ps_serial::Serial;
/// use ps_workload::Workload;
/// use ps_workloads::latency::Latency;
///
/// assert_eq!(Latency.run(&Serial, &Latency.prepare(4)), 6);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Latency;

impl Workload for Latency {
    type Input = Vec<u64>;
    type Output = u64;

    fn name(&self) -> &'static str {
        "latency"
    }

    fn summary(&self) -> &'static str {
        "n items that each block 100 us, standing for I/O: more threads than cores help"
    }

    fn n_means(&self) -> &'static str {
        "items that each wait"
    }

    fn sizes(&self) -> Sizes {
        // 100 µs (plus the timer's slack) per item.
        Sizes {
            quick: 50,
            default: 1000,
            large: 20_000,
        }
    }

    /// One item: an item's cost is all waiting.
    fn grain(&self, _n: usize) -> usize {
        1
    }

    fn bytes_for(&self, n: usize) -> Option<u128> {
        Some(bytes_of::<u64>(n))
    }

    /// Every item sleeps: the job waits rather than computes.
    fn waits(&self) -> bool {
        true
    }

    fn prepare(&self, n: usize) -> Vec<u64> {
        input(n)
    }

    fn run<S: Strategy>(&self, strategy: &S, input: &Vec<u64>) -> u64 {
        latency(strategy, input, DEFAULT_DELAY)
    }

    fn run_serial(&self, input: &Vec<u64>) -> u64 {
        latency_serial(input, DEFAULT_DELAY)
    }
}
