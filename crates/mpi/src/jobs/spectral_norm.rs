//! Spectral norm across ranks: every one of the 40 products is cut by rows,
//! and each needs the whole vector the previous one wrote, so each ends in
//! an all-gather.
//!
//! The rounds and the row kernel are the workload's own
//! ([`power_method`], [`row`]): only the product is distributed, so every
//! split of the rows sums each row exactly as the serial reference does.

use std::ops::Range;

use ps_strategy::Strategy;
use ps_workloads::spectral_norm::{SpectralNorm, power_method, row};

use crate::{Distributed, Team};

impl Distributed for SpectralNorm {
    /// The matrix side and this rank's rows of every product.
    type Share = (usize, Range<usize>);
    /// The norm, which every rank computes from the same full vectors.
    type Part = f64;

    fn elements(&self, &n: &usize) -> usize {
        n
    }

    fn share(&self, &n: &usize, rows: Range<usize>) -> (usize, Range<usize>) {
        (n, rows)
    }

    // ANCHOR: phases
    fn run_share<S: Strategy>(
        &self,
        strategy: &S,
        (n, rows): &(usize, Range<usize>),
        team: &dyn Team,
    ) -> f64 {
        let mut mine = vec![0.0; rows.len()];
        // One phase: this rank's rows under its local strategy, then every
        // rank's rows to every rank, so the next phase can read them all.
        power_method(*n, |output, input, transposed| {
            strategy.for_each_chunk_mut(&mut mine, |first, chunk| {
                for (i, out) in (rows.start + first..).zip(chunk) {
                    *out = row(i, input, transposed);
                }
            });
            let bytes: Vec<u8> = mine.iter().flat_map(|x| x.to_le_bytes()).collect();
            let gathered = team.all_gather(&bytes).concat();
            assert_eq!(
                gathered.len(),
                output.len() * 8,
                "the ranks' rows cover the vector"
            );
            for (out, raw) in output.iter_mut().zip(gathered.chunks_exact(8)) {
                *out = f64::from_le_bytes(raw.try_into().expect("chunks of 8 bytes"));
            }
        })
    }
    // ANCHOR_END: phases

    /// Every rank finished with the same vectors, so every norm has the
    /// same bits; a difference is a bug in the exchange.
    fn combine(&self, _: &usize, parts: Vec<f64>) -> f64 {
        let first = parts[0];
        for (rank, norm) in parts.iter().enumerate() {
            assert!(
                norm.to_bits() == first.to_bits(),
                "rank {rank} computed {norm}, rank 0 {first}"
            );
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Solo;
    use ps_threads::Dynamic;
    use ps_workload::Workload;

    #[test]
    fn one_rank_gives_the_serial_bits() {
        for n in [1, 2, 5, 100, 257] {
            let share = (n, 0..n);
            let norm =
                SpectralNorm.run_share(&Dynamic::new(2, 3).unwrap(), &share, &Solo::default());
            assert_eq!(
                norm.to_bits(),
                SpectralNorm.run_serial(&n).to_bits(),
                "n = {n}"
            );
        }
        assert_eq!(
            SpectralNorm.describe(&SpectralNorm.run_share(
                &ps_serial::Serial,
                &(100, 0..100),
                &Solo::default()
            )),
            "1.274219991"
        );
    }

    #[test]
    #[should_panic(expected = "rank 1 computed")]
    fn ranks_that_disagree_are_a_bug() {
        let _ = SpectralNorm.combine(&4, vec![1.0, 1.5]);
    }
}
