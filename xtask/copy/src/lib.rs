//! `cargo xtask copy`: a strategy crate, and the crates of this repository it
//! needs, copied into the user's own package as self-contained crates.
//!
//! Everything is decided in memory first — which crates, their manifests,
//! the user's edited `Cargo.toml` — so that a refusal leaves the target
//! folder exactly as it was; only then is anything written (see `files`).
//!
//! # Why a crate of its own, with a feature
//!
//! Editing a user's `Cargo.toml` while keeping their comments and layout
//! takes a real TOML editor: `toml_edit` and the five crates under it were
//! about 5 of the 63 CPU seconds of a fresh `cargo build --release -p
//! xtask` on a two-core machine, for one command that most runs never use. So the command line
//! ([`CopyArgs`]) is always here, and `cargo xtask` declares `copy` with it
//! and refuses a mistake at once; the copying itself ([`copy`]) is behind the
//! `edit` feature, in the `xtask-copy` binary, which `cargo xtask copy` runs
//! through cargo: built on the first copy, reused after.

mod args;
#[cfg(feature = "edit")]
mod files;
#[cfg(feature = "edit")]
mod manifest;
#[cfg(feature = "edit")]
mod root;
#[cfg(feature = "edit")]
mod run;

use std::path::{Path, PathBuf};

pub use args::{COPYABLE, CopyArgs};
#[cfg(feature = "edit")]
pub use run::copy;

/// The repository's root, whose `crates/` are copied.
///
/// ```
/// assert!(xtask_copy::workspace_root().join("crates/strategy/Cargo.toml").is_file());
/// ```
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("xtask-copy lives two levels below the workspace root")
        .to_path_buf()
}
