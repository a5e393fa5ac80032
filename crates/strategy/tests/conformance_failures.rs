//! The conformance suite catches broken strategies and says where: each
//! failure names the check and the case (threads, grain, length), and a
//! strategy whose threads outlive the call is told how to join them.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

use ps_strategy::conformance::{self, PanicSite, Workers};
use ps_strategy::{Chunks, Config, Strategy};

/// The message of the panic `call` raises; fails if it returns normally.
fn failure(call: impl FnOnce()) -> String {
    let payload = panic::catch_unwind(AssertUnwindSafe(call)).expect_err("the check must fail");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// Runs its tasks on the calling thread and returns their results in reverse
/// order when `wrong_when(config, count)` says so; the trait's `map_reduce` then
/// panics ("out of order").
#[derive(Debug)]
struct Reverses {
    config: Config,
    /// What it reports as `threads()`.
    reported_threads: usize,
    wrong_when: fn(Config, usize) -> bool,
}

impl Strategy for Reverses {
    fn name(&self) -> &'static str {
        "reverses"
    }

    fn threads(&self) -> usize {
        self.reported_threads
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, self.config.grain())
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        let mut results: Vec<R> = (0..count).map(task).collect();
        if (self.wrong_when)(self.config, count) {
            results.reverse();
        }
        results
    }
}

/// A strategy that reports one thread, whatever it was configured with, is
/// still given inputs longer than one chunk: the first it gets wrong is two
/// elements of grain 1, under the configuration with three threads.
#[test]
fn a_one_thread_strategy_is_checked_on_more_than_empty_input() {
    let message = failure(|| {
        conformance::fewer_elements_than_threads(|config| Reverses {
            config,
            reported_threads: 1,
            wrong_when: |_, count| count > 1,
        });
    });
    assert!(
        message.starts_with("fewer_elements_than_threads failed at threads 3, grain 1, 2 elements (reverses with 1 threads):"),
        "{message}"
    );
}

#[test]
fn a_failure_names_its_threads_grain_and_length() {
    let message = failure(|| {
        conformance::lengths_not_multiple_of_grain(|config| Reverses {
            config,
            reported_threads: config.threads(),
            wrong_when: |config, _| config.threads() == 2 && config.grain() == 7,
        });
    });
    // The first length of that check is one past the grain: two chunks.
    assert!(
        message.starts_with("lengths_not_multiple_of_grain failed at threads 2, grain 7, 8 elements (reverses with 2 threads):"),
        "{message}"
    );
}

/// Runs its tasks in order on the calling thread, but cuts the input with a
/// different grain on each call (1, 2, … 7, then 1 again), so that a
/// floating-point sum is grouped differently from one call to the next.
#[derive(Debug, Default)]
struct RegroupsEachCall {
    calls: AtomicUsize,
}

impl Strategy for RegroupsEachCall {
    fn name(&self) -> &'static str {
        "regroups"
    }

    fn threads(&self) -> usize {
        1
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, 1 + self.calls.fetch_add(1, Ordering::Relaxed) % 7)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        (0..count).map(task).collect()
    }
}

/// Every result is right, but the rounding of a sum depends on the call: the
/// reproducibility check's terms are enough to show it at the first case.
#[test]
fn a_sum_grouped_differently_on_each_call_is_caught() {
    let message = failure(|| {
        conformance::float_reduction_is_reproducible(|_| RegroupsEachCall::default());
    });
    let first_case = format!(
        "float_reduction_is_reproducible failed at threads 1, grain 1, {} elements (regroups with 1 threads):",
        conformance::REPRODUCIBLE_LEN
    );
    assert!(
        message.starts_with(&first_case) && message.contains("the sum changed between runs"),
        "{message}"
    );
}

/// Released once the check has looked, so that the lingering threads end.
static RELEASE: (Mutex<bool>, Condvar) = (Mutex::new(false), Condvar::new());

/// Held by a worker thread until it ends: its destructor, run as the thread
/// ends, waits for [`RELEASE`] (or a few seconds at most).
struct Lingers;

impl Drop for Lingers {
    fn drop(&mut self) {
        let (released, wake) = &RELEASE;
        let released = released.lock().unwrap();
        let _ = wake.wait_timeout_while(released, Duration::from_secs(10), |released| !*released);
    }
}

thread_local! {
    static LINGERS: Lingers = const { Lingers };
}

/// Runs its tasks on a scoped thread and relies on `thread::scope` alone to
/// wait for it: the scope returns once the thread's closure has returned,
/// while the thread is still running its thread-local destructors.
#[derive(Debug)]
struct LeavesThreadsBehind;

impl Strategy for LeavesThreadsBehind {
    fn name(&self) -> &'static str {
        "leaves-threads-behind"
    }

    fn threads(&self) -> usize {
        1
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, 1)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        let outcome = Mutex::new(None);
        thread::scope(|scope| {
            // The bug: the handle is dropped, not joined; the scope waits
            // for the closure only.
            scope.spawn(|| {
                let results = panic::catch_unwind(AssertUnwindSafe(|| {
                    (0..count).map(&task).collect::<Vec<R>>()
                }));
                LINGERS.with(|_| {});
                *outcome.lock().unwrap() = Some(results);
            });
        });
        let outcome = outcome.into_inner().unwrap();
        outcome
            .expect("the worker stored its outcome")
            .unwrap_or_else(|payload| panic::resume_unwind(payload))
    }
}

#[test]
fn threads_that_outlive_the_call_are_pointed_to_the_join_helpers() {
    let message = failure(|| {
        conformance::check_panic_at(
            &LeavesThreadsBehind,
            Workers::PerCall,
            PanicSite::Task,
            4,
            2,
        );
    });
    let (released, wake) = &RELEASE;
    *released.lock().unwrap() = true;
    wake.notify_all();
    assert!(
        message.contains("1 worker threads had not ended when the call returned"),
        "{message}"
    );
    assert!(message.contains("join_in_order"), "{message}");
    assert!(message.contains("run_and_join"), "{message}");
}
