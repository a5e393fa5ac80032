//! `scaling`: speedup against thread count, Amdahl's serial
//! fraction, and what oversubscription does.

use crate::chart::{Chart, LineKind, Series, measured_series};
use crate::cli::ScalingArgs;
use crate::details::{DetailRecord, FitRecord};
use crate::emit::{Emit, Outputs};
use crate::fit::{
    Fit, MIN_FIT_POINTS, TooFewPoints, amdahl, fit_amdahl, fit_gustafson, fit_with_range, gustafson,
};
use crate::machine::{Machine, require_optimised};
use crate::measure::{Budget, Timing, human};
use crate::progress::Progress;
use crate::record::{Cell, Report};
use crate::registry::{Entry, Registry};
use crate::table::plural;
use crate::table::{Table, measured_on};
use crate::timed::{Contender, against_serial, budget, config, speedup, time_rotation};
use crate::{Failure, VERDICT_RULE, Verdict};
use ps_catalog::StrategyKind;

/// One strategy at one thread count.
struct Point {
    strategy: StrategyKind,
    threads: usize,
    n: usize,
    timing: Timing,
    /// Serial's timing on the same input.
    serial: Timing,
    /// Serial time on the same input over this point's time (the scaled
    /// speedup with `--weak`).
    speedup: f64,
}

impl Point {
    fn efficiency(&self) -> f64 {
        self.speedup / self.threads as f64
    }
}

/// A strategy's fitted serial fraction and what oversubscription did.
struct Summary<'a> {
    strategy: StrategyKind,
    fit: Result<Fit, TooFewPoints>,
    best_within_cores: Option<&'a Point>,
    best_oversubscribed: Option<&'a Point>,
}

impl Summary<'_> {
    fn serial_fraction(&self) -> Option<f64> {
        self.fit.ok().map(|fit| fit.s)
    }

    fn best_within_speedup(&self) -> f64 {
        self.best_within_cores.map_or(0.0, |point| point.speedup)
    }
}

/// Times `args.study.workload` at every thread count of the ladder, fits
/// the law, prints tables and writes the files asked for.
///
/// # Errors
///
/// [`Failure::Usage`] for a bad name or size or a debug build,
/// [`Failure::WrongResult`] for a wrong result or a panic,
/// [`Failure::Refused`] for threads the system will not start, and
/// [`Failure::Io`] for a file that cannot be written.
pub fn scaling(args: &ScalingArgs, registry: &Registry) -> Result<(), Failure> {
    let study = &args.study;
    let workload = registry.find(&study.workload)?;
    // Names are checked first: a mistake is a usage error in any build.
    let strategies = study.strategies(registry)?;
    require_optimised("scaling")?;
    let outputs = Outputs::new(&study.output)?;
    let machine = Machine::detect();
    let cores = machine.logical_cores;
    let max_threads = args.max_threads.unwrap_or(2 * cores);
    let ladder = thread_ladder(max_threads, cores);
    let n = study.n_of(workload)?;
    // With --weak, `n` is the size at `cores` threads, so each thread's share
    // is n / cores and the input at p threads is p times that.
    let size_at = |threads: usize| {
        if args.weak {
            workload.nearest_valid_n((n / cores).max(1) * threads)
        } else {
            n
        }
    };
    for &threads in &ladder {
        workload.check_n(size_at(threads))?;
    }
    let budget = budget(study.quick, study.runs);

    let kernel = study.kernel_of(workload)?;
    let points = measure_points(workload, kernel, &ladder, &strategies, size_at, budget)?;

    let kind = if args.weak {
        "weak scaling (input grows with the threads)"
    } else {
        "strong scaling (fixed input)"
    };
    let label = crate::sweep::kernel_label(workload, kernel);
    let title = if args.weak {
        format!(
            "{}{label}: n = {} per thread",
            workload.name(),
            (n / cores).max(1)
        )
    } else {
        format!("{}{label}: n = {n}", workload.name())
    };
    outputs.emit(&Scaled {
        machine,
        workload: workload.name(),
        kernel,
        weak: args.weak,
        max_threads,
        strategies,
        title,
        kind,
        points,
    })
}

