//! The `ps-lab` binary: its mistakes and its generated files.

use std::process::Command;

const LAB: &str = env!("CARGO_BIN_EXE_ps-lab");

#[test]
fn an_unknown_program_is_one_line_and_exit_code_2() {
    let output = Command::new(LAB).arg("nonsense").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "ps-lab: unknown program `nonsense` (see ps-lab --help)\n"
    );
}

#[test]
fn help_prints_the_usage_and_exits_0() {
    for args in [&["--help"][..], &["generate", "--help"], &["all", "-h"]] {
        let output = Command::new(LAB).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.starts_with("usage: ps-lab "), "{args:?}: {stdout}");
    }
}

#[test]
fn a_bad_probe_is_refused_with_one_line() {
    let output = Command::new(LAB)
        .args(["probe", "tokio", "two", "10", "100"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn generate_writes_one_headed_table_per_program() {
    let dir = std::env::temp_dir().join(format!("ps-lab-generate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let status = Command::new(LAB)
        .args(["generate", "--quick", "--out"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    for program in [
        "mutex",
        "blocking",
        "oversubscription",
        "waiting",
        "async-cpu",
    ] {
        let text = std::fs::read_to_string(dir.join(format!("lab-{program}.md"))).unwrap();
        assert!(text.starts_with("Measured on "), "{program}: {text}");
        assert!(text.contains("logical cores"), "{program}");
        assert!(text.contains("\n|:--|"), "{program} has no table");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
