//! A watchdog that counts lack of progress, not wall time: it fires only
//! when a counter has not moved for a whole stall window, so a slow or busy
//! machine that still makes progress never trips it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// Runs `run` while a second thread watches `progress`. If `progress` stays
/// the same for a whole `stall` window, the watcher sets `cancel` (which
/// `run` must heed) and the stall is returned beside `run`'s result.
pub(crate) fn watch<R>(
    progress: &AtomicUsize,
    cancel: &AtomicBool,
    stall: Duration,
    run: impl FnOnce() -> R,
) -> (R, Option<Duration>) {
    let finished = (Mutex::new(false), Condvar::new());
    thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let (lock, wake) = &finished;
            let mut seen = progress.load(Ordering::SeqCst);
            let mut done = lock.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                let (guard, timeout) = wake
                    .wait_timeout_while(done, stall, |finished| !*finished)
                    .unwrap_or_else(PoisonError::into_inner);
                done = guard;
                if !timeout.timed_out() {
                    return None;
                }
                let now = progress.load(Ordering::SeqCst);
                if now == seen {
                    cancel.store(true, Ordering::SeqCst);
                    return Some(stall);
                }
                seen = now;
            }
        });
        let result = run();
        let (lock, wake) = &finished;
        *lock.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wake.notify_all();
        let stalled = watcher.join().unwrap_or(None);
        (result, stalled)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_while_progress_is_made() {
        let (progress, cancel) = (AtomicUsize::new(0), AtomicBool::new(false));
        let ((), stalled) = watch(&progress, &cancel, Duration::from_secs(5), || {
            for _ in 0..5 {
                progress.fetch_add(1, Ordering::SeqCst);
            }
        });
        assert_eq!(stalled, None);
        assert!(!cancel.load(Ordering::SeqCst));
    }

    #[test]
    fn fires_when_nothing_moves() {
        let (progress, cancel) = (AtomicUsize::new(0), AtomicBool::new(false));
        let (waits, stalled) = watch(&progress, &cancel, Duration::from_millis(20), || {
            let mut waits = 0;
            while !cancel.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(1));
                waits += 1;
            }
            waits
        });
        assert_eq!(stalled, Some(Duration::from_millis(20)));
        assert!(waits > 0);
    }
}
