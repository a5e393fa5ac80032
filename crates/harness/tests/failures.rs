//! Real mistakes and faults, through the harness's own commands, come back
//! as the variant of [`Failure`] a caller can match on — and so with that
//! variant's exit code.

use std::io::ErrorKind;
use std::path::Path;

use ps_harness::{Cli, Failure, Registry, execute, parse};

mod support;

use support::runs_chunk_twice;

/// Parses and runs `args` as the harness's `main` does, on every built-in
/// workload, with a deliberately wrong strategy registered beside the
/// built-in ones.
fn outcome(args: &[&str]) -> Result<(), Failure> {
    let mut registry = Registry::new();
    runs_chunk_twice::register(&mut registry);
    let cli = parse::<Cli>("harness", args.iter().map(Into::into), Some("compare"))?;
    let cli = cli.expect("the arguments ask for no help");
    execute(&cli.command, &registry)
}

#[test]
fn an_unknown_workload_is_a_usage_failure() {
    let failure = outcome(&["run", "fibonacci"]).unwrap_err();
    assert!(
        matches!(&failure, Failure::Usage(message) if message.contains("unknown workload `fibonacci`")),
        "{failure:?}"
    );
    assert_eq!(failure.exit_code(), 2);
}

#[test]
fn a_mistake_the_parser_finds_is_a_usage_failure() {
    let failure = outcome(&["compare", "--threads", "zero"]).unwrap_err();
    assert!(matches!(failure, Failure::Usage(_)), "{failure:?}");
}

#[test]
fn a_strategy_that_breaks_is_a_wrong_result() {
    // The wrong strategy runs chunk 0 twice; the harness catches the panic
    // this causes and names the strategy.
    let failure = outcome(&[
        "run",
        "mandelbrot",
        "-n",
        "64",
        "-s",
        runs_chunk_twice::NAME,
        "--grain",
        "8",
    ])
    .unwrap_err();
    assert!(
        matches!(&failure, Failure::WrongResult(message)
            if message.contains(&format!("under {}", runs_chunk_twice::NAME))),
        "{failure:?}"
    );
    assert_eq!(failure.exit_code(), 1);
}

#[test]
fn an_input_that_cannot_be_read_is_an_io_failure_naming_it() {
    let failure = outcome(&["run", "word-count", "--input", "no/such/file.txt"]).unwrap_err();
    let Failure::Io { path, source, .. } = &failure else {
        panic!("not an I/O failure: {failure:?}");
    };
    assert_eq!(path, Path::new("no/such/file.txt"));
    assert_eq!(source.kind(), ErrorKind::NotFound);
    assert_eq!(failure.exit_code(), 4);
}

#[test]
fn a_report_that_cannot_be_written_is_an_io_failure_before_measuring() {
    let failure = outcome(&[
        "compare",
        "--quick",
        "--json",
        "/proc/no-such-folder/report.json",
    ])
    .unwrap_err();
    let Failure::Io { path, action, .. } = &failure else {
        panic!("not an I/O failure: {failure:?}");
    };
    assert_eq!(
        (path.as_path(), *action),
        (Path::new("/proc/no-such-folder"), "create")
    );
    assert_eq!(failure.exit_code(), 4);
}

#[test]
fn a_file_that_is_not_a_report_is_invalid() {
    // The manifest is there and readable, and is no report.
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let failure = outcome(&["diff", manifest, manifest]).unwrap_err();
    assert!(matches!(failure, Failure::Invalid(_)), "{failure:?}");
    assert_eq!(failure.exit_code(), 7);
}
