//! Scalar against SIMD kernels, under each strategy: one timing of each
//! Mandelbrot and spectral-norm run, with the answers checked against each
//! other.
//!
//! ```text
//! cargo run --release -p ps-workloads --example simd_vs_scalar [MANDELBROT_N SPECTRAL_N]
//! ```
//!
//! A quick look, not a measurement: one run each, no warm-up, no medians
//! (the criterion benches and `cargo xtask` are for that).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use ps_serial::Serial;
use ps_strategy::{ConfigError, Strategy, available_threads};
use ps_threads::{Dynamic, StaticBlocks};
use ps_workloads::simd::Kernel;
use ps_workloads::{WorkloadKind, mandelbrot, spectral_norm};

const DEFAULT_MANDELBROT_N: usize = 2000;
const DEFAULT_SPECTRAL_N: usize = 1000;

fn timed<T>(run: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let result = run();
    (result, start.elapsed())
}

fn compare_mandelbrot<S: Strategy>(strategy: &S, n: usize) {
    let simd = Kernel::detect();
    let (scalar_image, scalar_time) = timed(|| mandelbrot::mandelbrot(strategy, n));
    let (simd_image, simd_time) = timed(|| mandelbrot::mandelbrot_simd_with(strategy, n, simd));
    assert_eq!(scalar_image, simd_image, "the SIMD image differs");
    report("mandelbrot", strategy.name(), scalar_time, simd, simd_time);
}

fn compare_spectral_norm<S: Strategy>(strategy: &S, n: usize) {
    let simd = Kernel::detect();
    let (scalar_norm, scalar_time) = timed(|| spectral_norm::spectral_norm(strategy, n));
    let (simd_norm, simd_time) =
        timed(|| spectral_norm::spectral_norm_simd_with(strategy, n, simd));
    assert_eq!(
        scalar_norm.to_bits(),
        simd_norm.to_bits(),
        "the SIMD norm differs"
    );
    report(
        "spectral-norm",
        strategy.name(),
        scalar_time,
        simd,
        simd_time,
    );
}

fn report(workload: &str, strategy: &str, scalar: Duration, simd: Kernel, simd_time: Duration) {
    println!(
        "{workload:<14} {strategy:<16} scalar {scalar:>10.2?}   {:<8} {simd_time:>10.2?}",
        simd.isa()
    );
}

/// Every strategy of this comparison, for one workload (Mandelbrot or
/// spectral norm) and size.
fn compare_all(kind: WorkloadKind, n: usize, threads: usize) -> Result<(), ConfigError> {
    let blocks = StaticBlocks::new(threads)?;
    let dynamic = Dynamic::new(threads, kind.grain(n))?;
    if kind == WorkloadKind::Mandelbrot {
        compare_mandelbrot(&Serial, n);
        compare_mandelbrot(&blocks, n);
        compare_mandelbrot(&dynamic, n);
    } else {
        compare_spectral_norm(&Serial, n);
        compare_spectral_norm(&blocks, n);
        compare_spectral_norm(&dynamic, n);
    }
    Ok(())
}

fn main() -> ExitCode {
    let sizes: Vec<usize> = match std::env::args()
        .skip(1)
        .map(|arg| arg.parse())
        .collect::<Result<_, _>>()
    {
        Ok(sizes) => sizes,
        Err(error) => {
            eprintln!("simd_vs_scalar: sizes must be whole numbers: {error}");
            return ExitCode::from(2);
        }
    };
    let (mandelbrot_n, spectral_n) = match sizes[..] {
        [] => (DEFAULT_MANDELBROT_N, DEFAULT_SPECTRAL_N),
        [m, s]
            if WorkloadKind::Mandelbrot.validate_n(m).is_ok()
                && WorkloadKind::SpectralNorm.validate_n(s).is_ok() =>
        {
            (m, s)
        }
        _ => {
            eprintln!(
                "simd_vs_scalar: give no sizes, or MANDELBROT_N (a multiple of 8) and SPECTRAL_N"
            );
            return ExitCode::from(2);
        }
    };
    let threads = available_threads();
    println!(
        "mandelbrot n = {mandelbrot_n}, spectral-norm n = {spectral_n}, {threads} threads, SIMD kernel: {}",
        Kernel::detect().isa()
    );
    for (kind, n) in [
        (WorkloadKind::Mandelbrot, mandelbrot_n),
        (WorkloadKind::SpectralNorm, spectral_n),
    ] {
        if let Err(error) = compare_all(kind, n, threads) {
            eprintln!("simd_vs_scalar: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
