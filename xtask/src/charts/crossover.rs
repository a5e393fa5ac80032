//! Speedup against input size from a sweep: each strategy walked up the
//! size ladder at its best grain, the line where it draws level with
//! serial, and the crossover size n* where it first beat serial.

use std::fmt::Write as _;

use serde_json::Value;

use super::escape;

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 460.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 170.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 60.0;
const PALETTE: [&str; 8] = [
    "#3b6fd8", "#c0392b", "#2f8f4e", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d", "#d35400",
];

/// One strategy's points, smallest size first.
struct Line {
    strategy: String,
    points: Vec<(f64, f64)>,
    n_star: Option<f64>,
}

/// The chart of a `sweep` report: speedup over serial against n.
pub(crate) fn svg(report: &Value, title: &str) -> Result<String, String> {
    let cells = report["results"]
        .as_array()
        .ok_or("the sweep report has no results")?;
    let top_n = cells
        .iter()
        .filter_map(|cell| cell["n"].as_f64())
        .fold(0.0, f64::max);
    let lines = lines(cells, &report["details"]["crossovers"], top_n);
    let smallest = lines
        .iter()
        .flat_map(|line| line.points.iter().map(|point| point.0))
        .fold(top_n, f64::min)
        .max(1.0);
    let highest = lines
        .iter()
        .flat_map(|line| line.points.iter().map(|point| point.1))
        .fold(2.0, f64::max)
        .ceil();
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |n: f64| LEFT + (n / smallest).log2() / (top_n / smallest).log2().max(1.0) * plot_w;
    let y = |speedup: f64| TOP + plot_h - speedup / highest * plot_h;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r##"<title>{0}</title><rect width="100%" height="100%" fill="#ffffff"/><text x="8" y="22" font-size="15" font-weight="bold" fill="#1a1a1a">{0}</text>"##,
        escape(title)
    );
    axes(&mut svg, smallest, top_n, highest, &x, &y);
    for (index, line) in lines.iter().enumerate() {
        let colour = PALETTE[index % PALETTE.len()];
        let path: Vec<String> = line
            .points
            .iter()
            .map(|&(n, s)| format!("{:.1},{:.1}", x(n), y(s)))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
            path.join(" ")
        );
        if let Some(n_star) = line.n_star {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="5" fill="none" stroke="{colour}" stroke-width="2"><title>{} n* = {n_star:.0}</title></circle>"#,
                x(n_star),
                y(1.0),
                escape(&line.strategy)
            );
        }
        let legend_y = TOP + 14.0 + index as f64 * 18.0;
        let _ = writeln!(
            svg,
            r##"<line x1="{0:.1}" y1="{1:.1}" x2="{2:.1}" y2="{1:.1}" stroke="{colour}" stroke-width="2"/><text x="{3:.1}" y="{4:.1}" fill="#1a1a1a">{5}</text>"##,
            LEFT + plot_w + 14.0,
            legend_y,
            LEFT + plot_w + 34.0,
            LEFT + plot_w + 40.0,
            legend_y + 4.0,
            escape(&line.strategy)
        );
    }
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#333">circle: n*, where it first beat serial</text>"##,
        LEFT,
        TOP - 8.0
    );
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// The axes, serial's level line, the size ticks (every power of four) and
/// the speedup ticks.
fn axes(
    svg: &mut String,
    smallest: f64,
    top_n: f64,
    highest: f64,
    x: &impl Fn(f64) -> f64,
    y: &impl Fn(f64) -> f64,
) {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let _ = writeln!(
        svg,
        r##"<line x1="{LEFT}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#444"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{0:.1}" stroke="#444"/><line x1="{LEFT}" y1="{2:.1}" x2="{1:.1}" y2="{2:.1}" stroke="#444" stroke-dasharray="4 3"/><text x="{3:.1}" y="{4:.1}" fill="#444">serial</text>"##,
        TOP + plot_h,
        LEFT + plot_w,
        y(1.0),
        LEFT + plot_w + 6.0,
        y(1.0) + 4.0
    );
    let mut tick = smallest;
    while tick <= top_n * 1.001 {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#444">{}</text>"##,
            x(tick),
            TOP + plot_h + 16.0,
            size(tick)
        );
        tick *= 4.0;
    }
    let mut speedup = 0.0;
    while speedup <= highest {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="#444">{speedup:.1}x</text>"##,
            LEFT - 6.0,
            y(speedup) + 4.0
        );
        speedup += 0.5;
    }
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">input size n (log scale)</text><text x="14" y="{:.1}" fill="#333" transform="rotate(-90 14 {:.1})" text-anchor="middle">speedup over serial</text>"##,
        LEFT + plot_w / 2.0,
        HEIGHT - 14.0,
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0
    );
}

/// Each parallel strategy's points: every size below the top at the grain
/// the ladder used, and at the top its best grain.
fn lines(cells: &[Value], crossovers: &Value, top_n: f64) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for cell in cells {
        let strategy = cell["strategy"].as_str().unwrap_or_default();
        let (Some(n), Some(speedup)) = (cell["n"].as_f64(), cell["speedup"].as_f64()) else {
            continue;
        };
        if strategy == "serial" {
            continue;
        }
        let index = lines
            .iter()
            .position(|line| line.strategy == strategy)
            .unwrap_or_else(|| {
                lines.push(Line {
                    strategy: strategy.to_owned(),
                    points: Vec::new(),
                    n_star: None,
                });
                lines.len() - 1
            });
        let points = &mut lines[index].points;
        // Sizes are whole numbers of elements: compare them as such.
        let same = |a: f64, b: f64| (a - b).abs() < 0.5;
        match points.iter_mut().find(|point| same(point.0, n)) {
            // At the top size the grain sweep gave many cells: the best.
            Some(point) if same(n, top_n) => point.1 = point.1.max(speedup),
            Some(_) => {}
            None => points.push((n, speedup)),
        }
    }
    for line in &mut lines {
        line.points.sort_by(|a, b| a.0.total_cmp(&b.0));
        line.n_star = crossovers.as_array().and_then(|all| {
            all.iter()
                .find(|c| c["strategy"].as_str() == Some(line.strategy.as_str()))
                // `found` says what was found ("none up to N" or the size);
                // `n_star` is there only when a size was.
                .and_then(|c| c["n_star"].as_f64())
        });
    }
    lines
}

/// `64`, `16k`, `4M`.
fn size(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.0}M", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.0}k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}
