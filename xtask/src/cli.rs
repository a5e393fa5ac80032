//! The command line: one enum of commands, parsed by hand with `lexopt`.

use std::path::PathBuf;
use std::str::FromStr;

use lexopt::prelude::*;
use ps_catalog::StrategyKind;
use ps_workloads::word_count::staged::STAGES;
use ps_workloads::{Size, WorkloadKind};

/// A mistake on the command line: printed as one line, exit code 2.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl From<lexopt::Error> for UsageError {
    fn from(error: lexopt::Error) -> Self {
        UsageError(error.to_string())
    }
}

pub(crate) const HELP: &str = "\
cargo xtask: run, verify and time every parallel strategy on every workload

Usage: cargo xtask <COMMAND> [OPTIONS]

Commands:
  compare   Run every workload under every strategy, verify each result
            against serial, and report time, speedup and efficiency
  sweep     Time a workload across grains and input sizes: the best grain
            and the crossover size n* where each strategy beats serial
  scaling   Time a workload from 1 to twice the logical cores: speedup,
            efficiency and a fit of Amdahl's (or Gustafson's) law
  run       Run one workload once and print its canonical result
  pipeline  Run word-count as a multi-stage pipeline with workers per stage:
            where each stage's time goes, and which stage is the bottleneck
  book      Check and build the book (installing mdbook if needed);
            --measure regenerates its figures on this machine
  list      List the workloads and the strategies
  help      Print this help, or a command's: cargo xtask help sweep

Timings come only from optimised builds: the `cargo xtask` alias builds in
release mode.
";

pub(crate) const COMPARE_HELP: &str = "\
Run every workload under every strategy, verify each result against the
serial reference, then report the timings.

Usage: cargo xtask compare [OPTIONS]

