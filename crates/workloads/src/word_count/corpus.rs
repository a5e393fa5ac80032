//! The generated corpus: Zipf-distributed pseudo-words.

use std::collections::HashSet;

use crate::rng::SplitMix64;

/// The number of distinct words in a [`generate`]d corpus.
pub const VOCABULARY_SIZE: usize = 5000;

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
pub(super) fn vocabulary(rng: &mut SplitMix64) -> Vec<String> {
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

