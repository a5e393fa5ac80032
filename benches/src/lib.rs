//! Support code for the criterion benchmarks in `benches/benches/`.
//!
//! The benchmarks themselves are the `[[bench]]` targets (see the crate's
//! `README.md`). This library holds what the `abstraction` bench needs and
//! this crate's unit tests check: [`hand`], the hand-written baselines,
//! checked against the [`Strategy`](ps_strategy::Strategy) versions,
//! [`paired`], the alternating measurement that compares them, and
//! [`shared`], which lets a boxed strategy and a hand-written rival share
//! one rayon pool.

pub mod hand;
pub mod paired;
pub mod shared;

/// The thread count every parallel benchmark uses: the machine's available
/// cores, as reported by [`ps_strategy::available_threads`].
#[must_use]
pub fn threads() -> usize {
    ps_strategy::available_threads()
}
