//! `ps-mpi crossover`: each workload on a ladder of sizes, to find the size
//! from which the job's ranks beat serial — or that they never do here.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ps_harness::{Failure, Machine, Report, Table, human, measured_on, write_file};
use ps_mpi::{Distributed, DistributedVisitor, Team, visit_all};

use super::Session;
use super::compare::{Row, bytes, check_selection, measure_one, selected, shape, speedup};
use crate::cli::CrossoverArgs;

/// Each rung of the ladder is this many times smaller than the next.
const RUNG: usize = 4;

struct Ladder<'a> {
    args: &'a CrossoverArgs,
    session: &'a Session,
    rows: Vec<Row>,
    failure: Option<Failure>,
}

impl DistributedVisitor for Ladder<'_> {
    fn visit<W: Distributed + 'static>(&mut self, workload: W) {
        if self.failure.is_some() || !selected(&self.args.selection, workload.name()) {
            return;
        }
        let top = workload.sizes().default;
        let mut sizes: Vec<usize> = (0..self.args.steps)
            .rev()
            .map(|step| workload.nearest_valid_n(top / RUNG.pow(step)))
            .collect();
        sizes.dedup();
        for n in sizes {
            match measure_one(
                &workload,
                n,
                &self.args.local,
                self.args.selection.runs as usize,
                self.session,
            ) {
                Ok(row) => self.rows.extend(row),
                Err(failure) => {
                    self.failure = Some(failure);
                    return;
                }
            }
        }
    }
}

/// The finding for one workload's rows (smallest size first), as a
/// sentence generated from the measurements.
fn finding(rows: &[&Row]) -> String {
    let wins = |row: &&Row| row.split.timing.median() < row.serial.median();
    let name = &rows[0].workload;
    let largest = rows[rows.len() - 1];
    let from = (0..rows.len()).find(|&i| rows[i..].iter().all(wins));
    match from {
        Some(0) => format!(
            "**{name}**: the ranks beat serial at every size measured, from n = {}.",
            rows[0].n
        ),
        Some(i) => format!(
            "**{name}**: the ranks beat serial from n = {} on (and lose at n = {}).",
            rows[i].n,
            rows[i - 1].n
        ),
        None => format!(
            "**{name}**: the ranks never stay ahead of serial up to n = {}, where a run moves {} between processes and the serial loop takes {}.",
            largest.n,
            bytes(largest.split.bytes_moved()),
            human(largest.serial.median())
        ),
    }
}

pub(crate) fn crossover(args: &CrossoverArgs, session: &Session) -> Result<(), Failure> {
    check_selection(&args.selection)?;
    let mut ladder = Ladder {
        args,
        session,
        rows: Vec::new(),
        failure: None,
    };
    visit_all(&mut ladder);
    if let Some(failure) = ladder.failure {
        return Err(failure);
    }
    if !session.is_root() {
        return Ok(());
    }
    let table = Table {
        header: vec![
            "workload",
            "n",
            "serial",
            "ranks",
            "speedup",
            "in MPI",
            "moved/run",
        ],
        rows: ladder
            .rows
            .iter()
            .map(|row| {
                vec![
                    row.workload.clone(),
                    row.n.to_string(),
                    human(row.serial.median()),
                    human(row.split.timing.median()),
                    format!("{:.2}×", speedup(&row.serial, &row.split.timing)),
                    human(row.split.slowest_exchanges()),
                    bytes(row.split.bytes_moved()),
                ]
            })
            .collect(),
        left_columns: 1,
    };
    let mut findings = String::new();
    let mut start = 0;
    while start < ladder.rows.len() {
        let name = &ladder.rows[start].workload;
        let rows: Vec<&Row> = ladder.rows[start..]
            .iter()
            .take_while(|row| &row.workload == name)
            .collect();
        start += rows.len();
        let _ = writeln!(findings, "- {}", finding(&rows));
    }
    let heading = format!(
        "{}\n\nEach size on {}, against serial on rank 0; a size {RUNG} times smaller on each row up.\n",
        measured_on(&Machine::detect()),
        shape(session.team.ranks(), &args.local)
    );
    println!("{heading}\n{}\n{findings}", table.to_text());
    if let Some(path) = &args.markdown {
        write_file(
            path,
            format!("{heading}\n{}\n{findings}", table.to_markdown()),
        )?;
    }
    if let Some(path) = &args.json {
        write_file(path, json(&ladder.rows, &Machine::detect()))?;
    }
    Ok(())
}

/// The table's figures as a harness report with no timed cells: its
/// `tables` detail holds one table, a row per `WORKLOAD-N` with the
/// Markdown table's columns by name and times in seconds — the form the
/// pitfalls lab writes its tables in, so one kind of claim reads both.
fn json(rows: &[Row], machine: &Machine) -> String {
    let table: BTreeMap<String, serde_json::Value> = rows
        .iter()
        .map(|row| {
            (
                format!("{}-{}", row.workload, row.n),
                serde_json::json!({
                    "workload": row.workload,
                    "n": row.n,
                    "serial": row.serial.median().as_secs_f64(),
                    "ranks": row.split.timing.median().as_secs_f64(),
                    "speedup": speedup(&row.serial, &row.split.timing),
                    "in-mpi": row.split.slowest_exchanges().as_secs_f64(),
                    "moved-run": bytes(row.split.bytes_moved()),
                }),
            )
        })
        .collect();
    Report::new("crossover", machine, Vec::new())
        .with_detail("tables", [table])
        .to_json()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ps_harness::Timing;
    use ps_mpi::{DistributedTiming, RankCost};

    use super::*;

    fn timing(micros: u64) -> Timing {
        Timing::from_samples(vec![Duration::from_micros(micros); 3], 1)
    }

    #[test]
    fn the_report_holds_every_row_by_workload_and_size() {
        let rank = |bytes_sent| RankCost {
            compute: Duration::from_micros(300),
            packing: Duration::ZERO,
            in_exchanges: Duration::from_micros(400),
            bytes_sent,
            page_faults: 0,
        };
        let row = Row {
            workload: "squares".to_owned(),
            n: 250_000,
            serial: timing(140),
            split: DistributedTiming {
                timing: timing(1_120),
                ranks: vec![rank(0), rank(1_000_000)],
                alone: None,
            },
        };
        let report = Report::from_json(&json(&[row], &Machine::detect())).unwrap();
        assert_eq!(report.command, "crossover");
        let cells = &report.details["tables"][0]["squares-250000"];
        assert_eq!(cells["n"], 250_000);
        assert!((cells["serial"].as_f64().unwrap() - 140e-6).abs() < 1e-12);
        assert!((cells["ranks"].as_f64().unwrap() - 1_120e-6).abs() < 1e-12);
        assert!((cells["speedup"].as_f64().unwrap() - 0.125).abs() < 1e-9);
        assert!((cells["in-mpi"].as_f64().unwrap() - 400e-6).abs() < 1e-12);
        assert_eq!(cells["moved-run"], "976.6 KiB");
    }
}
