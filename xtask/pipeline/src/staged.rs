//! The staged word count: the answer of `word_count_serial`, computed by a
//! chain of stages ([`ps_stages::Stages`]) that each run one of the word
//! count's [steps](ps_workloads::word_count::steps) — to show that a
//! pipeline runs at the speed of its slowest stage.
//!
//! ```text
//!  source ──▶ tokenise ──▶ count ──▶ merge
//!  line        words and     tally     add into
//!  batches     their ids     the ids   the total (the sink)
//! ```
//!
//! - The **source** cuts the text into line batches of about
//!   [`BATCH_BYTES`] (at line breaks, never inside a word), as slices: no
//!   copying.
//! - **tokenise** finds a batch's words and numbers the distinct ones: one
//!   hash-map lookup per word, so this is the heavy stage.
//! - **count** tallies a batch's word numbers in an array (no hashing):
//!   cheap.
//! - The sink **merges** each batch's counts into the total, in batch order.
//!
//! Both stages keep the source's order ([`Order::Preserve`]), so the sink
//! merges batches in text order whatever the workers' timing; the final
//! sort makes the result the same either way.
//!
//! With one worker each, tokenise is the bottleneck: the other threads spend
//! most of the run waiting for it. A second tokenise worker (on a machine
//! with a core to spare) raises the throughput by almost the share of the
//! work it takes over; a second count worker changes nothing but how long
//! the count workers wait.
//!
//! This lives beside `cargo xtask pipeline`, its only user: the word count's
//! steps are workload code, in `ps-workloads`, which depends on no strategy;
//! running them as stages is this command's business.

use ps_stages::{Order, RunStats, Stages, StagesError};
use ps_workloads::word_count::WordCounts;
use ps_workloads::word_count::steps::{Total, count, line_batches, tokenise};

/// The names of the stages between the source and the sink, in order.
pub(crate) const STAGES: [&str; 2] = ["tokenise", "count"];

/// The target length of a line batch: 64 KiB, about 10 000 words of the
/// generated corpus.
///
/// Large enough that a batch's channel messages and its merge into the total
/// (one hash-map update per distinct word of the batch) are small next to
/// tokenising it; small enough that a default-sized text makes a few hundred
/// batches for the stages to overlap on. Texts shorter than
/// [`MIN_BATCHES`] × 64 KiB get smaller batches.
pub(crate) const BATCH_BYTES: usize = 64 * 1024;

/// The fewest batches a text is cut into when it can be, so that even a
/// short text fills the pipeline: [`batch_bytes_for`] shrinks the batches
/// below [`BATCH_BYTES`] to make at least this many.
pub(crate) const MIN_BATCHES: usize = 32;

/// The smallest line batch [`batch_bytes_for`] chooses: 1 KiB.
const MIN_BATCH_BYTES: usize = 1024;

/// The line-batch length used for a text of `len` bytes: [`BATCH_BYTES`],
/// or less to make at least [`MIN_BATCHES`] batches, but never under
/// [`MIN_BATCH_BYTES`].
pub(crate) fn batch_bytes_for(len: usize) -> usize {
    (len / MIN_BATCHES).clamp(MIN_BATCH_BYTES, BATCH_BYTES)
}

/// The staged word count's configuration: the workers of each of the
/// [`STAGES`], the channel capacity and the batch length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Staged {
    workers: [usize; STAGES.len()],
    capacity: Option<usize>,
    batch_bytes: Option<usize>,
}

impl Default for Staged {
    /// One worker per stage, the default capacity and batch length.
    fn default() -> Self {
        Staged::new([1; STAGES.len()])
    }
}

impl Staged {
    /// `workers[i]` workers for stage `STAGES[i]`, with the pipeline's
    /// default capacity and [`batch_bytes_for`] the text.
    pub(crate) fn new(workers: [usize; STAGES.len()]) -> Self {
        Staged {
            workers,
            capacity: None,
            batch_bytes: None,
        }
    }

    /// Sets every channel's capacity, in batches (see
    /// [`Stages::capacity`]).
    pub(crate) fn capacity(self, capacity: usize) -> Self {
        Staged {
            capacity: Some(capacity),
            ..self
        }
    }

    /// Sets the target length of a line batch, in bytes (at least 1),
    /// instead of [`batch_bytes_for`] the text.
    #[cfg(test)]
    fn batch_bytes(self, bytes: usize) -> Self {
        Staged {
            batch_bytes: Some(bytes),
            ..self
        }
    }

    /// The workers of each stage, in the order of [`STAGES`].
    pub(crate) fn workers(&self) -> [usize; STAGES.len()] {
        self.workers
    }

