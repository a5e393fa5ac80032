//! Binary trees: the Computer Language Benchmarks Game's `binary-trees`.
//!
//! The definition, for a size `n`: the depths run from [`MIN_DEPTH`] to
//! `max = max(MIN_DEPTH + 2, n)`. First a *stretch* tree of depth `max + 1`
//! is built, checked and thrown away; then a *long-lived* tree of depth
//! `max` is built and kept; then, for every depth `d` from `MIN_DEPTH` to
//! `max` in steps of two, `2^(max - d + MIN_DEPTH)` trees of depth `d` are
//! built, checked and thrown away; last the long-lived tree is checked. A
//! tree is perfect and binary, every node allocated on its own, and its
//! *check* counts its nodes by walking them. The output for `n = 10`
//! begins with the line `stretch tree of depth 11\t check: 4095` (`\t` a
//! tab), then one line per depth from `1024\t trees of depth 4\t check:
//! 31744`, and ends with `long lived tree of depth 10\t check: 2047`.
//!
//! # What it teaches: the allocator is shared state
//!
//! Almost all the time goes into allocating and freeing nodes, so the job
//! measures the memory allocator more than the processor, and an allocator
//! is state that every thread shares. The workload has two kernels that
//! build the same trees: `system` gives every node its own allocation from
//! the program's global allocator (the system's, unless the program sets
//! another — see [`BinaryTrees::with_global_allocator`]); `arena` gives each
//! task a [`bumpalo`] arena of its own, resets it between trees, and so
//! allocates by bumping a pointer and frees a whole tree at once, sharing
//! nothing with other threads.
//!
//! # How the work is cut
//!
//! Every depth does about the same work: `2^(max - d + MIN_DEPTH)` trees of
//! `2^(d+1) - 1` nodes is close to `2^(max + MIN_DEPTH + 1)` nodes whatever
//! `d` is. So each depth is cut into [`SLICES`] batches of equal work — the
//! trees of depth `max` are the fewest, `2^MIN_DEPTH`, one per batch — and
//! the batches of every depth are the elements a strategy cuts, in one
//! parallel call. The stretch tree and the long-lived tree are built
//! serially around that call, as the benchmark orders them.

mod output;
mod tree;
mod workload;

use bumpalo::Bump;
use ps_strategy::{Chunks, Strategy};
pub use output::{Checks, DepthCheck};
pub use workload::BinaryTrees;

use tree::{ArenaNode, HeapNode};

/// The depth of the shallowest trees.
pub const MIN_DEPTH: usize = 4;

/// The largest `n` accepted, so that every count fits a `u64`; the memory a
/// size needs (`bytes_for`) refuses far smaller ones first.
pub const MAX_N: usize = 48;

/// Batches per depth: the number of trees of the deepest depth,
/// `2^MIN_DEPTH`, so that every batch holds at least one tree.
pub const SLICES: u64 = 1 << MIN_DEPTH;

/// About the bytes one node takes from a general-purpose allocator: the
/// node's two pointers and the allocator's own bookkeeping.
const NODE_BYTES: u128 = 32;

/// The depth of the long-lived tree for size `n`.
///
/// ```
/// use ps_workloads::binary_trees::max_depth;
///
/// assert_eq!(max_depth(1), 6);
/// assert_eq!(max_depth(21), 21);
/// ```
#[must_use]
pub fn max_depth(n: usize) -> usize {
    n.max(MIN_DEPTH + 2)
}

/// Where the nodes of a tree come from.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workloads::binary_trees::{Allocation, Plan, binary_trees};
///
/// let plan = Plan::new(6);
/// let heap = binary_trees(&Serial, &plan, Allocation::Heap);
/// assert_eq!(heap, binary_trees(&Serial, &plan, Allocation::Arena));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allocation {
    /// One allocation per node from the program's global allocator.
    Heap,
    /// A bump arena per task, reset between trees.
    Arena,
}

