//! `cargo xtask book`: checks the book's includes, links and generated
//! figures, obtains mdbook if it is missing, and builds the book.

use std::path::{Path, PathBuf};
use std::process::Command;

use ps_harness::Failure;

use crate::figures::{LAB_GENERATED, MPI_GENERATED, MeasureOptions, Set};
use crate::workspace_root;

/// Options of `book`.
#[derive(Debug, clap::Args)]
// Four independent switches of one command line, not a state machine.
#[allow(clippy::struct_excessive_bools)]
pub(crate) struct BookArgs {
    /// Open the built book in a browser
    #[arg(long)]
    pub(crate) open: bool,
    /// First regenerate every table and chart in book/src/generated/ on this
    /// machine (about 15 minutes; `cargo xtask figures` does only this)
    #[arg(long)]
    pub(crate) measure: bool,
    #[command(flatten)]
    pub(crate) options: MeasureOptions,
}

pub(crate) fn book(args: &BookArgs) -> Result<(), Failure> {
    let root = workspace_root();
    let book = root.join("book");
    if args.measure {
        crate::figures::measure(&book.join("src/generated"), Set::Book, &args.options)?;
    } else if args.options.any() {
        return Err(Failure::Usage(
            "--quick, --allow-busy and --only choose how --measure measures: pass --measure too"
                .to_owned(),
        ));
    }
    crate::decision::write(&book.join("src/generated")).map_err(Failure::Invalid)?;
    crate::charts::write(&book.join("src/generated")).map_err(Failure::Invalid)?;
    crate::figures::write_commands(&book.join("src/generated")).map_err(Failure::Invalid)?;
    let problems = check(&book.join("src"));
    if !problems.is_empty() {
        let count = problems.len();
        for problem in &problems {
            eprintln!("  {problem}");
        }
        return Err(Failure::CheckFailed(format!(
            "the book has {count} broken include(s), link(s), missing figure(s), or sentence(s) or table(s) its figures contradict or no claim checks, listed above"
        )));
    }
    let mdbook = mdbook(&root)?;
    let mut command = Command::new(&mdbook);
    command.arg("build").arg(&book);
    if args.open {
        command.arg("--open");
    }
    let status = command
        .status()
        .map_err(|error| Failure::Child(format!("cannot run {}: {error}", mdbook.display())))?;
    if !status.success() {
        return Err(Failure::Child(
            "mdbook build failed (its messages are above)".to_owned(),
        ));
    }
    eprintln!("built {}", book.join("book/index.html").display());
    Ok(())
}

/// Every problem in the book's sources: a missing include or anchor, a
/// relative link or image to a missing file, a missing generated figure.
pub(crate) fn check(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    // (file, the command that makes it, what to run to make it again)
    let mut made_by: Vec<(String, String, String)> = Vec::new();
    for figure in crate::figures::of(Set::Book) {
        for file in figure.files() {
            let again = format!("cargo xtask book --measure --only {}", figure.group);
            made_by.push((file, figure.command(), again));
        }
    }
    for (list, again) in [
        (MPI_GENERATED, "the commands in crates/mpi/README.md"),
        (LAB_GENERATED, "cargo run --release -p ps-lab -- generate"),
    ] {
        made_by.extend(
            list.iter()
                .map(|&(file, command)| (file.to_owned(), command.to_owned(), again.to_owned())),
        );
    }
    for (name, command, maker) in made_by {
        let path = src.join("generated").join(&name);
        match std::fs::read_to_string(&path) {
            Err(_) => problems.push(format!(
                "generated/{name} is missing: run {maker} (it comes from `{command}`)"
            )),
            Ok(text)
                if path.extension().is_some_and(|ext| ext == "md")
                    && !text.contains("Measured on") =>
            {
                problems.push(format!(
                    "generated/{name} does not say what machine it was measured on"
                ));
            }
            Ok(_) => {}
        }
    }
    let mut chapters = Vec::new();
    collect_markdown(src, &mut chapters);
    chapters.sort();
    let mut texts = Vec::new();
    for chapter in &chapters {
        let Ok(text) = std::fs::read_to_string(chapter) else {
            problems.push(format!("{} cannot be read", chapter.display()));
            continue;
        };
        let dir = chapter.parent().unwrap_or(src);
        let name = chapter
            .strip_prefix(src)
            .unwrap_or(chapter)
            .display()
            .to_string();
        for include in includes(&text) {
            if let Some(problem) = check_include(dir, &include) {
                problems.push(format!("{name}: {problem}"));
            }
        }
        problems.extend(unread_tables(&name, &text));
        problems.extend(markers_that_break_paragraphs(&name, &text));
        for target in link_targets(&text) {
            let file = target.split('#').next().unwrap_or_default();
            if !file.is_empty() && !dir.join(file).exists() {
                problems.push(format!("{name}: link to missing file `{target}`"));
            }
        }
        texts.push((name, text));
    }
    problems.extend(crate::claims::check(&src.join("generated"), &texts));
    problems
}

