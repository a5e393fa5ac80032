//! Sentences checked against the figures they describe.
//!
//! A sentence in the book that states a measured figure or an ordering
//! carries a marker, invisible in the rendered book, that says the same in
//! a form a program can check:
//!
//! ```text
//! Rayon is no faster than dynamic claims on Mandelbrot.
//! <!-- claim: compare.json: mandelbrot/rayon not-faster-than mandelbrot/threads-dynamic -->
//! ```
//!
//! `cargo xtask book` checks every marker against the JSON report that
//! `cargo xtask book --measure` wrote next to the figure, in
//! `book/src/generated/`, and refuses to build when one no longer holds,
//! naming the file, the line and the sentence. Figures regenerated on
//! another machine either keep every sentence true or say which one broke.
//! The language is described in [`assertion`].
//!
//! A marker checks only the sentence that has one, so the check also
//! refuses a sentence that states a measured figure or ordering and has
//! none; [`unclaimed`] defines what counts.

mod assertion;
mod evaluate;
mod unclaimed;

use std::collections::BTreeMap;
use std::path::Path;

use ps_harness::Report;

use assertion::Claim;

const OPEN: &str = "<!-- claim:";

const CLOSE: &str = "-->";

/// One marker found in a chapter.
#[derive(Debug)]
pub(crate) struct Marker {
    /// 1-based.
    pub(crate) line: usize,
    /// The marker's text after `claim:`.
    pub(crate) text: String,
    /// The sentence the marker follows, as plain text.
    pub(crate) sentence: String,
}

/// Every claim marker of `text`.
pub(crate) fn markers(text: &str) -> Vec<Marker> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find(OPEN).map(|at| at + from) {
        let body_start = start + OPEN.len();
        let Some(end) = text[body_start..].find(CLOSE).map(|at| at + body_start) else {
            break;
        };
        found.push(Marker {
            line: text[..start].lines().count().max(1) + usize::from(text[..start].ends_with('\n')),
            text: text[body_start..end].trim().to_owned(),
            sentence: sentence_before(&text[..start]),
        });
        from = end + CLOSE.len();
    }
    found
}

/// The last sentence of the paragraph (or table cell) that `before` ends in.
fn sentence_before(before: &str) -> String {
    let paragraph = before.rsplit("\n\n").next().unwrap_or(before);
    let paragraph = paragraph
        .rsplit('|')
        .find(|cell| !cell.trim().is_empty())
        .unwrap_or(paragraph);
    let plain = without_comments(paragraph);
    let words = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    words
        .split_inclusive(". ")
        .map(str::trim)
        .filter(|sentence| !sentence.is_empty())
        .last()
        .unwrap_or_default()
        .to_owned()
}

fn without_comments(text: &str) -> String {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        plain.push_str(&rest[..start]);
        rest = rest[start..]
            .find(CLOSE)
            .map_or("", |end| &rest[start + end + CLOSE.len()..]);
    }
    plain.push_str(rest);
    plain
}

/// Every claim of `chapters` (name, text) that does not hold against the
/// reports in `generated`, or cannot be read: one problem per claim.
pub(crate) fn check(generated: &Path, chapters: &[(String, String)]) -> Vec<String> {
    let mut reports: BTreeMap<String, Result<Report, String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (chapter, text) in chapters {
        for found in unclaimed::unclaimed(text) {
            problems.push(format!(
                "{chapter}:{}: this sentence states {} and carries no claim: \"{}\" (add `<!-- claim: … -->` after it, or `<!-- not-measured: why -->` if the figure is not a measurement)",
                found.line, found.reason, found.sentence
            ));
        }
        for marker in markers(text) {
            let place = format!("{chapter}:{}", marker.line);
            let claim = match Claim::parse(&marker.text) {
                Ok(claim) => claim,
                Err(reason) => {
                    problems.push(format!(
                        "{place}: unreadable claim `{}`: {reason}",
                        marker.text
                    ));
                    continue;
                }
            };
            let report = reports
                .entry(claim.file.clone())
                .or_insert_with(|| read(&generated.join(&claim.file)));
            let outcome = match report {
                Err(reason) => Err(reason.clone()),
                Ok(report) => evaluate::evaluate(&claim.assertion, report),
            };
            if let Err(reason) = outcome {
                problems.push(format!(
                    "{place}: this sentence no longer holds against generated/{}: \"{}\" — {reason} (claim: {})",
                    claim.file, marker.sentence, marker.text
                ));
            }
        }
    }
    problems
}

/// The report a claim is about, once the claim is known to be readable.
pub(crate) fn report_of(text: &str) -> Result<String, String> {
    Claim::parse(text).map(|claim| claim.file)
}

fn read(path: &Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        format!(
            "cannot read {} ({error}): run `cargo xtask book --measure`",
            path.display()
        )
    })?;
    Report::from_json(&text).map_err(|reason| format!("{}: {reason}", path.display()))
}

#[cfg(test)]
mod tests;
