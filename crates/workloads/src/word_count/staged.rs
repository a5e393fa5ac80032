//! Word count as a multi-stage pipeline: the answer of
//! [`word_count_serial`](super::word_count_serial), computed by a chain of
//! stages ([`ps_pipeline::Stages`]) that each do one step — to show that a
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
//! - **tokenise** finds a batch's words with the tokeniser and normaliser of
//!   [`word_count`](super) and numbers the distinct ones: it builds the
//!   batch's vocabulary — one hash-map lookup per word — and the list of
//!   every word's number. That lookup is most of the cost of counting words,
//!   so this is the heavy stage: about four fifths of the pipeline's work.
//! - **count** tallies a batch's word numbers in an array (no hashing) and
//!   pairs each vocabulary word with its tally: cheap.
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
//! ```
//! use ps_workloads::word_count::staged::{Staged, STAGES};
//! use ps_workloads::word_count::{generate, word_count_serial};
//!
//! let text = generate(20_000, 7);
//! let (counts, stats) = Staged::new([2, 1]).capacity(4).run(&text)?;
//! assert_eq!(counts, word_count_serial(&text));
//! assert_eq!(STAGES, ["tokenise", "count"]);
//! println!("bottleneck: {}", stats.bottleneck().name());
//! # Ok::<(), ps_workloads::word_count::staged::StagesError>(())
//! ```

use std::borrow::Cow;

use ps_pipeline::{Order, Stages};
pub use ps_pipeline::{Role, RunStats, StageStats, StagesError};

use super::counts::{Counts, FxHashMap};
use super::text::cut_at_or_after;
use super::tokenize::{for_each_word, lowercase_into};
use super::WordCounts;

/// The names of the stages between the source and the sink, in order.
pub const STAGES: [&str; 2] = ["tokenise", "count"];

/// The target length of a line batch: 64 KiB, about 10 000 words of the
/// generated corpus.
///
/// Large enough that a batch's channel messages and its merge into the total
/// (one hash-map update per distinct word of the batch) are small next to
/// tokenising it; small enough that a default-sized text makes a few hundred
/// batches for the stages to overlap on. Texts shorter than
/// [`MIN_BATCHES`] × 64 KiB get smaller batches.
pub const BATCH_BYTES: usize = 64 * 1024;

/// The fewest batches a text is cut into when it can be, so that even a
/// short text fills the pipeline: [`batch_bytes_for`] shrinks the batches
/// below [`BATCH_BYTES`] to make at least this many.
pub const MIN_BATCHES: usize = 32;

/// The line-batch length used for a text of `len` bytes: [`BATCH_BYTES`],
/// or less to make at least [`MIN_BATCHES`] batches, but never under 1 KiB.
///
/// ```
/// use ps_workloads::word_count::staged::{BATCH_BYTES, batch_bytes_for};
///
/// assert_eq!(batch_bytes_for(100 * 1024 * 1024), BATCH_BYTES);
/// assert_eq!(batch_bytes_for(320 * 1024), 10 * 1024);
/// assert_eq!(batch_bytes_for(100), 1024);
/// ```
#[must_use]
pub fn batch_bytes_for(len: usize) -> usize {
    (len / MIN_BATCHES).clamp(1024, BATCH_BYTES)
}

/// The batches of `text` of about `target` bytes (at least 1), cut as
/// [`Text::with_segment_bytes`](super::Text::with_segment_bytes) cuts
/// segments: just after a line break, never inside a word. They are slices
/// of `text` and together they are all of it.
///
/// ```
/// use ps_workloads::word_count::staged::line_batches;
///
/// let batches: Vec<_> = line_batches("one two\nthree\nfour\n", 5).collect();
/// assert_eq!(batches, ["one two\n", "three\n", "four\n"]);
/// ```
pub fn line_batches(text: &str, target: usize) -> impl Iterator<Item = &str> {
    let target = target.max(1);
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = cut_at_or_after(text, start + target);
        let batch = &text[start..end];
        start = end;
        Some(batch)
    })
}

