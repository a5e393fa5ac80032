//! The criterion benches' figures: the Markdown table the book includes
//! and, beside it, the JSON report its sentences are checked against.
//!
//! Criterion prints one `bencher` line per benchmark and the `abstraction`
//! bench a `paired` line per pair; both are read here. The JSON is a
//! harness [`Report`] of command `bench` with no timed cells: its details
//! hold `benchmarks` (each name's median and spread, in seconds) and, for
//! the paired bench, `paired` (each pair's medians, ratio, block range and
//! verdict), so that a claim reads them by path —
//! `detail benchmarks.overheads/atomic/fetch_add-uncontended.median_s < 1e-8`
//! — or as a ratio of two of them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ps_harness::{Failure, Machine, Report, Table, measured_on};

/// The Markdown table and the JSON report of one bench's output.
pub(crate) fn figures(
    title: &str,
    output: &str,
    machine: &Machine,
) -> Result<(String, String), Failure> {
    Ok((
        bench_markdown(title, output, machine)?,
        bench_json(output, machine),
    ))
}

/// The JSON report of one bench's output.
fn bench_json(output: &str, machine: &Machine) -> String {
    let benchmarks: BTreeMap<String, serde_json::Value> = parse_bencher(output)
        .into_iter()
        .map(|line| {
            (
                line.name,
                serde_json::json!({
                    "median_s": line.nanos as f64 * 1e-9,
                    "spread_s": line.spread as f64 * 1e-9,
                }),
            )
        })
        .collect();
    let paired: BTreeMap<String, serde_json::Value> = parse_paired(output)
        .into_iter()
        .filter_map(|row| {
            let [name, hand, through_trait, ratio, blocks, verdict, pairs] = &row[..] else {
                return None;
            };
            let (low, high) = blocks.split_once('–')?;
            Some((
                name.clone(),
                serde_json::json!({
                    "hand_s": seconds(hand)?,
                    "trait_s": seconds(through_trait)?,
                    "trait_over_hand": ratio.parse::<f64>().ok()?,
                    "blocks_min": low.parse::<f64>().ok()?,
                    "blocks_max": high.parse::<f64>().ok()?,
                    "verdict": verdict,
                    "pairs": pairs.parse::<u64>().ok()?,
                }),
            ))
        })
        .collect();
    let mut report =
        Report::new("bench", machine, Vec::new()).with_detail("benchmarks", benchmarks);
    if !paired.is_empty() {
        report = report.with_detail("paired", paired);
    }
    report.to_json()
}

/// `38.66 µs` in seconds.
fn seconds(text: &str) -> Option<f64> {
    let (number, unit) = text.split_once(' ')?;
    let scale = match unit {
        "ns" => 1e-9,
        "µs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        _ => return None,
    };
    Some(number.parse::<f64>().ok()? * scale)
}

/// One criterion result: `test NAME ... bench: 1,234 ns/iter (+/- 56)`.
#[derive(Debug, PartialEq)]
struct BenchLine {
    name: String,
    nanos: u64,
    spread: u64,
}

fn parse_bencher(text: &str) -> Vec<BenchLine> {
    let number = |s: &str| s.replace(',', "").parse::<u64>().ok();
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, result) = rest.split_once(" ... bench:")?;
            let mut words = result.split_whitespace();
            let nanos = number(words.next()?)?;
            let spread = words
                .nth(2)
                .map(|s| s.trim_end_matches(')'))
                .and_then(number)?;
            Some(BenchLine {
                name: name.trim().to_owned(),
                nanos,
                spread,
            })
        })
        .collect()
}

fn bench_markdown(title: &str, output: &str, machine: &Machine) -> Result<String, Failure> {
    let lines = parse_bencher(output);
    if lines.is_empty() {
        return Err(Failure::Invalid(format!(
            "no criterion results for \"{title}\""
        )));
    }
    let table = Table {
        header: vec!["benchmark", "time per iteration", "±"],
        rows: lines
            .iter()
            .map(|line| vec![line.name.clone(), nanos(line.nanos), nanos(line.spread)])
            .collect(),
        left_columns: 1,
    };
    let mut text = String::new();
    let _ = writeln!(text, "{}\n", measured_on(machine));
    let _ = writeln!(
        text,
        "{title} (criterion medians; ± is criterion's spread):\n"
    );
    text.push_str(&table.to_markdown());
    let paired = parse_paired(output);
    if !paired.is_empty() {
        let _ = writeln!(
            text,
            "\nThe same pairs timed paired — hand and trait called alternately, each trait call divided by the hand call beside it — which cancels the drift between criterion's separate measurements (`benches::paired`):\n"
        );
        let table = Table {
            header: vec![
                "pair",
                "hand (median)",
                "trait (median)",
                "trait/hand (median of pairs)",
                "range over blocks",
                "verdict",
                "pairs",
            ],
            rows: paired,
            left_columns: 1,
        };
        text.push_str(&table.to_markdown());
    }
    Ok(text)
}

