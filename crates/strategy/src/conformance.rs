//! The conformance suite: the checks every [`Strategy`] must pass, yours
//! included.
//!
//! Each check takes a function that builds the strategy from a [`Config`] and
//! runs it over thread counts `1..=8` and a spread of grains, comparing every
//! operation with a plain serial loop. Run them all from your own tests with
//! one line:
//!
//! ```
//! use ps_strategy::{Chunks, Config, Strategy};
//!
//! #[derive(Debug)]
//! pub struct OneThread { grain: usize }
//!
//! impl Strategy for OneThread {
//!     fn name(&self) -> &'static str { "one-thread" }
//!     fn threads(&self) -> usize { 1 }
//!     fn chunks(&self, len: usize) -> Chunks { Chunks::new(len, self.grain) }
//!     fn run_tasks<R: Send, F: Fn(usize) -> R + Sync>(&self, n: usize, task: F) -> Vec<R> {
//!         (0..n).map(task).collect()
//!     }
//! }
//!
//! // In a test file this generates one `#[test]` per check.
//! ps_strategy::conformance_tests!(|config: Config| OneThread { grain: config.grain() });
//! # fn main() { ps_strategy::conformance::run_all(|c: Config| OneThread { grain: c.grain() }); }
//! ```
//!
//! Every check runs under a watchdog: a strategy that deadlocks fails within
//! [`WATCHDOG`] instead of stalling the test run.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Once, mpsc};
use std::thread;
use std::time::Duration;

use crate::{Config, Strategy};

/// How long one check may run before it is declared hung.
pub const WATCHDOG: Duration = Duration::from_secs(60);

/// The thread counts every check covers.
pub const THREAD_COUNTS: std::ops::RangeInclusive<usize> = 1..=8;

/// The grains every check covers: tiny, odd, and larger than most inputs.
pub const GRAINS: [usize; 6] = [1, 2, 3, 7, 64, 1000];

/// The length of the large input.
pub const LARGE_LEN: usize = 1_000_003;

/// Generates one `#[test]` per conformance check in a module named
/// `conformance`. The argument builds the strategy from a [`Config`]; it is
/// evaluated once per check, inside a module that sees the caller's imports.
///
/// ```ignore
/// ps_strategy::conformance_tests!(|config: Config| Dynamic::from_config(config));
/// ```
#[macro_export]
macro_rules! conformance_tests {
    ($build:expr) => {
        mod conformance {
            #[allow(unused_imports)]
            use super::*;

            $crate::conformance_tests!(@each $build;
                empty_input, single_element, fewer_elements_than_threads,
                lengths_not_multiple_of_grain, large_input, every_element_visited_once,
                float_reduction_is_reproducible, panic_in_map_reaches_caller,
                panic_in_fold_reaches_caller, panic_in_combine_reaches_caller,
                panic_in_chunk_closure_reaches_caller, panic_in_task_reaches_caller);
        }
    };
    (@each $build:expr; $($check:ident),*) => {
        $(
            #[test]
            fn $check() {
                $crate::conformance::$check($build);
            }
        )*
    };
}

/// Runs every check in turn; the macro is usually nicer, as it reports each
/// check as its own test.
pub fn run_all<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Clone + Send + 'static,
{
    empty_input(build.clone());
    single_element(build.clone());
    fewer_elements_than_threads(build.clone());
    lengths_not_multiple_of_grain(build.clone());
    large_input(build.clone());
    every_element_visited_once(build.clone());
    float_reduction_is_reproducible(build.clone());
    panic_in_map_reaches_caller(build.clone());
    panic_in_fold_reaches_caller(build.clone());
    panic_in_combine_reaches_caller(build.clone());
    panic_in_chunk_closure_reaches_caller(build.clone());
    panic_in_task_reaches_caller(build);
}

/// An empty input: `map` is empty, `map_reduce` is the identity, nothing is visited.
pub fn empty_input<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    for_each_config(build, "empty_input", |strategy| {
        check_all_operations(strategy, 0);
    });
}

