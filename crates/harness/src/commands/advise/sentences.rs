//! [`Advice`] as sentences: a pure function, so that every sentence
//! `advise` prints can be regenerated from the JSON written beside it.
//!
//! # The rules the sentences keep
//!
//! - A strategy is recommended only when its whole 95% interval says it is
//!   faster than serial; otherwise the advice is to stay serial, or — when
//!   no verdict was decided either way — that there is too little data, with
//!   the flag that would gather more.
//! - Two strategies whose intervals overlap are never ranked: the others
//!   that overlap the recommended one are named as ties.
//! - Every figure printed is a field of [`Advice`] or a plain arithmetic
//!   function of fields (a speedup is the inverse of a time ratio).

use crate::measure::human_seconds;
use crate::table::plural;

use super::advice::{Advice, Recommendation, SizeSearch, Versus, WORTH_IT};

/// The sentences that say what to do, in order: the decision, its ties, the
/// crossover size, the cost per call, the memory cap and, for a job that
/// waits, what waiting changes.
///
/// ```
/// use ps_harness::{Advice, Comparison, Pairing, Verdict, Versus, sentences};
///
/// let vs_serial = Comparison { ratio: 0.505, low: Some(0.4975), high: Some(0.5128), confidence: Some(0.97), pairing: Pairing::Paired, verdict: Verdict::Faster };
/// let advice = Advice {
///     workload: "primes".into(), kernel: "scalar".into(), n: 3_000_000, threads: 2, cores: 2,
///     quick: false, runs: 6, serial_median_s: 0.2,
///     strategies: vec![Versus { strategy: "rayon".into(), grain: Some(4096), median_s: 0.101, vs_serial }],
///     per_call_n: 1, per_call_serial_s: 0.0, overheads: vec![], crossovers: vec![], memory: None, waits: false,
/// };
/// assert_eq!(
///     sentences(&advice)[0],
///     "Use rayon with grain 4096: 1.98× faster than serial [95%: 1.95–2.01] at n = 3000000 on 2 threads."
/// );
/// ```
#[must_use]
pub fn sentences(advice: &Advice) -> Vec<String> {
    let mut lines = Vec::new();
    match advice.recommendation() {
        Recommendation::Use { best, ties } => {
            lines.push(use_sentence(advice, best));
            if !ties.is_empty() {
                lines.push(tie_sentence(&ties));
            }
            lines.extend(crossover_sentence(advice, best, &ties));
        }
        Recommendation::Marginal { best } => lines.push(format!(
            "Stay serial: the fastest strategy beat serial at n = {} on {}, but not surely by {:.0}% or more ({}) — too little to pay for the threads, and on a shared machine too little to hold from one run to the next.",
            advice.n,
            plural(advice.threads, "thread"),
            (WORTH_IT - 1.0) * 100.0,
            summary(best)
        )),
        Recommendation::StaySerial { best } => lines.push(format!(
            "Stay serial: no strategy was faster than serial at n = {} on {} (best: {}).",
            advice.n,
            plural(advice.threads, "thread"),
            summary(best)
        )),
        Recommendation::TooLittleData { best } => lines.push(format!(
            "Too little data to advise: no strategy was clearly faster or slower than serial at n = {}{}; {}.",
            advice.n,
            best.map_or_else(String::new, |best| format!(" (best: {})", summary(best))),
            more_data(advice)
        )),
    }
    lines.extend(per_call_sentence(advice));
    lines.extend(memory_sentence(advice));
    lines.extend(waiting_sentence(advice));
    lines
}

/// `1.98×`.
fn times(speedup: f64) -> String {
    format!("{speedup:.2}×")
}

/// `rayon, 0.92× [0.85–1.01], unclear`.
fn summary(versus: &Versus) -> String {
    let interval = versus
        .speedup_interval()
        .map_or_else(String::new, |(low, high)| format!(" [{low:.2}–{high:.2}]"));
    format!(
        "{}, {}{interval}, {}",
        versus.strategy,
        times(versus.speedup()),
        versus.vs_serial.verdict
    )
}

/// What would gather more data: more rotations, and full sizes.
fn more_data(advice: &Advice) -> String {
    let runs = (2 * advice.runs).max(12);
    if advice.quick {
        format!("run without --quick or with --runs {runs}")
    } else {
        format!("run again with --runs {runs}")
    }
}

fn use_sentence(advice: &Advice, best: &Versus) -> String {
    let grain = best
        .grain
        .map_or_else(String::new, |grain| format!(" with grain {grain}"));
    let interval = best
        .speedup_interval()
        .map_or_else(String::new, |(low, high)| {
            format!(" [95%: {low:.2}–{high:.2}]")
        });
    format!(
        "Use {}{grain}: {} faster than serial{interval} at n = {} on {}.",
        best.strategy,
        times(best.speedup()),
        advice.n,
        plural(advice.threads, "thread")
    )
}

