//! The numbers the decision rests on, read from the committed figures.
//!
//! Every threshold is computed here from a report the book already shows:
//! the harness's JSON where there is one, the bench's and the lab's
//! Markdown tables where there is not. A figure that cannot be read is an
//! error naming the file and the row, never a default.

use std::path::Path;

use ps_harness::{Cell, CrossoverRecord, Report};

use super::markdown::{table_duration, waiting};

/// One workload at one strategy of one report: its median in seconds.
fn median(report: &Report, workload: &str, strategy: &str, threads: Option<usize>) -> Option<f64> {
    report
        .results
        .iter()
        .filter(|cell| cell.workload == workload && cell.strategy == strategy)
        .filter(|cell| threads.is_none_or(|t| cell.threads == t))
        .map(|cell| cell.timing.median_s)
        .next()
}

/// The figures of the decision, in the units the chapter states them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Figures {
    /// The book's own machine's logical cores.
    pub(crate) cores: usize,
    /// The machine with the most cores under `generated/machines/`: its
    /// folder and its logical cores.
    pub(crate) many: String,
    pub(crate) many_cores: usize,
    pub(crate) start: Start,
    pub(crate) work: Work,
    pub(crate) memory: Memory,
    pub(crate) uneven: Uneven,
    pub(crate) phases: Phases,
    pub(crate) waiting: Waiting,
}

/// What starting parallel work costs (the overheads bench).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Start {
    /// Spawning and joining one scoped thread.
    pub(crate) thread_us: f64,
    /// Criterion's spread of `thread_us`, over `thread_us`.
    pub(crate) thread_spread: f64,
    /// Entering rayon's pool from a thread outside it.
    pub(crate) rayon_install_us: f64,
    /// One `rayon::join` inside the pool.
    pub(crate) rayon_join_ns: f64,
}

/// The smallest loop worth splitting: primes' crossover.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Work {
    /// The strategy whose crossover needed the least serial work.
    pub(crate) strategy: String,
    /// Serial time of one call at that strategy's crossover size.
    pub(crate) serial_us: f64,
    /// `serial_us` over the cost of starting a thread.
    pub(crate) over_thread_start: f64,
    /// Strategies with a crossover on primes.
    pub(crate) crossovers: usize,
    /// Whether squares, memory-bound, had no crossover at all.
    pub(crate) squares_none: bool,
    /// Serial time of squares' largest size, where it still had none.
    pub(crate) squares_largest_us: f64,
}

/// The memory ceiling, on this machine and on the many-core one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Memory {
    /// The lowest share of the one-thread ceiling a memory-bound serial
    /// loop reached (squares and sum-of-squares).
    pub(crate) serial_share: f64,
    /// How many workloads `serial_share` rests on.
    pub(crate) workloads: usize,
    /// All-threads copy rate over one thread's, here and there.
    pub(crate) copy_gain: f64,
    pub(crate) many_copy_gain: f64,
    /// All-threads read rate over one thread's, here and there.
    pub(crate) read_gain: f64,
    pub(crate) many_read_gain: f64,
    pub(crate) copy_one_gb_s: f64,
    pub(crate) copy_all_gb_s: f64,
}

/// Work whose cost varies with position.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Uneven {
    /// Static blocks' time over dynamic claims' on primes, here.
    pub(crate) primes_static_over_dynamic: f64,
    /// The same on Mandelbrot at the many-core machine's threads.
    pub(crate) many_mandelbrot_static_over_dynamic: f64,
    /// Chunks per thread at the largest grain within 5% of the best
    /// dynamic-claims time on primes.
    pub(crate) chunks_per_thread: f64,
}

/// Many short calls in a row: spectral-norm.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Phases {
    /// Parallel calls in one spectral-norm run.
    pub(crate) calls: usize,
    /// Serial work per call per thread, here (at all cores).
    pub(crate) per_thread_us: f64,
    /// The same on the many-core machine.
    pub(crate) many_per_thread_us: f64,
    /// Rayon's speedup over dynamic claims' at all cores, there.
    pub(crate) many_rayon_over_dynamic: f64,
}

/// Waiting rather than computing (the pitfalls lab).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Waiting {
    /// Items in the lab's largest run.
    pub(crate) items: usize,
    /// Tokio's wall time at that size.
    pub(crate) async_ms: f64,
    /// The fastest thread-based runner there, its threads and wall time.
    pub(crate) threads_runner: String,
    pub(crate) threads: usize,
    pub(crate) threads_ms: f64,
    /// `async_ms` over `threads_ms`.
    pub(crate) async_over_threads: f64,
    /// How long a tiny task waited behind computing inside async tasks,
    /// and behind computing handed to `spawn_blocking`.
    pub(crate) ping_inside_us: f64,
    pub(crate) ping_blocking_us: f64,
    /// `ping_inside_us` over `ping_blocking_us`.
    pub(crate) ping_inside_over_blocking: f64,
}