Options:
  -w, --workload <NAMES>   Workloads to run, comma-separated [default: all]
  -s, --strategy <NAMES>   Strategies to run, comma-separated [default: all]
  -t, --threads <N>        Worker threads [default: the machine's logical cores]
      --size <SIZE>        Input sizes: quick, default or large [default: default]
      --quick              Same as --size quick (about a minute on 2 cores)
      --large              Same as --size large
  -n, --n <N>              Input size for every workload, instead of --size
  -g, --grain <N>          Elements per unit of work [default: each workload's]
  -r, --runs <N>           Timed runs per cell, after one warm-up [default: 5, quick 3]
      --input <FILE>       Count the words of FILE in the word-count workload
      --python             Also run the Python article's approach (a loop, a
                           thread pool, a process pool) on squares' n, if
                           python3 is installed
      --json <FILE>        Also write one JSON record per workload and strategy
      --markdown <FILE>    Also write the table as Markdown
  -h, --help               Print this help

Every result is checked against the serial reference before any timing is
shown; a wrong result stops the run with exit code 1.
";

pub(crate) const SWEEP_HELP: &str = "\
Time one workload under each parallel strategy across a geometric ladder of
grains (elements per unit of work), then across a geometric ladder of input
sizes to find the crossover size n*: the smallest input at which the strategy
beats serial. Every point is verified against the serial reference.

Usage: cargo xtask sweep <WORKLOAD> [OPTIONS]

Options:
  -s, --strategy <NAMES>   Parallel strategies, comma-separated [default: all]
  -t, --threads <N>        Worker threads [default: the machine's logical cores]
  -n, --n <N>              Input size of the grain sweep and the top of the
                           size ladder [default: the workload's default size]
      --quick              Smaller sizes, coarser ladders, fewer runs
  -r, --runs <N>           Timed runs per point, after one warm-up [default: 5, quick 3]
      --json <FILE>        Also write the measurements as JSON
      --markdown <FILE>    Also write the tables as Markdown
      --svg <FILE>         Also draw time against grain (log-log) as SVG
  -h, --help               Print this help
";

pub(crate) const SCALING_HELP: &str = "\
Time one workload under each parallel strategy with 1 thread up to twice the
logical cores; report speedup and efficiency and fit Amdahl's law,
speedup(p) = 1 / (s + (1 - s) / p), to find the serial fraction s. With
--weak the input grows with the threads (n x p) and Gustafson's scaled
speedup, p - s (p - 1), is fitted instead.

Usage: cargo xtask scaling <WORKLOAD> [OPTIONS]

Options:
  -s, --strategy <NAMES>   Parallel strategies, comma-separated [default: all]
      --max-threads <N>    Largest thread count [default: twice the logical cores]
  -n, --n <N>              Input size (per thread with --weak)
                           [default: the workload's default size]
      --weak               Weak scaling: the input grows with the threads
      --quick              Smaller sizes, fewer runs
  -r, --runs <N>           Timed runs per point, after one warm-up [default: 5, quick 3]
      --json <FILE>        Also write the measurements as JSON
      --markdown <FILE>    Also write the tables as Markdown
      --svg <FILE>         Also draw speedup against threads, with the ideal line
  -h, --help               Print this help
";

pub(crate) const RUN_HELP: &str = "\
Run one workload once and print its canonical result: the 9-decimal value for
spectral-norm, the count for primes, a checksum for the others.

Usage: cargo xtask run <WORKLOAD> [OPTIONS]

Options:
  -s, --strategy <NAME>    Strategy [default: serial]
  -t, --threads <N>        Worker threads [default: the machine's logical cores]
  -n, --n <N>              Input size [default: the workload's default size]
  -g, --grain <N>          Elements per unit of work [default: the workload's]
      --input <FILE>       Count the words of FILE (word-count only)
      --out <FILE>         Write the canonical output to FILE: the PBM image for
                           mandelbrot, the numbers as little-endian u64 for
                           squares, `word<TAB>count` lines for word-count, the
                           result line for the others
  -h, --help               Print this help
";

pub(crate) const PIPELINE_HELP: &str = "\
Run word-count as a multi-stage pipeline — line batches -> tokenise -> count
-> merge, each stage on threads of its own, joined by bounded channels —
check every result against the serial word count, then report each stage's
capacity and where its threads' time went (busy, blocked waiting for input,
blocked on a full output channel), and name the bottleneck: the stage with
the largest busy time per worker. A pipeline runs at the speed of its slowest
stage; more workers help only there.

Usage: cargo xtask pipeline [OPTIONS]

Options:
  -w, --workers <LIST>     Workers per stage, comma-separated, one count for
                           each stage in order (tokenise,count) [default: 1,1]
  -n, --n <WORDS>          Words in the generated text [default: 2000000]
      --quick              A small text (50000 words) and fewer runs
      --input <FILE>       Count the words of FILE instead of a generated text
  -c, --capacity <N>       Batches each channel holds [default: 2 per thread
                           reading it]
  -r, --runs <N>           Timed runs after one warm-up; the run with the median
                           wall time is shown [default: 5, quick 3]
      --json <FILE>        Also write the runs and the stage table as JSON
      --markdown <FILE>    Also write the stage table as Markdown
  -h, --help               Print this help

Every run's result is checked against the serial word count before anything
is shown; a wrong result stops the command with exit code 1.
";

pub(crate) const BOOK_HELP: &str = "\
Check the book's includes, links and generated figures, then build it with
mdbook 0.5 (installed into target/tools with `cargo install` if it is missing).

Usage: cargo xtask book [OPTIONS]

Options:
      --measure   First regenerate every table and chart in
                  book/src/generated/ on this machine (about 15 minutes)
      --quick     With --measure: smaller sizes and shorter benches
      --open      Open the built book in a browser
  -h, --help      Print this help
";

pub(crate) const LIST_HELP: &str = "\
List the workloads and the strategies, one line each.

Usage: cargo xtask list
";

/// What the user asked for.
#[derive(Debug)]
pub(crate) enum Command {
    Help(&'static str),
    List,
    Compare(CompareArgs),
    Sweep(SweepArgs),
    Scaling(ScalingArgs),
    Run(RunArgs),
    Pipeline(PipelineArgs),
    Book(crate::book::BookArgs),
}

/// Options shared by `sweep` and `scaling`.
#[derive(Debug)]
pub(crate) struct StudyArgs {
    pub(crate) workload: WorkloadKind,
    /// The parallel strategies to study; serial is always measured as the baseline.
    pub(crate) strategies: Vec<StrategyKind>,
    pub(crate) n: Option<usize>,
    pub(crate) quick: bool,
    pub(crate) runs: Option<usize>,
    pub(crate) json: Option<PathBuf>,
    pub(crate) markdown: Option<PathBuf>,
    pub(crate) svg: Option<PathBuf>,
}

/// Options of `sweep`.
#[derive(Debug)]
pub(crate) struct SweepArgs {
    pub(crate) study: StudyArgs,
    pub(crate) threads: Option<usize>,
}

/// Options of `scaling`.
#[derive(Debug)]
pub(crate) struct ScalingArgs {
    pub(crate) study: StudyArgs,
    pub(crate) max_threads: Option<usize>,
    pub(crate) weak: bool,
}

/// Options of `compare`.
#[derive(Debug)]
pub(crate) struct CompareArgs {
    pub(crate) workloads: Vec<WorkloadKind>,
    pub(crate) strategies: Vec<StrategyKind>,
    pub(crate) threads: Option<usize>,
    pub(crate) size: Size,
    pub(crate) n: Option<usize>,
    pub(crate) grain: Option<usize>,
    pub(crate) runs: Option<usize>,
    pub(crate) input: Option<PathBuf>,
    pub(crate) python: bool,
    pub(crate) json: Option<PathBuf>,
    pub(crate) markdown: Option<PathBuf>,
}

/// Options of `run`.
#[derive(Debug)]
pub(crate) struct RunArgs {
    pub(crate) workload: WorkloadKind,
    pub(crate) strategy: StrategyKind,
    pub(crate) threads: Option<usize>,
    pub(crate) n: Option<usize>,
    pub(crate) grain: Option<usize>,
    pub(crate) input: Option<PathBuf>,
    pub(crate) out: Option<PathBuf>,
}

/// Options of `pipeline`.
#[derive(Debug)]
pub(crate) struct PipelineArgs {
    /// One worker count per stage of the staged word count, each at least 1.
    pub(crate) workers: [usize; STAGES.len()],
    pub(crate) n: Option<usize>,
    pub(crate) quick: bool,
    pub(crate) input: Option<PathBuf>,
    pub(crate) capacity: Option<usize>,
    pub(crate) runs: Option<usize>,
    pub(crate) json: Option<PathBuf>,
    pub(crate) markdown: Option<PathBuf>,
}

/// Parses the arguments after `cargo xtask`.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, UsageError> {
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next()? {
        None | Some(Short('h') | Long("help")) => return Ok(Command::Help(HELP)),
        Some(Value(command)) => command.string()?,
        Some(other) => return Err(other.unexpected().into()),
    };
    match command.as_str() {
        "help" => Ok(Command::Help(match parser.next()? {
            Some(Value(topic)) => help_for(&topic.string()?)?,
            _ => HELP,
        })),
        "list" => parse_list(parser),
        "compare" => parse_compare(parser),
        "sweep" => parse_sweep(parser),
        "scaling" => parse_scaling(parser),
        "run" => parse_run(parser),
        "pipeline" => parse_pipeline(parser),
        "book" => parse_book(parser),
        other => Err(UsageError(format!(
            "unknown command `{other}` (expected one of: {COMMANDS}, help)"
        ))),
    }
}

const COMMANDS: &str = "compare, sweep, scaling, run, pipeline, book, list";

fn help_for(command: &str) -> Result<&'static str, UsageError> {
    match command {
        "compare" => Ok(COMPARE_HELP),
        "sweep" => Ok(SWEEP_HELP),
        "scaling" => Ok(SCALING_HELP),
        "run" => Ok(RUN_HELP),
        "pipeline" => Ok(PIPELINE_HELP),
        "book" => Ok(BOOK_HELP),
        "list" => Ok(LIST_HELP),
        other => Err(UsageError(format!(
            "no help for `{other}` (expected one of: {COMMANDS})"
        ))),
    }
}

fn parse_list(mut parser: lexopt::Parser) -> Result<Command, UsageError> {
    match parser.next()? {
        None => Ok(Command::List),
        Some(Short('h') | Long("help")) => Ok(Command::Help(LIST_HELP)),
        Some(other) => Err(other.unexpected().into()),
    }
}

fn parse_compare(mut parser: lexopt::Parser) -> Result<Command, UsageError> {
    let mut args = CompareArgs {
        workloads: WorkloadKind::ALL.to_vec(),
        strategies: StrategyKind::ALL.to_vec(),
        threads: None,
        size: Size::Default,
        n: None,
        grain: None,
        runs: None,
        input: None,
        python: false,
        json: None,
        markdown: None,
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('w') | Long("workload") => args.workloads = list_of(&mut parser, "--workload")?,
            Short('s') | Long("strategy") => args.strategies = list_of(&mut parser, "--strategy")?,
            Short('t') | Long("threads") => args.threads = Some(count(&mut parser, "--threads")?),
            Long("size") => args.size = parsed(&mut parser)?,
            Long("quick") => args.size = Size::Quick,
            Long("large") => args.size = Size::Large,
            Short('n') | Long("n") => args.n = Some(count(&mut parser, "--n")?),
            Short('g') | Long("grain") => args.grain = Some(count(&mut parser, "--grain")?),
            Short('r') | Long("runs") => args.runs = Some(count(&mut parser, "--runs")?),
            Long("input") => args.input = Some(parser.value()?.into()),
            Long("python") => args.python = true,
            Long("json") => args.json = Some(parser.value()?.into()),
            Long("markdown") => args.markdown = Some(parser.value()?.into()),
            Short('h') | Long("help") => return Ok(Command::Help(COMPARE_HELP)),
            other => return Err(other.unexpected().into()),
        }
    }
    Ok(Command::Compare(args))
}

fn parse_sweep(mut parser: lexopt::Parser) -> Result<Command, UsageError> {
    let mut study = StudyParser::default();
    let mut threads = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('t') | Long("threads") => threads = Some(count(&mut parser, "--threads")?),
            Short('h') | Long("help") => return Ok(Command::Help(SWEEP_HELP)),
            other => study.take(Key::from(other), &mut parser)?,
        }
    }
    Ok(Command::Sweep(SweepArgs {
        study: study.finish("sweep")?,
        threads,
    }))
}

fn parse_scaling(mut parser: lexopt::Parser) -> Result<Command, UsageError> {
    let mut study = StudyParser::default();
    let (mut max_threads, mut weak) = (None, false);
    while let Some(arg) = parser.next()? {
        match arg {
            Long("max-threads") => max_threads = Some(count(&mut parser, "--max-threads")?),
            Long("weak") => weak = true,
            Short('h') | Long("help") => return Ok(Command::Help(SCALING_HELP)),
            other => study.take(Key::from(other), &mut parser)?,
        }
    }
    Ok(Command::Scaling(ScalingArgs {
        study: study.finish("scaling")?,
        max_threads,
        weak,
    }))
}

/// Collects the options `sweep` and `scaling` share.
#[derive(Default)]
struct StudyParser {
    workload: Option<WorkloadKind>,
    strategies: Option<Vec<StrategyKind>>,
    n: Option<usize>,
    quick: bool,
    runs: Option<usize>,
    json: Option<PathBuf>,
    markdown: Option<PathBuf>,
    svg: Option<PathBuf>,
}

/// An argument detached from the parser, so the parser can be borrowed again
/// to read the option's value.
enum Key {
    Flag(String),
    Value(std::ffi::OsString),
}

impl From<lexopt::Arg<'_>> for Key {
    fn from(arg: lexopt::Arg<'_>) -> Self {
        match arg {
            Short(c) => Key::Flag(format!("-{c}")),
            Long(name) => Key::Flag(format!("--{name}")),
            Value(value) => Key::Value(value),
        }
    }
}

impl StudyParser {
    fn take(&mut self, key: Key, parser: &mut lexopt::Parser) -> Result<(), UsageError> {
        let flag = match key {
            Key::Value(name) if self.workload.is_none() => {
                let name = name.into_string().map_err(|name| {
                    UsageError(format!("{} is not valid unicode", name.to_string_lossy()))
                })?;
                self.workload = Some(name.parse().map_err(UsageError)?);
                return Ok(());
            }
            Key::Value(extra) => {
                return Err(UsageError(format!(
                    "unexpected argument {}",
                    extra.to_string_lossy()
                )));
            }
            Key::Flag(flag) => flag,
        };
        match flag.as_str() {
            "-s" | "--strategy" => self.strategies = Some(list_of(parser, "--strategy")?),
            "-n" | "--n" => self.n = Some(count(parser, "--n")?),
            "--quick" => self.quick = true,
            "-r" | "--runs" => self.runs = Some(count(parser, "--runs")?),
            "--json" => self.json = Some(parser.value()?.into()),
            "--markdown" => self.markdown = Some(parser.value()?.into()),
            "--svg" => self.svg = Some(parser.value()?.into()),
            other => return Err(UsageError(format!("invalid option '{other}'"))),
        }
        Ok(())
    }

    fn finish(self, command: &str) -> Result<StudyArgs, UsageError> {
        let workload = self.workload.ok_or_else(|| {
            UsageError(format!(
                "`{command}` needs a workload (one of: {})",
                workload_names()
            ))
        })?;
        let parallel: Vec<StrategyKind> = StrategyKind::ALL
            .into_iter()
            .filter(|&kind| kind != StrategyKind::Serial)
            .collect();
        let strategies = self.strategies.unwrap_or(parallel);
        if strategies == [StrategyKind::Serial] {
            return Err(UsageError(format!(
                "`{command}` compares parallel strategies with serial: name at least one other strategy"
            )));
        }
        Ok(StudyArgs {
            workload,
            strategies: strategies
                .into_iter()
                .filter(|&kind| kind != StrategyKind::Serial)
                .collect(),
            n: self.n,
            quick: self.quick,
            runs: self.runs,
            json: self.json,
            markdown: self.markdown,
            svg: self.svg,
        })
    }
}

fn parse_book(mut parser: lexopt::Parser) -> Result<Command, UsageError> {
    let mut args = crate::book::BookArgs {
        open: false,
        measure: false,
        quick: false,
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Long("open") => args.open = true,
            Long("measure") => args.measure = true,
            Long("quick") => args.quick = true,
            Short('h') | Long("help") => return Ok(Command::Help(BOOK_HELP)),
            other => return Err(other.unexpected().into()),
        }
    }
    if args.quick && !args.measure {
        return Err(UsageError("--quick only applies to --measure".to_owned()));
    }
    Ok(Command::Book(args))
}

