//! The models behind `sweep` and `scaling`: Amdahl's and Gustafson's laws
//! fitted by least squares, and the search for the crossover size.

/// Amdahl's law: the speedup on `p` threads of a job whose fraction `s`
/// cannot run in parallel.
pub(crate) fn amdahl(s: f64, p: f64) -> f64 {
    1.0 / (s + (1.0 - s) / p)
}

/// Gustafson's law: the scaled speedup on `p` threads when the parallel part
/// grows with `p` and the serial fraction `s` (measured on the parallel run)
/// does not.
pub(crate) fn gustafson(s: f64, p: f64) -> f64 {
    p - s * (p - 1.0)
}

/// The serial fraction `s` in `[0, 1]` that minimises the squared error
/// between [`amdahl`] and the measured `(threads, speedup)` points.
///
/// The error is minimised directly in speedup space (not on a linearised
/// form, which would weight the points differently) by golden-section search:
/// for speedups that follow one `s`, the error has a single minimum there.
/// Returns `None` without a point above one thread, which says nothing
/// about `s`.
pub(crate) fn fit_amdahl(points: &[(f64, f64)]) -> Option<f64> {
    if !points.iter().any(|&(p, _)| p > 1.0) {
        return None;
    }
    let error = |s: f64| {
        points
            .iter()
            .map(|&(p, speedup)| (amdahl(s, p) - speedup).powi(2))
            .sum::<f64>()
    };
    Some(golden_section_minimum(error, 0.0, 1.0))
}

/// The serial fraction of [`gustafson`]'s law fitted to measured scaled
/// speedups by linear least squares: `p - speedup = s (p - 1)`, clamped to
/// `[0, 1]`.
pub(crate) fn fit_gustafson(points: &[(f64, f64)]) -> Option<f64> {
    let (numerator, denominator) = points.iter().fold((0.0, 0.0), |(num, den), &(p, speedup)| {
        (num + (p - speedup) * (p - 1.0), den + (p - 1.0).powi(2))
    });
    (denominator > 0.0).then(|| (numerator / denominator).clamp(0.0, 1.0))
}

/// The fewest distinct thread counts a law is fitted to. One parameter
/// from two points — and one of them is p = 1, where every law says 1 — is
/// fixed by a single measurement, with nothing left over to say how well
/// the law fits; from three on, leaving one out shows how much the answer
/// depends on any one point.
pub(crate) const MIN_FIT_POINTS: usize = 3;

/// A fitted serial fraction and how far it moves when any one point is
/// left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    /// Fitted to every point.
    pub(crate) s: f64,
    /// The smallest and largest `s` of the leave-one-out fits (and `s`).
    pub(crate) low: f64,
    pub(crate) high: f64,
    /// Distinct thread counts used.
    pub(crate) points: usize,
}

/// Why no fit was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooFewPoints {
    /// Distinct thread counts available.
    pub(crate) have: usize,
}

impl TooFewPoints {
    pub(crate) fn describe(self) -> String {
        format!(
            "not fitted: {} thread count(s) within the cores, {MIN_FIT_POINTS} needed",
            self.have
        )
    }
}

/// Fits with `fit` when `points` hold at least [`MIN_FIT_POINTS`] distinct
/// thread counts, with the leave-one-out range as the uncertainty.
pub(crate) fn fit_with_range(
    points: &[(f64, f64)],
    fit: fn(&[(f64, f64)]) -> Option<f64>,
) -> Result<Fit, TooFewPoints> {
    let mut counts: Vec<f64> = points.iter().map(|&(p, _)| p).collect();
    counts.sort_by(f64::total_cmp);
    counts.dedup();
    let too_few = TooFewPoints { have: counts.len() };
    if counts.len() < MIN_FIT_POINTS {
        return Err(too_few);
    }
    let s = fit(points).ok_or(too_few)?;
    let (mut low, mut high) = (s, s);
    for &left_out in &counts {
        let rest: Vec<(f64, f64)> = points
            .iter()
            .copied()
            // Thread counts are whole numbers.
            .filter(|&(p, _)| (p - left_out).abs() > 0.5)
            .collect();
        if let Some(other) = fit(&rest) {
            low = low.min(other);
            high = high.max(other);
        }
    }
    Ok(Fit {
        s,
        low,
        high,
        points: counts.len(),
    })
}

