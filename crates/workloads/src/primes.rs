//! Primes: count the primes below `n` by trial division.
//!
//! Each number is tested on its own by dividing it by 2 and by every odd
//! number up to its square root. A composite usually stops at a small
//! divisor, but a prime runs the whole way, about `√x / 2` divisions, so the
//! cost of an element *grows with the element*: the last tenth of `0..n` is
//! far more work than the first. That is what this workload teaches. A static
//! schedule that gives each thread one equal contiguous block leaves the
//! first threads idle while the last one finishes, and a dynamic schedule
//! with a grain of a few thousand numbers balances the load at the price of
//! one atomic claim per chunk.
//!
//! The numbers are materialised by [`input`] and counted with `map_reduce`,
//! exactly like [`sum_of_squares`](crate::sum_of_squares): the two workloads
//! differ only in what an element costs, which makes the comparison between
//! them the point. (Running `run_tasks` over ranges of the integers would
//! save the input vector, but its eight bytes per number are nothing next to
//! the divisions, and it would hide the likeness.)
//!
//! Numbers below 2³² are divided as `u32`, which is several times faster than
//! a 64-bit division on many processors; larger ones use `u64`.

use ps_strategy::Strategy;
use ps_workload::{Sizes, Workload};

use crate::canonical::bytes_of;

/// The numbers `0..n` as `u64`, built outside the timed region.
///
/// ```
/// assert_eq!(ps_workloads::primes::input(3), [0, 1, 2]);
/// ```
#[must_use]
pub fn input(n: usize) -> Vec<u64> {
    (0..n as u64).collect()
}

/// Whether `x` is prime, by trial division up to `√x`.
///
/// ```
/// use ps_workloads::primes::is_prime;
///
/// let small: Vec<u64> = (0..20).filter(|&x| is_prime(x)).collect();
/// assert_eq!(small, [2, 3, 5, 7, 11, 13, 17, 19]);
/// assert!(is_prime(4_294_967_311)); // the first prime above 2³²
/// ```
#[must_use]
// `#[inline]`: `primes<S>` is compiled in the caller's crate, and without
// it the per-element test would be a call there but inlined in `primes_serial`.
#[inline]
pub fn is_prime(x: u64) -> bool {
    match u32::try_from(x) {
        Ok(small) => is_prime_u32(small),
        Err(_) => is_prime_u64(x),
    }
}

/// Trial division in 32 bits. `x / d` and `x % d` compile to one division,
/// and `d > x / d` means `d² > x` without the overflow of `d * d`.
#[inline]
fn is_prime_u32(x: u32) -> bool {
    if x < 4 {
        return x >= 2;
    }
    if x % 2 == 0 {
        return false;
    }
    let mut d = 3;
    loop {
        let (quotient, remainder) = (x / d, x % d);
        if d > quotient {
            return true;
        }
        if remainder == 0 {
            return false;
        }
        d += 2;
    }
}

/// The same loop in 64 bits, for numbers of 2³² and more.
#[inline]
fn is_prime_u64(x: u64) -> bool {
    if x < 4 {
        return x >= 2;
    }
    if x % 2 == 0 {
        return false;
    }
    let mut d = 3;
    loop {
        let (quotient, remainder) = (x / d, x % d);
        if d > quotient {
            return true;
        }
        if remainder == 0 {
            return false;
        }
        d += 2;
    }
}

/// How many elements of `input` are prime, counted per chunk by `strategy`.
///
/// ```
/// use ps_threads::Dynamic;
/// use ps_workloads::primes::{input, primes};
///
/// assert_eq!(primes(&Dynamic::new(2, 16)?, &input(100)), 25);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[must_use]
pub fn primes<S: Strategy>(strategy: &S, input: &[u64]) -> u64 {
    strategy.map_reduce(
        input,
        || 0,
        |count, &x| count + u64::from(is_prime(x)),
        |left, right| left + right,
    )
}

/// The serial reference: one plain loop, no strategy.
///
/// ```
/// use ps_workloads::primes::{input, primes_serial};
///
/// assert_eq!(primes_serial(&input(10)), 4); // 2, 3, 5, 7
/// ```
#[must_use]
pub fn primes_serial(input: &[u64]) -> u64 {
    let mut count = 0;
    for &x in input {
        count += u64::from(is_prime(x));
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent answer: the sieve of Eratosthenes.
    fn sieve_count(n: usize) -> u64 {
        let mut composite = vec![false; n];
        let mut count = 0;
        for x in 2..n {
            if !composite[x] {
                count += 1;
                for multiple in (x * x..n).step_by(x) {
                    composite[multiple] = true;
                }
            }
        }
        count
    }

    #[test]
    fn prime_counting_function_at_known_points() {
        assert_eq!(primes_serial(&input(0)), 0);
        assert_eq!(primes_serial(&input(3)), 1);
        assert_eq!(primes_serial(&input(10)), 4);
        assert_eq!(primes_serial(&input(100)), 25);
        assert_eq!(primes_serial(&input(10_000)), 1229);
        assert_eq!(primes_serial(&input(1_000_000)), 78_498);
    }

    #[test]
    fn agrees_with_a_sieve() {
        for n in [0, 1, 2, 3, 4, 5, 50, 997, 998, 5000] {
            assert_eq!(primes_serial(&input(n)), sieve_count(n), "n = {n}");
        }
    }

    #[test]
    fn squares_of_primes_are_composite() {
        assert!(!is_prime(9));
        assert!(!is_prime(25));
        assert!(!is_prime(65_521 * 65_521)); // the largest 16-bit prime, squared
        assert!(!is_prime(4_294_967_291 * 3)); // the largest 32-bit prime, times 3
        assert!(is_prime(4_294_967_291));
        assert!(!is_prime(u64::from(u32::MAX))); // 3 × 5 × 17 × 257 × 65537
    }

    #[test]
    fn the_64_bit_path_agrees_with_the_32_bit_one() {
        for x in 0..3000_u32 {
            assert_eq!(is_prime_u32(x), is_prime_u64(u64::from(x)), "x = {x}");
        }
    }
}

/// The workload: count the primes below `n`.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workload::Workload;
/// use ps_workloads::primes::Primes;
///
/// assert_eq!(Primes.run(&Serial, &Primes.prepare(100)), 25);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Primes;

impl Workload for Primes {
    type Input = Vec<u64>;
    type Output = u64;

    fn name(&self) -> &'static str {
        "primes"
    }

    fn summary(&self) -> &'static str {
        "count primes below n by trial division: later numbers cost more, so equal blocks are unbalanced"
    }

    fn n_means(&self) -> &'static str {
        "the bound below which primes are counted"
    }

    fn sizes(&self) -> Sizes {
        Sizes {
            quick: 100_000,
            default: 3_000_000,
            large: 15_000_000,
        }
    }

    /// 4096 numbers: near a million a chunk is tens of microseconds, and the
    /// costly top of the range is still spread over dozens of chunks.
    fn grain(&self, _n: usize) -> usize {
        4096
    }

    fn bytes_for(&self, n: usize) -> Option<u128> {
        Some(bytes_of::<u64>(n))
    }

    fn prepare(&self, n: usize) -> Vec<u64> {
        input(n)
    }

    fn run<S: Strategy>(&self, strategy: &S, input: &Vec<u64>) -> u64 {
        primes(strategy, input)
    }

    fn run_serial(&self, input: &Vec<u64>) -> u64 {
        primes_serial(input)
    }
}
