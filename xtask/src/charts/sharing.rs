//! Data sharing as bars — the time of one sum under each way of sharing its
//! counter — and the cache lines behind the two per-thread layouts.

use std::fmt::Write as _;

use serde_json::Value;

use super::escape;
use super::scale::{LogScale, duration};

const WIDTH: f64 = 900.0;
const LABEL_W: f64 = 230.0;
const RIGHT: f64 = 60.0;
const ROW_H: f64 = 26.0;
const TOP: f64 = 50.0;
/// The cache lines drawn below the bars, in bytes.
const LINE_BYTES: f64 = 64.0;

/// The chart of a `data_sharing` report (`details.benchmarks`: name →
/// median in seconds), fastest way first.
pub(crate) fn svg(report: &Value) -> Result<String, String> {
    let rows: Vec<(String, f64)> = super::bench_medians(report, "data-sharing.json", "")?
        .into_iter()
        .map(|(name, median)| (name.rsplit('/').next().unwrap_or(&name).to_owned(), median))
        .collect();
    let fastest = rows.first().map_or(1e-3, |row| row.1);
    let slowest = rows.last().map_or(1.0, |row| row.1);
    let scale = LogScale::covering(fastest, slowest, LABEL_W, WIDTH - LABEL_W - RIGHT);
    let bars_bottom = TOP + rows.len() as f64 * ROW_H;
    let lines_top = bars_bottom + 50.0;
    let height = lines_top + 150.0;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    svg.push_str(
        "<title>One sum on several threads, four ways of sharing its counter</title>\n\
         <style>\n\
         .bar { fill: #3b6fd8; } .label { fill: #1a1a1a; } .value { fill: #333; font-size: 11px; }\n\
         .title { font-size: 15px; font-weight: bold; fill: #1a1a1a; } .note { fill: #333; }\n\
         .line { fill: #f2f2f2; stroke: #888; } .c0 { fill: #e67e22; } .c1 { fill: #8e44ad; }\n\
         </style>\n",
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/><text class="title" x="8" y="22">One sum, its counter shared four ways: time per sum (log scale, shorter is better)</text>"##
    );
    scale.grid(&mut svg, TOP - 8.0, bars_bottom);
    for (index, (way, median)) in rows.iter().enumerate() {
        let y = TOP + index as f64 * ROW_H;
        let _ = writeln!(
            svg,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="bar" x="{LABEL_W}" y="{:.1}" width="{:.1}" height="14"/><text class="value" x="{:.1}" y="{:.1}">{} ({:.0}x the fastest)</text>"#,
            LABEL_W - 8.0,
            y + 12.0,
            escape(way),
            y + 1.0,
            (scale.x(*median) - LABEL_W).max(1.0),
            scale.x(*median) + 4.0,
            y + 12.0,
            duration(*median),
            median / fastest
        );
    }
    cache_lines(&mut svg, lines_top);
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// The two per-thread layouts: both threads' counters in one 64-byte line,
/// which every addition of either thread takes from the other core; and
/// each counter on a line of its own.
fn cache_lines(svg: &mut String, top: f64) {
    let byte = 4.0;
    let left = LABEL_W;
    let _ = writeln!(
        svg,
        r#"<text class="note" x="8" y="{:.1}">per-thread-adjacent</text><rect class="line" x="{left}" y="{:.1}" width="{:.1}" height="22"/><rect class="c0" x="{left}" y="{:.1}" width="{:.1}" height="22"/><rect class="c1" x="{:.1}" y="{:.1}" width="{:.1}" height="22"/><text class="note" x="{:.1}" y="{:.1}">one {LINE_BYTES}-byte cache line holds both counters: each core's write takes the line from the other</text>"#,
        top + 15.0,
        top,
        LINE_BYTES * byte,
        top,
        8.0 * byte,
        left + 8.0 * byte,
        top,
        8.0 * byte,
        left,
        top + 38.0
    );
    let second = top + 66.0;
    let _ = writeln!(
        svg,
        r#"<text class="note" x="8" y="{:.1}">per-thread-padded</text><rect class="line" x="{left}" y="{second:.1}" width="{:.1}" height="22"/><rect class="c0" x="{left}" y="{second:.1}" width="{:.1}" height="22"/><rect class="line" x="{:.1}" y="{second:.1}" width="{:.1}" height="22"/><rect class="c1" x="{:.1}" y="{second:.1}" width="{:.1}" height="22"/><text class="note" x="{:.1}" y="{:.1}">padded to a line each: no line moves between the cores</text>"#,
        second + 15.0,
        LINE_BYTES * byte,
        8.0 * byte,
        left + LINE_BYTES * byte + 6.0,
        LINE_BYTES * byte,
        left + LINE_BYTES * byte + 6.0,
        8.0 * byte,
        left,
        second + 38.0
    );
}
