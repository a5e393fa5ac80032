//! The figures that have no JSON report: the overheads bench's and the
//! pitfalls lab's, read back from the Markdown tables they print. A row
//! that is missing or reads as no duration is an error naming the table
//! and the row, so a change of format fails loudly instead of moving a
//! threshold.

use std::path::Path;

use super::figures::{Waiting, text};

/// A duration written as the harness and criterion print them: `222.6 µs`,
/// `26 ns`, `1.49 s`.
pub(crate) fn duration(text: &str) -> Option<f64> {
    let (number, unit) = text.trim().split_once(' ')?;
    let scale = match unit.trim() {
        "ns" => 1e-9,
        "µs" | "us" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        _ => return None,
    };
    number.parse::<f64>().ok().map(|n| n * scale)
}

/// The cells of the first table row of `markdown` whose first cell is
/// `first`, after the line `after` when one is given.
fn row<'a>(markdown: &'a str, after: Option<&str>, first: &str) -> Option<Vec<&'a str>> {
    let body = match after {
        Some(heading) => &markdown[markdown.find(heading)? + heading.len()..],
        None => markdown,
    };
    body.lines()
        .map(|line| {
            line.trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.first() == Some(&first))
}

/// Column `column` of the row named `first` as seconds.
pub(super) fn table_duration(markdown: &str, first: &str, column: usize) -> Result<f64, String> {
    row(markdown, None, first)
        .and_then(|cells| duration(cells.get(column)?))
        .ok_or_else(|| format!("no duration in the row `{first}`"))
}

pub(super) fn waiting(generated: &Path) -> Result<Waiting, String> {
    let lab = text(generated, "lab-waiting.md")?;
    // The largest run is the last bold heading before the full table.
    let heading = lab
        .lines()
        .rfind(|line| line.starts_with("**") && line.ends_with(" items**"))
        .ok_or("generated/lab-waiting.md has no `**N items**` table")?;
    let items = heading
        .trim_matches('*')
        .trim_end_matches(" items")
        .parse()
        .map_err(|_| format!("lab-waiting.md: `{heading}` names no count"))?;
    let time = |runner: &str| {
        row(&lab, Some(heading), runner)
            .and_then(|cells| {
                let threads = cells.get(1)?.parse::<usize>().ok()?;
                Some((threads, duration(cells.get(2)?)? * 1e3))
            })
            .ok_or(format!("lab-waiting.md: no `{runner}` row under {heading}"))
    };
    let (_, async_ms) = time("tokio")?;
    let mut fastest: Option<(String, usize, f64)> = None;
    for runner in ["threads-static", "threads-dynamic", "pipeline", "rayon"] {
        let (threads, ms) = time(runner)?;
        if fastest.as_ref().is_none_or(|(_, _, best)| ms < *best) {
            fastest = Some((runner.to_owned(), threads, ms));
        }
    }
    let (threads_runner, threads, threads_ms) = fastest.ok_or("no thread-based runner")?;
    let cpu = text(generated, "lab-async-cpu.md")?;
    let ping = |runner: &str| {
        row(&cpu, None, runner)
            .and_then(|cells| duration(cells.get(1)?))
            .map(|s| s * 1e6)
            .ok_or(format!("lab-async-cpu.md: no ping time for `{runner}`"))
    };
    let (ping_inside_us, ping_blocking_us) = (ping("inside async tasks")?, ping("spawn_blocking")?);
    Ok(Waiting {
        items,
        async_ms,
        threads_runner,
        threads,
        threads_ms,
        async_over_threads: async_ms / threads_ms,
        ping_inside_us,
        ping_blocking_us,
        ping_inside_over_blocking: ping_inside_us / ping_blocking_us,
    })
}
