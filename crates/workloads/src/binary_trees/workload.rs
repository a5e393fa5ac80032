//! Binary trees as a [`Workload`]: its sizes, grain, memory and kernels.

use ps_strategy::Strategy;
use ps_workload::{Sizes, Workload};

use super::{
    Allocation, Checks, MAX_N, NODE_BYTES, Plan, binary_trees, binary_trees_serial, depths,
    iterations, max_depth, nodes,
};

/// The workload: binary trees of size `n`, with a kernel per allocation.
///
/// ```
/// use ps_serial::Serial;
/// use ps_workload::Workload;
/// use ps_workloads::binary_trees::BinaryTrees;
///
/// let trees = BinaryTrees::default();
/// assert_eq!(trees.kernels(), ["system", "arena"]);
/// let checks = trees.run_kernel(&Serial, &trees.prepare(10), "arena");
/// assert_eq!(trees.describe(&checks), "long lived tree of depth 10 check: 2047; 6 lines, fnv1a64 a20740abda92403b");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct BinaryTrees {
    /// The heap kernel's name (the global allocator's), then the arena's.
    kernels: [&'static str; 2],
}

impl Default for BinaryTrees {
    /// The heap kernel named `system`: a program's global allocator unless
    /// it sets another.
    fn default() -> Self {
        BinaryTrees::with_global_allocator("system")
    }
}

impl BinaryTrees {
    /// The workload in a program whose global allocator is `name`, which
    /// names the heap kernel in its reports (`mimalloc`).
    ///
    /// ```
    /// use ps_workload::Workload;
    /// use ps_workloads::binary_trees::BinaryTrees;
    ///
    /// let trees = BinaryTrees::with_global_allocator("mimalloc");
    /// assert_eq!(trees.kernels(), ["mimalloc", "arena"]);
    /// ```
    #[must_use]
    pub const fn with_global_allocator(name: &'static str) -> Self {
        BinaryTrees {
            kernels: [name, "arena"],
        }
    }

    fn allocation(&self, kernel: &str) -> Allocation {
        if kernel == self.kernels[1] {
            Allocation::Arena
        } else {
            Allocation::Heap
        }
    }
}

impl Workload for BinaryTrees {
    type Input = Plan;
    type Output = Checks;

    fn name(&self) -> &'static str {
        "binary-trees"
    }

    fn summary(&self) -> &'static str {
        "Benchmarks Game binary trees: millions of short-lived allocations, the allocator as shared state"
    }

    fn n_means(&self) -> &'static str {
        "the depth of the long-lived tree (at least 6)"
    }

    fn sizes(&self) -> Sizes {
        // 21 is the Benchmarks Game's size.
        Sizes {
            quick: 14,
            default: 16,
            large: 21,
        }
    }

    /// One batch: each is already `2^(max + 1)` nodes of work, and there
    /// are [`SLICES`](super::SLICES) per depth.
    fn grain(&self, _n: usize) -> usize {
        1
    }

    fn check_n(&self, n: usize) -> Result<(), String> {
        if n == 0 || n > MAX_N {
            return Err(format!(
                "{} needs n from 1 to {MAX_N}, got {n}",
                self.name()
            ));
        }
        // Whether the trees fit in memory is the harness's check, from
        // `bytes_for`, for every workload alike.
        Ok(())
    }

    fn nearest_valid_n(&self, n: usize) -> usize {
        n.clamp(1, MAX_N)
    }

    /// The larger of the stretch tree (freed before the rest start) and the
    /// long-lived tree beside one deepest tree per core.
    fn bytes_for(&self, n: usize) -> Option<u128> {
        // Any n is asked about, even past MAX_N, where the answer only has
        // to be too large: the counts saturate instead of overflowing.
        let nodes = |depth: usize| {
            u32::try_from(depth + 1)
                .ok()
                .and_then(|levels| 1_u128.checked_shl(levels))
                .map_or(u128::MAX, |count| count - 1)
        };
        let max_depth = max_depth(n);
        let threads = ps_strategy::available_threads() as u128;
        let at_once = nodes(max_depth).saturating_mul(1 + threads);
        Some(nodes(max_depth + 1).max(at_once).saturating_mul(NODE_BYTES))
    }

    /// The nodes built, all trees together.
    fn work_items(&self, n: usize) -> u64 {
        let max_depth = max_depth(n.min(MAX_N));
        depths(max_depth)
            .map(|depth| iterations(max_depth, depth) * nodes(depth))
            .sum::<u64>()
            + nodes(max_depth + 1)
            + nodes(max_depth)
    }

    fn prepare(&self, n: usize) -> Plan {
        Plan::new(n)
    }

    fn run<S: Strategy>(&self, strategy: &S, plan: &Plan) -> Checks {
        binary_trees(strategy, plan, Allocation::Heap)
    }

    fn kernels(&self) -> &[&'static str] {
        &self.kernels
    }

    fn run_kernel<S: Strategy>(&self, strategy: &S, plan: &Plan, kernel: &str) -> Checks {
        binary_trees(strategy, plan, self.allocation(kernel))
    }

    fn run_serial(&self, plan: &Plan) -> Checks {
        binary_trees_serial(plan.max_depth)
    }

    /// The last line, then the number of lines and a hash of them all: the
    /// whole output is what `--out` writes.
    fn describe(&self, checks: &Checks) -> String {
        let text = checks.output();
        let last = text.lines().last().unwrap_or_default().replace('\t', "");
        format!(
            "{last}; {}",
            crate::canonical::hashed(text.lines().count(), "lines", text.as_bytes())
        )
    }

    /// The Benchmarks Game's output.
    fn output_bytes(&self, checks: &Checks) -> Vec<u8> {
        checks.output().into_bytes()
    }
}
