//! Spectral norm: the Computer Language Benchmarks Game's `spectral-norm`.
//!
//! The definition: `A` is the infinite matrix with
//! `A(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1)` (indices from 0), cut to
//! `n × n`. Starting from `u = (1, …, 1)`, ten rounds of `v = AᵀA u;
//! u = AᵀA v` run the power method on `AᵀA`, and the result is
//! `√(uᵀv / vᵀv)`, printed with nine decimals: `1.274219991` for `n = 100`,
//! `1.274224153` for `n = 5500`.
//!
//! What it teaches is *many short parallel phases*. Each of the 40
//! matrix-vector products (`A x` then `Aᵀ(A x)`, twice a round, ten rounds)
//! is parallelised over its output rows with `for_each_chunk_mut`, and each
//! must finish before the next can start, because it reads the whole vector
//! the previous one wrote. A strategy pays its start-up cost 40 times, so
//! thread start-up, which is noise for one long call, becomes visible here,
//! and a strategy that keeps its threads between calls (a pool) has the
//! advantage. Every row costs the same, so load balance is not the issue.
//!
//! The two final dot products are computed serially: they are `O(n)` next
//! to the 40 products of `O(n²)`, and a parallel call would cost more in
//! start-up than it saves.
//!
//! The matrix entries are computed, never stored, in `f64`: the denominator
//! `s(s + 1)/2 + i + 1` with `s = i + j` is an integer far below 2⁵³, so it is
//! exact in floating point and every entry is the correctly rounded
//! `1 / denominator` of the definition. Each row is summed with four
//! independent accumulators, which lets the compiler keep several divisions
//! in flight; every strategy sums each row in the same order, so all of them
//! give the same bits.
//!
//! [`spectral_norm_simd`] keeps those four sums in one AVX vector (chosen at
//! run time; see [`crate::simd`]) and divides four entries at once; it runs
//! through the same strategy calls and returns the same bits.

use ps_strategy::Strategy;
use ps_workload::{Sizes, Tolerance, Workload};

// The one module of this crate's spectral norm with `unsafe` code:
// CPU-specific intrinsics.
#[allow(unsafe_code)]
mod simd;

pub use simd::{spectral_norm_simd, spectral_norm_simd_with};

/// Rounds of `v = AᵀA u; u = AᵀA v` in the definition.
pub const ROUNDS: usize = 10;

/// The largest `n` accepted, so that every denominator stays an exact `f64`.
pub const MAX_N: usize = 1 << 25;

/// The spectral norm of the `n × n` matrix, every product parallelised over
/// its output rows by `strategy`.
///
/// ```
/// use ps_threads::StaticBlocks;
/// use ps_workloads::spectral_norm::spectral_norm;
///
/// let norm = spectral_norm(&StaticBlocks::new(2)?, 100);
/// assert_eq!(format!("{norm:.9}"), "1.274219991");
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
///
/// With `n = 0` the result is NaN (`0 / 0`).
///
/// # Panics
///
/// If `n` is larger than [`MAX_N`].
#[must_use]
pub fn spectral_norm<S: Strategy>(strategy: &S, n: usize) -> f64 {
    power_method(n, |output, input, transposed| {
        parallel_product(strategy, output, input, |i, x| row(i, x, transposed));
    })
}

/// The ten rounds of the definition and the final quotient, with
/// `product(output, input, transposed)` computing `output = A input` or
/// `output = Aᵀ input` — for a product computed elsewhere, such as across
/// processes, with [`row`] giving each output element.
///
/// ```
/// use ps_workloads::spectral_norm::{power_method, row};
///
/// let norm = power_method(100, |output, input, transposed| {
///     for (i, out) in output.iter_mut().enumerate() {
///         *out = row(i, input, transposed);
///     }
/// });
/// assert_eq!(format!("{norm:.9}"), "1.274219991");
/// ```
///
/// # Panics
///
/// If `n` is larger than [`MAX_N`].
pub fn power_method(n: usize, mut product: impl FnMut(&mut [f64], &[f64], bool)) -> f64 {
    assert!(n <= MAX_N, "spectral-norm accepts n up to {MAX_N}, got {n}");
    let mut u = vec![1.0; n];
    let mut v = vec![0.0; n];
    let mut scratch = vec![0.0; n];
    for _ in 0..ROUNDS {
        product(&mut scratch, &u, false);
        product(&mut v, &scratch, true);
        product(&mut scratch, &v, false);
        product(&mut u, &scratch, true);
    }
    finish(&u, &v)
}

/// One matrix-vector product, parallelised over its output rows by
/// `strategy`: `output[i] = row(i, input)`.
fn parallel_product<S: Strategy>(
    strategy: &S,
    output: &mut [f64],
    input: &[f64],
    row: impl Fn(usize, &[f64]) -> f64 + Sync,
) {
    strategy.for_each_chunk_mut(output, |first, rows| {
        for (i, out) in (first..).zip(rows.iter_mut()) {
            *out = row(i, input);
        }
    });
}

