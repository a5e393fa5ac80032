//! The pitfalls lab's waiting study as two panels: wall time and peak memory
//! against the number of threads, one line per strategy at the study's
//! largest item count, and tokio's few workers as a level line across both,
//! so that "more threads help, until they cost more than they save" and
//! "the runtime waits for less" are read off one picture.

use std::fmt::Write as _;

use serde_json::Value;

use super::escape;
use super::scale::duration;

const WIDTH: f64 = 920.0;
const HEIGHT: f64 = 450.0;
const TOP: f64 = 86.0;
const BOTTOM: f64 = 56.0;
/// Each panel's left edge and width.
const PANELS: [f64; 2] = [70.0, 520.0];
const PANEL_W: f64 = 330.0;
const PALETTE: [&str; 6] = [
    "#3b6fd8", "#c0392b", "#2f8f4e", "#8e44ad", "#e67e22", "#16a085",
];
const TOKIO: &str = "tokio";

/// One measured configuration: a row of the lab's every-configuration table.
#[derive(Debug, Clone, Copy)]
struct Point {
    threads: f64,
    wall_s: f64,
    memory_mib: f64,
}

/// Each strategy's runs at the largest item count, fewest threads first,
/// and tokio's apart.
type Runs = (f64, Vec<(String, Vec<Point>)>, Option<Point>);

/// The runs of `lab-waiting.json`: its last table holds every configuration
/// measured.
fn runs(report: &Value) -> Result<Runs, String> {
    let rows = report["details"]["tables"]
        .as_array()
        .and_then(|tables| tables.last())
        .and_then(Value::as_object)
        .ok_or("lab-waiting.json has no table of every configuration")?;
    let items = rows
        .values()
        .filter_map(|row| row["items"].as_f64())
        .fold(0.0, f64::max);
    let mut lines: Vec<(String, Vec<Point>)> = Vec::new();
    for row in rows.values() {
        if row["items"].as_f64() != Some(items) {
            continue;
        }
        let runner = row["runner"].as_str().ok_or("a row names no runner")?;
        let (Some(threads), Some(wall_s), Some(memory_mib)) = (
            row["threads-workers"].as_f64(),
            row["wall-time"].as_f64(),
            row["peak-memory-mib"].as_f64(),
        ) else {
            // A configuration that failed has no figures to draw.
            continue;
        };
        let point = Point {
            threads,
            wall_s,
            memory_mib,
        };
        match lines.iter_mut().find(|(name, _)| name == runner) {
            Some((_, points)) => points.push(point),
            None => lines.push((runner.to_owned(), vec![point])),
        }
    }
    for (_, points) in &mut lines {
        points.sort_by(|a, b| a.threads.total_cmp(&b.threads));
    }
    let tokio = lines
        .iter()
        .position(|(name, _)| name == TOKIO)
        .and_then(|at| lines.remove(at).1.first().copied());
    if lines.is_empty() {
        return Err(format!(
            "lab-waiting.json has no thread-based run at {items} items"
        ));
    }
    Ok((items, lines, tokio))
}

/// One panel: what it plots of each run, and where a value falls.
struct Panel<'a> {
    label: &'static str,
    value: fn(&Point) -> f64,
    y: &'a dyn Fn(f64) -> f64,
    /// Each grid line's value and label, if it has one.
    grid: Vec<(f64, Option<String>)>,
}

