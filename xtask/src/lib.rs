//! `cargo xtask`: the project's harness. It runs every workload under every
//! strategy, checks each result against the serial reference and reports
//! time, speedup and efficiency.
//!
//! Like rust-analyzer's xtask it is a thin binary: the measuring, checking
//! and reporting live in the `ps-harness` library — the same code a user's
//! own binary calls — and the workloads in `ps-workloads`. What is here is
//! only this repository's: the Python comparison, the book (its claims,
//! charts and figure table), and copying a strategy into another package.
//! Every line it times is in `xtask-timed` and `xtask-pipeline`, the parts
//! compiled with optimisation (xtask-timed's docs say why). A failure is one line, and its
//! exit code follows its kind, as `crates/harness/exit-codes.md` lists.
//!
//! The code is this library, and the binary only calls [`main`]: a binary
//! cannot start compiling until every crate it links is whole, while a
//! library can start once the crates it uses have declared their items. So
//! xtask's own code compiles beside xtask-timed's optimisation, not after
//! it, and the binary that waits is one line long.

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

/// `cargo xtask`: parses the process's arguments, runs the command and
/// gives the exit code its outcome calls for.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     xtask::main()
/// }
/// ```
#[must_use]
pub fn main() -> ExitCode {
    ps_harness::quiet_broken_pipes();
    ps_harness::quiet_panics();
    let registry = xtask_timed::registry();
    let outcome = ps_harness::parse::<Xtask>("cargo xtask", std::env::args_os().skip(1), None)
        .and_then(|parsed| {
            parsed.map_or(Ok(ExitCode::SUCCESS), |xtask| {
                execute(xtask.command, &registry)
            })
        });
    outcome.unwrap_or_else(|failure| failure.report())
}

/// Runs `command`; the exit code is success, or the one `copy`'s own
/// binary ended with.
fn execute(command: XCommand, registry: &Registry) -> Result<ExitCode, Failure> {
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
        XCommand::Pipeline(args) => xtask_pipeline::pipeline(&args),
        XCommand::Book(args) => book::book(&args),
        XCommand::Figures(args) => figures::figures(&args),
        XCommand::Copy(args) => return copy::copy(&args),
    }
    .map(|()| ExitCode::SUCCESS)
}
