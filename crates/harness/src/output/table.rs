//! Rendering results as tables: plain text for the terminal, Markdown for
//! documents. (JSON is [`Report`](crate::Report)'s.)

use std::fmt::Write as _;

use crate::machine::Machine;

/// A table: a header row and rows of cells, the first `left_columns`
/// left-aligned and the rest right-aligned (numbers).
///
/// ```
/// use ps_harness::Table;
///
/// let table = Table {
///     header: vec!["strategy", "time"],
///     rows: vec![vec!["rayon".into(), "1.2 ms".into()]],
///     left_columns: 1,
/// };
/// assert_eq!(table.to_markdown(), "| strategy | time |\n|:--|--:|\n| rayon | 1.2 ms |\n");
/// ```
#[derive(Debug, Clone)]
pub struct Table {
    /// The column names.
    pub header: Vec<&'static str>,
    /// The rows, one string per column.
    pub rows: Vec<Vec<String>>,
    /// How many leading columns are text (left-aligned).
    pub left_columns: usize,
}

impl Table {
    /// Aligned columns separated by two spaces, with a rule under the header.
    #[must_use]
    pub fn to_text(&self) -> String {
        let widths = self.widths();
        let mut out = String::new();
        let header: Vec<String> = self.header.iter().map(|h| (*h).to_owned()).collect();
        self.push_line(&mut out, &header, &widths);
        let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
        self.push_line(&mut out, &rule, &widths);
        for row in &self.rows {
            self.push_line(&mut out, row, &widths);
        }
        out
    }

    /// A GitHub-flavoured Markdown table.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "| {} |", self.header.join(" | "));
        let aligns: Vec<&str> = (0..self.header.len())
            .map(|column| {
                if column < self.left_columns {
                    ":--"
                } else {
                    "--:"
                }
            })
            .collect();
        let _ = writeln!(out, "|{}|", aligns.join("|"));
        for row in &self.rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        widths
    }

    fn push_line(&self, out: &mut String, cells: &[String], widths: &[usize]) {
        let mut line = String::new();
        for (column, (cell, &width)) in cells.iter().zip(widths).enumerate() {
            if column > 0 {
                line.push_str("  ");
            }
            let pad = width - cell.chars().count();
            if column < self.left_columns {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            } else {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// One line that says where and when a table was measured: `Measured on …`.
#[must_use]
pub fn measured_on(machine: &Machine) -> String {
    match crate::load::load_since_first_measurement() {
        Some(load) => format!("Measured on {machine}; {}.", load.describe()),
        None => format!("Measured on {machine}."),
    }
}

/// `1 thread`, `2 threads`, `1 strategy`, `5 strategies`.
///
/// ```
/// assert_eq!(ps_harness::plural(5, "strategy"), "5 strategies");
/// ```
#[must_use]
pub fn plural(count: usize, noun: &str) -> String {
    match (count, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{count} {stem}ies"),
        (_, None) => format!("{count} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            header: vec!["name", "time"],
            rows: vec![
                vec!["serial".into(), "1.00 ms".into()],
                vec!["rayon".into(), "12.5 µs".into()],
            ],
            left_columns: 1,
        }
    }

    #[test]
    fn text_tables_align_numbers_right() {
        assert_eq!(
            table().to_text(),
            "name       time\n──────  ───────\nserial  1.00 ms\nrayon   12.5 µs\n"
        );
    }

    #[test]
    fn markdown_tables_mark_alignment() {
        assert_eq!(
            table().to_markdown(),
            "| name | time |\n|:--|--:|\n| serial | 1.00 ms |\n| rayon | 12.5 µs |\n"
        );
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "thread"), "1 thread");
        assert_eq!(plural(2, "thread"), "2 threads");
        assert_eq!(plural(5, "strategy"), "5 strategies");
    }
}