impl Figures {
    /// Reads every figure from `generated` (the book's `generated/`).
    pub(crate) fn read(generated: &Path) -> Result<Figures, String> {
        let compare = report(generated, "compare.json")?;
        let (many, many_compare) = many_core(generated)?;
        let many_dir = format!("machines/{many}");
        let overheads = text(generated, "overheads.md")?;
        let column = |bench: &str, column| {
            table_duration(&overheads, bench, column)
                .map_err(|reason| format!("generated/overheads.md: {reason}"))
        };
        let overhead = |bench: &str| column(bench, 1);
        let spawn = "overheads/spawn-join/scoped-thread";
        let start = Start {
            thread_us: overhead(spawn)? * 1e6,
            thread_spread: column(spawn, 2)? / overhead(spawn)?,
            rayon_install_us: overhead("overheads/rayon/install-from-outside")? * 1e6,
            rayon_join_ns: overhead("overheads/rayon/join-in-pool")? * 1e9,
        };
        let work = work(generated, &start)?;
        let memory = memory(&compare, &many_compare)?;
        let uneven = uneven(generated, &many_dir)?;
        let phases = phases(&compare, generated, &many_dir, &many_compare)?;
        let waiting = waiting(generated)?;
        Ok(Figures {
            cores: compare.machine.logical_cores,
            many_cores: many_compare.machine.logical_cores,
            many,
            start,
            work,
            memory,
            uneven,
            phases,
            waiting,
        })
    }

    /// The figures as a report claims can read (`decision.json: detail …`),
    /// on the machine of `compare.json`.
    pub(crate) fn report(&self, generated: &Path) -> Result<Report, String> {
        let mut report = report(generated, "compare.json")?;
        "decide".clone_into(&mut report.command);
        report.results.clear();
        report.load = None;
        report.memory = None;
        report.details.clear();
        let value = serde_json::to_value(self).map_err(|error| error.to_string())?;
        if let serde_json::Value::Object(map) = value {
            report.details.extend(map);
        }
        Ok(report)
    }
}

pub(super) fn text(generated: &Path, name: &str) -> Result<String, String> {
    std::fs::read_to_string(generated.join(name))
        .map_err(|error| format!("generated/{name}: {error}"))
}

fn report(generated: &Path, name: &str) -> Result<Report, String> {
    Report::from_json(&text(generated, name)?)
        .map_err(|reason| format!("generated/{name}: {reason}"))
}

/// The folder under `machines/` whose `compare.json` has the most cores.
fn many_core(generated: &Path) -> Result<(String, Report), String> {
    let dir = generated.join("machines");
    let entries =
        std::fs::read_dir(&dir).map_err(|error| format!("generated/machines: {error}"))?;
    let mut best: Option<(String, Report)> = None;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(report) = report(generated, &format!("machines/{name}/compare.json")) else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|(_, b)| report.machine.logical_cores > b.machine.logical_cores)
        {
            best = Some((name, report));
        }
    }
    best.ok_or_else(|| "generated/machines/ holds no machine's compare.json".to_owned())
}

fn work(generated: &Path, start: &Start) -> Result<Work, String> {
    let primes = report(generated, "sweep-primes.json")?;
    let crossovers = primes
        .records::<CrossoverRecord>()
        .ok_or("generated/sweep-primes.json has no crossovers")??;
    let mut found = Vec::new();
    for crossover in crossovers {
        let Some(n) = crossover.n_star else {
            continue;
        };
        let serial = primes
            .results
            .iter()
            .find(|cell| cell.strategy == "serial" && cell.n == n)
            .ok_or_else(|| format!("sweep-primes.json has no serial run at n* = {n}"))?;
        found.push((crossover.strategy, serial.timing.median_s));
    }
    let (strategy, smallest_s) = found
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .cloned()
        .ok_or("sweep-primes.json found no crossover: no smallest loop worth splitting")?;
    let squares = report(generated, "sweep-squares.json")?;
    let squares_none = squares
        .records::<CrossoverRecord>()
        .transpose()?
        .is_some_and(|all| all.iter().all(|c| c.n_star.is_none()));
    let squares_largest_s = squares
        .results
        .iter()
        .filter(|cell| cell.strategy == "serial")
        .max_by_key(|cell| cell.n)
        .map(|cell| cell.timing.median_s)
        .ok_or("sweep-squares.json has no serial run")?;
    let serial_us = smallest_s * 1e6;
    Ok(Work {
        strategy,
        serial_us,
        over_thread_start: serial_us / start.thread_us,
        crossovers: found.len(),
        squares_none,
        squares_largest_us: squares_largest_s * 1e6,
    })
}

