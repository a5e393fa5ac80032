//! The built-in workloads registered with the harness, for `cargo xtask`:
//! with `xtask-pipeline`, every line it times, and nothing else.
//!
//! # Why a crate of its own
//!
//! A timing is only as good as the code it times, so that code is compiled
//! with full optimisation. Most of `cargo xtask` times nothing, though: it
//! parses a command line, checks the book's claims, draws charts and copies
//! crates. Optimising that code was most of a fresh release build's time.
//!
//! The harness is generic over the workload: its timed loop
//! ([`ps_harness::timed_batch`]) and everything a verified run calls is
//! compiled in the crate that names the workload's type, when
//! [`Registry::add`] is called with it. This crate is where that happens
//! for `cargo xtask` (in [`registry`]); the pipeline study, which times its
//! own runs, is `xtask-pipeline`. The workspace's release profile optimises
//! this crate fully and builds `xtask`'s own code without optimisation; the
//! profile in the workspace's `Cargo.toml` lists every such choice and why.
//!
//! ```
//! let registry = xtask_timed::registry();
//! assert!(registry.find("squares").is_ok());
//! ```

use ps_harness::Registry;

/// Every built-in workload, registered: their timed code is compiled here,
/// in an optimised crate, whoever calls it.
#[must_use]
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    ps_workloads::visit_all(&mut registry);
    registry
}
