//! The typed sections a command adds to its report's `details`, for the
//! readers that hold the book's sentences to them.
//!
//! A report's details are free-form JSON, so that any command can add what
//! it knows; the sections a reader relies on are written and read back
//! through the types here, under the key each type names, so the writer and
//! the reader cannot drift apart.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::record::Report;

/// A record kept in a list under one key of a report's details, one
/// record per strategy.
///
/// ```
/// use ps_harness::{CrossoverRecord, DetailRecord, FitRecord};
///
/// // Each section has its own key, written once.
/// assert_ne!(FitRecord::KEY, CrossoverRecord::KEY);
/// ```
pub trait DetailRecord: Serialize + DeserializeOwned {
    /// The key of the list in [`Report::details`].
    const KEY: &'static str;

    /// The strategy this record is about.
    fn strategy(&self) -> &str;
}

impl Report {
    /// The records of type `R` in this report's details, in the order
    /// written; `None` where the report has none.
    ///
    /// ```
    /// use ps_harness::{CrossoverRecord, DetailRecord, Machine, Report};
    ///
    /// let record = CrossoverRecord {
    ///     strategy: "rayon".into(),
    ///     grain: Some(4096),
    ///     n_star: Some(65_536),
    ///     found: "65536".into(),
    /// };
    /// let report = Report::new("sweep", &Machine::detect(), Vec::new())
    ///     .with_detail(CrossoverRecord::KEY, vec![record.clone()]);
    /// assert_eq!(report.records::<CrossoverRecord>(), Some(Ok(vec![record])));
    /// ```
    ///
    /// # Errors
    ///
    /// Inside the `Some`: a one-line message when the section is there but
    /// is not a list of `R`.
    #[must_use]
    pub fn records<R: DetailRecord>(&self) -> Option<Result<Vec<R>, String>> {
        let value = self.details.get(R::KEY)?;
        Some(
            Vec::<R>::deserialize(value)
                .map_err(|error| format!("the report's `{}` are unreadable: {error}", R::KEY)),
        )
    }

    /// The record of type `R` about `strategy`.
    ///
    /// ```
    /// use ps_harness::{DetailRecord, FitRecord, Machine, Report};
    ///
    /// let fit = FitRecord {
    ///     strategy: "rayon".into(),
    ///     law: "amdahl".into(),
    ///     serial_fraction: Some(0.02),
    ///     serial_fraction_low: Some(0.01),
    ///     serial_fraction_high: Some(0.03),
    ///     points: 4,
    ///     not_fitted: None,
    ///     oversubscription: "not measured".into(),
    /// };
    /// let report = Report::new("scaling", &Machine::detect(), Vec::new())
    ///     .with_detail(FitRecord::KEY, vec![fit]);
    /// assert_eq!(report.record::<FitRecord>("rayon")?.serial_fraction, Some(0.02));
    /// assert!(report.record::<FitRecord>("threads-static").is_err());
    /// # Ok::<(), String>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A one-line message when the report has no such record or its section
    /// is unreadable.
    pub fn record<R: DetailRecord>(&self, strategy: &str) -> Result<R, String> {
        let missing = || format!("the report has no {} record for {strategy}", R::KEY);
        self.records::<R>()
            .ok_or_else(missing)??
            .into_iter()
            .find(|record| record.strategy() == strategy)
            .ok_or_else(missing)
    }
}

/// `scaling`'s fit of one strategy's speedups to Amdahl's law (or, with
/// `--weak`, Gustafson's), under the `fits` key.
///
/// ```
/// use ps_harness::{DetailRecord, FitRecord};
///
/// let json = r#"{"strategy": "rayon", "law": "amdahl", "serial_fraction": null,
///     "serial_fraction_low": null, "serial_fraction_high": null, "points": 2,
///     "not_fitted": "not fitted: 2 thread count(s) within the cores, 3 needed",
///     "oversubscription": "not measured"}"#;
/// let fit: FitRecord = serde_json::from_str(json).unwrap();
/// assert_eq!((FitRecord::KEY, fit.strategy(), fit.serial_fraction), ("fits", "rayon", None));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitRecord {
    /// The strategy's name.
    pub strategy: String,
    /// `amdahl`, or `gustafson` for weak scaling.
    pub law: String,
    /// The fitted serial fraction s; absent when too few thread counts
    /// were measured within the cores.
    pub serial_fraction: Option<f64>,
    /// The smallest s fitted with any one thread count left out.
    pub serial_fraction_low: Option<f64>,
    /// The largest s fitted with any one thread count left out.
    pub serial_fraction_high: Option<f64>,
    /// Distinct thread counts the fit could use.
    pub points: usize,
    /// Why there is no fit, when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_fitted: Option<String>,
    /// What threads beyond the cores did: the verdict first (`helps`,
    /// `hurts`, …), then the speedups it compares.
    pub oversubscription: String,
}

impl DetailRecord for FitRecord {
    const KEY: &'static str = "fits";

    fn strategy(&self) -> &str {
        &self.strategy
    }
}

/// `sweep`'s search for the smallest input at which one strategy is
/// clearly faster than serial, under the `crossovers` key.
///
/// ```
/// use ps_harness::{CrossoverRecord, DetailRecord};
///
/// let json = r#"{"strategy": "rayon", "grain": 4096, "n_star": null, "found": "none up to 1000000"}"#;
/// let crossover: CrossoverRecord = serde_json::from_str(json).unwrap();
/// assert_eq!((CrossoverRecord::KEY, crossover.n_star), ("crossovers", None));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossoverRecord {
    /// The strategy's name.
    pub strategy: String,
    /// The grain it ran with on the size ladder, for strategies that cut by
    /// grain.
    pub grain: Option<usize>,
    /// The crossover size n*; absent when none was found on the ladder.
    pub n_star: Option<usize>,
    /// What the search found, in words.
    pub found: String,
}

impl DetailRecord for CrossoverRecord {
    const KEY: &'static str = "crossovers";

    fn strategy(&self) -> &str {
        &self.strategy
    }
}