/// A run of trees of one depth: one element of the parallel call.
///
/// ```
/// use ps_workloads::binary_trees::{Batch, Plan};
///
/// // n = 6: the deepest trees are 16, one per batch, on the output's third line.
/// let last = *Plan::new(6).batches.last().unwrap();
/// assert_eq!(last, Batch { row: 1, depth: 6, trees: 1 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// Which depth of the output this batch adds to, from 0.
    pub row: usize,
    /// The depth of each tree.
    pub depth: usize,
    /// How many trees to build and check.
    pub trees: u64,
}

/// What a run of size `n` builds: the deepest depth and the batches.
///
/// ```
/// use ps_workloads::binary_trees::{Plan, SLICES};
///
/// let plan = Plan::new(10);
/// assert_eq!(plan.depths(), [4, 6, 8, 10]);
/// assert_eq!(plan.batches.len() as u64, 4 * SLICES);
/// // Depth 4 has 2^(10 - 4 + 4) trees in all, cut into SLICES batches.
/// assert_eq!(plan.batches[0].trees * SLICES, 1024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The depth of the long-lived tree.
    pub max_depth: usize,
    /// Every depth's trees, in [`SLICES`] batches of equal work.
    pub batches: Vec<Batch>,
}

impl Plan {
    /// The plan for size `n`.
    ///
    /// # Panics
    ///
    /// If `n` is larger than [`MAX_N`].
    #[must_use]
    pub fn new(n: usize) -> Plan {
        assert!(n <= MAX_N, "binary-trees accepts n up to {MAX_N}, got {n}");
        let max_depth = max_depth(n);
        let batches = depths(max_depth)
            .enumerate()
            .flat_map(|(row, depth)| {
                let trees = iterations(max_depth, depth) / SLICES;
                (0..SLICES).map(move |_| Batch { row, depth, trees })
            })
            .collect();
        Plan { max_depth, batches }
    }

    /// The depths of the output's middle lines.
    #[must_use]
    pub fn depths(&self) -> Vec<usize> {
        depths(self.max_depth).collect()
    }
}

fn depths(max_depth: usize) -> impl Iterator<Item = usize> {
    (MIN_DEPTH..=max_depth).step_by(2)
}

/// How many trees of `depth` the benchmark builds below `max_depth`.
fn iterations(max_depth: usize, depth: usize) -> u64 {
    1 << (max_depth - depth + MIN_DEPTH)
}

/// Nodes in a perfect tree of `depth`.
fn nodes(depth: usize) -> u64 {
    (1 << (depth + 1)) - 1
}

/// Binary trees as planned, every depth's batches cut by `strategy`, each
/// node allocated as `allocation` says.
///
/// ```
/// use ps_threads::Dynamic;
/// use ps_workloads::binary_trees::{Allocation, Plan, binary_trees, binary_trees_serial};
///
/// let plan = Plan::new(8);
/// let checks = binary_trees(&Dynamic::new(2, 1)?, &plan, Allocation::Arena);
/// assert_eq!(checks, binary_trees_serial(8));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[must_use]
pub fn binary_trees<S: Strategy>(strategy: &S, plan: &Plan, allocation: Allocation) -> Checks {
    let max_depth = plan.max_depth;
    let stretch = check_one(max_depth + 1, allocation);
    let rows = plan.depths().len();
    let (sums, long_lived) = with_long_lived(max_depth, allocation, || {
        batch_checks(strategy, &plan.batches, rows, allocation)
    });
    Checks {
        max_depth,
        stretch,
        depths: plan
            .depths()
            .into_iter()
            .zip(sums)
            .map(|(depth, check)| DepthCheck {
                iterations: iterations(max_depth, depth),
                depth,
                check,
            })
            .collect(),
        long_lived,
    }
}

