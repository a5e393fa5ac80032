//! The Python article's job — squaring a million numbers — on the serial
//! strategy, next to the same loop written by hand.
//!
//! ```sh
//! cargo run --release -p ps-serial --example squares
//! ```

use std::time::Instant;

use ps_serial::Serial;
use ps_strategy::Strategy;

fn main() {
    let numbers: Vec<u64> = (0..1_000_000).collect();

    let start = Instant::now();
    let through_trait = Serial.map(&numbers, |&n| n * n);
    let trait_time = start.elapsed();

    let start = Instant::now();
    let by_hand: Vec<u64> = numbers.iter().map(|&n| n * n).collect();
    let hand_time = start.elapsed();

    assert_eq!(through_trait, by_hand);
    println!(
        "squared {} numbers; the last is {}",
        numbers.len(),
        by_hand[by_hand.len() - 1]
    );
    println!(
        "Serial.map: {trait_time:?}; a hand-written loop: {hand_time:?} (one run each: use `cargo xtask compare` for real figures)"
    );
}
