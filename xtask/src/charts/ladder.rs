//! The per-operation overheads as a price ladder: each operation's median
//! cost on a logarithmic scale, and beside it the work a chunk must carry
//! for that cost to stay under a tenth of the chunk's time.

use std::fmt::Write as _;

use serde_json::Value;

use super::escape;
use super::scale::{LogScale, duration};

const WIDTH: f64 = 900.0;
const LABEL_W: f64 = 290.0;
const RIGHT: f64 = 40.0;
const ROW_H: f64 = 26.0;
const TOP: f64 = 70.0;
/// A chunk pays for an operation when the operation costs at most this
/// share of the chunk's time.
const SHARE: f64 = 0.1;

/// The ladder of an `overheads` report (`details.benchmarks`: name →
/// median and spread in seconds), cheapest operation first.
pub(crate) fn svg(report: &Value) -> Result<String, String> {
    let rows = super::bench_medians(report, "overheads.json", "overheads/")?;
    let cheapest = rows.first().map_or(1e-9, |row| row.1);
    let dearest = rows.last().map_or(1e-6, |row| row.1) / SHARE;
    let scale = LogScale::covering(cheapest, dearest, LABEL_W, WIDTH - LABEL_W - RIGHT);
    let x = |seconds: f64| scale.x(seconds);
    let height = TOP + rows.len() as f64 * ROW_H + 50.0;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    svg.push_str(
        "<title>What each building block costs, per operation, and the work a chunk needs to pay for it</title>\n\
         <style>\n\
         .cost { fill: #3b6fd8; } .pays { fill: none; stroke: #2f8f4e; stroke-width: 2; }\n\
         .label { fill: #1a1a1a; } .value { fill: #333; font-size: 11px; }\n\
         .title { font-size: 15px; font-weight: bold; fill: #1a1a1a; } .key { fill: #333; }\n\
         </style>\n",
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/><text class="title" x="8" y="22">What handing out work costs, per operation (log scale)</text>"##
    );
    let _ = writeln!(
        svg,
        r#"<rect class="cost" x="8" y="34" width="12" height="12"/><text class="key" x="24" y="45">median cost of one operation</text><rect class="pays" x="230" y="35" width="10" height="10"/><text class="key" x="246" y="45">work per chunk at which it costs {:.0}% of the chunk</text>"#,
        SHARE * 100.0
    );
    scale.grid(&mut svg, TOP - 8.0, TOP + rows.len() as f64 * ROW_H);
    for (index, (name, median)) in rows.iter().enumerate() {
        let y = TOP + index as f64 * ROW_H;
        let pays = median / SHARE;
        let _ = writeln!(
            svg,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="cost" x="{LABEL_W}" y="{:.1}" width="{:.1}" height="14"><title>{}: {}</title></rect><text class="value" x="{:.1}" y="{:.1}">{}</text><rect class="pays" x="{:.1}" y="{:.1}" width="10" height="10"><title>{} of work per chunk</title></rect>"#,
            LABEL_W - 8.0,
            y + 12.0,
            escape(name),
            y + 1.0,
            (x(*median) - LABEL_W).max(1.0),
            escape(name),
            duration(*median),
            x(*median) + 4.0,
            y + 12.0,
            duration(*median),
            x(pays) - 5.0,
            y + 3.0,
            duration(pays)
        );
    }
    svg.push_str("</svg>\n");
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_has_a_rung_per_operation_cheapest_first() {
        let report: Value = serde_json::from_str(
            r#"{"details":{"benchmarks":{"overheads/b":{"median_s":1e-6},"overheads/a":{"median_s":2e-9}}}}"#,
        )
        .unwrap();
        let svg = svg(&report).unwrap();
        let (a, b) = (
            svg.find(">a</text>").unwrap(),
            svg.find(">b</text>").unwrap(),
        );
        assert!(a < b, "cheapest first");
        assert!(
            svg.contains("10 µs of work per chunk"),
            "1 µs pays at 10 µs"
        );
    }
}
