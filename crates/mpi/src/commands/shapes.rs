//! `ps-mpi shapes`: the same workloads as P ranks × 1 thread, 1 rank × P
//! threads and a mix, one `mpirun` job per shape, in one table.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use std::time::Duration;

use ps_harness::{Cell, Failure, Load, Machine, Report, Table, human, measured_on, write_file};

use super::compare::{ProcessCost, bytes};
use super::launch::{mpirun, run};
use crate::Outcome;
use crate::cli::ShapesArgs;

/// The shapes for `cores`: all threads, all ranks, and a mix of both.
fn default_shapes(cores: u32) -> Vec<(u32, u32)> {
    let mix = if cores >= 4 {
        (cores / 2, 2)
    } else {
        (cores, 2)
    };
    let mut shapes = vec![(1, cores), (cores, 1), mix];
    shapes.dedup();
    shapes
}

struct Job {
    shape: (u32, u32),
    report: Report,
    costs: Vec<ProcessCost>,
}

fn run_job(args: &ShapesArgs, (ranks, threads): (u32, u32)) -> Result<Job, Failure> {
    let json: PathBuf = args.work_dir.join(format!("shape-{ranks}x{threads}.json"));
    let mut command = vec![
        "compare".to_owned(),
        "--threads".to_owned(),
        threads.to_string(),
        "--strategy".to_owned(),
        args.strategy.name().to_owned(),
        "--runs".to_owned(),
        args.selection.runs.to_string(),
        "--json".to_owned(),
        json.display().to_string(),
    ];
    for size in &args.sizes {
        command.extend(["--size".to_owned(), size.to_string()]);
    }
    for workload in &args.selection.workloads {
        command.extend(["--workload".to_owned(), workload.clone()]);
    }
    eprintln!("shape {ranks} × {threads}: ps-mpi {}", command.join(" "));
    let status = run(mpirun(ranks, args.hostfile.as_deref(), &[], &command)?)?;
    if !status.success() {
        return Err(Failure::Child(format!(
            "the {ranks} × {threads} job failed ({status})"
        )));
    }
    let text = fs::read_to_string(&json).map_err(|error| Failure::io(&json, "read", error))?;
    let report = Report::from_json(&text).map_err(Failure::Invalid)?;
    let costs = report
        .details
        .get("mpi")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|error| Failure::Invalid(format!("{}: {error}", json.display())))?
        .unwrap_or_default();
    Ok(Job {
        shape: (ranks, threads),
        report,
        costs,
    })
}

/// `2 × 1`, as the tables head a shape's column.
fn label((ranks, threads): (u32, u32)) -> String {
    format!("{ranks} × {threads}")
}

/// `2x1`, as the JSON report names a shape's cells (a word the book's
/// claims can select).
fn cell_name((ranks, threads): (u32, u32)) -> String {
    format!("{ranks}x{threads}")
}

/// The job of one rank, whose rows carry the strategy without MPI.
fn one_rank(jobs: &[Job]) -> Option<&Job> {
    jobs.iter().find(|job| job.shape.0 == 1)
}

fn seconds(s: f64) -> String {
    human(Duration::from_secs_f64(s))
}

/// Each workload and size: serial, every shape, and, from the job of one
/// rank, its threads without MPI and how the one-rank job compares.
fn times_table(jobs: &[Job]) -> Table {
    let one_rank = one_rank(jobs);
    let mut header: Vec<&'static str> = vec!["workload", "n", "serial"];
    // Table headers are 'static; the few shape labels are leaked once.
    header.extend(
        jobs.iter()
            .map(|job| &*Box::leak(label(job.shape).into_boxed_str())),
    );
    if let Some(job) = one_rank {
        let threads = job.shape.1;
        header.push(Box::leak(
            format!("{threads} threads, no MPI").into_boxed_str(),
        ));
        header.push(Box::leak(
            format!("1 × {threads} vs no MPI [95%]").into_boxed_str(),
        ));
    }
    let rows = jobs[0]
        .costs
        .iter()
        .enumerate()
        .map(|(i, cost)| {
            let mut row = vec![
                cost.workload.clone(),
                cost.n.to_string(),
                seconds(cost.serial_s),
            ];
            row.extend(jobs.iter().map(|job| {
                job.costs.get(i).map_or_else(String::new, |cell| {
                    format!(
                        "{} ({:.2}×)",
                        seconds(cell.median_s),
                        cell.serial_s / cell.median_s
                    )
                })
            }));
            if let Some(cell) = one_rank.and_then(|job| job.costs.get(i)) {
                row.push(cell.alone_s.map_or_else(String::new, |alone| {
                    format!("{} ({:.2}×)", seconds(alone), cell.serial_s / alone)
                }));
                row.push(cell.vs_alone.map_or_else(String::new, |versus| {
                    format!("{} {}", versus.interval_text(), versus.verdict)
                }));
            }
            row
        })
        .collect();
    Table {
        header,
        rows,
        left_columns: 1,
    }
}

