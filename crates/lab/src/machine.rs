//! What a measurement was taken on: printed above every table, because a
//! timing without its machine is not a result.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// The machine, toolchain, build profile and date of a run.
///
/// ```
/// let machine = ps_lab::Machine::detect();
/// assert!(machine.logical_cores >= 1);
/// assert!(machine.to_string().contains("logical cores"));
/// ```
#[derive(Debug, Clone)]
pub struct Machine {
    /// The processor's model name, or `unknown CPU`.
    pub cpu: String,
    /// What [`std::thread::available_parallelism`] reports.
    pub logical_cores: usize,
    /// Operating system, kernel release and architecture.
    pub os: String,
    /// `rustc --version` of the compiler that built this program.
    pub rustc: &'static str,
    /// `release` or `debug`.
    pub profile: &'static str,
    /// The day of the run, `YYYY-MM-DD` in UTC.
    pub date: String,
}

impl Machine {
    /// Describes the machine this process runs on.
    #[must_use]
    pub fn detect() -> Self {
        Machine {
            cpu: cpu_model().unwrap_or_else(|| "unknown CPU".to_owned()),
            logical_cores: ps_strategy::available_threads(),
            os: os_description(),
            rustc: env!("PS_RUSTC_VERSION"),
            profile: if optimised() { "release" } else { "debug" },
            date: utc_date(SystemTime::now()),
        }
    }
}

impl fmt::Display for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} logical cores), {}, {}, {} build, {}",
            self.cpu, self.logical_cores, self.os, self.rustc, self.profile, self.date
        )
    }
}

/// Whether this binary was built with optimisations; timings are written to
/// the book only then.
#[must_use]
pub fn optimised() -> bool {
    !cfg!(debug_assertions)
}

fn cpu_model() -> Option<String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    cpuinfo
        .lines()
        .find(|line| line.starts_with("model name") || line.starts_with("Model"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, model)| model.trim().to_owned())
}

fn os_description() -> String {
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|release| format!(" {}", release.trim()))
        .unwrap_or_default();
    format!(
        "{}{kernel} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// `YYYY-MM-DD` in UTC, from the days since 1970 (Howard Hinnant's
/// `civil_from_days` algorithm).
fn utc_date(now: SystemTime) -> String {
    let seconds = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_match_known_days() {
        let at = |seconds| utc_date(UNIX_EPOCH + Duration::from_secs(seconds));
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(951_782_400), "2000-02-29");
    }
}
