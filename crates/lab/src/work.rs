//! The unit of work every lab program hands out: either computing (counting
//! primes, which keeps a core busy) or waiting (a sleep, standing for I/O,
//! which keeps no core busy).

use std::fmt;
use std::hint::black_box;
use std::time::Duration;

use ps_workloads::primes::is_prime;

/// One item's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Test `numbers` consecutive integers for primality: pure computation.
    Compute {
        /// How many numbers one item tests.
        numbers: u64,
    },
    /// Block for this long, as a call to a disk or a service would.
    Wait(Duration),
}

/// Where [`Work::Compute`] starts testing: large enough that each test takes
/// a few thousand divisions, small enough for 32-bit arithmetic.
const FIRST_NUMBER: u64 = 1 << 30;

impl Work {
    /// Does the work for item `item` and returns a value that depends on it,
    /// so that the compiler cannot drop it and the caller can check a sum.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ps_lab::Work;
    ///
    /// assert_eq!(Work::Wait(Duration::ZERO).run(7), 7);
    /// assert!(Work::Compute { numbers: 100 }.run(0) > 0);
    /// ```
    #[must_use]
    pub fn run(self, item: u64) -> u64 {
        match self {
            Work::Compute { numbers } => {
                let start = FIRST_NUMBER + item.wrapping_mul(numbers) % FIRST_NUMBER;
                (start..start + numbers)
                    .filter(|&x| is_prime(black_box(x)))
                    .count() as u64
            }
            Work::Wait(delay) => {
                std::thread::sleep(delay);
                item
            }
        }
    }
}

impl fmt::Display for Work {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Work::Compute { numbers } => write!(f, "compute ({numbers} primality tests)"),
            Work::Wait(delay) => write!(f, "wait ({delay:?} sleep)"),
        }
    }
}
