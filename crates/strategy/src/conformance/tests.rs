//! The watchdog counts lack of progress, not time: a deadlock fails and names
//! its case; a slow strategy that keeps finishing cases passes, however long
//! the whole check takes. The limit is shortened here so that the hang is
//! seen in a fraction of a second instead of [`WATCHDOG`](super::WATCHDOG).

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::serial::check_all_operations;
use super::sweep::Sweep;
use crate::{Chunks, Config, Strategy};

/// Runs every task on the calling thread, after an optional pause, unless it
/// was configured with `deadlock_from` threads or more: then it deadlocks
/// the way a strategy does that joins a worker before closing the channel
/// the worker waits on.
#[derive(Debug)]
struct Toy {
    config: Config,
    pause: Duration,
    deadlock_from: usize,
}

impl Strategy for Toy {
    fn name(&self) -> &'static str {
        "toy"
    }

    fn threads(&self) -> usize {
        self.config.threads()
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, self.config.grain())
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        if self.config.threads() >= self.deadlock_from {
            thread::scope(|scope| {
                let (jobs, inbox) = mpsc::channel::<usize>();
                let worker = scope.spawn(move || inbox.iter().count());
                // The bug: joined while `jobs` is still open.
                let _ = worker.join();
                drop(jobs);
            });
        }
        thread::sleep(self.pause);
        (0..count).map(task).collect()
    }
}

fn toy(pause: Duration, deadlock_from: usize) -> impl Fn(Config) -> Toy + Send + 'static {
    move |config| Toy {
        config,
        pause,
        deadlock_from,
    }
}

fn panic_message(call: impl FnOnce()) -> String {
    let payload = panic::catch_unwind(AssertUnwindSafe(call)).expect_err("the check must fail");
    super::panics::payload_text(payload.as_ref()).to_owned()
}

#[test]
fn a_deadlock_fails_and_names_the_case_it_stuck_in() {
    let limit = Duration::from_millis(300);
    let message = panic_message(|| {
        Sweep::new("deadlock", toy(Duration::ZERO, 4))
            .limit(limit)
            .run(|_, _| [5], check_all_operations);
    });
    assert!(
        message.starts_with(
            "deadlock: nothing finished within 300ms at threads 4, grain 1, 5 elements"
        ),
        "{message}"
    );
    assert!(message.contains("hangs"), "{message}");
}

#[test]
fn a_slow_strategy_that_keeps_finishing_cases_is_not_a_hang() {
    let limit = Duration::from_secs(1);
    let pause = Duration::from_millis(150);
    let start = Instant::now();
    // 8 thread counts times 2 grains, each case one call of at least
    // `pause`: the whole check runs well past the limit, but never without
    // a case finishing for that long.
    Sweep::new("slow", toy(pause, usize::MAX))
        .grains(&[1, 2])
        .limit(limit)
        .run(
            |_, _| [1],
            |strategy: &Toy, len| {
                strategy.run_tasks(len, |i| i);
            },
        );
    assert!(start.elapsed() > 2 * limit);
}

#[test]
fn a_failure_names_the_check_and_the_case() {
    let message = panic_message(|| {
        Sweep::new("odd", toy(Duration::ZERO, usize::MAX)).run(
            |_, _| [4],
            |strategy: &Toy, len| {
                assert!(
                    strategy.threads() != 3 || len != 4,
                    "three threads and four"
                );
            },
        );
    });
    assert_eq!(
        message,
        "odd failed at threads 3, grain 1, 4 elements (toy with 3 threads): three threads and four"
    );
}
