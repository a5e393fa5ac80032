//! `ps-lab`: runs the pitfall programs and prints their tables, or writes
//! them into the book.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ps_lab::waiting::{self, PROBE_COMMAND, Probe};
use ps_lab::{Machine, Scale, async_cpu, blocking, mutex, oversubscription, report, system};

/// A program: its name on the command line and the file it writes.
struct Program {
    name: &'static str,
    run: fn(&Machine, Scale, &Path) -> Result<String, String>,
}

const PROGRAMS: [Program; 5] = [
    Program {
        name: "mutex",
        run: run_mutex,
    },
    Program {
        name: "blocking",
        run: run_blocking,
    },
    Program {
        name: "oversubscription",
        run: run_oversubscription,
    },
    Program {
        name: "waiting",
        run: run_waiting,
    },
    Program {
        name: "async-cpu",
        run: run_async_cpu,
    },
];

fn usage() -> String {
    let names: Vec<&str> = PROGRAMS.iter().map(|p| p.name).collect();
    format!(
        "usage: ps-lab <{}|all> [--quick]\n       ps-lab generate [PROGRAM...] [--quick] [--out DIR]   (writes DIR/lab-<program>.md and .json; DIR defaults to book/src/generated)",
        names.join("|")
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(PROBE_COMMAND) {
        return probe(&args[1..]);
    }
    match parse(&args) {
        Ok(command) => match command.execute() {
            Ok(()) => ExitCode::SUCCESS,
            Err(reason) => {
                eprintln!("ps-lab: {reason}");
                ExitCode::FAILURE
            }
        },
        Err(reason) => {
            eprintln!("ps-lab: {reason} (see ps-lab --help)");
            ExitCode::from(2)
        }
    }
}

/// The hidden subcommand a parent runs to measure one waiting
/// configuration in a process of its own.
fn probe(args: &[String]) -> ExitCode {
    let result = Probe::from_args(args).and_then(|probe| probe.run());
    match result {
        Ok(measured) => {
            println!("{}", measured.to_line());
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("ps-lab: {reason}");
            ExitCode::FAILURE
        }
    }
}

struct Command {
    programs: Vec<&'static Program>,
    scale: Scale,
    out: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Command, String> {
    let mut words = args.iter();
    let first = words.next().ok_or("no program named")?;
    let (programs, generate): (Vec<&'static Program>, bool) = match first.as_str() {
        "all" => (PROGRAMS.iter().collect(), false),
        "generate" => (PROGRAMS.iter().collect(), true),
        "help" | "--help" | "-h" => {
            println!("{}", usage());
            std::process::exit(0);
        }
        name => (
            vec![
                PROGRAMS
                    .iter()
                    .find(|p| p.name == name)
                    .ok_or_else(|| format!("unknown program `{name}`"))?,
            ],
            false,
        ),
    };
    let mut command = Command {
        programs,
        scale: Scale::Full,
        out: generate.then(|| PathBuf::from("book/src/generated")),
    };
    while let Some(word) = words.next() {
        match word.as_str() {
            "help" | "--help" | "-h" => {
                println!("{}", usage());
                std::process::exit(0);
            }
            "--quick" => command.scale = Scale::Quick,
            name if generate && PROGRAMS.iter().any(|p| p.name == name) => {
                if command.programs.len() == PROGRAMS.len() {
                    command.programs.clear();
                }
                command
                    .programs
                    .extend(PROGRAMS.iter().filter(|p| p.name == name));
            }
            "--out" if generate => {
                command.out = Some(words.next().ok_or("--out needs a folder")?.into());
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if generate && !ps_lab::optimised() && command.scale == Scale::Full {
        return Err(
            "`generate` writes timings for the book, and this is a debug build: run it with `cargo run --release -p ps-lab -- generate`".to_owned(),
        );
    }
    Ok(command)
}

impl Command {
    fn execute(&self) -> Result<(), String> {
        let machine = Machine::detect();
        let me = std::env::current_exe()
            .map_err(|error| format!("cannot find this program to run probes: {error}"))?;
        for program in &self.programs {
            eprintln!("ps-lab: running {} ...", program.name);
            let markdown = (program.run)(&machine, self.scale, &me)?;
            match &self.out {
                Some(dir) => {
                    // The JSON beside the table is what the book's claims
                    // about it are checked against.
                    let command = format!("lab {}", program.name);
                    let json = ps_lab::report::tables_report(&command, &machine, &markdown);
                    for (extension, text) in [("md", markdown), ("json", json)] {
                        let path = dir.join(format!("lab-{}.{extension}", program.name));
                        std::fs::write(&path, text)
                            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
                        eprintln!("ps-lab: wrote {}", path.display());
                    }
                }
                None => println!("## {}\n\n{markdown}", program.name),
            }
        }
        Ok(())
    }
}

fn cores() -> usize {
    ps_strategy::available_threads()
}

/// At least two threads: with one, nothing could run at once and none of
/// the programs would show anything.
fn pool_threads() -> usize {
    cores().max(2)
}

fn run_mutex(machine: &Machine, scale: Scale, _: &Path) -> Result<String, String> {
    let serial = mutex::serialisation(pool_threads(), scale.mutex_items(), scale.compute())?;
    let deadlock = mutex::deadlock(pool_threads(), scale.mutex_items(), scale.stall())?;
    Ok(report::mutex(machine, &serial, &deadlock))
}

fn run_blocking(machine: &Machine, scale: Scale, _: &Path) -> Result<String, String> {
    let threads = pool_threads();
    let run = blocking::blocking(
        threads,
        threads * scale.waits_per_core(),
        scale.blocking_delay(),
        threads * 4,
        scale.compute(),
    )?;
    Ok(report::blocking(machine, &run))
}

fn run_oversubscription(machine: &Machine, scale: Scale, _: &Path) -> Result<String, String> {
    let (outer, inner) = scale.nested_items();
    let runs = oversubscription::nested(
        &scale.layouts(pool_threads()),
        outer,
        inner,
        scale.compute(),
    )?;
    Ok(report::oversubscription(
        machine,
        &oversubscription::Sizing::detect(),
        &system::SystemLimits::read(),
        outer,
        inner,
        scale.compute(),
        &runs,
    ))
}

// Every entry of `PROGRAMS` has the same signature; this one cannot fail
// because each failed configuration becomes a row of its table instead.
#[allow(clippy::unnecessary_wraps)]
fn run_waiting(machine: &Machine, scale: Scale, me: &Path) -> Result<String, String> {
    let study = waiting::study(
        me,
        &scale.waiting_sizes(),
        &waiting::ladder(cores(), scale.most_threads()),
        ps_workloads::latency::DEFAULT_DELAY,
        scale.rung_budget(),
        cores(),
    );
    Ok(report::waiting(machine, &study))
}

fn run_async_cpu(machine: &Machine, scale: Scale, _: &Path) -> Result<String, String> {
    let workers = pool_threads();
    let result = async_cpu::cpu_on_async(
        workers,
        workers * scale.cpu_tasks_per_worker(),
        scale.compute(),
    )?;
    Ok(report::async_cpu(machine, &result))
}
