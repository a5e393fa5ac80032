//! What the [`Strategy`] trait costs: each strategy through the trait against
//! the same strategy written by hand.
//!
//! Two workloads, each in its own criterion group:
//!
//! - `abstraction/squares-1000000` and `abstraction/squares-100000`
//!   (`Strategy::map`): cheap elements, so any per-element overhead of the
//!   trait's `map` (the writes into the output's spare capacity through
//!   `DisjointChunks`) shows up. At a million elements a call reads and
//!   writes 16 MB, half the last-level cache, and its time depends by up to
//!   ±25% on where the output buffer happens to lie in physical memory and on
//!   what other processes do to the shared cache: that comes and goes
//!   *between processes and allocations*, not between hand and trait. The
//!   100 000 size (1.6 MB, resident in L2) is the steadier comparison;
//! - `abstraction/primes-300000` (`Strategy::map_reduce`): costly elements,
//!   where only per-call overhead could show.
//!
//! In each group three pairs are measured, `hand/X` against `trait/X`:
//!
//! - `rayon`: rayon's `par_iter().with_min_len(grain).map().collect()` (squares)
//!   or `par_chunks(grain)` folded and summed (primes), against `RayonPool`,
//!   both on the `RayonPool`'s own threads (`thread_pool()`): with two pools
//!   on the same cores, the one that ran last would still be spinning
//!   while the other worked;
//! - `threads-static`: `std::thread::scope` over one contiguous block per
//!   thread, writing into `chunks_mut` of the output, against `StaticBlocks`;
//! - `serial`: the workloads crate's plain loops (`squares_serial`,
//!   `primes_serial`) against `Serial`.
//!
//! Each pair is measured twice: `X` calls the strategy's own type, so the
//! workload is compiled for it; `X-boxed` calls it as the harness does, boxed
//! as a `BoxedStrategy` (one dynamic call per task) — the cost of measuring
//! any strategy, a reader's own included, by name at run time.
//!
//! The hand-written versions live in `benches::hand`, whose unit tests check
//! them against the trait; every pair is also compared once here, before
//! timing. **What to look for:** `trait/X` within about 3% of `hand/X` (the
//! trait's promise of a zero-cost abstraction).
//!
//! Criterion measures the two halves of a pair seconds apart, and on a shared
//! machine load that comes and goes between them reads as a difference of
//! 10% or more. So after criterion, each pair is timed once more *paired*
//! (`benches::paired`): hand and trait called alternately for as long as
//! `--measurement-time`, each trait call compared with the hand call beside
//! it. One line per pair gives the median ratio, its range over five blocks
//! of pairs, and the verdict: the trait at most 3% slower in every block,
//! more than 3% slower in every block, or unclear:
//!
//! ```text
//! paired abstraction/squares-100000/rayon: hand 30.51 µs, trait 30.86 µs, trait/hand 1.012 (blocks 0.995–1.020), trait at most 3% slower, 24816 pairs
//! ```
//!
//! A positional filter selects paired lines by substring, as criterion's
//! selects benchmarks.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

use std::sync::Arc;

use benches::shared::Shared;
use benches::{hand, paired, threads};
use ps_rayon::RayonPool;
use ps_serial::Serial;
use ps_strategy::BoxedStrategy;
use ps_threads::StaticBlocks;
use ps_workloads::{Workload, primes, squares};

const SQUARES_N: usize = 1_000_000;
/// A size whose input and output (800 KB each) stay in a core's L2 cache.
const SQUARES_SMALL_N: usize = 100_000;
const PRIMES_N: usize = 300_000;
/// Criterion's time per benchmark unless `--measurement-time` says otherwise;
/// the paired measurement of each pair lasts as long.
const MEASUREMENT_TIME: Duration = Duration::from_secs(3);

