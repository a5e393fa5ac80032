//! One chunk's counts: a private map keyed by slices of the text, merged
//! into the final sorted list.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::hasher::FxHasher;
use super::tokenize::{for_each_word, lowercase_into};
use super::WordCounts;

/// The per-chunk state: counts keyed by slices of the text, plus a reused
/// buffer for words that need lowercasing.
#[derive(Default)]
pub(super) struct Counts<'a> {
    map: FxHashMap<Cow<'a, str>, u64>,
    lowercase: String,
}

/// A hash map hashing with [`FxHasher`].
pub(super) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

impl<'a> Counts<'a> {
    pub(super) fn add(&mut self, text: &'a str) {
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
    pub(super) fn add_counts(&mut self, counts: impl IntoIterator<Item = (Cow<'a, str>, u64)>) {
        for (word, count) in counts {
            *self.map.entry(word).or_insert(0) += count;
        }
    }

    /// Adds the smaller map into the larger. Addition commutes, so which way
    /// round does not change any count.
    pub(super) fn merge(self, other: Counts<'a>) -> Counts<'a> {
        let (mut into, from) = if self.map.len() >= other.map.len() {
            (self, other)
        } else {
            (other, self)
        };
        into.add_counts(from.map);
        into
    }

    pub(super) fn into_sorted(self) -> WordCounts {
        let mut words: WordCounts = self
            .map
            .into_iter()
            .map(|(word, count)| (word.into_owned(), count))
            .collect();
        words.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words
    }
}

