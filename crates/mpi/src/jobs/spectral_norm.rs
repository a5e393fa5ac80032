//! Spectral norm across ranks: every one of the 40 products is cut by rows,
//! and each needs the whole vector the previous one wrote, so each ends in
//! an all-gather.
//!
//! The row kernel is private to `ps-workloads`, so the one below repeats it
//! operation for operation (the same four accumulators, the same order);
//! the tests check the distributed norm against the workload's serial one to
//! the bit, which would catch any drift between the two.

use std::ops::Range;

use ps_strategy::Strategy;
use ps_workloads::spectral_norm::{ROUNDS, SpectralNorm};

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
        let mut u = vec![1.0; *n];
        let mut v = vec![0.0; *n];
        let mut scratch = vec![0.0; *n];
        let mut mine = vec![0.0; rows.len()];
        // One phase: this rank's rows under its local strategy, then every
        // rank's rows to every rank, so the next phase can read them all.
        let mut product = |output: &mut Vec<f64>, input: &[f64], transposed: bool| {
            strategy.for_each_chunk_mut(&mut mine, |first, chunk| {
                for (i, out) in (rows.start + first..).zip(chunk) {
                    *out = row_dot(i, input, transposed);
                }
            });
            let bytes: Vec<u8> = mine.iter().flat_map(|x| x.to_le_bytes()).collect();
            output.clear();
            for message in team.all_gather(&bytes) {
                output.extend(
                    message
                        .chunks_exact(8)
                        .map(|raw| f64::from_le_bytes(raw.try_into().expect("chunks of 8 bytes"))),
                );
            }
        };
        for _ in 0..ROUNDS {
            product(&mut scratch, &u, false);
            product(&mut v, &scratch, true);
            product(&mut scratch, &v, false);
            product(&mut u, &scratch, true);
        }
        finish(&u, &v)
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

/// `Σⱼ A(i, j) x[j]`, or `Σⱼ A(j, i) x[j]` when `transposed`, summed exactly
/// as `ps-workloads` sums it.
#[inline]
fn row_dot(i: usize, x: &[f64], transposed: bool) -> f64 {
    let i = i as f64;
    let denominator = |j: f64| {
        let s = i + j;
        s * (s + 1.0) * 0.5 + if transposed { j } else { i } + 1.0
    };
    let mut sums = [0.0_f64; 4];
    let mut j = 0.0;
    let mut quads = x.chunks_exact(4);
    for quad in &mut quads {
        for (lane, (sum, &xj)) in sums.iter_mut().zip(quad).enumerate() {
            *sum += xj / denominator(j + lane as f64);
        }
        j += 4.0;
    }
    for &xj in quads.remainder() {
        sums[0] += xj / denominator(j);
        j += 1.0;
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3])
}

/// `√(uᵀv / vᵀv)`, summed serially in index order.
fn finish(u: &[f64], v: &[f64]) -> f64 {
    let (mut vbv, mut vv) = (0.0, 0.0);
    for (&ui, &vi) in u.iter().zip(v) {
        vbv += ui * vi;
        vv += vi * vi;
    }
    (vbv / vv).sqrt()
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