/// Every generated table `chapter` includes without a claim about its
/// report: a table the page shows must be read aloud by at least one
/// sentence that the figures check, so that the page says what the table
/// shows and says it again, or fails, when the table is measured anew.
fn unread_tables(chapter: &str, text: &str) -> Vec<String> {
    let claimed: Vec<String> = crate::claims::markers(text)
        .iter()
        .filter_map(|marker| crate::claims::report_of(&marker.text).ok())
        .collect();
    includes(text)
        .iter()
        .filter_map(|include| include.strip_prefix("generated/"))
        .filter_map(|table| table.strip_suffix(".md"))
        // The list of figures and their commands measures nothing.
        .filter(|table| format!("{table}.md") != crate::figures::COMMANDS_MD)
        .filter(|table| !claimed.iter().any(|file| file == &format!("{table}.json")))
        .map(|table| {
            format!(
                "{chapter}: includes generated/{table}.md but no sentence of the page carries a claim about generated/{table}.json: say what the table shows, with a claim"
            )
        })
        .collect()
}

/// Every claim (or not-measured) marker that starts a line inside a
/// paragraph. In Markdown a line that starts with `<!--` begins an HTML
/// block: the paragraph ends there, whatever follows on the marker's line is
/// passed through as raw HTML (a link in it shows as brackets), and the next
/// line starts a paragraph of its own. A marker belongs at the end of the
/// line whose sentence it checks.
fn markers_that_break_paragraphs(chapter: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut previous = "";
    let mut in_code = false;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
        }
        let is_marker = ["<!-- claim:", "<!-- not-measured:"]
            .iter()
            .any(|open| trimmed.starts_with(open));
        let continues_prose = !previous.trim().is_empty()
            && !["|", "#", "{{#", "```", "<!--"]
                .iter()
                .any(|start| previous.trim_start().starts_with(start));
        if is_marker && continues_prose && !in_code {
            problems.push(format!(
                "{chapter}:{}: a marker that starts a line ends the paragraph above it: put it at the end of the line it checks",
                number + 1
            ));
        }
        previous = line;
    }
    problems
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // Generated figures are checked above; their text links nowhere.
            if path.file_name().is_some_and(|name| name != "generated") {
                collect_markdown(&path, out);
            }
        } else if path.extension().is_some_and(|ext| ext == "md") {
            out.push(path);
        }
    }
}

/// The arguments of every `{{#include …}}` and `{{#rustdoc_include …}}`.
fn includes(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for directive in ["{{#include ", "{{#rustdoc_include "] {
        let mut rest = text;
        while let Some(start) = rest.find(directive) {
            rest = &rest[start + directive.len()..];
            if let Some(end) = rest.find("}}") {
                found.push(rest[..end].trim().to_owned());
                rest = &rest[end..];
            }
        }
    }
    found
}

fn check_include(dir: &Path, include: &str) -> Option<String> {
    // `path`, `path:anchor`, or `path:start:end` with line numbers.
    let (file, selector) = match include.split_once(':') {
        Some((file, selector)) => (file, Some(selector)),
        None => (include, None),
    };
    let Ok(source) = std::fs::read_to_string(dir.join(file)) else {
        return Some(format!("include of missing file `{file}`"));
    };
    let anchor =
        selector.filter(|s| !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()))?;
    let opens = source.contains(&format!("ANCHOR: {anchor}"));
    let closes = source.contains(&format!("ANCHOR_END: {anchor}"));
    (!opens || !closes).then(|| format!("`{file}` has no complete ANCHOR `{anchor}`"))
}

/// Relative targets of Markdown links and images: `[text](target)`.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            rest = &rest[start + 2..];
            let Some(end) = rest.find(')') else { break };
            let target = rest[..end].split_whitespace().next().unwrap_or_default();
            let external =
                target.contains("://") || target.starts_with("mailto:") || target.starts_with('#');
            if !target.is_empty() && !external {
                targets.push(target.to_owned());
            }
            rest = &rest[end..];
        }
    }
    targets
}

/// The environment variable that names a folder for the tools the book
/// needs, instead of `target/tools`: several clones (a CI machine's) then
/// share one mdbook rather than each compiling its own.
const TOOLS_DIR: &str = "PS_TOOLS_DIR";

/// An `mdbook` 0.5: the one installed in the tools folder (`target/tools`
/// or [`TOOLS_DIR`]), one on the `PATH`, or a fresh `cargo install` into
/// the tools folder.
fn mdbook(root: &Path) -> Result<PathBuf, Failure> {
    let tools = std::env::var_os(TOOLS_DIR)
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| root.join("target/tools"), PathBuf::from);
    let local = tools
        .join("bin")
        .join(format!("mdbook{}", std::env::consts::EXE_SUFFIX));
    for candidate in [local.clone(), PathBuf::from("mdbook")] {
        if is_mdbook_0_5(&candidate) {
            return Ok(candidate);
        }
    }
    eprintln!(
        "mdbook 0.5 was not found: installing it into {} (once; it takes a few minutes)",
        tools.display()
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "install",
            "mdbook",
            "--locked",
            "--version",
            "~0.5",
            // Only `build` is used: without `serve` and `watch` (a web
            // server and a file watcher, and their async runtime) the
            // install compiles far fewer crates.
            "--no-default-features",
            "--features",
            "search",
            "--root",
        ])
        .arg(&tools)
        .status()
        .map_err(|error| Failure::Child(format!("cannot run cargo install: {error}")))?;
    if status.success() && is_mdbook_0_5(&local) {
        Ok(local)
    } else {
        Err(Failure::Child(
            "cargo install mdbook failed (its messages are above)".to_owned(),
        ))
    }
}

fn is_mdbook_0_5(program: &Path) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).starts_with("mdbook v0.5"))
}

#[cfg(test)]
mod tests;
