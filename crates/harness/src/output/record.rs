//! One typed report for every command: plain records, serialised with serde.
//!
//! Every timing anywhere is a [`TimingRecord`] inside a [`Cell`], and every
//! command's JSON is a [`Report`], so one reader — `diff`, a notebook, a
//! script — handles them all. [`SCHEMA_VERSION`] changes whenever a field's
//! meaning does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use std::time::Duration;

use crate::machine::Machine;
use crate::measure::Timing;

/// The version of the report schema this harness writes and reads.
pub const SCHEMA_VERSION: u32 = 2;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Every sample (the mean run of its batch), in seconds, in the order
    /// taken: rotation by rotation where several contenders were timed in
    /// turn. Empty in reports written before schema version 2.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples_s: Vec<f64>,
}

impl TimingRecord {
    /// A record of samples given in seconds, in the order taken.
    ///
    /// ```
    /// let record = ps_harness::TimingRecord::from_seconds(&[0.3, 0.1, 0.2], 1);
    /// assert_eq!((record.median_s, record.min_s, record.max_s), (0.2, 0.1, 0.3));
    /// ```
    ///
    /// # Panics
    ///
    /// If `samples` is empty.
    #[must_use]
    pub fn from_seconds(samples: &[f64], runs_per_sample: usize) -> TimingRecord {
        let timing = Timing::from_samples(
            samples
                .iter()
                .map(|&s| std::time::Duration::from_secs_f64(s))
                .collect(),
            runs_per_sample,
        );
        TimingRecord::from(&timing)
    }
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
            samples_s: timing
                .in_order()
                .iter()
                .map(Duration::as_secs_f64)
                .collect(),
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
    /// This cell's time over serial's, with its interval and verdict, where
    /// serial was sampled in the same rotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vs_serial: Option<crate::Comparison>,
}

impl Cell {
    /// A verified cell: `workload` with `kernel` at size `n` under `strategy`
    /// on `threads` with `grain`, timed as `timing`. The figures derived
    /// from other cells — speedup, bandwidth, the comparison with serial —
    /// start absent; the `with_` methods add them.
    ///
    /// Every cell in every report is built here, so a field added to the
    /// schema is filled in one place.
    ///
    /// ```
    /// use ps_harness::{Cell, TimingRecord};
    ///
    /// let timing = TimingRecord::from_seconds(&[0.010, 0.012, 0.011], 1);
    /// let cell = Cell::new("squares", "scalar", "rayon", 1000, 2, Some(64), timing).with_speedup(1.5);
    /// assert!(cell.verified);
    /// assert_eq!((cell.speedup, cell.efficiency), (Some(1.5), Some(0.75)));
    /// assert_eq!(cell.vs_serial, None);
    /// ```
    #[must_use]
    pub fn new(
        workload: impl Into<String>,
        kernel: impl Into<String>,
        strategy: impl Into<String>,
        n: usize,
        threads: usize,
        grain: Option<usize>,
        timing: impl Into<TimingRecord>,
    ) -> Cell {
        Cell {
            workload: workload.into(),
            kernel: kernel.into(),
            strategy: strategy.into(),
            n,
            threads,
            grain,
            // A cell is only ever built from runs that were checked.
            verified: true,
            timing: timing.into(),
            speedup: None,
            efficiency: None,
            gb_per_s: None,
            ceiling_fraction: None,
            vs_serial: None,
        }
    }

    /// With its speedup over serial, and the efficiency that follows from
    /// it: speedup over threads.
    ///
    /// ```
    /// # use ps_harness::{Cell, TimingRecord};
    /// let cell = Cell::new("squares", "scalar", "rayon", 1000, 4, None, TimingRecord::from_seconds(&[0.5], 1));
    /// assert_eq!(cell.with_speedup(3.0).efficiency, Some(0.75));
    /// ```
    #[must_use]
    pub fn with_speedup(mut self, speedup: f64) -> Cell {
        self.speedup = Some(speedup);
        self.efficiency = Some(speedup / self.threads as f64);
        self
    }

    /// With the rate a memory-bound workload achieved against the
    /// machine's ceiling, where it was measured.
    ///
    /// ```
    /// # use ps_harness::{Cell, Roofline, TimingRecord};
    /// let cell = Cell::new("sum", "scalar", "rayon", 1000, 2, None, TimingRecord::from_seconds(&[0.5], 1))
    ///     .with_roofline(Some(Roofline { achieved: 6.0, bound: 8.0 }));
    /// assert_eq!((cell.gb_per_s, cell.ceiling_fraction), (Some(6.0), Some(0.75)));
    /// ```
    #[must_use]
    pub fn with_roofline(mut self, roofline: Option<crate::Roofline>) -> Cell {
        self.gb_per_s = roofline.map(|r| r.achieved);
        self.ceiling_fraction = roofline.map(|r| r.fraction());
        self
    }

