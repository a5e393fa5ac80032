//! A strategy is user code, and the provided methods must stay sound — and
//! never quietly wrong — whatever it does. Each strategy here breaks the
//! `run_tasks` or `chunks` contract on purpose. The tests drive the crate's
//! `unsafe` code through that misbehaviour — `DisjointChunks::with_chunk`,
//! which hands out `&mut` chunks, and the `set_len` at the end of `map` — and
//! check that the call panics with a clear message instead of handing out a
//! chunk twice or returning uninitialised memory.
//!
//! (Miri would check these paths for undefined behaviour as well, but it
//! needs a nightly toolchain, and this project builds on stable only.)

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

use ps_strategy::{Chunks, Strategy};

/// Runs tasks on the calling thread, misbehaving as told.
#[derive(Debug, Clone, Copy)]
enum Broken {
    /// Runs task 0 a second time, after the others.
    RunsFirstTwice,
    /// Runs task 0 a second time on another thread, at the same time as the
    /// others.
    RunsFirstTwiceConcurrently,
    /// Never runs the last task (and returns one result fewer).
    SkipsLast,
    /// Never runs the last task, but runs the first one again in its place,
    /// so that the number of results is right.
    SkipsLastRunsFirstTwice,
    /// Catches every panic of a task and carries on without its result.
    SwallowsPanics,
    /// Also runs the task index one past the end.
    RunsOnePastTheEnd,
    /// Returns the results in reverse order.
    ReversesResults,
    /// Cuts half the input: `chunks(len)` describes `len / 2` elements.
    CutsHalfTheInput,
}

impl Strategy for Broken {
    fn name(&self) -> &'static str {
        "broken"
    }

    fn threads(&self) -> usize {
        1
    }

    fn chunks(&self, len: usize) -> Chunks {
        match self {
            Broken::CutsHalfTheInput => Chunks::new(len / 2, 3),
            _ => Chunks::new(len, 3),
        }
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        match self {
            Broken::RunsFirstTwice => {
                let mut results: Vec<R> = (0..count).map(&task).collect();
                results.extend((0..count.min(1)).map(&task));
                results
            }
            Broken::RunsFirstTwiceConcurrently => std::thread::scope(|scope| {
                let twin = scope.spawn(|| (0..count.min(1)).map(&task).collect::<Vec<R>>());
                let mut results: Vec<R> = (0..count).map(&task).collect();
                results.extend(
                    twin.join()
                        .unwrap_or_else(|payload| panic::resume_unwind(payload)),
                );
                results
            }),
            Broken::SkipsLast => (0..count.saturating_sub(1)).map(task).collect(),
            Broken::SkipsLastRunsFirstTwice => (0..count.saturating_sub(1))
                .chain((count > 1).then_some(0))
                .map(task)
                .collect(),
            Broken::SwallowsPanics => (0..count)
                .filter_map(|i| panic::catch_unwind(AssertUnwindSafe(|| task(i))).ok())
                .collect(),
            Broken::RunsOnePastTheEnd => (0..=count).map(task).collect(),
            Broken::ReversesResults => {
                let mut results: Vec<R> = (0..count).map(task).collect();
                results.reverse();
                results
            }
            Broken::CutsHalfTheInput => (0..count).map(task).collect(),
        }
    }
}

/// The message of the panic `call` raises; fails if it returns normally.
fn panic_message(broken: Broken, call: impl FnOnce()) -> String {
    let Err(payload) = panic::catch_unwind(AssertUnwindSafe(call)) else {
        panic!("{broken:?} went unnoticed");
    };
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// Counts the values `map` creates and drops. When `map` panics, the values
/// already written are leaked — never dropped, so never dropped twice.
#[derive(Default)]
struct Tally {
    created: AtomicUsize,
    dropped: AtomicUsize,
}

struct Counted<'a>(&'a Tally);

impl<'a> Counted<'a> {
    fn new(tally: &'a Tally) -> Self {
        tally.created.fetch_add(1, Ordering::SeqCst);
        Counted(tally)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.dropped.fetch_add(1, Ordering::SeqCst);
    }
}

const LEN: usize = 10;

fn input() -> Vec<u64> {
    (0..LEN as u64).collect()
}

fn expect_panic(broken: Broken, call: impl FnOnce(), expected: &str) {
    let message = panic_message(broken, call);
    assert!(
        message.contains(expected),
        "{broken:?}: expected a panic about {expected:?}, got {message:?}"
    );
}

#[test]
fn a_chunk_run_twice_panics() {
    for broken in [Broken::RunsFirstTwice, Broken::RunsFirstTwiceConcurrently] {
        let tally = Tally::default();
        expect_panic(
            broken,
            || drop(broken.map(&input(), |_| Counted::new(&tally))),
            "ran chunk 0 twice",
        );
        // Chunk 0 was written once, by whichever run took it first.
        assert!(tally.created.load(Ordering::SeqCst) >= 3);
        assert_eq!(tally.dropped.load(Ordering::SeqCst), 0);

        expect_panic(
            broken,
            || broken.for_each_chunk_mut(&mut input(), |_, chunk| chunk.fill(7)),
            "ran chunk 0 twice",
        );
        expect_panic(
            broken,
            || {
                broken.map_reduce(&input(), || 0, |a, &x| a + x, |a, b| a + b);
            },
            "wrong number of partial results",
        );
    }
}

