//! The harness as a user meets it: the real binary, run with mistakes.
//!
//! A mistake on the command line must give one line on stderr and exit code
//! 2, never a panic or a backtrace; a wrong strategy must give exit code 1
//! and name what went wrong; a file that cannot be read or written, exit code
//! 4 and its path (the codes are `ps_harness::Failure`'s). These run the debug build `cargo test` makes,
//! which verifies results but prints no timings.

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the harness binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit code 2 and exactly one line on stderr, containing `expected`.
fn assert_usage_error(args: &[&str], expected: &str) {
    assert_one_line_error(args, 2, expected);
}

/// Exit code `code` and exactly one line on stderr, containing `expected`.
fn assert_one_line_error(args: &[&str], code: i32, expected: &str) {
    let output = xtask(args);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "{args:?} printed more than one line:\n{stderr}"
    );
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    assert!(
        stderr.contains(expected),
        "{args:?}: expected {expected:?} in {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{args:?}: {stderr}"
    );
}

#[test]
fn unknown_names_list_the_valid_choices() {
    assert_usage_error(
        &["compare", "--strategy", "threads"],
        "expected one of: serial, threads-static",
    );
    assert_usage_error(
        &["compare", "--workload", "fibonacci"],
        "expected one of: squares, sum-of-squares",
    );
    assert_usage_error(&["run", "fibonacci"], "unknown workload `fibonacci`");
    assert_usage_error(
        &["sweep", "squares", "-s", "nope"],
        "unknown strategy `nope`",
    );
    assert_usage_error(
        &["trace", "mandelbrot", "-s", "nope"],
        "unknown strategy `nope`",
    );
    assert_usage_error(&["frobnicate"], "unrecognized subcommand 'frobnicate'");
    assert_usage_error(&["compare", "--size", "huge"], "huge");
    assert_usage_error(&["compare", "--frobnicate"], "frobnicate");
    assert_usage_error(
        &["compare", "-w", "primes", "-k", "simd"],
        "no selected workload has a kernel `simd` (they have: scalar)",
    );
    assert_usage_error(
        &["run", "primes", "-k", "simd"],
        "primes has no kernel `simd` (it has: scalar)",
    );
}

#[test]
fn zero_negative_and_non_numbers_are_refused() {
    assert_usage_error(
        &["compare", "--threads", "0"],
        "invalid value '0' for '--threads <N>': must be at least 1",
    );
    assert_usage_error(&["compare", "--threads", "-4"], "unexpected argument '-4'");
    assert_usage_error(
        &["compare", "--n", "ten"],
        "invalid value 'ten' for '--n <N>': `ten` is not a whole number",
    );
    assert_usage_error(
        &["run", "squares", "--grain", "0"],
        "'--grain <N>': must be at least 1",
    );
    assert_usage_error(
        &["run", "squares", "--n", "1.5"],
        "`1.5` is not a whole number",
    );
    assert_usage_error(
        &["scaling", "primes", "--max-threads", "0"],
        "'--max-threads <N>': must be at least 1",
    );
    assert_usage_error(&["compare", "--runs"], "--runs");
}

/// For every workload: the largest `n` there is, and the smallest valid `n`
/// whose memory exceeds the machine's, are refused in one line with exit
/// code 2 before anything is allocated.
#[test]
fn sizes_that_cannot_fit_are_refused_before_allocating() {
    use ps_workloads::{Workload, WorkloadVisitor};

    struct TooBig(Vec<(String, usize)>);
    impl WorkloadVisitor for TooBig {
        fn visit<W: Workload + 'static>(&mut self, workload: W) {
            let name = workload.name().to_owned();
            self.0.push((name.clone(), usize::MAX));
            let Some(memory) = ps_harness::physical_memory() else {
                return;
            };
            // The smallest n whose bytes exceed the memory, if the workload
            // can reach it within its own size limits.
            let fits = |n: usize| {
                workload
                    .bytes_for(n)
                    .is_none_or(|bytes| bytes <= u128::from(memory))
            };
            let (mut low, mut high) = (1_usize, usize::MAX / 2);
            if fits(high) {
                return;
            }
            while high - low > 1 {
                let middle = low + (high - low) / 2;
                if fits(middle) {
                    low = middle;
                } else {
                    high = middle;
                }
            }
            let n = workload.nearest_valid_n(high);
            if workload.check_n(n).is_ok() && !fits(n) {
                self.0.push((name, n));
            }
        }
    }
    let mut sizes = TooBig(Vec::new());
    ps_workloads::visit_all(&mut sizes);
    assert!(
        sizes.0.len() > 7,
        "no workload reached the machine's memory: {:?}",
        sizes.0
    );
    for (workload, n) in sizes.0 {
        assert_usage_error(&["run", &workload, "--n", &n.to_string()], &workload);
    }
}

#[test]
fn sizes_a_workload_cannot_run_are_refused() {
    assert_usage_error(&["run", "mandelbrot", "--n", "100"], "multiple of 8");
    assert_usage_error(
        &["compare", "-w", "mandelbrot", "--n", "12"],
        "multiple of 8, got 12",
    );
}

