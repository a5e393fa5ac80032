//! Four ways for several threads to sum one range, `0..2^24`, into one total.
//!
//! Every variant splits the range into one contiguous block per thread
//! (all cores, at least 2), adds every number of its block, and asserts the
//! known answer `n(n-1)/2`, so none can silently measure a wrong program:
//!
//! - `shared-mutex`: every addition locks one `Mutex<u64>`;
//! - `shared-atomic`: every addition is a `fetch_add` on one `AtomicU64`;
//! - `per-thread-locals`: each thread adds into a local variable and the
//!   locals are combined once at the end — the pattern to use;
//! - `per-thread-adjacent`: each thread `fetch_add`s into its *own* slot, but
//!   the slots are neighbours in one cache line (false sharing);
//! - `per-thread-padded`: the same, with every slot on a cache line of its
//!   own.
//!
//! **What to look for:** the three atomic variants run the same instruction
//! per element and differ only in where the counters lie. `adjacent` is
//! nearly as slow as `shared-atomic` although no two threads touch the same
//! counter: the cache line, not the variable, is what cores fight over.
//! `padded` removes the fight and leaves the cost of an uncontended atomic
//! (a few ns per element); the locals leave only the addition. The mutex is
//! the slowest of all. Compare each with `per-thread-locals`.

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

const N: u64 = 1 << 24;
const EXPECTED: u64 = N * (N - 1) / 2;
/// The most slots [`Line`] holds: eight `u64` fill a 64-byte line.
const MAX_THREADS: usize = 8;

/// Counters in adjacent memory, all in one 64-byte cache line.
#[repr(align(64))]
struct Line([AtomicU64; MAX_THREADS]);

/// A counter alone on its cache line, and on the line next to it.
///
/// 128 bytes, not 64: x86 cores from Intel's Sandy Bridge on have an
/// adjacent-line (spatial) prefetcher that fetches 64-byte lines in aligned
/// pairs, so two counters 64 bytes apart can still interfere; several Arm
/// cores (Apple's M-series) have 128-byte lines outright. crossbeam's
/// `CachePadded` uses 128 on `x86_64` and `aarch64` for the same reasons.
#[repr(align(128))]
struct Padded(AtomicU64);

/// One way of summing `0..N` on that many threads.
type Variant = fn(usize) -> u64;

fn threads() -> usize {
    benches::threads().clamp(2, MAX_THREADS)
}

/// Calls `body(thread, block)` for one contiguous block of `0..N` per thread,
/// on scoped threads, and returns the results in block order.
fn per_block<R: Send>(
    threads: usize,
    body: impl Fn(usize, std::ops::Range<u64>) -> R + Sync,
) -> Vec<R> {
    let block = N.div_ceil(threads as u64);
    thread::scope(|scope| {
        let body = &body;
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let start = t as u64 * block;
                let range = start..(start + block).min(N);
                scope.spawn(move || body(t, range))
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a summing thread panicked"))
            .collect()
    })
}

fn shared_mutex(threads: usize) -> u64 {
    let total = Mutex::new(0_u64);
    per_block(threads, |_, range| {
        for i in range {
            *total.lock().expect("not poisoned") += i;
        }
    });
    total.into_inner().expect("not poisoned")
}

fn shared_atomic(threads: usize) -> u64 {
    let total = AtomicU64::new(0);
    per_block(threads, |_, range| {
        for i in range {
            total.fetch_add(i, Ordering::Relaxed);
        }
    });
    total.into_inner()
}

fn per_thread_locals(threads: usize) -> u64 {
    per_block(threads, |_, range| {
        let mut local = 0_u64;
        for i in range {
            // Without `black_box` LLVM replaces the loop with the closed form
            // and the variant would measure nothing; with it, each element
            // costs one addition, as in the other variants.
            local += black_box(i);
        }
        local
    })
    .into_iter()
    .sum()
}

fn per_thread_adjacent(threads: usize) -> u64 {
    let slots = Line(std::array::from_fn(|_| AtomicU64::new(0)));
    per_block(threads, |t, range| {
        let slot = &slots.0[t];
        for i in range {
            slot.fetch_add(i, Ordering::Relaxed);
        }
    });
    slots
        .0
        .iter()
        .map(|slot| slot.load(Ordering::Relaxed))
        .sum()
}

fn per_thread_padded(threads: usize) -> u64 {
    let slots: Vec<Padded> = (0..threads).map(|_| Padded(AtomicU64::new(0))).collect();
    per_block(threads, |t, range| {
        let slot = &slots[t].0;
        for i in range {
            slot.fetch_add(i, Ordering::Relaxed);
        }
    });
    slots
        .iter()
        .map(|slot| slot.0.load(Ordering::Relaxed))
        .sum()
}

fn data_sharing(c: &mut Criterion) {
    let threads = threads();
    let mut group = c.benchmark_group(format!("data-sharing/sum-2^24-{threads}t"));
    group
        .throughput(Throughput::Elements(N))
        // An iteration of the mutex variant takes about a second: ten
        // samples of one iteration each, not criterion's growing counts.
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10);
    let variants: [(&str, Variant); 5] = [
        ("shared-mutex", shared_mutex),
        ("shared-atomic", shared_atomic),
        ("per-thread-locals", per_thread_locals),
        ("per-thread-adjacent", per_thread_adjacent),
        ("per-thread-padded", per_thread_padded),
    ];
    for (name, variant) in variants {
        group.bench_function(name, |b| {
            b.iter(|| {
                let sum = variant(black_box(threads));
                assert_eq!(sum, EXPECTED, "{name} computed a wrong sum");
                sum
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = data_sharing
}
criterion_main!(benches);
