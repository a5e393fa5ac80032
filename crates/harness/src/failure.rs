//! Why a command stopped early, and the exit code each reason gets.
//!
//! The reason is a variant, not a sentence: a program that calls the
//! harness matches on it (retry a refused resource, report a wrong result,
//! show the path of a file that could not be written), and the exit code
//! comes from the variant alone, so two failures of the same kind can never
//! end with different codes.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Why a command stopped early. Each is reported as one line on stderr.
///
/// # Exit codes
///
/// The exit code comes from the variant alone. This table, in
/// `crates/harness/exit-codes.md`, is the one place the codes are written:
/// the book includes the same file, and a test checks it against
/// [`exit_code`](Failure::exit_code).
///
#[doc = include_str!("../exit-codes.md")]
///
/// ```
/// use ps_harness::Failure;
///
/// let failure = Failure::Usage("unknown workload `foo`".into());
/// assert_eq!(failure.exit_code(), 2);
/// assert_eq!(failure.to_string(), "unknown workload `foo`");
///
/// let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
/// let failure = Failure::io("report.json", "read", missing);
/// assert_eq!(failure.exit_code(), 4);
/// assert_eq!(failure.to_string(), "cannot read report.json");
/// match &failure {
///     Failure::Io { path, source, .. } => {
///         assert_eq!(path, std::path::Path::new("report.json"));
///         assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
///     }
///     other => panic!("not an I/O failure: {other}"),
/// }
/// ```
#[derive(Debug, Clone)]
pub enum Failure {
    /// A strategy's answer differed from the serial answer, or the code
    /// being measured panicked: exit code 1.
    WrongResult(String),
    /// A mistake on the command line or in a size: exit code 2.
    Usage(String),
    /// The system refused a resource the run needs — threads, memory, MPI
    /// ranks or `mpirun` itself: exit code 3. Trying again with less, or on
    /// a quieter machine, may succeed.
    Refused(String),
    /// A file or folder could not be read, written, created or moved: exit
    /// code 4. Displayed as `cannot ACTION PATH`; the operating system's
    /// reason is the [`source`](std::error::Error::source), and
    /// [`line`](Failure::line) and [`report`](Failure::report) print both.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done to it, in words that read before the path:
        /// `"read"`, `"write"`, `"create"`, `"move a file to"`.
        action: &'static str,
        /// Why the operating system said no. Shared, so that a failure can
        /// be cloned; it reads as a plain [`io::Error`].
        source: Arc<io::Error>,
    },
    /// A program this one runs — cargo, mdbook, python3, mpirun, a copy of
    /// itself — could not be started, or ended with a failure: exit code 5.
    /// Its own messages are usually above this one.
    Child(String),
    /// Other programs kept the machine busy while it was measured, so the
    /// measurements were not kept: exit code 6. Measure again on a quiet
    /// machine.
    Busy(String),
    /// A file, another program's output or a set of figures is not in the
    /// form this program can use — not a report, a manifest without a
    /// table, a benchmark run without results, figures a chart cannot be
    /// drawn from: exit code 7.
    Invalid(String),
    /// A check that the command exists to make found problems — the book
    /// contradicts its figures, a measured cost broke the bound its design
    /// promises: exit code 8. The problems are listed above this line.
    CheckFailed(String),
}

impl Failure {
    /// An [`Io`](Failure::Io) failure: `action` on `path` failed with
    /// `source`. The action reads before the path: `"write"`, `"create"`,
    /// `"read the --input file"`.
    ///
    /// ```
    /// use ps_harness::Failure;
    ///
    /// let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    /// let failure = Failure::io("/figures/speedup.svg", "write", denied);
    /// assert_eq!(failure.to_string(), "cannot write /figures/speedup.svg");
    /// assert!(failure.line().starts_with("cannot write /figures/speedup.svg: "));
    /// ```
    #[must_use]
    pub fn io(path: impl AsRef<Path>, action: &'static str, source: io::Error) -> Self {
        Failure::Io {
            path: path.as_ref().to_owned(),
            action,
            source: Arc::new(source),
        }
    }