/// What the jobs of several ranks paid beyond the work.
fn costs_table(jobs: &[Job]) -> Table {
    Table {
        header: vec![
            "workload",
            "n",
            "ranks × threads",
            "compute",
            "packing",
            "in MPI",
            "moved/run",
            "faults/run",
        ],
        rows: jobs
            .iter()
            .filter(|job| job.shape.0 > 1)
            .flat_map(|job| {
                job.costs.iter().map(move |cost| {
                    vec![
                        cost.workload.clone(),
                        cost.n.to_string(),
                        label(job.shape),
                        seconds(cost.compute_s),
                        seconds(cost.packing_s),
                        seconds(cost.in_mpi_s),
                        bytes(cost.bytes_moved),
                        cost.page_faults.to_string(),
                    ]
                })
            })
            .collect(),
        left_columns: 3,
    }
}

fn startups(jobs: &[Job]) -> String {
    let mut text = String::new();
    for job in jobs {
        let seconds = |key: &str| {
            job.report
                .details
                .get(key)
                .and_then(serde_json::Value::as_f64)
                .map_or_else(|| "not known".to_owned(), seconds)
        };
        let _ = writeln!(
            text,
            "- {}: launch to MPI_Init done {}, MPI_Init alone {} (slowest rank)",
            label(job.shape),
            seconds("startup_since_launch_s"),
            seconds("startup_init_s"),
        );
    }
    text
}

/// Every job's cells in one report: serial (from the first job), each
/// shape as `RANKSxTHREADS`, and the strategy without MPI from the job of
/// one rank under its own name; every job's costs as the `mpi` detail.
fn report(jobs: &[Job], machine: &Machine) -> Report {
    let mut cells: Vec<Cell> = Vec::new();
    for (index, job) in jobs.iter().enumerate() {
        let shape = job
            .report
            .details
            .get("shape")
            .and_then(serde_json::Value::as_str);
        for cell in &job.report.results {
            let mut cell = cell.clone();
            if Some(cell.strategy.as_str()) == shape {
                cell.strategy = cell_name(job.shape);
            } else if cell.strategy == "serial" && index > 0 {
                continue;
            }
            cells.push(cell);
        }
    }
    let versus: Vec<ps_harness::Comparison> = one_rank(jobs)
        .map(|job| job.costs.iter().filter_map(|cost| cost.vs_alone).collect())
        .unwrap_or_default();
    let verdicts: Vec<serde_json::Value> = versus
        .iter()
        .filter_map(|versus| serde_json::to_value(versus.verdict).ok())
        .collect();
    let ratios = versus.iter().map(|versus| versus.ratio);
    let range = serde_json::json!({
        "min": ratios.clone().reduce(f64::min),
        "max": ratios.reduce(f64::max),
    });
    let costs: Vec<&ProcessCost> = jobs.iter().flat_map(|job| &job.costs).collect();
    let mut report = Report::new("ps-mpi shapes", machine, cells)
        .with_detail("mpi", costs)
        .with_detail("one_rank_vs_no_mpi", verdicts)
        .with_detail("one_rank_over_no_mpi", range);
    // This process times nothing itself: the load is the busiest job's.
    report.load = busiest(jobs);
    report.busy = report.load.is_some_and(|load| load.is_busy());
    report.memory = jobs.iter().find_map(|job| job.report.memory.clone());
    report
}

/// The load of the job whose machine other processes used most.
fn busiest(jobs: &[Job]) -> Option<Load> {
    jobs.iter()
        .filter_map(|job| job.report.load)
        .max_by(|a, b| a.others.unwrap_or(0.0).total_cmp(&b.others.unwrap_or(0.0)))
}

pub(crate) fn shapes(args: &ShapesArgs) -> Outcome {
    let cores = args
        .cores
        .unwrap_or_else(|| ps_strategy::available_threads() as u32);
    let shapes = if args.shapes.is_empty() {
        default_shapes(cores)
    } else {
        args.shapes.clone()
    };
    fs::create_dir_all(&args.work_dir)
        .map_err(|error| Failure::io(&args.work_dir, "create", error))?;
    let jobs = shapes
        .iter()
        .map(|&shape| run_job(args, shape))
        .collect::<Result<Vec<_>, _>>()?;
    let (times, costs, startups) = (times_table(&jobs), costs_table(&jobs), startups(&jobs));
    let machine = Machine::detect();
    let load = busiest(&jobs).map_or_else(String::new, |load| {
        format!(" The busiest job: {}.", load.describe())
    });
    let heading = format!(
        "{}{load}\n\nShapes are ranks × threads of {} per rank; each cell is the median time and the speedup over serial, measured in the same job. The job of one rank also times the same strategy with no MPI at all, alternating with its own runs.\n",
        measured_on(&machine),
        args.strategy
    );
    let text = format!(
        "{heading}\n{}\nWhat the processes added:\n\n{}\nProcess start-up per job:\n\n{startups}",
        times.to_text(),
        costs.to_text()
    );
    println!("{text}");
    if let Some(path) = &args.markdown {
        write_file(
            path,
            format!(
                "{heading}\n{}\nWhat the processes added (slowest rank per run):\n\n{}\nProcess start-up per job:\n\n{startups}",
                times.to_markdown(),
                costs.to_markdown()
            ),
        )?;
    }
    if let Some(path) = &args.json {
        write_file(path, report(&jobs, &machine).to_json())?;
    }
    Ok(std::process::ExitCode::SUCCESS)
}