/// What `scaling` measured, and how it is titled.
struct Scaled<'a> {
    machine: Machine,
    workload: &'a str,
    kernel: &'static str,
    weak: bool,
    max_threads: usize,
    strategies: Vec<StrategyKind>,
    title: String,
    kind: &'static str,
    points: Vec<Point>,
}

impl Scaled<'_> {
    fn cores(&self) -> usize {
        self.machine.logical_cores
    }

    fn summaries(&self) -> Vec<Summary<'_>> {
        self.strategies
            .iter()
            .map(|&s| summarise(s, &self.points, self.cores(), self.weak))
            .collect()
    }
}

impl Emit for Scaled<'_> {
    fn text(&self) -> String {
        let summaries = self.summaries();
        format!(
            "{}\n{}, {}, 1 to {} on {}.\n\n{}\n{}\n{}\n",
            measured_on(&self.machine),
            self.title,
            self.kind,
            plural(self.max_threads, "thread"),
            plural(self.cores(), "logical core"),
            points_table(&self.points, self.cores()).to_text(),
            summary_table(&summaries, self.weak).to_text(),
            explain(self.weak, self.cores())
        )
    }

    fn markdown(&self) -> String {
        format!(
            "{}\n\n{}, {}.\n\n{}\n{}\n{}\n",
            measured_on(&self.machine),
            self.title,
            self.kind,
            points_table(&self.points, self.cores()).to_markdown(),
            summary_table(&self.summaries(), self.weak).to_markdown(),
            explain(self.weak, self.cores())
        )
    }

    fn report(&self) -> Report {
        report(
            &self.machine,
            self.workload,
            self.kernel,
            self.weak,
            &self.points,
            &self.summaries(),
        )
    }

    fn svg(&self) -> Result<Option<String>, Failure> {
        let svg = chart(
            &self.machine,
            &self.title,
            &self.points,
            &self.summaries(),
            self.max_threads,
            self.weak,
        )
        .to_svg_linear();
        Ok(Some(svg))
    }
}

/// Times every strategy at every thread count, with serial, in rotation:
/// one rotation per input size (one in all for strong scaling).
fn measure_points(
    workload: &dyn Entry,
    kernel: &'static str,
    ladder: &[usize],
    strategies: &[StrategyKind],
    size_at: impl Fn(usize) -> usize,
    budget: Budget,
) -> Result<Vec<Point>, Failure> {
    let mut sizes: Vec<usize> = ladder.iter().map(|&threads| size_at(threads)).collect();
    sizes.dedup();
    let progress = Progress::new((ladder.len() * strategies.len()) as u64, "points");
    let mut points = Vec::new();
    for n in sizes {
        let prepared = workload.prepare_kernel(n, kernel)?;
        let mut contenders = vec![Contender {
            prepared: &*prepared,
            kind: StrategyKind::SERIAL,
            config: config(1, 1)?,
        }];
        let mut shapes = Vec::new();
        for &threads in ladder.iter().filter(|&&threads| size_at(threads) == n) {
            for &strategy in strategies {
                shapes.push((strategy, threads));
                contenders.push(Contender {
                    prepared: &*prepared,
                    kind: strategy,
                    config: config(threads, workload.grain(n))?,
                });
            }
        }
        progress.set_message(format!(
            "n = {n}: {} in rotation",
            plural(contenders.len(), "cell")
        ));
        let mut measured = time_rotation(&contenders, budget)?.into_iter();
        let serial = measured.next().expect("serial is measured first").timing;
        for ((strategy, threads), measured) in shapes.into_iter().zip(measured) {
            points.push(Point {
                strategy,
                threads,
                n,
                speedup: speedup(&serial, &measured.timing),
                serial: serial.clone(),
                timing: measured.timing,
            });
            progress.inc(1);
        }
    }
    progress.finish_and_clear();
    points.sort_by_key(|point| {
        (
            strategies.iter().position(|&s| s == point.strategy),
            point.threads,
        )
    });
    Ok(points)
}

