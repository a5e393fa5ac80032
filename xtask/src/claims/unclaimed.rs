//! Sentences that state a measured figure or ordering but carry no claim.
//!
//! The claim markers check what a sentence says only if the sentence has
//! one; a sentence that quotes "1.9×" or says "rayon is faster than
//! dynamic claims" with no marker is never checked, and nothing would say
//! so when new figures contradict it. This check finds such sentences.
//!
//! What it reads: the prose of a chapter — paragraphs, list items and
//! block quotes. It skips headings, fenced code blocks, table rows,
//! `{{#include}}` lines (the included figures are generated), and inline
//! code spans (a command line such as `-n 12` states no figure).
//!
//! What counts as stating a **measured figure**, in one sentence:
//!
//! - a number with a unit of time, rate or ratio: `×`, `x` written against
//!   the number (`1.9x`), `%`, `percent`, `ns`, `µs`, `us`, `ms`, `s`,
//!   `GB/s`, `MB/s`, or `fold` (`3-fold`, `several-fold`);
//! - a number or a number word followed by `times` and a comparison
//!   (`fifty times slower`, `1.25 times what`), or `twice as` / `half as`;
//! - the plural time units `nanoseconds`, `microseconds`, `milliseconds`
//!   (`tens of microseconds`), and `seconds` after a number;
//! - a decimal number in a sentence about a `speedup`, `ratio` or
//!   `efficiency` (`a speedup above 2.0`).
//!
//! What counts as stating a **measured ordering**: `faster than`,
//! `slower than`, `fastest`, `beats`, `outperforms`. (`slowest` is left
//! out: the book uses it for the part that sets a time — the slowest
//! stage, block or rank — far more often than to report a measurement.)
//!
//! Not a measured figure: a confidence level (`the 95% interval`), a
//! tolerance (`±5%`), a dimension (`3 × 3`).
//!
//! A sentence carries a claim when a `<!-- claim: … -->` marker stands
//! inside it or right after it, before the next sentence starts. Numbers
//! that are not measurements pass without one when they have no unit of
//! the list above: thread and core counts, sizes (`n = 1,000,000`, `8 MB`),
//! years, chapter numbers. A sentence whose figure is not a measurement of
//! this project — a constant of the code (the 100 µs a `latency` item
//! sleeps), a figure quoted from the Python article or a library's
//! documentation, or a general statement with no table behind it — says
//! so with `<!-- not-measured: WHY -->` in the same place a claim would
//! stand; `WHY` may not be empty.

/// Where a marker that exempts a sentence starts.
const EXEMPT: &str = "not-measured:";

/// One sentence that needs a claim.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unclaimed {
    /// 1-based line where the sentence starts.
    pub(crate) line: usize,
    /// What makes it a statement about measurements.
    pub(crate) reason: String,
    /// The sentence as plain text.
    pub(crate) sentence: String,
}

/// Every sentence of the prose of `text` that states a measured figure or
/// ordering and carries neither a claim nor an exemption.
pub(crate) fn unclaimed(text: &str) -> Vec<Unclaimed> {
    let mut found = Vec::new();
    for paragraph in paragraphs(text) {
        for sentence in sentences(&paragraph) {
            if sentence.covered {
                continue;
            }
            if let Some(reason) = measured(&sentence.text) {
                found.push(Unclaimed {
                    line: sentence.line,
                    reason,
                    sentence: sentence
                        .text
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                });
            }
        }
    }
    found
}

/// The prose lines of one paragraph, each with its 1-based line number.
type Paragraph = Vec<(usize, String)>;

/// The paragraphs of prose: runs of lines that are not blank, headings,
/// code, tables or includes. A comment that spans lines (a claim may
/// wrap) stays with the line it starts on.
fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut found = Vec::new();
    let mut current = Paragraph::new();
    let mut in_code = false;
    let mut in_comment = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if in_comment {
            if let Some((_, text)) = current.last_mut() {
                text.push(' ');
                text.push_str(trimmed);
            }
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.starts_with("```") {
            in_code = !in_code;
            found.push(std::mem::take(&mut current));
            continue;
        }
        let not_prose = in_code
            || trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with('|')
            || trimmed.starts_with("{{#");
        if not_prose {
            found.push(std::mem::take(&mut current));
            continue;
        }
        // A new list item starts a new paragraph.
        let item = ["- ", "* "]
            .iter()
            .any(|bullet| trimmed.starts_with(bullet))
            || trimmed
                .split_once(". ")
                .is_some_and(|(number, _)| number.parse::<u32>().is_ok());
        if item {
            found.push(std::mem::take(&mut current));
        }
        let prose = trimmed.trim_start_matches('>').trim_start();
        current.push((index + 1, prose.to_owned()));
        in_comment = prose
            .rfind("<!--")
            .is_some_and(|open| !prose[open..].contains("-->"));
    }
    found.push(current);
    found.retain(|paragraph| !paragraph.is_empty());
    found
}