/// The serial reference: the same products from plain loops, no strategy.
///
/// ```
/// use ps_workloads::spectral_norm::spectral_norm_serial;
///
/// assert_eq!(format!("{:.9}", spectral_norm_serial(100)), "1.274219991");
/// ```
///
/// # Panics
///
/// If `n` is larger than [`MAX_N`].
#[must_use]
pub fn spectral_norm_serial(n: usize) -> f64 {
    power_method(n, |output, input, transposed| {
        if transposed {
            a_transposed_times(output, input);
        } else {
            a_times(output, input);
        }
    })
}

fn a_times(output: &mut [f64], input: &[f64]) {
    for (i, out) in output.iter_mut().enumerate() {
        *out = row_dot::<false>(i, input);
    }
}

fn a_transposed_times(output: &mut [f64], input: &[f64]) {
    for (i, out) in output.iter_mut().enumerate() {
        *out = row_dot::<true>(i, input);
    }
}

/// Element `i` of `A x`, or of `Aᵀ x` when `transposed`: `Σⱼ A(i, j) x[j]`
/// or `Σⱼ A(j, i) x[j]`, summed in the order every strategy and the serial
/// reference use, so that any split of the rows gives the same bits.
///
/// ```
/// use ps_workloads::spectral_norm::row;
///
/// // A(0, 0) = 1, A(0, 1) = 1/2, A(1, 0) = 1/3.
/// assert_eq!(row(0, &[1.0, 0.0], false), 1.0);
/// assert_eq!(row(0, &[0.0, 1.0], false), 1.0 / 2.0);
/// assert_eq!(row(0, &[0.0, 1.0], true), 1.0 / 3.0);
/// ```
#[inline]
#[must_use]
pub fn row(i: usize, x: &[f64], transposed: bool) -> f64 {
    if transposed {
        row_dot::<true>(i, x)
    } else {
        row_dot::<false>(i, x)
    }
}

/// `Σⱼ A(i, j) x[j]`, or `Σⱼ A(j, i) x[j]` when `TRANSPOSED`.
///
/// The denominator of `A(r, c)` is `s(s + 1)/2 + r + 1` with `s = r + c`, so
/// transposing only changes which index is added at the end.
#[inline]
fn row_dot<const TRANSPOSED: bool>(i: usize, x: &[f64]) -> f64 {
    let i = i as f64;
    let mut sums = [0.0_f64; LANES];
    let mut j = 0.0;
    let mut quads = x.chunks_exact(LANES);
    for quad in &mut quads {
        for (lane, (sum, &xj)) in sums.iter_mut().zip(quad).enumerate() {
            *sum += xj / denominator::<TRANSPOSED>(i, j + lane as f64);
        }
        j += LANES as f64;
    }
    finish_row::<TRANSPOSED>(sums, i, j, quads.remainder())
}

/// Partial sums per row: element `j` of a row goes to sum `j mod LANES`,
/// except the last `len mod LANES`, which go to the first.
const LANES: usize = 4;

/// The denominator of `A(i, j)`, or of `A(j, i)` when `TRANSPOSED`:
/// `s(s + 1)/2 + r + 1` with `s = i + j` and `r` the row index.
#[inline]
fn denominator<const TRANSPOSED: bool>(i: f64, j: f64) -> f64 {
    let s = i + j;
    s * (s + 1.0) * 0.5 + if TRANSPOSED { j } else { i } + 1.0
}

/// Adds the elements left after the last full group of [`LANES`] —
/// `remainder`, the first at column `j` — to the first partial sum, then
/// combines the partial sums in a fixed order.
#[inline]
fn finish_row<const TRANSPOSED: bool>(
    mut sums: [f64; LANES],
    i: f64,
    mut j: f64,
    remainder: &[f64],
) -> f64 {
    for &xj in remainder {
        sums[0] += xj / denominator::<TRANSPOSED>(i, j);
        j += 1.0;
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3])
}

