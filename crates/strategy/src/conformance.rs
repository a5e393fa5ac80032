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
//! use ps_strategy::conformance::Workers;
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
//! # fn main() {
//! #     ps_strategy::conformance::run_all(|c: Config| OneThread { grain: c.grain() }, Workers::PerCall);
//! # }
//! ```
//!
//! A strategy whose threads belong to a pool that outlives each call (like
//! rayon's) says so with a second argument,
//! `conformance_tests!(build, Workers::Pooled)`; see [`Workers`].
//!
//! Every check runs under a [`watchdog`]: a strategy that deadlocks fails
//! within [`WATCHDOG`] instead of stalling the test run.
//!
//! The building blocks — [`assert_matches_serial`], [`check_panic_at`],
//! [`assert_panic_reaches_caller`] with its [`Trap`], and [`watchdog`] — are
//! public too, so that property tests and strategy-specific tests check the
//! same things the same way.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once, mpsc};
use std::thread::{self, ThreadId};
use std::time::Duration;

use crate::{Config, Strategy};

/// How long a check may go without finishing (or, for a long check, without
/// reporting progress on its [`Heartbeat`]) before it is declared hung.
pub const WATCHDOG: Duration = Duration::from_secs(60);

/// The thread counts every check covers.
pub const THREAD_COUNTS: std::ops::RangeInclusive<usize> = 1..=8;

/// The grains every check covers: tiny, odd, and larger than most inputs.
pub const GRAINS: [usize; 6] = [1, 2, 3, 7, 64, 1000];

/// The length of the large input.
pub const LARGE_LEN: usize = 1_000_003;

/// Where a strategy's worker threads come from, which decides what the panic
/// checks can demand of them once a call has returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Workers {
    /// The call starts its threads (scoped threads, the pipeline): every
    /// thread that ran user code must have *ended* — its thread-local
    /// destructors included — by the time the call returns, panic or not.
    #[default]
    PerCall,
    /// The threads belong to a pool that is started once and outlives every
    /// call by design (rayon). They cannot have ended, so the checks demand
    /// only what matters to the caller: once the call has returned, no user
    /// code is running on them and none starts later.
    Pooled,
}

/// Generates one `#[test]` per conformance check in a module named
/// `conformance`. The first argument builds the strategy from a [`Config`];
/// it is evaluated once per check, inside a module that sees the caller's
/// imports. The optional second argument is the strategy's [`Workers`]
/// (default [`Workers::PerCall`]).
///
/// ```ignore
/// ps_strategy::conformance_tests!(|config: Config| Dynamic::from_config(config));
/// ps_strategy::conformance_tests!(
///     |config: Config| RayonPool::from_config(config).unwrap(),
///     ps_strategy::conformance::Workers::Pooled
/// );
/// ```
#[macro_export]
macro_rules! conformance_tests {
    (@each $build:expr; $($check:ident),*) => {
        $(
            #[test]
            fn $check() {
                $crate::conformance::$check($build);
            }
        )*
    };
    (@panics $build:expr, $workers:expr; $($check:ident),*) => {
        $(
            #[test]
            fn $check() {
                $crate::conformance::$check($build, $workers);
            }
        )*
    };
    ($build:expr, $workers:expr $(,)?) => {
        mod conformance {
            #[allow(unused_imports)]
            use super::*;

            $crate::conformance_tests!(@each $build;
                empty_input, single_element, fewer_elements_than_threads,
                lengths_not_multiple_of_grain, large_input, every_element_visited_once,
                float_reduction_is_reproducible);
            $crate::conformance_tests!(@panics $build, $workers;
                panic_in_map_reaches_caller, panic_in_fold_reaches_caller,
                panic_in_combine_reaches_caller, panic_in_chunk_closure_reaches_caller,
                panic_in_task_reaches_caller);
        }
    };
    ($build:expr $(,)?) => {
        $crate::conformance_tests!($build, $crate::conformance::Workers::PerCall);
    };
}