/// Every count from 1 to `max` when that is at most 16 points; otherwise
/// powers of two plus the core count, one and a half times it and `max`,
/// so a 64-core machine gets a readable curve in reasonable time.
pub(crate) fn thread_ladder(max: usize, cores: usize) -> Vec<usize> {
    if max <= 16 {
        return (1..=max).collect();
    }
    let mut ladder: Vec<usize> = std::iter::successors(Some(1_usize), |&p| p.checked_mul(2))
        .take_while(|&p| p < max)
        .chain([cores, cores + cores / 2, max])
        .filter(|&p| p <= max)
        .collect();
    ladder.sort_unstable();
    ladder.dedup();
    ladder
}

fn summarise(strategy: StrategyKind, points: &[Point], cores: usize, weak: bool) -> Summary<'_> {
    let mine: Vec<&Point> = points
        .iter()
        .filter(|point| point.strategy == strategy)
        .collect();
    // Oversubscribed points measure the scheduler, not the serial fraction.
    let within: Vec<(f64, f64)> = mine
        .iter()
        .filter(|point| point.threads <= cores)
        .map(|point| (point.threads as f64, point.speedup))
        .collect();
    let fit = fit_with_range(&within, if weak { fit_gustafson } else { fit_amdahl });
    let fastest = |over: bool| {
        mine.iter()
            .copied()
            .filter(|point| (point.threads > cores) == over)
            .max_by(|a, b| a.speedup.total_cmp(&b.speedup))
    };
    Summary {
        strategy,
        fit,
        best_within_cores: fastest(false),
        best_oversubscribed: fastest(true),
    }
}

/// Whether going past the core count made the fastest run clearly faster or
/// slower, by the same interval rule as every verdict.
fn oversubscription_verdict(summary: &Summary<'_>) -> String {
    match (summary.best_oversubscribed, summary.best_within_cores) {
        (Some(over), Some(within)) => {
            let verdict = match Verdict::of(&(&within.timing).into(), &(&over.timing).into()) {
                Verdict::Faster => "helps",
                Verdict::Slower => "hurts",
                Verdict::Within => "no difference beyond 5%",
                Verdict::Unclear | Verdict::TooFewRuns => "no clear difference",
            };
            format!(
                "{verdict}: {:.2}x at {} against {:.2}x within the cores",
                over.speedup, over.threads, within.speedup
            )
        }
        _ => "not measured".to_owned(),
    }
}

fn points_table(points: &[Point], cores: usize) -> Table {
    let rows = points
        .iter()
        .map(|point| {
            vec![
                point.strategy.name().to_owned(),
                format!(
                    "{}{}",
                    point.threads,
                    if point.threads > cores { " (over)" } else { "" }
                ),
                point.n.to_string(),
                human(point.timing.median()),
                format!("{:.2}x", point.speedup),
                format!("{:.0}%", point.efficiency() * 100.0),
                against_serial(&point.serial, &point.timing)
                    .verdict
                    .to_string(),
            ]
        })
        .collect();
    Table {
        header: vec![
            "strategy",
            "threads",
            "n",
            "median",
            "speedup",
            "efficiency",
            "vs serial",
        ],
        rows,
        left_columns: 1,
    }
}

