//! `cargo xtask compare`: every workload under every strategy, verified,
//! then timed.

use std::time::Duration;

use indicatif::ProgressBar;
use ps_catalog::StrategyKind;
use ps_workloads::{FLOAT_TOLERANCE, Prepared, Size, WorkloadKind};

use crate::Failure;
use crate::cli::CompareArgs;
use crate::harness::{
    budget, checked_n, config, plural, progress_bar, read_input, speedup, time_strategy,
    with_baseline, write_file,
};
use crate::machine::{Machine, optimised};
use crate::measure::{Budget, Timing, human};
use crate::python::{self, PythonOutcome, PythonRun};
use crate::report::{Json, Table, machine_json, measured_on, timing_fields};

/// One workload under one strategy.
#[derive(Debug)]
pub(crate) struct Cell {
    pub(crate) workload: WorkloadKind,
    pub(crate) n: usize,
    pub(crate) strategy: StrategyKind,
    pub(crate) threads: usize,
    /// `None` for strategies that do not cut by grain.
    pub(crate) grain: Option<usize>,
    pub(crate) timing: Timing,
    /// Median serial time over this cell's median time.
    pub(crate) speedup: f64,
}

impl Cell {
    pub(crate) fn efficiency(&self) -> f64 {
        self.speedup / self.threads as f64
    }
}

/// A workload with its size settled and its input read.
struct Job {
    kind: WorkloadKind,
    n: usize,
    text: Option<String>,
}

pub(crate) fn compare(args: &CompareArgs) -> Result<(), Failure> {
    let machine = Machine::detect();
    let threads = args.threads.unwrap_or(machine.logical_cores);
    let jobs = plan(args)?;
    let budget = budget(args.size == Size::Quick, args.runs);

    let cells_total = jobs.len() * with_baseline(&args.strategies).len();
    let progress = progress_bar(cells_total as u64, "cells");
    let mut cells = Vec::new();
    for job in &jobs {
        cells.extend(measure_workload(job, args, threads, budget, &progress)?);
    }
    let python = if args.python && optimised() {
        let n = args
            .n
            .unwrap_or_else(|| WorkloadKind::Squares.size(args.size));
        progress.set_message(format!("the Python article's approach on {n} squares"));
        Some(python::run_article(n, args.size == Size::Quick)?)
    } else {
        None
    };
    progress.finish_and_clear();

    // Everything has been verified by now: a wrong result returned early.
    println!("{}", measured_on(&machine));
    println!(
        "{} × {} with {}; every result verified against the serial reference \
         (integers and bytes exactly, floats within a relative {FLOAT_TOLERANCE:e}).\n",
        plural(jobs.len(), "workload"),
        plural(args.strategies.len(), "strategy"),
        plural(threads, "thread"),
    );
    let shown: Vec<&Cell> = cells
        .iter()
        .filter(|cell| args.strategies.contains(&cell.strategy))
        .collect();
    if optimised() {
        print!("{}", timing_table(&shown).to_text());
        println!("\nspeedup = serial median / median; efficiency = speedup / threads.");
    } else {
        print!("{}", verified_table(&shown).to_text());
        println!(
            "\nThis is a debug build, so no timings are shown: run `cargo xtask compare`, which builds in release mode."
        );
    }
    let python_section = python
        .as_ref()
        .map(|outcome| python_section(outcome, &cells));
    if let Some(section) = &python_section {
        print!("\n{}", section.to_text());
    }
    if let Some(path) = &args.json {
        let ran = python.as_ref().and_then(|outcome| match outcome {
            PythonOutcome::Ran(run) => Some(run),
            PythonOutcome::Missing => None,
        });
        write_file(path, json(&machine, &shown, ran).render())?;
    }
    if let Some(path) = &args.markdown {
        let mut text = markdown(&machine, &shown);
        if let Some(section) = &python_section {
            text.push('\n');
            text.push_str(&section.to_markdown());
        }
        write_file(path, text)?;
    }
    Ok(())
}

/// The Python comparison: a heading and, when Python ran, its table.
struct PythonSection {
    heading: String,
    table: Option<Table>,
}

impl PythonSection {
    fn to_text(&self) -> String {
        match &self.table {
            Some(table) => format!("{}\n\n{}", self.heading, table.to_text()),
            None => format!("{}\n", self.heading),
        }
    }

    fn to_markdown(&self) -> String {
        match &self.table {
            Some(table) => format!("{}\n\n{}", self.heading, table.to_markdown()),
            None => format!("{}\n", self.heading),
        }
    }
}

fn python_section(outcome: &PythonOutcome, cells: &[Cell]) -> PythonSection {
    match outcome {
        PythonOutcome::Missing => PythonSection {
            heading: "python3 was not found, so the Python article's approach was not run."
                .to_owned(),
            table: None,
        },
        PythonOutcome::Ran(run) => {
            let rust_serial = cells
                .iter()
                .find(|cell| {
                    cell.workload == WorkloadKind::Squares
                        && cell.strategy == StrategyKind::Serial
                        && cell.n == run.n
                })
                .map(|cell| &cell.timing);
            PythonSection {
                heading: format!(
                    "The Python article's approach on squares, n = {} ({}); the script checked every result:",
                    run.n, run.version
                ),
                table: Some(python::table(run, rust_serial)),
            }
        }
    }
}

