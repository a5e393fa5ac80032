//! Why a command stopped early, and the exit code each reason gets.

use std::fmt;
use std::process::ExitCode;

/// Why a command stopped early. Each is reported as one line on stderr.
///
/// ```
/// use ps_harness::Failure;
///
/// let failure = Failure::Usage("unknown workload `foo`".into());
/// assert_eq!(failure.exit_code(), 2);
/// assert_eq!(failure.to_string(), "unknown workload `foo`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A mistake on the command line or in a size: exit code 2.
    Usage(String),
    /// A wrong result, a panic in measured code or a failed write: exit
    /// code 1.
    Failed(String),
    /// The operating system refused a resource — threads, memory: exit
    /// code 3.
    Refused(String),
}

impl Failure {
    /// The process exit code for this failure: 2, 1 or 3.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Failed(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Refused(_) => 3,
        }
    }

    /// Prints `error: MESSAGE` on stderr and returns the exit code.
    #[must_use]
    pub fn report(&self) -> ExitCode {
        eprintln!("error: {self}");
        ExitCode::from(self.exit_code())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Failed(message) | Failure::Refused(message) => {
                f.write_str(message)
            }
        }
    }
}

impl std::error::Error for Failure {}
