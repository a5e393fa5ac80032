//! Whether a claim still holds against the report it names.

use ps_harness::{Cell, Comparison, CrossoverRecord, FitRecord, Report, TimingRecord, Verdict};
use serde::Deserialize as _;
use xtask_pipeline::{BOTTLENECK_KEY, StageRecord};

use super::assertion::{Assertion, Bound, Crossing, Detail, Expected, Op, Selector, Value};

/// Why a claim does not hold: one line, naming the figures that contradict it.
pub(crate) type Broken = String;

/// `other` against `base`: paired when `compare` (or `advise`, which runs
/// it) sampled both in the same rotations (one workload, kernel and size),
/// unpaired otherwise.
fn versus(report: &Report, base: &Cell, other: &Cell) -> Comparison {
    let same_rotation = ["compare", "advise"].contains(&report.command.as_str())
        && (&base.workload, &base.kernel, base.n) == (&other.workload, &other.kernel, other.n)
        && !base.timing.samples_s.is_empty()
        && base.timing.samples_s.len() == other.timing.samples_s.len();
    if same_rotation {
        let timing = |record: &TimingRecord| {
            ps_harness::Timing::from_samples(
                record
                    .samples_s
                    .iter()
                    .map(|&s| std::time::Duration::from_secs_f64(s))
                    .collect(),
                record.runs_per_sample,
            )
        };
        Comparison::paired(&timing(&base.timing), &timing(&other.timing))
    } else {
        Comparison::unpaired(&base.timing, &other.timing)
    }
}

/// Checks `assertion` against `report`.
pub(crate) fn evaluate(assertion: &Assertion, report: &Report) -> Result<(), Broken> {
    about_cells(assertion, report).unwrap_or_else(|| about_details(assertion, report))
}

/// Claims about the timed cells; `None` for the others.
fn about_cells(assertion: &Assertion, report: &Report) -> Option<Result<(), Broken>> {
    matches!(
        assertion,
        Assertion::Versus { .. }
            | Assertion::VsSerial { .. }
            | Assertion::Speedup { .. }
            | Assertion::Efficiency { .. }
            | Assertion::SpeedupVersus { .. }
            | Assertion::Python { .. }
    )
    .then(|| cells(assertion, report))
}

fn cells(assertion: &Assertion, report: &Report) -> Result<(), Broken> {
    match assertion {
        Assertion::Versus {
            left,
            expected,
            right,
        } => {
            let (lefts, rights) = (select(report, left)?, select(report, right)?);
            for a in &lefts {
                for b in &rights {
                    let verdict = versus(report, b, a).verdict;
                    if !meets(verdict, *expected) {
                        let relation = match verdict {
                            Verdict::Faster => "faster than",
                            Verdict::Slower => "slower than",
                            Verdict::Within => "within 5% of",
                            Verdict::Unclear => "not clearly different from",
                            Verdict::TooFewRuns => "measured too few times to compare with",
                        };
                        return Err(format!(
                            "{} is {relation} {} ({} against {})",
                            name(a),
                            name(b),
                            range(a),
                            range(b)
                        ));
                    }
                }
            }
            Ok(())
        }
        Assertion::VsSerial { cells, expected } => {
            for cell in select(report, cells)? {
                // `scaling` records each cell's verdict against a serial
                // run it does not keep as a cell of its own.
                let serial = serial_of(report, cell);
                let verdict = match (cell.vs_serial, &serial) {
                    (Some(against), _) => against.verdict,
                    (None, Ok(serial)) => Verdict::of(&serial.timing, &cell.timing),
                    (None, Err(reason)) => return Err(reason.clone()),
                };
                if !meets(verdict, *expected) {
                    let serial = serial.map_or_else(|_| "serial".to_owned(), range);
                    return Err(format!(
                        "{} against serial: {verdict} ({} against {serial})",
                        name(cell),
                        range(cell),
                    ));
                }
            }
            Ok(())
        }
        Assertion::Speedup { cells, bound } => {
            each_number(report, cells, *bound, "speedup", |cell| cell.speedup)
        }
        Assertion::Efficiency { cells, bound } => {
            each_number(report, cells, *bound, "efficiency", |cell| cell.efficiency)
        }
        Assertion::SpeedupVersus { left, op, right } => {
            let speedup = |cell: &Cell| {
                cell.speedup
                    .ok_or_else(|| format!("{} has no speedup", name(cell)))
            };
            for a in select(report, left)? {
                for b in select(report, right)? {
                    let (x, y) = (speedup(a)?, speedup(b)?);
                    if !op.holds(x, y) {
                        return Err(format!(
                            "{} has speedup {x:.2} and {} {y:.2}",
                            name(a),
                            name(b)
                        ));
                    }
                }
            }
            Ok(())
        }
        Assertion::Python {
            approach,
            other,
            bound,
        } => {
            let (a, b) = (python_row(report, approach)?, python_row(report, other)?);
            let ratio = a.median_s / b.median_s;
            let holds = match bound {
                None => Verdict::of(&b, &a) == Verdict::Slower,
                Some(bound) => holds(*bound, ratio, report),
            };
            if holds {
                Ok(())
            } else {
                Err(format!(
                    "Python's {approach} takes {ratio:.3} times as long as {other} (ranges {:.3e}-{:.3e} s against {:.3e}-{:.3e} s)",
                    a.min_s, a.max_s, b.min_s, b.max_s
                ))
            }
        }
        _ => Err("a claim about details reached the cells".to_owned()),
    }
}