/// Runs every check in turn; the macro is usually nicer, as it reports each
/// check as its own test.
pub fn run_all<S, B>(build: B, workers: Workers)
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
    panic_in_map_reaches_caller(build.clone(), workers);
    panic_in_fold_reaches_caller(build.clone(), workers);
    panic_in_combine_reaches_caller(build.clone(), workers);
    panic_in_chunk_closure_reaches_caller(build.clone(), workers);
    panic_in_task_reaches_caller(build, workers);
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
    watchdog("large_input", move |_| {
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

/// The payload every injected panic carries, so the checks can tell it from
/// any other panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InjectedPanic {
    /// The element whose processing panicked.
    pub index: usize,
}

/// Where [`check_panic_at`] injects its panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanicSite {
    /// In `map`'s closure, at the chosen element.
    Map,
    /// In `map_reduce`'s fold, at the chosen element.
    Fold,
    /// In `map_reduce`'s combine, at the first combination that involves the
    /// chosen element's chunk. With a single chunk there is no combination,
    /// so nothing panics and the check demands the right answer instead.
    Combine,
    /// In `for_each_chunk_mut`'s closure, at the chosen element.
    ChunkClosure,
    /// In a task given straight to `run_tasks`, at the chosen task index.
    Task,
}

impl PanicSite {
    /// Every site.
    pub const ALL: [PanicSite; 5] = [
        PanicSite::Map,
        PanicSite::Fold,
        PanicSite::Combine,
        PanicSite::ChunkClosure,
        PanicSite::Task,
    ];

    /// Calls `strategy` on `input` with user code that goes through `trap`;
    /// returns whether the trap must have gone off.
    fn run<S: Strategy>(self, strategy: &S, input: &[usize], trap: &Trap) -> bool {
        match self {
            PanicSite::Map => {
                strategy.map(input, |&i| trap.step(i));
            }
            PanicSite::Fold => {
                strategy.map_reduce(input, || 0, |acc, &i| acc.max(trap.step(i)), usize::max);
            }
            PanicSite::Combine => {
                // Each partial result is the span of indices it covers; the
                // combination that involves the trapped index's chunk panics.
                type Span = Option<(usize, usize)>;
                let contains =
                    |span: Span| span.is_some_and(|(lo, hi)| (lo..=hi).contains(&trap.panic_at));
                let span = strategy.map_reduce(
                    input,
                    || None,
                    |span: Span, &i| {
                        trap.observe(|| {
                            Some(span.map_or((i, i), |(lo, hi)| (lo.min(i), hi.max(i))))
                        })
                    },
                    |left: Span, right: Span| {
                        trap.observe(|| {
                            if contains(left) || contains(right) {
                                panic::panic_any(InjectedPanic {
                                    index: trap.panic_at,
                                });
                            }
                            match (left, right) {
                                (Some((lo, _)), Some((_, hi))) => Some((lo, hi)),
                                (one, None) | (None, one) => one,
                            }
                        })
                    },
                );
                let chunks = strategy.chunks(input.len()).count();
                assert_eq!(
                    span,
                    input.first().zip(input.last()).map(|(&lo, &hi)| (lo, hi)),
                    "map_reduce returned the wrong span"
                );
                return chunks > 1;
            }
            PanicSite::ChunkClosure => {
                let mut data = input.to_vec();
                strategy.for_each_chunk_mut(&mut data, |_, chunk| {
                    for value in chunk {
                        *value = trap.step(*value);
                    }
                });
            }
            PanicSite::Task => {
                strategy.run_tasks(input.len(), |i| trap.step(i));
            }
        }
        true
    }
}

/// Calls `strategy` with a panic injected at element `panic_at` of a
/// `len`-element input (`0..len`) at `site`, and checks everything
/// [`assert_panic_reaches_caller`] checks.
///
/// # Panics
///
/// If a check fails, or if `panic_at >= len`.
pub fn check_panic_at<S: Strategy>(
    strategy: &S,
    workers: Workers,
    site: PanicSite,
    len: usize,
    panic_at: usize,
) {
    assert!(panic_at < len, "the panic must be inside the input");
    let input: Vec<usize> = (0..len).collect();
    let trap = Trap::new(panic_at, workers);
    let who = format!("{site:?} on {len} elements");
    assert_panic_reaches_caller(strategy, &trap, &who, || site.run(strategy, &input, &trap));
}