#[test]
fn a_missing_input_file_is_an_io_error_naming_it() {
    assert_one_line_error(
        &["run", "word-count", "--input", "no/such/file.txt"],
        4,
        "cannot read the --input file no/such/file.txt: ",
    );
    assert_usage_error(
        &["run", "squares", "--input", "Cargo.toml"],
        "--input is not read by squares",
    );
}

/// The commands that only print timings refuse a debug build, and run in
/// an optimised one; the test binary is built in the same profile as the
/// harness, so each profile checks its own half.
#[test]
fn only_an_optimised_build_prints_timings() {
    if cfg!(debug_assertions) {
        assert_usage_error(&["sweep", "squares", "--quick"], "only reports timings");
        assert_usage_error(&["scaling", "squares", "--quick"], "only reports timings");
        assert_usage_error(&["pipeline", "--quick"], "only reports timings");
        assert_usage_error(&["trace", "squares", "--quick"], "only reports timings");
    } else {
        let output = xtask(&["pipeline", "--n", "2000", "--runs", "1"]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(String::from_utf8_lossy(&output.stdout).contains("bottleneck"));
    }
}

/// `advise` speaks only from timings, so like `sweep` it refuses a debug
/// build; a workload it does not know is a usage error in either profile.
#[test]
fn advise_needs_a_known_workload_and_an_optimised_build() {
    assert_usage_error(&["advise", "nope"], "unknown workload `nope`");
    assert_usage_error(&["advise"], "required arguments were not provided");
    if cfg!(debug_assertions) {
        assert_usage_error(&["advise", "squares", "--quick"], "only reports timings");
    } else {
        let output = xtask(&["advise", "squares", "--quick"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stdout.contains("Advice for squares at n = "), "{stdout}");
        assert!(
            ["- Use ", "- Stay serial", "- Too little data"]
                .iter()
                .any(|decision| stdout.contains(decision)),
            "{stdout}"
        );
        assert!(stdout.contains("- Per call, starting "), "{stdout}");
    }
}

#[test]
fn pipeline_worker_lists_must_fit_the_stages() {
    assert_usage_error(
        &["pipeline", "--workers", "1,0"],
        "stage `count` needs at least 1 worker, got 0",
    );
    assert_usage_error(
        &["pipeline", "--workers", "1,2,1,1"],
        "got 4 counts for 2 stages",
    );
    assert_usage_error(
        &["pipeline", "--capacity", "0"],
        "'--capacity <N>': must be at least 1",
    );
}

#[test]
fn a_correct_run_verifies_and_exits_0() {
    let output = xtask(&[
        "compare",
        "--quick",
        "-w",
        "squares,primes",
        "-s",
        "serial,threads-dynamic",
        "-t",
        "3",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = stdout
        .lines()
        .filter(|line| line.starts_with("squares") || line.starts_with("primes"))
        .count();
    assert_eq!(rows, 4, "{stdout}");
    assert!(stdout.contains("every result verified"), "{stdout}");
    // The harness is built in the test's profile: a debug build shows no
    // timings, an optimised one does.
    if cfg!(debug_assertions) {
        assert_eq!(stdout.matches("verified").count(), 4 + 1, "{stdout}");
        assert!(
            stdout.contains("debug build, so no timings are shown"),
            "{stdout}"
        );
    } else {
        assert!(
            stdout.contains("speedup = serial median / median"),
            "{stdout}"
        );
    }

    let output = xtask(&[
        "run",
        "primes",
        "-n",
        "10000",
        "-s",
        "threads-static",
        "-t",
        "3",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "1229");

    // `run -k` runs that kernel, verified against the serial reference.
    let output = xtask(&[
        "run",
        "spectral-norm",
        "-n",
        "100",
        "-k",
        "simd",
        "-s",
        "rayon",
        "-t",
        "2",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "1.274219991"
    );
}

#[test]
fn help_is_printed_and_exits_0() {
    for args in [
        &[][..],
        &["help"],
        &["--help"],
        &["compare", "--help"],
        &["help", "sweep"],
        &["help", "pipeline"],
        &["help", "advise"],
    ] {
        let output = xtask(args);
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage: cargo xtask"),
            "{args:?}"
        );
    }
}

#[test]
fn an_output_file_that_cannot_be_written_fails_before_measuring() {
    // sweep, scaling and advise refuse a debug build — what `cargo test`
    // runs — before they reach the same check.
    let args = [
        "compare",
        "--quick",
        "--json",
        "/proc/no-such-folder/report.json",
    ];
    let output = xtask(&args);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("cannot create /proc/no-such-folder: "),
        "{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "compare measured before failing: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_reader_that_stops_reading_ends_the_output_quietly() {
    // The subshell closes the pipe's only reading end at once, so the
    // harness's first line meets a closed pipe.
    let script = format!(
        "'{}' list | (exec 0<&-; sleep 1)",
        env!("CARGO_BIN_EXE_xtask")
    );
    let output = Command::new("sh")
        .args(["-c", &script])
        .output()
        .expect("sh runs");
    let stderr = stderr(&output);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
}