/// Claims about a command's details: crossovers, fits, stages.
fn about_details(assertion: &Assertion, report: &Report) -> Result<(), Broken> {
    match assertion {
        Assertion::Crossover { strategy, expected } => {
            let record = report.record::<CrossoverRecord>(strategy)?;
            let n_star = record.n_star.map(|n| n as f64);
            let found = &record.found;
            // No crossover up to the largest size is above any size below it.
            let beyond = |bound: &Bound| {
                matches!(bound.op, Op::AtLeast | Op::Greater)
                    && holds(*bound, resolve(Value::Top, report), report)
            };
            match (expected, n_star) {
                (Crossing::None, None) | (Crossing::Found, Some(_)) => Ok(()),
                (Crossing::Within(bound), Some(n)) if holds(*bound, n, report) => Ok(()),
                (Crossing::Within(bound), None) if beyond(bound) => Ok(()),
                _ => Err(format!("the crossover of {strategy} is {found}")),
            }
        }
        Assertion::Fit { strategy, bound } => {
            let s = report.record::<FitRecord>(strategy)?.serial_fraction;
            match (bound, s) {
                (None, None) => Ok(()),
                (Some(bound), Some(s)) if holds(*bound, s, report) => Ok(()),
                (_, Some(s)) => Err(format!("{strategy}'s fitted s is {s:.3}")),
                (_, None) => Err(format!("{strategy} has no fit")),
            }
        }
        Assertion::Stage {
            stage,
            field,
            bound,
        } => {
            let value = stage_record(report, stage)?
                .number(field)
                .ok_or_else(|| format!("stage {stage} has no number `{field}`"))?;
            if holds(*bound, value, report) {
                Ok(())
            } else {
                Err(format!(
                    "stage {stage} has {field} {value:.3}, not {} {}",
                    bound.op.symbol(),
                    show(bound.value, report)
                ))
            }
        }
        Assertion::Bottleneck { stage } => {
            let said = report
                .details
                .get(BOTTLENECK_KEY)
                .and_then(serde_json::Value::as_str)
                .unwrap_or("?");
            if said.starts_with(stage.as_str()) {
                Ok(())
            } else {
                Err(format!("the bottleneck is {said}"))
            }
        }
        Assertion::Oversubscription { strategy, verdict } => {
            let said = report.record::<FitRecord>(strategy)?.oversubscription;
            if said.starts_with(verdict.as_str()) {
                Ok(())
            } else {
                Err(format!("threads beyond the cores, {strategy}: {said}"))
            }
        }
        Assertion::Detail { path, expected } => detail_claim(report, path, expected),
        _ => Err("a claim about cells reached the details".to_owned()),
    }
}

