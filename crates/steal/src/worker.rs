//! One call's workers: their deques, the injector, stealing and splitting.

use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, PoisonError};

use crossbeam_deque::{Injector, Steal, Stealer, Worker};

use crate::sleep::Sleep;

/// A job: a range of task indices, none of them run yet.
type Job = Range<usize>;

/// What the workers of one call share.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Where the call's work enters: the whole range of tasks, as one job.
    injector: Injector<Job>,
    /// The stealing end of every worker's deque, by worker index.
    stealers: Vec<Stealer<Job>>,
    /// The owning end of every worker's deque, taken by its worker when it
    /// starts. A `Worker` may move between threads but not be shared, so
    /// each waits here, behind a lock that is taken once, for its thread.
    owners: Vec<Mutex<Option<Worker<Job>>>>,
    sleep: Sleep,
}

impl Shared {
    // ANCHOR: new
    /// The deques of `workers` workers, and the `tasks` tasks of the call as
    /// one job in the injector.
    pub(crate) fn new(workers: usize, tasks: usize) -> Self {
        // LIFO: a worker pops the job it pushed last (the smallest, and the
        // nearest to the task it just ran), while thieves take the oldest
        // (the largest) from the other end.
        let owners: Vec<Worker<Job>> = (0..workers).map(|_| Worker::new_lifo()).collect();
        let injector = Injector::new();
        injector.push(0..tasks);
        Shared {
            injector,
            stealers: owners.iter().map(Worker::stealer).collect(),
            owners: owners
                .into_iter()
                .map(|owner| Mutex::new(Some(owner)))
                .collect(),
            sleep: Sleep::new(tasks),
        }
    }
    // ANCHOR_END: new

    /// Worker `me`'s share of the call: runs tasks until the call is over,
    /// and returns the results it computed, tagged with their indices.
    ///
    /// If a task panics, the call is stopped — the other workers leave at
    /// their next task, the sleeping ones are woken to leave — and the panic
    /// goes on with its payload.
    pub(crate) fn work<R>(&self, me: usize, task: &impl Fn(usize) -> R) -> Vec<(usize, R)> {
        let own = self.owners[me]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .expect("each worker starts once per call");
        let mut done = Vec::new();
        // Unwind safety: after a panic only the stop flag is touched, and
        // the panic is then resumed.
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            self.run_jobs(me, &own, task, &mut done);
        }));
        if let Err(payload) = outcome {
            self.sleep.stop();
            panic::resume_unwind(payload);
        }
        done
    }

    // ANCHOR: run_jobs
    /// The worker loop: take a job, halve it down to one task while pushing
    /// the other halves for thieves, run that task, repeat.
    fn run_jobs<R>(
        &self,
        me: usize,
        own: &Worker<Job>,
        task: &impl Fn(usize) -> R,
        done: &mut Vec<(usize, R)>,
    ) {
        let mut ran = 0;
        while let Some(mut job) = self.next_job(me, own, &mut ran) {
            while job.len() > 1 {
                let middle = job.start + job.len() / 2;
                own.push(middle..job.end);
                self.sleep.announce_work();
                job.end = middle;
            }
            done.push((job.start, task(job.start)));
            ran += 1;
        }
    }
    // ANCHOR_END: run_jobs

    // ANCHOR: next_job
    /// The next job for worker `me`: its own newest, else one stolen, else —
    /// after sleeping until there is one — one stolen later. `None` once the
    /// call is over.
    fn next_job(&self, me: usize, own: &Worker<Job>, ran: &mut usize) -> Option<Job> {
        if self.sleep.is_stopped() {
            return None;
        }
        if let Some(job) = own.pop() {
            return Some(job);
        }
        // Out of its own work, the worker reports the tasks it ran since it
        // last reported: only then may it sleep, and the worker that ran
        // the last task finds that the call is over here.
        self.sleep.finished(std::mem::take(ran));
        self.sleep.wait_for_work(|| self.steal(me))
    }
    // ANCHOR_END: next_job

    // ANCHOR: steal
    /// A job from the injector or, failing that, from the other workers'
    /// deques, starting with the next worker's so that thieves spread out.
    /// A steal that lost a race (`Steal::Retry`) is tried again; `None` only
    /// when every queue was seen empty.
    fn steal(&self, me: usize) -> Option<Job> {
        let victims = (me + 1..self.stealers.len()).chain(0..me);
        std::iter::repeat_with(|| {
            self.injector.steal().or_else(|| {
                victims
                    .clone()
                    .map(|victim| self.stealers[victim].steal())
                    .collect()
            })
        })
        .find(|attempt| !attempt.is_retry())
        .and_then(Steal::success)
    }
    // ANCHOR_END: steal
}
