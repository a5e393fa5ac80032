//! The sentences from constructed [`Advice`] values: nothing here times
//! anything, so each rule of the sentences is checked exactly.

use super::*;
use crate::{Comparison, Pairing, Verdict};

/// A comparison whose time ratio is `ratio` within `[low, high]`.
fn ratio(ratio: f64, low: f64, high: f64, verdict: Verdict) -> Comparison {
    Comparison {
        ratio,
        low: Some(low),
        high: Some(high),
        confidence: Some(0.97),
        pairing: Pairing::Paired,
        verdict,
    }
}

fn versus(strategy: &str, grain: Option<usize>, vs_serial: Comparison) -> Versus {
    Versus {
        strategy: strategy.to_owned(),
        grain,
        median_s: vs_serial.ratio * 0.2,
        vs_serial,
    }
}

fn search(strategy: &str, n_star: Option<usize>) -> SizeSearch {
    SizeSearch {
        strategy: strategy.to_owned(),
        smallest: 64,
        largest: 3_000_000,
        n_star,
        at_or_below: false,
        points: vec![
            SizePoint {
                n: 64,
                serial_s: 1e-6,
                strategy_s: 2e-5,
                faster: false,
            },
            SizePoint {
                n: 3_000_000,
                serial_s: 0.2,
                strategy_s: 0.1,
                faster: true,
            },
        ],
    }
}

/// primes at n = 3000000 on 2 threads, with the given strategies.
fn advice(strategies: Vec<Versus>) -> Advice {
    Advice {
        workload: "primes".to_owned(),
        kernel: "scalar".to_owned(),
        n: 3_000_000,
        threads: 2,
        cores: 2,
        quick: false,
        runs: 6,
        serial_median_s: 0.2,
        strategies,
        per_call_n: 2,
        per_call_serial_s: 50e-9,
        overheads: vec![
            Overhead {
                strategy: "threads-static".to_owned(),
                median_s: 45.05e-6,
                overhead_s: 45e-6,
            },
            Overhead {
                strategy: "rayon".to_owned(),
                median_s: 12.05e-6,
                overhead_s: 12e-6,
            },
        ],
        crossovers: Vec::new(),
        memory: None,
        waits: false,
    }
}

#[test]
fn a_clear_winner_is_advised_with_its_interval_crossover_and_cost() {
    let mut advice = advice(vec![
        versus(
            "threads-static",
            None,
            ratio(0.8, 0.75, 0.85, Verdict::Faster),
        ),
        versus(
            "rayon",
            Some(4096),
            ratio(0.505, 0.4975, 0.5128, Verdict::Faster),
        ),
    ]);
    advice.crossovers.push(search("rayon", Some(30_000)));
    let lines = sentences(&advice);
    assert_eq!(
        lines[0],
        "Use rayon with grain 4096: 1.98× faster than serial [95%: 1.95–2.01] at n = 3000000 on 2 threads."
    );
    assert!(
        !lines.iter().any(|line| line.contains("ties")),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with("Below n ≈ 30000 parallel loses: under that size rayon"),
        "{lines:#?}"
    );
    assert!(
        lines[1].ends_with("(2 sizes from 64 to 3000000 timed), so keep smaller inputs serial."),
        "{lines:#?}"
    );
    assert_eq!(
        lines[2],
        "Per call, starting threads-static costs about 45.0 µs and rayon about 12.0 µs (timed at n = 2 with grain 1, an element per thread, beyond serial's 50 ns split over the threads): an input must be big enough to repay that."
    );
    assert_eq!(lines.len(), 3, "{lines:#?}");
}

#[test]
fn overlapping_intervals_are_a_tie_never_a_ranking() {
    let advice = advice(vec![
        versus(
            "threads-dynamic",
            Some(4096),
            ratio(0.52, 0.50, 0.55, Verdict::Faster),
        ),
        versus(
            "rayon",
            Some(4096),
            ratio(0.51, 0.49, 0.54, Verdict::Faster),
        ),
        versus(
            "pipeline",
            Some(4096),
            ratio(0.7, 0.68, 0.72, Verdict::Faster),
        ),
    ]);
    let lines = sentences(&advice);
    assert!(
        lines[0].starts_with("Use rayon with grain 4096"),
        "{lines:#?}"
    );
    assert_eq!(
        lines[1],
        "threads-dynamic ties with it (intervals overlap); do not choose between them on speed."
    );
    assert!(
        !lines.iter().any(|line| line.contains("pipeline ties")),
        "pipeline is clearly slower than rayon: {lines:#?}"
    );
    for word in ["better than", "beats", "ahead of"] {
        assert!(!lines.iter().any(|line| line.contains(word)), "{lines:#?}");
    }
}

#[test]
fn no_faster_strategy_means_stay_serial() {
    let advice = advice(vec![
        versus(
            "rayon",
            Some(4096),
            ratio(1.087, 0.99, 1.176, Verdict::Unclear),
        ),
        versus(
            "threads-static",
            None,
            ratio(1.3, 1.2, 1.4, Verdict::Slower),
        ),
    ]);
    let lines = sentences(&advice);
    assert_eq!(
        lines[0],
        "Stay serial: no strategy was faster than serial at n = 3000000 on 2 threads (best: rayon, 0.92× [0.85–1.01], unclear)."
    );
    assert!(lines[1].starts_with("Per call"), "{lines:#?}");
}

