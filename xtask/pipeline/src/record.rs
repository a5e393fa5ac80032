//! What a pipeline report records of each stage, as a type: written by
//! `pipeline`, read back by the book's claims.

use serde::{Deserialize, Serialize};

/// The key of the report detail that names the bottleneck stage.
pub const BOTTLENECK_KEY: &str = "bottleneck";

/// One stage of the run a pipeline report shows, in the report's details
/// under [`StageRecord::KEY`], in pipeline order.
///
/// ```
/// use xtask_pipeline::StageRecord;
///
/// let text = r#"{"name": "count", "role": "stage", "workers": 2, "items": 40, "batches": 4,
///     "busy_s": 0.2, "blocked_in_s": 0.05, "blocked_out_s": 0.0, "busy_share": 0.8,
///     "blocked_in_share": 0.2, "blocked_out_share": 0.0, "busy_per_worker_s": 0.1,
///     "capacity_items_per_s": 400.0, "bottleneck": true}"#;
/// let stage: StageRecord = serde_json::from_str(text)?;
/// assert_eq!(stage.number("busy_share"), Some(0.8));
/// assert_eq!(stage.number("bottleneck"), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRecord {
    /// The stage's name (`tokenise`, `count`, or the source and sink's).
    pub name: String,
    /// `source`, `stage` or `sink`.
    pub role: String,
    /// Its worker threads.
    pub workers: usize,
    /// Items it handled.
    pub items: u64,
    /// Batches those items came in.
    pub batches: u64,
    /// Seconds its workers worked, summed over them.
    pub busy_s: f64,
    /// Seconds its workers waited for input, summed.
    pub blocked_in_s: f64,
    /// Seconds its workers waited for room downstream, summed.
    pub blocked_out_s: f64,
    /// Working time as a share of the run's wall time, per worker.
    pub busy_share: f64,
    /// Waiting for input, as a share of the wall time, per worker.
    pub blocked_in_share: f64,
    /// Waiting for room downstream, as a share of the wall time, per worker.
    pub blocked_out_share: f64,
    /// Working seconds per worker.
    pub busy_per_worker_s: f64,
    /// Items per second it could handle if never kept waiting; absent when
    /// it did no measurable work.
    pub capacity_items_per_s: Option<f64>,
    /// Whether it is the stage that set the pace.
    pub bottleneck: bool,
}

impl StageRecord {
    /// The key of the list in the report's details.
    pub const KEY: &'static str = "stages";

    /// The numeric field called `field`, as a claim names it; `None` for a
    /// field that is not a number (or an absent capacity).
    #[must_use]
    pub fn number(&self, field: &str) -> Option<f64> {
        let count = |value: u64| Some(value as f64);
        match field {
            "workers" => Some(self.workers as f64),
            "items" => count(self.items),
            "batches" => count(self.batches),
            "busy_s" => Some(self.busy_s),
            "blocked_in_s" => Some(self.blocked_in_s),
            "blocked_out_s" => Some(self.blocked_out_s),
            "busy_share" => Some(self.busy_share),
            "blocked_in_share" => Some(self.blocked_in_share),
            "blocked_out_share" => Some(self.blocked_out_share),
            "busy_per_worker_s" => Some(self.busy_per_worker_s),
            "capacity_items_per_s" => self.capacity_items_per_s,
            _ => None,
        }
    }
}
