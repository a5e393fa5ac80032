//! The command line, declared once with clap's derive: the same flags for
//! `cargo xtask` and for a user's own bench target.
//!
//! Every default shown in `--help` is read from the constant that owns it.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use ps_catalog::StrategyKind;
use ps_workload::Size;

use crate::Failure;
use crate::registry::Registry;
use crate::timed::{DEFAULT_RUNS, QUICK_RUNS};

/// A count of at least one.
fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

fn runs_help() -> String {
    format!(
        "Timed samples per cell, after one warm-up, taken in rotation with the other strategies [default: {DEFAULT_RUNS}, quick {QUICK_RUNS}]"
    )
}

fn strategies_help() -> String {
    let names: Vec<&str> = StrategyKind::ALL.iter().map(|kind| kind.name()).collect();
    format!(
        "Strategies, comma-separated, from: {} and any the program registers (see `list`) [default: all]",
        names.join(", ")
    )
}

/// `-t/--threads`: the worker threads a command's strategies run on,
/// declared once for every command that takes it.
///
/// ```
/// use clap::Parser;
///
/// #[derive(Parser)]
/// struct Line {
///     #[command(flatten)]
///     threads: ps_harness::Threads,
/// }
///
/// let line = Line::parse_from(["x", "-t", "3"]);
/// assert_eq!(line.threads.or_available(), 3);
/// assert_eq!(Line::parse_from(["x"]).threads.count, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Args)]
pub struct Threads {
    /// Worker threads [default: the machine's logical cores]
    #[arg(id = "threads", short = 't', long = "threads", value_name = "N", value_parser = positive)]
    pub count: Option<usize>,
}

impl Threads {
    /// The count asked for, or the threads this machine offers the process
    /// ([`available_threads`](ps_strategy::available_threads), which the
    /// report's machine line counts as its logical cores too).
    #[must_use]
    pub fn or_available(self) -> usize {
        self.count.unwrap_or_else(ps_strategy::available_threads)
    }
}

/// `-g/--grain`: elements per unit of work, declared once.
///
/// ```
/// use clap::Parser;
///
/// #[derive(Parser)]
/// struct Line {
///     #[command(flatten)]
///     grain: ps_harness::Grain,
/// }
///
/// assert_eq!(Line::parse_from(["x", "-g", "64"]).grain.elements, Some(64));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Args)]
pub struct Grain {
    /// Elements per unit of work [default: the workload's]
    #[arg(id = "grain", short = 'g', long = "grain", value_name = "N", value_parser = positive)]
    pub elements: Option<usize>,
}

impl Grain {
    /// The grain asked for, or `workload`'s at size `n`.
    #[must_use]
    pub fn or_workload(self, workload: &dyn crate::Entry, n: usize) -> usize {
        self.elements.unwrap_or_else(|| workload.grain(n))
    }
}

/// `--input FILE`: a text for the workloads that read one, declared once.
///
/// ```
/// use clap::Parser;
///
/// #[derive(Parser)]
/// struct Line {
///     #[command(flatten)]
///     input: ps_harness::InputFile,
/// }
///
/// let line = Line::parse_from(["x", "--input", "words.txt"]);
/// assert_eq!(line.input.path.unwrap().to_str(), Some("words.txt"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct InputFile {
    /// Read the input from FILE, for workloads that read one (word-count)
    #[arg(id = "input", long = "input", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

