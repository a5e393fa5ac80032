use ps_harness::{Cell, Machine, Report, TimingRecord};

use super::*;

fn cell(workload: &str, strategy: &str, min_ms: f64, max_ms: f64, speedup: f64) -> Cell {
    let serial = strategy == "serial";
    let timing = TimingRecord {
        runs: 5,
        runs_per_sample: 1,
        median_s: (min_ms + max_ms) / 2e3,
        min_s: min_ms / 1e3,
        max_s: max_ms / 1e3,
        samples_s: Vec::new(),
    };
    let (threads, grain) = if serial { (1, None) } else { (2, Some(1)) };
    Cell::new(workload, "scalar", strategy, 4000, threads, grain, timing).with_speedup(speedup)
}

/// The figures of a compare run in which rayon trailed dynamic claims on
/// Mandelbrot, as it did on a 2-core machine.
fn compare_report() -> Report {
    let mut machine = Machine::detect();
    machine.logical_cores = 2;
    Report::new(
        "compare",
        &machine,
        vec![
            cell("mandelbrot", "serial", 144.7, 149.1, 1.0),
            cell("mandelbrot", "threads-dynamic", 72.6, 74.2, 1.99),
            cell("mandelbrot", "rayon", 75.2, 92.2, 1.73),
            cell("squares", "serial", 0.19, 2.9, 1.0),
            cell("squares", "rayon", 0.13, 0.31, 1.15),
        ],
    )
    .with_detail(
        "first_touch",
        serde_json::json!({"bytes": 8_000_000, "one_thread_s": 0.0021, "all_threads_s": 0.0007}),
    )
    .with_detail(
        "advice",
        serde_json::json!({"best": [{"strategy": "rayon"}]}),
    )
    .with_detail(
        "agreement",
        serde_json::json!([{"verdicts": ["slower", "slower"]}, {"verdicts": ["slower", "unclear"]}]),
    )
}

struct Scratch(std::path::PathBuf);

impl Scratch {
    fn with_compare() -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "ps-claims-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("compare.json"), compare_report().to_json()).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn problems(chapter: &str) -> Vec<String> {
    let scratch = Scratch::with_compare();
    check(
        &scratch.0,
        &[("choosing.md".to_owned(), chapter.to_owned())],
    )
}

#[test]
fn a_contradicted_sentence_fails_naming_file_line_and_sentence() {
    let chapter = "# Choosing\n\nSome text.\n\nRayon is fastest or within noise of the fastest on every workload here.\n<!-- claim: compare.json: mandelbrot/rayon not-slower-than mandelbrot/threads-dynamic -->\n";
    let problems = problems(chapter);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let problem = &problems[0];
    assert!(problem.starts_with("choosing.md:6: "), "{problem}");
    assert!(
        problem.contains(
            "\"Rayon is fastest or within noise of the fastest on every workload here.\""
        ),
        "{problem}"
    );
    assert!(problem.contains("mandelbrot/rayon (n = 4000, 2 threads, grain 1) is slower than mandelbrot/threads-dynamic"), "{problem}");
    assert!(
        problem.contains("(75.2 ms–92.2 ms against 72.6 ms–74.2 ms)"),
        "{problem}"
    );
}

#[test]
fn sentences_that_match_the_figures_pass() {
    let chapter = "Dynamic claims beat serial on Mandelbrot. <!-- claim: compare.json: mandelbrot/threads-dynamic vs-serial faster -->\n\
        Rayon trailed them. <!-- claim: compare.json: mandelbrot/rayon slower-than mandelbrot/threads-dynamic -->\n\
        | squares | noise | <!-- claim: compare.json: squares/rayon vs-serial no-clear-difference --> |\n\
        Every strategy at least 1.7x. <!-- claim: compare.json: mandelbrot/* speedup >= 1.7 -->\n";
    assert_eq!(problems(chapter), Vec::<String>::new());
}

#[test]
fn a_quantifier_fails_on_its_one_exception() {
    let problems =
        problems("All above 1.9x. <!-- claim: compare.json: mandelbrot/* speedup >= 1.9 -->");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].contains(
            "mandelbrot/rayon (n = 4000, 2 threads, grain 1) has speedup 1.73, not >= 1.9"
        ),
        "{}",
        problems[0]
    );
}