    /// With its time against serial's, where serial was sampled in the same
    /// rotations.
    ///
    /// ```
    /// # use ps_harness::{Cell, Comparison, TimingRecord};
    /// let serial = TimingRecord::from_seconds(&[1.0, 1.1, 1.0, 1.05, 1.0, 1.02], 1);
    /// let rayon = TimingRecord::from_seconds(&[0.5, 0.55, 0.5, 0.52, 0.5, 0.51], 1);
    /// let versus = Comparison::unpaired(&serial, &rayon);
    /// let cell = Cell::new("squares", "scalar", "rayon", 1000, 2, None, rayon).with_vs_serial(Some(versus));
    /// assert_eq!(cell.vs_serial, Some(versus));
    /// ```
    #[must_use]
    pub fn with_vs_serial(mut self, vs_serial: Option<crate::Comparison>) -> Cell {
        self.vs_serial = vs_serial;
        self
    }

    /// What says *which* cell this is, for matching two reports:
    /// workload, kernel, strategy, n, threads and grain.
    ///
    /// ```
    /// # use ps_harness::{Cell, TimingRecord};
    /// let cell = |seconds: f64| Cell::new("squares", "simd", "rayon", 1000, 2, None, TimingRecord::from_seconds(&[seconds], 1));
    /// assert_eq!(cell(0.1).key(), cell(0.2).key());
    /// assert_eq!(cell(0.1).key().kernel, "simd");
    /// ```
    #[must_use]
    pub fn key(&self) -> CellKey {
        CellKey {
            workload: self.workload.clone(),
            kernel: self.kernel.clone(),
            strategy: self.strategy.clone(),
            n: self.n,
            threads: self.threads,
            grain: self.grain,
        }
    }
}

/// The fields of a [`Cell`] that say which measurement it is, and none of
/// what was measured: two reports' cells with equal keys are the same
/// measurement taken twice.
///
/// ```
/// # use ps_harness::{Cell, TimingRecord};
/// let timing = TimingRecord::from_seconds(&[0.1], 1);
/// let scalar = Cell::new("mandelbrot", "scalar", "rayon", 1000, 2, None, timing.clone());
/// let simd = Cell::new("mandelbrot", "simd", "rayon", 1000, 2, None, timing);
/// assert_ne!(scalar.key(), simd.key());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    /// The workload's name.
    pub workload: String,
    /// The kernel it ran with.
    pub kernel: String,
    /// The strategy's name.
    pub strategy: String,
    /// The input size.
    pub n: usize,
    /// The threads the strategy ran on.
    pub threads: usize,
    /// Elements per unit of work, for strategies that cut by grain.
    pub grain: Option<usize>,
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
    /// What other processes did while this one measured; `busy` is true
    /// when they used more than [`Load::BUSY_ABOVE`](crate::Load::BUSY_ABOVE)
    /// of the machine. Absent where nothing was timed (or before schema 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<crate::Load>,
    /// Whether the load above makes these figures a busy machine's.
    #[serde(default)]
    pub busy: bool,
    /// The allocator's policy for freed memory during the runs
    /// ([`MemoryPolicy::name`](crate::MemoryPolicy::name)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    /// What the command adds: sweep's crossovers, scaling's fits, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, serde_json::Value>,
}

impl Report {
    /// A report of `command`'s `results` on this machine.
    #[must_use]
    pub fn new(command: &str, machine: &Machine, results: Vec<Cell>) -> Self {
        let load = crate::load::load_since_first_measurement();
        Report {
            schema_version: SCHEMA_VERSION,
            command: command.to_owned(),
            machine: machine.clone(),
            timings_valid: crate::machine::optimised(),
            results,
            busy: load.is_some_and(|load| load.is_busy()),
            load,
            memory: load.map(|_| crate::reuse_freed_memory().name().to_owned()),
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
            // Version 2 only added fields, with defaults for version 1.
            Some(version) if (1..=u64::from(SCHEMA_VERSION)).contains(&version) => {}
            Some(version) => {
                return Err(format!(
                    "schema version {version}, and this harness reads versions 1 to {SCHEMA_VERSION}"
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
        let timing = TimingRecord {
            runs: 5,
            runs_per_sample: 1,
            median_s: median,
            min_s: min,
            max_s: max,
            samples_s: Vec::new(),
        };
        Cell::new("squares", "scalar", strategy, 1000, 2, Some(64), timing)
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
        assert!(report.to_json().contains("\"schema_version\": 2"));
    }

    /// A share of the CPU is any float in 0..=1; each must come back as
    /// written, or a report compared with itself after a round trip differs.
    #[test]
    fn every_load_share_round_trips_exactly() {
        let mut bits: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            // xorshift: a spread of shares without a dependency.
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            let load = crate::Load {
                others: Some((bits >> 11) as f64 / (1_u64 << 53) as f64),
            };
            let json = serde_json::to_string(&load).unwrap();
            let back: crate::Load = serde_json::from_str(&json).unwrap();
            assert_eq!(back, load, "{json}");
        }
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