/// The chart of `lab-waiting.json`.
pub(crate) fn svg(report: &Value) -> Result<String, String> {
    let (items, lines, tokio) = runs(report)?;
    let all = || {
        lines
            .iter()
            .flat_map(|(_, points)| points)
            .chain(tokio.iter())
    };
    let extent = |of: fn(&Point) -> f64| {
        (
            all().map(of).fold(f64::MAX, f64::min),
            all().map(of).fold(0.0, f64::max),
        )
    };
    let (fewest, most) = extent(|p| p.threads);
    // Every other power of two is labelled, every power of ten.
    let threads = Axis::log(fewest, most, 2.0, 2);
    let (fastest, slowest) = extent(|p| p.wall_s);
    let time = Axis::log(fastest, slowest, 10.0, 1);
    let memory_top = (extent(|p| p.memory_mib).1 / 10.0).ceil() * 10.0;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let title = format!(
        "{items:.0} items that wait: wall time and peak memory against the number of threads"
    );
    let _ = writeln!(
        svg,
        r##"<title>{0}</title><rect width="100%" height="100%" fill="#ffffff"/><text x="8" y="22" font-size="15" font-weight="bold" fill="#1a1a1a">{0}</text>"##,
        escape(&title)
    );
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y_time = |seconds: f64| TOP + plot_h - time.fraction(seconds) * plot_h;
    let y_memory = |mib: f64| TOP + plot_h - mib / memory_top * plot_h;
    let panels = [
        Panel {
            label: "wall time (log scale)",
            value: |p| p.wall_s,
            y: &y_time,
            grid: time
                .ticks()
                .into_iter()
                .map(|(seconds, labelled)| (seconds, labelled.then(|| duration(seconds))))
                .collect(),
        },
        Panel {
            label: "peak memory (MiB)",
            value: |p| p.memory_mib,
            y: &y_memory,
            grid: (0..=5)
                .map(|step| f64::from(step) * memory_top / 5.0)
                .map(|mib| (mib, Some(format!("{mib:.0}"))))
                .collect(),
        },
    ];
    for (panel, left) in panels.iter().zip(PANELS) {
        let x = |n: f64| left + threads.fraction(n) * PANEL_W;
        frame(&mut svg, left, panel.label, &threads, &x);
        for (value, label) in &panel.grid {
            tick_y(&mut svg, left, (panel.y)(*value), label.as_deref());
        }
        if let Some(tokio) = &tokio {
            let level = (panel.y)((panel.value)(tokio));
            let _ = writeln!(
                svg,
                r##"<line x1="{left}" y1="{level:.1}" x2="{:.1}" y2="{level:.1}" stroke="#555" stroke-dasharray="5 4"/><circle cx="{:.1}" cy="{level:.1}" r="4" fill="#555"><title>tokio, {:.0} workers</title></circle>"##,
                left + PANEL_W,
                x(tokio.threads),
                tokio.threads
            );
        }
        for (index, (name, points)) in lines.iter().enumerate() {
            let colour = PALETTE[index % PALETTE.len()];
            let at = |p: &Point| (x(p.threads), (panel.y)((panel.value)(p)));
            let path: Vec<String> = points
                .iter()
                .map(|p| format!("{:.1},{:.1}", at(p).0, at(p).1))
                .collect();
            let _ = writeln!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"><title>{}</title></polyline>"#,
                path.join(" "),
                escape(name)
            );
            for p in points {
                let (cx, cy) = at(p);
                let _ = writeln!(
                    svg,
                    r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="3" fill="{colour}"/>"#
                );
            }
        }
    }
    legend(&mut svg, &lines, tokio.is_some());
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// A logarithmic axis from the power of `base` at or below the smallest
/// value to the one at or above the largest.
#[derive(Debug, Clone, Copy)]
struct Axis {
    low: f64,
    high: f64,
    base: f64,
    /// Every how many powers a tick is labelled.
    label_every: usize,
}

impl Axis {
    fn log(smallest: f64, largest: f64, base: f64, label_every: usize) -> Self {
        let power = |value: f64, round: fn(f64) -> f64| base.powf(round(value.log(base)));
        let low = power(smallest.max(1e-12), f64::floor);
        Axis {
            low,
            high: power(largest, f64::ceil).max(low * base),
            base,
            label_every,
        }
    }

    /// Where `value` falls, from 0 (low) to 1 (high).
    fn fraction(&self, value: f64) -> f64 {
        (value / self.low).ln() / (self.high / self.low).ln()
    }

    /// Every power of the base, each with whether it is labelled.
    fn ticks(&self) -> Vec<(f64, bool)> {
        let mut ticks = Vec::new();
        let mut value = self.low;
        let mut index = 0;
        while value <= self.high * 1.001 {
            ticks.push((value, index % self.label_every == 0));
            value *= self.base;
            index += 1;
        }
        ticks
    }
}

