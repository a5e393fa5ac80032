//! `compare --processes N`: the same compare in N separate processes, and
//! how far each cell's medians agree across them.
//!
//! A figure that changes from one process to the next is a property of the
//! process, not of the strategy: where its memory came from, which cores
//! its threads landed on, what the allocator had cached. Runs within one
//! process cannot show that, so this command starts fresh ones — this same
//! program, with the same arguments — and puts each cell's medians side by
//! side with their max/min.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::cli::CompareArgs;
use crate::emit::{Emit, Outputs};
use crate::machine::optimised;
use crate::measure::human_seconds;
use crate::record::{Cell, Report};
use crate::table::Table;
use crate::{Failure, Verdict};

/// How far apart a cell's medians may be, as max/min, for cells under
/// 10 ms: short cells feel every interrupt and cache state.
pub const AGREEMENT_SHORT: f64 = 1.25;
/// The same for cells of 10 ms or more, which average over many of both.
pub const AGREEMENT_LONG: f64 = 1.10;
/// Where [`AGREEMENT_LONG`] starts, in seconds.
pub const LONG_CELL_S: f64 = 0.010;

/// The flags that name files: each child writes only its own JSON.
const FILE_FLAGS: [&str; 4] = ["--json", "--markdown", "--svg", "--baseline"];

/// One cell's medians across the processes.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    /// The cell, as the first process measured it.
    pub cell: Cell,
    /// Its median in each process, in seconds, in the order they ran.
    pub medians_s: Vec<f64>,
    /// The largest median over the smallest.
    pub max_over_min: f64,
    /// The bound that applies: [`AGREEMENT_SHORT`] or [`AGREEMENT_LONG`].
    pub bound: f64,
    /// Its speedup over serial in each process (a ratio taken within one
    /// process, so drift of the whole machine cancels); empty for serial.
    pub speedups: Vec<f64>,
    /// Its verdict against serial in each process; empty for serial.
    pub verdicts: Vec<Verdict>,
}

impl Agreement {
    /// Whether the medians agree within the bound.
    #[must_use]
    pub fn meets(&self) -> bool {
        self.max_over_min <= self.bound
    }
}

/// The agreement of every cell found in every report, in the first
/// report's order.
///
/// ```
/// use ps_harness::{Cell, Machine, Report, TimingRecord, agreement};
///
/// let report = |median_s: f64| {
///     let timing = TimingRecord::from_seconds(&[median_s], 1);
///     let cell = Cell::new("squares", "scalar", "serial", 1000, 1, None, timing);
///     Report::new("compare", &Machine::detect(), vec![cell])
/// };
/// let rows = agreement(&[report(0.020), report(0.021), report(0.025)]);
/// assert!((rows[0].max_over_min - 1.25).abs() < 1e-9);
/// assert!(!rows[0].meets(), "a 20 ms cell must agree within 10%");
/// ```
#[must_use]
pub fn agreement(reports: &[Report]) -> Vec<Agreement> {
    let Some(first) = reports.first() else {
        return Vec::new();
    };
    first
        .results
        .iter()
        .filter_map(|cell| {
            let same: Vec<&Cell> = reports
                .iter()
                .map(|report| {
                    report
                        .results
                        .iter()
                        .find(|other| other.key() == cell.key())
                })
                .collect::<Option<_>>()?;
            let medians_s: Vec<f64> = same.iter().map(|c| c.timing.median_s).collect();
            let speedups = if cell.vs_serial.is_some() {
                same.iter().filter_map(|c| c.speedup).collect()
            } else {
                Vec::new()
            };
            let verdicts = same
                .iter()
                .filter_map(|c| c.vs_serial.map(|v| v.verdict))
                .collect();
            let max = medians_s.iter().copied().fold(f64::MIN, f64::max);
            let min = medians_s.iter().copied().fold(f64::MAX, f64::min);
            Some(Agreement {
                cell: cell.clone(),
                max_over_min: max / min,
                bound: if min >= LONG_CELL_S {
                    AGREEMENT_LONG
                } else {
                    AGREEMENT_SHORT
                },
                medians_s,
                speedups,
                verdicts,
            })
        })
        .collect()
}

