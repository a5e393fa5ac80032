//! Every lab program, run small, checked for what it shows. Each check
//! counts events or compares two things measured in the same run; none
//! compares a time with a fixed threshold.

use std::path::Path;
use std::time::Duration;

use ps_catalog::StrategyKind;
use ps_lab::async_cpu::{self, Placement};
use ps_lab::mutex::{self, Ending};
use ps_lab::oversubscription::{self, Layout};
use ps_lab::waiting::{self, Probe, Runner};
use ps_lab::{Scale, Work, blocking};

const LAB: &str = env!("CARGO_BIN_EXE_ps-lab");

#[test]
fn a_lock_held_across_the_work_lets_one_task_work_at_a_time() {
    let delay = Duration::from_millis(2);
    let items = 32;
    let run = mutex::serialisation(2, items, Work::Wait(delay)).unwrap();
    assert_eq!(run.lock_across_work.peak_working, 1);
    // Sleeps that the lock serialises cannot take less than their sum.
    assert!(run.lock_across_work.wall >= delay * items as u32);
    assert!(
        run.lock_to_add.peak_working >= 2,
        "two pool threads sleeping outside the lock never overlapped: {run:?}"
    );
    assert_eq!(run.lock_across_work.total, run.lock_to_add.total);
}

#[test]
fn the_caller_holding_the_lock_deadlocks_and_the_watchdog_reports_it() {
    let run = mutex::deadlock(2, 16, Scale::Quick.stall()).unwrap();
    assert_eq!(
        run.lock_held_by_caller,
        Ending::Deadlocked {
            items_done: 0,
            stalled_for: Scale::Quick.stall()
        }
    );
    assert!(matches!(
        run.lock_taken_after,
        Ending::Finished { items_done: 16, .. }
    ));
}

#[test]
fn waits_on_the_compute_pool_hold_it_and_delay_the_computing() {
    let (threads, waits, delay) = (2, 16, Scale::Quick.blocking_delay());
    let run = blocking::blocking(threads, waits, delay, 4, Scale::Quick.compute()).unwrap();
    assert!(run.on_pool.peak_waiting <= threads);
    // Each pool thread sleeps through its share of the waits one after another.
    assert!(run.on_pool.waits_done >= delay * (waits / threads) as u32);
    assert!(
        run.on_pool.waits_done > run.own_threads.waits_done,
        "{run:?}"
    );
    assert!(
        run.on_pool.compute_started > run.own_threads.compute_started,
        "{run:?}"
    );
}

#[test]
fn nested_threads_multiply_and_one_pool_does_not() {
    let (outer, inner) = Scale::Quick.nested_items();
    let layouts = Scale::Quick.layouts(2);
    let runs = oversubscription::nested(&layouts, outer, inner, Scale::Quick.compute()).unwrap();
    for (run, layout) in runs.iter().zip(&layouts) {
        assert_eq!(
            run.threads_started,
            layout.threads_to_start(outer),
            "{run:?}"
        );
        assert_eq!(run.total, runs[0].total);
    }
    assert_eq!(runs[0].layout, Layout::OnePool { threads: 2 });
    assert!(
        runs.iter()
            .skip(1)
            .all(|run| run.threads_started > runs[0].threads_started)
    );
}

#[test]
fn async_waits_on_100_000_items_with_a_bounded_number_of_threads() {
    let workers = 2;
    let probe = Probe {
        runner: Runner::Tokio,
        threads: workers,
        items: 100_000,
        delay: ps_workloads::latency::DEFAULT_DELAY,
    };
    let measured = probe.run_in_child(Path::new(LAB)).unwrap();
    // The runtime's workers and the main thread that waits on them; the
    // count would be 100,000 if every item held a thread.
    let Some(threads) = measured.peak_threads else {
        return; // no /proc to count with
    };
    assert!(threads <= workers + 2, "{measured:?}");
}

#[test]
fn the_study_measures_every_strategy_and_tokio_in_child_processes() {
    let study = waiting::study(
        Path::new(LAB),
        &[200],
        &[2, 8],
        Duration::from_micros(100),
        Duration::from_secs(1),
        2,
    );
    for row in &study.rows {
        assert!(row.outcome.is_ok(), "{row:?}");
    }
    for kind in StrategyKind::ALL
        .into_iter()
        .filter(|&k| k != StrategyKind::SERIAL)
    {
        assert!(study.best(Runner::Strategy(kind), 200).is_some(), "{kind}");
    }
    assert!(study.best(Runner::Tokio, 200).is_some());
}

#[test]
fn computing_inside_async_tasks_keeps_a_ping_waiting() {
    let workers = 2;
    let result =
        async_cpu::cpu_on_async(workers, 4 * workers, Work::Compute { numbers: 20_000 }).unwrap();
    let run = |placement| {
        *result
            .runs
            .iter()
            .find(|run| run.placement == placement)
            .unwrap()
    };
    let inside = run(Placement::InTasks);
    assert!(inside.finished_before_ping >= 1, "{result:?}");
    for offloaded in [Placement::SpawnBlocking, Placement::Rayon] {
        assert!(
            inside.finished_before_ping > run(offloaded).finished_before_ping,
            "{result:?}"
        );
        assert_eq!(run(offloaded).total, inside.total);
    }
}
