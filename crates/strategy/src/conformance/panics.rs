//! Panic injection: a panic raised in user code must reach the caller with
//! its payload, with no user code running or starting behind its back and,
//! for threads started by the call, every such thread ended.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::thread;
use std::time::Duration;

use super::{Trap, Workers, describe};
use crate::Strategy;

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
                    |span: Span| span.is_some_and(|(lo, hi)| (lo..=hi).contains(&trap.panic_at()));
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
                                    index: trap.panic_at(),
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
        trap.panic_at()
    );
    match panic::catch_unwind(AssertUnwindSafe(call)) {
        Ok(true) => panic!("{who}: the panic was lost"),
        Ok(false) => {}
        Err(payload) => match payload.downcast_ref::<InjectedPanic>() {
            Some(&InjectedPanic { index }) => {
                assert_eq!(index, trap.panic_at(), "{who}: the payload was swapped");
            }
            None => panic!(
                "{who}: the payload was replaced by {:?}",
                payload_text(payload.as_ref())
            ),
        },
    }
    let running = trap.running();
    assert_eq!(
        running, 0,
        "{who}: user code still running after the call returned; {JOIN_HINT}"
    );
    let live = trap.live_threads();
    assert_eq!(
        live, 0,
        "{who}: {live} worker threads had not ended when the call returned; {JOIN_HINT}"
    );
    let calls = trap.calls();
    thread::sleep(Duration::from_millis(2));
    assert_eq!(
        trap.calls(),
        calls,
        "{who}: work went on after the call returned; {JOIN_HINT}"
    );
}

/// What to do about threads that outlive a call: the failure messages say it.
const JOIN_HINT: &str = "before returning, wait for every task and join every thread the \
    call started (`ps_strategy::join_in_order` and `ps_strategy::run_and_join` do, keeping the \
    first panic's payload; `std::thread::scope` alone waits for the closures to return, not for \
    the threads to end)";

/// The text of a panic's payload, if it is a message.
pub(crate) fn payload_text(payload: &(dyn Any + Send)) -> &str {
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
