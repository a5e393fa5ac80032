//! A reader that stops reading ends the program quietly.
//!
//! Rust ignores `SIGPIPE`, so `println!` into a pipe whose reader has gone
//! (`cargo xtask diff a.json b.json | head`) fails, and `println!` panics
//! on the failure. Command-line tools in C die of the signal instead,
//! silently, which is what a shell pipeline expects.
#![allow(unsafe_code)]

/// Restores the default action of `SIGPIPE` (end the process, silently), on
/// Unix; elsewhere does nothing. Call it first thing in `main`, before any
/// thread starts.
///
/// ```
/// ps_harness::quiet_broken_pipes();
/// println!("fine when the reader stays");
/// ```
pub fn quiet_broken_pipes() {
    #[cfg(unix)]
    // SAFETY: `signal` with `SIG_DFL` installs no handler of ours, so no
    // code runs in signal context; changing a disposition is process-wide
    // and is done before this program starts any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
