//! Every workload, run through real strategies, must verify against its
//! serial reference.

use ps_serial::Serial;
use ps_strategy::{Chunks, Strategy};
use ps_threads::{Dynamic, StaticBlocks};
use ps_workloads::binary_trees::BinaryTrees;
use ps_workloads::fannkuch_redux::FannkuchRedux;
use ps_workloads::latency::Latency;
use ps_workloads::mandelbrot::Mandelbrot;
use ps_workloads::primes::Primes;
use ps_workloads::spectral_norm::SpectralNorm;
use ps_workloads::squares::Squares;
use ps_workloads::sum_of_squares::SumOfSquares;
use ps_workloads::word_count::{Text, WordCount, generate, word_count, word_count_serial};
use ps_workloads::{Workload, WorkloadVisitor};

/// A small size for each workload, derived from its own quick size, so
/// the whole suite stays fast in a debug build: a tenth of it, made valid
/// and odd-sized where the workload allows, so chunks do not divide evenly.
fn small_n<W: Workload>(workload: &W) -> usize {
    let tenth = (workload.sizes().quick / 10).max(1);
    let odd = workload.nearest_valid_n(tenth | 1);
    if workload.check_n(odd).is_ok() {
        odd
    } else {
        workload.nearest_valid_n(tenth)
    }
}

/// Runs the tasks last to first, in chunks of 3: the results must still
/// come back in order and the answers must not depend on the schedule.
#[derive(Debug)]
struct Backwards;

impl Strategy for Backwards {
    fn name(&self) -> &'static str {
        "backwards"
    }

    fn threads(&self) -> usize {
        1
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, 3)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        let mut results: Vec<R> = (0..count).rev().map(task).collect();
        results.reverse();
        results
    }
}

fn check<W: Workload, S: Strategy>(
    workload: &W,
    strategy: &S,
    input: &W::Input,
    reference: &W::Output,
) {
    let output = workload.run(strategy, input);
    if let Err(mismatch) = workload.verify(reference, &output) {
        panic!("{} under {}: {mismatch}", workload.name(), strategy.name());
    }
    assert_eq!(workload.describe(&output), workload.describe(reference));
}

/// Runs every workload it visits under several real strategies.
struct EveryStrategy(Vec<String>);

impl WorkloadVisitor for EveryStrategy {
    fn visit<W: Workload + 'static>(&mut self, workload: W) {
        let n = small_n(&workload);
        let input = workload.prepare(n);
        let reference = workload.run_serial(&input);
        check(&workload, &Serial, &input, &reference);
        check(
            &workload,
            &StaticBlocks::new(3).unwrap(),
            &input,
            &reference,
        );
        check(&workload, &Dynamic::new(4, 7).unwrap(), &input, &reference);
        check(
            &workload,
            &Dynamic::new(2, workload.grain(n)).unwrap(),
            &input,
            &reference,
        );
        check(&workload, &Backwards, &input, &reference);
        self.0.push(workload.name().to_owned());
    }
}

#[test]
fn every_workload_verifies_under_every_strategy() {
    let mut visited = EveryStrategy(Vec::new());
    ps_workloads::visit_all(&mut visited);
    assert_eq!(visited.0.len(), 9, "{:?}", visited.0);
}

fn describe_run<W: Workload>(workload: &W, n: usize) -> String {
    let output = workload.run(
        &Dynamic::new(3, workload.grain(n)).unwrap(),
        &workload.prepare(n),
    );
    workload.describe(&output)
}

fn check_kernel<W: Workload, S: Strategy>(
    workload: &W,
    strategy: &S,
    input: &W::Input,
    reference: &W::Output,
    kernel: &str,
) {
    let output = workload.run_kernel(strategy, input, kernel);
    if let Err(mismatch) = workload.verify(reference, &output) {
        panic!(
            "{}[{kernel}] under {}: {mismatch}",
            workload.name(),
            strategy.name()
        );
    }
}

/// Runs `workload` at `n` with every kernel under every strategy here and
/// returns the serial reference's description.
fn every_kernel_and_strategy<W: Workload>(workload: &W, n: usize) -> String {
    let input = workload.prepare(n);
    let reference = workload.run_serial(&input);
    for &kernel in workload.kernels() {
        check_kernel(workload, &Serial, &input, &reference, kernel);
        let blocks = StaticBlocks::new(3).unwrap();
        check_kernel(workload, &blocks, &input, &reference, kernel);
        let dynamic = Dynamic::new(4, 7).unwrap();
        check_kernel(workload, &dynamic, &input, &reference, kernel);
        let own_grain = Dynamic::new(2, workload.grain(n)).unwrap();
        check_kernel(workload, &own_grain, &input, &reference, kernel);
        check_kernel(workload, &Backwards, &input, &reference, kernel);
    }
    workload.describe(&reference)
}