fn parse_run(mut parser: lexopt::Parser) -> Result<Command, UsageError> {
    let mut workload = None;
    let mut args = RunArgs {
        workload: WorkloadKind::Squares,
        strategy: StrategyKind::Serial,
        threads: None,
        n: None,
        grain: None,
        input: None,
        out: None,
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Value(name) if workload.is_none() => {
                workload = Some(name.string()?.parse().map_err(UsageError)?);
            }
            Short('s') | Long("strategy") => args.strategy = parsed(&mut parser)?,
            Short('t') | Long("threads") => args.threads = Some(count(&mut parser, "--threads")?),
            Short('n') | Long("n") => args.n = Some(count(&mut parser, "--n")?),
            Short('g') | Long("grain") => args.grain = Some(count(&mut parser, "--grain")?),
            Long("input") => args.input = Some(parser.value()?.into()),
            Long("out") => args.out = Some(parser.value()?.into()),
            Short('h') | Long("help") => return Ok(Command::Help(RUN_HELP)),
            other => return Err(other.unexpected().into()),
        }
    }
    args.workload = workload.ok_or_else(|| {
        UsageError(format!(
            "`run` needs a workload (one of: {})",
            workload_names()
        ))
    })?;
    Ok(Command::Run(args))
}

fn parse_pipeline(mut parser: lexopt::Parser) -> Result<Command, UsageError> {
    let mut args = PipelineArgs {
        workers: [1; STAGES.len()],
        n: None,
        quick: false,
        input: None,
        capacity: None,
        runs: None,
        json: None,
        markdown: None,
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('w') | Long("workers") => {
                args.workers = stage_workers(&parser.value()?.string()?)?;
            }
            Short('n') | Long("n") => args.n = Some(count(&mut parser, "--n")?),
            Long("quick") => args.quick = true,
            Long("input") => args.input = Some(parser.value()?.into()),
            Short('c') | Long("capacity") => {
                args.capacity = Some(count(&mut parser, "--capacity")?);
            }
            Short('r') | Long("runs") => args.runs = Some(count(&mut parser, "--runs")?),
            Long("json") => args.json = Some(parser.value()?.into()),
            Long("markdown") => args.markdown = Some(parser.value()?.into()),
            Short('h') | Long("help") => return Ok(Command::Help(PIPELINE_HELP)),
            other => return Err(other.unexpected().into()),
        }
    }
    if args.input.is_some() && args.n.is_some() {
        return Err(UsageError(
            "--input and --n both set the text: give one of them".to_owned(),
        ));
    }
    Ok(Command::Pipeline(args))
}

