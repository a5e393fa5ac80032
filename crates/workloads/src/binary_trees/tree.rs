//! The two ways a tree's nodes are allocated: one heap allocation per node
//! from the global allocator, or bump allocation from an arena that a task
//! owns and resets between trees.
//!
//! Both build the same shape in the same order — children before their
//! parent — and check it the same way, so the only difference measured
//! between them is where the memory comes from and how it is given back.

use bumpalo::Bump;

/// A node whose children are each a heap allocation of their own: building
/// a tree of depth `d` calls the global allocator `2^(d+1) - 1` times and
/// dropping it frees as many.
#[derive(Debug)]
pub(crate) struct HeapNode {
    children: Option<(Box<HeapNode>, Box<HeapNode>)>,
}

impl HeapNode {
    /// A perfect tree of `depth` levels below the root, every node boxed.
    #[expect(
        clippy::unnecessary_box_returns,
        reason = "the root is one allocation like every other node, as the benchmark asks"
    )]
    pub(crate) fn build(depth: usize) -> Box<HeapNode> {
        let children = (depth > 0).then(|| (Self::build(depth - 1), Self::build(depth - 1)));
        Box::new(HeapNode { children })
    }

    /// The number of nodes, by walking every one: the benchmark's check.
    pub(crate) fn check(&self) -> u64 {
        1 + self
            .children
            .as_ref()
            .map_or(0, |(left, right)| left.check() + right.check())
    }
}

/// A node that lives in an arena: building takes a pointer bump per node,
/// and the whole tree is given back at once when the arena is reset.
#[derive(Debug)]
pub(crate) struct ArenaNode<'a> {
    children: Option<(&'a ArenaNode<'a>, &'a ArenaNode<'a>)>,
}

impl<'a> ArenaNode<'a> {
    /// A perfect tree of `depth` levels below the root, in `arena`.
    pub(crate) fn build(arena: &'a Bump, depth: usize) -> &'a ArenaNode<'a> {
        let children = (depth > 0).then(|| {
            (
                Self::build(arena, depth - 1),
                Self::build(arena, depth - 1),
            )
        });
        arena.alloc(ArenaNode { children })
    }

    /// The number of nodes, by walking every one.
    pub(crate) fn check(&self) -> u64 {
        1 + self
            .children
            .map_or(0, |(left, right)| left.check() + right.check())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_hold_every_node_of_a_perfect_tree() {
        let arena = Bump::new();
        for depth in 0..12 {
            let nodes = (1_u64 << (depth + 1)) - 1;
            assert_eq!(HeapNode::build(depth).check(), nodes);
            assert_eq!(ArenaNode::build(&arena, depth).check(), nodes);
        }
    }

    #[test]
    fn a_reset_arena_is_reused_for_the_next_tree() {
        let mut arena = Bump::new();
        // Resetting keeps only the arena's largest chunk, so the second
        // tree may still add one; from then on a tree of the same depth
        // fits in what the arena holds and takes no more memory.
        for _ in 0..2 {
            let _ = ArenaNode::build(&arena, 10).check();
            arena.reset();
        }
        let settled = arena.allocated_bytes();
        for _ in 0..5 {
            assert_eq!(ArenaNode::build(&arena, 10).check(), 2047);
            arena.reset();
            assert!(arena.allocated_bytes() <= settled, "{} > {settled}", arena.allocated_bytes());
        }
    }
}
