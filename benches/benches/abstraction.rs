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
//!   or `par_chunks(grain)` folded and summed (primes), inside a pool of
//!   its own with the same thread count, against `RayonPool`;
//! - `threads-static`: `std::thread::scope` over one contiguous block per
//!   thread, writing into `chunks_mut` of the output, against `StaticBlocks`;
//! - `serial`: the workloads crate's plain loops (`squares_serial`,
//!   `primes_serial`) against `Serial`.
//!
//! The hand-written versions live in `benches::hand`, whose unit tests check
//! them against the trait; every pair is also compared once here, before
//! timing. **What to look for:** `trait/X` within about 3% of `hand/X` (the
//! trait's promise of a zero-cost abstraction). Run it at least twice on a
//! busy machine: pairs are measured one after the other, so load that comes
//! and goes between them reads as a difference.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

use benches::{hand, threads};
use ps_rayon::RayonPool;
use ps_serial::Serial;
use ps_threads::StaticBlocks;
use ps_workloads::{Workload, primes, squares};

const SQUARES_N: usize = 1_000_000;
/// A size whose input and output (800 KB each) stay in a core's L2 cache.
const SQUARES_SMALL_N: usize = 100_000;
const PRIMES_N: usize = 300_000;

/// One pair: the same function, by hand and through the trait.
fn pair<T: PartialEq + std::fmt::Debug>(
    group: &mut BenchmarkGroup<'_, WallTime>,
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
}

fn hand_pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|index| format!("hand-rayon-{index}"))
        .build()
        .expect("a rayon pool for the hand-written baseline")
}

fn squares_group(c: &mut Criterion, n: usize) {
    let threads = threads();
    let grain = squares::Squares.grain(n);
    let input = squares::input(n);
    let pool = hand_pool(threads);
    let rayon = RayonPool::new(threads, grain).expect("a rayon pool");
    let blocks = StaticBlocks::new(threads).expect("threads >= 1");

    let mut group = c.benchmark_group(format!("abstraction/squares-{n}"));
    group.throughput(Throughput::Elements(n as u64));
    let input = &input[..];
    pair(
        &mut group,
        "rayon",
        || hand::rayon_squares(&pool, black_box(input), grain),
        || squares::squares(&rayon, black_box(input)),
    );
    pair(
        &mut group,
        "threads-static",
        || hand::scoped_squares(threads, black_box(input)),
        || squares::squares(&blocks, black_box(input)),
    );
    pair(
        &mut group,
        "serial",
        || squares::squares_serial(black_box(input)),
        || squares::squares(&Serial, black_box(input)),
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
    let pool = hand_pool(threads);
    let rayon = RayonPool::new(threads, grain).expect("a rayon pool");
    let blocks = StaticBlocks::new(threads).expect("threads >= 1");

    let mut group = c.benchmark_group(format!("abstraction/primes-{PRIMES_N}"));
    group.throughput(Throughput::Elements(PRIMES_N as u64));
    let input = &input[..];
    pair(
        &mut group,
        "rayon",
        || hand::rayon_primes(&pool, black_box(input), grain),
        || primes::primes(&rayon, black_box(input)),
    );
    pair(
        &mut group,
        "threads-static",
        || hand::scoped_primes(threads, black_box(input)),
        || primes::primes(&blocks, black_box(input)),
    );
    pair(
        &mut group,
        "serial",
        || primes::primes_serial(black_box(input)),
        || primes::primes(&Serial, black_box(input)),
    );
    group.finish();
}

criterion_group! {
    name = abstraction;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = squares_large, squares_small, primes_group
}
criterion_main!(abstraction);
