//! The tables of the four in-process programs.

use std::fmt::Write as _;

use ps_harness::human;

use super::{header, maybe, ratio, table};
use crate::Machine;
use crate::async_cpu::{CpuOnAsync, Placement};
use crate::blocking::Blocking;
use crate::mutex::{Deadlock, Ending, Serialisation};
use crate::oversubscription::{NestedRun, Sizing};
use crate::system::SystemLimits;

/// The mutex program's tables.
#[must_use]
pub fn mutex(machine: &Machine, serial: &Serialisation, deadlock: &Deadlock) -> String {
    let mut out = header(machine);
    let _ = writeln!(
        out,
        "{} items of {} on a rayon pool of {} threads, each adding its result into one `Mutex<u64>`:\n",
        serial.items, serial.work, serial.threads
    );
    let row = |name: &str, run: &crate::mutex::LockedRun| {
        vec![
            name.to_owned(),
            human(run.wall),
            run.peak_working.to_string(),
            run.total.to_string(),
        ]
    };
    out += &table(
        &[
            "lock held",
            "wall time",
            "most tasks working at once",
            "total",
        ],
        1,
        &[
            row("across the work", &serial.lock_across_work),
            row("only to add the result", &serial.lock_to_add),
        ],
    );
    let _ = writeln!(
        out,
        "\nOn this machine, holding the lock across the work took {} the time of taking it only to add, and let at most {} task(s) work at once against {}.\n",
        ratio(serial.lock_across_work.wall, serial.lock_to_add.wall),
        serial.lock_across_work.peak_working,
        serial.lock_to_add.peak_working
    );
    let ending = |ending: &Ending| match ending {
        Ending::Finished { items_done, wall } => {
            vec!["finished".to_owned(), items_done.to_string(), human(*wall)]
        }
        Ending::Deadlocked {
            items_done,
            stalled_for,
        } => vec![
            format!(
                "**deadlocked**: no progress for {}, cancelled by the watchdog",
                human(*stalled_for)
            ),
            items_done.to_string(),
            "—".to_owned(),
        ],
    };
    let _ = writeln!(
        out,
        "The caller adds {} items, summed on a pool of {} threads, into a total it guards with the same mutex:\n",
        deadlock.items, deadlock.threads
    );
    let mut held = vec!["the caller holds the lock while the pool runs".to_owned()];
    held.extend(ending(&deadlock.lock_held_by_caller));
    let mut after = vec!["the pool returns a sum; the caller locks once after".to_owned()];
    after.extend(ending(&deadlock.lock_taken_after));
    out += &table(
        &["version", "ending", "items done", "wall time"],
        2,
        &[held, after],
    );
    out
}

/// The blocking program's table.
#[must_use]
pub fn blocking(machine: &Machine, run: &Blocking) -> String {
    let mut out = header(machine);
    let _ = writeln!(
        out,
        "{} waits of {} each, then {} items of {}, handed to a rayon pool of {} threads; times from the first hand-out:\n",
        run.waits,
        human(run.delay),
        run.compute_tasks,
        run.work,
        run.pool_threads
    );
    let row = |name: &str, r: &crate::blocking::BlockingRun| {
        vec![
            name.to_owned(),
            r.peak_waiting.to_string(),
            human(r.waits_done),
            human(r.compute_started),
            human(r.compute_done),
        ]
    };
    out += &table(
        &[
            "waits run on",
            "most waits at once",
            "waits done",
            "first computing task started",
            "computing done",
        ],
        1,
        &[
            row("the compute pool", &run.on_pool),
            row("a thread each", &run.own_threads),
        ],
    );
    let _ = writeln!(
        out,
        "\nOn this machine, the waits on the compute pool took {} as long as on threads of their own, and the computing queued behind them started after {} instead of {}.",
        ratio(run.on_pool.waits_done, run.own_threads.waits_done),
        human(run.on_pool.compute_started),
        human(run.own_threads.compute_started)
    );
    out
}

