//! [`SpawnRefused`]: the typed refusal a call raises when the operating
//! system will not start its threads.

use std::any::Any;
use std::fmt;
use std::io;
use std::panic::{self, AssertUnwindSafe};

use super::limits::ThreadLimits;

/// The operating system would not start the threads a call needed.
///
/// A strategy raises this as the payload of a panic (see the
/// [`Strategy`](crate::Strategy) trait's section on refused threads for why),
/// after every thread it did start has been joined and before any task has
/// run. A harness recognises it with [`SpawnRefused::from_panic`] on the
/// payload that [`std::panic::catch_unwind`] returns, or wraps the call in
/// [`SpawnRefused::catch`]. A strategy that starts its threads once, when it
/// is built (rayon's pool), returns it instead inside
/// [`ConfigError::ThreadStart`](crate::ConfigError::ThreadStart).
///
/// Its `Display` is one line naming what was refused and the limits:
///
/// ```
/// use ps_strategy::spawn::{Refusal, SpawnRefused};
///
/// let refused = SpawnRefused::new(
///     8,
///     3,
///     Refusal::Os { kind: std::io::ErrorKind::WouldBlock, message: "try again".into() },
/// );
/// assert!(refused.to_string().starts_with("cannot start 8 threads: the operating system refused thread 4 (try again)"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpawnRefused {
    /// How many threads the call needed to start.
    pub requested: usize,
    /// How many had started when the refusal came; all of them have ended.
    pub started: usize,
    /// Who refused, and why.
    pub reason: Refusal,
    /// The limits on threads, read when the refusal came (boxed: they are
    /// large, and read only to report).
    pub limits: Box<ThreadLimits>,
}

/// Why threads were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// Creating a thread failed with this error (`EAGAIN` for the process,
    /// thread or address-space limits).
    Os {
        /// The error's kind.
        kind: io::ErrorKind,
        /// The error as the operating system words it.
        message: String,
    },
    /// Refused before asking the operating system: the threads would need
    /// more memory maps than `vm.max_map_count` leaves. Past that limit a
    /// new thread cannot map its signal stack and the process aborts, so
    /// this one is checked up front: each thread needs
    /// [`MAPS_PER_THREAD`](super::MAPS_PER_THREAD) maps, and the check runs
    /// once [`CHECK_MAPS_FROM`](super::CHECK_MAPS_FROM) threads would be
    /// alive.
    MemoryMaps {
        /// Memory maps the threads would need.
        needed: usize,
        /// Memory maps still free, less a margin for the rest of the process.
        available: usize,
    },
}

impl SpawnRefused {
    /// A refusal of `requested` threads, `started` of which had started; the
    /// limits are read now.
    #[must_use]
    pub fn new(requested: usize, started: usize, reason: Refusal) -> Self {
        SpawnRefused {
            requested,
            started,
            reason,
            limits: Box::new(ThreadLimits::now()),
        }
    }

    /// The refusal for `error`, returned when thread `started + 1` of
    /// `requested` could not be created.
    #[must_use]
    pub fn from_os(requested: usize, started: usize, error: &io::Error) -> Self {
        SpawnRefused::new(
            requested,
            started,
            Refusal::Os {
                kind: error.kind(),
                message: error.to_string(),
            },
        )
    }

    /// Raises this refusal as a panic whose payload is the `SpawnRefused`
    /// itself. The panic hook runs, as for any panic; a harness that
    /// prints its own message can skip payloads of this type in its hook.
    pub fn raise(self) -> ! {
        panic::panic_any(self)
    }

    /// The refusal inside a caught panic's payload, or the payload back if
    /// the panic was something else.
    ///
    /// # Errors
    ///
    /// The payload, unchanged, if it is not a `SpawnRefused`.
    ///
    /// ```
    /// use ps_strategy::SpawnRefused;
    ///
    /// let payload = std::panic::catch_unwind(|| panic!("a bug")).unwrap_err();
    /// assert!(SpawnRefused::from_panic(payload).is_err());
    /// ```
    pub fn from_panic(payload: Box<dyn Any + Send>) -> Result<Self, Box<dyn Any + Send>> {
        payload.downcast::<SpawnRefused>().map(|refused| *refused)
    }

    /// Runs `call`, returning a refusal it raised as an error; any other
    /// panic goes on unchanged.
    ///
    /// `call` need not be [`UnwindSafe`](std::panic::UnwindSafe): a
    /// strategy refuses before running any task, so a refused call changes
    /// nothing. (When the refused call was nested in a task of another
    /// call, that outer call's other tasks may have run, exactly as when a
    /// task panics.)
    ///
    /// # Errors
    ///
    /// The refusal, if `call` raised one.
    ///
    /// ```
    /// use ps_strategy::spawn::{Refusal, SpawnRefused};
    ///
    /// assert_eq!(SpawnRefused::catch(|| 6 * 7), Ok(42));
    /// let refused = SpawnRefused::catch(|| -> u32 {
    ///     SpawnRefused::new(4, 0, Refusal::MemoryMaps { needed: 16, available: 8 }).raise()
    /// });
    /// assert_eq!(refused.unwrap_err().requested, 4);
    /// ```
    pub fn catch<T>(call: impl FnOnce() -> T) -> Result<T, SpawnRefused> {
        panic::catch_unwind(AssertUnwindSafe(call)).map_err(|payload| {
            SpawnRefused::from_panic(payload).unwrap_or_else(|other| panic::resume_unwind(other))
        })
    }
}

impl fmt::Display for SpawnRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot start {} threads: ", self.requested)?;
        match &self.reason {
            Refusal::Os { message, .. } => write!(
                f,
                "the operating system refused thread {} ({message})",
                self.started + 1
            )?,
            Refusal::MemoryMaps { needed, available } => write!(
                f,
                "they need about {needed} memory maps and vm.max_map_count leaves {available}"
            )?,
        }
        write!(f, "; limits: {}", self.limits)
    }
}

impl std::error::Error for SpawnRefused {}
