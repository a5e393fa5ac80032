//! What a number looks like: terminal and Markdown tables, SVG charts, the
//! one JSON report schema, and a quiet end when the reader stops reading.

pub(crate) mod chart;
pub(crate) mod pipe;
pub(crate) mod record;
pub(crate) mod table;
