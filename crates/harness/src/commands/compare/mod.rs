//! `compare`: every workload under every strategy, verified, then timed.

mod output;

use std::fmt::Write as _;

use ps_catalog::StrategyKind;

use crate::Failure;
use crate::cli::CompareArgs;
use crate::emit::{Emit, Outputs};
use crate::machine::{Machine, optimised};
use crate::measure::{Budget, Timing, human};
use crate::progress::Progress;
use crate::record::{Cell, Report};
use crate::registry::{Entry, Registry};
use crate::table::plural;
use crate::table::{Table, measured_on};
use crate::timed::{
    Contender, against_serial, budget, config, read_input, speedup, time_rotation, with_baseline,
};
use crate::{Comparison, VERDICT_RULE};

/// One workload under one strategy.
#[derive(Debug, Clone)]
pub struct ComparedCell {
    /// The workload's name.
    pub workload: String,
    /// The kernel it ran with.
    pub kernel: String,
    /// The input size.
    pub n: usize,
    /// The strategy.
    pub strategy: StrategyKind,
    /// The threads it ran on (1 for serial).
    pub threads: usize,
    /// `None` for strategies that do not cut by grain.
    pub grain: Option<usize>,
    /// The verified, timed runs.
    pub timing: Timing,
    /// Median serial time over this median.
    pub speedup: f64,
    /// This cell against the serial cell its speedup is over, sampled in the
    /// same rotations; `None` for that serial cell itself.
    pub vs_serial: Option<Comparison>,
    /// For a memory-bound workload: the bytes it must move per run.
    pub traffic: Option<ps_workload::Traffic>,
    /// For a memory-bound workload, once the ceilings are measured: the rate
    /// achieved against the machine's.
    pub roofline: Option<crate::Roofline>,
}

impl ComparedCell {
    /// Speedup over threads.
    #[must_use]
    pub fn efficiency(&self) -> f64 {
        self.speedup / self.threads as f64
    }

    /// As a report record.
    #[must_use]
    pub fn to_cell(&self) -> Cell {
        Cell::new(
            &self.workload,
            &self.kernel,
            self.strategy.name(),
            self.n,
            self.threads,
            self.grain,
            &self.timing,
        )
        .with_speedup(self.speedup)
        .with_roofline(self.roofline)
        .with_vs_serial(self.vs_serial)
    }
}

/// A section a caller adds below the table: text for the terminal and
/// Markdown, and a JSON detail.
#[derive(Debug, Clone)]
pub struct Section {
    /// For the terminal.
    pub text: String,
    /// For `--markdown`.
    pub markdown: String,
    /// For `--json`: the key and value added to the report's details.
    pub json: Option<(String, serde_json::Value)>,
}

/// What `compare` measured.
#[derive(Debug)]
pub struct Compared {
    /// Where.
    pub machine: Machine,
    /// The threads each parallel strategy was given.
    pub threads: usize,
    /// How many workloads.
    pub workloads: usize,
    /// Every cell, serial baselines included.
    pub cells: Vec<ComparedCell>,
    /// The strategies asked for (serial is measured regardless).
    pub strategies: Vec<StrategyKind>,
    /// The machine's memory ceilings, measured when a memory-bound workload
    /// (one that declares its traffic) ran.
    pub ceilings: Option<crate::Ceilings>,
    /// What faulting in a memory-bound workload's largest output afresh
    /// costs, which no timed run pays (see [`crate::measure_rotation`]).
    pub first_touch: Option<crate::FirstTouch>,
}

/// Measures every selected workload under every selected strategy. Every
/// size is checked and every input file read before any work starts.
///
/// # Errors
///
/// [`Failure::Usage`] for a bad name or size, [`Failure::Io`] for a file
/// that cannot be read or written, [`Failure::WrongResult`] for a wrong
/// result or a panic, and [`Failure::Refused`] for threads or memory the
/// system will not give.
pub fn measure(args: &CompareArgs, registry: &Registry) -> Result<Compared, Failure> {
    args.output.check()?;
    let machine = Machine::detect();
    let threads = args.threads.or_available();
    let workloads = registry.select(&args.workloads)?;
    let text = args.input.path.as_deref().map(read_input).transpose()?;
    for workload in &workloads {
        if text.is_none() || args.workloads.is_empty() {
            workload.check_n(args.n.unwrap_or_else(|| workload.sizes().get(args.size())))?;
        }
    }
    check_kernels(&workloads, &args.kernels)?;
    let strategies = args.strategies(registry)?;
    let budget = budget(args.quick, args.runs);
    let kernels_of = |workload: &dyn Entry| kernels_to_run(workload, &args.kernels);
    let jobs: usize = workloads.iter().map(|w| kernels_of(*w).len()).sum();
    let progress = Progress::new((jobs * with_baseline(&strategies).len()) as u64, "cells");
    let mut cells = Vec::new();
    for workload in &workloads {
        let job = Job {
            workload: *workload,
            text: text.as_deref(),
            n: args.n.unwrap_or_else(|| workload.sizes().get(args.size())),
        };
        cells.extend(measure_workload(
            &job,
            args,
            &strategies,
            threads,
            budget,
            &progress,
        )?);
    }
    progress.finish_and_clear();
    let ceilings = if optimised() && cells.iter().any(|cell| cell.traffic.is_some()) {
        eprintln!("measuring this machine's memory bandwidth for the memory-bound workloads");
        let ceilings = crate::Ceilings::measure(threads, args.quick)?;
        for cell in &mut cells {
            cell.roofline = cell.traffic.map(|traffic| {
                crate::Roofline::of(
                    traffic,
                    cell.timing.median().as_secs_f64(),
                    cell.threads,
                    &ceilings,
                )
            });
        }
        Some(ceilings)
    } else {
        None
    };
    let written = cells
        .iter()
        .filter_map(|cell| cell.traffic)
        .map(|t| t.written)
        .max();
    let first_touch = match written {
        Some(bytes) if optimised() && bytes > 0 => Some(
            crate::FirstTouch::measure(bytes, threads)
                .map_err(|error| Failure::Refused(format!("cannot map fresh memory: {error}")))?,
        ),
        _ => None,
    };
    Ok(Compared {
        machine,
        threads,
        workloads: workloads.len(),
        cells,
        strategies,
        ceilings,
        first_touch,
    })
}

