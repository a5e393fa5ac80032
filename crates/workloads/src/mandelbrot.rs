//! Mandelbrot: the Computer Language Benchmarks Game's `mandelbrot`, a
//! binary PBM image of the set.
//!
//! The definition: an `n × n` image (`n` a multiple of 8 here) of the
//! rectangle `Cr ∈ [-1.5, 0.5)`, `Ci ∈ [-1, 1)`, where pixel `(x, y)` is
//! `c = 2x/n - 1.5 + (2y/n - 1) i`. Starting from `z = 0`, `z ← z² + c` is
//! iterated 50 times; the point escapes when `|z|² > 4`, and a point that
//! never escapes is *in* the set. The output is a P4 PBM: the header
//! `P4\n{n} {n}\n`, then each row as `n / 8` bytes, one bit per pixel, most
//! significant bit first, set when the pixel is in the set.
//!
//! What it teaches is *uneven cost*. A pixel outside the set escapes after a
//! few iterations, a pixel inside runs all 50, and the set is concentrated in
//! the middle rows: the middle of the image costs many times its edges, so
//! equal contiguous blocks of rows finish at very different times. A dynamic
//! schedule with a grain of a row or two balances it.
//!
//! # How rows become the units of work
//!
//! A strategy cuts its input in *elements*, and an element here must be a
//! whole row: a chunk boundary inside a row would make the grain mean bytes.
//! The output is one buffer holding the PBM, and before the parallel call it
//! is split into one `&mut [u8]` per row; `for_each_chunk_mut` then cuts that
//! vector of rows, so every task writes its rows straight into the final
//! image. Nothing is copied or concatenated afterwards, and the only extra
//! allocation is the vector of `n` row slices.
//!
//! # The kernel
//!
//! Eight pixels make one output byte, and they are iterated together as eight
//! independent lanes, which keeps the floating-point units busy and lets the
//! compiler vectorise. Every five iterations the lanes are checked; when all
//! eight have escaped the byte is 0 and the loop stops. Iterating a lane past
//! its escape does not change the answer: with `|c| < 2` an escaped point
//! only grows (to infinity and then NaN), and neither compares `<= 4`.
//!
//! [`mandelbrot_simd`] runs the same rows through the same strategy call
//! with a kernel written against the vector units (AVX, chosen at run time;
//! see [`crate::simd`]). It returns the same bytes, so comparing the two
//! under each strategy separates what the schedule gains from what the
//! vector units gain.

use ps_strategy::Strategy;
use ps_workload::{Mismatch, Sizes, Workload};

use crate::canonical::hashed;

// The one module of this crate with `unsafe` code: CPU-specific intrinsics.
#[allow(unsafe_code)]
mod simd;

pub use simd::{BLOCK_BYTES, mandelbrot_simd, mandelbrot_simd_with};

/// Iterations before a point that has not escaped counts as in the set.
pub const ITERATIONS: usize = 50;

/// Iterations between two checks of whether every pixel of a group has
/// escaped, as in the Benchmarks Game's programs.
const CHECK_EVERY: usize = 5;

/// The PBM header for an `n × n` image.
///
/// ```
/// assert_eq!(ps_workloads::mandelbrot::header(8), "P4\n8 8\n");
/// ```
#[must_use]
pub fn header(n: usize) -> String {
    format!("P4\n{n} {n}\n")
}

/// Renders the `n × n` image with `strategy`, one row per element.
///
/// ```
/// use ps_threads::Dynamic;
/// use ps_workloads::mandelbrot::{mandelbrot, mandelbrot_serial};
///
/// let image = mandelbrot(&Dynamic::new(2, 1)?, 16);
/// assert!(image.starts_with(b"P4\n16 16\n"));
/// assert_eq!(image.len(), 9 + 16 * 2);
/// assert_eq!(image, mandelbrot_serial(16));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
///
/// # Panics
///
/// If `n` is not a multiple of 8.
#[must_use]
pub fn mandelbrot<S: Strategy>(strategy: &S, n: usize) -> Vec<u8> {
    let (mut image, header_len, cr) = start(n);
    let mut rows: Vec<&mut [u8]> = rows(&mut image[header_len..], n).collect();
    strategy.for_each_chunk_mut(&mut rows, |first, rows| {
        for (y, row) in (first..).zip(rows.iter_mut()) {
            render_row(row, &cr, ci(y, n));
        }
    });
    image
}

/// The serial reference: the same rows from a plain loop, no strategy.
///
/// ```
/// use ps_workloads::mandelbrot::mandelbrot_serial;
///
/// let image = mandelbrot_serial(8);
/// assert_eq!(&image[..7], b"P4\n8 8\n");
/// assert_eq!(image.len(), 7 + 8);
/// ```
///
/// # Panics
///
/// If `n` is not a multiple of 8.
#[must_use]
pub fn mandelbrot_serial(n: usize) -> Vec<u8> {
    let (mut image, header_len, cr) = start(n);
    for (y, row) in rows(&mut image[header_len..], n).enumerate() {
        render_row(row, &cr, ci(y, n));
    }
    image
}

