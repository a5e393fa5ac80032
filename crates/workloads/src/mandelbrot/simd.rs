//! The Mandelbrot kernel written against the vector units: AVX when the CPU
//! has it, the scalar kernel otherwise (see [`crate::simd`] for how and why
//! the choice is made at run time).
//!
//! The AVX kernel iterates [`BLOCK_BYTES`] output bytes — 16 pixels, four
//! 256-bit vectors of four `f64` — together, rather than the scalar kernel's
//! one byte. One iteration of `z ← z² + c` is a chain of dependent
//! operations several cycles long; with four independent vectors in flight
//! the floating-point units have more to do while they wait on that chain.
//! Four, not eight: each vector keeps `zr`, `zi`, `zr²` and `zi²` live, and
//! eight vectors need twice the sixteen AVX registers, so the compiler
//! spills most of them to the stack inside the loop. The block stops early,
//! like the scalar kernel's byte, when every one of its pixels has escaped;
//! a row whose length is not a multiple of the block finishes with single
//! bytes.
//!
//! # Exactly the scalar kernel's bytes
//!
//! Each lane performs the scalar kernel's operations in the scalar kernel's
//! order — `zi = (2·zr)·zi + ci`, `zr = (tr − ti) + cr`, `tr = zr²`,
//! `ti = zi²` — as separate IEEE multiplies and adds (no fused multiply-add,
//! which rounds once instead of twice), so every lane computes the same bits
//! as the scalar lane for that pixel. The test `|z|² ≤ 4` is an ordered
//! comparison, false for NaN, as in the scalar code. Stopping a block early
//! changes nothing: as the [parent module](super) explains, an escaped pixel
//! never comes back, so a pixel's bit depends only on its own iterations,
//! not on which other pixels share its vector.

use ps_strategy::Strategy;

use super::{CHECK_EVERY, ITERATIONS, render_row, start};
use crate::simd::{Isa, SupportedIsa};

/// Output bytes the AVX kernel iterates together (8 pixels each).
pub const BLOCK_BYTES: usize = 2;

/// Renders the `n × n` image like [`mandelbrot`](super::mandelbrot), with
/// the best kernel this CPU supports ([`SupportedIsa::detect`]).
///
/// The result is byte for byte the scalar kernel's.
///
/// ```
/// use ps_threads::Dynamic;
/// use ps_workloads::mandelbrot::{mandelbrot_serial, mandelbrot_simd};
///
/// assert_eq!(mandelbrot_simd(&Dynamic::new(2, 1)?, 200), mandelbrot_serial(200));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
///
/// # Panics
///
/// If `n` is not a multiple of 8.
#[must_use]
pub fn mandelbrot_simd<S: Strategy>(strategy: &S, n: usize) -> Vec<u8> {
    mandelbrot_simd_with(strategy, n, SupportedIsa::detect())
}

/// Renders the `n × n` image with `kernel`, one row per element, through
/// the same [`Strategy::for_each_chunk_mut`] call as the scalar version.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workloads::mandelbrot::{mandelbrot_serial, mandelbrot_simd_with};
/// use ps_workloads::simd::SupportedIsa;
///
/// for supported in SupportedIsa::all_supported() {
///     assert_eq!(mandelbrot_simd_with(&Serial, 40, supported), mandelbrot_serial(40));
/// }
/// ```
///
/// # Panics
///
/// If `n` is not a multiple of 8.
#[must_use]
pub fn mandelbrot_simd_with<S: Strategy>(strategy: &S, n: usize, supported: SupportedIsa) -> Vec<u8> {
    let (mut image, header_len, cr) = start(n);
    let mut rows: Vec<&mut [u8]> = super::rows(&mut image[header_len..], n).collect();
    strategy.for_each_chunk_mut(&mut rows, |first, rows| {
        for (y, row) in (first..).zip(rows.iter_mut()) {
            render_row_with(supported, row, &cr, super::ci(y, n));
        }
    });
    image
}

