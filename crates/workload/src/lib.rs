//! The [`Workload`] trait: what a job must say about itself to be measured
//! under every strategy.
//!
//! # The design decision: a workload is data about a job, run generically
//!
//! The harness (`ps-harness`) has to do the same things to every job: build
//! an input of some size `n` outside the timed region, run the job under each
//! strategy, check every result against a plain serial reference, and time
//! it. Everything it needs to know about *your* job is in this one trait:
//!
//! - **what it is** — [`name`](Workload::name),
//!   [`summary`](Workload::summary), and what `n` counts
//!   ([`n_means`](Workload::n_means));
//! - **how big it runs** — [`sizes`](Workload::sizes) for the quick, default
//!   and large runs, which sizes are valid ([`check_n`](Workload::check_n))
//!   and how much memory a size needs ([`bytes_for`](Workload::bytes_for)),
//!   so that an impossible size is refused before anything is allocated;
//! - **how it is cut** — a suggested [`grain`](Workload::grain);
//! - **how it runs** — [`prepare`](Workload::prepare) the input once,
//!   [`run`](Workload::run) it under any `S: Strategy`, and
//!   [`run_serial`](Workload::run_serial) as the reference;
//! - **how results compare** — exactly by default, through [`Verify`], which
//!   names the first differing index; a [`tolerance`](Workload::tolerance)
//!   where floating-point sums are taken in another order.
//!
//! `run` is generic over the strategy, so the per-element closure is
//! monomorphised and inlined exactly as if the job were written by hand for
//! one strategy: no boxed closure, no dynamic call per element. The results
//! are whatever type the job produces — a `u64`, a `Vec<f32>`, an image —
//! as long as it implements [`Verify`] (every standard type a result is made
//! of already does). A harness that picks workloads by name at run time
//! erases the type once per *run*, not per element.
//!
//! The trait lives in a crate of its own, apart from the harness and its
//! renderers, so a crate of workloads depends on nothing but the
//! [`Strategy`] trait — as `rayon-core` stands apart from `rayon`.
//!
//! # Example
//!
//! ```
//! use ps_strategy::Strategy;
//! use ps_workload::{Sizes, Workload};
//!
//! /// The cube of every number below `n`.
//! struct Cubes;
//!
//! impl Workload for Cubes {
//!     type Input = Vec<u64>;
//!     type Output = Vec<u64>;
//!
//!     fn name(&self) -> &str { "cubes" }
//!     fn summary(&self) -> &str { "x³ for every x below n" }
//!     fn n_means(&self) -> &str { "numbers to cube" }
//!     fn sizes(&self) -> Sizes { Sizes { quick: 1_000, default: 1_000_000, large: 10_000_000 } }
//!     fn grain(&self, _n: usize) -> usize { 16_384 }
//!     fn prepare(&self, n: usize) -> Vec<u64> { (0..n as u64).collect() }
//!     fn run<S: Strategy>(&self, strategy: &S, input: &Vec<u64>) -> Vec<u64> {
//!         strategy.map(input, |&x| x * x * x)
//!     }
//!     fn run_serial(&self, input: &Vec<u64>) -> Vec<u64> {
//!         input.iter().map(|&x| x * x * x).collect()
//!     }
//! }
//!
//! let input = Cubes.prepare(1000);
//! let strategy = ps_threads::Dynamic::new(2, Cubes.grain(1000))?;
//! Cubes.verify(&Cubes.run_serial(&input), &Cubes.run(&strategy, &input))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod mismatch;
mod size;
mod verify;

use std::fmt::Write as _;

pub use mismatch::Mismatch;
use ps_strategy::Strategy;
pub use size::{Size, Sizes};
pub use verify::{Tolerance, Verify};

/// A job with a known answer, sized by one number `n`, that the harness can
/// run, verify and time under every strategy. See the [crate] docs.
pub trait Workload: Sync {
    /// What [`prepare`](Workload::prepare) builds before the timed region.
    type Input: Sync;
    /// What one run returns; compared with the reference through [`Verify`].
    type Output: Verify + Send;

    /// The name used on the command line and in reports: lowercase, with
    /// dashes (`spectral-norm`).
    fn name(&self) -> &str;

    /// One line: what the job computes and what it teaches.
    fn summary(&self) -> &str;

    /// What `n` counts, as a noun phrase: `numbers to square`, `image side
    /// in pixels`.
    fn n_means(&self) -> &str;

    /// The `n` of the quick, default and large runs.
    fn sizes(&self) -> Sizes;

    /// A suggested grain — elements per unit of work — for strategies that
    /// cut the input into grain-sized chunks, at size `n`.
    fn grain(&self, n: usize) -> usize;

    /// Whether this job can run at size `n`; by default any `n` of at least
    /// one whose [`bytes_for`](Workload::bytes_for) fits in the address
    /// space.
    ///
    /// # Errors
    ///
    /// One lowercase line saying why not.
    fn check_n(&self, n: usize) -> Result<(), String> {
        if n == 0 {
            return Err(format!("{} needs n of at least 1, got 0", self.name()));
        }
        match self.bytes_for(n) {
            Some(bytes) if bytes > isize::MAX as u128 => Err(format!(
                "{} at n = {n} needs {bytes} bytes, more than this machine can address",
                self.name()
            )),
            _ => Ok(()),
        }
    }

