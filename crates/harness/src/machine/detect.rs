//! What a measurement was taken on: printed above every table, because a
//! timing without its machine is not a result.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The machine, toolchain and date of a run.
///
/// ```
/// let machine = ps_harness::Machine::detect();
/// assert!(machine.logical_cores >= 1);
/// println!("Measured on {machine}.");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// The processor's model name, as the system reports it.
    pub cpu: String,
    /// The threads the OS lets this process run at once.
    pub logical_cores: usize,
    /// Operating system, kernel release and architecture.
    pub os: String,
    /// The compiler that built the harness.
    pub rustc: String,
    /// `release` or `debug`.
    pub profile: String,
    /// The day, `YYYY-MM-DD` in UTC.
    pub date: String,
}

impl Machine {
    /// This machine, now.
    #[must_use]
    pub fn detect() -> Self {
        Machine {
            cpu: cpu_model().unwrap_or_else(|| "unknown CPU".to_owned()),
            logical_cores: ps_strategy::available_threads(),
            os: os_description(),
            rustc: env!("PS_RUSTC_VERSION").to_owned(),
            profile: if optimised() { "release" } else { "debug" }.to_owned(),
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

/// Whether this binary was built with optimisations; timings are shown only then.
///
/// ```
/// if !ps_harness::optimised() {
///     eprintln!("a debug build of the harness: results are verified, timings not shown");
/// }
/// ```
#[must_use]
pub fn optimised() -> bool {
    !cfg!(debug_assertions)
}

/// Refuses to run a command whose only output is timings in a debug build.
///
/// # Errors
///
/// A usage failure in a debug build.
pub fn require_optimised(command: &str) -> Result<(), crate::Failure> {
    if optimised() {
        Ok(())
    } else {
        Err(crate::Failure::Usage(format!(
            "`{command}` only reports timings, and this is a debug build: run `cargo xtask {command}`, which builds in release mode"
        )))
    }
}

fn cpu_model() -> Option<String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").ok();
    let from_linux = cpuinfo.as_deref().and_then(|text| {
        text.lines()
            .find(|line| line.starts_with("model name") || line.starts_with("Model"))
            .and_then(|line| line.split_once(':'))
            .map(|(_, model)| model.trim().to_owned())
    });
    from_linux.or_else(|| {
        let output = std::process::Command::new("sysctl")
            .args(["-n", "machdep.cpu.brand_string"])
            .output()
            .ok()?;
        let model = String::from_utf8(output.stdout).ok()?;
        Some(model.trim().to_owned()).filter(|model| !model.is_empty())
    })
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
        // 2000-02-29, a leap day in a century year divisible by 400.
        assert_eq!(at(951_782_400), "2000-02-29");
        // 2026-11-24 00:00:00 UTC.
        assert_eq!(at(1_795_478_400), "2026-11-24");
    }
}