/// One sentence of a paragraph.
#[derive(Debug)]
struct Sentence {
    line: usize,
    text: String,
    /// A claim or an exemption stands inside it or right after it.
    covered: bool,
}

/// The sentences of a paragraph. A marker covers the sentence it stands in,
/// or, between two sentences, the one before it.
fn sentences(paragraph: &Paragraph) -> Vec<Sentence> {
    let mut done: Vec<Sentence> = Vec::new();
    let mut current = Sentence {
        line: paragraph.first().map_or(1, |(line, _)| *line),
        text: String::new(),
        covered: false,
    };
    for (line, text) in paragraph {
        if current.text.trim().is_empty() {
            current.line = *line;
        }
        let mut rest = text.as_str();
        while !rest.is_empty() {
            if let Some(body) = rest.strip_prefix("<!--") {
                let end = body.find("-->").unwrap_or(body.len());
                let marker = body[..end].trim();
                let covers = marker.starts_with("claim:")
                    || marker
                        .strip_prefix(EXEMPT)
                        .is_some_and(|why| !why.trim().is_empty());
                if covers {
                    match done.last_mut() {
                        Some(last) if current.text.trim().is_empty() => last.covered = true,
                        _ => current.covered = true,
                    }
                }
                rest = body.get(end + 3..).unwrap_or("");
                continue;
            }
            let next = rest.find("<!--").unwrap_or(rest.len());
            let (plain, after) = rest.split_at(next);
            for (at, character) in plain.char_indices() {
                if current.text.trim().is_empty() && !character.is_whitespace() {
                    current.line = *line;
                }
                current.text.push(character);
                let following = plain[at + character.len_utf8()..].chars().next();
                if ends_sentence(&current.text, following) {
                    done.push(std::mem::replace(
                        &mut current,
                        Sentence {
                            line: *line,
                            text: String::new(),
                            covered: false,
                        },
                    ));
                }
            }
            current.text.push(' ');
            rest = after;
        }
    }
    if !current.text.trim().is_empty() || current.covered {
        done.push(current);
    }
    done
}

/// Whether `text` just ended a sentence, given the character after it.
fn ends_sentence(text: &str, following: Option<char>) -> bool {
    let Some(last) = text.chars().last() else {
        return false;
    };
    if !matches!(last, '.' | '!' | '?') || following.is_some_and(|c| !c.is_whitespace()) {
        return false;
    }
    let word = text
        .trim_end_matches(['.', '!', '?'])
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default()
        .to_lowercase();
    !["e.g", "i.e", "vs", "cf", "etc"].contains(&word.trim_start_matches('('))
}

/// Units that make a number a measured figure.
const UNITS: &[&str] = &[
    "×", "%", "percent", "ns", "µs", "μs", "us", "ms", "s", "GB/s", "MB/s", "GiB/s", "MiB/s",
    "fold",
];

/// Words that make a number before `times` a ratio.
const COMPARISONS: &[&str] = &[
    "as", "faster", "slower", "more", "less", "longer", "shorter", "larger", "smaller", "what",
    "the", "over",
];

/// Number words that may stand for a measured quantity.
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "thirty",
    "forty", "fifty", "hundred", "thousand", "several", "many", "few",
];

/// Phrases that state a measured ordering.
const ORDERINGS: &[&str] = &[
    "faster than",
    "slower than",
    "fastest",
    "beats",
    "outperforms",
];

