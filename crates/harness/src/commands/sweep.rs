//! `sweep`: how the grain and the input size decide whether
//! parallelism pays.

use std::collections::BTreeMap;

use crate::chart::{Chart, LineKind, Series, measured_series};
use crate::cli::SweepArgs;
use crate::details::{CrossoverRecord, DetailRecord};
use crate::emit::{Emit, Outputs};
use crate::fit::{Crossover, find_crossover, geometric_ladder};
use crate::machine::{Machine, require_optimised};
use crate::measure::{Budget, Timing, human};
use crate::progress::Progress;
use crate::record::{Cell, Report};
use crate::registry::{Entry, Prepared, Registry};
use crate::table::plural;
use crate::table::{Table, measured_on};
use crate::timed::{Contender, against_serial, budget, config, speedup, time_rotation};
use crate::{Failure, MIN_VERDICT_RUNS, VERDICT_RULE, Verdict};
use ps_catalog::StrategyKind;

/// One strategy at one grain on the full-size input.
struct GrainPoint {
    strategy: StrategyKind,
    grain: usize,
    timing: Timing,
}

/// One strategy at one input size, next to serial at that size.
struct SizePoint {
    n: usize,
    grain: Option<usize>,
    serial: Timing,
    timing: Timing,
}

/// A strategy's crossover search.
struct CrossoverResult {
    strategy: StrategyKind,
    /// The grain used on the size ladder: the best of the grain sweep, capped
    /// so every thread gets a chunk.
    best_grain: Option<usize>,
    crossover: Crossover,
    points: Vec<SizePoint>,
}

/// What every measurement of one sweep shares.
struct Setup<'a> {
    workload: &'a dyn Entry,
    kernel: &'static str,
    threads: usize,
    n: usize,
    budget: Budget,
    quick: bool,
}

/// Times `args.study.workload` across grains, then across sizes for the
/// crossover, printing tables and writing the files asked for.
///
/// # Errors
///
/// [`Failure::Usage`] for a bad name or size or a debug build,
/// [`Failure::WrongResult`] for a wrong result or a panic,
/// [`Failure::Refused`] for threads the system will not start, and
/// [`Failure::Io`] for a file that cannot be written.
pub fn sweep(args: &SweepArgs, registry: &Registry) -> Result<(), Failure> {
    let study = &args.study;
    let workload = registry.find(&study.workload)?;
    // Names are checked first: a mistake is a usage error in any build.
    let strategies = study.strategies(registry)?;
    require_optimised("sweep")?;
    let outputs = Outputs::new(&study.output)?;
    let machine = Machine::detect();
    let n = study.n_of(workload)?;
    if let Some(runs) = study.runs.filter(|&runs| runs < MIN_VERDICT_RUNS) {
        return Err(Failure::Usage(format!(
            "sweep finds where a strategy is faster by a 95% verdict, which needs --runs of at least {MIN_VERDICT_RUNS} (got {runs})"
        )));
    }
    let setup = Setup {
        workload,
        kernel: study.kernel_of(workload)?,
        threads: args.threads.or_available(),
        n,
        budget: budget(study.quick, study.runs),
        quick: study.quick,
    };
    let grains = geometric_ladder(1, setup.n, if setup.quick { 8 } else { 4 }, |g| g);
    let (serial, grain_points) = sweep_grains(&setup, &strategies, &grains)?;
    let sizes = geometric_ladder(64, setup.n, if setup.quick { 4 } else { 2 }, |m| {
        workload.nearest_valid_n(m)
    });
    let crossovers = search_crossovers(&setup, &strategies, (&serial, &grain_points), &sizes)?;

    let title = format!(
        "{}{}: n = {}, {}",
        workload.name(),
        kernel_label(workload, setup.kernel),
        setup.n,
        plural(setup.threads, "thread")
    );
    outputs.emit(&Swept {
        machine,
        setup,
        title,
        grains,
        sizes,
        serial,
        grain_points,
        crossovers,
    })
}

