//! Work whose cost is all at the end: the last tenth of the input costs
//! about as much as the rest together. Whoever starts there splits it, and
//! idle workers steal the halves. Checked against a serial loop, then timed
//! on each thread count from 1 to the machine's cores.
//!
//! ```sh
//! cargo run --release -p ps-steal --example uneven_tail
//! ```

use std::time::Instant;

use ps_steal::WorkStealing;
use ps_strategy::Strategy;

/// Element `i` costs about `steps(i)` steps: ten times more in the last tenth.
fn steps(i: u64, len: u64) -> u64 {
    if i >= len - len / 10 { 2_000 } else { 200 }
}

/// Something to compute that the optimiser cannot skip.
fn work(i: u64, len: u64) -> u64 {
    (0..steps(i, len)).fold(i, |acc, step| acc.rotate_left(5) ^ step)
}

fn main() -> Result<(), ps_strategy::ConfigError> {
    let len = 50_000;
    let input: Vec<u64> = (0..len).collect();
    let expected: Vec<u64> = input.iter().map(|&i| work(i, len)).collect();
    for threads in 1..=ps_strategy::available_threads() {
        let stealing = WorkStealing::new(threads, 256)?;
        let start = Instant::now();
        let output = stealing.map(&input, |&i| work(i, len));
        let elapsed = start.elapsed();
        assert_eq!(output, expected, "work stealing differs from serial");
        println!("{threads} thread(s): {elapsed:?}");
    }
    Ok(())
}
