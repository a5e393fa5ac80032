//! Mandelbrot across ranks: each rank renders its rows with the workload's
//! own code, through a strategy that only hands out those rows.

use std::ops::Range;

use ps_strategy::{Chunks, Strategy};
use ps_workloads::mandelbrot::{Mandelbrot, header, mandelbrot};

use crate::{Distributed, Team};

/// A strategy whose [`for_each_chunk_mut`](Strategy::for_each_chunk_mut)
/// visits only the elements in `rows`, scheduled by `inner`, with their
/// indices in the whole buffer; the others are left as they were.
///
/// That is what lets a rank run a workload written against [`Strategy`]
/// on its block alone: `mandelbrot(&OnlyRows { .. }, n)` renders just this
/// rank's rows into a full-size image, whose other rows stay zero. `map`
/// and `map_reduce` are not restricted (they must return a whole result)
/// and run every element through `inner`.
///
/// ```
/// use ps_mpi::OnlyRows;
/// use ps_serial::Serial;
/// use ps_strategy::Strategy;
///
/// let mut data = [0; 6];
/// OnlyRows { inner: &Serial, rows: 2..4 }.for_each_chunk_mut(&mut data, |first, chunk| {
///     for (i, x) in (first..).zip(chunk) {
///         *x = i;
///     }
/// });
/// assert_eq!(data, [0, 0, 2, 3, 0, 0]);
/// ```
#[derive(Debug)]
pub struct OnlyRows<'s, S> {
    /// The local strategy that schedules the rows.
    pub inner: &'s S,
    /// The indices to visit.
    pub rows: Range<usize>,
}

impl<S: Strategy> Strategy for OnlyRows<'_, S> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn threads(&self) -> usize {
        self.inner.threads()
    }

    fn chunks(&self, len: usize) -> Chunks {
        self.inner.chunks(len)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        self.inner.run_tasks(count, task)
    }

    fn for_each_chunk_mut<T, F>(&self, data: &mut [T], f: F)
    where
        T: Send,
        F: Fn(usize, &mut [T]) + Sync,
    {
        let offset = self.rows.start;
        self.inner
            .for_each_chunk_mut(&mut data[self.rows.clone()], |first, chunk| {
                f(offset + first, chunk);
            });
    }
}

impl Distributed for Mandelbrot {
    /// The image side and this rank's rows.
    type Share = (usize, Range<usize>);
    /// This rank's rows of the PBM, `n / 8` bytes each.
    type Part = Vec<u8>;

    /// The rows.
    fn elements(&self, &n: &usize) -> usize {
        n
    }

    fn share(&self, &n: &usize, rows: Range<usize>) -> (usize, Range<usize>) {
        (n, rows)
    }

    fn run_share<S: Strategy>(
        &self,
        strategy: &S,
        (n, rows): &(usize, Range<usize>),
        _: &dyn Team,
    ) -> Vec<u8> {
        let image = mandelbrot(
            &OnlyRows {
                inner: strategy,
                rows: rows.clone(),
            },
            *n,
        );
        let (start, row_bytes) = (header(*n).len(), n / 8);
        image[start + rows.start * row_bytes..start + rows.end * row_bytes].to_vec()
    }

    fn combine(&self, &n: &usize, parts: Vec<Vec<u8>>) -> Vec<u8> {
        let mut image = header(n).into_bytes();
        for rows in parts {
            image.extend_from_slice(&rows);
        }
        image
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Solo;
    use ps_serial::Serial;
    use ps_workload::Workload;

    #[test]
    fn rows_rendered_apart_make_the_serial_image_byte_for_byte() {
        let n = 64;
        let parts = [0..5, 5..5, 5..40, 40..64]
            .into_iter()
            .map(|rows| Mandelbrot.run_share(&Serial, &(n, rows), &Solo::default()))
            .collect();
        assert_eq!(Mandelbrot.combine(&n, parts), Mandelbrot.run_serial(&n));
    }

    #[test]
    fn only_the_rows_of_the_share_are_rendered() {
        let n = 32;
        let image = mandelbrot(
            &OnlyRows {
                inner: &Serial,
                rows: 0..0,
            },
            n,
        );
        assert!(image[header(n).len()..].iter().all(|&byte| byte == 0));
        let middle = n / 2;
        let image = mandelbrot(
            &OnlyRows {
                inner: &Serial,
                rows: middle..middle + 1,
            },
            n,
        );
        let row = &image[header(n).len() + middle * n / 8..][..n / 8];
        assert!(
            row.iter().any(|&byte| byte != 0),
            "the middle row crosses the set"
        );
    }
}
