//! A one-line progress bar on stderr, drawn only when stderr is a terminal,
//! so that a log or a pipe never fills with redraws.
//!
//! It is redrawn only when a step finishes or the message changes, between
//! timed samples, never while a sample is timed.

use std::cell::{Cell, RefCell};
use std::io::{IsTerminal as _, Write as _};

/// Characters of the bar itself.
const WIDTH: u64 = 30;

/// Progress through `steps` steps of one command.
#[derive(Debug)]
pub(crate) struct Progress {
    steps: u64,
    done: Cell<u64>,
    unit: &'static str,
    message: RefCell<String>,
    visible: bool,
}

impl Progress {
    /// A bar for `steps` steps, each counted as a `unit`.
    pub(crate) fn new(steps: u64, unit: &'static str) -> Self {
        Progress {
            steps,
            done: Cell::new(0),
            unit,
            message: RefCell::new(String::new()),
            visible: std::io::stderr().is_terminal(),
        }
    }

    /// Says what is being measured now.
    pub(crate) fn set_message(&self, message: String) {
        *self.message.borrow_mut() = message;
        self.draw();
    }

    /// Counts `steps` more steps done.
    pub(crate) fn inc(&self, steps: u64) {
        self.done.set((self.done.get() + steps).min(self.steps));
        self.draw();
    }

    /// Erases the bar, leaving the line for what is printed next.
    pub(crate) fn finish_and_clear(&self) {
        if self.visible {
            eprint!("\r\x1b[2K");
        }
    }

    /// The line as drawn, without the terminal's control characters.
    fn line(&self) -> String {
        let done = self.done.get();
        let filled = (done * WIDTH).checked_div(self.steps).unwrap_or(WIDTH);
        format!(
            "{}{} {done}/{} {}  {}",
            "█".repeat(filled as usize),
            "░".repeat((WIDTH - filled) as usize),
            self.steps,
            self.unit,
            self.message.borrow()
        )
    }

    fn draw(&self) {
        if self.visible {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K{}", self.line());
            let _ = stderr.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_steps_and_fills_the_bar_in_proportion() {
        let progress = Progress::new(4, "cells");
        progress.inc(1);
        progress.set_message("primes/rayon".to_owned());
        let line = progress.line();
        assert!(line.ends_with(" 1/4 cells  primes/rayon"), "{line}");
        assert_eq!(line.matches('█').count(), 7);
        progress.inc(10);
        assert_eq!(progress.line().matches('█').count(), 30, "never past full");
        assert!(progress.line().contains(" 4/4 "));
    }
}
