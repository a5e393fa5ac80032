//! `diff OLD.json NEW.json`: cell by cell, the ratio new / old and a verdict
//! that accounts for noise.

use std::path::Path;

use serde::Serialize;

use crate::Failure;

use crate::record::{Cell, Report};
use crate::table::Table;
use crate::{Comparison, Verdict};

/// One cell found in both reports.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The cell as the new report has it.
    pub cell: Cell,
    /// New time over old: the estimate, its interval and the verdict
    /// (unpaired: the two reports come from separate runs).
    pub comparison: Comparison,
}

impl Change {
    /// New time over old, estimated from every pair of samples.
    #[must_use]
    pub fn ratio(&self) -> f64 {
        self.comparison.ratio
    }

    /// What the interval says.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        self.comparison.verdict
    }
}

/// Two reports matched cell by cell.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// Cells in both, in the new report's order.
    pub changes: Vec<Change>,
    /// Cells only the old report has.
    pub only_old: Vec<Cell>,
    /// Cells only the new report has.
    pub only_new: Vec<Cell>,
}

impl Diff {
    /// Matches the cells of `old` and `new` by workload, kernel, strategy,
    /// n, threads and grain.
    #[must_use]
    pub fn between(old: &Report, new: &Report) -> Diff {
        let mut changes = Vec::new();
        let mut only_new = Vec::new();
        for cell in &new.results {
            match old.results.iter().find(|o| o.key() == cell.key()) {
                Some(before) => changes.push(Change {
                    cell: cell.clone(),
                    comparison: Comparison::unpaired(&before.timing, &cell.timing),
                }),
                None => only_new.push(cell.clone()),
            }
        }
        let only_old = old
            .results
            .iter()
            .filter(|o| new.results.iter().all(|c| c.key() != o.key()))
            .cloned()
            .collect();
        Diff {
            changes,
            only_old,
            only_new,
        }
    }

    /// The table `diff` prints.
    #[must_use]
    pub fn table(&self, old: &Report) -> Table {
        Table {
            header: vec![
                "workload",
                "kernel",
                "strategy",
                "n",
                "threads",
                "grain",
                "old median",
                "new median",
                "new/old [95%]",
                "verdict",
            ],
            rows: self
                .changes
                .iter()
                .map(|change| {
                    let before = old.results.iter().find(|o| o.key() == change.cell.key());
                    let cell = &change.cell;
                    vec![
                        cell.workload.clone(),
                        cell.kernel.clone(),
                        cell.strategy.clone(),
                        cell.n.to_string(),
                        cell.threads.to_string(),
                        cell.grain.map_or_else(|| "-".to_owned(), |g| g.to_string()),
                        before.map_or_else(String::new, |b| {
                            crate::measure::human_seconds(b.timing.median_s)
                        }),
                        crate::measure::human_seconds(cell.timing.median_s),
                        change.comparison.interval_text(),
                        change.verdict().to_string(),
                    ]
                })
                .collect(),
            left_columns: 3,
        }
    }
}

/// Prints `new` against the report at `path`, cell by cell, for `--baseline`.
pub(crate) fn print_against(path: &Path, new: &Report) -> Result<(), Failure> {
    let old = crate::read_report(path)?;
    let diff = Diff::between(&old, new);
    println!(
        "\nAgainst the baseline {} (measured on {}):\n",
        path.display(),
        old.machine
    );
    print!("{}", diff.table(&old).to_text());
    println!("\n{}", crate::VERDICT_RULE);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TimingRecord;
    use crate::machine::Machine;

    fn timing(samples: &[f64]) -> TimingRecord {
        TimingRecord::from_seconds(samples, 1)
    }

    fn cell(kernel: &str, strategy: &str, timing: TimingRecord) -> Cell {
        Cell::new("mandelbrot", kernel, strategy, 1000, 2, None, timing)
    }

    fn report(cells: Vec<Cell>) -> Report {
        Report::new("compare", &Machine::detect(), cells)
    }

    #[test]
    fn a_report_diffed_with_itself_changes_nothing() {
        // Two kernels of one workload: the scalar cells must not be matched
        // with the SIMD ones.
        let noisy = [1.0, 1.3, 0.9, 1.2, 1.0, 1.1];
        let tight = [0.5, 0.501, 0.502, 0.5, 0.499, 0.5];
        let report = report(vec![
            cell("scalar", "serial", timing(&noisy)),
            cell("simd", "serial", timing(&tight)),
            cell("scalar", "rayon", timing(&tight)),
            cell("simd", "rayon", timing(&noisy)),
        ]);
        let diff = Diff::between(&report, &report);
        assert_eq!(diff.changes.len(), 4);
        for change in &diff.changes {
            assert!((change.ratio() - 1.0).abs() < 1e-12, "{change:?}");
            assert!(change.verdict().is_undecided(), "{change:?}");
        }
        assert_eq!(diff.changes[1].verdict(), Verdict::Within);
        assert!(diff.only_old.is_empty() && diff.only_new.is_empty());
    }

    #[test]
    fn clear_changes_are_faster_or_slower() {
        let old = report(vec![
            cell("scalar", "a", timing(&[1.0, 1.1, 1.2, 1.0, 1.1])),
            cell("scalar", "b", timing(&[1.0, 1.1, 1.2, 1.0, 1.1])),
        ]);
        let new = report(vec![
            cell("scalar", "a", timing(&[0.5, 0.55, 0.6, 0.5, 0.52])),
            cell("scalar", "b", timing(&[2.0, 2.2, 2.4, 2.1, 2.2])),
        ]);
        let diff = Diff::between(&old, &new);
        assert_eq!(diff.changes[0].verdict(), Verdict::Faster);
        assert_eq!(diff.changes[1].verdict(), Verdict::Slower);
        assert!((diff.changes[1].ratio() - 2.0).abs() < 0.1);
    }

    #[test]
    fn one_stray_old_sample_does_not_hide_a_regression() {
        let old = report(vec![cell(
            "scalar",
            "a",
            timing(&[1.0, 1.0, 1.1, 10.0, 1.0, 1.0, 1.05, 1.0, 1.0, 1.0]),
        )]);
        let new = report(vec![cell(
            "scalar",
            "a",
            timing(&[9.0, 9.1, 9.0, 9.2, 9.0, 8.9, 9.1, 9.0, 9.0, 9.2]),
        )]);
        assert_eq!(
            Diff::between(&old, &new).changes[0].verdict(),
            Verdict::Slower
        );
    }

    #[test]
    fn unmatched_cells_are_listed() {
        let old = report(vec![cell("scalar", "a", timing(&[1.0]))]);
        let new = report(vec![cell("simd", "a", timing(&[1.0]))]);
        let diff = Diff::between(&old, &new);
        assert!(diff.changes.is_empty());
        assert_eq!((diff.only_old.len(), diff.only_new.len()), (1, 1));
    }
}
