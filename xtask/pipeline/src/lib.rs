//! `cargo xtask pipeline`: word-count as a multi-stage pipeline with a
//! worker count per stage — where each stage's time goes, and which stage
//! sets the pace.
//!
//! It times its own runs, so like `xtask-timed` it is compiled with full
//! optimisation while `xtask` is not (the workspace's release profile says
//! why). It is a crate of its own, not part of `xtask-timed`, so that the
//! two compile side by side at the end of a fresh build.

use std::time::Duration;

use ps_harness::{
    Budget, Cell, Emit, Failure, Machine, OutputArgs, Outputs, Report, Table, Timing, human,
    measure, measured_on, plural, read_input, require_optimised,
};
use ps_stages::{Role, RunStats, StageStats};
use ps_workloads::Workload;
use ps_workloads::word_count::{DEFAULT_SEED, WordCount, generate, word_count_serial};
use serde_json::json;

mod args;
mod record;
mod staged;

pub use args::PipelineArgs;
pub use record::{BOTTLENECK_KEY, StageRecord};

use staged::{STAGES, Staged, batch_bytes_for};

/// The text a run counts, and where it came from.
struct Input {
    text: String,
    /// `a generated text of N words` or the file's path.
    description: String,
}

/// Every timed run of the pipeline, verified, and the serial reference's
/// timing on the same text.
struct PipelineRuns {
    /// The timed runs, fastest first.
    runs: Vec<RunStats>,
    walls: Timing,
    serial: Timing,
    words: u64,
    distinct_words: usize,
}

impl PipelineRuns {
    /// The run with the median wall time (the upper one of an even count):
    /// its rows are shown, so that they add up within one run.
    fn shown(&self) -> &RunStats {
        &self.runs[self.runs.len() / 2]
    }
}

/// Runs `cargo xtask pipeline`: the staged word count timed as `args` says,
/// its stage table printed and written.
///
/// # Errors
///
/// A failure if an argument is refused, a run is wrong or an output cannot
/// be written.
pub fn pipeline(args: &PipelineArgs) -> Result<(), Failure> {
    require_optimised("pipeline")?;
    let outputs = Outputs::new(&OutputArgs {
        json: args.json.clone(),
        markdown: args.markdown.clone(),
        svg: None,
    })?;
    let machine = Machine::detect();
    let input = input(args)?;
    let runs = args.runs.unwrap_or(if args.quick {
        ps_harness::QUICK_RUNS
    } else {
        ps_harness::DEFAULT_RUNS
    });
    let mut staged = Staged::new(args.workers());
    if let Some(capacity) = args.capacity {
        staged = staged.capacity(capacity);
    }
    let measured = measure_runs(&staged, &input.text, runs)?;

    // Every run has been verified by now: a wrong result returned early.
    outputs.emit(&Pipeline {
        machine,
        args,
        input,
        measured,
    })
}

/// What `pipeline` measured, with what it was asked.
struct Pipeline<'a> {
    machine: Machine,
    args: &'a PipelineArgs,
    input: Input,
    measured: PipelineRuns,
}

impl Pipeline<'_> {
    /// The stage table drawn by `draw` between the summary and the footer;
    /// `gap` goes after the machine's line.
    fn render(&self, draw: fn(&Table) -> String, gap: &str) -> String {
        format!(
            "{}\n{gap}{}\n\n{}\n{}\n\n{}\n",
            measured_on(&self.machine),
            self.summary(),
            draw(&stage_table(self.measured.shown())),
            footer(&self.measured),
            explain()
        )
    }

    fn summary(&self) -> String {
        summary(
            self.args,
            &self.input,
            &self.measured,
            self.machine.logical_cores,
        )
    }
}

impl Emit for Pipeline<'_> {
    fn text(&self) -> String {
        self.render(Table::to_text, "")
    }

    fn markdown(&self) -> String {
        self.render(Table::to_markdown, "\n")
    }

    fn report(&self) -> Report {
        report(&self.machine, self.args, &self.input, &self.measured)
    }
}

fn input(args: &PipelineArgs) -> Result<Input, Failure> {
    if let Some(path) = &args.input {
        return Ok(Input {
            text: read_input(path)?,
            description: path.display().to_string(),
        });
    }
    let sizes = WordCount.sizes();
    let n = args.n.unwrap_or(if args.quick {
        sizes.quick
    } else {
        sizes.default
    });
    Ok(Input {
        text: generate(n, DEFAULT_SEED),
        description: format!("a generated text of {n} words"),
    })
}

