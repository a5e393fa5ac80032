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
//! The `staged` module (behind the crate's `staged` feature) computes the same counts as a multi-stage pipeline
//! (line batches → tokenise → count → merge), with a worker count per stage,
//! to show that a pipeline runs at the speed of its slowest stage.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use ps_strategy::Strategy;
use ps_workload::{Sizes, Workload};

use crate::canonical::hashed;
use crate::rng::SplitMix64;

#[cfg(feature = "staged")]
pub mod staged;

/// The seed [`generate`] is called with for the harness's corpus.
pub const DEFAULT_SEED: u64 = 42;

/// The number of distinct words in a [`generate`]d corpus.
pub const VOCABULARY_SIZE: usize = 5000;

/// The target length of a segment of a [`Text`], in bytes: 16 KiB, about
/// 2500 words of the generated corpus.
///
/// A segment is one element for the strategies, so the grain counts
/// segments. Slicing a segment out of the text costs next to nothing, so they
/// can be small: the default corpus of some 13 MB makes about 800 of them,
/// and the grain ([`WordCount::grain`](ps_workload::Workload::grain)), not
/// the segment, decides how many maps are built and merged.
pub const SEGMENT_BYTES: usize = 16 * 1024;

/// How far past a segment's target length a line break is looked for before
/// the text is cut at any other non-word character.
const LINE_SEARCH: usize = 256;

/// One `(word, count)` per distinct word, most frequent first, then
/// alphabetical.
pub type WordCounts = Vec<(String, u64)>;

/// A text cut into segments at line breaks, ready to be counted in parallel.
///
/// Cutting is done once, when the text is built, so it is outside the timed
/// region of a benchmark.
///
/// ```
/// use ps_workloads::word_count::Text;
///
/// let text = Text::with_segment_bytes("one two\nthree four\nfive\n".to_owned(), 4);
/// assert_eq!(text.segments().collect::<Vec<_>>(), ["one two\n", "three four\n", "five\n"]);
/// ```
#[derive(Clone)]
pub struct Text {
    text: String,
    segments: Vec<Range<usize>>,
}

impl Text {
    /// Cuts `text` into segments of about [`SEGMENT_BYTES`].
    ///
    /// ```
    /// use ps_workloads::word_count::Text;
    ///
    /// let text = Text::new("Hello, world!".to_owned());
    /// assert_eq!(text.as_str(), "Hello, world!");
    /// assert_eq!(text.segments().count(), 1);
    /// ```
    #[must_use]
    pub fn new(text: String) -> Text {
        Text::with_segment_bytes(text, SEGMENT_BYTES)
    }

    /// Cuts `text` into segments of about `target` bytes each (at least 1).
    ///
    /// A segment ends just after the first line break at or after `target`
    /// bytes, if there is one within the next 256 bytes; otherwise just
    /// before the first non-alphanumeric character, so a word is never cut.
    ///
    /// ```
    /// use ps_workloads::word_count::Text;
    ///
    /// // No line breaks: the cut falls at the first separator after 3 bytes.
    /// let text = Text::with_segment_bytes("alpha beta,gamma".to_owned(), 3);
    /// assert_eq!(text.segments().collect::<Vec<_>>(), ["alpha", " beta", ",gamma"]);
    /// ```
    #[must_use]
    pub fn with_segment_bytes(text: String, target: usize) -> Text {
        let target = target.max(1);
        let mut segments = Vec::with_capacity(text.len() / target + 1);
        let mut start = 0;
        while start < text.len() {
            let end = cut_at_or_after(&text, start + target);
            segments.push(start..end);
            start = end;
        }
        Text { text, segments }
    }

    /// A [`generate`]d corpus of `words` words.
    ///
    /// ```
    /// use ps_workloads::word_count::{Text, words_in};
    ///
    /// assert_eq!(words_in(Text::generated(1000, 7).as_str()), 1000);
    /// ```
    #[must_use]
    pub fn generated(words: usize, seed: u64) -> Text {
        Text::new(generate(words, seed))
    }