    /// Counts the words of `text` through the pipeline; returns the counts,
    /// sorted as `word_count_serial` sorts them, and the run's per-stage
    /// statistics.
    ///
    /// # Errors
    ///
    /// [`StagesError::ZeroWorkers`] if a stage has 0 workers,
    /// [`StagesError::ZeroCapacity`] for a capacity of 0.
    pub(crate) fn run(&self, text: &str) -> Result<(WordCounts, RunStats), StagesError> {
        let target = self
            .batch_bytes
            .unwrap_or_else(|| batch_bytes_for(text.len()));
        let [tokenise_workers, count_workers] = self.workers;
        // ANCHOR: chain
        let mut stages = Stages::from_source(line_batches(text, target));
        if let Some(capacity) = self.capacity {
            stages = stages.capacity(capacity);
        }
        let (total, stats) = stages
            .stage(STAGES[0], tokenise_workers, Order::Preserve, tokenise)
            .stage(STAGES[1], count_workers, Order::Preserve, count)
            .fold(Total::default(), |mut total, counted| {
                total.add(counted);
                total
            })?;
        // ANCHOR_END: chain
        Ok((total.into_sorted(), stats))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ps_workloads::word_count::{generate, word_count_serial};

    #[test]
    fn every_split_matches_the_serial_count() {
        let texts = [
            generate(30_000, 3),
            "no line breaks at all, just words and commas ".repeat(300),
            "Ünïcödé Wörds ñear THÉ cuts; ÄRGER ärger\n".repeat(200),
            "The cat sat; the CAT ran.\nA cat-nap! Route 66, route\t66.".to_owned(),
        ];
        for text in &texts {
            let serial = word_count_serial(text);
            for workers in [[1, 1], [2, 1], [1, 2], [3, 2]] {
                for (capacity, batch) in [(1, 16), (2, 1000), (8, 64 * 1024)] {
                    let (counts, stats) = Staged::new(workers)
                        .capacity(capacity)
                        .batch_bytes(batch)
                        .run(text)
                        .expect("a valid configuration");
                    assert_eq!(
                        counts, serial,
                        "{workers:?}, capacity {capacity}, batch {batch}"
                    );
                    let batches = line_batches(text, batch).count() as u64;
                    assert!(stats.stages().iter().all(|row| row.items() == batches));
                }
            }
        }
    }

    #[test]
    fn the_default_runs_one_worker_per_stage() {
        let staged = Staged::default();
        assert_eq!(staged.workers(), [1, 1]);
        let (counts, _) = staged.run("Jack and jill; JACK.").expect("valid");
        assert_eq!(counts[0], ("jack".to_owned(), 2));
    }

    #[test]
    fn an_empty_text_has_no_words() {
        let (counts, stats) = Staged::default().run("").expect("a valid configuration");
        assert!(counts.is_empty());
        assert_eq!(stats.items(), 0);
        let (counts, _) = Staged::default().run(" ,.;\n\t— ").expect("valid");
        assert!(counts.is_empty());
    }

    #[test]
    fn a_batch_of_one_byte_is_a_batch_per_line() {
        let (_, stats) = Staged::default()
            .batch_bytes(1)
            .run("a b\nc d\ne\n")
            .expect("valid");
        assert_eq!(stats.items(), 3);
    }

    #[test]
    fn batches_shrink_for_short_texts_down_to_a_floor() {
        assert_eq!(batch_bytes_for(100 * 1024 * 1024), BATCH_BYTES);
        assert_eq!(batch_bytes_for(MIN_BATCHES * 10 * 1024), 10 * 1024);
        assert_eq!(batch_bytes_for(100), MIN_BATCH_BYTES);
    }

    #[test]
    fn the_stats_name_the_stages_in_order() {
        let (_, stats) = Staged::new([2, 1])
            .run(&generate(20_000, 1))
            .expect("a valid configuration");
        let rows: Vec<_> = stats
            .stages()
            .iter()
            .map(|row| (row.name(), row.workers()))
            .collect();
        assert_eq!(
            rows,
            [("source", 1), ("tokenise", 2), ("count", 1), ("sink", 1)]
        );
    }

    #[test]
    fn bad_configurations_are_errors() {
        let error = Staged::new([1, 0]).run("words").unwrap_err();
        assert_eq!(
            error,
            StagesError::ZeroWorkers {
                stage: "count".to_owned()
            }
        );
        let error = Staged::default().capacity(0).run("words").unwrap_err();
        assert_eq!(error, StagesError::ZeroCapacity);
    }
}
