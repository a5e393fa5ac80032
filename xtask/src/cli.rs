//! The command line of `cargo xtask`: the harness's commands, declared once
//! in `ps-harness`, plus the ones only this repository has (`pipeline`,
//! `book`, `copy`, and `compare --python`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use ps_harness::{AdviseArgs, CompareArgs, DiffArgs, RunArgs, ScalingArgs, SweepArgs, TraceArgs};
use ps_stages::DEFAULT_CAPACITY_PER_WORKER;
use ps_workloads::Workload;
use ps_workloads::word_count::WordCount;

use crate::pipeline::staged::STAGES;

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
    Copy(crate::copy::CopyArgs),
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

fn workers_help() -> String {
    format!(
        "Workers per stage, comma-separated, one count for each stage in order ({}) [default: {}]",
        STAGES.join(","),
        vec!["1"; STAGES.len()].join(",")
    )
}

fn words_help() -> String {
    format!(
        "Words in the generated text [default: {}]",
        WordCount.sizes().default
    )
}

fn quick_help() -> String {
    format!(
        "A small text ({} words) and fewer runs",
        WordCount.sizes().quick
    )
}

fn capacity_help() -> String {
    format!(
        "Batches each channel holds [default: {DEFAULT_CAPACITY_PER_WORKER} per thread reading it]"
    )
}

/// One worker count per stage, in order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StageWorkers([usize; STAGES.len()]);

fn stage_workers(value: &str) -> Result<StageWorkers, String> {
    let counts: Vec<&str> = value.split(',').collect();
    if counts.len() != STAGES.len() {
        return Err(format!(
            "got {} for {} stages: give one count per stage, in order ({}), e.g. --workers {}",
            if counts.len() == 1 {
                "1 count".to_owned()
            } else {
                format!("{} counts", counts.len())
            },
            STAGES.len(),
            STAGES.join(","),
            vec!["1"; STAGES.len()].join(",")
        ));
    }
    let mut workers = [1; STAGES.len()];
    for ((slot, count), stage) in workers.iter_mut().zip(counts).zip(STAGES) {
        *slot = match count.parse::<usize>() {
            Ok(0) => return Err(format!("stage `{stage}` needs at least 1 worker, got 0")),
            Ok(n) => n,
            Err(_) => return Err(format!("stage `{stage}`: `{count}` is not a whole number")),
        };
    }
    Ok(StageWorkers(workers))
}

fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

/// Options of `pipeline`.
#[derive(Debug, Args)]
pub(crate) struct PipelineArgs {
    #[arg(short = 'w', long, value_name = "LIST", value_parser = stage_workers, help = workers_help())]
    /// One worker count per stage of the staged word count, each at least 1.
    pub(crate) workers: Option<StageWorkers>,
    #[arg(short = 'n', long = "n", value_name = "WORDS", value_parser = positive, conflicts_with = "input", help = words_help())]
    /// Words in the generated text.
    pub(crate) n: Option<usize>,
    #[arg(long, help = quick_help())]
    /// A small text and fewer runs.
    pub(crate) quick: bool,
    /// Count the words of FILE instead of a generated text
    #[arg(long, value_name = "FILE")]
    pub(crate) input: Option<PathBuf>,
    #[arg(short = 'c', long, value_name = "N", value_parser = positive, help = capacity_help())]
    /// Batches each channel holds.
    pub(crate) capacity: Option<usize>,
    #[arg(short = 'r', long, value_name = "N", value_parser = positive, help = format!("Timed runs after one warm-up; the run with the median wall time is shown [default: {}, quick {}]", ps_harness::DEFAULT_RUNS, ps_harness::QUICK_RUNS))]
    /// Timed runs.
    pub(crate) runs: Option<usize>,
    /// Also write the runs and the stage table as JSON
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
    /// Also write the stage table as Markdown
    #[arg(long, value_name = "FILE")]
    pub(crate) markdown: Option<PathBuf>,
}

impl PipelineArgs {
    /// The workers per stage.
    pub(crate) fn workers(&self) -> [usize; STAGES.len()] {
        self.workers
            .map_or([1; STAGES.len()], |StageWorkers(workers)| workers)
    }
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
    fn pipeline_takes_one_worker_count_per_stage() {
        let Some(Xtask {
            command: XCommand::Pipeline(args),
        }) = parse("pipeline --workers 2,1 -c 3").unwrap()
        else {
            panic!("pipeline")
        };
        assert_eq!((args.workers(), args.capacity), ([2, 1], Some(3)));
        for (words, expected) in [
            ("pipeline --workers 2", "give one count per stage"),
            ("pipeline --workers 0,1", "needs at least 1 worker"),
            ("pipeline --capacity 0", "must be at least 1"),
            ("pipeline --n 5 --input f", "cannot be used with"),
        ] {
            let failure = parse(words).unwrap_err();
            assert!(failure.to_string().contains(expected), "{words}: {failure}");
            assert_eq!(failure.exit_code(), 2);
        }
    }

    #[test]
    fn help_reads_its_defaults_from_the_constants() {
        use clap::CommandFactory;
        let help = Xtask::command()
            .find_subcommand_mut("pipeline")
            .unwrap()
            .render_help()
            .to_string();
        assert!(
            help.contains(&WordCount.sizes().default.to_string()),
            "{help}"
        );
        assert!(
            help.contains(&format!("{DEFAULT_CAPACITY_PER_WORKER} per thread")),
            "{help}"
        );
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
