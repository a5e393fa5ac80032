//! What `advise` times, in three phases, each reusing the command that owns
//! the measurement:
//!
//! 1. **The decision**: `compare` at the advised size, every strategy
//!    against serial in rotation ([`crate::compare::measure`]), which also
//!    measures the memory ceilings for a memory-bound workload.
//! 2. **The cost per call**: every strategy and serial in one rotation at
//!    the smallest valid size with an element for every thread, cut with
//!    grain 1, so that every strategy really starts its threads (at one
//!    element most of them run it inline and cost nothing). A call there
//!    does next to no work, so its time beyond serial's work split evenly
//!    over the threads is the strategy's own overhead; subtracting the
//!    split rather than all of serial's time keeps the figure honest for a
//!    job whose elements are slow, such as one that waits.
//! 3. **The crossover**: `sweep`'s search ([`find_crossover`] over
//!    [`SerialCache::race`]) for the recommended strategy and those that tie
//!    with it, on a coarser ladder than `sweep`'s so that it stays cheap.
//!
//! Every run of every phase is verified against the serial reference, as
//! everywhere in the harness.

use ps_catalog::StrategyKind;

use crate::Failure;
use crate::cli::{AdviseArgs, CompareArgs};
use crate::compare::{Compared, ComparedCell};
use crate::fit::{Crossover, find_crossover, geometric_ladder};
use crate::machine::Machine;
use crate::measure::Budget;
use crate::record::Cell;
use crate::registry::{Entry, Registry};
use crate::sweep::SerialCache;
use crate::table::plural;
use crate::timed::{Contender, against_serial, budget, config, time_rotation, with_baseline};
use crate::verdict::Verdict;

use super::advice::{Advice, Cap, Overhead, Recommendation, SizePoint, SizeSearch, Versus};

/// The smallest size of the crossover ladder, as in `sweep`.
const LADDER_START: usize = 64;

/// What the three phases measured.
pub(super) struct Measurement {
    /// Where.
    pub(super) machine: Machine,
    /// The numbers, for the sentences and the JSON.
    pub(super) advice: Advice,
    /// The cells of phase 1, serial first, for the report.
    pub(super) cells: Vec<Cell>,
}

/// Runs the three phases on `workload` (already found in `registry`).
///
/// # Errors
///
/// [`Failure::Usage`] for a bad size, kernel or thread count,
/// [`Failure::WrongResult`] for a wrong result or a panic, and
/// [`Failure::Refused`] for threads the system will not start.
pub(super) fn measure(
    args: &AdviseArgs,
    workload: &dyn Entry,
    registry: &Registry,
) -> Result<Measurement, Failure> {
    let study = &args.study;
    let kernel = study.kernel_of(workload)?;
    let n = study.n_of(workload)?;
    let strategies = study.strategies(registry)?;
    if strategies.is_empty() {
        return Err(Failure::Usage(
            "advise weighs parallel strategies against serial: name at least one besides serial"
                .to_owned(),
        ));
    }
    eprintln!(
        "advise 1/3: serial and {} at n = {n}, in rotation",
        plural(strategies.len(), "strategy")
    );
    let compare_args = CompareArgs {
        workloads: vec![workload.name().to_owned()],
        strategies: strategies
            .iter()
            .map(|kind| kind.name().to_owned())
            .collect(),
        threads: args.threads,
        kernels: vec![kernel.to_owned()],
        quick: study.quick,
        n: Some(n),
        runs: study.runs,
        ..CompareArgs::default()
    };
    let compared = crate::compare::measure(&compare_args, registry)?;
    let threads = compared.threads;
    let budget = budget(study.quick, study.runs);
    let serial = &compared.cells[0];
    let mut advice = Advice {
        workload: workload.name().to_owned(),
        kernel: kernel.to_owned(),
        n,
        threads,
        cores: compared.machine.logical_cores,
        quick: study.quick,
        runs: serial.timing.runs(),
        serial_median_s: serial.timing.median().as_secs_f64(),
        strategies: compared.cells[1..].iter().filter_map(versus).collect(),
        per_call_n: 0,
        per_call_serial_s: 0.0,
        overheads: Vec::new(),
        crossovers: Vec::new(),
        memory: memory_cap(workload, n, &compared),
        waits: workload.waits(),
    };

    let small = workload.nearest_valid_n(threads).min(n);
    eprintln!("advise 2/3: the cost of one call, every strategy at n = {small}");
    let (serial_s, overheads) = per_call(workload, kernel, small, threads, &strategies, budget)?;
    (
        advice.per_call_n,
        advice.per_call_serial_s,
        advice.overheads,
    ) = (small, serial_s, overheads);

    let searched = to_search(&advice, &strategies);
    if !searched.is_empty() {
        let names: Vec<&str> = searched.iter().map(|kind| kind.name()).collect();
        eprintln!(
            "advise 3/3: the size below which parallel loses, for {}",
            names.join(", ")
        );
    }
    let setup = Ladder {
        workload,
        threads,
        n,
        quick: study.quick,
    };
    let mut cache = SerialCache::new(workload, kernel, threads, budget);
    for kind in searched {
        let at_n = compared
            .cells
            .iter()
            .find(|cell| cell.strategy == kind)
            .expect("every searched strategy was compared");
        advice
            .crossovers
            .push(search(&setup, at_n, serial, &mut cache)?);
    }
    Ok(Measurement {
        machine: compared.machine.clone(),
        cells: compared.shown().iter().map(|cell| cell.to_cell()).collect(),
        advice,
    })
}

