//! What every measuring command shares: run budgets, the serial baseline,
//! verified timing of one strategy, the progress bar and file output.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::{Config, Strategy};
use ps_workloads::{Output, Prepared};

use crate::Failure;
use crate::measure::{Budget, Timing, measure};

/// How many runs to make per measurement.
pub(crate) fn budget(quick: bool, runs: Option<usize>) -> Budget {
    let min_runs = runs.unwrap_or(if quick { 3 } else { 5 });
    Budget {
        min_runs,
        max_runs: min_runs.max(if quick { 20 } else { 50 }),
        target: Duration::from_millis(if quick { 100 } else { 300 }),
    }
}

/// The strategies to measure: the ones asked for, with serial always first,
/// since every speedup is measured against it.
pub(crate) fn with_baseline(strategies: &[StrategyKind]) -> Vec<StrategyKind> {
    let mut all = vec![StrategyKind::Serial];
    all.extend(
        strategies
            .iter()
            .filter(|&&kind| kind != StrategyKind::Serial),
    );
    all
}

/// A thread count and grain, validated.
pub(crate) fn config(threads: usize, grain: usize) -> Result<Config, Failure> {
    Config::new(threads, grain).map_err(|error| Failure::Usage(error.to_string()))
}

/// One strategy's verified timing on one prepared input.
#[derive(Debug)]
pub(crate) struct Measured {
    pub(crate) timing: Timing,
    /// The threads the strategy actually ran on (1 for serial).
    pub(crate) threads: usize,
}

/// Builds `kind` with `config` and times it on `prepared`, checking every
/// run — the warm-up included — against `reference`.
pub(crate) fn time_strategy(
    prepared: &Prepared,
    reference: &Output,
    kind: StrategyKind,
    config: Config,
    budget: Budget,
) -> Result<Measured, Failure> {
    let strategy =
        AnyStrategy::build(kind, config).map_err(|error| Failure::Failed(error.to_string()))?;
    let timing = measure(
        budget,
        || run_caught(prepared, &strategy),
        |output| match output {
            Err(message) => Err(Failure::Failed(message.clone())),
            Ok(output) => output.verify(reference).map_err(|mismatch| {
                Failure::Failed(format!(
                    "verification failed: {} (n = {}) under {} with {}: {mismatch}",
                    prepared.kind().name(),
                    prepared.n(),
                    kind.name(),
                    plural(strategy.threads(), "thread")
                ))
            }),
        },
    )?;
    Ok(Measured {
        timing,
        threads: strategy.threads(),
    })
}

/// Runs `prepared` under `strategy`, turning a panic — a bug in a strategy
/// or a workload, never the user's — into a message naming both.
pub(crate) fn run_caught(prepared: &Prepared, strategy: &AnyStrategy) -> Result<Output, String> {
    panic::catch_unwind(AssertUnwindSafe(|| prepared.run(strategy))).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        format!(
            "{} (n = {}) under {} with {} panicked: {message}",
            prepared.kind().name(),
            prepared.n(),
            strategy.name(),
            plural(strategy.threads(), "thread")
        )
    })
}

/// Serial median over `timing`'s median.
pub(crate) fn speedup(serial: &Timing, timing: &Timing) -> f64 {
    serial.median().as_secs_f64() / timing.median().as_secs_f64()
}

/// A progress bar on stderr, hidden automatically when stderr is not a terminal.
pub(crate) fn progress_bar(steps: u64, unit: &str) -> ProgressBar {
    let progress = ProgressBar::new(steps);
    progress.set_style(
        ProgressStyle::with_template(&format!("{{bar:30}} {{pos}}/{{len}} {unit}  {{msg}}"))
            .expect("the template is valid"),
    );
    progress
}

/// `1 thread`, `2 threads`, `1 strategy`, `5 strategies`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    match (count, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{count} {stem}ies"),
        (_, None) => format!("{count} {noun}s"),
    }
}

pub(crate) fn read_input(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|error| Failure::Usage(format!("cannot read --input {}: {error}", path.display())))
}

/// Writes `contents` to `path`, creating its folder, and says so on stderr.
pub(crate) fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), Failure> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|error| {
            Failure::Failed(format!("cannot create {}: {error}", parent.display()))
        })?;
    }
    std::fs::write(path, contents)
        .map_err(|error| Failure::Failed(format!("cannot write {}: {error}", path.display())))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// `n` with a workload-valid size check, as a usage error.
pub(crate) fn checked_n(workload: ps_workloads::WorkloadKind, n: usize) -> Result<usize, Failure> {
    workload
        .validate_n(n)
        .map_err(|reason| Failure::Usage(format!("--n for {}: {reason}", workload.name())))?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "thread"), "1 thread");
        assert_eq!(plural(2, "thread"), "2 threads");
        assert_eq!(plural(5, "strategy"), "5 strategies");
    }

    #[test]
    fn serial_always_comes_first_once() {
        use StrategyKind::{Rayon, Serial};
        assert_eq!(with_baseline(&[Rayon, Serial]), [Serial, Rayon]);
    }
}