/// A `detail` claim: the value at `path` in the report's details.
fn detail_claim(report: &Report, path: &str, expected: &Detail) -> Result<(), Broken> {
    let found =
        walk(&report.details, path).ok_or_else(|| format!("the report has no detail `{path}`"))?;
    if let Detail::Ratio { other, bound } = expected {
        let number = |path: &str, value: &serde_json::Value| {
            value
                .as_f64()
                .ok_or_else(|| format!("{path} is {value}, not a number"))
        };
        let below = walk(&report.details, other)
            .ok_or_else(|| format!("the report has no detail `{other}`"))?;
        let ratio = number(path, found)? / number(other, below)?;
        return if holds(*bound, ratio, report) {
            Ok(())
        } else {
            Err(format!(
                "{path} over {other} is {ratio:.3}, not {} {}",
                bound.op.symbol(),
                show(bound.value, report)
            ))
        };
    }
    match (expected, found) {
        (Detail::Number(bound), serde_json::Value::Number(number)) => {
            let value = number.as_f64().unwrap_or(f64::NAN);
            if holds(*bound, value, report) {
                Ok(())
            } else {
                Err(format!(
                    "{path} is {value}, not {} {}",
                    bound.op.symbol(),
                    show(bound.value, report)
                ))
            }
        }
        (Detail::Word(word), serde_json::Value::String(said)) if said == word => Ok(()),
        (Detail::Every(word), serde_json::Value::Array(items))
            if !items.is_empty() && items.iter().all(|item| item.as_str() == Some(word)) =>
        {
            Ok(())
        }
        (Detail::Every(word), said) => Err(format!("{path} is {said}, not all {word}")),
        (Detail::Some(word), serde_json::Value::Array(items))
            if items.iter().any(|item| item.as_str() == Some(word)) =>
        {
            Ok(())
        }
        (Detail::Some(word), said) => Err(format!("{path} is {said}, with no {word}")),
        (Detail::No(word), serde_json::Value::Array(items))
            if items.iter().all(|item| item.as_str() != Some(word)) =>
        {
            Ok(())
        }
        (Detail::No(word), said) => Err(format!("{path} is {said}, with a {word}")),
        (Detail::Word(word), said) => Err(format!("{path} is {said}, not {word}")),
        (Detail::Number(_), said) => Err(format!("{path} is {said}, not a number")),
        (Detail::Ratio { .. }, _) => Err("a ratio reached the single-number claims".to_owned()),
    }
}

/// The value at a dotted `path` in `details`: keys, or indexes into lists.
fn walk<'a>(
    details: &'a std::collections::BTreeMap<String, serde_json::Value>,
    path: &str,
) -> Option<&'a serde_json::Value> {
    let mut keys = path.split('.');
    let mut value = details.get(keys.next()?)?;
    for key in keys {
        value = match value {
            serde_json::Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            other => other.get(key)?,
        };
    }
    Some(value)
}

/// Checks `bound` on one number of every cell `cells` selects.
fn each_number(
    report: &Report,
    cells: &Selector,
    bound: Bound,
    label: &str,
    number: fn(&Cell) -> Option<f64>,
) -> Result<(), Broken> {
    for cell in select(report, cells)? {
        let value = number(cell).ok_or_else(|| format!("{} has no {label}", name(cell)))?;
        if !holds(bound, value, report) {
            return Err(format!(
                "{} has {label} {value:.2}, not {} {}",
                name(cell),
                bound.op.symbol(),
                show(bound.value, report)
            ));
        }
    }
    Ok(())
}

fn meets(verdict: Verdict, expected: Expected) -> bool {
    match expected {
        Expected::Faster => verdict == Verdict::Faster,
        Expected::Slower => verdict == Verdict::Slower,
        Expected::NoClearDifference => verdict.is_undecided(),
        Expected::Within => verdict == Verdict::Within,
        Expected::NotFaster => verdict != Verdict::Faster,
        Expected::NotSlower => verdict != Verdict::Slower,
    }
}

fn resolve(value: Value, report: &Report) -> f64 {
    match value {
        Value::Number(number) => number,
        Value::Cores => report.machine.logical_cores as f64,
        Value::Top => report.results.iter().map(|cell| cell.n).max().unwrap_or(0) as f64,
    }
}