/// Runs this program's compare `count` times, each in a fresh process with
/// the same arguments, then prints and writes the agreement table.
///
/// # Errors
///
/// [`Failure::Child`] if a child cannot start or fails (its own message is
/// on stderr), [`Failure::Io`] if a report cannot be read or written, and
/// [`Failure::Invalid`] if a child's report is not one.
pub fn compare_in_processes(args: &CompareArgs, count: usize) -> Result<(), Failure> {
    if !optimised() {
        return Err(Failure::Usage(
            "--processes compares timings, which only an optimised build has: run it with --release (cargo xtask does)".to_owned(),
        ));
    }
    let outputs = Outputs::new(&args.output)?;
    let exe = std::env::current_exe()
        .map_err(|error| Failure::Child(format!("cannot find this program: {error}")))?;
    let child_args = child_arguments(std::env::args_os().skip(1));
    let folder = std::env::temp_dir();
    let mut reports = Vec::new();
    for index in 1..=count {
        eprintln!("process {index} of {count}");
        let json = folder.join(format!("ps-processes-{}-{index}.json", std::process::id()));
        let status = Command::new(&exe)
            .args(&child_args)
            .arg("--json")
            .arg(&json)
            .stdout(Stdio::null())
            .status()
            .map_err(|error| Failure::Child(format!("cannot start {}: {error}", exe.display())))?;
        if !status.success() {
            return Err(Failure::Child(format!(
                "process {index} of {count} failed ({status})"
            )));
        }
        let report = crate::read_report(&json)?;
        let _ = std::fs::remove_file(&json);
        reports.push(report);
    }
    let rows = agreement(&reports);
    outputs.emit(&Agreements { reports, rows })
}

/// Every process's report, and each cell's agreement across them.
struct Agreements {
    reports: Vec<Report>,
    rows: Vec<Agreement>,
}

impl Emit for Agreements {
    fn text(&self) -> String {
        let (head, summary) = describe(&self.reports, &self.rows);
        format!("{head}\n{}\n{summary}\n", table(&self.rows).to_text())
    }

    fn markdown(&self) -> String {
        let (head, summary) = describe(&self.reports, &self.rows);
        format!("{head}\n\n{}\n{summary}\n", table(&self.rows).to_markdown())
    }

    fn report(&self) -> Report {
        let reports = &self.reports;
        let mut report = Report::new(
            "compare-processes",
            &reports[0].machine,
            reports[0].results.clone(),
        )
        .with_detail("agreement", &self.rows)
        .with_detail("loads", reports.iter().map(|r| r.load).collect::<Vec<_>>());
        // This process measured nothing: the busiest child speaks for all.
        report.busy = reports.iter().any(|r| r.busy);
        report.load = reports
            .iter()
            .filter_map(|r| r.load)
            .max_by(|a, b| a.others.unwrap_or(0.0).total_cmp(&b.others.unwrap_or(0.0)));
        report.memory.clone_from(&reports[0].memory);
        report
    }
}

/// The line above the table (machine, processes, their loads) and the
/// summary below it.
fn describe(reports: &[Report], rows: &[Agreement]) -> (String, String) {
    let loads: Vec<String> = reports
        .iter()
        .map(|report| {
            report.load.map_or_else(
                || "unknown".to_owned(),
                |load| {
                    load.others.map_or_else(
                        || "unknown".to_owned(),
                        |share| format!("{:.0}%", share * 100.0),
                    )
                },
            )
        })
        .collect();
    let busy = reports.iter().filter(|report| report.busy).count();
    let head = format!(
        "Measured on {}, in {} separate processes; other processes used {} of the CPU time during each{}.",
        reports[0].machine,
        reports.len(),
        loads.join(", "),
        if busy > 0 {
            format!(" — {busy} of them ran on a BUSY machine, so disagreement may be the load's")
        } else {
            String::new()
        }
    );
    let over: Vec<String> = rows
        .iter()
        .filter(|row| !row.meets())
        .map(|row| format!("{} {}", row.cell.workload, row.cell.strategy))
        .collect();
    let summary = format!(
        "max/min = the largest of a cell's medians over the smallest; bound: {AGREEMENT_SHORT} for cells under {} ms, {AGREEMENT_LONG} from there. {} of {} cells within their bound{}",
        LONG_CELL_S * 1e3,
        rows.len() - over.len(),
        rows.len(),
        if over.is_empty() {
            ".".to_owned()
        } else {
            format!("; over it: {}.", over.join(", "))
        }
    );
    (head, summary)
}

