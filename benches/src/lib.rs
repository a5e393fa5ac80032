//! Support code for the criterion benchmarks in `benches/benches/`.
//!
//! The benchmarks themselves are the `[[bench]]` targets (see the crate's
//! `README.md`). This library holds only [`hand`]: the hand-written
//! baselines of the `abstraction` group, kept here so that the same code is
//! both measured and checked by this crate's unit tests against the
//! [`Strategy`](ps_strategy::Strategy) versions.

pub mod hand;

/// The thread count every parallel benchmark uses: the machine's available
/// cores, as reported by [`ps_strategy::available_threads`].
#[must_use]
pub fn threads() -> usize {
    ps_strategy::available_threads()
}
