//! Workloads picked by name at run time: each one's type is erased once, at
//! registration, and a run costs one dynamic call — never one per element.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};

use ps_catalog::{AnyStrategy, StrategyInfo, StrategyKind};
use ps_strategy::Strategy;
use ps_workload::{Sizes, Traffic, Workload, WorkloadVisitor};

use crate::Failure;
use std::time::Duration;

use crate::measure::timed_batch;
use crate::refusal;
use crate::table::plural;

/// A registered workload, its type erased: what the commands see.
pub trait Entry: Sync {
    /// [`Workload::name`].
    fn name(&self) -> &str;
    /// [`Workload::summary`].
    fn summary(&self) -> &str;
    /// [`Workload::n_means`].
    fn n_means(&self) -> &str;
    /// [`Workload::sizes`].
    fn sizes(&self) -> Sizes;
    /// [`Workload::grain`].
    fn grain(&self, n: usize) -> usize;
    /// [`Workload::nearest_valid_n`].
    fn nearest_valid_n(&self, n: usize) -> usize;
    /// [`Workload::check_n`], and [`Workload::bytes_for`] against the
    /// machine's memory.
    ///
    /// # Errors
    ///
    /// A usage error naming the size and why it cannot run.
    fn check_n(&self, n: usize) -> Result<(), Failure>;
    /// [`Workload::kernels`].
    fn kernels(&self) -> &[&'static str];
    /// [`Workload::memory_traffic`].
    fn memory_traffic(&self, n: usize) -> Option<Traffic>;
    /// [`Workload::waits`].
    fn waits(&self) -> bool;
    /// Builds the input of size `n` (checked first) and the serial reference,
    /// to be run with the default kernel.
    ///
    /// # Errors
    ///
    /// A usage error if `n` cannot run, a failure if the reference panics.
    fn prepare(&self, n: usize) -> Result<Box<dyn Prepared + '_>, Failure> {
        self.prepare_kernel(n, self.kernels()[0])
    }
    /// The kernel named `asked`, or the default (first) one for `None`.
    ///
    /// # Errors
    ///
    /// A usage error naming the kernels this workload has.
    fn kernel_named(&self, asked: Option<&str>) -> Result<&'static str, Failure> {
        let kernels = self.kernels();
        let Some(asked) = asked else {
            return Ok(kernels[0]);
        };
        kernels
            .iter()
            .copied()
            .find(|&k| k == asked)
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "{} has no kernel `{asked}` (it has: {})",
                    self.name(),
                    kernels.join(", ")
                ))
            })
    }
    /// As [`prepare`](Entry::prepare), to be run with the kernel named `kernel`.
    ///
    /// # Errors
    ///
    /// As [`prepare`](Entry::prepare), and a usage error for a kernel this
    /// workload does not have.
    fn prepare_kernel(&self, n: usize, kernel: &str) -> Result<Box<dyn Prepared + '_>, Failure>;
    /// Builds the input from a file's text, if this workload reads one, to be
    /// run with the kernel named `kernel`.
    ///
    /// # Errors
    ///
    /// A usage error if this workload takes no file or has no such kernel.
    fn prepare_from_text(
        &self,
        text: String,
        kernel: &str,
    ) -> Result<Box<dyn Prepared + '_>, Failure>;
}

/// An input with its serial reference, ready to be run and timed.
pub trait Prepared {
    /// The workload's name.
    fn workload(&self) -> &str;
    /// The size the input was built for.
    fn n(&self) -> usize;
    /// The kernel every run uses.
    fn kernel(&self) -> &str;
    /// Makes `runs` back-to-back runs of `strategy` on this input and
    /// returns their time; then, outside the clock, checks every result
    /// against the reference (see [`timed_batch`](crate::timed_batch)).
    /// [`measure_rotation`](crate::measure_rotation) calls it to time
    /// several strategies in turn.
    ///
    /// # Errors
    ///
    /// [`Failure::WrongResult`] naming the workload, size, strategy and first
    /// difference, or the panic's message; [`Failure::Refused`] if the
    /// strategy's threads could not start.
    fn sample(&self, strategy: &AnyStrategy, runs: usize) -> Result<Duration, Failure>;
    /// Runs `strategy` once, verifies the result, and returns its one-line
    /// description and its bytes as a file.
    ///
    /// # Errors
    ///
    /// As [`sample`](Prepared::sample).
    fn run_once(&self, strategy: &AnyStrategy) -> Result<(String, Vec<u8>), Failure>;
}