/// `--workers`: one count of at least 1 for every stage, in order.
fn stage_workers(value: &str) -> Result<[usize; STAGES.len()], UsageError> {
    let counts: Vec<&str> = value.split(',').collect();
    if counts.len() != STAGES.len() {
        return Err(UsageError(format!(
            "--workers got {} for {} stages: give one count per stage, in order ({}), e.g. --workers {}",
            plural_counts(counts.len()),
            STAGES.len(),
            STAGES.join(","),
            vec!["1"; STAGES.len()].join(",")
        )));
    }
    let mut workers = [0; STAGES.len()];
    for ((slot, count), stage) in workers.iter_mut().zip(counts).zip(STAGES) {
        *slot = parse_count(count, &format!("--workers for stage `{stage}`"))?;
    }
    Ok(workers)
}

fn plural_counts(n: usize) -> String {
    if n == 1 {
        "1 count".to_owned()
    } else {
        format!("{n} counts")
    }
}

pub(crate) fn workload_names() -> String {
    WorkloadKind::ALL.map(WorkloadKind::name).join(", ")
}

/// The option's value parsed with `FromStr`, whose error is already a sentence.
fn parsed<T>(parser: &mut lexopt::Parser) -> Result<T, UsageError>
where
    T: FromStr,
    T::Err: ToString,
{
    let value = parser.value()?.string()?;
    value
        .parse()
        .map_err(|error: T::Err| UsageError(error.to_string()))
}