/// Why `sentence` states a measured figure or ordering, if it does.
fn measured(sentence: &str) -> Option<String> {
    let plain = plain_text(sentence);
    let words: Vec<&str> = plain.split_whitespace().collect();
    let bare = |word: &str| {
        word.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '.' | ')' | '(' | '—' | '"'))
            .to_owned()
    };
    for (index, raw) in words.iter().enumerate() {
        let word = bare(raw);
        // Punctuation after a word ends what the next word can qualify:
        // "written twice: as Markdown" is not "twice as".
        let joined = !raw.ends_with([',', ';', ':', '.', ')', '—']);
        let next = words
            .get(index + 1)
            .filter(|_| joined)
            .map(|next| bare(next))
            .unwrap_or_default();
        let after = words
            .get(index + 2)
            .filter(|_| joined && !words[index + 1].ends_with([',', ';', ':', '.']))
            .map(|next| bare(next))
            .unwrap_or_default();
        if let Some((number, suffix)) = split_number(&word) {
            let unit = if suffix.is_empty() {
                next.as_str()
            } else {
                suffix
            };
            let unit = unit.trim_start_matches('-');
            // A confidence level ("the 95% interval") is a choice of the
            // method; a dimension ("3 × 3") is a size.
            let unit_then = if suffix.is_empty() { &after } else { &next };
            let exempt = (unit == "%"
                && ["interval", "intervals", "confidence"].contains(&unit_then.as_str()))
                || (unit == "×" && split_number(unit_then).is_some());
            if exempt {
                continue;
            }
            if UNITS.contains(&unit) || (unit == "x" && !suffix.is_empty()) {
                return Some(format!(
                    "the figure `{number}{suffix}{}`",
                    spaced(suffix, &next)
                ));
            }
            if suffix.is_empty() && next == "times" && COMPARISONS.contains(&after.as_str()) {
                return Some(format!("the ratio `{number} times {after}`"));
            }
            if suffix.is_empty() && next == "seconds" {
                return Some(format!("the figure `{number} seconds`"));
            }
        }
        let lower = word.to_lowercase();
        if NUMBER_WORDS.contains(&lower.as_str())
            && next == "times"
            && COMPARISONS.contains(&after.as_str())
        {
            return Some(format!("the ratio `{word} times {after}`"));
        }
        if ["twice", "half", "thrice"].contains(&lower.as_str()) && next == "as" {
            return Some(format!("the ratio `{word} as`"));
        }
        if lower.ends_with("-fold") {
            return Some(format!("the ratio `{word}`"));
        }
        if ["nanoseconds", "microseconds", "milliseconds"].contains(&lower.as_str()) {
            return Some(format!("the time `{word}`"));
        }
    }
    let lower = plain.to_lowercase();
    let about_ratio = ["speedup", "ratio", "efficiency"]
        .iter()
        .any(|word| lower.contains(word));
    if about_ratio {
        if let Some(decimal) = words.iter().map(|word| bare(word)).find(|word| {
            split_number(word)
                .is_some_and(|(number, suffix)| number.contains('.') && suffix.is_empty())
        }) {
            return Some(format!("the ratio `{decimal}`"));
        }
    }
    ORDERINGS
        .iter()
        .find(|phrase| contains_words(&lower, phrase))
        .map(|phrase| format!("the ordering `{phrase}`"))
}

fn spaced(suffix: &str, next: &str) -> String {
    if suffix.is_empty() {
        format!(" {next}")
    } else {
        String::new()
    }
}

/// `word` as a number and what follows it (`1.9x` → `1.9`, `x`), if it
/// starts with a digit.
fn split_number(word: &str) -> Option<(&str, &str)> {
    let word = word.trim_start_matches(['~', '≈', '<', '>', '≤', '≥', '+', '−', '-']);
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let end = word
        .char_indices()
        .find(|&(at, c)| {
            !(c.is_ascii_digit()
                || (matches!(c, '.' | ',')
                    && word[at + 1..].starts_with(|d: char| d.is_ascii_digit())))
        })
        .map_or(word.len(), |(at, _)| at);
    Some(word.split_at(end))
}

/// Whether `text` holds `phrase` as whole words.
fn contains_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().last();
        let after = text[at + phrase.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The words a reader sees: no inline code, links reduced to their text,
/// no emphasis marks or escapes.
fn plain_text(sentence: &str) -> String {
    let mut plain = String::new();
    let mut in_code = false;
    for character in sentence.chars() {
        match character {
            '`' => {
                in_code = !in_code;
                if in_code {
                    plain.push_str(" code ");
                }
            }
            _ if in_code => {}
            '*' | '\\' | '[' => {}
            _ => plain.push(character),
        }
    }
    // `](target)` of a link: drop the target.
    let mut text = String::new();
    let mut rest = plain.as_str();
    while let Some(start) = rest.find("](") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find(')')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod tests;
