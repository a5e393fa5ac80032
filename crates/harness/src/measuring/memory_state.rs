//! The memory every timed run writes into, made the same for every process,
//! and the cost of touching fresh memory measured on its own.
//!
//! glibc serves a block above its mmap threshold (128 KiB at start) with a
//! fresh `mmap`: every page faults on first write and is unmapped on free.
//! But freeing such a block raises the threshold to its size, after which
//! blocks that size come from the heap, already faulted in — unless trimming
//! has given the top of the heap back to the kernel. So whether a workload
//! returning an 8 MB `Vec` pays for 2000 page faults on every call depends on
//! what the process allocated and freed before, and its times differ from
//! one process to the next. [`reuse_freed_memory`] removes that history:
//! nothing is mmapped and nothing is trimmed, so after the warm-up every run
//! reuses touched memory. [`FirstTouch`] reports what a fresh page costs.
//!
//! One limit: threads other than the first allocate from arenas built of
//! 64 MiB heaps, and glibc still mmaps a single block too big for one.
#![allow(unsafe_code)]

use std::io;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Fresh mappings per figure of [`FirstTouch`]; the median is kept.
const REPEATS: usize = 5;

/// Whether timed runs reuse memory the process has already touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryPolicy {
    /// Freed blocks are kept and reused: no run faults in fresh pages.
    Reused,
    /// The allocator decides, as it would in any program.
    AllocatorDefault,
}

impl MemoryPolicy {
    /// One sentence for a report.
    ///
    /// ```
    /// assert!(ps_harness::MemoryPolicy::Reused.describe().starts_with("every run"));
    /// ```
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            MemoryPolicy::Reused => {
                "every run writes into memory this process has already touched: freed blocks are kept and reused, so no timed run pays for faulting in fresh pages"
            }
            MemoryPolicy::AllocatorDefault => {
                "the allocator's own policy decides whether a run's output lands on fresh pages, so times of large outputs may differ from one process to the next"
            }
        }
    }

    /// The name in JSON.
    ///
    /// ```
    /// assert_eq!(ps_harness::MemoryPolicy::AllocatorDefault.name(), "allocator-default");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            MemoryPolicy::Reused => "reused",
            MemoryPolicy::AllocatorDefault => "allocator-default",
        }
    }
}

/// The environment variable that, set to `allocator-default`, leaves the
/// allocator alone: to see what the policy removes.
pub const MEMORY_POLICY_VAR: &str = "PS_MEMORY";

/// Makes glibc keep and reuse freed memory for the rest of the process:
/// no block is served by a fresh `mmap` and the heap is never trimmed.
/// Call it before the first allocation that matters; later calls return
/// the first call's answer. Elsewhere than Linux with glibc, or with
/// `PS_MEMORY=allocator-default` ([`MEMORY_POLICY_VAR`]), it does nothing.
///
/// ```
/// let policy = ps_harness::reuse_freed_memory();
/// assert_eq!(ps_harness::reuse_freed_memory(), policy);
/// println!("memory: {}", policy.describe());
/// ```
pub fn reuse_freed_memory() -> MemoryPolicy {
    static POLICY: OnceLock<MemoryPolicy> = OnceLock::new();
    *POLICY.get_or_init(|| {
        let asked = std::env::var(MEMORY_POLICY_VAR);
        if asked.is_ok_and(|value| value == MemoryPolicy::AllocatorDefault.name()) {
            return MemoryPolicy::AllocatorDefault;
        }
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            // SAFETY: mallopt only changes malloc's tuning, under malloc's own
            // lock; it returns 1 on success. Setting either also stops glibc
            // moving the thresholds by itself.
            let no_mmap = unsafe { libc::mallopt(libc::M_MMAP_MAX, 0) };
            // SAFETY: as above.
            let no_trim = unsafe { libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX) };
            if no_mmap == 1 && no_trim == 1 {
                return MemoryPolicy::Reused;
            }
        }
        MemoryPolicy::AllocatorDefault
    })
}

