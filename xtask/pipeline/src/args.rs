//! The options of `cargo xtask pipeline`, each default read from the
//! constant that owns it.

use std::path::PathBuf;

use clap::Args;
use ps_stages::DEFAULT_CAPACITY_PER_WORKER;
use ps_workloads::Workload;
use ps_workloads::word_count::WordCount;

use crate::staged::STAGES;

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

/// Options of `pipeline`, flattened into `cargo xtask`'s command line.
///
/// ```
/// use clap::Parser;
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     pipeline: xtask_pipeline::PipelineArgs,
/// }
///
/// assert!(Cli::try_parse_from(["pipeline", "--workers", "2,1"]).is_ok());
/// assert!(Cli::try_parse_from(["pipeline", "--workers", "0,1"]).is_err());
/// ```
#[derive(Debug, Args)]
pub struct PipelineArgs {
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
    use clap::{CommandFactory, Parser};

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        pipeline: PipelineArgs,
    }

    fn parse(words: &str) -> Result<PipelineArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("pipeline").chain(words.split_whitespace()))
            .map(|cli| cli.pipeline)
    }

    #[test]
    fn pipeline_takes_one_worker_count_per_stage() {
        let args = parse("--workers 2,1 -c 3").unwrap();
        assert_eq!((args.workers(), args.capacity), ([2, 1], Some(3)));
        for (words, expected) in [
            ("--workers 2", "give one count per stage"),
            ("--workers 0,1", "needs at least 1 worker"),
            ("--capacity 0", "must be at least 1"),
            ("--n 5 --input f", "cannot be used with"),
        ] {
            let error = parse(words).unwrap_err();
            assert!(error.to_string().contains(expected), "{words}: {error}");
            assert_eq!(error.exit_code(), 2);
        }
    }

    #[test]
    fn help_reads_its_defaults_from_the_constants() {
        let help = Cli::command().render_help().to_string();
        assert!(
            help.contains(&WordCount.sizes().default.to_string()),
            "{help}"
        );
        assert!(
            help.contains(&format!("{DEFAULT_CAPACITY_PER_WORKER} per thread")),
            "{help}"
        );
    }
}
