//! The watchdog: a check is hung when it stops making progress, however
//! long it has been running.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::Duration;

use super::WATCHDOG;

/// Progress reports from a check to its [`watchdog`].
#[derive(Debug)]
pub struct Heartbeat {
    beats: AtomicUsize,
    /// What the check started last, for the message if it never finishes.
    current: Mutex<String>,
}

impl Heartbeat {
    fn new() -> Self {
        Heartbeat {
            beats: AtomicUsize::new(0),
            current: Mutex::new(String::new()),
        }
    }

    /// Reports progress: the watchdog's [`WATCHDOG`] limit starts again.
    pub fn beat(&self) {
        self.beats.fetch_add(1, Ordering::Relaxed);
    }

    /// Records what the check is starting now, such as
    /// `"threads 3, grain 7, 2 elements"`; a hang is reported with it.
    pub fn working_on(&self, what: impl Into<String>) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = what.into();
    }

    fn beats(&self) -> usize {
        self.beats.load(Ordering::Relaxed)
    }

    fn current(&self) -> String {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Runs `body` on a thread of its own and fails if it goes [`WATCHDOG`]
/// without finishing or calling [`Heartbeat::beat`]: only a lack of
/// progress counts, so a long body that beats stays alive on however busy a
/// machine. A panic in `body` is re-raised with its payload. A hung body is
/// left behind; the test process ends anyway.
///
/// ```
/// ps_strategy::conformance::watchdog("three steps", |heartbeat| {
///     for step in 0..3 {
///         heartbeat.working_on(format!("step {step}"));
///         heartbeat.beat();
///     }
/// });
/// ```
///
/// # Panics
///
/// If `body` panics or hangs; a hang is reported with what `body` last said
/// it was [working on](Heartbeat::working_on).
pub fn watchdog(check: &str, body: impl FnOnce(&Heartbeat) + Send + 'static) {
    watchdog_within(check, WATCHDOG, body);
}

/// [`watchdog`] with another limit than [`WATCHDOG`], for the suite's own
/// tests of hangs.
pub(crate) fn watchdog_within(
    check: &str,
    limit: Duration,
    body: impl FnOnce(&Heartbeat) + Send + 'static,
) {
    let heartbeat = Arc::new(Heartbeat::new());
    let (done, finished) = mpsc::channel();
    let runner = thread::Builder::new()
        .name(format!("conformance-{check}"))
        .spawn({
            let heartbeat = Arc::clone(&heartbeat);
            move || {
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| body(&heartbeat)));
                let _ = done.send(outcome);
            }
        })
        .expect("spawning the check's thread");
    let mut seen = heartbeat.beats();
    loop {
        match finished.recv_timeout(limit) {
            Ok(Ok(())) => {
                return runner
                    .join()
                    .expect("the check's thread caught its own panic");
            }
            Ok(Err(payload)) => panic::resume_unwind(payload),
            // Progress since the last look: a whole new period starts.
            Err(mpsc::RecvTimeoutError::Timeout) if heartbeat.beats() != seen => {
                seen = heartbeat.beats();
            }
            Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
                let current = heartbeat.current();
                let at = if current.is_empty() {
                    String::new()
                } else {
                    format!(" at {current}")
                };
                panic!(
                    "{check}: nothing finished within {limit:?}{at}: the strategy hangs \
                     (a deadlock, or a thread waiting for work that never comes)"
                )
            }
        }
    }
}
