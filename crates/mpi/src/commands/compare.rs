//! `ps-mpi compare`: every workload split across the job's ranks, timed and
//! verified, beside the serial reference on rank 0.

use std::time::Duration;

use ps_harness::{
    Budget, Cell, Comparison, Failure, Machine, Report, Table, Timing, human, measure, measured_on,
    write_file,
};
use ps_mpi::{
    Distributed, DistributedTiming, DistributedVisitor, Team, doing, time_distributed, visit_all,
};
use serde::{Deserialize, Serialize};

use super::{Session, local_strategy, wrong};
use crate::cli::{CompareArgs, Local, Selection};

/// One workload at one size: serial on rank 0, and split across the ranks.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) workload: String,
    pub(crate) n: usize,
    pub(crate) serial: Timing,
    pub(crate) split: DistributedTiming,
}

/// What a process adds, per row, as the JSON report's `mpi` detail.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ProcessCost {
    pub(crate) workload: String,
    pub(crate) n: usize,
    pub(crate) ranks: usize,
    pub(crate) threads: u32,
    pub(crate) serial_s: f64,
    pub(crate) median_s: f64,
    pub(crate) compute_s: f64,
    #[serde(default)]
    pub(crate) packing_s: f64,
    pub(crate) in_mpi_s: f64,
    pub(crate) bytes_moved: u64,
    /// The most pages a rank faulted in per run.
    #[serde(default)]
    pub(crate) page_faults: u64,
    /// One rank only: the same strategy with no MPI, timed alternately.
    #[serde(default)]
    pub(crate) alone_s: Option<f64>,
    /// One rank only: the job's time against `alone_s`, paired.
    #[serde(default)]
    pub(crate) vs_alone: Option<Comparison>,
}

/// The shape of a job, as reports name it: `2 ranks x 1 threads-dynamic`.
pub(crate) fn shape(ranks: usize, local: &Local) -> String {
    format!("{ranks} × {} {}", local.threads, local.strategy)
}

/// The bytes, in KiB or MiB once they are many.
pub(crate) fn bytes(count: u64) -> String {
    match count {
        0..1024 => format!("{count} B"),
        1024..1_048_576 => format!("{:.1} KiB", count as f64 / 1024.0),
        _ => format!("{:.1} MiB", count as f64 / 1_048_576.0),
    }
}

/// Times `workload` at `n` on every rank; the row on rank 0.
pub(crate) fn measure_one<W: Distributed>(
    workload: &W,
    n: usize,
    local: &Local,
    runs: usize,
    session: &Session,
) -> Result<Option<Row>, Failure> {
    let team = &session.team;
    let name = workload.name().to_owned();
    let shape = shape(team.ranks(), local);
    workload.check_n(n).map_err(Failure::Usage)?;
    doing(format!("workload {name}, n = {n}, {shape}"));
    let strategy = local_strategy(local.strategy, local.threads, workload.grain(n))?;
    let budget = Budget {
        min_runs: runs,
        max_runs: runs,
        target: Duration::ZERO,
        // Every rank must make the same calls into MPI, so runs are never
        // batched by their length.
        min_sample: Duration::ZERO,
    };
    let serial = if session.is_root() {
        let input = workload.prepare(n);
        let reference = workload.run_serial(&input);
        let timing = measure(
            budget,
            || workload.run_serial(&input),
            |output| workload.verify(&reference, output),
        );
        // Before the `?`: the other ranks are waiting here.
        team.barrier_sleeping();
        let timing =
            timing.map_err(|mismatch| Failure::WrongResult(wrong(&name, n, "serial", mismatch)))?;
        Some((reference, timing))
    } else {
        team.barrier_sleeping();
        None
    };
    let split = time_distributed(workload, &strategy, n, team, runs, |output| {
        let (reference, _) = serial.as_ref().expect("only rank 0 verifies");
        workload
            .verify(reference, output)
            .map_err(|mismatch| wrong(&name, n, &shape, mismatch))
    })
    .map_err(Failure::WrongResult)?;
    Ok(split.zip(serial).map(|(split, (_, serial))| Row {
        workload: name,
        n,
        serial,
        split,
    }))
}

/// The names of every workload that runs across ranks.
pub(crate) fn names() -> Vec<String> {
    struct Names(Vec<String>);
    impl DistributedVisitor for Names {
        fn visit<W: Distributed + 'static>(&mut self, workload: W) {
            self.0.push(workload.name().to_owned());
        }
    }
    let mut names = Names(Vec::new());
    visit_all(&mut names);
    names.0
}

