//! What a word is: maximal runs of alphanumeric characters, lowercased.

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
pub(super) fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str, bool)) {
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
pub(super) fn lowercase_into(word: &str, buffer: &mut String) {
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else {
        buffer.extend(word.chars().flat_map(char::to_lowercase));
    }
}