/// `√(uᵀv / vᵀv)`, the two dot products summed serially.
fn finish(u: &[f64], v: &[f64]) -> f64 {
    let (mut vbv, mut vv) = (0.0, 0.0);
    for (&ui, &vi) in u.iter().zip(v) {
        vbv += ui * vi;
        vv += vi * vi;
    }
    (vbv / vv).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition taken literally: integer denominators, one sum, the
    /// matrix materialised.
    fn literal(n: usize) -> f64 {
        let a = |i: usize, j: usize| 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) as f64;
        let times = |m: &dyn Fn(usize, usize) -> f64, x: &[f64]| -> Vec<f64> {
            (0..n)
                .map(|i| (0..n).map(|j| m(i, j) * x[j]).sum())
                .collect()
        };
        let at = |i: usize, j: usize| a(j, i);
        let mut u = vec![1.0; n];
        let mut v = vec![0.0; n];
        for _ in 0..ROUNDS {
            v = times(&at, &times(&a, &u));
            u = times(&at, &times(&a, &v));
        }
        let vbv: f64 = u.iter().zip(&v).map(|(x, y)| x * y).sum();
        let vv: f64 = v.iter().map(|x| x * x).sum();
        (vbv / vv).sqrt()
    }

    #[test]
    fn n_100_gives_the_published_value() {
        assert_eq!(format!("{:.9}", spectral_norm_serial(100)), "1.274219991");
    }

    #[test]
    fn agrees_with_the_literal_definition() {
        for n in [1, 2, 3, 5, 8, 33, 100] {
            let (fast, slow) = (spectral_norm_serial(n), literal(n));
            assert!(
                (fast - slow).abs() <= 1e-13 * slow,
                "n = {n}: {fast} vs {slow}"
            );
        }
    }

    #[test]
    #[expect(clippy::float_cmp, reason = "the answer is exact")]
    fn one_by_one_is_the_single_entry() {
        // A = (1): every product is 1, so u = v = 1 and the norm is 1.
        assert_eq!(spectral_norm_serial(1), 1.0);
    }

    #[test]
    #[expect(clippy::float_cmp, reason = "exactness is what is tested")]
    fn float_denominators_are_the_integer_ones() {
        for (i, j) in [
            (0, 0),
            (1, 0),
            (0, 1),
            (7, 12),
            (5499, 5499),
            (MAX_N - 1, MAX_N - 1),
        ] {
            let exact = ((i + j) * (i + j + 1) / 2 + i + 1) as f64;
            let s = (i + j) as f64;
            assert_eq!(s * (s + 1.0) * 0.5 + i as f64 + 1.0, exact, "({i}, {j})");
        }
    }
}

/// The relative tolerance between spectral norms: every strategy here sums
/// in the same order and agrees to the bit; the tolerance is there for
/// implementations that sum in another order, and is far below the nine
/// decimals that are printed.
pub const TOLERANCE: Tolerance = Tolerance::Relative(1e-12);

/// The workload: the spectral norm of the `n × n` matrix.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workload::Workload;
/// use ps_workloads::spectral_norm::SpectralNorm;
///
/// let norm = SpectralNorm.run(&Serial, &SpectralNorm.prepare(100));
/// assert_eq!(SpectralNorm.describe(&norm), "1.274219991");
/// assert!(SpectralNorm.check_n(ps_workloads::spectral_norm::MAX_N + 1).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SpectralNorm;

impl Workload for SpectralNorm {
    /// Only the size: the matrix is computed, never stored.
    type Input = usize;
    type Output = f64;

    fn name(&self) -> &'static str {
        "spectral-norm"
    }

    fn summary(&self) -> &'static str {
        "Benchmarks Game spectral norm: 40 short parallel phases, where start-up cost adds up"
    }

    fn n_means(&self) -> &'static str {
        "the matrix side"
    }

    fn sizes(&self) -> Sizes {
        // 5500 is the Benchmarks Game's size.
        Sizes {
            quick: 500,
            default: 2000,
            large: 5500,
        }
    }

    /// Enough rows for about 64 K matrix entries per chunk (at least one),
    /// as each of the 40 phases is short.
    fn grain(&self, n: usize) -> usize {
        (65_536 / n.max(1)).max(1)
    }

    fn check_n(&self, n: usize) -> Result<(), String> {
        if n == 0 || n > MAX_N {
            Err(format!(
                "{} needs n from 1 to {MAX_N}, got {n}",
                self.name()
            ))
        } else {
            Ok(())
        }
    }

    fn nearest_valid_n(&self, n: usize) -> usize {
        n.clamp(1, MAX_N)
    }

    fn bytes_for(&self, n: usize) -> Option<u128> {
        // Four vectors of n floats.
        Some(4 * n as u128 * 8)
    }

    /// The matrix entries of one product: n².
    fn work_items(&self, n: usize) -> u64 {
        (n as u64).saturating_mul(n as u64)
    }

    fn prepare(&self, n: usize) -> usize {
        n
    }

    fn run<S: Strategy>(&self, strategy: &S, &n: &usize) -> f64 {
        spectral_norm(strategy, n)
    }

    fn kernels(&self) -> &[&'static str] {
        &crate::simd::KERNELS
    }

    /// `simd` runs [`spectral_norm_simd`], on the instruction set the CPU has.
    fn run_kernel<S: Strategy>(&self, strategy: &S, &n: &usize, kernel: &str) -> f64 {
        if kernel == crate::simd::KERNELS[1] {
            spectral_norm_simd(strategy, n)
        } else {
            spectral_norm(strategy, n)
        }
    }

    fn run_serial(&self, &n: &usize) -> f64 {
        spectral_norm_serial(n)
    }

    fn tolerance(&self) -> Tolerance {
        TOLERANCE
    }

    /// Nine decimals, as the Benchmarks Game prints it.
    fn describe(&self, norm: &f64) -> String {
        format!("{norm:.9}")
    }
}
