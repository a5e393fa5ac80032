//! Word count across ranks: each rank counts its block of segments with its
//! local strategy and sends its words and counts; rank 0 merges them in rank
//! order and sorts the result as the workload does.

use std::collections::BTreeMap;
use std::ops::Range;

use ps_strategy::Strategy;
use ps_workload::Workload;
use ps_workloads::word_count::{Text, WordCount, WordCounts};

use crate::{Distributed, Team};

impl Distributed for WordCount {
    /// This rank's segments, joined into a text of its own.
    type Share = Text;
    /// This rank's counts, most frequent first.
    type Part = WordCounts;

    /// The segments (cut at line breaks, never inside a word).
    fn elements(&self, text: &Text) -> usize {
        text.segments().len()
    }

    fn share(&self, text: &Text, block: Range<usize>) -> Text {
        Text::new(
            text.segments()
                .skip(block.start)
                .take(block.len())
                .collect(),
        )
    }

    fn run_share<S: Strategy>(&self, strategy: &S, share: &Text, _: &dyn Team) -> WordCounts {
        self.run(strategy, share)
    }

    fn combine(&self, _: &Text, mut parts: Vec<WordCounts>) -> WordCounts {
        if parts.len() == 1 {
            // One rank's counts are already merged and in the workload's
            // order: merging them again would only cost a job of one rank
            // what the same strategy without MPI does not pay.
            return parts.pop().expect("one part");
        }
        let mut merged: BTreeMap<String, u64> = BTreeMap::new();
        for part in parts {
            for (word, count) in part {
                *merged.entry(word).or_default() += count;
            }
        }
        let mut words: WordCounts = merged.into_iter().collect();
        // The workload's order: most frequent first, ties alphabetical (the
        // map already sorted them alphabetically, and the sort is stable).
        words.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Solo;
    use ps_serial::Serial;

    #[test]
    fn merged_blocks_are_the_serial_counts() {
        let text = Text::with_segment_bytes(ps_workloads::word_count::generate(5000, 3), 200);
        let segments = WordCount.elements(&text);
        let cut = segments / 3;
        let parts = [0..cut, cut..cut, cut..segments]
            .into_iter()
            .map(|block| {
                WordCount.run_share(&Serial, &WordCount.share(&text, block), &Solo::default())
            })
            .collect();
        assert_eq!(WordCount.combine(&text, parts), WordCount.run_serial(&text));
    }
}
