//! Static blocks against dynamic claims on work whose cost grows with the
//! index: the static schedule waits for its most expensive block.
//!
//! ```sh
//! cargo run --release -p ps-threads --example schedules -- 4
//! ```

use std::time::Instant;

use ps_strategy::Strategy;
use ps_threads::{Dynamic, StaticBlocks};

/// A deliberately uneven task: element `i` costs about `i` steps.
fn uneven(i: u64) -> u64 {
    (0..i).fold(i, |acc, step| acc.rotate_left(5) ^ step)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let threads = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => ps_strategy::available_threads(),
    };
    let input: Vec<u64> = (0..20_000).collect();
    let expected: Vec<u64> = input.iter().map(|&i| uneven(i)).collect();

    time(&StaticBlocks::new(threads)?, &input, &expected);
    time(&Dynamic::new(threads, 64)?, &input, &expected);
    Ok(())
}

fn time<S: Strategy>(strategy: &S, input: &[u64], expected: &[u64]) {
    let start = Instant::now();
    let output = strategy.map(input, |&i| uneven(i));
    let elapsed = start.elapsed();
    assert_eq!(output, expected, "{} differs from serial", strategy.name());
    println!(
        "{:16} {} threads: {elapsed:?}",
        strategy.name(),
        strategy.threads()
    );
}