/// One row with the chosen kernel.
fn render_row_with(supported: SupportedIsa, row: &mut [u8], cr: &[f64], ci: f64) {
    match supported.isa() {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        // SAFETY: a `SupportedIsa` naming AVX is only made where
        // `is_x86_feature_detected!("avx")` said this CPU has it.
        Isa::Avx => unsafe { avx::render_row(row, cr, ci) },
        _ => render_row(row, cr, ci),
    }
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
mod avx {
    #[cfg(target_arch = "x86")]
    use std::arch::x86::{
        __m256d, _CMP_LE_OQ, _mm256_add_pd, _mm256_cmp_pd, _mm256_loadu_pd, _mm256_movemask_pd,
        _mm256_mul_pd, _mm256_set1_pd, _mm256_setzero_pd, _mm256_sub_pd,
    };
    #[cfg(target_arch = "x86_64")]
    use std::arch::x86_64::{
        __m256d, _CMP_LE_OQ, _mm256_add_pd, _mm256_cmp_pd, _mm256_loadu_pd, _mm256_movemask_pd,
        _mm256_mul_pd, _mm256_set1_pd, _mm256_setzero_pd, _mm256_sub_pd,
    };

    use super::{BLOCK_BYTES, CHECK_EVERY, ITERATIONS};

    /// `f64` lanes in one vector.
    const LANES: usize = 4;
    /// Vectors in one output byte.
    const PER_BYTE: usize = 8 / LANES;

    /// Fills one row: byte `k` holds the pixels `8k..8k + 8`.
    ///
    /// # Safety
    ///
    /// The CPU must support AVX.
    #[target_feature(enable = "avx")]
    pub(super) unsafe fn render_row(row: &mut [u8], cr: &[f64], ci: f64) {
        let mut blocks = row.chunks_exact_mut(BLOCK_BYTES);
        let mut block_cr = cr.chunks_exact(8 * BLOCK_BYTES);
        for (bytes, cr) in (&mut blocks).zip(&mut block_cr) {
            // SAFETY: this function's caller guarantees AVX, and `cr` holds
            // the 8 × BLOCK_BYTES values `bits` reads.
            let bits = unsafe { bits::<{ BLOCK_BYTES * PER_BYTE }>(cr, ci) };
            for (index, byte) in bytes.iter_mut().enumerate() {
                *byte = to_byte(bits, index);
            }
        }
        let tail_cr = block_cr.remainder().chunks_exact(8);
        for (byte, cr) in blocks.into_remainder().iter_mut().zip(tail_cr) {
            // SAFETY: as above, with the 8 values of one byte.
            *byte = to_byte(unsafe { bits::<PER_BYTE>(cr, ci) }, 0);
        }
    }

    /// Output byte `index` of a block's bits: pixel `8 × index + k` is bit
    /// `k` of its group of eight, and the image wants the leftmost pixel in
    /// the most significant bit.
    fn to_byte(bits: u64, index: usize) -> u8 {
        ((bits >> (8 * index)) as u8).reverse_bits()
    }

    /// Iterates the `4 × V` pixels whose `Cr` are `cr[..4 × V]` on row `ci`;
    /// bit `p` of the result is set when pixel `p` is in the set.
    ///
    /// # Safety
    ///
    /// The CPU must support AVX.
    #[target_feature(enable = "avx")]
    #[inline]
    unsafe fn bits<const V: usize>(cr: &[f64], ci: f64) -> u64 {
        assert!(cr.len() >= LANES * V, "{} values for {V} vectors", cr.len());
        // SAFETY: AVX is available (this function's contract), and every
        // load reads `cr[LANES * v..LANES * v + LANES]` with `v < V`, inside
        // `cr` by the assertion above; `loadu` needs no alignment.
        unsafe {
            let c_im = _mm256_set1_pd(ci);
            let two = _mm256_set1_pd(2.0);
            let zero = _mm256_setzero_pd();
            let mut c_re: [__m256d; V] = [zero; V];
            for (v, c) in c_re.iter_mut().enumerate() {
                *c = _mm256_loadu_pd(cr.as_ptr().add(LANES * v));
            }
            let (mut zr, mut zi, mut tr, mut ti) = ([zero; V], [zero; V], [zero; V], [zero; V]);
            for _ in 0..ITERATIONS / CHECK_EVERY {
                for _ in 0..CHECK_EVERY {
                    for v in 0..V {
                        zi[v] =
                            _mm256_add_pd(_mm256_mul_pd(_mm256_mul_pd(two, zr[v]), zi[v]), c_im);
                        zr[v] = _mm256_add_pd(_mm256_sub_pd(tr[v], ti[v]), c_re[v]);
                        tr[v] = _mm256_mul_pd(zr[v], zr[v]);
                        ti[v] = _mm256_mul_pd(zi[v], zi[v]);
                    }
                }
                // "No pixel still inside", which also covers NaN lanes.
                if inside(&tr, &ti) == 0 {
                    return 0;
                }
            }
            inside(&tr, &ti)
        }
    }

    /// Bit `p` set when pixel `p` has `tr + ti <= 4` — an ordered
    /// comparison, so a NaN pixel counts as escaped, as in the scalar kernel.
    ///
    /// # Safety
    ///
    /// The CPU must support AVX.
    #[target_feature(enable = "avx")]
    #[inline]
    unsafe fn inside<const V: usize>(tr: &[__m256d; V], ti: &[__m256d; V]) -> u64 {
        let mut bits = 0;
        for v in 0..V {
            #[allow(
                unused_unsafe,
                reason = "safe inside an AVX function from Rust 1.87 on, unsafe in 1.85"
            )]
            // SAFETY: AVX is available (this function's contract); these
            // intrinsics only compute on registers.
            let mask = unsafe {
                let le =
                    _mm256_cmp_pd(_mm256_add_pd(tr[v], ti[v]), _mm256_set1_pd(4.0), _CMP_LE_OQ);
                _mm256_movemask_pd(le)
            };
            bits |= u64::from(mask as u8) << (LANES * v);
        }
        bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mandelbrot::mandelbrot_serial;

    use ps_serial::Serial;
    use ps_threads::{Dynamic, StaticBlocks};

    /// Sizes around every remainder of the block: `n / 8` bytes per row
    /// modulo [`BLOCK_BYTES`] takes every value, and the rows include the
    /// set's edge at several resolutions.
    fn sizes() -> impl Iterator<Item = usize> {
        (0..=16).map(|bytes| 8 * bytes).chain([200, 256, 264, 1000])
    }

    #[test]
    fn every_kernel_gives_the_scalar_bytes_for_many_sizes() {
        for supported in SupportedIsa::all_supported() {
            for n in sizes() {
                assert_eq!(
                    mandelbrot_simd_with(&Serial, n, supported),
                    mandelbrot_serial(n),
                    "{} kernel, n = {n}",
                    supported.isa()
                );
            }
        }
    }

    #[test]
    fn the_portable_kernel_runs_when_forced() {
        let image = mandelbrot_simd_with(&Dynamic::new(3, 2).unwrap(), 136, SupportedIsa::portable());
        assert_eq!(image, mandelbrot_serial(136));
    }

    #[test]
    fn every_strategy_gives_the_same_image() {
        let expected = mandelbrot_serial(264);
        for supported in SupportedIsa::all_supported() {
            assert_eq!(
                mandelbrot_simd_with(&Dynamic::new(3, 1).unwrap(), 264, supported),
                expected
            );
            assert_eq!(
                mandelbrot_simd_with(&StaticBlocks::new(2).unwrap(), 264, supported),
                expected
            );
        }
        assert_eq!(mandelbrot_simd(&Serial, 264), expected);
    }

    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    #[test]
    fn the_avx_kernel_runs_where_the_cpu_has_avx() {
        // Not a skip in disguise: on an AVX machine this is the AVX path, and
        // the test above covers whatever `all_supported` holds.
        assert_eq!(
            SupportedIsa::new(Isa::Avx).is_some(),
            is_x86_feature_detected!("avx")
        );
        if let Some(avx) = SupportedIsa::new(Isa::Avx) {
            assert_eq!(
                mandelbrot_simd_with(&Serial, 72, avx),
                mandelbrot_serial(72)
            );
        }
    }
}
