//! `cargo xtask book --measure`: regenerates every figure of the book on
//! this machine, by running the harness's own commands and the criterion
//! benches.

use std::path::Path;
use std::process::Command;

use ps_harness::{Failure, Machine, require_optimised, write_file};

use crate::book::workspace_root;

/// Measures every figure (or only the group named `only`, one of
/// [`FIGURE_GROUPS`]) into a staging
/// folder, then moves them into `generated` — unless a report says another process kept the machine busy
/// while it was measured and `allow_busy` is false: then nothing moves, so a
/// busy machine's figures never replace a quiet one's.
pub(crate) fn measure(
    generated: &Path,
    quick: bool,
    allow_busy: bool,
    only: Option<&str>,
) -> Result<(), Failure> {
    require_optimised("book --measure")?;
    let staging = generated.with_file_name("generated.staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|error| Failure::io(&staging, "create", error))?;
    measure_into(&staging, quick, only)?;
    let busy = busy_reports(&staging)?;
    if !busy.is_empty() && !allow_busy {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(Failure::Busy(format!(
            "other processes kept the machine busy while {} were measured, so book/src/generated was left as it was: measure on a quiet machine, or pass --allow-busy",
            busy.join(", ")
        )));
    }
    for entry in read_dir(&staging)? {
        let from = entry.path();
        let to = generated.join(entry.file_name());
        std::fs::rename(&from, &to).map_err(|error| Failure::io(&to, "move a file to", error))?;
    }
    let _ = std::fs::remove_dir_all(&staging);
    Ok(())
}

fn read_dir(folder: &Path) -> Result<Vec<std::fs::DirEntry>, Failure> {
    std::fs::read_dir(folder)
        .and_then(Iterator::collect)
        .map_err(|error| Failure::io(folder, "read", error))
}

/// The reports in `folder` measured on a busy machine, each named with the
/// share of the CPU other processes used.
fn busy_reports(folder: &Path) -> Result<Vec<String>, Failure> {
    let mut busy = Vec::new();
    for entry in read_dir(folder)? {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|error| Failure::io(&path, "read", error))?;
        if let Ok(report) = ps_harness::Report::from_json(&text)
            && report.busy
        {
            let share = report
                .load
                .and_then(|load| load.others)
                .map_or_else(String::new, |share| format!(" ({:.0}%)", share * 100.0));
            busy.push(format!("{}{share}", entry.file_name().to_string_lossy()));
        }
    }
    busy.sort();
    Ok(busy)
}

/// The figure groups `--measure` makes, in order, by the name `--only`
/// takes.
pub(crate) const FIGURE_GROUPS: &[&str] = &[
    "compare",
    "processes",
    "advise",
    "uneven",
    "simd",
    crate::allocators::FIGURE,
    "squares-python",
    "sweep",
    "scaling",
    "pipeline",
    "traces",
    "benches",
];

/// The workloads and strategies the book's timelines show, each with its
/// file stem: uneven rows under the three schedules, primes under the same,
/// and the pipeline's workers.
pub(crate) const TRACES: &[(&str, &str, &str)] = &[
    (
        "trace-mandelbrot",
        "mandelbrot",
        "threads-static,threads-dynamic,rayon,work-stealing",
    ),
    (
        "trace-primes",
        "primes",
        "threads-static,threads-dynamic,rayon,work-stealing",
    ),
    ("trace-pipeline", "mandelbrot", "pipeline"),
];