/// The `paired NAME: hand H, trait T, trait/hand R (blocks A–B), VERDICT, N
/// pairs` lines of the `abstraction` bench, one table row each.
fn parse_paired(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter_map(|line| {
            let (name, summary) = line.strip_prefix("paired ")?.split_once(": ")?;
            let fields: Vec<&str> = summary.split(", ").collect();
            let [hand, through_trait, ratio, verdict, pairs] = fields[..] else {
                return None;
            };
            let (ratio, blocks) = ratio.strip_prefix("trait/hand ")?.split_once(" (blocks ")?;
            Some(vec![
                name.to_owned(),
                hand.strip_prefix("hand ")?.to_owned(),
                through_trait.strip_prefix("trait ")?.to_owned(),
                ratio.to_owned(),
                blocks.strip_suffix(')')?.to_owned(),
                verdict.to_owned(),
                pairs.strip_suffix(" pairs")?.to_owned(),
            ])
        })
        .collect()
}

/// A bencher line's nanoseconds, written as every other duration.
fn nanos(value: u64) -> String {
    ps_harness::human_seconds(value as f64 * 1e-9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bencher_lines() {
        let text = "Gnuplot not found\ntest overheads/spawn-join/scoped-thread ... bench:      23,456 ns/iter (+/- 1,234)\n\
                    test overheads/atomic/uncontended ... bench:           2 ns/iter (+/- 0)\n";
        assert_eq!(
            parse_bencher(text),
            [
                BenchLine {
                    name: "overheads/spawn-join/scoped-thread".into(),
                    nanos: 23_456,
                    spread: 1234
                },
                BenchLine {
                    name: "overheads/atomic/uncontended".into(),
                    nanos: 2,
                    spread: 0
                },
            ]
        );
    }

    #[test]
    fn reads_paired_lines_and_skips_the_rest() {
        let text = "paired abstraction/squares-100000/rayon: hand 38.66 µs, trait 38.68 µs, trait/hand 0.993 (blocks 0.971–1.002), trait at most 3% slower, 33249 pairs\n\
                    paired abstraction/squares-100000/serial: Success\n\
                    test abstraction/squares-100000/hand/rayon ... bench: 38,660 ns/iter (+/- 1,234)\n";
        assert_eq!(
            parse_paired(text),
            [[
                "abstraction/squares-100000/rayon",
                "38.66 µs",
                "38.68 µs",
                "0.993",
                "0.971–1.002",
                "trait at most 3% slower",
                "33249"
            ]]
        );
    }

    #[test]
    fn the_json_holds_every_median_and_pair_by_name() {
        let text = "test overheads/atomic/uncontended ... bench:           2 ns/iter (+/- 1)\n\
                    paired abstraction/squares-100000/rayon: hand 38.66 µs, trait 38.68 µs, trait/hand 0.993 (blocks 0.971–1.002), trait at most 3% slower, 33249 pairs\n";
        let report = Report::from_json(&bench_json(text, &Machine::detect())).unwrap();
        assert_eq!(report.command, "bench");
        let atomic = &report.details["benchmarks"]["overheads/atomic/uncontended"];
        assert!((atomic["median_s"].as_f64().unwrap() - 2e-9).abs() < 1e-15);
        assert!((atomic["spread_s"].as_f64().unwrap() - 1e-9).abs() < 1e-15);
        let pair = &report.details["paired"]["abstraction/squares-100000/rayon"];
        assert!((pair["hand_s"].as_f64().unwrap() - 38.66e-6).abs() < 1e-12);
        assert_eq!(pair["trait_over_hand"].as_f64(), Some(0.993));
        assert_eq!(pair["blocks_max"].as_f64(), Some(1.002));
        assert_eq!(pair["verdict"], "trait at most 3% slower");
        assert_eq!(pair["pairs"].as_u64(), Some(33249));
    }

    #[test]
    fn nanoseconds_read_well() {
        assert_eq!(nanos(999), "999 ns");
        assert_eq!(nanos(2_345), "2.35 µs");
        assert_eq!(nanos(23_456), "23.5 µs");
        assert_eq!(nanos(12_345_678), "12.3 ms");
    }
}