/// A compared cell as a strategy against serial; `None` for serial.
fn versus(cell: &ComparedCell) -> Option<Versus> {
    Some(Versus {
        strategy: cell.strategy.name().to_owned(),
        grain: cell.grain,
        median_s: cell.timing.median().as_secs_f64(),
        vs_serial: cell.vs_serial?,
    })
}

/// For a memory-bound workload: the speedup its bytes allow at the
/// ceiling measured on all the threads.
fn memory_cap(workload: &dyn Entry, n: usize, compared: &Compared) -> Option<Cap> {
    let traffic = workload.memory_traffic(n)?;
    let ceilings = compared.ceilings.as_ref()?;
    let gb_per_s = ceilings.bound(traffic, ceilings.threads);
    let floor_s = traffic.total() as f64 / (gb_per_s * 1e9);
    Some(Cap {
        bytes: traffic.total(),
        ceiling: if traffic.written > 0 { "copy" } else { "read" }.to_owned(),
        gb_per_s,
        threads: ceilings.threads,
        floor_s,
        speedup: compared.cells[0].timing.median().as_secs_f64() / floor_s,
    })
}

/// Serial's median at size `small`, and each strategy's time beyond
/// serial's split evenly over its threads, all timed in one rotation with
/// grain 1.
fn per_call(
    workload: &dyn Entry,
    kernel: &str,
    small: usize,
    threads: usize,
    strategies: &[StrategyKind],
    budget: Budget,
) -> Result<(f64, Vec<Overhead>), Failure> {
    let prepared = workload.prepare_kernel(small, kernel)?;
    let config = config(threads, 1)?;
    let contenders: Vec<Contender<'_>> = with_baseline(strategies)
        .into_iter()
        .map(|kind| Contender {
            prepared: &*prepared,
            kind,
            config,
        })
        .collect();
    let measured = time_rotation(&contenders, budget)?;
    let serial_s = measured[0].timing.median().as_secs_f64();
    let overheads = contenders[1..]
        .iter()
        .zip(&measured[1..])
        .map(|(contender, measured)| {
            let median_s = measured.timing.median().as_secs_f64();
            let split = measured.threads.clamp(1, small.max(1));
            Overhead {
                strategy: contender.kind.name().to_owned(),
                median_s,
                overhead_s: median_s - serial_s / split as f64,
            }
        })
        .collect();
    Ok((serial_s, overheads))
}

/// The recommended strategy and the ties that were also clearly faster:
/// the ones whose crossover means something.
fn to_search(advice: &Advice, strategies: &[StrategyKind]) -> Vec<StrategyKind> {
    let Recommendation::Use { best, ties } = advice.recommendation() else {
        return Vec::new();
    };
    std::iter::once(best)
        .chain(
            ties.into_iter()
                .filter(|tie| tie.vs_serial.verdict == Verdict::Faster),
        )
        .filter_map(|chosen| {
            strategies
                .iter()
                .copied()
                .find(|kind| kind.name() == chosen.strategy)
        })
        .collect()
}

/// What every crossover search shares.
struct Ladder<'a> {
    workload: &'a dyn Entry,
    threads: usize,
    n: usize,
    quick: bool,
}

/// Walks `at_n`'s strategy up a geometric ladder to the advised size. At
/// that size the comparison from phase 1 answers, so the two cannot
/// disagree; below it the grain is capped so every thread gets a chunk, as
/// in `sweep`.
fn search(
    ladder: &Ladder<'_>,
    at_n: &ComparedCell,
    serial_at_n: &ComparedCell,
    cache: &mut SerialCache<'_>,
) -> Result<SizeSearch, Failure> {
    let snap = |m| ladder.workload.nearest_valid_n(m);
    let sizes = geometric_ladder(
        LADDER_START,
        ladder.n,
        if ladder.quick { 8 } else { 4 },
        snap,
    );
    let mut points = Vec::new();
    let refine_steps = if ladder.quick { 1 } else { 3 };
    let crossover = find_crossover(&sizes, refine_steps, snap, |m| {
        let (serial_s, strategy_s, faster) = if m == ladder.n {
            let faster = at_n.vs_serial.is_some_and(|c| c.verdict == Verdict::Faster);
            (serial_at_n.timing.median(), at_n.timing.median(), faster)
        } else {
            let grain = at_n.grain.map(|g| g.min(m.div_ceil(ladder.threads)).max(1));
            let (serial, timing) = cache.race(at_n.strategy, m, grain)?;
            let faster = against_serial(&serial, &timing).verdict == Verdict::Faster;
            (serial.median(), timing.median(), faster)
        };
        points.push(SizePoint {
            n: m,
            serial_s: serial_s.as_secs_f64(),
            strategy_s: strategy_s.as_secs_f64(),
            faster,
        });
        Ok::<bool, Failure>(faster)
    })?;
    points.sort_by_key(|point| point.n);
    Ok(SizeSearch {
        strategy: at_n.strategy.name().to_owned(),
        smallest: sizes[0],
        largest: ladder.n,
        n_star: crossover.n(),
        at_or_below: matches!(crossover, Crossover::AtOrBelow(_)),
        points,
    })
}