/// What to put in a file besides the terminal table.
#[derive(Debug, Clone, Default, Args)]
pub struct OutputArgs {
    /// Also write the results as a JSON report (one schema for every command)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Also write the tables as Markdown
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Also draw the results as an SVG chart
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

impl OutputArgs {
    /// Checks that every file asked for can be written, before measuring.
    ///
    /// # Errors
    ///
    /// As [`check_writable`](crate::check_writable), for the first that
    /// cannot.
    pub fn check(&self) -> Result<(), crate::Failure> {
        [&self.json, &self.markdown, &self.svg]
            .into_iter()
            .flatten()
            .try_for_each(|path| crate::check_writable(path))
    }
}

/// `compare`: every workload under every strategy.
#[derive(Debug, Clone, Default, Args)]
pub struct CompareArgs {
    /// Workloads to run, comma-separated [default: all]
    #[arg(
        short = 'w',
        long = "workload",
        value_name = "NAMES",
        value_delimiter = ','
    )]
    pub workloads: Vec<String>,
    #[arg(short = 's', long = "strategy", value_name = "NAMES", value_delimiter = ',', help = strategies_help())]
    /// Strategies to run (empty: all), looked up in the registry.
    pub strategies: Vec<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub threads: Threads,
    /// Kernels to run, comma-separated, for workloads that have several
    /// (`scalar,simd`) [default: each workload's first]
    #[arg(
        short = 'k',
        long = "kernel",
        value_name = "NAMES",
        value_delimiter = ','
    )]
    pub kernels: Vec<String>,
    /// Input sizes: quick, default or large
    #[arg(long, value_name = "SIZE", default_value_t = Size::Default)]
    pub size: Size,
    /// Same as --size quick
    #[arg(long, conflicts_with_all = ["size", "large"])]
    pub quick: bool,
    /// Same as --size large
    #[arg(long, conflicts_with = "size")]
    pub large: bool,
    /// Input size for every workload, instead of --size
    #[arg(short = 'n', long = "n", value_name = "N", value_parser = positive)]
    pub n: Option<usize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub grain: Grain,
    #[arg(short = 'r', long, value_name = "N", value_parser = positive, help = runs_help())]
    /// Timed runs per cell.
    pub runs: Option<usize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputFile,
    /// Compare with an earlier `--json` report: new/old and a verdict per cell
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Run this compare in N separate processes and show how far each
    /// cell's medians agree across them (max/min)
    #[arg(long, value_name = "N", value_parser = positive, conflicts_with = "baseline")]
    pub processes: Option<usize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,
}

impl CompareArgs {
    /// The size `--size`, `--quick` or `--large` asked for.
    #[must_use]
    pub fn size(&self) -> Size {
        if self.quick {
            Size::Quick
        } else if self.large {
            Size::Large
        } else {
            self.size
        }
    }

    /// The strategies asked for, or every strategy `registry` has.
    ///
    /// # Errors
    ///
    /// A usage error for a name the registry does not have.
    pub fn strategies(&self, registry: &Registry) -> Result<Vec<StrategyKind>, Failure> {
        registry.select_strategies(&self.strategies)
    }
}

/// What `sweep` and `scaling` share.
#[derive(Debug, Clone, Args)]
pub struct StudyArgs {
    /// The workload to study
    #[arg(value_name = "WORKLOAD")]
    pub workload: String,
    #[arg(short = 's', long = "strategy", value_name = "NAMES", value_delimiter = ',', help = strategies_help())]
    /// Parallel strategies (empty: every parallel one), looked up in the
    /// registry.
    pub strategies: Vec<String>,
    /// Input size [default: the workload's default size]
    #[arg(short = 'n', long = "n", value_name = "N", value_parser = positive)]
    pub n: Option<usize>,
    /// Smaller sizes, coarser ladders, fewer runs
    #[arg(long)]
    pub quick: bool,
    /// The kernel to run, for workloads that have several (`simd`)
    /// [default: the workload's first]
    #[arg(short = 'k', long, value_name = "NAME")]
    pub kernel: Option<String>,
    #[arg(short = 'r', long, value_name = "N", value_parser = positive, help = runs_help())]
    /// Timed runs per point.
    pub runs: Option<usize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,
}

