//! Load from other processes during a measurement, so that a figure taken
//! while something else used the CPU never passes for a quiet machine's.
//! Linux counts the whole machine's CPU time (`/proc/stat`) and this
//! process's (`/proc/self/stat`) in the same clock ticks: busy time that was
//! not ours was someone else's.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Watches from the first measurement this process makes.
static SINCE_FIRST_MEASUREMENT: OnceLock<LoadWatch> = OnceLock::new();

/// Processes whose CPU time counts as this measurement's own, with the
/// ticks last read for each: the other ranks of an MPI job on this machine.
/// An entry keeps its last reading once its process has ended, so a rank
/// that exits first does not turn its work into someone else's.
static COMPANIONS: Mutex<BTreeMap<u32, u64>> = Mutex::new(BTreeMap::new());

/// Counts the CPU time of the processes `pids` (on this machine) as this
/// process's own in every later [`Load`]: for the ranks of an MPI job,
/// whose work is the measurement, not load from elsewhere. Call it before
/// the first measurement; later calls add to the list.
///
/// ```
/// ps_harness::count_as_own(&[std::process::id()]);
/// let load = ps_harness::LoadWatch::start().finish();
/// assert!(load.others.is_none_or(|share| (0.0..=1.0).contains(&share)));
/// ```
pub fn count_as_own(pids: &[u32]) {
    let mut companions = COMPANIONS.lock().unwrap_or_else(PoisonError::into_inner);
    for &pid in pids {
        if pid != std::process::id() {
            companions.entry(pid).or_insert(0);
        }
    }
    drop(companions);
    companion_ticks();
}

/// The companions' ticks, each read now or, once it has ended, last.
fn companion_ticks() -> u64 {
    let mut companions = COMPANIONS.lock().unwrap_or_else(PoisonError::into_inner);
    companions
        .iter_mut()
        .map(|(pid, last)| {
            if let Some(ticks) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|text| parse_self_stat(&text))
            {
                *last = ticks;
            }
            *last
        })
        .sum()
}

/// Starts the process's watch, if it has not started: every measurement
/// calls this, so a report covers all the timing its process did.
pub(crate) fn watch_from_now_on() {
    SINCE_FIRST_MEASUREMENT.get_or_init(LoadWatch::start);
}

/// What other processes did since this process first measured anything;
/// `None` if it has measured nothing.
///
/// ```
/// assert_eq!(ps_harness::load_since_first_measurement(), None);
/// ```
#[must_use]
pub fn load_since_first_measurement() -> Option<Load> {
    SINCE_FIRST_MEASUREMENT.get().map(LoadWatch::finish)
}

/// Watches the machine from [`start`](Self::start) to [`finish`](Self::finish).
///
/// ```
/// let watch = ps_harness::LoadWatch::start();
/// println!("{}", watch.finish().describe());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct LoadWatch {
    before: Option<Snapshot>,
    started: Instant,
}

impl LoadWatch {
    /// Records the machine's and this process's CPU ticks so far, and the instant.
    ///
    /// ```
    /// let watch = ps_harness::LoadWatch::start();
    /// ```
    #[must_use]
    pub fn start() -> LoadWatch {
        let (before, started) = (Snapshot::take(), Instant::now());
        LoadWatch { before, started }
    }

    /// How long ago [`start`](Self::start) was called.
    ///
    /// ```
    /// assert!(ps_harness::LoadWatch::start().elapsed().as_secs() < 60);
    /// ```
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// What other processes used since [`start`](Self::start).
    ///
    /// ```
    /// let load = ps_harness::LoadWatch::start().finish();
    /// assert!(load.others.is_none_or(|share| (0.0..=1.0).contains(&share)));
    /// ```
    #[must_use]
    pub fn finish(&self) -> Load {
        let others = self.before.zip(Snapshot::take());
        Load {
            others: others.and_then(|(before, after)| others_fraction(before, after)),
        }
    }
}

/// What other processes did while a [`LoadWatch`] ran.
///
/// ```
/// assert!(ps_harness::Load { others: Some(0.46) }.is_busy());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Load {
    /// The share of all cores' CPU time that other processes used, `0.0..=1.0`;
    /// `None` off Linux, when `/proc` is unreadable, or if no clock tick
    /// passed. Counted in whole ticks (usually 10 ms), so a run only a few
    /// ticks long can be off by a tick's share either way.
    pub others: Option<f64>,
}

