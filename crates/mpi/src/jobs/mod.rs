//! The project's workloads as [`Distributed`] jobs, and how to walk them.
//!
//! | workload | each rank sends | rank 0 combines |
//! |---|---|---|
//! | squares | its block of squares | concatenation (a gather) |
//! | sum-of-squares, primes, latency | one `u64` | a sum in rank order (a reduce) |
//! | mandelbrot | its rows of the PBM | header + rows in order |
//! | spectral-norm | its rows of each of the 40 products, to *every* rank | nothing: every rank holds the norm |
//! | word-count | its words and counts | a merge in rank order, then the sort |
//! | fannkuch-redux | its block's checksum and most flips | a sum and a max |

mod elementwise;
mod fannkuch;
mod fault;
mod mandelbrot;
mod spectral_norm;
mod word_count;

pub use fault::{FAULT_MESSAGE, Fault};
pub use mandelbrot::OnlyRows;

use crate::Distributed;

/// Something that does one thing with each of a list of distributed jobs,
/// each at its own concrete type; the [`Distributed`] twin of
/// [`ps_workload::WorkloadVisitor`].
pub trait DistributedVisitor {
    /// Called once per job.
    fn visit<W: Distributed + 'static>(&mut self, workload: W);
}

/// Calls `visitor` with every built-in workload that runs across ranks, in
/// the order the harness lists them.
///
/// ```
/// use ps_mpi::{Distributed, DistributedVisitor};
///
/// struct Names(Vec<String>);
/// impl DistributedVisitor for Names {
///     fn visit<W: Distributed + 'static>(&mut self, workload: W) {
///         self.0.push(workload.name().to_owned());
///     }
/// }
/// let mut names = Names(Vec::new());
/// ps_mpi::visit_all(&mut names);
/// assert_eq!(names.0.len(), 8);
/// ```
pub fn visit_all(visitor: &mut impl DistributedVisitor) {
    use ps_workloads::{
        fannkuch_redux::FannkuchRedux, latency::Latency, mandelbrot::Mandelbrot, primes::Primes,
        spectral_norm::SpectralNorm, squares::Squares, sum_of_squares::SumOfSquares,
        word_count::WordCount,
    };
    visitor.visit(Squares);
    visitor.visit(SumOfSquares);
    visitor.visit(Primes);
    visitor.visit(Mandelbrot);
    visitor.visit(SpectralNorm);
    visitor.visit(WordCount);
    visitor.visit(Latency);
    visitor.visit(FannkuchRedux);
}