impl StudyArgs {
    /// The kernel asked for, checked against `workload`'s, or its default.
    ///
    /// # Errors
    ///
    /// A usage failure naming the kernels `workload` has.
    pub fn kernel_of(&self, workload: &dyn crate::Entry) -> Result<&'static str, Failure> {
        workload.kernel_named(self.kernel.as_deref())
    }

    /// The size asked for with `-n`, or `workload`'s quick or default size,
    /// checked.
    ///
    /// # Errors
    ///
    /// A usage failure if `workload` cannot run at that size.
    pub fn n_of(&self, workload: &dyn crate::Entry) -> Result<usize, Failure> {
        let sizes = workload.sizes();
        let n = self.n.unwrap_or(if self.quick {
            sizes.quick
        } else {
            sizes.default
        });
        workload.check_n(n)?;
        Ok(n)
    }

    /// The parallel strategies asked for, or every parallel strategy
    /// `registry` has.
    ///
    /// # Errors
    ///
    /// A usage error for a name the registry does not have.
    pub fn strategies(&self, registry: &Registry) -> Result<Vec<StrategyKind>, Failure> {
        let mut chosen = registry.select_strategies(&self.strategies)?;
        chosen.retain(|&kind| kind != StrategyKind::SERIAL);
        Ok(chosen)
    }
}

/// `sweep`: time against grain, and the crossover size.
#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub study: StudyArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub threads: Threads,
}

/// `scaling`: speedup against threads, with a fit.
#[derive(Debug, Clone, Args)]
pub struct ScalingArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub study: StudyArgs,
    /// Largest thread count [default: twice the logical cores]
    #[arg(long, value_name = "N", value_parser = positive)]
    pub max_threads: Option<usize>,
    /// Weak scaling: the input grows with the threads
    #[arg(long)]
    pub weak: bool,
}

/// `advise`: which strategy to use, in a few sentences, from numbers.
#[derive(Debug, Clone, Args)]
pub struct AdviseArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub study: StudyArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub threads: Threads,
}

/// `trace`: every task of one run on a timeline, per strategy.
#[derive(Debug, Clone, Args)]
pub struct TraceArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub study: StudyArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub threads: Threads,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub grain: Grain,
}

/// `run`: one run and its result.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// The workload to run
    #[arg(value_name = "WORKLOAD")]
    pub workload: String,
    /// Strategy
    #[arg(short = 's', long, value_name = "NAME", default_value_t = StrategyKind::SERIAL.name().to_owned())]
    pub strategy: String,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub threads: Threads,
    /// Input size [default: the workload's default size]
    #[arg(short = 'n', long = "n", value_name = "N", value_parser = positive)]
    pub n: Option<usize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub grain: Grain,
    /// The kernel to run, for workloads that have several (`simd`)
    /// [default: the workload's first]
    #[arg(short = 'k', long, value_name = "NAME")]
    pub kernel: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputFile,
    /// Write the result to FILE in the workload's own format (the PBM image
    /// for mandelbrot, little-endian u64 for squares, "word, tab, count" lines
    /// for word-count, the result line for the others)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `diff`: two reports, cell by cell.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The earlier `--json` report
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later `--json` report
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
}

/// The commands every harness binary has.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run every workload under every strategy, verify each result against
    /// serial, and report time, speedup and efficiency
    Compare(CompareArgs),
    /// Time a workload across grains and input sizes: the best grain and the
    /// crossover size n* where each strategy beats serial
    Sweep(SweepArgs),
    /// Time a workload from 1 to twice the logical cores: speedup,
    /// efficiency and a fit of Amdahl's (or Gustafson's) law
    Scaling(ScalingArgs),
    /// Advise which strategy to use for a workload, in a few sentences:
    /// the speedup with its interval, ties, the crossover size, the cost per
    /// call and the memory ceiling
    Advise(AdviseArgs),
    /// Trace one run of a workload under each strategy: every task on its
    /// thread's lane (--svg draws the timelines), busy and idle time per
    /// thread, and what tracing cost
    Trace(TraceArgs),
    /// Run one workload once and print its result
    Run(RunArgs),
    /// Compare two --json reports: new/old per cell and a noise-aware verdict
    Diff(DiffArgs),
    /// List the workloads and the strategies
    List,
}

