//! What a user sees when a strategy is wrong, through a harness program's
//! own `main`: exit code 1, a last line on stderr that names the strategy
//! and what went wrong, and no backtrace.
//!
//! This file is a binary of its own (`harness = false`). Started with
//! [`ACT_AS_PROGRAM`] set, it is a harness program — [`ps_harness::main`]
//! with every built-in workload and a deliberately wrong strategy
//! registered; started by `cargo test`, it runs itself that way on each
//! case below and checks the outcome.

mod support;

use std::process::{Command, ExitCode};

use support::runs_chunk_twice::{self, NAME};

/// Set in the environment of the copy that acts as the program.
const ACT_AS_PROGRAM: &str = "PS_WRONG_STRATEGY_ACT_AS_PROGRAM";

fn main() -> ExitCode {
    if std::env::var_os(ACT_AS_PROGRAM).is_some() {
        return ps_harness::main(runs_chunk_twice::register);
    }
    // Arguments cargo or a test runner passes (filters, `-q`) select
    // nothing here: every case runs.
    let cases: [&[&str]; 3] = [
        &["compare", "--quick", "-w", "squares", "-s", NAME],
        &[
            "compare",
            "--quick",
            "-w",
            "sum-of-squares",
            "-s",
            &format!("serial,{NAME}"),
        ],
        &["run", "mandelbrot", "-n", "64", "-s", NAME, "--grain", "8"],
    ];
    for args in cases {
        a_wrong_strategy_fails_with_exit_code_1_and_says_why(args);
    }
    println!("wrong_strategy: {} cases passed", cases.len());
    ExitCode::SUCCESS
}

fn a_wrong_strategy_fails_with_exit_code_1_and_says_why(args: &[&str]) {
    let program = std::env::current_exe().expect("this test knows its own path");
    let output = Command::new(program)
        .args(args)
        .env(ACT_AS_PROGRAM, "1")
        .output()
        .expect("this test can run itself");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("error: "), "{args:?}: {stderr}");
    assert!(last.contains(&format!("under {NAME}")), "{args:?}: {last}");
    assert!(
        last.contains("ran chunk 0 twice") || last.contains("out of order"),
        "{args:?}: {last}"
    );
    assert!(!stderr.contains("stack backtrace"), "{args:?}: {stderr}");
}
