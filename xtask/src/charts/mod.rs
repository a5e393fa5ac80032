//! Charts the book draws from its reports when it is built.
//!
//! Like the decision flowchart, each chart is computed by `cargo xtask book`
//! from the committed JSON every time, so a chart cannot disagree with the
//! table beside it: a regenerated report redraws its chart, and a test fails
//! when a committed chart is stale.

mod crossover;
mod ladder;
mod scale;
mod sharing;
mod speedup;
mod waiting;

use std::path::Path;

use serde_json::Value;

/// The compare table as speedup bars, under `generated/`.
pub(crate) const SPEEDUP_SVG: &str = "compare-speedup.svg";
/// The per-operation overheads as a price ladder, under `generated/`.
pub(crate) const LADDER_SVG: &str = "overheads-ladder.svg";
/// Data sharing as bars, with the cache lines drawn, under `generated/`.
pub(crate) const SHARING_SVG: &str = "data-sharing.svg";
/// The lab's waiting study as time and memory against thread count.
pub(crate) const WAITING_SVG: &str = "lab-waiting.svg";
/// Speedup against n from each sweep, under `generated/`.
pub(crate) const CROSSOVER_SVGS: [(&str, &str, &str); 2] = [
    ("sweep-primes.json", "sweep-primes-speedup.svg", "primes"),
    ("sweep-squares.json", "sweep-squares-speedup.svg", "squares"),
];

/// Every chart: (file name, contents).
pub(crate) fn render(generated: &Path) -> Result<Vec<(&'static str, String)>, String> {
    let compare = read_report(generated, "compare.json")?;
    let overheads = read_report(generated, "overheads.json")?;
    let sharing = read_report(generated, "data-sharing.json")?;
    let waiting = read_report(generated, "lab-waiting.json")?;
    let mut charts = vec![
        (SPEEDUP_SVG, speedup::svg(&compare)?),
        (LADDER_SVG, ladder::svg(&overheads)?),
        (SHARING_SVG, sharing::svg(&sharing)?),
        (WAITING_SVG, waiting::svg(&waiting)?),
    ];
    for (report, chart, workload) in CROSSOVER_SVGS {
        let sweep = read_report(generated, report)?;
        let title = format!(
            "{workload}: speedup over serial against input size, each strategy at its best grain"
        );
        charts.push((chart, crossover::svg(&sweep, &title)?));
    }
    Ok(charts)
}

/// Writes every chart into `generated`.
pub(crate) fn write(generated: &Path) -> Result<(), String> {
    write_changed(generated, render(generated)?)
}

/// Writes each (file name, contents) into `generated`, leaving a file that
/// already says the same untouched, so a rebuild changes nothing it need
/// not (the decision chart is written the same way).
pub(crate) fn write_changed(
    generated: &Path,
    files: impl IntoIterator<Item = (&'static str, String)>,
) -> Result<(), String> {
    for (name, contents) in files {
        let path = generated.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            std::fs::write(&path, contents)
                .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        }
    }
    Ok(())
}

/// A criterion report's medians (`details.benchmarks`: name → `median_s`),
/// each named by its last `/`-separated parts after `prefix`, fastest
/// first.
fn bench_medians(report: &Value, file: &str, prefix: &str) -> Result<Vec<(String, f64)>, String> {
    let benchmarks = report["details"]["benchmarks"]
        .as_object()
        .ok_or_else(|| format!("{file} has no benchmarks"))?;
    let mut rows: Vec<(String, f64)> = benchmarks
        .iter()
        .map(|(name, figures)| {
            let median = figures["median_s"]
                .as_f64()
                .ok_or_else(|| format!("{file}: {name} has no median"))?;
            Ok((name.trim_start_matches(prefix).to_owned(), median))
        })
        .collect::<Result<_, String>>()?;
    rows.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(rows)
}

fn read_report(generated: &Path, name: &str) -> Result<Value, String> {
    let path = generated.join(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    serde_json::from_str(&text).map_err(|error| format!("{} is not JSON: {error}", path.display()))
}

/// `a < b` made safe inside SVG text.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated() -> std::path::PathBuf {
        crate::workspace_root().join("book/src/generated")
    }

    /// The committed charts are what the committed reports give: a report
    /// changed without `cargo xtask book` fails here.
    #[test]
    fn the_committed_charts_match_the_reports() {
        for (name, contents) in render(&generated()).unwrap() {
            let committed = std::fs::read_to_string(generated().join(name)).unwrap();
            assert!(
                committed == contents,
                "generated/{name} is stale: run `cargo xtask book`"
            );
        }
    }
}
