//! The book's decision chapter, drawn from its figures.
//!
//! `cargo xtask book` calls [`write()`] before it checks the book: the
//! flowchart (`generated/decision.svg`) and the numbers on its branches
//! (`generated/decision.json`, a report whose details the chapter's claims
//! read) are computed from the committed reports every time, so the
//! thresholds the reader is given cannot drift from the figures they come
//! from. A regenerated figure moves the thresholds; a claim in the chapter
//! that the move contradicts stops the build.

mod chart;
mod figures;
mod markdown;

use std::path::Path;

pub(crate) use figures::Figures;

/// The flowchart, under `generated/`.
pub(crate) const SVG: &str = "decision.svg";
/// The thresholds as a report, under `generated/`.
pub(crate) const JSON: &str = "decision.json";

/// What [`write()`] would write: (file name, contents) for each file.
pub(crate) fn render(generated: &Path) -> Result<[(&'static str, String); 2], String> {
    let figures = Figures::read(generated)?;
    let report = figures.report(generated)?;
    Ok([(SVG, chart::svg(&figures)), (JSON, report.to_json())])
}

/// Writes the flowchart and its thresholds into `generated`, leaving a file
/// that already says the same untouched.
pub(crate) fn write(generated: &Path) -> Result<(), String> {
    crate::charts::write_changed(generated, render(generated)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated() -> std::path::PathBuf {
        crate::workspace_root().join("book/src/generated")
    }

    /// The committed chart and thresholds are what the committed figures
    /// give: a figure changed without `cargo xtask book` fails here.
    #[test]
    fn the_committed_decision_matches_the_figures() {
        for (name, contents) in render(&generated()).unwrap() {
            let committed = std::fs::read_to_string(generated().join(name)).unwrap();
            assert!(
                committed == contents,
                "generated/{name} is stale: run `cargo xtask book`"
            );
        }
    }

    #[test]
    fn the_thresholds_come_from_the_figures() {
        let figures = Figures::read(&generated()).unwrap();
        // The smallest crossover is one of primes' strategies, and the
        // serial work there is a positive time.
        assert!(figures.work.crossovers > 0 && figures.work.serial_us > 0.0);
        assert!(figures.many_cores > figures.cores);
        // Spectral-norm calls its strategy four times in each round.
        assert_eq!(
            figures.phases.calls,
            4 * ps_workloads::spectral_norm::ROUNDS
        );
        let svg = chart::svg(&figures);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
        let threshold = chart::seconds(figures.work.serial_us);
        assert!(svg.contains(&threshold), "{threshold} is not on the chart");
    }

    #[test]
    fn durations_read_as_the_tables_print_them() {
        assert_eq!(markdown::duration("222.6 µs"), Some(222.6e-6));
        assert_eq!(markdown::duration("26 ns"), Some(26e-9));
        assert_eq!(markdown::duration("1.49 s"), Some(1.49));
        assert_eq!(markdown::duration("fast"), None);
    }

    /// A figure the decision needs that is missing says which one.
    #[test]
    fn a_missing_figure_is_named() {
        let scratch = std::env::temp_dir().join(format!("ps-decision-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).unwrap();
        for entry in std::fs::read_dir(generated()).unwrap().flatten() {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), scratch.join(entry.file_name())).unwrap();
            }
        }
        let machines = generated().join("machines");
        for machine in std::fs::read_dir(&machines).unwrap().flatten() {
            let to = scratch.join("machines").join(machine.file_name());
            std::fs::create_dir_all(&to).unwrap();
            for file in std::fs::read_dir(machine.path()).unwrap().flatten() {
                std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
            }
        }
        assert!(Figures::read(&scratch).is_ok());
        let overheads = std::fs::read_to_string(scratch.join("overheads.md")).unwrap();
        std::fs::write(
            scratch.join("overheads.md"),
            overheads.replace("spawn-join/scoped-thread", "renamed"),
        )
        .unwrap();
        let error = Figures::read(&scratch).unwrap_err();
        let _ = std::fs::remove_dir_all(&scratch);
        assert!(
            error.contains("overheads/spawn-join/scoped-thread"),
            "{error}"
        );
    }
}
