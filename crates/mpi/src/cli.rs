//! The command line of `ps-mpi`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use ps_catalog::StrategyKind;
use ps_workload::Size;

/// Workloads split across MPI ranks, each rank running a local strategy.
///
/// Run the measuring commands under mpirun (`ps-mpi launch -n P -- compare`
/// does that for you).
#[derive(Debug, Parser)]
#[command(name = "ps-mpi", version)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Time every workload split across the job's ranks, verified, beside serial.
    Compare(CompareArgs),
    /// Find, per workload, the size from which the ranks beat serial.
    Crossover(CrossoverArgs),
    /// Verify every workload under every strategy at awkward sizes (no timing).
    Check(CheckArgs),
    /// Run `mpirun` with this binary: `ps-mpi launch -n 4 -- compare`.
    Launch(LaunchArgs),
    /// Launch one job per shape (ranks x threads) and tabulate them together.
    Shapes(ShapesArgs),
}

/// The local strategy and its threads, per rank.
#[derive(Debug, Clone, Args)]
pub(crate) struct Local {
    /// The strategy each rank runs its share with.
    #[arg(long, default_value = "threads-dynamic", value_parser = parse_strategy)]
    pub(crate) strategy: StrategyKind,
    /// Threads per rank.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) threads: u32,
}

/// Which workloads, and how many timed runs.
#[derive(Debug, Clone, Args)]
pub(crate) struct Selection {
    /// Only this workload (repeatable); all of them by default.
    #[arg(long = "workload")]
    pub(crate) workloads: Vec<String>,
    /// Timed runs per measurement, after one untimed warm-up.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) runs: u32,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    #[command(flatten)]
    pub(crate) local: Local,
    #[command(flatten)]
    pub(crate) selection: Selection,
    /// The named sizes to run each workload at (repeatable).
    #[arg(long = "size", default_values_t = [Size::Quick, Size::Default])]
    pub(crate) sizes: Vec<Size>,
    /// Write the report as JSON.
    #[arg(long)]
    pub(crate) json: Option<PathBuf>,
    /// Write the table as Markdown, headed by the machine.
    #[arg(long)]
    pub(crate) markdown: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CrossoverArgs {
    #[command(flatten)]
    pub(crate) local: Local,
    #[command(flatten)]
    pub(crate) selection: Selection,
    /// Sizes per workload: the default size divided by 4, 16, ... down the ladder.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..=12))]
    pub(crate) steps: u32,
    /// Write the table and its findings as Markdown.
    #[arg(long)]
    pub(crate) markdown: Option<PathBuf>,
    /// Write the table's figures as a JSON report, for the book's claims.
    #[arg(long)]
    pub(crate) json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Local strategies to check (repeatable); every one by default.
    #[arg(long = "strategy", value_parser = parse_strategy)]
    pub(crate) strategies: Vec<StrategyKind>,
    /// Threads per rank.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) threads: u32,
    /// Run a job that panics on this rank instead: the job must end, non-zero.
    #[arg(long)]
    pub(crate) panic_on_rank: Option<usize>,
}

#[derive(Debug, Args)]
pub(crate) struct LaunchArgs {
    /// Ranks to start.
    #[arg(short = 'n', long = "ranks", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) ranks: u32,
    /// An `OpenMPI` hostfile: run the ranks on the hosts it lists.
    #[arg(long)]
    pub(crate) hostfile: Option<PathBuf>,
    /// Extra arguments for mpirun itself, before the program (repeatable).
    #[arg(long = "mpirun-arg", allow_hyphen_values = true)]
    pub(crate) mpirun_args: Vec<String>,
    /// The ps-mpi command each rank runs, after `--`.
    #[arg(last = true, required = true)]
    pub(crate) command: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ShapesArgs {
    /// Cores to spread: shapes are 1 x P, P x 1 and a mix.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) cores: Option<u32>,
    /// Shapes as `RANKSxTHREADS` (repeatable), instead of the ones `--cores` gives.
    #[arg(long = "shape", value_parser = parse_shape)]
    pub(crate) shapes: Vec<(u32, u32)>,
    /// The local strategy of every shape.
    #[arg(long, default_value = "threads-dynamic", value_parser = parse_strategy)]
    pub(crate) strategy: StrategyKind,
    #[command(flatten)]
    pub(crate) selection: Selection,
    /// The named sizes to run each workload at (repeatable).
    #[arg(long = "size", default_values_t = [Size::Quick, Size::Default])]
    pub(crate) sizes: Vec<Size>,
    /// An `OpenMPI` hostfile for every job.
    #[arg(long)]
    pub(crate) hostfile: Option<PathBuf>,
    /// Where the jobs' JSON reports go.
    #[arg(long, default_value = "target/mpi-shapes")]
    pub(crate) work_dir: PathBuf,
    /// Write the tables as Markdown, headed by the machine.
    #[arg(long)]
    pub(crate) markdown: Option<PathBuf>,
    /// Write every job's cells and costs as one JSON report.
    #[arg(long)]
    pub(crate) json: Option<PathBuf>,
}

fn parse_strategy(name: &str) -> Result<StrategyKind, String> {
    name.parse()
        .map_err(|error: ps_catalog::UnknownStrategy| error.to_string())
}

/// `RxT`, both at least 1.
pub(crate) fn parse_shape(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("a shape is RANKSxTHREADS with both at least 1, like 2x1; got `{text}`");
    let (ranks, threads) = text.split_once('x').ok_or_else(bad)?;
    let ranks: u32 = ranks.parse().map_err(|_| bad())?;
    let threads: u32 = threads.parse().map_err(|_| bad())?;
    if ranks == 0 || threads == 0 {
        return Err(bad());
    }
    Ok((ranks, threads))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_parse_and_zero_is_refused() {
        assert_eq!(parse_shape("2x3"), Ok((2, 3)));
        assert!(parse_shape("0x2").unwrap_err().contains("at least 1"));
        assert!(parse_shape("2").is_err());
    }

    #[test]
    fn zero_ranks_is_a_one_line_usage_error() {
        let error =
            Cli::try_parse_from(["ps-mpi", "launch", "-n", "0", "--", "check"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(
            error
                .to_string()
                .lines()
                .next()
                .unwrap()
                .contains("0 is not in 1..")
        );
    }
}