/// A harness binary's command line: a [`Command`], `compare` when none is
/// given (so `cargo bench --bench NAME` compares).
#[derive(Debug, Parser)]
#[command(
    about = "Run, verify and time workloads under every parallel strategy",
    after_help = "Timings come only from optimised builds; `cargo bench` and `cargo xtask` build them."
)]
pub struct Cli {
    #[command(subcommand)]
    #[allow(missing_docs)]
    pub command: Command,
}

/// Parses a command line the way every harness binary does: `--bench`
/// (which `cargo bench` adds) is dropped, a line that starts with an option
/// or is empty runs `default` if one is given, and a mistake is one line.
///
/// # Errors
///
/// `Ok(None)` after help was printed; a usage [`Failure`] for a mistake.
pub fn parse<P: Parser>(
    program: &str,
    args: impl IntoIterator<Item = OsString>,
    default: Option<&str>,
) -> Result<Option<P>, Failure> {
    let mut args: Vec<OsString> = args.into_iter().filter(|arg| arg != "--bench").collect();
    let first = args.first().and_then(|arg| arg.to_str()).unwrap_or("-");
    let names_a_command =
        !first.starts_with('-') || ["-h", "--help", "-V", "--version"].contains(&first);
    if let Some(default) = default.filter(|_| !names_a_command) {
        args.insert(0, default.into());
    }
    args.insert(0, program.into());
    match P::try_parse_from(args) {
        Ok(parsed) => Ok(Some(parsed)),
        Err(error)
            if matches!(
                error.kind(),
                clap::error::ErrorKind::DisplayHelp
                    | clap::error::ErrorKind::DisplayVersion
                    | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            print!("{error}");
            Ok(None)
        }
        Err(error) => Err(Failure::Usage(one_line(&error.to_string()))),
    }
}

/// clap's message without its `error: ` prefix, usage block and tip.
fn one_line(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_cli(args: &[&str]) -> Result<Option<Cli>, Failure> {
        parse("harness", args.iter().map(OsString::from), Some("compare"))
    }

    #[test]
    fn no_command_means_compare_and_bench_is_ignored() {
        let cli = parse_cli(&["--bench", "--quick", "-s", "rayon"])
            .unwrap()
            .unwrap();
        let Command::Compare(args) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert!(args.quick);
        assert_eq!(
            args.strategies(&Registry::new()).unwrap(),
            [StrategyKind::RAYON]
        );
    }

    #[test]
    fn mistakes_are_one_line_usage_errors() {
        for args in [
            &["compare", "-t", "0"][..],
            &["compare", "--frobnicate"],
            &["sweep"],
        ] {
            let failure = parse_cli(args).unwrap_err();
            assert_eq!(failure.exit_code(), 2, "{args:?}");
            assert!(!failure.to_string().contains('\n'), "{args:?}: {failure}");
        }
        // Strategy names are looked up in the program's registry, which
        // may hold strategies of its own, once the line is parsed.
        let cli = parse_cli(&["compare", "-s", "nope"]).unwrap().unwrap();
        let Command::Compare(args) = cli.command else {
            panic!("{:?}", cli.command)
        };
        let failure = args.strategies(&Registry::new()).unwrap_err();
        assert_eq!(failure.exit_code(), 2);
        assert!(
            failure.to_string().starts_with("unknown strategy `nope`"),
            "{failure}"
        );
        let failure = parse_cli(&["compare", "-t", "zero"]).unwrap_err();
        assert!(
            failure.to_string().contains("not a whole number"),
            "{failure}"
        );
    }

    #[test]
    fn help_shows_defaults_from_their_constants() {
        use clap::CommandFactory;
        let help = Cli::command()
            .find_subcommand_mut("compare")
            .unwrap()
            .render_help()
            .to_string();
        assert!(
            help.contains(&format!("[default: {DEFAULT_RUNS}, quick {QUICK_RUNS}]")),
            "{help}"
        );
        assert!(help.contains("threads-dynamic"), "{help}");
    }
}
