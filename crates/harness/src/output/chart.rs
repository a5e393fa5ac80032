//! SVG line charts for `sweep` (log–log) and `scaling` (linear), written
//! as plain SVG text: two axis kinds, a grid, lines with dots or dashes and
//! a legend are all these charts need, and a charting library took longer
//! to compile than the rest of the harness's output.

use std::fmt::Write as _;
use std::ops::Range;

/// One line on a chart.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub(crate) label: String,
    pub(crate) points: Vec<(f64, f64)>,
    pub(crate) kind: LineKind,
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// A measured series: a coloured line with a dot per point.
    Measured,
    /// A reference (serial time, ideal speedup): long black dashes.
    Reference,
    /// A fitted model: short grey dashes.
    Model,
}

/// Measured series from `(label, point)` pairs, one series per run of equal
/// labels, in order.
pub(crate) fn measured_series<'a>(
    points: impl IntoIterator<Item = (&'a str, (f64, f64))>,
) -> Vec<Series> {
    let mut series: Vec<Series> = Vec::new();
    for (label, point) in points {
        match series.last_mut() {
            Some(last) if last.label == label => last.points.push(point),
            _ => series.push(Series {
                label: label.to_owned(),
                points: vec![point],
                kind: LineKind::Measured,
            }),
        }
    }
    series
}

/// A chart's text and data.
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    pub(crate) title: String,
    /// The machine and date, printed under the plot.
    pub(crate) caption: String,
    pub(crate) x_label: &'static str,
    pub(crate) y_label: &'static str,
    pub(crate) series: Vec<Series>,
    /// Label only whole numbers on the x axis (thread counts).
    pub(crate) whole_x: bool,
}

/// The whole picture, in pixels.
const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 600.0;
/// The plot area inside it: room for the title above, tick labels and axis
/// names left and below, and the caption at the bottom.
const PLOT_LEFT: f64 = 90.0;
const PLOT_RIGHT: f64 = WIDTH - 25.0;
const PLOT_TOP: f64 = 55.0;
const PLOT_BOTTOM: f64 = HEIGHT - 95.0;
/// One colour per measured series, in order (then again from the first).
const PALETTE: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
];

/// How values map onto one axis.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scale {
    Linear,
    Log,
}

/// One axis: its scale and the range of values it shows.
#[derive(Debug, Clone)]
struct Axis {
    scale: Scale,
    range: Range<f64>,
    /// Label only whole numbers (thread counts).
    whole: bool,
}

impl Axis {
    /// Where `value` falls, from 0 at the range's start to 1 at its end.
    fn fraction(&self, value: f64) -> f64 {
        let (start, end, value) = match self.scale {
            Scale::Linear => (self.range.start, self.range.end, value),
            Scale::Log => (
                self.range.start.log10(),
                self.range.end.log10(),
                value.log10(),
            ),
        };
        (value - start) / (end - start)
    }

    /// The values that get a tick and a grid line: multiples of 1, 2 or 5
    /// times a power of ten on a linear axis (about six of them), powers of
    /// ten on a logarithmic one (with 2 and 5 times them when the range
    /// spans less than two decades).
    fn ticks(&self) -> Vec<f64> {
        let Range { start, end } = self.range;
        match self.scale {
            Scale::Linear => {
                let rough = (end - start) / 6.0;
                let power = 10_f64.powf(rough.log10().floor());
                let step = [1.0, 2.0, 5.0, 10.0]
                    .into_iter()
                    .map(|factor| factor * power)
                    .find(|&step| step >= rough)
                    .unwrap_or(10.0 * power);
                let step = if self.whole {
                    step.max(1.0).round()
                } else {
                    step
                };
                let first = (start / step).ceil() as i64;
                let last = (end / step).floor() as i64;
                (first..=last).map(|index| index as f64 * step).collect()
            }
            Scale::Log => {
                let factors: &[f64] = if end / start < 100.0 {
                    &[1.0, 2.0, 5.0]
                } else {
                    &[1.0]
                };
                let (low, high) = (start.log10().floor() as i32, end.log10().ceil() as i32);
                (low..=high)
                    .flat_map(|exponent| factors.iter().map(move |f| f * 10_f64.powi(exponent)))
                    .filter(|tick| (start..=end).contains(tick))
                    .collect()
            }
        }
    }
}

impl Chart {
    /// Both axes logarithmic: for times across grains that span decades.
    pub(crate) fn to_svg_log_log(&self) -> String {
        let (x, y) = (self.extent(|p| p.0), self.extent(|p| p.1));
        self.render(
            &Axis {
                scale: Scale::Log,
                range: x.start / 1.5..x.end * 1.5,
                whole: self.whole_x,
            },
            &Axis {
                scale: Scale::Log,
                range: y.start / 1.5..y.end * 1.5,
                whole: false,
            },
        )
    }