/// A comma-separated list of names, each parsed with `FromStr`, no duplicates.
fn list_of<T>(parser: &mut lexopt::Parser, option: &str) -> Result<Vec<T>, UsageError>
where
    T: FromStr + PartialEq,
    T::Err: ToString,
{
    let value = parser.value()?.string()?;
    let mut items = Vec::new();
    for name in value.split(',').map(str::trim) {
        if name.is_empty() {
            return Err(UsageError(format!(
                "{option} got an empty name in `{value}`"
            )));
        }
        let item = name
            .parse()
            .map_err(|error: T::Err| UsageError(error.to_string()))?;
        if !items.contains(&item) {
            items.push(item);
        }
    }
    Ok(items)
}

/// A whole number of at least 1.
fn count(parser: &mut lexopt::Parser, option: &str) -> Result<usize, UsageError> {
    let value = parser.value()?.string()?;
    parse_count(&value, option)
}

pub(crate) fn parse_count(value: &str, option: &str) -> Result<usize, UsageError> {
    let value = value.trim();
    match value.replace('_', "").parse::<usize>() {
        Ok(0) => Err(UsageError(format!("{option} must be at least 1, got 0"))),
        Ok(n) => Ok(n),
        Err(_) if value.starts_with('-') => Err(UsageError(format!(
            "{option} must be a positive whole number, got `{value}`"
        ))),
        Err(_) => Err(UsageError(format!(
            "{option} expects a whole number, got `{value}`"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &str) -> Result<Command, UsageError> {
        parse(words.split_whitespace().map(String::from))
    }

    #[test]
    fn counts_reject_zero_negative_and_text() {
        assert_eq!(parse_count("1_000", "--n").unwrap(), 1000);
        for (value, message) in [
            ("0", "--n must be at least 1, got 0"),
            ("-3", "--n must be a positive whole number, got `-3`"),
            ("ten", "--n expects a whole number, got `ten`"),
            ("1.5", "--n expects a whole number, got `1.5`"),
        ] {
            assert_eq!(parse_count(value, "--n").unwrap_err().0, message);
        }
    }

    #[test]
    fn compare_defaults_to_everything() {
        let Command::Compare(args) = parse_words("compare").unwrap() else {
            panic!("not a compare command");
        };
        assert_eq!(args.workloads, WorkloadKind::ALL);
        assert_eq!(args.strategies, StrategyKind::ALL);
        assert!(args.threads.is_none() && args.n.is_none());
    }

    #[test]
    fn compare_filters_parse() {
        let Command::Compare(args) =
            parse_words("compare --workload primes,squares -s rayon --threads 4 --quick").unwrap()
        else {
            panic!("not a compare command");
        };
        assert_eq!(
            args.workloads,
            [WorkloadKind::Primes, WorkloadKind::Squares]
        );
        assert_eq!(args.strategies, [StrategyKind::Rayon]);
        assert_eq!((args.threads, args.size), (Some(4), Size::Quick));
    }

    #[test]
    fn unknown_names_list_the_choices() {
        let error = parse_words("compare --strategy threads").unwrap_err();
        assert!(error.0.contains("threads-dynamic"), "{}", error.0);
        let error = parse_words("compare --workload nope").unwrap_err();
        assert!(error.0.contains("spectral-norm"), "{}", error.0);
        let error = parse_words("frobnicate").unwrap_err();
        assert!(
            error
                .0
                .contains("compare, sweep, scaling, run, pipeline, book, list"),
            "{}",
            error.0
        );
    }

    #[test]
    fn studies_take_parallel_strategies_only() {
        let Command::Sweep(args) =
            parse_words("sweep squares -s serial,rayon --svg out.svg").unwrap()
        else {
            panic!("not a sweep command");
        };
        assert_eq!(args.study.strategies, [StrategyKind::Rayon]);
        assert!(args.study.svg.is_some());
        let error = parse_words("scaling primes -s serial").unwrap_err();
        assert!(
            error.0.contains("at least one other strategy"),
            "{}",
            error.0
        );
        let error = parse_words("scaling --weak").unwrap_err();
        assert!(
            error.0.starts_with("`scaling` needs a workload"),
            "{}",
            error.0
        );
        let Command::Scaling(args) =
            parse_words("scaling latency --weak --max-threads 64").unwrap()
        else {
            panic!("not a scaling command");
        };
        assert_eq!(
            (args.weak, args.max_threads, args.study.workload),
            (true, Some(64), WorkloadKind::Latency)
        );
    }

    #[test]
    fn pipeline_takes_one_worker_count_per_stage() {
        let Command::Pipeline(args) = parse_words("pipeline").unwrap() else {
            panic!("not a pipeline command");
        };
        assert_eq!(args.workers, [1, 1]);
        assert!(args.capacity.is_none() && args.n.is_none() && !args.quick);
        let Command::Pipeline(args) =
            parse_words("pipeline --workers 2,1 --capacity 3 --quick -r 7 --markdown p.md")
                .unwrap()
        else {
            panic!("not a pipeline command");
        };
        assert_eq!(
            (args.workers, args.capacity, args.quick, args.runs),
            ([2, 1], Some(3), true, Some(7))
        );
        assert!(args.markdown.is_some() && args.json.is_none());
        assert!(matches!(
            parse_words("help pipeline").unwrap(),
            Command::Help(text) if text == PIPELINE_HELP
        ));
        assert!(matches!(
            parse_words("pipeline --help").unwrap(),
            Command::Help(text) if text == PIPELINE_HELP
        ));
    }

    #[test]
    fn pipeline_rejects_zero_workers_and_the_wrong_number_of_stages() {
        for (words, message) in [
            (
                "pipeline --workers 1,0",
                "--workers for stage `count` must be at least 1, got 0",
            ),
            (
                "pipeline -w 0,2",
                "--workers for stage `tokenise` must be at least 1, got 0",
            ),
            (
                "pipeline --workers 1,2,1",
                "--workers got 3 counts for 2 stages: give one count per stage, in order (tokenise,count), e.g. --workers 1,1",
            ),
            (
                "pipeline --workers 2",
                "--workers got 1 count for 2 stages: give one count per stage, in order (tokenise,count), e.g. --workers 1,1",
            ),
            (
                "pipeline --workers 1,x",
                "--workers for stage `count` expects a whole number, got `x`",
            ),
            (
                "pipeline --capacity 0",
                "--capacity must be at least 1, got 0",
            ),
            (
                "pipeline --input words.txt --n 10",
                "--input and --n both set the text: give one of them",
            ),
        ] {
            assert_eq!(parse_words(words).unwrap_err().0, message, "{words}");
        }
    }

    #[test]
    fn run_needs_a_workload() {
        let error = parse_words("run --strategy rayon").unwrap_err();
        assert!(error.0.starts_with("`run` needs a workload"), "{}", error.0);
        let Command::Run(args) = parse_words("run primes -s rayon -n 100").unwrap() else {
            panic!("not a run command");
        };
        assert_eq!(
            (args.workload, args.strategy, args.n),
            (WorkloadKind::Primes, StrategyKind::Rayon, Some(100))
        );
    }
}
