//! `compare --python`: the Python article's experiment, run by
//! `book/python/squares.py` on the same n as the Rust `squares` workload.

use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use ps_harness::{Failure, Table, Timing, TimingRecord, human};
use serde::{Deserialize, Serialize};

/// One approach of the Python script, as it reported it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PythonRow {
    pub(crate) name: String,
    pub(crate) runs: usize,
    pub(crate) median: Duration,
    pub(crate) min: Duration,
    pub(crate) max: Duration,
}

/// The script's whole report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PythonRun {
    pub(crate) version: String,
    pub(crate) n: usize,
    pub(crate) rows: Vec<PythonRow>,
}

/// Whether Python could be run at all.
#[derive(Debug)]
pub(crate) enum PythonOutcome {
    Ran(PythonRun),
    Missing,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../book/python/squares.py")
}

/// Runs the script on `n` numbers; `Missing` when there is no `python3`.
pub(crate) fn run_article(n: usize, quick: bool) -> Result<PythonOutcome, Failure> {
    let output = Command::new("python3")
        .arg(script())
        .args(["--n", &n.to_string(), "--tsv"])
        .args(["--runs", if quick { "3" } else { "5" }])
        .args(["--budget", if quick { "2" } else { "10" }])
        .output();
    let output = match output {
        Ok(output) => output,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(PythonOutcome::Missing),
        Err(error) => return Err(Failure::Child(format!("cannot run python3: {error}"))),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("no message");
        return Err(Failure::Child(format!("the Python script failed: {last}")));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    parse(&stdout, n).map(PythonOutcome::Ran).map_err(|reason| {
        Failure::Invalid(format!("cannot read the Python script's report: {reason}"))
    })
}

/// Reads the script's `--tsv` report: a `python` line, then one line per
/// approach with its name, runs, median, min and max in seconds.
fn parse(text: &str, n: usize) -> Result<PythonRun, String> {
    let mut lines = text.lines();
    let version = lines
        .next()
        .and_then(|line| line.strip_prefix("python\t"))
        .ok_or("no `python` line")?
        .to_owned();
    let seconds = |field: &str| {
        field
            .parse::<f64>()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .ok_or_else(|| format!("`{field}` is not a duration in seconds"))
    };
    let rows = lines
        .map(|line| match line.split('\t').collect::<Vec<_>>()[..] {
            [name, runs, median, min, max] => Ok(PythonRow {
                name: name.to_owned(),
                runs: runs
                    .parse()
                    .map_err(|_| format!("`{runs}` is not a run count"))?,
                median: seconds(median)?,
                min: seconds(min)?,
                max: seconds(max)?,
            }),
            _ => Err(format!("unexpected line `{line}`")),
        })
        .collect::<Result<Vec<_>, String>>()?;
    if rows.is_empty() {
        return Err("no timings".to_owned());
    }
    Ok(PythonRun { version, n, rows })
}

/// Where `compare --json` keeps the Python timings among its details.
pub(crate) const KEY: &str = "python";

/// One approach as a report record: the same timing record as every cell.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct PythonRecord {
    /// The approach's name, as the script's table gives it.
    pub(crate) approach: String,
    verified: bool,
    /// Its timed runs.
    pub(crate) timing: TimingRecord,
}

/// The script's report for `--json`, written and read back under [`KEY`].
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct PythonReport {
    version: String,
    n: usize,
    /// One record per approach, in the script's order.
    pub(crate) results: Vec<PythonRecord>,
}

/// `run` as the record `compare --json` carries under `python`.
pub(crate) fn record(run: &PythonRun) -> PythonReport {
    PythonReport {
        version: run.version.clone(),
        n: run.n,
        results: run
            .rows
            .iter()
            .map(|row| PythonRecord {
                approach: row.name.clone(),
                verified: true,
                timing: TimingRecord {
                    runs: row.runs,
                    runs_per_sample: 1,
                    median_s: row.median.as_secs_f64(),
                    min_s: row.min.as_secs_f64(),
                    max_s: row.max.as_secs_f64(),
                    samples_s: Vec::new(),
                },
            })
            .collect(),
    }
}

/// The Python timings next to the Rust serial strategy's.
pub(crate) fn table(run: &PythonRun, rust_serial: Option<&Timing>) -> Table {
    let python_serial = run.rows[0].median.as_secs_f64();
    let rows = run
        .rows
        .iter()
        .map(|row| {
            let median = row.median.as_secs_f64();
            vec![
                row.name.clone(),
                human(row.median),
                human(row.min),
                human(row.max),
                row.runs.to_string(),
                format!("{:.3}x", python_serial / median),
                rust_serial.map_or_else(
                    || "-".to_owned(),
                    |rust| format!("{:.0}x", median / rust.median().as_secs_f64()),
                ),
            ]
        })
        .collect();
    Table {
        header: vec![
            "Python approach",
            "median",
            "min",
            "max",
            "runs",
            "vs the Python loop",
            "slower than Rust serial",
        ],
        rows,
        left_columns: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_scripts_report() {
        let text = "python\tCPython 3.11.7\nserial loop\t5\t0.042\t0.040\t0.050\nthread pool\t1\t16.0\t16.0\t16.0\n";
        let run = parse(text, 1_000_000).unwrap();
        assert_eq!(run.version, "CPython 3.11.7");
        assert_eq!(run.rows.len(), 2);
        assert_eq!(run.rows[1].runs, 1);
        assert_eq!(run.rows[1].median, Duration::from_secs(16));
        let table = table(&run, None);
        assert_eq!(table.rows[1][5], "0.003x");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse("hello", 1).is_err());
        assert!(parse("python\tCPython\n", 1).is_err());
        assert!(parse("python\tCPython\nloop\tfive\t1\t1\t1\n", 1).is_err());
    }

    #[test]
    fn the_script_exists_where_the_harness_looks() {
        assert!(script().is_file(), "{}", script().display());
    }
}