fn ceilings(report: &Report, which: &str) -> Result<(f64, f64), String> {
    let ceilings = report
        .details
        .get("memory_ceilings_gb_per_s")
        .ok_or("a compare report without its memory ceilings")?;
    let rate = |key: String| {
        ceilings
            .get(&key)
            .and_then(serde_json::Value::as_f64)
            .ok_or(format!("no memory ceiling `{key}`"))
    };
    Ok((rate(format!("{which}_one"))?, rate(format!("{which}_all"))?))
}

fn memory(compare: &Report, many: &Report) -> Result<Memory, String> {
    let shares: Vec<f64> = compare
        .results
        .iter()
        .filter(|cell| cell.strategy == "serial")
        .filter_map(|cell: &Cell| cell.ceiling_fraction)
        .collect();
    let serial_share = shares
        .iter()
        .copied()
        .reduce(f64::min)
        .ok_or("compare.json: no serial run reports its share of the memory ceiling")?;
    let (copy_one, copy_all) = ceilings(compare, "copy")?;
    let (read_one, read_all) = ceilings(compare, "read")?;
    let (many_copy_one, many_copy_all) = ceilings(many, "copy")?;
    let (many_read_one, many_read_all) = ceilings(many, "read")?;
    Ok(Memory {
        serial_share,
        workloads: shares.len(),
        copy_gain: copy_all / copy_one,
        many_copy_gain: many_copy_all / many_copy_one,
        read_gain: read_all / read_one,
        many_read_gain: many_read_all / many_read_one,
        copy_one_gb_s: copy_one,
        copy_all_gb_s: copy_all,
    })
}

fn uneven(generated: &Path, many_dir: &str) -> Result<Uneven, String> {
    let ratio = |report: &Report, workload: &str| {
        let time = |strategy| {
            median(report, workload, strategy, None)
                .ok_or(format!("no {workload}/{strategy} run in an uneven report"))
        };
        Ok::<f64, String>(time("threads-static")? / time("threads-dynamic")?)
    };
    let here = report(generated, "uneven.json")?;
    let many = report(generated, &format!("{many_dir}/uneven.json"))?;
    let sweep = report(generated, "sweep-primes.json")?;
    let largest = sweep.results.iter().map(|cell| cell.n).max().unwrap_or(0);
    let dynamic: Vec<&Cell> = sweep
        .results
        .iter()
        .filter(|cell| cell.strategy == "threads-dynamic" && cell.n == largest)
        .collect();
    let best = dynamic
        .iter()
        .map(|cell| cell.timing.median_s)
        .reduce(f64::min)
        .ok_or("sweep-primes.json has no dynamic-claims grain sweep")?;
    let coarsest = dynamic
        .iter()
        .filter(|cell| cell.timing.median_s <= best * 1.05)
        .max_by_key(|cell| cell.grain)
        .ok_or("sweep-primes.json has no dynamic-claims grain sweep")?;
    let grain = coarsest.grain.unwrap_or(largest).max(1);
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let chunks_per_thread = largest.div_ceil(grain) as f64 / coarsest.threads as f64;
    Ok(Uneven {
        primes_static_over_dynamic: ratio(&here, "primes")?,
        many_mandelbrot_static_over_dynamic: ratio(&many, "mandelbrot")?,
        chunks_per_thread,
    })
}

/// How many times spectral-norm calls its strategy, counted by running its
/// power method on a one-element matrix.
fn spectral_calls() -> usize {
    let mut calls = 0;
    let _ = ps_workloads::spectral_norm::power_method(1, |output, _, _| {
        calls += 1;
        output.fill(1.0);
    });
    calls
}

fn phases(
    compare: &Report,
    generated: &Path,
    many_dir: &str,
    many_compare: &Report,
) -> Result<Phases, String> {
    let calls = spectral_calls();
    let per_thread = |report: &Report| {
        let serial = median(report, "spectral-norm", "serial", None)
            .ok_or("no spectral-norm serial run in a compare report")?;
        #[allow(clippy::cast_precision_loss)] // small counts
        let shares = (calls * report.machine.logical_cores) as f64;
        Ok::<f64, String>(serial / shares * 1e6)
    };
    let scaling = report(generated, &format!("{many_dir}/scaling-spectral-norm.json"))?;
    let cores = Some(scaling.machine.logical_cores);
    let speedup = |strategy| {
        scaling
            .results
            .iter()
            .find(|cell| cell.strategy == strategy && Some(cell.threads) == cores)
            .and_then(|cell| cell.speedup)
            .ok_or(format!("no spectral-norm {strategy} run at all cores"))
    };
    Ok(Phases {
        calls,
        per_thread_us: per_thread(compare)?,
        many_per_thread_us: per_thread(many_compare)?,
        many_rayon_over_dynamic: speedup("rayon")? / speedup("threads-dynamic")?,
    })
}
