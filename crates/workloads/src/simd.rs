//! Choosing, at run time, the instruction set the explicit SIMD kernels use.
//!
//! The Mandelbrot and spectral-norm workloads each have a second kernel
//! written against the vector units directly
//! ([`mandelbrot_simd`](crate::mandelbrot::mandelbrot_simd),
//! [`spectral_norm_simd`](crate::spectral_norm::spectral_norm_simd)). Which
//! instructions it may use is decided here, once per call, from what the CPU
//! running the program reports — not from how the program was compiled.
//!
//! # Why runtime detection with `std::arch`, and why AVX only
//!
//! A build made as a fresh clone makes it (no `RUSTFLAGS`) targets the
//! baseline of its architecture: SSE2 on x86-64, two `f64` per vector.
//! Compiling for the build machine's CPU (`-C target-cpu=native`) would give
//! wider vectors but a binary that may crash elsewhere. Instead, each kernel
//! has a function compiled with `#[target_feature(enable = "avx")]`, which
//! the dispatcher calls only after [`is_x86_feature_detected!`] has said the
//! CPU has AVX; every other CPU, and every other architecture, gets the
//! portable kernel. This needs nothing beyond the standard library on stable
//! Rust, and the one condition under which the `unsafe` calls are sound —
//! "the CPU has AVX" — is checked in one place, by [`SupportedIsa`]: a `SupportedIsa`
//! naming AVX cannot be made on a CPU without it. (A multiversioning crate
//! would generate the same dispatch; with one feature level and two kernels
//! the hand-written version is short enough to read.)
//!
//! AVX and nothing newer, because these kernels need nothing newer: 256-bit
//! `f64` add, subtract, multiply, divide, compare and `movemask` are all AVX
//! (AVX2 adds 256-bit *integer* operations). Fused multiply-add (FMA) is
//! deliberately not used: `a * b + c` fused rounds once instead of twice, so
//! it would change the results, and these kernels must give exactly the
//! scalar kernels' answers (the same PBM bytes, the same `f64` bits).
//!
//! # The portable kernel
//!
//! The portable kernel is the workload's scalar kernel itself. It is written
//! as independent lanes (eight pixels, four partial sums) precisely so that
//! the compiler can vectorise it for the baseline, and it computes the same
//! bits, so "no AVX" costs speed, never correctness.
//!
//! ```
//! use ps_workloads::simd::{Isa, SupportedIsa};
//!
//! let best = SupportedIsa::detect();
//! println!("SIMD kernels use {}", best.isa());
//! assert_eq!(SupportedIsa::portable().isa(), Isa::Portable);
//! assert_eq!(SupportedIsa::new(best.isa()), Some(best));
//! ```

use std::fmt;

/// An instruction set the explicit SIMD kernels are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// x86-64 AVX: four `f64` per 256-bit vector.
    Avx,
    /// No explicit vector instructions: the scalar kernel, as compiled for
    /// the build's target.
    Portable,
}

impl Isa {
    /// Every instruction set there is a kernel for, best first.
    pub const ALL: [Isa; 2] = [Isa::Avx, Isa::Portable];

    /// A short lowercase name for reports: `"avx"` or `"portable"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Isa::Avx => "avx",
            Isa::Portable => "portable",
        }
    }

    /// Whether the CPU running this program can execute this instruction set.
    ///
    /// ```
    /// use ps_workloads::simd::Isa;
    ///
    /// assert!(Isa::Portable.is_supported());
    /// ```
    #[must_use]
    pub fn is_supported(self) -> bool {
        match self {
            Isa::Avx => avx_detected(),
            Isa::Portable => true,
        }
    }

    /// The best instruction set the CPU running this program supports.
    ///
    /// ```
    /// use ps_workloads::simd::Isa;
    ///
    /// assert!(Isa::detected().is_supported());
    /// ```
    #[must_use]
    pub fn detected() -> Isa {
        Isa::ALL
            .into_iter()
            .find(|isa| isa.is_supported())
            .unwrap_or(Isa::Portable)
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ANCHOR: detect
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn avx_detected() -> bool {
    // Cached by the standard library after the first call: a load and a test.
    is_x86_feature_detected!("avx")
}

#[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
fn avx_detected() -> bool {
    false
}

/// An instruction set the CPU running this program is known to support: the
/// choice of kernel passed to the `*_simd_with` functions.
///
/// The field is private, so a `SupportedIsa` naming [`Isa::Avx`] exists only where
/// AVX was detected. That is what makes the kernels' `unsafe` calls sound,
/// and what lets a test force the portable kernel on any machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SupportedIsa {
    isa: Isa,
}
// ANCHOR_END: detect

impl SupportedIsa {
    /// The best kernel for the CPU running this program ([`Isa::detected`]).
    #[must_use]
    pub fn detect() -> SupportedIsa {
        SupportedIsa {
            isa: Isa::detected(),
        }
    }

    /// The portable kernel, which runs everywhere.
    #[must_use]
    pub const fn portable() -> SupportedIsa {
        SupportedIsa { isa: Isa::Portable }
    }

    /// The kernel for `isa`, or `None` if this CPU cannot run it.
    ///
    /// ```
    /// use ps_workloads::simd::{Isa, SupportedIsa};
    ///
    /// assert_eq!(SupportedIsa::new(Isa::Portable), Some(SupportedIsa::portable()));
    /// assert_eq!(SupportedIsa::new(Isa::Avx).is_some(), Isa::Avx.is_supported());
    /// ```
    #[must_use]
    pub fn new(isa: Isa) -> Option<SupportedIsa> {
        isa.is_supported().then_some(SupportedIsa { isa })
    }

    /// Every kernel this CPU can run, best first: what a test should cover.
    #[must_use]
    pub fn all_supported() -> Vec<SupportedIsa> {
        Isa::ALL.into_iter().filter_map(SupportedIsa::new).collect()
    }

    /// The instruction set this kernel uses.
    #[must_use]
    pub const fn isa(self) -> Isa {
        self.isa
    }
}

/// The kernels of the workloads that have an explicit SIMD version, as
/// [`Workload::kernels`](ps_workload::Workload::kernels) names them: the
/// scalar kernel first (the default), then the SIMD one, which runs on the
/// instruction set [`Isa::detected`] reports.
///
/// ```
/// use ps_workloads::Workload;
/// use ps_workloads::mandelbrot::Mandelbrot;
///
/// assert_eq!(Mandelbrot.kernels(), ps_workloads::simd::KERNELS);
/// ```
pub const KERNELS: [&str; 2] = ["scalar", "simd"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portable_kernel_is_always_there_and_last() {
        let all = SupportedIsa::all_supported();
        assert_eq!(all.last(), Some(&SupportedIsa::portable()));
        assert_eq!(all.first(), Some(&SupportedIsa::detect()));
    }

    #[test]
    fn a_kernel_exists_only_for_a_supported_isa() {
        for isa in Isa::ALL {
            assert_eq!(
                SupportedIsa::new(isa).is_some(),
                isa.is_supported(),
                "{isa}"
            );
        }
    }

    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    #[test]
    fn avx_is_reported_as_the_standard_library_detects_it() {
        assert_eq!(Isa::Avx.is_supported(), is_x86_feature_detected!("avx"));
        assert_eq!(Isa::detected() == Isa::Avx, is_x86_feature_detected!("avx"));
    }
}
