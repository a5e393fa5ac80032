//! Memory bandwidth: the two simplest ways to move a large buffer, for the
//! roofline's memory ceiling.
//!
//! A roofline plots what a workload achieves against two ceilings: the
//! arithmetic the cores can do and the bytes memory can deliver. These two
//! access patterns measure the second one, through the same [`Strategy`] operations
//! as every workload, so that the ceiling includes what a strategy costs:
//!
//! - [`copy`] copies a `u64` buffer into another of the same length, each
//!   chunk with one `copy_from_slice` inside
//!   [`Strategy::for_each_chunk_mut`];
//! - [`read`] sums a `u64` buffer with [`Strategy::map_reduce`] (a wrapping
//!   sum, so that the loads cannot be optimised away, and cheap enough that
//!   the adds never limit it).
//!
//! Time each at one thread and at all threads, on buffers far larger than
//! the last-level cache (hundreds of MiB), and divide
//! [`Access::bytes_moved`] by the time for GB/s.
//!
//! # How bytes are counted
//!
//! Only the bytes the program asks for: [`Access::Read`] counts the buffer
//! once, `8n` bytes, and [`Access::Copy`] counts the source read and the
//! destination written, `16n` bytes. This is the convention of the STREAM
//! benchmark (<https://www.cs.virginia.edu/stream/ref.html>), so the figures
//! compare with published ones.
//!
//! Write-allocate is **not** counted. On a write-back cache an ordinary
//! store to a line that is not cached first reads that line from memory, so
//! a copy with ordinary stores really moves `24n` bytes: the reported copy
//! rate is then two thirds of the traffic the memory bus carried. (A copy
//! with non-temporal stores, which large `memcpy`s sometimes use, skips that
//! read; the counted bytes are the same either way.)
//!
//! # Why a crate of its own, and why not generic
//!
//! A probe is only as fast as its loops are optimised. [`copy`] and [`read`]
//! take the built strategy, an [`AnyStrategy`], rather than any
//! `S: Strategy`: a generic function is compiled in the crate that calls
//! it, with that crate's optimisation, and the harness that calls these is
//! built without optimisation (it times nothing itself; see the workspace's
//! release profile). Taking one concrete type compiles their loops here,
//! always optimised.
//!
//! ```
//! use ps_bandwidth::{self as bandwidth, Access};
//! use ps_catalog::{AnyStrategy, StrategyKind};
//! use ps_strategy::Config;
//!
//! let strategy = AnyStrategy::build(StrategyKind::THREADS_STATIC, Config::new(2, 500)?)?;
//! let source = bandwidth::input(1000);
//! let mut destination = vec![0; 1000];
//! bandwidth::copy(&strategy, &source, &mut destination);
//! assert_eq!(destination, source);
//! assert_eq!(bandwidth::read(&strategy, &source), 999 * 1000 / 2);
//! assert_eq!(Access::Copy.bytes_moved(1000), 16_000);
//! # Ok::<(), ps_strategy::ConfigError>(())
//! ```

use std::fmt;
use std::mem::size_of;

use ps_catalog::AnyStrategy;
use ps_strategy::Strategy;

/// The element every access pattern moves.
type Word = u64;

/// One pattern of memory access the bandwidth probe times (a word the
/// harness keeps apart from a workload's *kernel*), with how many bytes it
/// moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// [`copy`]: read one buffer, write another.
    Copy,
    /// [`read`]: read one buffer.
    Read,
}

impl Access {
    /// Both patterns.
    pub const ALL: [Access; 2] = [Access::Copy, Access::Read];

