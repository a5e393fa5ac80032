//! The reorder buffer's own tests.

use super::Reorder;

#[test]
fn reorder_releases_batches_in_sequence() {
    let mut reorder = Reorder::new();
    reorder.insert(2, 'c');
    assert_eq!(reorder.pop_ready(), None);
    reorder.insert(0, 'a');
    assert_eq!(reorder.pop_ready(), Some('a'));
    assert_eq!(reorder.pop_ready(), None);
    reorder.insert(1, 'b');
    assert_eq!(reorder.pop_ready(), Some('b'));
    assert_eq!(reorder.pop_ready(), Some('c'));
    assert_eq!(reorder.pop_ready(), None);
    assert!(reorder.waiting.is_empty());
}

#[test]
#[should_panic(expected = "batch 0 handed on twice")]
fn a_batch_handed_on_twice_is_a_bug() {
    let mut reorder = Reorder::new();
    reorder.insert(0, ());
    reorder.pop_ready();
    reorder.insert(0, ());
}