/// Page faults this process has taken so far without reading from disk
/// ("minor" faults: the kernel handing out a page, often a fresh zeroed
/// one), all threads together; `None` where the count is not available.
/// Taken before and after a run, the difference says whether the run wrote
/// into memory the process had not touched before.
///
/// ```
/// if let Some(before) = ps_harness::minor_page_faults() {
///     let fresh = vec![1_u8; 1 << 24];
///     let after = ps_harness::minor_page_faults().unwrap();
///     assert!(after >= before);
///     drop(fresh);
/// }
/// ```
#[must_use]
pub fn minor_page_faults() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
        // SAFETY: getrusage writes a whole `rusage` into the pointer it is
        // given and returns 0 when it did; it is read only then.
        let usage = unsafe {
            (libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) == 0)
                .then(|| usage.assume_init())
        }?;
        u64::try_from(usage.ru_minflt).ok()
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// What writing to fresh memory costs: one byte into every page of a new
/// anonymous mapping, so the time is the kernel's page faults (and zeroing).
///
/// ```
/// let touch = ps_harness::FirstTouch::measure(1 << 20, 2)?;
/// assert_eq!((touch.bytes, touch.threads), (1 << 20, 2));
/// println!("{}", touch.describe());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstTouch {
    /// The size of each mapping.
    pub bytes: u64,
    /// The median time to touch it from one thread.
    pub one_thread: Duration,
    /// The threads of `all_threads`, each touching a contiguous share.
    pub threads: usize,
    /// The median time to touch it from `threads` threads at once.
    pub all_threads: Duration,
}

impl FirstTouch {
    /// Touches `REPEATS` fresh mappings of `bytes` from one thread and as
    /// many from `threads` (at least one), keeping the median of each.
    ///
    /// # Errors
    ///
    /// The system's error if a mapping fails; `Unsupported` off Unix.
    pub fn measure(bytes: u64, threads: usize) -> io::Result<FirstTouch> {
        let threads = threads.max(1);
        let (one_thread, all_threads) = if bytes == 0 {
            (Duration::ZERO, Duration::ZERO)
        } else {
            let len = usize::try_from(bytes).map_err(|_| io::ErrorKind::InvalidInput)?;
            (median(len, 1)?, median(len, threads)?)
        };
        Ok(FirstTouch {
            bytes,
            one_thread,
            threads,
            all_threads,
        })
    }

    /// Bytes faulted in a second, in GB/s (10⁹ bytes), on one thread or on
    /// all of them; 0 when nothing was measured.
    ///
    /// ```
    /// use std::time::Duration;
    /// let ms = Duration::from_millis;
    /// let touch = ps_harness::FirstTouch { bytes: 8_000_000, one_thread: ms(4), threads: 2, all_threads: ms(2) };
    /// assert_eq!((touch.rate_gb_per_s(false), touch.rate_gb_per_s(true)), (2.0, 4.0));
    /// ```
    #[must_use]
    pub fn rate_gb_per_s(&self, parallel: bool) -> f64 {
        let time = if parallel {
            self.all_threads
        } else {
            self.one_thread
        };
        if time.is_zero() {
            return 0.0;
        }
        megabytes(self.bytes) / 1e3 / time.as_secs_f64()
    }

    /// One sentence for a report whose runs reuse memory
    /// ([`MemoryPolicy::Reused`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// let touch = ps_harness::FirstTouch { bytes: 8_000_000, one_thread: Duration::from_micros(1234), threads: 2, all_threads: Duration::from_micros(1051) };
    /// assert!(touch.describe().starts_with("First touch: faulting in 8.0 MB of fresh pages took 1.23 ms on 1 thread and 1.05 ms on 2 threads"));
    /// ```
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "First touch: faulting in {:.1} MB of fresh pages took {} on 1 thread and {} on {} thread{}; {}",
            megabytes(self.bytes),
            crate::human(self.one_thread),
            crate::human(self.all_threads),
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            match reuse_freed_memory() {
                MemoryPolicy::Reused =>
                    "the timings above do not include it, because every run reuses memory already touched.",
                MemoryPolicy::AllocatorDefault =>
                    "the timings above may include it: the allocator decided whether each run's output landed on fresh pages.",
            }
        )
    }
}

#[allow(clippy::cast_precision_loss)] // Exact below 2⁵³ bytes.
fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// The median of `REPEATS` touches of fresh `len`-byte mappings.
fn median(len: usize, threads: usize) -> io::Result<Duration> {
    let mut times = (0..REPEATS)
        .map(|_| touch(len, threads))
        .collect::<io::Result<Vec<_>>>()?;
    times.sort_unstable();
    Ok(times[REPEATS / 2])
}