    /// Both axes linear and starting at zero: for speedup against threads.
    pub(crate) fn to_svg_linear(&self) -> String {
        let (x, y) = (self.extent(|p| p.0), self.extent(|p| p.1));
        self.render(
            &Axis {
                scale: Scale::Linear,
                range: 0.0..x.end * 1.05,
                whole: self.whole_x,
            },
            &Axis {
                scale: Scale::Linear,
                range: 0.0..y.end * 1.1,
                whole: false,
            },
        )
    }

    fn extent(&self, axis: impl Fn(&(f64, f64)) -> f64) -> Range<f64> {
        let values = self.series.iter().flat_map(|s| s.points.iter().map(&axis));
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if low.is_finite() && high > low && low > 0.0 {
            low..high
        } else if high.is_finite() && high > 0.0 {
            high / 2.0..high * 2.0
        } else {
            1.0..2.0
        }
    }

    fn render(&self, x: &Axis, y: &Axis) -> String {
        let to_x = |value: f64| PLOT_LEFT + x.fraction(value) * (PLOT_RIGHT - PLOT_LEFT);
        let to_y = |value: f64| PLOT_BOTTOM - y.fraction(value) * (PLOT_BOTTOM - PLOT_TOP);
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="{}" y="32" font-size="22" text-anchor="middle">{}</text>
"#,
            WIDTH / 2.0,
            escape(&self.title)
        );
        // Grid lines and tick labels: vertical lines for x, horizontal for y.
        for tick in x.ticks() {
            let at = to_x(tick);
            let _ = writeln!(
                svg,
                r##"<line x1="{at:.1}" y1="{PLOT_TOP}" x2="{at:.1}" y2="{PLOT_BOTTOM}" stroke="#000" stroke-opacity="0.08"/><text x="{at:.1}" y="{}" font-size="14" text-anchor="middle">{}</text>"##,
                PLOT_BOTTOM + 20.0,
                compact(tick)
            );
        }
        for tick in y.ticks() {
            let at = to_y(tick);
            let _ = writeln!(
                svg,
                r##"<line x1="{PLOT_LEFT}" y1="{at:.1}" x2="{PLOT_RIGHT}" y2="{at:.1}" stroke="#000" stroke-opacity="0.08"/><text x="{}" y="{:.1}" font-size="14" text-anchor="end">{}</text>"##,
                PLOT_LEFT - 8.0,
                at + 5.0,
                compact(tick)
            );
        }
        let _ = writeln!(
            svg,
            r##"<rect x="{PLOT_LEFT}" y="{PLOT_TOP}" width="{}" height="{}" fill="none" stroke="#000" stroke-opacity="0.6"/>
<text x="{}" y="{}" font-size="16" text-anchor="middle">{}</text>
<text transform="translate(24 {}) rotate(-90)" font-size="16" text-anchor="middle">{}</text>
<text x="10" y="{}" font-size="13" fill-opacity="0.7">{}</text>"##,
            PLOT_RIGHT - PLOT_LEFT,
            PLOT_BOTTOM - PLOT_TOP,
            f64::midpoint(PLOT_LEFT, PLOT_RIGHT),
            PLOT_BOTTOM + 45.0,
            escape(self.x_label),
            f64::midpoint(PLOT_TOP, PLOT_BOTTOM),
            escape(self.y_label),
            HEIGHT - 30.0,
            caption_lines(&self.caption)
        );
        let mut measured = 0;
        let styles: Vec<String> = self
            .series
            .iter()
            .map(|series| match series.kind {
                LineKind::Measured => {
                    measured += 1;
                    format!(r#"stroke="{}""#, PALETTE[(measured - 1) % PALETTE.len()])
                }
                LineKind::Reference => {
                    r##"stroke="#000" stroke-opacity="0.7" stroke-dasharray="10 6""##.to_owned()
                }
                LineKind::Model => {
                    r##"stroke="#000" stroke-opacity="0.4" stroke-dasharray="3 4""##.to_owned()
                }
            })
            .collect();
        for (series, style) in self.series.iter().zip(&styles) {
            let points: Vec<String> = series
                .points
                .iter()
                .map(|&(px, py)| format!("{:.1},{:.1}", to_x(px), to_y(py)))
                .collect();
            let _ = writeln!(
                svg,
                r#"<polyline points="{}" fill="none" stroke-width="2" {style}/>"#,
                points.join(" ")
            );
            if series.kind == LineKind::Measured {
                for point in &points {
                    let (cx, cy) = point.split_once(',').unwrap_or(("0", "0"));
                    let fill = style.replace("stroke=", "fill=");
                    let _ = writeln!(svg, r#"<circle cx="{cx}" cy="{cy}" r="3" {fill}/>"#);
                }
            }
        }
        self.legend(&mut svg, &styles);
        svg.push_str("</svg>\n");
        svg
    }

    /// A box listing each series with a sample of its line: upper left for
    /// rising curves (speedups), upper right for falling ones.
    fn legend(&self, svg: &mut String, styles: &[String]) {
        const ROW: f64 = 20.0;
        let width = 40.0
            + self
                .series
                .iter()
                .map(|series| series.label.chars().count() as f64 * 7.5)
                .fold(0.0, f64::max);
        let left = if self.whole_x {
            PLOT_LEFT + 10.0
        } else {
            PLOT_RIGHT - 10.0 - width
        };
        let top = PLOT_TOP + 10.0;
        let _ = writeln!(
            svg,
            r##"<rect x="{left:.1}" y="{top}" width="{width:.1}" height="{}" fill="white" fill-opacity="0.9" stroke="#000" stroke-opacity="0.3"/>"##,
            ROW * self.series.len() as f64 + 8.0
        );
        for (row, (series, style)) in self.series.iter().zip(styles).enumerate() {
            let y = top + 14.0 + ROW * row as f64;
            let _ = writeln!(
                svg,
                r#"<line x1="{:.1}" y1="{y}" x2="{:.1}" y2="{y}" stroke-width="2" {style}/><text x="{:.1}" y="{}" font-size="14">{}</text>"#,
                left + 6.0,
                left + 26.0,
                left + 32.0,
                y + 5.0,
                escape(&series.label)
            );
        }
    }
}

/// The caption as one line, or as two `tspan` lines split at the comma
/// nearest its middle when one line would run past the picture's edge.
fn caption_lines(caption: &str) -> String {
    /// Characters of 13-pixel text that fit across the picture.
    const FITS: usize = 125;
    let middle = caption.len() / 2;
    let split = caption
        .match_indices(", ")
        .map(|(at, _)| at)
        .min_by_key(|at| at.abs_diff(middle));
    match split {
        Some(at) if caption.chars().count() > FITS => format!(
            r#"<tspan x="10">{}</tspan><tspan x="10" dy="17">{}</tspan>"#,
            escape(&caption[..=at]),
            escape(&caption[at + 2..])
        ),
        _ => escape(caption),
    }
}

/// Text made safe to put between SVG tags.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Tick labels without trailing zeros: `1`, `10`, `0.5`, `1e6`.
fn compact(value: f64) -> String {
    if value != 0.0 && (value.abs() >= 1e6 || value.abs() < 1e-3) {
        format!("{value:e}")
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            title: "primes: time against grain".into(),
            caption: "Measured on a test machine.".into(),
            x_label: "grain (elements per unit of work)",
            y_label: "median time (ms)",
            series: vec![
                Series {
                    label: "rayon".into(),
                    points: vec![(1.0, 30.0), (16.0, 4.0), (256.0, 2.0)],
                    kind: LineKind::Measured,
                },
                Series {
                    label: "serial".into(),
                    points: vec![(1.0, 3.5), (256.0, 3.5)],
                    kind: LineKind::Reference,
                },
            ],
            whole_x: false,
        }
    }

