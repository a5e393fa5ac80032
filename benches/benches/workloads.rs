//! Every workload under every strategy, at two or three small sizes.
//!
//! One criterion group per workload (`workloads/squares`,
//! `workloads/primes`, …); in each, one benchmark per strategy and size,
//! named `STRATEGY/n`. Strategies are built through `ps_catalog::AnyStrategy`
//! with all cores and the workload's own suggested grain
//! (`Workload::grain`); the work is the workload's `Workload::run`, with the input built beforehand and each strategy's
//! output verified against the serial reference once before timing.
//!
//! The throughput column counts elements: numbers for squares, sum of
//! squares, primes and latency, pixels (n²) for mandelbrot, matrix entries
//! of one product (n²) for spectral norm, words for word count.
//!
//! The sizes are deliberately small (a tenth of each workload's `quick`
//! size, and the quick size itself), so the whole file runs in minutes;
//! `cargo xtask` is the tool for the large sizes.
//!
//! **What to look for:** where the parallel strategies start to beat
//! `serial` as n grows (squares barely ever, primes and mandelbrot early);
//! `threads-static` losing to the dynamic schedules on primes and mandelbrot
//! (uneven elements); the pipeline's per-chunk cost on the cheap workloads;
//! and, for latency, that items blocking 100 µs each scale with threads even
//! beyond the core count's worth of CPU.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use benches::threads;
use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::Config;
use ps_workloads::{Workload, WorkloadVisitor};

/// The sizes each workload is measured at: a tenth of its quick size and
/// the quick size itself.
fn sizes<W: Workload>(workload: &W) -> [usize; 2] {
    let quick = workload.sizes().quick;
    [workload.nearest_valid_n(quick / 10), quick]
}

/// Adds one criterion group per workload it visits.
struct Groups<'c>(&'c mut Criterion);

impl WorkloadVisitor for Groups<'_> {
    fn visit<W: Workload + 'static>(&mut self, workload: W) {
        let name = workload.name().to_owned();
        let mut group = self.0.benchmark_group(format!("workloads/{name}"));
        for n in sizes(&workload) {
            let input = workload.prepare(n);
            let reference = workload.run_serial(&input);
            group.throughput(Throughput::Elements(workload.work_items(n)));
            for strategy in StrategyKind::ALL {
                let config =
                    Config::new(threads(), workload.grain(n)).expect("threads and grain >= 1");
                let built = AnyStrategy::build(strategy, config).expect("the strategy starts");
                workload
                    .verify(&reference, &workload.run(&built, &input))
                    .unwrap_or_else(|mismatch| {
                        panic!("{name} with {strategy} at n = {n}: {mismatch}")
                    });
                group.bench_with_input(BenchmarkId::new(strategy.name(), n), &built, |b, s| {
                    b.iter(|| workload.run(s, &input));
                });
            }
        }
        group.finish();
    }
}

fn all_workloads(c: &mut Criterion) {
    ps_workloads::visit_all(&mut Groups(c));
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = all_workloads
}
criterion_main!(benches);