impl Load {
    /// Others above a tenth of all cores' time mean a busy machine: on a quiet
    /// one, background daemons use well under a few percent, so this leaves
    /// room for them and for tick rounding, yet catches a compile or a second
    /// benchmark that keeps even one core of ten busy.
    ///
    /// ```
    /// assert!(!ps_harness::Load { others: Some(ps_harness::Load::BUSY_ABOVE) }.is_busy());
    /// ```
    pub const BUSY_ABOVE: f64 = 0.10;

    /// Whether others used more than [`BUSY_ABOVE`](Self::BUSY_ABOVE). An
    /// unknown load is not called busy: nothing shows that it was.
    ///
    /// ```
    /// assert!(!ps_harness::Load { others: None }.is_busy());
    /// ```
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.others.is_some_and(|share| share > Self::BUSY_ABOVE)
    }

    /// One line for the top of a table.
    ///
    /// ```
    /// let line = ps_harness::Load { others: Some(0.01) }.describe();
    /// assert_eq!(line, "quiet: other processes used 1% of the CPU time while this ran");
    /// ```
    #[must_use]
    pub fn describe(&self) -> String {
        let Some(share) = self.others else {
            return "load unknown: cannot read /proc here, or no clock tick passed".into();
        };
        let used = format!(
            "other processes used {:.0}% of the CPU time while this ran",
            share * 100.0
        );
        if self.is_busy() {
            format!("BUSY: {used}; these figures are not from a quiet machine")
        } else {
            format!("quiet: {used}")
        }
    }
}

/// Busy and total ticks of all CPUs, from the text of `/proc/stat`. Busy is
/// user, nice, system, irq, softirq and steal (a hypervisor's other guests
/// are load too); total adds idle and iowait. Guest time is already inside
/// user and nice, so it is not counted again.
///
/// ```
/// let text = "cpu  100 0 50 800 10 5 5 30 0 0\ncpu0 100 0 50 800 10 5 5 30 0 0\n";
/// assert_eq!(ps_harness::parse_proc_stat(text), Some((190, 1000)));
/// ```
#[must_use]
pub fn parse_proc_stat(text: &str) -> Option<(u64, u64)> {
    let line = text.lines().find(|line| line.starts_with("cpu "))?;
    let mut words = line.split_whitespace().skip(1);
    let mut t = [0_u64; 8];
    for (i, slot) in t.iter_mut().enumerate() {
        match words.next() {
            Some(word) => *slot = word.parse().ok()?,
            // Old kernels end the line after iowait, irq or softirq: the rest are zero.
            None if i > 4 => break,
            None => return None,
        }
    }
    let busy = t[0] + t[1] + t[2] + t[5] + t[6] + t[7];
    Some((busy, busy + t[3] + t[4]))
}

/// This process's user and system ticks, and those of the children it has
/// waited for (fields 14 to 17), from the text of `/proc/self/stat`: a
/// program this process runs and waits for — the Python article's script,
/// a child compare — is this measurement's own work, not another's load.
/// Fields are counted after the last `)`, since the command name in
/// parentheses may itself hold spaces and parentheses.
///
/// ```
/// let text = "42 (my (odd) prog) R 1 42 42 0 -1 0 0 0 0 0 120 30 7 3 20 0 1 0";
/// assert_eq!(ps_harness::parse_self_stat(text), Some(160));
/// ```
#[must_use]
pub fn parse_self_stat(text: &str) -> Option<u64> {
    // After the name comes field 3, so field 14 is the twelfth.
    let fields = text.rsplit_once(')')?.1.split_whitespace().skip(11);
    let ticks: Vec<u64> = fields
        .take(4)
        .map(|field| field.parse().ok())
        .collect::<Option<_>>()?;
    (ticks.len() == 4).then(|| ticks.iter().sum())
}

/// The machine's busy and total ticks and this process's own, at one moment.
#[derive(Debug, Clone, Copy)]
struct Snapshot {
    busy: u64,
    total: u64,
    own: u64,
}

