//! Three stages of unequal cost, then the same chain with a second worker at
//! the slowest one: the statistics name the bottleneck, and a worker added
//! there is the one that shortens the run. Each stage sleeps, standing for
//! blocking work, so the effect shows even on a machine with few cores.
//!
//! ```sh
//! cargo run --release -p ps-stages --example bottleneck
//! ```

use std::thread;
use std::time::Duration;

use ps_stages::{Order, RunStats, Stages, StagesError};

/// A stage function that waits `micros` microseconds and passes its item on.
fn wait(micros: u64) -> impl Fn(u32) -> u32 + Send + Sync {
    move |item| {
        thread::sleep(Duration::from_micros(micros));
        item
    }
}

/// The chain `read → parse → store`, with `parse_workers` workers at parse.
fn run(parse_workers: usize) -> Result<RunStats, StagesError> {
    Stages::from_source(0..400_u32)
        .stage("read", 1, Order::Any, wait(100))
        .stage("parse", parse_workers, Order::Preserve, wait(400))
        .stage("store", 1, Order::Any, wait(50))
        .run(|_| {})
}

fn print(stats: &RunStats) {
    println!(
        "{:<8} {:>7} {:>10} {:>12} {:>13}",
        "stage", "workers", "busy", "blocked in", "blocked out"
    );
    for row in stats.stages() {
        println!(
            "{:<8} {:>7} {:>10.1?} {:>12.1?} {:>13.1?}",
            row.name(),
            row.workers(),
            row.busy(),
            row.blocked_in(),
            row.blocked_out()
        );
    }
    println!(
        "bottleneck: {}; {} items in {:.1?}\n",
        stats.bottleneck().name(),
        stats.items(),
        stats.wall()
    );
}

fn main() -> Result<(), StagesError> {
    for parse_workers in [1, 2] {
        print(&run(parse_workers)?);
    }
    Ok(())
}
