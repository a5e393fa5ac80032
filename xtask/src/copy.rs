//! `cargo xtask copy`: the command line is parsed here, so a mistake is
//! refused at once; the copy is made by the `xtask-copy` binary, run through
//! cargo, which builds it on the first copy. Its TOML editor is then no part
//! of building `cargo xtask` (xtask-copy's docs give the cost).

use std::ffi::OsString;
use std::process::{Command, ExitCode};

use ps_harness::Failure;
use xtask_copy::CopyArgs;

/// Runs the copy and ends as it ends: its messages are its own, and so is
/// its exit code (2 for a refusal, as every command's).
pub(crate) fn copy(args: &CopyArgs) -> Result<ExitCode, Failure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args(run_copy(args))
        .status()
        .map_err(|error| {
            Failure::Child(format!(
                "cannot run {} to build and run xtask-copy: {error}",
                cargo.to_string_lossy()
            ))
        })?;
    match status.code() {
        Some(code) => Ok(ExitCode::from(u8::try_from(code).unwrap_or(1))),
        None => Err(Failure::Child(format!("xtask-copy ended by {status}"))),
    }
}

/// `cargo run` of the copy binary, in the profile this binary was built in,
/// so that the copy reuses what is already built.
fn run_copy(args: &CopyArgs) -> Vec<OsString> {
    let mut line: Vec<OsString> = vec!["run".into(), "--quiet".into()];
    if !cfg!(debug_assertions) {
        line.push("--release".into());
    }
    line.push("--manifest-path".into());
    line.push(crate::workspace_root().join("Cargo.toml").into());
    for word in ["-p", "xtask-copy", "--features", "edit", "--"] {
        line.push(word.into());
    }
    line.extend(args.to_args());
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_binary_gets_the_parsed_arguments_after_the_separator() {
        let args = CopyArgs {
            name: "threads".to_owned(),
            to: "../my app".into(),
        };
        let line = run_copy(&args);
        let separator = line.iter().position(|word| word == "--").unwrap();
        assert_eq!(line[separator + 1..], args.to_args());
        assert_eq!(line[..2], ["run", "--quiet"]);
        assert!(line.windows(2).any(|pair| pair == ["-p", "xtask-copy"]));
        assert!(line.windows(2).any(|pair| pair == ["--features", "edit"]));
    }
}
