//! The spectral-norm kernel written against the vector units: AVX when the
//! CPU has it, the scalar kernel otherwise (see [`crate::simd`] for how and
//! why the choice is made at run time).
//!
//! Almost all of the time goes into one division per matrix entry, so the
//! kernel is about dividing four entries at once: the four denominators of a
//! group of columns are computed in one vector, `x[j..j + 4]` is divided by
//! them with one `vdivpd`, and the quotients are added to one vector of four
//! partial sums.
//!
//! # Exactly the scalar kernel's bits
//!
//! The scalar kernel keeps four partial sums, column `j` going to sum
//! `j mod 4`; the vector's four lanes *are* those four sums, updated with the
//! same operations in the same order. Every denominator is an integer below
//! 2⁵³, computed exactly either way, and the division and addition are
//! IEEE-exact in both; the columns left after the last group of four and the
//! final combination of the sums are the scalar code itself. So each row, and
//! therefore the result, has the same bits as
//! [`spectral_norm_serial`](super::spectral_norm_serial) — not merely the
//! same nine printed decimals.

use ps_strategy::Strategy;

use super::{parallel_product, power_method, row_dot};
use crate::simd::{Isa, SupportedIsa};

/// The spectral norm of the `n × n` matrix like
/// [`spectral_norm`](super::spectral_norm), with the best kernel this CPU
/// supports ([`SupportedIsa::detect`]).
///
/// The result has the same bits as the scalar kernel's.
///
/// ```
/// use ps_threads::StaticBlocks;
/// use ps_workloads::spectral_norm::{spectral_norm_serial, spectral_norm_simd};
///
/// let norm = spectral_norm_simd(&StaticBlocks::new(2)?, 100);
/// assert_eq!(format!("{norm:.9}"), "1.274219991");
/// assert_eq!(norm.to_bits(), spectral_norm_serial(100).to_bits());
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
///
/// # Panics
///
/// If `n` is larger than [`MAX_N`](super::MAX_N).
#[must_use]
pub fn spectral_norm_simd<S: Strategy>(strategy: &S, n: usize) -> f64 {
    spectral_norm_simd_with(strategy, n, SupportedIsa::detect())
}

/// The spectral norm with `kernel`, every product parallelised over its
/// output rows by the same [`Strategy::for_each_chunk_mut`] call as the
/// scalar version.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workloads::simd::SupportedIsa;
/// use ps_workloads::spectral_norm::{spectral_norm_serial, spectral_norm_simd_with};
///
/// for supported in SupportedIsa::all_supported() {
///     let norm = spectral_norm_simd_with(&Serial, 37, supported);
///     assert_eq!(norm.to_bits(), spectral_norm_serial(37).to_bits());
/// }
/// ```
///
/// # Panics
///
/// If `n` is larger than [`MAX_N`](super::MAX_N).
#[must_use]
pub fn spectral_norm_simd_with<S: Strategy>(strategy: &S, n: usize, supported: SupportedIsa) -> f64 {
    power_method(n, |output, input, transposed| {
        parallel_product(strategy, output, input, |i, x| {
            if transposed {
                row_dot_with::<true>(supported, i, x)
            } else {
                row_dot_with::<false>(supported, i, x)
            }
        });
    })
}

