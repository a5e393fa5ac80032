//! The sweep every check makes: each thread count, each grain, each input
//! length, one *case* at a time, with a heartbeat per case and the case
//! named in every failure.

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use super::panics::payload_text;
use super::watchdog::watchdog_within;
use super::{GRAINS, THREAD_COUNTS, WATCHDOG, describe};
use crate::{Config, Strategy};

/// One case of a check: the configuration a strategy was built from and the
/// length of the input it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Case {
    threads: usize,
    grain: usize,
    /// `None` while the strategy is being built.
    len: Option<usize>,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "threads {}, grain {}", self.threads, self.grain)?;
        match self.len {
            Some(len) => write!(f, ", {len} elements"),
            None => write!(f, ", building the strategy"),
        }
    }
}

/// A check's sweep over cases; see [`Sweep::run`].
pub(crate) struct Sweep<B> {
    check: &'static str,
    build: B,
    grains: &'static [usize],
    limit: Duration,
}

impl<B> Sweep<B> {
    /// The sweep of `check` over [`THREAD_COUNTS`] and [`GRAINS`], under the
    /// [`WATCHDOG`] limit.
    pub(crate) fn new(check: &'static str, build: B) -> Self {
        Sweep {
            check,
            build,
            grains: &GRAINS,
            limit: WATCHDOG,
        }
    }

    /// Other grains than [`GRAINS`].
    pub(crate) fn grains(self, grains: &'static [usize]) -> Self {
        Sweep { grains, ..self }
    }

    /// Another limit without progress than [`WATCHDOG`].
    #[cfg(test)]
    pub(crate) fn limit(self, limit: Duration) -> Self {
        Sweep { limit, ..self }
    }

    /// For every thread count and grain, builds the strategy, then runs
    /// `body(strategy, len)` for every length `lengths(config, strategy)`
    /// gives, under the watchdog. Each finished case beats the heartbeat, so
    /// the check is hung only when no case finishes within the limit. A
    /// failing case is re-raised with its case and the check's name in front
    /// of the original message.
    pub(crate) fn run<S, L, I>(self, lengths: L, body: impl Fn(&S, usize) + Send + 'static)
    where
        S: Strategy + 'static,
        B: Fn(Config) -> S + Send + 'static,
        L: Fn(Config, &S) -> I + Send + 'static,
        I: IntoIterator<Item = usize>,
    {
        let Sweep {
            check,
            build,
            grains,
            limit,
        } = self;
        watchdog_within(check, limit, move |heartbeat| {
            for threads in THREAD_COUNTS {
                for &grain in grains {
                    let config = Config::new(threads, grain)
                        .expect("thread counts and grains in the suite are non-zero");
                    let mut case = Case {
                        threads,
                        grain,
                        len: None,
                    };
                    let place = case.to_string();
                    heartbeat.working_on(place.clone());
                    let strategy = in_case(check, &place, || build(config));
                    for len in lengths(config, &strategy) {
                        case.len = Some(len);
                        let place = format!("{case} ({})", describe(&strategy));
                        heartbeat.working_on(place.clone());
                        in_case(check, &place, || body(&strategy, len));
                        heartbeat.beat();
                    }
                    heartbeat.beat();
                }
            }
        });
    }
}

/// Runs `work`; if it panics, panics again with `check` and `place` (the
/// case) in front of the message, so that a failure says where to look.
fn in_case<T>(check: &str, place: &str, work: impl FnOnce() -> T) -> T {
    match panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => value,
        Err(payload) => panic!(
            "{check} failed at {place}: {}",
            payload_text(payload.as_ref())
        ),
    }
}
