//! What a number looks like: terminal and Markdown tables, SVG charts, the
//! one JSON report schema, the one emitter that prints and writes them for
//! every command, a progress bar while it measures, and a quiet end when the
//! reader stops reading.

pub(crate) mod chart;
pub(crate) mod details;
pub(crate) mod emit;
pub(crate) mod pipe;
pub(crate) mod progress;
pub(crate) mod record;
pub(crate) mod table;
