//! The commands, one module each: what each measures and how it reports.

pub(crate) mod advise;
pub(crate) mod compare;
pub(crate) mod diff;
pub(crate) mod list;
pub(crate) mod processes;
pub(crate) mod run;
pub(crate) mod scaling;
pub(crate) mod sweep;
pub(crate) mod trace;
