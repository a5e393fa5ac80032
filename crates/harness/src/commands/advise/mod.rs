//! `advise`: the decision — which strategy to use for a workload, or to
//! stay serial — in a few sentences, each from a measured number.
//!
//! # The design: measure, record, then speak
//!
//! The other commands print tables and leave the reading to you; `advise`
//! reads them for you, and must not claim more than they show. So it works
//! in three steps, each in a module of its own:
//!
//! - [`measure`] times what the decision needs, reusing the commands that
//!   own each measurement: `compare` at the advised size, the cost of one
//!   call at the smallest size, and `sweep`'s crossover search;
//! - [`Advice`] (in [`advice`]) records every number the sentences use, and
//!   takes the decision from it; `--json` writes it beside the cells;
//! - [`sentences`] turns an [`Advice`] into sentences, a pure function, so
//!   every sentence can be regenerated from the JSON and is tested from
//!   constructed values.
//!
//! Like `sweep` and `scaling`, whose only output is timings, `advise`
//! refuses a debug build.

mod advice;
mod measure;
mod sentences;
#[cfg(test)]
mod tests;

pub use advice::{
    Advice, Cap, Decision, Overhead, Recommendation, SizePoint, SizeSearch, Versus, WORTH_IT,
};
pub use sentences::sentences;

use std::fmt::Write as _;

use crate::chart::{Chart, LineKind, Series};
use crate::cli::AdviseArgs;
use crate::emit::{Emit, Outputs};
use crate::machine::{Machine, require_optimised};
use crate::record::Report;
use crate::registry::Registry;
use crate::sweep::kernel_label;
use crate::table::measured_on;
use crate::table::plural;
use crate::{Failure, VERDICT_RULE};

/// How the sentences were reached, printed under them.
const NOTE: &str = "Every run was verified against the serial reference. A strategy is advised only when its whole 95% interval is faster than serial, and two strategies whose intervals overlap are not ranked.";

/// Measures `args.study.workload`, then prints the advice and writes the
/// files asked for: `--json` a report of the compared cells with the
/// [`Advice`] as its `advice` detail, `--markdown` the sentences, `--svg`
/// time against size from the crossover search.
///
/// # Errors
///
/// [`Failure::Usage`] for a bad name or size or a debug build,
/// [`Failure::WrongResult`] for a wrong result or a panic,
/// [`Failure::Refused`] for threads the system will not start, and
/// [`Failure::Io`] for a file that cannot be written.
pub fn advise(args: &AdviseArgs, registry: &Registry) -> Result<(), Failure> {
    let study = &args.study;
    let workload = registry.find(&study.workload)?;
    // Names are checked first: a mistake is a usage error in any build.
    study.strategies(registry)?;
    require_optimised("advise")?;
    let outputs = Outputs::new(&study.output)?;
    let measured = measure::measure(args, workload, registry)?;
    let advice = &measured.advice;
    let heading = format!(
        "Advice for {}{} at n = {} on {}:",
        advice.workload,
        kernel_label(workload, &advice.kernel),
        advice.n,
        plural(advice.threads, "thread")
    );
    outputs.emit(&Advised {
        lines: sentences(advice),
        measured: &measured,
        heading,
    })
}

/// The advice as sentences, under their heading.
struct Advised<'a> {
    measured: &'a measure::Measurement,
    heading: String,
    lines: Vec<String>,
}

impl Emit for Advised<'_> {
    fn text(&self) -> String {
        let mut text = format!(
            "{}\n\n{}\n\n",
            measured_on(&self.measured.machine),
            self.heading
        );
        for line in &self.lines {
            let _ = writeln!(text, "- {line}");
        }
        let _ = writeln!(text, "\n{NOTE}");
        text
    }

    fn markdown(&self) -> String {
        let bullets: Vec<String> = self.lines.iter().map(|line| format!("- {line}")).collect();
        format!(
            "{}\n\n{}\n\n{}\n\n{NOTE} {VERDICT_RULE}\n",
            measured_on(&self.measured.machine),
            self.heading,
            bullets.join("\n")
        )
    }

    fn report(&self) -> Report {
        let advice = &self.measured.advice;
        Report::new(
            "advise",
            &self.measured.machine,
            self.measured.cells.clone(),
        )
        .with_detail("advice", advice)
        .with_detail("decision", advice.recommendation().summary())
    }

    fn svg(&self) -> Result<Option<String>, Failure> {
        Ok(Some(
            chart(&self.measured.machine, &self.measured.advice)?.to_svg_log_log(),
        ))
    }
}

/// Median time against size on the crossover ladder: serial and each
/// strategy searched.
fn chart(machine: &Machine, advice: &Advice) -> Result<Chart, Failure> {
    let mut series: Vec<Series> = Vec::new();
    for search in &advice.crossovers {
        series.push(Series {
            label: search.strategy.clone(),
            points: search
                .points
                .iter()
                .map(|point| (point.n as f64, point.strategy_s * 1e3))
                .collect(),
            kind: LineKind::Measured,
        });
    }
    let Some(first) = advice.crossovers.first() else {
        return Err(Failure::Usage(
            "--svg draws the crossover search, and no strategy was faster than serial, so none ran"
                .to_owned(),
        ));
    };
    series.push(Series {
        label: "serial".to_owned(),
        points: first
            .points
            .iter()
            .map(|point| (point.n as f64, point.serial_s * 1e3))
            .collect(),
        kind: LineKind::Reference,
    });
    Ok(Chart {
        title: format!(
            "Time against size — {}, {}",
            advice.workload,
            plural(advice.threads, "thread")
        ),
        caption: measured_on(machine),
        x_label: "n (log scale)",
        y_label: "median time (ms, log scale)",
        series,
        whole_x: false,
    })
}
