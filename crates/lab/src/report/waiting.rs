//! The waiting study's tables and sentences.

use std::fmt::Write as _;

use ps_catalog::StrategyKind;

use ps_harness::human;

use super::{header, maybe, table};
use crate::Machine;
use crate::waiting::{Probe, ProbeFigures, Runner, Study};

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "n/a".to_owned(),
        |kib| format!("{:.1}", kib as f64 / 1024.0),
    )
}

fn cells(probe: &Probe, measured: &ProbeFigures) -> Vec<String> {
    vec![
        probe.runner.to_string(),
        probe.threads.to_string(),
        human(measured.wall),
        maybe(measured.peak_threads),
        mib(measured.peak_memory_kib),
    ]
}

const HEAD: [&str; 5] = [
    "runner",
    "threads / workers",
    "wall time",
    "peak OS threads",
    "peak memory (MiB)",
];
/// The runner's name is text; the rest are figures.
const LEFT_COLUMNS: usize = 1;

/// The waiting study's tables: the best configuration of each runner per
/// size, the sentences drawn from them, and every rung in a fold.
#[must_use]
pub fn waiting(machine: &Machine, study: &Study) -> String {
    let mut out = header(machine);
    let runners: Vec<Runner> = StrategyKind::ALL
        .into_iter()
        .filter(|&kind| kind != StrategyKind::SERIAL)
        .map(Runner::Strategy)
        .chain([Runner::Tokio])
        .collect();
    let _ = writeln!(
        out,
        "Every item waits {}; each configuration ran in a fresh process. Wall time counts starting the threads (or the runtime) and joining them. The fastest thread count of each strategy:\n",
        human(study.delay)
    );
    for &items in &study.sizes {
        let _ = writeln!(out, "**{items} items**\n");
        let rows: Vec<Vec<String>> = runners
            .iter()
            .filter_map(|&runner| study.best(runner, items))
            .map(|(probe, measured)| cells(probe, measured))
            .collect();
        out += &table(&HEAD, LEFT_COLUMNS, &rows);
        out.push('\n');
    }
    out += &sentences(study);
    out += "\n<details><summary>Every configuration measured</summary>\n\n";
    let rows: Vec<Vec<String>> = study
        .rows
        .iter()
        .map(|row| {
            let mut cells = match &row.outcome {
                Ok(measured) => cells(&row.probe, measured),
                Err(reason) => vec![
                    row.probe.runner.to_string(),
                    row.probe.threads.to_string(),
                    format!("failed: {reason}"),
                    String::new(),
                    String::new(),
                ],
            };
            cells.insert(1, row.probe.items.to_string());
            cells
        })
        .collect();
    let mut head = HEAD.to_vec();
    head.insert(1, "items");
    out += &table(&head, LEFT_COLUMNS, &rows);
    if !study.skipped.is_empty() {
        let skipped: Vec<String> = study
            .skipped
            .iter()
            .map(|(kind, threads, items)| format!("{kind} × {threads} at {items}"))
            .collect();
        let _ = writeln!(
            out,
            "\nNot run, because at that thread count the waits alone would take longer than {}: {}.",
            human(study.budget),
            skipped.join(", ")
        );
    }
    out += "\n</details>\n";
    out
}

/// What the figures say, in sentences built from them.
fn sentences(study: &Study) -> String {
    let mut out = String::new();
    let limits = &study.limits;
    let _ = writeln!(
        out,
        "On this machine the kernel allows {} threads in all (`threads-max`), this user {} processes and threads (`ulimit -u`), and the control group {}; starting and joining a thread that does nothing took {} on average.",
        limits.threads_max(),
        limits.max_processes(),
        limits.cgroup_pids_max.as_ref().map_or_else(
            || "sets no pids.max".to_owned(),
            |max| format!("{max} (`pids.max`)")
        ),
        study.spawn_cost.map_or_else(|| "n/a".to_owned(), human)
    );
    let Some(&largest) = study.sizes.iter().max() else {
        return out;
    };
    let fastest_threads = study
        .rows
        .iter()
        .filter(|row| row.probe.items == largest && row.probe.runner != Runner::Tokio)
        .filter_map(|row| row.outcome.as_ref().ok().map(|m| (&row.probe, m)))
        .min_by_key(|(_, m)| m.wall);
    if let (Some((tokio, async_run)), Some((probe, thread_run))) =
        (study.best(Runner::Tokio, largest), fastest_threads)
    {
        let _ = writeln!(
            out,
            "\nAt {largest} items, tokio with {} workers finished in {} with {} OS threads at peak and {} MiB of peak memory; the fastest thread-based run, {} with {} threads, took {} with {} OS threads and {} MiB. Tokio's timer counts in whole milliseconds, so each of its items waited at least a millisecond, longer than the strategies' sleeps.",
            tokio.threads,
            human(async_run.wall),
            maybe(async_run.peak_threads),
            mib(async_run.peak_memory_kib),
            probe.runner,
            probe.threads,
            human(thread_run.wall),
            maybe(thread_run.peak_threads),
            mib(thread_run.peak_memory_kib),
        );
        let mut ladder: Vec<(&Probe, &ProbeFigures)> = study
            .rows
            .iter()
            .filter(|row| row.probe.items == largest && row.probe.runner == probe.runner)
            .filter_map(|row| row.outcome.as_ref().ok().map(|m| (&row.probe, m)))
            .collect();
        ladder.sort_by_key(|(p, _)| p.threads);
        if let (Some((low, low_run)), Some((high, high_run))) = (ladder.first(), ladder.last()) {
            if let (Some(low_kib), Some(high_kib)) =
                (low_run.peak_memory_kib, high_run.peak_memory_kib)
            {
                if high.threads > low.threads {
                    let per_thread =
                        (high_kib as f64 - low_kib as f64) / (high.threads - low.threads) as f64;
                    let _ = writeln!(
                        out,
                        "\nFrom {} to {} threads, {}'s peak memory grew by {per_thread:.0} KiB per thread (the touched part of each thread's stack and its bookkeeping).",
                        low.threads, high.threads, probe.runner
                    );
                }
            }
            if high.threads > probe.threads {
                let _ = writeln!(
                    out,
                    "\nBeyond {} threads {} stopped getting faster: with {} threads it took {}.",
                    probe.threads,
                    probe.runner,
                    high.threads,
                    human(high_run.wall)
                );
            }
        }
    }
    out
}
