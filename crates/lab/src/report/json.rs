//! The figures of a program's tables as a JSON report, written beside the
//! Markdown so that the book's sentences about them can be checked.
//!
//! The report is the harness's [`Report`] with no timed cells: its details
//! hold `tables`, one entry per Markdown table in the order printed, each a
//! map from a row's name to its cells by column name. Names are the words
//! of the row's leading cells (as many as make it unique) and of the column
//! heading, lower case, joined by `-`; a time becomes seconds, `1.23×` and
//! `5 of 8` a number, anything else stays text. A claim then reads
//! `detail tables.0.across-the-work.wall-time`. The figures are the
//! table's own, as rounded for print: what the reader sees is what is
//! checked.

use std::collections::BTreeMap;

use ps_harness::Report;
use serde_json::Value;

use crate::Machine;

/// The JSON report of the tables in `markdown`, measured on `machine` by
/// `command`.
///
/// ```
/// use ps_lab::report::tables_report;
///
/// let markdown = "| lock held | wall time |\n|:--|--:|\n| across the work | 789 ms |\n";
/// let json = tables_report("lab mutex", &ps_lab::Machine::detect(), markdown);
/// assert!(json.contains("\"across-the-work\""));
/// assert!(json.contains("\"wall-time\": 0.789"));
/// ```
#[must_use]
pub fn tables_report(command: &str, machine: &Machine, markdown: &str) -> String {
    let tables: Vec<BTreeMap<String, BTreeMap<String, Value>>> =
        tables(markdown).iter().map(keyed).collect();
    Report::new(command, machine, Vec::new())
        .with_detail("tables", tables)
        .to_json()
}

/// A table's heading and rows, as the cells' text.
struct Table {
    heading: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn tables(markdown: &str) -> Vec<Table> {
    let mut found = Vec::new();
    let mut current: Option<Table> = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            found.extend(current.take());
            continue;
        }
        let cells: Vec<String> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_owned())
            .collect();
        match &mut current {
            None => {
                current = Some(Table {
                    heading: cells.iter().map(|cell| name(cell)).collect(),
                    rows: Vec::new(),
                });
            }
            Some(_) if cells.concat().chars().all(|c| matches!(c, ':' | '-')) => {}
            Some(table) => table.rows.push(cells),
        }
    }
    found.extend(current);
    found
}

/// The rows by name, each row's cells by column name.
fn keyed(table: &Table) -> BTreeMap<String, BTreeMap<String, Value>> {
    let unique = |columns: usize| {
        let mut seen: Vec<&[String]> = table
            .rows
            .iter()
            .map(|row| &row[..columns.min(row.len())])
            .collect();
        seen.sort();
        seen.dedup();
        seen.len() == table.rows.len()
    };
    let width = table.heading.len().max(1);
    let columns = (1..=width)
        .find(|&columns| unique(columns))
        .unwrap_or(width);
    table
        .rows
        .iter()
        .map(|row| {
            let key = name(&row[..columns.min(row.len())].join("-"));
            let cells = table
                .heading
                .iter()
                .zip(row)
                .map(|(column, cell)| (column.clone(), value(cell)))
                .collect();
            (key, cells)
        })
        .collect()
}

/// `` `Mutex<u64>` held `` → `mutex-u64-held`.
fn name(text: &str) -> String {
    let lower: String = text
        .chars()
        .filter(|c| !matches!(c, '`' | '*'))
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '-'
            }
        })
        .collect();
    lower
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A cell as a number where it is one: times in seconds.
fn value(cell: &str) -> Value {
    let text = cell.trim().replace("**", "");
    let decimal = |number: &str| {
        number
            .strip_prefix('-')
            .unwrap_or(number)
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
            .then(|| number.parse::<f64>().ok())
            .flatten()
    };
    if let Some((number, unit)) = text.split_once(' ') {
        let scale = match unit {
            "ns" => Some(1e-9),
            "µs" => Some(1e-6),
            "ms" => Some(1e-3),
            "s" => Some(1.0),
            _ => None,
        };
        if let (Some(scale), Some(number)) = (scale, decimal(number)) {
            return Value::from(number * scale);
        }
    }
    if let Some(number) = text.strip_suffix('×').and_then(decimal) {
        return Value::from(number);
    }
    if let Some((done, of)) = text.split_once(" of ") {
        if let (Ok(done), Ok(_)) = (done.parse::<i64>(), of.parse::<i64>()) {
            return Value::from(done);
        }
    }
    if let Ok(whole) = text.parse::<i64>() {
        return Value::from(whole);
    }
    match decimal(&text) {
        Some(number) if text.contains('.') && !text.ends_with('.') && !text.starts_with('.') => {
            Value::from(number)
        }
        _ => Value::from(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_become_numbers_where_they_are_figures() {
        assert_eq!(value("789 ms"), Value::from(0.789));
        assert_eq!(value("20.8 µs"), Value::from(20.8e-6));
        assert_eq!(value("0.96×"), Value::from(0.96));
        assert_eq!(value("5 of 8"), Value::from(5));
        assert_eq!(value("128"), Value::from(128));
        assert_eq!(value("3.2"), Value::from(3.2));
        assert_eq!(value("—"), Value::from("—"));
        assert_eq!(value("61.0 KiB"), Value::from("61.0 KiB"));
        assert_eq!(
            value("**deadlocked**: no progress"),
            Value::from("deadlocked: no progress")
        );
    }

    #[test]
    fn rows_are_named_by_as_many_leading_cells_as_make_them_unique() {
        let markdown = "| runner | items | wall time |\n|:--|--:|--:|\n| rayon | 1000 | 9.96 ms |\n| rayon | 100000 | 337 ms |\n\ntext\n\n| `source` | reports |\n|:--|:--|\n| `std::thread` | 2 |\n";
        let tables: Vec<_> = tables(markdown).iter().map(keyed).collect();
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0]["rayon-100000"]["wall-time"], Value::from(0.337));
        assert_eq!(tables[1]["std-thread"]["reports"], Value::from(2));
    }

    /// The committed reports were converted from the committed tables once,
    /// before the lab wrote JSON itself; this conversion must agree.
    #[test]
    fn the_committed_reports_match_their_tables() {
        let generated =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/generated");
        for program in [
            "mutex",
            "blocking",
            "oversubscription",
            "waiting",
            "async-cpu",
        ] {
            let read = |extension: &str| {
                std::fs::read_to_string(generated.join(format!("lab-{program}.{extension}")))
                    .unwrap()
            };
            let committed = Report::from_json(&read("json")).unwrap();
            let fresh = Report::from_json(&tables_report(
                &committed.command,
                &committed.machine,
                &read("md"),
            ))
            .unwrap();
            assert_eq!(fresh.details, committed.details, "lab-{program}");
        }
    }
}
