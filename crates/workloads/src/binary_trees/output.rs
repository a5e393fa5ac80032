//! The benchmark's output: every check of a run, as numbers and as text.

use std::fmt::Write as _;

use ps_workload::{Mismatch, Tolerance, Verify};

/// One middle line of the output.
///
/// ```
/// use ps_workloads::binary_trees::{DepthCheck, binary_trees_serial};
///
/// let first = binary_trees_serial(6).depths[0];
/// assert_eq!(first, DepthCheck { iterations: 64, depth: 4, check: 64 * 31 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepthCheck {
    /// How many trees were built.
    pub iterations: u64,
    /// Their depth.
    pub depth: usize,
    /// Their checks, summed.
    pub check: u64,
}

/// Every check of a run: the benchmark's output, as numbers.
///
/// ```
/// use ps_workloads::binary_trees::binary_trees_serial;
///
/// let checks = binary_trees_serial(6);
/// assert_eq!((checks.stretch, checks.long_lived), (255, 127));
/// assert_eq!(checks.depths.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checks {
    /// The depth of the long-lived tree.
    pub max_depth: usize,
    /// The stretch tree's check.
    pub stretch: u64,
    /// One line per depth.
    pub depths: Vec<DepthCheck>,
    /// The long-lived tree's check.
    pub long_lived: u64,
}

impl Checks {
    /// The benchmark's output.
    ///
    /// ```
    /// use ps_workloads::binary_trees::binary_trees_serial;
    ///
    /// let text = binary_trees_serial(6).output();
    /// assert!(text.starts_with("stretch tree of depth 7\t check: 255\n"));
    /// assert!(text.ends_with("long lived tree of depth 6\t check: 127\n"));
    /// ```
    #[must_use]
    pub fn output(&self) -> String {
        let mut text = format!(
            "stretch tree of depth {}\t check: {}\n",
            self.max_depth + 1,
            self.stretch
        );
        for line in &self.depths {
            let _ = writeln!(
                text,
                "{}\t trees of depth {}\t check: {}",
                line.iterations, line.depth, line.check
            );
        }
        let _ = writeln!(
            text,
            "long lived tree of depth {}\t check: {}",
            self.max_depth, self.long_lived
        );
        text
    }
}

impl Verify for Checks {
    /// The first line that differs.
    fn verify(&self, expected: &Self, _: Tolerance) -> Result<(), Mismatch> {
        let (actual, expected) = (self.output(), expected.output());
        let lines = actual.lines().zip(expected.lines()).enumerate();
        for (index, (got, wanted)) in lines {
            if got != wanted {
                return Err(Mismatch::at(index, wanted, got));
            }
        }
        if actual.lines().count() == expected.lines().count() {
            Ok(())
        } else {
            Err(Mismatch::value(
                format!("{} lines", expected.lines().count()),
                format!("{} lines", actual.lines().count()),
            ))
        }
    }
}