fn measure_into(generated: &Path, quick: bool, only: Option<&str>) -> Result<(), Failure> {
    let wanted = |group: &str| {
        debug_assert!(
            FIGURE_GROUPS.contains(&group),
            "{group} is not a figure group"
        );
        only.is_none_or(|only| only == group)
    };
    let out = |name: &str| generated.join(name).display().to_string();
    // `--markdown STEM.md --json STEM.json`, and `--svg STEM.svg` for charts.
    let outputs = |stem: &str, chart: bool| -> Vec<String> {
        let mut flags = vec![
            "--markdown".to_owned(),
            out(&format!("{stem}.md")),
            "--json".to_owned(),
            out(&format!("{stem}.json")),
        ];
        if chart {
            flags.extend(["--svg".to_owned(), out(&format!("{stem}.svg"))]);
        }
        flags
    };
    let size = size_flag(quick);

    // Every table comes with its JSON report: the claims in the chapters
    // are checked against it (see `claims`).
    if wanted("compare") {
        harness(&command(&[&["compare"], size], &outputs("compare", false)))?;
    }
    if wanted("processes") {
        let processes: &[&str] = &["compare", "--processes", "5"];
        harness(&command(&[processes, size], &outputs("processes", false)))?;
    }
    if wanted("advise") {
        for workload in ["primes", "squares"] {
            let files = outputs(&format!("advise-{workload}"), false);
            harness(&command(&[&["advise", workload], size], &files))?;
        }
    }
    if wanted("uneven") {
        let large: &[&str] = if quick {
            &["--quick"]
        } else {
            &["--size", "large"]
        };
        let uneven: &[&str] = &["compare", "--workload", "mandelbrot,primes"];
        harness(&command(&[uneven, large], &outputs("uneven", false)))?;
    }
    if wanted("simd") {
        let kernels: &[&str] = &[
            "compare",
            "--workload",
            "mandelbrot,spectral-norm",
            "--kernel",
            "scalar,simd",
        ];
        harness(&command(&[kernels, size], &outputs("simd", false)))?;
    }
    if wanted(crate::allocators::FIGURE) {
        crate::allocators::measure(generated, size)?;
    }
    if wanted("squares-python") {
        let python: &[&str] = &["compare", "--workload", "squares", "--python", "--markdown"];
        let files = [
            out("squares-python.md"),
            "--json".to_owned(),
            out("squares-python.json"),
        ];
        harness(&command(&[python, size], &files))?;
    }
    if wanted("sweep") {
        for workload in ["squares", "primes"] {
            let files = outputs(&format!("sweep-{workload}"), true);
            harness(&command(&[&["sweep", workload], size], &files))?;
        }
    }
    if wanted("scaling") {
        for workload in ["spectral-norm", "primes", "latency"] {
            let files = outputs(&format!("scaling-{workload}"), true);
            harness(&command(&[&["scaling", workload], size], &files))?;
        }
    }
    if wanted("pipeline") {
        for (workers, file) in [("1,1", "pipeline"), ("2,1", "pipeline-moved")] {
            let files = outputs(file, false);
            harness(&command(
                &[&["pipeline", "--workers", workers], size],
                &files,
            ))?;
        }
    }
    if wanted("traces") {
        for &(stem, workload, strategies) in TRACES {
            let files = outputs(stem, true);
            harness(&command(
                &[&["trace", workload, "--strategy", strategies], size],
                &files,
            ))?;
        }
    }
    if wanted("benches") {
        measure_benches(generated, quick)?;
    }
    Ok(())
}

/// The criterion benches' tables.
fn measure_benches(generated: &Path, quick: bool) -> Result<(), Failure> {
    for (bench, file, title) in [
        (
            "overheads",
            "overheads.md",
            "What each building block costs, per operation",
        ),
        (
            "data_sharing",
            "data-sharing.md",
            "Summing with several threads, four ways of sharing",
        ),
        (
            "abstraction",
            "abstraction.md",
            "A workload through the trait against the same strategy by hand",
        ),
    ] {
        let lines = criterion(bench, quick)?;
        let machine = Machine::detect();
        let (markdown, json) = crate::bench_figures::figures(title, &lines, &machine)?;
        write_file(&generated.join(file), markdown)?;
        write_file(&generated.join(file).with_extension("json"), json)?;
    }
    Ok(())
}

/// The harness's flag for the sizes `--measure` uses.
fn size_flag(quick: bool) -> &'static [&'static str] {
    if quick { &["--quick"] } else { &[] }
}

/// The words of `parts`, then `files`.
fn command(parts: &[&[&str]], files: &[String]) -> Vec<String> {
    parts
        .concat()
        .into_iter()
        .map(str::to_owned)
        .chain(files.iter().cloned())
        .collect()
}

/// Runs this harness binary with `args` and fails if it fails.
pub(crate) fn harness<S: AsRef<str>>(args: &[S]) -> Result<(), Failure> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    eprintln!("==> cargo xtask {}", args.join(" "));
    let exe = std::env::current_exe()
        .map_err(|error| Failure::Child(format!("cannot find the harness: {error}")))?;
    let status = Command::new(exe)
        .args(&args)
        .status()
        .map_err(|error| Failure::Child(format!("cannot run the harness: {error}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Child(format!(
            "`cargo xtask {}` failed",
            args.join(" ")
        )))
    }
}

/// Runs one criterion bench and returns its `bencher`-format result lines.
fn criterion(bench: &str, quick: bool) -> Result<String, Failure> {
    eprintln!("==> cargo bench -p benches --bench {bench}");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let times: &[&str] = if quick {
        &["--warm-up-time", "0.5", "--measurement-time", "1"]
    } else {
        &["--warm-up-time", "1", "--measurement-time", "3"]
    };
    let output = Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "bench",
            "-p",
            "benches",
            "--bench",
            bench,
            "--",
            "--output-format",
            "bencher",
        ])
        .args(times)
        .output()
        .map_err(|error| Failure::Child(format!("cannot run cargo bench: {error}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Failure::Child(format!(
            "cargo bench --bench {bench} failed: {}",
            stderr.lines().last().unwrap_or("no message")
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
