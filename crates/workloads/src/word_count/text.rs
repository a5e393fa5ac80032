//! The text, cut into segments at line breaks: the elements the strategies
//! divide.

use std::fmt;
use std::ops::Range;

use super::generate;

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
    pub(super) text: String,
    pub(super) segments: Vec<Range<usize>>,
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
pub(super) fn cut_at_or_after(text: &str, at: usize) -> usize {
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