    /// A short lowercase name for reports: `"copy"` or `"read"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Access::Copy => "copy",
            Access::Read => "read",
        }
    }

    /// The bytes one run on buffers of `n` elements moves, counted as the
    /// [module documentation](self) explains: loads and stores the program
    /// makes, without write-allocate.
    ///
    /// ```
    /// use ps_bandwidth::Access;
    ///
    /// assert_eq!(Access::Read.bytes_moved(1 << 20), 8 << 20);
    /// assert_eq!(Access::Copy.bytes_moved(1 << 20), 16 << 20);
    /// ```
    #[must_use]
    pub const fn bytes_moved(self, n: usize) -> u64 {
        let buffer = (n * size_of::<Word>()) as u64;
        match self {
            Access::Copy => 2 * buffer,
            Access::Read => buffer,
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The numbers `0..n`: a buffer whose every page has been written, so that
/// no probe run pays for first-touch page faults. Build it outside the
/// timed region.
///
/// ```
/// assert_eq!(ps_bandwidth::input(3), [0, 1, 2]);
/// ```
#[must_use]
pub fn input(n: usize) -> Vec<u64> {
    (0..n as Word).collect()
}

/// Copies `source` into `destination`, chunk by chunk as `strategy` cuts it.
///
/// # Panics
///
/// If the two lengths differ.
///
/// ```
/// use ps_catalog::{AnyStrategy, StrategyKind};
/// use ps_strategy::Config;
///
/// let serial = AnyStrategy::build(StrategyKind::SERIAL, Config::new(1, 1)?)?;
/// let mut destination = [0; 3];
/// ps_bandwidth::copy(&serial, &[7, 8, 9], &mut destination);
/// assert_eq!(destination, [7, 8, 9]);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
// Never inlined into the caller: its loop stays compiled here (see the
// crate's docs).
#[inline(never)]
pub fn copy(strategy: &AnyStrategy, source: &[u64], destination: &mut [u64]) {
    assert_eq!(
        source.len(),
        destination.len(),
        "copy needs buffers of the same length"
    );
    strategy.for_each_chunk_mut(destination, |start, chunk| {
        chunk.copy_from_slice(&source[start..start + chunk.len()]);
    });
}

/// Reads every element of `data`: their wrapping sum, folded per chunk by
/// `strategy`.
///
/// ```
/// use ps_catalog::{AnyStrategy, StrategyKind};
/// use ps_strategy::Config;
///
/// let serial = AnyStrategy::build(StrategyKind::SERIAL, Config::new(1, 1)?)?;
/// assert_eq!(ps_bandwidth::read(&serial, &[1, 2, 3]), 6);
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[must_use]
#[inline(never)]
pub fn read(strategy: &AnyStrategy, data: &[u64]) -> u64 {
    strategy.map_reduce(data, || 0, |sum, &x| sum.wrapping_add(x), u64::wrapping_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    use ps_catalog::StrategyKind;
    use ps_strategy::Config;

    const LENGTHS: [usize; 7] = [0, 1, 2, 7, 1000, 4097, 100_003];

    fn build(kind: StrategyKind, threads: usize, grain: usize) -> AnyStrategy {
        AnyStrategy::build(kind, Config::new(threads, grain).unwrap()).unwrap()
    }

    fn serial() -> AnyStrategy {
        build(StrategyKind::SERIAL, 1, 1)
    }

    fn blocks(threads: usize) -> AnyStrategy {
        build(StrategyKind::THREADS_STATIC, threads, 1)
    }

    fn dynamic(threads: usize, grain: usize) -> AnyStrategy {
        build(StrategyKind::THREADS_DYNAMIC, threads, grain)
    }

    #[test]
    fn copy_reproduces_the_source_on_every_strategy() {
        for n in LENGTHS {
            let source = input(n);
            for threads in [1, 2, 3] {
                let mut by_blocks = vec![u64::MAX; n];
                copy(&blocks(threads), &source, &mut by_blocks);
                assert_eq!(by_blocks, source, "static, {threads} threads, n = {n}");
                let mut by_chunks = vec![u64::MAX; n];
                copy(&dynamic(threads, 16), &source, &mut by_chunks);
                assert_eq!(by_chunks, source, "dynamic, {threads} threads, n = {n}");
            }
        }
    }

    #[test]
    fn read_sums_every_element_once() {
        for n in LENGTHS {
            let expected = (n as u64) * (n as u64).saturating_sub(1) / 2;
            let data = input(n);
            assert_eq!(read(&serial(), &data), expected, "n = {n}");
            assert_eq!(read(&dynamic(3, 7), &data), expected);
            assert_eq!(read(&blocks(2), &data), expected);
        }
    }

    #[test]
    fn read_wraps_instead_of_overflowing() {
        assert_eq!(read(&serial(), &[u64::MAX, 2]), 1);
    }

    #[test]
    #[should_panic(expected = "same length")]
    fn copy_refuses_buffers_of_different_lengths() {
        copy(&serial(), &[1, 2], &mut [0; 3]);
    }

    #[test]
    fn bytes_are_counted_as_documented() {
        for n in LENGTHS {
            let buffer = 8 * n as u64;
            assert_eq!(Access::Read.bytes_moved(n), buffer);
            assert_eq!(Access::Copy.bytes_moved(n), 2 * buffer);
        }
        assert_eq!(
            Access::ALL.map(Access::name),
            ["copy", "read"],
            "names are part of reports"
        );
    }
}
