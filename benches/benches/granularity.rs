//! How the grain — elements per unit of work — changes the time of the
//! grain-based strategies (`threads-dynamic`, `pipeline`, `rayon`).
//!
//! Two workloads from the workloads crate, each at grains 1, 16, 256, 4096
//! and 65 536, on all cores:
//!
//! - `granularity/sum-of-squares` over 2^18 numbers: about 1 ns of work per
//!   element, so the time is mostly what a chunk costs to hand out (an
//!   atomic claim, a channel message, a rayon task) times the number of
//!   chunks;
//! - `granularity/primes` below 2^18: elements cost more the larger they
//!   are, so too large a grain leaves a thread with the expensive tail
//!   (at 65 536 there are only 4 chunks for all threads).
//!
//! **What to look for:** the U shape — very slow at grain 1 (per-chunk
//! overhead over 262 144 chunks; divide the time by the element count to get
//! the overhead per chunk), flat in the middle, and for primes slower again
//! at 65 536 from load imbalance. The strategies differ most at grain 1,
//! where the pipeline's two channel hand-offs per chunk cost the most.

use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

use benches::threads;
use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::Config;
use ps_workloads::Workload;
use ps_workloads::primes::Primes;
use ps_workloads::sum_of_squares::SumOfSquares;

const N: usize = 1 << 18;
const GRAINS: [usize; 5] = [1, 16, 256, 4096, 65_536];

fn granularity<W: Workload>(c: &mut Criterion, workload: &W) {
    let input = workload.prepare(N);
    let reference = workload.run_serial(&input);
    let mut group = c.benchmark_group(format!("granularity/{}", workload.name()));
    group
        .throughput(Throughput::Elements(N as u64))
        // Grain 1 takes tens of milliseconds per call: keep the sample
        // count low and the iteration counts flat.
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10);
    for strategy in StrategyKind::ALL.into_iter().filter(|s| s.uses_grain()) {
        for grain in GRAINS {
            let config = Config::new(threads(), grain).expect("threads and grain >= 1");
            let built = AnyStrategy::build(strategy, config).expect("the strategy starts");
            workload
                .verify(&reference, &workload.run(&built, &input))
                .unwrap_or_else(|mismatch| panic!("{strategy} at grain {grain}: {mismatch}"));
            group.bench_with_input(BenchmarkId::new(strategy.name(), grain), &built, |b, s| {
                b.iter(|| workload.run(s, &input));
            });
        }
    }
    group.finish();
}

fn sum_of_squares(c: &mut Criterion) {
    granularity(c, &SumOfSquares);
}

fn primes(c: &mut Criterion) {
    granularity(c, &Primes);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = sum_of_squares, primes
}
criterion_main!(benches);