/// The image buffer (header written, pixels zeroed), the header's length,
/// and `Cr` for every column, computed once instead of once per pixel per row.
fn start(n: usize) -> (Vec<u8>, usize, Vec<f64>) {
    assert!(n % 8 == 0, "mandelbrot needs a multiple of 8, got {n}");
    let header = header(n);
    let mut image = Vec::with_capacity(header.len() + n * n / 8);
    image.extend_from_slice(header.as_bytes());
    image.resize(header.len() + n * n / 8, 0);
    let cr = (0..n).map(|x| 2.0 * x as f64 / n as f64 - 1.5).collect();
    (image, header.len(), cr)
}

/// The rows of the pixel bytes; none for an empty image.
fn rows(pixels: &mut [u8], n: usize) -> impl Iterator<Item = &mut [u8]> {
    // `max(1)`: `chunks_exact_mut` refuses 0, and an empty image has no rows.
    pixels.chunks_exact_mut((n / 8).max(1))
}

/// `Ci` of row `y`, computed as the Benchmarks Game programs do.
fn ci(y: usize, n: usize) -> f64 {
    2.0 * y as f64 / n as f64 - 1.0
}

/// Fills one row: byte `k` holds the pixels `8k..8k + 8`.
fn render_row(row: &mut [u8], cr: &[f64], ci: f64) {
    for (byte, cr) in row.iter_mut().zip(cr.chunks_exact(8)) {
        let cr: &[f64; 8] = cr.try_into().expect("chunks_exact(8) yields 8 values");
        *byte = render_byte(cr, ci);
    }
}