/// The checks of `batches` only, summed per output line (`rows` of them),
/// the batches cut by `strategy`: one process's share when the batches are
/// split across processes, whose sums then add line by line.
///
/// ```
/// use ps_threads::Dynamic;
/// use ps_workloads::binary_trees::{Allocation, Plan, batch_checks, binary_trees_serial};
///
/// let plan = Plan::new(8);
/// let rows = plan.depths().len();
/// let strategy = Dynamic::new(2, 1)?;
/// let (first, rest) = plan.batches.split_at(10);
/// let mut sums = batch_checks(&strategy, first, rows, Allocation::Arena);
/// for (sum, part) in sums.iter_mut().zip(batch_checks(&strategy, rest, rows, Allocation::Heap)) {
///     *sum += part;
/// }
/// let expected: Vec<u64> = binary_trees_serial(8).depths.iter().map(|line| line.check).collect();
/// assert_eq!(sums, expected);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
///
/// # Panics
///
/// If a batch's `row` is not below `rows`.
#[must_use]
pub fn batch_checks<S: Strategy>(
    strategy: &S,
    batches: &[Batch],
    rows: usize,
    allocation: Allocation,
) -> Vec<u64> {
    let ranges = Chunks::new(batches.len(), strategy.chunks(batches.len()).chunk_len());
    strategy
        .run_tasks(ranges.count(), |index| {
            task(&batches[ranges.range(index)], rows, allocation)
        })
        .into_iter()
        .fold(vec![0; rows], |mut sums, partial| {
            for (sum, part) in sums.iter_mut().zip(partial) {
                *sum += part;
            }
            sums
        })
}

/// One task: builds and checks every tree of its batches, and returns the
/// checks summed per output line. With [`Allocation::Arena`] the task owns
/// one arena, reset after each tree, so its memory is reused while hot.
fn task(batches: &[Batch], rows: usize, allocation: Allocation) -> Vec<u64> {
    let mut sums = vec![0; rows];
    let mut arena = Bump::new();
    for batch in batches {
        for _ in 0..batch.trees {
            sums[batch.row] += match allocation {
                Allocation::Heap => HeapNode::build(batch.depth).check(),
                Allocation::Arena => {
                    let check = ArenaNode::build(&arena, batch.depth).check();
                    arena.reset();
                    check
                }
            };
        }
    }
    sums
}

/// Builds, checks and frees one tree.
fn check_one(depth: usize, allocation: Allocation) -> u64 {
    match allocation {
        Allocation::Heap => HeapNode::build(depth).check(),
        Allocation::Arena => ArenaNode::build(&Bump::new(), depth).check(),
    }
}

/// Builds the long-lived tree, runs `during` while it lives, then checks
/// it.
fn with_long_lived<R>(depth: usize, allocation: Allocation, during: impl FnOnce() -> R) -> (R, u64) {
    match allocation {
        Allocation::Heap => {
            let tree = HeapNode::build(depth);
            let result = during();
            (result, tree.check())
        }
        Allocation::Arena => {
            let arena = Bump::new();
            let tree = ArenaNode::build(&arena, depth);
            let result = during();
            (result, tree.check())
        }
    }
}

/// The serial reference: the benchmark's loops as written, every node from
/// the global allocator, no strategy.
///
/// ```
/// use ps_workloads::binary_trees::binary_trees_serial;
///
/// let checks = binary_trees_serial(10);
/// assert!(checks.output().starts_with("stretch tree of depth 11\t check: 4095\n"));
/// ```
///
/// # Panics
///
/// If `n` is larger than [`MAX_N`].
#[must_use]
pub fn binary_trees_serial(n: usize) -> Checks {
    assert!(n <= MAX_N, "binary-trees accepts n up to {MAX_N}, got {n}");
    let max_depth = max_depth(n);
    let stretch = HeapNode::build(max_depth + 1).check();
    let long_lived = HeapNode::build(max_depth);
    let depths = depths(max_depth)
        .map(|depth| {
            let iterations = iterations(max_depth, depth);
            let check = (0..iterations)
                .map(|_| HeapNode::build(depth).check())
                .sum();
            DepthCheck {
                iterations,
                depth,
                check,
            }
        })
        .collect();
    Checks {
        max_depth,
        stretch,
        depths,
        long_lived: long_lived.check(),
    }
}

#[cfg(test)]
mod tests;