fn summary_table(summaries: &[Summary<'_>], weak: bool) -> Table {
    let law = if weak {
        "Gustafson s (range)"
    } else {
        "Amdahl s (range)"
    };
    let rows = summaries
        .iter()
        .map(|summary| {
            let (fraction, limit) = match summary.fit {
                Err(too_few) => (too_few.describe(), "-".to_owned()),
                Ok(fit) => (
                    format!("{:.3} ({:.3}-{:.3})", fit.s, fit.low, fit.high),
                    if weak {
                        "-".to_owned()
                    } else {
                        format!("{} ({}-{})", limit(fit.s), limit(fit.high), limit(fit.low))
                    },
                ),
            };
            vec![
                summary.strategy.name().to_owned(),
                fraction,
                limit,
                oversubscription_verdict(summary),
            ]
        })
        .collect();
    Table {
        header: vec![
            "strategy",
            law,
            "speedup limit 1/s",
            "threads beyond the cores",
        ],
        rows,
        left_columns: 1,
    }
}

/// Amdahl's limit 1/s, or "unbounded" for an s indistinguishable from zero.
fn limit(s: f64) -> String {
    if s > 1e-3 {
        format!("{:.1}x", 1.0 / s)
    } else {
        "unbounded".to_owned()
    }
}

fn explain(weak: bool, cores: usize) -> String {
    let fit = if weak {
        "s is fitted by least squares to scaled speedup = p - s (p - 1)"
    } else {
        "s is fitted by least squares to speedup = 1 / (s + (1 - s) / p)"
    };
    format!(
        "{fit}, using the points with p <= {cores} (the logical cores) and only when there are at \
         least {MIN_FIT_POINTS} of them; past the cores, threads share cores and the curve measures \
         the scheduler instead. The range is the smallest and largest s fitted with any one thread \
         count left out. Beyond the cores: the fastest oversubscribed run against the fastest within \
         them, by the same rule as vs serial. {VERDICT_RULE}"
    )
}

fn chart(
    machine: &Machine,
    title: &str,
    points: &[Point],
    summaries: &[Summary<'_>],
    max: usize,
    weak: bool,
) -> Chart {
    let mut series = measured_series(
        points
            .iter()
            .map(|point| (point.strategy.name(), (point.threads as f64, point.speedup))),
    );
    series.push(Series {
        label: "ideal (speedup = threads)".to_owned(),
        points: vec![(1.0, 1.0), (max as f64, max as f64)],
        kind: LineKind::Reference,
    });
    // The model is drawn for the strategy that scaled best within the cores.
    if let Some((summary, s)) = summaries
        .iter()
        .filter_map(|sum| sum.serial_fraction().map(|s| (sum, s)))
        .max_by(|(a, _), (b, _)| a.best_within_speedup().total_cmp(&b.best_within_speedup()))
    {
        let (law, model): (&str, fn(f64, f64) -> f64) = if weak {
            ("Gustafson", gustafson)
        } else {
            ("Amdahl", amdahl)
        };
        series.push(Series {
            label: format!("{law}, s = {s:.3} ({})", summary.strategy.name()),
            points: (1..=max).map(|p| (p as f64, model(s, p as f64))).collect(),
            kind: LineKind::Model,
        });
    }
    Chart {
        title: format!("Speedup against threads — {title}"),
        caption: measured_on(machine),
        x_label: "threads",
        y_label: if weak {
            "scaled speedup (serial time / time, same input)"
        } else {
            "speedup (serial time / time)"
        },
        series,
        whole_x: true,
    }
}

fn report(
    machine: &Machine,
    workload: &str,
    kernel: &str,
    weak: bool,
    points: &[Point],
    summaries: &[Summary<'_>],
) -> Report {
    let cells = points
        .iter()
        .map(|point| {
            Cell::new(
                workload,
                kernel,
                point.strategy.name(),
                point.n,
                point.threads,
                None,
                &point.timing,
            )
            .with_speedup(point.speedup)
            .with_vs_serial(Some(against_serial(&point.serial, &point.timing)))
        })
        .collect();
    let fits: Vec<FitRecord> = summaries
        .iter()
        .map(|summary| FitRecord {
            strategy: summary.strategy.name().to_owned(),
            law: if weak { "gustafson" } else { "amdahl" }.to_owned(),
            serial_fraction: summary.serial_fraction(),
            serial_fraction_low: summary.fit.ok().map(|fit| fit.low),
            serial_fraction_high: summary.fit.ok().map(|fit| fit.high),
            points: summary
                .fit
                .map_or_else(|too_few| too_few.have, |fit| fit.points),
            not_fitted: summary.fit.err().map(TooFewPoints::describe),
            oversubscription: oversubscription_verdict(summary),
        })
        .collect();
    Report::new("scaling", machine, cells)
        .with_detail("weak", weak)
        .with_detail(FitRecord::KEY, fits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(cores_measured: &[(usize, u64)]) -> Vec<Point> {
        let ms = std::time::Duration::from_millis;
        cores_measured
            .iter()
            .map(|&(threads, millis)| Point {
                strategy: StrategyKind::RAYON,
                threads,
                n: 10,
                timing: Timing::from_runs((0..6).map(|i| ms(millis + i % 2)).collect()),
                serial: Timing::from_runs((0..6).map(|i| ms(100 + i % 2)).collect()),
                speedup: 100.0 / millis as f64,
            })
            .collect()
    }

    #[test]
    fn two_cores_give_no_fit_and_say_what_is_missing() {
        let points = points(&[(1, 100), (2, 52), (3, 51), (4, 50)]);
        let summary = summarise(StrategyKind::RAYON, &points, 2, false);
        assert_eq!(summary.fit, Err(TooFewPoints { have: 2 }));
        let table = summary_table(&[summary], false).to_markdown();
        assert!(
            table.contains("not fitted: 2 thread count(s) within the cores, 3 needed"),
            "{table}"
        );
        assert!(
            !table.contains("unbounded") && !table.contains("0.0"),
            "{table}"
        );
    }

    #[test]
    fn enough_cores_give_a_fit_with_its_range() {
        let points = points(&[(1, 100), (2, 52), (3, 36), (4, 28)]);
        let summary = summarise(StrategyKind::RAYON, &points, 4, false);
        let fit = summary.fit.unwrap();
        assert_eq!(fit.points, 4);
        assert!(
            fit.low <= fit.s && fit.s <= fit.high && fit.s < 0.1,
            "{fit:?}"
        );
        let table = summary_table(&[summary], false).to_markdown();
        assert!(
            table.contains(&format!("{:.3} ({:.3}-{:.3})", fit.s, fit.low, fit.high)),
            "{table}"
        );
    }

    #[test]
    fn oversubscription_is_judged_by_the_interval() {
        // 40-41 ms past the cores against 52-53 ms within them.
        let points = points(&[(1, 100), (2, 52), (3, 45), (4, 40)]);
        let summary = summarise(StrategyKind::RAYON, &points, 2, false);
        assert!(oversubscription_verdict(&summary).starts_with("helps"));
        let points = self::points(&[(1, 100), (2, 70), (3, 80), (4, 90)]);
        let summary = summarise(StrategyKind::RAYON, &points, 2, false);
        assert!(oversubscription_verdict(&summary).starts_with("hurts"));
        let points = self::points(&[(1, 100), (2, 50), (3, 50), (4, 51)]);
        let summary = summarise(StrategyKind::RAYON, &points, 2, false);
        let verdict = oversubscription_verdict(&summary);
        assert!(verdict.starts_with("no difference beyond 5%"), "{verdict}");
    }

    #[test]
    fn small_ladders_take_every_count() {
        assert_eq!(thread_ladder(4, 2), [1, 2, 3, 4]);
    }

    #[test]
    fn large_ladders_take_powers_of_two_and_the_cores() {
        assert_eq!(thread_ladder(128, 64), [1, 2, 4, 8, 16, 32, 64, 96, 128]);
        assert_eq!(thread_ladder(24, 12), [1, 2, 4, 8, 12, 16, 18, 24]);
    }
}