fn golden_section_minimum(f: impl Fn(f64) -> f64, mut low: f64, mut high: f64) -> f64 {
    let ratio = (5_f64.sqrt() - 1.0) / 2.0;
    let mut a = high - ratio * (high - low);
    let mut b = low + ratio * (high - low);
    let (mut fa, mut fb) = (f(a), f(b));
    while high - low > 1e-9 {
        if fa <= fb {
            high = b;
            (b, fb) = (a, fa);
            a = high - ratio * (high - low);
            fa = f(a);
        } else {
            low = a;
            (a, fa) = (b, fb);
            b = low + ratio * (high - low);
            fb = f(b);
        }
    }
    f64::midpoint(low, high)
}

/// Where a strategy starts to beat serial on a size ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Crossover {
    /// It already wins at the smallest size tried.
    AtOrBelow(usize),
    /// The smallest size found at which it wins.
    At(usize),
    /// It never won, up to the largest size tried.
    NotUpTo(usize),
}

impl Crossover {
    pub(crate) fn n(self) -> Option<usize> {
        match self {
            Crossover::AtOrBelow(n) | Crossover::At(n) => Some(n),
            Crossover::NotUpTo(_) => None,
        }
    }

    pub(crate) fn describe(self) -> String {
        match self {
            Crossover::AtOrBelow(n) => format!("<= {n}"),
            Crossover::At(n) => n.to_string(),
            Crossover::NotUpTo(n) => format!("none up to {n}"),
        }
    }
}

/// Walks up `ladder` (increasing sizes) until `wins(n)` says the strategy
/// beats serial, then narrows the gap to the previous, losing size by
/// `refine_steps` bisections at geometric midpoints, each passed through
/// `snap` to keep it a valid size.
pub(crate) fn find_crossover<E>(
    ladder: &[usize],
    refine_steps: usize,
    snap: impl Fn(usize) -> usize,
    mut wins: impl FnMut(usize) -> Result<bool, E>,
) -> Result<Crossover, E> {
    let mut losing = None;
    for &n in ladder {
        if !wins(n)? {
            losing = Some(n);
            continue;
        }
        let Some(mut low) = losing else {
            return Ok(Crossover::AtOrBelow(n));
        };
        let mut high = n;
        for _ in 0..refine_steps {
            let middle = snap(((low as f64) * (high as f64)).sqrt().round() as usize);
            if middle <= low || middle >= high {
                break;
            }
            if wins(middle)? {
                high = middle;
            } else {
                low = middle;
            }
        }
        return Ok(Crossover::At(high));
    }
    Ok(Crossover::NotUpTo(ladder.last().copied().unwrap_or(0)))
}