#[test]
fn unreadable_claims_and_missing_reports_are_problems_too() {
    let problems = problems(
        "A. <!-- claim: compare.json: mandelbrot/rayon quicker-than x/y -->\nB. <!-- claim: gone.json: crossover rayon none -->\nC. <!-- claim: compare.json: primes/rayon speedup > 1 -->",
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains(":1: unreadable claim"));
    assert!(problems[1].contains(":2: ") && problems[1].contains("gone.json"));
    assert!(problems[2].contains("no cell of the report matches primes/rayon"));
}

#[test]
fn the_sentence_is_the_last_one_before_the_marker() {
    let found = markers(
        "First para.\n\nOne thing. Another thing, with a figure\nacross lines. <!-- claim: a.json: x --> After.",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 4);
    assert_eq!(
        found[0].sentence,
        "Another thing, with a figure across lines."
    );
}

#[test]
fn a_kernel_selector_holds_only_that_kernels_cells_to_the_claim() {
    let simd = |strategy: &str, min_ms: f64, max_ms: f64, speedup: f64| {
        let mut simd = cell("mandelbrot", strategy, min_ms, max_ms, speedup);
        simd.kernel = "simd".into();
        simd
    };
    let mut report = compare_report();
    report.results.extend([
        simd("serial", 80.0, 82.0, 1.8),
        simd("rayon", 40.0, 42.0, 3.6),
    ]);
    let scratch = Scratch::with_compare();
    std::fs::write(scratch.0.join("simd.json"), report.to_json()).unwrap();
    let check = |chapter: &str| check(&scratch.0, &[("simd.md".to_owned(), chapter.to_owned())]);

    // Only the SIMD cells: both above 1.7x, and SIMD rayon beats scalar rayon.
    assert_eq!(
        check(
            "SIMD gains. <!-- claim: simd.json: mandelbrot[simd]/* speedup >= 3 -->\n\
             It beats threads. <!-- claim: simd.json: mandelbrot[simd]/rayon faster-than mandelbrot[scalar]/rayon -->"
        ),
        Vec::<String>::new()
    );
    // Without a kernel the scalar rayon cell is held to the claim too, and fails it.
    let problems = check("All at 3x. <!-- claim: simd.json: mandelbrot/rayon speedup >= 3 -->");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("mandelbrot/rayon (n = 4000"),
        "{}",
        problems[0]
    );
    // A kernel the report lacks matches nothing, and names the selector.
    let problems = check("Wide. <!-- claim: simd.json: mandelbrot[avx512]/rayon speedup > 1 -->");
    assert!(
        problems[0].contains("no cell of the report matches mandelbrot[avx512]/rayon"),
        "{problems:?}"
    );
}

#[test]
fn detail_claims_read_numbers_and_words_by_path() {
    let holds = "Faulting in 8 MB took about 2 ms. <!-- claim: compare.json: detail first_touch.one_thread_s < 0.003 -->\n\
        Use rayon. <!-- claim: compare.json: detail advice.best.0.strategy is rayon -->\n\
        Slower every time. <!-- claim: compare.json: detail agreement.0.verdicts all slower -->\n\
        Unclear once. <!-- claim: compare.json: detail agreement.1.verdicts some unclear -->\n\
        Never faster. <!-- claim: compare.json: detail agreement.1.verdicts none faster -->\n";
    assert_eq!(problems(holds), Vec::<String>::new());
    let broken = "Faulting in 8 MB took under a millisecond. <!-- claim: compare.json: detail first_touch.one_thread_s < 0.001 -->\n\
        Use dynamic claims. <!-- claim: compare.json: detail advice.best.0.strategy is threads-dynamic -->\n\
        Missing. <!-- claim: compare.json: detail advice.worst is rayon -->\n\
        Slower every time. <!-- claim: compare.json: detail agreement.1.verdicts all slower -->\n\
        Faster once. <!-- claim: compare.json: detail agreement.1.verdicts some faster -->\n\
        Never slower. <!-- claim: compare.json: detail agreement.0.verdicts none slower -->\n";
    let problems = problems(broken);
    assert_eq!(problems.len(), 6, "{problems:?}");
    assert!(
        problems[0].contains("first_touch.one_thread_s is 0.0021, not < 0.001"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("advice.best.0.strategy is \"rayon\", not threads-dynamic"),
        "{problems:?}"
    );
    assert!(
        problems[2].contains("no detail `advice.worst`"),
        "{problems:?}"
    );
    assert!(problems[3].contains("not all slower"), "{problems:?}");
    assert!(problems[4].contains("with no faster"), "{problems:?}");
    assert!(problems[5].contains("with a slower"), "{problems:?}");
}

#[test]
fn a_ratio_of_two_details_is_bounded() {
    let holds = "Both threads fault three times as fast. <!-- claim: compare.json: detail first_touch.one_thread_s over first_touch.all_threads_s >= 2.9 -->\n";
    assert_eq!(problems(holds), Vec::<String>::new());
    let broken = "Both threads fault four times as fast. <!-- claim: compare.json: detail first_touch.one_thread_s over first_touch.all_threads_s >= 4 -->\n";
    let problems = problems(broken);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .contains("first_touch.one_thread_s over first_touch.all_threads_s is 3.000, not >= 4"),
        "{problems:?}"
    );
}

