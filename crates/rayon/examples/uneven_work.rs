//! Counting primes by trial division — the cost grows with the number — on a
//! rayon pool of each size from 1 to the machine's cores.
//!
//! ```sh
//! cargo run --release -p ps-rayon --example uneven_work
//! ```

use std::time::Instant;

use ps_rayon::RayonPool;
use ps_strategy::Strategy;

fn is_prime(n: u64) -> bool {
    n >= 2 && (2..=n.isqrt()).all(|d| n % d != 0)
}

fn main() -> Result<(), ps_strategy::ConfigError> {
    let numbers: Vec<u64> = (0..300_000).collect();
    for threads in 1..=ps_strategy::available_threads() {
        let rayon = RayonPool::new(threads, 1000)?;
        let start = Instant::now();
        let primes = rayon.map_reduce(
            &numbers,
            || 0,
            |count, &n| count + u64::from(is_prime(n)),
            |a, b| a + b,
        );
        assert_eq!(primes, 25_997, "there are 25,997 primes below 300,000");
        println!(
            "{threads} thread(s): {primes} primes in {:?}",
            start.elapsed()
        );
    }
    Ok(())
}
