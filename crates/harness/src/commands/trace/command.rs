//! `trace`: one verified run of a workload under each strategy, every task
//! on a timeline, and what recording it cost.

use std::fmt::Write as _;
use std::time::Duration;

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::BoxedStrategy;
use serde::Serialize;

use super::{Timeline, Traced, timelines_svg};
use crate::cli::TraceArgs;
use crate::emit::{Emit, Outputs};
use crate::machine::{Machine, require_optimised};
use crate::measure::{human, measure_rotation};
use crate::record::Report;
use crate::registry::Prepared;
use crate::table::plural;
use crate::table::{Table, measured_on};
use crate::timed::{budget, config};
use crate::{Comparison, Failure};

/// One strategy's trace.
#[derive(Debug, Serialize)]
struct StrategyTrace {
    strategy: String,
    threads: usize,
    /// Traced time over untraced, sampled in rotation.
    tracing_cost: Comparison,
    /// [`Timeline::tasks`].
    tasks: usize,
    /// [`Timeline::imbalance`].
    imbalance: f64,
    /// [`Timeline::utilisation`].
    busy_share: f64,
    timeline: Timeline,
}

/// Traces one workload under every selected strategy: see
/// [`Traced`](super::Traced).
///
/// # Errors
///
/// [`Failure::Usage`] for a bad name or size or a debug build,
/// [`Failure::WrongResult`] for a wrong result or a panic,
/// [`Failure::Refused`] for threads the system will not start, and
/// [`Failure::Io`] for a file that cannot be written.
pub fn trace(args: &TraceArgs, registry: &crate::Registry) -> Result<(), Failure> {
    let study = &args.study;
    let workload = registry.find(&study.workload)?;
    // Names are checked first: a mistake is a usage error in any build.
    let strategies = study.strategies(registry)?;
    require_optimised("trace")?;
    let outputs = Outputs::new(&study.output)?;
    let machine = Machine::detect();
    let n = study.n_of(workload)?;
    let kernel = study.kernel_of(workload)?;
    let threads = args.threads.or_available();
    let grain = args.grain.or_workload(workload, n);
    let prepared = workload.prepare_kernel(n, kernel)?;
    let budget = budget(study.quick, study.runs);
    let traces = strategies
        .iter()
        .map(|&kind| {
            let strategy = AnyStrategy::build(kind, config(threads, grain)?)
                .map_err(crate::refusal::from_config)?;
            trace_one(&*prepared, kind, strategy, budget)
        })
        .collect::<Result<Vec<_>, Failure>>()?;

    let title = format!(
        "{} (n = {n}), {}, grain {grain}",
        workload.name(),
        plural(threads, "thread")
    );
    outputs.emit(&Lanes {
        machine,
        title,
        n,
        grain,
        traces,
    })
}

/// Every strategy's trace of one workload: its threads' lanes.
struct Lanes {
    machine: Machine,
    title: String,
    n: usize,
    grain: usize,
    traces: Vec<StrategyTrace>,
}

/// How to read the lane tables, printed under them.
const NOTE: &str = "index ranges: runs of consecutive task indices a thread ran (a block, a claim, or a range it stole); busy: time inside tasks; idle at call ends: from a thread's last task of each call to the call's end, summed over calls; \
                    imbalance: the busiest thread's busy time over the mean; tracing cost: traced over untraced time, sampled in rotation [95% interval].";

impl Lanes {
    /// The heading, then each strategy's summary over its lane table drawn
    /// by `draw`, then how to read them: the same for the terminal and for
    /// Markdown.
    fn render(&self, draw: fn(&Table) -> String) -> String {
        let mut text = format!("{}\n\n{}\n\n", measured_on(&self.machine), self.heading());
        for trace in &self.traces {
            let _ = write!(
                text,
                "{}\n\n{}\n",
                summary(trace),
                draw(&lane_table(&trace.timeline))
            );
        }
        let _ = writeln!(text, "{NOTE}");
        text
    }

    fn heading(&self) -> String {
        format!(
            "{}: one verified run per strategy, every task of every outermost call on its thread's lane.",
            self.title
        )
    }
}

impl Emit for Lanes {
    fn text(&self) -> String {
        self.render(Table::to_text)
    }

    fn markdown(&self) -> String {
        self.render(Table::to_markdown)
    }

    fn report(&self) -> Report {
        Report::new("trace", &self.machine, Vec::new())
            .with_detail("n", self.n)
            .with_detail("grain", self.grain)
            .with_detail("traces", &self.traces)
    }

    fn svg(&self) -> Result<Option<String>, Failure> {
        let panels: Vec<(String, Timeline)> = self
            .traces
            .iter()
            .map(|trace| (trace.strategy.clone(), trace.timeline.clone()))
            .collect();
        Ok(Some(timelines_svg(&self.title, &panels)))
    }
}

/// Measures what tracing costs `strategy`, then traces one verified run.
fn trace_one(
    prepared: &dyn Prepared,
    kind: StrategyKind,
    strategy: AnyStrategy,
    budget: crate::Budget,
) -> Result<StrategyTrace, Failure> {
    let threads = ps_strategy::Strategy::threads(&strategy);
    let traced = Traced::new(strategy);
    let log = traced.log();
    let traced = AnyStrategy::wrap(kind, BoxedStrategy::new(traced));
    // The same strategy object on both sides, recording off and on: only
    // the recording differs.
    let timings = measure_rotation(budget, 2, |recording, runs| {
        log.set_recording(recording == 1);
        let time = prepared.sample(&traced, runs);
        let _ = log.take();
        time
    })?;
    log.set_recording(true);
    let _ = log.take();
    prepared.run_once(&traced)?;
    let timeline = Timeline::from_calls(&log.take());
    Ok(StrategyTrace {
        strategy: kind.name().to_owned(),
        threads,
        tracing_cost: Comparison::paired(&timings[0], &timings[1]),
        tasks: timeline.tasks(),
        imbalance: timeline.imbalance(),
        busy_share: timeline.utilisation(),
        timeline,
    })
}

/// `rayon: 412 tasks in 1 call on 2 threads, 3.1 ms; imbalance 1.03, 94% busy; tracing cost 1.01x [0.99-1.02]`.
fn summary(trace: &StrategyTrace) -> String {
    let timeline = &trace.timeline;
    format!(
        "{}: {} in {} on {} (of {}), {}; imbalance {:.2}, {:.0}% busy; tracing cost {}",
        trace.strategy,
        plural(trace.tasks, "task"),
        plural(timeline.calls.len(), "call"),
        plural(timeline.lanes.len(), "thread"),
        trace.threads,
        human(Duration::from_secs_f64(timeline.in_calls_s())),
        trace.imbalance,
        trace.busy_share * 100.0,
        trace.tracing_cost.interval_text()
    )
}

/// One row per lane.
fn lane_table(timeline: &Timeline) -> Table {
    let seconds = |s: f64| human(Duration::from_secs_f64(s));
    Table {
        header: vec![
            "thread",
            "tasks",
            "index ranges",
            "busy",
            "idle at call ends",
        ],
        rows: timeline
            .lanes
            .iter()
            .map(|lane| {
                vec![
                    lane.label.clone(),
                    lane.tasks.to_string(),
                    lane.ranges.to_string(),
                    seconds(lane.busy_s),
                    seconds(lane.idle_at_ends_s),
                ]
            })
            .collect(),
        left_columns: 1,
    }
}
