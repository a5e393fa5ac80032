//! How a stage is configured and how a run can fail.

use std::fmt;

/// Whether a stage hands its results on in the source's order.
///
/// ```
/// use ps_stages::{Order, Stages};
///
/// let mut seen = Vec::new();
/// Stages::from_source(0..50)
///     .stage("double", 3, Order::Preserve, |x| 2 * x)
///     .run(|x| seen.push(x))?;
/// assert_eq!(seen, (0..50).map(|x| 2 * x).collect::<Vec<_>>());
/// # Ok::<(), ps_stages::StagesError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    /// Results leave the stage in the source's order, whatever order its
    /// workers finish in — and whatever order they arrived in, so a
    /// `Preserve` stage after an [`Any`](Order::Any) stage restores the
    /// source's order. A finished batch waits in the stage's reorder buffer
    /// until every earlier one has been handed on; that wait counts as the
    /// worker's *blocked out* time.
    Preserve,
    /// Results leave the stage as soon as they are ready. With one worker and
    /// ordered input that is still the source's order.
    Any,
}

/// A pipeline that cannot run.
///
/// ```
/// use ps_stages::{Order, Stages, StagesError};
///
/// let error = Stages::from_source(0..10)
///     .stage("parse", 0, Order::Any, |x| x)
///     .run(|_| {})
///     .unwrap_err();
/// assert_eq!(error, StagesError::ZeroWorkers { stage: "parse".to_owned() });
/// assert_eq!(error.to_string(), "stage `parse` needs at least 1 worker");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StagesError {
    /// A stage was given 0 workers.
    ZeroWorkers {
        /// The stage's name.
        stage: String,
    },
    /// A channel capacity of 0 was asked for.
    ZeroCapacity,
    /// A batch of 0 items was asked for.
    ZeroBatch,
}

impl fmt::Display for StagesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StagesError::ZeroWorkers { stage } => {
                write!(f, "stage `{stage}` needs at least 1 worker")
            }
            StagesError::ZeroCapacity => {
                f.write_str("the channel capacity must be at least 1 batch")
            }
            StagesError::ZeroBatch => f.write_str("the batch size must be at least 1 item"),
        }
    }
}

impl std::error::Error for StagesError {}
