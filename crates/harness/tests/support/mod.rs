//! What more than one test file of the harness needs.

pub(crate) mod runs_chunk_twice;
