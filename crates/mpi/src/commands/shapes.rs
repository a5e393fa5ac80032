//! `ps-mpi shapes`: the same workloads as P ranks × 1 thread, 1 rank × P
//! threads and a mix, one `mpirun` job per shape, in one table.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use ps_harness::{Failure, Machine, Report, Table, human, measured_on, write_file};
use std::time::Duration;

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
        return Err(Failure::Failed(format!(
            "the {ranks} × {threads} job failed ({status})"
        )));
    }
    let text = fs::read_to_string(&json)
        .map_err(|error| Failure::Failed(format!("cannot read {}: {error}", json.display())))?;
    let report = Report::from_json(&text).map_err(Failure::Failed)?;
    let costs = report
        .details
        .get("mpi")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|error| Failure::Failed(format!("{}: {error}", json.display())))?
        .unwrap_or_default();
    Ok(Job {
        shape: (ranks, threads),
        report,
        costs,
    })
}

#[expect(clippy::too_many_lines, reason = "three tables built side by side")]
pub(crate) fn shapes(args: &ShapesArgs) -> Outcome {
    let cores = args
        .cores
        .unwrap_or_else(|| ps_strategy::available_threads() as u32);
    let shapes = if args.shapes.is_empty() {
        default_shapes(cores)
    } else {
        args.shapes.clone()
    };
    fs::create_dir_all(&args.work_dir).map_err(|error| {
        Failure::Failed(format!(
            "cannot create {}: {error}",
            args.work_dir.display()
        ))
    })?;
    let jobs = shapes
        .iter()
        .map(|&shape| run_job(args, shape))
        .collect::<Result<Vec<_>, _>>()?;
    let label = |(ranks, threads): (u32, u32)| format!("{ranks} × {threads}");
    let mut header: Vec<&'static str> = vec!["workload", "n", "serial"];
    // Table headers are 'static; the few shape labels are leaked once.
    header.extend(
        jobs.iter()
            .map(|job| &*Box::leak(label(job.shape).into_boxed_str())),
    );
    let first = &jobs[0].costs;
    let rows = first
        .iter()
        .enumerate()
        .map(|(i, cost)| {
            let mut row = vec![
                cost.workload.clone(),
                cost.n.to_string(),
                human(Duration::from_secs_f64(cost.serial_s)),
            ];
            row.extend(jobs.iter().map(|job| {
                job.costs.get(i).map_or_else(String::new, |cell| {
                    format!(
                        "{} ({:.2}×)",
                        human(Duration::from_secs_f64(cell.median_s)),
                        cell.serial_s / cell.median_s
                    )
                })
            }));
            row
        })
        .collect();
    let times = Table {
        header,
        rows,
        left_columns: 1,
    };
    let costs = Table {
        header: vec![
            "workload",
            "n",
            "ranks × threads",
            "compute",
            "in MPI",
            "moved/run",
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
                        human(Duration::from_secs_f64(cost.compute_s)),
                        human(Duration::from_secs_f64(cost.in_mpi_s)),
                        bytes(cost.bytes_moved),
                    ]
                })
            })
            .collect(),
        left_columns: 3,
    };
    let mut startups = String::new();
    for job in &jobs {
        let seconds = |key: &str| {
            job.report
                .details
                .get(key)
                .and_then(serde_json::Value::as_f64)
                .map_or_else(
                    || "not known".to_owned(),
                    |s| human(Duration::from_secs_f64(s)),
                )
        };
        let _ = writeln!(
            startups,
            "- {}: launch to MPI_Init done {}, MPI_Init alone {} (slowest rank)",
            label(job.shape),
            seconds("startup_since_launch_s"),
            seconds("startup_init_s"),
        );
    }
    let heading = format!(
        "{}\n\nShapes are ranks × threads of {} per rank; each cell is the median time and the speedup over serial, measured in the same job.\n",
        measured_on(&Machine::detect()),
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
    Ok(std::process::ExitCode::SUCCESS)
}