    /// The valid size nearest to `n`, for size ladders; by default `n` (at
    /// least 1).
    fn nearest_valid_n(&self, n: usize) -> usize {
        n.max(1)
    }

    /// About how many bytes a run at size `n` holds at once — input,
    /// reference and one result — or `None` if it is small or unknown. The
    /// harness refuses a size that needs more than the machine has before
    /// allocating anything.
    fn bytes_for(&self, n: usize) -> Option<u128> {
        let _ = n;
        None
    }

    /// How many units of work a run of size `n` does, for throughput
    /// figures: `n` by default; pixels (`n²`) for an `n × n` image.
    fn work_items(&self, n: usize) -> u64 {
        n as u64
    }

    /// The bytes a run at size `n` must read from and write to memory, for a
    /// job whose speed memory bandwidth bounds (squares reads and writes
    /// eight bytes a number); `None`, the default, for a job that computes.
    /// The harness then shows how close each strategy comes to the
    /// machine's measured bandwidth.
    fn memory_traffic(&self, n: usize) -> Option<Traffic> {
        let _ = n;
        None
    }

    /// Whether a run mostly *waits* — on a timer, a disk, the network —
    /// rather than computes; `false`, the default, for a job that keeps its
    /// cores busy.
    ///
    /// It changes the advice, not the measuring: a waiting thread uses no
    /// core, so more threads than cores still help a waiting job (and async
    /// tasks may wait more cheaply than threads), while for computation
    /// threads beyond the cores only add switching. The harness's `advise`
    /// says so for a job that returns `true`.
    fn waits(&self) -> bool {
        false
    }

    /// Builds the input for a run of size `n` (already checked), outside any
    /// timed region.
    fn prepare(&self, n: usize) -> Self::Input;

    /// Builds an input from a file's text, for jobs that can read one (word
    /// count does), with its `n`; `None` (the default) if this job cannot.
    fn input_from_text(&self, text: String) -> Option<(usize, Self::Input)> {
        let _ = text;
        None
    }

    /// Runs the job under `strategy`: the call that is timed.
    fn run<S: Strategy>(&self, strategy: &S, input: &Self::Input) -> Self::Output;

    /// The kernels this job can run with, by name, its default first: the
    /// same computation written differently — a scalar loop, explicit SIMD
    /// — whose results must agree. `["scalar"]` unless the job has more.
    fn kernels(&self) -> &[&'static str] {
        &["scalar"]
    }

    /// Runs the job under `strategy` with the kernel named `kernel`, one of
    /// [`kernels`](Workload::kernels); by default [`run`](Workload::run).
    fn run_kernel<S: Strategy>(
        &self,
        strategy: &S,
        input: &Self::Input,
        kernel: &str,
    ) -> Self::Output {
        let _ = kernel;
        self.run(strategy, input)
    }

    /// The plain serial reference, which should not go through the
    /// [`Strategy`] trait: the answer every run is verified against.
    fn run_serial(&self, input: &Self::Input) -> Self::Output;

    /// How close floating-point results must be; [`Tolerance::Exact`] by
    /// default.
    fn tolerance(&self) -> Tolerance {
        Tolerance::Exact
    }

    /// Checks `actual` against `expected`; by default [`Verify`] with
    /// [`tolerance`](Workload::tolerance).
    ///
    /// # Errors
    ///
    /// The first difference.
    fn verify(&self, expected: &Self::Output, actual: &Self::Output) -> Result<(), Mismatch> {
        actual.verify(expected, self.tolerance())
    }

    /// The one line `run` prints for a result; by default its `Debug` form,
    /// shortened to 100 characters.
    fn describe(&self, output: &Self::Output) -> String {
        let mut text = String::new();
        let _ = write!(text, "{output:?}");
        if text.chars().count() > 100 {
            text = text.chars().take(97).collect::<String>() + "...";
        }
        text
    }

    /// The result as the bytes of a file, for `--out`; by default
    /// [`describe`](Workload::describe) and a line break.
    fn output_bytes(&self, output: &Self::Output) -> Vec<u8> {
        let mut line = self.describe(output);
        line.push('\n');
        line.into_bytes()
    }
}

/// Bytes read from and written to memory by one run.
///
/// ```
/// let traffic = ps_workload::Traffic { read: 800, written: 800 };
/// assert_eq!(traffic.total(), 1600);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traffic {
    /// Bytes loaded.
    pub read: u64,
    /// Bytes stored.
    pub written: u64,
}

impl Traffic {
    /// Read and written together.
    #[must_use]
    pub fn total(self) -> u64 {
        self.read + self.written
    }
}

/// Something that does one thing with each of a list of workloads, each at
/// its own concrete type: how a list of workloads of *different* types is
/// walked without erasing them.
///
/// ```
/// use ps_workload::{Workload, WorkloadVisitor};
///
/// struct Names(Vec<String>);
///
/// impl WorkloadVisitor for Names {
///     fn visit<W: Workload + 'static>(&mut self, workload: W) {
///         self.0.push(workload.name().to_owned());
///     }
/// }
/// # let _ = Names(Vec::new());
/// ```
pub trait WorkloadVisitor {
    /// Called once per workload.
    fn visit<W: Workload + 'static>(&mut self, workload: W);
}