    /// The whole text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The segments in order; together they are the whole text.
    #[must_use]
    pub fn segments(&self) -> impl ExactSizeIterator<Item = &str> {
        self.segments.iter().map(|range| &self.text[range.clone()])
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Text")
            .field("bytes", &self.text.len())
            .field("segments", &self.segments.len())
            .finish_non_exhaustive()
    }
}

/// The smallest cut at or after byte `at` that does not split a word.
fn cut_at_or_after(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let bytes = text.as_bytes();
    let window = &bytes[at..(at + LINE_SEARCH).min(bytes.len())];
    if let Some(offset) = window.iter().position(|&b| b == b'\n') {
        return at + offset + 1;
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    text[at..]
        .char_indices()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(offset, _)| at + offset)
}

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

/// The number of words in `text` (with repetitions), without counting
/// frequencies.
///
/// ```
/// assert_eq!(ps_workloads::word_count::words_in("It's 9 o'clock."), 5);
/// ```
#[must_use]
pub fn words_in(text: &str) -> usize {
    let mut words = 0;
    for_each_word(text, |_, _| words += 1);
    words
}

/// Calls `f(word, plain)` for every word of `text` in order, where `plain`
/// means the word is ASCII without capitals and so already lowercase.
///
/// ASCII, nearly all of most texts, is classified byte by byte; other
/// characters are decoded one at a time.
#[inline]
fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str, bool)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Between words: skip separators.
        let (is_word, width) = classify(text, i);
        if !is_word {
            i += width;
            continue;
        }
        // In a word: run to its end.
        let start = i;
        let mut plain = true;
        while i < bytes.len() {
            let byte = bytes[i];
            if byte.is_ascii_lowercase() || byte.is_ascii_digit() {
                i += 1;
            } else if byte.is_ascii_uppercase() {
                plain = false;
                i += 1;
            } else if byte.is_ascii() {
                break;
            } else {
                let (is_word, width) = classify(text, i);
                if !is_word {
                    break;
                }
                plain = false;
                i += width;
            }
        }
        f(&text[start..i], plain);
    }
}

/// Whether the character at byte `i` belongs to a word, and its length.
#[inline]
fn classify(text: &str, i: usize) -> (bool, usize) {
    let byte = text.as_bytes()[i];
    if byte.is_ascii() {
        (byte.is_ascii_alphanumeric(), 1)
    } else {
        let c = text[i..].chars().next().expect("i is a character boundary");
        (c.is_alphanumeric(), c.len_utf8())
    }
}

