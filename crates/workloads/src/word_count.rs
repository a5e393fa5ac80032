//! Word count: word frequencies of a text, merged from per-chunk maps.
//!
//! A word is a maximal run of alphanumeric characters
//! ([`char::is_alphanumeric`]); everything else separates words. Words are
//! counted case-insensitively: each character is lowercased on its own
//! ([`char::to_lowercase`]). The result is sorted by count, most frequent
//! first, and words of equal count alphabetically, so it is the same however
//! the work was split.
//!
//! What it teaches is *sharing by merging, not by locking*. The text is cut
//! into segments at line breaks (never inside a word), and `map_reduce` folds
//! each chunk of segments into a private hash map; the maps are then merged
//! on the calling thread. No thread ever waits for another while counting,
//! but the merge is serial work proportional to the number of chunks times
//! the distinct words in each, so a fine grain that balances the load well
//! also makes the merge longer: a real trade-off, unlike in the other
//! workloads.
//!
//! Counting allocates nothing per word. The maps are keyed by `&str` slices
//! of the text itself; only a word that needs lowercasing is lowercased into
//! a reused buffer, and copied into the map the first time it is seen. The
//! words become `String`s once, at the end. The maps hash with `FxHash`, a
//! multiply-and-rotate hash several times faster than the default `SipHash`
//! on short keys; it does not resist deliberately colliding input, which a
//! benchmark does not need to.
//!
//! The default input is [`generate`]d: pseudo-words drawn from a vocabulary
//! of [`VOCABULARY_SIZE`] with Zipf-distributed frequencies (the `k`-th most
//! common word appears about `1/k` as often as the most common), like the
//! words of a natural language. A user's own text works the same way through
//! [`Text::new`].
//!
//! The [`steps`] module cuts the same count into steps that can run apart
//! (line batches → tokenise → count → total), for a caller that gives each
//! step threads of its own, as the staged word count of `cargo xtask
//! pipeline` does.

use ps_strategy::Strategy;
use ps_workload::{Sizes, Workload};

use crate::canonical::hashed;

pub mod steps;

/// The seed [`generate`] is called with for the harness's corpus.
pub const DEFAULT_SEED: u64 = 42;

mod corpus;
mod counts;
mod hasher;
mod text;
mod tokenize;
#[cfg(test)]
mod tests;

pub use corpus::{VOCABULARY_SIZE, generate};
use counts::Counts;
pub use text::{SEGMENT_BYTES, Text};
pub use tokenize::words_in;

/// One `(word, count)` per distinct word, most frequent first, then
/// alphabetical.
pub type WordCounts = Vec<(String, u64)>;

/// Counts the words of `text` with `strategy`: each chunk of segments into a
/// private map, the maps merged on the calling thread.
///
/// ```
/// use ps_threads::StaticBlocks;
/// use ps_workloads::word_count::{Text, word_count};
///
/// let text = Text::with_segment_bytes("a b\nb c\nc c\n".to_owned(), 1);
/// let counts = word_count(&StaticBlocks::new(2)?, &text);
/// assert_eq!(counts, [("c".to_owned(), 3), ("b".to_owned(), 2), ("a".to_owned(), 1)]);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[must_use]
pub fn word_count<S: Strategy>(strategy: &S, text: &Text) -> WordCounts {
    let source = text.as_str();
    strategy
        .map_reduce(
            &text.segments,
            Counts::default,
            |mut counts, range| {
                counts.add(&source[range.clone()]);
                counts
            },
            Counts::merge,
        )
        .into_sorted()
}

/// The serial reference: the words of any text, counted in one plain pass
/// with no strategy and no segments.
///
/// ```
/// use ps_workloads::word_count::word_count_serial;
///
/// let counts = word_count_serial("The cat; the CAT, a cat-nap.");
/// let expected = [("cat", 3), ("the", 2), ("a", 1), ("nap", 1)];
/// assert_eq!(counts, expected.map(|(w, c)| (w.to_owned(), c)));
/// ```
#[must_use]
pub fn word_count_serial(text: &str) -> WordCounts {
    let mut counts = Counts::default();
    counts.add(text);
    counts.into_sorted()
}

/// The workload: word frequencies of `n` generated words, or of a file's
/// text.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workload::Workload;
/// use ps_workloads::word_count::WordCount;
///
/// let (n, text) = WordCount.input_from_text("to be or not to be".to_owned()).unwrap();
/// assert_eq!(n, 6);
/// assert_eq!(WordCount.run(&Serial, &text)[0], ("be".to_owned(), 2));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct WordCount;

impl Workload for WordCount {
    type Input = Text;
    type Output = WordCounts;

    fn name(&self) -> &'static str {
        "word-count"
    }

    fn summary(&self) -> &'static str {
        "word frequencies of a Zipf-like text: per-chunk hash maps merged, not shared under a lock"
    }

    fn n_means(&self) -> &'static str {
        "words in the generated text"
    }

    fn sizes(&self) -> Sizes {
        Sizes {
            quick: 50_000,
            default: 2_000_000,
            large: 20_000_000,
        }
    }

    /// 32 segments (512 KiB of text, some 80 000 words): every chunk builds
    /// its own map, which costs about as much per distinct word as counting
    /// a few words, and must then be merged serially; at 8 segments a chunk,
    /// two threads are barely faster than one.
    fn grain(&self, _n: usize) -> usize {
        32
    }

    fn bytes_for(&self, n: usize) -> Option<u128> {
        // About seven bytes a generated word, held once.
        Some(n as u128 * 8)
    }

    fn prepare(&self, n: usize) -> Text {
        Text::generated(n, DEFAULT_SEED)
    }

    fn input_from_text(&self, text: String) -> Option<(usize, Text)> {
        Some((words_in(&text), Text::new(text)))
    }

    fn run<S: Strategy>(&self, strategy: &S, text: &Text) -> WordCounts {
        word_count(strategy, text)
    }

    fn run_serial(&self, text: &Text) -> WordCounts {
        word_count_serial(text.as_str())
    }

    fn describe(&self, words: &WordCounts) -> String {
        hashed(words.len(), "distinct words", &words_file(words))
    }

    /// One `word<TAB>count` line each, in order.
    fn output_bytes(&self, words: &WordCounts) -> Vec<u8> {
        words_file(words)
    }
}

fn words_file(words: &WordCounts) -> Vec<u8> {
    let mut text = String::new();
    for (word, count) in words {
        text.push_str(word);
        text.push('\t');
        text.push_str(&count.to_string());
        text.push('\n');
    }
    text.into_bytes()
}
