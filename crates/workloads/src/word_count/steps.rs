//! Word count cut into steps that can run apart — on different threads, each
//! on its own batch of the text — for a caller that schedules them itself,
//! such as a pipeline of stages (`cargo xtask pipeline` runs these steps as
//! one).
//!
//! ```text
//!  line_batches ──▶ tokenise ──▶ count ──▶ Total::add
//!  slices of the    words and    tally     add into the
//!  text             their ids    the ids   running total
//! ```
//!
//! - [`line_batches`] cuts the text at line breaks (never inside a word), as
//!   slices: no copying.
//! - [`tokenise`] finds a batch's words with the same tokeniser and
//!   normaliser as [`word_count`](super::word_count) and numbers the distinct
//!   ones: it builds the batch's vocabulary — one hash-map lookup per word,
//!   the bulk of the cost of counting words — and the list of every word's
//!   number.
//! - [`count`] tallies a batch's word numbers in an array (no hashing) and
//!   pairs each vocabulary word with its tally.
//! - [`Total`] adds each batch's tallies into the total, in any order, and
//!   sorts it as [`word_count_serial`](super::word_count_serial) does.
//!
//! Nothing here knows about threads: each step is a plain function of its
//! input, so whoever runs them decides how many threads each one gets.
//!
//! ```
//! use ps_workloads::word_count::steps::{Total, count, line_batches, tokenise};
//! use ps_workloads::word_count::{generate, word_count_serial};
//!
//! let text = generate(5_000, 7);
//! let mut total = Total::default();
//! for batch in line_batches(&text, 1024) {
//!     total.add(count(tokenise(batch)));
//! }
//! assert_eq!(total.into_sorted(), word_count_serial(&text));
//! ```

use std::borrow::Cow;

use super::WordCounts;
use super::counts::{Counts, FxHashMap};
use super::text::cut_at_or_after;
use super::tokenize::{for_each_word, lowercase_into};

/// The batches of `text` of about `target` bytes (at least 1), cut as
/// [`Text::with_segment_bytes`](super::Text::with_segment_bytes) cuts
/// segments: just after a line break, never inside a word. They are slices
/// of `text` and together they are all of it.
///
/// ```
/// use ps_workloads::word_count::steps::line_batches;
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

/// A batch's words as numbers: the `k`-th word's number indexes the batch's
/// vocabulary of distinct, normalised words. Made by [`tokenise`], read by
/// [`count`]; what it holds is theirs alone.
///
/// ```
/// use ps_workloads::word_count::steps::{Tokens, count};
///
/// assert!(count(Tokens::default()).is_empty());
/// ```
#[derive(Debug, Default)]
pub struct Tokens<'a> {
    vocabulary: Vec<Cow<'a, str>>,
    ids: Vec<u32>,
}

/// The words of `batch`, normalised, numbered by a vocabulary of the batch's
/// distinct words in order of first appearance.
///
/// ```
/// use ps_workloads::word_count::steps::{count, tokenise};
///
/// let tallies = count(tokenise("The cat; the CAT ran."));
/// assert_eq!(tallies, [("the".into(), 2), ("cat".into(), 2), ("ran".into(), 1)]);
/// ```
#[must_use]
pub fn tokenise(batch: &str) -> Tokens<'_> {
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

/// Each distinct word of a batch with its tally, in order of first
/// appearance in the batch.
pub type Tallies<'a> = Vec<(Cow<'a, str>, u64)>;

/// Each vocabulary word of a batch's [`Tokens`] with its tally.
///
/// ```
/// use ps_workloads::word_count::steps::{count, tokenise};
///
/// assert_eq!(count(tokenise("a b a")), [("a".into(), 2), ("b".into(), 1)]);
/// ```
#[must_use]
pub fn count(tokens: Tokens<'_>) -> Tallies<'_> {
    let mut tallies = vec![0_u64; tokens.vocabulary.len()];
    for id in tokens.ids {
        tallies[id as usize] += 1;
    }
    tokens.vocabulary.into_iter().zip(tallies).collect()
}

/// The running total of every batch's [`Tallies`]: the word count's own
/// per-chunk map, so adding a batch costs one hash-map update per distinct
/// word of the batch.
///
/// ```
/// use ps_workloads::word_count::steps::{Total, count, tokenise};
///
/// let mut total = Total::default();
/// total.add(count(tokenise("b a")));
/// total.add(count(tokenise("A")));
/// assert_eq!(total.into_sorted(), [("a".to_owned(), 2), ("b".to_owned(), 1)]);
/// ```
#[derive(Default)]
pub struct Total<'a> {
    counts: Counts<'a>,
}

impl std::fmt::Debug for Total<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Total").finish_non_exhaustive()
    }
}

impl<'a> Total<'a> {
    /// Adds one batch's tallies; batches may come in any order.
    pub fn add(&mut self, tallies: Tallies<'a>) {
        self.counts.add_counts(tallies);
    }

    /// The total as [`word_count_serial`](super::word_count_serial) returns
    /// it: most frequent first, then alphabetical.
    #[must_use]
    pub fn into_sorted(self) -> WordCounts {
        self.counts.into_sorted()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::word_count::{generate, word_count_serial};

    #[test]
    fn the_steps_over_any_batches_give_the_serial_count() {
        let texts = [
            generate(30_000, 3),
            "no line breaks at all, just words and commas ".repeat(300),
            "Ünïcödé Wörds ñear THÉ cuts; ÄRGER ärger\n".repeat(200),
            "The cat sat; the CAT ran.\nA cat-nap! Route 66, route\t66.".to_owned(),
            String::new(),
        ];
        for text in &texts {
            for target in [1, 16, 1000, 64 * 1024] {
                let mut total = Total::default();
                // Backwards: the total does not depend on the batches' order.
                let batches: Vec<_> = line_batches(text, target).collect();
                for batch in batches.into_iter().rev() {
                    total.add(count(tokenise(batch)));
                }
                assert_eq!(total.into_sorted(), word_count_serial(text), "batch {target}");
            }
        }
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