fn table(rows: &[Agreement]) -> Table {
    let several_kernels = rows
        .iter()
        .any(|row| row.cell.kernel != rows[0].cell.kernel);
    let mut header = vec!["workload"];
    if several_kernels {
        header.push("kernel");
    }
    header.extend([
        "strategy",
        "n",
        "medians",
        "max/min",
        "bound",
        "agrees",
        "speedups",
        "speedup max/min",
        "verdicts",
    ]);
    Table {
        header,
        rows: rows
            .iter()
            .map(|row| {
                let mut line = vec![row.cell.workload.clone()];
                if several_kernels {
                    line.push(row.cell.kernel.clone());
                }
                let medians: Vec<String> =
                    row.medians_s.iter().map(|&m| human_seconds(m)).collect();
                line.extend([
                    row.cell.strategy.clone(),
                    row.cell.n.to_string(),
                    medians.join(", "),
                    format!("{:.2}", row.max_over_min),
                    format!("{:.2}", row.bound),
                    if row.meets() { "yes" } else { "no" }.to_owned(),
                    speedup_list(&row.speedups),
                    spread(&row.speedups),
                    tally(&row.verdicts),
                ]);
                line
            })
            .collect(),
        left_columns: 2,
    }
}

/// `faster ×5`, or `faster ×3, unclear ×2`, in order of first appearance.
fn tally(verdicts: &[Verdict]) -> String {
    let mut counts: Vec<(Verdict, usize)> = Vec::new();
    for &verdict in verdicts {
        match counts.iter_mut().find(|(v, _)| *v == verdict) {
            Some((_, count)) => *count += 1,
            None => counts.push((verdict, 1)),
        }
    }
    if counts.is_empty() {
        return "-".to_owned();
    }
    let parts: Vec<String> = counts.iter().map(|(v, n)| format!("{v} ×{n}")).collect();
    parts.join(", ")
}

fn speedup_list(speedups: &[f64]) -> String {
    if speedups.is_empty() {
        return "-".to_owned();
    }
    let each: Vec<String> = speedups.iter().map(|s| format!("{s:.2}x")).collect();
    each.join(", ")
}

fn spread(values: &[f64]) -> String {
    let max = values.iter().copied().fold(f64::NAN, f64::max);
    let min = values.iter().copied().fold(f64::NAN, f64::min);
    if values.is_empty() {
        "-".to_owned()
    } else {
        format!("{:.2}", max / min)
    }
}

/// This process's arguments without `--processes` and the file flags, in
/// both `--flag value` and `--flag=value` forms.
fn child_arguments(args: impl Iterator<Item = OsString>) -> Vec<OsString> {
    let mut kept = Vec::new();
    let mut skip_value = false;
    for arg in args {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        let text = arg.to_string_lossy();
        let flag = text.split('=').next().unwrap_or_default();
        if flag == "--processes" || FILE_FLAGS.contains(&flag) {
            skip_value = !text.contains('=');
            continue;
        }
        kept.push(arg);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_get_the_arguments_without_the_files_and_the_count() {
        let args = [
            "compare",
            "--processes",
            "5",
            "-w",
            "squares",
            "--json=a.json",
            "--markdown",
            "b.md",
            "--quick",
        ]
        .map(OsString::from);
        let kept = child_arguments(args.into_iter());
        assert_eq!(
            kept,
            ["compare", "-w", "squares", "--quick"].map(OsString::from)
        );
    }

    #[test]
    fn verdicts_are_tallied_in_order() {
        use Verdict::{Faster, Unclear};
        assert_eq!(tally(&[Faster, Unclear, Faster]), "faster ×2, unclear ×1");
        assert_eq!(tally(&[]), "-");
    }
}