/// What `sweep` measured: the grain sweep and each strategy's crossover
/// search.
struct Swept<'a> {
    machine: Machine,
    setup: Setup<'a>,
    title: String,
    grains: Vec<usize>,
    sizes: Vec<usize>,
    serial: Timing,
    grain_points: Vec<GrainPoint>,
    crossovers: Vec<CrossoverResult>,
}

impl Swept<'_> {
    /// The two tables drawn by `draw` under their headings; `gap` goes
    /// after the machine's line.
    fn render(&self, draw: fn(&Table) -> String, gap: &str) -> String {
        format!(
            "{}\n{gap}{}\n\n{}\n{}\n\n{}\n{}\n",
            measured_on(&self.machine),
            self.grain_heading(),
            draw(&grain_table(&self.grain_points, &self.serial)),
            self.crossover_heading(),
            draw(&crossover_table(&self.crossovers)),
            note()
        )
    }

    fn grain_heading(&self) -> String {
        format!(
            "Grain sweep — {}; serial median {}.",
            self.title,
            human(self.serial.median())
        )
    }

    fn crossover_heading(&self) -> String {
        format!(
            "Crossover size n* — the smallest input at which each strategy is clearly faster than serial (sizes {} to {}):",
            self.sizes[0], self.setup.n
        )
    }
}

/// How the crossover table was reached, printed under it.
fn note() -> String {
    format!(
        "On the size ladder each strategy uses its best grain, capped at n / threads so every \
         thread gets work; a size counts as a win only when the strategy is clearly faster. {VERDICT_RULE} \
         Every run was verified against the serial reference."
    )
}

impl Emit for Swept<'_> {
    fn text(&self) -> String {
        self.render(Table::to_text, "")
    }

    fn markdown(&self) -> String {
        self.render(Table::to_markdown, "\n")
    }

    fn report(&self) -> Report {
        report(
            &self.machine,
            &self.setup,
            &self.serial,
            &self.grain_points,
            &self.crossovers,
        )
    }

    fn svg(&self) -> Result<Option<String>, Failure> {
        let chart = grain_chart(
            &self.machine,
            &self.title,
            &self.grain_points,
            &self.serial,
            &self.grains,
        );
        Ok(Some(chart.to_svg_log_log()))
    }
}

/// ` (simd kernel)` for a kernel other than the workload's default.
pub(crate) fn kernel_label(workload: &dyn Entry, kernel: &str) -> String {
    if kernel == workload.kernels()[0] {
        String::new()
    } else {
        format!(" ({kernel} kernel)")
    }
}

/// Times serial once and every grain-based strategy at every grain, on the full-size input.
fn sweep_grains(
    setup: &Setup<'_>,
    strategies: &[StrategyKind],
    grains: &[usize],
) -> Result<(Timing, Vec<GrainPoint>), Failure> {
    let grained: Vec<StrategyKind> = strategies
        .iter()
        .copied()
        .filter(|kind| kind.uses_grain())
        .collect();
    let prepared = setup.workload.prepare_kernel(setup.n, setup.kernel)?;
    let shapes: Vec<(StrategyKind, usize)> = grained
        .iter()
        .flat_map(|&strategy| grains.iter().map(move |&grain| (strategy, grain)))
        .collect();
    let mut contenders = vec![Contender {
        prepared: &*prepared,
        kind: StrategyKind::SERIAL,
        config: config(setup.threads, 1)?,
    }];
    for &(kind, grain) in &shapes {
        contenders.push(Contender {
            prepared: &*prepared,
            kind,
            config: config(setup.threads, grain)?,
        });
    }
    eprintln!(
        "timing {} grain points and serial in rotation",
        shapes.len()
    );
    let mut measured = time_rotation(&contenders, setup.budget)?.into_iter();
    let serial = measured.next().expect("serial is measured first").timing;
    let points = shapes
        .into_iter()
        .zip(measured)
        .map(|((strategy, grain), measured)| GrainPoint {
            strategy,
            grain,
            timing: measured.timing,
        })
        .collect();
    Ok((serial, points))
}