/// One pair: the same function, by hand and through the trait, measured by
/// criterion and then paired.
fn pair<T: PartialEq + std::fmt::Debug>(
    (group, group_name): (&mut BenchmarkGroup<'_, WallTime>, &str),
    name: &str,
    hand: impl Fn() -> T,
    through_trait: impl Fn() -> T,
) {
    assert_eq!(
        hand(),
        through_trait(),
        "{name}: hand-written and trait differ"
    );
    group.bench_function(format!("hand/{name}"), |b| b.iter(&hand));
    group.bench_function(format!("trait/{name}"), |b| b.iter(&through_trait));

    let id = format!("{group_name}/{name}");
    let settings = PairedSettings::from_args();
    if settings
        .filter
        .as_ref()
        .is_some_and(|filter| !id.contains(filter.as_str()))
    {
        return;
    }
    let Some(budget) = settings.budget else {
        // Criterion is only testing (`cargo test --benches`, maybe a debug
        // build): run the paired code once, time nothing.
        paired::measure(Duration::ZERO, 1, &hand, &through_trait);
        println!("paired {id}: Success");
        return;
    };
    let paired = paired::measure(budget, PAIRED_MIN_PAIRS, &hand, &through_trait);
    let (lowest, highest) = paired.block_range;
    println!(
        "paired {id}: hand {}, trait {}, trait/hand {:.3} (blocks {lowest:.3}–{highest:.3}), {}, {} pairs",
        micros(paired.hand),
        micros(paired.through_trait),
        paired.ratio,
        paired.verdict(),
        paired.pairs
    );
}

/// Pairs timed at least, however short the budget: enough for each of the
/// blocks to have a median of its own.
const PAIRED_MIN_PAIRS: usize = 5 * paired::BLOCKS;

/// What the command line asks of the paired measurement.
struct PairedSettings {
    /// As long as criterion measures one benchmark (`--measurement-time`);
    /// `None` when criterion only tests (`cargo test --benches`).
    budget: Option<Duration>,
    /// Criterion's positional filter, matched as a substring.
    filter: Option<String>,
}

impl PairedSettings {
    fn from_args() -> PairedSettings {
        // Criterion's options that take a value, so that the value is not
        // mistaken for the filter.
        const WITH_VALUE: &[&str] = &[
            "--baseline",
            "--baseline-lenient",
            "--color",
            "--confidence-level",
            "--format",
            "--load-baseline",
            "--measurement-time",
            "--noise-threshold",
            "--nresamples",
            "--output-format",
            "--plotting-backend",
            "--profile-time",
            "--sample-size",
            "--save-baseline",
            "--significance-level",
            "--warm-up-time",
        ];
        let args: Vec<String> = std::env::args().skip(1).collect();
        let benching = args.iter().any(|arg| arg == "--bench");
        let mut budget = MEASUREMENT_TIME;
        let mut filter = None;
        let mut words = args.iter();
        while let Some(word) = words.next() {
            if WITH_VALUE.contains(&word.as_str()) {
                let value = words.next();
                if word == "--measurement-time" {
                    if let Some(seconds) = value.and_then(|v| v.parse::<f64>().ok()) {
                        budget = Duration::from_secs_f64(seconds);
                    }
                }
            } else if !word.starts_with('-') {
                filter = Some(word.clone());
            }
        }
        PairedSettings {
            budget: benching.then_some(budget),
            filter,
        }
    }
}

fn micros(time: Duration) -> String {
    format!("{:.2} µs", time.as_secs_f64() * 1e6)
}

fn squares_group(c: &mut Criterion, n: usize) {
    let threads = threads();
    let grain = squares::Squares.grain(n);
    let input = squares::input(n);
    let rayon = Arc::new(RayonPool::new(threads, grain).expect("a rayon pool"));
    // The hand-written version runs on the strategy's own threads: two pools
    // would take turns spinning on the same cores.
    let pool = rayon.thread_pool();
    let blocks = StaticBlocks::new(threads).expect("threads >= 1");
    let boxed_rayon = BoxedStrategy::new(Shared(Arc::clone(&rayon)));
    let boxed_blocks = BoxedStrategy::new(StaticBlocks::new(threads).expect("threads >= 1"));
    let boxed_serial = BoxedStrategy::new(Serial);

    let group_name = format!("abstraction/squares-{n}");
    let mut group = c.benchmark_group(&group_name);
    group.throughput(Throughput::Elements(n as u64));
    let input = &input[..];
    pair(
        (&mut group, &group_name),
        "rayon",
        || hand::rayon_squares(pool, black_box(input), grain),
        || squares::squares(&*rayon, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "threads-static",
        || hand::scoped_squares(threads, black_box(input)),
        || squares::squares(&blocks, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "serial",
        || squares::squares_serial(black_box(input)),
        || squares::squares(&Serial, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "rayon-boxed",
        || hand::rayon_squares(pool, black_box(input), grain),
        || squares::squares(&boxed_rayon, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "threads-static-boxed",
        || hand::scoped_squares(threads, black_box(input)),
        || squares::squares(&boxed_blocks, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "serial-boxed",
        || squares::squares_serial(black_box(input)),
        || squares::squares(&boxed_serial, black_box(input)),
    );
    group.finish();
}

fn squares_large(c: &mut Criterion) {
    squares_group(c, SQUARES_N);
}

fn squares_small(c: &mut Criterion) {
    squares_group(c, SQUARES_SMALL_N);
}

fn primes_group(c: &mut Criterion) {
    let threads = threads();
    let grain = primes::Primes.grain(PRIMES_N);
    let input = primes::input(PRIMES_N);
    let rayon = Arc::new(RayonPool::new(threads, grain).expect("a rayon pool"));
    // The hand-written version runs on the strategy's own threads: two pools
    // would take turns spinning on the same cores.
    let pool = rayon.thread_pool();
    let blocks = StaticBlocks::new(threads).expect("threads >= 1");
    let boxed_rayon = BoxedStrategy::new(Shared(Arc::clone(&rayon)));
    let boxed_blocks = BoxedStrategy::new(StaticBlocks::new(threads).expect("threads >= 1"));
    let boxed_serial = BoxedStrategy::new(Serial);

    let group_name = format!("abstraction/primes-{PRIMES_N}");
    let mut group = c.benchmark_group(&group_name);
    group.throughput(Throughput::Elements(PRIMES_N as u64));
    let input = &input[..];
    pair(
        (&mut group, &group_name),
        "rayon",
        || hand::rayon_primes(pool, black_box(input), grain),
        || primes::primes(&*rayon, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "threads-static",
        || hand::scoped_primes(threads, black_box(input)),
        || primes::primes(&blocks, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "serial",
        || primes::primes_serial(black_box(input)),
        || primes::primes(&Serial, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "rayon-boxed",
        || hand::rayon_primes(pool, black_box(input), grain),
        || primes::primes(&boxed_rayon, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "threads-static-boxed",
        || hand::scoped_primes(threads, black_box(input)),
        || primes::primes(&boxed_blocks, black_box(input)),
    );
    pair(
        (&mut group, &group_name),
        "serial-boxed",
        || primes::primes_serial(black_box(input)),
        || primes::primes(&boxed_serial, black_box(input)),
    );
    group.finish();
}

criterion_group! {
    name = abstraction;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(MEASUREMENT_TIME);
    targets = squares_large, squares_small, primes_group
}
criterion_main!(abstraction);