/// Runs `call` — a call of `strategy` whose user code goes through `trap` —
/// and checks that:
///
/// 1. the injected panic reached the caller with its original payload (an
///    [`InjectedPanic`] for the trap's index), unless `call` returns `false`
///    to say that the trapped user code was never meant to run;
/// 2. no user code is still running once the call has returned;
/// 3. for [`Workers::PerCall`], every thread other than the caller that ran
///    user code has ended, its thread-local destructors included (each such
///    thread holds a thread-local guard that is counted until it is dropped,
///    slowly, so that a thread still exiting after the call is caught);
/// 4. no user code starts after the call has returned (the trap's call count
///    does not move during a short wait).
///
/// `who` describes the call for failure messages.
///
/// # Panics
///
/// If a check fails.
pub fn assert_panic_reaches_caller<S: Strategy>(
    strategy: &S,
    trap: &Trap,
    who: &str,
    call: impl FnOnce() -> bool,
) {
    silence_injected_panics();
    let who = format!(
        "{}: {who} with a panic at {}",
        describe(strategy),
        trap.panic_at
    );
    match panic::catch_unwind(AssertUnwindSafe(call)) {
        Ok(true) => panic!("{who}: the panic was lost"),
        Ok(false) => {}
        Err(payload) => match payload.downcast_ref::<InjectedPanic>() {
            Some(&InjectedPanic { index }) => {
                assert_eq!(index, trap.panic_at, "{who}: the payload was swapped");
            }
            None => panic!(
                "{who}: the payload was replaced by {:?}",
                payload_text(payload.as_ref())
            ),
        },
    }
    let running = trap.running.load(Ordering::SeqCst);
    assert_eq!(
        running, 0,
        "{who}: user code still running after the call returned"
    );
    let live = trap.live_threads.load(Ordering::SeqCst);
    assert_eq!(
        live, 0,
        "{who}: {live} worker threads had not ended when the call returned"
    );
    let calls = trap.calls();
    thread::sleep(Duration::from_millis(2));
    assert_eq!(
        trap.calls(),
        calls,
        "{who}: work went on after the call returned"
    );
}

/// User code that panics with an [`InjectedPanic`] at one index, and counts
/// what it sees: calls, calls still running, and the worker threads it ran on
/// that have not ended yet.
///
/// Create it on the thread that will call the strategy: that thread is the
/// caller, which is not expected to end.
#[derive(Debug)]
pub struct Trap {
    panic_at: usize,
    delay: Duration,
    caller: ThreadId,
    track_threads: bool,
    running: AtomicUsize,
    calls: AtomicUsize,
    live_threads: Arc<AtomicUsize>,
}

impl Trap {
    /// A trap for index `panic_at`; with [`Workers::PerCall`] it also tracks
    /// the threads it runs on until they end.
    #[must_use]
    pub fn new(panic_at: usize, workers: Workers) -> Self {
        Trap {
            panic_at,
            delay: Duration::ZERO,
            caller: thread::current().id(),
            track_threads: workers == Workers::PerCall,
            running: AtomicUsize::new(0),
            calls: AtomicUsize::new(0),
            live_threads: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Makes every step sleep for `delay` first: slow user code.
    #[must_use]
    pub fn with_delay(self, delay: Duration) -> Self {
        Trap { delay, ..self }
    }

    /// The index whose step panics.
    #[must_use]
    pub fn panic_at(&self) -> usize {
        self.panic_at
    }

    /// How many steps (and other user code) have started so far.
    #[must_use]
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// User code for element `index`: returns `index`, or panics with an
    /// [`InjectedPanic`] if it is the trapped index.
    pub fn step(&self, index: usize) -> usize {
        self.observe(|| {
            if index == self.panic_at {
                panic::panic_any(InjectedPanic { index });
            }
            index
        })
    }

    /// Runs `work` as counted user code.
    fn observe<T>(&self, work: impl FnOnce() -> T) -> T {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.running.fetch_add(1, Ordering::SeqCst);
        let _running = DecrementOnDrop(&self.running);
        self.track_this_thread();
        if !self.delay.is_zero() {
            thread::sleep(self.delay);
        }
        work()
    }

    /// Counts this thread as live until it ends, once per trap.
    fn track_this_thread(&self) {
        if !self.track_threads || thread::current().id() == self.caller {
            return;
        }
        THREAD_EXIT_GUARDS.with(|guards| {
            let mut guards = guards.borrow_mut();
            if !guards
                .iter()
                .any(|guard| Arc::ptr_eq(&guard.0, &self.live_threads))
            {
                self.live_threads.fetch_add(1, Ordering::SeqCst);
                guards.push(ThreadExitGuard(Arc::clone(&self.live_threads)));
            }
        });
    }
}

thread_local! {
    /// Dropped when the thread ends: one guard per trap that ran on it.
    static THREAD_EXIT_GUARDS: RefCell<Vec<ThreadExitGuard>> = const { RefCell::new(Vec::new()) };
}

/// Uncounts a thread when it ends. The drop sleeps first: a strategy that
/// returns before its threads have ended (rather than merely finished their
/// closures) then loses the race reliably instead of once in a blue moon.
struct ThreadExitGuard(Arc<AtomicUsize>);

impl Drop for ThreadExitGuard {
    fn drop(&mut self) {
        thread::sleep(Duration::from_millis(1));
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

struct DecrementOnDrop<'a>(&'a AtomicUsize);

impl Drop for DecrementOnDrop<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Progress reports from a long check to its [`watchdog`].
#[derive(Debug)]
pub struct Heartbeat(Arc<AtomicUsize>);

impl Heartbeat {
    /// Reports progress: the watchdog's [`WATCHDOG`] limit starts again.
    pub fn beat(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs `body` on a thread of its own and fails if it goes [`WATCHDOG`]
/// without finishing or calling [`Heartbeat::beat`]. A panic in `body` is
/// re-raised with its payload. A hung body is left behind; the test process
/// ends anyway.
///
/// ```
/// ps_strategy::conformance::watchdog("three steps", |heartbeat| {
///     for _ in 0..3 {
///         heartbeat.beat();
///     }
/// });
/// ```
///
/// # Panics
///
/// If `body` panics or hangs.
pub fn watchdog(check: &str, body: impl FnOnce(&Heartbeat) + Send + 'static) {
    let beats = Arc::new(AtomicUsize::new(0));
    let heartbeat = Heartbeat(Arc::clone(&beats));
    let (done, finished) = mpsc::channel();
    let runner = thread::Builder::new()
        .name(format!("conformance-{check}"))
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| body(&heartbeat)));
            let _ = done.send(outcome);
        })
        .expect("spawning the check's thread");
    let mut seen = 0;
    loop {
        match finished.recv_timeout(WATCHDOG) {
            Ok(Ok(())) => {
                return runner
                    .join()
                    .expect("the check's thread caught its own panic");
            }
            Ok(Err(payload)) => panic::resume_unwind(payload),
            Err(mpsc::RecvTimeoutError::Timeout) if beats.load(Ordering::Relaxed) != seen => {
                seen = beats.load(Ordering::Relaxed);
            }
            Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
                panic!("{check}: no progress within {WATCHDOG:?}: the strategy hangs")
            }
        }
    }
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
    watchdog(check, move |_| {
        for threads in THREAD_COUNTS {
            for grain in GRAINS {
                body(&build(config(threads, grain)), grain);
            }
        }
    });
}