/// Validates every size before any work starts, and reads `--input`.
fn plan(args: &CompareArgs) -> Result<Vec<Job>, Failure> {
    let text = match &args.input {
        Some(path) => Some(read_input(path)?),
        None => None,
    };
    args.workloads
        .iter()
        .map(|&kind| {
            let text = text.clone().filter(|_| kind == WorkloadKind::WordCount);
            let n = match (&text, args.n) {
                (Some(text), _) => text.len(),
                (None, Some(n)) => n,
                (None, None) => kind.size(args.size),
            };
            if text.is_none() {
                checked_n(kind, n)?;
            }
            Ok(Job { kind, n, text })
        })
        .collect()
}

fn measure_workload(
    job: &Job,
    args: &CompareArgs,
    threads: usize,
    budget: Budget,
    progress: &ProgressBar,
) -> Result<Vec<Cell>, Failure> {
    let workload = job.kind;
    progress.set_message(format!(
        "{}: preparing the input and the reference",
        workload.name()
    ));
    let prepared = match &job.text {
        Some(text) => Prepared::from_text(text.clone()),
        None => workload.prepare(job.n),
    };
    let reference = prepared.run_serial_reference();
    let grain = args.grain.unwrap_or_else(|| workload.grain(job.n));
    let config = config(threads, grain)?;

    let mut cells: Vec<Cell> = Vec::new();
    for kind in with_baseline(&args.strategies) {
        progress.set_message(format!("{} under {}", workload.name(), kind.name()));
        let measured = time_strategy(&prepared, &reference, kind, config, budget)?;
        let serial = cells
            .first()
            .map_or(&measured.timing, |serial| &serial.timing);
        cells.push(Cell {
            workload,
            n: prepared.n(),
            strategy: kind,
            threads: measured.threads,
            grain: kind.uses_grain().then_some(grain),
            speedup: speedup(serial, &measured.timing),
            timing: measured.timing,
        });
        progress.inc(1);
    }
    Ok(cells)
}

fn grain_text(grain: Option<usize>) -> String {
    grain.map_or_else(|| "-".to_owned(), |grain| grain.to_string())
}

fn timing_table(cells: &[&Cell]) -> Table {
    Table {
        header: vec![
            "workload",
            "strategy",
            "n",
            "threads",
            "grain",
            "median",
            "min",
            "max",
            "runs",
            "speedup",
            "efficiency",
        ],
        rows: cells
            .iter()
            .map(|cell| {
                let mut row = cell_columns(cell);
                row.extend([
                    human(cell.timing.median()),
                    human(cell.timing.min()),
                    human(cell.timing.max()),
                    cell.timing.runs().to_string(),
                    format!("{:.2}x", cell.speedup),
                    format!("{:.0}%", cell.efficiency() * 100.0),
                ]);
                row
            })
            .collect(),
        left_columns: 2,
    }
}

/// The columns that say which cell a row is.
fn cell_columns(cell: &Cell) -> Vec<String> {
    vec![
        cell.workload.name().to_owned(),
        cell.strategy.name().to_owned(),
        cell.n.to_string(),
        cell.threads.to_string(),
        grain_text(cell.grain),
    ]
}

fn verified_table(cells: &[&Cell]) -> Table {
    Table {
        header: vec!["workload", "strategy", "n", "threads", "grain", "result"],
        rows: cells
            .iter()
            .map(|cell| {
                let mut row = cell_columns(cell);
                row.push("verified".to_owned());
                row
            })
            .collect(),
        left_columns: 2,
    }
}

fn json(machine: &Machine, cells: &[&Cell], python: Option<&PythonRun>) -> Json {
    let seconds = |duration: Duration| Json::Num(duration.as_secs_f64());
    let records = cells
        .iter()
        .map(|cell| {
            let mut fields = vec![
                ("workload", Json::Str(cell.workload.name().to_owned())),
                ("strategy", Json::Str(cell.strategy.name().to_owned())),
                ("n", Json::Int(cell.n as u64)),
                ("threads", Json::Int(cell.threads as u64)),
                (
                    "grain",
                    cell.grain
                        .map_or(Json::Null, |grain| Json::Int(grain as u64)),
                ),
                ("verified", Json::Bool(true)),
            ];
            fields.extend(timing_fields(&cell.timing));
            fields.push(("speedup", Json::Num(cell.speedup)));
            fields.push(("efficiency", Json::Num(cell.efficiency())));
            Json::Object(fields)
        })
        .collect();
    let python = python.map_or(Json::Null, |run| {
        let rows = run
            .rows
            .iter()
            .map(|row| {
                Json::Object(vec![
                    ("approach", Json::Str(row.name.clone())),
                    ("verified", Json::Bool(true)),
                    ("runs", Json::Int(row.runs as u64)),
                    ("median_s", seconds(row.median)),
                    ("min_s", seconds(row.min)),
                    ("max_s", seconds(row.max)),
                ])
            })
            .collect();
        Json::Object(vec![
            ("version", Json::Str(run.version.clone())),
            ("n", Json::Int(run.n as u64)),
            ("results", Json::Array(rows)),
        ])
    });
    Json::Object(vec![
        ("machine", machine_json(machine)),
        ("timings_valid", Json::Bool(optimised())),
        ("results", Json::Array(records)),
        ("python", python),
    ])
}

fn markdown(machine: &Machine, cells: &[&Cell]) -> String {
    let table = if optimised() {
        timing_table(cells)
    } else {
        verified_table(cells)
    };
    format!("{}\n\n{}", measured_on(machine), table.to_markdown())
}