#[test]
fn a_skipped_chunk_panics_instead_of_returning_uninitialised_memory() {
    for broken in [Broken::SkipsLast, Broken::SkipsLastRunsFirstTwice] {
        let tally = Tally::default();
        let message = panic_message(broken, || {
            drop(broken.map(&input(), |_| Counted::new(&tally)));
        });
        assert!(
            message.contains("skipped chunks of a map") || message.contains("ran chunk 0 twice"),
            "{broken:?}: {message}"
        );
        assert_eq!(tally.dropped.load(Ordering::SeqCst), 0);
        expect_panic(broken, || drop(broken.map(&input(), |_| ())), "");
        let message = panic_message(broken, || {
            broken.for_each_chunk_mut(&mut input(), |_, chunk| chunk.fill(7));
        });
        assert!(
            message.contains("skipped chunks of for_each_chunk_mut")
                || message.contains("ran chunk 0 twice"),
            "{broken:?}: {message}"
        );
    }
    expect_panic(
        Broken::SkipsLast,
        || {
            Broken::SkipsLast.map_reduce(&input(), || 0, |a, &x| a + x, |a, b| a + b);
        },
        "wrong number of partial results",
    );
}

/// The right number of partial results, but chunk 0's twice and the last
/// chunk's never: a sum would silently miss the last chunk.
#[test]
fn a_skipped_chunk_padded_with_a_repeat_is_caught_by_map_reduce() {
    let broken = Broken::SkipsLastRunsFirstTwice;
    expect_panic(
        broken,
        || {
            broken.map_reduce(&input(), || 0, |a, &x| a + x, |a, b| a + b);
        },
        "out of order",
    );
}

#[test]
fn a_swallowed_panic_is_a_skipped_chunk() {
    let broken = Broken::SwallowsPanics;
    let tally = Tally::default();
    expect_panic(
        broken,
        || {
            drop(broken.map(&input(), |&x| {
                assert!(x != 4, "user panic");
                Counted::new(&tally)
            }));
        },
        "skipped chunks of a map",
    );
    // Chunk 1 (elements 3..6) stopped half-way: its written value is leaked.
    assert_eq!(tally.created.load(Ordering::SeqCst), LEN - 2);
    assert_eq!(tally.dropped.load(Ordering::SeqCst), 0);
    expect_panic(
        broken,
        || broken.for_each_chunk_mut(&mut input(), |start, _| assert!(start != 3, "user panic")),
        "skipped chunks of for_each_chunk_mut",
    );
}

#[test]
fn a_task_index_past_the_end_panics() {
    let broken = Broken::RunsOnePastTheEnd;
    expect_panic(
        broken,
        || drop(broken.map(&input(), |&x| x)),
        "chunk 4 out of 4 chunks",
    );
    expect_panic(
        broken,
        || broken.for_each_chunk_mut(&mut input(), |_, chunk| chunk.fill(7)),
        "chunk 4 out of 4 chunks",
    );
    expect_panic(
        broken,
        || {
            broken.map_reduce(&input(), || 0, |a, &x| a + x, |a, b| a + b);
        },
        "chunk 4 out of 4 chunks",
    );
}

#[test]
fn results_out_of_order_are_caught_by_map_reduce_and_harmless_elsewhere() {
    let broken = Broken::ReversesResults;
    // `map` and `for_each_chunk_mut` write in place: the order of the
    // (empty) results does not matter to them.
    let doubled: Vec<u64> = (0..LEN as u64).map(|x| x * 2).collect();
    assert_eq!(broken.map(&input(), |&x| x * 2), doubled);
    let mut data = input();
    broken.for_each_chunk_mut(&mut data, |_, chunk| chunk.iter_mut().for_each(|x| *x *= 2));
    assert_eq!(data, doubled);
    // A non-commutative reduction must not come back silently reordered.
    expect_panic(
        broken,
        || {
            drop(broken.map_reduce(
                &input(),
                String::new,
                |s, x| s + &x.to_string(),
                |a, b| a + &b,
            ));
        },
        "out of order",
    );
}

#[test]
fn a_cut_that_lies_about_the_length_loses_nothing() {
    let broken = Broken::CutsHalfTheInput;
    assert_eq!(
        broken.map(&input(), |&x| x + 1),
        (1..=LEN as u64).collect::<Vec<_>>()
    );
    let mut data = input();
    broken.for_each_chunk_mut(&mut data, |_, chunk| chunk.iter_mut().for_each(|x| *x *= 2));
    assert_eq!(data, (0..LEN as u64).map(|x| x * 2).collect::<Vec<_>>());
    let text = broken.map_reduce(
        &input(),
        String::new,
        |s, x| s + &x.to_string(),
        |a, b| a + &b,
    );
    assert_eq!(text, "0123456789");
}

/// Zero-sized elements and results: the output `Vec` of `map` never
/// allocates and a slice of them may be as long as `usize::MAX`; the pointer
/// arithmetic and the chunk bounds must still be right.
#[test]
fn zero_sized_elements() {
    let broken = Broken::ReversesResults;
    assert_eq!(broken.map(&input(), |_| ()).len(), LEN);
    expect_panic(
        Broken::SkipsLast,
        || drop(Broken::SkipsLast.map(&input(), |_| ())),
        "skipped",
    );

    let visited = AtomicUsize::new(0);
    broken.for_each_chunk_mut(&mut [(); 1000], |_, chunk| {
        visited.fetch_add(chunk.len(), Ordering::Relaxed);
    });
    assert_eq!(visited.into_inner(), 1000);

    // The largest slice there can be, in two chunks of which the second
    // starts near the top of the address space.
    let huge = Chunks::new(usize::MAX, usize::MAX - 1);
    assert_eq!(huge.count(), 2);
    assert_eq!(huge.range(1), usize::MAX - 1..usize::MAX);
}
