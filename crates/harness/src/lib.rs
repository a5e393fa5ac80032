//! The harness: measure any [`Workload`] under every strategy, verified,
//! and report it as a table, Markdown, JSON or SVG.
//!
//! # The design decision: verify everything, then time it, for any job
//!
//! A timing of a wrong answer is worse than no timing, so nothing here shows
//! a number before the result it belongs to was checked: every run — the
//! warm-up and each timed one — is compared with the workload's serial
//! reference outside the timed region, and the first difference stops the
//! command with a [`Failure::WrongResult`]. A number without its machine is not a result
//! either, so every table is headed by the [`Machine`] it was measured on.
//!
//! The harness knows nothing about the jobs it measures beyond the
//! [`Workload`] trait. Workloads of different types sit in one [`Registry`],
//! each erased once at registration; a run is one dynamic call into code
//! that was monomorphised for the workload and the strategy, so the
//! per-element work is exactly what a hand-written loop would run. The
//! project's own seven workloads are registered the same way a user's are.
//!
//! # Measure your own loop
//!
//! Implement [`Workload`] for your job, then hand it to [`main`] from an
//! example or a `[[bench]]` target with `harness = false`:
//!
//! ```no_run
//! # use ps_strategy::Strategy;
//! # use ps_workload::{Sizes, Workload};
//! # struct Cubes;
//! # impl Workload for Cubes {
//! #     type Input = Vec<u64>;
//! #     type Output = Vec<u64>;
//! #     fn name(&self) -> &str { "cubes" }
//! #     fn summary(&self) -> &str { "x³ for every x below n" }
//! #     fn n_means(&self) -> &str { "numbers to cube" }
//! #     fn sizes(&self) -> Sizes { Sizes { quick: 1_000, default: 1_000_000, large: 10_000_000 } }
//! #     fn grain(&self, _n: usize) -> usize { 16_384 }
//! #     fn prepare(&self, n: usize) -> Vec<u64> { (0..n as u64).collect() }
//! #     fn run<S: Strategy>(&self, s: &S, input: &Vec<u64>) -> Vec<u64> { s.map(input, |&x| x * x * x) }
//! #     fn run_serial(&self, input: &Vec<u64>) -> Vec<u64> { input.iter().map(|&x| x * x * x).collect() }
//! # }
//! fn main() -> std::process::ExitCode {
//!     ps_harness::main(|registry| {
//!         registry.add(Cubes);
//!     })
//! }
//! ```
//!
//! `cargo bench --bench NAME` then runs `compare` on it, and every command
//! takes the same flags as `cargo xtask`: `cargo bench --bench NAME --
//! sweep cubes --svg sweep.svg`, `-- compare --quick --json new.json
//! --baseline old.json`, `-- list`.
//!
//! Exit codes: 0 on success; 1 when a result fails verification, measured
//! code panics or a file cannot be written; 2 for a mistake on the command
//! line or a size that cannot run; 3 when the system refuses a resource
//! (threads, memory). The message is always one line.
#![deny(missing_docs)]
#![deny(unsafe_code)]

// The modules, grouped by what they are; each group's modules are named at
// the root too, so a path says what a thing is (`crate::measure::Timing`).
mod cli;
mod commands;
mod failure;
mod machine;
mod measuring;
mod output;
mod registry;

use commands::{advise, compare, diff, list, processes, run, scaling, sweep, trace};
use machine::{memory, roofline};
use measuring::{fit, load, measure, memory_state, refusal, timed, verdict};
use output::{chart, details, emit, pipe, progress, record, table};
pub use ps_bandwidth as bandwidth;

use std::path::Path;
use std::process::ExitCode;

