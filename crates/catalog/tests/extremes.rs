//! Extreme configurations, for every strategy: far more threads than cores,
//! more threads than elements, a grain larger than the input, inputs of one
//! element. Each must give the serial answer
//! (`ps_strategy::conformance::assert_matches_serial`), and a panic under
//! 256 threads must still reach the caller intact.

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::conformance::{
    PanicSite, Workers, assert_matches_serial, check_panic_at, watchdog,
};
use ps_strategy::{Config, Strategy};

fn build(kind: StrategyKind, threads: usize, grain: usize) -> AnyStrategy {
    let config = Config::new(threads, grain).expect("thread counts and grains here are non-zero");
    AnyStrategy::build(kind, config).expect("the test machine can start the threads")
}

fn input(len: usize) -> Vec<u64> {
    (0..len as u64)
        .map(|x| x.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7)
        .collect()
}

/// Runs `check` for every kind under the watchdog.
fn for_every_kind(name: &'static str, check: fn(StrategyKind)) {
    watchdog(name, move |heartbeat| {
        for kind in StrategyKind::ALL {
            check(kind);
            heartbeat.beat();
        }
    });
}

/// 256 threads on a machine with a few cores: thread start-up and
/// oversubscription must cost time, never correctness.
#[test]
fn two_hundred_and_fifty_six_threads() {
    for_every_kind("two_hundred_and_fifty_six_threads", |kind| {
        for grain in [1, 7, 100_000] {
            let strategy = build(kind, 256, grain);
            for len in [0, 1, 2, 255, 256, 257, 3_001] {
                assert_matches_serial(&strategy, &input(len));
            }
        }
    });
}

/// Every length below the thread count, for thread counts up to 64.
#[test]
fn more_threads_than_elements() {
    for_every_kind("more_threads_than_elements", |kind| {
        for threads in [2, 3, 16, 64] {
            for grain in [1, 3] {
                let strategy = build(kind, threads, grain);
                for len in 0..threads {
                    assert_matches_serial(&strategy, &input(len));
                }
            }
        }
    });
}

/// A grain larger than the input — up to `usize::MAX` — makes one chunk.
#[test]
fn grain_larger_than_the_input() {
    for_every_kind("grain_larger_than_the_input", |kind| {
        for len in [1, 10, 1_000] {
            for grain in [len + 1, 2 * len, usize::MAX / 2, usize::MAX] {
                for threads in [1, 4] {
                    assert_matches_serial(&build(kind, threads, grain), &input(len));
                }
            }
        }
    });
}

/// One element, under thread counts 1 to 16 and grains 1, 2 and `usize::MAX`.
#[test]
fn one_element() {
    for_every_kind("one_element", |kind| {
        for threads in 1..=16 {
            for grain in [1, 2, usize::MAX] {
                assert_matches_serial(&build(kind, threads, grain), &[42]);
            }
        }
    });
}

/// A panic at the first or the last of 1,000 elements, at every site, under
/// 256 threads.
#[test]
fn a_panic_under_two_hundred_and_fifty_six_threads() {
    for_every_kind("a_panic_under_two_hundred_and_fifty_six_threads", |kind| {
        let workers = if kind.keeps_threads_between_calls() {
            Workers::Pooled
        } else {
            Workers::PerCall
        };
        for grain in [1, 3] {
            let strategy = build(kind, 256, grain);
            if kind != StrategyKind::SERIAL {
                assert_eq!(strategy.threads(), 256, "{kind}");
            }
            for site in PanicSite::ALL {
                for panic_at in [0, 999] {
                    check_panic_at(&strategy, workers, site, 1_000, panic_at);
                }
            }
        }
    });
}
