//! Measure your own loop: a 3 × 3 box blur over a grayscale image, run,
//! verified and timed under every strategy by the same harness as the
//! project's own workloads — and a strategy of your own, `cyclic`, measured
//! beside the built-in ones on every workload the program registers.
//!
//! Run it as `cargo run --release -p own-loop` (the same flags as
//! `cargo xtask`: `-- --quick`, `-- sweep blur`, `-- list`). In a project of
//! your own this file is a `[[bench]]` target with `harness = false`, run by
//! `cargo bench --bench strategies`. Here it is a package of its own, as in
//! your project, so that it is compiled with full optimisation whatever the
//! workspace's profile says of the harness's own code.

// ANCHOR: workload
use ps_harness::{Sizes, Strategy, Workload};

/// A square grayscale image, one byte per pixel, row after row.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    side: usize,
    pixels: Vec<u8>,
}

/// Blur every pixel with the mean of its 3 × 3 neighbourhood; pixels beyond
/// the border repeat the nearest edge pixel.
struct Blur;

impl Workload for Blur {
    type Input = Image;
    type Output = Vec<u8>;

    fn name(&self) -> &'static str {
        "blur"
    }

    fn summary(&self) -> &'static str {
        "3 x 3 box blur of an n x n grayscale image: equal rows, each reading three"
    }

    fn n_means(&self) -> &'static str {
        "the image side in pixels"
    }

    fn sizes(&self) -> Sizes {
        Sizes {
            quick: 256,
            default: 2048,
            large: 8192,
        }
    }

    /// Eight rows a chunk: a row of a 2048-pixel image is a few
    /// microseconds of work, far above the cost of claiming it.
    fn grain(&self, _n: usize) -> usize {
        8
    }

    fn bytes_for(&self, n: usize) -> Option<u128> {
        // The input, the reference and one result.
        Some(3 * (n as u128) * (n as u128))
    }

    fn prepare(&self, n: usize) -> Image {
        // A deterministic pattern with edges in it, so the blur has work to do.
        let pixels = (0..n * n)
            .map(|i| ((i % n) ^ (i / n)).wrapping_mul(37) as u8)
            .collect();
        Image { side: n, pixels }
    }

    fn run<S: Strategy>(&self, strategy: &S, image: &Image) -> Vec<u8> {
        let n = image.side;
        let mut out = vec![0; n * n];
        // One element per row, so the grain counts rows and every task
        // writes its own rows of the result.
        let mut rows: Vec<&mut [u8]> = out.chunks_mut(n).collect();
        strategy.for_each_chunk_mut(&mut rows, |first, rows| {
            for (y, row) in (first..).zip(rows.iter_mut()) {
                blur_row(image, y, row);
            }
        });
        out
    }

    fn run_serial(&self, image: &Image) -> Vec<u8> {
        let n = image.side;
        let mut out = vec![0; n * n];
        for (y, row) in out.chunks_mut(n).enumerate() {
            blur_row(image, y, row);
        }
        out
    }
}

/// Row `y` of the blurred image, written into `row`.
fn blur_row(image: &Image, y: usize, row: &mut [u8]) {
    let n = image.side;
    let at = |x: usize, y: usize| u32::from(image.pixels[y * n + x]);
    let (up, down) = (y.saturating_sub(1), (y + 1).min(n - 1));
    for (x, pixel) in row.iter_mut().enumerate() {
        let (left, right) = (x.saturating_sub(1), (x + 1).min(n - 1));
        let mut sum = 0;
        for yy in [up, y, down] {
            sum += at(left, yy) + at(x, yy) + at(right, yy);
        }
        *pixel = (sum / 9) as u8;
    }
}
// ANCHOR_END: workload

// ANCHOR: strategy
use ps_harness::{BoxedStrategy, Chunks, Config, StrategyInfo, run_on_threads};

/// Deals the chunks out like cards: thread `t` of `T` runs chunks `t`,
/// `t + T`, `t + 2T`, … — no shared counter, and uneven work that varies
/// smoothly along the input is spread over every thread.
#[derive(Debug)]
struct Cyclic {
    threads: usize,
    grain: usize,
}

impl Strategy for Cyclic {
    fn name(&self) -> &'static str {
        "cyclic"
    }

    fn threads(&self) -> usize {
        self.threads
    }

    fn chunks(&self, len: usize) -> Chunks {
        Chunks::new(len, self.grain)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        let threads = self.threads.min(count).max(1);
        // `run_on_threads` joins every thread and passes a task's panic (or
        // a refused thread) on to the caller, as the trait requires.
        let dealt = run_on_threads(threads, |t| {
            (t..count).step_by(threads).map(&task).collect::<Vec<R>>()
        });
        let mut hands: Vec<_> = dealt.into_iter().map(Vec::into_iter).collect();
        (0..count)
            .map(|i| {
                hands[i % threads]
                    .next()
                    .expect("each thread ran its share")
            })
            .collect()
    }
}

/// What the harness needs to list, configure and build it.
const CYCLIC: StrategyInfo = StrategyInfo {
    name: "cyclic",
    summary: "scoped threads, chunks dealt round-robin: thread t runs chunks t, t + T, t + 2T, ...",
    uses_grain: true,
    keeps_threads_between_calls: false,
    build: |config: Config| {
        Ok(BoxedStrategy::new(Cyclic {
            threads: config.threads(),
            grain: config.grain(),
        }))
    },
};
// ANCHOR_END: strategy

// ANCHOR: main
fn main() -> std::process::ExitCode {
    ps_harness::main(|registry| {
        registry.add(Blur);
        registry.add_strategy(CYCLIC);
    })
}
// ANCHOR_END: main

// The trait's conformance suite on the strategy above: order, every task
// once, panics with their payloads, nothing left running.
#[cfg(test)]
ps_harness::conformance_tests!(
    |config: ps_harness::Config| Cyclic {
        threads: config.threads(),
        grain: config.grain(),
    },
    ps_harness::conformance::Workers::PerCall
);