/// Walks each strategy up the size ladder to the size where it first beats serial.
fn search_crossovers(
    setup: &Setup<'_>,
    strategies: &[StrategyKind],
    (serial_at_n, grain_points): (&Timing, &[GrainPoint]),
    sizes: &[usize],
) -> Result<Vec<CrossoverResult>, Failure> {
    let mut cache = SerialCache::new(setup.workload, setup.kernel, setup.threads, setup.budget);
    let progress = Progress::new(strategies.len() as u64, "strategies");
    let mut results = Vec::new();
    for &strategy in strategies {
        progress.set_message(format!(
            "{}: looking for the crossover size",
            strategy.name()
        ));
        let best_grain = best_grain(grain_points, strategy);
        let mut points = Vec::new();
        let refine_steps = if setup.quick { 2 } else { 4 };
        let snap = |m| setup.workload.nearest_valid_n(m);
        let crossover = find_crossover(sizes, refine_steps, snap, |m| {
            let grain = best_grain.map(|g| g.min(m.div_ceil(setup.threads)).max(1));
            // At the full size the grain sweep has already timed this very
            // configuration: reuse it, so the two tables cannot disagree.
            let swept = grain_points.iter().find(|point| {
                m == setup.n && point.strategy == strategy && Some(point.grain) == grain
            });
            let (serial, timing) = match swept {
                Some(point) => (serial_at_n.clone(), point.timing.clone()),
                None => cache.race(strategy, m, grain)?,
            };
            // A size counts as a win only when the ranges say so, not the medians.
            let wins = against_serial(&serial, &timing).verdict == Verdict::Faster;
            points.push(SizePoint {
                n: m,
                grain,
                serial,
                timing,
            });
            Ok::<bool, Failure>(wins)
        })?;
        points.sort_by_key(|point| point.n);
        results.push(CrossoverResult {
            strategy,
            best_grain,
            crossover,
            points,
        });
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(results)
}

/// The grain with the lowest median for `strategy`, if it uses one.
fn best_grain(points: &[GrainPoint], strategy: StrategyKind) -> Option<usize> {
    points
        .iter()
        .filter(|point| point.strategy == strategy)
        .min_by_key(|point| point.timing.median())
        .map(|point| point.grain)
}

/// Prepares each size once, for every strategy that walks past it.
pub(crate) struct SerialCache<'a> {
    workload: &'a dyn Entry,
    kernel: &'static str,
    threads: usize,
    budget: Budget,
    sizes: BTreeMap<usize, Box<dyn Prepared + 'a>>,
}

impl<'a> SerialCache<'a> {
    pub(crate) fn new(
        workload: &'a dyn Entry,
        kernel: &'static str,
        threads: usize,
        budget: Budget,
    ) -> Self {
        SerialCache {
            workload,
            kernel,
            threads,
            budget,
            sizes: BTreeMap::new(),
        }
    }

    /// Serial's and `strategy`'s timings at size `n`, both verified, taken
    /// in rotation so that they pair.
    pub(crate) fn race(
        &mut self,
        strategy: StrategyKind,
        n: usize,
        grain: Option<usize>,
    ) -> Result<(Timing, Timing), Failure> {
        if !self.sizes.contains_key(&n) {
            let prepared = self.workload.prepare_kernel(n, self.kernel)?;
            self.sizes.insert(n, prepared);
        }
        let prepared = &*self.sizes[&n];
        let contenders = [
            Contender {
                prepared,
                kind: StrategyKind::SERIAL,
                config: config(1, 1)?,
            },
            Contender {
                prepared,
                kind: strategy,
                config: config(self.threads, grain.unwrap_or(1))?,
            },
        ];
        let mut measured = time_rotation(&contenders, self.budget)?.into_iter();
        let serial = measured.next().expect("two contenders").timing;
        let timing = measured.next().expect("two contenders").timing;
        Ok((serial, timing))
    }
}

