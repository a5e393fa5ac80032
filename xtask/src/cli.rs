//! The command line of `cargo xtask`: the harness's commands, declared once
//! in `ps-harness`, plus the ones only this repository has (`pipeline`,
//! `book`, `copy`, and `compare --python`).

use clap::{Args, Parser, Subcommand};
use ps_harness::{AdviseArgs, CompareArgs, DiffArgs, RunArgs, ScalingArgs, SweepArgs, TraceArgs};
use xtask_pipeline::PipelineArgs;

/// `cargo xtask`.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    arg_required_else_help = true,
    about = "Run, verify and time every parallel strategy on every workload",
    after_help = "Timings come only from optimised builds: the `cargo xtask` alias builds in release mode."
)]
pub(crate) struct Xtask {
    #[command(subcommand)]
    pub(crate) command: XCommand,
}

/// Every command, in the order `--help` lists them. The commands every
/// harness binary has take their help line from ps-harness ([`about`]), so
/// it is written once; the ones only this repository has are described
/// here.
#[derive(Debug, Subcommand)]
pub(crate) enum XCommand {
    // `compare`, with `--python` added.
    #[command(about = about("compare"))]
    Compare(XCompareArgs),
    #[command(about = about("sweep"))]
    Sweep(SweepArgs),
    #[command(about = about("scaling"))]
    Scaling(ScalingArgs),
    #[command(about = about("advise"))]
    Advise(AdviseArgs),
    #[command(about = about("trace"))]
    Trace(TraceArgs),
    #[command(about = about("run"))]
    Run(RunArgs),
    #[command(about = about("diff"))]
    Diff(DiffArgs),
    /// Run word-count as a multi-stage pipeline with workers per stage:
    /// where each stage's time goes, and which stage is the bottleneck
    Pipeline(PipelineArgs),
    /// Check and build the book (installing mdbook if needed); --measure
    /// regenerates its figures on this machine
    Book(crate::book::BookArgs),
    /// Measure a set of the book's figures into a folder, without building
    /// the book: the book's own, or the many-core set
    Figures(crate::figures::FiguresArgs),
    /// Copy a strategy crate, and the crates of this repository it needs,
    /// into your own package as self-contained crates
    Copy(xtask_copy::CopyArgs),
    #[command(about = about("list"))]
    List,
}

/// The help line ps-harness gives its command `name`.
fn about(name: &str) -> clap::builder::StyledStr {
    use clap::CommandFactory as _;
    ps_harness::Cli::command()
        .find_subcommand(name)
        .and_then(clap::Command::get_about)
        .cloned()
        .unwrap_or_else(|| panic!("ps-harness has no `{name}` command"))
}

/// `compare`, with the Python article's experiment beside it.
#[derive(Debug, Args)]
pub(crate) struct XCompareArgs {
    #[command(flatten)]
    pub(crate) args: CompareArgs,
    /// Also run the Python article's approach (a loop, a thread pool, a
    /// process pool) on squares' n, if python3 is installed
    #[arg(long)]
    pub(crate) python: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn parse(words: &str) -> Result<Option<Xtask>, ps_harness::Failure> {
        ps_harness::parse(
            "cargo xtask",
            words.split_whitespace().map(OsString::from),
            None,
        )
    }

    #[test]
    fn compare_takes_python_and_every_harness_flag() {
        let Some(Xtask {
            command: XCommand::Compare(args),
        }) = parse("compare --python --quick -w primes").unwrap()
        else {
            panic!("compare")
        };
        assert!(args.python && args.args.quick);
        assert_eq!(args.args.workloads, ["primes"]);
    }

    #[test]
    fn shared_commands_read_as_the_harness_describes_them() {
        use clap::CommandFactory as _;
        let xtask = Xtask::command();
        let harness = ps_harness::Cli::command();
        for shared in harness.get_subcommands() {
            let name = shared.get_name();
            let ours = xtask
                .find_subcommand(name)
                .unwrap_or_else(|| panic!("cargo xtask has no `{name}`"));
            assert_eq!(ours.get_about(), shared.get_about(), "{name}");
        }
    }
}