pub use advise::{
    Advice, Cap, Decision, Overhead, Recommendation, SizePoint, SizeSearch, Versus, WORTH_IT,
    advise, sentences,
};
pub use cli::{
    AdviseArgs, Cli, Command, CompareArgs, DiffArgs, Grain, InputFile, OutputArgs, RunArgs,
    ScalingArgs, StudyArgs, SweepArgs, Threads, TraceArgs, parse,
};
pub use compare::{Compared, ComparedCell, Section, compare, measure as measure_compare};
pub use details::{CrossoverRecord, DetailRecord, FitRecord};
pub use diff::{Change, Diff};
pub use emit::{Emit, Outputs};
pub use failure::Failure;
pub use list::list;
pub use load::{
    Load, LoadWatch, count_as_own, load_since_first_measurement, parse_proc_stat, parse_self_stat,
};
pub use machine::require_optimised;
pub use machine::{Machine, optimised};
pub use measure::{
    Budget, MAX_BATCH, Timing, human, human_seconds, measure, measure_rotation, timed_batch,
};
pub use memory::physical_memory;
pub use memory_state::{
    FirstTouch, MEMORY_POLICY_VAR, MemoryPolicy, minor_page_faults, reuse_freed_memory,
};
pub use pipe::quiet_broken_pipes;
pub use processes::{
    AGREEMENT_LONG, AGREEMENT_SHORT, Agreement, LONG_CELL_S, agreement, compare_in_processes,
};
pub use ps_catalog::{AnyStrategy, StrategyInfo, StrategyKind};
pub use ps_strategy::{
    BoxedStrategy, Chunks, Config, ConfigError, Strategy, conformance, conformance_tests,
    run_on_threads,
};
pub use ps_workload::{
    Mismatch, Size, Sizes, Tolerance, Traffic, Verify, Workload, WorkloadVisitor,
};
pub use record::{Cell, CellKey, Report, SCHEMA_VERSION, TimingRecord};
pub use registry::{Entry, Prepared, Registry};
pub use roofline::{Ceilings, Roofline};
pub use run::run;
pub use scaling::scaling;
pub use sweep::sweep;
pub use table::{Table, measured_on, plural};
pub use timed::{DEFAULT_RUNS, MIN_SAMPLE, QUICK_RUNS, check_writable, read_input, write_file};
pub use trace::{CallTrace, Lane, TaskSpan, Timeline, TraceLog, Traced, timelines_svg, trace};
pub use verdict::{
    CONFIDENCE, Comparison, MIN_VERDICT_RUNS, Pairing, TIE_WITHIN, VERDICT_RULE, Verdict,
};

/// Runs one parsed [`Command`] against `registry`.
///
/// # Errors
///
/// The command's [`Failure`].
pub fn execute(command: &Command, registry: &Registry) -> Result<(), Failure> {
    match command {
        Command::Compare(args) => compare(args, registry),
        Command::Sweep(args) => sweep(args, registry),
        Command::Scaling(args) => scaling(args, registry),
        Command::Advise(args) => advise(args, registry),
        Command::Trace(args) => trace(args, registry),
        Command::Run(args) => run(args, registry),
        Command::Diff(args) => diff_files(args),
        Command::List => {
            list(registry);
            Ok(())
        }
    }
}

/// The whole harness as a program's `main`: registers workloads with
/// `register`, parses the command line (no command means `compare`), runs
/// it, and turns the outcome into an exit code with a one-line message.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     ps_harness::main(|registry| ps_workloads::visit_all(registry))
/// }
/// ```
pub fn main(register: impl FnOnce(&mut Registry)) -> ExitCode {
    quiet_broken_pipes();
    quiet_panics();
    let mut registry = Registry::new();
    register(&mut registry);
    let program = std::env::args()
        .next()
        .unwrap_or_else(|| "harness".to_owned());
    let outcome = parse::<Cli>(&program, std::env::args_os().skip(1), Some("compare"))
        .and_then(|cli| cli.map_or(Ok(()), |cli| execute(&cli.command, &registry)));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// Replaces the panic hook with one that prints one line — where, and the
/// message — instead of a backtrace note: the harness reports panics in
/// measured code itself, as failures naming the workload and strategy.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        if refusal::is_refusal(info.payload()) {
            return;
        }
        let location = info
            .location()
            .map_or_else(String::new, |location| format!(" at {location}"));
        eprintln!(
            "panic{location}: {}",
            refusal::panic_message(info.payload())
        );
    }));
}

/// `diff OLD NEW`: prints the two reports' cells side by side.
///
/// # Errors
///
/// [`Failure::Io`] if either file cannot be read, [`Failure::Invalid`] if
/// it is not a report.
pub fn diff_files(args: &DiffArgs) -> Result<(), Failure> {
    let old = read_report(&args.old)?;
    let new = read_report(&args.new)?;
    let diff = Diff::between(&old, &new);
    println!(
        "old: {} ({}), measured on {}",
        args.old.display(),
        old.command,
        old.machine
    );
    println!(
        "new: {} ({}), measured on {}\n",
        args.new.display(),
        new.command,
        new.machine
    );
    print!("{}", diff.table(&old).to_text());
    for (label, cells) in [
        ("only in old", &diff.only_old),
        ("only in new", &diff.only_new),
    ] {
        if !cells.is_empty() {
            println!("\n{label}: {} cells", cells.len());
        }
    }
    println!("\n{VERDICT_RULE}");
    Ok(())
}

/// Reads a `--json` report.
pub(crate) fn read_report(path: &Path) -> Result<Report, Failure> {
    let text = std::fs::read_to_string(path).map_err(|error| Failure::io(path, "read", error))?;
    Report::from_json(&text)
        .map_err(|reason| Failure::Invalid(format!("{}: {reason}", path.display())))
}
