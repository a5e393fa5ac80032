//! SVG line charts for `sweep` (log–log) and `scaling` (linear), drawn with
//! plotters' SVG backend.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use crate::Failure;

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

const SIZE: (u32, u32) = (900, 600);
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x8c, 0x56, 0x4b),
];

impl Chart {
    /// Both axes logarithmic: for times across grains that span decades.
    pub(crate) fn to_svg_log_log(&self) -> Result<String, Failure> {
        let (x, y) = (self.extent(|p| p.0), self.extent(|p| p.1));
        self.render(
            (x.start / 1.5..x.end * 1.5).log_scale(),
            (y.start / 1.5..y.end * 1.5).log_scale(),
        )
    }

    /// Both axes linear and starting at zero: for speedup against threads.
    pub(crate) fn to_svg_linear(&self) -> Result<String, Failure> {
        let (x, y) = (self.extent(|p| p.0), self.extent(|p| p.1));
        self.render(0.0..x.end * 1.05, 0.0..y.end * 1.1)
    }

    /// Upper left for rising curves (speedups), upper right for falling ones.
    fn legend_position(&self) -> SeriesLabelPosition {
        if self.whole_x {
            SeriesLabelPosition::UpperLeft
        } else {
            SeriesLabelPosition::UpperRight
        }
    }

    fn extent(&self, axis: impl Fn(&(f64, f64)) -> f64) -> Range<f64> {
        let values = self.series.iter().flat_map(|s| s.points.iter().map(&axis));
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if low.is_finite() && high > low {
            low..high
        } else {
            1.0..2.0
        }
    }

    fn render<X, Y>(&self, x: X, y: Y) -> Result<String, Failure>
    where
        X: AsRangedCoord<Value = f64>,
        Y: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            self.draw(&root, x, y)
                .map_err(|error| Failure::Invalid(format!("cannot draw the chart: {error}")))?;
        }
        Ok(svg)
    }

    fn draw<X, Y>(
        &self,
        root: &DrawingArea<SVGBackend<'_>, Shift>,
        x: X,
        y: Y,
    ) -> Result<(), Box<dyn std::error::Error + '_>>
    where
        X: AsRangedCoord<Value = f64>,
        Y: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        root.fill(&WHITE)?;
        let (plot, footer) = root.split_vertically(SIZE.1 - 30);
        footer.draw(&Text::new(
            self.caption.clone(),
            (10, 8),
            ("sans-serif", 14).into_font().color(&BLACK.mix(0.7)),
        ))?;
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, ("sans-serif", 22))
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(x, y)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| {
                if self.whole_x && x.fract() != 0.0 {
                    String::new()
                } else {
                    compact(x)
                }
            })
            .y_label_formatter(&compact)
            .x_desc(self.x_label)
            .y_desc(self.y_label)
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .light_line_style(BLACK.mix(0.05))
            .draw()?;
        for (index, series) in self.series.iter().enumerate() {
            let points = series.points.iter().copied();
            let (drawn, style) = match series.kind {
                LineKind::Measured => {
                    let style =
                        ShapeStyle::from(PALETTE[index % PALETTE.len()].mix(1.0)).stroke_width(2);
                    let dots = series
                        .points
                        .iter()
                        .map(|&point| Circle::new(point, 3, style.filled()));
                    chart.draw_series(dots)?;
                    (chart.draw_series(LineSeries::new(points, style))?, style)
                }
                LineKind::Reference => {
                    let style = ShapeStyle::from(BLACK.mix(0.7)).stroke_width(2);
                    (
                        chart.draw_series(DashedLineSeries::new(points, 10, 6, style))?,
                        style,
                    )
                }
                LineKind::Model => {
                    let style = ShapeStyle::from(BLACK.mix(0.4)).stroke_width(2);
                    (
                        chart.draw_series(DashedLineSeries::new(points, 3, 4, style))?,
                        style,
                    )
                }
            };
            drawn
                .label(series.label.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        chart
            .configure_series_labels()
            .position(self.legend_position())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 14))
            .draw()?;
        root.present()?;
        Ok(())
    }
}

/// Tick labels without trailing zeros: `1`, `10`, `0.5`, `1e6`.
#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "plotters passes tick values by reference"
)]
fn compact(value: &f64) -> String {
    let value = *value;
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
        assert_eq!(compact(&1.0), "1");
        assert_eq!(compact(&10.0), "10");
        assert_eq!(compact(&0.25), "0.25");
        assert_eq!(compact(&2_000_000.0), "2e6");
    }

    #[test]
    fn charts_carry_their_labels_legend_and_caption() {
        for svg in [
            chart().to_svg_log_log().unwrap(),
            chart().to_svg_linear().unwrap(),
        ] {
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
}
