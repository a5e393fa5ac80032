//! What the operating system says about this process and its limits: thread
//! counts and peak memory from `/proc/self/status`, the thread limits, and
//! the CPU quota of the control group the process runs in.
//!
//! Every reader returns `None` (or says "not present") where the file does
//! not exist, as on a system without `/proc`: the lab still runs, and its
//! tables say what could not be read.

use std::fs;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The value of one `Key:` line of `/proc/self/status`, first word only.
fn status_field(key: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|value| value.parse().ok())
}

/// The number of OS threads in this process now (`Threads:`).
///
/// ```
/// if let Some(threads) = ps_lab::system::os_threads() {
///     assert!(threads >= 1);
/// }
/// ```
#[must_use]
pub fn os_threads() -> Option<usize> {
    status_field("Threads").map(|threads| threads as usize)
}

/// The peak resident memory of this process so far, in KiB (`VmHWM:`).
#[must_use]
pub fn peak_memory_kib() -> Option<u64> {
    status_field("VmHWM")
}

/// Watches `Threads:` from a thread of its own and keeps the highest count,
/// not counting itself.
///
/// ```
/// let watcher = ps_lab::system::ThreadPeak::start();
/// std::thread::scope(|scope| {
///     for _ in 0..3 {
///         scope.spawn(|| std::thread::sleep(std::time::Duration::from_millis(30)));
///     }
/// });
/// if let Some(peak) = watcher.stop() {
///     assert!(peak >= 1);
/// }
/// ```
#[derive(Debug)]
pub struct ThreadPeak {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicUsize>,
    handle: JoinHandle<()>,
}

/// How often [`ThreadPeak`] looks; short enough to see threads that live for
/// a few milliseconds, long enough to cost little.
const SAMPLE_EVERY: Duration = Duration::from_micros(500);

impl ThreadPeak {
    /// Starts watching.
    ///
    /// # Panics
    ///
    /// If the operating system refuses the one watching thread.
    #[must_use]
    pub fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicUsize::new(0));
        let handle = {
            let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak));
            thread::Builder::new()
                .name("thread-peak".to_owned())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        if let Some(now) = os_threads() {
                            peak.fetch_max(now, Ordering::Relaxed);
                        }
                        thread::sleep(SAMPLE_EVERY);
                    }
                })
                .expect("could not start the thread that counts threads")
        };
        ThreadPeak { stop, peak, handle }
    }

    /// Stops watching and returns the highest thread count seen, less the
    /// watcher itself; `None` where `/proc/self/status` cannot be read.
    #[must_use]
    pub fn stop(self) -> Option<usize> {
        // One last look, so that a run shorter than one sample is still seen.
        if let Some(now) = os_threads() {
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.handle.join();
        match self.peak.load(Ordering::Relaxed) {
            0 => None,
            peak => Some(peak - 1),
        }
    }
}

/// The limits on how many threads this process may start: ps-strategy's
/// snapshot (the one a refused thread is reported with), and the control
/// group's `pids.max`, which only a reader of this process's cgroup finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemLimits {
    /// `threads-max`, `ulimit -u` and the rest, as a [`SpawnRefused`]
    /// would name them.
    ///
    /// [`SpawnRefused`]: ps_strategy::SpawnRefused
    pub threads: ps_strategy::spawn::ThreadLimits,
    /// The control group's `pids.max`: tasks (threads) in the group, or
    /// `max`.
    pub cgroup_pids_max: Option<String>,
}

impl SystemLimits {
    /// Reads the limits now.
    #[must_use]
    pub fn read() -> Self {
        SystemLimits {
            threads: ps_strategy::spawn::ThreadLimits::now(),
            cgroup_pids_max: cgroup_file("pids.max"),
        }
    }

    /// `kernel.threads-max`, or `n/a`.
    #[must_use]
    pub fn threads_max(&self) -> String {
        self.threads
            .system_threads_max
            .map_or_else(|| "n/a".to_owned(), |max| max.to_string())
    }

    /// The soft `ulimit -u` (it counts threads too), or `unlimited or
    /// unknown` (the snapshot does not tell the two apart).
    #[must_use]
    pub fn max_processes(&self) -> String {
        self.threads
            .max_user_processes
            .map_or_else(|| "unlimited or unknown".to_owned(), |max| max.to_string())
    }
}

