//! `xtask-copy`: the copying half of `cargo xtask copy`, which parses the
//! command line and runs this binary with it (the crate's docs say why).

use std::process::ExitCode;

use clap::Parser;
use xtask_copy::CopyArgs;

/// `cargo xtask copy`, as this binary is reached.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask copy")]
struct CopyLine {
    #[command(flatten)]
    args: CopyArgs,
}

fn main() -> ExitCode {
    ps_harness::quiet_broken_pipes();
    ps_harness::quiet_panics();
    let outcome =
        ps_harness::parse::<CopyLine>("cargo xtask copy", std::env::args_os().skip(1), None)
            .and_then(|line| line.map_or(Ok(()), |line| xtask_copy::copy(&line.args)));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