/// Maps `len` fresh bytes and times writing one byte a page into them,
/// split into contiguous, page-aligned shares across `threads` threads.
#[cfg(unix)]
fn touch(len: usize, threads: usize) -> io::Result<Duration> {
    // SAFETY: sysconf only reads a system constant.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
        .ok()
        .filter(|&page| page > 0)
        .unwrap_or(4096);
    // A plain index loop: this crate is built without optimisation (it
    // times nothing else), and an iterator chain would then add calls per
    // page to what should be the page fault alone.
    let write = |share: &mut [u8]| {
        let mut offset = 0;
        while offset < share.len() {
            share[offset] = 1;
            offset += page;
        }
        std::hint::black_box(share);
    };
    let mut mapping = Mapping::new(len)?;
    let region = mapping.as_mut_slice();
    // Shares are whole pages, so a small region may have fewer than
    // `threads`. Each thread times itself from a common start, so neither
    // spawning nor waking this thread (maybe with no core free) is timed.
    let share = len.div_ceil(threads).next_multiple_of(page);
    let barrier = std::sync::Barrier::new(len.div_ceil(share));
    let span = std::thread::scope(|scope| {
        let writers: Vec<_> = region
            .chunks_mut(share)
            .map(|chunk| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    write(chunk);
                    (start, Instant::now())
                })
            })
            .collect();
        writers
            .into_iter()
            .map(|writer| writer.join().expect("writing a page cannot panic"))
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
    });
    Ok(span.map_or(Duration::ZERO, |(start, end)| end - start))
}

#[cfg(not(unix))]
fn touch(_len: usize, _threads: usize) -> io::Result<Duration> {
    Err(io::ErrorKind::Unsupported.into())
}

/// An anonymous private mapping, unmapped when dropped, even by a panic.
#[cfg(unix)]
struct Mapping {
    address: *mut libc::c_void,
    len: usize,
}

#[cfg(unix)]
impl Mapping {
    /// Maps `len` (> 0) bytes without populating them, so no page is
    /// faulted in until it is written.
    fn new(len: usize) -> io::Result<Mapping> {
        let protection = libc::PROT_READ | libc::PROT_WRITE;
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
        // SAFETY: a new anonymous mapping at an address the kernel picks
        // aliases nothing; failure is checked below.
        let address = unsafe { libc::mmap(std::ptr::null_mut(), len, protection, flags, -1, 0) };
        if address == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Mapping { address, len })
    }

    fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: the mapping is `len` readable, writable, zero-filled bytes
        // that live as long as `self`, borrowed only through `&mut self`.
        unsafe { std::slice::from_raw_parts_mut(self.address.cast(), self.len) }
    }
}

#[cfg(unix)]
impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: exactly the range mmap returned, and no slice of it
        // outlives the borrow of `self` that made it.
        unsafe { libc::munmap(self.address, self.len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the check below in a child process of this test binary, alone:
    /// beside other tests, a thread's malloc arena may be full of their
    /// blocks, and glibc then maps a block the arena's heap cannot hold
    /// whatever the policy (the limit this module's essay names).
    #[test]
    fn reusing_freed_memory_is_idempotent_and_stops_mmap_on_glibc() {
        // The test's path without the crate's name, wherever this module moves.
        let (_crate, module) = module_path!().split_once("::").unwrap();
        let name = format!("{module}::reuse_alone");
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([name.as_str(), "--exact", "--ignored", "--test-threads=1"])
            .env_remove(MEMORY_POLICY_VAR)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("1 passed"),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    #[ignore = "run in a child process by reusing_freed_memory_is_idempotent_and_stops_mmap_on_glibc"]
    fn reuse_alone() {
        let policy = reuse_freed_memory();
        assert_eq!(reuse_freed_memory(), policy);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            assert_eq!(policy, MemoryPolicy::Reused);
            // glibc counts the bytes it has mmapped for blocks: an 8 MiB
            // block, far above the default threshold, must add none.
            // SAFETY: mallinfo only reads malloc's statistics.
            let mmapped = || unsafe { libc::mallinfo() }.hblkhd;
            let before = mmapped();
            let block = std::hint::black_box(vec![1_u8; 8 << 20]);
            assert!(mmapped() < before + (8 << 20));
            drop(block);
        }
    }

    #[test]
    fn first_touch_records_what_it_measured() {
        let touch = FirstTouch::measure(8_000_000, 2).unwrap();
        assert_eq!((touch.bytes, touch.threads), (8_000_000, 2));
        assert!(touch.one_thread > Duration::ZERO && touch.all_threads > Duration::ZERO);
        assert!(touch.rate_gb_per_s(true) > 0.0);
        assert!(touch.describe().contains("8.0 MB"));
        let zero = FirstTouch::measure(0, 2).unwrap();
        assert!(zero.one_thread.is_zero() && zero.all_threads.is_zero());
        assert!(zero.rate_gb_per_s(false).abs() < f64::EPSILON);
    }
}