#[test]
fn undecided_verdicts_say_there_is_too_little_data() {
    let mut advice = advice(vec![
        versus("rayon", Some(4096), ratio(0.9, 0.6, 1.2, Verdict::Unclear)),
        versus(
            "threads-static",
            None,
            Comparison {
                low: None,
                high: None,
                confidence: None,
                verdict: Verdict::TooFewRuns,
                ..ratio(0.95, 0.0, 0.0, Verdict::TooFewRuns)
            },
        ),
    ]);
    advice.quick = true;
    let lines = sentences(&advice);
    assert!(
        lines[0].starts_with("Too little data to advise:"),
        "{lines:#?}"
    );
    assert!(
        lines[0].ends_with("run without --quick or with --runs 12."),
        "{lines:#?}"
    );
    advice.quick = false;
    advice.runs = 10;
    assert!(sentences(&advice)[0].ends_with("run again with --runs 20."));
}

#[test]
fn the_crossovers_of_ties_are_given_and_a_win_only_at_the_top_is_said_so() {
    let mut advice = advice(vec![
        versus("rayon", Some(4096), ratio(0.5, 0.45, 0.55, Verdict::Faster)),
        versus(
            "threads-dynamic",
            Some(4096),
            ratio(0.52, 0.46, 0.56, Verdict::Faster),
        ),
    ]);
    advice.crossovers.push(search("rayon", Some(3_000_000)));
    advice
        .crossovers
        .push(search("threads-dynamic", Some(40_000)));
    let lines = sentences(&advice);
    assert_eq!(
        lines[2],
        "rayon won only at the advised size: at every smaller size tried, from n = 64 up (2 sizes timed), it was not clearly faster than serial, so below n ≈ 3000000 parallel loses; the crossover for threads-dynamic n ≈ 40000."
    );
}

#[test]
fn a_crossover_not_found_is_too_little_data() {
    let mut advice = advice(vec![versus(
        "rayon",
        Some(4096),
        ratio(0.5, 0.45, 0.55, Verdict::Faster),
    )]);
    advice.crossovers.push(search("rayon", None));
    let lines = sentences(&advice);
    assert!(
        lines[1].starts_with("Too little data to place the crossover: rayon"),
        "{lines:#?}"
    );
}

#[test]
fn a_memory_bound_job_is_capped_by_bandwidth() {
    let mut advice = advice(vec![versus(
        "rayon",
        Some(16_384),
        ratio(0.8, 0.75, 0.85, Verdict::Faster),
    )]);
    advice.workload = "squares".to_owned();
    advice.memory = Some(Cap {
        bytes: 16_000_000,
        ceiling: "copy".to_owned(),
        gb_per_s: 10.0,
        threads: 2,
        floor_s: 1.6e-3,
        speedup: 1.3,
    });
    let lines = sentences(&advice);
    let memory = lines
        .iter()
        .find(|line| line.contains("memory-bound"))
        .expect("a memory sentence");
    assert_eq!(
        memory,
        "squares is memory-bound: a run moves 16.0 MB, which takes at least 1.60 ms at this machine's copy rate on 2 threads (10.0 GB/s), so memory bandwidth caps any strategy at about 1.3× here."
    );
    // Faster than the cap: the data were partly in a cache.
    advice.memory.as_mut().unwrap().speedup = 1.1;
    assert!(
        sentences(&advice)
            .iter()
            .any(|line| line.contains("above it because part of the data stays in a cache"))
    );
}

#[test]
fn a_waiting_job_is_told_about_threads_beyond_the_cores_and_async() {
    let mut advice = advice(vec![versus(
        "threads-dynamic",
        Some(1),
        ratio(0.5, 0.49, 0.51, Verdict::Faster),
    )]);
    advice.workload = "latency".to_owned();
    assert!(!sentences(&advice).iter().any(|line| line.contains("waits")));
    advice.waits = true;
    let lines = sentences(&advice);
    let waiting = lines.last().unwrap();
    assert!(
        waiting.starts_with("latency waits rather than computes"),
        "{waiting}"
    );
    assert!(
        waiting.contains("more threads than cores can help"),
        "{waiting}"
    );
    assert!(
        waiting.contains("cargo run --release -p ps-lab -- waiting"),
        "{waiting}"
    );
}

#[test]
fn the_sentences_come_back_from_the_json() {
    let mut advice = advice(vec![versus(
        "rayon",
        Some(4096),
        ratio(0.5, 0.45, 0.55, Verdict::Faster),
    )]);
    advice.crossovers.push(search("rayon", Some(30_000)));
    let json = serde_json::to_string(&advice).unwrap();
    let back: Advice = serde_json::from_str(&json).unwrap();
    assert_eq!(sentences(&back), sentences(&advice));
}

#[test]
fn a_gain_below_ten_percent_is_not_worth_the_threads() {
    // Faster for sure, but the interval reaches down to a 5% gain.
    let marginal = advice(vec![
        versus(
            "threads-static",
            None,
            ratio(0.926, 0.90, 0.952, Verdict::Faster),
        ),
        versus("rayon", Some(4096), ratio(1.3, 1.2, 1.4, Verdict::Slower)),
    ]);
    assert!(matches!(
        marginal.recommendation(),
        Recommendation::Marginal { best } if best.strategy == "threads-static"
    ));
    let lines = sentences(&marginal);
    assert!(
        lines[0].starts_with("Stay serial: the fastest strategy beat serial at n = 3000000 on 2 threads, but not surely by 10% or more (threads-static, 1.08× [1.05–1.11], faster)"),
        "{lines:#?}"
    );
    assert_eq!(marginal.recommendation().summary().kind, "marginal");
    // A gain whose whole interval clears 10% is advised.
    let clear = advice(vec![versus(
        "threads-static",
        None,
        ratio(0.8, 0.78, 0.9, Verdict::Faster),
    )]);
    assert!(matches!(clear.recommendation(), Recommendation::Use { .. }));
}