/// Replaces `buffer`'s contents with `word` lowercased, one character at a
/// time ([`char::to_lowercase`]); ASCII words take a faster path with the
/// same result. This is the normaliser: a word that `for_each_word` does not
/// call plain is counted as this.
#[inline]
fn lowercase_into(word: &str, buffer: &mut String) {
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else {
        buffer.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// The per-chunk state: counts keyed by slices of the text, plus a reused
/// buffer for words that need lowercasing.
#[derive(Default)]
struct Counts<'a> {
    map: FxHashMap<Cow<'a, str>, u64>,
    lowercase: String,
}

/// A hash map hashing with [`FxHasher`].
type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

impl<'a> Counts<'a> {
    fn add(&mut self, text: &'a str) {
        let Counts { map, lowercase } = self;
        for_each_word(text, |word, plain| {
            if plain {
                *map.entry(Cow::Borrowed(word)).or_insert(0) += 1;
            } else {
                lowercase_into(word, lowercase);
                if let Some(count) = map.get_mut(lowercase.as_str()) {
                    *count += 1;
                } else {
                    map.insert(Cow::Owned(lowercase.clone()), 1);
                }
            }
        });
    }

    /// Adds already counted words, as `merge` does.
    fn add_counts(&mut self, counts: impl IntoIterator<Item = (Cow<'a, str>, u64)>) {
        for (word, count) in counts {
            *self.map.entry(word).or_insert(0) += count;
        }
    }

    /// Adds the smaller map into the larger. Addition commutes, so which way
    /// round does not change any count.
    fn merge(self, other: Counts<'a>) -> Counts<'a> {
        let (mut into, from) = if self.map.len() >= other.map.len() {
            (self, other)
        } else {
            (other, self)
        };
        into.add_counts(from.map);
        into
    }

    fn into_sorted(self) -> WordCounts {
        let mut words: WordCounts = self
            .map
            .into_iter()
            .map(|(word, count)| (word.into_owned(), count))
            .collect();
        words.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words
    }
}

/// `FxHash`, the hash of the Rust compiler: for each eight bytes, rotate,
/// xor and multiply by a constant. The final rotation brings the
/// well-mixed high bits down to where the hash table takes its bucket index.
#[derive(Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const MULTIPLIER: u64 = 0x517C_C1B7_2722_0A95;

    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::MULTIPLIER);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("chunks of 8")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

/// A Zipf-like corpus of `words` pseudo-words, the same for the same seed.
///
/// The vocabulary is [`VOCABULARY_SIZE`] distinct lowercase words of one to
/// three syllables, shortest first, and the `k`-th is drawn with probability
/// proportional to `1/k`. Lines hold 5 to 15 words (10 on average), start
/// with a capital letter and end with a full stop and a line break.
///
/// ```
/// use ps_workloads::word_count::{generate, words_in};
///
/// let text = generate(50, 1);
/// assert_eq!(words_in(&text), 50);
/// assert!(text.ends_with(".\n"));
/// assert_eq!(text, generate(50, 1));
/// assert_ne!(text, generate(50, 2));
/// ```
#[must_use]
pub fn generate(words: usize, seed: u64) -> String {
    let mut rng = SplitMix64::new(seed);
    let vocabulary = vocabulary(&mut rng);
    let mut cumulative = Vec::with_capacity(VOCABULARY_SIZE);
    let mut total = 0.0;
    for rank in 1..=VOCABULARY_SIZE {
        total += 1.0 / rank as f64;
        cumulative.push(total);
    }
    let mut text = String::with_capacity(words * 8);
    let mut left_in_line = 0;
    for _ in 0..words {
        let target = rng.next_f64() * total;
        let rank = cumulative.partition_point(|&c| c <= target);
        let word = &vocabulary[rank.min(VOCABULARY_SIZE - 1)];
        if left_in_line == 0 {
            left_in_line = 5 + rng.below(11);
            let (first, rest) = word.split_at(1);
            text.push_str(&first.to_ascii_uppercase());
            text.push_str(rest);
        } else {
            text.push(' ');
            text.push_str(word);
        }
        left_in_line -= 1;
        if left_in_line == 0 {
            text.push_str(".\n");
        }
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str(".\n");
    }
    text
}

/// [`VOCABULARY_SIZE`] distinct pronounceable words, shortest first.
fn vocabulary(rng: &mut SplitMix64) -> Vec<String> {
    const CONSONANTS: &[u8] = b"bcdfghjklmnprstvwz";
    const VOWELS: &[u8] = b"aeiou";
    let mut seen = HashSet::with_capacity(VOCABULARY_SIZE);
    let mut words = Vec::with_capacity(VOCABULARY_SIZE);
    while words.len() < VOCABULARY_SIZE {
        let mut word = String::new();
        for _ in 0..=rng.below(3) {
            word.push(char::from(CONSONANTS[rng.below(CONSONANTS.len())]));
            word.push(char::from(VOWELS[rng.below(VOWELS.len())]));
        }
        if rng.below(2) == 0 {
            word.push(char::from(CONSONANTS[rng.below(CONSONANTS.len())]));
        }
        if seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words.sort_by_key(String::len);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(counts: &[(&str, u64)]) -> WordCounts {
        counts.iter().map(|&(w, c)| (w.to_owned(), c)).collect()
    }

    #[test]
    fn a_hand_counted_text() {
        let text = "The cat sat; the CAT ran.\nA cat-nap! Route 66, route\t66.";
        let expected = [
            ("cat", 3),
            ("66", 2),
            ("route", 2),
            ("the", 2),
            ("a", 1),
            ("nap", 1),
            ("ran", 1),
            ("sat", 1),
        ];
        assert_eq!(word_count_serial(text), owned(&expected));
        assert_eq!(words_in(text), 13);
    }

    #[test]
    fn non_ascii_words_are_lowercased_and_kept_whole() {
        let text = "Ärger ärger ÄRGER — naïve Naïve; straße STRASSE";
        let expected = [("ärger", 3), ("naïve", 2), ("strasse", 1), ("straße", 1)];
        assert_eq!(word_count_serial(text), owned(&expected));
    }

    #[test]
    fn empty_and_separator_only_texts_have_no_words() {
        assert!(word_count_serial("").is_empty());
        assert!(word_count_serial(" ,.;\n\t— ").is_empty());
        assert_eq!(words_in(""), 0);
    }

    #[test]
    fn segments_cover_the_text_and_never_cut_a_word() {
        let texts = [
            generate(3000, 3),
            "no line breaks at all, just words and commas ".repeat(40),
            "ünïcödé wörds ñear thé cuts ".repeat(30),
            "x".repeat(100),
        ];
        for source in texts {
            for target in [1, 7, 64, 1000] {
                let text = Text::with_segment_bytes(source.clone(), target);
                assert_eq!(text.segments().collect::<String>(), source);
                for pair in text.segments.windows(2) {
                    let cut = pair[0].end;
                    let before = source[..cut].chars().next_back().unwrap();
                    let after = source[cut..].chars().next().unwrap();
                    assert!(
                        !(before.is_alphanumeric() && after.is_alphanumeric()),
                        "cut {cut} splits a word (target {target})"
                    );
                }
            }
        }
    }

    #[test]
    fn segments_end_at_line_breaks_when_there_are_some() {
        let text = Text::with_segment_bytes(generate(5000, 4), 500);
        assert!(text.segments.len() > 10);
        assert!(text.segments().all(|segment| segment.ends_with('\n')));
    }

    #[test]
    fn the_generator_is_deterministic_and_zipf_like() {
        let text = generate(20_000, DEFAULT_SEED);
        assert_eq!(text, generate(20_000, DEFAULT_SEED));
        assert_ne!(text, generate(20_000, DEFAULT_SEED + 1));
        assert_eq!(words_in(&text), 20_000);
        let counts = word_count_serial(&text);
        assert_eq!(counts.iter().map(|(_, c)| c).sum::<u64>(), 20_000);
        // 1/H(5000) ≈ 11% of all words are the most common one, and the
        // tenth is about a tenth as common as the first.
        let top = counts[0].1 as f64 / 20_000.0;
        assert!((0.09..0.13).contains(&top), "top share {top}");
        let ratio = counts[0].1 as f64 / counts[9].1 as f64;
        assert!((6.0..15.0).contains(&ratio), "first/tenth {ratio}");
    }

    #[test]
    fn the_vocabulary_is_distinct_and_shortest_first() {
        let words = vocabulary(&mut SplitMix64::new(9));
        assert_eq!(words.len(), VOCABULARY_SIZE);
        assert_eq!(words.iter().collect::<HashSet<_>>().len(), VOCABULARY_SIZE);
        assert!(words.windows(2).all(|pair| pair[0].len() <= pair[1].len()));
        assert!(
            words
                .iter()
                .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
        );
    }

    #[test]
    fn merging_in_any_grouping_gives_the_same_counts() {
        let text = generate(2000, 5);
        let whole = word_count_serial(&text);
        for target in [10, 100, 1000] {
            let text = Text::with_segment_bytes(text.clone(), target);
            let merged = text
                .segments()
                .map(|segment| {
                    let mut counts = Counts::default();
                    counts.add(segment);
                    counts
                })
                .reduce(Counts::merge)
                .unwrap()
                .into_sorted();
            assert_eq!(merged, whole, "target {target}");
        }
    }
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