impl Snapshot {
    fn take() -> Option<Snapshot> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let (busy, total) = parse_proc_stat(&std::fs::read_to_string("/proc/stat").ok()?)?;
        let own = parse_self_stat(&std::fs::read_to_string("/proc/self/stat").ok()?)?;
        Some(Snapshot {
            busy,
            total,
            own: own + companion_ticks(),
        })
    }
}

/// Share of all ticks between two snapshots that were busy but not ours. The
/// two files are read moments apart, so ours can exceed the busy delta by a
/// tick: the subtraction saturates rather than going negative.
#[allow(clippy::cast_precision_loss)] // Tick deltas stay far below 2^52.
fn others_fraction(before: Snapshot, after: Snapshot) -> Option<f64> {
    let total = after.total.checked_sub(before.total).filter(|&t| t > 0)?;
    let busy = after.busy.saturating_sub(before.busy);
    let own = after.own.saturating_sub(before.own);
    Some((busy.saturating_sub(own) as f64 / total as f64).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn a_companion_keeps_its_ticks_after_it_ends() {
        let mut child = std::process::Command::new("sh")
            .args(["-c", "while :; do :; done"])
            .spawn()
            .unwrap();
        count_as_own(&[child.id()]);
        // Until the child has used a tick: on a loaded machine that may take
        // a while, so the bound is generous and only a child that never runs
        // reaches it.
        let mut seen = 0;
        for _ in 0..3_000 {
            seen = companion_ticks();
            if seen > 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(seen > 0, "the busy child never showed a tick");
        assert!(
            companion_ticks() >= seen,
            "an ended companion's ticks are kept, not lost"
        );
    }

    #[test]
    fn proc_stat_counts_busy_and_total_ticks() {
        let text =
            "cpu  37795 0 7582 200448 463 0 32 831 0 0\ncpu0 18531 0 3608 100974 78 0 7 395 0 0\n";
        let busy = 37_795 + 7_582 + 32 + 831;
        assert_eq!(parse_proc_stat(text), Some((busy, busy + 200_448 + 463)));
        assert_eq!(parse_proc_stat("cpu  1 2 3 4 5\n"), Some((6, 15)));
        assert_eq!(parse_proc_stat("cpu  1 2 3 4\n"), None);
        assert_eq!(parse_proc_stat("intr 1 2\n"), None);
    }

    #[test]
    fn self_stat_reads_past_an_odd_command_name() {
        let odd = "7 (my (odd) prog) S 1 7 7 0 -1 0 0 0 0 0 250 50 0 0 20 0 4 0 99";
        assert_eq!(parse_self_stat(odd), Some(300));
        assert_eq!(parse_self_stat("7 (x) S 1 2"), None);
    }

    /// Others' share from fixed before-ticks to these after-ticks.
    fn share(busy: u64, total: u64, own: u64) -> Option<f64> {
        let before = Snapshot {
            busy: 1_000,
            total: 10_000,
            own: 50,
        };
        others_fraction(before, Snapshot { busy, total, own })
    }

    #[test]
    fn others_share_is_busy_ticks_not_ours_over_all_ticks() {
        // 200 ticks: a second of two cores at 100 Hz, both busy, all ours.
        assert!(share(1_200, 10_200, 250).unwrap().abs() < 1e-9);
        // Others kept one core busy while we kept the other.
        assert!((share(1_200, 10_200, 150).unwrap() - 0.5).abs() < 1e-9);
        // All the work ours, our ticks read a tick later: zero, not negative.
        assert_eq!(share(1_100, 10_200, 151), Some(0.0));
        // No tick passed: nothing can be said.
        assert_eq!(share(1_000, 10_000, 50), None);
    }

    #[test]
    fn a_watch_around_a_busy_loop_reports_a_share() {
        let watch = LoadWatch::start();
        while watch.elapsed() < Duration::from_millis(50) {
            std::hint::black_box(watch.elapsed());
        }
        let others = watch.finish().others;
        // Only the range: on a busy machine any share is right.
        if cfg!(target_os = "linux") {
            assert!(others.is_some_and(|share| (0.0..=1.0).contains(&share)));
        }
    }
}
