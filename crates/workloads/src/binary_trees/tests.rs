use ps_workload::{Tolerance, Verify, Workload};

use super::*;

/// The Benchmarks Game's published output for `n = 10`.
const PUBLISHED_10: &str = "stretch tree of depth 11\t check: 4095
1024\t trees of depth 4\t check: 31744
256\t trees of depth 6\t check: 32512
64\t trees of depth 8\t check: 32704
16\t trees of depth 10\t check: 32752
long lived tree of depth 10\t check: 2047
";

#[test]
fn n_10_gives_the_published_output() {
    assert_eq!(binary_trees_serial(10).output(), PUBLISHED_10);
    let plan = Plan::new(10);
    for allocation in [Allocation::Heap, Allocation::Arena] {
        let checks = binary_trees(&ps_serial::Serial, &plan, allocation);
        assert_eq!(checks.output(), PUBLISHED_10, "{allocation:?}");
    }
}

#[test]
fn sizes_below_six_run_at_depth_six() {
    for n in 1..=6 {
        assert_eq!(binary_trees_serial(n), binary_trees_serial(6), "n = {n}");
    }
}

#[test]
fn every_batch_is_about_the_same_work() {
    let plan = Plan::new(12);
    let work: Vec<u64> = plan
        .batches
        .iter()
        .map(|batch| batch.trees * nodes(batch.depth))
        .collect();
    let (least, most) = (work.iter().min().unwrap(), work.iter().max().unwrap());
    // 2^(max - d) trees of 2^(d + 1) - 1 nodes: short of 2^(max + 1) by
    // one node a tree, so within 1/32 of each other from depth 4 on.
    assert!(least * 32 >= most * 31, "{least} against {most}");
    let trees: u64 = plan.batches.iter().map(|batch| batch.trees).sum();
    let expected: u64 = plan.depths().iter().map(|&d| iterations(12, d)).sum();
    assert_eq!(trees, expected);
}

#[test]
fn a_mismatch_names_the_first_line_that_differs() {
    let expected = binary_trees_serial(6);
    let mut wrong = expected.clone();
    wrong.depths[1].check += 1;
    let mismatch = wrong.verify(&expected, Tolerance::Exact).unwrap_err();
    assert_eq!(mismatch.index, Some(2));
}

#[test]
fn sizes_outside_the_range_are_refused_in_one_line() {
    let trees = BinaryTrees::default();
    for n in [0, MAX_N + 1] {
        assert_eq!(
            trees.check_n(n).unwrap_err(),
            format!("binary-trees needs n from 1 to {MAX_N}, got {n}")
        );
    }
    // The largest accepted size needs more memory than any machine has, so
    // the harness refuses it from `bytes_for` before building anything.
    assert!(trees.bytes_for(MAX_N).unwrap() > 1 << 50);
}