/// Eight pixels of one row, iterated together; bit 7 is the leftmost.
#[inline]
fn render_byte(cr: &[f64; 8], ci: f64) -> u8 {
    let mut zr = [0.0_f64; 8];
    let mut zi = [0.0_f64; 8];
    let mut tr = [0.0_f64; 8];
    let mut ti = [0.0_f64; 8];
    for _ in 0..ITERATIONS / CHECK_EVERY {
        for _ in 0..CHECK_EVERY {
            for lane in 0..8 {
                zi[lane] = 2.0 * zr[lane] * zi[lane] + ci;
                zr[lane] = tr[lane] - ti[lane] + cr[lane];
                tr[lane] = zr[lane] * zr[lane];
                ti[lane] = zi[lane] * zi[lane];
            }
        }
        // "No lane is still inside" rather than "every lane is outside": a
        // lane that overflowed to NaN compares false both ways.
        if !(0..8).any(|lane| tr[lane] + ti[lane] <= 4.0) {
            return 0;
        }
    }
    (0..8).fold(0, |bits, lane| {
        (bits << 1) | u8::from(tr[lane] + ti[lane] <= 4.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Benchmarks Game's reference C program, transcribed pixel by
    /// pixel: stop iterating at the first escape.
    fn literal(n: usize) -> Vec<u8> {
        let mut image = header(n).into_bytes();
        for y in 0..n {
            let mut byte = 0_u8;
            for x in 0..n {
                let (cr, ci) = (
                    2.0 * x as f64 / n as f64 - 1.5,
                    2.0 * y as f64 / n as f64 - 1.0,
                );
                let (mut zr, mut zi, mut tr, mut ti) = (0.0, 0.0, 0.0, 0.0);
                let mut i = 0;
                while i < ITERATIONS && tr + ti <= 4.0 {
                    zi = 2.0 * zr * zi + ci;
                    zr = tr - ti + cr;
                    tr = zr * zr;
                    ti = zi * zi;
                    i += 1;
                }
                byte = (byte << 1) | u8::from(tr + ti <= 4.0);
                if x % 8 == 7 {
                    image.push(byte);
                    byte = 0;
                }
            }
        }
        image
    }

    fn pixel(image: &[u8], n: usize, x: usize, y: usize) -> bool {
        let pixels = &image[header(n).len()..];
        pixels[y * n / 8 + x / 8] & (0x80 >> (x % 8)) != 0
    }

    #[test]
    fn eight_by_eight_has_the_header_and_one_byte_per_row() {
        let image = mandelbrot_serial(8);
        assert_eq!(&image[..7], b"P4\n8 8\n");
        assert_eq!(image.len(), 15);
    }

    #[test]
    fn the_origin_is_in_the_set_and_the_corners_are_not() {
        for n in [8, 16, 64, 200] {
            let image = mandelbrot_serial(n);
            // c = 0 is pixel (3n/4, n/2); c = -1 (a 2-cycle) is (n/4, n/2).
            assert!(pixel(&image, n, 3 * n / 4, n / 2), "n = {n}: c = 0");
            assert!(pixel(&image, n, n / 4, n / 2), "n = {n}: c = -1");
            assert!(!pixel(&image, n, 0, 0), "n = {n}: c = -1.5 - i");
            assert!(!pixel(&image, n, n - 1, 0), "n = {n}: top right");
        }
    }

    #[test]
    fn rows_mirror_about_the_real_axis() {
        // Ci(y) = 2y/n - 1 = -Ci(n - y): row y mirrors row n - y, for y >= 1.
        for n in [8, 40, 200] {
            let image = mandelbrot_serial(n);
            let rows: Vec<&[u8]> = image[header(n).len()..].chunks(n / 8).collect();
            for y in 1..n {
                assert_eq!(rows[y], rows[n - y], "n = {n}, y = {y}");
            }
        }
    }

    #[test]
    fn the_eight_lane_kernel_matches_the_literal_program() {
        for n in [8, 16, 64, 200] {
            assert_eq!(mandelbrot_serial(n), literal(n), "n = {n}");
        }
    }

    #[test]
    fn an_empty_image_is_only_the_header() {
        assert_eq!(mandelbrot_serial(0), b"P4\n0 0\n");
    }

    #[test]
    #[should_panic(expected = "multiple of 8")]
    fn sizes_that_are_not_a_multiple_of_8_are_refused() {
        let _ = mandelbrot_serial(12);
    }
}

/// The workload: the `n × n` PBM image.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workload::Workload;
/// use ps_workloads::mandelbrot::Mandelbrot;
///
/// let image = Mandelbrot.run(&Serial, &Mandelbrot.prepare(16));
/// assert!(image.starts_with(b"P4\n16 16\n"));
/// assert_eq!(
///     Mandelbrot.check_n(100).unwrap_err(),
///     "mandelbrot needs n to be a multiple of 8, got 100",
/// );
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Mandelbrot;

impl Workload for Mandelbrot {
    /// Only the size: every pixel is computed from its coordinates.
    type Input = usize;
    type Output = Vec<u8>;

    fn name(&self) -> &'static str {
        "mandelbrot"
    }

    fn summary(&self) -> &'static str {
        "Benchmarks Game n x n Mandelbrot PBM: rows of very uneven cost, balanced by a dynamic schedule"
    }

    fn n_means(&self) -> &'static str {
        "the image side in pixels, a multiple of 8"
    }

    fn sizes(&self) -> Sizes {
        // 16 000 is the Benchmarks Game's size.
        Sizes {
            quick: 1000,
            default: 4000,
            large: 16_000,
        }
    }

    /// One row: rows differ the most in cost, and even a cheap row of the
    /// default image is 4000 pixels.
    fn grain(&self, _n: usize) -> usize {
        1
    }

    fn check_n(&self, n: usize) -> Result<(), String> {
        if n == 0 {
            return Err(format!("{} needs n of at least 1, got 0", self.name()));
        }
        if n % 8 != 0 {
            return Err(format!(
                "{} needs n to be a multiple of 8, got {n}",
                self.name()
            ));
        }
        // Whether the image fits in memory is the harness's check, from
        // `bytes_for`, for every workload alike.
        Ok(())
    }

    fn nearest_valid_n(&self, n: usize) -> usize {
        n.max(1).next_multiple_of(8)
    }

    fn bytes_for(&self, n: usize) -> Option<u128> {
        // The reference and one image, each n²/8 bytes plus n row slices.
        let (n, image) = (n as u128, (n as u128) * (n as u128) / 8);
        Some(2 * image + n * 16)
    }

    /// The pixels: n².
    fn work_items(&self, n: usize) -> u64 {
        (n as u64).saturating_mul(n as u64)
    }

    fn prepare(&self, n: usize) -> usize {
        n
    }

    fn run<S: Strategy>(&self, strategy: &S, &n: &usize) -> Vec<u8> {
        mandelbrot(strategy, n)
    }

    fn kernels(&self) -> &[&'static str] {
        &crate::simd::KERNELS
    }

    /// `simd` runs [`mandelbrot_simd`], on the instruction set the CPU has.
    fn run_kernel<S: Strategy>(&self, strategy: &S, &n: &usize, kernel: &str) -> Vec<u8> {
        if kernel == crate::simd::KERNELS[1] {
            mandelbrot_simd(strategy, n)
        } else {
            mandelbrot(strategy, n)
        }
    }

    fn run_serial(&self, &n: &usize) -> Vec<u8> {
        mandelbrot_serial(n)
    }

    /// Bytes differ as bits: each shows its eight pixels.
    fn verify(&self, expected: &Vec<u8>, actual: &Vec<u8>) -> Result<(), Mismatch> {
        let bits = |byte: &u8| format!("{byte:#010b}");
        if let Some(index) = expected.iter().zip(actual).position(|(e, a)| e != a) {
            return Err(Mismatch::at(
                index,
                bits(&expected[index]),
                bits(&actual[index]),
            ));
        }
        if expected.len() == actual.len() {
            Ok(())
        } else {
            Err(Mismatch::value(
                format!("{} bytes", expected.len()),
                format!("{} bytes", actual.len()),
            ))
        }
    }

    fn describe(&self, image: &Vec<u8>) -> String {
        hashed(image.len(), "bytes", image)
    }

    /// The PBM file itself, which any image viewer opens.
    fn output_bytes(&self, image: &Vec<u8>) -> Vec<u8> {
        image.clone()
    }
}