#[test]
fn benchmarks_game_jobs_give_published_answers_under_every_strategy() {
    // Published: 228 and 16 for n = 7; the output for binary trees at
    // n = 10 is checked line by line in its module.
    assert_eq!(
        every_kernel_and_strategy(&FannkuchRedux, 7),
        "228; Pfannkuchen(7) = 16"
    );
    let trees = every_kernel_and_strategy(&BinaryTrees::default(), 10);
    assert!(
        trees.starts_with("long lived tree of depth 10 check: 2047; 6 lines"),
        "{trees}"
    );
}

#[test]
fn known_answers_through_the_workload_trait() {
    assert_eq!(describe_run(&Primes, 10_000), "1229");
    assert_eq!(describe_run(&SumOfSquares, 1000), "332833500");
    assert_eq!(describe_run(&SpectralNorm, 100), "1.274219991");
    assert_eq!(describe_run(&Latency, 10), "45");
    assert_eq!(describe_run(&FannkuchRedux, 7), "228; Pfannkuchen(7) = 16");
}

/// Every size a workload declares is valid, grows, and has a grain.
struct SaneSizes;

impl WorkloadVisitor for SaneSizes {
    fn visit<W: Workload + 'static>(&mut self, workload: W) {
        let sizes = workload.sizes();
        let name = workload.name();
        assert!(
            sizes.quick < sizes.default && sizes.default < sizes.large,
            "{name}: {sizes:?}"
        );
        for n in [sizes.quick, sizes.default, sizes.large] {
            assert_eq!(workload.check_n(n), Ok(()), "{name} at {n}");
            assert!(workload.grain(n) >= 1);
            assert!(
                workload
                    .check_n(workload.nearest_valid_n(n / 3 + 1))
                    .is_ok()
            );
        }
        let message = workload.check_n(0).unwrap_err();
        assert!(
            !message.contains('\n') && message == message.to_lowercase(),
            "{message}"
        );
        assert!(!workload.summary().is_empty() && !workload.n_means().is_empty());
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{name}"
        );
    }
}

#[test]
fn every_declared_size_is_valid() {
    ps_workloads::visit_all(&mut SaneSizes);
}

#[test]
fn word_count_merges_many_small_chunks() {
    let source = generate(20_000, 11);
    let reference = word_count_serial(&source);
    let text = Text::with_segment_bytes(source, 300);
    assert!(text.segments().len() > 100);
    assert_eq!(word_count(&Serial, &text), reference);
    assert_eq!(word_count(&StaticBlocks::new(3).unwrap(), &text), reference);
    assert_eq!(word_count(&Dynamic::new(4, 1).unwrap(), &text), reference);
    assert_eq!(word_count(&Backwards, &text), reference);
}

#[test]
fn a_users_own_text_is_counted_in_parallel() {
    let line = "Über allen Gipfeln ist Ruh, in allen Wipfeln spürest du kaum einen Hauch.\n";
    let (n, text) = WordCount.input_from_text(line.repeat(2000)).unwrap();
    assert_eq!(n, 13 * 2000);
    let reference = WordCount.run_serial(&text);
    check(&WordCount, &Dynamic::new(4, 1).unwrap(), &text, &reference);
    assert_eq!(reference[0], ("allen".to_owned(), 4000));
    assert!(reference.contains(&("über".to_owned(), 2000)));
}

#[test]
fn a_corrupted_output_fails_at_the_right_index() {
    let input = Squares.prepare(100);
    let reference = Squares.run_serial(&input);
    let mut numbers = Squares.run(&StaticBlocks::new(3).unwrap(), &input);
    numbers[12] += 1;
    let mismatch = Squares.verify(&reference, &numbers).unwrap_err();
    assert_eq!(mismatch.index, Some(12));
    assert_eq!(mismatch.to_string(), "at index 12: expected 144, got 145");

    let reference = Mandelbrot.run_serial(&16);
    let mut image = Mandelbrot.run(&Dynamic::new(2, 1).unwrap(), &16);
    image[20] ^= 0b0001_0000;
    let mismatch = Mandelbrot.verify(&reference, &image).unwrap_err();
    assert_eq!(mismatch.index, Some(20));

    let reference = Primes.run_serial(&Primes.prepare(100));
    assert_eq!(
        Primes.verify(&reference, &24).unwrap_err().to_string(),
        "expected 25, got 24"
    );
}
