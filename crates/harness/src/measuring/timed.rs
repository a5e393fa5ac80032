//! What every measuring command shares: run budgets, the serial baseline,
//! verified timing of one strategy and file output.

use std::path::Path;
use std::time::Duration;

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::{Config, Strategy};

use crate::measure::{Budget, Timing, measure_rotation};
use crate::registry::Prepared;
use crate::{Comparison, Failure};

/// Rotations — timed samples per cell — after the warm-up, unless `--runs`
/// says otherwise: nine, the fewest whose 95% interval leaves out the most
/// extreme rotation on each side (see [`Comparison`]), so that one
/// disturbed rotation cannot turn a verdict; six
/// ([`MIN_VERDICT_RUNS`](crate::MIN_VERDICT_RUNS)) would give an interval
/// but spend it on the extremes.
pub const DEFAULT_RUNS: usize = 9;
/// Rotations with `--quick`: as many, since the verdicts need them and quick
/// sizes are cheap.
pub const QUICK_RUNS: usize = DEFAULT_RUNS;

/// The shortest timed sample: runs shorter than this are timed in batches
/// (see [`measure`](crate::measure())).
pub const MIN_SAMPLE: Duration = Duration::from_millis(2);

/// How many runs to make per measurement.
pub(crate) fn budget(quick: bool, runs: Option<usize>) -> Budget {
    let min_runs = runs.unwrap_or(if quick { QUICK_RUNS } else { DEFAULT_RUNS });
    Budget {
        min_runs,
        max_runs: min_runs.max(if quick { 20 } else { 50 }),
        target: Duration::from_millis(if quick { 100 } else { 300 }),
        min_sample: MIN_SAMPLE,
    }
}

/// The strategies to measure: the ones asked for, with serial always first,
/// since every speedup is measured against it.
pub(crate) fn with_baseline(strategies: &[StrategyKind]) -> Vec<StrategyKind> {
    let mut all = vec![StrategyKind::SERIAL];
    all.extend(
        strategies
            .iter()
            .filter(|&&kind| kind != StrategyKind::SERIAL),
    );
    all
}

/// A thread count and grain, validated.
pub(crate) fn config(threads: usize, grain: usize) -> Result<Config, Failure> {
    Config::new(threads, grain).map_err(|error| Failure::Usage(error.to_string()))
}

/// One strategy's verified timing on one prepared input.
#[derive(Debug)]
pub(crate) struct VerifiedTiming {
    pub(crate) timing: Timing,
    /// The threads the strategy actually ran on (1 for serial).
    pub(crate) threads: usize,
}

/// One entry of a rotation: a strategy, how to build it, and the input it
/// runs on.
pub(crate) struct Contender<'a> {
    pub(crate) prepared: &'a dyn Prepared,
    pub(crate) kind: StrategyKind,
    pub(crate) config: Config,
}

/// Builds every contender's strategy, then times them all in rotation (see
/// [`measure_rotation`]), checking every run — the warm-ups included —
/// against its input's reference. The results are in the contenders' order.
pub(crate) fn time_rotation(
    contenders: &[Contender<'_>],
    budget: Budget,
) -> Result<Vec<VerifiedTiming>, Failure> {
    let strategies = contenders
        .iter()
        .map(|c| AnyStrategy::build(c.kind, c.config).map_err(crate::refusal::from_config))
        .collect::<Result<Vec<_>, _>>()?;
    let timings = measure_rotation(budget, contenders.len(), |index, runs| {
        contenders[index].prepared.sample(&strategies[index], runs)
    })?;
    Ok(timings
        .into_iter()
        .zip(&strategies)
        .map(|(timing, strategy)| VerifiedTiming {
            timing,
            threads: strategy.threads(),
        })
        .collect())
}

/// What `timing` says against serial's, sampled in the same rotations.
pub(crate) fn against_serial(serial: &Timing, timing: &Timing) -> Comparison {
    Comparison::paired(serial, timing)
}

/// Serial median over `timing`'s median.
pub(crate) fn speedup(serial: &Timing, timing: &Timing) -> f64 {
    serial.median().as_secs_f64() / timing.median().as_secs_f64()
}

/// Reads a text file named on the command line.
///
/// # Errors
///
/// [`Failure::Io`] naming the file, with the operating system's reason.
pub fn read_input(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|error| Failure::io(path, "read the --input file", error))
}

