//! The `abstraction` group's baselines: each strategy written by hand, with
//! no [`Strategy`](ps_strategy::Strategy) trait in the way.
//!
//! Every function here does what the trait version does — the same kernel,
//! the same chunk boundaries, the same allocation — in the way a careful
//! person would write it directly against `std::thread` or rayon. The
//! benchmark then shows what the trait's provided methods add (the goal: at
//! most 3%), and the tests below prove that both compute the same thing.
//!
//! The serial baselines are not here: they are the workloads crate's own
//! `squares_serial` and `primes_serial`.

use std::mem::MaybeUninit;
use std::thread;

use ps_workloads::primes::is_prime;
use rayon::ThreadPool;
use rayon::prelude::*;

/// The squares kernel, as in `ps_workloads::squares`.
#[inline]
fn square(x: u64) -> u64 {
    x.wrapping_mul(x)
}

/// The primes fold, as in `ps_workloads::primes`.
#[inline]
fn count_primes(numbers: &[u64]) -> u64 {
    numbers
        .iter()
        .fold(0, |count, &x| count + u64::from(is_prime(x)))
}

/// The block length of a static schedule, as `StaticBlocks` cuts it: the
/// length split evenly over the threads, rounded up (at least 1).
fn block_len(len: usize, threads: usize) -> usize {
    len.div_ceil(threads.max(1)).max(1)
}

/// Squares with rayon: `par_iter().map().collect()` inside `pool`, never
/// split below `grain` elements (`with_min_len`), the grain `RayonPool`
/// cuts its chunks at.
///
/// ```
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
/// assert_eq!(benches::hand::rayon_squares(&pool, &[1, 2, 3], 2), [1, 4, 9]);
/// # Ok::<(), rayon::ThreadPoolBuildError>(())
/// ```
#[must_use]
pub fn rayon_squares(pool: &ThreadPool, input: &[u64], grain: usize) -> Vec<u64> {
    pool.install(|| {
        input
            .par_iter()
            .with_min_len(grain.max(1))
            .map(|&x| square(x))
            .collect()
    })
}

/// Counts primes with rayon inside `pool`: one fold per `grain`-sized chunk
/// (`par_chunks`, the same boundaries as `RayonPool`), then a sum.
#[must_use]
pub fn rayon_primes(pool: &ThreadPool, input: &[u64], grain: usize) -> u64 {
    pool.install(|| input.par_chunks(grain.max(1)).map(count_primes).sum())
}

/// Squares on scoped threads: one contiguous block per thread, each thread
/// writing its block of the output in place (`chunks_mut` of the output's
/// spare capacity). Like `StaticBlocks`, the calling thread runs the first
/// block itself, and every other thread is joined — ended, not merely done
/// with its closure — before the call returns, as in [`scoped_primes`].
///
/// The join matters to the comparison: `thread::scope` on its own returns as
/// soon as each closure has returned, while the thread is still exiting;
/// joining waits for the exit as well, some microseconds per thread. A
/// baseline that skipped it would measure a promise `StaticBlocks` keeps
/// (no thread outlives the call) as a cost of the trait.
///
/// ```
/// assert_eq!(benches::hand::scoped_squares(3, &[1, 2, 3, 4]), [1, 4, 9, 16]);
/// ```
#[must_use]
pub fn scoped_squares(threads: usize, input: &[u64]) -> Vec<u64> {
    let len = input.len();
    let block = block_len(len, threads);
    let mut output = Vec::with_capacity(len);
    // The same allocation as `Strategy::map`: uninitialised capacity, written
    // once per slot (a `vec![0; len]` would add a memset or a calloc).
    let slots = &mut output.spare_capacity_mut()[..len];
    thread::scope(|scope| {
        let mut blocks = input.chunks(block).zip(slots.chunks_mut(block));
        let first = blocks.next();
        let others: Vec<_> = blocks
            .map(|(numbers, out)| scope.spawn(move || square_into(numbers, out)))
            .collect();
        if let Some((numbers, out)) = first {
            square_into(numbers, out);
        }
        for handle in others {
            handle
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
        }
    });
    // SAFETY: `input.chunks(block)` and `slots.chunks_mut(block)` cut the
    // same length at the same points, so the blocks cover `0..len`, and
    // `square_into` writes every slot of its block. Every spawned thread was
    // joined above (a panic in one is re-raised before we get here).
    unsafe { output.set_len(len) };
    output
}

fn square_into(input: &[u64], output: &mut [MaybeUninit<u64>]) {
    for (slot, &x) in output.iter_mut().zip(input) {
        slot.write(square(x));
    }
}

/// Counts primes on scoped threads: one contiguous block per thread, the
/// calling thread running the first, the counts summed in block order.
///
/// ```
/// assert_eq!(benches::hand::scoped_primes(2, &(0..100).collect::<Vec<_>>()), 25);
/// ```
#[must_use]
pub fn scoped_primes(threads: usize, input: &[u64]) -> u64 {
    let block = block_len(input.len(), threads);
    thread::scope(|scope| {
        let mut blocks = input.chunks(block);
        let first = blocks.next();
        let others: Vec<_> = blocks
            .map(|numbers| scope.spawn(move || count_primes(numbers)))
            .collect();
        let mut total = first.map_or(0, count_primes);
        for handle in others {
            total += handle
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
        }
        total
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use ps_rayon::RayonPool;
    use ps_serial::Serial;
    use ps_threads::StaticBlocks;
    use ps_workloads::{primes, squares};

    const LENGTHS: [usize; 8] = [0, 1, 2, 3, 7, 1000, 4097, 100_003];

    fn pool(threads: usize) -> ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    #[test]
    fn hand_written_squares_match_the_trait() {
        for threads in [1, 2, 3, 4] {
            let hand_pool = pool(threads);
            for len in LENGTHS {
                let input = squares::input(len);
                let expected = squares::squares_serial(&input);
                for grain in [1, 16, 4096] {
                    let rayon = RayonPool::new(threads, grain).unwrap();
                    assert_eq!(rayon_squares(&hand_pool, &input, grain), expected);
                    assert_eq!(squares::squares(&rayon, &input), expected);
                }
                let blocks = StaticBlocks::new(threads).unwrap();
                assert_eq!(scoped_squares(threads, &input), expected);
                assert_eq!(squares::squares(&blocks, &input), expected);
                assert_eq!(squares::squares(&Serial, &input), expected);
            }
        }
    }

    #[test]
    fn hand_written_prime_counts_match_the_trait() {
        for threads in [1, 2, 3, 4] {
            let hand_pool = pool(threads);
            for len in LENGTHS {
                let input = primes::input(len);
                let expected = primes::primes_serial(&input);
                for grain in [1, 16, 4096] {
                    let rayon = RayonPool::new(threads, grain).unwrap();
                    assert_eq!(rayon_primes(&hand_pool, &input, grain), expected);
                    assert_eq!(primes::primes(&rayon, &input), expected);
                }
                let blocks = StaticBlocks::new(threads).unwrap();
                assert_eq!(scoped_primes(threads, &input), expected);
                assert_eq!(primes::primes(&blocks, &input), expected);
                assert_eq!(primes::primes(&Serial, &input), expected);
            }
        }
    }

    #[test]
    fn blocks_are_cut_like_static_blocks() {
        use ps_strategy::Strategy;
        for threads in 1..=5 {
            for len in LENGTHS {
                let chunks = StaticBlocks::new(threads).unwrap().chunks(len);
                assert_eq!(
                    block_len(len, threads),
                    chunks.chunk_len(),
                    "{len} on {threads}"
                );
            }
        }
    }
}