fn show(value: Value, report: &Report) -> String {
    match value {
        Value::Number(number) => number.to_string(),
        Value::Cores => format!("cores ({})", report.machine.logical_cores),
        Value::Top => format!("top ({})", resolve(value, report)),
    }
}

fn holds(bound: Bound, value: f64, report: &Report) -> bool {
    bound.op.holds(value, resolve(bound.value, report))
}

/// The cells `selector` names; at least one.
fn select<'r>(report: &'r Report, selector: &Selector) -> Result<Vec<&'r Cell>, Broken> {
    let within = |bounds: &[Bound], value: Option<usize>| match value {
        None => bounds.is_empty(),
        Some(value) => bounds
            .iter()
            .all(|&bound| holds(bound, value as f64, report)),
    };
    let cells: Vec<&Cell> = report
        .results
        .iter()
        .filter(|cell| cell.workload == selector.workload)
        .filter(|cell| selector.kernel.as_ref().is_none_or(|k| &cell.kernel == k))
        .filter(|cell| match &selector.strategy {
            Some(strategy) => &cell.strategy == strategy,
            None => cell.strategy != "serial",
        })
        .filter(|cell| within(&selector.threads, Some(cell.threads)))
        .filter(|cell| within(&selector.grain, cell.grain))
        .filter(|cell| within(&selector.n, Some(cell.n)))
        .collect();
    if cells.is_empty() {
        let kernel = selector
            .kernel
            .as_ref()
            .map_or_else(String::new, |kernel| format!("[{kernel}]"));
        Err(format!(
            "no cell of the report matches {}{kernel}/{}",
            selector.workload,
            selector.strategy.as_deref().unwrap_or("*")
        ))
    } else {
        Ok(cells)
    }
}

/// The stage of a staged pipeline whose name starts with `word`.
fn stage_record(report: &Report, word: &str) -> Result<StageRecord, Broken> {
    let stages = report
        .details
        .get(StageRecord::KEY)
        .ok_or_else(|| "the report has no stages".to_owned())?;
    Vec::<StageRecord>::deserialize(stages)
        .map_err(|error| format!("the report's stages: {error}"))?
        .into_iter()
        .find(|stage| stage.name.starts_with(word))
        .ok_or_else(|| format!("the report has no stage `{word}`"))
}

/// The row of the Python table whose approach starts with `word`.
fn python_row(report: &Report, word: &str) -> Result<TimingRecord, Broken> {
    let missing = || format!("the report has no Python row `{word}`");
    let python = report.details.get(crate::python::KEY).ok_or_else(missing)?;
    let python = crate::python::PythonReport::deserialize(python)
        .map_err(|error| format!("the report's Python timings are unreadable: {error}"))?;
    python
        .results
        .into_iter()
        .find(|row| row.approach.starts_with(word))
        .map(|row| row.timing)
        .ok_or_else(missing)
}

fn serial_of<'r>(report: &'r Report, cell: &Cell) -> Result<&'r Cell, Broken> {
    report
        .results
        .iter()
        .find(|other| {
            other.strategy == "serial" && other.workload == cell.workload && other.n == cell.n
        })
        .ok_or_else(|| format!("the report has no serial cell for {}", name(cell)))
}

fn name(cell: &Cell) -> String {
    let grain = cell
        .grain
        .map_or_else(String::new, |grain| format!(", grain {grain}"));
    // Kernels are named only where a workload has more than the default.
    let kernel = if cell.kernel == "scalar" {
        String::new()
    } else {
        format!("[{}]", cell.kernel)
    };
    format!(
        "{}{kernel}/{} (n = {}, {} threads{grain})",
        cell.workload, cell.strategy, cell.n, cell.threads
    )
}

fn range(cell: &Cell) -> String {
    format!(
        "{}–{}",
        ps_harness::human(std::time::Duration::from_secs_f64(cell.timing.min_s)),
        ps_harness::human(std::time::Duration::from_secs_f64(cell.timing.max_s))
    )
}
