//! What makes a number trustworthy: verified, rotated timing, the memory
//! state every run finds, load from other processes, verdicts from
//! intervals, fitted laws, and refusals turned into failures.

pub(crate) mod fit;
pub(crate) mod load;
pub(crate) mod measure;
pub(crate) mod memory_state;
pub(crate) mod refusal;
pub(crate) mod timed;
pub(crate) mod verdict;