    /// The process exit code for this failure, from its variant alone (see
    /// the table on [`Failure`]).
    ///
    /// ```
    /// use ps_harness::Failure;
    ///
    /// assert_eq!(Failure::WrongResult("5 ≠ 6".into()).exit_code(), 1);
    /// assert_eq!(Failure::Refused("no threads".into()).exit_code(), 3);
    /// ```
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::WrongResult(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Refused(_) => 3,
            Failure::Io { .. } => 4,
            Failure::Child(_) => 5,
            Failure::Busy(_) => 6,
            Failure::Invalid(_) => 7,
            Failure::CheckFailed(_) => 8,
        }
    }

    /// The whole message on one line: this failure, then each error it came
    /// from after `: ` — for an [`Io`](Failure::Io) failure, the operating
    /// system's reason.
    ///
    /// ```
    /// use ps_harness::Failure;
    ///
    /// let failure = Failure::io("a.txt", "read", std::io::Error::other("disk on fire"));
    /// assert_eq!(failure.line(), "cannot read a.txt: disk on fire");
    /// assert_eq!(Failure::Usage("bad -n".into()).line(), "bad -n");
    /// ```
    #[must_use]
    pub fn line(&self) -> String {
        let mut line = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            line.push_str(": ");
            line.push_str(&error.to_string());
            cause = error.source();
        }
        line
    }

    /// Prints `error: LINE` (see [`line`](Failure::line)) on stderr and
    /// returns the exit code.
    ///
    /// ```no_run
    /// fn main() -> std::process::ExitCode {
    ///     ps_harness::Failure::Usage("no workload named".into()).report()
    /// }
    /// ```
    #[must_use]
    pub fn report(&self) -> ExitCode {
        eprintln!("error: {}", self.line());
        ExitCode::from(self.exit_code())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Io { path, action, .. } => write!(f, "cannot {action} {}", path.display()),
            Failure::WrongResult(message)
            | Failure::Usage(message)
            | Failure::Refused(message)
            | Failure::Child(message)
            | Failure::Busy(message)
            | Failure::Invalid(message)
            | Failure::CheckFailed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Failure::Io { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    /// Every variant, with the code and the line the table promises.
    fn every_variant() -> Vec<(Failure, u8, &'static str)> {
        vec![
            (
                Failure::WrongResult("verification failed".into()),
                1,
                "verification failed",
            ),
            (
                Failure::Usage("unknown workload".into()),
                2,
                "unknown workload",
            ),
            (Failure::Refused("no threads".into()), 3, "no threads"),
            (
                Failure::io("out/a.json", "write", io::Error::other("read-only")),
                4,
                "cannot write out/a.json",
            ),
            (Failure::Child("cargo failed".into()), 5, "cargo failed"),
            (
                Failure::Busy("the machine was busy".into()),
                6,
                "the machine was busy",
            ),
            (Failure::Invalid("not a report".into()), 7, "not a report"),
            (Failure::CheckFailed("3 problems".into()), 8, "3 problems"),
        ]
    }

    #[test]
    fn each_variant_has_its_own_exit_code_and_one_line() {
        let mut codes = Vec::new();
        for (failure, code, shown) in every_variant() {
            assert_eq!(failure.exit_code(), code, "{failure:?}");
            assert_eq!(failure.to_string(), shown, "{failure:?}");
            assert!(!failure.line().contains('\n'), "{failure:?}");
            codes.push(code);
        }
        codes.dedup();
        assert_eq!(
            codes.len(),
            every_variant().len(),
            "two variants share a code"
        );
    }

    #[test]
    fn only_io_has_a_source_and_its_line_names_it() {
        for (failure, _, shown) in every_variant() {
            if let Failure::Io { .. } = &failure {
                let source = failure.source().expect("an I/O failure has a source");
                assert_eq!(source.to_string(), "read-only");
                assert_eq!(failure.line(), format!("{shown}: read-only"));
            } else {
                assert!(failure.source().is_none(), "{failure:?}");
                assert_eq!(failure.line(), shown);
            }
        }
    }

    /// The table in exit-codes.md names every variant once, with the code
    /// `exit_code` gives it.
    #[test]
    fn the_exit_code_table_matches_the_type() {
        let table = include_str!("../exit-codes.md");
        let rows: Vec<(u8, &str)> = table
            .lines()
            .filter_map(|row| {
                let cells: Vec<&str> = row.split('|').map(str::trim).collect();
                let code = cells.get(1)?.parse().ok()?;
                let variant = cells.get(2)?.trim_matches('`');
                Some((code, variant)).filter(|_| variant != "—")
            })
            .collect();
        let variants = every_variant();
        assert_eq!(rows.len(), variants.len(), "{rows:?}");
        for (failure, code, _) in variants {
            let debug = format!("{failure:?}");
            let name = debug
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or_default();
            assert!(
                rows.contains(&(code, name)),
                "exit-codes.md has no row `| {code} | `{name}` |`: {rows:?}"
            );
        }
    }

    #[test]
    fn a_cloned_io_failure_keeps_its_path_and_kind() {
        let failure = Failure::io("x", "create", io::Error::from(io::ErrorKind::AlreadyExists));
        let Failure::Io {
            path,
            action,
            source,
        } = failure.clone()
        else {
            panic!("not an I/O failure: {failure:?}");
        };
        assert_eq!((path.as_path(), action), (Path::new("x"), "create"));
        assert_eq!(source.kind(), io::ErrorKind::AlreadyExists);
    }
}
