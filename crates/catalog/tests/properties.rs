//! Property tests: under random configurations and random inputs, every
//! strategy gives the serial answer, and a panic anywhere reaches the caller
//! intact.
//!
//! Each case builds a strategy with `AnyStrategy::build(kind, config)` for a
//! random thread count (1 to 16) and grain (mostly 1 to 8, otherwise up to a
//! hundred past the input's length), and then:
//!
//! - the `*_matches_serial` tests run `map`, `map_reduce` with two
//!   non-commutative combines (composing affine maps, concatenating strings)
//!   and `for_each_chunk_mut` on a random input of 0 to 9,999 random `u64`s
//!   (a fifth of the lengths below 20), and compare each with a plain serial
//!   loop (`ps_strategy::conformance::assert_matches_serial`);
//! - the `*_panics_reach_the_caller` tests inject a panic at a random element
//!   of a random input of 1 to 1,999 elements, in `map`, the fold or the
//!   combine of `map_reduce`, the closure of `for_each_chunk_mut` or a bare
//!   `run_tasks` task, and check that the payload comes back intact, that no
//!   user code runs once the call has returned and — for every strategy but
//!   rayon, whose pool outlives calls by design — that every worker thread
//!   has ended (`ps_strategy::conformance::check_panic_at`).
//!
//! There is one test per strategy and property, so a failure names both,
//! and the test harness spreads them over the cores. Inputs are generated
//! from a random seed rather than element by element: a case costs little
//! more than the strategy calls themselves, and proptest still shrinks the
//! length, the configuration and the panic's position.
//!
//! # How many cases
//!
//! The default `cargo test` runs `MATCHES_SERIAL_CASES` cases per strategy
//! that compare with serial and `PANIC_CASES` that inject a panic (several
//! times proptest's own default of 256 per test): enough to meet every
//! shape of input, thread count and grain the generators make, in a debug
//! build where each case starts up to 16 threads. Set `PS_PROPTEST_CASES`
//! to the total you want, shared out in the same proportions, for a longer
//! run (an optimised build is much faster), or a shorter one (CI's run on a
//! machine whose every core is busy):
//!
//! ```text
//! PS_PROPTEST_CASES=100000 cargo test -p ps-catalog --release --test properties
//! ```
//!
//! Every test runs under the conformance suite's watchdog, which fails it if
//! a minute passes without a case finishing.

use proptest::prelude::{Strategy as _, prop_oneof};
use proptest::sample::select;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::Config;
use ps_strategy::conformance::{
    PanicSite, Workers, assert_matches_serial, check_panic_at, watchdog,
};

/// Cases per strategy comparing with serial, in the default run.
const MATCHES_SERIAL_CASES: u32 = 800;

/// Cases per strategy injecting a panic, in the default run.
const PANIC_CASES: u32 = 100;

/// Every case of the default run, all tests together.
const DEFAULT_TOTAL: u32 = StrategyKind::ALL.len() as u32 * (MATCHES_SERIAL_CASES + PANIC_CASES);

