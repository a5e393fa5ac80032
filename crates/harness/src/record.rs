//! One typed report for every command: plain records, serialised with serde.
//!
//! Every timing anywhere is a [`TimingRecord`] inside a [`Cell`], and every
//! command's JSON is a [`Report`], so one reader — `diff`, a notebook, a
//! script — handles them all. [`SCHEMA_VERSION`] changes whenever a field's
//! meaning does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::machine::Machine;
use crate::measure::Timing;

/// The version of the report schema this harness writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A timing: how many timed runs, and their median, fastest and slowest, in
/// seconds.
///
/// ```
/// use std::time::Duration;
/// use ps_harness::{Timing, TimingRecord};
///
/// let timing = Timing::from_runs(vec![Duration::from_millis(3), Duration::from_millis(1), Duration::from_millis(2)]);
/// let record = TimingRecord::from(&timing);
/// assert_eq!((record.runs, record.median_s), (3, 0.002));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimingRecord {
    /// Timed samples, after one warm-up run.
    pub runs: usize,
    /// Back-to-back runs each sample timed (more than one for runs shorter
    /// than a sample should last); the times below are per run.
    #[serde(default = "one")]
    pub runs_per_sample: usize,
    /// The median run, in seconds.
    pub median_s: f64,
    /// The fastest run, in seconds.
    pub min_s: f64,
    /// The slowest run, in seconds.
    pub max_s: f64,
}

fn one() -> usize {
    1
}

impl From<&Timing> for TimingRecord {
    fn from(timing: &Timing) -> Self {
        TimingRecord {
            runs: timing.runs(),
            runs_per_sample: timing.runs_per_sample(),
            median_s: timing.median().as_secs_f64(),
            min_s: timing.min().as_secs_f64(),
            max_s: timing.max().as_secs_f64(),
        }
    }
}

/// One verified measurement: a workload at size `n` under a strategy with
/// some threads and grain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The workload's name.
    pub workload: String,
    /// The kernel the workload ran with (`scalar` unless it has others).
    pub kernel: String,
    /// The strategy's name.
    pub strategy: String,
    /// The input size.
    pub n: usize,
    /// The threads the strategy ran on.
    pub threads: usize,
    /// Elements per unit of work, for strategies that cut by grain.
    pub grain: Option<usize>,
    /// Every run was checked against the serial reference before this cell
    /// was written; always `true` in a report.
    pub verified: bool,
    /// The timed runs.
    pub timing: TimingRecord,
    /// Serial median over this median, where a serial baseline was measured.
    pub speedup: Option<f64>,
    /// Speedup over threads.
    pub efficiency: Option<f64>,
    /// For a memory-bound workload: the bytes it must move over the median
    /// time, in GB/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gb_per_s: Option<f64>,
    /// For a memory-bound workload: `gb_per_s` over the machine's measured
    /// ceiling at the same thread count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling_fraction: Option<f64>,
}

impl Cell {
    /// The fields that say *which* cell this is, for matching two reports:
    /// workload, kernel, strategy, n, threads and grain.
    #[must_use]
    pub fn key(&self) -> (String, String, usize, usize, Option<usize>) {
        (
            self.workload.clone(),
            self.strategy.clone(),
            self.n,
            self.threads,
            self.grain,
        )
    }
}

/// What any command writes with `--json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`] when written.
    pub schema_version: u32,
    /// The command that measured it: `compare`, `sweep`, `scaling`, …
    pub command: String,
    /// Where and when.
    pub machine: Machine,
    /// False for a debug build, whose cells are verified but not timed
    /// meaningfully.
    pub timings_valid: bool,
    /// Every measurement.
    pub results: Vec<Cell>,
    /// What the command adds: sweep's crossovers, scaling's fits, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, serde_json::Value>,
}

impl Report {
    /// A report of `command`'s `results` on this machine.
    #[must_use]
    pub fn new(command: &str, machine: &Machine, results: Vec<Cell>) -> Self {
        Report {
            schema_version: SCHEMA_VERSION,
            command: command.to_owned(),
            machine: machine.clone(),
            timings_valid: crate::machine::optimised(),
            results,
            details: BTreeMap::new(),
        }
    }

    /// Adds a command-specific section.
    #[must_use]
    pub fn with_detail(mut self, key: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).expect("records serialise");
        self.details.insert(key.to_owned(), value);
        self
    }

    /// Pretty JSON with a final line break.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("records serialise");
        text.push('\n');
        text
    }

    /// Reads a report, checking its schema version.
    ///
    /// # Errors
    ///
    /// A one-line message: not JSON, not a report, or another schema version.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
        match value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(version) if version == u64::from(SCHEMA_VERSION) => {}
            Some(version) => {
                return Err(format!(
                    "schema version {version}, and this harness reads version {SCHEMA_VERSION}"
                ));
            }
            None => return Err("not a harness report (no schema_version)".to_owned()),
        }
        serde_json::from_value(value).map_err(|error| format!("not a harness report: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn cell(strategy: &str, min: f64, median: f64, max: f64) -> Cell {
        Cell {
            workload: "squares".into(),
            kernel: "scalar".into(),
            strategy: strategy.into(),
            n: 1000,
            threads: 2,
            grain: Some(64),
            verified: true,
            timing: TimingRecord {
                runs: 5,
                runs_per_sample: 1,
                median_s: median,
                min_s: min,
                max_s: max,
            },
            speedup: None,
            efficiency: None,
            gb_per_s: None,
            ceiling_fraction: None,
        }
    }

    #[test]
    fn reports_round_trip_through_json() {
        let report = Report::new(
            "compare",
            &Machine::detect(),
            vec![cell("rayon", 1.0, 2.0, 3.0)],
        )
        .with_detail("note", "x");
        let back = Report::from_json(&report.to_json()).unwrap();
        assert_eq!(back, report);
        assert!(report.to_json().contains("\"schema_version\": 1"));
    }

    #[test]
    fn other_versions_and_garbage_are_refused_in_one_line() {
        assert!(Report::from_json("{").unwrap_err().starts_with("not JSON"));
        assert!(
            Report::from_json("{}")
                .unwrap_err()
                .contains("no schema_version")
        );
        let future = r#"{"schema_version": 99}"#;
        assert!(
            Report::from_json(future)
                .unwrap_err()
                .contains("version 99")
        );
    }
}