/// The oversubscription program's tables.
#[must_use]
pub fn oversubscription(
    machine: &Machine,
    sizing: &Sizing,
    limits: &SystemLimits,
    outer_items: usize,
    inner_items: usize,
    work: crate::Work,
    runs: &[NestedRun],
) -> String {
    let mut out = header(machine);
    out += "What this process may compute with:\n\n";
    out += &table(
        &["source", "reports"],
        2,
        &[
            vec![
                "`std::thread::available_parallelism()`".to_owned(),
                sizing.available_parallelism.to_string(),
            ],
            vec![
                "processors online (`/proc/cpuinfo`)".to_owned(),
                maybe(sizing.online_cpus),
            ],
            vec![
                "cgroup v2 CPU quota".to_owned(),
                sizing.cpu_quota.describe(),
            ],
            vec![
                "`RAYON_NUM_THREADS`".to_owned(),
                sizing
                    .rayon_num_threads
                    .clone()
                    .unwrap_or_else(|| "not set".to_owned()),
            ],
            vec![
                "`/proc/sys/kernel/threads-max`".to_owned(),
                limits.threads_max(),
            ],
            vec![
                "max processes (`ulimit -u`, counts threads)".to_owned(),
                limits.max_processes(),
            ],
            vec![
                "cgroup `pids.max`".to_owned(),
                limits
                    .cgroup_pids_max
                    .clone()
                    .unwrap_or_else(|| "no pids.max file".to_owned()),
            ],
        ],
    );
    let _ = writeln!(
        out,
        "\nA nested loop, {outer_items} outer items × {inner_items} inner items of {work}, with its threads arranged four ways:\n"
    );
    let Some(first) = runs.first() else {
        return out;
    };
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|run| {
            vec![
                run.layout.describe(),
                run.threads_started.to_string(),
                run.layout.threads_at_once().to_string(),
                maybe(run.peak_os_threads),
                human(run.wall),
                ratio(run.wall, first.wall),
            ]
        })
        .collect();
    out += &table(
        &[
            "threads",
            "started",
            "computing at once (at most)",
            "peak OS threads seen",
            "wall time",
            "vs first row",
        ],
        1,
        &rows,
    );
    if let Some(most) = runs.iter().max_by_key(|run| run.threads_started) {
        let _ = writeln!(
            out,
            "\nOn this machine, the arrangement that started the most threads, {} ({} started), took {} the time of {}.",
            most.layout.describe(),
            most.threads_started,
            ratio(most.wall, first.wall),
            first.layout.describe()
        );
    }
    out
}

/// The async program's table.
#[must_use]
pub fn async_cpu(machine: &Machine, result: &CpuOnAsync) -> String {
    let mut out = header(machine);
    let _ = writeln!(
        out,
        "{} items of {} on a tokio runtime of {} workers, then one tiny ping task:\n",
        result.tasks, result.work, result.workers
    );
    let rows: Vec<Vec<String>> = result
        .runs
        .iter()
        .map(|run| {
            vec![
                run.placement.to_string(),
                human(run.ping_waited),
                format!("{} of {}", run.finished_before_ping, result.tasks),
                human(run.wall),
                maybe(run.peak_threads),
            ]
        })
        .collect();
    out += &table(
        &[
            "computing runs",
            "ping waited",
            "computing tasks finished before the ping",
            "computing done",
            "peak OS threads",
        ],
        1,
        &rows,
    );
    let find = |placement| result.runs.iter().find(|run| run.placement == placement);
    if let (Some(inside), Some(blocking)) =
        (find(Placement::InTasks), find(Placement::SpawnBlocking))
    {
        let _ = writeln!(
            out,
            "\nOn this machine, with the computing inside the tasks the ping waited {} ({} computing tasks finished first); with spawn_blocking it waited {}.",
            human(inside.ping_waited),
            inside.finished_before_ping,
            human(blocking.ping_waited)
        );
    }
    out
}