#[test]
fn an_unclaimed_figure_stops_the_check() {
    let scratch = Scratch::with_compare();
    let text = "# Rayon\n\nRayon took 1.9× the time of serial.\n";
    let problems = check(&scratch.0, &[("rayon.md".to_owned(), text.to_owned())]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .starts_with("rayon.md:3: this sentence states the figure `1.9×` and carries no claim"),
        "{problems:?}"
    );
    let claimed = "# Rayon\n\nRayon took 1.9× the time of serial.\n<!-- claim: compare.json: mandelbrot/threads-dynamic speedup > 1.9 -->\n";
    assert_eq!(
        check(&scratch.0, &[("rayon.md".to_owned(), claimed.to_owned())]),
        Vec::<String>::new()
    );
}

/// Fits and crossovers are read as the harness's typed records, so a
/// section in another shape is named as unreadable, not taken as absent.
#[test]
fn fits_and_crossovers_are_read_as_typed_records() {
    use ps_harness::{CrossoverRecord, DetailRecord, FitRecord};

    let fit = FitRecord {
        strategy: "rayon".into(),
        law: "amdahl".into(),
        serial_fraction: Some(0.04),
        serial_fraction_low: Some(0.03),
        serial_fraction_high: Some(0.05),
        points: 4,
        not_fitted: None,
        oversubscription: "hurts: 1.50x at 4 against 1.90x within the cores".into(),
    };
    let crossover = CrossoverRecord {
        strategy: "rayon".into(),
        grain: Some(1024),
        n_star: Some(16_384),
        found: "16384".into(),
    };
    let report = Report::new("scaling", &Machine::detect(), Vec::new())
        .with_detail(FitRecord::KEY, vec![fit])
        .with_detail(CrossoverRecord::KEY, vec![crossover]);
    let scratch = Scratch::with_compare();
    std::fs::write(scratch.0.join("typed.json"), report.to_json()).unwrap();
    let check = |chapter: &str| check(&scratch.0, &[("typed.md".to_owned(), chapter.to_owned())]);
    assert_eq!(
        check(
            "Small s. <!-- claim: typed.json: fit rayon s <= 0.05 -->\n\
             More threads hurt. <!-- claim: typed.json: oversubscription rayon hurts -->\n\
             Pays from 16k. <!-- claim: typed.json: crossover rayon <= 16384 -->\n"
        ),
        Vec::<String>::new()
    );
    let problems = check(
        "Tiny s. <!-- claim: typed.json: fit rayon s <= 0.01 -->\n\
         Never pays. <!-- claim: typed.json: crossover rayon none -->\n\
         Fitted. <!-- claim: typed.json: fit threads-static s <= 0.1 -->\n",
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("fitted s is 0.040"), "{problems:?}");
    assert!(
        problems[1].contains("crossover of rayon is 16384"),
        "{problems:?}"
    );
    assert!(
        problems[2].contains("no fits record for threads-static"),
        "{problems:?}"
    );

    let garbled = Report::new("scaling", &Machine::detect(), Vec::new())
        .with_detail(FitRecord::KEY, serde_json::json!([{"strategy": "rayon"}]));
    std::fs::write(scratch.0.join("typed.json"), garbled.to_json()).unwrap();
    let problems = check("Small s. <!-- claim: typed.json: fit rayon s <= 0.05 -->\n");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("`fits` are unreadable"),
        "{problems:?}"
    );
}
