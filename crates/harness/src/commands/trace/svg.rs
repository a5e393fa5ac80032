//! Timelines as SVG: one panel per strategy, one lane per thread, one bar
//! per task, all panels on one time scale.

use std::fmt::Write as _;

use super::Timeline;
use crate::chart::escape;

const WIDTH: f64 = 960.0;
const LABEL_WIDTH: f64 = 120.0;
const LANE_HEIGHT: f64 = 16.0;
const LANE_GAP: f64 = 4.0;
const TITLE_HEIGHT: f64 = 22.0;
const PANEL_GAP: f64 = 18.0;
const AXIS_HEIGHT: f64 = 30.0;

/// Draws `panels` (a title and a timeline each) one above the other.
///
/// A bar's colour is its task's place in the input, blue at the start to
/// red at the end, so a static split shows as one band of colour per
/// thread and a dynamic one as colours interleaved. Every panel shares the
/// time axis, so a schedule that finished sooner is visibly shorter.
///
/// ```
/// use ps_harness::{Strategy, Timeline, Traced, timelines_svg};
///
/// let traced = Traced::new(ps_threads::Dynamic::new(2, 100)?);
/// let _ = traced.map(&vec![1_u32; 1000], |x| x + 1);
/// let timeline = Timeline::from_calls(&traced.log().take());
/// let svg = timelines_svg("map", &[("threads-dynamic".to_owned(), timeline)]);
/// assert!(svg.starts_with("<svg") && svg.contains("threads-dynamic"));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[must_use]
pub fn timelines_svg(title: &str, panels: &[(String, Timeline)]) -> String {
    let longest = panels
        .iter()
        .map(|(_, timeline)| timeline.wall_s())
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let plot_width = WIDTH - LABEL_WIDTH - 20.0;
    let x = |seconds: f64| LABEL_WIDTH + seconds / longest * plot_width;
    let height: f64 = TITLE_HEIGHT
        + panels
            .iter()
            .map(|(_, timeline)| panel_height(timeline) + PANEL_GAP)
            .sum::<f64>()
        + AXIS_HEIGHT;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect width="100%" height="100%" fill="white"/><text x="10" y="16" font-size="14" font-weight="bold">{}</text>"#,
        escape(title)
    );
    let mut top = TITLE_HEIGHT;
    for (name, timeline) in panels {
        let _ = writeln!(
            svg,
            r#"<text x="10" y="{:.1}" font-weight="bold">{}</text>"#,
            top + 14.0,
            escape(&panel_title(name, timeline))
        );
        let lanes_top = top + TITLE_HEIGHT;
        for &(start, end) in &timeline.calls {
            let _ = writeln!(
                svg,
                r##"<rect x="{:.2}" y="{lanes_top:.1}" width="{:.2}" height="{:.1}" fill="#f2f2f2"/>"##,
                x(start),
                (x(end) - x(start)).max(0.5),
                lanes_height(timeline)
            );
        }
        for (number, lane) in timeline.lanes.iter().enumerate() {
            let y = lanes_top + number as f64 * (LANE_HEIGHT + LANE_GAP);
            let _ = writeln!(
                svg,
                r#"<text x="10" y="{:.1}">{}</text>"#,
                y + LANE_HEIGHT - 4.0,
                escape(&lane.label)
            );
            for &(call, index, start, end) in &lane.spans {
                let tasks = timeline.tasks_in_call(call).max(1);
                let hue = 240.0 * (1.0 - index as f64 / (tasks.max(2) - 1) as f64);
                let _ = writeln!(
                    svg,
                    r#"<rect x="{:.2}" y="{y:.1}" width="{:.2}" height="{LANE_HEIGHT}" fill="hsl({hue:.0},70%,55%)"><title>call {call}, task {index}</title></rect>"#,
                    x(start),
                    (x(end) - x(start)).max(0.5),
                );
            }
        }
        top += panel_height(timeline) + PANEL_GAP;
    }
    axis(&mut svg, top, longest, &x);
    svg.push_str("</svg>\n");
    svg
}

fn lanes_height(timeline: &Timeline) -> f64 {
    timeline.lanes.len() as f64 * (LANE_HEIGHT + LANE_GAP)
}

fn panel_height(timeline: &Timeline) -> f64 {
    TITLE_HEIGHT + lanes_height(timeline)
}

/// `rayon: 412 tasks on 2 threads, imbalance 1.03, 94% busy`.
fn panel_title(name: &str, timeline: &Timeline) -> String {
    format!(
        "{name}: {} tasks on {} threads, imbalance {:.2}, {:.0}% busy",
        timeline.tasks(),
        timeline.lanes.len(),
        timeline.imbalance(),
        timeline.utilisation() * 100.0
    )
}

/// Five ticks along the time axis, in milliseconds.
fn axis(svg: &mut String, top: f64, longest: f64, x: &impl Fn(f64) -> f64) {
    let _ = writeln!(
        svg,
        r#"<line x1="{LABEL_WIDTH}" y1="{top:.1}" x2="{:.1}" y2="{top:.1}" stroke="black"/>"#,
        x(longest)
    );
    for tick in 0..=4 {
        let seconds = longest * f64::from(tick) / 4.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{0:.1}" y1="{top:.1}" x2="{0:.1}" y2="{1:.1}" stroke="black"/><text x="{0:.1}" y="{2:.1}" text-anchor="{3}">{4:.3} ms</text>"#,
            x(seconds),
            top + 4.0,
            top + 18.0,
            // The last label ends at its tick, so it stays inside the picture.
            if tick == 4 { "end" } else { "middle" },
            seconds * 1e3
        );
    }
}