/// A single element, under every thread count and grain.
pub fn single_element<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    for_each_config(build, "single_element", |strategy| {
        check_all_operations(strategy, 1);
    });
}

/// Every length below the thread count.
pub fn fewer_elements_than_threads<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    for_each_config(build, "fewer_elements_than_threads", |strategy| {
        for len in 0..strategy.threads() {
            check_all_operations(strategy, len);
        }
    });
}

/// Lengths one short of, one past and several grains past a multiple of the grain.
pub fn lengths_not_multiple_of_grain<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    for_each_config_with_grain(build, "lengths_not_multiple_of_grain", |strategy, grain| {
        for len in [
            grain + 1,
            2 * grain - 1,
            3 * grain + 1,
            5 * grain + grain / 2 + 1,
        ] {
            check_all_operations(strategy, len);
        }
    });
}

/// [`LARGE_LEN`] elements, under every thread count and a few grains.
pub fn large_input<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    watchdog("large_input", move || {
        for threads in THREAD_COUNTS {
            for grain in [1000, 4096, LARGE_LEN] {
                let strategy = build(config(threads, grain));
                check_all_operations(&strategy, LARGE_LEN);
            }
        }
    });
}

/// `map`, `map_reduce` and `for_each_chunk_mut` each call the user's closure
/// exactly once per element.
pub fn every_element_visited_once<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    for_each_config(build, "every_element_visited_once", |strategy| {
        let len = 1013;
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
    });
}

/// A floating-point sum gives the same bits on every run of one configuration.
pub fn float_reduction_is_reproducible<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    for_each_config(build, "float_reduction_is_reproducible", |strategy| {
        // Terms of very different magnitudes, so that any change in the
        // order of additions changes the rounding.
        let terms: Vec<f64> = (0..5000_u32)
            .map(|i| f64::from(i % 97).powi(7) * if i % 2 == 0 { 1.0 } else { -1e-9 })
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
    });
}

/// A panic in `map`'s closure reaches the caller with its payload.
pub fn panic_in_map_reaches_caller<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        "panic_in_map_reaches_caller",
        |strategy, input, trap| {
            strategy.map(input, |&i| trap.step(i));
        },
    );
}

/// A panic in `map_reduce`'s fold reaches the caller with its payload.
pub fn panic_in_fold_reaches_caller<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        "panic_in_fold_reaches_caller",
        |strategy, input, trap| {
            strategy.map_reduce(input, || 0, |acc, &i| acc + trap.step(i), |a, b| a + b);
        },
    );
}

/// A panic in `map_reduce`'s combine reaches the caller with its payload.
pub fn panic_in_combine_reaches_caller<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        "panic_in_combine_reaches_caller",
        |strategy, input, trap| {
            strategy.map_reduce(
                input,
                || 0,
                |acc, &i| acc.max(trap.step(i)),
                |a, b| trap.step(a.max(b)),
            );
        },
    );
}

/// A panic in `for_each_chunk_mut`'s closure reaches the caller with its payload.
pub fn panic_in_chunk_closure_reaches_caller<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        "panic_in_chunk_closure_reaches_caller",
        |strategy, input, trap| {
            let mut data = input.to_vec();
            strategy.for_each_chunk_mut(&mut data, |_, chunk| {
                for value in chunk {
                    *value = trap.step(*value);
                }
            });
        },
    );
}

/// A panic in a task given straight to `run_tasks` reaches the caller with its payload.
pub fn panic_in_task_reaches_caller<S, B>(build: B)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    check_panic(
        build,
        "panic_in_task_reaches_caller",
        |strategy, input, trap| {
            strategy.run_tasks(input.len(), |i| trap.step(i));
        },
    );
}

/// The payload every injected panic carries, so the checks can tell it from
/// any other panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InjectedPanic {
    /// The element whose processing panicked.
    pub index: usize,
}

