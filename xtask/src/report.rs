//! Rendering results: a plain-text table for the terminal, Markdown for the
//! book and JSON for anything else.

use std::fmt::Write as _;

use crate::machine::Machine;
use crate::measure::Timing;

/// A table: a header row and rows of cells, the first `left_columns`
/// left-aligned and the rest right-aligned (numbers).
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) header: Vec<&'static str>,
    pub(crate) rows: Vec<Vec<String>>,
    pub(crate) left_columns: usize,
}

impl Table {
    /// Aligned columns separated by two spaces, with a rule under the header.
    pub(crate) fn to_text(&self) -> String {
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
    pub(crate) fn to_markdown(&self) -> String {
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

/// One line that says where and when a table was measured.
pub(crate) fn measured_on(machine: &Machine) -> String {
    format!("Measured on {machine}.")
}

/// A JSON value, enough for flat records of numbers and strings.
#[derive(Debug, Clone)]
pub(crate) enum Json {
    Str(String),
    Num(f64),
    Int(u64),
    Bool(bool),
    Null,
    Object(Vec<(&'static str, Json)>),
    Array(Vec<Json>),
}

impl Json {
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Json::Str(text) => write_json_string(out, text),
            Json::Num(value) if value.is_finite() => {
                let _ = write!(out, "{value}");
            }
            Json::Num(_) | Json::Null => out.push_str("null"),
            Json::Int(value) => {
                let _ = write!(out, "{value}");
            }
            Json::Bool(value) => {
                let _ = write!(out, "{value}");
            }
            Json::Object(fields) => {
                out.push('{');
                for (index, (key, value)) in fields.iter().enumerate() {
                    out.push_str(if index == 0 { "" } else { "," });
                    newline(out, depth + 1);
                    write_json_string(out, key);
                    out.push_str(": ");
                    value.write(out, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    out.push_str(if index == 0 { "" } else { "," });
                    newline(out, depth + 1);
                    item.write(out, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
        }
    }
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n("  ", depth));
}

fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A timing's runs, median, min and max (in seconds) as JSON fields, the
/// same in every report.
pub(crate) fn timing_fields(timing: &Timing) -> Vec<(&'static str, Json)> {
    let seconds = |duration: std::time::Duration| Json::Num(duration.as_secs_f64());
    vec![
        ("runs", Json::Int(timing.runs() as u64)),
        ("median_s", seconds(timing.median())),
        ("min_s", seconds(timing.min())),
        ("max_s", seconds(timing.max())),
    ]
}

/// The machine as a JSON object.
pub(crate) fn machine_json(machine: &Machine) -> Json {
    Json::Object(
        machine
            .fields()
            .into_iter()
            .map(|(key, value)| {
                let value = if key == "logical_cores" {
                    Json::Int(machine.logical_cores as u64)
                } else {
                    Json::Str(value)
                };
                (key, value)
            })
            .collect(),
    )
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
    fn json_escapes_strings_and_nests() {
        let json = Json::Object(vec![
            ("text", Json::Str("a \"quote\"\n".into())),
            (
                "list",
                Json::Array(vec![
                    Json::Int(1),
                    Json::Num(0.5),
                    Json::Bool(true),
                    Json::Num(f64::NAN),
                ]),
            ),
        ]);
        assert_eq!(
            json.render(),
            "{\n  \"text\": \"a \\\"quote\\\"\\n\",\n  \"list\": [\n    1,\n    0.5,\n    true,\n    null\n  ]\n}\n"
        );
    }
}