struct Job<'a> {
    workload: &'a dyn Entry,
    text: Option<&'a str>,
    n: usize,
}

fn measure_workload(
    job: &Job<'_>,
    args: &CompareArgs,
    strategies: &[StrategyKind],
    threads: usize,
    budget: Budget,
    progress: &Progress,
) -> Result<Vec<ComparedCell>, Failure> {
    let workload = job.workload;
    progress.set_message(format!(
        "{}: preparing the inputs and the references",
        workload.name()
    ));
    let mut inputs = Vec::new();
    for &kernel in &kernels_to_run(workload, &args.kernels) {
        // `--input` goes to the workloads that read files; with every
        // workload selected, the others run at their usual size.
        let prepared = match job.text {
            Some(text) => match workload.prepare_from_text(text.to_owned(), kernel) {
                Ok(prepared) => prepared,
                Err(_) if args.workloads.is_empty() => workload.prepare_kernel(job.n, kernel)?,
                Err(failure) => return Err(failure),
            },
            None => workload.prepare_kernel(job.n, kernel)?,
        };
        inputs.push(prepared);
        if job.text.is_some() {
            break;
        }
    }
    let grain = args.grain.or_workload(workload, inputs[0].n());
    let config = config(threads, grain)?;
    // Every kernel under every strategy, sampled in one rotation.
    let contenders: Vec<Contender<'_>> = inputs
        .iter()
        .flat_map(|prepared| {
            with_baseline(strategies)
                .into_iter()
                .map(move |kind| Contender {
                    prepared: &**prepared,
                    kind,
                    config,
                })
        })
        .collect();
    progress.set_message(format!(
        "{}: {} in rotation",
        workload.name(),
        plural(contenders.len(), "cell")
    ));
    let measured = time_rotation(&contenders, budget)?;
    progress.inc(contenders.len() as u64);
    // Every speedup is over the serial loop with the first kernel, so a
    // faster kernel's gain and the threads' multiply.
    let serial = &measured[0].timing;
    Ok(contenders
        .iter()
        .zip(&measured)
        .enumerate()
        .map(|(index, (contender, measured))| ComparedCell {
            workload: workload.name().to_owned(),
            kernel: contender.prepared.kernel().to_owned(),
            n: contender.prepared.n(),
            strategy: contender.kind,
            threads: measured.threads,
            grain: contender.kind.uses_grain().then_some(grain),
            speedup: speedup(serial, &measured.timing),
            vs_serial: (index > 0).then(|| against_serial(serial, &measured.timing)),
            traffic: workload.memory_traffic(contender.prepared.n()),
            roofline: None,
            timing: measured.timing.clone(),
        })
        .collect())
}

/// How the roofline columns are computed, printed under the ceilings.
const ROOFLINE_NOTE: &str = "For the memory-bound workloads, GB/s = the bytes a run must read and write / median, and \"of ceiling\" compares it with the copy rate (read rate for a job that only reads) at the same thread count; above 100% the data fit in a cache, where memory is not the limit.";

/// The kernels of `workload` that `asked` names, in its own order, or its
/// default kernel when it has none of them.
fn kernels_to_run(workload: &dyn Entry, asked: &[String]) -> Vec<&'static str> {
    let chosen: Vec<&'static str> = workload
        .kernels()
        .iter()
        .copied()
        .filter(|kernel| asked.iter().any(|a| a == kernel))
        .collect();
    if chosen.is_empty() {
        vec![workload.kernels()[0]]
    } else {
        chosen
    }
}

/// A kernel asked for that no selected workload has is a usage error.
fn check_kernels(workloads: &[&dyn Entry], asked: &[String]) -> Result<(), Failure> {
    for kernel in asked {
        if !workloads
            .iter()
            .any(|w| w.kernels().contains(&kernel.as_str()))
        {
            let mut known: Vec<&str> = workloads
                .iter()
                .flat_map(|w| w.kernels().iter().copied())
                .collect();
            known.sort_unstable();
            known.dedup();
            return Err(Failure::Usage(format!(
                "no selected workload has a kernel `{kernel}` (they have: {})",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

/// `compare`: measure, then print and write.
///
/// # Errors
///
/// As [`measure`] and [`Compared::print_and_write`].
pub fn compare(args: &CompareArgs, registry: &Registry) -> Result<(), Failure> {
    if let Some(count) = args.processes {
        return crate::compare_in_processes(args, count);
    }
    measure(args, registry)?.print_and_write(args, None)
}
