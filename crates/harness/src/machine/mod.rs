//! The machine a measurement ran on: what it is, how much memory a size
//! needs against what it has, and its memory bandwidth ceilings.

mod detect;
pub(crate) mod memory;
pub(crate) mod roofline;

pub use detect::{Machine, optimised, require_optimised};
