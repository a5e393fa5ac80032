use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::{Config, Strategy};
use ps_workloads::Workload;
use ps_workloads::mandelbrot::Mandelbrot;

use super::*;

/// Every outermost call's tasks are its indices, each exactly once, in
/// order; nested calls are filed one level deeper.
fn assert_each_task_once(calls: &[CallTrace]) {
    for call in calls {
        let indices: Vec<usize> = call.tasks.iter().map(|task| task.index).collect();
        assert_eq!(indices, (0..call.tasks.len()).collect::<Vec<_>>());
        for task in &call.tasks {
            assert!(call.start <= task.start && task.start <= task.end && task.end <= call.end);
        }
    }
}

#[test]
fn traced_and_untraced_runs_agree_and_every_task_appears_once() {
    let workload = Mandelbrot;
    let input = workload.prepare(200);
    for kind in StrategyKind::ALL {
        let config = Config::new(3, workload.grain(200)).unwrap();
        let plain = AnyStrategy::build(kind, config).unwrap();
        let traced = Traced::new(AnyStrategy::build(kind, config).unwrap());
        assert_eq!(
            workload.run(&traced, &input),
            workload.run(&plain, &input),
            "{kind}"
        );
        let calls = traced.log().take();
        assert!(!calls.is_empty(), "{kind}: nothing recorded");
        assert_each_task_once(&calls);
        let timeline = Timeline::from_calls(&calls);
        let expected: usize = calls.iter().map(|call| call.tasks.len()).sum();
        assert_eq!(timeline.tasks(), expected, "{kind}");
        assert!(
            timeline.lanes.len() <= 3 + 1,
            "{kind}: {} lanes",
            timeline.lanes.len()
        );
        assert!(timeline.imbalance() >= 1.0);
    }
}

#[test]
fn index_ranges_count_blocks_and_changes_of_thread() {
    let traced = Traced::new(ps_threads::StaticBlocks::new(2).unwrap());
    let _ = traced.map(&vec![1_u32; 100], |x| x + 1);
    let timeline = Timeline::from_calls(&traced.log().take());
    let ranges: Vec<usize> = timeline.lanes.iter().map(|lane| lane.ranges).collect();
    assert_eq!(ranges, [1, 1], "one block each");

    let traced = Traced::new(ps_serial::Serial);
    let _ = traced.map(&vec![1_u32; 100], |x| x + 1);
    let _ = traced.map(&vec![1_u32; 100], |x| x + 1);
    let timeline = Timeline::from_calls(&traced.log().take());
    assert_eq!(timeline.lanes.len(), 1);
    assert_eq!(timeline.lanes[0].ranges, 2, "one range per call");
}

#[test]
fn recording_off_files_nothing_and_nested_calls_are_one_level_deeper() {
    let traced = Traced::new(ps_threads::Dynamic::new(2, 1).unwrap());
    traced.log().set_recording(false);
    assert_eq!(traced.map(&[1, 2, 3], |x| x * 2), [2, 4, 6]);
    assert!(traced.log().take().is_empty());

    traced.log().set_recording(true);
    let sums = traced.map(&[10_u64, 20], |&n| {
        traced.map_reduce(&vec![1_u64; n as usize], || 0, |a, x| a + x, |a, b| a + b)
    });
    assert_eq!(sums, [10, 20]);
    let calls = traced.log().take();
    assert_each_task_once(&calls);
    let depths: Vec<usize> = calls.iter().map(|call| call.depth).collect();
    assert_eq!(depths.iter().filter(|&&d| d == 0).count(), 1, "{depths:?}");
    assert_eq!(depths.iter().filter(|&&d| d == 1).count(), 2, "{depths:?}");
    let timeline = Timeline::from_calls(&calls);
    assert_eq!(timeline.tasks(), 2, "only the outer call is laid out");
}

#[test]
fn a_panicking_task_reaches_the_caller_and_leaves_the_depth_as_it_was() {
    let traced = Traced::new(ps_serial::Serial);
    let outcome = std::panic::catch_unwind(|| traced.map(&[1, 2, 3], |&x| assert!(x != 2, "two")));
    let payload = outcome.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"two"));
    let _ = traced.map(&[1], |x| x + 1);
    let calls = traced.log().take();
    assert_eq!(calls.last().map(|call| call.depth), Some(0));
}

#[test]
fn the_svg_has_one_bar_per_task_and_one_lane_label_per_thread() {
    let traced = Traced::new(ps_threads::StaticBlocks::new(2).unwrap());
    let _ = traced.map(&vec![1_u32; 100], |x| x + 1);
    let timeline = Timeline::from_calls(&traced.log().take());
    let svg = timelines_svg("t <&>", &[("threads-static".to_owned(), timeline.clone())]);
    assert_eq!(svg.matches("<title>call 0, task").count(), timeline.tasks());
    for lane in &timeline.lanes {
        assert!(svg.contains(&format!(">{}</text>", lane.label)));
    }
    assert!(svg.contains("t &lt;&amp;&gt;"));
}
