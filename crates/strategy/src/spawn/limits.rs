//! What the operating system says about threads: how many are alive, and
//! the limits that decide how many more it will start.
//!
//! Everything here reads Linux's `/proc`. Elsewhere each reading is `None`,
//! and callers treat an unknown value as "no information", never as zero.

use std::fmt;
use std::fs;

/// The number of threads alive in this process, the calling one included:
/// the `Threads:` line of `/proc/self/status`.
///
/// `None` where that file does not exist (any system but Linux) or cannot be
/// read; a test that needs the count should then skip its assertion and say
/// so, rather than pass without checking.
///
/// ```
/// if let Some(alive) = ps_strategy::spawn::threads_alive() {
///     assert!(alive >= 1);
/// }
/// ```
#[must_use]
pub fn threads_alive() -> Option<usize> {
    status_field("Threads:")
}

/// How many memory maps this process holds: the lines of `/proc/self/maps`.
pub(crate) fn memory_maps_in_use() -> Option<usize> {
    fs::read_to_string("/proc/self/maps")
        .ok()
        .map(|maps| maps.lines().count())
}

/// The most memory maps one process may hold (`vm.max_map_count`).
pub(crate) fn max_memory_maps() -> Option<usize> {
    read_number("/proc/sys/vm/max_map_count")
}

fn status_field(name: &str) -> Option<usize> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(name))?;
    line[name.len()..].trim().parse().ok()
}

fn read_number(path: &str) -> Option<usize> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// The soft limit on the line of `/proc/self/limits` that starts with
/// `name`; `None` if unlimited or unknown.
fn soft_limit(name: &str) -> Option<u64> {
    let limits = fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|line| line.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

/// The limits on starting threads as they stood at one moment, for the
/// message of a [`SpawnRefused`](crate::SpawnRefused).
///
/// The operating system does not say which limit refused a thread: `EAGAIN`
/// from thread creation may mean the per-user process limit, the system's
/// thread or process-id limit, or a memory map that could not be made. The
/// snapshot lets a reader see which one was reached. Each field is `None`
/// where unknown or unlimited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ThreadLimits {
    /// Threads alive in this process when the snapshot was taken.
    pub threads_alive: Option<usize>,
    /// `RLIMIT_NPROC`, the soft limit on processes and threads of this user
    /// (not enforced for root).
    pub max_user_processes: Option<u64>,
    /// `kernel.threads-max`, the limit on threads in the whole system.
    pub system_threads_max: Option<usize>,
    /// Memory maps this process held (each thread needs about four).
    pub memory_maps_in_use: Option<usize>,
    /// `vm.max_map_count`, the limit on memory maps per process.
    pub max_memory_maps: Option<usize>,
    /// `RLIMIT_AS`, the soft limit on this process's address space, in bytes
    /// (each thread reserves its whole stack).
    pub max_address_space: Option<u64>,
}

impl ThreadLimits {
    /// Reads every limit now.
    #[must_use]
    pub fn now() -> Self {
        ThreadLimits {
            threads_alive: threads_alive(),
            max_user_processes: soft_limit("Max processes"),
            system_threads_max: read_number("/proc/sys/kernel/threads-max"),
            memory_maps_in_use: memory_maps_in_use(),
            max_memory_maps: max_memory_maps(),
            max_address_space: soft_limit("Max address space"),
        }
    }
}

impl fmt::Display for ThreadLimits {
    /// The known values, comma-separated, or `no limits known`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(alive) = self.threads_alive {
            parts.push(format!("{alive} threads alive"));
        }
        if let Some(limit) = self.max_user_processes {
            parts.push(format!("RLIMIT_NPROC {limit}"));
        }
        if let Some(limit) = self.system_threads_max {
            parts.push(format!("kernel.threads-max {limit}"));
        }
        match (self.memory_maps_in_use, self.max_memory_maps) {
            (Some(used), Some(limit)) => {
                parts.push(format!("vm.max_map_count {limit} ({used} in use)"));
            }
            (None, Some(limit)) => parts.push(format!("vm.max_map_count {limit}")),
            _ => {}
        }
        if let Some(bytes) = self.max_address_space {
            parts.push(format!("RLIMIT_AS {} MiB", bytes >> 20));
        }
        if parts.is_empty() {
            f.write_str("no limits known")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}
