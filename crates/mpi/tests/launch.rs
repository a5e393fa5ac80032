//! The binary under `mpirun`: results verified on several ranks, a panic on
//! one rank ending the whole job, and the launcher's one-line errors.
//!
//! Each job runs under a watchdog that kills it if it has not finished after
//! a generous limit, so a hang fails the test instead of stalling it.

use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Far longer than any of these jobs needs, even on a loaded machine.
const HANG_LIMIT: Duration = Duration::from_secs(300);

fn ps_mpi(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ps-mpi"))
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let started = Instant::now();
    while child.try_wait().expect("the child can be polled").is_none() {
        if started.elapsed() > HANG_LIMIT {
            let _ = child.kill();
            panic!("ps-mpi {args:?} hung for {HANG_LIMIT:?}");
        }
        thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("the output can be read")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn every_workload_verifies_on_three_ranks_with_uneven_blocks() {
    let output = ps_mpi(
        &[
            "launch",
            "-n",
            "3",
            "--",
            "check",
            "--threads",
            "2",
            "--strategy",
            "threads-static",
            "--strategy",
            "rayon",
        ],
        &[],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", stderr(&output));
    assert!(stdout.contains("on 3 ranks × 2 threads"), "{stdout}");
    for workload in [
        "squares",
        "sum-of-squares",
        "primes",
        "mandelbrot",
        "spectral-norm",
        "word-count",
        "latency",
    ] {
        assert!(
            stdout.contains(&format!("ok  {workload} at")),
            "{workload} missing from\n{stdout}"
        );
    }
}

#[test]
fn a_panic_on_one_rank_ends_the_whole_job_with_its_rank_and_message() {
    let output = ps_mpi(
        &[
            "launch",
            "-n",
            "3",
            "--",
            "check",
            "--threads",
            "2",
            "--panic-on-rank",
            "2",
        ],
        &[],
    );
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(
        stderr.contains("error: rank 2 (checking fault at n = 64 on 3 × 2 "),
        "{stderr}"
    );
    assert!(stderr.contains("panicked: injected fault"), "{stderr}");
}

#[test]
fn a_missing_mpirun_is_one_line_and_exit_code_3() {
    let output = ps_mpi(
        &["launch", "-n", "2", "--", "check"],
        &[("PS_MPIRUN", "/nonexistent/mpirun")],
    );
    assert_eq!(output.status.code(), Some(3));
    let stderr = stderr(&output);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: `/nonexistent/mpirun` was not found on PATH"),
        "{stderr}"
    );
}

#[test]
fn zero_ranks_is_a_usage_error() {
    let output = ps_mpi(&["launch", "-n", "0", "--", "check"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: invalid value '0'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_workload_is_reported_once_by_rank_0() {
    let output = ps_mpi(
        &[
            "launch",
            "-n",
            "2",
            "--",
            "compare",
            "--workload",
            "nope",
            "--runs",
            "1",
        ],
        &[],
    );
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert_eq!(
        stderr.matches("unknown workload `nope`").count(),
        1,
        "{stderr}"
    );
}