/// A usage failure if a selected workload does not exist.
pub(crate) fn check_selection(selection: &Selection) -> Result<(), Failure> {
    let known = names();
    for name in &selection.workloads {
        if !known.contains(name) {
            return Err(Failure::Usage(format!(
                "unknown workload `{name}` (expected one of: {})",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

pub(crate) fn selected(selection: &Selection, name: &str) -> bool {
    selection.workloads.is_empty() || selection.workloads.iter().any(|wanted| wanted == name)
}

struct Comparer<'a> {
    args: &'a CompareArgs,
    session: &'a Session,
    rows: Vec<Row>,
    failure: Option<Failure>,
}

impl DistributedVisitor for Comparer<'_> {
    fn visit<W: Distributed + 'static>(&mut self, workload: W) {
        if self.failure.is_some() || !selected(&self.args.selection, workload.name()) {
            return;
        }
        for &size in &self.args.sizes {
            let n = workload.sizes().get(size);
            match measure_one(
                &workload,
                n,
                &self.args.local,
                self.args.selection.runs as usize,
                self.session,
            ) {
                Ok(row) => self.rows.extend(row),
                Err(failure) => {
                    self.failure = Some(failure);
                    return;
                }
            }
        }
    }
}

pub(crate) fn compare(args: &CompareArgs, session: &Session) -> Result<(), Failure> {
    check_selection(&args.selection)?;
    let startup = session.startup.slowest(&session.team);
    let mut comparer = Comparer {
        args,
        session,
        rows: Vec::new(),
        failure: None,
    };
    visit_all(&mut comparer);
    if let Some(failure) = comparer.failure {
        return Err(failure);
    }
    let Some(startup) = startup else {
        return Ok(());
    };
    doing("writing the report");
    let ranks = session.team.ranks();
    let machine = Machine::detect();
    let table = table(&comparer.rows);
    let heading = format!(
        "{}\n\n{} ranks × {} threads of {} per rank; {}.\n",
        measured_on(&machine),
        ranks,
        args.local.threads,
        args.local.strategy,
        startup.describe()
    );
    println!("{heading}\n{}", table.to_text());
    println!("every result verified against the serial reference on rank 0");
    if let Some(path) = &args.markdown {
        write_file(path, format!("{heading}\n{}", table.to_markdown()))?;
    }
    if let Some(path) = &args.json {
        let report = report(&comparer.rows, ranks, &args.local, &machine, startup);
        write_file(path, report.to_json())?;
    }
    Ok(())
}

fn table(rows: &[Row]) -> Table {
    let one_rank = rows.iter().any(|row| row.split.alone.is_some());
    let mut header = vec![
        "workload",
        "n",
        "serial",
        "ranks",
        "speedup",
        "compute",
        "packing",
        "in MPI",
        "moved/run",
        "faults/run",
    ];
    if one_rank {
        header.extend(["no MPI", "vs no MPI [95%]"]);
    }
    Table {
        header,
        rows: rows
            .iter()
            .map(|row| {
                let mut cells = vec![
                    row.workload.clone(),
                    row.n.to_string(),
                    human(row.serial.median()),
                    human(row.split.timing.median()),
                    format!("{:.2}×", speedup(&row.serial, &row.split.timing)),
                    human(row.split.slowest_compute()),
                    human(row.split.slowest_packing()),
                    human(row.split.slowest_exchanges()),
                    bytes(row.split.bytes_moved()),
                    row.split.most_page_faults().to_string(),
                ];
                if let Some(alone) = &row.split.alone {
                    let versus = Comparison::paired(alone, &row.split.timing);
                    cells.push(human(alone.median()));
                    cells.push(format!("{} {}", versus.interval_text(), versus.verdict));
                }
                cells
            })
            .collect(),
        left_columns: 1,
    }
}

pub(crate) fn speedup(serial: &Timing, split: &Timing) -> f64 {
    serial.median().as_secs_f64() / split.median().as_secs_f64().max(f64::MIN_POSITIVE)
}

fn report(
    rows: &[Row],
    ranks: usize,
    local: &Local,
    machine: &Machine,
    startup: super::Startup,
) -> Report {
    let shape = shape(ranks, local);
    let mut cells = Vec::new();
    let mut costs = Vec::new();
    for row in rows {
        let cell = |strategy: &str, threads: usize, timing: &Timing, speedup: f64| {
            Cell::new(
                &row.workload,
                "scalar",
                strategy,
                row.n,
                threads,
                None,
                timing,
            )
            .with_speedup(speedup)
        };
        cells.push(cell("serial", 1, &row.serial, 1.0));
        let total_threads = ranks * local.threads as usize;
        cells.push(cell(
            &shape,
            total_threads,
            &row.split.timing,
            speedup(&row.serial, &row.split.timing),
        ));
        if let Some(alone) = &row.split.alone {
            // The local strategy on its own, as `cargo xtask compare` names it.
            cells.push(cell(
                local.strategy.name(),
                local.threads as usize,
                alone,
                speedup(&row.serial, alone),
            ));
        }
        costs.push(ProcessCost {
            workload: row.workload.clone(),
            n: row.n,
            ranks,
            threads: local.threads,
            serial_s: row.serial.median().as_secs_f64(),
            median_s: row.split.timing.median().as_secs_f64(),
            compute_s: row.split.slowest_compute().as_secs_f64(),
            packing_s: row.split.slowest_packing().as_secs_f64(),
            in_mpi_s: row.split.slowest_exchanges().as_secs_f64(),
            bytes_moved: row.split.bytes_moved(),
            page_faults: row.split.most_page_faults(),
            alone_s: row
                .split
                .alone
                .as_ref()
                .map(|alone| alone.median().as_secs_f64()),
            vs_alone: row
                .split
                .alone
                .as_ref()
                .map(|alone| Comparison::paired(alone, &row.split.timing)),
        });
    }
    Report::new("ps-mpi compare", machine, cells)
        .with_detail("shape", &shape)
        .with_detail(
            "startup_since_launch_s",
            startup.since_launch.map(|d| d.as_secs_f64()),
        )
        .with_detail("startup_init_s", startup.init.as_secs_f64())
        .with_detail("mpi", costs)
}