/// The workloads a command can run, in the order reports list them.
///
/// ```
/// use ps_harness::Registry;
///
/// let mut registry = Registry::new();
/// ps_workloads::visit_all(&mut registry);
/// assert_eq!(registry.find("primes")?.name(), "primes");
/// assert!(registry.find("fibonacci").is_err_and(|e| e.to_string().starts_with("unknown workload")));
/// # Ok::<(), ps_harness::Failure>(())
/// ```
pub struct Registry {
    entries: Vec<Box<dyn Entry>>,
    strategies: Vec<StrategyKind>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            entries: Vec::new(),
            strategies: StrategyKind::ALL.to_vec(),
        }
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            // The workloads' types are erased; their names say which.
            .field(
                "entries",
                &self.entries().map(Entry::name).collect::<Vec<_>>(),
            )
            .field("strategies", &self.strategies)
            .finish()
    }
}

impl Registry {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Self {
        Registry::default()
    }

    /// Adds `workload`.
    ///
    /// # Panics
    ///
    /// If a workload of the same name is already registered.
    pub fn add<W: Workload + 'static>(&mut self, workload: W) -> &mut Self {
        assert!(
            self.entries
                .iter()
                .all(|entry| entry.name() != workload.name()),
            "two workloads are named `{}`",
            workload.name()
        );
        self.entries.push(Box::new(Erased(workload)));
        self
    }

    /// Adds a strategy of your own beside the built-in ones, so that every
    /// command can measure it, by name, with the same verification.
    ///
    /// ```
    /// use ps_harness::{Registry, StrategyInfo};
    /// use ps_strategy::BoxedStrategy;
    ///
    /// let mut registry = Registry::new();
    /// registry.add_strategy(StrategyInfo {
    ///     name: "my-serial",
    ///     summary: "a plain loop, registered as a strategy of my own",
    ///     uses_grain: false,
    ///     keeps_threads_between_calls: false,
    ///     build: |config| Ok(BoxedStrategy::new(ps_serial::Serial::from_config(config))),
    /// });
    /// assert_eq!(registry.strategy("my-serial")?.name(), "my-serial");
    /// # Ok::<(), ps_harness::Failure>(())
    /// ```
    ///
    /// # Panics
    ///
    /// If a strategy of the same name is already registered (the built-in
    /// ones included).
    pub fn add_strategy(&mut self, info: StrategyInfo) -> &mut Self {
        assert!(
            self.strategies.iter().all(|kind| kind.name() != info.name),
            "two strategies are named `{}`",
            info.name
        );
        self.strategies.push(StrategyKind::custom(info));
        self
    }

    /// Every strategy: the built-in ones, then those added, in order.
    #[must_use]
    pub fn strategies(&self) -> &[StrategyKind] {
        &self.strategies
    }

    /// The strategy called `name`.
    ///
    /// # Errors
    ///
    /// A usage error listing the names there are.
    pub fn strategy(&self, name: &str) -> Result<StrategyKind, Failure> {
        self.strategies
            .iter()
            .copied()
            .find(|kind| kind.name() == name)
            // A strategy no list shows (the harness's own test subject).
            .or_else(|| name.parse().ok())
            .ok_or_else(|| {
                let names: Vec<&str> = self.strategies.iter().map(|kind| kind.name()).collect();
                Failure::Usage(format!(
                    "unknown strategy `{name}` (expected one of: {})",
                    names.join(", ")
                ))
            })
    }

    /// The strategies called `names`, or all of them if `names` is empty.
    ///
    /// # Errors
    ///
    /// As [`strategy`](Registry::strategy).
    pub fn select_strategies(&self, names: &[String]) -> Result<Vec<StrategyKind>, Failure> {
        if names.is_empty() {
            return Ok(self.strategies.clone());
        }
        names.iter().map(|name| self.strategy(name)).collect()
    }

    /// Every workload, in registration order.
    pub fn entries(&self) -> impl Iterator<Item = &dyn Entry> {
        self.entries.iter().map(|entry| &**entry)
    }

    /// The workload called `name`.
    ///
    /// # Errors
    ///
    /// A usage error listing the names there are.
    pub fn find(&self, name: &str) -> Result<&dyn Entry, Failure> {
        self.entries()
            .find(|entry| entry.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = self.entries().map(Entry::name).collect();
                Failure::Usage(format!(
                    "unknown workload `{name}` (expected one of: {})",
                    names.join(", ")
                ))
            })
    }

    /// The workloads called `names`, or all of them if `names` is empty.
    ///
    /// # Errors
    ///
    /// As [`find`](Registry::find).
    pub fn select(&self, names: &[String]) -> Result<Vec<&dyn Entry>, Failure> {
        if names.is_empty() {
            return Ok(self.entries().collect());
        }
        names.iter().map(|name| self.find(name)).collect()
    }
}

impl WorkloadVisitor for Registry {
    fn visit<W: Workload + 'static>(&mut self, workload: W) {
        self.add(workload);
    }
}

struct Erased<W>(W);

impl<W: Workload> Entry for Erased<W> {
    fn name(&self) -> &str {
        self.0.name()
    }

    fn summary(&self) -> &str {
        self.0.summary()
    }

    fn n_means(&self) -> &str {
        self.0.n_means()
    }

