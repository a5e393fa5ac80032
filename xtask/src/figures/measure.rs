//! Measuring a set of figures: each figure's recipe run into a staging
//! folder, and the folder's figures moved into place only when no report
//! says the machine was busy, so a busy machine's figures never replace a
//! quiet one's.

use std::path::Path;
use std::process::Command;

use ps_harness::{Failure, Machine, require_optimised, write_file};

use super::{Figure, MeasureOptions, Recipe, Set, of};
use crate::workspace_root;

/// Measures the figures of `set` (or only the group `options.only` names)
/// into a staging folder beside `into`, then moves them into `into` —
/// unless a report says another process kept the machine busy while it was
/// measured and `options.allow_busy` is false: then nothing moves.
pub(crate) fn measure(into: &Path, set: Set, options: &MeasureOptions) -> Result<(), Failure> {
    require_optimised("measuring the book's figures")?;
    std::fs::create_dir_all(into).map_err(|error| Failure::io(into, "create", error))?;
    let mut staging = into.as_os_str().to_owned();
    staging.push(".staging");
    let staging = std::path::PathBuf::from(staging);
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|error| Failure::io(&staging, "create", error))?;
    let wanted = of(set).filter(|figure| {
        options
            .only
            .as_deref()
            .is_none_or(|only| only == figure.group)
    });
    for figure in wanted {
        make(figure, &staging, options.quick)?;
    }
    let busy = busy_reports(&staging)?;
    if !busy.is_empty() && !options.allow_busy {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(Failure::Busy(format!(
            "other processes kept the machine busy while {} were measured, so {} was left as it was: measure on a quiet machine, or pass --allow-busy",
            busy.join(", "),
            into.display()
        )));
    }
    for entry in read_dir(&staging)? {
        let from = entry.path();
        let to = into.join(entry.file_name());
        std::fs::rename(&from, &to).map_err(|error| Failure::io(&to, "move a file to", error))?;
    }
    let _ = std::fs::remove_dir_all(&staging);
    Ok(())
}

/// Runs one figure's recipe, writing its files into `folder`.
fn make(figure: &Figure, folder: &Path, quick: bool) -> Result<(), Failure> {
    // `--markdown STEM.md --json STEM.json`, and `--svg STEM.svg` for charts.
    let outputs: Vec<String> = ["--markdown", "--json", "--svg"]
        .into_iter()
        .zip(figure.files())
        .flat_map(|(flag, file)| [flag.to_owned(), folder.join(file).display().to_string()])
        .collect();
    let size: &[&str] = if quick { &["--quick"] } else { &[] };
    let words = |args: &[&str], size: &[&str]| -> Vec<String> {
        args.iter()
            .chain(size)
            .map(|word| (*word).to_owned())
            .chain(outputs.iter().cloned())
            .collect()
    };
    match figure.recipe {
        Recipe::Harness(args) => harness(&words(args, size)),
        Recipe::HarnessLarge(args) => {
            let large: &[&str] = if quick { size } else { &["--size", "large"] };
            harness(&words(args, large))
        }
        Recipe::Program { package, args } => program(package, None, &[], &words(args, size)),
        Recipe::Bench { bench, title } => {
            let lines = criterion(bench, quick)?;
            let machine = Machine::detect();
            let (markdown, json) = crate::bench_figures::figures(title, &lines, &machine)?;
            write_file(&folder.join(format!("{}.md", figure.stem)), markdown)?;
            write_file(&folder.join(format!("{}.json", figure.stem)), json)
        }
        Recipe::Allocators => crate::allocators::measure(folder, size),
    }
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

/// Runs this harness binary with `args` and fails if it fails.
pub(crate) fn harness<S: AsRef<str>>(args: &[S]) -> Result<(), Failure> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let exe = std::env::current_exe()
        .map_err(|error| Failure::Child(format!("cannot find the harness: {error}")))?;
    let mut command = Command::new(exe);
    command.args(&args);
    run(command, &format!("cargo xtask {}", args.join(" ")))
}

/// Runs `cargo run --release -p PACKAGE [--example EXAMPLE]` with
/// `features` and `args`, and fails if it fails.
pub(crate) fn program(
    package: &str,
    example: Option<&str>,
    features: &[&str],
    args: &[String],
) -> Result<(), Failure> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut words: Vec<String> = ["run", "--release", "--quiet", "-p", package]
        .map(str::to_owned)
        .to_vec();
    for feature in features {
        words.extend(["--features".to_owned(), (*feature).to_owned()]);
    }
    if let Some(example) = example {
        words.extend(["--example".to_owned(), example.to_owned()]);
    }
    words.push("--".to_owned());
    words.extend(args.iter().cloned());
    let mut command = Command::new(cargo);
    command.current_dir(workspace_root()).args(&words);
    run(command, &format!("cargo {}", words.join(" ")))
}

/// Runs `command`, announced as `shown`, with its output passed through,
/// and fails if it cannot start or fails.
fn run(mut command: Command, shown: &str) -> Result<(), Failure> {
    eprintln!("==> {shown}");
    let status = command
        .status()
        .map_err(|error| Failure::Child(format!("cannot run `{shown}`: {error}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Child(format!(
            "`{shown}` failed (its messages are above)"
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
