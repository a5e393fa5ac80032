//! Every workload under every strategy, at two or three small sizes.
//!
//! One criterion group per workload (`workloads/squares`,
//! `workloads/primes`, …); in each, one benchmark per strategy and size,
//! named `STRATEGY/n`. Strategies are built through `ps_catalog::AnyStrategy`
//! with all cores and the workload's own suggested grain
//! (`WorkloadKind::grain`); the work is the workloads crate's
//! `Prepared::run`, with the input built beforehand and each strategy's
//! output verified against the serial reference once before timing.
//!
//! The throughput column counts elements: numbers for squares, sum of
//! squares, primes and latency, pixels (n²) for mandelbrot, matrix entries
//! of one product (n²) for spectral norm, words for word count.
//!
//! The sizes are deliberately small (at most the workloads' `quick` size,
//! where the harness's sizes start), so the whole file runs in minutes;
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
use ps_workloads::WorkloadKind;

/// The sizes each workload is measured at.
fn sizes(kind: WorkloadKind) -> &'static [usize] {
    match kind {
        WorkloadKind::Squares | WorkloadKind::SumOfSquares => &[10_000, 100_000, 1_000_000],
        WorkloadKind::Primes => &[10_000, 100_000],
        WorkloadKind::Mandelbrot => &[200, 1000],
        WorkloadKind::SpectralNorm => &[100, 500],
        WorkloadKind::WordCount => &[5_000, 50_000],
        WorkloadKind::Latency => &[8, 50],
    }
}

/// What the throughput column counts for a run of size `n`.
fn elements(kind: WorkloadKind, n: usize) -> u64 {
    match kind {
        WorkloadKind::Mandelbrot | WorkloadKind::SpectralNorm => (n * n) as u64,
        _ => n as u64,
    }
}

fn workload(c: &mut Criterion, kind: WorkloadKind) {
    let mut group = c.benchmark_group(format!("workloads/{kind}"));
    for &n in sizes(kind) {
        let prepared = kind.prepare(n);
        let reference = prepared.run_serial_reference();
        group.throughput(Throughput::Elements(elements(kind, n)));
        for strategy in StrategyKind::ALL {
            let config = Config::new(threads(), kind.grain(n)).expect("threads and grain >= 1");
            let built = AnyStrategy::build(strategy, config).expect("the strategy starts");
            prepared
                .run(&built)
                .verify(&reference)
                .unwrap_or_else(|mismatch| panic!("{kind} with {strategy} at n = {n}: {mismatch}"));
            group.bench_with_input(BenchmarkId::new(strategy.name(), n), &built, |b, s| {
                b.iter(|| prepared.run(s));
            });
        }
    }
    group.finish();
}

fn all_workloads(c: &mut Criterion) {
    for kind in WorkloadKind::ALL {
        workload(c, kind);
    }
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