// ---------------------------------------------------------------------------
// The machinery behind the checks.

fn config(threads: usize, grain: usize) -> Config {
    Config::new(threads, grain).expect("thread counts and grains in the suite are non-zero")
}

fn describe<S: Strategy>(strategy: &S) -> String {
    format!("{} with {} threads", strategy.name(), strategy.threads())
}

fn for_each_config<S, B>(build: B, check: &'static str, body: impl Fn(&S) + Send + 'static)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    for_each_config_with_grain(build, check, move |strategy, _| body(strategy));
}

fn for_each_config_with_grain<S, B>(
    build: B,
    check: &'static str,
    body: impl Fn(&S, usize) + Send + 'static,
) where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    watchdog(check, move || {
        for threads in THREAD_COUNTS {
            for grain in GRAINS {
                body(&build(config(threads, grain)), grain);
            }
        }
    });
}

/// Runs `body` on its own thread and fails if it has not finished within
/// [`WATCHDOG`]. A hung body is left behind; the test process ends anyway.
fn watchdog(check: &'static str, body: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::Builder::new()
        .name(format!("conformance-{check}"))
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(body));
            let _ = done.send(outcome);
        })
        .expect("spawning the check's thread");
    match finished.recv_timeout(WATCHDOG) {
        Ok(Ok(())) => runner
            .join()
            .expect("the check's thread caught its own panic"),
        Ok(Err(payload)) => panic::resume_unwind(payload),
        Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{check}: no answer within {WATCHDOG:?}: the strategy hangs")
        }
    }
}

/// Checks `map`, `map_reduce` with a non-commutative combine, and
/// `for_each_chunk_mut` against serial loops on `len` elements.
fn check_all_operations<S: Strategy>(strategy: &S, len: usize) {
    let input: Vec<u64> = (0..len as u64).collect();
    let who = || format!("{} on {len} elements", describe(strategy));

    let mapped = strategy.map(&input, |&x| x.wrapping_mul(x) ^ 0x5bd1_e995);
    let expected: Vec<u64> = input
        .iter()
        .map(|&x| x.wrapping_mul(x) ^ 0x5bd1_e995)
        .collect();
    assert_first_difference(&mapped, &expected, &who, "map");

    // Composing affine maps x -> a*x + b is associative but not commutative,
    // so any reordering of partial results changes the answer.
    let affine = |x: u64| Affine {
        a: x | 1,
        b: x.wrapping_mul(31),
    };
    let composed = strategy.map_reduce(
        &input,
        Affine::identity,
        |acc, &x| acc.then(affine(x)),
        Affine::then,
    );
    let expected = input
        .iter()
        .fold(Affine::identity(), |acc, &x| acc.then(affine(x)));
    assert_eq!(
        composed,
        expected,
        "{}: map_reduce differs from serial",
        who()
    );

    if len <= 5000 {
        let text = strategy.map_reduce(
            &input,
            String::new,
            |mut acc, x| {
                acc.push_str(&x.to_string());
                acc.push(',');
                acc
            },
            |left, right| left + &right,
        );
        let mut expected = String::new();
        for x in &input {
            expected.push_str(&x.to_string());
            expected.push(',');
        }
        assert_eq!(
            text,
            expected,
            "{}: string concatenation differs from serial",
            who()
        );
    }

    let mut data = input.clone();
    strategy.for_each_chunk_mut(&mut data, |start, chunk| {
        for (offset, x) in chunk.iter_mut().enumerate() {
            *x = x.wrapping_mul(3) + (start + offset) as u64;
        }
    });
    let expected: Vec<u64> = input.iter().map(|&x| x.wrapping_mul(3) + x).collect();
    assert_first_difference(&data, &expected, &who, "for_each_chunk_mut");
}