fn tie_sentence(ties: &[&Versus]) -> String {
    let names: Vec<&str> = ties.iter().map(|tie| tie.strategy.as_str()).collect();
    let verb = if ties.len() == 1 { "ties" } else { "tie" };
    format!(
        "{} {verb} with it (intervals overlap); do not choose between them on speed.",
        and_list(&names)
    )
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[impl AsRef<str>]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn crossover_sentence(advice: &Advice, best: &Versus, ties: &[&Versus]) -> Option<String> {
    let search = advice.crossover_of(&best.strategy)?;
    if search.smallest >= search.largest {
        return None;
    }
    let others: Vec<String> = ties
        .iter()
        .filter_map(|tie| advice.crossover_of(&tie.strategy))
        .map(|other| match other.n_star {
            Some(n) if other.at_or_below => format!("for {} at or below n = {n}", other.strategy),
            Some(n) => format!("for {} n ≈ {n}", other.strategy),
            None => format!("for {} none was found", other.strategy),
        })
        .collect();
    let others = if others.is_empty() {
        String::new()
    } else {
        format!("; the crossover {}", and_list(&others))
    };
    Some(match search.n_star {
        Some(n) if search.at_or_below => format!(
            "{} already wins at n = {n}, the smallest size tried, so parallel pays from there up to n = {}{others}.",
            best.strategy, search.largest
        ),
        Some(n) if n == search.largest => format!(
            "{} won only at the advised size: at every smaller size tried, from n = {} up ({} timed), it was not clearly faster than serial, so below n ≈ {n} parallel loses{others}.",
            best.strategy,
            search.smallest,
            plural(search.points.len(), "size"),
        ),
        Some(n) => format!(
            "Below n ≈ {n} parallel loses: under that size {} was not clearly faster than serial ({} from {} to {} timed), so keep smaller inputs serial{others}.",
            best.strategy,
            plural(search.points.len(), "size"),
            search.smallest,
            search.largest
        ),
        None => not_found(advice, search),
    })
}

fn not_found(advice: &Advice, search: &SizeSearch) -> String {
    format!(
        "Too little data to place the crossover: {} was not clearly faster than serial at any size from {} to {}; {}.",
        search.strategy,
        search.smallest,
        search.largest,
        more_data(advice)
    )
}

fn per_call_sentence(advice: &Advice) -> Option<String> {
    if advice.overheads.is_empty() {
        return None;
    }
    let costs: Vec<String> = advice
        .overheads
        .iter()
        .enumerate()
        .map(|(index, overhead)| {
            let cost = if overhead.overhead_s > 0.0 {
                format!("about {}", human_seconds(overhead.overhead_s))
            } else {
                "nothing measurable".to_owned()
            };
            if index == 0 {
                format!("starting {} costs {cost}", overhead.strategy)
            } else {
                format!("{} {cost}", overhead.strategy)
            }
        })
        .collect();
    Some(format!(
        "Per call, {} (timed at n = {} with grain 1, an element per thread, beyond serial's {} split over the threads): an input must be big enough to repay that.",
        and_list(&costs),
        advice.per_call_n,
        human_seconds(advice.per_call_serial_s)
    ))
}

fn memory_sentence(advice: &Advice) -> Option<String> {
    let cap = advice.memory.as_ref()?;
    let rate = format!(
        "this machine's {} rate on {} ({:.1} GB/s)",
        cap.ceiling,
        plural(cap.threads, "thread"),
        cap.gb_per_s
    );
    if cap.speedup <= 1.0 {
        return Some(format!(
            "{} declares its memory traffic, but at n = {} serial already runs faster than {rate} allows, so the data fit in a cache and memory bandwidth is not the limit here.",
            advice.workload, advice.n
        ));
    }
    let mut sentence = format!(
        "{} is memory-bound: a run moves {:.1} MB, which takes at least {} at {rate}, so memory bandwidth caps any strategy at about {:.1}× here.",
        advice.workload,
        cap.bytes as f64 / 1e6,
        human_seconds(cap.floor_s),
        cap.speedup
    );
    let fastest = advice
        .strategies
        .iter()
        .map(Versus::speedup)
        .fold(0.0, f64::max);
    if fastest > cap.speedup * 1.05 {
        sentence = format!(
            "{sentence} The fastest measured, {}, is above it because part of the data stays in a cache.",
            times(fastest)
        );
    }
    Some(sentence)
}

fn waiting_sentence(advice: &Advice) -> Option<String> {
    advice.waits.then(|| {
        format!(
            "{} waits rather than computes: a waiting thread uses no core, so more threads than cores can help a waiting job (try -t {}); the lab measured waiting on threads against async tasks: `cargo run --release -p ps-lab -- waiting`.",
            advice.workload,
            16 * advice.cores
        )
    })
}