/// Injects a panic at the first, middle and last of 300 elements under every
/// configuration.
fn check_panic<S, B>(build: B, workers: Workers, check: &'static str, site: PanicSite)
where
    S: Strategy + 'static,
    B: Fn(Config) -> S + Send + 'static,
{
    let len = 300;
    for_each_config(build, check, move |strategy| {
        for panic_at in [0, len / 2, len - 1] {
            check_panic_at(strategy, workers, site, len, panic_at);
        }
    });
}

/// Checks every operation on `0..len` against serial loops.
fn check_all_operations<S: Strategy>(strategy: &S, len: usize) {
    let input: Vec<u64> = (0..len as u64).collect();
    assert_matches_serial(strategy, &input);
}

/// Checks `map`, `map_reduce` with two non-commutative combines (composing
/// affine maps; concatenating strings, for inputs of up to 5000 elements),
/// and `for_each_chunk_mut` on `input` against plain serial loops.
///
/// # Panics
///
/// At the first operation whose result differs, naming the strategy, the
/// operation and the first differing index.
pub fn assert_matches_serial<S: Strategy>(strategy: &S, input: &[u64]) {
    let len = input.len();
    let who = || format!("{} on {len} elements", describe(strategy));

    let mapped = strategy.map(input, |&x| x.wrapping_mul(x) ^ 0x5bd1_e995);
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
        input,
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
            input,
            String::new,
            |mut acc, x| {
                acc.push_str(&x.to_string());
                acc.push(',');
                acc
            },
            |left, right| left + &right,
        );
        let mut expected = String::new();
        for x in input {
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

    let mut data = input.to_vec();
    strategy.for_each_chunk_mut(&mut data, |start, chunk| {
        for (offset, x) in chunk.iter_mut().enumerate() {
            *x = x.wrapping_mul(3).wrapping_add((start + offset) as u64);
        }
    });
    let expected: Vec<u64> = input
        .iter()
        .enumerate()
        .map(|(i, &x)| x.wrapping_mul(3).wrapping_add(i as u64))
        .collect();
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

fn payload_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a payload of another type")
}

/// Keeps the default panic message for every panic but the injected ones,
/// which would otherwise flood the test output. The checks call it; call it
/// yourself before injecting panics some other way.
pub fn silence_injected_panics() {
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
