//! Running a [`Probe`] in a process of its own: the parent starts this
//! program again with [`PROBE_COMMAND`] and the probe's fields as
//! arguments, and reads one line of `key=value` fields back.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::{Probe, ProbeFigures};

/// The (hidden) subcommand that runs one probe and prints its line.
pub const PROBE_COMMAND: &str = "probe";

impl Probe {
    /// The arguments after [`PROBE_COMMAND`] that describe this probe.
    #[must_use]
    pub fn to_args(&self) -> [String; 4] {
        [
            self.runner.to_string(),
            self.threads.to_string(),
            self.items.to_string(),
            self.delay.as_nanos().to_string(),
        ]
    }

    /// Reads the arguments [`Probe::to_args`] wrote.
    ///
    /// # Errors
    ///
    /// One line naming the argument that is missing or wrong.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ps_lab::waiting::{Probe, Runner};
    ///
    /// let probe = Probe { runner: Runner::Tokio, threads: 2, items: 10, delay: Duration::from_micros(100) };
    /// assert_eq!(Probe::from_args(&probe.to_args())?, probe);
    /// assert!(Probe::from_args(&["tokio".into(), "two".into()]).is_err());
    /// # Ok::<(), String>(())
    /// ```
    pub fn from_args(args: &[String]) -> Result<Self, String> {
        let [runner, threads, items, delay_ns] = args else {
            return Err(format!(
                "`{PROBE_COMMAND}` takes 4 arguments: RUNNER THREADS ITEMS DELAY_NS"
            ));
        };
        let number = |name: &str, text: &str| {
            text.parse::<u64>().map_err(|_| {
                format!("`{PROBE_COMMAND}`: {name} must be a whole number, not `{text}`")
            })
        };
        Ok(Probe {
            runner: runner.parse()?,
            threads: number("THREADS", threads)? as usize,
            items: number("ITEMS", items)? as usize,
            delay: Duration::from_nanos(number("DELAY_NS", delay_ns)?),
        })
    }

    /// Runs the probe in a fresh process of `program`, which must handle
    /// [`PROBE_COMMAND`] (the `ps-lab` binary does).
    ///
    /// # Errors
    ///
    /// One line if the process cannot be started or fails, with the last
    /// line it wrote to standard error: for example the operating system
    /// refusing a thread.
    pub fn run_in_child(&self, program: &Path) -> Result<ProbeFigures, String> {
        let output = Command::new(program)
            .arg(PROBE_COMMAND)
            .args(self.to_args())
            .output()
            .map_err(|error| format!("could not start {}: {error}", program.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let reason = stderr
                .lines()
                .rev()
                .find(|line| !line.trim().is_empty() && !line.starts_with("note:"))
                .unwrap_or("no message");
            return Err(format!("{self}: failed ({}): {reason}", output.status));
        }
        ProbeFigures::parse(stdout.trim())
    }
}

impl ProbeFigures {
    /// The one line a child prints.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ps_lab::waiting::ProbeFigures;
    ///
    /// let measured = ProbeFigures { wall: Duration::from_millis(3), peak_threads: Some(4), peak_memory_kib: None, sum: 45 };
    /// assert_eq!(ProbeFigures::parse(&measured.to_line())?, measured);
    /// # Ok::<(), String>(())
    /// ```
    #[must_use]
    pub fn to_line(&self) -> String {
        let optional = |value: Option<u64>| value.map_or_else(|| "-".to_owned(), |v| v.to_string());
        format!(
            "wall_ns={} peak_threads={} peak_memory_kib={} sum={}",
            self.wall.as_nanos(),
            optional(self.peak_threads.map(|t| t as u64)),
            optional(self.peak_memory_kib),
            self.sum
        )
    }

    /// Reads a line [`ProbeFigures::to_line`] wrote.
    ///
    /// # Errors
    ///
    /// One line saying which field is missing or wrong.
    pub fn parse(line: &str) -> Result<Self, String> {
        let field = |key: &str| {
            line.split_whitespace()
                .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
                .ok_or_else(|| format!("no `{key}` in the probe's line `{line}`"))
        };
        let number = |key: &str| {
            field(key)?
                .parse::<u64>()
                .map_err(|_| format!("`{key}` is not a number in `{line}`"))
        };
        let optional = |key: &str| match field(key)? {
            "-" => Ok(None),
            _ => number(key).map(Some),
        };
        Ok(ProbeFigures {
            wall: Duration::from_nanos(number("wall_ns")?),
            peak_threads: optional("peak_threads")?.map(|t| t as usize),
            peak_memory_kib: optional("peak_memory_kib")?,
            sum: number("sum")?,
        })
    }
}
