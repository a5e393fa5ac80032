//! The command line of `copy`, shared by `cargo xtask` (which parses it and
//! refuses a mistake at once) and the `xtask-copy` binary (which runs it).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::Args;

/// The crates a user can copy, by folder under `crates/`: the trait, each
/// strategy, and the two crates a user measuring their own loop vendors.
///
/// ```
/// assert!(xtask_copy::COPYABLE.contains(&"threads"));
/// assert!(xtask_copy::COPYABLE.iter().all(|folder| xtask_copy::workspace_root().join("crates").join(folder).is_dir()));
/// ```
pub const COPYABLE: [&str; 8] = [
    "strategy", "serial", "threads", "pipeline", "rayon", "steal", "workload", "harness",
];

/// Options of `copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    #[arg(value_name = "CRATE", value_parser = copyable, help = crate_help())]
    /// The crate to copy, by its folder under `crates/`.
    pub name: String,
    /// Your package's folder: the crates go into DIR/crates/, and
    /// DIR/Cargo.toml gains them as dependencies and workspace members
    /// (a bin package named after the folder is created if it has none)
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
}

fn crate_help() -> String {
    format!("The crate to copy: {}", COPYABLE.join(", "))
}

/// A name of `COPYABLE`; anything else is refused in one line that lists them.
fn copyable(name: &str) -> Result<String, String> {
    if COPYABLE.contains(&name) {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "no crate `{name}` to copy (expected one of: {})",
            COPYABLE.join(", ")
        ))
    }
}

impl CopyArgs {
    /// The arguments that parse back into these options: what `cargo
    /// xtask copy` passes on to the `xtask-copy` binary.
    ///
    /// ```
    /// use clap::Parser;
    /// use xtask_copy::CopyArgs;
    ///
    /// #[derive(Parser)]
    /// struct Line {
    ///     #[command(flatten)]
    ///     copy: CopyArgs,
    /// }
    /// let args = CopyArgs { name: "threads".into(), to: "../my app".into() };
    /// let line = Line::try_parse_from(std::iter::once("copy".into()).chain(args.to_args())).unwrap();
    /// assert_eq!((line.copy.name, line.copy.to), (args.name, args.to));
    /// ```
    #[must_use]
    pub fn to_args(&self) -> Vec<OsString> {
        vec![
            self.name.clone().into(),
            "--to".into(),
            self.to.clone().into_os_string(),
        ]
    }
}
