//! A pipeline over blocking work: each chunk waits 2 ms, standing for I/O.
//! Workers that mostly wait cost almost nothing, so more workers than cores
//! still help — and the bounded channel keeps only `capacity` chunks queued.
//!
//! ```sh
//! cargo run --release -p ps-pipeline --example backpressure
//! ```

use std::time::{Duration, Instant};

use ps_pipeline::Pipeline;
use ps_strategy::Strategy;

fn main() -> Result<(), ps_strategy::ConfigError> {
    let requests: Vec<u32> = (0..400).collect();
    for workers in [1, 4, 16] {
        let pipeline = Pipeline::new(workers, 10)?.with_capacity(2)?;
        let start = Instant::now();
        let total = pipeline.map_reduce(
            &requests,
            || 0_u64,
            |acc, &request| {
                if request % 10 == 0 {
                    std::thread::sleep(Duration::from_millis(2));
                }
                acc + u64::from(request)
            },
            |a, b| a + b,
        );
        assert_eq!(total, requests.iter().map(|&r| u64::from(r)).sum::<u64>());
        println!(
            "{workers:2} workers, capacity {}: {:?}",
            pipeline.capacity(),
            start.elapsed()
        );
    }
    Ok(())
}
