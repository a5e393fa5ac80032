//! From a log of calls to what a reader asks of a schedule: who ran what,
//! how busy each thread was, and how long each waited for the slowest.

use std::collections::HashMap;
use std::thread::ThreadId;
use std::time::Duration;

use serde::Serialize;

use super::CallTrace;

/// One thread's share of a traced run.
#[derive(Debug, Clone, Serialize)]
pub struct Lane {
    /// `calling thread`, or `worker N` in the order the threads first
    /// started a task.
    pub label: String,
    /// Tasks it ran.
    pub tasks: usize,
    /// Runs of consecutive task indices it ran, summed over calls: one per
    /// block under static blocks, about one per claim under dynamic claims,
    /// and under work stealing one for the range a thread started with and
    /// one per range it stole — the tasks that ran where they were not
    /// queued.
    pub ranges: usize,
    /// Time inside its tasks, in seconds.
    pub busy_s: f64,
    /// Time between its last task of each call and the end of that call,
    /// summed over the calls (a whole call when it ran no task in it), in
    /// seconds: waiting for the slowest thread.
    pub idle_at_ends_s: f64,
    /// Its tasks as `[call, index, start, end]`, times in seconds from the
    /// start of the first call.
    pub spans: Vec<(usize, usize, f64, f64)>,
}

/// The outermost calls of a traced run, laid out one lane per thread.
///
/// ```
/// use ps_harness::{Strategy, Timeline, Traced};
///
/// let traced = Traced::new(ps_threads::StaticBlocks::new(2)?);
/// let total = traced.map_reduce(&[1_u64; 1000], || 0, |a, x| a + x, |a, b| a + b);
/// assert_eq!(total, 1000);
/// let timeline = Timeline::from_calls(&traced.log().take());
/// assert_eq!(timeline.lanes.iter().map(|lane| lane.tasks).sum::<usize>(), 2);
/// assert!(timeline.imbalance() >= 1.0);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// One per thread that ran a task, the calling thread first.
    pub lanes: Vec<Lane>,
    /// Each outermost call as `[start, end]`, in seconds from the first.
    pub calls: Vec<(f64, f64)>,
    /// How many tasks each outermost call ran.
    pub call_tasks: Vec<usize>,
}

impl Timeline {
    /// Lays out the outermost (depth 0) calls of `calls`; nested calls run
    /// inside their tasks' spans and are left out.
    #[must_use]
    pub fn from_calls(calls: &[CallTrace]) -> Timeline {
        let outer: Vec<&CallTrace> = calls.iter().filter(|call| call.depth == 0).collect();
        let Some(origin) = outer.iter().map(|call| call.start).min() else {
            return Timeline {
                lanes: Vec::new(),
                calls: Vec::new(),
                call_tasks: Vec::new(),
            };
        };
        // To a tenth of a microsecond, finer than the clock is worth on a
        // timeline, so that a report of thousands of tasks stays small.
        let seconds = |at: Duration| (at.saturating_sub(origin).as_secs_f64() * 1e7).round() / 1e7;
        let caller = outer[0].caller;
        let order = lane_order(&outer, caller);
        let mut lanes: Vec<Lane> = order
            .iter()
            .enumerate()
            .map(|(number, &thread)| Lane {
                label: if thread == caller {
                    "calling thread".to_owned()
                } else {
                    format!("worker {}", number + usize::from(order[0] != caller))
                },
                tasks: 0,
                ranges: 0,
                busy_s: 0.0,
                idle_at_ends_s: 0.0,
                spans: Vec::new(),
            })
            .collect();
        let lane_of: HashMap<ThreadId, usize> =
            order.iter().enumerate().map(|(i, &t)| (t, i)).collect();
        for (number, call) in outer.iter().enumerate() {
            let mut last_end = vec![call.start; lanes.len()];
            let mut previous = None;
            for task in &call.tasks {
                let lane = lane_of[&task.thread];
                let entry = &mut lanes[lane];
                entry.tasks += 1;
                // Tasks are in index order: a range starts wherever the
                // previous index ran on another thread.
                entry.ranges += usize::from(previous != Some(task.thread));
                previous = Some(task.thread);
                entry.busy_s += task.end.saturating_sub(task.start).as_secs_f64();
                entry
                    .spans
                    .push((number, task.index, seconds(task.start), seconds(task.end)));
                last_end[lane] = last_end[lane].max(task.end);
            }
            for (lane, end) in lanes.iter_mut().zip(last_end) {
                lane.idle_at_ends_s += call.end.saturating_sub(end).as_secs_f64();
            }
        }
        Timeline {
            lanes,
            calls: outer
                .iter()
                .map(|call| (seconds(call.start), seconds(call.end)))
                .collect(),
            call_tasks: outer.iter().map(|call| call.tasks.len()).collect(),
        }
    }

    /// The busiest thread's busy time over the mean: 1.0 is perfect balance.
    #[must_use]
    pub fn imbalance(&self) -> f64 {
        let busy: Vec<f64> = self.lanes.iter().map(|lane| lane.busy_s).collect();
        let mean = busy.iter().sum::<f64>() / busy.len().max(1) as f64;
        let most = busy.iter().copied().fold(0.0, f64::max);
        if mean > 0.0 { most / mean } else { 1.0 }
    }

    /// From the start of the first call to the end of the last, in seconds.
    #[must_use]
    pub fn wall_s(&self) -> f64 {
        self.calls.last().map_or(0.0, |&(_, end)| end)
    }

    /// Time inside calls, summed over the calls, in seconds.
    #[must_use]
    pub fn in_calls_s(&self) -> f64 {
        self.calls.iter().map(|&(start, end)| end - start).sum()
    }

    /// The share of the lanes' time inside calls spent in tasks.
    #[must_use]
    pub fn utilisation(&self) -> f64 {
        let available = self.in_calls_s() * self.lanes.len() as f64;
        let busy: f64 = self.lanes.iter().map(|lane| lane.busy_s).sum();
        if available > 0.0 {
            busy / available
        } else {
            0.0
        }
    }

    /// The tasks of outermost call number `call`.
    #[must_use]
    pub fn tasks_in_call(&self, call: usize) -> usize {
        self.call_tasks[call]
    }

    /// Every task of every outermost call, counted once.
    #[must_use]
    pub fn tasks(&self) -> usize {
        self.lanes.iter().map(|lane| lane.tasks).sum()
    }
}

/// The threads that ran tasks: the calling thread first when it ran any,
/// then the others in the order they first started one.
fn lane_order(calls: &[&CallTrace], caller: ThreadId) -> Vec<ThreadId> {
    let mut first_start: HashMap<ThreadId, Duration> = HashMap::new();
    for task in calls.iter().flat_map(|call| &call.tasks) {
        first_start
            .entry(task.thread)
            .and_modify(|start| *start = (*start).min(task.start))
            .or_insert(task.start);
    }
    let mut order: Vec<ThreadId> = first_start.keys().copied().collect();
    order.sort_by_key(|thread| (*thread != caller, first_start[thread]));
    order
}
