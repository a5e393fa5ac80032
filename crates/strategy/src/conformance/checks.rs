//! The checks, one public function each; `conformance_tests!` turns each
//! into a `#[test]`.

use super::serial::check_all_operations;
use super::sweep::Sweep;
use super::visits::Visits;
use super::{LARGE_LEN, PanicSite, REPRODUCIBLE_LEN, Workers, check_panic_at, describe};
use crate::{Config, Strategy};

/// Runs every check in turn; the macro is usually nicer, as it reports each
/// check as its own test.
pub fn run_all<S, B>(build: B, workers: Workers)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Clone + Send + 'static,
{
    macro_rules! call_every_check {
        ($build:ident, $workers:ident; each: [$($each:ident),*]; panics: [$($panics:ident),*]) => {
            $($each($build.clone());)*
            $($panics($build.clone(), $workers);)*
        };
    }
    crate::__conformance_checks!(call_every_check { build, workers });
}

/// An empty input: `map` is empty, `map_reduce` is the identity, nothing is visited.
pub fn empty_input<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    Sweep::new("empty_input", build).run(|_, _| [0], check_all_operations);
}

/// A single element, under every thread count and grain.
pub fn single_element<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    Sweep::new("single_element", build).run(|_, _| [1], check_all_operations);
}

/// Every length below the thread count — the configured one or the one the
/// strategy reports, whichever is larger, so that a strategy that always
/// reports one thread is still given inputs of up to seven elements.
pub fn fewer_elements_than_threads<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    Sweep::new("fewer_elements_than_threads", build).run(
        |config, strategy: &S| 0..config.threads().max(strategy.threads()),
        check_all_operations,
    );
}

/// Lengths one short of, one past and several grains past a multiple of the grain.
pub fn lengths_not_multiple_of_grain<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    Sweep::new("lengths_not_multiple_of_grain", build).run(
        |config, _| {
            let grain = config.grain();
            [
                grain + 1,
                2 * grain - 1,
                3 * grain + 1,
                5 * grain + grain / 2 + 1,
            ]
        },
        check_all_operations,
    );
}

/// [`LARGE_LEN`] elements, under every thread count and a few grains.
pub fn large_input<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    Sweep::new("large_input", build)
        .grains(&[1000, 4096, LARGE_LEN])
        .run(|_, _| [LARGE_LEN], check_all_operations);
}

/// `map`, `map_reduce` and `for_each_chunk_mut` each call the user's closure
/// exactly once per element.
pub fn every_element_visited_once<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    Sweep::new("every_element_visited_once", build).run(
        |_, _| [1013],
        |strategy, len| {
            let input: Vec<usize> = (0..len).collect();

            let visits = Visits::new(len);
            strategy.map(&input, |&i| visits.visit(i));
            visits.assert_each_once(strategy, "map");

            let visits = Visits::new(len);
            strategy.map_reduce(&input, || (), |(), &i| visits.visit(i), |(), ()| ());
            visits.assert_each_once(strategy, "map_reduce");

            let visits = Visits::new(len);
            let mut data = input.clone();
            strategy.for_each_chunk_mut(&mut data, |start, chunk| {
                for (offset, value) in chunk.iter().enumerate() {
                    assert_eq!(*value, start + offset, "chunk start index is wrong");
                    visits.visit(*value);
                }
            });
            visits.assert_each_once(strategy, "for_each_chunk_mut");
        },
    );
}

/// A floating-point sum gives the same bits on every run of one configuration.
pub fn float_reduction_is_reproducible<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    Sweep::new("float_reduction_is_reproducible", build).run(
        |_, _| [REPRODUCIBLE_LEN],
        |strategy, len| {
            // Terms of very different magnitudes, so that any change in the
            // order of additions changes the rounding.
            let terms: Vec<f64> = (0..len)
                .map(|i| ((i % 97) as f64).powi(7) * if i % 2 == 0 { 1.0 } else { -1e-9 })
                .collect();
            let sum = |s: &S| s.map_reduce(&terms, || 0.0, |acc, &x| acc + x, |a, b| a + b);
            let first = sum(strategy).to_bits();
            for _ in 0..5 {
                assert_eq!(
                    sum(strategy).to_bits(),
                    first,
                    "{}: the sum changed between runs",
                    describe(strategy)
                );
            }
        },
    );
}

/// A panic in `map`'s closure reaches the caller with its payload.
pub fn panic_in_map_reaches_caller<S, B>(build: B, workers: Workers)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        workers,
        "panic_in_map_reaches_caller",
        PanicSite::Map,
    );
}

/// A panic in `map_reduce`'s fold reaches the caller with its payload.
pub fn panic_in_fold_reaches_caller<S, B>(build: B, workers: Workers)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        workers,
        "panic_in_fold_reaches_caller",
        PanicSite::Fold,
    );
}

/// A panic in `map_reduce`'s combine reaches the caller with its payload.
pub fn panic_in_combine_reaches_caller<S, B>(build: B, workers: Workers)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        workers,
        "panic_in_combine_reaches_caller",
        PanicSite::Combine,
    );
}

/// A panic in `for_each_chunk_mut`'s closure reaches the caller with its payload.
pub fn panic_in_chunk_closure_reaches_caller<S, B>(build: B, workers: Workers)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        workers,
        "panic_in_chunk_closure_reaches_caller",
        PanicSite::ChunkClosure,
    );
}

/// A panic in a task given straight to `run_tasks` reaches the caller with its payload.
pub fn panic_in_task_reaches_caller<S, B>(build: B, workers: Workers)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        workers,
        "panic_in_task_reaches_caller",
        PanicSite::Task,
    );
}

/// Injects a panic at the first, middle and last of 300 elements under every
/// configuration.
fn check_panic<S, B>(build: B, workers: Workers, check: &'static str, site: PanicSite)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    Sweep::new(check, build).run(
        |_, _| [300],
        move |strategy, len| {
            for panic_at in [0, len / 2, len - 1] {
                check_panic_at(strategy, workers, site, len, panic_at);
            }
        },
    );
}
