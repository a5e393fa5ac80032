use super::*;

fn reasons(text: &str) -> Vec<String> {
    unclaimed(text).into_iter().map(|u| u.reason).collect()
}

#[test]
fn an_unclaimed_figure_fails() {
    let found = unclaimed("# T\n\nIntro.\nRayon took 1.9× the time of serial.\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 4);
    assert_eq!(found[0].sentence, "Rayon took 1.9× the time of serial.");
    for text in [
        "It took 12.5 ms.",
        "It took 12.5ms.",
        "A speedup of 1.87x here.",
        "Efficiency stays above 90%.",
        "Each costs tens of microseconds on this machine.",
        "The squares ran fifty times slower than the loop.",
        "Two threads wait twice as fast as one.",
        "The allocator moves the time several-fold.",
        "A speedup above 2.0 is impossible here.",
        "Memory moves 11.3 GB/s.",
        "It ran in 3 seconds.",
    ] {
        assert_eq!(reasons(text).len(), 1, "{text}");
    }
}

#[test]
fn an_unclaimed_ordering_fails() {
    for text in [
        "Rayon is faster than dynamic claims.",
        "Static blocks are clearly slower than dynamic claims on primes.",
        "Rayon was the fastest.",
        "Two ranks beats one here.",
    ] {
        assert_eq!(reasons(text).len(), 1, "{text}");
    }
}

#[test]
fn a_claimed_sentence_passes_wherever_its_marker_stands() {
    for text in [
        "Rayon is faster than dynamic claims.\n<!-- claim: c.json: a/b faster-than a/c -->\n",
        "Rayon is faster than dynamic claims. <!-- claim: c.json: a/b faster-than a/c --> Next one.",
        "Static blocks are not slower\n<!-- claim: c.json: a/b not-slower-than a/c -->\n— and that is luck.",
        "It took 1.9× as long.\n<!-- claim: c.json: x -->\n<!-- claim: c.json: y --> Next.",
    ] {
        assert_eq!(unclaimed(text), [], "{text}");
    }
}

#[test]
fn a_marker_covers_one_sentence_only() {
    let found = unclaimed(
        "Rayon is faster than serial. Static is slower than serial.\n<!-- claim: c.json: a/b faster-than a/c -->\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].sentence, "Rayon is faster than serial.");
}

#[test]
fn exempt_numbers_and_places_pass() {
    for text in [
        "The article squares n = 1,000,000 numbers on 4 threads in 2023.",
        "Chapter 3 has 16 cores and 8 MB of output per call.",
        "Run `cargo xtask compare -n 12 --threads 3` to see it.",
        "# Rayon is 2× faster than serial\n",
        "```\nrayon 1.9× faster than serial\n```\n",
        "| rayon | 1.9× | faster than serial |\n",
        "{{#include generated/compare.md}}\n",
        "Every item sleeps 100 µs.\n<!-- not-measured: the workload's constant -->\n",
        "Spectral norm runs 40 times a run, twice the logical cores.",
        "Compare the [speedup](quick-start.md#x) column, read as a ratio of times.",
        "Its 95% interval lies within ±5% of one, for a 3 × 3 blur.",
        "Every table is written twice: as Markdown and as JSON.",
    ] {
        assert_eq!(unclaimed(text), [], "{text}");
    }
}

#[test]
fn an_exemption_needs_a_reason() {
    let found = unclaimed("Every item sleeps 100 µs.\n<!-- not-measured: -->\n");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn a_claim_wrapped_over_lines_still_counts() {
    let text = "Rayon is faster than serial.\n<!-- claim: c.json:\n a/b faster-than a/c -->\nNext.";
    assert_eq!(unclaimed(text), []);
}

#[test]
fn list_items_are_sentences_of_their_own() {
    let found = unclaimed(
        "- **Mutex** took 300 ms\n- **Locals** share nothing\n<!-- claim: c.json: x -->\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].sentence.contains("300 ms"));
}
