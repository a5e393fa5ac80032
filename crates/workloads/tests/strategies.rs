//! Every workload, run through real strategies, must verify against its
//! serial reference.

use ps_serial::Serial;
use ps_strategy::{Chunks, Strategy};
use ps_threads::{Dynamic, StaticBlocks};
use ps_workloads::word_count::{Text, generate, word_count, word_count_serial};
use ps_workloads::{Output, Prepared, WorkloadKind};

/// Small sizes, so the whole suite stays fast in a debug build.
fn small_n(kind: WorkloadKind) -> usize {
    match kind {
        WorkloadKind::Squares | WorkloadKind::SumOfSquares => 10_007,
        WorkloadKind::Primes => 20_011,
        WorkloadKind::Mandelbrot => 96,
        WorkloadKind::SpectralNorm => 67,
        WorkloadKind::WordCount => 30_000,
        WorkloadKind::Latency => 40,
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

fn check<S: Strategy>(strategy: &S, prepared: &Prepared, reference: &Output) {
    let output = prepared.run(strategy);
    if let Err(mismatch) = output.verify(reference) {
        panic!("{} under {}: {mismatch}", prepared.kind(), strategy.name());
    }
    assert_eq!(output.canonical(), reference.canonical());
}

#[test]
fn every_workload_verifies_under_every_strategy() {
    for kind in WorkloadKind::ALL {
        let n = small_n(kind);
        let prepared = kind.prepare(n);
        let reference = prepared.run_serial_reference();
        check(&Serial, &prepared, &reference);
        check(&StaticBlocks::new(3).unwrap(), &prepared, &reference);
        check(&Dynamic::new(4, 7).unwrap(), &prepared, &reference);
        check(
            &Dynamic::new(2, kind.grain(n)).unwrap(),
            &prepared,
            &reference,
        );
        check(&Backwards, &prepared, &reference);
    }
}

#[test]
fn known_answers_through_the_harness_api() {
    let run = |kind: WorkloadKind, n| {
        kind.prepare(n)
            .run(&Dynamic::new(3, kind.grain(n)).unwrap())
            .canonical()
    };
    assert_eq!(run(WorkloadKind::Primes, 10_000), "1229");
    assert_eq!(run(WorkloadKind::SumOfSquares, 1000), "332833500");
    assert_eq!(run(WorkloadKind::SpectralNorm, 100), "1.274219991");
    assert_eq!(run(WorkloadKind::Latency, 10), "45");
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
    let prepared = Prepared::from_text(line.repeat(2000));
    assert_eq!(prepared.n(), 13 * 2000);
    let reference = prepared.run_serial_reference();
    check(&Dynamic::new(4, 1).unwrap(), &prepared, &reference);
    let Output::Words(words) = reference else {
        panic!("word count returns words")
    };
    assert_eq!(words[0], ("allen".to_owned(), 4000));
    assert!(words.contains(&("über".to_owned(), 2000)));
}

#[test]
fn a_corrupted_output_fails_at_the_right_index() {
    let prepared = WorkloadKind::Squares.prepare(100);
    let reference = prepared.run_serial_reference();
    let Output::Numbers(mut numbers) = prepared.run(&StaticBlocks::new(3).unwrap()) else {
        panic!("squares returns numbers")
    };
    numbers[12] += 1;
    let mismatch = Output::Numbers(numbers).verify(&reference).unwrap_err();
    assert_eq!(mismatch.index, Some(12));
    assert_eq!(mismatch.to_string(), "at index 12: expected 144, got 145");

    let prepared = WorkloadKind::Mandelbrot.prepare(16);
    let reference = prepared.run_serial_reference();
    let Output::Bytes(mut image) = prepared.run(&Dynamic::new(2, 1).unwrap()) else {
        panic!("mandelbrot returns bytes")
    };
    image[20] ^= 0b0001_0000;
    let mismatch = Output::Bytes(image).verify(&reference).unwrap_err();
    assert_eq!(mismatch.index, Some(20));

    let prepared = WorkloadKind::Primes.prepare(100);
    let mismatch = Output::Integer(24)
        .verify(&prepared.run_serial_reference())
        .unwrap_err();
    assert_eq!(mismatch.to_string(), "expected 25, got 24");
}