/// One row of a product with the chosen kernel.
fn row_dot_with<const TRANSPOSED: bool>(supported: SupportedIsa, i: usize, x: &[f64]) -> f64 {
    match supported.isa() {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        // SAFETY: a `SupportedIsa` naming AVX is only made where
        // `is_x86_feature_detected!("avx")` said this CPU has it.
        Isa::Avx => unsafe { avx::row_dot::<TRANSPOSED>(i, x) },
        _ => row_dot::<TRANSPOSED>(i, x),
    }
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
mod avx {
    #[cfg(target_arch = "x86")]
    use std::arch::x86::{
        _mm256_add_pd, _mm256_div_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd,
        _mm256_setr_pd, _mm256_setzero_pd, _mm256_storeu_pd,
    };
    #[cfg(target_arch = "x86_64")]
    use std::arch::x86_64::{
        _mm256_add_pd, _mm256_div_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd,
        _mm256_setr_pd, _mm256_setzero_pd, _mm256_storeu_pd,
    };

    use super::super::{LANES, finish_row};

    /// `Σⱼ A(i, j) x[j]`, or `Σⱼ A(j, i) x[j]` when `TRANSPOSED`, with the
    /// scalar kernel's four partial sums held in one vector.
    ///
    /// # Safety
    ///
    /// The CPU must support AVX.
    #[target_feature(enable = "avx")]
    pub(super) unsafe fn row_dot<const TRANSPOSED: bool>(i: usize, x: &[f64]) -> f64 {
        let i = i as f64;
        let mut quads = x.chunks_exact(LANES);
        let mut sums = [0.0_f64; LANES];
        // SAFETY: AVX is available (this function's contract); each load
        // reads the four elements of one `chunks_exact(4)` chunk, and the
        // store writes the four elements of `sums`; neither needs alignment.
        unsafe {
            let row = _mm256_set1_pd(i);
            let (one, half, step) = (
                _mm256_set1_pd(1.0),
                _mm256_set1_pd(0.5),
                _mm256_set1_pd(LANES as f64),
            );
            let mut columns = _mm256_setr_pd(0.0, 1.0, 2.0, 3.0);
            let mut sum = _mm256_setzero_pd();
            for quad in &mut quads {
                // `denominator` lane by lane: s(s + 1)·½ + r + 1, r the row.
                let s = _mm256_add_pd(row, columns);
                let triangle = _mm256_mul_pd(_mm256_mul_pd(s, _mm256_add_pd(s, one)), half);
                let added = if TRANSPOSED { columns } else { row };
                let denominator = _mm256_add_pd(_mm256_add_pd(triangle, added), one);
                let quotient = _mm256_div_pd(_mm256_loadu_pd(quad.as_ptr()), denominator);
                sum = _mm256_add_pd(sum, quotient);
                columns = _mm256_add_pd(columns, step);
            }
            _mm256_storeu_pd(sums.as_mut_ptr(), sum);
        }
        let next = (x.len() - quads.remainder().len()) as f64;
        finish_row::<TRANSPOSED>(sums, i, next, quads.remainder())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spectral_norm::spectral_norm_serial;

    use ps_serial::Serial;
    use ps_threads::{Dynamic, StaticBlocks};

    /// Every remainder modulo the four lanes, several times over, and sizes
    /// with many rows.
    fn sizes() -> impl Iterator<Item = usize> {
        (0..=13).chain([31, 64, 100, 257, 1001])
    }

    #[test]
    fn every_kernel_gives_the_scalar_bits() {
        for supported in SupportedIsa::all_supported() {
            for n in sizes() {
                let (simd, scalar) = (
                    spectral_norm_simd_with(&Serial, n, supported),
                    spectral_norm_serial(n),
                );
                assert_eq!(
                    simd.to_bits(),
                    scalar.to_bits(),
                    "{} kernel, n = {n}: {simd} vs {scalar}",
                    supported.isa()
                );
            }
        }
    }

    #[test]
    fn every_row_of_both_products_has_the_scalar_bits() {
        let x: Vec<f64> = (0..23).map(|k| 1.0 / f64::from(k + 3)).collect();
        for supported in SupportedIsa::all_supported() {
            for len in 0..x.len() {
                for i in [0, 1, 5, 999] {
                    let x = &x[..len];
                    assert_eq!(
                        row_dot_with::<false>(supported, i, x).to_bits(),
                        row_dot::<false>(i, x).to_bits()
                    );
                    assert_eq!(
                        row_dot_with::<true>(supported, i, x).to_bits(),
                        row_dot::<true>(i, x).to_bits()
                    );
                }
            }
        }
    }

    #[test]
    fn the_portable_kernel_runs_when_forced() {
        let norm = spectral_norm_simd_with(&Dynamic::new(3, 7).unwrap(), 100, SupportedIsa::portable());
        assert_eq!(format!("{norm:.9}"), "1.274219991");
    }

    #[test]
    fn every_strategy_gives_the_same_bits() {
        let expected = spectral_norm_serial(203).to_bits();
        for supported in SupportedIsa::all_supported() {
            for norm in [
                spectral_norm_simd_with(&Dynamic::new(3, 5).unwrap(), 203, supported),
                spectral_norm_simd_with(&StaticBlocks::new(2).unwrap(), 203, supported),
            ] {
                assert_eq!(norm.to_bits(), expected, "{} supported", supported.isa());
            }
        }
        assert_eq!(spectral_norm_simd(&Serial, 203).to_bits(), expected);
    }

    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    #[test]
    fn the_avx_kernel_runs_where_the_cpu_has_avx() {
        assert_eq!(
            SupportedIsa::new(Isa::Avx).is_some(),
            is_x86_feature_detected!("avx")
        );
        if let Some(avx) = SupportedIsa::new(Isa::Avx) {
            let norm = spectral_norm_simd_with(&Serial, 100, avx);
            assert_eq!(format!("{norm:.9}"), "1.274219991");
        }
    }
}