/// This test's share of `PS_PROPTEST_CASES`, or its default.
fn cases(default: u32) -> u32 {
    match std::env::var("PS_PROPTEST_CASES") {
        Ok(total) => {
            let total: u64 = total
                .parse()
                .expect("PS_PROPTEST_CASES must be a number of cases");
            let share = total * u64::from(default) / u64::from(DEFAULT_TOTAL);
            u32::try_from(share.max(1)).unwrap_or(u32::MAX)
        }
        Err(_) => default,
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(ProptestConfig {
        cases,
        // A failure prints its minimal case (length, threads, grain, seed),
        // which is all it takes to replay it; nothing is written to disk.
        failure_persistence: None,
        ..ProptestConfig::default()
    })
}

fn build(kind: StrategyKind, threads: usize, grain: usize) -> AnyStrategy {
    let config = Config::new(threads, grain).expect("generated values are at least 1");
    AnyStrategy::build(kind, config).expect("the test machine can start the threads")
}

fn workers(kind: StrategyKind) -> Workers {
    if kind.keeps_threads_between_calls() {
        Workers::Pooled
    } else {
        Workers::PerCall
    }
}

/// Grains for `len` elements, biased to small ones: those make many chunks.
fn grains(len: usize) -> impl proptest::strategy::Strategy<Value = usize> {
    prop_oneof![3 => 1..=8_usize, 1 => 1..=len + 100]
}

/// One case comparing a strategy with serial.
#[derive(Debug, Clone)]
struct SerialCase {
    len: usize,
    threads: usize,
    grain: usize,
    seed: u64,
}

impl SerialCase {
    fn generate() -> impl proptest::strategy::Strategy<Value = SerialCase> {
        let lens = prop_oneof![1 => 0..20_usize, 4 => 0..10_000_usize];
        (lens, 1..=16_usize, proptest::num::u64::ANY).prop_flat_map(|(len, threads, seed)| {
            grains(len).prop_map(move |grain| SerialCase {
                len,
                threads,
                grain,
                seed,
            })
        })
    }

    /// `len` pseudo-random values (`SplitMix64` from the seed), with small
    /// values mixed in so that zeros and repeats occur.
    fn input(&self) -> Vec<u64> {
        let mut state = self.seed;
        (0..self.len)
            .map(|_| {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                if z % 4 == 0 { z % 8 } else { z }
            })
            .collect()
    }
}

/// One case injecting a panic.
#[derive(Debug, Clone)]
struct PanicCase {
    len: usize,
    threads: usize,
    grain: usize,
    site: PanicSite,
    panic_at: usize,
}

impl PanicCase {
    fn generate() -> impl proptest::strategy::Strategy<Value = PanicCase> {
        (
            1..2_000_usize,
            1..=16_usize,
            select(PanicSite::ALL.to_vec()),
        )
            .prop_flat_map(|(len, threads, site)| {
                (grains(len), 0..len).prop_map(move |(grain, panic_at)| PanicCase {
                    len,
                    threads,
                    grain,
                    site,
                    panic_at,
                })
            })
    }
}

/// Compares `kind` with serial on `1 / shards` of its cases.
fn matches_serial(kind: StrategyKind, shards: u32) {
    let cases = cases(MATCHES_SERIAL_CASES).div_ceil(shards);
    watchdog(&format!("{kind}_matches_serial"), move |heartbeat| {
        let outcome = runner(cases).run(&SerialCase::generate(), |case| {
            heartbeat.beat();
            let strategy = build(kind, case.threads, case.grain);
            assert_matches_serial(&strategy, &case.input());
            Ok(())
        });
        if let Err(failure) = outcome {
            panic!("{kind} differs from serial: {failure}");
        }
    });
}

fn panics_reach_the_caller(kind: StrategyKind) {
    let cases = cases(PANIC_CASES);
    watchdog(
        &format!("{kind}_panics_reach_the_caller"),
        move |heartbeat| {
            let outcome = runner(cases).run(&PanicCase::generate(), |case| {
                heartbeat.beat();
                let strategy = build(kind, case.threads, case.grain);
                check_panic_at(&strategy, workers(kind), case.site, case.len, case.panic_at);
                Ok(())
            });
            if let Err(failure) = outcome {
                panic!("{kind} mishandles a panic: {failure}");
            }
        },
    );
}

/// Generates the tests of every strategy: its comparison with serial, split
/// in as many tests as it has names, and its panic test.
macro_rules! properties {
    ($($kind:ident: [$($matches_serial:ident),+], $panics:ident;)*) => {
        $(
            $(
                #[test]
                fn $matches_serial() {
                    matches_serial(StrategyKind::$kind, shards(StrategyKind::$kind));
                }
            )+

            #[test]
            fn $panics() {
                panics_reach_the_caller(StrategyKind::$kind);
            }
        )*

        /// How many tests share `kind`'s comparison with serial.
        fn shards(kind: StrategyKind) -> u32 {
            $(
                if kind == StrategyKind::$kind {
                    return [$(stringify!($matches_serial)),+].len() as u32;
                }
            )*
            unreachable!("{kind} has no property tests")
        }

        /// Every kind has its tests.
        #[test]
        fn every_kind_is_covered() {
            let covered = [$(StrategyKind::$kind),*];
            assert_eq!(covered, StrategyKind::ALL);
        }
    };
}

// The pipeline pays two channel messages (a lock and often a thread
// wake-up each) per chunk, and its cases — tiny grains, up to 16 threads on
// however few cores — cost ten times anyone else's. Its comparison with
// serial is split in four tests so that the harness runs the pieces side by
// side with the rest, instead of one long test finishing last.
properties! {
    SERIAL: [serial_matches_serial], serial_panics_reach_the_caller;
    THREADS_STATIC: [threads_static_matches_serial], threads_static_panics_reach_the_caller;
    THREADS_DYNAMIC: [threads_dynamic_matches_serial], threads_dynamic_panics_reach_the_caller;
    PIPELINE: [
        pipeline_matches_serial_1,
        pipeline_matches_serial_2,
        pipeline_matches_serial_3,
        pipeline_matches_serial_4
    ], pipeline_panics_reach_the_caller;
    RAYON: [rayon_matches_serial], rayon_panics_reach_the_caller;
    WORK_STEALING: [work_stealing_matches_serial], work_stealing_panics_reach_the_caller;
}

/// Keeps the generators honest: the values they make stay in range.
#[test]
fn generated_cases_are_in_range() {
    let mut runner = runner(500);
    runner
        .run(&SerialCase::generate(), |case| {
            assert!(case.len < 10_000 && (1..=16).contains(&case.threads));
            assert!((1..=case.len + 100).contains(&case.grain));
            assert_eq!(case.input().len(), case.len);
            Ok(())
        })
        .unwrap();
    runner
        .run(&PanicCase::generate(), |case| {
            assert!(case.panic_at < case.len);
            Ok(())
        })
        .unwrap();
}
