//! `cargo xtask`: the project's harness. It runs every workload under every
//! strategy, checks each result against the serial reference and reports
//! time, speedup and efficiency.
//!
//! Like rust-analyzer's xtask it is a thin binary: the measuring, checking
//! and reporting live in the `ps-harness` library — the same code a user's
//! own bench target calls — and the workloads in `ps-workloads`. What is
//! here is only this repository's: the Python comparison, the staged
//! pipeline's report, the book, and copying a strategy into another package. Exit codes: 0 on success, 1 when a result
//! fails verification, measured code panics or a file cannot be written, 2
//! for a mistake on the command line, 3 when the system refuses a resource —
//! always with a one-line message, never a backtrace.

mod allocators;
mod bench_figures;
mod book;
mod charts;
mod claims;
mod cli;
mod compare;
mod copy;
mod decision;
mod figures;
mod pipeline;
mod python;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cli::{XCommand, Xtask};
use ps_harness::{Command, Failure, Registry};

/// The repository's root, where `book/` and `target/` are.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

fn main() -> ExitCode {
    ps_harness::quiet_broken_pipes();
    ps_harness::quiet_panics();
    let mut registry = Registry::new();
    ps_workloads::visit_all(&mut registry);
    let outcome = ps_harness::parse::<Xtask>("cargo xtask", std::env::args_os().skip(1), None)
        .and_then(|parsed| parsed.map_or(Ok(()), |xtask| execute(xtask.command, &registry)));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn execute(command: XCommand, registry: &Registry) -> Result<(), Failure> {
    let harness = |command| ps_harness::execute(&command, registry);
    match command {
        XCommand::Compare(args) => compare::compare(&args, registry),
        XCommand::Sweep(args) => harness(Command::Sweep(args)),
        XCommand::Scaling(args) => harness(Command::Scaling(args)),
        XCommand::Advise(args) => harness(Command::Advise(args)),
        XCommand::Trace(args) => harness(Command::Trace(args)),
        XCommand::Run(args) => harness(Command::Run(args)),
        XCommand::Diff(args) => harness(Command::Diff(args)),
        XCommand::List => harness(Command::List),
        XCommand::Pipeline(args) => pipeline::pipeline(&args),
        XCommand::Book(args) => book::book(&args),
        XCommand::Figures(args) => figures::figures(&args),
        XCommand::Copy(args) => copy::copy(&args),
    }
}
