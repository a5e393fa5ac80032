//! The sleep and termination protocol under the loom model checker.
//!
//! Run with (from the repository root):
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p ps-steal --lib --release --target-dir target/loom loom
//! ```
//!
//! Under `cfg(loom)` the protocol's atomics, lock and condition variable are
//! loom's (see `ps_strategy::sync`), so these tests run the real [`Sleep`]
//! on `loom::thread`s and loom explores their interleavings, and every value
//! a relaxed or acquire load may see. The deques are not loom's, so the
//! models replace them with [`Slots`]: a job is published by a release
//! store and looked for by plain acquire loads, which is what the protocol
//! may assume of a Chase–Lev deque — and just as weak, so that a lost
//! wake-up cannot hide behind a lock the real deques do not take.
//!
//! The first model is explored without a bound; the two with three threads
//! are bounded to one preemption and the two workers sharing a split job to
//! three, so that the step takes seconds. Each model prints how many
//! executions it explored, and `LOOM_MAX_PREEMPTIONS` overrides the bounds
//! for a longer search.
//!
//! A lost wake-up shows as a deadlock: three of the models have a thread
//! that pushes work and then waits for the call to end without running any,
//! so if the sleeper that should run the work is never woken, every thread
//! sleeps and loom fails the model.

use loom::thread;
use ps_strategy::sync::atomic::{AtomicBool, Ordering};
use ps_strategy::sync::{Arc, check_model};

use super::Sleep;

/// Stand-ins for the deques: job `i` is available while slot `i` is set.
struct Slots(Vec<AtomicBool>);

impl Slots {
    fn new(jobs: usize) -> Self {
        Slots((0..jobs).map(|_| AtomicBool::new(false)).collect())
    }

    /// Makes job `index` available, as a push does.
    fn push(&self, index: usize) {
        self.0[index].store(true, Ordering::Release);
    }

    /// Takes an available job, as a steal does: a load first, and a
    /// read-modify-write only where the load saw a job.
    fn steal(&self) -> Option<usize> {
        self.0
            .iter()
            .position(|slot| slot.load(Ordering::Acquire) && slot.swap(false, Ordering::AcqRel))
    }
}

/// A worker's loop, as `Shared::run_jobs` and `Shared::next_job` run it:
/// report the tasks run so far, wait for a job, run it. Running job `i`
/// publishes the jobs `splits(i)` (its halves) and announces each; running
/// job `panic_at` stops the call instead. Returns the jobs this worker ran.
fn worker(
    sleep: &Sleep,
    slots: &Slots,
    splits: impl Fn(usize) -> Vec<usize>,
    panic_at: Option<usize>,
) -> Vec<usize> {
    let mut ran = Vec::new();
    let mut unreported = 0;
    while !sleep.is_stopped() {
        sleep.finished(std::mem::take(&mut unreported));
        let Some(job) = sleep.wait_for_work(|| slots.steal()) else {
            break;
        };
        if Some(job) == panic_at {
            sleep.stop();
            break;
        }
        for half in splits(job) {
            slots.push(half);
            sleep.announce_work();
        }
        ran.push(job);
        unreported += 1;
    }
    ran
}

/// One pushed job and one idle worker: the worker runs it. The pushing
/// thread never runs work itself, so if the worker's wake-up were lost both
/// would sleep for ever.
#[test]
fn loom_a_pushed_job_wakes_the_sleeper() {
    check_model("a pushed job wakes the sleeper", None, || {
        let sleep = Arc::new(Sleep::new(1));
        let slots = Arc::new(Slots::new(1));
        let idle = {
            let (sleep, slots) = (Arc::clone(&sleep), Arc::clone(&slots));
            thread::spawn(move || worker(&sleep, &slots, |_| Vec::new(), None))
        };
        slots.push(0);
        sleep.announce_work();
        assert_eq!(sleep.wait_for_work(|| None::<usize>), None);
        assert_eq!(idle.join().expect("loom joins the worker"), [0]);
        assert!(sleep.is_over() && !sleep.is_stopped());
    });
}

/// Two workers, the calling thread one of them, and a job that splits in
/// two: every job runs once and both workers learn that the call is over,
/// whichever of them reports last.
#[test]
fn loom_two_workers_share_a_split_job() {
    check_model("two workers share a split job", Some(3), || {
        let sleep = Arc::new(Sleep::new(2));
        let slots = Arc::new(Slots::new(2));
        let split = |job: usize| if job == 0 { vec![1] } else { Vec::new() };
        slots.push(0);
        let other = {
            let (sleep, slots) = (Arc::clone(&sleep), Arc::clone(&slots));
            thread::spawn(move || worker(&sleep, &slots, split, None))
        };
        let mut ran = worker(&sleep, &slots, split, None);
        ran.extend(other.join().expect("loom joins the worker"));
        ran.sort_unstable();
        assert_eq!(ran, [0, 1], "every job runs exactly once");
        assert!(sleep.is_over() && !sleep.is_stopped());
    });
}

/// A job pushed by a thread that then only waits, which splits into two
/// more when run, on two idle workers: every job runs once, and the last
/// report ends the call for every thread, the sleeping ones included.
#[test]
fn loom_splits_reach_sleepers_and_the_last_report_ends_the_call() {
    check_model("splits reach sleepers", Some(1), || {
        let sleep = Arc::new(Sleep::new(3));
        let slots = Arc::new(Slots::new(3));
        let split = |job: usize| if job == 0 { vec![1, 2] } else { Vec::new() };
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (sleep, slots) = (Arc::clone(&sleep), Arc::clone(&slots));
                thread::spawn(move || worker(&sleep, &slots, split, None))
            })
            .collect();
        slots.push(0);
        sleep.announce_work();
        assert_eq!(sleep.wait_for_work(|| None::<usize>), None);
        let mut ran: Vec<usize> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("loom joins the worker"))
            .collect();
        ran.sort_unstable();
        assert_eq!(ran, [0, 1, 2], "every job runs exactly once");
        assert!(sleep.is_over() && !sleep.is_stopped());
    });
}

/// A job that panics while another worker sleeps or runs: the stop reaches
/// every thread, sleeping or not, and the call ends with a job unreported.
#[test]
fn loom_a_panic_stops_every_worker() {
    check_model("a panic stops every worker", Some(1), || {
        let sleep = Arc::new(Sleep::new(3));
        let slots = Arc::new(Slots::new(3));
        let split = |job: usize| if job == 0 { vec![1, 2] } else { Vec::new() };
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (sleep, slots) = (Arc::clone(&sleep), Arc::clone(&slots));
                thread::spawn(move || worker(&sleep, &slots, split, Some(1)))
            })
            .collect();
        slots.push(0);
        sleep.announce_work();
        assert_eq!(sleep.wait_for_work(|| None::<usize>), None);
        let ran: Vec<usize> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("loom joins the worker"))
            .collect();
        assert!(sleep.is_stopped(), "job 1 always runs, and stops the call");
        assert!(ran.contains(&0) && !ran.contains(&1));
        assert!(ran.iter().filter(|&&job| job == 2).count() <= 1);
    });
}