/// Times the serial word count, then runs the pipeline once to warm up and
/// `runs` times more, checking every result against the serial one.
fn measure_runs(staged: &Staged, text: &str, runs: usize) -> Result<PipelineRuns, Failure> {
    let reference = word_count_serial(text);
    let fixed = Budget {
        min_runs: runs,
        max_runs: runs,
        target: Duration::ZERO,
        min_sample: Duration::ZERO,
    };
    let serial = measure(fixed, || word_count_serial(text), |_| Ok::<_, Failure>(()))?;
    let workers = describe_workers(staged.workers());
    let mut timed = Vec::with_capacity(runs);
    for run in 0..=runs {
        let (counts, stats) = staged
            .run(text)
            .map_err(|error| Failure::Usage(error.to_string()))?;
        WordCount.verify(&reference, &counts).map_err(|mismatch| {
            Failure::WrongResult(format!(
                "verification failed: the staged word count ({workers}) differs from the serial word count: {mismatch}"
            ))
        })?;
        // Run 0 warms up: caches, the allocator, the threads' stacks.
        if run > 0 {
            timed.push(stats);
        }
    }
    timed.sort_by_key(RunStats::wall);
    Ok(PipelineRuns {
        walls: Timing::from_runs(timed.iter().map(RunStats::wall).collect()),
        runs: timed,
        serial,
        words: reference.iter().map(|(_, count)| count).sum(),
        distinct_words: reference.len(),
    })
}