/// The staged word count's configuration: the workers of each of the
/// [`STAGES`], the channel capacity and the batch length.
///
/// ```
/// use ps_workloads::word_count::staged::Staged;
///
/// let staged = Staged::default();
/// assert_eq!(staged.workers(), [1, 1]);
/// let (counts, _) = staged.run("Jack and jill; JACK.")?;
/// assert_eq!(counts[0], ("jack".to_owned(), 2));
/// # Ok::<(), ps_workloads::word_count::staged::StagesError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staged {
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
    #[must_use]
    pub fn new(workers: [usize; STAGES.len()]) -> Self {
        Staged {
            workers,
            capacity: None,
            batch_bytes: None,
        }
    }

    /// Sets every channel's capacity, in batches (see
    /// [`Stages::capacity`]).
    #[must_use]
    pub fn capacity(self, capacity: usize) -> Self {
        Staged {
            capacity: Some(capacity),
            ..self
        }
    }

    /// Sets the target length of a line batch, in bytes (at least 1),
    /// instead of [`batch_bytes_for`] the text.
    ///
    /// ```
    /// # use ps_workloads::word_count::staged::Staged;
    /// let (_, stats) = Staged::default().batch_bytes(1).run("a b\nc d\ne\n")?;
    /// assert_eq!(stats.items(), 3);
    /// # Ok::<(), ps_workloads::word_count::staged::StagesError>(())
    /// ```
    #[must_use]
    pub fn batch_bytes(self, bytes: usize) -> Self {
        Staged {
            batch_bytes: Some(bytes),
            ..self
        }
    }

    /// The workers of each stage, in the order of [`STAGES`].
    #[must_use]
    pub fn workers(&self) -> [usize; STAGES.len()] {
        self.workers
    }

    /// Counts the words of `text` through the pipeline; returns the counts,
    /// sorted as [`word_count_serial`](super::word_count_serial) sorts them,
    /// and the run's per-stage statistics.
    ///
    /// # Errors
    ///
    /// [`StagesError::ZeroWorkers`] if a stage has 0 workers,
    /// [`StagesError::ZeroCapacity`] for a capacity of 0.
    pub fn run(&self, text: &str) -> Result<(WordCounts, RunStats), StagesError> {
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
            .fold(Counts::default(), |mut total, counted| {
                total.add_counts(counted);
                total
            })?;
        // ANCHOR_END: chain
        Ok((total.into_sorted(), stats))
    }
}

/// A batch's words as numbers: `ids[k]` is the number of its `k`-th word,
/// whose normalised form is `vocabulary[ids[k]]`.
#[derive(Debug, Default)]
struct Tokens<'a> {
    vocabulary: Vec<Cow<'a, str>>,
    ids: Vec<u32>,
}

/// The tokenise stage: the words of `batch`, normalised, numbered by a
/// vocabulary of the batch's distinct words.
fn tokenise(batch: &str) -> Tokens<'_> {
    let mut numbers: FxHashMap<Cow<'_, str>, u32> = FxHashMap::default();
    let mut ids = Vec::with_capacity(batch.len() / 4);
    let mut lowercase = String::new();
    for_each_word(batch, |word, plain| {
        let normalised = if plain {
            word
        } else {
            lowercase_into(word, &mut lowercase);
            &lowercase
        };
        let id = if let Some(&id) = numbers.get(normalised) {
            id
        } else {
            // A new word's number is the count of distinct words before it.
            let id = u32::try_from(numbers.len()).expect("fewer than 2³² words in a batch");
            let key = if plain {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(lowercase.clone())
            };
            numbers.insert(key, id);
            id
        };
        ids.push(id);
    });
    let mut vocabulary = vec![Cow::Borrowed(""); numbers.len()];
    for (word, id) in numbers {
        vocabulary[id as usize] = word;
    }
    Tokens { vocabulary, ids }
}

/// The count stage: each vocabulary word of a batch with its tally.
fn count(tokens: Tokens<'_>) -> Vec<(Cow<'_, str>, u64)> {
    let mut tallies = vec![0_u64; tokens.vocabulary.len()];
    for id in tokens.ids {
        tallies[id as usize] += 1;
    }
    tokens.vocabulary.into_iter().zip(tallies).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::word_count::{generate, word_count_serial};

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
    fn an_empty_text_has_no_words() {
        let (counts, stats) = Staged::default().run("").expect("a valid configuration");
        assert!(counts.is_empty());
        assert_eq!(stats.items(), 0);
        let (counts, _) = Staged::default().run(" ,.;\n\t— ").expect("valid");
        assert!(counts.is_empty());
    }

    #[test]
    fn line_batches_cover_the_text_at_line_breaks() {
        let text = generate(5000, 4);
        let batches: Vec<_> = line_batches(&text, 500).collect();
        assert!(batches.len() > 10);
        assert_eq!(batches.concat(), text);
        assert!(batches.iter().all(|batch| batch.ends_with('\n')));
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

    #[test]
    fn tokens_number_the_distinct_words_in_order_of_appearance() {
        let tokens = tokenise("b A a, c B b");
        assert_eq!(tokens.vocabulary, ["b", "a", "c"]);
        assert_eq!(tokens.ids, [0, 1, 1, 2, 0, 0]);
        let counted = count(tokens);
        assert_eq!(
            counted,
            [
                (Cow::Borrowed("b"), 3),
                (Cow::Borrowed("a"), 2),
                (Cow::Borrowed("c"), 1)
            ]
        );
    }
}