fn grain_table(points: &[GrainPoint], serial: &Timing) -> Table {
    let rows = points
        .iter()
        .map(|point| {
            let best = best_grain(points, point.strategy) == Some(point.grain);
            vec![
                point.strategy.name().to_owned(),
                point.grain.to_string(),
                human(point.timing.median()),
                human(point.timing.min()),
                human(point.timing.max()),
                format!("{:.2}x", speedup(serial, &point.timing)),
                against_serial(serial, &point.timing).verdict.to_string(),
                if best {
                    "best".to_owned()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    Table {
        header: vec![
            "strategy",
            "grain",
            "median",
            "min",
            "max",
            "speedup",
            "vs serial",
            "",
        ],
        rows,
        left_columns: 1,
    }
}

fn crossover_table(results: &[CrossoverResult]) -> Table {
    let rows = results
        .iter()
        .map(|result| {
            let at = result
                .crossover
                .n()
                .and_then(|n| result.points.iter().find(|point| point.n == n));
            vec![
                result.strategy.name().to_owned(),
                result
                    .best_grain
                    .map_or_else(|| "-".to_owned(), |g| g.to_string()),
                result.crossover.describe(),
                at.map_or_else(String::new, |point| human(point.serial.median())),
                at.map_or_else(String::new, |point| human(point.timing.median())),
                result.points.len().to_string(),
            ]
        })
        .collect();
    Table {
        header: vec![
            "strategy",
            "grain",
            "n*",
            "serial at n*",
            "strategy at n*",
            "sizes timed",
        ],
        rows,
        left_columns: 2,
    }
}

fn grain_chart(
    machine: &Machine,
    title: &str,
    points: &[GrainPoint],
    serial: &Timing,
    grains: &[usize],
) -> Chart {
    let millis = |timing: &Timing| timing.median().as_secs_f64() * 1e3;
    let mut series = measured_series(points.iter().map(|point| {
        (
            point.strategy.name(),
            (point.grain as f64, millis(&point.timing)),
        )
    }));
    let (first, last) = (grains[0] as f64, grains[grains.len() - 1] as f64);
    series.push(Series {
        label: "serial".to_owned(),
        points: vec![(first, millis(serial)), (last, millis(serial))],
        kind: LineKind::Reference,
    });
    Chart {
        title: format!("Time against grain — {title}"),
        caption: measured_on(machine),
        x_label: "grain (elements per unit of work, log scale)",
        y_label: "median time (ms, log scale)",
        series,
        whole_x: false,
    }
}

/// Grain points and size points as cells; the crossovers as details.
fn report(
    machine: &Machine,
    setup: &Setup<'_>,
    serial: &Timing,
    grain_points: &[GrainPoint],
    crossovers: &[CrossoverResult],
) -> Report {
    let cell = |strategy: StrategyKind,
                n: usize,
                threads: usize,
                grain: Option<usize>,
                timing: &Timing,
                base: &Timing| {
        Cell::new(
            setup.workload.name(),
            setup.kernel,
            strategy.name(),
            n,
            threads,
            grain,
            timing,
        )
        .with_speedup(speedup(base, timing))
        .with_vs_serial((strategy != StrategyKind::SERIAL).then(|| against_serial(base, timing)))
    };
    let mut cells = vec![cell(StrategyKind::SERIAL, setup.n, 1, None, serial, serial)];
    cells.extend(grain_points.iter().map(|point| {
        cell(
            point.strategy,
            setup.n,
            setup.threads,
            Some(point.grain),
            &point.timing,
            serial,
        )
    }));
    for result in crossovers {
        for point in &result.points {
            cells.push(cell(
                StrategyKind::SERIAL,
                point.n,
                1,
                None,
                &point.serial,
                &point.serial,
            ));
            cells.push(cell(
                result.strategy,
                point.n,
                setup.threads,
                point.grain,
                &point.timing,
                &point.serial,
            ));
        }
    }
    // A size visited by several strategies has its serial cell once.
    let mut seen = Vec::new();
    cells.retain(|cell| {
        let key = cell.key();
        let first = !seen.contains(&key);
        seen.push(key);
        first
    });
    let records: Vec<CrossoverRecord> = crossovers
        .iter()
        .map(|result| CrossoverRecord {
            strategy: result.strategy.name().to_owned(),
            grain: result.best_grain,
            n_star: result.crossover.n(),
            found: result.crossover.describe(),
        })
        .collect();
    Report::new("sweep", machine, cells).with_detail(CrossoverRecord::KEY, records)
}
