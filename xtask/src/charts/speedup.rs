//! The compare table as bars: each parallel strategy's speedup over serial,
//! coloured by the verdict of its 95% interval, with serial's 1×, the
//! thread count's perfect speedup and, for a workload that declares its
//! memory traffic, the most the machine's memory bandwidth allows.

use std::fmt::Write as _;

use serde_json::Value;

use super::escape;

const WIDTH: f64 = 900.0;
const LABEL_W: f64 = 230.0;
const RIGHT: f64 = 30.0;
const BAR_H: f64 = 13.0;
const BAR_GAP: f64 = 4.0;
const GROUP_GAP: f64 = 14.0;
const TOP: f64 = 70.0;

/// One bar: a parallel strategy's cell.
struct Bar {
    strategy: String,
    speedup: f64,
    verdict: String,
}

/// One workload (and kernel): its bars and its memory ceiling, if any.
struct Group {
    label: String,
    bars: Vec<Bar>,
    /// The most a parallel run could gain over serial with the whole
    /// machine's bandwidth: the all-threads ceiling over serial's rate.
    ceiling: Option<f64>,
}

/// The chart of a `compare` report.
pub(crate) fn svg(report: &Value) -> Result<String, String> {
    let cells = report["results"]
        .as_array()
        .ok_or("compare.json has no results")?;
    let ceilings = &report["details"]["memory_ceilings_gb_per_s"];
    let threads = ceilings["threads"].as_f64().or_else(|| {
        cells
            .iter()
            .filter_map(|cell| cell["threads"].as_f64())
            .reduce(f64::max)
    });
    let threads = threads.ok_or("compare.json has no thread count")?;
    let groups = groups(cells, ceilings)?;
    let most = groups
        .iter()
        .flat_map(|group| {
            group
                .bars
                .iter()
                .map(|bar| bar.speedup)
                .chain(group.ceiling)
        })
        .fold(threads, f64::max)
        * 1.08;
    let plot_w = WIDTH - LABEL_W - RIGHT;
    let x = |speedup: f64| LABEL_W + speedup / most * plot_w;
    let rows: f64 = groups.iter().map(|group| group.bars.len() as f64).sum();
    let height = TOP + rows * (BAR_H + BAR_GAP) + groups.len() as f64 * GROUP_GAP + 60.0;

    let mut body = String::new();
    let mut y = TOP;
    for group in &groups {
        let group_top = y;
        for (index, bar) in group.bars.iter().enumerate() {
            if index == 0 {
                let _ = writeln!(
                    body,
                    r#"<text class="group" x="8" y="{:.1}">{}</text>"#,
                    y + BAR_H - 2.0,
                    escape(&group.label)
                );
            }
            let _ = writeln!(
                body,
                r#"<text class="strategy" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="{}" x="{LABEL_W}" y="{y:.1}" width="{:.1}" height="{BAR_H}"><title>{} {}: {:.2}x, {}</title></rect><text class="value" x="{:.1}" y="{:.1}">{:.2}x</text>"#,
                LABEL_W - 6.0,
                y + BAR_H - 2.0,
                escape(&bar.strategy),
                verdict_class(&bar.verdict),
                (x(bar.speedup) - LABEL_W).max(1.0),
                escape(&group.label),
                escape(&bar.strategy),
                bar.speedup,
                escape(&bar.verdict),
                x(bar.speedup) + 4.0,
                y + BAR_H - 2.0,
                bar.speedup
            );
            y += BAR_H + BAR_GAP;
        }
        if let Some(ceiling) = group.ceiling {
            ceiling_mark(&mut body, ceiling, x(ceiling), (group_top, y - BAR_GAP));
        }
        y += GROUP_GAP;
    }
    let bottom = y;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    svg.push_str(
        "<title>Speedup over serial, every workload and strategy</title>\n\
         <style>\n\
         .faster { fill: #2f8f4e; } .slower { fill: #c0392b; } .unclear { fill: #9aa5b1; }\n\
         .group { font-weight: bold; fill: #1a1a1a; } .strategy { fill: #333; } .value { fill: #333; font-size: 11px; }\n\
         .ref { stroke: #444; stroke-dasharray: 4 3; } .ref-label { fill: #444; }\n\
         .ceiling { stroke: #1f5fbf; stroke-width: 2.5; } .ceiling-label { fill: #1f5fbf; font-size: 11px; }\n\
         .title { font-size: 15px; font-weight: bold; fill: #1a1a1a; } .key { fill: #333; }\n\
         </style>\n",
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/><text class="title" x="8" y="22">Speedup over serial ({threads} threads): bars right of 1x beat the serial loop</text>"##
    );
    legend(&mut svg);
    for (value, label) in [
        (1.0, "1x serial".to_owned()),
        (threads, format!("{threads}x perfect")),
    ] {
        let _ = writeln!(
            svg,
            r#"<line class="ref" x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}"/><text class="ref-label" x="{0:.1}" y="{3:.1}" text-anchor="middle">{label}</text>"#,
            x(value),
            TOP - 12.0,
            bottom,
            bottom + 16.0
        );
    }
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// The memory ceiling's mark across a group's bars, from `top` to `bottom`,
/// at `at` pixels.
fn ceiling_mark(svg: &mut String, ceiling: f64, at: f64, (top, bottom): (f64, f64)) {
    // The label reads leftwards from the mark near the right edge.
    let (label_x, anchor) = if at > WIDTH - 160.0 {
        (at - 4.0, "end")
    } else {
        (at + 4.0, "start")
    };
    let _ = writeln!(
        svg,
        r#"<line class="ceiling" x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}"><title>memory ceiling: {3:.2}x</title></line><text class="ceiling-label" x="{label_x:.1}" y="{4:.1}" text-anchor="{anchor}">memory ceiling {3:.2}x</text>"#,
        at,
        top - 3.0,
        bottom + 3.0,
        ceiling,
        top - 4.0,
    );
}

/// The colours of the verdicts and the ceiling's mark.
fn legend(svg: &mut String) {
    let key = [
        ("faster", "clearly faster than serial"),
        ("slower", "clearly slower"),
        ("unclear", "no clear difference"),
    ];
    let mut key_x = 8.0;
    for (class, text) in key {
        let _ = writeln!(
            svg,
            r#"<rect class="{class}" x="{key_x}" y="34" width="12" height="12"/><text class="key" x="{}" y="45">{text}</text>"#,
            key_x + 16.0
        );
        key_x += 16.0 + 7.0 * text.len() as f64 + 18.0;
    }
    let _ = writeln!(
        svg,
        r#"<line class="ceiling" x1="{key_x}" y1="40" x2="{}" y2="40"/><text class="key" x="{}" y="45">memory ceiling</text>"#,
        key_x + 14.0,
        key_x + 18.0
    );
}

/// The cells grouped by workload and kernel, in the report's order,
/// serial's cell left out (it is the 1× line).
fn groups(cells: &[Value], ceilings: &Value) -> Result<Vec<Group>, String> {
    let mut groups: Vec<(String, String, Group)> = Vec::new();
    for cell in cells {
        let text = |key: &str| cell[key].as_str().unwrap_or_default().to_owned();
        let (workload, kernel, strategy) = (text("workload"), text("kernel"), text("strategy"));
        let position = groups
            .iter()
            .position(|(w, k, _)| *w == workload && *k == kernel);
        let index = position.unwrap_or_else(|| {
            groups.push((
                workload.clone(),
                kernel.clone(),
                Group {
                    label: workload.clone(),
                    bars: Vec::new(),
                    ceiling: None,
                },
            ));
            groups.len() - 1
        });
        let group = &mut groups[index].2;
        if strategy == "serial" {
            group.ceiling = memory_ceiling(cell, ceilings);
            continue;
        }
        let speedup = cell["speedup"]
            .as_f64()
            .ok_or_else(|| format!("compare.json: {workload}/{strategy} has no speedup"))?;
        group.bars.push(Bar {
            strategy,
            speedup,
            verdict: cell["vs_serial"]["verdict"]
                .as_str()
                .unwrap_or("unclear")
                .to_owned(),
        });
    }
    // Kernels are named only where a workload ran more than one.
    let labels: Vec<String> = groups
        .iter()
        .map(|(workload, kernel, _)| {
            let kernels = groups.iter().filter(|(w, _, _)| w == workload).count();
            if kernels > 1 {
                format!("{workload} [{kernel}]")
            } else {
                workload.clone()
            }
        })
        .collect();
    Ok(groups
        .into_iter()
        .zip(labels)
        .map(|((_, _, mut group), label)| {
            group.label = label;
            group
        })
        .filter(|group| !group.bars.is_empty())
        .collect())
}

/// For a serial cell with a rate: the all-threads ceiling of the same kind
/// (copy or read, whichever its one-thread ceiling was) over its rate.
fn memory_ceiling(serial: &Value, ceilings: &Value) -> Option<f64> {
    let rate = serial["gb_per_s"].as_f64()?;
    let one_thread = rate / serial["ceiling_fraction"].as_f64()?;
    let nearest = ["copy", "read"].into_iter().min_by(|a, b| {
        let distance = |kind: &str| {
            (ceilings[format!("{kind}_one")]
                .as_f64()
                .unwrap_or(f64::INFINITY)
                - one_thread)
                .abs()
        };
        distance(a).total_cmp(&distance(b))
    })?;
    Some(ceilings[format!("{nearest}_all")].as_f64()? / rate)
}

/// The CSS class of a verdict word.
fn verdict_class(verdict: &str) -> &'static str {
    match verdict {
        "faster" => "faster",
        "slower" => "slower",
        _ => "unclear",
    }
}
