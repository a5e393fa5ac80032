//! `cargo xtask`: the project's harness. It runs every workload under every
//! strategy, checks each result against the serial reference and reports
//! time, speedup and efficiency.
//!
//! Like rust-analyzer's xtask it is a plain binary with few dependencies and
//! one enum of commands ([`cli::Command`]). Exit codes: 0 on success, 1 when
//! a result fails verification, a strategy panics or a file cannot be
//! written, 2 for a mistake on the command line — always with a one-line
//! message, never a backtrace.

mod book;
mod chart;
mod cli;
mod compare;
mod fit;
mod harness;
mod list;
mod machine;
mod measure;
mod measure_book;
mod pipeline;
mod python;
mod report;
mod run;
mod scaling;
mod sweep;

use std::fmt;
use std::process::ExitCode;

use cli::{Command, UsageError};

/// Why a command stopped early.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A mistake on the command line (exit code 2).
    Usage(String),
    /// A wrong result or a failed write (exit code 1).
    Failed(String),
}

impl From<UsageError> for Failure {
    fn from(error: UsageError) -> Self {
        Failure::Usage(error.0)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Failed(message) => f.write_str(message),
        }
    }
}

fn main() -> ExitCode {
    // A panic is a bug in a strategy or in the harness, never the user's
    // mistake: say where it happened in one line, without a backtrace. The
    // harness catches panics in the measured code and reports them as errors.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map_or_else(String::new, |location| format!(" at {location}"));
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("panic{location}: {message}");
    }));
    let outcome = cli::parse(std::env::args().skip(1))
        .map_err(Failure::from)
        .and_then(|command| match command {
            Command::Help(text) => {
                print!("{text}");
                Ok(())
            }
            Command::List => {
                list::list();
                Ok(())
            }
            Command::Compare(args) => compare::compare(&args),
            Command::Sweep(args) => sweep::sweep(&args),
            Command::Scaling(args) => scaling::scaling(&args),
            Command::Run(args) => run::run(&args),
            Command::Pipeline(args) => pipeline::pipeline(&args),
            Command::Book(args) => book::book(&args),
        });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure @ Failure::Usage(_)) => {
            eprintln!("error: {failure}");
            ExitCode::from(2)
        }
        Err(failure @ Failure::Failed(_)) => {
            eprintln!("error: {failure}");
            ExitCode::from(1)
        }
    }
}