fn assert_first_difference(actual: &[u64], expected: &[u64], who: &dyn Fn() -> String, op: &str) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "{}: {op} returned the wrong length",
        who()
    );
    if let Some(index) = actual.iter().zip(expected).position(|(a, e)| a != e) {
        panic!(
            "{}: {op} differs from serial at index {index}: got {}, expected {}",
            who(),
            actual[index],
            expected[index]
        );
    }
}

/// The affine map `x -> a * x + b` over wrapping `u64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Affine {
    a: u64,
    b: u64,
}

impl Affine {
    fn identity() -> Self {
        Affine { a: 1, b: 0 }
    }

    /// `self` first, then `next`.
    fn then(self, next: Affine) -> Affine {
        Affine {
            a: next.a.wrapping_mul(self.a),
            b: next.a.wrapping_mul(self.b).wrapping_add(next.b),
        }
    }
}

/// Counts how often each element was visited.
struct Visits(Vec<AtomicUsize>);

impl Visits {
    fn new(len: usize) -> Self {
        Visits((0..len).map(|_| AtomicUsize::new(0)).collect())
    }

    fn visit(&self, index: usize) {
        self.0[index].fetch_add(1, Ordering::Relaxed);
    }

    fn assert_each_once<S: Strategy>(&self, strategy: &S, op: &str) {
        for (index, count) in self.0.iter().enumerate() {
            let count = count.load(Ordering::Relaxed);
            assert_eq!(
                count,
                1,
                "{}: {op} visited element {index} {count} times",
                describe(strategy)
            );
        }
    }
}

/// Panics with an [`InjectedPanic`] at one index and counts the user code
/// still running, so a check can tell that nothing outlived the call.
struct Trap {
    panic_at: usize,
    running: AtomicUsize,
    calls: AtomicUsize,
}

impl Trap {
    fn step(&self, index: usize) -> usize {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.running.fetch_add(1, Ordering::SeqCst);
        let _running = DecrementOnDrop(&self.running);
        if index == self.panic_at {
            panic::panic_any(InjectedPanic { index });
        }
        index
    }
}

struct DecrementOnDrop<'a>(&'a AtomicUsize);

impl Drop for DecrementOnDrop<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

type PanicBody<S> = fn(&S, &[usize], &Trap);

/// Injects a panic at several positions under every configuration and checks
/// that the original payload reaches the caller, and that no user code is
/// still running — or starts running — once the call has returned.
fn check_panic<S, B>(build: B, check: &'static str, body: PanicBody<S>)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    silence_injected_panics();
    let len = 300;
    let input: Vec<usize> = (0..len).collect();
    for_each_config(build, check, move |strategy| {
        for panic_at in [0, len / 2, len - 1] {
            let trap = Trap {
                panic_at,
                running: AtomicUsize::new(0),
                calls: AtomicUsize::new(0),
            };
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| body(strategy, &input, &trap)));
            let payload: Box<dyn Any + Send> = match outcome {
                Ok(()) => panic!("{}: the panic at {panic_at} was lost", describe(strategy)),
                Err(payload) => payload,
            };
            match payload.downcast_ref::<InjectedPanic>() {
                Some(&InjectedPanic { index }) => assert_eq!(index, panic_at),
                None => panic!(
                    "{}: the payload of the panic at {panic_at} was replaced by {:?}",
                    describe(strategy),
                    payload_text(payload.as_ref())
                ),
            }
            let running = trap.running.load(Ordering::SeqCst);
            assert_eq!(
                running,
                0,
                "{}: user code still running after the call returned",
                describe(strategy)
            );
            let calls = trap.calls.load(Ordering::SeqCst);
            thread::sleep(Duration::from_millis(2));
            assert_eq!(
                trap.calls.load(Ordering::SeqCst),
                calls,
                "{}: work went on after the call returned",
                describe(strategy)
            );
        }
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a payload of another type")
}

/// Keeps the default panic message for every panic but the injected ones,
/// which would otherwise flood the test output.
fn silence_injected_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<InjectedPanic>().is_none() {
                default(info);
            }
        }));
    });
}