/// `start, start·factor, …` while below `end`, then `end` itself.
pub(crate) fn geometric_ladder(
    start: usize,
    end: usize,
    factor: usize,
    snap: impl Fn(usize) -> usize,
) -> Vec<usize> {
    let mut ladder = Vec::new();
    let mut n = start.max(1);
    while n < end {
        let snapped = snap(n);
        if snapped < end && ladder.last() != Some(&snapped) {
            ladder.push(snapped);
        }
        n = n.saturating_mul(factor.max(2));
    }
    ladder.push(end);
    ladder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amdahl_fit_recovers_the_serial_fraction() {
        for s in [0.0, 0.01, 0.05, 0.2, 0.5, 0.9] {
            let points: Vec<(f64, f64)> = (1..=32)
                .map(|p| (f64::from(p), amdahl(s, f64::from(p))))
                .collect();
            let fitted = fit_amdahl(&points).unwrap();
            assert!((fitted - s).abs() < 0.01, "s = {s}, fitted {fitted}");
        }
    }

    #[test]
    fn amdahl_fit_tolerates_noise() {
        // A deterministic ±3% wobble on top of s = 0.1 over 1..=8 threads.
        let points: Vec<(f64, f64)> = (1..=8)
            .map(|p| {
                let wobble = if p % 2 == 0 { 1.03 } else { 0.97 };
                (f64::from(p), amdahl(0.1, f64::from(p)) * wobble)
            })
            .collect();
        let fitted = fit_amdahl(&points).unwrap();
        assert!((fitted - 0.1).abs() < 0.01, "fitted {fitted}");
    }

    #[test]
    fn one_thread_says_nothing() {
        assert_eq!(fit_amdahl(&[(1.0, 1.0)]), None);
        assert_eq!(fit_gustafson(&[(1.0, 1.0)]), None);
    }

    #[test]
    fn two_thread_counts_are_not_fitted() {
        let points = [(1.0, 1.0), (2.0, 1.9), (2.0, 1.95)];
        assert_eq!(
            fit_with_range(&points, fit_amdahl),
            Err(TooFewPoints { have: 2 })
        );
        assert!(
            TooFewPoints { have: 2 }
                .describe()
                .contains("2 thread count(s) within the cores, 3 needed")
        );
    }

    #[test]
    fn a_fit_comes_with_its_leave_one_out_range() {
        let exact: Vec<(f64, f64)> = (1..=4)
            .map(|p| (f64::from(p), amdahl(0.1, f64::from(p))))
            .collect();
        let fit = fit_with_range(&exact, fit_amdahl).unwrap();
        assert_eq!(fit.points, 4);
        assert!(
            (fit.s - 0.1).abs() < 1e-6 && fit.high - fit.low < 1e-6,
            "{fit:?}"
        );
        // One disturbed point widens the range, and the range holds s.
        let mut noisy = exact.clone();
        noisy[3].1 *= 0.8;
        let fit = fit_with_range(&noisy, fit_amdahl).unwrap();
        assert!(fit.high - fit.low > 0.02, "{fit:?}");
        assert!(fit.low <= fit.s && fit.s <= fit.high);
        assert!(
            (fit.low - 0.1).abs() < 1e-6,
            "leaving the disturbed point out recovers s"
        );
    }

    #[test]
    fn gustafson_fit_recovers_the_serial_fraction() {
        for s in [0.0, 0.05, 0.3] {
            let points: Vec<(f64, f64)> = (1..=16)
                .map(|p| (f64::from(p), gustafson(s, f64::from(p))))
                .collect();
            let fitted = fit_gustafson(&points).unwrap();
            assert!((fitted - s).abs() < 1e-9, "s = {s}, fitted {fitted}");
        }
    }

    /// A synthetic cost model: serial costs `n` ns; the parallel run costs
    /// a fixed 20 µs to start plus `n / 4` ns. They cross at n = 80000 / 3.
    #[allow(
        clippy::unnecessary_wraps,
        reason = "the search takes a fallible probe"
    )]
    fn synthetic_wins(n: usize) -> Result<bool, ()> {
        let serial = n as f64;
        let parallel = 20_000.0 + n as f64 / 4.0;
        Ok(parallel < serial)
    }

    #[test]
    fn crossover_search_finds_the_synthetic_crossing() {
        let exact = 80_000.0 / 3.0;
        let ladder = geometric_ladder(16, 1 << 20, 2, |n| n);
        let found = find_crossover(&ladder, 20, |n| n, synthetic_wins).unwrap();
        let Crossover::At(n) = found else {
            panic!("expected a crossing, got {found:?}")
        };
        assert!(
            (n as f64 - exact).abs() <= 1.0,
            "found {n}, expected about {exact}"
        );
        // With few refinements it is still bracketed within one ladder step.
        let coarse = find_crossover(&ladder, 0, |n| n, synthetic_wins)
            .unwrap()
            .n()
            .unwrap();
        assert!(
            coarse as f64 >= exact && (coarse as f64) < 2.0 * exact,
            "coarse {coarse}"
        );
    }

    #[test]
    fn crossover_search_reports_both_ends() {
        let ladder = [100_000, 200_000];
        assert_eq!(
            find_crossover(&ladder, 3, |n| n, synthetic_wins),
            Ok(Crossover::AtOrBelow(100_000))
        );
        let ladder = [10, 100, 1000];
        assert_eq!(
            find_crossover(&ladder, 3, |n| n, synthetic_wins),
            Ok(Crossover::NotUpTo(1000))
        );
    }

    #[test]
    fn ladders_end_at_the_top_and_stay_valid() {
        assert_eq!(geometric_ladder(1, 100, 4, |n| n), [1, 4, 16, 64, 100]);
        assert_eq!(
            geometric_ladder(16, 200, 2, |n| n.next_multiple_of(8)),
            [16, 32, 64, 128, 200]
        );
        assert_eq!(geometric_ladder(5, 5, 2, |n| n), [5]);
    }
}