/// A panel's axes, its heading and the thread ticks under it.
fn frame(svg: &mut String, left: f64, label: &str, threads: &Axis, x: &impl Fn(f64) -> f64) {
    let bottom = HEIGHT - BOTTOM;
    let _ = writeln!(
        svg,
        r##"<line x1="{left}" y1="{bottom}" x2="{0:.1}" y2="{bottom}" stroke="#444"/><line x1="{left}" y1="{TOP}" x2="{left}" y2="{bottom}" stroke="#444"/><text x="{left}" y="{1:.1}" font-weight="bold" fill="#333">{2}</text><text x="{3:.1}" y="{4:.1}" text-anchor="middle" fill="#333">threads (log scale)</text>"##,
        left + PANEL_W,
        TOP - 14.0,
        escape(label),
        left + PANEL_W / 2.0,
        HEIGHT - 14.0
    );
    for (count, labelled) in threads.ticks() {
        if labelled {
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#444">{count:.0}</text>"##,
                x(count),
                bottom + 16.0
            );
        }
    }
}

/// A grid line across a panel at height `y`, labelled at its left.
fn tick_y(svg: &mut String, left: f64, y: f64, label: Option<&str>) {
    let _ = writeln!(
        svg,
        r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e3e3"/>"##,
        left + PANEL_W
    );
    if let Some(label) = label {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="#444">{}</text>"##,
            left - 6.0,
            y + 4.0,
            escape(label)
        );
    }
}

/// The strategies' colours in a row under the title, and tokio's line.
fn legend(svg: &mut String, lines: &[(String, Vec<Point>)], tokio: bool) {
    let mut x = PANELS[0];
    let y = 42.0;
    for (index, (name, _)) in lines.iter().enumerate() {
        let colour = PALETTE[index % PALETTE.len()];
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{y}" x2="{:.1}" y2="{y}" stroke="{colour}" stroke-width="2"/><text x="{:.1}" y="{:.1}" fill="#1a1a1a">{}</text>"##,
            x + 20.0,
            x + 26.0,
            y + 4.0,
            escape(name)
        );
        x += 40.0 + 7.0 * name.len() as f64;
    }
    if tokio {
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{y}" x2="{:.1}" y2="{y}" stroke="#555" stroke-dasharray="5 4"/><text x="{:.1}" y="{:.1}" fill="#1a1a1a">tokio's level (dot: its workers)</text>"##,
            x + 20.0,
            x + 26.0,
            y + 4.0
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_span_whole_powers() {
        let threads = Axis::log(2.0, 2048.0, 2.0, 2);
        assert!((threads.fraction(2.0)).abs() < 1e-9);
        assert!((threads.fraction(2048.0) - 1.0).abs() < 1e-9);
        assert_eq!(threads.ticks().len(), 11);
        let time = Axis::log(0.121, 20.2, 10.0, 1);
        assert!((time.low - 0.1).abs() < 1e-12 && (time.high - 100.0).abs() < 1e-9);
    }

    #[test]
    fn every_thread_based_run_at_the_largest_size_is_drawn() {
        let row = |runner: &str, items: u64, threads: u64, wall: f64| {
            serde_json::json!({"runner": runner, "items": items, "threads-workers": threads,
                "wall-time": wall, "peak-memory-mib": 4.0})
        };
        let report = serde_json::json!({"details": {"tables": [{}, {
            "a": row("rayon", 10, 8, 1.0),
            "b": row("rayon", 100, 8, 2.0),
            "c": row("rayon", 100, 32, 0.5),
            "d": row("tokio", 100, 2, 0.1),
        }]}});
        let svg = svg(&report).unwrap();
        // One rayon line per panel; the smaller size is left out.
        assert_eq!(svg.matches("<polyline").count(), 2);
        // Two rayon points per panel, and tokio's marker in each.
        assert_eq!(svg.matches(r#"r="3""#).count(), 4);
        assert_eq!(svg.matches("<title>tokio, 2 workers</title>").count(), 2);
        assert!(svg.contains("100 items that wait"));
    }
}
