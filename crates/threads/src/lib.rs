//! Scoped `std::thread` strategies: a static and a dynamic schedule.
//!
//! Both start their threads with [`std::thread::scope`] for each call, so the
//! tasks may borrow the caller's data and every thread has ended when the call
//! returns. Starting a thread costs some tens of microseconds, which is the
//! first thing a parallel call must earn back; the calling thread does one
//! share of the work itself, so `threads = 1` starts no thread at all.
//!
//! The two schedules differ in *who decides which thread runs which task*:
//!
//! - [`StaticBlocks`] decides before anything runs: the input is cut into one
//!   contiguous block per thread. There is no coordination at all while the
//!   work runs, which makes it the cheapest schedule when every element costs
//!   the same — and the worst when they do not, because the call lasts as
//!   long as its slowest block (rows of a Mandelbrot image, numbers tested for
//!   primality).
//! - [`Dynamic`] decides while the work runs: the input is cut into
//!   grain-sized chunks and each thread claims the next one from an atomic
//!   counter when it is free. One atomic increment per chunk buys load
//!   balance; the grain sets how often that price is paid.
//!
//! # Nesting
//!
//! Every call starts its own threads, so nested calls *multiply* them: a
//! `StaticBlocks` of `t1` threads whose every task calls a `StaticBlocks` of
//! `t2` has `t1 × t2` threads alive at its peak, the caller's included. That
//! is always safe — each call's threads belong to it alone and are joined
//! before it returns, so no call waits for a thread another call holds — but
//! past the core count the threads only take turns, each paying its start-up.
//! Inside a rayon task, a call here occupies that rayon thread until its own
//! threads are done. Prefer parallelism at one level. (The nesting tests in
//! `ps-catalog` measure the peak for every pairing.)
//!
//! # Refused threads
//!
//! Threads are started with [`std::thread::Builder::spawn_scoped`], which
//! reports a refusal instead of panicking, and wait at a gate until all of
//! them have started ([`ps_strategy::run_on_threads`]). If the operating
//! system refuses one, the started ones leave without running a task, are
//! joined, and the call raises [`ps_strategy::SpawnRefused`].
//!
//! ```
//! use ps_strategy::Strategy;
//! use ps_threads::{Dynamic, StaticBlocks};
//!
//! let input: Vec<u64> = (0..10_000).collect();
//! let by_blocks = StaticBlocks::new(4)?.map(&input, |&n| n * n);
//! let by_claims = Dynamic::new(4, 256)?.map(&input, |&n| n * n);
//! assert_eq!(by_blocks, by_claims);
//! # Ok::<(), ps_strategy::ConfigError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod dynamic;
mod static_blocks;

pub use dynamic::{DEFAULT_GRAIN, Dynamic};
pub use static_blocks::StaticBlocks;