/// `tokenise=2, count=1`.
fn describe_workers(workers: [usize; STAGES.len()]) -> String {
    STAGES
        .iter()
        .zip(workers)
        .map(|(stage, count)| format!("{stage}={count}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn summary(args: &PipelineArgs, input: &Input, measured: &PipelineRuns, cores: usize) -> String {
    let batch = batch_bytes_for(input.text.len());
    let threads = 2 + args.workers().iter().sum::<usize>();
    let capacity = args.capacity.map_or_else(
        || "the default capacity (2 batches per thread reading a channel)".to_owned(),
        |capacity| format!("capacity {capacity}"),
    );
    format!(
        "Staged word-count of {} ({} bytes, {} words, {} distinct) in {} line batches of about \
         {:.1} KiB; workers {}; {}; {} threads (source, workers, sink) on {}. \
         Every run's result verified against the serial word count.",
        input.description,
        input.text.len(),
        measured.words,
        measured.distinct_words,
        measured.shown().items(),
        batch as f64 / 1024.0,
        describe_workers(args.workers()),
        capacity,
        threads,
        plural(cores, "logical core"),
    )
}

/// The row's name, with what the source and the sink do here.
fn row_name(row: &StageStats) -> String {
    match row.role() {
        Role::Source => "source (line batches)".to_owned(),
        Role::Sink => "sink (merge)".to_owned(),
        Role::Stage => row.name().to_owned(),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A rate per second with a unit prefix, `unit` after it: `8.8 k batches/s`;
/// `-` for an infinite one (a stage that was never busy).
fn per_second(rate: f64, unit: &str) -> String {
    let unit = if unit.is_empty() {
        "/s".to_owned()
    } else {
        format!(" {unit}/s")
    };
    if !rate.is_finite() {
        "-".to_owned()
    } else if rate >= 1e6 {
        format!("{:.2} M{unit}", rate / 1e6)
    } else if rate >= 1e3 {
        format!("{:.1} k{unit}", rate / 1e3)
    } else {
        format!("{rate:.0}{unit}")
    }
}

fn stage_table(stats: &RunStats) -> Table {
    let wall = stats.wall();
    let bottleneck = stats.bottleneck_index();
    Table {
        header: vec![
            "stage",
            "workers",
            "items",
            "busy/worker",
            "capacity",
            "busy",
            "blocked in",
            "blocked out",
            "bottleneck",
        ],
        rows: stats
            .stages()
            .iter()
            .enumerate()
            .map(|(index, row)| {
                vec![
                    row_name(row),
                    row.workers().to_string(),
                    row.items().to_string(),
                    human(row.busy_per_worker()),
                    per_second(row.capacity(), ""),
                    percent(row.share_of(row.busy(), wall)),
                    percent(row.share_of(row.blocked_in(), wall)),
                    percent(row.share_of(row.blocked_out(), wall)),
                    if index == bottleneck { "<- yes" } else { "" }.to_owned(),
                ]
            })
            .collect(),
        left_columns: 1,
    }
}

fn footer(measured: &PipelineRuns) -> String {
    let shown = measured.shown();
    let seconds = shown.wall().as_secs_f64();
    let bottleneck = shown.bottleneck();
    format!(
        "Wall time: median {} (min {}, max {}) over {}; throughput {}, {} \
         (shown: the median run). Serial word count on the same text: median {}. \
         Bottleneck: {}, busy {} of its workers' time.",
        human(measured.walls.median()),
        human(measured.walls.min()),
        human(measured.walls.max()),
        plural(measured.walls.runs(), "run"),
        per_second(shown.throughput(), "batches"),
        per_second(measured.words as f64 / seconds, "words"),
        human(measured.serial.median()),
        row_name(bottleneck),
        percent(bottleneck.share_of(bottleneck.busy(), shown.wall())),
    )
}

fn explain() -> &'static str {
    "Items are line batches. busy, blocked in, blocked out: a stage's share of its threads' \
     time (workers x wall) spent inside its function, waiting for input, and waiting to hand \
     output on (a full channel, or an earlier batch not yet handed on); the rest is channel \
     and clock overhead. busy/worker = busy time / workers; capacity = items / busy/worker, \
     what the stage could pass on if it never waited. The bottleneck is the stage with the \
     largest busy/worker (the lowest capacity): the pipeline goes no faster, and only workers \
     added there raise its throughput."
}

/// The serial word count and the pipeline's wall times as cells; the
/// stage table and the input as details.
fn report(
    machine: &Machine,
    args: &PipelineArgs,
    input: &Input,
    measured: &PipelineRuns,
) -> Report {
    let shown = measured.shown();
    let wall = shown.wall();
    let bottleneck = shown.bottleneck_index();
    let words = measured.words as usize;
    let cell = |strategy: &str, threads: usize, timing: &Timing, speedup: f64| {
        let kernel = WordCount.kernels()[0];
        Cell::new(
            WordCount.name(),
            kernel,
            strategy,
            words,
            threads,
            None,
            timing,
        )
        .with_speedup(speedup)
    };
    let threads: usize = args.workers().iter().sum::<usize>() + 2;
    let speedup = measured.serial.median().as_secs_f64() / measured.walls.median().as_secs_f64();
    let cells = vec![
        cell("serial", 1, &measured.serial, 1.0),
        cell("pipeline-staged", threads, &measured.walls, speedup),
    ];
    let stages: Vec<StageRecord> = shown
        .stages()
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let capacity = row.capacity();
            StageRecord {
                name: row.name().to_owned(),
                role: row.role().name().to_owned(),
                workers: row.workers(),
                items: row.items(),
                batches: row.batches(),
                busy_s: row.busy().as_secs_f64(),
                blocked_in_s: row.blocked_in().as_secs_f64(),
                blocked_out_s: row.blocked_out().as_secs_f64(),
                busy_share: row.share_of(row.busy(), wall),
                blocked_in_share: row.share_of(row.blocked_in(), wall),
                blocked_out_share: row.share_of(row.blocked_out(), wall),
                busy_per_worker_s: row.busy_per_worker().as_secs_f64(),
                capacity_items_per_s: capacity.is_finite().then_some(capacity),
                bottleneck: index == bottleneck,
            }
        })
        .collect();
    let workers: serde_json::Map<String, serde_json::Value> = STAGES
        .iter()
        .zip(args.workers())
        .map(|(&stage, count)| (stage.to_owned(), json!(count)))
        .collect();
    Report::new("pipeline", machine, cells)
        .with_detail("input", &input.description)
        .with_detail("bytes", input.text.len())
        .with_detail("distinct_words", measured.distinct_words)
        .with_detail("batch_bytes", batch_bytes_for(input.text.len()))
        .with_detail("workers", workers)
        .with_detail("capacity", args.capacity)
        .with_detail("shown_run_wall_s", wall.as_secs_f64())
        .with_detail("throughput_items_per_s", shown.throughput())
        .with_detail(
            "throughput_words_per_s",
            measured.words as f64 / wall.as_secs_f64(),
        )
        .with_detail(BOTTLENECK_KEY, shown.stages()[bottleneck].name())
        .with_detail(StageRecord::KEY, stages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_well() {
        assert_eq!(per_second(2_345_678.0, ""), "2.35 M/s");
        assert_eq!(per_second(12_340.0, "words"), "12.3 k words/s");
        assert_eq!(per_second(999.4, "batches"), "999 batches/s");
        assert_eq!(per_second(f64::INFINITY, ""), "-");
    }

    #[test]
    fn workers_are_named_by_stage() {
        assert_eq!(describe_workers([2, 1]), "tokenise=2, count=1");
    }

    #[test]
    fn the_table_marks_the_bottleneck() {
        let (_, stats) = Staged::new([1, 1])
            .run(&generate(5_000, 1))
            .expect("a valid configuration");
        let table = stage_table(&stats);
        assert_eq!(table.rows.len(), 4);
        assert_eq!(table.rows[0][0], "source (line batches)");
        assert_eq!(table.rows[3][0], "sink (merge)");
        let marked: Vec<_> = table.rows.iter().filter(|row| row[8] == "<- yes").collect();
        assert_eq!(marked.len(), 1);
    }
}
