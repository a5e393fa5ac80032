//! A logarithmic time axis, shared by the charts whose bars span several
//! orders of magnitude.

use std::fmt::Write as _;

/// Seconds mapped onto `left..left + width` pixels, by powers of ten.
#[derive(Debug, Clone, Copy)]
pub(super) struct LogScale {
    low: f64,
    high: f64,
    left: f64,
    width: f64,
}

impl LogScale {
    /// From the power of ten at or below `smallest` to the one at or above
    /// `largest`.
    pub(super) fn covering(smallest: f64, largest: f64, left: f64, width: f64) -> Self {
        let smallest = smallest.max(1e-12);
        LogScale {
            low: 10_f64.powf(smallest.log10().floor()),
            high: 10_f64.powf(largest.max(smallest * 10.0).log10().ceil()),
            left,
            width,
        }
    }

    /// Where `seconds` falls.
    pub(super) fn x(&self, seconds: f64) -> f64 {
        self.left + (seconds / self.low).log10() / (self.high / self.low).log10() * self.width
    }

    /// A grid line and a label at every power of ten, from `top` to
    /// `bottom`.
    pub(super) fn grid(&self, svg: &mut String, top: f64, bottom: f64) {
        let mut decade = self.low;
        while decade <= self.high * 1.001 {
            let _ = writeln!(
                svg,
                r##"<line x1="{0:.1}" y1="{top}" x2="{0:.1}" y2="{bottom:.1}" stroke="#ddd"/><text x="{0:.1}" y="{1:.1}" text-anchor="middle" font-size="11" fill="#444">{2}</text>"##,
                self.x(decade),
                bottom + 16.0,
                duration(decade)
            );
            decade *= 10.0;
        }
    }
}

/// An axis label: the harness's way of writing a duration, without the
/// zeros that a tick at a power of ten would carry (`1 ms`, not `1.00 ms`).
pub(super) fn duration(seconds: f64) -> String {
    let text = ps_harness::human_seconds(seconds);
    let (number, unit) = text.split_once(' ').expect("a number and a unit");
    let number = if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    };
    format!("{number} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(2e-9), "2 ns");
        assert_eq!(duration(1.65e-5), "16.5 µs");
        assert_eq!(duration(2.226e-4), "223 µs");
        assert_eq!(duration(1e-4), "100 µs");
        assert_eq!(duration(1e-3), "1 ms");
    }

    #[test]
    fn powers_of_ten_are_evenly_spaced() {
        let scale = LogScale::covering(2e-9, 5e-6, 100.0, 300.0);
        assert!((scale.x(1e-9) - 100.0).abs() < 1e-9);
        assert!((scale.x(1e-5) - 400.0).abs() < 1e-9);
        let step = scale.x(1e-8) - scale.x(1e-9);
        assert!((scale.x(1e-7) - scale.x(1e-8) - step).abs() < 1e-9);
    }
}