    #[test]
    fn tick_labels_are_compact() {
        assert_eq!(compact(1.0), "1");
        assert_eq!(compact(10.0), "10");
        assert_eq!(compact(0.25), "0.25");
        assert_eq!(compact(2_000_000.0), "2e6");
    }

    #[test]
    fn charts_carry_their_labels_legend_and_caption() {
        for svg in [chart().to_svg_log_log(), chart().to_svg_linear()] {
            assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
            for text in [
                "primes: time against grain",
                "grain (elements per unit of work)",
                "median time (ms)",
                "rayon",
                "serial",
                "Measured on a test machine.",
            ] {
                assert!(svg.contains(text), "missing {text:?}");
            }
        }
    }

    #[test]
    fn linear_ticks_are_round_and_whole_where_asked() {
        let axis = |range, whole| Axis {
            scale: Scale::Linear,
            range,
            whole,
        };
        assert_eq!(
            axis(0.0..10.5, false).ticks(),
            [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(axis(0.0..2.2, false).ticks(), [0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(axis(0.0..2.2, true).ticks(), [0.0, 1.0, 2.0]);
    }

    #[test]
    fn log_ticks_are_powers_of_ten_with_steps_inside_two_decades() {
        let axis = |range| Axis {
            scale: Scale::Log,
            range,
            whole: false,
        };
        assert_eq!(axis(0.5..2000.0).ticks(), [1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(axis(1.5..30.0).ticks(), [2.0, 5.0, 10.0, 20.0]);
    }

    #[test]
    fn points_land_inside_the_plot_area() {
        let svg = chart().to_svg_log_log();
        let inside = |value: &str, low: f64, high: f64| {
            let value: f64 = value.parse().unwrap();
            (low..=high).contains(&value)
        };
        let circles: Vec<&str> = svg
            .lines()
            .filter(|line| line.starts_with("<circle"))
            .collect();
        assert_eq!(circles.len(), 3, "a dot per measured point");
        for circle in circles {
            let field = |name: &str| {
                let start = circle.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                circle[start..].split('"').next().unwrap().to_owned()
            };
            assert!(inside(&field("cx"), PLOT_LEFT, PLOT_RIGHT), "{circle}");
            assert!(inside(&field("cy"), PLOT_TOP, PLOT_BOTTOM), "{circle}");
        }
    }
}
