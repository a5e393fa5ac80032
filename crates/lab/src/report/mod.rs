//! The programs' figures as Markdown: one table (or two) per program,
//! headed by the machine, followed by sentences generated from the same
//! figures, so that no number or ordering in the book is written by hand;
//! and the same tables as a JSON report ([`tables_report`]), against which
//! the book checks the sentences it writes about them.

mod json;
mod programs;
mod waiting;

pub use json::tables_report;
pub use programs::{async_cpu, blocking, mutex, oversubscription};
pub use waiting::waiting;

use std::time::Duration;

use crate::Machine;

/// The line above every table: the harness's, so that the lab's tables
/// name their machine as every other figure does.
fn header(machine: &Machine) -> String {
    format!("{}\n\n", ps_harness::measured_on(machine))
}

/// `a / b` as `1.23×`.
fn ratio(a: Duration, b: Duration) -> String {
    format!(
        "{:.2}×",
        a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
    )
}

/// A Markdown table: the harness's, its first `left_columns` columns text
/// (left-aligned) and the rest figures.
fn table(head: &[&'static str], left_columns: usize, rows: &[Vec<String>]) -> String {
    ps_harness::Table {
        header: head.to_vec(),
        rows: rows.to_vec(),
        left_columns,
    }
    .to_markdown()
}

/// A count that may be unknown.
fn maybe<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| v.to_string())
}