/// Fails at once if `path` cannot be written — before a measurement that
/// may take minutes, not after it. Creates the folder as
/// [`write_file`] would; a file that was not there is not left behind.
///
/// ```
/// let path = std::env::temp_dir().join("ps-harness-check-writable.json");
/// ps_harness::check_writable(&path)?;
/// assert!(!path.exists());
/// assert!(ps_harness::check_writable(std::path::Path::new("/proc/no/such.json")).is_err());
/// # Ok::<(), ps_harness::Failure>(())
/// ```
///
/// # Errors
///
/// [`Failure::Io`] naming the file, or the folder that could not be
/// created, with the operating system's reason.
pub fn check_writable(path: &Path) -> Result<(), Failure> {
    let existed = path.exists();
    create_folder_of(path)?;
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|error| Failure::io(path, "write", error))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// Creates the folder `path` is in, if it has one.
fn create_folder_of(path: &Path) -> Result<(), Failure> {
    match path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        Some(parent) => {
            std::fs::create_dir_all(parent).map_err(|error| Failure::io(parent, "create", error))
        }
        None => Ok(()),
    }
}

/// Writes `contents` to `path`, creating its folder, and says so on stderr.
///
/// # Errors
///
/// [`Failure::Io`] naming the file, or the folder that could not be
/// created, with the operating system's reason.
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), Failure> {
    create_folder_of(path)?;
    std::fs::write(path, contents).map_err(|error| Failure::io(path, "write", error))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_always_comes_first_once() {
        const RAYON: StrategyKind = StrategyKind::RAYON;
        const SERIAL: StrategyKind = StrategyKind::SERIAL;
        assert_eq!(with_baseline(&[RAYON, SERIAL]), [SERIAL, RAYON]);
    }

    #[test]
    fn the_default_rotations_leave_out_one_extreme_each_side() {
        use std::time::Duration;
        let ms =
            |v: &[u64]| Timing::from_runs(v.iter().map(|&m| Duration::from_millis(m)).collect());
        // A slow cell: one disturbed rotation among the defaults.
        let mut serial = vec![100; DEFAULT_RUNS];
        serial[3] = 900;
        let slow = vec![300; DEFAULT_RUNS];
        let comparison = against_serial(&ms(&serial), &ms(&slow));
        assert_eq!(comparison.verdict, crate::Verdict::Slower, "{comparison:?}");
    }

    /// The path, action and kind of an I/O failure, which must be exit code 4.
    fn io_failure(failure: Failure) -> (std::path::PathBuf, &'static str, std::io::ErrorKind) {
        assert_eq!(failure.exit_code(), 4, "{failure:?}");
        match failure {
            Failure::Io {
                path,
                action,
                source,
            } => (path, action, source.kind()),
            other => panic!("not an I/O failure: {other:?}"),
        }
    }

    // `/proc` takes no new folders or files, even from root.
    #[test]
    fn a_folder_that_cannot_be_created_is_an_io_failure_naming_it() {
        let file = Path::new("/proc/no-such-folder/report.json");
        let folder = Path::new("/proc/no-such-folder");
        for failure in [
            check_writable(file).unwrap_err(),
            write_file(file, "{}").unwrap_err(),
        ] {
            let (path, action, _) = io_failure(failure);
            assert_eq!((path.as_path(), action), (folder, "create"));
        }
    }

    #[test]
    fn a_file_that_cannot_be_written_is_an_io_failure_naming_it() {
        // The folder is there; the file cannot be made in it.
        let file = Path::new("/proc/no-such-file.json");
        for failure in [
            check_writable(file).unwrap_err(),
            write_file(file, "{}").unwrap_err(),
        ] {
            let (path, action, _) = io_failure(failure);
            assert_eq!((path.as_path(), action), (file, "write"));
        }
    }

    #[test]
    fn a_missing_input_is_an_io_failure_naming_it() {
        let file = Path::new("no/such/input.txt");
        let (path, action, kind) = io_failure(read_input(file).unwrap_err());
        assert_eq!((path.as_path(), action), (file, "read the --input file"));
        assert_eq!(kind, std::io::ErrorKind::NotFound);
    }
}
