//! `ps-mpi`: the project's workloads across MPI ranks. See the crate's
//! README for the commands.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;
use ps_harness::Failure;

use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    // Every rank, before its first allocation that matters, so that no rank
    // pays for fresh pages on every run while another reuses its own (the
    // harness does the same for the serial reference it times).
    ps_harness::reuse_freed_memory();
    // Before MPI is up, OpenMPI's launcher has already told each process its
    // rank; only rank 0 prints a command-line mistake, not every rank.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            if commands::launched_rank().unwrap_or(0) == 0 {
                let _ = error.print();
            }
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let outcome = match &cli.command {
        Command::Launch(args) => commands::launch::launch(args),
        Command::Shapes(args) => commands::shapes::shapes(args),
        Command::Compare(args) => {
            commands::in_job(|session| commands::compare::compare(args, session))
        }
        Command::Crossover(args) => {
            commands::in_job(|session| commands::crossover::crossover(args, session))
        }
        Command::Check(args) => commands::in_job(|session| commands::check::check(args, session)),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}

/// `Ok` with the exit code to end with, or the failure to report.
pub(crate) type Outcome = Result<ExitCode, Failure>;
