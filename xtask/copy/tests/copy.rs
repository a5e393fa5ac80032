//! `cargo xtask copy` as a user meets it: the binary that command runs,
//! copying into folders of a temporary directory.
//!
//! The copy must leave the user's `Cargo.toml` as they wrote it apart from
//! the lines it adds, and a refusal must be one line on stderr, exit code 2
//! and not a byte changed on disk.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh folder for one test, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("xtask-copy-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy(name: &str, to: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask-copy"))
        .args([name, "--to"])
        .arg(to)
        .output()
        .expect("the xtask binary runs")
}

/// Every file under `dir` and its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Exit code 2, one line on stderr containing `expected`, nothing on stdout.
fn assert_refused(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "more than one line:\n{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(expected),
        "{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// A package with a workspace of its own, commented and laid out by hand.
const COMMENTED: &str = r#"# My application. Keep this comment.
[package]
name   = "app"      # aligned by hand
version = "0.3.0"
edition = "2021"

[dependencies]
# Parsing, pinned on purpose.
serde = { version = "1.0.200", features = ["derive"] }   # trailing note

[workspace]
# One member per line.
members = [
    "tools/gen",
]
"#;

#[test]
fn the_users_cargo_toml_keeps_its_text_and_gains_only_lines() {
    let scratch = Scratch::new("commented");
    let app = scratch.0.join("app");
    fs::create_dir_all(&app).unwrap();
    fs::write(app.join("Cargo.toml"), COMMENTED).unwrap();

    let output = copy("threads", &app);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("cargo test --workspace"), "{stdout}");
    assert!(
        stdout.contains("cargo run --release -p ps-threads --example schedules"),
        "{stdout}"
    );

    let after = fs::read_to_string(app.join("Cargo.toml")).unwrap();
    let added: Vec<&str> = after
        .lines()
        .filter(|line| line.contains("crates/strategy") || line.contains("crates/threads"))
        .collect();
    assert_eq!(
        added,
        [
            r#"ps-strategy = { path = "crates/strategy" }"#,
            r#"ps-threads = { path = "crates/threads" }"#,
            r#"    "crates/strategy","#,
            r#"    "crates/threads","#,
        ],
        "{after}"
    );
    let mut kept = String::new();
    for line in after.lines().filter(|line| !added.contains(line)) {
        kept.push_str(line);
        kept.push('\n');
    }
    assert_eq!(kept, COMMENTED, "the original text changed:\n{after}");
    for folder in ["strategy", "threads"] {
        assert!(
            app.join("crates").join(folder).join("src/lib.rs").is_file(),
            "{folder}"
        );
    }
    // No staging folder or temporary manifest left behind.
    let mut names: Vec<String> = fs::read_dir(app.join("crates"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["strategy", "threads"]);
    assert!(
        !snapshot(&app)
            .keys()
            .any(|path| path.to_string_lossy().contains(".copy-"))
    );
}

#[test]
fn a_second_copy_is_refused_and_changes_nothing() {
    let scratch = Scratch::new("twice");
    let app = scratch.0.join("my-app");
    assert!(copy("serial", &app).status.success());
    assert!(
        app.join("src/main.rs").is_file(),
        "a new package gets its main.rs"
    );
    let before = snapshot(&app);

    assert_refused(&copy("serial", &app), "is already there");
    assert_eq!(snapshot(&app), before, "a refused copy changed the folder");

    // Another strategy reuses the identical ps-strategy the first one left.
    let output = copy("threads", &app);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = fs::read_to_string(app.join("Cargo.toml")).unwrap();
    assert_eq!(manifest.matches("ps-strategy = ").count(), 1, "{manifest}");
    // Once as the dependency's path, once as a member.
    assert_eq!(
        manifest.matches("\"crates/strategy\"").count(),
        2,
        "{manifest}"
    );

    // A ps-strategy changed by the user is theirs: not overwritten.
    fs::write(app.join("crates/strategy/src/lib.rs"), "// mine\n").unwrap();
    let before = snapshot(&app);
    assert_refused(
        &copy("rayon", &app),
        "differs from this repository's crates/strategy",
    );
    assert_eq!(snapshot(&app), before);
}

#[test]
fn a_cargo_toml_that_cannot_be_edited_safely_is_left_alone() {
    let scratch = Scratch::new("unsafe");
    for (name, text, expected) in [
        (
            "broken",
            "[package\nname = \"x\"\n",
            "not valid TOML (line 1)",
        ),
        (
            "member",
            "[package]\nname = \"x\"\nworkspace = \"..\"\n",
            "belongs to another workspace",
        ),
        (
            "taken",
            "[package]\nname = \"x\"\n\n[dependencies]\nps-rayon = \"9\"\n",
            "already depends on `ps-rayon`",
        ),
    ] {
        let app = scratch.0.join(name);
        fs::create_dir_all(&app).unwrap();
        fs::write(app.join("Cargo.toml"), text).unwrap();
        let before = snapshot(&app);
        assert_refused(&copy("rayon", &app), expected);
        assert_eq!(snapshot(&app), before, "{name}");
    }
}

#[test]
fn a_file_in_the_way_is_refused_before_anything_is_written() {
    let scratch = Scratch::new("file");
    fs::write(scratch.0.join("plain"), "not a folder\n").unwrap();
    let before = snapshot(&scratch.0);
    assert_refused(&copy("serial", &scratch.0.join("plain")), "is not a folder");
    assert_refused(
        &copy("serial", &scratch.0.join("plain/app")),
        "plain is not a folder",
    );
    assert_eq!(snapshot(&scratch.0), before);
}

#[test]
fn an_unknown_crate_is_refused_with_the_known_ones() {
    let scratch = Scratch::new("unknown");
    let app = scratch.0.join("app");
    assert_refused(
        &copy("lab", &app),
        "expected one of: strategy, serial, threads",
    );
    assert!(!app.exists(), "a refused copy created its folder");
}
