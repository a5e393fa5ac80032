//! A refused thread is a typed error, never an abort, for every strategy.
//!
//! The operating system's limits cannot be reached safely in a test process
//! that other tests share, so each check runs in a child process — this test
//! binary again, running only `refused_child` — which lowers its own
//! address-space limit (`RLIMIT_AS`) until just a couple of thread stacks
//! fit, then asks a strategy for 64 threads. The address-space limit is used
//! because it binds root too: `RLIMIT_NPROC` does not apply to root, and
//! tests may run as root.
//!
//! The child asserts that the call ended with a [`SpawnRefused`] (a
//! [`ConfigError::ThreadStart`] for rayon, which starts its threads when
//! built), that every thread it started has ended, and that the same
//! strategy works again once the limit is lifted. The parent asserts that
//! the child exited normally — an abort would show as a signal — and really
//! reached the refusal.

use ps_catalog::StrategyKind;

/// The environment variable that names the child's strategy.
const CHILD: &str = "PS_REFUSAL_CHILD";

/// Threads each strategy is asked for.
const REQUESTED: usize = 64;

#[test]
fn a_refused_thread_is_a_typed_error_not_an_abort() {
    if !cfg!(target_os = "linux") {
        eprintln!("note: skipped: the child lowers its limits with Linux's setrlimit");
        return;
    }
    let binary = std::env::current_exe().expect("the test binary's path");
    for kind in StrategyKind::ALL {
        let output = std::process::Command::new(&binary)
            .args([
                "child::refused_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, kind.name())
            // The child's arithmetic assumes the standard thread stack size.
            .env_remove("RUST_MIN_STACK")
            .output()
            .expect("the test binary runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{kind}: the child ended with {}\n{stdout}\n{stderr}",
            output.status
        );
        let reached = if kind == StrategyKind::SERIAL {
            format!("{kind}: ran without threads")
        } else {
            format!("{kind}: refused: cannot start")
        };
        let line = stdout
            .lines()
            .find_map(|line| line.find(&reached).map(|at| &line[at..]));
        let Some(line) = line else {
            panic!("{kind}: the child did not report `{reached}`\n{stdout}\n{stderr}");
        };
        println!("{line}");
    }
}

#[cfg(target_os = "linux")]
mod child {
    use std::thread;
    use std::time::Duration;

    use ps_catalog::{AnyStrategy, StrategyKind};
    use ps_strategy::conformance::watchdog;
    use ps_strategy::spawn::{Refusal, threads_alive};
    use ps_strategy::{Config, ConfigError, SpawnRefused, Strategy};

    use super::{CHILD, REQUESTED};

    /// The stack a standard library thread reserves (rayon's threads use the
    /// same default).
    const THREAD_STACK: u64 = 2 << 20;

    /// Address space left free under the lowered limit: two and a half
    /// thread stacks, so two threads start and the third is refused, with
    /// about a megabyte to spare for the small maps each started thread
    /// makes and for reporting the refusal.
    const ROOM: u64 = 5 * THREAD_STACK / 2;

    #[test]
    #[ignore = "run in a child process by a_refused_thread_is_a_typed_error_not_an_abort"]
    fn refused_child() {
        let kind: StrategyKind = std::env::var(CHILD)
            .expect("run by the parent test, which names the strategy")
            .parse()
            .expect("the parent passes a strategy name");
        watchdog("refused_child", move |_| check(kind));
    }

    fn check(kind: StrategyKind) {
        let baseline = threads_alive().expect("Linux reports a thread count");
        let input: Vec<u64> = (0..1_000).collect();
        let expected: Vec<u64> = input.iter().map(|x| x + 1).collect();
        let config = Config::new(REQUESTED, 1).expect("non-zero");
        // Every strategy but rayon starts its threads in each call, so it is
        // built before the limit is lowered; rayon's pool is started by the
        // constructor, under the limit.
        let built = (kind != StrategyKind::RAYON)
            .then(|| AnyStrategy::build(kind, config).expect("nothing is started yet"));
        let saved = limit_address_space(ROOM);
        let outcome = match &built {
            Some(strategy) => SpawnRefused::catch(|| strategy.map(&input, |x| x + 1)),
            None => match AnyStrategy::build(kind, config) {
                Err(ConfigError::ThreadStart(refused)) => Err(refused),
                Err(other) => panic!("{kind}: the wrong error: {other}"),
                Ok(_) => panic!("{kind}: built {REQUESTED} threads in {ROOM} bytes"),
            },
        };
        restore_address_space(saved);
        settle(baseline);
        match outcome {
            Ok(output) => {
                assert_eq!(kind, StrategyKind::SERIAL, "{kind}: not refused");
                assert_eq!(output, expected);
                println!("{kind}: ran without threads");
            }
            Err(refused) => {
                println!("{kind}: refused: {refused}");
                assert!(matches!(refused.reason, Refusal::Os { .. }), "{refused:?}");
                assert!(refused.started < refused.requested, "{refused:?}");
                // Usable again once the operating system has room.
                let strategy = built.unwrap_or_else(|| {
                    AnyStrategy::build(kind, config).expect("the limit is lifted")
                });
                assert_eq!(strategy.map(&input, |x| x + 1), expected);
            }
        }
    }

    /// Waits until the thread count is back to `baseline`: a joined thread
    /// may be counted for a moment while it exits. A thread left running
    /// keeps the count up, and the watchdog fails the check.
    fn settle(baseline: usize) {
        while threads_alive().is_some_and(|alive| alive > baseline) {
            thread::sleep(Duration::from_millis(1));
        }
    }

    /// Lowers the soft address-space limit to what the process uses now plus
    /// `room` bytes; returns the limits to restore.
    fn limit_address_space(room: u64) -> libc::rlimit {
        let status = std::fs::read_to_string("/proc/self/status").expect("Linux has it");
        let used_kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmSize:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmSize is reported in kB");
        let mut saved = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: `saved` is a valid, writable rlimit for getrlimit to fill.
        assert_eq!(
            unsafe { libc::getrlimit(libc::RLIMIT_AS, &raw mut saved) },
            0
        );
        let lowered = libc::rlimit {
            rlim_cur: used_kib * 1024 + room,
            rlim_max: saved.rlim_max,
        };
        // SAFETY: a valid rlimit, read only; lowering a soft limit is allowed.
        assert_eq!(
            unsafe { libc::setrlimit(libc::RLIMIT_AS, &raw const lowered) },
            0
        );
        saved
    }

    fn restore_address_space(saved: libc::rlimit) {
        // SAFETY: a valid rlimit, read only; the soft limit returns to its old
        // value, within the unchanged hard limit.
        assert_eq!(
            unsafe { libc::setrlimit(libc::RLIMIT_AS, &raw const saved) },
            0
        );
    }
}
