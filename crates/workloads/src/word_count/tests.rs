//! The word count's own tests: tokenising, segmenting, merging.

use std::collections::HashSet;

use super::corpus::vocabulary;
use super::*;
use crate::rng::SplitMix64;

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
