//! What the building blocks of every strategy cost, per operation.
//!
//! Each benchmark's time is the cost of **one** operation (criterion's
//! "time" column, in ns):
//!
//! - `spawn-join/scoped-thread`: `std::thread::scope` with one spawned,
//!   empty thread, joined — what `StaticBlocks` and `Dynamic` pay per
//!   thread per call;
//! - `channel/sync_channel-round-trip`: a value sent over a
//!   `sync_channel(1)` to a second thread and sent back over another — two
//!   hand-offs and usually two wake-ups, what the pipeline pays per chunk;
//! - `rayon/join-in-pool`: `rayon::join` of two empty closures on a worker of
//!   a 2+-thread pool (the cost of one split, usually not stolen), and
//!   `rayon/install-from-outside`: entering that pool from the calling
//!   thread, what `RayonPool` pays once per call;
//! - `atomic/…` and `mutex/…`: a `fetch_add(1, Relaxed)` on an `AtomicU64`
//!   and a lock-increment-unlock of a `Mutex<u64>`, first on one thread
//!   (`uncontended`), then with every thread hammering the same one
//!   (`contended-Nt`).
//!
//! The contended benchmarks use `iter_custom`: each of the N threads does
//! the iteration count criterion asks for, timing itself from a common start
//! (a barrier, so thread start-up is not counted) to its last operation; the
//! reported time is the slowest thread's divided by the count, which is the
//! latency one operation has *as seen by one thread* while the others fight
//! over the same cache line — directly comparable with `uncontended`. The
//! throughput column (N elements per iteration) gives the total operations
//! per second of all threads together. Afterwards the counter is checked
//! against N × iterations, so a lost update would fail the run.
//!
//! **What to look for:** a thread spawn is tens of µs and a channel round trip
//! several µs, against a few ns for an uncontended atomic and tens of ns for
//! a join: the reason work must come in chunks of many elements. Contention
//! at least doubles the cost of an atomic or a lock, as the cache line
//! travels between cores (about 5 → 9 ns on a two-core VM; tens of ns across
//! the sockets or chiplets of a large machine). On a machine with other load the contended and
//! channel numbers are the noisiest: a descheduled thread stalls the others.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The thread count of the contended benchmarks: every core, and at least 2
/// so there is contention at all.
fn contenders() -> usize {
    benches::threads().max(2)
}

fn spawn_join(c: &mut Criterion) {
    let mut group = c.benchmark_group("overheads/spawn-join");
    group.throughput(Throughput::Elements(1));
    group.bench_function("scoped-thread", |b| {
        b.iter(|| {
            thread::scope(|scope| {
                scope.spawn(|| black_box(1_u64));
            });
        });
    });
    group.finish();
}

fn channel_round_trip(c: &mut Criterion) {
    let mut group = c.benchmark_group("overheads/channel");
    group.throughput(Throughput::Elements(1));
    let (to_echo, requests) = mpsc::sync_channel::<u64>(1);
    let (to_caller, replies) = mpsc::sync_channel::<u64>(1);
    thread::scope(|scope| {
        // The echo thread lives as long as the benchmark; it ends when
        // `to_echo` is dropped below.
        scope.spawn(move || {
            for value in requests {
                if to_caller.send(value + 1).is_err() {
                    break;
                }
            }
        });
        group.bench_function("sync_channel-round-trip", |b| {
            b.iter(|| {
                to_echo
                    .send(black_box(1))
                    .expect("the echo thread is alive");
                replies.recv().expect("the echo thread answers")
            });
        });
        drop(to_echo);
    });
    group.finish();
}

fn rayon_join(c: &mut Criterion) {
    let mut group = c.benchmark_group("overheads/rayon");
    group.throughput(Throughput::Elements(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(contenders())
        .build()
        .expect("a rayon pool");
    group.bench_function("join-in-pool", |b| {
        // `b.iter` runs on one of the pool's workers, so every `join` is the
        // in-pool fast path: push one closure, run the other, pop it back
        // (or wait for the thief that took it).
        pool.install(|| {
            b.iter(|| rayon::join(|| black_box(1_u64), || black_box(2_u64)));
        });
    });
    group.bench_function("install-from-outside", |b| {
        b.iter(|| pool.install(|| black_box(1_u64)));
    });
    group.finish();
}

/// Runs `op` `iters` times on each of `threads` threads at once and returns
/// the slowest thread's time, measured from a common start.
fn contended(iters: u64, threads: usize, op: impl Fn() + Sync) -> Duration {
    let start = Barrier::new(threads);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    let began = Instant::now();
                    for _ in 0..iters {
                        op();
                    }
                    began.elapsed()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a contending thread panicked"))
            .max()
            .unwrap_or_default()
    })
}

fn atomics(c: &mut Criterion) {
    let mut group = c.benchmark_group("overheads/atomic");
    group.throughput(Throughput::Elements(1));
    let counter = AtomicU64::new(0);
    group.bench_function("fetch_add-uncontended", |b| {
        b.iter(|| black_box(&counter).fetch_add(1, Ordering::Relaxed));
    });
    let threads = contenders();
    group.throughput(Throughput::Elements(threads as u64));
    group.bench_function(format!("fetch_add-contended-{threads}t"), |b| {
        b.iter_custom(|iters| {
            let counter = AtomicU64::new(0);
            let time = contended(iters, threads, || {
                black_box(&counter).fetch_add(1, Ordering::Relaxed);
            });
            assert_eq!(counter.into_inner(), iters * threads as u64);
            time
        });
    });
    group.finish();
}

fn mutexes(c: &mut Criterion) {
    let mut group = c.benchmark_group("overheads/mutex");
    group.throughput(Throughput::Elements(1));
    let counter = Mutex::new(0_u64);
    group.bench_function("lock-unlock-uncontended", |b| {
        b.iter(|| *black_box(&counter).lock().expect("not poisoned") += 1);
    });
    let threads = contenders();
    group.throughput(Throughput::Elements(threads as u64));
    group.bench_function(format!("lock-unlock-contended-{threads}t"), |b| {
        b.iter_custom(|iters| {
            let counter = Mutex::new(0_u64);
            let time = contended(iters, threads, || {
                *black_box(&counter).lock().expect("not poisoned") += 1;
            });
            assert_eq!(
                counter.into_inner().expect("not poisoned"),
                iters * threads as u64
            );
            time
        });
    });
    group.finish();
}

criterion_group! {
    name = overheads;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = spawn_join, channel_round_trip, rayon_join, atomics, mutexes
}
criterion_main!(overheads);
