//! The book's allocator table: binary trees with the system allocator, with
//! an arena per task and with mimalloc, each strategy's speedup over the
//! serial loop *with the same allocator*.
//!
//! A program has one global allocator, so mimalloc runs in a program of its
//! own, the `binary-trees-alloc` example built with the `mimalloc` feature;
//! the system allocator and the arena run here. Each allocator is a
//! separate `compare`, so that every speedup is over its own serial run
//! (one compare with several kernels divides by the first kernel's serial
//! time), and the three reports are merged into one — its JSON is what the
//! claims about this table are checked against.

use std::path::Path;

use ps_harness::{Failure, Report, Table, human};

/// The workload this table measures.
const WORKLOAD: &str = "binary-trees";

/// Threads every strategy runs on: the question is what a second thread
/// gains.
const THREADS: &str = "2";

/// The figure's name for `book --measure --only`.
pub(crate) const FIGURE: &str = "allocators";

/// The stem of the merged report (`.json`, which the chapter's claims
/// read) and its table (`.md`).
pub(crate) const STEM: &str = "allocators";

/// What makes the figure, as the book's check of missing figures says it.
pub(crate) fn command() -> String {
    format!("cargo xtask compare --workload {WORKLOAD} --threads {THREADS}, once per allocator")
}

/// Measures the three allocators into `generated` and writes the merged
/// report and its table; `size` is the size flag (`--quick` or none).
pub(crate) fn measure(generated: &Path, size: &[&str]) -> Result<(), Failure> {
    let part = |kernel: &str| generated.join(format!("allocators-{kernel}.json"));
    let compare = |kernel: &str| -> Vec<String> {
        let mut args: Vec<String> = ["compare", "-w", WORKLOAD, "-t", THREADS, "-k", kernel]
            .map(str::to_owned)
            .to_vec();
        args.extend(size.iter().map(|flag| (*flag).to_owned()));
        args.extend(["--json".to_owned(), part(kernel).display().to_string()]);
        args
    };
    for kernel in ["system", "arena"] {
        crate::figures::harness(&compare(kernel))?;
    }
    crate::figures::program(
        "ps-workloads",
        Some("binary-trees-alloc"),
        &["mimalloc"],
        &compare("mimalloc"),
    )?;
    let mut reports = Vec::new();
    for kernel in ["system", "arena", "mimalloc"] {
        let path = part(kernel);
        let text =
            std::fs::read_to_string(&path).map_err(|error| Failure::io(&path, "read", error))?;
        reports.push(Report::from_json(&text).map_err(Failure::Invalid)?);
        let _ = std::fs::remove_file(&path);
    }
    let merged = merge(reports)?;
    ps_harness::write_file(&generated.join(format!("{STEM}.json")), merged.to_json())?;
    ps_harness::write_file(&generated.join(format!("{STEM}.md")), markdown(&merged))
}

/// One report of every allocator's cells: the first report's machine, the
/// busiest load of the three, and busy if any was.
fn merge(reports: Vec<Report>) -> Result<Report, Failure> {
    let mut reports = reports.into_iter();
    let Some(mut merged) = reports.next() else {
        return Err(Failure::Invalid("no allocator was measured".to_owned()));
    };
    merged.command = format!("compare -w {WORKLOAD} -t {THREADS}, once per allocator");
    for report in reports {
        merged.busy |= report.busy;
        merged.timings_valid &= report.timings_valid;
        let others = |report: &Report| report.load.and_then(|load| load.others);
        if others(&report) > others(&merged) {
            merged.load = report.load;
        }
        merged.results.extend(report.results);
    }
    Ok(merged)
}

/// The table: per allocator and strategy, the median, the serial time
/// against the system allocator's, and the speedup over its own serial run.
fn markdown(report: &Report) -> String {
    let system_serial = report
        .results
        .iter()
        .find(|cell| cell.kernel == "system" && cell.strategy == "serial")
        .map(|cell| cell.timing.median_s);
    let rows = report
        .results
        .iter()
        .map(|cell| {
            vec![
                cell.kernel.clone(),
                cell.strategy.clone(),
                cell.threads.to_string(),
                human(std::time::Duration::from_secs_f64(cell.timing.median_s)),
                system_serial.map_or_else(String::new, |base| {
                    format!("{:.2}", cell.timing.median_s / base)
                }),
                cell.speedup
                    .map_or_else(String::new, |s| format!("{s:.2}x")),
            ]
        })
        .collect();
    let table = Table {
        header: vec![
            "allocator",
            "strategy",
            "threads",
            "median",
            "time / system serial",
            "speedup over its own serial",
        ],
        rows,
        left_columns: 2,
    };
    let load = report
        .load
        .map_or_else(String::new, |load| format!("; {}", load.describe()));
    let n = report.results.first().map_or(0, |cell| cell.n);
    format!(
        "Measured on {}{load}.\n\nBinary trees at n = {n}: every node allocated by the system allocator, by bumping a pointer in an arena each task owns, or by mimalloc (`{}`):\n\n{}",
        report.machine,
        report.command,
        table.to_markdown()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ps_harness::{Cell, Load, Machine, TimingRecord};

    fn report(kernel: &str, serial_s: f64, parallel_s: f64, others: f64) -> Report {
        let cell = |strategy: &str, threads, seconds: f64| {
            let timing = TimingRecord::from_seconds(&[seconds], 1);
            Cell::new(WORKLOAD, kernel, strategy, 16, threads, None, timing)
                .with_speedup(serial_s / seconds)
        };
        let mut report = Report::new(
            "compare",
            &Machine::detect(),
            vec![cell("serial", 1, serial_s), cell("rayon", 2, parallel_s)],
        );
        report.load = Some(Load {
            others: Some(others),
        });
        report.busy = others > 0.5;
        report
    }

    #[test]
    fn merging_keeps_every_cell_and_the_busiest_load() {
        let merged = merge(vec![
            report("system", 2.0, 1.6, 0.01),
            report("arena", 1.0, 0.5, 0.9),
            report("mimalloc", 1.5, 0.8, 0.02),
        ])
        .unwrap();
        assert_eq!(merged.results.len(), 6);
        assert!(merged.busy);
        assert_eq!(merged.load.unwrap().others, Some(0.9));
        let text = markdown(&merged);
        assert!(text.starts_with("Measured on "), "{text}");
        // The arena's serial run against the system's: 1.0 s / 2.0 s.
        assert!(
            text.contains("| arena | serial | 1 | 1.00 s | 0.50 | 1.00x |"),
            "{text}"
        );
        assert!(
            text.contains("| arena | rayon | 2 | 500 ms | 0.25 | 2.00x |"),
            "{text}"
        );
    }

    #[test]
    fn nothing_to_merge_is_a_failure() {
        assert!(merge(Vec::new()).is_err());
    }
}