/// The control group's CPU quota, from cgroup v2's `cpu.max`.
#[derive(Debug, Clone, PartialEq)]
pub enum CpuQuota {
    /// No `cpu.max` file: no cgroup v2 CPU controller is visible.
    NotPresent,
    /// `max <period>`: no quota.
    Unlimited,
    /// `<quota> <period>`: at most `quota / period` CPUs' worth of time.
    Limited {
        /// Microseconds of CPU time per period.
        quota_us: u64,
        /// The period, in microseconds.
        period_us: u64,
    },
    /// A file whose text this reader does not understand.
    Unreadable(String),
}

impl CpuQuota {
    /// Reads `cpu.max` of this process's control group (or of the root).
    #[must_use]
    pub fn read() -> Self {
        cgroup_file("cpu.max").map_or(CpuQuota::NotPresent, |text| CpuQuota::parse(&text))
    }

    /// Parses the text of a `cpu.max` file.
    ///
    /// ```
    /// use ps_lab::system::CpuQuota;
    ///
    /// assert_eq!(CpuQuota::parse("max 100000"), CpuQuota::Unlimited);
    /// let half = CpuQuota::parse("50000 100000");
    /// assert_eq!(half.cpus(), Some(0.5));
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let mut words = text.split_whitespace();
        match (words.next(), words.next().map(str::parse::<u64>)) {
            (Some("max"), Some(Ok(_))) => CpuQuota::Unlimited,
            (Some(quota), Some(Ok(period_us))) if period_us > 0 => match quota.parse() {
                Ok(quota_us) => CpuQuota::Limited {
                    quota_us,
                    period_us,
                },
                Err(_) => CpuQuota::Unreadable(text.trim().to_owned()),
            },
            _ => CpuQuota::Unreadable(text.trim().to_owned()),
        }
    }

    /// The CPUs' worth of time the quota allows, if there is one.
    #[must_use]
    pub fn cpus(&self) -> Option<f64> {
        match self {
            CpuQuota::Limited {
                quota_us,
                period_us,
            } => Some(*quota_us as f64 / *period_us as f64),
            _ => None,
        }
    }

    /// One phrase for a table.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            CpuQuota::NotPresent => "no cpu.max file (no cgroup v2 CPU limit visible)".to_owned(),
            CpuQuota::Unlimited => "cpu.max says max: no quota".to_owned(),
            CpuQuota::Limited {
                quota_us,
                period_us,
            } => format!(
                "cpu.max says {quota_us} µs per {period_us} µs: {:.2} CPUs",
                *quota_us as f64 / *period_us as f64
            ),
            CpuQuota::Unreadable(text) => format!("cpu.max holds `{text}`, not understood"),
        }
    }
}

/// The processors the kernel has online (`processor` lines of
/// `/proc/cpuinfo`), whatever this process is allowed to use.
#[must_use]
pub fn online_cpus() -> Option<usize> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").ok()?;
    let count = cpuinfo
        .lines()
        .filter(|line| line.starts_with("processor"))
        .count();
    (count > 0).then_some(count)
}

/// A file of this process's cgroup v2 directory (from the `0::` line of
/// `/proc/self/cgroup`), falling back to the root of the hierarchy.
fn cgroup_file(name: &str) -> Option<String> {
    let own = fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("0::"))
                .map(|path| PathBuf::from(format!("/sys/fs/cgroup{}", path.trim_end_matches('/'))))
        });
    own.into_iter()
        .chain(std::iter::once(PathBuf::from("/sys/fs/cgroup")))
        .find_map(|dir| fs::read_to_string(dir.join(name)).ok())
        .map(|text| text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_text_is_parsed() {
        assert_eq!(
            CpuQuota::parse("150000 100000\n"),
            CpuQuota::Limited {
                quota_us: 150_000,
                period_us: 100_000
            }
        );
        assert_eq!(CpuQuota::parse("max 100000").cpus(), None);
        assert!(matches!(
            CpuQuota::parse("nonsense"),
            CpuQuota::Unreadable(_)
        ));
        assert!(matches!(CpuQuota::parse("10 0"), CpuQuota::Unreadable(_)));
    }

    #[test]
    fn counts_threads_it_starts() {
        let Some(before) = os_threads() else { return };
        let (started, release) = (std::sync::Barrier::new(4), std::sync::Barrier::new(4));
        thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    started.wait();
                    release.wait();
                });
            }
            started.wait();
            // Other tests' threads may come and go, but these three are alive now.
            assert!(os_threads().unwrap() >= before.min(1) + 3);
            release.wait();
        });
    }
}