    fn sizes(&self) -> Sizes {
        self.0.sizes()
    }

    fn grain(&self, n: usize) -> usize {
        self.0.grain(n).max(1)
    }

    fn nearest_valid_n(&self, n: usize) -> usize {
        self.0.nearest_valid_n(n)
    }

    fn check_n(&self, n: usize) -> Result<(), Failure> {
        self.0
            .check_n(n)
            .map_err(|reason| Failure::Usage(format!("--n for {}: {reason}", self.name())))?;
        crate::memory::check_fits(self.name(), n, self.0.bytes_for(n))
    }

    fn kernels(&self) -> &[&'static str] {
        self.0.kernels()
    }

    fn memory_traffic(&self, n: usize) -> Option<Traffic> {
        self.0.memory_traffic(n)
    }

    fn waits(&self) -> bool {
        self.0.waits()
    }

    fn prepare_kernel(&self, n: usize, kernel: &str) -> Result<Box<dyn Prepared + '_>, Failure> {
        let kernel = self.kernel_named(Some(kernel))?;
        self.check_n(n)?;
        let workload = &self.0;
        let input = caught(|| workload.prepare(n)).map_err(|payload| {
            refusal::from_panic(
                &*payload,
                &format!("preparing {} (n = {n})", workload.name()),
            )
        })?;
        Ready::boxed(workload, n, input, kernel)
    }

    fn prepare_from_text(
        &self,
        text: String,
        kernel: &str,
    ) -> Result<Box<dyn Prepared + '_>, Failure> {
        let kernel = self.kernel_named(Some(kernel))?;
        let (n, input) = self
            .0
            .input_from_text(text)
            .ok_or_else(|| Failure::Usage(format!("--input is not read by {}", self.name())))?;
        Ready::boxed(&self.0, n, input, kernel)
    }
}

struct Ready<'w, W: Workload> {
    workload: &'w W,
    n: usize,
    input: W::Input,
    reference: W::Output,
    kernel: &'static str,
}

impl<'w, W: Workload> Ready<'w, W> {
    fn boxed(
        workload: &'w W,
        n: usize,
        input: W::Input,
        kernel: &'static str,
    ) -> Result<Box<dyn Prepared + 'w>, Failure> {
        let reference = caught(|| workload.run_serial(&input)).map_err(|payload| {
            let context = format!("the serial reference of {} (n = {n})", workload.name());
            refusal::from_panic(&*payload, &context)
        })?;
        Ok(Box::new(Ready {
            workload,
            n,
            input,
            reference,
            kernel,
        }))
    }

    /// `mandelbrot (n = 4000)`, with the kernel when it is not the default.
    fn job(&self) -> String {
        if self.kernel == self.workload.kernels()[0] {
            format!("{} (n = {})", self.workload.name(), self.n)
        } else {
            format!(
                "{} (n = {}, {} kernel)",
                self.workload.name(),
                self.n,
                self.kernel
            )
        }
    }

    /// One run under `strategy`, a panic turned into a message naming both.
    fn run(&self, strategy: &AnyStrategy) -> Result<W::Output, Failure> {
        caught(|| self.workload.run_kernel(strategy, &self.input, self.kernel)).map_err(|payload| {
            let context = format!(
                "{} under {} with {}",
                self.job(),
                strategy.name(),
                plural(strategy.threads(), "thread")
            );
            refusal::from_panic(&*payload, &context)
        })
    }

    fn verify(&self, strategy: &AnyStrategy, output: &W::Output) -> Result<(), Failure> {
        self.workload
            .verify(&self.reference, output)
            .map_err(|mismatch| {
                Failure::WrongResult(format!(
                    "verification failed: {} under {} with {}: {mismatch}",
                    self.job(),
                    strategy.name(),
                    plural(strategy.threads(), "thread")
                ))
            })
    }
}

impl<W: Workload> Prepared for Ready<'_, W> {
    fn workload(&self) -> &str {
        self.workload.name()
    }

    fn n(&self) -> usize {
        self.n
    }

    fn kernel(&self) -> &str {
        self.kernel
    }

    fn sample(&self, strategy: &AnyStrategy, runs: usize) -> Result<Duration, Failure> {
        timed_batch(
            runs,
            &mut || self.run(strategy),
            &mut |output| match output {
                Err(failure) => Err(failure.clone()),
                Ok(output) => self.verify(strategy, output),
            },
        )
    }

    fn run_once(&self, strategy: &AnyStrategy) -> Result<(String, Vec<u8>), Failure> {
        let output = self.run(strategy)?;
        self.verify(strategy, &output)?;
        Ok((
            self.workload.describe(&output),
            self.workload.output_bytes(&output),
        ))
    }
}

/// Runs `f`, catching a panic's payload.
fn caught<T>(f: impl FnOnce() -> T) -> Result<T, Box<dyn Any + Send>> {
    panic::catch_unwind(AssertUnwindSafe(f))
}
