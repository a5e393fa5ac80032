//! `diff OLD.json NEW.json`: cell by cell, the ratio new / old and a verdict
//! that accounts for noise.

use std::fmt;

use serde::Serialize;

use crate::record::{Cell, Report};
use crate::table::Table;

/// What a pair of timings says about a change.
///
/// The rule is deliberately conservative, as critcmp's eye would be: a cell
/// changed only when the two runs' min–max ranges do not overlap — every
/// new run was faster than every old one, or slower. Overlapping ranges are
/// "no clear difference", whatever the medians say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every new run beat every old one.
    Faster,
    /// Every new run was slower than every old one.
    Slower,
    /// The ranges overlap.
    NoClearDifference,
}

impl Verdict {
    /// The verdict for `old` against `new`.
    ///
    /// ```
    /// use ps_harness::{TimingRecord, Verdict};
    ///
    /// let t = |min_s, max_s| TimingRecord { runs: 5, runs_per_sample: 1, median_s: (min_s + max_s) / 2.0, min_s, max_s };
    /// assert_eq!(Verdict::of(&t(1.0, 2.0), &t(0.5, 0.9)), Verdict::Faster);
    /// assert_eq!(Verdict::of(&t(1.0, 2.0), &t(1.5, 3.0)), Verdict::NoClearDifference);
    /// ```
    #[must_use]
    pub fn of(old: &crate::TimingRecord, new: &crate::TimingRecord) -> Verdict {
        if new.max_s < old.min_s {
            Verdict::Faster
        } else if new.min_s > old.max_s {
            Verdict::Slower
        } else {
            Verdict::NoClearDifference
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Faster => "faster",
            Verdict::Slower => "slower",
            Verdict::NoClearDifference => "no clear difference",
        })
    }
}

/// One cell found in both reports.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The cell as the new report has it.
    pub cell: Cell,
    /// New median over old median.
    pub ratio: f64,
    /// What the ranges say.
    pub verdict: Verdict,
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
    /// Matches the cells of `old` and `new` by workload, strategy, n,
    /// threads and grain.
    #[must_use]
    pub fn between(old: &Report, new: &Report) -> Diff {
        let mut changes = Vec::new();
        let mut only_new = Vec::new();
        for cell in &new.results {
            match old.results.iter().find(|o| o.key() == cell.key()) {
                Some(before) => changes.push(Change {
                    cell: cell.clone(),
                    ratio: cell.timing.median_s / before.timing.median_s,
                    verdict: Verdict::of(&before.timing, &cell.timing),
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
                "strategy",
                "n",
                "threads",
                "grain",
                "old median",
                "new median",
                "new/old",
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
                        cell.strategy.clone(),
                        cell.n.to_string(),
                        cell.threads.to_string(),
                        cell.grain.map_or_else(|| "-".to_owned(), |g| g.to_string()),
                        before.map_or_else(String::new, |b| {
                            crate::measure::human_seconds(b.timing.median_s)
                        }),
                        crate::measure::human_seconds(cell.timing.median_s),
                        format!("{:.2}x", change.ratio),
                        change.verdict.to_string(),
                    ]
                })
                .collect(),
            left_columns: 2,
        }
    }
}

/// The rule the verdicts follow, printed under every diff.
pub const VERDICT_RULE: &str = "new/old = new median / old median; a cell is faster or slower only when the two runs' min-max ranges do not overlap, otherwise \"no clear difference\".";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TimingRecord;
    use crate::machine::Machine;

    fn timing(min_s: f64, median_s: f64, max_s: f64) -> TimingRecord {
        TimingRecord {
            runs: 5,
            runs_per_sample: 1,
            median_s,
            min_s,
            max_s,
        }
    }

    fn report(cells: &[(&str, TimingRecord)]) -> Report {
        let cells = cells
            .iter()
            .map(|&(strategy, timing)| Cell {
                workload: "squares".into(),
                kernel: "scalar".into(),
                strategy: strategy.into(),
                n: 1000,
                threads: 2,
                grain: None,
                verified: true,
                timing,
                speedup: None,
                efficiency: None,
                gb_per_s: None,
                ceiling_fraction: None,
            })
            .collect();
        Report::new("compare", &Machine::detect(), cells)
    }

    #[test]
    fn equal_runs_are_no_clear_difference() {
        let t = timing(1.0, 1.5, 2.0);
        let diff = Diff::between(&report(&[("serial", t)]), &report(&[("serial", t)]));
        assert_eq!(diff.changes[0].verdict, Verdict::NoClearDifference);
        assert!((diff.changes[0].ratio - 1.0).abs() < 1e-12);
    }

    #[test]
    fn disjoint_ranges_are_faster_or_slower() {
        let old = report(&[("a", timing(1.0, 1.1, 1.2)), ("b", timing(1.0, 1.1, 1.2))]);
        let new = report(&[("a", timing(0.5, 0.55, 0.6)), ("b", timing(2.0, 2.2, 2.4))]);
        let diff = Diff::between(&old, &new);
        assert_eq!(diff.changes[0].verdict, Verdict::Faster);
        assert_eq!(diff.changes[1].verdict, Verdict::Slower);
        assert!((diff.changes[1].ratio - 2.0).abs() < 1e-9);
    }

    #[test]
    fn overlapping_noise_is_not_a_change_even_when_medians_differ() {
        let old = report(&[("a", timing(1.0, 1.1, 3.0))]);
        let new = report(&[("a", timing(0.5, 0.6, 1.05))]);
        let diff = Diff::between(&old, &new);
        assert_eq!(diff.changes[0].verdict, Verdict::NoClearDifference);
        assert!(diff.changes[0].ratio < 0.6);
    }

    #[test]
    fn unmatched_cells_are_listed() {
        let old = report(&[("a", timing(1.0, 1.0, 1.0))]);
        let new = report(&[("b", timing(1.0, 1.0, 1.0))]);
        let diff = Diff::between(&old, &new);
        assert!(diff.changes.is_empty());
        assert_eq!((diff.only_old.len(), diff.only_new.len()), (1, 1));
    }
}
